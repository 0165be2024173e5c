/* Change-generation reads shared between threads (db_genshare.h). */
#include "db/db_genshare.h"
#include "core/banned.h"

void db_genshare_init(struct db_genshare *g)
{
    *g = (struct db_genshare){0};
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->cv, NULL);
}

void db_genshare_release(struct db_genshare *g)
{
    pthread_mutex_destroy(&g->mu);
    pthread_cond_destroy(&g->cv);
}

int db_genshare_read(struct db_genshare *g, int (*read)(struct db *, uint64_t *, struct purpose_err *), struct db *db,
                     uint64_t *gen, struct purpose_err *err)
{
    pthread_mutex_lock(&g->mu);
    uint64_t want = g->started + 1; /* the first read to start from now on */
    while (g->done < want) {
        if (g->busy) {
            pthread_cond_wait(&g->cv, &g->mu);
            continue;
        }
        g->busy = true;
        uint64_t seq = ++g->started;
        pthread_mutex_unlock(&g->mu);
        uint64_t v = 0;
        struct purpose_err e = {0};
        int rc = read(db, &v, &e);
        pthread_mutex_lock(&g->mu);
        g->busy = false;
        g->done = seq;
        g->value = v;
        g->rc = rc;
        g->err = e;
        pthread_cond_broadcast(&g->cv);
    }
    int rc = g->rc;
    *gen = g->value;
    if (rc < 0 && err)
        *err = g->err;
    pthread_mutex_unlock(&g->mu);
    return rc;
}
