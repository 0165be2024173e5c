/* Set-associative rate-limit counters (rlimit.h). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "web/rlimit.h"
#include "core/banned.h"

struct rl_slot {
    char key[SECRET_HEX_LEN + 1]; /* "" when free */
    int64_t start;
    int n;
};

static struct rl_slot rl_slots[WEB_RLIMIT_SETS][WEB_RLIMIT_WAYS];
static pthread_mutex_t rl_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t set_of(const char *key)
{
    size_t h = 0;
    for (size_t i = 0; i < 8 && key[i]; i++)
        h = h * 16 + (size_t)(key[i] >= 'a' ? key[i] - 'a' + 10 : key[i] - '0');
    return h % WEB_RLIMIT_SETS;
}

bool web_rlimit_hit(const char key[SECRET_HEX_LEN + 1], int64_t now, int window, int limit)
{
    struct rl_slot *set = rl_slots[set_of(key)], *s = NULL;
    pthread_mutex_lock(&rl_lock);
    for (size_t i = 0; i < WEB_RLIMIT_WAYS && !s; i++)
        if (strcmp(set[i].key, key) == 0)
            s = &set[i];
    if (s && now - s->start >= window) { /* its window is over: count afresh */
        s->start = now;
        s->n = 0;
    }
    if (!s) {
        /* A free or expired slot, else the one with the fewest hits (the oldest of those). */
        for (size_t i = 0; i < WEB_RLIMIT_WAYS; i++) {
            struct rl_slot *c = &set[i];
            if (!c->key[0] || now - c->start >= window) {
                s = c;
                break;
            }
            if (!s || c->n < s->n || (c->n == s->n && c->start < s->start))
                s = c;
        }
        snprintf(s->key, sizeof s->key, "%s", key);
        s->start = now;
        s->n = 0;
    }
    bool ok = s->n < limit;
    if (ok)
        s->n++;
    pthread_mutex_unlock(&rl_lock);
    return ok;
}

void web_rlimit_reset(void)
{
    pthread_mutex_lock(&rl_lock);
    memset(rl_slots, 0, sizeof rl_slots);
    pthread_mutex_unlock(&rl_lock);
}
