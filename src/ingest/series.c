#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_int.h"
#include "core/csv.h"
#include "core/mem.h"
#include "core/banned.h"

#define WARNINGS_MAX (64 * 1024)

void ingest_series_init(struct ingest_series *s)
{
    *s = (struct ingest_series){0};
    buf_init(&s->warnings, WARNINGS_MAX);
}

void ingest_series_reset(struct ingest_series *s)
{
    free(s->name);
    free(s->key);
    free(s->off);
    s->name = NULL;
    s->key = NULL;
    s->off = NULL;
    s->n = 0;
    s->n_breaks = 0;
    s->xs = (struct ingest_xstate){0};
    buf_reset(&s->warnings);
}

void ingest_series_release(struct ingest_series *s)
{
    free(s->name);
    free(s->y);
    free(s->den);
    free(s->key);
    free(s->off);
    free(s->breaks);
    buf_release(&s->warnings);
    ingest_series_init(s);
}

static int grow(struct ingest_series *s, struct purpose_err *err)
{
    /* Small at first: interleaved input holds every series at once, however short. */
    size_t cap = s->cap ? s->cap * 2 : 16;
    double *y = realloc(s->y, cap * sizeof *y);
    if (!y)
        return purpose_errf(err, "out of memory for a series of %zu points", cap);
    s->y = y;
    mem_hint_huge(y, cap * sizeof *y);
    if (s->has_den) {
        double *den = realloc(s->den, cap * sizeof *den);
        if (!den)
            return purpose_errf(err, "out of memory for a series of %zu points", cap);
        s->den = den;
    }
    if (s->keep_offsets) {
        uint32_t *off = realloc(s->off, cap * sizeof *off);
        if (!off)
            return purpose_errf(err, "out of memory for a series of %zu points", cap);
        s->off = off;
    }
    s->cap = cap;
    return 0;
}

static int offset_of(struct ingest_series *s, size_t pos, uint32_t *off, struct purpose_err *err)
{
    if (pos - s->base > UINT32_MAX)
        return purpose_errf(err, "series %s spans more than 4 GiB of input", s->name ? s->name : "");
    *off = (uint32_t)(pos - s->base);
    return 0;
}

void ingest_xstate_add(struct ingest_xstate *st, const char *x, size_t len)
{
    if (st->n++ > 0 && st->type == XVAL_LABEL)
        return; /* already labels: no key is needed */
    double key = 0;
    enum xval_type t = xval_classify(x, len, &key);
    if (st->n == 1) {
        st->type = t;
        st->increasing = true;
        st->first_key = key;
    } else if (t != st->type) {
        st->type = XVAL_LABEL;
    } else if (!(key > st->last_key)) {
        st->increasing = false;
    }
    st->last_key = key;
}

void ingest_xstate_join(struct ingest_xstate *a, const struct ingest_xstate *b)
{
    if (b->n == 0)
        return;
    if (a->n == 0) {
        *a = *b;
        return;
    }
    if (a->type != b->type)
        a->type = XVAL_LABEL;
    a->increasing = a->increasing && b->increasing && b->first_key > a->last_key;
    a->last_key = b->last_key;
    a->n += b->n;
}

int ingest_series_push(struct ingest_series *s, double y, double den, const struct ingest_row *row, struct purpose_err *err)
{
    if (s->n == s->cap && grow(s, err) < 0)
        return -1;
    if (s->n == 0)
        s->base = row->start;
    s->end = row->end;
    if (s->keep_offsets && offset_of(s, row->x_pos, &s->off[s->n], err) < 0)
        return -1;
    if (s->has_den)
        s->den[s->n] = den;
    s->y[s->n++] = y;
    ingest_xstate_add(&s->xs, row->x, row->x_len);
    return 0;
}

int ingest_series_append(struct ingest_series *s, const double *y, const double *den, size_t n,
                         const struct ingest_xstate *xs, size_t base, size_t end, struct purpose_err *err)
{
    while (s->cap - s->n < n)
        if (grow(s, err) < 0)
            return -1;
    if (s->n == 0)
        s->base = base;
    s->end = end;
    memcpy(s->y + s->n, y, n * sizeof *y);
    if (s->has_den && den)
        memcpy(s->den + s->n, den, n * sizeof *den);
    s->n += n;
    ingest_xstate_join(&s->xs, xs);
    return 0;
}

/* Only y is kept per point while reading (8 bytes). Where each x is, and its value, are found
 * again from the input when something needs them: output with x, sorting, labels, --rebase. */
static int ensure_offsets(struct ingest_series *s, const char *data, struct purpose_err *err)
{
    if (s->off)
        return 0;
    s->off = malloc((s->n ? s->n : 1) * sizeof *s->off);
    if (!s->off)
        return purpose_errf(err, "out of memory for a series of %zu points", s->n);
    struct csv_reader r;
    csv_reader_init(&r, "", data + s->base, s->end - s->base);
    r.pos = 0; /* never a byte order mark mid-file */
    size_t k = 0, released = 0;
    int rc = 0;
    while (rc == 0 && k < s->n && csv_next(&r, err) == 1) {
        const struct csv_field *f = &r.fields[s->x_col];
        rc = offset_of(s, (size_t)(f->p - data) - f->quoted, &s->off[k++], err);
        if (r.pos - released >= INGEST_RELEASE_EVERY) {
            ingest_release_range(data, s->base + released, s->base + r.pos);
            released = r.pos;
        }
    }
    csv_reader_release(&r);
    if (rc == 0 && k != s->n)
        rc = purpose_errf(err, "internal error: series re-read found %zu of %zu rows", k, s->n);
    return rc;
}

static int ensure_keys(struct ingest_series *s, const char *data, size_t len, struct purpose_err *err)
{
    if (s->key)
        return 0;
    if (ensure_offsets(s, data, err) < 0)
        return -1;
    s->key = malloc((s->n ? s->n : 1) * sizeof *s->key);
    if (!s->key)
        return purpose_errf(err, "out of memory for a series of %zu points", s->n);
    struct buf scratch;
    buf_init(&scratch, INGEST_FIELD_SCRATCH_MAX);
    for (size_t i = 0; i < s->n; i++) {
        size_t n;
        const char *x = ingest_series_x(s, data, len, i, &scratch, &n);
        if (xval_classify(x, n, &s->key[i]) != s->xs.type)
            s->key[i] = NAN;
    }
    buf_release(&scratch);
    return 0;
}

const char *ingest_series_x(const struct ingest_series *s, const char *data, size_t len, size_t i,
                         struct buf *scratch, size_t *out_len)
{
    struct csv_field f;
    csv_field_at(data, len, s->base + s->off[i], &f);
    return csv_field_text(&f, scratch, out_len);
}

static size_t line_of(const struct ingest_series *s, const char *data, size_t i)
{
    return csv_line_at(data, s->base + s->off[i]);
}

static int duplicate_error(const struct ingest_series *s, const char *data, size_t len, const char *file,
                           size_t first, size_t second, struct purpose_err *err)
{
    struct buf scratch;
    buf_init(&scratch, INGEST_FIELD_SCRATCH_MAX);
    size_t n;
    const char *x = ingest_series_x(s, data, len, second, &scratch, &n);
    size_t l1 = line_of(s, data, first), l2 = line_of(s, data, second);
    if (l1 > l2) {
        size_t t = l1;
        l1 = l2;
        l2 = t;
    }
    purpose_errf(err, "%s:%zu: x \"%.*s\" is already on line %zu%s%s%s", file, l2, (int)(n > 200 ? 200 : n), x, l1,
                 s->name ? " (series \"" : "", s->name ? s->name : "", s->name ? "\")" : "");
    buf_release(&scratch);
    return -1;
}

/* Labels keep input order; they only need to be unique, checked with a hash of their trimmed
 * text (" Mon" and "Mon" are the same label). */
static int check_labels_unique(const struct ingest_series *s, const char *data, size_t len, const char *file,
                               struct purpose_err *err)
{
    size_t slots = 16;
    while (slots < s->n * 2)
        slots *= 2;
    size_t *table = calloc(slots, sizeof *table); /* point index + 1; 0 is empty */
    if (!table)
        return purpose_errf(err, "out of memory checking %zu x labels", s->n);
    struct buf sa, sb;
    buf_init(&sa, INGEST_FIELD_SCRATCH_MAX);
    buf_init(&sb, INGEST_FIELD_SCRATCH_MAX);
    int rc = 0;
    for (size_t i = 0; i < s->n && rc == 0; i++) {
        size_t la;
        const char *a = ingest_series_x(s, data, len, i, &sa, &la);
        a = xval_trim(a, &la);
        uint64_t h = 1469598103934665603u; /* FNV-1a */
        for (size_t k = 0; k < la; k++)
            h = (h ^ (unsigned char)a[k]) * 1099511628211u;
        for (size_t slot = h & (slots - 1);; slot = (slot + 1) & (slots - 1)) {
            if (table[slot] == 0) {
                table[slot] = i + 1;
                break;
            }
            size_t lb;
            const char *b = ingest_series_x(s, data, len, table[slot] - 1, &sb, &lb);
            b = xval_trim(b, &lb);
            if (la == lb && memcmp(a, b, la) == 0) {
                rc = duplicate_error(s, data, len, file, table[slot] - 1, i, err);
                break;
            }
        }
    }
    buf_release(&sa);
    buf_release(&sb);
    free(table);
    return rc;
}

struct order { double key; size_t index; };

static int by_key(const void *pa, const void *pb)
{
    const struct order *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* Numbers and dates are charted in order of value. Input is usually in order already (checked
 * while reading); otherwise sort a permutation and apply it. */
static int sort_by_value(struct ingest_series *s, const char *data, size_t len, const char *file,
                         struct purpose_err *err)
{
    if (ensure_keys(s, data, len, err) < 0)
        return -1;
    struct order *o = malloc(s->n * sizeof *o);
    double *y = malloc(s->n * sizeof *y);
    double *den = s->has_den ? malloc(s->n * sizeof *den) : NULL;
    uint32_t *off = malloc(s->n * sizeof *off);
    int rc = 0;
    if (!o || !y || !off || (s->has_den && !den)) {
        rc = purpose_errf(err, "out of memory sorting %zu points", s->n);
        goto out;
    }
    for (size_t i = 0; i < s->n; i++)
        o[i] = (struct order){s->key[i], i};
    qsort(o, s->n, sizeof *o, by_key);
    for (size_t i = 1; i < s->n; i++) {
        if (o[i].key == o[i - 1].key) {
            rc = duplicate_error(s, data, len, file, o[i - 1].index, o[i].index, err);
            goto out;
        }
    }
    for (size_t i = 0; i < s->n; i++) {
        y[i] = s->y[o[i].index];
        if (den)
            den[i] = s->den[o[i].index];
        off[i] = s->off[o[i].index];
        s->key[i] = o[i].key;
    }
    free(s->y);
    free(s->off);
    s->y = y;
    s->off = off;
    if (den) {
        free(s->den);
        s->den = den;
        den = NULL;
    }
    s->cap = s->n; /* the new arrays hold n: a reused series must grow them before the next push */
    y = NULL;
    off = NULL;
out:
    free(o);
    free(y);
    free(den);
    free(off);
    return rc;
}

static bool find_x(const struct ingest_series *s, const char *data, size_t len, const char *want, size_t *at)
{
    size_t want_len = strlen(want);
    want = xval_trim(want, &want_len);
    if (s->xs.type == XVAL_LABEL) {
        struct buf scratch;
        buf_init(&scratch, INGEST_FIELD_SCRATCH_MAX);
        bool found = false;
        for (size_t i = 0; i < s->n && !found; i++) {
            size_t n;
            const char *x = ingest_series_x(s, data, len, i, &scratch, &n);
            x = xval_trim(x, &n);
            if (n == want_len && memcmp(x, want, n) == 0) {
                *at = i;
                found = true;
            }
        }
        buf_release(&scratch);
        return found;
    }
    double key;
    if (xval_classify(want, want_len, &key) != s->xs.type)
        return false;
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->key[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->n && s->key[lo] == key) {
        *at = lo;
        return true;
    }
    return false;
}

static int cmp_size(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return (a > b) - (a < b);
}

static int map_rebase(struct ingest_series *s, const char *data, size_t len, const struct ingest_spec *a,
                      struct purpose_err *err)
{
    if (a->n_rebase == 0)
        return 0;
    free(s->breaks);
    s->breaks = malloc(a->n_rebase * sizeof *s->breaks);
    if (!s->breaks)
        return purpose_errf(err, "out of memory");
    s->n_breaks = 0;
    for (size_t r = 0; r < a->n_rebase; r++) {
        size_t at;
        if (!find_x(s, data, len, a->rebase[r], &at))
            buf_printf(&s->warnings, "rebase at \"%s\": the series has no such x, so no group starts there\n",
                       a->rebase[r]);
        else if (at > 0) /* a rebase at the first point starts no group */
            s->breaks[s->n_breaks++] = at;
    }
    qsort(s->breaks, s->n_breaks, sizeof *s->breaks, cmp_size);
    size_t kept = 0;
    for (size_t i = 0; i < s->n_breaks; i++)
        if (kept == 0 || s->breaks[i] != s->breaks[kept - 1])
            s->breaks[kept++] = s->breaks[i];
    s->n_breaks = kept;
    return 0;
}

/* x falls back to labels (in file order) when any one value is not of the type the rest share
 * (cli.md). When most were dates or numbers, one mistyped value did it (2023-02-30): the rule
 * stands, but the warning names the line. */
static void warn_mixed_x(struct ingest_series *s, const char *data, size_t len, const char *col)
{
    size_t count[3] = {0};
    struct buf scratch;
    buf_init(&scratch, INGEST_FIELD_SCRATCH_MAX);
    for (size_t i = 0; i < s->n; i++) {
        size_t n;
        double key;
        const char *x = ingest_series_x(s, data, len, i, &scratch, &n);
        count[xval_classify(x, n, &key)]++;
    }
    enum xval_type most = count[XVAL_DATE] >= count[XVAL_NUMBER] ? XVAL_DATE : XVAL_NUMBER;
    for (size_t i = 0; count[most] * 2 > s->n && i < s->n; i++) {
        size_t n;
        double key;
        const char *x = ingest_series_x(s, data, len, i, &scratch, &n);
        if (xval_classify(x, n, &key) == most)
            continue;
        buf_printf(&s->warnings, "line %zu: column \"%s\": \"%.*s\" is not a %s, so x is charted as labels, in file order\n",
                   line_of(s, data, i), col, (int)(n > 60 ? 60 : n), x, most == XVAL_DATE ? "date" : "number");
        break;
    }
    buf_release(&scratch);
}

int ingest_series_finish(struct ingest_series *s, const char *data, size_t len, const char *file,
                         const struct ingest_spec *a, struct purpose_err *err)
{
    bool need_x = a->need_x || a->n_rebase > 0 || s->xs.type == XVAL_LABEL;
    if (need_x && ensure_offsets(s, data, err) < 0)
        return -1;
    bool need_keys = s->xs.type != XVAL_LABEL && (a->need_keys || a->n_rebase > 0);
    if (need_keys && ensure_keys(s, data, len, err) < 0)
        return -1;
    if (s->xs.type == XVAL_LABEL) {
        if (check_labels_unique(s, data, len, file, err) < 0)
            return -1;
        warn_mixed_x(s, data, len, a->x_col);
    } else if (!s->xs.increasing && sort_by_value(s, data, len, file, err) < 0) {
        return -1;
    }
    return map_rebase(s, data, len, a, err);
}
