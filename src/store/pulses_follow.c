/* A pulse statement followed as a measure (pulses.h, store_pulse_follow): a P chart of everyone's
 * share agreeing per closed wave, at any level of the organisation's measures, so that it appears in
 * the summary and the board pack; its points are written from the results, never by hand. */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

struct follow_row {
    int64_t measure_id, statement_id, org_id;
};

static int row_follow(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    struct follow_row *f = item;
    f->measure_id = db_col_i64(st, 0);
    f->statement_id = db_col_i64(st, 1);
    f->org_id = db_col_i64(st, 2);
    return 0;
}

int store_pulse_refresh(struct store *s, const struct store_actor *by, const struct store_pulse *p,
                        struct purpose_err *err)
{
    struct follow_row *rows = NULL;
    size_t n = 0;
    int rc = store_list(s, (void **)&rows, &n, sizeof *rows, row_follow, err,
                        "SELECT f.measure_id, f.statement_id, m.org_id FROM pulse_measures f "
                        "JOIN pulse_statements t ON t.id = f.statement_id JOIN measures m ON m.id = f.measure_id "
                        "WHERE t.pulse_id = ? ORDER BY f.measure_id",
                        "i", p->id);
    struct store_pulse_results r = {0};
    if (rc == 0 && n > 0)
        rc = store_pulse_results(s, p, &r, err);
    struct store_point *pts = rc == 0 && n > 0 ? calloc(r.waves.n + 1, sizeof *pts) : NULL;
    if (rc == 0 && n > 0 && !pts)
        rc = store_oom(err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        size_t st = 0;
        while (st < p->nstatements && p->statements[st].id != rows[i].statement_id)
            st++;
        size_t np = 0;
        for (size_t w = 0; st < p->nstatements && w < r.waves.n; w++) {
            int64_t answers = store_pulse_group_answers(&r, w, 0);
            if (!r.shown[w * r.ngroups] || answers == 0)
                continue;
            if (np && strcmp(pts[np - 1].day, r.waves.items[w].day) == 0)
                np--; /* two waves opened on one day: a measure has one point a day, the later */
            memcpy(pts[np].day, r.waves.items[w].day, sizeof pts[np].day);
            pts[np].value = (double)store_pulse_agree(&r, w, st, 0);
            pts[np].has_den = true;
            pts[np++].den = (double)answers;
        }
        if (np)
            rc = store_points_put(s, by, STORE_ORG_SCOPE(rows[i].org_id), rows[i].measure_id, pts, np, err);
    }
    free(pts);
    free(rows);
    store_pulse_results_release(&r);
    return rc;
}

int store_pulse_follow(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t pulse_id,
                       int64_t statement_id, int64_t ambition_id, bool has_target, double target, int64_t *measure_id,
                       struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    struct store_pulse p;
    if (store_pulse_get(s, *scope, pulse_id, &p, err) < 0) /* its owner's scope only */
        return -1;
    int rc = 0;
    if (p.scope.kind == STORE_SCOPE_PROGRAMME)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "pulse",
                          "pulse: a programme's pulse cannot be followed as a measure: measures belong to an organisation");
    size_t st = 0;
    while (rc == 0 && st < p.nstatements && p.statements[st].id != statement_id)
        st++;
    if (rc == 0 && st == p.nstatements)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "statement", "statement: %lld is not a statement of this pulse",
                          (long long)statement_id);
    if (rc < 0) {
        store_pulse_release(&p);
        return -1;
    }
    if (store_tx_begin(s, err) < 0) {
        store_pulse_release(&p);
        return -1;
    }
    struct store_measure_input in = {.name = p.statements[st].text, .kind = "outcome", .unit = "%",
                                     .direction = "increase", .has_target = has_target, .target = target,
                                     .chart = "p", .per = 100};
    struct store_measure_owner to = {.ambition_id = ambition_id};
    int64_t mid = 0;
    rc = store_measure_add_to(s, by, STORE_ORG_SCOPE(org_id), &to, &in, &mid, err);
    struct db_conn *c = NULL;
    if (rc == 0 && (rc = store_write(s, &c, err)) == 0) {
        rc = db_run(c, err, "INSERT INTO pulse_measures(measure_id, statement_id) VALUES(?,?)", "ii", mid, statement_id);
        if (rc == 0)
            rc = store_audit(c, by, "follow", "pulse", pulse_id, NULL,
                             json_pack("{s:I, s:I}", "statement_id", (json_int_t)statement_id, "measure_id",
                                       (json_int_t)mid),
                             false, true, err);
        rc = store_write_end(s, rc, err);
    }
    if (rc == 0)
        rc = store_pulse_refresh(s, by, &p, err);
    struct purpose_err end = {0};
    if (store_tx_end(s, rc == 0, rc == 0 ? err : &end) < 0)
        rc = -1;
    store_pulse_release(&p);
    if (rc == 0 && measure_id)
        *measure_id = mid;
    return rc;
}
