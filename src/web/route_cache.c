/* The router's caches and the one rule every cache of the server follows (issue 22).
 *
 * The rule: an answer is kept with a stamp (web_stamp): the store generation it is known true at
 * and the counters of the topics its route declares (web_route.deps; store/topics.h), read before
 * it was made. At the same generation it is used again at once; after a commit it is used again
 * when none of its topics moved, and restamped. The topics are read in one indexed query, and at
 * most once per generation for all requests (the memo below), so a vote in one conversation costs
 * a page about another, or the home page, one small read and no rendering.
 *
 * The caches here: the generation itself (reused for up to a route's lag_ms), the bodies of
 * WEB_CACHE_DATA routes by path, and the organisations requests name. Nothing here names a path. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/cache.h"
#include "web/web_int.h"
#include "core/banned.h"

#define CACHE_SLOTS 64
#define ORG_SLOTS 16
#define TOPIC_SLOTS 64
struct web_cache {
    pthread_mutex_t mu;
    struct {
        char path[128];
        struct web_stamp stamp;
        uint64_t serial, render;
        char *body;
        size_t len;
    } slot[CACHE_SLOTS];
    unsigned next;
    uint64_t serial; /* of the last slot filled: a slot's tells whether it was refilled meanwhile */
    /* The organisations requests name (slug "" for the first), looked up while their topics hold
     * (nearly every request needs one), or once per lag_ms for a route that allows it. */
    struct {
        char slug[64];
        struct web_stamp stamp;
        uint64_t serial;
        int64_t read_ms, refresh_ms; /* when the lookup started; when one set out to redo it */
        struct store_org org;
    } org[ORG_SLOTS];
    unsigned next_org;
    /* Topic counters read at a generation, shared by every request at that generation. */
    struct {
        struct store_topic_key key;
        int64_t value;
        uint64_t gen;
    } topic[TOPIC_SLOTS];
    unsigned next_topic;
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

uint64_t web_render_next(void)
{
    static atomic_uint_fast64_t n;
    return (uint64_t)atomic_fetch_add(&n, 1) + 1;
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

void web_generation_forget(struct web_ctx *ctx)
{
    struct web_cache *c = ctx->cache;
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    c->gen_ms = 0;
    pthread_mutex_unlock(&c->mu);
}

/* ---- the rule ---------------------------------------------------------------------------------- */

/* The counters of n keys at generation gen into values: from the memo when read at gen, the others
 * in one query (then kept for gen). A counter read later than gen was reached is newer, never
 * older, than gen's: comparing with it can only drop an answer that was still true. */
static bool topics_at(struct web_ctx *ctx, uint64_t gen, const struct store_topic_key *keys, size_t n,
                      int64_t *values, struct purpose_err *err)
{
    struct web_cache *c = ctx->cache;
    struct store_topic_key miss[STORE_TOPICS_READ_MAX];
    size_t at[STORE_TOPICS_READ_MAX], nmiss = 0;
    if (!c || n > STORE_TOPICS_READ_MAX)
        return false;
    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < TOPIC_SLOTS && !(c->topic[j].gen == gen && c->topic[j].key.topic == keys[i].topic &&
                                    c->topic[j].key.id == keys[i].id))
            j++;
        if (j < TOPIC_SLOTS) {
            values[i] = c->topic[j].value;
        } else {
            at[nmiss] = i;
            miss[nmiss++] = keys[i];
        }
    }
    pthread_mutex_unlock(&c->mu);
    if (!nmiss)
        return true;
    int64_t got[STORE_TOPICS_READ_MAX];
    if (store_topics_read(ctx->store, miss, nmiss, got, err) < 0)
        return false;
    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < nmiss; i++) {
        values[at[i]] = got[i];
        size_t j = 0;
        while (j < TOPIC_SLOTS && !(c->topic[j].key.topic == miss[i].topic && c->topic[j].key.id == miss[i].id))
            j++;
        if (j == TOPIC_SLOTS)
            j = c->next_topic++ % TOPIC_SLOTS;
        if (c->topic[j].gen <= gen || c->topic[j].key.topic != miss[i].topic || c->topic[j].key.id != miss[i].id) {
            c->topic[j].key = miss[i];
            c->topic[j].value = got[i];
            c->topic[j].gen = gen;
        }
    }
    pthread_mutex_unlock(&c->mu);
    return true;
}

int web_stamp_make(struct web_req *r, unsigned deps, int64_t conversation, struct web_stamp *out,
                   struct purpose_err *err)
{
    out->gen = r->gen;
    out->until = 0;
    out->n = 0;
    if (!deps || !r->gen_ok || !r->ctx->cache)
        return 0;
    struct store_topic_key keys[WEB_STAMP_MAX];
    size_t n = 0;
    keys[n++] = (struct store_topic_key){STORE_TOPIC_ALL, 0};
    if ((deps & WEB_DEP_CONVERSATION_ID) && conversation > 0) {
        deps |= WEB_DEP(STORE_TOPIC_CONVERSATION);
        keys[n++] = (struct store_topic_key){STORE_TOPIC_CONVERSATION, conversation};
    }
    for (int t = 1; t < STORE_TOPIC_N && n < WEB_STAMP_MAX; t++)
        if (deps & WEB_DEP(t))
            keys[n++] = (struct store_topic_key){(enum store_topic)t, 0};
    int64_t values[WEB_STAMP_MAX];
    if (!topics_at(r->ctx, r->gen, keys, n, values, err))
        return -1;
    memcpy(out->key, keys, n * sizeof *keys);
    memcpy(out->value, values, n * sizeof *values);
    out->n = (unsigned)n;
    return 0;
}

bool web_stamp_expired(const struct web_stamp *s)
{
    return s->until && (int64_t)time(NULL) >= s->until;
}

void web_stamp_until_open(struct web_req *r, int64_t opens_at, int64_t closes_at)
{
    int64_t now = (int64_t)time(NULL), t = now < opens_at ? opens_at : now < closes_at ? closes_at : 0;
    if (t && (!r->stamp.until || t < r->stamp.until))
        r->stamp.until = t;
}

bool web_stamp_fresh(struct web_ctx *ctx, struct web_stamp *s, uint64_t gen)
{
    if (web_stamp_expired(s))
        return false;
    if (s->gen == gen)
        return true;
    if (!s->n)
        return false;
    int64_t now[WEB_STAMP_MAX];
    struct purpose_err ignored; /* then it is made again, by a read that reports its own failure */
    if (!topics_at(ctx, gen, s->key, s->n, now, &ignored) || memcmp(now, s->value, s->n * sizeof *now) != 0)
        return false;
    s->gen = gen;
    return true;
}

/* ---- the router's caches ------------------------------------------------------------------------ */

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

/* The DATA body slot of path, or -1; the caller holds mu. */
static int body_slot(const struct web_cache *c, const char *path)
{
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (c->slot[i].body && strcmp(c->slot[i].path, path) == 0)
            return i;
    return -1;
}

bool web_body_cache_get(struct web_req *r, struct web_resp *w)
{
    struct web_cache *c = r->ctx->cache;
    bool hit = false;
    pthread_mutex_lock(&c->mu);
    int i = body_slot(c, r->path);
    struct web_stamp s = {0};
    uint64_t serial = 0;
    if (i >= 0) {
        s = c->slot[i].stamp;
        serial = c->slot[i].serial;
    }
    pthread_mutex_unlock(&c->mu);
    if (i < 0 || !web_stamp_fresh(r->ctx, &s, r->gen))
        return false;
    pthread_mutex_lock(&c->mu);
    if (c->slot[i].serial == serial && c->slot[i].body) {
        c->slot[i].stamp.gen = s.gen;
        buf_append(&w->body, c->slot[i].body, c->slot[i].len);
        w->render = c->slot[i].render;
        hit = true;
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
    int i = body_slot(c, r->path);
    if (i < 0)
        i = (int)(c->next++ % CACHE_SLOTS);
    free(c->slot[i].body);
    snprintf(c->slot[i].path, sizeof c->slot[i].path, "%s", r->path);
    c->slot[i].stamp = r->stamp;
    c->slot[i].serial = ++c->serial;
    c->slot[i].render = w->render;
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

/* The organisation with this slug ("": the installation's first) into *out, from the cache while
 * the organisations have not changed since it was read. */
int web_org_get(struct web_req *r, const char *slug, struct store_org *out, struct purpose_err *err)
{
    struct web_cache *c = r->ctx->cache;
    int64_t now = now_ms();
    int i = -1;
    bool hit = false;
    struct web_stamp s = {0};
    uint64_t serial = 0;
    if (c && r->gen_ok) {
        pthread_mutex_lock(&c->mu);
        for (int k = 0; k < ORG_SLOTS && i < 0; k++) {
            if (!c->org[k].org.id || strcmp(c->org[k].slug, slug) != 0)
                continue;
            i = k;
            int64_t age = now - c->org[k].read_ms, lag = r->lag_ms;
            bool busy = now - c->org[k].refresh_ms <= lag;
            s = c->org[k].stamp;
            serial = c->org[k].serial;
            if (s.gen == r->gen || (lag > 0 && (age <= lag || (busy && age <= 2 * lag))))
                hit = org_copy(out, &c->org[k].org) == 0;
            else if (lag > 0)
                c->org[k].refresh_ms = now;
        }
        pthread_mutex_unlock(&c->mu);
        if (!hit && i >= 0 && web_stamp_fresh(r->ctx, &s, r->gen)) {
            pthread_mutex_lock(&c->mu);
            if (c->org[i].serial == serial && c->org[i].org.id) {
                c->org[i].stamp.gen = s.gen;
                hit = org_copy(out, &c->org[i].org) == 0;
            }
            pthread_mutex_unlock(&c->mu);
        }
    }
    if (hit)
        return 0;
    struct web_stamp fresh = {0};
    /* Read before the organisation, so that a change meanwhile drops it. */
    if (c && r->gen_ok && web_stamp_make(r, WEB_DEP(STORE_TOPIC_ORGS), 0, &fresh, err) < 0)
        return -1;
    int rc = *slug ? store_org_find(r->ctx->store, slug, out, err) : store_org_default(r->ctx->store, out, err);
    if (rc < 0 || !c || !r->gen_ok || strlen(slug) >= sizeof c->org[0].slug)
        return rc;
    pthread_mutex_lock(&c->mu);
    unsigned k;
    for (k = 0; k < ORG_SLOTS; k++) /* the slug's slot if it has one, so that it is kept once */
        if (c->org[k].org.id && strcmp(c->org[k].slug, slug) == 0)
            break;
    if (k == ORG_SLOTS)
        k = c->next_org++ % ORG_SLOTS;
    if (c->org[k].read_ms <= now || strcmp(c->org[k].slug, slug) != 0) { /* keep the newer lookup */
        store_org_release(&c->org[k].org);
        if (org_copy(&c->org[k].org, out) == 0) {
            snprintf(c->org[k].slug, sizeof c->org[k].slug, "%s", slug);
            c->org[k].stamp = fresh;
            c->org[k].serial = ++c->serial;
            c->org[k].read_ms = now;
        }
    }
    pthread_mutex_unlock(&c->mu);
    return 0;
}
