/* One handover recorded by two organisations: the packed per-row record and the matching of
 * records (contract in handover.h, "One handover recorded twice"). */
#include <stdlib.h>
#include <string.h>

#include "handover/ho_int.h"
#include "core/banned.h"

/* Arrivals are packed relative to an hour before the local day's UTC midnight, so that a day
 * that starts in BST (23:00 UTC the evening before) fits, as does the 25-hour October day. */
static int64_t day_base(int32_t day)
{
    return (int64_t)day * HO_DAY_MS - HO_HOUR_MS;
}

#define CLEAR_MAX_MS (INT64_C(49) * HO_DAY_MS)

uint32_t ho_ref_hash(const uint8_t key[16], const char *ref, size_t len)
{
    if (len == 0)
        return 0;
    uint8_t h[8];
    ho_siphash(key, ref, len, h, 8);
    uint32_t v = (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
    return v ? v : 1;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void ho_rec_pack(uint8_t out[HO_REC_BYTES], int32_t day, const struct ho_row *r, uint32_t ref)
{
    put32(out, (uint32_t)(r->arrival - day_base(day)));
    /* handover - arrival is at most 24 h (a bad row otherwise); + 1 so that 0 is "none" */
    put32(out + 4, r->handover == HO_NONE ? 0 : (uint32_t)(r->handover - r->arrival) + 1);
    int64_t c = r->handover == HO_NONE || r->clear == HO_NONE ? -1 : r->clear - r->handover;
    put32(out + 8, c < 0 ? 0 : (uint32_t)(c > CLEAR_MAX_MS ? CLEAR_MAX_MS : c) + 1);
    put32(out + 12, ref);
}

int ho_rec_unpack(const uint8_t in[HO_REC_BYTES], int32_t day, struct ho_rec *out)
{
    uint32_t a = get32(in), h = get32(in + 4), c = get32(in + 8);
    if (a >= 26 * HO_HOUR_MS || (h && h - 1 > HO_DAY_MS) || (c && (!h || c - 1 > CLEAR_MAX_MS)))
        return -1;
    out->arrival = day_base(day) + a;
    out->handover = h ? out->arrival + (h - 1) : HO_NONE;
    out->clear = c ? out->handover + (c - 1) : HO_NONE;
    out->ref = get32(in + 12);
    out->src = 0;
    out->group = UINT32_MAX;
    return 0;
}

static int cmp_rec(const void *pa, const void *pb)
{
    const struct ho_rec *a = pa, *b = pb;
    if (a->arrival != b->arrival)
        return a->arrival < b->arrival ? -1 : 1;
    if (a->src != b->src)
        return a->src < b->src ? -1 : 1;
    if (a->handover != b->handover)
        return a->handover < b->handover ? -1 : 1;
    return a->ref < b->ref ? -1 : a->ref > b->ref;
}

void ho_match(struct ho_rec *r, size_t n, int64_t tolerance_ms)
{
    if (n == 0)
        return; /* r may be NULL */
    qsort(r, n, sizeof *r, cmp_rec);
    for (size_t i = 0; i < n; i++)
        r[i].group = UINT32_MAX;
    for (size_t i = 0; i < n; i++) {
        if (r[i].group != UINT32_MAX)
            continue;
        r[i].group = (uint32_t)i;
        uint64_t taken = UINT64_C(1) << (r[i].src & 63);
        /* Two passes over the window: records with the same ref first, then any that agree. */
        for (int pass = 0; pass < 2; pass++) {
            for (size_t j = i + 1; j < n && r[j].arrival - r[i].arrival <= tolerance_ms; j++) {
                uint64_t bit = UINT64_C(1) << (r[j].src & 63);
                if (r[j].group != UINT32_MAX || (taken & bit))
                    continue;
                bool same = r[i].ref && r[j].ref == r[i].ref;
                bool agree = !r[i].ref || !r[j].ref || same;
                if (pass == 0 ? !same : !agree)
                    continue;
                r[j].group = (uint32_t)i; /* in arrival order, so the first is the nearest */
                taken |= bit;
            }
        }
    }
}
