#ifndef PURPOSE_FUNNEL_H
#define PURPOSE_FUNNEL_H

/* Funnel plots of one proportion across units (organisations, sites): each unit's numerator over
 * its denominator against a target, with control limits that narrow as the denominator grows.
 * The limits are Spiegelhalter's exact binomial ones with his interpolation (D. J. Spiegelhalter,
 * "Funnel plots for comparing institutional performance", Statistics in Medicine 2005;24:1185-1202,
 * appendix A.1.1): for a denominator n and target theta, r_p is the smallest r with
 * P(R <= r) >= p for R ~ Binomial(n, theta); alpha = (P(R <= r_p) - p) / P(R = r_p); the limit is
 * (r_p - alpha) / n, or 0 when that is below 0 (r_p = 0). Levels are 95% (p = 0.025, 0.975) and
 * 99.8% (p = 0.001, 0.999), the "2 and 3 sigma" pair of NHS benchmarking funnels. No
 * overdispersion adjustment is made.
 *
 * Pure computation: no I/O, no globals, thread-safe. The caller owns every array it passes. */

#include <stddef.h>
#include <stdint.h>

#include "purpose/err.h"

/* Where a unit falls; in order of how far out it is. */
enum spc_funnel_place {
    SPC_FUNNEL_NONE,     /* no denominator: not plotted */
    SPC_FUNNEL_WITHIN,   /* inside the 95% limits (or on one) */
    SPC_FUNNEL_HIGH_95,  /* above the upper 95% limit, not above the 99.8% one */
    SPC_FUNNEL_LOW_95,
    SPC_FUNNEL_HIGH_998, /* above the upper 99.8% limit */
    SPC_FUNNEL_LOW_998,
};
/* A stable token: "none", "within", "high_95", "low_95", "high_998", "low_998". */
const char *spc_funnel_place_name(enum spc_funnel_place p);

/* The four limits at one denominator, as proportions in 0..1 (NaN when n is 0). */
struct spc_funnel_limits {
    double lo998, lo95, hi95, hi998;
};
void spc_funnel_limits(double theta, uint64_t n, struct spc_funnel_limits *out);
/* One limit: the interpolated p-quantile of Binomial(n, theta) over n; 0 < p < 1. */
double spc_funnel_limit(double theta, uint64_t n, double p);

struct spc_funnel_point {
    double proportion;              /* numerator / denominator; NaN when the denominator is 0 */
    struct spc_funnel_limits lim;
    enum spc_funnel_place place;
};

/* The funnel of n units: num[i] of den[i] (num[i] <= den[i]). target: a proportion in 0..1, or
 * NULL for the pooled proportion (the sum of numerators over the sum of denominators), written
 * to *theta. out[0..n) is filled. Fails (an input error naming the unit's index) when a
 * numerator exceeds its denominator, when no unit has a denominator and no target is given, or
 * when the target is outside 0..1. */
int spc_funnel(const uint64_t *num, const uint64_t *den, size_t n, const double *target, double *theta,
               struct spc_funnel_point *out, struct purpose_err *err);

#endif
