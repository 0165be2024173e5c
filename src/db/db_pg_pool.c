/* The PostgreSQL driver's pool (db_pg_int.h): up to PG_POOL connections opened on demand, writes
 * on the first PG_WRITERS, reads on the last free one; a connection that died idle is reopened
 * when next taken. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include <libpq-fe.h>

#include "db/db_pg_int.h"
#include "core/banned.h"

static void no_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

void db_pg_conn_free(struct pg_conn *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        db_pg_stmt_clear(c->cache[i]);
        free(c->cache[i]);
    }
    free(c->cache);
    PQfinish(c->h);
    free(c);
}

int db_pg_conn_new(struct pg_db *d, struct pg_conn **out, struct purpose_err *err)
{
    struct pg_conn *c = calloc(1, sizeof *c);
    if (!c)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "postgresql: out of memory");
    c->base.db = &d->base;
    /* A server that does not answer fails the connection in PG_CONNECT_TIMEOUT seconds, not the
     * system's TCP timeout; the URL's own connect_timeout, if any, comes later and wins. */
    const char *const keys[] = {"connect_timeout", "dbname", NULL};
    const char *const vals[] = {PG_CONNECT_TIMEOUT, d->url, NULL};
    c->h = PQconnectdbParams(keys, vals, 1);
    if (!c->h || PQstatus(c->h) != CONNECTION_OK) {
        db_pg_fail(c->h, NULL, "cannot connect", err);
        PQfinish(c->h);
        free(c);
        return -1;
    }
    PQsetNoticeProcessor(c->h, no_notices, NULL);
    *out = c;
    return 0;
}

/* Whether an idle pooled connection still has its server. An idle connection has nothing to read,
 * so a readable socket means the server closed it (a restart, an administrator's termination) or
 * sent a notice; reading it lets libpq tell which. Checked at every acquire, so that after an
 * outage the first request on each connection does not fail on a connection that died idle. */
static bool conn_alive(struct pg_conn *c)
{
    if (PQstatus(c->h) != CONNECTION_OK || PQtransactionStatus(c->h) != PQTRANS_IDLE)
        return false;
    struct pollfd p = {.fd = PQsocket(c->h), .events = POLLIN};
    if (p.fd < 0)
        return false;
    int n = poll(&p, 1, 0);
    if (n == 0)
        return true;
    if (n < 0 || (p.revents & (POLLERR | POLLHUP | POLLNVAL)))
        return false;
    PQconsumeInput(c->h);
    PGnotify *note;
    while ((note = PQnotifies(c->h)) != NULL)
        PQfreemem(note);
    return PQstatus(c->h) == CONNECTION_OK && !PQisBusy(c->h);
}

/* A connection whose server went away is reopened when next taken from the pool. A thread waits
 * for a free connection at most PG_WAIT_SECONDS, then gets an unavailable error (503). */
int db_pg_acquire(struct db *base, bool write, struct db_conn **out, struct purpose_err *err)
{
    struct pg_db *d = (struct pg_db *)base;
    int n = write ? PG_WRITERS : PG_POOL;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += PG_WAIT_SECONDS;
    pthread_mutex_lock(&d->mu);
    for (;;) {
        for (int k = 0; k < n; k++) {
            int i = write ? k : PG_POOL - 1 - k;
            if (d->pool[i] && d->pool[i]->busy)
                continue;
            if (d->pool[i] && !conn_alive(d->pool[i])) {
                db_pg_conn_free(d->pool[i]);
                d->pool[i] = NULL;
            }
            if (!d->pool[i] && db_pg_conn_new(d, &d->pool[i], err) < 0) {
                pthread_mutex_unlock(&d->mu);
                return -1;
            }
            d->pool[i]->busy = true;
            *out = &d->pool[i]->base;
            pthread_mutex_unlock(&d->mu);
            return 0;
        }
        if (pthread_cond_timedwait(&d->cv, &d->mu, &until) == ETIMEDOUT) {
            pthread_mutex_unlock(&d->mu);
            return purpose_errk(err, PURPOSE_ERR_UNAVAILABLE, NULL,
                                "postgresql: every connection stayed busy for %d s", PG_WAIT_SECONDS);
        }
    }
}

void db_pg_release(struct db *base, struct db_conn *c)
{
    struct pg_db *d = (struct pg_db *)base;
    pthread_mutex_lock(&d->mu);
    ((struct pg_conn *)c)->busy = false;
    pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
}
