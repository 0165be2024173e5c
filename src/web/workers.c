/* The request workers (workers.h): a mutex, a condition and a singly linked FIFO queue. */
#include <pthread.h>
#include <stdlib.h>

#include "web/workers.h"
#include "core/banned.h"

#define WORKERS_MAX 64

struct queue {
    struct web_job *head, *tail;
};

struct web_workers {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct queue q;
    bool stop;
    void (*run)(struct web_job *job, void *arg);
    void *arg;
    unsigned n;
    pthread_t th[WORKERS_MAX];
};

static void put(struct queue *q, struct web_job *j)
{
    j->next = NULL;
    if (q->tail)
        q->tail->next = j;
    else
        q->head = j;
    q->tail = j;
}

static struct web_job *take(struct queue *q)
{
    struct web_job *j = q->head;
    if (j && !(q->head = j->next))
        q->tail = NULL;
    return j;
}

static void *worker(void *p)
{
    struct web_workers *w = p;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        struct web_job *j = take(&w->q);
        if (!j) {
            if (w->stop)
                break;
            pthread_cond_wait(&w->cv, &w->mu);
            continue;
        }
        pthread_mutex_unlock(&w->mu);
        w->run(j, w->arg);
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

struct web_workers *web_workers_new(unsigned n, void (*run)(struct web_job *job, void *arg), void *arg)
{
    if (n < 1 || n > WORKERS_MAX)
        return NULL;
    struct web_workers *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    if (pthread_mutex_init(&w->mu, NULL) != 0) {
        free(w);
        return NULL;
    }
    if (pthread_cond_init(&w->cv, NULL) != 0) {
        pthread_mutex_destroy(&w->mu);
        free(w);
        return NULL;
    }
    w->run = run;
    w->arg = arg;
    for (; w->n < n; w->n++) {
        if (pthread_create(&w->th[w->n], NULL, worker, w) != 0) {
            web_workers_free(&w);
            return NULL;
        }
    }
    return w;
}

void web_workers_push(struct web_workers *w, struct web_job *job)
{
    pthread_mutex_lock(&w->mu);
    put(&w->q, job);
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void web_workers_free(struct web_workers **pw)
{
    struct web_workers *w = *pw;
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    for (unsigned i = 0; i < w->n; i++)
        pthread_join(w->th[i], NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
    *pw = NULL;
}
