/* Ambulance handovers in the store: sites, and per site and local day the aggregate blob and the
 * identities of its rows (contract in handovers.h; the aggregates are src/handover's; one site-day's
 * merge and write: handovers_day.c).
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

#include "store/handovers_int.h"
#include "core/utf8.h"
#include "core/banned.h"

#define SITE_NAME_MAX 200
#define FLUSH_ROWS ((size_t)1 << 20)

static const char *const days_cols[] = {"site_id", "day", "blob", "keys", "rows"};

/* ---- import ---- */

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
            rc = store_ho_merge_day(im, p + i, j - i, mine ? blob : NULL, mine ? blob_len : 0, mine ? keys : NULL,
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
        rc = store_ho_write_day(im, bulk, site_id, done[k].day, done[k].blob_at, done[k].keys_at, done[k].rows_at, done[k].end,
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
    im->rows[im->n_rows] = (struct pending){(uint32_t)site, day, store_ho_le64_at(k), (uint32_t)im->n_rows,
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
