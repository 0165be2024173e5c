/* Which ideas make up a page of a conversation's list (issue 17). At 50,000 ideas, finding a page
 * sorted by agreement, or searched for a word few ideas hold, reads every idea of the conversation
 * (tens of milliseconds); showing a page whose ideas are known reads just those. So the ids of a
 * listing (conversation, parameters, page) are kept, with its count, under the one rule of
 * route_cache.c: used again while nothing of that conversation changed (a vote, an idea or a
 * moderation in it makes the next request find them afresh, as the conversation's page promises:
 * it declares no lag_ms; a vote in another conversation does not). The ideas themselves (text,
 * counts, responses) are read each time. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/campaigns.h"
#include "core/banned.h"

#define IDEAS_SLOTS 64
#define IDEAS_KEY_MAX 512

/* What a conversation's listing depends on: its own contributions and votes, any moderation. */
#define IDEAS_DEPS WEB_DEP_CONVERSATION_ID

struct ideas_slot {
    char key[IDEAS_KEY_MAX];
    struct web_stamp stamp;
    uint64_t serial;
    int64_t total;
    bool many, more;
    size_t n;
    int64_t ids[STORE_IDEAS_PER_PAGE_MAX];
};

static struct ideas_slot slots[IDEAS_SLOTS];
static unsigned next_slot;
static uint64_t serial; /* of the last slot filled */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* The listing's key; false when it does not fit (then it is not cached). */
static bool key_of(const struct web_req *r, int64_t campaign_id, const struct web_idea_params *p, char *key)
{
    int n = snprintf(key, IDEAS_KEY_MAX, "%lld\n%s\n%s\n%s\n%s\n%s\n%lld\n%lld", (long long)campaign_id, p->q,
                     p->theme, p->state, p->group, p->sort, (long long)p->page, (long long)p->per_page);
    (void)r;
    return n > 0 && n < IDEAS_KEY_MAX;
}

static bool lookup(struct web_req *r, const char *key, struct ideas_slot *out)
{
    size_t i = 0;
    pthread_mutex_lock(&lock);
    while (i < IDEAS_SLOTS && !(slots[i].key[0] && strcmp(slots[i].key, key) == 0))
        i++;
    if (i < IDEAS_SLOTS)
        *out = slots[i];
    pthread_mutex_unlock(&lock);
    if (i == IDEAS_SLOTS || !web_stamp_fresh(r->ctx, &out->stamp, r->gen))
        return false;
    pthread_mutex_lock(&lock);
    if (slots[i].serial == out->serial)
        slots[i].stamp.gen = out->stamp.gen;
    pthread_mutex_unlock(&lock);
    return true;
}

static void keep(const char *key, const struct web_stamp *stamp, const struct store_idea_page *pg)
{
    pthread_mutex_lock(&lock);
    struct ideas_slot *s = NULL;
    for (size_t i = 0; i < IDEAS_SLOTS && !s; i++)
        if (strcmp(slots[i].key, key) == 0)
            s = &slots[i];
    if (!s)
        s = &slots[next_slot++ % IDEAS_SLOTS];
    snprintf(s->key, sizeof s->key, "%s", key);
    s->stamp = *stamp;
    s->serial = ++serial;
    s->total = pg->total;
    s->many = pg->many;
    s->more = pg->more;
    s->n = 0;
    for (size_t i = 0; i < pg->ideas.n && i < STORE_IDEAS_PER_PAGE_MAX; i++)
        s->ids[s->n++] = pg->ideas.items[i].id;
    pthread_mutex_unlock(&lock);
}

int web_ideas_find(struct web_req *r, int64_t campaign_id, const struct web_idea_params *p, struct store_idea_page *out,
                   struct purpose_err *err)
{
    char key[IDEAS_KEY_MAX];
    bool cacheable = r->gen_ok && key_of(r, campaign_id, p, key);
    static _Thread_local struct ideas_slot hit; /* 2.5 KB: off the stack */
    if (cacheable && lookup(r, key, &hit)) {
        if (store_ideas_get(r->ctx->store, &r->scope, campaign_id, hit.ids, hit.n, out, err) < 0)
            return -1;
        out->total = hit.total;
        out->many = hit.many;
        out->more = hit.more;
        return 0;
    }
    struct web_stamp stamp;
    /* Before the read: a change meanwhile drops what it finds. */
    if (cacheable && web_stamp_make(r, IDEAS_DEPS, campaign_id, &stamp, err) < 0)
        return -1;
    struct store_idea_query q = web_idea_query(p);
    if (store_ideas_page(r->ctx->store, &r->scope, campaign_id, &q, out, err) < 0)
        return -1;
    if (cacheable)
        keep(key, &stamp, out);
    return 0;
}

/* The same for what every page of a conversation's list shows: its themes (the filter's choices)
 * and how many of its ideas have had a response, of how many. */
#define OVERVIEW_SLOTS 16
#define OVERVIEW_THEMES 4096 /* bytes of the themes, each ending in a NUL; more are not kept */

struct overview_slot {
    int64_t campaign;
    struct web_stamp stamp;
    uint64_t serial;
    int64_t responded, all;
    size_t nthemes, used;
    char themes[OVERVIEW_THEMES];
};

static struct overview_slot overview[OVERVIEW_SLOTS];
static unsigned next_overview;

static int themes_from(const struct overview_slot *o, struct store_idea_themes *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    if (o->nthemes && !(out->items = calloc(o->nthemes, sizeof *out->items)))
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "ideas: out of memory");
    for (const char *t = o->themes; out->n < o->nthemes; t += strlen(t) + 1)
        if (!(out->items[out->n++] = strdup(t))) {
            store_idea_themes_release(out);
            return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "ideas: out of memory");
        }
    return 0;
}

int web_ideas_overview(struct web_req *r, int64_t campaign_id, struct store_idea_themes *themes, int64_t *responded,
                       int64_t *all, struct purpose_err *err)
{
    static _Thread_local struct overview_slot o; /* 4 KB: off the stack */
    size_t i = 0;
    pthread_mutex_lock(&lock);
    while (r->gen_ok && i < OVERVIEW_SLOTS && !(overview[i].campaign == campaign_id))
        i++;
    bool found = r->gen_ok && i < OVERVIEW_SLOTS;
    if (found)
        o = overview[i];
    pthread_mutex_unlock(&lock);
    bool hit = found && web_stamp_fresh(r->ctx, &o.stamp, r->gen);
    if (hit) {
        pthread_mutex_lock(&lock);
        if (overview[i].serial == o.serial)
            overview[i].stamp.gen = o.stamp.gen;
        pthread_mutex_unlock(&lock);
        *responded = o.responded;
        *all = o.all;
        return themes_from(&o, themes, err);
    }
    struct web_stamp stamp = {0};
    if (r->gen_ok && web_stamp_make(r, IDEAS_DEPS, campaign_id, &stamp, err) < 0)
        return -1;
    if (store_idea_themes(r->ctx->store, &r->scope, campaign_id, themes, err) < 0)
        return -1;
    if (store_response_counts(r->ctx->store, &r->scope, campaign_id, responded, all, err) < 0) {
        store_idea_themes_release(themes);
        return -1;
    }
    o = (struct overview_slot){.campaign = campaign_id, .stamp = stamp, .responded = *responded, .all = *all};
    bool fits = r->gen_ok;
    for (size_t t = 0; fits && t < themes->n; t++) {
        size_t n = strlen(themes->items[t]) + 1;
        fits = o.used + n <= sizeof o.themes;
        if (fits) {
            memcpy(o.themes + o.used, themes->items[t], n);
            o.used += n;
            o.nthemes++;
        }
    }
    if (fits) {
        pthread_mutex_lock(&lock);
        size_t k = 0; /* the conversation's slot if it has one, so that it is kept once */
        while (k < OVERVIEW_SLOTS && !(overview[k].campaign == campaign_id))
            k++;
        if (k == OVERVIEW_SLOTS)
            k = next_overview++ % OVERVIEW_SLOTS;
        o.serial = ++serial;
        overview[k] = o;
        pthread_mutex_unlock(&lock);
    }
    return 0;
}
