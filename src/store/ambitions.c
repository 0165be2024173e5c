/* Ambitions: what each theme sets out to achieve, by a target year. */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

#define AMB_COLS "id, theme_id, position, title, description, target_year"

static int row_ambition(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_ambition *o = item;
    bool oom = false;
    o->id = db_col_i64(st, 0);
    o->theme_id = db_col_i64(st, 1);
    o->position = (int)db_col_i64(st, 2);
    o->title = db_col_dup(st, 3, &oom);
    o->description = db_col_dup(st, 4, &oom);
    o->target_year = (int)db_col_i64(st, 5);
    if (oom) {
        store_ambition_release(o);
        return store_oom(err);
    }
    return 0;
}

int store_ambition_list(struct store *s, int64_t theme_id, struct store_ambition_list *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    int rc = theme_id ? db_query(c, &st, err,
                                 "SELECT " AMB_COLS " FROM ambitions WHERE theme_id = ? ORDER BY position, id",
                                 "i", theme_id)
                      : db_query(c, &st, err,
                                 "SELECT a.id, a.theme_id, a.position, a.title, a.description, a.target_year "
                                 "FROM ambitions a JOIN themes t ON t.id = a.theme_id "
                                 "ORDER BY t.position, t.id, a.position, a.id",
                                 "");
    rc = store_read_all(st, rc, (void **)&out->items, &out->n, sizeof *out->items, row_ambition, err);
    store_read_end(s, c);
    if (rc < 0)
        store_ambition_list_release(out);
    return rc;
}

static int ambition_get_in(struct db_conn *c, int64_t id, struct store_ambition *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, "SELECT " AMB_COLS " FROM ambitions WHERE id = ?", "i", id);
    return store_read_one(st, rc, out, row_ambition, "ambition", err);
}

int store_ambition_get(struct store *s, int64_t id, struct store_ambition *out, struct purpose_err *err)
{
    struct db_conn *c;
    memset(out, 0, sizeof *out);
    if (store_read(s, &c, err) < 0)
        return -1;
    int rc = ambition_get_in(c, id, out, err);
    store_read_end(s, c);
    return rc;
}

static json_t *ambition_json(int64_t theme_id, const char *title, const char *desc, int year)
{
    return json_pack("{s:I, s:s, s:s, s:i}", "theme_id", (json_int_t)theme_id, "title", title, "description",
                     desc, "target_year", year);
}

static int ambition_check(const char *title, const char *desc, int year, struct purpose_err *err)
{
    if (store_check_text("title", title, STORE_TITLE_MAX, true, err) < 0 ||
        store_check_text("description", desc, STORE_TEXT_MAX, false, err) < 0 || store_check_year(year, err) < 0)
        return -1;
    return 0;
}

int store_ambition_add(struct store *s, const struct store_actor *by, int64_t theme_id, const char *title,
                       const char *desc, int year, int64_t *id, struct purpose_err *err)
{
    if (!desc)
        desc = "";
    if (ambition_check(title, desc, year, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t found = 0, new_id = 0;
    int rc = db_run_i64(c, &found, err, "SELECT id FROM themes WHERE id = ?", "i", theme_id);
    if (rc == 0 && !found)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "theme_id", "theme_id: theme %lld does not exist",
                          (long long)theme_id);
    if (rc == 0)
        rc = db_run_i64(c, &new_id, err,
                        "INSERT INTO ambitions(theme_id, position, title, description, target_year) "
                        "VALUES(?, (SELECT COALESCE(MAX(position), 0) + 1 FROM ambitions WHERE theme_id = ?), "
                        "?, ?, ?) RETURNING id",
                        "iittn", theme_id, theme_id, title, desc, year);
    if (rc == 0)
        rc = store_audit(c, by, "create", "ambition", new_id, NULL, ambition_json(theme_id, title, desc, year),
                         false, true, err);
    rc = store_write_end(s, rc, err);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_ambition_update(struct store *s, const struct store_actor *by, int64_t id, const char *title,
                          const char *desc, int year, struct purpose_err *err)
{
    if (!desc)
        desc = "";
    if (ambition_check(title, desc, year, err) < 0)
        return -1;
    struct store_ambition old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = ambition_get_in(c, id, &old, err);
    if (rc == 0)
        rc = db_run(c, err, "UPDATE ambitions SET title = ?, description = ?, target_year = ? WHERE id = ?", "ttni",
                    title, desc, year, id);
    if (rc == 0)
        rc = store_audit(c, by, "update", "ambition", id,
                         ambition_json(old.theme_id, old.title, old.description, old.target_year),
                         ambition_json(old.theme_id, title, desc, year), true, true, err);
    rc = store_write_end(s, rc, err);
    store_ambition_release(&old);
    return rc;
}

int store_ambition_delete(struct store *s, const struct store_actor *by, int64_t id, struct purpose_err *err)
{
    struct store_ambition old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = ambition_get_in(c, id, &old, err);
    if (rc == 0)
        rc = db_run(c, err, "DELETE FROM ambitions WHERE id = ?", "i", id);
    if (rc == 0)
        rc = store_audit(c, by, "delete", "ambition", id,
                         ambition_json(old.theme_id, old.title, old.description, old.target_year), NULL, true, false,
                         err);
    rc = store_write_end(s, rc, err);
    store_ambition_release(&old);
    return rc;
}
