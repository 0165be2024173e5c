#ifndef PURPOSE_HO_INT_H
#define PURPOSE_HO_INT_H

/* Internals shared by the files of src/handover/. */
#include "handover/handover.h"
#include "core/strmap.h"

#define HO_DAY_FIRST 9496  /* 1996-01-01 */
#define HO_DAY_LAST 47481  /* 2099-12-31 */

int ho_day_add_at(struct ho_day *d, int hour, const struct ho_row *r, struct purpose_err *err);

/* A site's days, dense by date from `first` (NULL where the site had no arrivals). */
struct ho_site {
    char *name;
    size_t len;
    int32_t first;
    uint32_t n_slots;
    struct ho_day **slot;
    struct ho_day **list; /* the non-NULL slots, in order (ho_agg_days) */
    size_t n_list;
    bool list_ok;
};

struct ho_agg {
    struct strmap map;     /* name -> index in sites */
    struct ho_site *sites;
    size_t n, cap;
    size_t *order;         /* sites by name (byte order) */
    bool order_ok;
    size_t last;           /* the site of the previous row: rows come in runs */
};

/* Sorts the site order if needed. Returns 0 or -1 (out of memory). */
int ho_agg_order(struct ho_agg *a);
static inline struct ho_day *ho_site_day(const struct ho_site *s, int32_t day)
{
    int64_t i = (int64_t)day - s->first;
    return i >= 0 && i < s->n_slots ? s->slot[i] : NULL;
}

#endif
