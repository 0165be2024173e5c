/* One site-day of a handover import: the rows not stored before are added to the day's aggregate
 * (src/handover's), its identities and, for a coded site, its records, and the day is written back
 * (contract in handovers_int.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/handovers_int.h"
#include "core/banned.h"

/* Decimal text of v into out[24] (COPY takes text). */
static const char *i64_text(int64_t v, char out[24])
{
    char tmp[24];
    size_t n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    size_t o = 0;
    if (v < 0)
        out[o++] = '-';
    while (n)
        out[o++] = tmp[--n];
    out[o] = '\0';
    return out;
}

/* Appends out's own bytes [at, at + n) as PostgreSQL's bytea text, \x and hex, and a NUL (by
 * offset: appending may move out->data). */
static void hex_text(struct buf *out, size_t at, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    buf_puts(out, "\\x");
    for (size_t i = 0; i < n && !out->failed; i++) {
        unsigned char ch = (unsigned char)out->data[at + i];
        char two[2] = {hex[ch >> 4], hex[ch & 15]};
        buf_append(out, two, 2);
    }
    buf_putc(out, '\0');
}

static void put_le64(struct buf *b, uint64_t v)
{
    unsigned char x[8];
    for (int i = 0; i < 8; i++)
        x[i] = (unsigned char)(v >> (8 * i));
    buf_append(b, x, 8);
}

static bool stored_has(const unsigned char *keys, size_t n, uint64_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t v = store_ho_le64_at(keys + 8 * mid);
        if (v == key)
            return true;
        if (v < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Writes one site-day: SQLite by an upsert; PostgreSQL as a COPY row (hex text). */
int store_ho_write_day(struct store_ho_import *im, struct db_bulk *bulk, int64_t site_id, int32_t day, size_t blob_at,
                       size_t keys_at, size_t rows_at, size_t end, struct purpose_err *err)
{
    if (im->out.failed)
        return store_oom(err);
    if (bulk) {
        size_t a = im->out.len;
        hex_text(&im->out, blob_at, keys_at - blob_at);
        size_t b = im->out.len;
        hex_text(&im->out, keys_at, rows_at - keys_at);
        size_t c = im->out.len;
        hex_text(&im->out, rows_at, end - rows_at);
        if (im->out.failed)
            return store_oom(err);
        char x[24], y[24];
        const char *vals[] = {i64_text(site_id, x), i64_text(day, y), im->out.data + a, im->out.data + b,
                              im->out.data + c};
        return db_bulk_row(bulk, vals, err);
    }
    /* The blob and the identities apart: a report reads the blobs only. */
    static const char *const sql[] = {
        "INSERT INTO ho_days(site_id, day, blob) VALUES(?,?,?) ON CONFLICT(site_id, day) DO UPDATE SET blob = excluded.blob",
        "INSERT INTO ho_keys(site_id, day, keys, rows) VALUES(?,?,?,?) ON CONFLICT(site_id, day)"
        " DO UPDATE SET keys = excluded.keys, rows = excluded.rows",
    };
    const size_t at[] = {blob_at, keys_at}, to[] = {keys_at, rows_at};
    for (int i = 0; i < 2; i++) {
        struct db_stmt *st;
        if (db_prepare(im->c, sql[i], &st, err) < 0)
            return -1;
        if (db_bind_i64(st, 1, site_id) < 0 || db_bind_i64(st, 2, day) < 0 ||
            db_bind_blob(st, 3, im->out.data + at[i], to[i] - at[i]) < 0 ||
            (i == 1 && db_bind_blob(st, 4, im->out.data + rows_at, end - rows_at) < 0)) {
            db_reset(st);
            return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "database: cannot bind a value");
        }
        if (db_step(st, err) < 0)
            return -1;
        db_reset(st);
    }
    return 0;
}

/* The records of the stored identities keys[0..nk), rebuilt from this import's rows p[0..n) (both
 * sorted by identity) into out: false unless every stored row is among them (a file imported
 * again after its site was given a code). */
static bool backfill(const struct pending *p, size_t n, const unsigned char *keys, size_t nk, uint8_t *out)
{
    size_t b = 0;
    for (size_t a = 0; a < nk; a++) {
        uint64_t ka = store_ho_le64_at(keys + 8 * a);
        while (b < n && p[b].key < ka)
            b++;
        if (b == n || p[b].key != ka)
            return false;
        struct ho_row r = {.arrival = p[b].arrival, .handover = p[b].handover, .clear = p[b].clear};
        ho_rec_pack(out + HO_REC_BYTES * a, p[b].day, &r, p[b].ref);
    }
    return true;
}

/* The rows p[0..n) of one site-day (sorted by identity, then order in the file) against what is
 * stored for it (blob, keys and rows NULL: nothing). Appends the day's new blob, identities and
 * records to im->out and reports their offsets; *changed is false when nothing needs writing.
 * Records (one per identity, in the same order) are kept for a site with a code, so that a
 * programme can match two partners' records of one handover; a site without one keeps none and
 * imports as fast as before. A coded site's day stored without records gains them when all its
 * rows are imported again. */
int store_ho_merge_day(struct store_ho_import *im, const struct pending *p, size_t n, const void *blob, size_t blob_len,
                       const unsigned char *keys, size_t keys_len, const unsigned char *rows, size_t rows_len,
                       bool *changed, size_t *blob_at, size_t *keys_at, size_t *rows_at, struct purpose_err *err)
{
    *changed = false;
    if (keys_len % 8 != 0)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "handovers: the stored identities of a day are damaged");
    size_t nk = keys_len / 8;
    bool coded = im->sites[p[0].site].code[0] != '\0';
    bool detail = nk > 0 && rows_len == nk * HO_REC_BYTES;
    uint8_t *rebuilt = NULL;
    if (coded && nk > 0 && !detail) {
        if (!(rebuilt = malloc(nk * HO_REC_BYTES)))
            return store_oom(err);
        if (backfill(p, n, keys, nk, rebuilt)) {
            rows = rebuilt;
            detail = true;
            *changed = true; /* the records are new even if every row was seen before */
        }
    }
    bool keep = detail || (coded && nk == 0);
    if (n > im->cap_fresh) {
        uint64_t *f = realloc(im->fresh, n * sizeof *f);
        uint8_t *fr = f ? realloc(im->fresh_rec, n * HO_REC_BYTES) : NULL;
        if (f)
            im->fresh = f;
        if (!fr) {
            free(rebuilt);
            return store_oom(err);
        }
        im->fresh_rec = fr;
        im->cap_fresh = n;
    }
    struct ho_day d;
    ho_day_init(&d, p[0].day);
    if (blob && ho_day_deserialise(&d, blob, blob_len, err) < 0) {
        free(rebuilt);
        return -1;
    }
    size_t nf = 0;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if ((i > 0 && p[i].key == p[i - 1].key) || (nk && stored_has(keys, nk, p[i].key)))
            continue; /* seen before: in this import or an earlier one */
        struct ho_row r = {.arrival = p[i].arrival, .handover = p[i].handover, .clear = p[i].clear};
        rc = ho_day_add(&d, &r, err);
        if (keep)
            ho_rec_pack(im->fresh_rec + nf * HO_REC_BYTES, p[i].day, &r, p[i].ref);
        im->fresh[nf++] = p[i].key;
    }
    if (rc == 0 && (nf > 0 || *changed)) {
        *changed = true;
        im->sum.stored += nf;
        *blob_at = im->out.len;
        if (ho_day_serialise(&d, &im->out) < 0)
            rc = store_oom(err);
        *keys_at = im->out.len;
        size_t a = 0, b = 0; /* merge two sorted lists */
        while (rc == 0 && (a < nk || b < nf)) {
            uint64_t ka = a < nk ? store_ho_le64_at(keys + 8 * a) : UINT64_MAX;
            if (b >= nf || (a < nk && ka < im->fresh[b]))
                put_le64(&im->out, ka), a++;
            else
                put_le64(&im->out, im->fresh[b++]);
        }
        *rows_at = im->out.len;
        a = 0, b = 0; /* the records in the same order */
        while (rc == 0 && keep && (a < nk || b < nf)) {
            uint64_t ka = a < nk ? store_ho_le64_at(keys + 8 * a) : UINT64_MAX;
            if (b >= nf || (a < nk && ka < im->fresh[b]))
                buf_append(&im->out, rows + HO_REC_BYTES * a++, HO_REC_BYTES);
            else
                buf_append(&im->out, im->fresh_rec + HO_REC_BYTES * b++, HO_REC_BYTES);
        }
        if (im->out.failed)
            rc = store_oom(err);
    }
    ho_day_release(&d);
    free(rebuilt);
    return rc;
}
