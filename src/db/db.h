#ifndef PURPOSE_DB_H
#define PURPOSE_DB_H

/* The thin SQL driver: the dozen primitives the store is written once over (prepare, bind, step,
 * column, transactions, change generation, bulk load), with one file per engine: db_sqlite.c and
 * db_pg.c. Only src/db includes sqlite3.h or libpq-fe.h.
 *
 * SQL is written once: `?` placeholders (rewritten to $n for PostgreSQL), RETURNING and
 * ON CONFLICT (both engines have them). Schema text may use three tokens that each engine expands:
 * {ID} (an auto-assigned 64-bit primary key), {BLOB} (bytes) and {NOW} (unix seconds).
 *
 * Ownership and threads: a struct db is opened by db_open and freed by db_close, after every
 * connection is released. A connection is taken with db_acquire and given back with db_release;
 * one thread uses it at a time. Statements belong to their connection: prepared once per SQL text
 * (the pointer is the cache key, so pass string literals) and kept until the connection closes.
 * Text and blob columns point into the driver's row buffer: valid until the next db_step or
 * db_reset on that statement.
 *
 * Errors: functions return 0 (db_step: 1 for a row, 0 when done) or -1 with err filled: a unique
 * violation is PURPOSE_ERR_CONFLICT, everything else PURPOSE_ERR_INTERNAL. After an error the
 * statement is reset and the caller rolls back. */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "purpose/err.h"

enum db_engine { DB_SQLITE, DB_POSTGRES };

struct db;
struct db_conn;
struct db_stmt;
struct db_bulk;

/* PostgreSQL keeps up to 24 connections, of which write transactions (db_acquire with write) take
 * at most this many: the others are always left for reads. */
#define DB_PG_WRITERS 12

/* The engine's primitives. Each engine fills one; db_fault.c wraps one. */
struct db_driver {
    const char *name;
    enum db_engine engine;
    void (*close)(struct db *db);
    /* write: the connection that may write (SQLite has one; PostgreSQL any pooled one). */
    int (*acquire)(struct db *db, bool write, struct db_conn **c, struct purpose_err *err);
    void (*release)(struct db *db, struct db_conn *c);
    int (*exec)(struct db_conn *c, const char *sql, struct purpose_err *err);
    int (*prepare)(struct db_conn *c, const char *sql, struct db_stmt **st, struct purpose_err *err);
    int (*bind_i64)(struct db_stmt *st, int i, int64_t v);
    int (*bind_double)(struct db_stmt *st, int i, double v);
    int (*bind_text)(struct db_stmt *st, int i, const char *v, size_t n); /* NULL binds NULL */
    int (*bind_blob)(struct db_stmt *st, int i, const void *v, size_t n);
    int (*step)(struct db_stmt *st, struct purpose_err *err);
    /* The next run of st hands its rows over one at a time instead of all at once. */
    void (*stream)(struct db_stmt *st);
    void (*reset)(struct db_stmt *st);
    bool (*col_null)(struct db_stmt *st, int i);
    int64_t (*col_i64)(struct db_stmt *st, int i);
    double (*col_double)(struct db_stmt *st, int i);
    const char *(*col_text)(struct db_stmt *st, int i); /* NULL for NULL */
    const void *(*col_blob)(struct db_stmt *st, int i, size_t *n);
    int (*begin)(struct db_conn *c, bool write, struct purpose_err *err);
    int (*commit)(struct db_conn *c, struct purpose_err *err);
    void (*rollback)(struct db_conn *c);
    int (*generation)(struct db *db, uint64_t *gen, struct purpose_err *err);
    /* Whether the connection's open write transaction has changed any row so far. */
    int (*changed)(struct db_conn *c, bool *changed, struct purpose_err *err);
    int (*bulk_begin)(struct db_conn *c, const char *table, const char *const *cols, int ncols,
                      struct db_bulk **b, struct purpose_err *err);
    /* One row of ncols values as text (NULL for SQL NULL). */
    int (*bulk_row)(struct db_bulk *b, const char *const *vals, struct purpose_err *err);
    int (*bulk_end)(struct db_bulk *b, bool ok, struct purpose_err *err);
};

/* The common head of every engine's objects, so the wrappers below find the driver. */
struct db {
    const struct db_driver *drv;
    const struct db_driver *real; /* the engine's own driver, under a wrapper such as db_fault */
    int fault_after;              /* db_fault: the call that fails (0: never) */
    int fault_calls;
    bool fault_armable;           /* db_fault: the wrapper stays, for db_fault_arm */
};
struct db_conn {
    struct db *db;
};
struct db_stmt {
    struct db_conn *conn;
};
struct db_bulk {
    struct db_conn *conn;
};

/* Opens `location`: a postgresql:// or postgres:// URL, else a SQLite file path (created with its
 * folder when missing). Never prints. */
int db_open(const char *location, struct db **out, struct purpose_err *err);
void db_close(struct db **db);

int db_sqlite_open(const char *path, struct db **out, struct purpose_err *err);
int db_pg_open(const char *url, struct db **out, struct purpose_err *err);
/* A connection pool on a hot standby (read-only: creates nothing). */
int db_pg_open_standby(const char *url, struct db **out, struct purpose_err *err);

/* Reads from a streaming replica (db_replica.c). db_replica_attach wraps *db, a PostgreSQL primary,
 * so that a thread that called db_replica_reads(true) takes its read connections (db_acquire with
 * write false) from the hot standby at url, when that standby has replayed the primary's WAL up to
 * the position it had when this process last saw the change generation move (db_generation: a
 * read answers no older data than the generation the caches key it by, so a person reads their own
 * writes, from any server). A standby behind that is waited for up to DB_REPLICA_WAIT_MS, then the
 * primary answers; a standby that cannot be reached is left alone for DB_REPLICA_RETRY_MS and the
 * primary answers. A write connection, and every read after it on that thread until
 * db_replica_reads is called again, is the primary's. Refused (INPUT) for SQLite, or when url is not
 * a hot standby. db_close closes both. */
#define DB_REPLICA_WAIT_MS 50
#define DB_REPLICA_RETRY_MS 2000
int db_replica_attach(struct db **db, const char *url, struct purpose_err *err);
/* Whether the calling thread's next reads may go to the replica (set per request; off by default). */
void db_replica_reads(bool on);
/* How many read connections the calling thread took from the replica since db_replica_reads(true). */
int db_replica_taken(void);

/* Tests: from now, the n-th begin, statement step, exec, commit or bulk row fails (0 turns it off). */
void db_fault_after(struct db *db, int n);
/* Tests: wraps db's driver for good (call before any thread uses db), so that db_fault_arm works. */
void db_fault_armable(struct db *db);
/* Tests: the calling thread's n-th database call from now fails, once (0 disarms). Only a db made
 * armable fails; elsewhere this only sets the thread's count. */
void db_fault_arm(int n);
/* Tests: what the calling thread's fault armed by db_fault_arm did: whether it fired, how many write
 * transactions the thread had committed before, and whether it hit an open write transaction. A
 * fault that fires after a commit and outside a write (reading the answer back) loses the answer
 * of a write that is stored whole; one in a second write transaction leaves the first stored. */
struct db_fault_report {
    bool fired;
    int commits_before;
    bool in_write;
    bool writer; /* a write connection was taken before it fired: else nothing can have been written */
};
void db_fault_report(struct db_fault_report *out);
/* Tests: how many database calls the calling thread made since db_fault_arm (up to the one that failed). */
int db_fault_calls(void);

static inline enum db_engine db_engine(const struct db *db) { return db->drv->engine; }
static inline int db_acquire(struct db *db, bool write, struct db_conn **c, struct purpose_err *err)
{
    return db->drv->acquire(db, write, c, err);
}
static inline void db_release(struct db_conn *c) { c->db->drv->release(c->db, c); }
static inline int db_exec(struct db_conn *c, const char *sql, struct purpose_err *err)
{
    return c->db->drv->exec(c, sql, err);
}
static inline int db_prepare(struct db_conn *c, const char *sql, struct db_stmt **st,
                             struct purpose_err *err)
{
    return c->db->drv->prepare(c, sql, st, err);
}
#define DB_DRV(st) ((st)->conn->db->drv)
static inline int db_bind_i64(struct db_stmt *st, int i, int64_t v) { return DB_DRV(st)->bind_i64(st, i, v); }
static inline int db_bind_double(struct db_stmt *st, int i, double v) { return DB_DRV(st)->bind_double(st, i, v); }
static inline int db_bind_text(struct db_stmt *st, int i, const char *v)
{
    return DB_DRV(st)->bind_text(st, i, v, (size_t)-1);
}
static inline int db_bind_blob(struct db_stmt *st, int i, const void *v, size_t n)
{
    return DB_DRV(st)->bind_blob(st, i, v, n);
}
static inline int db_step(struct db_stmt *st, struct purpose_err *err) { return DB_DRV(st)->step(st, err); }
static inline void db_reset(struct db_stmt *st) { DB_DRV(st)->reset(st); }
/* Streams the next run of st: rows arrive one at a time, so a read of millions of rows never holds
 * them all (SQLite always streams; PostgreSQL switches to single-row mode). Call after binding. */
static inline void db_stream(struct db_stmt *st) { DB_DRV(st)->stream(st); }
static inline bool db_col_null(struct db_stmt *st, int i) { return DB_DRV(st)->col_null(st, i); }
static inline int64_t db_col_i64(struct db_stmt *st, int i) { return DB_DRV(st)->col_i64(st, i); }
static inline double db_col_double(struct db_stmt *st, int i) { return DB_DRV(st)->col_double(st, i); }
static inline const char *db_col_text(struct db_stmt *st, int i) { return DB_DRV(st)->col_text(st, i); }
static inline const void *db_col_blob(struct db_stmt *st, int i, size_t *n)
{
    return DB_DRV(st)->col_blob(st, i, n);
}
static inline int db_begin(struct db_conn *c, bool write, struct purpose_err *err)
{
    return c->db->drv->begin(c, write, err);
}
static inline int db_commit(struct db_conn *c, struct purpose_err *err) { return c->db->drv->commit(c, err); }
static inline void db_rollback(struct db_conn *c) { c->db->drv->rollback(c); }
/* Whether c's open write transaction has changed a row yet (SQLite: rows counted since its begin;
 * PostgreSQL: whether it has been given a transaction id, which only a change does). */
static inline int db_changed(struct db_conn *c, bool *changed, struct purpose_err *err)
{
    return c->db->drv->changed(c, changed, err);
}
/* A number that changes whenever any connection, in any process, commits a change; for caches. */
static inline int db_generation(struct db *db, uint64_t *gen, struct purpose_err *err)
{
    return db->drv->generation(db, gen, err);
}
/* Bulk load into `table` inside the connection's open transaction (SQLite: one prepared INSERT;
 * PostgreSQL: COPY FROM STDIN). bulk_end(ok=false) abandons it; the caller then rolls back. */
static inline int db_bulk_begin(struct db_conn *c, const char *table, const char *const *cols, int ncols,
                                struct db_bulk **b, struct purpose_err *err)
{
    return c->db->drv->bulk_begin(c, table, cols, ncols, b, err);
}
static inline int db_bulk_row(struct db_bulk *b, const char *const *vals, struct purpose_err *err)
{
    return b->conn->db->drv->bulk_row(b, vals, err);
}
static inline int db_bulk_end(struct db_bulk *b, bool ok, struct purpose_err *err)
{
    return b->conn->db->drv->bulk_end(b, ok, err);
}

/* Helpers written once over the primitives (db.c). */

/* Prepares sql and binds the arguments named by types: i int64_t, n int, d double, t const char *
 * (NULL binds NULL). */
int db_query(struct db_conn *c, struct db_stmt **st, struct purpose_err *err, const char *sql,
             const char *types, ...);
int db_vquery(struct db_conn *c, struct db_stmt **st, struct purpose_err *err, const char *sql, const char *types,
              va_list ap);
/* Runs a statement that returns no rows (or whose rows are ignored). */
int db_run(struct db_conn *c, struct purpose_err *err, const char *sql, const char *types, ...);
/* Runs a statement returning one integer (e.g. INSERT ... RETURNING id); *out untouched if no row. */
int db_run_i64(struct db_conn *c, int64_t *out, struct purpose_err *err, const char *sql,
               const char *types, ...);
/* A copy of a text column ("" never becomes NULL); sets *oom when out of memory. */
char *db_col_dup(struct db_stmt *st, int i, bool *oom);

#endif
