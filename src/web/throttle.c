/* Sign-in throttling (contract and sources in throttle.h): a fixed table of counted slots, one per
 * address ("a:ADDRESS"), account ("u:account"), (account, address) pair ("p:ADDRESS account") and
 * known device ("d:NONCE"). */
#include <arpa/inet.h>
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/throttle.h"
#include "core/banned.h"

#define SLOTS 1024
#define KEY_MAX 160

struct slot {
    char key[KEY_MAX];
    int64_t start; /* first failure of the window (addresses) */
    int64_t last;  /* last counted or held-back try (pairs, accounts, devices) */
    int fails;
    int64_t fresh_start; /* accounts: the window of fresh addresses let past the account's delay */
    int fresh;           /* ... and how many, not given back by a right password */
};

struct web_throttle {
    pthread_mutex_t mu;
    struct slot slot[SLOTS];
};

struct web_throttle *web_throttle_new(void)
{
    struct web_throttle *t = calloc(1, sizeof *t);
    if (t && pthread_mutex_init(&t->mu, NULL) != 0) {
        free(t);
        t = NULL;
    }
    return t;
}

void web_throttle_free(struct web_throttle *t)
{
    if (!t)
        return;
    pthread_mutex_destroy(&t->mu);
    free(t);
}

/* The delay before the next try with `fails` counted failures: 0 while under the allowance, then
 * base seconds doubling with each further failure, up to max. */
static int64_t delay_of(int fails, int allowed, int64_t base, int64_t max)
{
    if (fails < allowed)
        return 0;
    int64_t d = base;
    for (int i = allowed; i < fails && d < max; i++)
        d *= 2;
    return d < max ? d : max;
}

static int64_t slot_delay(const struct slot *s)
{
    if (s->key[0] == 'u')
        return delay_of(s->fails, WEB_THROTTLE_ACCOUNT_FREE, WEB_THROTTLE_ACCOUNT_DELAY, WEB_THROTTLE_ACCOUNT_DELAY_MAX);
    return delay_of(s->fails, WEB_THROTTLE_PAIR_FREE, WEB_THROTTLE_PAIR_DELAY, WEB_THROTTLE_WINDOW);
}

/* True when a slot holds back tries: an address at its limit, anything else in its delay. */
static bool blocking(const struct slot *s, int64_t now)
{
    if (!s->key[0])
        return false;
    if (s->key[0] == 'a')
        return s->fails >= WEB_THROTTLE_PER_ADDRESS;
    return now < s->last + slot_delay(s);
}

/* An address's count lasts a window from its first failure; the others', a window from their last
 * try, so that a delay is never cut short. */
static bool expired(const struct slot *s, int64_t now)
{
    return now - (s->key[0] == 'a' ? s->start : s->last) >= WEB_THROTTLE_WINDOW;
}

/* When the table is full, the oldest slot is reused, but never one that is holding back tries while
 * another is not: flooding the table with new keys must not wipe out a delay. */
static bool evict_before(const struct slot *a, const struct slot *b, int64_t now)
{
    bool a_on = blocking(a, now), b_on = blocking(b, now);
    return a_on != b_on ? !a_on : a->last < b->last;
}

/* Finds or claims the slot for key, never taking keep[0] or keep[1]; call with the lock held. */
static struct slot *slot_for(struct web_throttle *t, const char *key, int64_t now, struct slot *const keep[2])
{
    struct slot *free_slot = NULL, *oldest = NULL;
    for (size_t i = 0; i < SLOTS; i++) {
        struct slot *s = &t->slot[i];
        if (s->key[0] && expired(s, now))
            s->key[0] = '\0';
        if (s->key[0] && strcmp(s->key, key) == 0)
            return s;
        if (!s->key[0] && !free_slot)
            free_slot = s;
        if (s != keep[0] && s != keep[1] && (!oldest || evict_before(s, oldest, now)))
            oldest = s;
    }
    struct slot *s = free_slot ? free_slot : oldest;
    snprintf(s->key, sizeof s->key, "%s", key);
    s->start = s->last = s->fresh_start = now;
    s->fails = s->fresh = 0;
    return s;
}

struct keys {
    char addr[KEY_MAX], account[KEY_MAX], pair[KEY_MAX], device[KEY_MAX];
};

static void keys_of(const struct web_throttle_who *who, struct keys *k)
{
    /* An IPv6 client usually holds a whole /64: count the network, not each address in it. */
    struct in6_addr v6;
    char net[INET6_ADDRSTRLEN];
    const char *ip = who->ip ? who->ip : "?";
    if (strchr(ip, ':') && inet_pton(AF_INET6, ip, &v6) == 1) {
        memset(v6.s6_addr + 8, 0, 8);
        if (inet_ntop(AF_INET6, &v6, net, sizeof net))
            ip = net;
    }
    /* Usernames are unique ignoring case: so is the throttling. */
    char user[72];
    size_t n = 0;
    const char *name = who->account ? who->account : "";
    for (; name[n] && n + 1 < sizeof user; n++)
        user[n] = (char)tolower((unsigned char)name[n]);
    user[n] = '\0';
    snprintf(k->addr, sizeof k->addr, "a:%s", ip);
    snprintf(k->account, sizeof k->account, "u:%s", user);
    snprintf(k->pair, sizeof k->pair, "p:%s %s", ip, user);
    snprintf(k->device, sizeof k->device, "d:%.64s", who->device ? who->device : "");
}

/* The slots of an untrusted try: address, account, pair. */
static void untrusted_slots(struct web_throttle *t, const struct keys *k, int64_t now, struct slot **a,
                            struct slot **u, struct slot **p)
{
    struct slot *none[2] = {NULL, NULL};
    *a = slot_for(t, k->addr, now, none);
    struct slot *keep_a[2] = {*a, NULL};
    *u = slot_for(t, k->account, now, keep_a);
    struct slot *keep_au[2] = {*a, *u};
    *p = slot_for(t, k->pair, now, keep_au);
}

bool web_throttle_attempt(struct web_throttle *t, const struct web_throttle_who *who, int64_t now)
{
    struct keys k;
    keys_of(who, &k);
    bool ok;
    pthread_mutex_lock(&t->mu);
    if (who->device) {
        struct slot *none[2] = {NULL, NULL};
        struct slot *d = slot_for(t, k.device, now, none);
        ok = !blocking(d, now);
        d->fails += ok;
        d->last = now; /* counted, or held back: either way the delay runs from now */
    } else {
        struct slot *a, *u, *p;
        untrusted_slots(t, &k, now, &a, &u, &p);
        /* An address that has not failed in the window passes the account's delay, up to
         * WEB_THROTTLE_FRESH_FREE such passes per account and window: many addresses guessing
         * at one account are then held by its delay like one. */
        if (now - u->fresh_start >= WEB_THROTTLE_WINDOW) {
            u->fresh_start = now;
            u->fresh = 0;
        }
        bool u_on = blocking(u, now);
        bool fresh = a->fails == 0 && u->fresh < WEB_THROTTLE_FRESH_FREE;
        bool held_a = blocking(a, now), held_p = blocking(p, now), held_u = !fresh && u_on;
        ok = !held_a && !held_p && !held_u;
        if (ok && u_on)
            u->fresh++;
        if (ok) {
            a->fails++;
            u->fails++;
            p->fails++;
            a->last = u->last = p->last = now;
        }
        if (held_p)
            p->last = now;
        if (held_u)
            u->last = now;
    }
    pthread_mutex_unlock(&t->mu);
    return ok;
}

void web_throttle_succeeded(struct web_throttle *t, const struct web_throttle_who *who, int64_t now)
{
    struct keys k;
    keys_of(who, &k);
    pthread_mutex_lock(&t->mu);
    if (who->device) {
        struct slot *none[2] = {NULL, NULL};
        slot_for(t, k.device, now, none)->fails = 0;
    } else {
        struct slot *a, *u, *p;
        untrusted_slots(t, &k, now, &a, &u, &p);
        if (a->fails > 0)
            a->fails--;
        if (u->fails > 0)
            u->fails--;
        if (u->fresh > 0)
            u->fresh--; /* the owner, not a guesser, used that pass */
        p->fails = 0;
    }
    pthread_mutex_unlock(&t->mu);
}
