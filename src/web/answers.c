/* The server's whole-answer cache (answers.h): its policy is each route's declaration, so nothing
 * here names a path. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/answers.h"
#include "core/banned.h"

#define SLOTS 16
#define PATH_MAX_BYTES 160

struct web_answers {
    pthread_mutex_t mu;
    struct {
        char path[PATH_MAX_BYTES];
        struct web_stamp stamp;
        uint64_t serial;
        struct MHD_Response *resp;
        int status;
    } slot[SLOTS];
    unsigned next;
    uint64_t serial;
};

struct web_answers *web_answers_new(void)
{
    struct web_answers *a = calloc(1, sizeof *a);
    if (a && pthread_mutex_init(&a->mu, NULL) != 0) {
        free(a);
        return NULL;
    }
    return a;
}

void web_answers_free(struct web_answers **a)
{
    if (!*a)
        return;
    for (size_t i = 0; i < SLOTS; i++)
        if ((*a)->slot[i].resp)
            MHD_destroy_response((*a)->slot[i].resp);
    pthread_mutex_destroy(&(*a)->mu);
    free(*a);
    *a = NULL;
}

/* The slot holding path, or -1; the caller holds mu. */
static int find(const struct web_answers *a, const char *path)
{
    for (int i = 0; i < SLOTS; i++)
        if (a->slot[i].resp && strcmp(a->slot[i].path, path) == 0)
            return i;
    return -1;
}

bool web_answers_serve(struct web_answers *a, struct web_ctx *ctx, struct MHD_Connection *c, const char *path,
                       uint64_t gen, int *status, enum MHD_Result *ret)
{
    bool hit = false;
    struct web_stamp s;
    uint64_t serial = 0;
    pthread_mutex_lock(&a->mu);
    int i = find(a, path);
    bool expired = i >= 0 && web_stamp_expired(&a->slot[i].stamp);
    bool check = i >= 0 && !expired && a->slot[i].stamp.gen != gen;
    if (check) {
        s = a->slot[i].stamp;
        serial = a->slot[i].serial;
    }
    if (i >= 0 && !check && !expired) {
        *ret = MHD_queue_response(c, (unsigned)a->slot[i].status, a->slot[i].resp);
        *status = a->slot[i].status;
        hit = true;
    }
    pthread_mutex_unlock(&a->mu);
    if (expired || !check || !web_stamp_fresh(ctx, &s, gen)) /* a commit since: do its topics still hold? */
        return hit;
    pthread_mutex_lock(&a->mu);
    if (a->slot[i].resp && a->slot[i].serial == serial) {
        a->slot[i].stamp.gen = s.gen;
        *ret = MHD_queue_response(c, (unsigned)a->slot[i].status, a->slot[i].resp);
        *status = a->slot[i].status;
        hit = true;
    }
    pthread_mutex_unlock(&a->mu);
    return hit;
}

bool web_answers_keep(struct web_answers *a, const char *path, const struct web_stamp *stamp, int status,
                      struct MHD_Response *resp)
{
    if (strlen(path) >= PATH_MAX_BYTES)
        return false;
    pthread_mutex_lock(&a->mu);
    int i = find(a, path);
    if (i < 0) {
        i = (int)(a->next++ % SLOTS);
        snprintf(a->slot[i].path, sizeof a->slot[i].path, "%s", path);
    }
    struct MHD_Response *old = a->slot[i].resp;
    a->slot[i].resp = resp;
    a->slot[i].stamp = *stamp;
    a->slot[i].serial = ++a->serial;
    a->slot[i].status = status;
    pthread_mutex_unlock(&a->mu);
    if (old)
        MHD_destroy_response(old);
    return true;
}
