/* One hospital recorded by two organisations (contract in handovers.h, "one hospital, two
 * organisations"): site codes, a programme's figures with each handover counted once, and the
 * reconciliation of two partners' records. The matching itself is src/handover's (ho_match). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

#define MATCH_MS ((int64_t)STORE_HO_MATCH_MIN * HO_MINUTE_MS)
#define GROUP_MAX 64 /* sources ho_match tells apart */

const char *store_ho_diff_kind_name(enum store_ho_diff_kind k)
{
    static const char *const names[] = {"missing", "apart", "no_handover"};
    return (unsigned)k < 3 ? names[k] : "missing";
}

int store_ho_site_code_set(struct store *s, const struct store_actor *by, const struct store_scope *scope,
                           int64_t site_id, const char *code, struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope); /* a programme's: 0, no site */
    size_t n = code ? strlen(code) : 0;
    if (n && !ho_site_code_valid(code, n))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "code",
                            "code: must be %d to %d capital letters and digits, as ODS codes are (or empty: none)",
                            HO_SITE_CODE_MIN, HO_SITE_CODE_MAX);
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t found = 0;
    int rc = db_run_i64(c, &found, err, "SELECT 1 FROM ho_sites WHERE id = ? AND org_id = ?", "ii", site_id, org_id);
    if (rc == 0 && !found)
        rc = store_not_found(err, "site");
    if (rc == 0)
        rc = n ? db_run(c, err, "UPDATE ho_sites SET code = ? WHERE id = ?", "ti", code, site_id)
               : db_run(c, err, "UPDATE ho_sites SET code = NULL WHERE id = ?", "i", site_id);
    /* a programme's figures follow the codes: its measures are computed again over the days
     * the organisation has stored */
    int64_t first = 0, last = -1;
    if (rc == 0)
        rc = db_run_i64(c, &first, err,
                        "SELECT COALESCE(MIN(d.day), 0) FROM ho_days d JOIN ho_sites s ON s.id = d.site_id"
                        " WHERE s.org_id = ?", "i", org_id);
    if (rc == 0)
        rc = db_run_i64(c, &last, err,
                        "SELECT COALESCE(MAX(d.day), -1) FROM ho_days d JOIN ho_sites s ON s.id = d.site_id"
                        " WHERE s.org_id = ?", "i", org_id);
    if (rc == 0 && first <= last)
        rc = store_hom_refresh_import(s, c, by, scope, (int32_t)first, (int32_t)last, err);
    if (rc == 0)
        rc = store_audit(c, by, "site code", "handover site", site_id, NULL, json_pack("{s:s}", "code", n ? code : ""),
                         false, true, err);
    return store_write_end(s, rc, err);
}

/* ---- a programme's sites and their groups ---- */

struct psite {
    int64_t id;
    char *name;     /* as the programme's figures name it */
    long group;     /* index of its code's group, or -1: counted alone */
    uint32_t src;   /* its place in the group */
};

struct psites {
    struct store_ho_site_list list; /* by organisation slug, then name */
    struct psite *p;
    size_t n_groups;
};

static void psites_release(struct psites *ps)
{
    for (size_t i = 0; ps->p && i < ps->list.n; i++)
        free(ps->p[i].name);
    free(ps->p);
    store_ho_site_list_release(&ps->list);
}

static char *joined(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *out = malloc(la + lb + 2);
    if (out) {
        memcpy(out, a, la);
        out[la] = '/';
        memcpy(out + la + 1, b, lb + 1);
    }
    return out;
}

/* The partner sites of the programme, each with its name in the figures and its group: sites
 * sharing a code form one (up to GROUP_MAX of them; more count alone). */
static int psites_load(struct db_conn *c, int64_t programme_id, struct psites *ps, struct purpose_err *err)
{
    memset(ps, 0, sizeof *ps);
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err,
                      "SELECT s.id, s.org_id, s.name, o.slug, COALESCE(s.code, '') FROM ho_sites s"
                      " JOIN organisations o ON o.id = s.org_id JOIN programme_partners p ON p.org_id = s.org_id"
                      " WHERE p.programme_id = ? ORDER BY o.slug, s.name, s.id",
                      "i", programme_id);
    rc = store_read_all(st, rc, (void **)&ps->list.items, &ps->list.n, sizeof *ps->list.items, store_ho_row_site, err);
    size_t n = ps->list.n;
    if (rc == 0 && !(ps->p = calloc(n ? n : 1, sizeof *ps->p)))
        rc = store_oom(err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const struct store_ho_site *x = &ps->list.items[i];
        struct psite *y = &ps->p[i];
        y->id = x->id;
        y->group = -1;
        size_t first = i, same = 0;
        for (size_t j = 0; x->code[0] && j < n; j++)
            if (strcmp(ps->list.items[j].code, x->code) == 0) {
                if (same == 0)
                    first = j;
                same++;
            }
        size_t before = 0; /* the group's sites before this one */
        for (size_t j = first; same >= 2 && j < i; j++)
            before += ps->p[first].group >= 0 && ps->p[j].group == ps->p[first].group;
        if (same >= 2 && first < i && ps->p[first].group >= 0 && before < GROUP_MAX) {
            y->group = ps->p[first].group;
            y->src = (uint32_t)before;
        } else if (same >= 2 && first == i) {
            y->group = (long)ps->n_groups++;
        }
        y->name = y->group >= 0 ? joined(x->code, ps->list.items[first].name) : joined(x->org_slug, x->name);
        if (!y->name)
            rc = store_oom(err);
    }
    if (rc < 0)
        psites_release(ps);
    return rc;
}

/* ---- one group's records ---- */

struct recs {
    struct ho_rec *r;
    size_t n, cap;
    struct { int32_t day; uint32_t src; } *seen; /* site-days that hold records */
    size_t n_seen, cap_seen;
};

static void recs_release(struct recs *x)
{
    free(x->r);
    free(x->seen);
    memset(x, 0, sizeof *x);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* Reads the records of the group's sites over days lo..hi into x. A site-day stored without
 * records goes into agg whole under name when agg is given and it is within from..to (it counts,
 * but cannot be matched). */
static int group_load(struct db_conn *c, const struct psites *ps, long g, int32_t lo, int32_t hi, int32_t from,
                      int32_t to, struct ho_agg *agg, const char *name, struct recs *x, struct purpose_err *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < ps->list.n; i++) {
        if (ps->p[i].group != g)
            continue;
        struct db_stmt *st = NULL;
        rc = db_query(c, &st, err,
                      "SELECT k.day, k.rows, d.blob FROM ho_keys k JOIN ho_days d ON d.site_id = k.site_id"
                      " AND d.day = k.day WHERE k.site_id = ? AND k.day >= ? AND k.day <= ?",
                      "inn", ps->p[i].id, lo, hi);
        if (rc < 0)
            break;
        db_stream(st);
        int r;
        while (rc == 0 && (r = db_step(st, err)) == 1) {
            int32_t day = (int32_t)db_col_i64(st, 0);
            size_t len = 0;
            const unsigned char *rows = db_col_null(st, 1) ? NULL : db_col_blob(st, 1, &len);
            if (rows && len > 0 && len % HO_REC_BYTES == 0) {
                size_t k = len / HO_REC_BYTES;
                if (grow((void **)&x->r, &x->cap, x->n + k, sizeof *x->r) < 0 ||
                    grow((void **)&x->seen, &x->cap_seen, x->n_seen + 1, sizeof *x->seen) < 0) {
                    rc = store_oom(err);
                    break;
                }
                for (size_t j = 0; j < k && rc == 0; j++) {
                    struct ho_rec *q = &x->r[x->n];
                    if (ho_rec_unpack(rows + HO_REC_BYTES * j, day, q) < 0)
                        rc = purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL,
                                          "handovers: the stored records of a day are damaged");
                    q->src = ps->p[i].src;
                    x->n++;
                }
                x->seen[x->n_seen].day = day;
                x->seen[x->n_seen++].src = ps->p[i].src;
            } else if (agg && day >= from && day <= to) {
                size_t bl = 0;
                const void *blob = db_col_blob(st, 2, &bl);
                struct ho_day d;
                ho_day_init(&d, day);
                rc = ho_day_deserialise(&d, blob, bl, err);
                if (rc == 0)
                    rc = ho_agg_take_day(agg, name, strlen(name), &d, err);
                ho_day_release(&d);
            }
        }
        if (rc == 0 && r < 0)
            rc = -1;
        db_reset(st);
    }
    return rc;
}

/* Matches the records, then gives each group's first record the handover and clear times of the
 * others where it has none. */
static void match(struct recs *x)
{
    ho_match(x->r, x->n, MATCH_MS);
    for (size_t j = 0; j < x->n; j++) {
        struct ho_rec *g = &x->r[x->r[j].group];
        if (x->r[j].group != j && g->handover == HO_NONE && x->r[j].handover != HO_NONE) {
            g->handover = x->r[j].handover;
            g->clear = x->r[j].clear;
        }
    }
}

static int32_t widen(int32_t d, int by)
{
    if (d == INT32_MIN || d == INT32_MAX)
        return d;
    return d + by;
}

int store_ho_load_programme(struct db_conn *c, int64_t programme_id, int32_t from, int32_t to, struct ho_agg *agg,
                            struct purpose_err *err)
{
    struct psites ps;
    if (psites_load(c, programme_id, &ps, err) < 0)
        return -1;
    /* The sites counted alone: their stored days, as they are. */
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err,
                      "SELECT d.site_id, d.day, d.blob FROM ho_days d JOIN ho_sites s ON s.id = d.site_id"
                      " JOIN programme_partners p ON p.org_id = s.org_id"
                      " WHERE p.programme_id = ? AND d.day >= ? AND d.day <= ? ORDER BY d.site_id",
                      "inn", programme_id, from, to);
    if (rc == 0) {
        db_stream(st);
        int r;
        size_t at = 0;
        while (rc == 0 && (r = db_step(st, err)) == 1) {
            int64_t id = db_col_i64(st, 0);
            if (at >= ps.list.n || ps.p[at].id != id)
                for (at = 0; at < ps.list.n && ps.p[at].id != id; at++)
                    ;
            if (at >= ps.list.n || ps.p[at].group >= 0)
                continue; /* a site of a group: its records, below */
            size_t bl = 0;
            const void *blob = db_col_blob(st, 2, &bl);
            struct ho_day d;
            ho_day_init(&d, (int32_t)db_col_i64(st, 1));
            rc = ho_day_deserialise(&d, blob, bl, err);
            if (rc == 0)
                rc = ho_agg_take_day(agg, ps.p[at].name, strlen(ps.p[at].name), &d, err);
            ho_day_release(&d);
        }
        if (rc == 0 && r < 0)
            rc = -1;
        db_reset(st);
    }
    /* Each group: its records a day either side (a handover near midnight may be recorded on
     * either), matched, each handover once. */
    for (long g = 0; rc == 0 && g < (long)ps.n_groups; g++) {
        const char *name = NULL;
        for (size_t i = 0; !name && i < ps.list.n; i++)
            if (ps.p[i].group == g)
                name = ps.p[i].name;
        struct recs x = {0};
        rc = group_load(c, &ps, g, widen(from, -1), widen(to, 1), from, to, agg, name, &x, err);
        if (rc == 0)
            match(&x);
        for (size_t j = 0; rc == 0 && j < x.n; j++) {
            const struct ho_rec *q = &x.r[j];
            int32_t day;
            int hour;
            ho_local(q->arrival, &day, &hour);
            if (q->group != j || day < from || day > to)
                continue;
            struct ho_row row = {.site = name, .site_len = strlen(name), .ref = "", .site_code = "",
                                 .arrival = q->arrival, .handover = q->handover, .clear = q->clear};
            rc = ho_agg_add(agg, &row, err);
        }
        recs_release(&x);
    }
    psites_release(&ps);
    return rc;
}

/* ---- reconciliation ---- */

static int by_day_src(const void *a, const void *b)
{
    const int32_t *x = a, *y = b; /* day first: the struct's first member */
    return (x[0] > y[0]) - (x[0] < y[0]);
}

/* The sources with records on day (a mask). */
static uint64_t present(const struct recs *x, int32_t day)
{
    uint64_t m = 0;
    size_t lo = 0, hi = x->n_seen;
    while (lo < hi) { /* the first entry of the day */
        size_t mid = lo + (hi - lo) / 2;
        if (x->seen[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < x->n_seen && x->seen[i].day == day; i++)
        m |= UINT64_C(1) << x->seen[i].src;
    return m;
}

/* In order of arrival; one arrival's differences by site, then kind. */
static int by_arrival(const void *pa, const void *pb)
{
    const struct store_ho_diff *a = pa, *b = pb;
    if (a->arrival != b->arrival)
        return a->arrival < b->arrival ? -1 : 1;
    if (a->site != b->site)
        return a->site < b->site ? -1 : 1;
    if (a->other != b->other)
        return a->other < b->other ? -1 : 1;
    return (a->kind > b->kind) - (a->kind < b->kind);
}

static int diff_add(struct store_ho_recon *out, size_t *cap, const struct store_ho_diff *d)
{
    if (grow((void **)&out->items, cap, out->n + 1, sizeof *out->items) < 0)
        return -1;
    out->items[out->n++] = *d;
    return 0;
}

int store_ho_reconcile(struct store *s, int64_t programme_id, int32_t from, int32_t to, int apart_min,
                       struct store_ho_recon *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    if (apart_min < 0 || apart_min > 1440)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "apart", "apart: must be 0 to 1440 minutes");
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct psites ps;
    int rc = psites_load(c, programme_id, &ps, err);
    size_t cap = 0;
    /* site index in out->sites of each grouped partner site */
    size_t *at = NULL;
    if (rc == 0 && !(at = calloc(ps.list.n ? ps.list.n : 1, sizeof *at)))
        rc = store_oom(err);
    if (rc == 0 && !(out->sites.items = calloc(ps.list.n ? ps.list.n : 1, sizeof *out->sites.items)))
        rc = store_oom(err);
    for (size_t i = 0; rc == 0 && i < ps.list.n; i++) {
        if (ps.p[i].group < 0)
            continue;
        at[i] = out->sites.n;
        out->sites.items[out->sites.n++] = ps.list.items[i]; /* moved: the strings change owner */
        memset(&ps.list.items[i], 0, sizeof ps.list.items[i]);
        ps.list.items[i].name = ps.list.items[i].org_slug = ps.list.items[i].code = NULL;
    }
    int64_t apart = (int64_t)apart_min * HO_MINUTE_MS;
    for (long g = 0; rc == 0 && g < (long)ps.n_groups; g++) {
        size_t of_src[GROUP_MAX] = {0}; /* out->sites index of each source */
        for (size_t i = 0; i < ps.list.n; i++)
            if (ps.p[i].group == g)
                of_src[ps.p[i].src] = at[i];
        struct recs x = {0};
        rc = group_load(c, &ps, g, widen(from, -1), widen(to, 1), from, to, NULL, NULL, &x, err);
        if (rc == 0) {
            ho_match(x.r, x.n, MATCH_MS);
            if (x.n_seen > 1)
                qsort(x.seen, x.n_seen, sizeof *x.seen, by_day_src);
        }
        /* members of each group follow its first record, in arrival order */
        for (size_t j = 0; rc == 0 && j < x.n; j++) {
            const struct ho_rec *q = &x.r[j];
            int32_t day;
            int hour;
            ho_local(q->arrival, &day, &hour);
            if (q->group != j || day < from || day > to)
                continue;
            uint64_t members = UINT64_C(1) << q->src;
            for (size_t k = j + 1; k < x.n && x.r[k].arrival - q->arrival <= MATCH_MS && rc == 0; k++) {
                const struct ho_rec *o = &x.r[k];
                if (o->group != j)
                    continue;
                members |= UINT64_C(1) << o->src;
                struct store_ho_diff d = {.site = of_src[q->src], .other = of_src[o->src], .arrival = q->arrival,
                                          .handover = q->handover, .other_arrival = o->arrival,
                                          .other_handover = o->handover};
                bool both = q->handover != HO_NONE && o->handover != HO_NONE;
                if (both && (o->handover - q->handover > apart || q->handover - o->handover > apart))
                    d.kind = STORE_HO_DIFF_APART;
                else if (!both && (q->handover != HO_NONE || o->handover != HO_NONE))
                    d.kind = STORE_HO_DIFF_NO_HANDOVER;
                else
                    continue;
                if (diff_add(out, &cap, &d) < 0)
                    rc = store_oom(err);
            }
            if (members != (UINT64_C(1) << q->src))
                out->matched++;
            uint64_t lacking = present(&x, day) & ~members;
            for (uint32_t b = 0; rc == 0 && b < GROUP_MAX; b++) {
                if (!(lacking >> b & 1))
                    continue;
                struct store_ho_diff d = {.kind = STORE_HO_DIFF_MISSING, .site = of_src[q->src], .other = of_src[b],
                                          .arrival = q->arrival, .handover = q->handover,
                                          .other_arrival = HO_NONE, .other_handover = HO_NONE};
                if (diff_add(out, &cap, &d) < 0)
                    rc = store_oom(err);
            }
        }
        recs_release(&x);
    }
    if (rc == 0 && out->n > 1)
        qsort(out->items, out->n, sizeof *out->items, by_arrival);
    free(at);
    psites_release(&ps);
    store_read_end(s, c);
    if (rc < 0)
        store_ho_recon_release(out);
    return rc;
}

void store_ho_recon_release(struct store_ho_recon *r)
{
    store_ho_site_list_release(&r->sites);
    free(r->items);
    memset(r, 0, sizeof *r);
}
