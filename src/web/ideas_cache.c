/* Which ideas make up a page of a conversation's list, kept per store generation (issue 17). At
 * 50,000 ideas, finding a page sorted by agreement, or searched for a word few ideas hold, reads
 * every idea of the conversation (tens of milliseconds); showing a page whose ideas are known reads
 * just those. So the ids of a listing (conversation, parameters, page) are kept, with its count,
 * and used again while the store is at the same generation: any commit (a vote, an idea, a
 * moderation) makes the next request find them afresh, as the conversation's page promises (it
 * declares no lag_ms). The ideas themselves (text, counts, responses) are read each time. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/campaigns.h"
#include "core/banned.h"

#define IDEAS_SLOTS 64
#define IDEAS_KEY_MAX 512

struct ideas_slot {
    char key[IDEAS_KEY_MAX];
    uint64_t gen;
    int64_t total;
    bool many, more;
    size_t n;
    int64_t ids[STORE_IDEAS_PER_PAGE_MAX];
};

static struct ideas_slot slots[IDEAS_SLOTS];
static unsigned next_slot;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* The listing's key; false when it does not fit (then it is not cached). */
static bool key_of(const struct web_req *r, int64_t campaign_id, const struct web_idea_params *p, char *key)
{
    int n = snprintf(key, IDEAS_KEY_MAX, "%lld\n%s\n%s\n%s\n%s\n%s\n%lld\n%lld", (long long)campaign_id, p->q,
                     p->theme, p->state, p->group, p->sort, (long long)p->page, (long long)p->per_page);
    (void)r;
    return n > 0 && n < IDEAS_KEY_MAX;
}

static bool lookup(const char *key, uint64_t gen, struct ideas_slot *out)
{
    bool hit = false;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < IDEAS_SLOTS && !hit; i++)
        if (slots[i].key[0] && slots[i].gen == gen && strcmp(slots[i].key, key) == 0) {
            *out = slots[i];
            hit = true;
        }
    pthread_mutex_unlock(&lock);
    return hit;
}

static void keep(const char *key, uint64_t gen, const struct store_idea_page *pg)
{
    pthread_mutex_lock(&lock);
    struct ideas_slot *s = NULL;
    for (size_t i = 0; i < IDEAS_SLOTS && !s; i++)
        if (strcmp(slots[i].key, key) == 0)
            s = &slots[i];
    if (!s)
        s = &slots[next_slot++ % IDEAS_SLOTS];
    snprintf(s->key, sizeof s->key, "%s", key);
    s->gen = gen;
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
    struct ideas_slot hit;
    if (cacheable && lookup(key, r->gen, &hit)) {
        if (store_ideas_get(r->ctx->store, &r->scope, campaign_id, hit.ids, hit.n, out, err) < 0)
            return -1;
        out->total = hit.total;
        out->many = hit.many;
        out->more = hit.more;
        return 0;
    }
    struct store_idea_query q = web_idea_query(p);
    if (store_ideas_page(r->ctx->store, &r->scope, campaign_id, &q, out, err) < 0)
        return -1;
    if (cacheable)
        keep(key, r->gen, out);
    return 0;
}

/* The same for what every page of a conversation's list shows: its themes (the filter's choices)
 * and how many of its ideas have had a response, of how many. */
#define OVERVIEW_SLOTS 16
#define OVERVIEW_THEMES 4096 /* bytes of the themes, each ending in a NUL; more are not kept */

struct overview_slot {
    int64_t campaign;
    uint64_t gen;
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
    struct overview_slot o;
    bool hit = false;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < OVERVIEW_SLOTS && !hit && r->gen_ok; i++)
        if (overview[i].campaign == campaign_id && overview[i].gen == r->gen) {
            o = overview[i];
            hit = true;
        }
    pthread_mutex_unlock(&lock);
    if (hit) {
        *responded = o.responded;
        *all = o.all;
        return themes_from(&o, themes, err);
    }
    if (store_idea_themes(r->ctx->store, &r->scope, campaign_id, themes, err) < 0)
        return -1;
    if (store_response_counts(r->ctx->store, &r->scope, campaign_id, responded, all, err) < 0) {
        store_idea_themes_release(themes);
        return -1;
    }
    o = (struct overview_slot){.campaign = campaign_id, .gen = r->gen, .responded = *responded, .all = *all};
    bool fits = r->gen_ok;
    for (size_t i = 0; fits && i < themes->n; i++) {
        size_t n = strlen(themes->items[i]) + 1;
        fits = o.used + n <= sizeof o.themes;
        if (fits) {
            memcpy(o.themes + o.used, themes->items[i], n);
            o.used += n;
            o.nthemes++;
        }
    }
    if (fits) {
        pthread_mutex_lock(&lock);
        overview[next_overview++ % OVERVIEW_SLOTS] = o;
        pthread_mutex_unlock(&lock);
    }
    return 0;
}
