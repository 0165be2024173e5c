/* The router's caches, keyed on the store generation: the generation itself (reused for up to a
 * route's lag_ms), the bodies of WEB_CACHE_DATA routes by path, and the organisations requests
 * name. Their policy is each route's declaration (web_route.cache, lag_ms); nothing here names a
 * path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/cache.h"
#include "web/web_int.h"
#include "core/banned.h"

/* Cached response bodies of data-only GET routes, valid while the store generation is unchanged
 * (any commit, by this process or another, changes it). Checked after the role check. */
#define CACHE_SLOTS 64
#define ORG_SLOTS 16
struct web_cache {
    pthread_mutex_t mu;
    struct {
        char path[128];
        uint64_t gen;
        char *body;
        size_t len;
    } slot[CACHE_SLOTS];
    unsigned next;
    /* The organisations requests name (slug "" for the first), looked up once per generation
     * (nearly every request needs one), or once per lag_ms for a route that allows it. */
    struct {
        char slug[64];
        uint64_t gen;
        int64_t read_ms, refresh_ms; /* when the lookup started; when one set out to redo it */
        struct store_org org;
    } org[ORG_SLOTS];
    unsigned next_org;
    /* The last generation read and when that read started (0: none yet), for web_generation; and
     * when a request of a lagging route last set out to read it again: while that read is under
     * way (up to lag_ms), the others keep using the last one for up to twice lag_ms, rather than
     * every thread waiting on a read of its own at once. The organisations likewise. */
    uint64_t gen;
    int64_t gen_ms, gen_refresh_ms;
};

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000 + 1; /* never 0 */
}

bool web_generation(struct web_ctx *ctx, int lag_ms, uint64_t *gen)
{
    struct web_cache *c = ctx->cache;
    bool hit = false;
    if (c && lag_ms > 0) {
        pthread_mutex_lock(&c->mu);
        int64_t now = now_ms(), age = now - c->gen_ms;
        bool busy = now - c->gen_refresh_ms <= lag_ms; /* another request is reading it */
        if (c->gen_ms && (age <= lag_ms || (busy && age <= 2 * (int64_t)lag_ms))) {
            *gen = c->gen;
            hit = true;
        } else {
            c->gen_refresh_ms = now;
        }
        pthread_mutex_unlock(&c->mu);
    }
    if (hit)
        return true;
    int64_t started = now_ms();
    if (store_generation(ctx->store, gen, NULL) < 0)
        return false;
    if (c) {
        pthread_mutex_lock(&c->mu);
        if (started >= c->gen_ms) { /* the newer read wins */
            c->gen = *gen;
            c->gen_ms = started;
        }
        pthread_mutex_unlock(&c->mu);
    }
    return true;
}

int web_cache_init(struct web_ctx *c, struct purpose_err *err)
{
    c->cache = calloc(1, sizeof *c->cache);
    if (!c->cache || pthread_mutex_init(&c->cache->mu, NULL) != 0) {
        free(c->cache);
        c->cache = NULL;
        return purpose_errf(err, "purpose serve: out of memory");
    }
    return 0;
}

void web_cache_release(struct web_ctx *c)
{
    if (!c->cache)
        return;
    for (size_t i = 0; i < CACHE_SLOTS; i++)
        free(c->cache->slot[i].body);
    for (size_t i = 0; i < ORG_SLOTS; i++)
        store_org_release(&c->cache->org[i].org);
    pthread_mutex_destroy(&c->cache->mu);
    free(c->cache);
    c->cache = NULL;
}

bool web_body_cache_get(struct web_req *r, struct web_resp *w)
{
    struct web_cache *c = r->ctx->cache;
    bool hit = false;
    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < CACHE_SLOTS && !hit; i++) {
        if (c->slot[i].body && c->slot[i].gen == r->gen && strcmp(c->slot[i].path, r->path) == 0) {
            buf_append(&w->body, c->slot[i].body, c->slot[i].len);
            hit = true;
        }
    }
    pthread_mutex_unlock(&c->mu);
    if (hit) {
        w->status = 200;
        w->content_type = "application/json";
    }
    return hit;
}

void web_body_cache_put(struct web_req *r, struct web_resp *w)
{
    struct web_cache *c = r->ctx->cache;
    web_frag_materialize(w);
    if (strlen(r->path) >= sizeof c->slot[0].path || w->body.failed)
        return;
    char *copy = malloc(w->body.len + 1);
    if (!copy)
        return;
    memcpy(copy, w->body.data ? w->body.data : "", w->body.len);
    pthread_mutex_lock(&c->mu);
    size_t i;
    for (i = 0; i < CACHE_SLOTS; i++)
        if (c->slot[i].body && strcmp(c->slot[i].path, r->path) == 0)
            break;
    if (i == CACHE_SLOTS)
        i = c->next++ % CACHE_SLOTS;
    free(c->slot[i].body);
    snprintf(c->slot[i].path, sizeof c->slot[i].path, "%s", r->path);
    c->slot[i].gen = r->gen;
    c->slot[i].body = copy;
    c->slot[i].len = w->body.len;
    pthread_mutex_unlock(&c->mu);
}

static int org_copy(struct store_org *to, const struct store_org *from)
{
    *to = (struct store_org){.id = from->id, .created_at = from->created_at, .slug = strdup(from->slug),
                             .name = strdup(from->name), .type = strdup(from->type), .ods_code = strdup(from->ods_code)};
    if (!to->slug || !to->name || !to->type || !to->ods_code) {
        store_org_release(to);
        return -1;
    }
    return 0;
}

/* The organisation with this slug ("": the installation's first) into *out, from the cache when the
 * store has not changed since it was read. */
int web_org_get(struct web_req *r, const char *slug, struct store_org *out, struct purpose_err *err)
{
    struct web_cache *c = r->ctx->cache;
    bool hit = false;
    int64_t now = now_ms();
    if (c && r->gen_ok) {
        pthread_mutex_lock(&c->mu);
        for (size_t i = 0; i < ORG_SLOTS; i++) {
            if (!c->org[i].org.id || strcmp(c->org[i].slug, slug) != 0)
                continue;
            int64_t age = now - c->org[i].read_ms, lag = r->lag_ms;
            bool busy = now - c->org[i].refresh_ms <= lag;
            if (c->org[i].gen == r->gen || (lag > 0 && (age <= lag || (busy && age <= 2 * lag))))
                hit = org_copy(out, &c->org[i].org) == 0;
            else if (lag > 0)
                c->org[i].refresh_ms = now;
            break;
        }
        pthread_mutex_unlock(&c->mu);
    }
    if (hit)
        return 0;
    int rc = *slug ? store_org_find(r->ctx->store, slug, out, err) : store_org_default(r->ctx->store, out, err);
    if (rc < 0 || !c || !r->gen_ok || strlen(slug) >= sizeof c->org[0].slug)
        return rc;
    pthread_mutex_lock(&c->mu);
    unsigned i;
    for (i = 0; i < ORG_SLOTS; i++) /* the slug's slot if it has one, so that it is kept once */
        if (c->org[i].org.id && strcmp(c->org[i].slug, slug) == 0)
            break;
    if (i == ORG_SLOTS)
        i = c->next_org++ % ORG_SLOTS;
    if (c->org[i].read_ms <= now || strcmp(c->org[i].slug, slug) != 0) { /* keep the newer lookup */
        store_org_release(&c->org[i].org);
        if (org_copy(&c->org[i].org, out) == 0) {
            snprintf(c->org[i].slug, sizeof c->org[i].slug, "%s", slug);
            c->org[i].gen = r->gen;
            c->org[i].read_ms = now;
        }
    }
    pthread_mutex_unlock(&c->mu);
    return 0;
}
