/* The celebration rule (include/purpose/celebrate.h): a sustained special-cause improvement at
 * the end of the chart, large enough that noise almost never makes one. */
#include <math.h>

#include "purpose/celebrate.h"
#include "core/banned.h"

bool spc_celebrate(const struct spc_result *res, const double *y, const struct spc_options *opt)
{
    if (!res || !opt || res->n_points == 0 || res->n_groups == 0 || opt->improvement == SPC_NEUTRAL ||
        res->chart == SPC_CHART_RUN)
        return false;
    const double *v = spc_result_values(res, y);
    const struct spc_group *g = &res->groups[res->n_groups - 1];
    const double better = opt->improvement == SPC_INCREASE ? 1 : -1;
    size_t i = res->n_points, k = 0;
    while (i > g->start && !isfinite(v[i - 1])) /* the latest point is the last with a value */
        i--;
    double z = 0;
    for (; i > g->start && k < SPC_CELEBRATE_POINTS; i--, k++) {
        if (!isfinite(v[i - 1]) || res->point_type[i - 1] != SPC_SPECIAL_IMPROVEMENT)
            return false; /* a gap or an ordinary point: not sustained */
        struct spc_lines l;
        spc_point_lines(res, i - 1, &l);
        double sigma = fabs((better > 0 ? l.upl : l.lpl) - l.centre) / 3;
        if (!isfinite(sigma) || !(sigma > 0))
            return false;
        z += better * (v[i - 1] - l.centre) / sigma;
    }
    return k == SPC_CELEBRATE_POINTS && z / SPC_CELEBRATE_POINTS >= SPC_CELEBRATE_SIGMA;
}
