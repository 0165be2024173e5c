#ifndef PURPOSE_DB_GENSHARE_H
#define PURPOSE_DB_GENSHARE_H
/* Change-generation reads shared between threads (db_genshare.c), for an engine whose read is a
 * round trip (PostgreSQL). Private to src/db. */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"

struct db_genshare {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    uint64_t started, done, value; /* reads started and finished, and the last one's answer */
    bool busy;
    int rc;
    struct purpose_err err;
};

void db_genshare_init(struct db_genshare *g);
void db_genshare_release(struct db_genshare *g);
/* The generation, from a run of read() that started after this call began: it sees every commit
 * finished before the call, by any process, so a change made through one server still shows on
 * another's next request (the scale-out rule; tests/http/scaleout.test.mjs). One read is in flight
 * at a time; the calls that arrive while it is share the next, instead of each taking a pooled
 * connection and a round trip. */
int db_genshare_read(struct db_genshare *g, int (*read)(struct db *, uint64_t *, struct purpose_err *), struct db *db,
                     uint64_t *gen, struct purpose_err *err);

#endif
