/* Values and themes: an organisation's ordered lists of a name (or title) and a description. Both
 * have the same rules (a required name, new items go last, every change audited), written once over
 * a table of their SQL. Each belongs to one organisation. Deleting a theme deletes its ambitions
 * (a foreign key cascade), each audited. */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

/* Audits the rows a delete will remove with it (a cascade), in the delete's transaction. */
typedef int (*named_cascade)(struct db_conn *c, const struct store_actor *by, int64_t id, struct purpose_err *err);

struct named_table {
    const char *entity;     /* audit entity, and "<entity>: not found" */
    const char *name_field; /* "name" or "title" */
    /* list (org), get (org, id), add (org, org, a, b), update (a, b, id), delete (id) */
    const char *sql_list, *sql_get, *sql_add, *sql_update, *sql_delete;
    named_cascade cascade;
};

static const struct named_table values_table = {
    "value", "name",
    "SELECT id, org_id, position, name, description FROM org_values WHERE org_id = ? ORDER BY position, id",
    "SELECT id, org_id, position, name, description FROM org_values WHERE org_id = ? AND id = ?",
    "INSERT INTO org_values(org_id, position, name, description) "
    "VALUES(?, (SELECT COALESCE(MAX(position), 0) + 1 FROM org_values WHERE org_id = ?), ?, ?) RETURNING id",
    "UPDATE org_values SET name = ?, description = ? WHERE id = ?",
    "DELETE FROM org_values WHERE id = ?",
    NULL,
};

/* Deleting a theme deletes its ambitions: each one is audited with what it was. */
static int theme_cascade(struct db_conn *c, const struct store_actor *by, int64_t id, struct purpose_err *err)
{
    struct db_stmt *st = NULL;
    if (db_query(c, &st, err,
                 "SELECT id, theme_id, title, description, target_year FROM ambitions WHERE theme_id = ? "
                 "ORDER BY position, id",
                 "i", id) < 0)
        return -1;
    /* Collected first: the audit insert runs on the same connection. */
    json_t *gone = json_array();
    int r;
    while (gone && (r = db_step(st, err)) == 1) {
        json_t *row = json_pack("{s:I, s:I, s:s, s:s, s:I}", "id", (json_int_t)db_col_i64(st, 0), "theme_id",
                                (json_int_t)db_col_i64(st, 1), "title", db_col_text(st, 2), "description",
                                db_col_text(st, 3), "target_year", (json_int_t)db_col_i64(st, 4));
        if (!row || json_array_append_new(gone, row) < 0) {
            db_reset(st);
            json_decref(gone);
            return store_oom(err);
        }
    }
    if (!gone)
        return store_oom(err);
    if (r < 0) {
        json_decref(gone);
        return -1;
    }
    db_reset(st);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < json_array_size(gone); i++) {
        json_t *row = json_array_get(gone, i);
        int64_t aid = (int64_t)json_integer_value(json_object_get(row, "id"));
        json_object_del(row, "id");
        rc = store_audit(c, by, "delete", "ambition", aid, json_incref(row), NULL, true, false, err);
    }
    json_decref(gone);
    return rc;
}

static const struct named_table themes_table = {
    "theme", "title",
    "SELECT id, org_id, position, title, description FROM themes WHERE org_id = ? ORDER BY position, id",
    "SELECT id, org_id, position, title, description FROM themes WHERE org_id = ? AND id = ?",
    "INSERT INTO themes(org_id, position, title, description) "
    "VALUES(?, (SELECT COALESCE(MAX(position), 0) + 1 FROM themes WHERE org_id = ?), ?, ?) RETURNING id",
    "UPDATE themes SET title = ?, description = ? WHERE id = ?",
    "DELETE FROM themes WHERE id = ?",
    theme_cascade,
};

/* Reads the shared columns into the five fields of either record. */
static int read_named(struct db_stmt *st, int64_t *id, int64_t *org, int *position, char **a, char **b,
                      struct purpose_err *err)
{
    bool oom = false;
    *id = db_col_i64(st, 0);
    *org = db_col_i64(st, 1);
    *position = (int)db_col_i64(st, 2);
    *a = db_col_dup(st, 3, &oom);
    *b = db_col_dup(st, 4, &oom);
    if (oom) {
        free(*a);
        free(*b);
        *a = *b = NULL;
        return store_oom(err);
    }
    return 0;
}

static int row_value(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_value *v = item;
    return read_named(st, &v->id, &v->org_id, &v->position, &v->name, &v->description, err);
}

static int row_theme(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_theme *t = item;
    return read_named(st, &t->id, &t->org_id, &t->position, &t->title, &t->description, err);
}

static int named_list(struct store *s, const struct named_table *t, int64_t org, store_row_reader rd, void **items,
                      size_t *n, size_t size, struct purpose_err *err)
{
    return store_list(s, items, n, size, rd, err, t->sql_list, "i", org);
}

static int named_get_in(struct db_conn *c, const struct named_table *t, store_row_reader rd, int64_t org,
                        int64_t id, void *out, struct purpose_err *err)
{
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, t->sql_get, "ii", org, id);
    return store_read_one(st, rc, out, rd, t->entity, err);
}

static int named_get(struct store *s, const struct named_table *t, store_row_reader rd, int64_t org, int64_t id,
                     void *out, struct purpose_err *err)
{
    return store_get(s, out, rd, t->entity, err, t->sql_get, "ii", org, id);
}

static json_t *named_json(const struct named_table *t, const char *a, const char *b)
{
    return json_pack("{s:s, s:s}", t->name_field, a, "description", b);
}

static int named_check(const struct named_table *t, const char *a, const char *b, struct purpose_err *err)
{
    if (store_check_text(t->name_field, a, STORE_TITLE_MAX, true, err) < 0 ||
        store_check_text("description", b, STORE_TEXT_MAX, false, err) < 0)
        return -1;
    return 0;
}

static int named_add(struct store *s, const struct store_actor *by, const struct named_table *t, int64_t org,
                     const char *a, const char *b, int64_t *id, struct purpose_err *err)
{
    if (!b)
        b = "";
    if (named_check(t, a, b, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t new_id = 0, found = 0;
    int rc = db_run_i64(c, &found, err, "SELECT id FROM organisations WHERE id = ?", "i", org);
    if (rc == 0 && !found)
        rc = store_not_found(err, "organisation");
    if (rc == 0)
        rc = db_run_i64(c, &new_id, err, t->sql_add, "iitt", org, org, a, b);
    if (rc == 0)
        rc = store_audit(c, by, "create", t->entity, new_id, NULL, named_json(t, a, b), false, true, err);
    rc = store_write_end(s, rc, err);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

/* The old name and description, read in the write transaction for the audit "before". */
struct named_old {
    int64_t id, org;
    int position;
    char *a, *b;
};

static int row_old(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct named_old *o = item;
    return read_named(st, &o->id, &o->org, &o->position, &o->a, &o->b, err);
}

static int named_update(struct store *s, const struct store_actor *by, const struct named_table *t, int64_t org,
                        int64_t id, const char *a, const char *b, struct purpose_err *err)
{
    if (!b)
        b = "";
    if (named_check(t, a, b, err) < 0)
        return -1;
    struct named_old old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = named_get_in(c, t, row_old, org, id, &old, err);
    if (rc == 0)
        rc = db_run(c, err, t->sql_update, "tti", a, b, id);
    if (rc == 0)
        rc = store_audit(c, by, "update", t->entity, id, named_json(t, old.a, old.b), named_json(t, a, b), true,
                         true, err);
    rc = store_write_end(s, rc, err);
    free(old.a);
    free(old.b);
    return rc;
}

static int named_delete(struct store *s, const struct store_actor *by, const struct named_table *t, int64_t org,
                        int64_t id, struct purpose_err *err)
{
    struct named_old old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = named_get_in(c, t, row_old, org, id, &old, err);
    if (rc == 0 && t->cascade)
        rc = t->cascade(c, by, id, err);
    if (rc == 0)
        rc = db_run(c, err, t->sql_delete, "i", id);
    if (rc == 0)
        rc = store_audit(c, by, "delete", t->entity, id, named_json(t, old.a, old.b), NULL, true, false, err);
    rc = store_write_end(s, rc, err);
    free(old.a);
    free(old.b);
    return rc;
}

#define NAMED_API(kind, type, table, reader)                                                                \
    int store_##kind##_list(struct store *s, const struct store_scope *scope, struct type##_list *out, struct purpose_err *err) \
    {                                                                                                      \
        int rc = named_list(s, &table, STORE_SCOPE_ORG_ID(scope), reader, (void **)&out->items, &out->n, sizeof *out->items, err); \
        if (rc < 0)                                                                                        \
            type##_list_release(out);                                                                      \
        return rc;                                                                                         \
    }                                                                                                      \
    int store_##kind##_get(struct store *s, const struct store_scope *scope, int64_t id, struct type *out,                     \
                           struct purpose_err *err)                                                        \
    {                                                                                                      \
        memset(out, 0, sizeof *out);                                                                       \
        return named_get(s, &table, reader, STORE_SCOPE_ORG_ID(scope), id, out, err);                                            \
    }                                                                                                      \
    int store_##kind##_add(struct store *s, const struct store_actor *by, const struct store_scope *scope, const char *a,       \
                           const char *desc, int64_t *id, struct purpose_err *err)                         \
    {                                                                                                      \
        return named_add(s, by, &table, STORE_SCOPE_ORG_ID(scope), a, desc, id, err);                                            \
    }                                                                                                      \
    int store_##kind##_update(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,       \
                              const char *a, const char *desc, struct purpose_err *err)                    \
    {                                                                                                      \
        return named_update(s, by, &table, STORE_SCOPE_ORG_ID(scope), id, a, desc, err);                                         \
    }                                                                                                      \
    int store_##kind##_delete(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,       \
                              struct purpose_err *err)                                                     \
    {                                                                                                      \
        return named_delete(s, by, &table, STORE_SCOPE_ORG_ID(scope), id, err);                                                  \
    }
NAMED_API(value, store_value, values_table, row_value)
NAMED_API(theme, store_theme, themes_table, row_theme)
