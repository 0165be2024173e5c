/* Ambulance handovers in the store: sites, row identities and per-site-day aggregate blobs
 * (contract in handovers.h; the aggregates are src/handover's). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_int.h"
#include "core/strmap.h"
#include "core/banned.h"

#define SITE_NAME_MAX 200
/* The aggregates of new rows are merged into the stored blobs past this estimate of their size. */
#define FLUSH_BYTES ((uint64_t)48 << 20)
#define DAY_BYTES 640 /* an ho_day and its map entry, roughly */
#define FETCH_SQL "FETCH FORWARD 50000 FROM ho_cur"
/* SQLite: rows go in 64 to an INSERT (a statement's own cost is most of a small row's). */
#define BATCH 64
#define V1 "(?,?,?,?,?)"
#define V4 V1 "," V1 "," V1 "," V1
#define V16 V4 "," V4 "," V4 "," V4
#define V64 V16 "," V16 "," V16 "," V16
#define INSERT_ROWS "INSERT INTO ho_rows(site_id, arrival, ref_key, handover, clear) VALUES"

struct ho_site {
    int64_t id;
    char idtext[24]; /* the aggregates of an import are keyed by site id, in decimal */
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
    struct db_bulk *bulk; /* PostgreSQL: the COPY into ho_stage, while rows come */
    struct strmap names;  /* site name -> index into sites */
    struct ho_site *sites;
    size_t n_sites, cap_sites;
    struct ho_agg *agg;   /* new rows since the last flush */
    uint64_t pending;     /* estimated bytes in agg */
    size_t last_site;
    int32_t last_day;
    struct store_ho_summary sum;
    struct pending_row {  /* SQLite: rows waiting for the next multi-row INSERT */
        size_t site;
        int64_t arrival, key, handover, clear;
    } batch[BATCH];
    size_t n_batch;
};

static const char *const stage_cols[] = {"site_id", "arrival", "ref_key", "handover", "clear"};
static const char *const days_cols[] = {"site_id", "day", "blob"};

void store_ho_site_list_release(struct store_ho_site_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].name);
        free(l->items[i].org_slug);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

static int row_site(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_ho_site *x = item;
    bool oom = false;
    x->id = db_col_i64(st, 0);
    x->org_id = db_col_i64(st, 1);
    x->name = db_col_dup(st, 2, &oom);
    x->org_slug = db_col_dup(st, 3, &oom);
    if (oom) {
        free(x->name);
        free(x->org_slug);
        memset(x, 0, sizeof *x);
        return store_oom(err);
    }
    return 0;
}

int store_ho_sites(struct store *s, struct store_scope scope, struct store_ho_site_list *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    int rc = scope.kind == STORE_SCOPE_ORG
                 ? db_query(c, &st, err,
                            "SELECT s.id, s.org_id, s.name, o.slug FROM ho_sites s JOIN organisations o"
                            " ON o.id = s.org_id WHERE s.org_id = ? ORDER BY s.name",
                            "i", scope.id)
                 : db_query(c, &st, err,
                            "SELECT s.id, s.org_id, s.name, o.slug FROM ho_sites s JOIN organisations o"
                            " ON o.id = s.org_id JOIN programme_partners p ON p.org_id = s.org_id"
                            " WHERE p.programme_id = ? ORDER BY o.slug, s.name",
                            "i", scope.id);
    rc = store_read_all(st, rc, (void **)&out->items, &out->n, sizeof *out->items, row_site, err);
    store_read_end(s, c);
    if (rc < 0)
        store_ho_site_list_release(out);
    return rc;
}

/* ---- writing the aggregates ---- */

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

static int64_t site_id_of(const char *text, size_t len)
{
    int64_t v = 0;
    for (size_t i = 0; i < len; i++)
        v = v * 10 + (text[i] - '0');
    return v;
}

/* Merges the stored days of the sites in agg (over each site's range of dates) into agg. */
static int merge_stored(struct store_ho_import *im, struct purpose_err *err)
{
    size_t n = ho_agg_site_count(im->agg);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *name = ho_agg_site(im->agg, i, &len);
        struct ho_day *const *days;
        size_t nd = ho_agg_days(im->agg, i, &days);
        if (!nd)
            return days ? 0 : store_oom(err);
        char idtext[24];
        if (len >= sizeof idtext)
            return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "handovers: bad site key");
        memcpy(idtext, name, len);
        idtext[len] = '\0';
        struct db_stmt *st = NULL;
        if (db_query(im->c, &st, err, "SELECT day, blob FROM ho_days WHERE site_id = ? AND day >= ? AND day <= ?",
                     "inn", site_id_of(name, len), days[0]->day, days[nd - 1]->day) < 0)
            return -1;
        db_stream(st);
        int r, rc = 0;
        while (rc == 0 && (r = db_step(st, err)) == 1) {
            size_t bl = 0;
            const void *blob = db_col_blob(st, 1, &bl);
            struct ho_day d;
            ho_day_init(&d, (int32_t)db_col_i64(st, 0));
            rc = ho_day_deserialise(&d, blob, bl, err);
            /* days is not used again after this: putting may move the map's arrays */
            if (rc == 0)
                rc = ho_agg_take_day(im->agg, idtext, len, &d, err);
            ho_day_release(&d);
        }
        if (rc < 0 || r < 0) {
            db_reset(st);
            return -1;
        }
        db_reset(st);
    }
    return 0;
}

/* The blob as PostgreSQL's bytea text, \x and hex. */
static void hex_text(struct buf *out, const struct buf *blob)
{
    static const char hex[] = "0123456789abcdef";
    buf_reset(out);
    buf_puts(out, "\\x");
    for (size_t i = 0; i < blob->len && !out->failed; i++) {
        unsigned char ch = (unsigned char)blob->data[i];
        char two[2] = {hex[ch >> 4], hex[ch & 15]};
        buf_append(out, two, 2);
    }
    buf_putc(out, '\0');
}

static int write_day(struct store_ho_import *im, struct db_bulk *bulk, int64_t site_id, struct ho_day *d,
                     struct buf *blob, struct buf *text, struct purpose_err *err)
{
    buf_reset(blob);
    if (ho_day_serialise(d, blob) < 0 || blob->failed)
        return store_oom(err);
    if (bulk) {
        char a[24], b[24];
        hex_text(text, blob);
        if (text->failed)
            return store_oom(err);
        const char *vals[] = {i64_text(site_id, a), i64_text(d->day, b), text->data};
        return db_bulk_row(bulk, vals, err);
    }
    struct db_stmt *st;
    if (db_prepare(im->c,
                   "INSERT INTO ho_days(site_id, day, blob) VALUES(?,?,?)"
                   " ON CONFLICT(site_id, day) DO UPDATE SET blob = excluded.blob",
                   &st, err) < 0)
        return -1;
    if (db_bind_i64(st, 1, site_id) < 0 || db_bind_i64(st, 2, d->day) < 0 ||
        db_bind_blob(st, 3, blob->data, blob->len) < 0) {
        db_reset(st);
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "database: cannot bind a value");
    }
    int r = db_step(st, err);
    if (r < 0)
        return -1;
    db_reset(st);
    return 0;
}

/* Merges the new rows' aggregates into the stored blobs and empties the map. PostgreSQL: the
 * days go by COPY into a temporary table, then one upsert. */
static int flush(struct store_ho_import *im, struct purpose_err *err)
{
    if (merge_stored(im, err) < 0)
        return -1;
    struct db_bulk *bulk = NULL;
    if (im->pg && (db_exec(im->c, "CREATE TEMP TABLE IF NOT EXISTS ho_days_new(site_id BIGINT, day INTEGER,"
                                  " blob BYTEA) ON COMMIT DROP", err) < 0 ||
                   db_bulk_begin(im->c, "ho_days_new", days_cols, 3, &bulk, err) < 0))
        return -1;
    struct buf blob, text;
    buf_init(&blob, (size_t)1 << 30);
    buf_init(&text, (size_t)1 << 31);
    int rc = 0;
    size_t n = ho_agg_site_count(im->agg);
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t len;
        const char *name = ho_agg_site(im->agg, i, &len);
        struct ho_day *const *days;
        size_t nd = ho_agg_days(im->agg, i, &days);
        if (!nd && !days)
            rc = store_oom(err);
        for (size_t j = 0; j < nd && rc == 0; j++)
            rc = write_day(im, bulk, site_id_of(name, len), days[j], &blob, &text, err);
    }
    buf_release(&blob);
    buf_release(&text);
    if (bulk) {
        struct purpose_err ignored = {0};
        int end = db_bulk_end(bulk, rc == 0, rc == 0 ? err : &ignored);
        if (rc == 0 && end < 0)
            rc = -1;
        if (rc == 0)
            rc = db_exec(im->c,
                         "INSERT INTO ho_days(site_id, day, blob) SELECT site_id, day, blob FROM ho_days_new"
                         " ON CONFLICT(site_id, day) DO UPDATE SET blob = excluded.blob;"
                         "TRUNCATE ho_days_new",
                         err);
    }
    ho_agg_free(&im->agg);
    im->pending = 0;
    if (rc == 0)
        rc = ho_agg_new(&im->agg, err);
    return rc;
}

/* Adds a new row (site given by its index) to the import's aggregates; the caller flushes them
 * when im->pending reaches FLUSH_BYTES. */
static int aggregate(struct store_ho_import *im, size_t site, const struct ho_row *row, struct purpose_err *err)
{
    struct ho_row r = *row;
    r.site = im->sites[site].idtext;
    r.site_len = strlen(r.site);
    int32_t day;
    int hour;
    ho_local(r.arrival, &day, &hour);
    if (site != im->last_site || day != im->last_day)
        im->pending += DAY_BYTES; /* an upper bound: rows of a site-day usually come together */
    im->last_site = site;
    im->last_day = day;
    im->pending += 4;
    if (ho_agg_add(im->agg, &r, err) < 0)
        return -1;
    im->sum.stored++;
    return 0;
}

/* ---- import ---- */

static bool site_name_ok(const char *p, size_t n)
{
    if (n == 0 || n > SITE_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
            return false;
    return true;
}

/* The index of the row's site, made (in the database too) on first sight. */
static int site_index(struct store_ho_import *im, const struct ho_row *row, size_t *idx, struct purpose_err *err)
{
    size_t v = strmap_get(&im->names, row->site, row->site_len, 0);
    if (v != (size_t)-1) {
        *idx = v;
        return 0;
    }
    if (!site_name_ok(row->site, row->site_len))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "site",
                            "%s:%zu: column \"site\": must be 1 to %d characters without control characters",
                            im->source, row->line, SITE_NAME_MAX);
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
    /* PostgreSQL: no other statement may run while a COPY is open, so it is ended and begun again
     * (sites are few). */
    if (im->bulk) {
        struct db_bulk *b = im->bulk;
        im->bulk = NULL;
        if (db_bulk_end(b, true, err) < 0)
            return -1;
    }
    int64_t id = 0;
    if (db_run_i64(im->c, &id, err,
                   "INSERT INTO ho_sites(org_id, name, created_at) VALUES(?,?,?)"
                   " ON CONFLICT(org_id, name) DO NOTHING RETURNING id",
                   "iti", im->org_id, name, (int64_t)time(NULL)) < 0)
        return -1;
    if (id)
        im->sum.sites_new++;
    else if (db_run_i64(im->c, &id, err, "SELECT id FROM ho_sites WHERE org_id = ? AND name = ?", "it", im->org_id,
                        name) < 0)
        return -1;
    if (im->pg && db_bulk_begin(im->c, "ho_stage", stage_cols, 5, &im->bulk, err) < 0)
        return -1;
    v = strmap_get(&im->names, row->site, row->site_len, 1);
    if (v == (size_t)-1)
        return store_oom(err);
    im->sites[v].id = id;
    i64_text(id, im->sites[v].idtext);
    im->n_sites++;
    *idx = v;
    return 0;
}

static void import_free(struct store_ho_import *im)
{
    strmap_release(&im->names);
    free(im->sites);
    ho_agg_free(&im->agg);
    free(im->source);
    free(im->by_name);
    free(im);
}

int store_ho_import_begin(struct store *s, const struct store_actor *by, int64_t org_id, const char *source,
                          struct store_ho_import **out, struct purpose_err *err)
{
    *out = NULL;
    struct store_ho_import *im = calloc(1, sizeof *im);
    if (!im)
        return store_oom(err);
    strmap_init(&im->names);
    im->s = s;
    im->org_id = org_id;
    im->last_site = (size_t)-1;
    im->sum.first_day = INT32_MAX;
    im->sum.last_day = INT32_MIN;
    im->source = strdup(source ? source : "stdin");
    im->by_name = strdup(by && by->name ? by->name : "cli");
    im->by.id = by ? by->id : 0;
    im->by.name = im->by_name;
    im->pg = db_engine(s->db) == DB_POSTGRES;
    /* The row key's secret is derived from the database's own, so collisions cannot be chosen. */
    static const char label[] = "purpose handover row key";
    ho_siphash(s->key, label, sizeof label - 1, im->key, 16);
    if (!im->source || !im->by_name || ho_agg_new(&im->agg, err) < 0) {
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
    /* SQLite: a page cache big enough for the b-tree paths of a large import (else dirty pages
     * spill to the WAL again and again); back to the default at the end. */
    if (rc == 0 && !im->pg)
        rc = db_exec(im->c, "PRAGMA cache_size = -65536", err);
    if (rc == 0 && im->pg)
        rc = db_exec(im->c,
                     "CREATE TEMP TABLE ho_stage(site_id BIGINT, arrival BIGINT, ref_key BIGINT,"
                     " handover BIGINT, clear BIGINT) ON COMMIT DROP",
                     err);
    if (rc == 0 && im->pg)
        rc = db_bulk_begin(im->c, "ho_stage", stage_cols, 5, &im->bulk, err);
    if (rc < 0) {
        store_write_end(s, -1, err);
        import_free(im);
        return -1;
    }
    *out = im;
    return 0;
}

static int64_t ref_key(const struct store_ho_import *im, const struct ho_row *row)
{
    uint8_t k[16];
    ho_row_key(im->key, row, k);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | k[i];
    return (int64_t)v;
}

static int bind_row(struct db_stmt *st, int at, const struct store_ho_import *im, const struct pending_row *p)
{
    int b = db_bind_i64(st, at + 1, im->sites[p->site].id) | db_bind_i64(st, at + 2, p->arrival) |
            db_bind_i64(st, at + 3, p->key);
    b |= p->handover == HO_NONE ? db_bind_text(st, at + 4, NULL) : db_bind_i64(st, at + 4, p->handover);
    b |= p->clear == HO_NONE ? db_bind_text(st, at + 5, NULL) : db_bind_i64(st, at + 5, p->clear);
    return b;
}

/* Runs st; 1 when it broke the primary key (a row seen before), 0 done, -1 failed. SQLite's
 * default conflict resolution (ABORT) undoes the failing statement only and the transaction goes
 * on, so the failure itself says "duplicate": cheaper than a look-up first, or than RETURNING
 * (which fills a temporary table on every run). */
static int sq_insert(struct db_stmt *st, struct purpose_err *err)
{
    struct purpose_err e = {0};
    if (db_step(st, &e) < 0) {
        if (e.kind == PURPOSE_ERR_CONFLICT)
            return 1;
        *err = e;
        return -1;
    }
    db_reset(st);
    return 0;
}

static int add_pending(struct store_ho_import *im, const struct pending_row *p, struct purpose_err *err)
{
    struct ho_row r = {.arrival = p->arrival, .handover = p->handover, .clear = p->clear};
    if (aggregate(im, p->site, &r, err) < 0)
        return -1;
    return im->pending >= FLUSH_BYTES ? flush(im, err) : 0;
}

/* SQLite: the waiting rows, 64 to a statement when they are all new; else (or for fewer) one at
 * a time, so that each duplicate is known. */
static int sq_flush_batch(struct store_ho_import *im, struct purpose_err *err)
{
    struct db_stmt *st;
    size_t n = im->n_batch;
    im->n_batch = 0;
    if (n == BATCH) {
        if (db_prepare(im->c, INSERT_ROWS V64, &st, err) < 0)
            return -1;
        int b = 0;
        for (size_t i = 0; i < n; i++)
            b |= bind_row(st, (int)i * 5, im, &im->batch[i]);
        if (b) {
            db_reset(st);
            return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "database: cannot bind a value");
        }
        int r = sq_insert(st, err);
        if (r < 0)
            return -1;
        for (size_t i = 0; r == 0 && i < n; i++)
            if (add_pending(im, &im->batch[i], err) < 0)
                return -1;
        if (r == 0)
            return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (db_prepare(im->c, INSERT_ROWS V1, &st, err) < 0)
            return -1;
        if (bind_row(st, 0, im, &im->batch[i])) {
            db_reset(st);
            return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "database: cannot bind a value");
        }
        int r = sq_insert(st, err);
        if (r < 0 || (r == 0 && add_pending(im, &im->batch[i], err) < 0))
            return -1;
    }
    return 0;
}

int store_ho_import_row(struct store_ho_import *im, const struct ho_row *row, struct purpose_err *err)
{
    size_t site = 0;
    if (site_index(im, row, &site, err) < 0)
        return -1;
    int32_t day;
    int hour;
    ho_local(row->arrival, &day, &hour);
    if (day < im->sum.first_day)
        im->sum.first_day = day;
    if (day > im->sum.last_day)
        im->sum.last_day = day;
    im->sum.rows++;
    int64_t key = ref_key(im, row);
    if (im->pg) {
        char b[24], c[24], d[24], e[24];
        const char *vals[] = {im->sites[site].idtext, i64_text(row->arrival, b), i64_text(key, c),
                              row->handover == HO_NONE ? NULL : i64_text(row->handover, d),
                              row->clear == HO_NONE ? NULL : i64_text(row->clear, e)};
        return db_bulk_row(im->bulk, vals, err);
    }
    im->batch[im->n_batch++] = (struct pending_row){site, row->arrival, key, row->handover, row->clear};
    return im->n_batch == BATCH ? sq_flush_batch(im, err) : 0;
}

/* PostgreSQL, at the end: the staged rows not stored before go in, in the order they came (a
 * sequential scan of a new temporary table reads it in insertion order, so the first of two equal
 * rows in the file wins); the new ones are kept aside and read back in batches through a cursor,
 * so that aggregates can be flushed between batches. */
static int pg_store_rows(struct store_ho_import *im, struct purpose_err *err)
{
    struct db_bulk *b = im->bulk;
    im->bulk = NULL;
    if (db_bulk_end(b, true, err) < 0)
        return -1;
    if (db_exec(im->c,
                "CREATE TEMP TABLE ho_new(site_id BIGINT, arrival BIGINT, handover BIGINT, clear BIGINT)"
                " ON COMMIT DROP;"
                "WITH ins AS (INSERT INTO ho_rows(site_id, arrival, ref_key, handover, clear)"
                " SELECT site_id, arrival, ref_key, handover, clear FROM ho_stage"
                " ON CONFLICT DO NOTHING RETURNING site_id, arrival, handover, clear)"
                " INSERT INTO ho_new SELECT * FROM ins;"
                "DECLARE ho_cur NO SCROLL CURSOR FOR SELECT site_id, arrival, handover, clear FROM ho_new",
                err) < 0)
        return -1;
    /* site id -> index: sites are few, and rows of one site come together */
    size_t last = 0;
    for (;;) {
        struct db_stmt *st;
        if (db_prepare(im->c, FETCH_SQL, &st, err) < 0)
            return -1;
        int r, rc = 0;
        size_t got = 0;
        while (rc == 0 && (r = db_step(st, err)) == 1) {
            got++;
            int64_t id = db_col_i64(st, 0);
            if (im->n_sites == 0)
                return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "handovers: a row without a site");
            if (im->sites[last].id != id)
                for (last = 0; last < im->n_sites && im->sites[last].id != id; last++)
                    ;
            if (last == im->n_sites) {
                last = 0;
                rc = purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "handovers: a row of an unknown site");
                break;
            }
            struct ho_row row = {.arrival = db_col_i64(st, 1)};
            row.handover = db_col_null(st, 2) ? HO_NONE : db_col_i64(st, 2);
            row.clear = db_col_null(st, 3) ? HO_NONE : db_col_i64(st, 3);
            rc = aggregate(im, last, &row, err); /* flushed between batches only */
        }
        if (rc < 0 || r < 0) {
            db_reset(st);
            return -1;
        }
        db_reset(st);
        if (got == 0)
            break;
        if (im->pending >= FLUSH_BYTES && flush(im, err) < 0)
            return -1;
    }
    return db_exec(im->c, "CLOSE ho_cur", err);
}

int store_ho_import_end(struct store_ho_import **imp, bool commit, uint64_t rejected, struct store_ho_summary *sum,
                        struct purpose_err *err)
{
    struct store_ho_import *im = *imp;
    *imp = NULL;
    if (!im)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "handovers: no import");
    int rc = commit ? 0 : -1;
    if (rc == 0 && !im->pg && im->n_batch)
        rc = sq_flush_batch(im, err);
    if (rc == 0 && im->pg)
        rc = pg_store_rows(im, err);
    else if (im->bulk) {
        struct purpose_err ignored = {0};
        db_bulk_end(im->bulk, false, &ignored);
        im->bulk = NULL;
    }
    if (rc == 0)
        rc = flush(im, err);
    im->sum.sites = im->n_sites;
    im->sum.duplicates = im->sum.rows - im->sum.stored;
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
    if (!im->pg) {
        struct purpose_err ignored = {0};
        db_exec(im->c, "PRAGMA cache_size = -2000", &ignored);
    }
    if (commit || rc == 0)
        rc = store_write_end(im->s, rc, err);
    else {
        struct purpose_err ignored = {0};
        store_write_end(im->s, -1, &ignored);
        rc = 0;
    }
    if (rc == 0 && commit && sum)
        *sum = im->sum;
    import_free(im);
    return rc;
}

/* ---- reading ---- */

int store_ho_load(struct store *s, struct store_scope scope, int32_t from, int32_t to, struct ho_agg *agg,
                  struct purpose_err *err)
{
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    int rc = scope.kind == STORE_SCOPE_ORG
                 ? db_query(c, &st, err,
                            "SELECT s.name, d.day, d.blob FROM ho_days d JOIN ho_sites s ON s.id = d.site_id"
                            " WHERE s.org_id = ? AND d.day >= ? AND d.day <= ?",
                            "inn", scope.id, from, to)
                 : db_query(c, &st, err,
                            "SELECT o.slug || '/' || s.name, d.day, d.blob FROM ho_days d"
                            " JOIN ho_sites s ON s.id = d.site_id JOIN organisations o ON o.id = s.org_id"
                            " JOIN programme_partners p ON p.org_id = s.org_id"
                            " WHERE p.programme_id = ? AND d.day >= ? AND d.day <= ?",
                            "inn", scope.id, from, to);
    if (rc == 0) {
        db_stream(st);
        int r;
        while (rc == 0 && (r = db_step(st, err)) == 1) {
            const char *name = db_col_text(st, 0);
            size_t bl = 0;
            const void *blob = db_col_blob(st, 2, &bl);
            struct ho_day d;
            ho_day_init(&d, (int32_t)db_col_i64(st, 1));
            rc = ho_day_deserialise(&d, blob, bl, err);
            if (rc == 0)
                rc = ho_agg_take_day(agg, name ? name : "", name ? strlen(name) : 0, &d, err);
            ho_day_release(&d);
        }
        if (rc == 0 && r < 0)
            rc = -1;
        db_reset(st);
    }
    store_read_end(s, c);
    return rc;
}
