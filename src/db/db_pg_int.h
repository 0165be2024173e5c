#ifndef PURPOSE_DB_PG_INT_H
#define PURPOSE_DB_PG_INT_H
/* Private to the PostgreSQL driver: db_pg.c (statements, transactions, the change generation, open
 * and close), db_pg_pool.c (the pool of connections) and db_pg_bulk.c (COPY). A connection owns its
 * prepared statements; the pool owns its connections; db_pg_close frees them all. */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "db/db.h"
#include "db/db_genshare.h"

#define PG_POOL 24 /* above serve's default threads on 4 cores, so a thread rarely waits for one */
/* Writes take at most DB_PG_WRITERS of them (db.h), the first ones; reads take the last free one, so
 * the rest is always there for reads: a read never waits for a connection behind writes held up by
 * locks or commits. */
#define PG_WRITERS DB_PG_WRITERS
/* Prepared statements per connection, keyed by their SQL literal. The cache grows as statements are
 * first used (the program has a few hundred; a sanitized build does not merge equal literals, so it
 * sees more); PG_CACHE_MAX only guards against SQL built at run time, which must not come here. */
#define PG_CACHE_FIRST 64
#define PG_CACHE_MAX 4096
#define PG_PARAMS 16
#define PG_COPY_BUF 65536
#define PG_CONNECT_TIMEOUT "5" /* seconds */
#define PG_WAIT_SECONDS 10    /* for a free pooled connection, well inside a request's timeout */

struct pg_stmt {
    struct db_stmt base;
    const char *sql;
    char name[16];
    int nparams;
    const char *vals[PG_PARAMS];
    int lens[PG_PARAMS];
    int fmts[PG_PARAMS];
    char num[PG_PARAMS][32];
    PGresult *res;
    int row; /* the next row db_step returns */
    bool stream;    /* the next run uses single-row mode */
    bool streaming; /* a single-row run is under way */
    unsigned char *blob;
};

struct pg_conn {
    struct db_conn base;
    PGconn *h;
    struct pg_stmt **cache;
    size_t n, cap;
    bool busy, wrote;
};

struct pg_bulk {
    struct db_bulk base;
    char *buf;
    size_t len;
    int ncols;
};

struct pg_db {
    struct db base;
    char *url;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct pg_conn *pool[PG_POOL];
    struct db_genshare gens; /* generation reads shared between threads */
};

static inline PGconn *db_pg_h(struct db_conn *c)
{
    return ((struct pg_conn *)c)->h;
}

/* db_pg.c: fills err from h's or res's failure (a conflict, the server away, else internal) and
 * returns -1. */
int db_pg_fail(PGconn *h, const PGresult *res, const char *what, struct purpose_err *err);
/* db_pg.c: drops a statement's result and what is left of its run; it stays prepared. */
void db_pg_stmt_clear(struct pg_stmt *s);

/* db_pg_pool.c: a new connection for d, or -1 with err; freed (with its statements) by
 * db_pg_conn_free, which takes NULL. */
int db_pg_conn_new(struct pg_db *d, struct pg_conn **out, struct purpose_err *err);
void db_pg_conn_free(struct pg_conn *c);
/* db_pg_pool.c: the driver's acquire and release (db.h). */
int db_pg_acquire(struct db *base, bool write, struct db_conn **out, struct purpose_err *err);
void db_pg_release(struct db *base, struct db_conn *c);

/* db_pg_bulk.c: the driver's bulk load (db.h), by COPY FROM STDIN. */
int db_pg_bulk_begin(struct db_conn *c, const char *table, const char *const *cols, int ncols,
                     struct db_bulk **out, struct purpose_err *err);
int db_pg_bulk_row(struct db_bulk *base, const char *const *vals, struct purpose_err *err);
int db_pg_bulk_end(struct db_bulk *base, bool ok, struct purpose_err *err);

#endif
