/* The Anhoej runs analysis (qicharts2; Anhoej and Olesen 2014), and the median it and the run
 * and G charts centre on. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spc/spc_int.h"
#include "core/banned.h"

static int side_of(double v, double ref) { return (v > ref) - (v < ref); } /* 0 for NaN */

/* R's qbinom(0.05, m, 0.5): the smallest k with P(X <= k) >= 0.05 for X ~ Binomial(m, 1/2).
 * The sum starts 12 standard deviations below the mean, where the mass left out is below 1e-32
 * (so 10 million points take about 20,000 steps, not 5 million); log-gamma gives the first term,
 * which 2^-m alone would underflow. */
static size_t crossings_min_of(size_t m)
{
    if (m == 0)
        return 0;
    double md = (double)m, from = floor(md / 2 - 12 * sqrt(md) / 2);
    size_t k = from > 0 ? (size_t)from : 0;
    int sign;
    double kd = (double)k;
    double pmf = exp(lgamma_r(md + 1, &sign) - lgamma_r(kd + 1, &sign) - lgamma_r(md - kd + 1, &sign) - md * M_LN2);
    double cdf = pmf;
    while (cdf < 0.05 && k < m) {
        pmf *= (md - (double)k) / ((double)k + 1);
        k++;
        cdf += pmf;
    }
    return k;
}

void spc_group_runs(const double *y, struct spc_group *g)
{
    /* Branch-free, as the rules (rules.c): on noisy data a branch per point is mispredicted half
     * the time. A value on the centre line or missing (side 0) keeps the run and its side. */
    const double centre = g->mean;
    size_t useful = 0, run = 0, longest = 0, crossings = 0;
    int prev = 0;
    for (size_t i = g->start; i < g->end; i++) {
        int side = side_of(y[i], centre);
        size_t on = side != 0, same = side == prev;
        useful += on;
        crossings += on & (prev != 0) & !same;
        run = run * (1 - on + on * same) + on; /* on: same ? run + 1 : 1; off: run */
        prev += (int)on * (side - prev);
        longest = run > longest ? run : longest;
    }
    struct spc_runs *r = &g->runs;
    *r = (struct spc_runs){.useful = useful, .longest_run = longest, .crossings = crossings};
    if (useful == 0)
        return;
    /* nearbyint rounds half to even, as R's round; log2 of a whole number is never exactly .5 */
    r->longest_run_max = (size_t)nearbyint(log2((double)useful)) + 3;
    r->crossings_min = crossings_min_of(useful - 1);
    r->signal = r->longest_run > r->longest_run_max || r->crossings < r->crossings_min;
}

void spc_mark_long_runs(const double *y, const struct spc_group *g, uint8_t *rule)
{
    const double centre = g->mean;
    const size_t max = g->runs.longest_run_max;
    size_t run = 0, first = g->start;
    int prev = 0;
    for (size_t i = g->start; i <= g->end; i++) {
        int side = i < g->end ? side_of(y[i], centre) : 0;
        if (i < g->end && side == 0)
            continue;
        if (side != prev || i == g->end) {
            if (prev != 0 && run > max) {
                uint8_t value = prev > 0 ? SPC_RULE_LONG_RUN_ABOVE : SPC_RULE_LONG_RUN_BELOW;
                for (size_t k = first; k < i; k++)
                    if (side_of(y[k], centre) == prev)
                        rule[k] = value;
            }
            run = 0;
            first = i;
        }
        run++;
        prev = side;
    }
}

static void swap(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/* Puts the k-th smallest of v[0, n) at v[k], smaller ones before it (Hoare's selection, with a
 * median-of-three pivot). */
static void select_kth(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (hi > lo) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < v[lo])
            swap(&v[mid], &v[lo]);
        if (v[hi] < v[lo])
            swap(&v[hi], &v[lo]);
        if (v[hi] < v[mid])
            swap(&v[hi], &v[mid]);
        double pivot = v[mid];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                swap(&v[i], &v[j]);
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return;
    }
}

int spc_median(const double *y, size_t from, size_t to, double *out)
{
    *out = NAN;
    double *v = malloc((to > from ? to - from : 1) * sizeof *v);
    if (!v)
        return -1;
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        if (!isnan(y[i]))
            v[n++] = y[i];
    if (n > 0) {
        size_t k = n / 2;
        select_kth(v, n, k);
        if (n % 2) {
            *out = v[k];
        } else {
            double below = v[0]; /* the largest of v[0, k): the other middle value */
            for (size_t i = 1; i < k; i++)
                below = v[i] > below ? v[i] : below;
            *out = (below + v[k]) / 2;
        }
    }
    free(v);
    return 0;
}
