/* The SQLite backend: one connection in WAL mode, serialised by a mutex, prepared statements
 * cached for the connection's life. Each write is one IMMEDIATE transaction with its audit row. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "core/secret.h"
#include "store/store.h"
#include "store/store_int.h"
#include "core/banned.h"

#define CACHE_MAX 96

struct sq {
    struct store base;
    sqlite3 *db;
    char *path;
    pthread_mutex_t mu;
    int fail_after; /* tests: the step that will fail; 0 = never */
    uint64_t writes;
    unsigned char key[32];
    struct {
        const char *sql;
        sqlite3_stmt *st;
    } cache[CACHE_MAX];
    size_t ncache;
};

/* ---- helpers ---------------------------------------------------------------------------------- */

static int dberr(struct sq *s, struct purpose_err *err, const char *what)
{
    return purpose_errf(err, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static int prep(struct sq *s, const char *sql, sqlite3_stmt **st, struct purpose_err *err)
{
    for (size_t i = 0; i < s->ncache; i++) {
        if (s->cache[i].sql == sql) {
            *st = s->cache[i].st;
            return 0;
        }
    }
    if (s->ncache == CACHE_MAX)
        return purpose_errf(err, "%s: internal error: statement cache full", s->path);
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
        return dberr(s, err, "cannot prepare a query");
    s->cache[s->ncache].sql = sql;
    s->cache[s->ncache].st = *st;
    s->ncache++;
    return 0;
}

static void done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

/* Prepares `sql` and binds the arguments named by `types`: i int64_t, n int, t const char *. */
static int vq(struct sq *s, sqlite3_stmt **st, struct purpose_err *err, const char *sql,
              const char *types, va_list ap)
{
    if (prep(s, sql, st, err) < 0)
        return -1;
    int rc = SQLITE_OK;
    for (int i = 0; types[i] && rc == SQLITE_OK; i++) {
        switch (types[i]) {
        case 'i':
            rc = sqlite3_bind_int64(*st, i + 1, va_arg(ap, int64_t));
            break;
        case 'n':
            rc = sqlite3_bind_int(*st, i + 1, va_arg(ap, int));
            break;
        default: {
            const char *t = va_arg(ap, const char *);
            rc = t ? sqlite3_bind_text(*st, i + 1, t, -1, SQLITE_STATIC) : sqlite3_bind_null(*st, i + 1);
        }
        }
    }
    if (rc != SQLITE_OK) {
        done(*st);
        return dberr(s, err, "cannot bind a value");
    }
    return 0;
}

static int q(struct sq *s, sqlite3_stmt **st, struct purpose_err *err, const char *sql,
             const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    int rc = vq(s, st, err, sql, types, ap);
    va_end(ap);
    return rc;
}

/* 1 for a row, 0 when done, -1 on error (the statement is then reset). */
static int step(struct sq *s, sqlite3_stmt *st, struct purpose_err *err)
{
    if (s->fail_after > 0 && --s->fail_after == 0) {
        done(st);
        return purpose_errf(err, "%s: injected fault", s->path);
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    dberr(s, err, "query failed");
    done(st);
    return -1;
}

/* Runs a statement that returns no rows. */
static int exec1(struct sq *s, struct purpose_err *err, const char *sql, const char *types, ...)
{
    sqlite3_stmt *st = NULL;
    va_list ap;
    va_start(ap, types);
    int rc = vq(s, &st, err, sql, types, ap);
    va_end(ap);
    if (rc < 0 || step(s, st, err) < 0)
        return -1;
    done(st);
    return 0;
}

static char *col_dup(sqlite3_stmt *st, int i, bool *oom)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    if (!t)
        return NULL;
    char *d = strdup((const char *)t);
    if (!d)
        *oom = true;
    return d;
}

static int oom_err(struct sq *s, struct purpose_err *err)
{
    return purpose_errf(err, "%s: out of memory", s->path);
}

static void lock(struct sq *s)
{
    pthread_mutex_lock(&s->mu);
}
static void unlock(struct sq *s)
{
    pthread_mutex_unlock(&s->mu);
}

static int begin(struct sq *s, struct purpose_err *err)
{
    return exec1(s, err, "BEGIN IMMEDIATE", "");
}

/* Commits when rc is 0, else (or when the commit fails) rolls back. Returns rc or -1. */
static int finish(struct sq *s, int rc, struct purpose_err *err)
{
    if (rc == 0 && exec1(s, err, "COMMIT", "") == 0) {
        s->writes++;
        return 0;
    }
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc > 0 ? rc : -1;
}

static char *jdump(json_t *j)
{
    if (!j)
        return NULL;
    char *out = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    return out;
}

/* Appends an audit row. before/after are JSON owned by the caller (may be NULL). */
static int audit(struct sq *s, const struct store_actor *by, const char *action, const char *entity,
                 int64_t id, const char *before, const char *after, struct purpose_err *err)
{
    return exec1(s, err,
                 "INSERT INTO audit(at, actor, action, entity, entity_id, before, after) "
                 "VALUES(?,?,?,?,?,?,?)",
                 "itttitt", (int64_t)time(NULL), by && by->name ? by->name : "cli", action, entity,
                 id, before, after);
}

/* Runs audit() with JSON values it takes ownership of; -1 if either failed to build. */
static int audit_j(struct sq *s, const struct store_actor *by, const char *action,
                   const char *entity, int64_t id, json_t *before, json_t *after,
                   struct purpose_err *err)
{
    bool want_b = before != NULL, want_a = after != NULL;
    char *b = jdump(before), *a = jdump(after);
    int rc;
    if ((want_b && !b) || (want_a && !a))
        rc = oom_err(s, err);
    else
        rc = audit(s, by, action, entity, id, b, a, err);
    free(b);
    free(a);
    return rc;
}

/* ---- schema ----------------------------------------------------------------------------------- */

/* Versioned migrations: migration i brings PRAGMA user_version from i to i + 1. Append only. */
static const char *const migrations[] = {
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL);"
    "CREATE TABLE users(id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    " display_name TEXT NOT NULL, role TEXT NOT NULL"
    " CHECK(role IN ('contributor','member','lead','admin')), password_hash TEXT NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);"
    "CREATE TABLE sessions(id_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),"
    " csrf TEXT NOT NULL, expires_at INTEGER NOT NULL);"
    "CREATE TABLE api_tokens(id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),"
    " name TEXT NOT NULL, prefix TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,"
    " created_at INTEGER NOT NULL, revoked_at INTEGER);"
    "CREATE TABLE statements(id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL CHECK(kind IN ('vision','purpose')), text TEXT NOT NULL,"
    " author TEXT NOT NULL, created_at INTEGER NOT NULL);"
    "CREATE TABLE org_values(id INTEGER PRIMARY KEY, position INTEGER NOT NULL, name TEXT NOT NULL,"
    " description TEXT NOT NULL);"
    "CREATE TABLE themes(id INTEGER PRIMARY KEY, position INTEGER NOT NULL, title TEXT NOT NULL,"
    " description TEXT NOT NULL);"
    "CREATE TABLE ambitions(id INTEGER PRIMARY KEY,"
    " theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,"
    " position INTEGER NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,"
    " target_year INTEGER NOT NULL);"
    "CREATE INDEX ambitions_theme ON ambitions(theme_id, position);"
    "CREATE TABLE audit(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL,"
    " action TEXT NOT NULL, entity TEXT NOT NULL, entity_id INTEGER NOT NULL, before TEXT,"
    " after TEXT);"
    /* The audit log is append-only from the app. */
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
};
#define N_MIGRATIONS (int)(sizeof migrations / sizeof migrations[0])

static int migrate(struct sq *s, struct purpose_err *err)
{
    char *msg = NULL;
    /* BEGIN IMMEDIATE takes the write lock, so an unwritable database fails here, at start. */
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK) {
        purpose_errf(err, "%s: cannot write the database: %s", s->path, msg ? msg : "unknown error");
        sqlite3_free(msg);
        return -1;
    }
    sqlite3_stmt *st = NULL;
    int version = 0;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return dberr(s, err, "cannot read the schema version");
    }
    version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version > N_MIGRATIONS) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return purpose_errf(err, "%s: schema version %d is newer than this purpose (%d)", s->path,
                            version, N_MIGRATIONS);
    }
    for (int v = version; v < N_MIGRATIONS; v++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if (sqlite3_exec(s->db, migrations[v], NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(s->db, pragma, NULL, NULL, &msg) != SQLITE_OK) {
            purpose_errf(err, "%s: migration %d failed: %s", s->path, v + 1,
                         msg ? msg : "unknown error");
            sqlite3_free(msg);
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    /* The key for keyed hashes of session ids and API tokens. */
    unsigned char key[32];
    secret_random_bytes(key, sizeof key);
    if (sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO meta(key, value) VALUES('secret_key', ?)",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, key, sizeof key, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE) {
        sqlite3_finalize(st);
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return dberr(s, err, "cannot store the secret key");
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = 'secret_key'", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW || sqlite3_column_bytes(st, 0) != 32) {
        sqlite3_finalize(st);
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return dberr(s, err, "cannot read the secret key");
    }
    memcpy(s->key, sqlite3_column_blob(st, 0), 32);
    sqlite3_finalize(st);
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
        purpose_errf(err, "%s: cannot write the database: %s", s->path, msg ? msg : "unknown error");
        sqlite3_free(msg);
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

/* ---- lifecycle -------------------------------------------------------------------------------- */

static void sq_close(struct store *base)
{
    struct sq *s = (struct sq *)base;
    for (size_t i = 0; i < s->ncache; i++)
        sqlite3_finalize(s->cache[i].st);
    sqlite3_close(s->db);
    pthread_mutex_destroy(&s->mu);
    free(s->path);
    free(s);
}

static int sq_generation(struct store *base, uint64_t *gen, struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    sqlite3_stmt *st = NULL;
    lock(s);
    int rc = q(s, &st, err, "PRAGMA data_version", "");
    if (rc == 0) {
        int r = sqlite3_step(st); /* not counted by fault injection: a read for caches */
        if (r == SQLITE_ROW)
            *gen = ((uint64_t)sqlite3_column_int64(st, 0) << 32) + s->writes;
        else
            rc = dberr(s, err, "cannot read the data version");
        done(st);
    }
    unlock(s);
    return rc;
}

static int sq_secret_key(struct store *base, unsigned char key[32], struct purpose_err *err)
{
    (void)err;
    memcpy(key, ((struct sq *)base)->key, 32);
    return 0;
}

static void sq_fail_after(struct store *base, int n)
{
    struct sq *s = (struct sq *)base;
    lock(s);
    s->fail_after = n;
    unlock(s);
}

/* ---- users ------------------------------------------------------------------------------------ */

static json_t *user_json(const char *username, const char *display_name, enum store_role role,
                         bool disabled)
{
    return json_pack("{s:s, s:s, s:s, s:b}", "username", username, "display_name", display_name,
                     "role", store_role_name(role), "disabled", disabled);
}

static int sq_user_add(struct store *base, const struct store_actor *by, const char *username,
                       const char *display_name, enum store_role role, const char *password_hash,
                       int64_t *id, struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    if (store_check_username(username, err) < 0 ||
        store_check_text("display_name", display_name, STORE_NAME_MAX, true, err) < 0)
        return -1;
    if (role < ROLE_CONTRIBUTOR || role > ROLE_ADMIN)
        return purpose_errf(err, "role: must be contributor, member, lead or admin");
    lock(s);
    int rc = begin(s, err);
    if (rc == 0) {
        sqlite3_stmt *st = NULL;
        rc = q(s, &st, err, "SELECT 1 FROM users WHERE username = ?", "t", username);
        if (rc == 0) {
            int r = step(s, st, err);
            if (r < 0)
                rc = -1;
            else {
                done(st);
                if (r == 1)
                    rc = purpose_errf(err, "username: \"%s\" is already taken", username);
            }
        }
    }
    if (rc == 0)
        rc = exec1(s, err,
                   "INSERT INTO users(username, display_name, role, password_hash, created_at) "
                   "VALUES(?,?,?,?,?)",
                   "tttti", username, display_name, store_role_name(role), password_hash,
                   (int64_t)time(NULL));
    int64_t new_id = sqlite3_last_insert_rowid(s->db);
    if (rc == 0)
        rc = audit_j(s, by, "create", "user", new_id, NULL,
                     user_json(username, display_name, role, false), err);
    rc = finish(s, rc, err);
    unlock(s);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

#define USER_COLS "id, username, display_name, role, disabled, password_hash, created_at"

static int read_user(struct sq *s, sqlite3_stmt *st, struct store_user *u, bool with_hash,
                     struct purpose_err *err)
{
    bool oom = false;
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, 0);
    u->username = col_dup(st, 1, &oom);
    u->display_name = col_dup(st, 2, &oom);
    const char *role = (const char *)sqlite3_column_text(st, 3);
    int r = role ? store_role_parse(role) : -1;
    u->role = r < 0 ? ROLE_CONTRIBUTOR : (enum store_role)r;
    u->disabled = sqlite3_column_int(st, 4) != 0;
    if (with_hash)
        u->password_hash = col_dup(st, 5, &oom);
    u->created_at = sqlite3_column_int64(st, 6);
    if (oom) {
        store_user_release(u);
        return oom_err(s, err);
    }
    return 0;
}

static int user_one(struct sq *s, const char *sql, const char *types, int64_t id, const char *name,
                    struct store_user *out, struct purpose_err *err)
{
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    lock(s);
    int rc = types[0] == 'i' ? q(s, &st, err, sql, "i", id) : q(s, &st, err, sql, "t", name);
    if (rc == 0) {
        int r = step(s, st, err);
        if (r < 0)
            rc = -1;
        else {
            rc = r == 1 ? read_user(s, st, out, true, err) : STORE_NOT_FOUND;
            done(st);
        }
    }
    unlock(s);
    return rc;
}

static int sq_user_get(struct store *base, int64_t id, struct store_user *out,
                       struct purpose_err *err)
{
    return user_one((struct sq *)base, "SELECT " USER_COLS " FROM users WHERE id = ?", "i", id,
                    NULL, out, err);
}

static int sq_user_find(struct store *base, const char *username, struct store_user *out,
                        struct purpose_err *err)
{
    return user_one((struct sq *)base, "SELECT " USER_COLS " FROM users WHERE username = ?", "t",
                    0, username, out, err);
}

/* Grows a list by one zeroed item; returns it, or NULL when out of memory. */
static void *grow(void **items, size_t *n, size_t size)
{
    if (*n % 16 == 0) {
        void *p = realloc(*items, (*n + 16) * size);
        if (!p)
            return NULL;
        *items = p;
    }
    char *item = (char *)*items + *n * size;
    memset(item, 0, size);
    (*n)++;
    return item;
}

/* Reads one row into a zeroed item; on failure the item is left released. */
typedef int (*row_reader)(struct sq *s, sqlite3_stmt *st, void *item, struct purpose_err *err);

/* Reads every row of st (prepared with result rc) into a growing array of size-byte items.
 * Returns rc, or -1 with err; the caller releases the list on failure. Call with the lock held. */
static int read_all(struct sq *s, sqlite3_stmt *st, int rc, void **items, size_t *n, size_t size,
                    row_reader read_row, struct purpose_err *err)
{
    int r = 0;
    while (rc == 0 && (r = step(s, st, err)) == 1) {
        void *item = grow(items, n, size);
        if (!item) {
            rc = oom_err(s, err);
        } else if (read_row(s, st, item, err) < 0) {
            (*n)--;
            rc = -1;
        }
    }
    if (r < 0)
        rc = -1;
    else if (st)
        done(st);
    return rc;
}

static int row_user(struct sq *s, sqlite3_stmt *st, void *u, struct purpose_err *err)
{
    return read_user(s, st, u, false, err);
}

static int sq_user_list(struct store *base, struct store_user_list *out, struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    lock(s);
    int rc = q(s, &st, err, "SELECT " USER_COLS " FROM users ORDER BY username", "");
    rc = read_all(s, st, rc, (void **)&out->items, &out->n, sizeof *out->items, row_user, err);
    unlock(s);
    if (rc < 0)
        store_user_list_release(out);
    return rc;
}

/* Reads the user inside the current transaction, for an audit "before". */
static int user_before(struct sq *s, int64_t id, struct store_user *u, struct purpose_err *err)
{
    sqlite3_stmt *st = NULL;
    if (q(s, &st, err, "SELECT " USER_COLS " FROM users WHERE id = ?", "i", id) < 0)
        return -1;
    int r = step(s, st, err);
    if (r < 0)
        return -1;
    int rc = r == 1 ? read_user(s, st, u, false, err) : purpose_errf(err, "user_id: user %lld does not exist", (long long)id);
    done(st);
    return rc;
}

static int sq_user_set_password(struct store *base, const struct store_actor *by, int64_t id,
                                const char *password_hash, struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    struct store_user u = {0};
    lock(s);
    int rc = begin(s, err);
    if (rc == 0)
        rc = user_before(s, id, &u, err);
    if (rc == 0)
        rc = exec1(s, err, "UPDATE users SET password_hash = ? WHERE id = ?", "ti", password_hash, id);
    /* Sessions started with the old password end. */
    if (rc == 0)
        rc = exec1(s, err, "DELETE FROM sessions WHERE user_id = ?", "i", id);
    if (rc == 0)
        rc = audit_j(s, by, "update", "user", id, NULL,
                     json_pack("{s:s, s:s}", "username", u.username, "password", "changed"), err);
    rc = finish(s, rc, err);
    unlock(s);
    store_user_release(&u);
    return rc;
}

static int sq_user_update(struct store *base, const struct store_actor *by, int64_t id,
                          enum store_role role, bool disabled, struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    if (role < ROLE_CONTRIBUTOR || role > ROLE_ADMIN)
        return purpose_errf(err, "role: must be contributor, member, lead or admin");
    struct store_user u = {0};
    lock(s);
    int rc = begin(s, err);
    if (rc == 0)
        rc = user_before(s, id, &u, err);
    if (rc == 0)
        rc = exec1(s, err, "UPDATE users SET role = ?, disabled = ? WHERE id = ?", "tni",
                   store_role_name(role), disabled ? 1 : 0, id);
    if (rc == 0 && disabled)
        rc = exec1(s, err, "DELETE FROM sessions WHERE user_id = ?", "i", id);
    if (rc == 0 && disabled)
        rc = exec1(s, err, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                   "ii", (int64_t)time(NULL), id);
    if (rc == 0)
        rc = audit_j(s, by, "update", "user", id,
                     user_json(u.username, u.display_name, u.role, u.disabled),
                     user_json(u.username, u.display_name, role, disabled), err);
    rc = finish(s, rc, err);
    unlock(s);
    store_user_release(&u);
    return rc;
}

/* ---- sessions (not audited: signing in changes no organisation data) ----------------------- */

static int sq_session_create(struct store *base, const char *id_hash, int64_t user_id,
                             const char *csrf, int64_t expires_at, struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    lock(s);
    int rc = begin(s, err);
    if (rc == 0)
        rc = exec1(s, err, "DELETE FROM sessions WHERE expires_at < ?", "i", (int64_t)time(NULL));
    if (rc == 0)
        rc = exec1(s, err, "INSERT INTO sessions(id_hash, user_id, csrf, expires_at) VALUES(?,?,?,?)",
                   "titi", id_hash, user_id, csrf, expires_at);
    rc = finish(s, rc, err);
    unlock(s);
    return rc;
}

static int sq_session_get(struct store *base, const char *id_hash, int64_t now,
                          struct store_session *out, struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    lock(s);
    int rc = q(s, &st, err,
               "SELECT s.user_id, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id "
               "WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled = 0",
               "ti", id_hash, now);
    if (rc == 0) {
        int r = step(s, st, err);
        if (r < 0)
            rc = -1;
        else {
            if (r == 1) {
                bool oom = false;
                out->user_id = sqlite3_column_int64(st, 0);
                out->csrf = col_dup(st, 1, &oom);
                out->expires_at = sqlite3_column_int64(st, 2);
                if (oom || !out->csrf) {
                    store_session_release(out);
                    rc = oom_err(s, err);
                }
            } else
                rc = STORE_NOT_FOUND;
            done(st);
        }
    }
    unlock(s);
    return rc;
}

static int sq_session_delete(struct store *base, const char *id_hash, struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    lock(s);
    int rc = begin(s, err);
    if (rc == 0)
        rc = exec1(s, err, "DELETE FROM sessions WHERE id_hash = ?", "t", id_hash);
    rc = finish(s, rc, err);
    unlock(s);
    return rc;
}

/* ---- API tokens --------------------------------------------------------------------------------- */

static int sq_token_create(struct store *base, const struct store_actor *by, int64_t user_id,
                           const char *name, const char *prefix, const char *hash, int64_t *id,
                           struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    if (store_check_text("name", name, STORE_NAME_MAX, true, err) < 0)
        return -1;
    struct store_user u = {0};
    lock(s);
    int rc = begin(s, err);
    if (rc == 0)
        rc = user_before(s, user_id, &u, err);
    if (rc == 0 && u.disabled)
        rc = purpose_errf(err, "user_id: user \"%s\" is disabled", u.username);
    if (rc == 0)
        rc = exec1(s, err,
                   "INSERT INTO api_tokens(user_id, name, prefix, hash, created_at) VALUES(?,?,?,?,?)",
                   "ittti", user_id, name, prefix, hash, (int64_t)time(NULL));
    int64_t new_id = sqlite3_last_insert_rowid(s->db);
    if (rc == 0)
        rc = audit_j(s, by, "create", "token", new_id, NULL,
                     json_pack("{s:s, s:s, s:s}", "user", u.username, "name", name, "prefix", prefix),
                     err);
    rc = finish(s, rc, err);
    unlock(s);
    store_user_release(&u);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

static int sq_token_find(struct store *base, const char *hash, struct store_user *out,
                         struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    lock(s);
    int rc = q(s, &st, err,
               "SELECT u.id, u.username, u.display_name, u.role, u.disabled, NULL, u.created_at "
               "FROM api_tokens t JOIN users u ON u.id = t.user_id "
               "WHERE t.hash = ? AND t.revoked_at IS NULL AND u.disabled = 0",
               "t", hash);
    if (rc == 0) {
        int r = step(s, st, err);
        if (r < 0)
            rc = -1;
        else {
            rc = r == 1 ? read_user(s, st, out, false, err) : STORE_NOT_FOUND;
            done(st);
        }
    }
    unlock(s);
    return rc;
}

static int row_token(struct sq *s, sqlite3_stmt *st, void *item, struct purpose_err *err)
{
    struct store_token *t = item;
    bool oom = false;
    t->id = sqlite3_column_int64(st, 0);
    t->user_id = sqlite3_column_int64(st, 1);
    t->username = col_dup(st, 2, &oom);
    t->name = col_dup(st, 3, &oom);
    t->prefix = col_dup(st, 4, &oom);
    t->created_at = sqlite3_column_int64(st, 5);
    t->revoked_at = sqlite3_column_int64(st, 6);
    if (oom) {
        store_token_release(t);
        return oom_err(s, err);
    }
    return 0;
}

static int sq_token_list(struct store *base, struct store_token_list *out, struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    lock(s);
    int rc = q(s, &st, err,
               "SELECT t.id, t.user_id, u.username, t.name, t.prefix, t.created_at, "
               "COALESCE(t.revoked_at, 0) FROM api_tokens t JOIN users u ON u.id = t.user_id "
               "ORDER BY t.id",
               "");
    rc = read_all(s, st, rc, (void **)&out->items, &out->n, sizeof *out->items, row_token, err);
    unlock(s);
    if (rc < 0)
        store_token_list_release(out);
    return rc;
}

static int sq_token_revoke(struct store *base, const struct store_actor *by, int64_t id,
                           struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    lock(s);
    int rc = begin(s, err);
    sqlite3_stmt *st = NULL;
    if (rc == 0)
        rc = q(s, &st, err, "SELECT revoked_at IS NOT NULL FROM api_tokens WHERE id = ?", "i", id);
    if (rc == 0) {
        int r = step(s, st, err);
        if (r < 0)
            rc = -1;
        else {
            if (r == 0)
                rc = STORE_NOT_FOUND;
            else if (sqlite3_column_int(st, 0))
                rc = purpose_errf(err, "id: token %lld is already revoked", (long long)id);
            done(st);
        }
    }
    if (rc == 0)
        rc = exec1(s, err, "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", "ii",
                   (int64_t)time(NULL), id);
    if (rc == 0)
        rc = audit_j(s, by, "revoke", "token", id, json_pack("{s:b}", "revoked", 0),
                     json_pack("{s:b}", "revoked", 1), err);
    rc = finish(s, rc, err);
    unlock(s);
    return rc;
}

/* ---- vision and purpose ----------------------------------------------------------------------- */

static int check_kind(const char *kind, struct purpose_err *err)
{
    if (strcmp(kind, "vision") != 0 && strcmp(kind, "purpose") != 0)
        return purpose_errf(err, "kind: must be \"vision\" or \"purpose\"");
    return 0;
}

static int read_statement(struct sq *s, sqlite3_stmt *st, struct store_statement *o,
                          struct purpose_err *err)
{
    bool oom = false;
    o->id = sqlite3_column_int64(st, 0);
    o->kind = col_dup(st, 1, &oom);
    o->text = col_dup(st, 2, &oom);
    o->author = col_dup(st, 3, &oom);
    o->created_at = sqlite3_column_int64(st, 4);
    if (oom) {
        store_statement_release(o);
        return oom_err(s, err);
    }
    return 0;
}

static int row_statement(struct sq *s, sqlite3_stmt *st, void *o, struct purpose_err *err)
{
    return read_statement(s, st, o, err);
}

#define STMT_COLS "id, kind, text, author, created_at"

static int sq_statement_current(struct store *base, const char *kind, struct store_statement *out,
                                struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    memset(out, 0, sizeof *out);
    if (check_kind(kind, err) < 0)
        return -1;
    sqlite3_stmt *st = NULL;
    lock(s);
    int rc = q(s, &st, err,
               "SELECT " STMT_COLS " FROM statements WHERE kind = ? ORDER BY id DESC LIMIT 1", "t",
               kind);
    if (rc == 0) {
        int r = step(s, st, err);
        if (r < 0)
            rc = -1;
        else {
            rc = r == 1 ? read_statement(s, st, out, err) : STORE_NOT_FOUND;
            done(st);
        }
    }
    unlock(s);
    return rc;
}

static int sq_statement_history(struct store *base, const char *kind,
                                struct store_statement_list *out, struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    memset(out, 0, sizeof *out);
    if (check_kind(kind, err) < 0)
        return -1;
    sqlite3_stmt *st = NULL;
    lock(s);
    int rc = q(s, &st, err, "SELECT " STMT_COLS " FROM statements WHERE kind = ? ORDER BY id DESC",
               "t", kind);
    rc = read_all(s, st, rc, (void **)&out->items, &out->n, sizeof *out->items, row_statement, err);
    unlock(s);
    if (rc < 0)
        store_statement_list_release(out);
    return rc;
}

static int sq_statement_set(struct store *base, const struct store_actor *by, const char *kind,
                            const char *text, struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    if (check_kind(kind, err) < 0 || store_check_text("text", text, STORE_TEXT_MAX, true, err) < 0)
        return -1;
    lock(s);
    int rc = begin(s, err);
    char *before = NULL;
    sqlite3_stmt *st = NULL;
    if (rc == 0)
        rc = q(s, &st, err, "SELECT text FROM statements WHERE kind = ? ORDER BY id DESC LIMIT 1",
               "t", kind);
    if (rc == 0) {
        int r = step(s, st, err);
        if (r < 0)
            rc = -1;
        else {
            bool oom = false;
            if (r == 1)
                before = col_dup(st, 0, &oom);
            if (oom)
                rc = oom_err(s, err);
            done(st);
        }
    }
    if (rc == 0)
        rc = exec1(s, err, "INSERT INTO statements(kind, text, author, created_at) VALUES(?,?,?,?)",
                   "ttti", kind, text, by && by->name ? by->name : "cli", (int64_t)time(NULL));
    int64_t new_id = sqlite3_last_insert_rowid(s->db);
    if (rc == 0)
        rc = audit_j(s, by, "update", kind, new_id,
                     before ? json_pack("{s:s}", "text", before) : NULL,
                     json_pack("{s:s}", "text", text), err);
    rc = finish(s, rc, err);
    unlock(s);
    free(before);
    return rc;
}

/* ---- values and themes: the same shape (position, a name, a description) --------------------- */

struct named_table {
    const char *entity;     /* audit entity */
    const char *name_field; /* "name" or "title" */
    const char *sql_list, *sql_get, *sql_add, *sql_update, *sql_delete;
};

static const struct named_table values_table = {
    "value", "name",
    "SELECT id, position, name, description FROM org_values ORDER BY position, id",
    "SELECT id, position, name, description FROM org_values WHERE id = ?",
    "INSERT INTO org_values(position, name, description) "
    "VALUES((SELECT COALESCE(MAX(position), 0) + 1 FROM org_values), ?, ?)",
    "UPDATE org_values SET name = ?, description = ? WHERE id = ?",
    "DELETE FROM org_values WHERE id = ?",
};

static const struct named_table themes_table = {
    "theme", "title",
    "SELECT id, position, title, description FROM themes ORDER BY position, id",
    "SELECT id, position, title, description FROM themes WHERE id = ?",
    "INSERT INTO themes(position, title, description) "
    "VALUES((SELECT COALESCE(MAX(position), 0) + 1 FROM themes), ?, ?)",
    "UPDATE themes SET title = ?, description = ? WHERE id = ?",
    "DELETE FROM themes WHERE id = ?",
};

/* A value and a theme have the same shape: id, position, two strings. The shared code reads
 * rows into struct named; NAMED_OPS copies them into the public types, since reading one
 * struct type through another is undefined behaviour. */
struct named {
    int64_t id;
    int position;
    char *a;
    char *b;
};
_Static_assert(sizeof(struct named) == sizeof(struct store_value) &&
                   _Alignof(struct named) == _Alignof(struct store_value), "layout");
_Static_assert(sizeof(struct named) == sizeof(struct store_theme) &&
                   _Alignof(struct named) == _Alignof(struct store_theme), "layout");

static int read_named(struct sq *s, sqlite3_stmt *st, struct named *o, struct purpose_err *err)
{
    bool oom = false;
    o->id = sqlite3_column_int64(st, 0);
    o->position = sqlite3_column_int(st, 1);
    o->a = col_dup(st, 2, &oom);
    o->b = col_dup(st, 3, &oom);
    if (oom) {
        free(o->a);
        free(o->b);
        o->a = o->b = NULL;
        return oom_err(s, err);
    }
    return 0;
}

static int row_named(struct sq *s, sqlite3_stmt *st, void *o, struct purpose_err *err)
{
    return read_named(s, st, o, err);
}

static void named_release(struct named *o)
{
    free(o->a);
    free(o->b);
    memset(o, 0, sizeof *o);
}

static int named_list(struct sq *s, const struct named_table *t, struct named **items, size_t *n,
                      struct purpose_err *err)
{
    sqlite3_stmt *st = NULL;
    *items = NULL;
    *n = 0;
    lock(s);
    int rc = q(s, &st, err, t->sql_list, "");
    rc = read_all(s, st, rc, (void **)items, n, sizeof **items, row_named, err);
    unlock(s);
    if (rc < 0) {
        for (size_t i = 0; i < *n; i++)
            named_release(&(*items)[i]);
        free(*items);
        *items = NULL;
        *n = 0;
    }
    return rc;
}

/* Reads one row; call with the lock held. */
static int named_get_locked(struct sq *s, const struct named_table *t, int64_t id, struct named *out,
                            struct purpose_err *err)
{
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    if (q(s, &st, err, t->sql_get, "i", id) < 0)
        return -1;
    int r = step(s, st, err);
    if (r < 0)
        return -1;
    int rc = r == 1 ? read_named(s, st, out, err) : STORE_NOT_FOUND;
    done(st);
    return rc;
}

static int named_get(struct sq *s, const struct named_table *t, int64_t id, struct named *out,
                     struct purpose_err *err)
{
    lock(s);
    int rc = named_get_locked(s, t, id, out, err);
    unlock(s);
    return rc;
}

static json_t *named_json(const struct named_table *t, const char *a, const char *b)
{
    return json_pack("{s:s, s:s}", t->name_field, a, "description", b);
}

static int named_check(const struct named_table *t, const char *a, const char *b,
                       struct purpose_err *err)
{
    if (store_check_text(t->name_field, a, STORE_TITLE_MAX, true, err) < 0 ||
        store_check_text("description", b, STORE_TEXT_MAX, false, err) < 0)
        return -1;
    return 0;
}

static int named_add(struct sq *s, const struct store_actor *by, const struct named_table *t,
                     const char *a, const char *b, int64_t *id, struct purpose_err *err)
{
    if (!b)
        b = "";
    if (named_check(t, a, b, err) < 0)
        return -1;
    lock(s);
    int rc = begin(s, err);
    if (rc == 0)
        rc = exec1(s, err, t->sql_add, "tt", a, b);
    int64_t new_id = sqlite3_last_insert_rowid(s->db);
    if (rc == 0)
        rc = audit_j(s, by, "create", t->entity, new_id, NULL, named_json(t, a, b), err);
    rc = finish(s, rc, err);
    unlock(s);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

static int named_update(struct sq *s, const struct store_actor *by, const struct named_table *t,
                        int64_t id, const char *a, const char *b, struct purpose_err *err)
{
    if (!b)
        b = "";
    if (named_check(t, a, b, err) < 0)
        return -1;
    struct named old = {0};
    lock(s);
    int rc = begin(s, err);
    if (rc == 0)
        rc = named_get_locked(s, t, id, &old, err);
    if (rc == 0)
        rc = exec1(s, err, t->sql_update, "tti", a, b, id);
    if (rc == 0)
        rc = audit_j(s, by, "update", t->entity, id, named_json(t, old.a, old.b),
                     named_json(t, a, b), err);
    rc = finish(s, rc, err);
    unlock(s);
    named_release(&old);
    return rc;
}

static int named_delete(struct sq *s, const struct store_actor *by, const struct named_table *t,
                        int64_t id, struct purpose_err *err)
{
    struct named old = {0};
    lock(s);
    int rc = begin(s, err);
    if (rc == 0)
        rc = named_get_locked(s, t, id, &old, err);
    if (rc == 0)
        rc = exec1(s, err, t->sql_delete, "i", id);
    if (rc == 0)
        rc = audit_j(s, by, "delete", t->entity, id, named_json(t, old.a, old.b), NULL, err);
    rc = finish(s, rc, err);
    unlock(s);
    named_release(&old);
    return rc;
}

/* The store operations of values and themes, over the shared named_* ones. sq_<kind>_list
 * rewrites each row of the malloc'd array in place as the public type (same size
 * and alignment), which gives that memory its new type; sq_<kind>_get copies one row. */
#define NAMED_OPS(kind, type, table, a_field, b_field)                                      \
    static int sq_##kind##_list(struct store *b, struct type##_list *out, struct purpose_err *err) \
    {                                                                                            \
        struct named *items;                                                                     \
        size_t n;                                                                                \
        int rc = named_list((struct sq *)b, &table, &items, &n, err);                            \
        for (size_t i = 0; i < n; i++) {                                                         \
            struct named x = items[i];                                                           \
            *(struct type *)(void *)&items[i] =                                                  \
                (struct type){.id = x.id, .position = x.position, .a_field = x.a, .b_field = x.b}; \
        }                                                                                        \
        out->items = (struct type *)(void *)items;                                               \
        out->n = n;                                                                              \
        return rc;                                                                               \
    }                                                                                            \
    static int sq_##kind##_get(struct store *b, int64_t id, struct type *out,                    \
                               struct purpose_err *err)                                          \
    {                                                                                            \
        struct named x;                                                                          \
        int rc = named_get((struct sq *)b, &table, id, &x, err);                                 \
        *out = (struct type){.id = x.id, .position = x.position, .a_field = x.a, .b_field = x.b}; \
        return rc;                                                                               \
    }                                                                                            \
    static int sq_##kind##_add(struct store *b, const struct store_actor *by, const char *a,     \
                               const char *desc, int64_t *id, struct purpose_err *err)           \
    {                                                                                            \
        return named_add((struct sq *)b, by, &table, a, desc, id, err);                          \
    }                                                                                            \
    static int sq_##kind##_update(struct store *b, const struct store_actor *by, int64_t id,     \
                                  const char *a, const char *desc, struct purpose_err *err)      \
    {                                                                                            \
        return named_update((struct sq *)b, by, &table, id, a, desc, err);                       \
    }                                                                                            \
    static int sq_##kind##_delete(struct store *b, const struct store_actor *by, int64_t id,     \
                                  struct purpose_err *err)                                       \
    {                                                                                            \
        return named_delete((struct sq *)b, by, &table, id, err);                                \
    }
NAMED_OPS(value, store_value, values_table, name, description)
NAMED_OPS(theme, store_theme, themes_table, title, description)

/* ---- ambitions -------------------------------------------------------------------------------- */

#define AMB_COLS "id, theme_id, position, title, description, target_year"

static int read_ambition(struct sq *s, sqlite3_stmt *st, struct store_ambition *o,
                         struct purpose_err *err)
{
    bool oom = false;
    o->id = sqlite3_column_int64(st, 0);
    o->theme_id = sqlite3_column_int64(st, 1);
    o->position = sqlite3_column_int(st, 2);
    o->title = col_dup(st, 3, &oom);
    o->description = col_dup(st, 4, &oom);
    o->target_year = sqlite3_column_int(st, 5);
    if (oom) {
        store_ambition_release(o);
        return oom_err(s, err);
    }
    return 0;
}

static int row_ambition(struct sq *s, sqlite3_stmt *st, void *o, struct purpose_err *err)
{
    return read_ambition(s, st, o, err);
}

static int sq_ambition_list(struct store *base, int64_t theme_id, struct store_ambition_list *out,
                            struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    lock(s);
    int rc = theme_id
                 ? q(s, &st, err,
                     "SELECT " AMB_COLS " FROM ambitions WHERE theme_id = ? ORDER BY position, id",
                     "i", theme_id)
                 : q(s, &st, err,
                     "SELECT a.id, a.theme_id, a.position, a.title, a.description, a.target_year "
                     "FROM ambitions a JOIN themes t ON t.id = a.theme_id "
                     "ORDER BY t.position, t.id, a.position, a.id",
                     "");
    rc = read_all(s, st, rc, (void **)&out->items, &out->n, sizeof *out->items, row_ambition, err);
    unlock(s);
    if (rc < 0)
        store_ambition_list_release(out);
    return rc;
}

static int ambition_get_locked(struct sq *s, int64_t id, struct store_ambition *out,
                               struct purpose_err *err)
{
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    if (q(s, &st, err, "SELECT " AMB_COLS " FROM ambitions WHERE id = ?", "i", id) < 0)
        return -1;
    int r = step(s, st, err);
    if (r < 0)
        return -1;
    int rc = r == 1 ? read_ambition(s, st, out, err) : STORE_NOT_FOUND;
    done(st);
    return rc;
}

static int sq_ambition_get(struct store *base, int64_t id, struct store_ambition *out,
                           struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    lock(s);
    int rc = ambition_get_locked(s, id, out, err);
    unlock(s);
    return rc;
}

static json_t *ambition_json(int64_t theme_id, const char *title, const char *desc, int year)
{
    return json_pack("{s:I, s:s, s:s, s:i}", "theme_id", (json_int_t)theme_id, "title", title,
                     "description", desc, "target_year", year);
}

static int ambition_check(const char *title, const char *desc, int year, struct purpose_err *err)
{
    if (store_check_text("title", title, STORE_TITLE_MAX, true, err) < 0 ||
        store_check_text("description", desc, STORE_TEXT_MAX, false, err) < 0 ||
        store_check_year(year, err) < 0)
        return -1;
    return 0;
}

static int sq_ambition_add(struct store *base, const struct store_actor *by, int64_t theme_id,
                           const char *title, const char *desc, int year, int64_t *id,
                           struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    if (!desc)
        desc = "";
    if (ambition_check(title, desc, year, err) < 0)
        return -1;
    struct named theme = {0};
    lock(s);
    int rc = begin(s, err);
    if (rc == 0)
        rc = named_get_locked(s, &themes_table, theme_id, &theme, err);
    if (rc == STORE_NOT_FOUND)
        rc = purpose_errf(err, "theme_id: theme %lld does not exist", (long long)theme_id);
    if (rc == 0)
        rc = exec1(s, err,
                   "INSERT INTO ambitions(theme_id, position, title, description, target_year) "
                   "VALUES(?1, (SELECT COALESCE(MAX(position), 0) + 1 FROM ambitions WHERE theme_id = ?1), "
                   "?2, ?3, ?4)",
                   "ittn", theme_id, title, desc, year);
    int64_t new_id = sqlite3_last_insert_rowid(s->db);
    if (rc == 0)
        rc = audit_j(s, by, "create", "ambition", new_id, NULL,
                     ambition_json(theme_id, title, desc, year), err);
    rc = finish(s, rc, err);
    unlock(s);
    named_release(&theme);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

static int sq_ambition_update(struct store *base, const struct store_actor *by, int64_t id,
                              const char *title, const char *desc, int year,
                              struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    if (!desc)
        desc = "";
    if (ambition_check(title, desc, year, err) < 0)
        return -1;
    struct store_ambition old = {0};
    lock(s);
    int rc = begin(s, err);
    if (rc == 0)
        rc = ambition_get_locked(s, id, &old, err);
    if (rc == 0)
        rc = exec1(s, err, "UPDATE ambitions SET title = ?, description = ?, target_year = ? WHERE id = ?",
                   "ttni", title, desc, year, id);
    if (rc == 0)
        rc = audit_j(s, by, "update", "ambition", id,
                     ambition_json(old.theme_id, old.title, old.description, old.target_year),
                     ambition_json(old.theme_id, title, desc, year), err);
    rc = finish(s, rc, err);
    unlock(s);
    store_ambition_release(&old);
    return rc;
}

static int sq_ambition_delete(struct store *base, const struct store_actor *by, int64_t id,
                              struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    struct store_ambition old = {0};
    lock(s);
    int rc = begin(s, err);
    if (rc == 0)
        rc = ambition_get_locked(s, id, &old, err);
    if (rc == 0)
        rc = exec1(s, err, "DELETE FROM ambitions WHERE id = ?", "i", id);
    if (rc == 0)
        rc = audit_j(s, by, "delete", "ambition", id,
                     ambition_json(old.theme_id, old.title, old.description, old.target_year), NULL,
                     err);
    rc = finish(s, rc, err);
    unlock(s);
    store_ambition_release(&old);
    return rc;
}

/* ---- audit log -------------------------------------------------------------------------------- */

static int row_audit(struct sq *s, sqlite3_stmt *st, void *item, struct purpose_err *err)
{
    struct store_audit *a = item;
    bool oom = false;
    a->id = sqlite3_column_int64(st, 0);
    a->at = sqlite3_column_int64(st, 1);
    a->actor = col_dup(st, 2, &oom);
    a->action = col_dup(st, 3, &oom);
    a->entity = col_dup(st, 4, &oom);
    a->entity_id = sqlite3_column_int64(st, 5);
    a->before = col_dup(st, 6, &oom);
    a->after = col_dup(st, 7, &oom);
    if (oom) {
        store_audit_release(a);
        return oom_err(s, err);
    }
    return 0;
}

static int sq_audit_list(struct store *base, int64_t before_id, size_t limit,
                         struct store_audit_list *out, struct purpose_err *err)
{
    struct sq *s = (struct sq *)base;
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    if (limit > 1000)
        limit = 1000;
    lock(s);
    int rc = q(s, &st, err,
               "SELECT id, at, actor, action, entity, entity_id, before, after FROM audit "
               "WHERE (?1 = 0 OR id < ?1) ORDER BY id DESC LIMIT ?2",
               "ii", before_id, (int64_t)limit);
    rc = read_all(s, st, rc, (void **)&out->items, &out->n, sizeof *out->items, row_audit, err);
    unlock(s);
    if (rc < 0)
        store_audit_list_release(out);
    return rc;
}

static const struct store_ops sqlite_ops = {
    .close = sq_close,
    .generation = sq_generation,
    .secret_key = sq_secret_key,
    .user_add = sq_user_add,
    .user_get = sq_user_get,
    .user_find = sq_user_find,
    .user_list = sq_user_list,
    .user_set_password = sq_user_set_password,
    .user_update = sq_user_update,
    .session_create = sq_session_create,
    .session_get = sq_session_get,
    .session_delete = sq_session_delete,
    .token_create = sq_token_create,
    .token_find = sq_token_find,
    .token_list = sq_token_list,
    .token_revoke = sq_token_revoke,
    .statement_set = sq_statement_set,
    .statement_current = sq_statement_current,
    .statement_history = sq_statement_history,
    .value_list = sq_value_list,
    .value_get = sq_value_get,
    .value_add = sq_value_add,
    .value_update = sq_value_update,
    .value_delete = sq_value_delete,
    .theme_list = sq_theme_list,
    .theme_get = sq_theme_get,
    .theme_add = sq_theme_add,
    .theme_update = sq_theme_update,
    .theme_delete = sq_theme_delete,
    .ambition_list = sq_ambition_list,
    .ambition_get = sq_ambition_get,
    .ambition_add = sq_ambition_add,
    .ambition_update = sq_ambition_update,
    .ambition_delete = sq_ambition_delete,
    .audit_list = sq_audit_list,
    .fail_after = sq_fail_after,
};

/* Creates the folder that will hold the database file, one level deep (./data by default). */
static int make_parent(const char *path, struct purpose_err *err)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return 0;
    size_t n = (size_t)(slash - path);
    char dir[4096];
    if (n >= sizeof dir)
        return purpose_errf(err, "%s: path too long", path);
    memcpy(dir, path, n);
    dir[n] = '\0';
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return purpose_errf(err, "%s: cannot create folder %s: %s", path, dir, strerror(errno));
    return 0;
}

int store_sqlite_open(const char *path, struct store **out, struct purpose_err *err)
{
    *out = NULL;
    if (make_parent(path, err) < 0)
        return -1;
    /* The file holds password hashes and the secret key: readable by its owner only. SQLite
     * gives the -wal and -shm files the same mode. */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0)
        close(fd);
    struct sq *s = calloc(1, sizeof *s);
    if (!s)
        return purpose_errf(err, "%s: out of memory", path);
    s->base.ops = &sqlite_ops;
    s->path = strdup(path);
    if (!s->path || pthread_mutex_init(&s->mu, NULL) != 0) {
        free(s->path);
        free(s);
        return purpose_errf(err, "%s: out of memory", path);
    }
    int rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                               SQLITE_OPEN_FULLMUTEX, NULL);
    if (rc != SQLITE_OK) {
        purpose_errf(err, "%s: cannot open the database: %s", path,
                     s->db ? sqlite3_errmsg(s->db) : "out of memory");
        sq_close(&s->base);
        return -1;
    }
    sqlite3_extended_result_codes(s->db, 1);
    char *msg = NULL;
    /* WAL lets readers run beside a writer; foreign keys keep ambitions tied to themes. */
    if (sqlite3_exec(s->db,
                     "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;"
                     "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
                     NULL, NULL, &msg) != SQLITE_OK) {
        purpose_errf(err, "%s: cannot open the database: %s", path, msg ? msg : "unknown error");
        sqlite3_free(msg);
        sq_close(&s->base);
        return -1;
    }
    if (migrate(s, err) < 0) {
        sq_close(&s->base);
        return -1;
    }
    *out = &s->base;
    return 0;
}
