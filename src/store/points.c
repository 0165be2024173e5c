/* A measure's points: put from a form or the API (points_csv.c: uploaded as CSV), deleted; and the
 * one check every way in passes before anything commits (contract in measures.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "purpose/spc.h"
#include "store/points_int.h"
#include "store/store_int.h"
#include "core/banned.h"

/* Columns from 0: day, value, denominator. */
static int row_point(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    struct store_point *p = item;
    const char *d = db_col_text(st, 0);
    snprintf(p->day, sizeof p->day, "%s", d ? d : "");
    p->value = db_col_double(st, 1);
    p->has_den = !db_col_null(st, 2);
    p->den = p->has_den ? db_col_double(st, 2) : 0;
    return 0;
}

int store_points_in(struct db_conn *c, int64_t measure_id, struct store_point_list *out, struct purpose_err *err)
{
    *out = (struct store_point_list){0};
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, "SELECT day, value, denominator FROM measure_points WHERE measure_id = ? ORDER BY day",
                      "i", measure_id);
    return store_read_all(st, rc, (void **)&out->items, &out->n, sizeof *out->items, row_point, err);
}

int store_points_list(struct store *s, const struct store_scope *sc, int64_t measure_id, struct store_point_list *out,
                      struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_point, err,
                        "SELECT v.day, v.value, v.denominator FROM measure_points v JOIN measures m ON m.id = v.measure_id "
                        "WHERE " STORE_MEASURE_IN_SCOPE " AND m.id = ? ORDER BY v.day",
                        "iii", STORE_MEASURE_SCOPE(sc), measure_id);
    if (rc < 0)
        store_point_list_release(out);
    return rc;
}

/* ---- can the series be charted --------------------------------------------------------------------- */

struct rebase_day {
    char day[11];
};

static int row_day(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    const char *d = db_col_text(st, 0);
    snprintf(((struct rebase_day *)item)->day, sizeof(struct rebase_day), "%s", d ? d : "");
    return 0;
}

static int cmp_point_day(const void *key, const void *item)
{
    return strcmp(key, ((const struct store_point *)item)->day);
}

/* Whether point p fits a chart of type chart (the engine's input rules, spc_compute, and a
 * denominator exactly where the type takes one): 0, or -1 with why's field and message filled
 * ("denominator: is missing ..."). The one rule for every way a point enters and for a change of
 * type. */
int store_point_fits(enum spc_chart chart, const struct store_point *p, struct purpose_err *why)
{
    const char *name = spc_chart_name(chart);
    if (!spc_chart_needs_denominator(chart)) {
        if (p->has_den)
            return purpose_errk(why, PURPOSE_ERR_INPUT, "denominator",
                                "denominator: a %s chart takes none (only p, pp, u and up charts do)", name);
        if ((chart == SPC_CHART_C || chart == SPC_CHART_G) && p->value < 0)
            return purpose_errk(why, PURPOSE_ERR_INPUT, "value", "value: a %s chart counts, so %g cannot be below 0",
                                name, p->value);
        if (chart == SPC_CHART_T && !(p->value > 0))
            return purpose_errk(why, PURPOSE_ERR_INPUT, "value", "value: a t chart's times must be above 0, not %g",
                                p->value);
        return 0;
    }
    if (!p->has_den)
        return purpose_errk(why, PURPOSE_ERR_INPUT, "denominator",
                            "denominator: is missing; every point of a %s chart needs one", name);
    if (!(p->den > 0 && p->den <= STORE_VALUE_MAX))
        return purpose_errk(why, PURPOSE_ERR_INPUT, "denominator", "denominator: must be a number above 0, at most %g",
                            STORE_VALUE_MAX);
    if (p->value < 0)
        return purpose_errk(why, PURPOSE_ERR_INPUT, "value", "value: a %s chart's value cannot be below 0 (%g)", name,
                            p->value);
    if ((chart == SPC_CHART_P || chart == SPC_CHART_PP) && p->value > p->den)
        return purpose_errk(why, PURPOSE_ERR_INPUT, "value",
                            "value: %g is more than its denominator %g; a %s chart's value is a part of it", p->value,
                            p->den, name);
    return 0;
}

/* The engine's answer for points p[0..n) (by day) with the rebases' days: the groups as the measure's
 * chart has them (a rebase starts one at its point, unless that is the first or there is none). */
static int series_compute(const struct store_point *p, size_t n, const struct rebase_day *rb, size_t n_rb,
                          enum spc_chart chart, double per, struct purpose_err *why)
{
    bool with_den = spc_chart_needs_denominator(chart);
    double *y = malloc(n * sizeof *y), *den = with_den ? malloc(n * sizeof *den) : NULL;
    size_t *breaks = malloc((n_rb + 1) * sizeof *breaks), n_breaks = 0;
    if (!y || !breaks || (with_den && !den)) {
        free(y);
        free(den);
        free(breaks);
        return store_oom(why);
    }
    for (size_t i = 0; i < n; i++) {
        y[i] = p[i].value;
        if (den)
            den[i] = p[i].den;
    }
    for (size_t k = 0; k < n_rb; k++) {
        const struct store_point *at = bsearch(rb[k].day, p, n, sizeof *p, cmp_point_day);
        if (at && at > p)
            breaks[n_breaks++] = (size_t)(at - p);
    }
    struct spc_options opt;
    spc_options_default(&opt);
    opt.runs = false; /* nothing read from them here */
    opt.chart = chart;
    opt.per = per;
    struct spc_result res;
    spc_result_init(&res);
    int rc = spc_compute(y, den, n, breaks, n_breaks, &opt, &res, why);
    for (size_t k = 0; rc == 0 && k < res.n_groups; k++) {
        const struct spc_group *g = &res.groups[k];
        bool lines = isfinite(g->lpl) && isfinite(g->upl) && isfinite(g->near_lpl) && isfinite(g->near_upl);
        if ((g->n > 0 && !isfinite(g->mean)) || (g->has_limits && !lines))
            rc = purpose_errf(why, "group %zu's centre line or limits are not finite numbers", k + 1);
    }
    spc_result_release(&res);
    free(y);
    free(den);
    free(breaks);
    return rc;
}

int store_series_check(struct db_conn *c, int64_t measure_id, struct purpose_err *err)
{
    struct store_point_list pts = {0};
    struct rebase_day *rb = NULL;
    size_t n_rb = 0;
    struct db_stmt *st = NULL;
    struct store_measure m = {0};
    int rc = store_measure_get_in_any(c, measure_id, &m, err);
    if (rc == 0)
        rc = store_points_in(c, measure_id, &pts, err);
    /* Each stored point fits the type (a new type, or points stored before it was checked). */
    for (size_t i = 0; rc == 0 && i < pts.n; i++) {
        struct purpose_err why = {0};
        if (store_point_fits(m.chart, &pts.items[i], &why) < 0)
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, why.field, "the point on %s: %s", pts.items[i].day, why.msg);
    }
    if (rc == 0) {
        rc = db_query(c, &st, err, "SELECT day FROM measure_rebases WHERE measure_id = ? ORDER BY day", "i",
                      measure_id);
        rc = store_read_all(st, rc, (void **)&rb, &n_rb, sizeof *rb, row_day, err);
    }
    struct purpose_err why = {0};
    if (rc == 0 && pts.n >= 2 && series_compute(pts.items, pts.n, rb, n_rb, m.chart, m.per, &why) < 0) {
        size_t big = 0; /* the point most likely at fault, to name it */
        for (size_t i = 1; i < pts.n; i++)
            if (fabs(pts.items[i].value) > fabs(pts.items[big].value))
                big = i;
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "value",
                          "value: the measure's points cannot be charted with these: %s (its largest value, %g, is on %s)",
                          why.msg, pts.items[big].value, pts.items[big].day);
    }
    store_point_list_release(&pts);
    store_measure_release(&m);
    free(rb);
    return rc;
}

/* ---- putting points ---------------------------------------------------------------------------------- */

static int cmp_day(const void *a, const void *b)
{
    const struct store_point *x = *(const struct store_point *const *)a, *y = *(const struct store_point *const *)b;
    int c = strcmp(x->day, y->day);
    return c ? c : (x < y ? -1 : x > y);
}

/* How point i is named in a message: "row 14" (the line of an upload), "points[3]" (its index in a
 * JSON body, whose row[] holds indexes) or "point 4" (from 1: neither). */
static void point_name(const struct store_bad_sink *b, const size_t *row, size_t i, char *out, size_t n)
{
    if (row && b && !b->csv)
        snprintf(out, n, "points[%zu]", row[i]);
    else if (row)
        snprintf(out, n, "row %zu", row[i]);
    else
        snprintf(out, n, "point %zu", i + 1);
}

/* A bad row: msg is "row LINE: what"; fn gets "what". Returns 0 to go on (a sink), else -1 with err. */
int store_bad_row(struct store_bad_sink *b, size_t line, const char *row, size_t row_len, struct purpose_err *err)
{
    if (!b)
        return -1;
    if (b->n++ == 0)
        b->first = *err;
    if (b->fn) {
        const char *m = err->msg;
        char lead[40];
        int k = snprintf(lead, sizeof lead, b->csv ? "row %zu: " : "points[%zu]: ", line);
        if (k > 0 && strncmp(m, lead, (size_t)k) == 0)
            m += k;
        b->fn(b->ctx, line, err->field[0] ? err->field : "file", m, row, row_len);
    }
    return 0;
}

/* bad_row for point i of the upload. */
static int bad_point(struct store_bad_sink *b, const size_t *row, size_t i, struct purpose_err *err)
{
    if (!b || !row)
        return -1;
    return store_bad_row(b, row[i], b->csv ? b->csv + b->off[i] : NULL, b->csv ? b->len[i] : 0, err);
}

/* After every row was seen: -1 with the first bad row's message when there was one. */
int store_bad_end(struct store_bad_sink *b, int rc, struct purpose_err *err)
{
    if (rc == 0 && b && b->n) {
        *err = b->first;
        rc = -1;
    }
    return rc;
}

/* Each point's day and value, and no day twice; `row` names where point i came from (NULL: "point");
 * with a sink every bad row is told, not only the first. */
int store_points_check(const struct store_point *p, size_t n, const size_t *row, struct store_bad_sink *sink,
                        struct purpose_err *err)
{
    if (n == 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "points", "points: there are no points to add");
    if (n > STORE_POINTS_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "points", "points: at most %d points at a time", STORE_POINTS_MAX);
    for (size_t i = 0; i < n; i++) {
        char where[48];
        point_name(sink, row, i, where, sizeof where);
        struct purpose_err why = {0};
        if (store_check_date("date", p[i].day, &why) < 0) {
            purpose_errk(err, PURPOSE_ERR_INPUT, "date", "%s: %s", where, why.msg);
            if (bad_point(sink, row, i, err) < 0)
                return -1;
            continue;
        }
        if (!(fabs(p[i].value) <= STORE_VALUE_MAX) && /* NaN too */
            (purpose_errk(err, PURPOSE_ERR_INPUT, "value", "%s: value: must be a number from -%g to %g", where,
                          STORE_VALUE_MAX, STORE_VALUE_MAX),
             bad_point(sink, row, i, err) < 0))
            return -1;
    }
    const struct store_point **sorted = malloc(n * sizeof *sorted);
    if (!sorted)
        return store_oom(err);
    for (size_t i = 0; i < n; i++)
        sorted[i] = &p[i];
    qsort(sorted, n, sizeof *sorted, cmp_day);
    int rc = 0;
    for (size_t i = 1; i < n && rc == 0; i++)
        if (strcmp(sorted[i]->day, sorted[i - 1]->day) == 0) {
            size_t a = (size_t)(sorted[i - 1] - p), b = (size_t)(sorted[i] - p);
            char at[48], also[48];
            point_name(sink, row, b, at, sizeof at);
            point_name(sink, row, a, also, sizeof also);
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, "date", "%s: date: %s is given twice (also %s)", at, p[b].day,
                              also);
            rc = bad_point(sink, row, b, err);
        }
    free(sorted);
    return store_bad_end(sink, rc, err);
}

/* Writes p[0..n) (checked by points_check; `row` as there) once each fits the measure's type. */
int store_points_write(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t measure_id,
                        const struct store_point *p, size_t n, const size_t *row, const char *how,
                        struct store_bad_sink *sink, struct purpose_err *err)
{
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    struct store_measure m = {0};
    int rc = store_measure_get_in(c, sc, measure_id, &m, err);
    if (rc == 0)
        rc = store_hom_guard(c, measure_id, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct purpose_err why = {0};
        if (store_point_fits(m.chart, &p[i], &why) < 0) {
            char at[48];
            point_name(sink, row, i, at, sizeof at);
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, why.field, "%s: %s", at, why.msg);
            rc = bad_point(sink, row, i, err);
        }
    }
    rc = store_bad_end(sink, rc, err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = p[i].has_den ? db_run(c, err,
                                   "INSERT INTO measure_points(measure_id, day, value, denominator) VALUES(?,?,?,?) "
                                   "ON CONFLICT(measure_id, day) DO UPDATE SET value = excluded.value, "
                                   "denominator = excluded.denominator",
                                   "itdd", measure_id, p[i].day, p[i].value, p[i].den)
                          : db_run(c, err,
                                   "INSERT INTO measure_points(measure_id, day, value, denominator) VALUES(?,?,?,NULL) "
                                   "ON CONFLICT(measure_id, day) DO UPDATE SET value = excluded.value, "
                                   "denominator = NULL",
                                   "itd", measure_id, p[i].day, p[i].value);
    if (rc == 0)
        rc = store_series_check(c, measure_id, err);
    if (rc == 0)
        rc = store_audit(c, by, how, "measure", measure_id, NULL,
                         json_pack("{s:I, s:s, s:s}", "points", (json_int_t)n, "first", p[0].day, "last", p[n - 1].day),
                         false, true, err);
    rc = store_write_end(s, rc, err);
    store_measure_release(&m);
    return rc;
}

int store_points_put(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t measure_id,
                     const struct store_point *p, size_t n, struct purpose_err *err)
{
    if (store_points_check(p, n, NULL, NULL, err) < 0)
        return -1;
    return store_points_write(s, by, sc, measure_id, p, n, NULL, "points", NULL, err);
}

/* One member of a JSON body's "points" into p: 0, or -1 with err naming it ("points[3]: value: ..."). */
static int json_point(const json_t *o, size_t i, struct store_point *p, struct purpose_err *err)
{
    const json_t *d = json_object_get(o, "date"), *v = json_object_get(o, "value"), *dn = json_object_get(o, "denominator");
    memset(p, 0, sizeof *p);
    if (!json_is_object(o))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "points", "points[%zu]: must be an object {date, value, denominator}", i);
    if (!json_is_string(d) || json_string_length(d) >= sizeof p->day)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "date", "points[%zu]: date: must be YYYY-MM-DD", i);
    if (!json_is_number(v))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "value", "points[%zu]: value: must be a number", i);
    if (dn && !json_is_null(dn) && !json_is_number(dn))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "denominator", "points[%zu]: denominator: must be a number or null", i);
    snprintf(p->day, sizeof p->day, "%s", json_string_value(d));
    p->value = json_number_value(v);
    p->has_den = json_is_number(dn);
    p->den = p->has_den ? json_number_value(dn) : 0;
    return 0;
}

int store_points_json_each(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t measure_id,
                           const struct json_t *points, size_t *n, store_points_bad_fn on_bad, void *ctx, size_t *n_bad,
                           struct purpose_err *err)
{
    size_t total = json_is_array(points) ? json_array_size(points) : 0;
    if (!json_is_array(points) || total > STORE_POINTS_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "points", "points: must be an array of at most %d {date, value, "
                            "denominator}", STORE_POINTS_MAX);
    struct store_point *p = calloc(total ? total : 1, sizeof *p);
    size_t *at = calloc(total ? total : 1, sizeof *at), np = 0;
    /* Always a sink (without on_bad it only counts): every point is named by its index. */
    struct store_bad_sink sink = {.fn = on_bad, .ctx = ctx}, *sk = &sink;
    int rc = p && at ? 0 : store_oom(err);
    for (size_t i = 0; rc == 0 && i < total; i++) {
        if (json_point(json_array_get(points, i), i, &p[np], err) < 0) {
            rc = store_bad_row(sk, i, NULL, 0, err); /* goes on to the next point */
            continue;
        }
        at[np++] = i;
    }
    /* As an upload: the well-formed points are checked too, so that every bad one is told. */
    bool read = rc == 0;
    if (read && (np || !sink.n))
        rc = store_points_check(p, np, at, sk, err);
    if (read && np && (rc == 0 || sink.n))
        rc = store_points_write(s, by, sc, measure_id, p, np, at, "points", sk, err);
    rc = store_bad_end(sk, rc, err);
    if (rc == 0 && n)
        *n = np;
    if (n_bad)
        *n_bad = sink.n;
    free(p);
    free(at);
    return rc;
}

/* ---- deleting a point -------------------------------------------------------------------------------- */

int store_point_delete(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t measure_id,
                       const char *day, struct purpose_err *err)
{
    if (store_check_date("date", day, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    struct store_measure m = {0};
    int64_t found = 0;
    int rc = store_measure_get_in(c, sc, measure_id, &m, err);
    if (rc == 0)
        rc = store_hom_guard(c, measure_id, err);
    if (rc == 0)
        rc = db_run_i64(c, &found, err, "SELECT 1 FROM measure_points WHERE measure_id = ? AND day = ?", "it",
                        measure_id, day);
    if (rc == 0 && !found)
        rc = store_not_found(err, "point");
    if (rc == 0)
        rc = db_run(c, err, "DELETE FROM measure_points WHERE measure_id = ? AND day = ?", "it", measure_id, day);
    if (rc == 0)
        rc = store_audit(c, by, "delete point", "measure", measure_id, json_pack("{s:s}", "date", day), NULL, true,
                         false, err);
    rc = store_write_end(s, rc, err);
    store_measure_release(&m);
    return rc;
}
