/* Ambulance handovers in the store: sites, and per site and local day the aggregate blob and the
 * identities of its rows (contract in handovers.h; the aggregates are src/handover's).
 *
 * Import keeps no per-row state in the database: rows are held in memory (48 bytes each, up to
 * FLUSH_ROWS), then sorted by site, day and identity; each site-day's stored blob and identities
 * are read, the rows not seen before are added, and the day is written back, through the bulk path
 * on PostgreSQL (COPY into a temporary table, then one upsert). Memory is bounded by FLUSH_ROWS
 * whatever the size of the file; the database work is per site-day, not per row. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_int.h"
#include "core/strmap.h"
#include "core/utf8.h"
#include "core/banned.h"

#define SITE_NAME_MAX 200
#define FLUSH_ROWS ((size_t)1 << 20)

struct ho_site {
    int64_t id;
    char code[HO_SITE_CODE_MAX + 1]; /* "" until a row or the stored site gives one */
};

/* A good row waiting for the next flush. */
struct pending {
    uint32_t site;  /* index into sites */
    int32_t day;    /* local date of arrival */
    uint64_t key;   /* identity: 64 bits of ho_row_key */
    uint32_t seq;   /* order of arrival in the file: the first of equal rows wins */
    uint32_t ref;   /* ho_ref_hash of the ref, for matching a partner's record of the row */
    int64_t arrival, handover, clear;
};

struct store_ho_import {
    struct store *s;
    struct db_conn *c;
    struct store_actor by;
    char *by_name;
    int64_t org_id;
    char *source;
    uint8_t key[16];
    bool pg;
    struct strmap names; /* site name -> index into sites */
    struct ho_site *sites;
    size_t n_sites, cap_sites;
    struct pending *rows;
    size_t n_rows, cap_rows;
    uint64_t *fresh;     /* scratch: the new identities of one site-day */
    uint8_t *fresh_rec;  /* and their records (HO_REC_BYTES each) */
    size_t cap_fresh;
    struct buf out;      /* a site's new blobs and identities, and their text for COPY */
    struct buf scratch;  /* a stored blob */
    struct buf scratch2; /* its stored identities */
    struct store_ho_summary sum;
};

static const char *const days_cols[] = {"site_id", "day", "blob", "keys", "rows"};

/* ---- import ---- */

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

static uint64_t le64_at(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
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
        uint64_t v = le64_at(keys + 8 * mid);
        if (v == key)
            return true;
        if (v < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static int cmp_pending(const void *pa, const void *pb)
{
    const struct pending *a = pa, *b = pb;
    if (a->site != b->site)
        return a->site < b->site ? -1 : 1;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Writes one site-day: SQLite by an upsert; PostgreSQL as a COPY row (hex text). */
static int write_day(struct store_ho_import *im, struct db_bulk *bulk, int64_t site_id, int32_t day, size_t blob_at,
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
        uint64_t ka = le64_at(keys + 8 * a);
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
static int merge_day(struct store_ho_import *im, const struct pending *p, size_t n, const void *blob, size_t blob_len,
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
            uint64_t ka = a < nk ? le64_at(keys + 8 * a) : UINT64_MAX;
            if (b >= nf || (a < nk && ka < im->fresh[b]))
                put_le64(&im->out, ka), a++;
            else
                put_le64(&im->out, im->fresh[b++]);
        }
        *rows_at = im->out.len;
        a = 0, b = 0; /* the records in the same order */
        while (rc == 0 && keep && (a < nk || b < nf)) {
            uint64_t ka = a < nk ? le64_at(keys + 8 * a) : UINT64_MAX;
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

/* The rows p[0..n) of one site (sorted): reads its stored days over their range, merges, writes. */
static int flush_site(struct store_ho_import *im, const struct pending *p, size_t n, struct purpose_err *err)
{
    int64_t site_id = im->sites[p[0].site].id;
    struct db_stmt *st;
    if (db_query(im->c, &st, err,
                 "SELECT d.day, d.blob, k.keys, k.rows FROM ho_days d JOIN ho_keys k ON k.site_id = d.site_id AND k.day = d.day"
                 " WHERE d.site_id = ? AND d.day >= ? AND d.day <= ? ORDER BY d.day", "inn",
                 site_id, p[0].day, p[n - 1].day) < 0)
        return -1;
    db_stream(st);
    /* Every day's result goes to im->out first (no other statement while this one streams). */
    struct done { int32_t day; size_t blob_at, keys_at, rows_at, end; } *done = NULL;
    size_t n_done = 0, i = 0;
    buf_reset(&im->out);
    int r = 0, rc = 0;
    for (;;) {
        int32_t stored_day = INT32_MAX;
        const void *blob = NULL, *keys = NULL, *rows = NULL;
        size_t blob_len = 0, keys_len = 0, rows_len = 0;
        if (r >= 0 && (r = db_step(st, err)) == 1) {
            stored_day = (int32_t)db_col_i64(st, 0);
            /* copies: the PostgreSQL driver decodes one bytea column at a time */
            const void *b = db_col_blob(st, 1, &blob_len);
            buf_reset(&im->scratch);
            buf_append(&im->scratch, b ? b : "", blob_len);
            const void *k = db_col_blob(st, 2, &keys_len);
            buf_reset(&im->scratch2);
            buf_append(&im->scratch2, k ? k : "", keys_len);
            if (im->scratch.failed || im->scratch2.failed) {
                rc = store_oom(err);
                break;
            }
            blob = im->scratch.data;
            keys = im->scratch2.data;
            rows = db_col_null(st, 3) ? NULL : db_col_blob(st, 3, &rows_len);
        }
        if (r < 0) {
            rc = -1;
            break;
        }
        while (rc == 0 && i < n && p[i].day <= stored_day) {
            size_t j = i;
            while (j < n && p[j].day == p[i].day)
                j++;
            bool mine = p[i].day == stored_day, changed;
            size_t blob_at = 0, keys_at = 0, rows_at = 0;
            rc = merge_day(im, p + i, j - i, mine ? blob : NULL, mine ? blob_len : 0, mine ? keys : NULL,
                           mine ? keys_len : 0, mine ? rows : NULL, mine ? rows_len : 0, &changed, &blob_at,
                           &keys_at, &rows_at, err);
            if (rc == 0 && changed) {
                if (n_done % 256 == 0) {
                    void *g = realloc(done, (n_done + 256) * sizeof *done);
                    if (!g) {
                        rc = store_oom(err);
                        break;
                    }
                    done = g;
                }
                done[n_done++] = (struct done){p[i].day, blob_at, keys_at, rows_at, im->out.len};
            }
            i = j;
        }
        if (rc < 0 || r == 0)
            break;
    }
    db_reset(st);
    struct db_bulk *bulk = NULL;
    if (rc == 0 && im->pg && n_done)
        rc = db_bulk_begin(im->c, "ho_days_new", days_cols, 5, &bulk, err);
    for (size_t k = 0; k < n_done && rc == 0; k++)
        rc = write_day(im, bulk, site_id, done[k].day, done[k].blob_at, done[k].keys_at, done[k].rows_at, done[k].end,
                       err);
    if (bulk) {
        struct purpose_err ignored = {0};
        if (db_bulk_end(bulk, rc == 0, rc == 0 ? err : &ignored) < 0)
            rc = -1;
    }
    free(done);
    return rc;
}

/* Merges the waiting rows into the stored days and empties the list. */
static int flush(struct store_ho_import *im, struct purpose_err *err)
{
    if (im->n_rows == 0)
        return 0;
    qsort(im->rows, im->n_rows, sizeof *im->rows, cmp_pending);
    int rc = 0;
    for (size_t i = 0; i < im->n_rows && rc == 0;) {
        size_t j = i;
        while (j < im->n_rows && im->rows[j].site == im->rows[i].site)
            j++;
        rc = flush_site(im, im->rows + i, j - i, err);
        i = j;
    }
    if (rc == 0 && im->pg)
        rc = db_exec(im->c,
                     "INSERT INTO ho_days(site_id, day, blob) SELECT site_id, day, blob FROM ho_days_new"
                     " ON CONFLICT(site_id, day) DO UPDATE SET blob = excluded.blob;"
                     "INSERT INTO ho_keys(site_id, day, keys, rows) SELECT site_id, day, keys, rows FROM ho_days_new"
                     " ON CONFLICT(site_id, day) DO UPDATE SET keys = excluded.keys, rows = excluded.rows;"
                     "TRUNCATE ho_days_new",
                     err);
    im->n_rows = 0;
    buf_reset(&im->out);
    return rc;
}

/* A site's name passes the one text rule (core/utf8.h) as one line of 1 to SITE_NAME_MAX bytes;
 * else an input error naming the file's line and the column. */
static int site_name_check(const struct store_ho_import *im, const struct ho_row *row, struct purpose_err *err)
{
    size_t at = 0;
    enum utf8_fault f = row->site_len ? utf8_text_check(row->site, row->site_len, SITE_NAME_MAX, false, &at)
                                      : UTF8_TOO_LONG;
    if (f == UTF8_OK)
        return 0;
    if (f == UTF8_TOO_LONG)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "site", "%s:%zu: column \"site\": must be 1 to %d characters",
                            im->source, row->line, SITE_NAME_MAX);
    return purpose_errk(err, PURPOSE_ERR_INPUT, "site", "%s:%zu: column \"site\": %s (byte %zu of the name)",
                        im->source, row->line,
                        f == UTF8_MALFORMED ? "is not valid UTF-8 text" : "contains a control character", at + 1);
}

/* The index of the row's site, made (in the database too) on first sight. */
static int site_index(struct store_ho_import *im, const struct ho_row *row, size_t *idx, struct purpose_err *err)
{
    size_t v = strmap_get(&im->names, row->site, row->site_len, 0);
    if (v != (size_t)-1) {
        *idx = v;
        return 0;
    }
    if (site_name_check(im, row, err) < 0)
        return -1;
    char name[SITE_NAME_MAX + 1];
    memcpy(name, row->site, row->site_len);
    name[row->site_len] = '\0';
    if (im->n_sites == im->cap_sites) {
        size_t cap = im->cap_sites ? im->cap_sites * 2 : 16;
        struct ho_site *p = realloc(im->sites, cap * sizeof *p);
        if (!p)
            return store_oom(err);
        im->sites = p;
        im->cap_sites = cap;
    }
    int64_t id = 0;
    if (db_run_i64(im->c, &id, err,
                   "INSERT INTO ho_sites(org_id, name, created_at) VALUES(?,?,?)"
                   " ON CONFLICT(org_id, name) DO NOTHING RETURNING id",
                   "iti", im->org_id, name, (int64_t)time(NULL)) < 0)
        return -1;
    char code[HO_SITE_CODE_MAX + 1] = "";
    if (id) {
        im->sum.sites_new++;
    } else {
        struct db_stmt *st = NULL;
        if (db_query(im->c, &st, err, "SELECT id, COALESCE(code, '') FROM ho_sites WHERE org_id = ? AND name = ?",
                     "it", im->org_id, name) < 0)
            return -1;
        int r = db_step(st, err);
        if (r == 1) {
            id = db_col_i64(st, 0);
            const char *t = db_col_text(st, 1);
            snprintf(code, sizeof code, "%s", t ? t : "");
        }
        db_reset(st);
        if (r != 1)
            return r < 0 ? -1 : store_not_found(err, "site");
    }
    v = strmap_get(&im->names, row->site, row->site_len, 1);
    if (v == (size_t)-1)
        return store_oom(err);
    im->sites[v].id = id;
    memcpy(im->sites[v].code, code, sizeof code);
    im->n_sites++;
    *idx = v;
    return 0;
}

/* A row's site code: the site takes it if it has none (stored at once, in the import's
 * transaction); a code other than the site's is refused naming the line. */
static int site_code_take(struct store_ho_import *im, const struct ho_row *row, struct ho_site *site,
                          struct purpose_err *err)
{
    size_t n = row->site_code_len;
    if (site->code[0] == '\0') {
        memcpy(site->code, row->site_code, n);
        site->code[n] = '\0';
        return db_run(im->c, err, "UPDATE ho_sites SET code = ? WHERE id = ?", "ti", site->code, site->id);
    }
    if (strlen(site->code) == n && memcmp(site->code, row->site_code, n) == 0)
        return 0;
    return purpose_errk(err, PURPOSE_ERR_INPUT, "site_code",
                        "%s:%zu: column \"site_code\": \"%.*s\" is not the code of site \"%.*s\", which is \"%s\"",
                        im->source, row->line, (int)n, row->site_code, (int)(row->site_len > 80 ? 80 : row->site_len),
                        row->site, site->code);
}

/* A copy of a file's name for messages and the audit entry (JSON): a byte that is not part of
 * well-formed UTF-8, or is a control character, becomes '?' (a Linux path may hold any bytes). */
static char *text_copy(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq_len((const unsigned char *)s + i, n - i);
        bool ok = k > 1 || (k == 1 && (unsigned char)s[i] >= 0x20 && s[i] != 0x7f);
        if (!ok)
            k = 1;
        for (size_t j = 0; j < k; j++)
            out[i + j] = ok ? s[i + j] : '?';
        i += k;
    }
    out[n] = '\0';
    return out;
}

static void import_free(struct store_ho_import *im)
{
    strmap_release(&im->names);
    free(im->sites);
    free(im->rows);
    free(im->fresh);
    free(im->fresh_rec);
    buf_release(&im->out);
    buf_release(&im->scratch);
    buf_release(&im->scratch2);
    free(im->source);
    free(im->by_name);
    free(im);
}

int store_ho_import_begin(struct store *s, const struct store_actor *by, const struct store_scope *scope,
                          const char *source, struct store_ho_import **out, struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    *out = NULL;
    if (!org_id) /* a programme's scope: no organisation to store the rows under */
        return store_not_found(err, "organisation");
    struct store_ho_import *im = calloc(1, sizeof *im);
    if (!im)
        return store_oom(err);
    strmap_init(&im->names);
    buf_init(&im->out, (size_t)1 << 31);
    buf_init(&im->scratch, (size_t)1 << 30);
    buf_init(&im->scratch2, (size_t)1 << 30);
    im->s = s;
    im->org_id = org_id;
    im->sum.first_day = INT32_MAX;
    im->sum.last_day = INT32_MIN;
    im->source = text_copy(source ? source : "stdin");
    im->by_name = strdup(by && by->name ? by->name : "cli");
    im->by.id = by ? by->id : 0;
    im->by.name = im->by_name;
    im->pg = db_engine(s->db) == DB_POSTGRES;
    /* The identity's secret is the database's own (meta.handover_key), so collisions cannot be chosen. */
    memcpy(im->key, s->ho_key, sizeof im->key);
    if (!im->source || !im->by_name) {
        import_free(im);
        return store_oom(err);
    }
    if (store_write(s, &im->c, err) < 0) {
        import_free(im);
        return -1;
    }
    int64_t found = 0;
    int rc = db_run_i64(im->c, &found, err, "SELECT id FROM organisations WHERE id = ?", "i", org_id);
    if (rc == 0 && found != org_id)
        rc = store_not_found(err, "organisation");
    if (rc == 0 && im->pg)
        rc = db_exec(im->c,
                     "CREATE TEMP TABLE IF NOT EXISTS ho_days_new(site_id BIGINT, day INTEGER, blob BYTEA, keys BYTEA,"
                     " rows BYTEA)"
                     " ON COMMIT DROP",
                     err);
    if (rc < 0) {
        store_write_end(s, -1, err);
        import_free(im);
        return -1;
    }
    *out = im;
    return 0;
}

int store_ho_import_row(struct store_ho_import *im, const struct ho_row *row, struct purpose_err *err)
{
    size_t site = 0;
    if (site_index(im, row, &site, err) < 0)
        return -1;
    if (row->site_code_len && site_code_take(im, row, &im->sites[site], err) < 0)
        return -1;
    int32_t day;
    int hour;
    ho_local(row->arrival, &day, &hour);
    if (day < im->sum.first_day)
        im->sum.first_day = day;
    if (day > im->sum.last_day)
        im->sum.last_day = day;
    im->sum.rows++;
    if (im->n_rows == im->cap_rows) {
        size_t cap = im->cap_rows ? im->cap_rows * 2 : 4096;
        struct pending *p = realloc(im->rows, cap * sizeof *p);
        if (!p)
            return store_oom(err);
        im->rows = p;
        im->cap_rows = cap;
    }
    uint8_t k[16];
    ho_row_key(im->key, row, k);
    im->rows[im->n_rows] = (struct pending){(uint32_t)site, day, le64_at(k), (uint32_t)im->n_rows,
                                            im->sites[site].code[0] ? ho_ref_hash(im->key, row->ref, row->ref_len) : 0,
                                            row->arrival,
                                            row->handover, row->clear};
    im->n_rows++;
    return im->n_rows >= FLUSH_ROWS ? flush(im, err) : 0;
}

int store_ho_import_end(struct store_ho_import **imp, bool commit, uint64_t rejected, struct store_ho_summary *sum,
                        struct purpose_err *err)
{
    struct store_ho_import *im = *imp;
    *imp = NULL;
    if (!im)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "handovers: no import");
    if (!commit) {
        struct purpose_err ignored = {0};
        store_write_end(im->s, -1, &ignored);
        import_free(im);
        return 0;
    }
    int rc = flush(im, err);
    im->sum.sites = im->n_sites;
    im->sum.duplicates = im->sum.rows - im->sum.stored;
    /* Measures that follow these sites see the new days in the same transaction. */
    if (rc == 0 && im->sum.stored > 0)
        rc = store_hom_refresh_import(im->s, im->c, &im->by, STORE_ORG_SCOPE(im->org_id), im->sum.first_day, im->sum.last_day, err);
    if (rc == 0) {
        char from[11] = "", to[11] = "";
        if (im->sum.first_day <= im->sum.last_day) {
            ho_date_format(im->sum.first_day, from);
            ho_date_format(im->sum.last_day, to);
        }
        json_t *after = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:s}", "source", im->source, "rows",
                                  (json_int_t)im->sum.rows, "stored", (json_int_t)im->sum.stored, "duplicates",
                                  (json_int_t)im->sum.duplicates, "rejected", (json_int_t)rejected, "sites",
                                  (json_int_t)im->sum.sites, "sites_new", (json_int_t)im->sum.sites_new, "from",
                                  from, "to", to);
        rc = store_audit(im->c, &im->by, "import", "handovers", im->org_id, NULL, after, false, true, err);
    }
    rc = store_write_end(im->s, rc, err);
    if (rc == 0 && sum)
        *sum = im->sum;
    import_free(im);
    return rc;
}
