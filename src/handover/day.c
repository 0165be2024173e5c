/* One site's local day: counts per hour and every duration, merged, sorted and serialised. */
#include <stdlib.h>
#include <string.h>

#include "handover/ho_int.h"
#include "core/banned.h"

void ho_day_init(struct ho_day *d, int32_t day)
{
    *d = (struct ho_day){.day = day, .sealed = true};
}

void ho_day_release(struct ho_day *d)
{
    free(d->dur);
    ho_day_init(d, d->day);
}

static int reserve(struct ho_day *d, uint64_t more, struct purpose_err *err)
{
    uint64_t need = (uint64_t)d->n + more;
    if (need > UINT32_MAX)
        return purpose_errf(err, "more than %u handovers at one site in one day", UINT32_MAX);
    if (need <= d->cap)
        return 0;
    uint64_t cap = d->cap ? (uint64_t)d->cap * 2 : 16;
    while (cap < need)
        cap *= 2;
    if (cap > UINT32_MAX)
        cap = UINT32_MAX;
    uint32_t *p = realloc(d->dur, (size_t)cap * sizeof *p);
    if (!p)
        return purpose_errf(err, "out of memory");
    d->dur = p;
    d->cap = (uint32_t)cap;
    return 0;
}

int ho_day_add_at(struct ho_day *d, int hour, const struct ho_row *r, struct purpose_err *err)
{
    struct ho_hour *h = &d->hour[hour];
    if (h->arrivals == UINT32_MAX)
        return purpose_errf(err, "more than %u arrivals at one site in one hour", UINT32_MAX);
    if (r->handover != HO_NONE) {
        if (d->n == d->cap && reserve(d, 1, err) < 0)
            return -1;
        uint32_t v = (uint32_t)hour << HO_DUR_BITS | (uint32_t)(r->handover - r->arrival);
        if (d->n && v < d->dur[d->n - 1])
            d->sealed = false;
        d->dur[d->n++] = v;
        h->handovers++;
        if (r->clear != HO_NONE) {
            h->clear_n++;
            h->clear_15 += r->clear - r->handover <= 15 * HO_MINUTE_MS;
        }
    }
    h->arrivals++;
    return 0;
}

int ho_day_add(struct ho_day *d, const struct ho_row *r, struct purpose_err *err)
{
    int32_t day;
    int hour;
    ho_local(r->arrival, &day, &hour);
    if (day != d->day)
        return purpose_errf(err, "line %zu: the arrival is not on this aggregate's day", r->line);
    return ho_day_add_at(d, hour, r, err);
}

int ho_day_merge(struct ho_day *d, const struct ho_day *src, struct purpose_err *err)
{
    if (src->day != d->day)
        return purpose_errf(err, "merging aggregates of two different days");
    for (int h = 0; h < 24; h++) {
        const struct ho_hour *a = &d->hour[h], *b = &src->hour[h];
        if ((uint64_t)a->arrivals + b->arrivals > UINT32_MAX)
            return purpose_errf(err, "more than %u arrivals at one site in one hour", UINT32_MAX);
    }
    if (reserve(d, src->n, err) < 0)
        return -1;
    for (int h = 0; h < 24; h++) {
        struct ho_hour *a = &d->hour[h];
        const struct ho_hour *b = &src->hour[h];
        a->arrivals += b->arrivals;
        a->handovers += b->handovers;
        a->clear_n += b->clear_n;
        a->clear_15 += b->clear_15;
    }
    if (src->n) {
        memcpy(d->dur + d->n, src->dur, (size_t)src->n * sizeof *d->dur);
        if (d->n && src->dur[0] < d->dur[d->n - 1])
            d->sealed = false;
        d->sealed = d->sealed && src->sealed;
        d->n += src->n;
    }
    return 0;
}

/* Least significant digit radix sort, 8 bits a pass; a pass whose digit is the same for every
 * key is skipped (the hour byte usually varies, the top bits of ms rarely). Falls back to
 * insertion sort for short arrays, and to that on allocation failure (correct, only slower). */
static void sort_u32(uint32_t *v, uint32_t n)
{
    uint32_t *tmp = n > 48 ? malloc((size_t)n * sizeof *tmp) : NULL;
    if (!tmp) {
        for (uint32_t i = 1; i < n; i++) {
            uint32_t x = v[i], j = i;
            for (; j > 0 && v[j - 1] > x; j--)
                v[j] = v[j - 1];
            v[j] = x;
        }
        return;
    }
    uint32_t *src = v, *dst = tmp;
    for (int shift = 0; shift < 32; shift += 8) {
        uint32_t count[256] = {0};
        for (uint32_t i = 0; i < n; i++)
            count[(src[i] >> shift) & 0xff]++;
        if (count[(src[0] >> shift) & 0xff] == n)
            continue;
        uint32_t sum = 0;
        for (int b = 0; b < 256; b++) {
            uint32_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (uint32_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 0xff]++] = src[i];
        uint32_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != v)
        memcpy(v, src, (size_t)n * sizeof *v);
    free(tmp);
}

void ho_day_seal(struct ho_day *d)
{
    if (!d->sealed)
        sort_u32(d->dur, d->n);
    d->sealed = true;
}

uint32_t ho_day_hour_start(const struct ho_day *d, int h)
{
    uint32_t s = 0;
    for (int i = 0; i < h; i++)
        s += d->hour[i].handovers;
    return s;
}

/* ---- Serialisation ---- */
#include "handover/crc_tables.h"

/* Slicing by 8: eight bytes a step through eight tables, so that the table lookups of a step do
 * not wait on each other (blobs are checked on every report read). Byte order independent: the
 * word is assembled from bytes. */
uint32_t ho_crc32(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint32_t c = 0xffffffffu;
    const uint32_t(*t)[256] = ho_crc32_tab;
    for (; n >= 8; n -= 8, b += 8) {
        uint32_t lo = c ^ ((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24);
        uint32_t hi = (uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 | (uint32_t)b[7] << 24;
        c = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
            t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
    }
    for (; n; n--)
        c = (c >> 8) ^ t[0][(c ^ *b++) & 0xff];
    return ~c;
}

static void put_varint(struct buf *b, uint32_t v)
{
    uint8_t t[5];
    size_t n = 0;
    while (v >= 0x80) {
        t[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    t[n++] = (uint8_t)v;
    buf_append(b, t, n);
}

static void put_le32(struct buf *b, uint32_t v)
{
    uint8_t t[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    buf_append(b, t, 4);
}

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int ho_day_serialise(struct ho_day *d, struct buf *out)
{
    ho_day_seal(d);
    size_t start = out->len;
    buf_append(out, "HOD\x01", 4);
    put_le32(out, (uint32_t)d->day);
    for (int h = 0; h < 24; h++) {
        put_varint(out, d->hour[h].arrivals);
        put_varint(out, d->hour[h].handovers);
        put_varint(out, d->hour[h].clear_n);
        put_varint(out, d->hour[h].clear_15);
    }
    uint32_t prev = 0, at = 0;
    for (int h = 0; h < 24; h++) {
        prev = 0;
        for (uint32_t i = 0; i < d->hour[h].handovers; i++, at++) {
            uint32_t v = d->dur[at] & HO_DUR_MASK;
            put_varint(out, v - prev);
            prev = v;
        }
    }
    if (out->failed)
        return -1;
    put_le32(out, ho_crc32(out->data + start, out->len - start));
    return out->failed ? -1 : 0;
}

struct reader {
    const uint8_t *p;
    size_t n, pos;
};

static int get_varint_slow(struct reader *r, uint32_t *v)
{
    uint64_t x = 0;
    for (int i = 0; i < 5; i++) {
        if (r->pos >= r->n)
            return -1;
        uint8_t b = r->p[r->pos++];
        x |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            if (x > UINT32_MAX || (i > 0 && b == 0)) /* overlong forms are not ours */
                return -1;
            *v = (uint32_t)x;
            return 0;
        }
    }
    return -1;
}

/* The common case first: at least five bytes left, so no bound is checked byte by byte; the
 * same forms are refused as by the careful reading. */
static inline int get_varint(struct reader *r, uint32_t *v)
{
    if (r->n - r->pos < 5)
        return get_varint_slow(r, v);
    const uint8_t *q = r->p + r->pos;
    uint32_t x = q[0] & 0x7fu;
    size_t k = 1;
    if (q[0] & 0x80) {
        x |= (uint32_t)(q[1] & 0x7f) << 7, k = 2;
        if (q[1] & 0x80) {
            x |= (uint32_t)(q[2] & 0x7f) << 14, k = 3;
            if (q[2] & 0x80) {
                x |= (uint32_t)(q[3] & 0x7f) << 21, k = 4;
                if (q[3] & 0x80) {
                    if (q[4] > 0x0f) /* more than 32 bits, or a sixth byte */
                        return -1;
                    x |= (uint32_t)q[4] << 28, k = 5;
                }
            }
        }
        if (q[k - 1] == 0) /* an overlong form */
            return -1;
    }
    r->pos += k;
    *v = x;
    return 0;
}

int ho_day_deserialise(struct ho_day *d, const void *blob, size_t len, struct purpose_err *err)
{
    const uint8_t *p = blob;
    ho_day_init(d, 0);
    if (len < 12 + 24 * 4 || memcmp(p, "HOD", 3) != 0)
        return purpose_errf(err, "handover aggregate: not an aggregate blob");
    if (p[3] != 1)
        return purpose_errf(err, "handover aggregate: version %u is not supported (1 is)", p[3]);
    if (get_le32(p + len - 4) != ho_crc32(p, len - 4))
        return purpose_errf(err, "handover aggregate: checksum mismatch (the blob is corrupt)");
    int32_t day = (int32_t)get_le32(p + 4);
    if (day < HO_DAY_FIRST || day > HO_DAY_LAST)
        return purpose_errf(err, "handover aggregate: day %d is outside 1996..2099", (int)day);
    struct reader r = {p, len - 4, 8};
    uint64_t total = 0;
    struct ho_hour hours[24];
    for (int h = 0; h < 24; h++) {
        struct ho_hour *x = &hours[h];
        if (get_varint(&r, &x->arrivals) < 0 || get_varint(&r, &x->handovers) < 0 ||
            get_varint(&r, &x->clear_n) < 0 || get_varint(&r, &x->clear_15) < 0)
            return purpose_errf(err, "handover aggregate: truncated counts");
        if (x->handovers > x->arrivals || x->clear_n > x->handovers || x->clear_15 > x->clear_n)
            return purpose_errf(err, "handover aggregate: inconsistent counts in hour %d", h);
        total += x->handovers;
    }
    if (total > r.n - r.pos) /* every duration takes at least one byte */
        return purpose_errf(err, "handover aggregate: %llu durations cannot fit", (unsigned long long)total);
    ho_day_init(d, day);
    memcpy(d->hour, hours, sizeof hours);
    if (total && reserve(d, total, err) < 0) {
        ho_day_init(d, 0);
        return -1;
    }
    for (int h = 0; h < 24; h++) {
        uint32_t v = 0;
        for (uint32_t i = 0; i < hours[h].handovers; i++) {
            uint32_t delta;
            if (get_varint(&r, &delta) < 0 || delta > (uint32_t)HO_DAY_MS - v) {
                ho_day_release(d);
                ho_day_init(d, 0);
                return purpose_errf(err, "handover aggregate: bad duration in hour %d", h);
            }
            v += delta;
            d->dur[d->n++] = (uint32_t)h << HO_DUR_BITS | v;
        }
    }
    if (r.pos != r.n) {
        ho_day_release(d);
        ho_day_init(d, 0);
        return purpose_errf(err, "handover aggregate: %zu bytes after the end", r.n - r.pos);
    }
    d->sealed = true;
    return 0;
}
