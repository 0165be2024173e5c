/* The store's core: opening and migrating, transactions, the audit entry, row reading, records
 * and the field checks every feature shares. */
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_int.h"
#include "core/secret.h"
#include "core/utf8.h"
#include "core/banned.h"

static const char *const role_names[] = {"anonymous", "contributor", "member", "lead", "admin"};

const char *store_role_name(enum store_role r)
{
    if ((int)r < 0 || (size_t)r >= sizeof role_names / sizeof role_names[0])
        return "unknown";
    return role_names[r];
}

int store_role_parse(const char *s)
{
    for (int r = ROLE_CONTRIBUTOR; r <= ROLE_ADMIN; r++)
        if (strcmp(s, role_names[r]) == 0)
            return r;
    return -1;
}

const char *store_default_location(const char *db_option)
{
    if (db_option && *db_option)
        return db_option;
    const char *env = getenv("PURPOSE_DB");
    if (env && *env)
        return env;
    return "data/purpose.db";
}

/* ---- open, transactions, shared helpers ------------------------------------------------------- */

/* The calling thread's spanning transaction: writes from this thread join it until it ends. */
static _Thread_local struct {
    struct store *s;
    struct db_conn *c;
    int depth;
    bool failed;
} tx;

/* The calling thread's write transactions that committed and that did not (store_writes). */
static _Thread_local struct store_writes writes;

struct store_writes store_thread_writes(void)
{
    return writes;
}

int store_tx_begin(struct store *s, struct purpose_err *err)
{
    if (tx.s == s) {
        tx.depth++;
        return 0;
    }
    if (tx.s)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "store: a transaction on another store is open");
    struct db_conn *c;
    if (db_acquire(s->db, true, &c, err) < 0)
        return -1;
    if (db_begin(c, true, err) < 0) {
        db_release(c);
        return -1;
    }
    tx.s = s;
    tx.c = c;
    tx.depth = 1;
    tx.failed = false;
    store_topics_begin();
    return 0;
}

int store_tx_end(struct store *s, bool ok, struct purpose_err *err)
{
    if (tx.s != s || tx.depth <= 0)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "store: no transaction is open");
    if (!ok)
        tx.failed = true;
    if (--tx.depth > 0)
        return ok ? 0 : -1;
    struct db_conn *c = tx.c;
    bool commit = !tx.failed;
    tx.s = NULL;
    tx.c = NULL;
    int rc = 0;
    if (commit && store_topics_commit(c, err) < 0) { /* a write no topic named: every cache drops */
        commit = false;
        rc = -1;
    }
    if (commit)
        rc = db_commit(c, err);
    else
        db_rollback(c);
    db_release(c);
    if (commit && rc == 0)
        writes.committed++;
    else
        writes.failed++;
    return commit ? rc : -1;
}

int store_write(struct store *s, struct db_conn **c, struct purpose_err *err)
{
    if (store_tx_begin(s, err) < 0)
        return -1;
    *c = tx.c;
    return 0;
}

int store_write_end(struct store *s, int rc, struct purpose_err *err)
{
    /* A failure keeps its own message: the rollback adds none. */
    struct purpose_err ignored;
    int end = store_tx_end(s, rc == 0, rc == 0 ? err : &ignored);
    return rc != 0 ? rc : end;
}

int store_read(struct store *s, struct db_conn **c, struct purpose_err *err)
{
    if (tx.s == s) {
        *c = tx.c;
        return 0;
    }
    return db_acquire(s->db, false, c, err);
}

void store_read_end(struct store *s, struct db_conn *c)
{
    if (!(tx.s == s && tx.c == c))
        db_release(c);
}

int store_oom(struct purpose_err *err)
{
    return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "store: out of memory");
}

int store_not_found(struct purpose_err *err, const char *what)
{
    return purpose_errk(err, PURPOSE_ERR_NOT_FOUND, NULL, "%s: not found", what);
}

static char *jdump(json_t *j)
{
    if (!j)
        return NULL;
    char *out = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    return out;
}

int store_audit(struct db_conn *c, const struct store_actor *by, const char *action, const char *entity,
                int64_t id, json_t *before, json_t *after, bool want_before, bool want_after,
                struct purpose_err *err)
{
    char *b = jdump(before), *a = jdump(after);
    int rc;
    if ((want_before && !b) || (want_after && !a))
        rc = store_oom(err);
    else if (store_topic_audit(c, entity, err) < 0) /* what the change makes stale (topics.h) */
        rc = -1;
    else
        rc = db_run(c, err,
                    "INSERT INTO audit(at, actor, action, entity, entity_id, before, after) "
                    "VALUES(?,?,?,?,?,?,?)",
                    "itttitt", (int64_t)time(NULL), by && by->name ? by->name : "cli", action, entity, id,
                    b, a);
    free(b);
    free(a);
    return rc;
}

int store_arrival(struct db_conn *c, int64_t campaign_id, const char *kind, int64_t now, struct purpose_err *err)
{
    return db_run(c, err,
                  "INSERT INTO arrivals(day, campaign_id, kind, n) VALUES(?,?,?,1) "
                  "ON CONFLICT(day, campaign_id, kind) DO UPDATE SET n = arrivals.n + 1",
                  "iit", now - now % 86400, campaign_id, kind);
}

int64_t store_random_id(void)
{
    uint64_t v;
    secret_random_bytes((unsigned char *)&v, sizeof v);
    v &= (uint64_t)STORE_ID_MAX;
    return v ? (int64_t)v : 1;
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

int store_read_all(struct db_stmt *st, int rc, void **items, size_t *n, size_t size, store_row_reader rd,
                   struct purpose_err *err)
{
    *items = NULL;
    *n = 0;
    if (rc < 0)
        return -1;
    int r;
    while ((r = db_step(st, err)) == 1) {
        void *item = grow(items, n, size);
        if (!item || rd(st, item, err) < 0) {
            if (item)
                (*n)--;
            else
                store_oom(err);
            db_reset(st);
            return -1;
        }
    }
    if (r < 0)
        return -1;
    db_reset(st);
    return 0;
}

int store_read_one(struct db_stmt *st, int rc, void *item, store_row_reader rd, const char *what,
                   struct purpose_err *err)
{
    if (rc < 0)
        return -1;
    int r = db_step(st, err);
    if (r < 0)
        return -1;
    rc = r == 1 ? rd(st, item, err) : store_not_found(err, what);
    db_reset(st);
    return rc;
}

int store_vlist(struct store *s, void **items, size_t *n, size_t size, store_row_reader rd, struct purpose_err *err,
                const char *sql, const char *types, va_list ap)
{
    struct db_conn *c;
    *items = NULL;
    *n = 0;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    int rc = db_vquery(c, &st, err, sql, types, ap);
    rc = store_read_all(st, rc, items, n, size, rd, err);
    store_read_end(s, c);
    return rc;
}

int store_list(struct store *s, void **items, size_t *n, size_t size, store_row_reader rd, struct purpose_err *err,
               const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    int rc = store_vlist(s, items, n, size, rd, err, sql, types, ap);
    va_end(ap);
    return rc;
}

int store_count(struct store *s, int64_t *out, struct purpose_err *err, const char *sql, const char *types, ...)
{
    struct db_conn *c;
    *out = 0;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    va_list ap;
    va_start(ap, types);
    int rc = db_vquery(c, &st, err, sql, types, ap);
    va_end(ap);
    if (rc == 0 && (rc = db_step(st, err)) == 1) {
        *out = db_col_i64(st, 0);
        rc = 0;
    }
    if (rc >= 0)
        db_reset(st);
    store_read_end(s, c);
    return rc < 0 ? -1 : 0;
}

int store_get(struct store *s, void *item, store_row_reader rd, const char *what, struct purpose_err *err,
              const char *sql, const char *types, ...)
{
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    va_list ap;
    va_start(ap, types);
    int rc = db_vquery(c, &st, err, sql, types, ap);
    va_end(ap);
    rc = store_read_one(st, rc, item, rd, what, err);
    store_read_end(s, c);
    return rc;
}

int store_open(const char *location, struct store_keyfile *kf, struct store **out, struct purpose_err *err)
{
    *out = NULL;
    kf->event = STORE_KEY_LOADED;
    struct store *s = calloc(1, sizeof *s);
    if (!s)
        return store_oom(err);
    if (db_open(location, &s->db, err) < 0) {
        free(s);
        return -1;
    }
    struct db_conn *c;
    int rc = store_write(s, &c, err);
    if (rc == 0) {
        rc = store_migrate(c, err);
        if (rc == 0)
            rc = store_key_setup(s, c, kf, location, err);
        rc = store_write_end(s, rc, err);
    }
    if (rc < 0 && kf->event != STORE_KEY_LOADED)
        unlink(kf->path); /* the file is new and the database does not know it: leave nothing behind */
    if (rc == 0)
        store_key_scrub(s);
    if (rc < 0) {
        db_close(&s->db);
        free(s);
        return -1;
    }
    *out = s;
    return 0;
}

void store_close(struct store **s)
{
    if (*s) {
        db_close(&(*s)->db);
        free(*s);
        *s = NULL;
    }
}

const char *store_engine_name(const struct store *s)
{
    return s->db->drv->engine == DB_POSTGRES ? "postgresql" : "sqlite";
}

void store_fault_after(struct store *s, int n)
{
    db_fault_after(s->db, n);
}

void store_fault_armable(struct store *s)
{
    db_fault_armable(s->db);
}

void store_fault_arm(int n)
{
    db_fault_arm(n);
}

void store_fault_note(char *out, size_t n)
{
    struct db_fault_report rep;
    db_fault_report(&rep);
    snprintf(out, n, "fired=%d committed=%d in-write=%d writer=%d", rep.fired, rep.commits_before, rep.in_write,
             rep.writer);
}

int store_fault_calls(void)
{
    return db_fault_calls();
}

int store_generation(struct store *s, uint64_t *gen, struct purpose_err *err)
{
    return db_generation(s->db, gen, err);
}

int store_secret_key(struct store *s, unsigned char key[32], struct purpose_err *err)
{
    (void)err;
    memcpy(key, s->key, sizeof s->key);
    return 0;
}

int store_check_text(const char *field, const char *s, size_t max, bool required,
                     struct purpose_err *err)
{
    if (!s)
        return required ? purpose_errk(err, PURPOSE_ERR_INPUT, field, "%s: is required", field) : 0;
    size_t n = strlen(s);
    if (required) {
        size_t i = 0;
        while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
            i++;
        if (i == n)
            return purpose_errk(err, PURPOSE_ERR_INPUT, field, "%s: is required", field);
    }
    /* The one text rule (core/utf8.h): what is stored can always be answered as JSON. */
    switch (utf8_text_check(s, n, max, true, NULL)) {
    case UTF8_OK: return 0;
    case UTF8_TOO_LONG:
        return purpose_errk(err, PURPOSE_ERR_INPUT, field, "%s: must be at most %zu characters", field, max);
    case UTF8_MALFORMED: return purpose_errk(err, PURPOSE_ERR_INPUT, field, "%s: is not valid UTF-8 text", field);
    case UTF8_CONTROL: break;
    }
    return purpose_errk(err, PURPOSE_ERR_INPUT, field, "%s: contains characters that are not allowed", field);
}

int store_check_username(const char *s, struct purpose_err *err)
{
    size_t n = strlen(s);
    if (n < 2 || n > STORE_USERNAME_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "username", "username: must be 2 to %d characters", STORE_USERNAME_MAX);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '-' || c == '_' || c == '@';
        if (!ok)
            return purpose_errk(err, PURPOSE_ERR_INPUT, "username", "username: use letters, digits and . - _ @ only");
    }
    return 0;
}

int store_check_year(int year, struct purpose_err *err)
{
    if (year < STORE_YEAR_MIN || year > STORE_YEAR_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "target_year", "target_year: must be a year from %d to %d", STORE_YEAR_MIN,
                            STORE_YEAR_MAX);
    return 0;
}

int store_load_themes(struct store *s, const struct store_scope *scope, struct store_theme_list *themes,
                      struct store_ambition_list *ambitions, struct purpose_err *err)
{
    if (store_theme_list(s, scope, themes, err) < 0)
        return -1;
    if (store_ambition_list(s, scope, 0, ambitions, err) < 0) {
        store_theme_list_release(themes);
        return -1;
    }
    return 0;
}

void store_user_release(struct store_user *u)
{
    free(u->username);
    free(u->display_name);
    free(u->password_hash);
    memset(u, 0, sizeof *u);
}
void store_statement_release(struct store_statement *s)
{
    free(s->kind);
    free(s->text);
    free(s->author);
    memset(s, 0, sizeof *s);
}
void store_value_release(struct store_value *v)
{
    free(v->name);
    free(v->description);
    memset(v, 0, sizeof *v);
}
void store_theme_release(struct store_theme *t)
{
    free(t->title);
    free(t->description);
    memset(t, 0, sizeof *t);
}
void store_ambition_release(struct store_ambition *a)
{
    free(a->title);
    free(a->description);
    memset(a, 0, sizeof *a);
}
void store_token_release(struct store_token *t)
{
    free(t->username);
    free(t->name);
    free(t->prefix);
    memset(t, 0, sizeof *t);
}
void store_audit_release(struct store_audit *a)
{
    free(a->actor);
    free(a->action);
    free(a->entity);
    free(a->before);
    free(a->after);
    memset(a, 0, sizeof *a);
}
void store_org_release(struct store_org *o)
{
    free(o->slug);
    free(o->name);
    free(o->type);
    free(o->ods_code);
    memset(o, 0, sizeof *o);
}
void store_programme_release(struct store_programme *p)
{
    free(p->slug);
    free(p->name);
    free(p->description);
    memset(p, 0, sizeof *p);
}
void store_aim_release(struct store_aim *a)
{
    free(a->title);
    free(a->description);
    memset(a, 0, sizeof *a);
}
void store_grant_release(struct store_grant *g)
{
    free(g->scope_slug);
    free(g->scope_name);
    memset(g, 0, sizeof *g);
}
void store_session_release(struct store_session *s)
{
    free(s->csrf);
    memset(s, 0, sizeof *s);
}

#define LIST_RELEASE(fn, list, item_release)                                                      \
    void fn(struct list *l)                                                                      \
    {                                                                                            \
        for (size_t i = 0; i < l->n; i++)                                                        \
            item_release(&l->items[i]);                                                          \
        free(l->items);                                                                          \
        l->items = NULL;                                                                         \
        l->n = 0;                                                                                \
    }
LIST_RELEASE(store_user_list_release, store_user_list, store_user_release)
LIST_RELEASE(store_statement_list_release, store_statement_list, store_statement_release)
LIST_RELEASE(store_value_list_release, store_value_list, store_value_release)
LIST_RELEASE(store_theme_list_release, store_theme_list, store_theme_release)
LIST_RELEASE(store_ambition_list_release, store_ambition_list, store_ambition_release)
LIST_RELEASE(store_token_list_release, store_token_list, store_token_release)
LIST_RELEASE(store_audit_list_release, store_audit_list, store_audit_release)
LIST_RELEASE(store_org_list_release, store_org_list, store_org_release)
LIST_RELEASE(store_programme_list_release, store_programme_list, store_programme_release)
LIST_RELEASE(store_aim_list_release, store_aim_list, store_aim_release)
LIST_RELEASE(store_grant_list_release, store_grant_list, store_grant_release)
