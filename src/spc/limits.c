#include <math.h>

#include "spc/spc_int.h"

static bool present(double v) { return !isnan(v); }

size_t spc_group_basis(const double *y, struct spc_group *g, const struct spc_options *opt)
{
    g->n = 0;
    for (size_t i = g->start; i < g->end; i++)
        g->n += present(y[i]);
    g->trial = g->n <= 12; /* spec: a group with 12 values or fewer has trial limits */

    /* --fix-after N: the basis is the group's first N values; the limits apply to all of it. */
    size_t basis_end = g->end;
    g->n_basis = g->n;
    if (opt->fix_after > 0 && g->n > opt->fix_after) {
        size_t seen = 0;
        for (size_t i = g->start; i < g->end; i++) {
            if (present(y[i]) && ++seen == opt->fix_after) {
                basis_end = i + 1;
                break;
            }
        }
        g->n_basis = opt->fix_after;
    }
    return basis_end;
}

double spc_mrbar(const double *y, size_t from, size_t to, bool screen)
{
    /* Moving ranges only between neighbours that both have a value: a gap is never bridged. */
    double mr_sum = 0;
    size_t mr_n = 0;
    for (size_t i = from + 1; i < to; i++) {
        if (present(y[i]) && present(y[i - 1])) {
            mr_sum += fabs(y[i] - y[i - 1]);
            mr_n++;
        }
    }
    if (mr_n == 0)
        return NAN;
    double mrbar = mr_sum / (double)mr_n;
    if (!screen)
        return mrbar;
    /* MDC: drop moving ranges not below 3.267 x MRbar, then recompute MRbar once. */
    double cut = SPC_MR_SCREEN_FACTOR * mrbar, kept_sum = 0;
    size_t kept_n = 0;
    for (size_t i = from + 1; i < to; i++) {
        if (present(y[i]) && present(y[i - 1])) {
            double mr = fabs(y[i] - y[i - 1]);
            if (mr < cut) {
                kept_sum += mr;
                kept_n++;
            }
        }
    }
    return kept_n ? kept_sum / (double)kept_n : 0.0;
}

void spc_group_limits(const double *y, struct spc_group *g, const struct spc_options *opt)
{
    size_t basis_end = spc_group_basis(y, g, opt);
    double sum = 0;
    for (size_t i = g->start; i < basis_end; i++)
        if (present(y[i]))
            sum += y[i];
    g->mean = g->n_basis ? sum / (double)g->n_basis : NAN;

    double mrbar = spc_mrbar(y, g->start, basis_end, opt->screen_outliers);
    g->has_limits = !isnan(mrbar);
    if (!g->has_limits) {
        g->lpl = g->upl = g->near_lpl = g->near_upl = NAN;
        return;
    }
    double width = SPC_LIMIT_FACTOR * mrbar;
    g->lpl = g->mean - width;
    g->upl = g->mean + width;
    g->near_lpl = g->mean - width * 2.0 / 3.0;
    g->near_upl = g->mean + width * 2.0 / 3.0;
}
