/* Fuzzer for the SPC engine: bytes become values (some missing) and options; every result must
 * be complete and consistent, for XmR and then for the chart type data[3] names. */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "purpose/spc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    struct spc_options opt;
    spc_options_default(&opt);
    opt.improvement = (enum spc_improvement)(data[0] % 3);
    opt.screen_outliers = data[1] & 1;
    opt.has_target = data[1] & 2;
    opt.target = data[2];
    opt.fix_after = (data[1] & 4) ? 12 + data[3] % 8 : 0;
    size_t n = size - 4;
    double y[4096];
    size_t breaks[8], n_breaks = 0;
    if (n > 4096)
        n = 4096;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = data[4 + i];
        y[i] = b == 255 ? NAN : (double)(b % 32);
        if (b == 254 && i > 0 && n_breaks < 8 && (n_breaks == 0 || breaks[n_breaks - 1] < i))
            breaks[n_breaks++] = i;
    }
    struct spc_result res;
    spc_result_init(&res);
    struct purpose_err err;
    if (spc_xmr(y, n, breaks, n_breaks, &opt, &res, &err) == 0) {
        for (size_t i = 0; i < n; i++)
            if ((res.rule[i] != SPC_RULE_NONE) != (res.point_type[i] != SPC_COMMON_CAUSE) ||
                (isnan(y[i]) && res.rule[i] != SPC_RULE_NONE))
                __builtin_trap();
        for (size_t g = 0; g < res.n_groups; g++)
            if (res.groups[g].has_limits && !(res.groups[g].lpl <= res.groups[g].mean && res.groups[g].mean <= res.groups[g].upl))
                __builtin_trap();
    }
    /* The same values on another chart type: counts (+1 for T, which needs times above 0), with
     * denominators at or above them for P and U. */
    opt.chart = (enum spc_chart)(data[3] % 9);
    opt.per = data[2] & 1 ? 100 : 1;
    bool needs_den = spc_chart_needs_denominator(opt.chart);
    double den[4096];
    for (size_t i = 0; i < n; i++) {
        if (opt.chart == SPC_CHART_T && !isnan(y[i]))
            y[i] += 1;
        den[i] = isnan(y[i]) ? NAN : y[i] + (double)(data[4 + (i * 7) % n] % 8) + 1;
    }
    if (spc_compute(y, needs_den ? den : NULL, n, breaks, n_breaks, &opt, &res, &err) == 0) {
        for (size_t i = 0; i < n; i++) {
            struct spc_lines l;
            spc_point_lines(&res, i, &l);
            if ((res.rule[i] != SPC_RULE_NONE) != (res.point_type[i] != SPC_COMMON_CAUSE) ||
                (isnan(y[i]) && res.rule[i] != SPC_RULE_NONE) || l.lpl > l.upl || l.near_lpl > l.near_upl ||
                (!isnan(l.upl) && !(l.lpl <= l.centre && l.centre <= l.upl)))
                __builtin_trap();
        }
        for (size_t g = 0; g < res.n_groups; g++)
            if (res.groups[g].runs.longest_run > res.groups[g].runs.useful)
                __builtin_trap();
    }
    spc_result_release(&res);
    return 0;
}
