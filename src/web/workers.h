#ifndef PURPOSE_WEB_WORKERS_H
#define PURPOSE_WEB_WORKERS_H
/* A few threads that run writes taken off libmicrohttpd's threads (server_request.c): a connection belongs
 * to one libmicrohttpd thread, so a request that waits on the database there (a write's round trips
 * and its commit on PostgreSQL) holds up every other connection of that thread. Such a request is
 * suspended and its job queued here; a worker runs it and resumes the connection. Jobs run in the
 * order they were queued.
 *
 * Ownership: a job is the caller's (embedded in its own state, e.g. a connection's) and must stay
 * valid until run returns; the pool never frees one. Thread-safe. */
#include <stdbool.h>

struct web_job {
    struct web_job *next;
};

struct web_workers;

/* Starts n threads (1 to 64) that call run(job, arg) for each job queued; NULL when out of memory
 * or threads cannot be made. */
struct web_workers *web_workers_new(unsigned n, void (*run)(struct web_job *job, void *arg), void *arg);
/* Queues job for the next free worker. */
void web_workers_push(struct web_workers *w, struct web_job *job);
/* Runs what is still queued, then stops and frees the threads. */
void web_workers_free(struct web_workers **w);

#endif
