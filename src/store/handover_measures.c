/* Handover measures: a measure bridged to a handover metric (contract in handover_measures.h).
 * The points are the report's own numbers: the stored days are loaded into an aggregate
 * (store_ho_load) and run through src/handover's report, so there is one definition of every
 * metric, and the measure can never disagree with `purpose handovers report`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "store/store_int.h"
#include "core/banned.h"

/* Targets are the standards (shared/spec/handovers.md): 65% / 95% / 100% within 15 / 30 / 60
 * minutes; "release to rescue": no crew held longer than 45 minutes; 100% within 60 minutes is
 * none over 60; handover-to-clear within 15 minutes. */
const struct store_hom_metric store_hom_metrics[] = {
    {"arrivals", "Ambulance arrivals", "", "neutral", "balancing", false, 0},
    {"handovers", "Handovers", "", "neutral", "balancing", false, 0},
    {"pct_within_15", "Handovers within 15 minutes", "%", "increase", "outcome", true, 65},
    {"pct_within_30", "Handovers within 30 minutes", "%", "increase", "outcome", true, 95},
    {"pct_within_60", "Handovers within 60 minutes", "%", "increase", "outcome", true, 100},
    {"over_45", "Crews held over 45 minutes", "", "decrease", "outcome", true, 0},
    {"over_60", "Handovers over 60 minutes", "", "decrease", "outcome", true, 0},
    {"mean_min", "Mean handover time", "minutes", "decrease", "outcome", false, 0},
    {"median_min", "Median handover time", "minutes", "decrease", "outcome", false, 0},
    {"p95_min", "95th centile handover time", "minutes", "decrease", "outcome", false, 0},
    {"hours_lost_15", "Hours lost to handovers over 15 minutes", "hours", "decrease", "outcome", false, 0},
    {"hours_lost_60", "Hours lost to handovers over 60 minutes", "hours", "decrease", "outcome", false, 0},
    {"pct_clear_within_15", "Handover to clear within 15 minutes", "%", "increase", "process", true, 100},
};
const size_t store_hom_n_metrics = sizeof store_hom_metrics / sizeof store_hom_metrics[0];

const struct store_hom_metric *store_hom_metric_find(const char *key)
{
    for (size_t i = 0; key && i < store_hom_n_metrics; i++)
        if (strcmp(store_hom_metrics[i].key, key) == 0)
            return &store_hom_metrics[i];
    return NULL;
}

/* The metric's value in a report row, in the order of store_hom_metrics (NaN: undefined). */
static double metric_value(const struct ho_metrics *m, size_t k)
{
    const double v[] = {(double)m->arrivals, (double)m->handovers, m->pct_within_15, m->pct_within_30,
                        m->pct_within_60, (double)m->over_45, (double)m->over_60, m->mean_min, m->median_min,
                        m->p95_min, m->hours_lost_15, m->hours_lost_60, m->pct_clear_within_15};
    _Static_assert(sizeof v / sizeof v[0] == sizeof store_hom_metrics / sizeof store_hom_metrics[0],
                   "one value per metric");
    return v[k];
}

static const char *const scope_names[] = {"site", "org", "programme"};

static int scope_parse(const char *s, enum store_hom_scope *out)
{
    for (int i = 0; i < 3; i++)
        if (s && strcmp(s, scope_names[i]) == 0) {
            *out = (enum store_hom_scope)i;
            return 0;
        }
    return -1;
}

/* The points of one measure, collected from the report. */
struct collect {
    const char *site; /* the row to take: a site's name, or "all" */
    size_t site_len, metric;
    struct store_point *p;
    size_t n, cap;
};

static int collect_row(void *ctx, const struct ho_metrics *m, struct purpose_err *err)
{
    struct collect *c = ctx;
    if (m->site_len != c->site_len || memcmp(m->site, c->site, c->site_len) != 0)
        return 0;
    double v = metric_value(m, c->metric);
    if (!isfinite(v))
        return 0; /* no denominator in this period: no point */
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 128;
        struct store_point *p = realloc(c->p, cap * sizeof *p);
        if (!p)
            return store_oom(err);
        c->p = p;
        c->cap = cap;
    }
    memcpy(c->p[c->n].day, m->period, 10);
    c->p[c->n].day[10] = '\0';
    c->p[c->n].value = v;
    c->p[c->n].has_den = false;
    c->p[c->n].den = 0;
    c->n++;
    return 0;
}

/* The measure's source row, read on c, with its scope's name: 1 found, 0 none. */
static int source_read(struct db_conn *c, int64_t measure_id, struct store_hom_source *src, struct purpose_err *err)
{
    memset(src, 0, sizeof *src);
    struct db_stmt *st = NULL;
    if (db_query(c, &st, err,
                 "SELECT h.scope, h.scope_id, h.metric, h.period, COALESCE(s.name, o.name, g.name, '')"
                 " FROM ho_measures h LEFT JOIN ho_sites s ON h.scope = 'site' AND s.id = h.scope_id"
                 " LEFT JOIN organisations o ON h.scope = 'org' AND o.id = h.scope_id"
                 " LEFT JOIN programmes g ON h.scope = 'programme' AND g.id = h.scope_id"
                 " WHERE h.measure_id = ?",
                 "i", measure_id) < 0)
        return -1;
    int r = db_step(st, err);
    if (r == 1) {
        const char *scope = db_col_text(st, 0), *metric = db_col_text(st, 2), *period = db_col_text(st, 3);
        const char *name = db_col_text(st, 4);
        if (scope_parse(scope, &src->scope) < 0 || !store_hom_metric_find(metric))
            r = purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "handover measure %lld: its source is damaged",
                             (long long)measure_id);
        else {
            src->scope_id = db_col_i64(st, 1);
            snprintf(src->metric, sizeof src->metric, "%s", metric);
            src->weekly = period && strcmp(period, "week") == 0;
            snprintf(src->scope_name, sizeof src->scope_name, "%s", name ? name : "");
        }
    }
    db_reset(st);
    return r;
}

/* Recomputes the points of measure_id from src over local days first..last (widened to whole ISO
 * weeks when weekly): the points in that range are replaced by the report's values. *n receives
 * how many points were written. */
static int refresh(struct store *s, struct db_conn *c, int64_t measure_id, const struct store_hom_source *src,
                   int32_t first, int32_t last, size_t *n, struct purpose_err *err)
{
    const struct store_hom_metric *hm = store_hom_metric_find(src->metric);
    if (!hm)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "metric", "metric: \"%s\" is not a handover metric", src->metric);
    if (src->weekly) {
        if (first != INT32_MIN)
            first -= ho_weekday(first);
        if (last != INT32_MAX)
            last += 6 - ho_weekday(last);
    }
    struct store_scope scope = {STORE_SCOPE_ORG, src->scope_id};
    struct collect col = {.site = "all", .site_len = 3, .metric = (size_t)(hm - store_hom_metrics)};
    char site[STORE_HOM_NAME_MAX + 1] = "";
    int rc = 0;
    if (src->scope == STORE_HOM_SITE) {
        struct db_stmt *st = NULL;
        rc = db_query(c, &st, err, "SELECT org_id, name FROM ho_sites WHERE id = ?", "i", src->scope_id);
        int r = rc < 0 ? -1 : db_step(st, err);
        if (r == 1) {
            scope.id = db_col_i64(st, 0);
            const char *t = db_col_text(st, 1);
            snprintf(site, sizeof site, "%s", t ? t : "");
        }
        if (st)
            db_reset(st);
        if (r == 0)
            rc = store_not_found(err, "site");
        else if (r < 0)
            rc = -1;
        col.site = site;
        col.site_len = strlen(site);
    } else if (src->scope == STORE_HOM_PROGRAMME) {
        scope.kind = STORE_SCOPE_PROGRAMME;
    }
    struct ho_agg *agg = NULL;
    if (rc == 0)
        rc = ho_agg_new(&agg, err);
    if (rc == 0)
        rc = store_ho_load(s, scope, first, last, agg, err);
    struct ho_report_opts o = {.by = src->weekly ? HO_BY_WEEK : HO_BY_DAY, .from = first, .to = last};
    if (src->scope == STORE_HOM_SITE) {
        o.site = col.site;
        o.site_len = col.site_len;
    }
    if (rc == 0)
        rc = ho_report_run(agg, &o, collect_row, &col, err);
    ho_agg_free(&agg);
    char from_s[11] = "0000-00-00", to_s[11] = "9999-99-99";
    if (first != INT32_MIN)
        ho_date_format(first, from_s);
    if (last != INT32_MAX)
        ho_date_format(last, to_s);
    if (rc == 0)
        rc = db_run(c, err, "DELETE FROM measure_points WHERE measure_id = ? AND day >= ? AND day <= ?", "itt",
                    measure_id, from_s, to_s);
    for (size_t i = 0; rc == 0 && i < col.n; i++)
        rc = db_run(c, err, "INSERT INTO measure_points(measure_id, day, value) VALUES(?,?,?)", "itd", measure_id,
                    col.p[i].day, col.p[i].value);
    if (rc == 0) /* the one point check: computed values, but they enter a measure as any point does */
        rc = store_series_check(c, measure_id, err);
    if (rc == 0 && n)
        *n = col.n;
    free(col.p);
    return rc;
}

/* Whether org_id may follow src: its own site, itself, or a programme it is a partner of. */
static int source_check(struct db_conn *c, int64_t org_id, const struct store_hom_source *src,
                        struct purpose_err *err)
{
    int64_t found = 0;
    int rc = 0;
    if (src->scope == STORE_HOM_SITE)
        rc = db_run_i64(c, &found, err, "SELECT 1 FROM ho_sites WHERE id = ? AND org_id = ?", "ii", src->scope_id,
                        org_id);
    else if (src->scope == STORE_HOM_ORG)
        found = src->scope_id == org_id;
    else if (src->scope == STORE_HOM_PROGRAMME)
        rc = db_run_i64(c, &found, err, "SELECT 1 FROM programme_partners WHERE programme_id = ? AND org_id = ?",
                        "ii", src->scope_id, org_id);
    else
        return purpose_errk(err, PURPOSE_ERR_INPUT, "scope", "scope: must be a site, the organisation or a programme");
    if (rc == 0 && !found)
        rc = purpose_errk(err, PURPOSE_ERR_NOT_FOUND, "scope",
                          "scope: not one of this organisation's sites, itself or its programmes");
    return rc;
}

int store_hom_create(struct store *s, const struct store_actor *by, const struct store_scope *scope,
                     int64_t project_id, const struct store_hom_source *src, const char *name, int64_t *measure_id,
                     struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    if (!org_id)
        return store_not_found(err, "organisation");
    const struct store_hom_metric *hm = store_hom_metric_find(src->metric);
    if (!hm)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "metric", "metric: \"%.30s\" is not a handover metric",
                            src->metric);
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = source_check(c, org_id, src, err);
    int64_t id = 0;
    char made[STORE_TITLE_MAX + 1];
    if (rc == 0 && !(name && *name)) {
        /* The scope's own name, as the page and the audit show it. */
        char scope_name[STORE_HOM_NAME_MAX + 1] = "";
        struct db_stmt *st = NULL;
        static const char *const sql[] = {"SELECT name FROM ho_sites WHERE id = ?",
                                          "SELECT name FROM organisations WHERE id = ?",
                                          "SELECT name FROM programmes WHERE id = ?"};
        rc = db_query(c, &st, err, sql[src->scope], "i", src->scope_id);
        int r = rc < 0 ? -1 : db_step(st, err);
        if (r == 1) {
            const char *t = db_col_text(st, 0);
            snprintf(scope_name, sizeof scope_name, "%s", t ? t : "");
        }
        if (st)
            db_reset(st);
        rc = r < 0 ? -1 : 0;
        /* shortened between two characters: a name cut inside one is not UTF-8 text */
        int keep = (int)utf8_prefix(scope_name, strlen(scope_name), 120);
        snprintf(made, sizeof made, "%s, %s: %.*s", hm->label, src->weekly ? "weekly" : "daily", keep, scope_name);
        name = made;
    }
    if (rc == 0) {
        struct store_measure_input in = {name, hm->kind, hm->unit, hm->direction, hm->has_target, hm->target, NULL, 0};
        rc = store_measure_add(s, by, STORE_ORG_SCOPE(org_id), project_id, &in, &id, err);
    }
    if (rc == 0)
        rc = db_run(c, err, "INSERT INTO ho_measures(measure_id, scope, scope_id, metric, period) VALUES(?,?,?,?,?)",
                    "ititt", id, scope_names[src->scope], src->scope_id, hm->key, src->weekly ? "week" : "day");
    size_t n = 0;
    if (rc == 0)
        rc = refresh(s, c, id, src, INT32_MIN, INT32_MAX, &n, err);
    if (rc == 0)
        rc = store_audit(c, by, "follow handovers", "measure", id, NULL,
                         json_pack("{s:s, s:I, s:s, s:s, s:I}", "scope", scope_names[src->scope], "scope_id",
                                   (json_int_t)src->scope_id, "metric", hm->key, "period",
                                   src->weekly ? "week" : "day", "points", (json_int_t)n),
                         false, true, err);
    rc = store_write_end(s, rc, err);
    if (rc == 0 && measure_id)
        *measure_id = id;
    return rc;
}

int store_hom_source_get(struct store *s, const struct store_scope *scope, int64_t measure_id,
                         struct store_hom_source *out, struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope); /* a programme's: 0, no measure */
    memset(out, 0, sizeof *out);
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    int64_t found = 0;
    int rc = db_run_i64(c, &found, err,
                        "SELECT 1 FROM measures m WHERE m.org_id = ? AND m.id = ?",
                        "ii", org_id, measure_id);
    if (rc == 0 && !found)
        rc = store_not_found(err, "measure");
    if (rc == 0)
        rc = source_read(c, measure_id, out, err);
    store_read_end(s, c);
    return rc;
}

int store_hom_guard(struct db_conn *c, int64_t measure_id, struct purpose_err *err)
{
    int64_t found = 0;
    if (db_run_i64(c, &found, err, "SELECT 1 FROM ho_measures WHERE measure_id = ?", "i", measure_id) < 0)
        return -1;
    if (found)
        return purpose_errk(err, PURPOSE_ERR_CONFLICT, "points",
                            "points: this measure follows the handover data; its points are computed from each "
                            "import and cannot be entered by hand");
    return 0;
}

int store_hom_refresh_import(struct store *s, struct db_conn *c, const struct store_actor *by,
                             const struct store_scope *scope, int32_t first, int32_t last, struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    struct db_stmt *st = NULL;
    if (db_query(c, &st, err,
                 "SELECT h.measure_id FROM ho_measures h JOIN measures m ON m.id = h.measure_id"
                 " WHERE (h.scope = 'site' AND h.scope_id IN (SELECT id FROM ho_sites WHERE org_id = ?))"
                 " OR (h.scope = 'org' AND h.scope_id = ?)"
                 " OR (h.scope = 'programme' AND h.scope_id IN"
                 " (SELECT programme_id FROM programme_partners WHERE org_id = ?)) ORDER BY h.measure_id",
                 "iii", org_id, org_id, org_id) < 0)
        return -1;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int r, rc = 0;
    while ((r = db_step(st, err)) == 1) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            int64_t *p = realloc(ids, cap * sizeof *p);
            if (!p) {
                rc = store_oom(err);
                break;
            }
            ids = p;
        }
        ids[n++] = db_col_i64(st, 0);
    }
    db_reset(st);
    if (rc == 0 && r < 0)
        rc = -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct store_hom_source src;
        size_t pts = 0;
        rc = source_read(c, ids[i], &src, err) < 0 ? -1 : 0;
        if (rc == 0)
            rc = refresh(s, c, ids[i], &src, first, last, &pts, err);
        if (rc == 0) {
            char a[11] = "", b[11] = "";
            ho_date_format(first, a);
            ho_date_format(last, b);
            rc = store_audit(c, by, "refresh", "measure", ids[i], NULL,
                             json_pack("{s:s, s:s, s:s, s:I}", "source", "handovers import", "from", a, "to", b,
                                       "points", (json_int_t)pts),
                             false, true, err);
        }
    }
    free(ids);
    return rc;
}
