#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"
#include "core/banned.h"

#define NOT_FOUND ((size_t)-1)

void strmap_init(struct strmap *m) { *m = (struct strmap){0}; }

void strmap_release(struct strmap *m)
{
    for (size_t i = 0; i < m->n_slots; i++)
        free(m->slots[i].key);
    free(m->slots);
    strmap_init(m);
}

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static struct strmap_entry *find_slot(struct strmap_entry *slots, size_t n_slots, const char *key, size_t len)
{
    for (size_t i = hash(key, len) & (n_slots - 1);; i = (i + 1) & (n_slots - 1)) {
        struct strmap_entry *e = &slots[i];
        if (!e->key || (e->len == len && memcmp(e->key, key, len) == 0))
            return e;
    }
}

static int rehash(struct strmap *m)
{
    size_t n = m->n_slots ? m->n_slots * 2 : 64;
    struct strmap_entry *slots = calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < m->n_slots; i++)
        if (m->slots[i].key)
            *find_slot(slots, n, m->slots[i].key, m->slots[i].len) = m->slots[i];
    free(m->slots);
    m->slots = slots;
    m->n_slots = n;
    return 0;
}

size_t strmap_get(struct strmap *m, const char *key, size_t len, int insert)
{
    if (m->n_slots == 0 || (insert && (m->count + 1) * 2 > m->n_slots)) {
        if (!insert && m->n_slots == 0)
            return NOT_FOUND;
        if (rehash(m) < 0)
            return NOT_FOUND;
    }
    struct strmap_entry *e = find_slot(m->slots, m->n_slots, key, len);
    if (e->key)
        return e->value;
    if (!insert)
        return NOT_FOUND;
    char *copy = malloc(len + 1);
    if (!copy)
        return NOT_FOUND;
    memcpy(copy, key, len);
    copy[len] = '\0';
    *e = (struct strmap_entry){copy, len, m->count++};
    return e->value;
}
