#ifndef PURPOSE_SPC_INT_H
#define PURPOSE_SPC_INT_H

#include <math.h>

#include "purpose/spc.h"

/* How far back from a point the special-cause rules (rules.c) look to decide its own rule: 7
 * points for a shift or a trend (and the step before for the trend's direction), 3 for two in
 * three; a gap breaks them all. With more, a window ending at the point decides it as the whole
 * group does (spc_options.last_only). */
#define RULES_REACH 16

/* MDC constants for individuals charts (Wheeler): 2.66 = 3 / d2 with d2 = 1.128; 3.267 = D4. */
#define SPC_LIMIT_FACTOR 2.66
#define SPC_MR_SCREEN_FACTOR 3.267
/* d2 for moving ranges of two: qicharts2 takes sigma = MRbar / 1.128 on the other chart types. */
#define SPC_D2 1.128

/* Counts g's values (n, trial) and finds the end of its basis: the first opt->fix_after values
 * with --fix-after, else the whole group. Sets n_basis; returns the basis's end (exclusive). */
size_t spc_group_basis(const double *y, struct spc_group *g, const struct spc_options *opt);

/* Fills g's mean and limits from y[g->start, g->end) (XmR). */
void spc_group_limits(const double *y, struct spc_group *g, const struct spc_options *opt);

/* The mean moving range of y[from, to), screened as for XmR when screen is set (MRs not below
 * 3.267 x MRbar dropped, MRbar recomputed once); a gap is never bridged. Returns NaN when there
 * is no moving range. */
double spc_mrbar(const double *y, size_t from, size_t to, bool screen);

/* Sets rule for every point of group g (point types are derived later). Uses the group's
 * constant lines, or each point's own when res->limits_vary. */
void spc_group_rules(const double *y, const struct spc_result *res, const struct spc_group *g, uint8_t *rule);

static inline bool spc_is_proportion(enum spc_chart c) { return c == SPC_CHART_P || c == SPC_CHART_PP; }

/* max and min for numbers that are not NaN, without libm's calls (fmax, fmin handle NaN). */
static inline double spc_at_least(double bound, double v) { return v < bound ? bound : v; }
static inline double spc_at_most(double bound, double v) { return v > bound ? bound : v; }

/* The lines at point i of group g: inline, as the rules ask for them point by point. */
static inline void spc_lines_in(const struct spc_result *res, const struct spc_group *g, size_t i,
                                struct spc_lines *out)
{
    if (!res->limits_vary) {
        *out = (struct spc_lines){g->mean, g->lpl, g->upl, g->near_lpl, g->near_upl};
        return;
    }
    double s = g->has_limits ? res->sigma[i] : NAN;
    out->centre = g->mean;
    if (isnan(s)) {
        out->lpl = out->upl = out->near_lpl = out->near_upl = NAN;
        return;
    }
    /* P: clipped to [0, 1] (times per); U: lower >= 0. */
    double top = spc_is_proportion(res->chart) ? res->per : INFINITY;
    out->lpl = spc_at_least(0, g->mean - 3 * s);
    out->upl = spc_at_most(top, g->mean + 3 * s);
    out->near_lpl = spc_at_least(0, g->mean - 2 * s);
    out->near_upl = spc_at_most(top, g->mean + 2 * s);
}

/* The Anhoej runs analysis of g against g->mean. */
void spc_group_runs(const double *y, struct spc_group *g);

/* Run charts: flags every point of a run longer than g->runs.longest_run_max. */
void spc_mark_long_runs(const double *y, const struct spc_group *g, uint8_t *rule);

/* The median of the values (NaN = missing, skipped) of y[from, to); NaN when none. Returns -1
 * when out of memory. */
int spc_median(const double *y, size_t from, size_t to, double *out);

/* Fills centre and limits of one group of a chart type other than XmR (charts.c): v holds the
 * charted values, y and den the input. Returns 0, or -1 when out of memory. */
int spc_chart_group(const double *v, const double *y, const double *den, struct spc_group *g, size_t basis_end,
                    const struct spc_options *opt, struct spc_result *res);

#endif
