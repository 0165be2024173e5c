/* Funnel plots: exact binomial control limits with Spiegelhalter's interpolation (contract and
 * source in include/purpose/funnel.h). */
#include <math.h>

#include "purpose/funnel.h"
#include "core/banned.h"

const char *spc_funnel_place_name(enum spc_funnel_place p)
{
    static const char *const names[] = {"none", "within", "high_95", "low_95", "high_998", "low_998"};
    return (unsigned)p < sizeof names / sizeof names[0] ? names[p] : "none";
}

/* The tail probabilities of the four limits, lowest first (the walk meets them in this order). */
static const double levels[4] = {0.001, 0.025, 0.975, 0.999};

/* Walks the binomial's cumulative distribution upward once and sets y[i] to the interpolated
 * levels[i]-quantile over n, for i in lo..hi-1. Terms below about 15 standard deviations under the
 * mean are skipped (their mass is below 1e-40, far under a double's resolution of 1), so a large
 * n costs a few thousand steps, not n; the first term is taken by lgamma, the rest by the ratio
 * of successive terms. */
static void quantiles(double theta, uint64_t n, int lo, int hi, double *y)
{
    double nn = (double)n, mean = nn * theta, sd = sqrt(nn * theta * (1 - theta));
    double start = floor(mean - 15 * sd - 10);
    uint64_t k = start > 0 ? (uint64_t)start : 0;
    double f = exp(lgamma(nn + 1) - lgamma((double)k + 1) - lgamma(nn - (double)k + 1) + (double)k * log(theta) +
                   (nn - (double)k) * log1p(-theta));
    double odds = theta / (1 - theta), F = 0;
    int i = lo;
    for (;;) {
        F += f;
        /* r_p = k for every level now reached: alpha = (F(r_p) - p) / P(R = r_p) */
        while (i < hi && (F >= levels[i] || k == n)) {
            double alpha = f > 0 ? (F - levels[i]) / f : 0;
            if (alpha < 0)
                alpha = 0; /* k == n and rounding left F a hair under p */
            /* r_p = 0 interpolates below 0: a proportion's limit stops there */
            y[i] = k == 0 && alpha > 0 ? 0 : ((double)k - alpha) / nn;
            i++;
        }
        if (i >= hi)
            return;
        f *= (nn - (double)k) / ((double)k + 1) * odds;
        k++;
    }
}

double spc_funnel_limit(double theta, uint64_t n, double p)
{
    if (n == 0 || !(p > 0 && p < 1))
        return NAN;
    if (theta <= 0)
        return 0;
    if (theta >= 1)
        return 1;
    /* one level: the same walk, with p as the only level */
    double nn = (double)n, mean = nn * theta, sd = sqrt(nn * theta * (1 - theta));
    double start = floor(mean - 15 * sd - 10);
    uint64_t k = start > 0 ? (uint64_t)start : 0;
    double f = exp(lgamma(nn + 1) - lgamma((double)k + 1) - lgamma(nn - (double)k + 1) + (double)k * log(theta) +
                   (nn - (double)k) * log1p(-theta));
    double odds = theta / (1 - theta), F = 0;
    for (;;) {
        F += f;
        if (F >= p || k == n) {
            double alpha = f > 0 ? (F - p) / f : 0;
            if (alpha < 0)
                alpha = 0;
            return k == 0 && alpha > 0 ? 0 : ((double)k - alpha) / nn;
        }
        f *= (nn - (double)k) / ((double)k + 1) * odds;
        k++;
    }
}

void spc_funnel_limits(double theta, uint64_t n, struct spc_funnel_limits *out)
{
    double y[4];
    if (n == 0) {
        y[0] = y[1] = y[2] = y[3] = NAN;
    } else if (theta <= 0 || theta >= 1) {
        y[0] = y[1] = y[2] = y[3] = theta <= 0 ? 0 : 1;
    } else {
        quantiles(theta, n, 0, 4, y);
    }
    *out = (struct spc_funnel_limits){y[0], y[1], y[2], y[3]};
}

static enum spc_funnel_place place_of(double y, const struct spc_funnel_limits *l)
{
    if (y > l->hi998)
        return SPC_FUNNEL_HIGH_998;
    if (y < l->lo998)
        return SPC_FUNNEL_LOW_998;
    if (y > l->hi95)
        return SPC_FUNNEL_HIGH_95;
    if (y < l->lo95)
        return SPC_FUNNEL_LOW_95;
    return SPC_FUNNEL_WITHIN;
}

int spc_funnel(const uint64_t *num, const uint64_t *den, size_t n, const double *target, double *theta,
               struct spc_funnel_point *out, struct purpose_err *err)
{
    double sn = 0, sd = 0;
    for (size_t i = 0; i < n; i++) {
        if (num[i] > den[i])
            return purpose_errk(err, PURPOSE_ERR_INPUT, "numerator",
                                "unit %zu: the numerator (%llu) is more than the denominator (%llu)", i + 1,
                                (unsigned long long)num[i], (unsigned long long)den[i]);
        sn += (double)num[i];
        sd += (double)den[i];
    }
    double t;
    if (target) {
        t = *target;
        if (!(t >= 0 && t <= 1))
            return purpose_errk(err, PURPOSE_ERR_INPUT, "target", "target: must be a proportion from 0 to 1");
    } else {
        if (sd <= 0)
            return purpose_errk(err, PURPOSE_ERR_INPUT, "denominator",
                                "no unit has a denominator: there is no pooled proportion to compare with");
        t = sn / sd;
    }
    for (size_t i = 0; i < n; i++) {
        struct spc_funnel_point *p = &out[i];
        spc_funnel_limits(t, den[i], &p->lim);
        if (den[i] == 0) {
            p->proportion = NAN;
            p->place = SPC_FUNNEL_NONE;
            continue;
        }
        p->proportion = (double)num[i] / (double)den[i];
        p->place = place_of(p->proportion, &p->lim);
    }
    if (theta)
        *theta = t;
    return 0;
}
