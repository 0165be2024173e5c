/* Measures of a programme (measures.h): of the programme as a whole or of one of its aims. Such a
 * measure has no organisation, so no organisation's read finds it; these go by the programme. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_int.h"
#include "core/banned.h"

/* Aim aim_id (0: none) is one of programme_id's, in c: else an input error on "owner". */
static int aim_check(struct db_conn *c, int64_t programme_id, int64_t aim_id, struct purpose_err *err)
{
    int64_t found = 0;
    if (!aim_id)
        return 0;
    if (db_run_i64(c, &found, err, "SELECT id FROM aims WHERE programme_id = ? AND id = ?", "ii", programme_id,
                   aim_id) < 0)
        return -1;
    return found ? 0
                 : purpose_errk(err, PURPOSE_ERR_INPUT, "owner", "owner: the programme has no aim %lld",
                                (long long)aim_id);
}

/* NULL for 0 (the driver binds NULL only as text; the SQL casts). */
static const char *id_text(int64_t id, char *buf, size_t n)
{
    if (!id)
        return NULL;
    snprintf(buf, n, "%lld", (long long)id);
    return buf;
}

static json_t *owner_json(int64_t programme_id, int64_t aim_id)
{
    return json_pack("{s:I, s:o}", "programme_id", (json_int_t)programme_id, "aim_id",
                     aim_id ? json_integer((json_int_t)aim_id) : json_null());
}

int store_measure_add_programme(struct store *s, const struct store_actor *by, int64_t programme_id, int64_t aim_id,
                                const struct store_measure_input *in, int64_t *id, struct purpose_err *err)
{
    if (store_measure_check(in, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t new_id = 0, found = 0;
    char abuf[24], tbuf[40];
    const char *target = NULL;
    if (in->has_target)
        snprintf(tbuf, sizeof tbuf, "%.17g", in->target), target = tbuf;
    int rc = db_run_i64(c, &found, err, "SELECT id FROM programmes WHERE id = ?", "i", programme_id);
    if (rc == 0 && !found)
        rc = store_not_found(err, "programme");
    if (rc == 0)
        rc = aim_check(c, programme_id, aim_id, err);
    if (rc == 0)
        rc = db_run_i64(c, &new_id, err,
                        "INSERT INTO measures(project_id, ambition_id, org_id, programme_id, aim_id, name, kind, unit, "
                        "direction, target, created_at, chart, per) VALUES(NULL,NULL,NULL,?,CAST(? AS BIGINT),?,?,?,?,"
                        "CAST(? AS DOUBLE PRECISION),?,?,?) RETURNING id",
                        "ittttttitd", programme_id, id_text(aim_id, abuf, sizeof abuf), in->name, in->kind,
                        in->unit ? in->unit : "", in->direction, target, (int64_t)time(NULL),
                        in->chart && in->chart[0] ? in->chart : "xmr", in->per != 0 ? in->per : 1);
    if (rc == 0) {
        json_t *j = owner_json(programme_id, aim_id);
        json_object_set_new(j, "name", json_string(in->name));
        rc = store_audit(c, by, "create", "measure", new_id, NULL, j, false, true, err);
    }
    rc = store_write_end(s, rc, err);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_measure_move_programme(struct store *s, const struct store_actor *by, int64_t programme_id, int64_t id,
                                 int64_t aim_id, struct purpose_err *err)
{
    struct store_measure old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    char abuf[24];
    const struct store_scope sc = {STORE_SCOPE_PROGRAMME, programme_id};
    int rc = store_measure_get_scope_in(c, &sc, id, &old, err);
    if (rc == 0)
        rc = aim_check(c, programme_id, aim_id, err);
    if (rc == 0)
        rc = db_run(c, err, "UPDATE measures SET aim_id = CAST(? AS BIGINT) WHERE id = ?", "ti",
                    id_text(aim_id, abuf, sizeof abuf), id);
    if (rc == 0)
        rc = store_audit(c, by, "move", "measure", id, owner_json(programme_id, old.aim_id),
                         owner_json(programme_id, aim_id), true, true, err);
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
    int rc = store_measure_get_scope_in(c, sc, id, m, err);
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
