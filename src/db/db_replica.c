/* Reads from a streaming replica (db.h, db_replica_attach): a wrapper over the PostgreSQL primary
 * whose read connections may come from a hot standby. The rule that keeps every answer as fresh as
 * the caches think it is: each change generation a thread reads from the primary has its WAL
 * position (read from the primary after the generation, so at or past the commit that made it); a
 * read goes to the standby only once the standby has replayed up to the newest such position this
 * process knows. The position is the primary's flushed one (pg_current_wal_flush_lsn): a walsender
 * sends only flushed WAL, so the standby reaches it once it has replayed what was sent (the insert
 * position can sit in a part-filled page that nothing flushes for a while; the flushed one can
 * fall inside a record at a page's end, which the standby completes at the next flush: a read
 * meanwhile waits DB_REPLICA_WAIT_MS and goes to the primary, as it must), and it is at or past
 * every commit the generation shows, because this process's writes commit synchronously
 * (rep_acquire): PostgreSQL flushes such a commit before any other session can see it. (Another
 * server's writes must commit synchronously too, the server's default: docs/deployment.md.) So a
 * page cached under a generation never holds older data than that generation, and whoever wrote
 * reads their write on their next request, from any server (each reads the generation from the
 * primary). Connections, statements and transactions are the engines' own: only opening, acquiring
 * and the generation pass through here. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "core/banned.h"

struct rep_db {
    struct db base;
    struct db_driver drv; /* the primary's, with open, acquire and the generation replaced */
    struct db *primary, *standby;
    pthread_mutex_t mu;
    uint64_t gen_known; /* the newest generation whose WAL position is in need */
    uint64_t need;      /* the primary's WAL position then (UINT64_MAX: unknown, read the primary) */
    int64_t down_until; /* ms: the standby could not be reached; the primary answers until then */
    _Atomic uint64_t replayed; /* the standby's replay position as last read (it only grows) */
};

static _Thread_local struct {
    bool on;
    int taken;
} route;

void db_replica_reads(bool on)
{
    route.on = on;
    route.taken = 0;
}

int db_replica_taken(void)
{
    return route.taken;
}

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* One number from a one-row query on c (a WAL position as bytes since 0/0; NULL is 0). */
static int one_u64(struct db_conn *c, const char *sql, uint64_t *out, struct purpose_err *err)
{
    struct db_stmt *st;
    if (db_prepare(c, sql, &st, err) < 0)
        return -1;
    int rc = db_step(st, err);
    if (rc < 0)
        return -1;
    const char *t = rc == 1 ? db_col_text(st, 0) : NULL;
    *out = t ? strtoull(t, NULL, 10) : 0;
    db_reset(st);
    return 0;
}

static const char primary_lsn_sql[] = "SELECT (pg_current_wal_flush_lsn() - '0/0')::bigint";
static const char replay_lsn_sql[] = "SELECT (pg_last_wal_replay_lsn() - '0/0')::bigint";

static int rep_generation(struct db *base, uint64_t *gen, struct purpose_err *err)
{
    struct rep_db *r = (struct rep_db *)base;
    if (db_generation(r->primary, gen, err) < 0)
        return -1;
    pthread_mutex_lock(&r->mu);
    bool newer = *gen > r->gen_known;
    pthread_mutex_unlock(&r->mu);
    if (!newer)
        return 0;
    /* Before this thread answers from generation *gen, the position of that generation is known. */
    uint64_t lsn = UINT64_MAX;
    struct db_conn *c;
    struct purpose_err ignored;
    if (db_acquire(r->primary, false, &c, &ignored) == 0) {
        if (one_u64(c, primary_lsn_sql, &lsn, &ignored) < 0)
            lsn = UINT64_MAX;
        db_release(c);
    }
    pthread_mutex_lock(&r->mu);
    if (lsn == UINT64_MAX) {
        r->need = UINT64_MAX; /* unknown: reads go to the primary until it is known again */
    } else {
        if (r->need == UINT64_MAX || lsn > r->need)
            r->need = lsn;
        if (*gen > r->gen_known)
            r->gen_known = *gen;
    }
    pthread_mutex_unlock(&r->mu);
    return 0;
}

static void standby_away(struct rep_db *r)
{
    pthread_mutex_lock(&r->mu);
    r->down_until = now_ms() + DB_REPLICA_RETRY_MS;
    pthread_mutex_unlock(&r->mu);
}

/* A standby connection that has replayed up to need, waiting up to DB_REPLICA_WAIT_MS; else NULL. */
static struct db_conn *standby_conn(struct rep_db *r)
{
    pthread_mutex_lock(&r->mu);
    uint64_t need = r->need;
    bool down = now_ms() < r->down_until;
    pthread_mutex_unlock(&r->mu);
    if (down || need == UINT64_MAX)
        return NULL;
    struct db_conn *c;
    struct purpose_err ignored;
    if (db_acquire(r->standby, false, &c, &ignored) < 0) {
        standby_away(r);
        return NULL;
    }
    for (int64_t until = now_ms() + DB_REPLICA_WAIT_MS;;) {
        if (atomic_load(&r->replayed) >= need)
            return c;
        uint64_t lsn;
        if (one_u64(c, replay_lsn_sql, &lsn, &ignored) < 0) {
            db_release(c);
            standby_away(r);
            return NULL;
        }
        uint64_t seen = atomic_load(&r->replayed);
        while (lsn > seen && !atomic_compare_exchange_weak(&r->replayed, &seen, lsn))
            ;
        if (lsn >= need)
            return c;
        if (now_ms() >= until) {
            db_release(c);
            return NULL;
        }
        nanosleep(&(struct timespec){0, 2 * 1000 * 1000}, NULL);
    }
}

static int rep_acquire(struct db *base, bool write, struct db_conn **out, struct purpose_err *err)
{
    struct rep_db *r = (struct rep_db *)base;
    if (write) {
        route.on = false; /* what this thread reads next includes what it writes now */
        /* Flushed before it is seen, whatever the server's default (a test server's is off): the
         * flushed position read after a generation is then past the commit that made it. */
        if (db_acquire(r->primary, true, out, err) < 0)
            return -1;
        if (db_exec(*out, "SET synchronous_commit = on", err) < 0) {
            db_release(*out);
            *out = NULL;
            return -1;
        }
        return 0;
    }
    if (route.on) {
        if ((*out = standby_conn(r)) != NULL) {
            route.taken++;
            return 0;
        }
        route.on = false; /* waited once: the rest of this request reads the primary */
    }
    return db_acquire(r->primary, write, out, err);
}

static void rep_release(struct db *base, struct db_conn *c)
{
    (void)base;
    db_release(c); /* the connection's own engine */
}

static void rep_close(struct db *base)
{
    struct rep_db *r = (struct rep_db *)base;
    db_close(&r->standby);
    db_close(&r->primary);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

int db_replica_attach(struct db **db, const char *url, struct purpose_err *err)
{
    if (db_engine(*db) != DB_POSTGRES)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "db-read",
                            "--db-read: reads from a replica need a PostgreSQL database (--db is SQLite, which has none)");
    if (strncmp(url, "postgresql://", 13) != 0 && strncmp(url, "postgres://", 11) != 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "db-read", "--db-read: give the standby's postgresql:// URL");
    struct db *standby = NULL;
    if (db_pg_open_standby(url, &standby, err) < 0)
        return -1;
    uint64_t recovering = 0;
    struct db_conn *c;
    int rc = db_acquire(standby, false, &c, err);
    if (rc == 0) {
        rc = one_u64(c, "SELECT CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END", &recovering, err);
        db_release(c);
    }
    if (rc == 0 && !recovering)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "db-read",
                          "--db-read: that server is not a hot standby (pg_is_in_recovery() is false)");
    struct rep_db *r = rc == 0 ? calloc(1, sizeof *r) : NULL;
    if (rc == 0 && (!r || pthread_mutex_init(&r->mu, NULL) != 0))
        rc = purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "postgresql: out of memory");
    if (rc < 0) {
        free(r);
        db_close(&standby);
        return -1;
    }
    r->drv = *(*db)->drv;
    r->drv.close = rep_close;
    r->drv.acquire = rep_acquire;
    r->drv.release = rep_release;
    r->drv.generation = rep_generation;
    r->base.drv = r->base.real = &r->drv;
    r->primary = *db;
    r->standby = standby;
    atomic_init(&r->replayed, 0);
    *db = &r->base;
    return 0;
}
