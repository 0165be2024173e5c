/* Reading a CSV into series: columns by name, whether each series' rows are contiguous, and
 * the three ways of reading (contiguous series on one thread or a segment at a time on every
 * core, one large series on every core, interleaved series held whole). */
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_int.h"
#include "core/csv.h"
#include "core/strmap.h"
#include "core/banned.h"

#define THREADS_MIN_BYTES ((size_t)1 << 20) /* rows below this are read on one thread: cheaper */

/* Segments of contiguous --series input are read on every core. Two are held at once (one read
 * while the other is charted): with 2 MB each, their points take about 1.3 MB. Small segments
 * also keep the threads' work short at the start and end, where only one side runs. */
#define SEGMENT_BYTES ((size_t)2 << 20)


struct columns { size_t x, y, series, den; };

struct reader {
    struct ingest_input *in;
    const struct ingest_spec *spec;
    const struct ingest_handler *h;
    struct csv_reader csv;
    struct columns col;
    struct buf scratch;
    struct ingest_row_reader rows;
    bool unquoted; /* the rows hold no quote character and no lone CR: every line end ends a row */
    size_t n_series;
    struct purpose_err *err;
};

/* Finishes a series (x typed and ordered, rebase mapped) and hands it to the caller. */
static int deliver(struct reader *r, struct ingest_series *s, size_t done)
{
    if (ingest_series_finish(s, r->in->data, r->in->len, r->in->name, r->spec, r->err) < 0)
        return -1;
    r->n_series++;
    if (r->h->series(r->h->ctx, s, done, r->err) < 0)
        return -1;
    ingest_input_release(r->in, done); /* the rows of this series are done with */
    return 0;
}

static int find_column(const struct csv_reader *csv, const char *name, size_t *at, struct purpose_err *err)
{
    struct buf scratch;
    buf_init(&scratch, INGEST_FIELD_SCRATCH_MAX);
    struct buf found;
    buf_init(&found, 2048);
    size_t matches = 0;
    for (size_t i = 0; i < csv->n_fields && matches < 2; i++) {
        size_t n;
        const char *h = csv_field_text(&csv->fields[i], &scratch, &n);
        if (n == strlen(name) && memcmp(h, name, n) == 0) {
            if (matches++ == 0)
                *at = i;
            else /* which of the two was meant cannot be told */
                purpose_errf(err, "%s:%zu: column \"%s\" appears twice in the header (fields %zu and %zu)",
                             csv->name, csv->row_line, name, *at + 1, i + 1);
        }
        buf_printf(&found, "%s%.*s", i ? ", " : "", (int)(n > 60 ? 60 : n), h);
    }
    if (matches == 0)
        purpose_errf(err, "%s:%zu: no column \"%s\" in the header (it has: %s)", csv->name, csv->row_line, name,
                     found.data ? found.data : "");
    buf_release(&scratch);
    buf_release(&found);
    return matches == 1 ? 0 : -1;
}

/* With --series, one cheap pass tells whether each series' rows are contiguous (the usual
 * case: each is charted as soon as it ends) or interleaved (all are held until the end).
 * The pass sees each row's series name once; seen() records it and says whether the name was
 * already finished. */
struct contiguity {
    struct strmap seen;
    struct buf last; /* the current series' name */
    bool any;
};

/* Returns 1 when the name ends the contiguity (a finished series came back), 0, or -1. */
static int contiguity_see(struct contiguity *c, const char *name, size_t n)
{
    if (c->any && !c->last.failed && n == c->last.len && (n == 0 || memcmp(name, c->last.data, n) == 0))
        return 0; /* the same series as the row before: the usual case, no look-up needed */
    size_t before = c->seen.count;
    if (strmap_get(&c->seen, name, n, 1) == (size_t)-1)
        return -1;
    if (c->seen.count == before)
        return 1;
    c->any = true;
    buf_reset(&c->last);
    buf_append(&c->last, name, n); /* a copy: name may live in a scratch buffer */
    return 0;
}

/* A CR that is not part of a CRLF ends a row for the CSV reader, but not for scan_unquoted. */
static bool has_lone_cr(const char *p, const char *end)
{
    while ((p = memchr(p, '\r', (size_t)(end - p))) != NULL)
        if (++p == end || *p != '\n')
            return true;
    return false;
}

/* One thread's share of the contiguity pass over rows without quotes: the series name of each
 * run of rows, in order. */
struct name_scan {
    const char *p, *end;
    size_t col;
    struct name_run { const char *name; size_t len; } *runs;
    size_t n, cap;
    bool quoted; /* a quote or a lone CR: rows must be found by the CSV reader */
    bool failed; /* out of memory */
};

/* Without a quote character in the rows, every line is a row and every comma a separator:
 * find the series field with memchr instead of splitting whole rows. */
static void *scan_names(void *arg)
{
    struct name_scan *sc = arg;
    sc->quoted = memchr(sc->p, '"', (size_t)(sc->end - sc->p)) || has_lone_cr(sc->p, sc->end);
    for (const char *p = sc->p, *end = sc->end; p < end && !sc->quoted;) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        const char *f = p, *line_end = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
        for (size_t k = 0; k < sc->col && f; k++) {
            f = memchr(f, ',', (size_t)(line_end - f));
            f = f ? f + 1 : NULL;
        }
        if (f && line_end > p) { /* a short row or a blank line is the main reader's business */
            const char *fe = memchr(f, ',', (size_t)(line_end - f));
            size_t n = (size_t)((fe ? fe : line_end) - f);
            const struct name_run *last = sc->n ? &sc->runs[sc->n - 1] : NULL;
            if (!last || last->len != n || memcmp(last->name, f, n) != 0) {
                if (sc->n == sc->cap) {
                    size_t cap = sc->cap ? sc->cap * 2 : 256;
                    struct name_run *runs = realloc(sc->runs, cap * sizeof *runs);
                    if (!runs) {
                        sc->failed = true;
                        return NULL;
                    }
                    sc->runs = runs;
                    sc->cap = cap;
                }
                sc->runs[sc->n++] = (struct name_run){f, n};
            }
        }
        p = eol + 1;
    }
    return NULL;
}

/* The names are found on every core (which also maps the input's pages in on every core); only
 * the runs' names are then looked up, in order. Returns 2 when the rows hold a quote or a lone CR
 * (then nothing was seen), else as contiguity_see. */
static int scan_unquoted(struct contiguity *c, const char *data, size_t from, size_t to, size_t col)
{
    struct name_scan scans[INGEST_MAX_THREADS];
    size_t bounds[INGEST_MAX_THREADS + 1], n = to - from < THREADS_MIN_BYTES ? 1 : ingest_threads();
    ingest_split_rows(data, from, to, n, bounds);
    for (size_t k = 0; k < n; k++)
        scans[k] = (struct name_scan){.p = data + bounds[k], .end = data + bounds[k + 1], .col = col};
    ingest_run_threads(scans, sizeof *scans, n, scan_names);
    int rc = 0;
    for (size_t k = 0; k < n && rc == 0; k++)
        rc = scans[k].quoted ? 2 : 0;
    for (size_t k = 0; k < n; k++) {
        if (scans[k].failed && rc == 0)
            rc = -1;
        for (size_t i = 0; i < scans[k].n && rc == 0; i++)
            rc = contiguity_see(c, scans[k].runs[i].name, scans[k].runs[i].len);
        free(scans[k].runs);
    }
    return rc;
}

static int series_are_contiguous(struct reader *r, bool *contiguous)
{
    struct contiguity c = {.any = false};
    strmap_init(&c.seen);
    buf_init(&c.last, 1 << 20);
    /* 0: contiguous to the end, 1: a series came back, -1: out of memory */
    int rc = scan_unquoted(&c, r->in->data, r->csv.pos, r->in->len, r->col.series);
    bool bad_row = false;
    r->unquoted = rc != 2;
    if (!r->unquoted) {
        rc = 0;
        struct csv_reader scan;
        csv_reader_init(&scan, r->in->name, r->in->data, r->in->len);
        int step = csv_next(&scan, r->err); /* the header, read once already */
        while (rc == 0 && step == 1 && (step = csv_next(&scan, r->err)) == 1) {
            size_t n;
            const char *name = csv_field_text(&scan.fields[r->col.series], &r->scratch, &n);
            rc = contiguity_see(&c, name, n);
        }
        bad_row = step < 0; /* err names the row */
        csv_reader_release(&scan);
    }
    if (rc < 0)
        purpose_errf(r->err, "out of memory");
    *contiguous = rc != 1;
    buf_release(&c.last);
    strmap_release(&c.seen);
    return rc < 0 || bad_row ? -1 : 0;
}

/* The current row's series name; an empty one is an input error (cli.md). */
static const char *series_name_of(struct reader *r, size_t *n)
{
    const char *name = csv_field_text(&r->csv.fields[r->col.series], &r->scratch, n);
    if (*n == 0) {
        purpose_errf(r->err, "%s:%zu: column \"%s\": empty series name", r->in->name, r->csv.row_line,
                     r->spec->series_col);
        return NULL;
    }
    return name;
}

static int read_point(struct reader *r, struct ingest_series *s)
{
    double y, den;
    struct ingest_row row;
    if (ingest_read_row(&r->rows, &r->csv, &y, &den, &row) < 0)
        return -1;
    s->x_col = r->col.x;
    return ingest_series_push(s, y, den, &row, r->err);
}

static void release_series_list(struct ingest_series *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ingest_series_release(&list[i]);
    free(list);
}

/* Series that arrive interleaved are held whole, then charted in order of first appearance. */
static int read_interleaved(struct reader *r)
{
    struct strmap ids;
    strmap_init(&ids);
    struct ingest_series *list = NULL;
    size_t cap = 0;
    int rc;
    while ((rc = csv_next(&r->csv, r->err)) == 1) {
        size_t n;
        const char *name = series_name_of(r, &n);
        if (!name) {
            rc = -1;
            break;
        }
        size_t id = strmap_get(&ids, name, n, 1);
        if (id == (size_t)-1) {
            rc = purpose_errf(r->err, "out of memory");
            break;
        }
        if (id == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct ingest_series *l = realloc(list, ncap * sizeof *l);
            if (!l) {
                rc = purpose_errf(r->err, "out of memory");
                break;
            }
            list = l;
            for (size_t i = cap; i < ncap; i++) {
                ingest_series_init(&list[i]);
                list[i].keep_offsets = true;
                list[i].has_den = r->spec->den_col != NULL;
            }
            cap = ncap;
        }
        if (!list[id].name && !(list[id].name = strndup(name, n))) {
            rc = purpose_errf(r->err, "out of memory");
            break;
        }
        if ((rc = read_point(r, &list[id])) < 0)
            break;
    }
    for (size_t i = 0; rc == 0 && i < ids.count; i++)
        rc = deliver(r, &list[i], r->csv.row_offset);
    release_series_list(list, cap);
    strmap_release(&ids);
    return rc;
}

/* The end of the segment that starts at start: SEGMENT_BYTES on, at a line end. */
static size_t segment_end(const struct ingest_input *in, size_t start)
{
    if (in->len - start <= SEGMENT_BYTES)
        return in->len;
    const char *nl = memchr(in->data + start + SEGMENT_BYTES, '\n', in->len - start - SEGMENT_BYTES);
    return nl ? (size_t)(nl - in->data) + 1 : in->len;
}

/* Joins a segment's runs onto s and charts each series they complete; the last one may go on. */
static int chart_runs(struct reader *r, struct ingest_series *s, const struct ingest_segment *g)
{
    for (size_t k = 0; k < g->n_pieces; k++) {
        const struct ingest_piece *p = &g->pieces[k];
        for (size_t i = 0; i < p->n_runs; i++) {
            const struct ingest_run *run = &p->runs[i];
            if (!s->name || strlen(s->name) != run->name_len || memcmp(s->name, run->name, run->name_len) != 0) {
                /* Series are contiguous (checked before): a new name ends the series before. */
                if (s->n > 0 && deliver(r, s, s->end) < 0)
                    return -1;
                ingest_series_reset(s);
                if (!(s->name = strndup(run->name, run->name_len)))
                    return purpose_errf(r->err, "out of memory");
            }
            s->x_col = r->col.x;
            if (ingest_series_append(s, p->y + run->first, p->den ? p->den + run->first : NULL, run->n, &run->xs, run->base, run->end, r->err) < 0)
                return -1;
        }
    }
    return 0;
}

/* Reads and charts contiguous --series input a segment at a time: threads read the next segment
 * while this one charts the series of the one before. At a segment with a bad row it stops and
 * leaves r->csv at the segment's start: the usual reader goes on from there (s holds the series
 * read so far) and reports the error with its line. */
static int read_segments(struct reader *r, struct ingest_series *s)
{
    struct ingest_segment seg[2] = {0};
    struct ingest_segment *g = &seg[0], *next = &seg[1];
    size_t at = r->csv.pos, line = r->csv.line, fields = r->csv.expect_fields;
    int rc = 0;
    ingest_segment_start(g, &r->rows, fields, r->col.series, at, segment_end(r->in, at));
    while (ingest_segment_wait(g)) {
        bool last = g->end == r->in->len;
        if (!last)
            ingest_segment_start(next, &r->rows, fields, r->col.series, g->end, segment_end(r->in, g->end));
        rc = chart_runs(r, s, g);
        at = g->end;
        line += g->lines;
        struct ingest_segment *t = g;
        g = next;
        next = t;
        if (last || rc < 0) {
            if (!last)
                ingest_segment_wait(g);
            break;
        }
    }
    r->csv.pos = at;
    r->csv.line = line;
    ingest_segment_release(&seg[0]);
    ingest_segment_release(&seg[1]);
    return rc;
}

/* The usual case: each series is charted as soon as its last row is read. */
static int read_contiguous(struct reader *r)
{
    struct ingest_series s;
    ingest_series_init(&s);
    s.has_den = r->spec->den_col != NULL;
    int rc = r->spec->series_col ? 0 : ingest_read_parallel(&r->rows, &r->csv, r->csv.pos, r->spec->need_x, &s, r->err);
    if (rc != 0) {
        if (rc > 0)
            rc = deliver(r, &s, r->csv.row_offset);
        ingest_series_release(&s);
        return rc;
    }
    if (r->spec->series_col && r->unquoted && ingest_threads() > 1 && r->in->len - r->csv.pos >= THREADS_MIN_BYTES)
        rc = read_segments(r, &s);
    while (rc == 0 && (rc = csv_next(&r->csv, r->err)) == 1) {
        if (r->spec->series_col) {
            size_t n;
            const char *name = series_name_of(r, &n);
            if (!name) {
                rc = -1;
                break;
            }
            if (!s.name || strlen(s.name) != n || memcmp(s.name, name, n) != 0) {
                if (s.n > 0 && (rc = deliver(r, &s, r->csv.row_offset)) < 0)
                    break;
                ingest_series_reset(&s);
                if (!(s.name = strndup(name, n))) {
                    rc = purpose_errf(r->err, "out of memory");
                    break;
                }
            }
        }
        if ((rc = read_point(r, &s)) < 0)
            break;
        if ((s.n & 0xffff) == 0)
            ingest_input_release(r->in, r->csv.row_offset);
    }
    if (rc == 0 && s.n > 0)
        rc = deliver(r, &s, r->csv.row_offset);
    ingest_series_release(&s);
    return rc;
}

static int read_all(struct reader *r)
{
    struct ingest_input *in = r->in;
    const struct ingest_spec *spec = r->spec;
    csv_reader_init(&r->csv, in->name, in->data, in->len);
    int rc = csv_next(&r->csv, r->err);
    if (rc <= 0)
        return rc < 0 ? -1 : purpose_errf(r->err, "%s: empty file: no header row", in->name);
    if (find_column(&r->csv, spec->x_col, &r->col.x, r->err) < 0 ||
        find_column(&r->csv, spec->y_col, &r->col.y, r->err) < 0 ||
        (spec->series_col && find_column(&r->csv, spec->series_col, &r->col.series, r->err) < 0))
        return -1;
    r->col.den = SIZE_MAX;
    if (spec->den_col && find_column(&r->csv, spec->den_col, &r->col.den, r->err) < 0)
        return -1;
    r->rows = (struct ingest_row_reader){.file = in->name, .data = in->data, .x_col = r->col.x, .y_col = r->col.y,
                                         .den_col = r->col.den, .x_name = spec->x_col, .y_name = spec->y_col,
                                         .den_name = spec->den_col, .chart = spec->chart, .err = r->err};
    buf_init(&r->rows.scratch, INGEST_FIELD_SCRATCH_MAX);
    bool contiguous = true;
    if (spec->series_col && series_are_contiguous(r, &contiguous) < 0)
        return -1;
    if (r->h->begin && r->h->begin(r->h->ctx, r->err) < 0)
        return -1;
    if ((contiguous ? read_contiguous(r) : read_interleaved(r)) < 0)
        return -1;
    if (r->n_series == 0)
        return purpose_errf(r->err, "%s: no data rows after the header", in->name);
    return 0;
}

int ingest_read(struct ingest_input *in, const struct ingest_spec *spec, const struct ingest_handler *h,
                struct purpose_err *err)
{
    struct reader r = {.in = in, .spec = spec, .h = h, .err = err};
    buf_init(&r.scratch, INGEST_FIELD_SCRATCH_MAX);
    buf_init(&r.rows.scratch, INGEST_FIELD_SCRATCH_MAX);
    int rc = read_all(&r);
    buf_release(&r.scratch);
    buf_release(&r.rows.scratch);
    csv_reader_release(&r.csv);
    return rc;
}
