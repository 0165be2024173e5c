/* The roles people hold: in their home organisation (users.role), and grants in other
 * organisations and in programmes. store_role_in is the one place that decides a user's role in a
 * scope; every route's check calls it. */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

static const char *scope_name(enum store_scope_kind k)
{
    return k == STORE_SCOPE_PROGRAMME ? "programme" : "org";
}

int store_role_in(struct store *s, const struct store_user *u, struct store_scope scope, enum store_role *role,
                  struct purpose_err *err)
{
    if (u->role == ROLE_ADMIN) {
        *role = ROLE_ADMIN;
        return 0;
    }
    if (scope.kind == STORE_SCOPE_ORG && scope.id == u->home_org_id) {
        *role = u->role;
        return 0;
    }
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, "SELECT role FROM roles WHERE user_id = ? AND scope = ? AND scope_id = ?", "iti",
                      u->id, scope_name(scope.kind), scope.id);
    *role = ROLE_CONTRIBUTOR;
    if (rc == 0) {
        int r = db_step(st, err);
        if (r < 0)
            rc = -1;
        else {
            int parsed = r == 1 && db_col_text(st, 0) ? store_role_parse(db_col_text(st, 0)) : -1;
            if (parsed > 0)
                *role = (enum store_role)parsed;
            db_reset(st);
        }
    }
    store_read_end(s, c);
    return rc;
}

int store_role_grant(struct store *s, const struct store_actor *by, int64_t user_id, struct store_scope scope,
                     enum store_role role, struct purpose_err *err)
{
    if (role != ROLE_ANON && (role < ROLE_CONTRIBUTOR || role > ROLE_LEAD))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "role", "role: must be contributor, member or lead");
    const char *table = scope.kind == STORE_SCOPE_PROGRAMME ? "programme" : "organisation";
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t user = 0, target = 0;
    char *old = NULL;
    int rc = db_run_i64(c, &user, err, "SELECT id FROM users WHERE id = ?", "i", user_id);
    if (rc == 0 && !user)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "user_id", "user_id: user %lld does not exist", (long long)user_id);
    if (rc == 0)
        rc = scope.kind == STORE_SCOPE_PROGRAMME
                 ? db_run_i64(c, &target, err, "SELECT id FROM programmes WHERE id = ?", "i", scope.id)
                 : db_run_i64(c, &target, err, "SELECT id FROM organisations WHERE id = ?", "i", scope.id);
    if (rc == 0 && !target)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "scope_id", "scope_id: %s %lld does not exist", table,
                          (long long)scope.id);
    struct db_stmt *st = NULL;
    if (rc == 0)
        rc = db_query(c, &st, err, "SELECT role FROM roles WHERE user_id = ? AND scope = ? AND scope_id = ?", "iti",
                      user_id, scope_name(scope.kind), scope.id);
    if (rc == 0) {
        int r = db_step(st, err);
        bool oom = false;
        if (r < 0)
            rc = -1;
        else {
            if (r == 1)
                old = db_col_dup(st, 0, &oom);
            db_reset(st);
            if (oom)
                rc = store_oom(err);
        }
    }
    if (rc == 0)
        rc = db_run(c, err, "DELETE FROM roles WHERE user_id = ? AND scope = ? AND scope_id = ?", "iti", user_id,
                    scope_name(scope.kind), scope.id);
    if (rc == 0 && role != ROLE_ANON)
        rc = db_run(c, err, "INSERT INTO roles(user_id, scope, scope_id, role) VALUES(?,?,?,?)", "itit", user_id,
                    scope_name(scope.kind), scope.id, store_role_name(role));
    if (rc == 0)
        rc = store_audit(c, by, role == ROLE_ANON ? "revoke" : "grant", "role", user_id,
                         old ? json_pack("{s:s, s:I, s:s}", "scope", table, "scope_id", (json_int_t)scope.id, "role", old)
                             : NULL,
                         role != ROLE_ANON ? json_pack("{s:s, s:I, s:s}", "scope", table, "scope_id",
                                                       (json_int_t)scope.id, "role", store_role_name(role))
                                           : NULL,
                         old != NULL, role != ROLE_ANON, err);
    free(old);
    return store_write_end(s, rc, err);
}

static int row_grant(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_grant *g = item;
    bool oom = false;
    g->user_id = db_col_i64(st, 0);
    const char *scope = db_col_text(st, 1);
    g->scope = scope && strcmp(scope, "programme") == 0 ? STORE_SCOPE_PROGRAMME : STORE_SCOPE_ORG;
    g->scope_id = db_col_i64(st, 2);
    const char *role = db_col_text(st, 3);
    int r = role ? store_role_parse(role) : -1;
    g->role = r < 0 ? ROLE_CONTRIBUTOR : (enum store_role)r;
    g->scope_slug = db_col_dup(st, 4, &oom);
    g->scope_name = db_col_dup(st, 5, &oom);
    if (oom) {
        store_grant_release(g);
        return store_oom(err);
    }
    return 0;
}

int store_grant_list(struct store *s, int64_t user_id, struct store_grant_list *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err,
                      "SELECT r.user_id, r.scope, r.scope_id, r.role, "
                      "COALESCE(o.slug, p.slug), COALESCE(o.name, p.name) FROM roles r "
                      "LEFT JOIN organisations o ON r.scope = 'org' AND o.id = r.scope_id "
                      "LEFT JOIN programmes p ON r.scope = 'programme' AND p.id = r.scope_id "
                      "WHERE r.user_id = ? ORDER BY r.scope, r.scope_id",
                      "i", user_id);
    rc = store_read_all(st, rc, (void **)&out->items, &out->n, sizeof *out->items, row_grant, err);
    store_read_end(s, c);
    if (rc < 0)
        store_grant_list_release(out);
    return rc;
}
