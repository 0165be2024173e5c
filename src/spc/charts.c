/* Centre lines and limits of the chart types beyond XmR, as qicharts2 0.8.1 computes them
 * (Montgomery; Provost and Murray; Laney 2002 for P' and U'). The spec's table, "The other chart
 * types", is the contract; sigma is MRbar / 1.128 where a moving range is used. */
#include <math.h>
#include <stdlib.h>

#include "spc/spc_int.h"
#include "core/banned.h"

#define T_POWER 3.6 /* Nelson's transformation of times between events to near normal */

bool spc_chart_needs_denominator(enum spc_chart c)
{
    return c == SPC_CHART_P || c == SPC_CHART_PP || c == SPC_CHART_U || c == SPC_CHART_UP;
}

bool spc_chart_limits_vary(enum spc_chart c) { return spc_chart_needs_denominator(c); }

static bool is_laney(enum spc_chart c) { return c == SPC_CHART_PP || c == SPC_CHART_UP; }
static bool is_proportion(enum spc_chart c) { return spc_is_proportion(c); }

static void set_lines(struct spc_group *g, double centre, double sigma, double lower_bound, double upper_bound)
{
    g->lpl = spc_at_least(lower_bound, centre - 3 * sigma);
    g->upl = spc_at_most(upper_bound, centre + 3 * sigma);
    g->near_lpl = spc_at_least(lower_bound, centre - 2 * sigma);
    g->near_upl = spc_at_most(upper_bound, centre + 2 * sigma);
}


static bool present(double v) { return !isnan(v); }

static void no_limits(struct spc_group *g)
{
    g->has_limits = false;
    g->lpl = g->upl = g->near_lpl = g->near_upl = NAN;
}

static double basis_mean(const double *y, const struct spc_group *g, size_t basis_end)
{
    double sum = 0;
    for (size_t i = g->start; i < basis_end; i++)
        if (present(y[i]))
            sum += y[i];
    return g->n_basis ? sum / (double)g->n_basis : NAN;
}

/* C: counts, sigma = sqrt(mean). */
static void c_group(const double *y, struct spc_group *g, size_t basis_end, double per)
{
    double m = basis_mean(y, g, basis_end);
    g->mean = per * m;
    g->has_limits = g->n_basis > 0;
    if (g->has_limits)
        set_lines(g, per * m, per * sqrt(m), 0, INFINITY);
}

/* G: the centre line is the median; the limits come from the mean m with sigma = sqrt(m(m+1)). */
static int g_group(const double *y, struct spc_group *g, size_t basis_end, double per)
{
    double m = basis_mean(y, g, basis_end), median;
    if (spc_median(y, g->start, basis_end, &median) < 0)
        return -1;
    g->has_limits = g->n_basis > 0;
    if (g->has_limits)
        set_lines(g, per * m, per * sqrt(m * (m + 1)), 0, INFINITY);
    g->mean = per * median;
    return 0;
}

/* T: XmR on y^(1/3.6) with sigma = MRbar / 1.128, then back to y's scale. A lower limit below 0
 * becomes 0; a lower 2-sigma line below 0 is left empty (spec). */
static int t_group(const double *y, struct spc_group *g, size_t basis_end, const struct spc_options *opt)
{
    size_t len = basis_end - g->start;
    double *t = malloc((len ? len : 1) * sizeof *t);
    if (!t)
        return -1;
    double sum = 0;
    for (size_t i = 0; i < len; i++) {
        t[i] = pow(y[g->start + i], 1 / T_POWER); /* NaN stays NaN */
        sum += present(t[i]) ? t[i] : 0;
    }
    double mean = g->n_basis ? sum / (double)g->n_basis : NAN;
    double sigma = spc_mrbar(t, 0, len, opt->screen_outliers) / SPC_D2;
    free(t);
    double per = opt->per;
    g->mean = per * pow(mean, T_POWER);
    g->has_limits = !isnan(sigma);
    if (!g->has_limits)
        return 0;
    double lo = mean - 3 * sigma, near_lo = mean - 2 * sigma;
    g->lpl = lo > 0 ? per * pow(lo, T_POWER) : 0;
    g->upl = per * pow(mean + 3 * sigma, T_POWER);
    g->near_lpl = near_lo >= 0 ? per * pow(near_lo, T_POWER) : NAN;
    g->near_upl = per * pow(mean + 2 * sigma, T_POWER);
    return 0;
}

/* P, P', U, U': the centre is sum of numerators / sum of denominators over the basis; each
 * point's sigma follows its own denominator. Laney's P' and U' widen it by sigma_z, the spread
 * of the points' z-scores from point to point. */
static int ratio_group(const double *v, const double *num, const double *den, struct spc_group *g,
                       size_t basis_end, const struct spc_options *opt, struct spc_result *res)
{
    const enum spc_chart chart = opt->chart;
    double sum_num = 0, sum_den = 0;
    for (size_t i = g->start; i < basis_end; i++) {
        if (present(v[i])) {
            sum_num += num[i];
            sum_den += den[i];
        }
    }
    double cbar = sum_den > 0 ? sum_num / sum_den : NAN;
    double spread = is_proportion(chart) ? cbar * (1 - cbar) : cbar; /* sigma_i^2 x n_i */
    double *sigma = res->sigma;
    for (size_t i = g->start; i < g->end; i++)
        sigma[i] = present(den[i]) ? sqrt(spread / den[i]) : NAN;
    double sigma_z = 1;
    if (is_laney(chart) && !isnan(cbar)) {
        size_t len = basis_end - g->start;
        double *z = malloc((len ? len : 1) * sizeof *z);
        if (!z)
            return -1;
        for (size_t i = 0; i < len; i++) {
            size_t k = g->start + i;
            double s = sigma[k];
            z[i] = present(v[k]) && s > 0 ? (num[k] / den[k] - cbar) / s : NAN;
        }
        sigma_z = spc_mrbar(z, 0, len, opt->screen_outliers) / SPC_D2;
        free(z);
        if (isnan(sigma_z) && spread == 0)
            sigma_z = 1; /* every sigma_i is 0: the limits sit on the centre line whatever sigma_z */
    }
    g->mean = opt->per * cbar;
    g->has_limits = !isnan(cbar) && !isnan(sigma_z);
    if (!g->has_limits) {
        no_limits(g);
        return 0;
    }
    for (size_t i = g->start; i < g->end; i++)
        sigma[i] *= opt->per * sigma_z;
    /* The group's own lines are those of its last point that has them (for summaries). */
    no_limits(g);
    g->has_limits = true;
    for (size_t i = g->end; i-- > g->start;) {
        if (present(sigma[i])) {
            struct spc_lines l;
            spc_lines_in(res, g, i, &l);
            g->lpl = l.lpl;
            g->upl = l.upl;
            g->near_lpl = l.near_lpl;
            g->near_upl = l.near_upl;
            break;
        }
    }
    return 0;
}

int spc_chart_group(const double *v, const double *y, const double *den, struct spc_group *g, size_t basis_end,
                    const struct spc_options *opt, struct spc_result *res)
{
    switch (opt->chart) {
    case SPC_CHART_C:
        c_group(y, g, basis_end, opt->per);
        return 0;
    case SPC_CHART_G:
        return g_group(y, g, basis_end, opt->per);
    case SPC_CHART_T:
        return t_group(y, g, basis_end, opt);
    case SPC_CHART_RUN:
        no_limits(g);
        return spc_median(v, g->start, basis_end, &g->mean);
    default:
        return ratio_group(v, y, den, g, basis_end, opt, res);
    }
}

void spc_point_lines(const struct spc_result *res, size_t i, struct spc_lines *out)
{
    size_t lo = 0, hi = res->n_groups; /* the last group starting at or before i */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (res->groups[mid].start <= i)
            lo = mid;
        else
            hi = mid;
    }
    spc_lines_in(res, &res->groups[lo], i, out);
}
