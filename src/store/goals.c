/* Goals by a target year: an organisation's ambitions (under its themes) and a programme's aims.
 * Both have the same rules (a required title, a year in range, new ones go last, every change
 * audited, reachable only through their own organisation or programme), written once over a table of
 * their SQL. Every query takes the scope id first, then the row or parent id. */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

struct goal_table {
    const char *entity, *parent_field;
    const char *sql_list_all;    /* (scope) */
    const char *sql_list_parent; /* (scope, parent) */
    const char *sql_get;         /* (scope, id) */
    const char *sql_parent;      /* (scope, parent): the parent's id if it is in scope */
    const char *sql_add;         /* (parent, parent, title, description, year) */
    const char *sql_update;      /* (title, description, year, id) */
    const char *sql_delete;      /* (id) */
    store_row_reader read;
};

/* The columns every query returns: id, parent, position, title, description, target_year. */
static int read_goal(struct db_stmt *st, int64_t *id, int64_t *parent, int *position, char **title, char **desc,
                     int *year, struct purpose_err *err)
{
    bool oom = false;
    *id = db_col_i64(st, 0);
    *parent = db_col_i64(st, 1);
    *position = (int)db_col_i64(st, 2);
    *title = db_col_dup(st, 3, &oom);
    *desc = db_col_dup(st, 4, &oom);
    *year = (int)db_col_i64(st, 5);
    if (oom) {
        free(*title);
        free(*desc);
        *title = *desc = NULL;
        return store_oom(err);
    }
    return 0;
}

static int row_ambition(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_ambition *a = item;
    return read_goal(st, &a->id, &a->theme_id, &a->position, &a->title, &a->description, &a->target_year, err);
}

static int row_aim(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_aim *a = item;
    return read_goal(st, &a->id, &a->programme_id, &a->position, &a->title, &a->description, &a->target_year, err);
}

#define AMB_COLS "a.id, a.theme_id, a.position, a.title, a.description, a.target_year"
static const struct goal_table ambitions = {
    "ambition", "theme_id",
    "SELECT " AMB_COLS " FROM ambitions a JOIN themes t ON t.id = a.theme_id WHERE t.org_id = ? "
    "ORDER BY t.position, t.id, a.position, a.id",
    "SELECT " AMB_COLS " FROM ambitions a JOIN themes t ON t.id = a.theme_id WHERE t.org_id = ? AND a.theme_id = ? "
    "ORDER BY a.position, a.id",
    "SELECT " AMB_COLS " FROM ambitions a JOIN themes t ON t.id = a.theme_id WHERE t.org_id = ? AND a.id = ?",
    "SELECT id FROM themes WHERE org_id = ? AND id = ?",
    "INSERT INTO ambitions(theme_id, position, title, description, target_year) "
    "VALUES(?, (SELECT COALESCE(MAX(position), 0) + 1 FROM ambitions WHERE theme_id = ?), ?, ?, ?) RETURNING id",
    "UPDATE ambitions SET title = ?, description = ?, target_year = ? WHERE id = ?",
    "DELETE FROM ambitions WHERE id = ?",
    row_ambition,
};

#define AIM_COLS "id, programme_id, position, title, description, target_year"
static const struct goal_table aims = {
    "aim", "programme_id",
    "SELECT " AIM_COLS " FROM aims WHERE programme_id = ? ORDER BY position, id",
    NULL,
    "SELECT " AIM_COLS " FROM aims WHERE programme_id = ? AND id = ?",
    "SELECT id FROM programmes WHERE id = ? AND id = ?",
    "INSERT INTO aims(programme_id, position, title, description, target_year) "
    "VALUES(?, (SELECT COALESCE(MAX(position), 0) + 1 FROM aims WHERE programme_id = ?), ?, ?, ?) RETURNING id",
    "UPDATE aims SET title = ?, description = ?, target_year = ? WHERE id = ?",
    "DELETE FROM aims WHERE id = ?",
    row_aim,
};

/* The shared fields of a goal, for the audit entries. */
struct goal {
    int64_t id, parent;
    int position;
    char *title, *description;
    int year;
};

static int row_goal(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct goal *g = item;
    return read_goal(st, &g->id, &g->parent, &g->position, &g->title, &g->description, &g->year, err);
}

static void goal_release(struct goal *g)
{
    free(g->title);
    free(g->description);
    memset(g, 0, sizeof *g);
}

static json_t *goal_json(const struct goal_table *t, int64_t parent, const char *title, const char *desc, int year)
{
    return json_pack("{s:I, s:s, s:s, s:i}", t->parent_field, (json_int_t)parent, "title", title, "description",
                     desc, "target_year", year);
}

static int goal_check(const char *title, const char *desc, int year, struct purpose_err *err)
{
    if (store_check_text("title", title, STORE_TITLE_MAX, true, err) < 0 ||
        store_check_text("description", desc, STORE_TEXT_MAX, false, err) < 0 || store_check_year(year, err) < 0)
        return -1;
    return 0;
}

static int goal_list(struct store *s, const struct goal_table *t, int64_t scope, int64_t parent, void **items,
                     size_t *n, size_t size, struct purpose_err *err)
{
    return parent ? store_list(s, items, n, size, t->read, err, t->sql_list_parent, "ii", scope, parent)
                  : store_list(s, items, n, size, t->read, err, t->sql_list_all, "i", scope);
}

static int goal_get_in(struct db_conn *c, const struct goal_table *t, store_row_reader rd, int64_t scope, int64_t id,
                       void *out, struct purpose_err *err)
{
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, t->sql_get, "ii", scope, id);
    return store_read_one(st, rc, out, rd, t->entity, err);
}

static int goal_get(struct store *s, const struct goal_table *t, int64_t scope, int64_t id, void *out,
                    struct purpose_err *err)
{
    return store_get(s, out, t->read, t->entity, err, t->sql_get, "ii", scope, id);
}

static int goal_add(struct store *s, const struct store_actor *by, const struct goal_table *t, int64_t scope,
                    int64_t parent, const char *title, const char *desc, int year, int64_t *id,
                    struct purpose_err *err)
{
    if (!desc)
        desc = "";
    if (goal_check(title, desc, year, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t found = 0, new_id = 0;
    int rc = db_run_i64(c, &found, err, t->sql_parent, "ii", scope, parent);
    if (rc == 0 && !found)
        rc = t == &aims ? store_not_found(err, "programme")
                        : purpose_errk(err, PURPOSE_ERR_NOT_FOUND, t->parent_field, "theme: not found");
    if (rc == 0)
        rc = db_run_i64(c, &new_id, err, t->sql_add, "iittn", parent, parent, title, desc, year);
    if (rc == 0)
        rc = store_audit(c, by, "create", t->entity, new_id, NULL, goal_json(t, parent, title, desc, year), false,
                         true, err);
    rc = store_write_end(s, rc, err);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

static int goal_update(struct store *s, const struct store_actor *by, const struct goal_table *t, int64_t scope,
                       int64_t id, const char *title, const char *desc, int year, struct purpose_err *err)
{
    if (!desc)
        desc = "";
    if (goal_check(title, desc, year, err) < 0)
        return -1;
    struct goal old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = goal_get_in(c, t, row_goal, scope, id, &old, err);
    if (rc == 0)
        rc = db_run(c, err, t->sql_update, "ttni", title, desc, year, id);
    if (rc == 0)
        rc = store_audit(c, by, "update", t->entity, id, goal_json(t, old.parent, old.title, old.description, old.year),
                         goal_json(t, old.parent, title, desc, year), true, true, err);
    rc = store_write_end(s, rc, err);
    goal_release(&old);
    return rc;
}

static int goal_delete(struct store *s, const struct store_actor *by, const struct goal_table *t, int64_t scope,
                       int64_t id, struct purpose_err *err)
{
    struct goal old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = goal_get_in(c, t, row_goal, scope, id, &old, err);
    if (rc == 0)
        rc = db_run(c, err, t->sql_delete, "i", id);
    if (rc == 0)
        rc = store_audit(c, by, "delete", t->entity, id, goal_json(t, old.parent, old.title, old.description, old.year),
                         NULL, true, false, err);
    rc = store_write_end(s, rc, err);
    goal_release(&old);
    return rc;
}

/* ---- the public functions ---------------------------------------------------------------------- */

int store_ambition_list(struct store *s, const struct store_scope *scope, int64_t theme_id, struct store_ambition_list *out,
                        struct purpose_err *err)
{
    int rc = goal_list(s, &ambitions, STORE_SCOPE_ORG_ID(scope), theme_id, (void **)&out->items, &out->n, sizeof *out->items, err);
    if (rc < 0)
        store_ambition_list_release(out);
    return rc;
}

int store_ambition_get(struct store *s, const struct store_scope *scope, int64_t id, struct store_ambition *out,
                       struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    return goal_get(s, &ambitions, STORE_SCOPE_ORG_ID(scope), id, out, err);
}

int store_ambition_add(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t theme_id,
                       const char *title, const char *desc, int year, int64_t *id, struct purpose_err *err)
{
    return goal_add(s, by, &ambitions, STORE_SCOPE_ORG_ID(scope), theme_id, title, desc, year, id, err);
}

int store_ambition_update(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                          const char *title, const char *desc, int year, struct purpose_err *err)
{
    return goal_update(s, by, &ambitions, STORE_SCOPE_ORG_ID(scope), id, title, desc, year, err);
}

int store_ambition_delete(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                          struct purpose_err *err)
{
    return goal_delete(s, by, &ambitions, STORE_SCOPE_ORG_ID(scope), id, err);
}

int store_aim_list(struct store *s, int64_t programme_id, struct store_aim_list *out, struct purpose_err *err)
{
    int rc = goal_list(s, &aims, programme_id, 0, (void **)&out->items, &out->n, sizeof *out->items, err);
    if (rc < 0)
        store_aim_list_release(out);
    return rc;
}

int store_aim_get(struct store *s, int64_t programme_id, int64_t id, struct store_aim *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    return goal_get(s, &aims, programme_id, id, out, err);
}

int store_aim_add(struct store *s, const struct store_actor *by, int64_t programme_id, const char *title,
                  const char *description, int target_year, int64_t *id, struct purpose_err *err)
{
    return goal_add(s, by, &aims, programme_id, programme_id, title, description, target_year, id, err);
}

int store_aim_update(struct store *s, const struct store_actor *by, int64_t programme_id, int64_t id,
                     const char *title, const char *description, int target_year, struct purpose_err *err)
{
    return goal_update(s, by, &aims, programme_id, id, title, description, target_year, err);
}

int store_aim_delete(struct store *s, const struct store_actor *by, int64_t programme_id, int64_t id,
                     struct purpose_err *err)
{
    return goal_delete(s, by, &aims, programme_id, id, err);
}
