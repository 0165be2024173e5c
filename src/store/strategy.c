/* The vision and the purpose of an organisation or a programme: each a history of versions, the
 * newest current; and the audit log. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_int.h"
#include "core/banned.h"

static int check_kind(const char *kind, struct purpose_err *err)
{
    if (strcmp(kind, "vision") != 0 && strcmp(kind, "purpose") != 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "kind", "kind: must be \"vision\" or \"purpose\"");
    return 0;
}

static int row_statement(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_statement *o = item;
    bool oom = false;
    o->id = db_col_i64(st, 0);
    o->kind = db_col_dup(st, 1, &oom);
    o->text = db_col_dup(st, 2, &oom);
    o->author = db_col_dup(st, 3, &oom);
    o->created_at = db_col_i64(st, 4);
    if (oom) {
        store_statement_release(o);
        return store_oom(err);
    }
    return 0;
}

#define STMT_COLS "id, kind, text, author, created_at"
#define SQL_CURRENT(owner) \
    "SELECT " STMT_COLS " FROM statements WHERE " owner " = ? AND kind = ? ORDER BY id DESC LIMIT 1"
#define SQL_HISTORY(owner) "SELECT " STMT_COLS " FROM statements WHERE " owner " = ? AND kind = ? ORDER BY id DESC"

static bool is_programme(struct store_scope scope)
{
    return scope.kind == STORE_SCOPE_PROGRAMME;
}

static int read_current(struct db_conn *c, struct store_scope scope, const char *kind, struct store_statement *out,
                        struct purpose_err *err)
{
    struct db_stmt *st = NULL;
    int rc = is_programme(scope) ? db_query(c, &st, err, SQL_CURRENT("programme_id"), "it", scope.id, kind)
                                 : db_query(c, &st, err, SQL_CURRENT("org_id"), "it", scope.id, kind);
    return store_read_one(st, rc, out, row_statement, kind, err);
}

int store_statement_current(struct store *s, struct store_scope scope, const char *kind, struct store_statement *out,
                            struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    if (check_kind(kind, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    int rc = read_current(c, scope, kind, out, err);
    store_read_end(s, c);
    return rc;
}

int store_statement_history(struct store *s, struct store_scope scope, const char *kind,
                            struct store_statement_list *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    if (check_kind(kind, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    int rc = is_programme(scope) ? db_query(c, &st, err, SQL_HISTORY("programme_id"), "it", scope.id, kind)
                                 : db_query(c, &st, err, SQL_HISTORY("org_id"), "it", scope.id, kind);
    rc = store_read_all(st, rc, (void **)&out->items, &out->n, sizeof *out->items, row_statement, err);
    store_read_end(s, c);
    if (rc < 0)
        store_statement_list_release(out);
    return rc;
}

int store_statement_set(struct store *s, const struct store_actor *by, struct store_scope scope, const char *kind,
                        const char *text, struct purpose_err *err)
{
    if (check_kind(kind, err) < 0 || store_check_text("text", text, STORE_TEXT_MAX, true, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    struct store_statement old = {0};
    int64_t owner = 0;
    int rc = is_programme(scope) ? db_run_i64(c, &owner, err, "SELECT id FROM programmes WHERE id = ?", "i", scope.id)
                                 : db_run_i64(c, &owner, err, "SELECT id FROM organisations WHERE id = ?", "i", scope.id);
    if (rc == 0 && !owner)
        rc = store_not_found(err, is_programme(scope) ? "programme" : "organisation");
    bool had = false;
    if (rc == 0) {
        rc = read_current(c, scope, kind, &old, err);
        had = rc == 0;
        if (rc < 0 && err->kind == PURPOSE_ERR_NOT_FOUND)
            rc = 0; /* the first version */
    }
    int64_t new_id = 0;
    const char *author = by && by->name ? by->name : "cli";
    if (rc == 0)
        rc = is_programme(scope)
                 ? db_run_i64(c, &new_id, err,
                              "INSERT INTO statements(programme_id, kind, text, author, created_at) "
                              "VALUES(?,?,?,?,?) RETURNING id",
                              "ittti", scope.id, kind, text, author, (int64_t)time(NULL))
                 : db_run_i64(c, &new_id, err,
                              "INSERT INTO statements(org_id, kind, text, author, created_at) "
                              "VALUES(?,?,?,?,?) RETURNING id",
                              "ittti", scope.id, kind, text, author, (int64_t)time(NULL));
    if (rc == 0)
        rc = store_audit(c, by, "update", kind, new_id, had ? json_pack("{s:s}", "text", old.text) : NULL,
                         json_pack("{s:s}", "text", text), had, true, err);
    rc = store_write_end(s, rc, err);
    store_statement_release(&old);
    return rc;
}

/* ---- the audit log -------------------------------------------------------------------------- */

static int row_audit(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_audit *a = item;
    bool oom = false;
    a->id = db_col_i64(st, 0);
    a->at = db_col_i64(st, 1);
    a->actor = db_col_dup(st, 2, &oom);
    a->action = db_col_dup(st, 3, &oom);
    a->entity = db_col_dup(st, 4, &oom);
    a->entity_id = db_col_i64(st, 5);
    a->before = db_col_dup(st, 6, &oom);
    a->after = db_col_dup(st, 7, &oom);
    if (oom) {
        store_audit_release(a);
        return store_oom(err);
    }
    return 0;
}

int store_audit_list(struct store *s, int64_t before_id, size_t limit, struct store_audit_list *out,
                     struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    if (limit > 1000)
        limit = 1000;
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    int rc = before_id > 0
                 ? db_query(c, &st, err,
                            "SELECT id, at, actor, action, entity, entity_id, before, after FROM audit "
                            "WHERE id < ? ORDER BY id DESC LIMIT ?",
                            "ii", before_id, (int64_t)limit)
                 : db_query(c, &st, err,
                            "SELECT id, at, actor, action, entity, entity_id, before, after FROM audit "
                            "ORDER BY id DESC LIMIT ?",
                            "i", (int64_t)limit);
    rc = store_read_all(st, rc, (void **)&out->items, &out->n, sizeof *out->items, row_audit, err);
    store_read_end(s, c);
    if (rc < 0)
        store_audit_list_release(out);
    return rc;
}
