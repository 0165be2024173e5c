/* Sites and their days in memory: a map from site to a dense array of days. */
#include <stdlib.h>
#include <string.h>

#include "handover/ho_int.h"
#include "core/banned.h"

int ho_agg_new(struct ho_agg **out, struct purpose_err *err)
{
    struct ho_agg *a = calloc(1, sizeof *a);
    if (!a)
        return purpose_errf(err, "out of memory");
    strmap_init(&a->map);
    a->last = SIZE_MAX;
    *out = a;
    return 0;
}

void ho_agg_free(struct ho_agg **ap)
{
    struct ho_agg *a = *ap;
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++) {
        struct ho_site *s = &a->sites[i];
        for (uint32_t k = 0; k < s->n_slots; k++) {
            if (s->slot[k]) {
                ho_day_release(s->slot[k]);
                free(s->slot[k]);
            }
        }
        free(s->slot);
        free(s->list);
        free(s->name);
    }
    free(a->sites);
    free(a->order);
    strmap_release(&a->map);
    free(a);
    *ap = NULL;
}

static struct ho_site *find_site(struct ho_agg *a, const char *name, size_t len, struct purpose_err *err)
{
    if (a->last < a->n) {
        struct ho_site *s = &a->sites[a->last];
        if (s->len == len && memcmp(s->name, name, len) == 0)
            return s;
    }
    size_t i = strmap_get(&a->map, name, len, 1);
    if (i == SIZE_MAX) {
        purpose_errf(err, "out of memory");
        return NULL;
    }
    if (i == a->n) {
        if (a->n == a->cap) {
            size_t cap = a->cap ? a->cap * 2 : 16;
            struct ho_site *p = realloc(a->sites, cap * sizeof *p);
            size_t *o = realloc(a->order, cap * sizeof *o);
            if (o)
                a->order = o;
            if (!p || !o) {
                if (p)
                    a->sites = p;
                purpose_errf(err, "out of memory");
                return NULL;
            }
            a->sites = p;
            a->cap = cap;
        }
        char *copy = malloc(len + 1);
        if (!copy) {
            purpose_errf(err, "out of memory");
            return NULL;
        }
        memcpy(copy, name, len);
        copy[len] = '\0';
        a->order[a->n] = a->n; /* a permutation even if sorting it later fails */
        a->sites[a->n++] = (struct ho_site){.name = copy, .len = len};
        a->order_ok = false;
    }
    a->last = i;
    return &a->sites[i];
}

/* The day's aggregate, created if absent. */
static struct ho_day *get_day(struct ho_site *s, int32_t day, struct purpose_err *err)
{
    if (day < HO_DAY_FIRST || day > HO_DAY_LAST)
        return purpose_errf(err, "a local date outside 1996..2099"), NULL;
    int32_t last = s->first + (int32_t)s->n_slots - 1;
    if (s->n_slots == 0 || day < s->first || day > last) {
        /* Room to grow the way the dates went, so a run of days reallocates rarely. */
        int32_t extra = s->n_slots < 64 ? 64 : (int32_t)s->n_slots;
        int32_t lo = s->n_slots == 0 ? day : day < s->first ? day - extra : s->first;
        int32_t hi = s->n_slots == 0 ? day + extra : day > last ? day + extra : last;
        if (lo < HO_DAY_FIRST)
            lo = HO_DAY_FIRST;
        if (hi > HO_DAY_LAST)
            hi = HO_DAY_LAST;
        uint32_t n = (uint32_t)(hi - lo + 1);
        struct ho_day **slot = calloc(n, sizeof *slot);
        if (!slot)
            return purpose_errf(err, "out of memory"), NULL;
        if (s->n_slots)
            memcpy(slot + (s->first - lo), s->slot, s->n_slots * sizeof *slot);
        free(s->slot);
        s->slot = slot;
        s->first = lo;
        s->n_slots = n;
    }
    struct ho_day **p = &s->slot[day - s->first];
    if (!*p) {
        *p = malloc(sizeof **p);
        if (!*p)
            return purpose_errf(err, "out of memory"), NULL;
        ho_day_init(*p, day);
        s->list_ok = false;
    }
    return *p;
}

int ho_agg_add(struct ho_agg *a, const struct ho_row *r, struct purpose_err *err)
{
    struct ho_site *s = find_site(a, r->site, r->site_len, err);
    if (!s)
        return -1;
    int32_t day;
    int hour;
    ho_local(r->arrival, &day, &hour);
    struct ho_day *d = get_day(s, day, err);
    return d ? ho_day_add_at(d, hour, r, err) : -1;
}

int ho_agg_put_day(struct ho_agg *a, const char *site, size_t site_len, const struct ho_day *day,
                   struct purpose_err *err)
{
    struct ho_site *s = find_site(a, site, site_len, err);
    struct ho_day *d = s ? get_day(s, day->day, err) : NULL;
    return d ? ho_day_merge(d, day, err) : -1;
}

int ho_agg_take_day(struct ho_agg *a, const char *site, size_t site_len, struct ho_day *day,
                    struct purpose_err *err)
{
    struct ho_site *s = find_site(a, site, site_len, err);
    struct ho_day *d = s ? get_day(s, day->day, err) : NULL;
    int rc = -1;
    if (d && d->n == 0 && d->cap == 0) {
        struct ho_hour hours[24];
        memcpy(hours, d->hour, sizeof hours);
        bool empty = true;
        for (int h = 0; h < 24; h++)
            empty = empty && hours[h].arrivals == 0;
        if (empty) {
            *d = *day;
            ho_day_init(day, day->day);
            return 0;
        }
    }
    if (d)
        rc = ho_day_merge(d, day, err);
    ho_day_release(day);
    return rc;
}

int ho_agg_merge(struct ho_agg *dst, const struct ho_agg *src, struct purpose_err *err)
{
    for (size_t i = 0; i < src->n; i++) {
        const struct ho_site *s = &src->sites[i];
        for (uint32_t k = 0; k < s->n_slots; k++)
            if (s->slot[k] && ho_agg_put_day(dst, s->name, s->len, s->slot[k], err) < 0)
                return -1;
    }
    return 0;
}

size_t ho_agg_site_count(const struct ho_agg *a)
{
    return a->n;
}

static int by_name(const void *x, const void *y)
{
    const struct ho_site *a = *(const struct ho_site *const *)x, *b = *(const struct ho_site *const *)y;
    int c = memcmp(a->name, b->name, a->len < b->len ? a->len : b->len);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

int ho_agg_order(struct ho_agg *a)
{
    if (a->order_ok || a->n == 0)
        return 0;
    struct ho_site **p = malloc(a->n * sizeof *p);
    if (!p)
        return -1;
    for (size_t i = 0; i < a->n; i++)
        p[i] = &a->sites[i];
    qsort(p, a->n, sizeof *p, by_name);
    for (size_t i = 0; i < a->n; i++)
        a->order[i] = (size_t)(p[i] - a->sites);
    free(p);
    a->order_ok = true;
    return 0;
}

const char *ho_agg_site(struct ho_agg *a, size_t i, size_t *len)
{
    ho_agg_order(a);
    const struct ho_site *s = &a->sites[a->order[i]];
    *len = s->len;
    return s->name;
}

size_t ho_agg_days(struct ho_agg *a, size_t i, struct ho_day *const **days)
{
    ho_agg_order(a);
    struct ho_site *s = &a->sites[a->order[i]];
    if (!s->list_ok) {
        size_t n = 0;
        for (uint32_t k = 0; k < s->n_slots; k++)
            n += s->slot[k] != NULL;
        struct ho_day **l = realloc(s->list, (n ? n : 1) * sizeof *l);
        if (!l) {
            *days = NULL;
            return 0;
        }
        n = 0;
        for (uint32_t k = 0; k < s->n_slots; k++)
            if (s->slot[k])
                l[n++] = s->slot[k];
        s->list = l;
        s->n_list = n;
        s->list_ok = true;
    }
    *days = s->list;
    return s->n_list;
}
