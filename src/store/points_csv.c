/* Uploads of points as CSV (points_csv.c): parsing rows of "date,value[,denominator]" (contract in
 * measures.h), then the same check and write as every other way points enter (points.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/num.h"
#include "core/xval.h"
#include "store/points_int.h"
#include "store/store_int.h"
#include "core/banned.h"

/* Days from 1970-01-01 to a civil date, inverted (H. Hinnant's civil_from_days). */
static void day_text(long days, char out[11])
{
    long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    char t[80];
    snprintf(t, sizeof t, "%04ld-%02ld-%02ld", y < 0 ? 0 : y > 9999 ? 9999 : y, m, d);
    memcpy(out, t, 10);
    out[10] = '\0';
}

int store_day_parse(const char *t, size_t n, char out[11])
{
    double key;
    if (xval_classify(t, n, &key) != XVAL_DATE)
        return -1;
    day_text((long)floor(key / 86400.0), out);
    return 0;
}

/* One CSV row into p: date (ISO, UK or a date-time) and value. */
static int csv_point(const struct csv_reader *r, struct buf *scratch, struct store_point *p, struct purpose_err *err)
{
    size_t dn, vn;
    const char *d = csv_field_text(&r->fields[0], scratch, &dn);
    d = xval_trim(d, &dn);
    char shown[44];
    snprintf(shown, sizeof shown, "%.*s", (int)(dn > 40 ? 40 : dn), d);
    if (store_day_parse(d, dn, p->day) < 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "date", "row %zu: date: \"%s\" is not a date", r->row_line, shown);
    const char *v = csv_field_text(&r->fields[1], scratch, &vn);
    v = xval_trim(v, &vn);
    snprintf(shown, sizeof shown, "%.*s", (int)(vn > 40 ? 40 : vn), v);
    if (vn == 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "value", "row %zu: value: is empty", r->row_line);
    if (num_parse(v, vn, &p->value) != NUM_OK)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "value", "row %zu: value: \"%s\" is not a number", r->row_line,
                            shown);
    p->has_den = false;
    p->den = 0;
    if (r->n_fields < 3)
        return 0;
    v = csv_field_text(&r->fields[2], scratch, &vn);
    v = xval_trim(v, &vn);
    snprintf(shown, sizeof shown, "%.*s", (int)(vn > 40 ? 40 : vn), v);
    if (vn == 0) /* an empty third column: no denominator */
        return 0;
    if (num_parse(v, vn, &p->den) != NUM_OK)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "denominator", "row %zu: denominator: \"%s\" is not a number",
                            r->row_line, shown);
    p->has_den = true;
    return 0;
}

/* A header names the columns (two or three): each starts with a letter (or a non-ASCII character) and is
 * neither a date nor a number, so a first row with a mistyped date or value is never taken for one. */
static bool csv_header(const struct csv_reader *r, struct buf *scratch)
{
    for (size_t k = 0; k < r->n_fields && k < 3; k++) {
        size_t n;
        const char *t = csv_field_text(&r->fields[k], scratch, &n);
        t = xval_trim(t, &n);
        unsigned char c0 = n ? (unsigned char)t[0] : 0;
        bool letter = (c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') || c0 >= 0x80;
        double key, v;
        if (!letter || xval_classify(t, n, &key) != XVAL_LABEL || num_parse(t, n, &v) != NUM_NOT_A_NUMBER)
            return false;
    }
    return true;
}

/* The reader's "upload:LINE: what" as the store's "row LINE: what", into err (copied first: a
 * message is never formatted into its own buffer). */
static int csv_refused(const struct purpose_err *why, struct purpose_err *err)
{
    static const char name[] = "upload:";
    const char *m = why->msg;
    if (strncmp(m, name, sizeof name - 1) == 0)
        m += sizeof name - 1;
    return purpose_errk(err, PURPOSE_ERR_INPUT, "file", "row %s", m);
}

/* The current row's text, without its line end. */
static size_t row_text(const struct csv_reader *r, const char *csv)
{
    size_t n = r->pos - r->row_offset;
    while (n && (csv[r->row_offset + n - 1] == '\n' || csv[r->row_offset + n - 1] == '\r'))
        n--;
    return n;
}

/* Room for twice as many rows (64 at first) in the four arrays of an upload: each is kept as it
 * was when the next cannot grow. */
static int rows_grow(struct store_point **p, size_t **rows, size_t **offs, size_t **lens, size_t *cap,
                     struct purpose_err *err)
{
    size_t c = *cap ? *cap * 2 : 64;
    struct store_point *np = realloc(*p, c * sizeof **p);
    if (np)
        *p = np;
    size_t *nr = np ? realloc(*rows, c * sizeof **rows) : NULL;
    if (nr)
        *rows = nr;
    size_t *no = nr ? realloc(*offs, c * sizeof **offs) : NULL;
    if (no)
        *offs = no;
    size_t *nl = no ? realloc(*lens, c * sizeof **lens) : NULL;
    if (!nl)
        return store_oom(err);
    *lens = nl;
    *cap = c;
    return 0;
}

int store_points_csv_each(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t measure_id,
                          const char *csv, size_t len, size_t *n, store_points_bad_fn on_bad, void *ctx,
                          size_t *n_bad, struct purpose_err *err)
{
    struct csv_reader r;
    struct buf scratch;
    csv_reader_init(&r, "upload", csv, len);
    buf_init(&scratch, 1 << 16);
    struct store_point *p = NULL;
    size_t *rows = NULL, *offs = NULL, *lens = NULL, np = 0, cap = 0;
    struct store_bad_sink sink = {.fn = on_bad, .ctx = ctx, .csv = csv};
    int rc = 0, got;
    bool first = true;
    struct purpose_err why = {0};
    while (rc == 0 && (got = csv_next(&r, &why)) != 0) {
        if (got < 0) {
            rc = csv_refused(&why, err);
            /* A row with another count of columns than the first is read past: go on; else stop. */
            bool ragged = r.expect_fields && r.n_fields != r.expect_fields;
            if (ragged && store_bad_row(&sink, r.row_line, csv + r.row_offset, row_text(&r, csv), err) == 0) {
                rc = 0;
                first = false;
                continue;
            }
            store_bad_row(&sink, r.row_line, NULL, 0, err);
            break;
        }
        if (r.n_fields < 2 || r.n_fields > 3) {
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, "file",
                              "row %zu: expected two or three columns: date, value and a denominator if any",
                              r.row_line);
            rc = store_bad_row(&sink, r.row_line, csv + r.row_offset, row_text(&r, csv), err);
            first = false;
            continue;
        }
        if (np == cap && (rc = rows_grow(&p, &rows, &offs, &lens, &cap, err)) < 0)
            break;
        if (np >= STORE_POINTS_MAX) {
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, "file", "file: at most %d rows at a time", STORE_POINTS_MAX);
            break;
        }
        rc = csv_point(&r, &scratch, &p[np], err);
        if (rc < 0 && first && csv_header(&r, &scratch)) {
            rc = 0;
            first = false;
            continue;
        }
        first = false;
        rows[np] = r.row_line;
        offs[np] = r.row_offset;
        lens[np] = row_text(&r, csv);
        if (rc < 0)
            rc = store_bad_row(&sink, rows[np], csv + offs[np], lens[np], err);
        else
            np++;
    }
    sink.off = offs;
    sink.len = lens;
    /* With on_bad, the good rows are checked too (their dates, twice given days, the measure's
     * type), so that every bad row is told; points_write then writes nothing. */
    struct store_bad_sink *sk = on_bad ? &sink : NULL;
    bool read = rc == 0 && (sk || !sink.n);
    if (read && (np || !sink.n))
        rc = store_points_check(p, np, rows, sk, err);
    if (read && np && (rc == 0 || sink.n))
        rc = store_points_write(s, by, sc, measure_id, p, np, rows, "upload", sk, err);
    rc = store_bad_end(&sink, rc, err);
    if (rc == 0 && n)
        *n = np;
    if (n_bad)
        *n_bad = sink.n;
    free(p);
    free(rows);
    free(offs);
    free(lens);
    buf_release(&scratch);
    csv_reader_release(&r);
    return rc;
}

int store_points_csv(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t measure_id,
                     const char *csv, size_t len, size_t *n, struct purpose_err *err)
{
    return store_points_csv_each(s, by, sc, measure_id, csv, len, n, NULL, NULL, NULL, err);
}
