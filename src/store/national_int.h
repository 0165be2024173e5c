#ifndef PURPOSE_STORE_NATIONAL_INT_H
#define PURPOSE_STORE_NATIONAL_INT_H
/* Shared between national.c (organisations, programmes, staff, conversations) and national_work.c
 * (projects, measures, handovers). */

#include <stdint.h>

#include "store/national.h"
#include "store/store.h"

/* splitmix64 (Steele, Lea and Flood, 2014): one 64-bit state, so each organisation and conversation
 * gets its own stream from (seed, its number) and the output does not depend on the order of work. */
struct nat_rng {
    uint64_t s;
};
static inline uint64_t nat_next(struct nat_rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}
static inline uint64_t nat_below(struct nat_rng *r, uint64_t n) { return n ? nat_next(r) % n : 0; }
static inline double nat_uniform(struct nat_rng *r) { return (double)(nat_next(r) >> 11) * 0x1.0p-53; }
static inline struct nat_rng nat_stream(uint64_t seed, uint64_t kind, uint64_t i)
{
    struct nat_rng r = {seed ^ (kind * UINT64_C(0x9e3779b97f4a7c15)) ^ (i * UINT64_C(0xd1b54a32d192ed03))};
    nat_next(&r);
    return r;
}

/* One generated organisation. */
struct nat_org {
    int64_t id;
    char slug[64], name[160], code[8];
    bool ambulance;
    int64_t ambitions[8];
    size_t n_ambitions;
};

struct nat_ctx {
    struct store *s;
    const struct store_national_opts *o;
    struct store_national_sizes plan, made;
    struct nat_org *orgs; /* trusts, then ambulance services */
    size_t n_orgs;
};

extern const struct store_actor nat_actor;

/* Shares of a total over n parts, the first ones one more: part i of total. */
static inline uint64_t nat_share(uint64_t total, uint64_t n, uint64_t i)
{
    return n ? total / n + (i < total % n) : 0;
}

void nat_progress(struct nat_ctx *x, const char *what, uint64_t done, uint64_t total);
/* YYYY-MM-DD of days since 1970-01-01. */
void nat_day(int32_t day, char out[11]);

/* national_work.c: one organisation's projects (with a measure each) and own measures; one trust's
 * handovers. */
int nat_org_work(struct nat_ctx *x, size_t org, uint64_t projects, uint64_t measures, struct purpose_err *err);
int nat_org_handovers(struct nat_ctx *x, size_t org, uint64_t rows, struct purpose_err *err);

#endif
