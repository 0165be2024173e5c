/* Values and themes: an organisation's ordered lists of a name (or title) and a description. Both
 * have the same rules (a required name, new items go last, every change audited), written once over
 * a table of their SQL. Deleting a theme deletes its ambitions (a foreign key cascade). */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

struct named_table {
    const char *entity;     /* audit entity, and "<entity>: not found" */
    const char *name_field; /* "name" or "title" */
    const char *sql_list, *sql_get, *sql_add, *sql_update, *sql_delete;
};

static const struct named_table values_table = {
    "value", "name",
    "SELECT id, position, name, description FROM org_values ORDER BY position, id",
    "SELECT id, position, name, description FROM org_values WHERE id = ?",
    "INSERT INTO org_values(position, name, description) "
    "VALUES((SELECT COALESCE(MAX(position), 0) + 1 FROM org_values), ?, ?) RETURNING id",
    "UPDATE org_values SET name = ?, description = ? WHERE id = ?",
    "DELETE FROM org_values WHERE id = ?",
};

static const struct named_table themes_table = {
    "theme", "title",
    "SELECT id, position, title, description FROM themes ORDER BY position, id",
    "SELECT id, position, title, description FROM themes WHERE id = ?",
    "INSERT INTO themes(position, title, description) "
    "VALUES((SELECT COALESCE(MAX(position), 0) + 1 FROM themes), ?, ?) RETURNING id",
    "UPDATE themes SET title = ?, description = ? WHERE id = ?",
    "DELETE FROM themes WHERE id = ?",
};

/* Reads the shared columns into the four fields of either record. */
static int read_named(struct db_stmt *st, int64_t *id, int *position, char **a, char **b, struct purpose_err *err)
{
    bool oom = false;
    *id = db_col_i64(st, 0);
    *position = (int)db_col_i64(st, 1);
    *a = db_col_dup(st, 2, &oom);
    *b = db_col_dup(st, 3, &oom);
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
    return read_named(st, &v->id, &v->position, &v->name, &v->description, err);
}

static int row_theme(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_theme *t = item;
    return read_named(st, &t->id, &t->position, &t->title, &t->description, err);
}

static int named_list(struct store *s, const struct named_table *t, store_row_reader rd, void **items, size_t *n,
                      size_t size, struct purpose_err *err)
{
    struct db_conn *c;
    *items = NULL;
    *n = 0;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, t->sql_list, "");
    rc = store_read_all(st, rc, items, n, size, rd, err);
    store_read_end(s, c);
    return rc;
}

static int named_get_in(struct db_conn *c, const struct named_table *t, store_row_reader rd, int64_t id,
                        void *out, struct purpose_err *err)
{
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, t->sql_get, "i", id);
    return store_read_one(st, rc, out, rd, t->entity, err);
}

static int named_get(struct store *s, const struct named_table *t, store_row_reader rd, int64_t id, void *out,
                     struct purpose_err *err)
{
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    int rc = named_get_in(c, t, rd, id, out, err);
    store_read_end(s, c);
    return rc;
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

static int named_add(struct store *s, const struct store_actor *by, const struct named_table *t, const char *a,
                     const char *b, int64_t *id, struct purpose_err *err)
{
    if (!b)
        b = "";
    if (named_check(t, a, b, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t new_id = 0;
    int rc = db_run_i64(c, &new_id, err, t->sql_add, "tt", a, b);
    if (rc == 0)
        rc = store_audit(c, by, "create", t->entity, new_id, NULL, named_json(t, a, b), false, true, err);
    rc = store_write_end(s, rc, err);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

/* The old name and description, read in the write transaction for the audit "before". */
struct named_old {
    int64_t id;
    int position;
    char *a, *b;
};

static int row_old(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct named_old *o = item;
    return read_named(st, &o->id, &o->position, &o->a, &o->b, err);
}

static int named_update(struct store *s, const struct store_actor *by, const struct named_table *t, int64_t id,
                        const char *a, const char *b, struct purpose_err *err)
{
    if (!b)
        b = "";
    if (named_check(t, a, b, err) < 0)
        return -1;
    struct named_old old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = named_get_in(c, t, row_old, id, &old, err);
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

static int named_delete(struct store *s, const struct store_actor *by, const struct named_table *t, int64_t id,
                        struct purpose_err *err)
{
    struct named_old old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = named_get_in(c, t, row_old, id, &old, err);
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
    int store_##kind##_list(struct store *s, struct type##_list *out, struct purpose_err *err)              \
    {                                                                                                      \
        int rc = named_list(s, &table, reader, (void **)&out->items, &out->n, sizeof *out->items, err);    \
        if (rc < 0)                                                                                        \
            type##_list_release(out);                                                                      \
        return rc;                                                                                         \
    }                                                                                                      \
    int store_##kind##_get(struct store *s, int64_t id, struct type *out, struct purpose_err *err)          \
    {                                                                                                      \
        memset(out, 0, sizeof *out);                                                                       \
        return named_get(s, &table, reader, id, out, err);                                                 \
    }                                                                                                      \
    int store_##kind##_add(struct store *s, const struct store_actor *by, const char *a, const char *desc,  \
                           int64_t *id, struct purpose_err *err)                                           \
    {                                                                                                      \
        return named_add(s, by, &table, a, desc, id, err);                                                 \
    }                                                                                                      \
    int store_##kind##_update(struct store *s, const struct store_actor *by, int64_t id, const char *a,     \
                              const char *desc, struct purpose_err *err)                                   \
    {                                                                                                      \
        return named_update(s, by, &table, id, a, desc, err);                                              \
    }                                                                                                      \
    int store_##kind##_delete(struct store *s, const struct store_actor *by, int64_t id,                   \
                              struct purpose_err *err)                                                     \
    {                                                                                                      \
        return named_delete(s, by, &table, id, err);                                                       \
    }
NAMED_API(value, store_value, values_table, row_value)
NAMED_API(theme, store_theme, themes_table, row_theme)
