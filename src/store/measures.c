/* Measures of projects, ambitions and organisations: what is measured and which way is better, where
 * it belongs, and rebases with their reasons (their points are points.c's). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_int.h"
#include "core/banned.h"

void store_measure_release(struct store_measure *m)
{
    free(m->name);
    free(m->kind);
    free(m->unit);
    free(m->direction);
    memset(m, 0, sizeof *m);
}

void store_measure_list_release(struct store_measure_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        store_measure_release(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void store_point_list_release(struct store_point_list *l)
{
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void store_rebase_list_release(struct store_rebase_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i].reason);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

static bool one_of(const char *s, const char *a, const char *b, const char *c)
{
    return s && (strcmp(s, a) == 0 || strcmp(s, b) == 0 || strcmp(s, c) == 0);
}

int store_measure_check(const struct store_measure_input *in, struct purpose_err *err)
{
    if (store_check_text("name", in->name, STORE_TITLE_MAX, true, err) < 0 ||
        store_check_text("unit", in->unit, STORE_UNIT_MAX, false, err) < 0)
        return -1;
    if (!one_of(in->kind, "outcome", "process", "balancing"))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "kind", "kind: must be outcome, process or balancing");
    if (!one_of(in->direction, "increase", "decrease", "neutral"))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "direction", "direction: must be increase, decrease or neutral");
    if (in->has_target && !(fabs(in->target) <= STORE_VALUE_MAX))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "target", "target: must be a number from -%g to %g",
                            STORE_VALUE_MAX, STORE_VALUE_MAX);
    enum spc_chart ch;
    if (in->chart && in->chart[0] && spc_chart_parse(in->chart, &ch) < 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "chart", "chart: must be xmr, run, p, pp, u, up, c, g or t");
    if (in->per != 0 && !(in->per > 0 && in->per <= STORE_PER_MAX))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "per", "per: must be a number above 0, at most %g", STORE_PER_MAX);
    return 0;
}

static const char *input_chart(const struct store_measure_input *in)
{
    return in->chart && in->chart[0] ? in->chart : "xmr";
}

static double input_per(const struct store_measure_input *in)
{
    return in->per != 0 ? in->per : 1;
}

static json_t *measure_json(int64_t project_id, const struct store_measure_input *in)
{
    return json_pack("{s:o, s:s, s:s, s:s, s:s, s:o, s:s, s:f}", "project_id",
                     project_id ? json_integer((json_int_t)project_id) : json_null(), "name", in->name,
                     "kind", in->kind, "unit", in->unit ? in->unit : "", "direction", in->direction, "target",
                     in->has_target ? json_real(in->target) : json_null(), "chart", input_chart(in), "per",
                     input_per(in));
}

#define MEASURE_COLS                                                                                    \
    "m.id, m.project_id, m.name, m.kind, m.unit, m.direction, m.target, m.created_at, m.chart, m.per, m.org_id, " \
    "m.ambition_id, m.programme_id, m.aim_id"

static int row_measure(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_measure *m = item;
    bool oom = false;
    m->id = db_col_i64(st, 0);
    m->project_id = db_col_null(st, 1) ? 0 : db_col_i64(st, 1);
    m->name = db_col_dup(st, 2, &oom);
    m->kind = db_col_dup(st, 3, &oom);
    m->unit = db_col_dup(st, 4, &oom);
    m->direction = db_col_dup(st, 5, &oom);
    m->has_target = !db_col_null(st, 6);
    m->target = m->has_target ? db_col_double(st, 6) : 0;
    m->created_at = db_col_i64(st, 7);
    const char *chart = db_col_text(st, 8);
    if (!chart || spc_chart_parse(chart, &m->chart) < 0)
        m->chart = SPC_CHART_XMR;
    m->per = db_col_double(st, 9);
    if (!(m->per > 0))
        m->per = 1;
    m->org_id = db_col_null(st, 10) ? 0 : db_col_i64(st, 10);
    m->ambition_id = db_col_null(st, 11) ? 0 : db_col_i64(st, 11);
    m->programme_id = db_col_null(st, 12) ? 0 : db_col_i64(st, 12);
    m->aim_id = db_col_null(st, 13) ? 0 : db_col_i64(st, 13);
    if (oom) {
        store_measure_release(m);
        return store_oom(err);
    }
    return 0;
}

int store_measure_get_in(struct db_conn *c, const struct store_scope *sc, int64_t id, struct store_measure *out,
                         struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, "SELECT " MEASURE_COLS " FROM measures m WHERE " STORE_MEASURE_IN_SCOPE " AND m.id = ?",
                      "iii", STORE_MEASURE_SCOPE(sc), id);
    return store_read_one(st, rc, out, row_measure, "measure", err);
}

int store_measure_get_in_any(struct db_conn *c, int64_t id, struct store_measure *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, "SELECT " MEASURE_COLS " FROM measures m WHERE m.id = ?", "i", id);
    return store_read_one(st, rc, out, row_measure, "measure", err);
}

int store_measure_get(struct store *s, const struct store_scope *sc, int64_t id, struct store_measure *out,
                      struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    int rc = store_measure_get_in(c, sc, id, out, err);
    store_read_end(s, c);
    return rc;
}

/* A programme's measures have no project, an organisation's no aim: one order serves both. */
int store_measure_list(struct store *s, const struct store_scope *sc, int64_t project_id, struct store_measure_list *out,
                       struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_measure, err,
                        "SELECT " MEASURE_COLS " FROM measures m WHERE " STORE_MEASURE_IN_SCOPE
                        " AND (? = 0 OR m.project_id = ?) ORDER BY COALESCE(m.project_id, m.aim_id, 0), m.id",
                        "iiii", STORE_MEASURE_SCOPE(sc), project_id, project_id);
    if (rc < 0)
        store_measure_list_release(out);
    return rc;
}

/* A programme's projects are those of its partners that name it (as store_project_list with org 0). */
#define PROGRAMME_PROJECTS                                                                              \
    " JOIN programme_partners pp ON pp.programme_id = p.programme_id AND pp.org_id = p.org_id"          \
    " WHERE p.programme_id = ?"

int store_measure_list_programme(struct store *s, const struct store_scope *sc, struct store_measure_list *out,
                                 struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_measure, err,
                        "SELECT " MEASURE_COLS " FROM measures m JOIN projects p ON p.id = m.project_id"
                        PROGRAMME_PROJECTS " ORDER BY m.project_id, m.id",
                        "i", STORE_SCOPE_PROGRAMME_ID(sc));
    if (rc < 0)
        store_measure_list_release(out);
    return rc;
}

/* The owner to, checked in c: of an organisation, one of its projects or ambitions (or neither, never
 * both); of a programme, one of its aims or none. */
static int owner_check(struct db_conn *c, const struct store_scope *sc, const struct store_measure_owner *to,
                       struct purpose_err *err)
{
    int64_t found = 0;
    int rc = 0;
    if (sc->kind == STORE_SCOPE_PROGRAMME) {
        if (to->project_id || to->ambition_id)
            return purpose_errk(err, PURPOSE_ERR_INPUT, "owner",
                                "owner: a programme's measure belongs to the programme or one of its aims");
        rc = db_run_i64(c, &found, err, "SELECT id FROM programmes WHERE id = ?", "i", sc->id);
        if (rc == 0 && !found)
            return store_not_found(err, "programme");
        if (rc == 0 && to->aim_id) {
            found = 0;
            rc = db_run_i64(c, &found, err, "SELECT id FROM aims WHERE programme_id = ? AND id = ?", "ii", sc->id,
                            to->aim_id);
            if (rc == 0 && !found)
                rc = purpose_errk(err, PURPOSE_ERR_INPUT, "owner", "owner: the programme has no aim %lld",
                                  (long long)to->aim_id);
        }
        return rc;
    }
    if (to->aim_id)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "owner", "owner: an organisation's measure belongs to no aim");
    if (to->project_id && to->ambition_id)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "owner",
                            "owner: a measure belongs to a project or an ambition, not both");
    if (to->project_id) {
        rc = db_run_i64(c, &found, err, "SELECT id FROM projects WHERE org_id = ? AND id = ?", "ii", sc->id,
                        to->project_id);
        if (rc == 0 && !found)
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, "owner", "owner: the organisation has no project %lld",
                              (long long)to->project_id);
    } else if (to->ambition_id) {
        rc = db_run_i64(c, &found, err,
                        "SELECT a.id FROM ambitions a JOIN themes t ON t.id = a.theme_id WHERE t.org_id = ? AND a.id = ?",
                        "ii", sc->id, to->ambition_id);
        if (rc == 0 && !found)
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, "owner", "owner: the organisation has no ambition %lld",
                              (long long)to->ambition_id);
    }
    return rc;
}

/* NULL for 0: a level the measure is not at. */
static const char *id_or_null(int64_t id, char *buf, size_t n)
{
    if (!id)
        return NULL;
    snprintf(buf, n, "%lld", (long long)id);
    return buf;
}

/* Where a measure is, for its audit entries. */
static json_t *owner_json(const struct store_scope *sc, const struct store_measure_owner *to)
{
    json_t *j = json_object();
    if (sc->kind == STORE_SCOPE_PROGRAMME) {
        json_object_set_new(j, "programme_id", json_integer((json_int_t)sc->id));
        json_object_set_new(j, "aim_id", to->aim_id ? json_integer((json_int_t)to->aim_id) : json_null());
    } else {
        json_object_set_new(j, "project_id", to->project_id ? json_integer((json_int_t)to->project_id) : json_null());
        json_object_set_new(j, "ambition_id", to->ambition_id ? json_integer((json_int_t)to->ambition_id) : json_null());
    }
    return j;
}

int store_measure_insert_in(struct db_conn *c, const struct store_actor *by, const struct store_scope *sc,
                            const struct store_measure_owner *to, const struct store_measure_input *in, int64_t *id,
                            struct purpose_err *err)
{
    int64_t new_id = 0;
    char pbuf[24], abuf[24], obuf[24], gbuf[24], ibuf[24], tbuf[40];
    const char *target = NULL;
    if (in->has_target)
        snprintf(tbuf, sizeof tbuf, "%.17g", in->target), target = tbuf;
    int rc = owner_check(c, sc, to, err);
    /* Ids and the target bind as text (NULL for none) and are cast: the driver binds NULL only as text. */
    if (rc == 0)
        rc = db_run_i64(c, &new_id, err,
                        "INSERT INTO measures(project_id, ambition_id, org_id, programme_id, aim_id, name, kind, unit, "
                        "direction, target, created_at, chart, per) VALUES(CAST(? AS BIGINT),CAST(? AS BIGINT),"
                        "CAST(? AS BIGINT),CAST(? AS BIGINT),CAST(? AS BIGINT),?,?,?,?,CAST(? AS DOUBLE PRECISION),?,?,?) "
                        "RETURNING id",
                        "ttttttttttitd", id_or_null(to->project_id, pbuf, sizeof pbuf),
                        id_or_null(to->ambition_id, abuf, sizeof abuf), id_or_null(STORE_SCOPE_ORG_ID(sc), obuf, sizeof obuf),
                        id_or_null(STORE_SCOPE_PROGRAMME_ID(sc), gbuf, sizeof gbuf),
                        id_or_null(to->aim_id, ibuf, sizeof ibuf), in->name, in->kind, in->unit ? in->unit : "",
                        in->direction, target, (int64_t)time(NULL), input_chart(in), input_per(in));
    if (rc == 0) {
        json_t *j = measure_json(to->project_id, in);
        json_t *o = owner_json(sc, to);
        json_object_update(j, o);
        json_decref(o);
        rc = store_audit(c, by, "create", "measure", new_id, NULL, j, false, true, err);
    }
    if (rc == 0)
        *id = new_id;
    return rc;
}

int store_measure_add_to(struct store *s, const struct store_actor *by, const struct store_scope *sc,
                         const struct store_measure_owner *to, const struct store_measure_input *in, int64_t *id,
                         struct purpose_err *err)
{
    if (store_measure_check(in, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t new_id = 0;
    int rc = store_write_end(s, store_measure_insert_in(c, by, sc, to, in, &new_id, err), err);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_measure_add(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t project_id,
                      const struct store_measure_input *in, int64_t *id, struct purpose_err *err)
{
    if (project_id == 0) /* a project's measure: 0 names none */
        return store_not_found(err, "project");
    struct store_measure_owner to = {.project_id = project_id};
    int rc = store_measure_add_to(s, by, sc, &to, in, id, err);
    if (rc < 0 && err->kind == PURPOSE_ERR_INPUT && strcmp(err->field, "owner") == 0)
        return store_not_found(err, "project"); /* the project of the path */
    return rc;
}

int store_measure_move(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t id,
                       const struct store_measure_owner *to, struct purpose_err *err)
{
    struct store_measure old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    char pbuf[24], abuf[24], ibuf[24];
    int rc = store_measure_get_in(c, sc, id, &old, err);
    if (rc == 0)
        rc = owner_check(c, sc, to, err);
    if (rc == 0)
        rc = db_run(c, err,
                    "UPDATE measures SET project_id = CAST(? AS BIGINT), ambition_id = CAST(? AS BIGINT), "
                    "aim_id = CAST(? AS BIGINT) WHERE id = ?",
                    "ttti", id_or_null(to->project_id, pbuf, sizeof pbuf), id_or_null(to->ambition_id, abuf, sizeof abuf),
                    id_or_null(to->aim_id, ibuf, sizeof ibuf), id);
    if (rc == 0) {
        const struct store_measure_owner was = {old.project_id, old.ambition_id, old.aim_id};
        rc = store_audit(c, by, "move", "measure", id, owner_json(sc, &was), owner_json(sc, to), true, true, err);
    }
    rc = store_write_end(s, rc, err);
    store_measure_release(&old);
    return rc;
}

static struct store_measure_input as_input(const struct store_measure *m)
{
    return (struct store_measure_input){m->name,      m->kind,   m->unit, m->direction, m->has_target,
                                        m->target, spc_chart_name(m->chart), m->per};
}

int store_measure_update(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t id,
                         const struct store_measure_input *in, struct purpose_err *err)
{
    if (store_measure_check(in, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    return store_write_end(s, store_measure_update_in(c, by, sc, id, in, err), err);
}

int store_measure_update_in(struct db_conn *c, const struct store_actor *by, const struct store_scope *sc, int64_t id,
                            const struct store_measure_input *in, struct purpose_err *err)
{
    struct store_measure old = {0};
    int rc = store_measure_get_in(c, sc, id, &old, err);
    if (rc == 0 && in->has_target)
        rc = db_run(c, err,
                    "UPDATE measures SET name = ?, kind = ?, unit = ?, direction = ?, target = ?, chart = ?, per = ? "
                    "WHERE id = ?",
                    "ttttdtdi", in->name, in->kind, in->unit ? in->unit : "", in->direction, in->target,
                    input_chart(in), input_per(in), id);
    else if (rc == 0)
        rc = db_run(c, err,
                    "UPDATE measures SET name = ?, kind = ?, unit = ?, direction = ?, target = NULL, chart = ?, per = ? "
                    "WHERE id = ?",
                    "tttttdi", in->name, in->kind, in->unit ? in->unit : "", in->direction, input_chart(in),
                    input_per(in), id);
    if (rc == 0 && store_series_check(c, id, err) < 0) { /* a new type re-charts the points: they must fit it */
        rc = -1;
        if (err->kind == PURPOSE_ERR_INPUT) {
            char why[sizeof err->msg];
            snprintf(why, sizeof why, "%s", err->msg);
            purpose_errk(err, PURPOSE_ERR_INPUT, "chart", "chart: the measure's points do not fit a %s chart: %s",
                         input_chart(in), why);
        }
    }
    if (rc == 0) {
        struct store_measure_input was = as_input(&old);
        rc = store_audit(c, by, "update", "measure", id, measure_json(old.project_id, &was),
                         measure_json(old.project_id, in), true, true, err);
    }
    store_measure_release(&old);
    return rc;
}

int store_measure_delete(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t id,
                         struct purpose_err *err)
{
    struct store_measure old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = store_measure_get_in(c, sc, id, &old, err);
    if (rc == 0)
        rc = db_run(c, err, "DELETE FROM measures WHERE id = ?", "i", id);
    if (rc == 0) {
        struct store_measure_input was = as_input(&old);
        rc = store_audit(c, by, "delete", "measure", id, measure_json(old.project_id, &was), NULL, true, false, err);
    }
    rc = store_write_end(s, rc, err);
    store_measure_release(&old);
    return rc;
}

int store_measure_series(struct store *s, const struct store_scope *sc, int64_t id, struct store_measure *m,
                         struct store_point_list *pts, struct store_rebase_list *rb, struct purpose_err *err)
{
    memset(m, 0, sizeof *m);
    *pts = (struct store_point_list){0};
    *rb = (struct store_rebase_list){0};
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    int rc = store_measure_get_in(c, sc, id, m, err);
    if (rc == 0)
        rc = store_points_in(c, id, pts, err);
    if (rc == 0)
        rc = store_rebases_in(c, id, rb, err);
    store_read_end(s, c);
    if (rc < 0) {
        store_measure_release(m);
        store_point_list_release(pts);
        store_rebase_list_release(rb);
    }
    return rc;
}

/* ---- rebases ----------------------------------------------------------------------------------- */

static int row_rebase(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_rebase *b = item;
    bool oom = false;
    b->id = db_col_i64(st, 0);
    const char *d = db_col_text(st, 1);
    snprintf(b->day, sizeof b->day, "%s", d ? d : "");
    b->reason = db_col_dup(st, 2, &oom);
    return oom ? store_oom(err) : 0;
}

int store_rebases_in(struct db_conn *c, int64_t measure_id, struct store_rebase_list *out, struct purpose_err *err)
{
    *out = (struct store_rebase_list){0};
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, "SELECT b.id, b.day, b.reason FROM measure_rebases b WHERE b.measure_id = ? ORDER BY b.day",
                      "i", measure_id);
    rc = store_read_all(st, rc, (void **)&out->items, &out->n, sizeof *out->items, row_rebase, err);
    if (rc < 0)
        store_rebase_list_release(out);
    return rc;
}

int store_rebase_list(struct store *s, const struct store_scope *scope, int64_t measure_id,
                      struct store_rebase_list *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_rebase, err,
                        "SELECT b.id, b.day, b.reason FROM measure_rebases b JOIN measures m ON m.id = b.measure_id "
                        "WHERE " STORE_MEASURE_IN_SCOPE " AND m.id = ? ORDER BY b.day",
                        "iii", STORE_MEASURE_SCOPE(scope), measure_id);
    if (rc < 0)
        store_rebase_list_release(out);
    return rc;
}

int store_rebase_add(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t measure_id,
                     const char *day, const char *reason, int64_t *id, struct purpose_err *err)
{
    if (store_check_date("date", day, err) < 0 || store_check_text("reason", reason, STORE_TEXT_MAX, true, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    struct store_measure m = {0};
    int64_t new_id = 0, at = 0, earlier = 0;
    int rc = store_measure_get_in(c, scope, measure_id, &m, err);
    /* One rule with purpose spc --rebase X (shared/spec/cli.md): a rebase names a point by its x,
     * and a rebase at the first point starts no group. */
    if (rc == 0)
        rc = db_run_i64(c, &at, err, "SELECT 1 FROM measure_points WHERE measure_id = ? AND day = ?", "it", measure_id,
                        day);
    if (rc == 0 && !at)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "date",
                          "date: the measure has no point on %s; a rebase starts at one of its points", day);
    if (rc == 0)
        rc = db_run_i64(c, &earlier, err, "SELECT COUNT(*) FROM measure_points WHERE measure_id = ? AND day < ?", "it",
                        measure_id, day);
    if (rc == 0 && !earlier)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "date",
                          "date: %s is the measure's first point; a rebase starts new limits at a later one", day);
    if (rc == 0) {
        rc = db_run_i64(c, &new_id, err, "INSERT INTO measure_rebases(measure_id, day, reason) VALUES(?,?,?) RETURNING id",
                        "itt", measure_id, day, reason);
        if (rc < 0 && err->kind == PURPOSE_ERR_CONFLICT)
            purpose_errk(err, PURPOSE_ERR_CONFLICT, "date", "date: the measure is rebased on %s already", day);
    }
    if (rc == 0)
        rc = store_audit(c, by, "create", "rebase", new_id, NULL,
                         json_pack("{s:I, s:s, s:s}", "measure_id", (json_int_t)measure_id, "date", day, "reason", reason),
                         false, true, err);
    rc = store_write_end(s, rc, err);
    store_measure_release(&m);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_rebase_delete(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                        struct purpose_err *err)
{
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    struct store_rebase b = {0};
    int rc = db_query(c, &st, err,
                      "SELECT b.id, b.day, b.reason FROM measure_rebases b JOIN measures m ON m.id = b.measure_id "
                      "WHERE " STORE_MEASURE_IN_SCOPE " AND b.id = ?",
                      "iii", STORE_MEASURE_SCOPE(scope), id);
    rc = store_read_one(st, rc, &b, row_rebase, "rebase", err);
    if (rc == 0)
        rc = db_run(c, err, "DELETE FROM measure_rebases WHERE id = ?", "i", id);
    if (rc == 0)
        rc = store_audit(c, by, "delete", "rebase", id, json_pack("{s:s, s:s}", "date", b.day, "reason", b.reason), NULL,
                         true, false, err);
    rc = store_write_end(s, rc, err);
    free(b.reason);
    return rc;
}
