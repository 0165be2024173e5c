/* The SQLite engine: WAL mode, one writer connection and a pool of reader connections, so readers
 * never wait behind a writer (a long import does not stall page reads). Statements are prepared once
 * per connection and kept. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db/db.h"
#include "core/banned.h"

/* Prepared statements per connection, keyed by their SQL literal: the cache grows as statements are
 * first used (db_pg_int.h says why); SQ_CACHE_MAX only guards against SQL built at run time. */
#define SQ_CACHE_FIRST 64
#define SQ_CACHE_MAX 4096
#define SQ_READERS 8
#define SQ_BUSY_MS "5000" /* how long a statement waits for another process's lock */
#define SQ_WAIT_SECONDS 10

struct sq_stmt {
    struct db_stmt base;
    sqlite3_stmt *st;
    const char *sql;
};

struct sq_conn {
    struct db_conn base;
    sqlite3 *h;
    struct sq_stmt **cache;
    size_t n, cap;
    bool busy;
    sqlite3_int64 changes_at_begin; /* sqlite3_total_changes64 when the transaction began */
};

struct sq_bulk {
    struct db_bulk base;
    sqlite3_stmt *st;
    int ncols;
};

struct sq_db {
    struct db base;
    char *path;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct sq_conn *writer;
    struct sq_conn *readers[SQ_READERS];
    pthread_mutex_t gen_mu;
    sqlite3 *gen; /* only reads PRAGMA data_version: it changes when any other connection commits */
    sqlite3_stmt *gen_st; /* its statement, prepared once (a prepare costs more than the read) */
};

static int sq_fail(sqlite3 *h, const char *path, const char *what, struct purpose_err *err)
{
    int code = sqlite3_extended_errcode(h);
    /* Busy: another process (an import from the command line) held the write lock for the whole
     * busy timeout; nothing was written and the same request may succeed later. */
    enum purpose_err_kind kind = code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY
                                     ? PURPOSE_ERR_CONFLICT
                                 : (code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED
                                     ? PURPOSE_ERR_UNAVAILABLE
                                     : PURPOSE_ERR_INTERNAL;
    return purpose_errk(err, kind, NULL, "%s: %s: %s", path, what, sqlite3_errmsg(h));
}

static const char *conn_path(struct db_conn *c)
{
    return ((struct sq_db *)c->db)->path;
}

/* ---- connections ------------------------------------------------------------------------------ */

static void conn_free(struct sq_conn *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        sqlite3_finalize(c->cache[i]->st);
        free(c->cache[i]);
    }
    free(c->cache);
    sqlite3_close(c->h);
    free(c);
}

static int open_handle(const char *path, sqlite3 **h, struct purpose_err *err)
{
    int rc = sqlite3_open_v2(path, h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "%s: cannot open the database: %s", path,
                     *h ? sqlite3_errmsg(*h) : "out of memory");
        sqlite3_close(*h);
        *h = NULL;
        return -1;
    }
    sqlite3_extended_result_codes(*h, 1);
    char *msg = NULL;
    /* WAL lets readers run beside a writer; foreign keys keep children tied to their parents. */
    if (sqlite3_exec(*h,
                     "PRAGMA busy_timeout = " SQ_BUSY_MS "; PRAGMA foreign_keys = ON;"
                     "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
                     NULL, NULL, &msg) != SQLITE_OK) {
        purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "%s: cannot open the database: %s", path,
                     msg ? msg : "unknown error");
        sqlite3_free(msg);
        sqlite3_close(*h);
        *h = NULL;
        return -1;
    }
    return 0;
}

static int conn_new(struct sq_db *d, struct sq_conn **out, struct purpose_err *err)
{
    struct sq_conn *c = calloc(1, sizeof *c);
    if (!c)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "%s: out of memory", d->path);
    c->base.db = &d->base;
    if (open_handle(d->path, &c->h, err) < 0) {
        free(c);
        return -1;
    }
    *out = c;
    return 0;
}

/* A writer waits for the one writer connection at most SQ_WAIT_SECONDS: while another process holds
 * the write lock each writer ahead spends the busy timeout, and a queue of them must not hold a
 * request past its timeout. Then it gets an unavailable error (503). */
static int sq_acquire(struct db *base, bool write, struct db_conn **out, struct purpose_err *err)
{
    struct sq_db *d = (struct sq_db *)base;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += SQ_WAIT_SECONDS;
    pthread_mutex_lock(&d->mu);
    for (;;) {
        if (write) {
            if (!d->writer->busy) {
                d->writer->busy = true;
                *out = &d->writer->base;
                pthread_mutex_unlock(&d->mu);
                return 0;
            }
        } else {
            for (int i = 0; i < SQ_READERS; i++) {
                if (!d->readers[i]) {
                    /* Opened on first need; opening outside the lock would let two threads race. */
                    if (conn_new(d, &d->readers[i], err) < 0) {
                        pthread_mutex_unlock(&d->mu);
                        return -1;
                    }
                }
                if (!d->readers[i]->busy) {
                    d->readers[i]->busy = true;
                    *out = &d->readers[i]->base;
                    pthread_mutex_unlock(&d->mu);
                    return 0;
                }
            }
        }
        if (pthread_cond_timedwait(&d->cv, &d->mu, &until) == ETIMEDOUT) {
            pthread_mutex_unlock(&d->mu);
            return purpose_errk(err, PURPOSE_ERR_UNAVAILABLE, NULL, "%s: the database stayed busy for %d s",
                                d->path, SQ_WAIT_SECONDS);
        }
    }
}

static void sq_release(struct db *base, struct db_conn *c)
{
    struct sq_db *d = (struct sq_db *)base;
    pthread_mutex_lock(&d->mu);
    ((struct sq_conn *)c)->busy = false;
    pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
}

static int sq_exec(struct db_conn *c, const char *sql, struct purpose_err *err)
{
    sqlite3 *h = ((struct sq_conn *)c)->h;
    char *msg = NULL;
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = sq_fail(h, conn_path(c), "query failed", err);
        sqlite3_free(msg);
        return rc;
    }
    return 0;
}

/* ---- statements ------------------------------------------------------------------------------- */

static int sq_prepare(struct db_conn *base, const char *sql, struct db_stmt **out, struct purpose_err *err)
{
    struct sq_conn *c = (struct sq_conn *)base;
    for (size_t i = 0; i < c->n; i++) {
        if (c->cache[i]->sql == sql) {
            *out = &c->cache[i]->base;
            return 0;
        }
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : SQ_CACHE_FIRST;
        struct sq_stmt **grown = c->n < SQ_CACHE_MAX ? realloc(c->cache, cap * sizeof *grown) : NULL;
        if (!grown)
            return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "%s: statement cache full", conn_path(base));
        c->cache = grown;
        c->cap = cap;
    }
    struct sq_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "%s: out of memory", conn_path(base));
    if (sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL) != SQLITE_OK) {
        int rc = sq_fail(c->h, conn_path(base), "cannot prepare a query", err);
        free(s);
        return rc;
    }
    s->base.conn = base;
    s->sql = sql;
    c->cache[c->n++] = s;
    *out = &s->base;
    return 0;
}

#define ST(x) (((struct sq_stmt *)(x))->st)

static int sq_bind_i64(struct db_stmt *st, int i, int64_t v)
{
    return sqlite3_bind_int64(ST(st), i, v) == SQLITE_OK ? 0 : -1;
}
static int sq_bind_double(struct db_stmt *st, int i, double v)
{
    return sqlite3_bind_double(ST(st), i, v) == SQLITE_OK ? 0 : -1;
}
static int sq_bind_text(struct db_stmt *st, int i, const char *v, size_t n)
{
    int rc = v ? sqlite3_bind_text64(ST(st), i, v, n == (size_t)-1 ? strlen(v) : n, SQLITE_STATIC, SQLITE_UTF8)
               : sqlite3_bind_null(ST(st), i);
    return rc == SQLITE_OK ? 0 : -1;
}
static int sq_bind_blob(struct db_stmt *st, int i, const void *v, size_t n)
{
    return sqlite3_bind_blob64(ST(st), i, v, n, SQLITE_STATIC) == SQLITE_OK ? 0 : -1;
}

static void sq_reset(struct db_stmt *st)
{
    sqlite3_reset(ST(st));
    sqlite3_clear_bindings(ST(st));
}

static int sq_step(struct db_stmt *st, struct purpose_err *err)
{
    int rc = sqlite3_step(ST(st));
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    sqlite3 *h = ((struct sq_conn *)st->conn)->h;
    sq_fail(h, conn_path(st->conn), "query failed", err);
    sq_reset(st);
    return -1;
}

static void sq_stream(struct db_stmt *st)
{
    (void)st; /* sqlite3_step already yields one row at a time */
}

static bool sq_col_null(struct db_stmt *st, int i)
{
    return sqlite3_column_type(ST(st), i) == SQLITE_NULL;
}
static int64_t sq_col_i64(struct db_stmt *st, int i)
{
    return sqlite3_column_int64(ST(st), i);
}
static double sq_col_double(struct db_stmt *st, int i)
{
    return sqlite3_column_double(ST(st), i);
}
static const char *sq_col_text(struct db_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(ST(st), i);
}
static const void *sq_col_blob(struct db_stmt *st, int i, size_t *n)
{
    const void *p = sqlite3_column_blob(ST(st), i);
    *n = (size_t)sqlite3_column_bytes(ST(st), i);
    return p;
}

/* ---- transactions and generation ------------------------------------------------------------- */

static int sq_begin(struct db_conn *c, bool write, struct purpose_err *err)
{
    /* IMMEDIATE takes the write lock at once, so two writers never deadlock upgrading. */
    ((struct sq_conn *)c)->changes_at_begin = sqlite3_total_changes64(((struct sq_conn *)c)->h);
    return sq_exec(c, write ? "BEGIN IMMEDIATE" : "BEGIN", err);
}

static int sq_changed(struct db_conn *c, bool *changed, struct purpose_err *err)
{
    (void)err;
    struct sq_conn *sc = (struct sq_conn *)c;
    *changed = sqlite3_total_changes64(sc->h) != sc->changes_at_begin; /* triggers' rows included */
    return 0;
}

static int sq_commit(struct db_conn *c, struct purpose_err *err)
{
    if (sq_exec(c, "COMMIT", err) < 0) {
        if (!sqlite3_get_autocommit(((struct sq_conn *)c)->h))
            sqlite3_exec(((struct sq_conn *)c)->h, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

static void sq_rollback(struct db_conn *c)
{
    sqlite3 *h = ((struct sq_conn *)c)->h;
    if (!sqlite3_get_autocommit(h))
        sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
}

static int sq_generation(struct db *base, uint64_t *gen, struct purpose_err *err)
{
    struct sq_db *d = (struct sq_db *)base;
    sqlite3_stmt *st = NULL;
    pthread_mutex_lock(&d->gen_mu);
    int rc = d->gen_st ? SQLITE_OK : sqlite3_prepare_v2(d->gen, "PRAGMA data_version", -1, &d->gen_st, NULL);
    st = d->gen_st;
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        *gen = (uint64_t)sqlite3_column_int64(st, 0);
    else
        rc = sq_fail(d->gen, d->path, "cannot read the data version", err);
    if (st)
        sqlite3_reset(st);
    pthread_mutex_unlock(&d->gen_mu);
    return rc == SQLITE_OK ? 0 : -1;
}

/* ---- bulk load: one prepared INSERT, run per row inside the caller's transaction ------------- */

static int sq_bulk_begin(struct db_conn *c, const char *table, const char *const *cols, int ncols,
                         struct db_bulk **out, struct purpose_err *err)
{
    char sql[2048];
    size_t n = (size_t)snprintf(sql, sizeof sql, "INSERT INTO %s(", table);
    for (int i = 0; i < ncols && n < sizeof sql; i++)
        n += (size_t)snprintf(sql + n, sizeof sql - n, "%s%s", i ? "," : "", cols[i]);
    for (int i = 0; i < ncols && n < sizeof sql; i++)
        n += (size_t)snprintf(sql + n, sizeof sql - n, "%s", i ? ",?" : ") VALUES(?");
    if (n + 2 >= sizeof sql || ncols <= 0)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "%s: bulk load: too many columns", conn_path(c));
    memcpy(sql + n, ")", 2);
    struct sq_bulk *b = calloc(1, sizeof *b);
    if (!b)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "%s: out of memory", conn_path(c));
    b->base.conn = c;
    b->ncols = ncols;
    if (sqlite3_prepare_v2(((struct sq_conn *)c)->h, sql, -1, &b->st, NULL) != SQLITE_OK) {
        free(b);
        return sq_fail(((struct sq_conn *)c)->h, conn_path(c), "bulk load", err);
    }
    *out = &b->base;
    return 0;
}

static int sq_bulk_row(struct db_bulk *base, const char *const *vals, struct purpose_err *err)
{
    struct sq_bulk *b = (struct sq_bulk *)base;
    for (int i = 0; i < b->ncols; i++) {
        int rc = vals[i] ? sqlite3_bind_text(b->st, i + 1, vals[i], -1, SQLITE_STATIC)
                         : sqlite3_bind_null(b->st, i + 1);
        if (rc != SQLITE_OK)
            return sq_fail(((struct sq_conn *)base->conn)->h, conn_path(base->conn), "bulk load", err);
    }
    int rc = sqlite3_step(b->st);
    sqlite3_reset(b->st);
    if (rc != SQLITE_DONE)
        return sq_fail(((struct sq_conn *)base->conn)->h, conn_path(base->conn), "bulk load", err);
    return 0;
}

static int sq_bulk_end(struct db_bulk *base, bool ok, struct purpose_err *err)
{
    (void)ok;
    (void)err;
    struct sq_bulk *b = (struct sq_bulk *)base;
    sqlite3_finalize(b->st);
    free(b);
    return 0;
}

/* ---- open and close --------------------------------------------------------------------------- */

static void sq_close(struct db *base)
{
    struct sq_db *d = (struct sq_db *)base;
    conn_free(d->writer);
    for (int i = 0; i < SQ_READERS; i++)
        conn_free(d->readers[i]);
    sqlite3_finalize(d->gen_st);
    sqlite3_close(d->gen);
    pthread_mutex_destroy(&d->mu);
    pthread_mutex_destroy(&d->gen_mu);
    pthread_cond_destroy(&d->cv);
    free(d->path);
    free(d);
}

static const struct db_driver sqlite_driver = {
    .name = "sqlite",
    .engine = DB_SQLITE,
    .close = sq_close,
    .acquire = sq_acquire,
    .release = sq_release,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .bind_i64 = sq_bind_i64,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .step = sq_step,
    .stream = sq_stream,
    .reset = sq_reset,
    .col_null = sq_col_null,
    .col_i64 = sq_col_i64,
    .col_double = sq_col_double,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .generation = sq_generation,
    .changed = sq_changed,
    .bulk_begin = sq_bulk_begin,
    .bulk_row = sq_bulk_row,
    .bulk_end = sq_bulk_end,
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
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "%s: cannot create folder %s: %s", path, dir,
                            strerror(errno));
    return 0;
}

int db_sqlite_open(const char *path, struct db **out, struct purpose_err *err)
{
    *out = NULL;
    if (make_parent(path, err) < 0)
        return -1;
    /* The file holds password hashes and the secret key: readable by its owner only. SQLite gives
     * the -wal and -shm files the same mode. */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0)
        close(fd);
    struct sq_db *d = calloc(1, sizeof *d);
    if (!d)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "%s: out of memory", path);
    d->base.drv = d->base.real = &sqlite_driver;
    d->path = strdup(path);
    if (!d->path || pthread_mutex_init(&d->mu, NULL) != 0) {
        free(d->path);
        free(d);
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "%s: out of memory", path);
    }
    pthread_mutex_init(&d->gen_mu, NULL);
    pthread_cond_init(&d->cv, NULL);
    if (conn_new(d, &d->writer, err) < 0 || open_handle(path, &d->gen, err) < 0) {
        sq_close(&d->base);
        return -1;
    }
    *out = &d->base;
    return 0;
}
