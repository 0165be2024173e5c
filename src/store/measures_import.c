/* Importing measures (contract in measures.h): open data (purpose import measures, purpose import ae)
 * into an organisation's own measures, all or nothing, writing only what differs so that a second
 * import of the same file leaves the database as it was. The points pass the one point check
 * (points.c) as every other way in does. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

/* The organisation's own measure called name, or 0 (the first made, when there are several). */
static int own_measure(struct db_conn *c, int64_t org_id, const char *name, int64_t *id, struct purpose_err *err)
{
    *id = 0;
    return db_run_i64(c, id, err,
                      "SELECT MIN(id) FROM measures WHERE org_id = ? AND project_id IS NULL AND ambition_id IS NULL "
                      "AND name = ?",
                      "it", org_id, name);
}

static bool same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* in with the stored measure's fields where the series gives none; *changed when a given one differs. */
static struct store_measure_input merged(const struct store_import_series *sv, const struct store_measure *m,
                                         bool *changed)
{
    const struct store_measure_input *g = &sv->in;
    struct store_measure_input in = {
        .name = m->name,
        .kind = g->kind ? g->kind : m->kind,
        .unit = g->unit ? g->unit : m->unit,
        .direction = g->direction ? g->direction : m->direction,
        .has_target = sv->target_given ? g->has_target : m->has_target,
        .target = sv->target_given ? g->target : m->target,
        .chart = g->chart && g->chart[0] ? g->chart : spc_chart_name(m->chart),
        .per = g->per != 0 ? g->per : m->per,
    };
    *changed = !same_text(in.kind, m->kind) || !same_text(in.unit, m->unit) ||
               !same_text(in.direction, m->direction) || in.has_target != m->has_target ||
               (in.has_target && in.target != m->target) || !same_text(in.chart, spc_chart_name(m->chart)) ||
               in.per != m->per;
    return in;
}

static int cmp_day(const void *key, const void *item)
{
    return strcmp(key, ((const struct store_point *)item)->day);
}

static bool same_point(const struct store_point *a, const struct store_point *b)
{
    return a->value == b->value && a->has_den == b->has_den && (!a->has_den || a->den == b->den);
}

/* The series' points that differ from the stored ones, written; counted into sum. */
static int import_points(struct db_conn *c, int64_t id, const struct store_import_series *sv,
                         struct store_import_summary *sum, size_t *written, struct purpose_err *err)
{
    struct store_point_list stored;
    int rc = store_points_in(c, id, &stored, err);
    const struct store_point *old = stored.items;
    size_t n_old = stored.n;
    for (size_t i = 0; rc == 0 && i < sv->n; i++) {
        const struct store_point *p = &sv->p[i];
        const struct store_point *was = n_old ? bsearch(p->day, old, n_old, sizeof *old, cmp_day) : NULL;
        if (was && same_point(was, p)) {
            sum->points_same++;
            continue;
        }
        if (was)
            sum->points_changed++;
        else
            sum->points_new++;
        (*written)++;
        rc = p->has_den ? db_run(c, err,
                                 "INSERT INTO measure_points(measure_id, day, value, denominator) VALUES(?,?,?,?) "
                                 "ON CONFLICT(measure_id, day) DO UPDATE SET value = excluded.value, "
                                 "denominator = excluded.denominator",
                                 "itdd", id, p->day, p->value, p->den)
                        : db_run(c, err,
                                 "INSERT INTO measure_points(measure_id, day, value, denominator) VALUES(?,?,?,NULL) "
                                 "ON CONFLICT(measure_id, day) DO UPDATE SET value = excluded.value, denominator = NULL",
                                 "itd", id, p->day, p->value);
    }
    store_point_list_release(&stored);
    return rc;
}

/* One series: its measure made or brought up to date, its points checked against the type (every
 * bad one to bad) and written. */
static int import_series(struct db_conn *c, const struct store_actor *by, const struct store_import_series *sv,
                         store_import_bad bad, void *ctx, struct store_import_summary *sum, size_t *n_bad,
                         struct purpose_err *err)
{
    int64_t id;
    struct store_measure m = {0};
    bool fresh = false, changed = false;
    struct store_measure_input in;
    int rc = own_measure(c, sv->org_id, sv->in.name, &id, err);
    if (rc == 0 && id)
        rc = store_measure_get_in(c, STORE_ORG_SCOPE(sv->org_id), id, &m, err);
    if (rc == 0 && !id) {
        struct store_measure blank = {.name = (char *)sv->in.name, .kind = "outcome", .unit = "",
                                      .direction = "increase", .chart = SPC_CHART_XMR, .per = 1};
        in = merged(sv, &blank, &changed);
        fresh = true;
    } else if (rc == 0) {
        in = merged(sv, &m, &changed);
    }
    if (rc == 0)
        rc = store_measure_check(&in, err);
    enum spc_chart chart = SPC_CHART_XMR;
    if (rc == 0 && spc_chart_parse(in.chart, &chart) < 0)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "chart", "chart: must be xmr, run, p, pp, u, up, c, g or t");
    for (size_t i = 0; rc == 0 && i < sv->n; i++) {
        struct purpose_err why = {0};
        if (store_check_date("date", sv->p[i].day, &why) < 0 ||
            (!(fabs(sv->p[i].value) <= STORE_VALUE_MAX) &&
             purpose_errk(&why, PURPOSE_ERR_INPUT, "value", "value: must be a number from -%g to %g", STORE_VALUE_MAX,
                          STORE_VALUE_MAX) < 0) ||
            store_point_fits(chart, &sv->p[i], &why) < 0) {
            (*n_bad)++;
            if (bad)
                bad(ctx, sv->row ? sv->row[i] : i + 1, &why);
        }
    }
    if (rc == 0 && *n_bad)
        return 0; /* the caller refuses the whole import once every series is checked */
    struct store_measure_owner own = {0};
    if (rc == 0 && fresh) {
        rc = store_measure_insert_in(c, by, STORE_ORG_SCOPE(sv->org_id), &own, &in, &id, err);
        sum->measures_new++;
    } else if (rc == 0 && changed) {
        rc = store_measure_update_in(c, by, STORE_ORG_SCOPE(sv->org_id), id, &in, err);
        sum->measures_changed++;
    }
    size_t written = 0;
    if (rc == 0)
        rc = import_points(c, id, sv, sum, &written, err);
    if (rc == 0 && written)
        rc = store_series_check(c, id, err);
    if (rc == 0 && written)
        rc = store_audit(c, by, "import", "measure", id, NULL,
                         json_pack("{s:I, s:I}", "points", (json_int_t)sv->n, "written", (json_int_t)written), false,
                         true, err);
    if (rc < 0 && err->kind == PURPOSE_ERR_INPUT) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        purpose_errk(err, PURPOSE_ERR_INPUT, err->field, "measure \"%.80s\": %s", sv->in.name, why);
    }
    store_measure_release(&m);
    return rc;
}

int store_measures_import(struct store *s, const struct store_actor *by, const struct store_import_series *sv,
                          size_t n, store_import_bad bad, void *ctx, struct store_import_summary *sum,
                          struct purpose_err *err)
{
    memset(sum, 0, sizeof *sum);
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    size_t n_bad = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = import_series(c, by, &sv[i], bad, ctx, sum, &n_bad, err);
    if (rc == 0 && n_bad)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "file", "%zu row%s do not fit their measure's chart: nothing imported",
                          n_bad, n_bad == 1 ? "" : "s");
    rc = store_write_end(s, rc, err);
    if (rc < 0)
        memset(sum, 0, sizeof *sum);
    return rc;
}
