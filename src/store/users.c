/* People and access: users, sessions and API tokens. The rules that go with them live here once:
 * usernames are unique ignoring case, changing a password ends the user's sessions, disabling a user
 * ends their sessions and revokes their tokens, a disabled user gets no new token. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/utf8.h"
#include "store/store_int.h"
#include "core/banned.h"

#define USER_COLS "id, username, display_name, role, disabled, password_hash, created_at, COALESCE(home_org_id, 0)"

static json_t *user_json(const char *username, const char *display_name, enum store_role role, bool disabled)
{
    return json_pack("{s:s, s:s, s:s, s:b}", "username", username, "display_name", display_name, "role",
                     store_role_name(role), "disabled", disabled);
}

static int check_role(enum store_role role, struct purpose_err *err)
{
    if (role < ROLE_CONTRIBUTOR || role > ROLE_ADMIN)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "role", "role: must be contributor, member, lead or admin");
    return 0;
}

static int read_user(struct db_stmt *st, struct store_user *u, bool with_hash, struct purpose_err *err)
{
    bool oom = false;
    u->id = db_col_i64(st, 0);
    u->username = db_col_dup(st, 1, &oom);
    u->display_name = db_col_dup(st, 2, &oom);
    const char *role = db_col_text(st, 3);
    int r = role ? store_role_parse(role) : -1;
    u->role = r < 0 ? ROLE_CONTRIBUTOR : (enum store_role)r;
    u->disabled = db_col_i64(st, 4) != 0;
    if (with_hash)
        u->password_hash = db_col_dup(st, 5, &oom);
    u->created_at = db_col_i64(st, 6);
    u->home_org_id = db_col_i64(st, 7);
    if (oom) {
        store_user_release(u);
        return store_oom(err);
    }
    return 0;
}

static int row_user(struct db_stmt *st, void *u, struct purpose_err *err)
{
    return read_user(st, u, false, err);
}

static int row_user_hash(struct db_stmt *st, void *u, struct purpose_err *err)
{
    return read_user(st, u, true, err);
}

int store_user_add(struct store *s, const struct store_actor *by, int64_t home_org_id, const char *username,
                   const char *display_name, enum store_role role, const char *password_hash, int64_t *id,
                   struct purpose_err *err)
{
    if (store_check_username(username, err) < 0 ||
        store_check_text("display_name", display_name, STORE_NAME_MAX, true, err) < 0 ||
        check_role(role, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t new_id = 0, home = 0;
    int rc = 0;
    if (home_org_id) {
        rc = db_run_i64(c, &home, err, "SELECT id FROM organisations WHERE id = ?", "i", home_org_id);
        if (rc == 0 && !home)
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, "org", "org: organisation %lld does not exist",
                              (long long)home_org_id);
    }
    if (rc == 0)
        rc = db_run_i64(c, &new_id, err,
                        "INSERT INTO users(username, display_name, home_org_id, role, password_hash, created_at) "
                        "VALUES(?, ?, COALESCE(NULLIF(?, 0), (SELECT MIN(id) FROM organisations)), ?, ?, ?) "
                        "RETURNING id",
                        "ttitti", username, display_name, home_org_id, store_role_name(role), password_hash,
                        (int64_t)time(NULL));
    if (rc < 0 && err->kind == PURPOSE_ERR_CONFLICT)
        purpose_errk(err, PURPOSE_ERR_CONFLICT, "username", "username: \"%s\" is already taken", username);
    if (rc == 0)
        rc = store_audit(c, by, "create", "user", new_id, NULL, user_json(username, display_name, role, false),
                         false, true, err);
    rc = store_write_end(s, rc, err);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_user_get(struct store *s, int64_t id, struct store_user *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    return store_get(s, out, row_user_hash, "user", err, "SELECT " USER_COLS " FROM users WHERE id = ?", "i", id);
}

int store_user_find(struct store *s, const char *username, struct store_user *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    /* No user has a name that is not UTF-8 (and PostgreSQL would refuse it as a parameter). */
    if (!utf8_valid(username, strlen(username)))
        return store_not_found(err, "user");
    return store_get(s, out, row_user_hash, "user", err,
                     "SELECT " USER_COLS " FROM users WHERE lower(username) = lower(?)", "t", username);
}

int store_user_list(struct store *s, struct store_user_list *out, struct purpose_err *err)
{
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_user, err,
                        "SELECT " USER_COLS " FROM users ORDER BY lower(username)", "");
    if (rc < 0)
        store_user_list_release(out);
    return rc;
}

/* Reads the user inside the write transaction, for a check and an audit "before". */
static int user_before(struct db_conn *c, int64_t id, struct store_user *u, struct purpose_err *err)
{
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, "SELECT " USER_COLS " FROM users WHERE id = ?", "i", id);
    rc = store_read_one(st, rc, u, row_user, "user", err);
    if (rc < 0 && err->kind == PURPOSE_ERR_NOT_FOUND)
        purpose_errk(err, PURPOSE_ERR_NOT_FOUND, "user_id", "user_id: user %lld does not exist", (long long)id);
    return rc;
}

/* ---- what a change to a user ends: sessions and tokens, each in the audit log ---------------- */

/* Ends every session of the user; the audit entry (entity "sessions", the user's id) holds how
 * many there were. Session ids are secrets and are not logged. */
static int end_sessions(struct db_conn *c, const struct store_actor *by, int64_t user_id, struct purpose_err *err)
{
    int64_t n = 0;
    int rc = db_run_i64(c, &n, err, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", "i", user_id);
    if (rc == 0 && n > 0)
        rc = db_run(c, err, "DELETE FROM sessions WHERE user_id = ?", "i", user_id);
    if (rc == 0 && n > 0)
        rc = store_audit(c, by, "delete", "sessions", user_id,
                         json_pack("{s:I, s:I}", "user_id", (json_int_t)user_id, "sessions", (json_int_t)n), NULL,
                         true, false, err);
    return rc;
}

/* A token as the audit log shows it (row: what revoke_tokens read), revoked or not. */
static json_t *token_json(json_t *row, int64_t revoked_at)
{
    json_t *j = json_pack("{s:O, s:O, s:O, s:O, s:b}", "user_id", json_object_get(row, "user_id"), "name",
                          json_object_get(row, "name"), "prefix", json_object_get(row, "prefix"), "created_at",
                          json_object_get(row, "created_at"), "revoked", revoked_at != 0);
    if (j && revoked_at && json_object_set_new(j, "revoked_at", json_integer(revoked_at)) < 0) {
        json_decref(j);
        return NULL;
    }
    return j;
}

/* Revokes the live tokens of user_id (or the one token `id` when user_id is 0), each audited with
 * what it was. */
static int revoke_tokens(struct db_conn *c, const struct store_actor *by, int64_t user_id, int64_t id,
                         struct purpose_err *err)
{
    struct db_stmt *st = NULL;
    if (db_query(c, &st, err,
                 user_id ? "SELECT id, user_id, name, prefix, created_at FROM api_tokens WHERE user_id = ? "
                           "AND revoked_at IS NULL ORDER BY id"
                         : "SELECT id, user_id, name, prefix, created_at FROM api_tokens WHERE id = ? "
                           "AND revoked_at IS NULL",
                 "i", user_id ? user_id : id) < 0)
        return -1;
    /* Collected first: the updates and audit inserts run on the same connection. */
    json_t *live = json_array();
    int r = 0;
    while (live && (r = db_step(st, err)) == 1) {
        const char *name = db_col_text(st, 2), *prefix = db_col_text(st, 3);
        json_t *row = json_pack("{s:I, s:I, s:s, s:s, s:I}", "id", (json_int_t)db_col_i64(st, 0), "user_id",
                                (json_int_t)db_col_i64(st, 1), "name", name ? name : "", "prefix",
                                prefix ? prefix : "", "created_at", (json_int_t)db_col_i64(st, 4));
        if (!row || json_array_append_new(live, row) < 0) {
            db_reset(st);
            json_decref(live);
            return store_oom(err);
        }
    }
    if (!live)
        return store_oom(err);
    db_reset(st);
    int rc = r < 0 ? -1 : 0;
    int64_t now = (int64_t)time(NULL);
    for (size_t i = 0; rc == 0 && i < json_array_size(live); i++) {
        json_t *row = json_array_get(live, i);
        int64_t tid = (int64_t)json_integer_value(json_object_get(row, "id"));
        rc = db_run(c, err, "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", "ii", now, tid);
        if (rc == 0)
            rc = store_audit(c, by, "revoke", "token", tid, token_json(row, 0), token_json(row, now),
                             true, true, err);
    }
    json_decref(live);
    return rc;
}

int store_user_set_password(struct store *s, const struct store_actor *by, int64_t id, const char *password_hash,
                            struct purpose_err *err)
{
    struct store_user u = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = user_before(c, id, &u, err);
    if (rc == 0)
        rc = db_run(c, err, "UPDATE users SET password_hash = ? WHERE id = ?", "ti", password_hash, id);
    /* Sessions started with the old password end. */
    if (rc == 0)
        rc = end_sessions(c, by, id, err);
    if (rc == 0)
        rc = store_audit(c, by, "update", "user", id, NULL,
                         json_pack("{s:s, s:s}", "username", u.username, "password", "changed"), false, true, err);
    rc = store_write_end(s, rc, err);
    store_user_release(&u);
    return rc;
}

int store_user_update(struct store *s, const struct store_actor *by, int64_t id, enum store_role role,
                      bool disabled, struct purpose_err *err)
{
    if (check_role(role, err) < 0)
        return -1;
    struct store_user u = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = user_before(c, id, &u, err);
    /* The same role and state again is no change: nothing is written, and the audit log never
     * records a change that did not happen. */
    bool change = rc == 0 && (u.role != role || u.disabled != disabled);
    if (change)
        rc = db_run(c, err, "UPDATE users SET role = ?, disabled = ? WHERE id = ?", "tni", store_role_name(role),
                    disabled ? 1 : 0, id);
    if (change && rc == 0)
        rc = store_audit(c, by, "update", "user", id, user_json(u.username, u.display_name, u.role, u.disabled),
                         user_json(u.username, u.display_name, role, disabled), true, true, err);
    if (change && rc == 0 && disabled)
        rc = end_sessions(c, by, id, err);
    if (change && rc == 0 && disabled)
        rc = revoke_tokens(c, by, id, 0, err);
    rc = store_write_end(s, rc, err);
    store_user_release(&u);
    return rc;
}

/* ---- sessions (not audited: signing in changes no organisation data) ------------------------ */

int store_session_create(struct store *s, const char *id_hash, int64_t user_id, const char *csrf,
                         int64_t expires_at, struct purpose_err *err)
{
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    /* No page shows a session: only who a request is (web/auth.c) depends on it. */
    int rc = store_topic_bump(c, STORE_TOPIC_SESSIONS, 0, err);
    if (rc == 0)
        rc = db_run(c, err, "DELETE FROM sessions WHERE expires_at < ?", "i", (int64_t)time(NULL));
    if (rc == 0)
        rc = db_run(c, err, "INSERT INTO sessions(id_hash, user_id, csrf, expires_at) VALUES(?,?,?,?)", "titi",
                    id_hash, user_id, csrf, expires_at);
    return store_write_end(s, rc, err);
}

static int row_session(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_session *o = item;
    bool oom = false;
    o->user_id = db_col_i64(st, 0);
    o->csrf = db_col_dup(st, 1, &oom);
    o->expires_at = db_col_i64(st, 2);
    if (oom || !o->csrf) {
        store_session_release(o);
        return store_oom(err);
    }
    return 0;
}

int store_session_get(struct store *s, const char *id_hash, int64_t now, struct store_session *out,
                      struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    return store_get(s, out, row_session, "session", err,
                     "SELECT s.user_id, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id "
                     "WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled = 0",
                     "ti", id_hash, now);
}

int store_session_delete(struct store *s, const char *id_hash, struct purpose_err *err)
{
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = store_topic_bump(c, STORE_TOPIC_SESSIONS, 0, err);
    if (rc == 0)
        rc = db_run(c, err, "DELETE FROM sessions WHERE id_hash = ?", "t", id_hash);
    return store_write_end(s, rc, err);
}

/* ---- API tokens ---------------------------------------------------------------------------------- */

int store_token_create(struct store *s, const struct store_actor *by, int64_t user_id, const char *name,
                       const char *prefix, const char *hash, int64_t *id, struct purpose_err *err)
{
    if (store_check_text("name", name, STORE_NAME_MAX, true, err) < 0)
        return -1;
    struct store_user u = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t new_id = 0;
    int rc = user_before(c, user_id, &u, err);
    if (rc < 0 && err->kind == PURPOSE_ERR_NOT_FOUND)
        err->kind = PURPOSE_ERR_INPUT; /* the user named in the request, not the URL */
    if (rc == 0 && u.disabled)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "user_id", "user_id: user \"%s\" is disabled", u.username);
    if (rc == 0)
        rc = db_run_i64(c, &new_id, err,
                        "INSERT INTO api_tokens(user_id, name, prefix, hash, created_at) VALUES(?,?,?,?,?) "
                        "RETURNING id",
                        "ittti", user_id, name, prefix, hash, (int64_t)time(NULL));
    if (rc == 0)
        rc = store_audit(c, by, "create", "token", new_id, NULL,
                         json_pack("{s:s, s:s, s:s}", "user", u.username, "name", name, "prefix", prefix), false,
                         true, err);
    rc = store_write_end(s, rc, err);
    store_user_release(&u);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_token_find(struct store *s, const char *hash, struct store_user *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    return store_get(s, out, row_user, "token", err,
                     "SELECT u.id, u.username, u.display_name, u.role, u.disabled, NULL, u.created_at, "
                     "COALESCE(u.home_org_id, 0) "
                     "FROM api_tokens t JOIN users u ON u.id = t.user_id "
                     "WHERE t.hash = ? AND t.revoked_at IS NULL AND u.disabled = 0",
                     "t", hash);
}

static int row_token(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_token *t = item;
    bool oom = false;
    t->id = db_col_i64(st, 0);
    t->user_id = db_col_i64(st, 1);
    t->username = db_col_dup(st, 2, &oom);
    t->name = db_col_dup(st, 3, &oom);
    t->prefix = db_col_dup(st, 4, &oom);
    t->created_at = db_col_i64(st, 5);
    t->revoked_at = db_col_i64(st, 6);
    if (oom) {
        store_token_release(t);
        return store_oom(err);
    }
    return 0;
}

int store_token_list(struct store *s, struct store_token_list *out, struct purpose_err *err)
{
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_token, err,
                        "SELECT t.id, t.user_id, u.username, t.name, t.prefix, t.created_at, "
                        "COALESCE(t.revoked_at, 0) FROM api_tokens t JOIN users u ON u.id = t.user_id "
                        "ORDER BY t.id",
                        "");
    if (rc < 0)
        store_token_list_release(out);
    return rc;
}

int store_token_revoke(struct store *s, const struct store_actor *by, int64_t id, struct purpose_err *err)
{
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t revoked = -1;
    int rc = db_run_i64(c, &revoked, err,
                        "SELECT CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END FROM api_tokens WHERE id = ?", "i", id);
    if (rc == 0 && revoked < 0)
        rc = store_not_found(err, "token");
    else if (rc == 0 && revoked)
        rc = purpose_errk(err, PURPOSE_ERR_CONFLICT, "id", "id: token %lld is already revoked", (long long)id);
    if (rc == 0)
        rc = revoke_tokens(c, by, 0, id, err);
    return store_write_end(s, rc, err);
}
