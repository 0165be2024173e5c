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
/* The byte-at-a-time table of the reflected polynomial 0xEDB88320 (entry i is i shifted through
 * eight rounds of the division), generated once and pasted: blobs are read on every report. */
static const uint32_t crc_table[256] = {
        0x00000000, 0x77073096, 0xee0e612c, 0x990951ba, 0x076dc419, 0x706af48f,
        0xe963a535, 0x9e6495a3, 0x0edb8832, 0x79dcb8a4, 0xe0d5e91e, 0x97d2d988,
        0x09b64c2b, 0x7eb17cbd, 0xe7b82d07, 0x90bf1d91, 0x1db71064, 0x6ab020f2,
        0xf3b97148, 0x84be41de, 0x1adad47d, 0x6ddde4eb, 0xf4d4b551, 0x83d385c7,
        0x136c9856, 0x646ba8c0, 0xfd62f97a, 0x8a65c9ec, 0x14015c4f, 0x63066cd9,
        0xfa0f3d63, 0x8d080df5, 0x3b6e20c8, 0x4c69105e, 0xd56041e4, 0xa2677172,
        0x3c03e4d1, 0x4b04d447, 0xd20d85fd, 0xa50ab56b, 0x35b5a8fa, 0x42b2986c,
        0xdbbbc9d6, 0xacbcf940, 0x32d86ce3, 0x45df5c75, 0xdcd60dcf, 0xabd13d59,
        0x26d930ac, 0x51de003a, 0xc8d75180, 0xbfd06116, 0x21b4f4b5, 0x56b3c423,
        0xcfba9599, 0xb8bda50f, 0x2802b89e, 0x5f058808, 0xc60cd9b2, 0xb10be924,
        0x2f6f7c87, 0x58684c11, 0xc1611dab, 0xb6662d3d, 0x76dc4190, 0x01db7106,
        0x98d220bc, 0xefd5102a, 0x71b18589, 0x06b6b51f, 0x9fbfe4a5, 0xe8b8d433,
        0x7807c9a2, 0x0f00f934, 0x9609a88e, 0xe10e9818, 0x7f6a0dbb, 0x086d3d2d,
        0x91646c97, 0xe6635c01, 0x6b6b51f4, 0x1c6c6162, 0x856530d8, 0xf262004e,
        0x6c0695ed, 0x1b01a57b, 0x8208f4c1, 0xf50fc457, 0x65b0d9c6, 0x12b7e950,
        0x8bbeb8ea, 0xfcb9887c, 0x62dd1ddf, 0x15da2d49, 0x8cd37cf3, 0xfbd44c65,
        0x4db26158, 0x3ab551ce, 0xa3bc0074, 0xd4bb30e2, 0x4adfa541, 0x3dd895d7,
        0xa4d1c46d, 0xd3d6f4fb, 0x4369e96a, 0x346ed9fc, 0xad678846, 0xda60b8d0,
        0x44042d73, 0x33031de5, 0xaa0a4c5f, 0xdd0d7cc9, 0x5005713c, 0x270241aa,
        0xbe0b1010, 0xc90c2086, 0x5768b525, 0x206f85b3, 0xb966d409, 0xce61e49f,
        0x5edef90e, 0x29d9c998, 0xb0d09822, 0xc7d7a8b4, 0x59b33d17, 0x2eb40d81,
        0xb7bd5c3b, 0xc0ba6cad, 0xedb88320, 0x9abfb3b6, 0x03b6e20c, 0x74b1d29a,
        0xead54739, 0x9dd277af, 0x04db2615, 0x73dc1683, 0xe3630b12, 0x94643b84,
        0x0d6d6a3e, 0x7a6a5aa8, 0xe40ecf0b, 0x9309ff9d, 0x0a00ae27, 0x7d079eb1,
        0xf00f9344, 0x8708a3d2, 0x1e01f268, 0x6906c2fe, 0xf762575d, 0x806567cb,
        0x196c3671, 0x6e6b06e7, 0xfed41b76, 0x89d32be0, 0x10da7a5a, 0x67dd4acc,
        0xf9b9df6f, 0x8ebeeff9, 0x17b7be43, 0x60b08ed5, 0xd6d6a3e8, 0xa1d1937e,
        0x38d8c2c4, 0x4fdff252, 0xd1bb67f1, 0xa6bc5767, 0x3fb506dd, 0x48b2364b,
        0xd80d2bda, 0xaf0a1b4c, 0x36034af6, 0x41047a60, 0xdf60efc3, 0xa867df55,
        0x316e8eef, 0x4669be79, 0xcb61b38c, 0xbc66831a, 0x256fd2a0, 0x5268e236,
        0xcc0c7795, 0xbb0b4703, 0x220216b9, 0x5505262f, 0xc5ba3bbe, 0xb2bd0b28,
        0x2bb45a92, 0x5cb36a04, 0xc2d7ffa7, 0xb5d0cf31, 0x2cd99e8b, 0x5bdeae1d,
        0x9b64c2b0, 0xec63f226, 0x756aa39c, 0x026d930a, 0x9c0906a9, 0xeb0e363f,
        0x72076785, 0x05005713, 0x95bf4a82, 0xe2b87a14, 0x7bb12bae, 0x0cb61b38,
        0x92d28e9b, 0xe5d5be0d, 0x7cdcefb7, 0x0bdbdf21, 0x86d3d2d4, 0xf1d4e242,
        0x68ddb3f8, 0x1fda836e, 0x81be16cd, 0xf6b9265b, 0x6fb077e1, 0x18b74777,
        0x88085ae6, 0xff0f6a70, 0x66063bca, 0x11010b5c, 0x8f659eff, 0xf862ae69,
        0x616bffd3, 0x166ccf45, 0xa00ae278, 0xd70dd2ee, 0x4e048354, 0x3903b3c2,
        0xa7672661, 0xd06016f7, 0x4969474d, 0x3e6e77db, 0xaed16a4a, 0xd9d65adc,
        0x40df0b66, 0x37d83bf0, 0xa9bcae53, 0xdebb9ec5, 0x47b2cf7f, 0x30b5ffe9,
        0xbdbdf21c, 0xcabac28a, 0x53b39330, 0x24b4a3a6, 0xbad03605, 0xcdd70693,
        0x54de5729, 0x23d967bf, 0xb3667a2e, 0xc4614ab8, 0x5d681b02, 0x2a6f2b94,
        0xb40bbe37, 0xc30c8ea1, 0x5a05df1b, 0x2d02ef8d
};

uint32_t ho_crc32(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++)
        c = (c >> 8) ^ crc_table[(c ^ b[i]) & 0xff];
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

static int get_varint(struct reader *r, uint32_t *v)
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
