/* A period's metrics from its handover times (spec: "Metrics"): the median and 95th centile by
 * selection or, for many times, a radix histogram, never a full sort. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "handover/ho_int.h"
#include "core/banned.h"

/* ---- Quantiles: selection, not sorting, since only two order statistics are needed. ---- */
static inline void swap(uint32_t *v, size_t i, size_t j)
{
    uint32_t t = v[i];
    v[i] = v[j];
    v[j] = t;
}

/* Reorders v so that v[k] is the k-th smallest, smaller before, larger after. Three-way
 * partitions (durations repeat) around the median of three, one of them at a pseudo-random
 * place so that no fixed input makes every step a bad one. */
static void select_k(uint32_t *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n;
    uint64_t rng = n * UINT64_C(0x9e3779b97f4a7c15) + k;
    while (hi - lo > 1) {
        rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
        uint32_t a = v[lo], b = v[lo + (size_t)(rng % (hi - lo))], c = v[hi - 1];
        uint32_t p = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            if (v[i] < p)
                swap(v, lt++, i++);
            else if (v[i] > p)
                swap(v, i, --gt);
            else
                i++;
        }
        if (k < lt)
            hi = lt;
        else if (k >= gt)
            lo = gt;
        else
            return;
    }
}

/* The value of local rank lk of v[0..m) (reordered), interpolated towards the next by rem/den. */
static double rank_value(uint32_t *v, size_t m, size_t lk, uint64_t rem, uint32_t den)
{
    select_k(v, m, lk);
    uint32_t x = v[lk];
    if (rem == 0)
        return x;
    uint32_t next = UINT32_MAX;
    for (size_t i = lk + 1; i < m; i++)
        if (v[i] < next)
            next = v[i];
    return x + (double)(next - x) * (double)rem / den;
}

/* The quantile of v[0..n) when v[0..from) are known to be the `from` smallest values. */
static double quantile_from(uint32_t *v, size_t n, size_t from, uint32_t num, uint32_t den)
{
    /* Type 7: position h = (n - 1) p, 0-based; x[floor h] + frac(h) (x[floor h + 1] - x[floor h]).
     * p = num/den keeps the position exact: 0.95 has no exact double. */
    uint64_t pos = (uint64_t)(n - 1) * num;
    size_t k = (size_t)(pos / den);
    uint64_t rem = pos % den;
    if (n - from <= 16) { /* an hour's handful: sorting is cheaper than selecting */
        for (size_t i = from + 1; i < n; i++) {
            uint32_t x = v[i];
            size_t j = i;
            for (; j > from && v[j - 1] > x; j--)
                v[j] = v[j - 1];
            v[j] = x;
        }
        return rem == 0 ? (double)v[k] : v[k] + (double)(v[k + 1] - v[k]) * (double)rem / den;
    }
    return rank_value(v + from, n - from, k - from, rem, den);
}

double ho_quantile(uint32_t *v, size_t n, uint32_t num, uint32_t den)
{
    return quantile_from(v, n, 0, num, den);
}

/* Order statistics by a histogram of the durations' top bits (256 buckets, or 4096 for large
 * bags, spanning the largest duration), filled in a second pass after the one that counts the
 * standards: it tells which bucket holds each order statistic wanted; one more pass moves that
 * bucket's few values to the front, and only they are selected among. Sequential passes with
 * predictable branches instead of quickselect's swaps; the values are exact order statistics
 * either way. Below RADIX_MIN values, quickselect is as quick. */
#define RADIX_MIN 48
#define RADIX_BIG 4096 /* values from which 4096 buckets pay for their clearing */

/* Ranks k (and k + 1 when interpolating) of the type 7 quantile num/den of n values: the buckets
 * [lo, hi] of hist that hold them, c0 values lying below lo. */
struct rank {
    size_t k, lo, hi, c0;
    uint64_t rem;
};

static struct rank rank_of(const uint32_t *hist, size_t n, uint32_t num, uint32_t den)
{
    uint64_t pos = (uint64_t)(n - 1) * num;
    struct rank r = {.k = (size_t)(pos / den), .rem = pos % den};
    size_t k_hi = r.k + (r.rem != 0);
    while (r.c0 + hist[r.lo] <= r.k)
        r.c0 += hist[r.lo++];
    r.hi = r.lo;
    for (size_t c1 = r.c0 + hist[r.lo]; c1 <= k_hi;)
        c1 += hist[++r.hi];
    return r;
}

/* The median and p95 of v[0..n) (reordered), hist being the histogram of v >> shift: one pass
 * moves the median's buckets to the front and the p95's to the back (one range when they meet),
 * and each is selected within its few values. */
static void median_p95_radix(uint32_t *v, size_t n, const uint32_t *hist, int shift, double *median, double *p95)
{
    struct rank a = rank_of(hist, n, 1, 2), b = rank_of(hist, n, 19, 20);
    if (b.lo <= a.hi) { /* one range [a.lo, b.hi] */
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t x = v[i], t = x >> shift;
            if (t - a.lo <= b.hi - a.lo) {
                v[i] = v[m];
                v[m++] = x;
            }
        }
        size_t la = a.k - a.c0, lb = b.k - a.c0;
        *median = rank_value(v, m, la, a.rem, 2);
        /* select_k left v[la..m) holding every larger one, p95's among them */
        *p95 = rank_value(v + la, m - la, lb - la, b.rem, 20);
        return;
    }
    size_t front = 0, back = n;
    for (size_t i = 0; i < back;) {
        uint32_t x = v[i], t = x >> shift;
        if (t - a.lo <= a.hi - a.lo) {
            v[i++] = v[front];
            v[front++] = x;
        } else if (t - b.lo <= b.hi - b.lo) {
            v[i] = v[--back];
            v[back] = x;
        } else {
            i++;
        }
    }
    *median = rank_value(v, front, a.k - a.c0, a.rem, 2);
    *p95 = rank_value(v + back, n - back, b.k - b.c0, b.rem, 20);
}

void ho_metrics_compute(struct ho_metrics *m, uint32_t *ms, size_t n, uint64_t arrivals, uint64_t clear_n,
                        uint64_t clear_15)
{
    const uint32_t m15 = 15 * 60000, m30 = 30 * 60000, m45 = 45 * 60000, m60 = 60 * 60000;
    uint64_t w15 = 0, w30 = 0, w60 = 0, o45 = 0, o60 = 0, sum = 0, lost15 = 0, lost60 = 0;
    uint32_t hist[4096], any = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t d = ms[i];
        any |= d;
        w15 += d <= m15;
        w30 += d <= m30;
        w60 += d <= m60;
        o45 += d > m45;
        o60 += d > m60;
        sum += d;
        lost15 += d > m15 ? d - m15 : 0;
        lost60 += d > m60 ? d - m60 : 0;
    }
    m->arrivals = arrivals;
    m->handovers = n;
    m->over_45 = o45;
    m->over_60 = o60;
    m->hours_lost_15 = (double)lost15 / 3600000.0;
    m->hours_lost_60 = (double)lost60 / 3600000.0;
    m->pct_clear_within_15 = clear_n ? 100.0 * (double)clear_15 / (double)clear_n : NAN;
    if (n == 0) {
        m->pct_within_15 = m->pct_within_30 = m->pct_within_60 = NAN;
        m->mean_min = m->median_min = m->p95_min = NAN;
        return;
    }
    double dn = (double)n;
    m->pct_within_15 = 100.0 * (double)w15 / dn;
    m->pct_within_30 = 100.0 * (double)w30 / dn;
    m->pct_within_60 = 100.0 * (double)w60 / dn;
    m->mean_min = (double)sum / (dn * 60000.0);
    if (n >= RADIX_MIN) {
        int bits = n >= RADIX_BIG ? 12 : 8, width = 0; /* buckets: 1 << bits */
        while (width < 32 && (any >> width) != 0)
            width++;
        int shift = width > bits ? width - bits : 0;
        memset(hist, 0, sizeof hist[0] << bits);
        for (size_t i = 0; i < n; i++)
            hist[ms[i] >> shift]++;
        double med, p95;
        median_p95_radix(ms, n, hist, shift, &med, &p95);
        m->median_min = med / 60000.0;
        m->p95_min = p95 / 60000.0;
        return;
    }
    /* The median's selection leaves v[k..n) holding every larger order statistic, so p95 (at a
     * position at least k) selects within that tail. */
    m->median_min = quantile_from(ms, n, 0, 1, 2) / 60000.0;
    m->p95_min = quantile_from(ms, n, (n - 1) / 2, 19, 20) / 60000.0;
}
