/* spc_compute: one series of any chart type, from the input rules to the icons; the arithmetic
 * of each type is in limits.c (XmR) and charts.c (the others), the rules in rules.c and runs.c. */
#include <math.h>
#include <stdlib.h>

#include "spc/spc_int.h"
#include "core/mem.h"
#include "core/banned.h"

void spc_options_default(struct spc_options *opt)
{
    opt->improvement = SPC_INCREASE;
    opt->has_target = false;
    opt->target = 0;
    opt->fix_after = 0;
    opt->screen_outliers = true;
    opt->chart = SPC_CHART_XMR;
    opt->per = 1;
    opt->runs = true;
    opt->last_only = false;
}

void spc_result_init(struct spc_result *res)
{
    *res = (struct spc_result){0};
}

void spc_result_release(struct spc_result *res)
{
    free(res->point_type);
    free(res->rule);
    free(res->groups);
    free(res->values_mem);
    spc_result_init(res);
}

/* value and sigma share one allocation, kept from one series to the next. */
static int reserve_values(struct spc_result *res, size_t n, struct purpose_err *err)
{
    if (n > res->cap_values) {
        double *mem = realloc(res->values_mem, 2 * n * sizeof *mem);
        if (!mem)
            return purpose_errf(err, "out of memory for %zu points", n);
        res->values_mem = mem;
        res->cap_values = n;
    }
    return 0;
}

static int reserve(struct spc_result *res, size_t n, size_t n_groups, struct purpose_err *err)
{
    if (n > res->cap_points) {
        uint8_t *pt = realloc(res->point_type, n);
        if (!pt)
            return purpose_errf(err, "out of memory for %zu points", n);
        res->point_type = pt;
        uint8_t *ru = realloc(res->rule, n);
        if (!ru)
            return purpose_errf(err, "out of memory for %zu points", n);
        res->rule = ru;
        mem_hint_huge(pt, n);
        mem_hint_huge(ru, n);
        res->cap_points = n;
    }
    if (n_groups > res->cap_groups) {
        struct spc_group *g = realloc(res->groups, n_groups * sizeof *g);
        if (!g)
            return purpose_errf(err, "out of memory for %zu groups", n_groups);
        res->groups = g;
        res->cap_groups = n_groups;
    }
    return 0;
}

static enum spc_point_type point_type_of(enum spc_rule rule, enum spc_improvement imp)
{
    bool high;
    switch (rule) {
    case SPC_RULE_NONE:
        return SPC_COMMON_CAUSE;
    case SPC_RULE_ABOVE_UPL:
    case SPC_RULE_TREND_INCREASING:
    case SPC_RULE_TWO_IN_THREE_HIGH:
    case SPC_RULE_SHIFT_ABOVE:
    case SPC_RULE_LONG_RUN_ABOVE:
        high = true;
        break;
    default:
        high = false;
        break;
    }
    switch (imp) {
    case SPC_INCREASE:
        return high ? SPC_SPECIAL_IMPROVEMENT : SPC_SPECIAL_CONCERN;
    case SPC_DECREASE:
        return high ? SPC_SPECIAL_CONCERN : SPC_SPECIAL_IMPROVEMENT;
    default:
        return high ? SPC_SPECIAL_NEUTRAL_HIGH : SPC_SPECIAL_NEUTRAL_LOW;
    }
}

static enum spc_variation variation_of(enum spc_point_type pt, enum spc_improvement imp)
{
    switch (pt) {
    case SPC_SPECIAL_IMPROVEMENT:
        return imp == SPC_DECREASE ? SPC_VAR_IMPROVEMENT_LOW : SPC_VAR_IMPROVEMENT_HIGH;
    case SPC_SPECIAL_CONCERN:
        return imp == SPC_DECREASE ? SPC_VAR_CONCERN_HIGH : SPC_VAR_CONCERN_LOW;
    case SPC_SPECIAL_NEUTRAL_HIGH:
        return SPC_VAR_NEUTRAL_HIGH;
    case SPC_SPECIAL_NEUTRAL_LOW:
        return SPC_VAR_NEUTRAL_LOW;
    default:
        return SPC_VAR_COMMON_CAUSE;
    }
}

/* MDC assurance: can the process be relied on to meet the target? Strict comparisons: a target
 * exactly on a limit is inconsistent. */
static enum spc_assurance assurance_of(const struct spc_group *g, const struct spc_options *opt)
{
    if (!opt->has_target || opt->improvement == SPC_NEUTRAL || !g->has_limits)
        return SPC_ASSURANCE_NONE;
    bool above = opt->target > g->upl, below = opt->target < g->lpl;
    if (!above && !below)
        return SPC_ASSURANCE_INCONSISTENT;
    if (opt->improvement == SPC_INCREASE)
        return below ? SPC_ASSURANCE_CONSISTENT_PASS : SPC_ASSURANCE_CONSISTENT_FAIL;
    return above ? SPC_ASSURANCE_CONSISTENT_PASS : SPC_ASSURANCE_CONSISTENT_FAIL;
}

/* The input rules (spec): checked before anything is computed, so an error names the point. */
static bool is_p(enum spc_chart c) { return c == SPC_CHART_P || c == SPC_CHART_PP; }

static int check_input(const double *y, const double *den, size_t n, const struct spc_options *opt,
                       struct purpose_err *err)
{
    const enum spc_chart c = opt->chart;
    if (spc_chart_needs_denominator(c) && !den)
        return purpose_errf(err, "a %s chart needs a denominator", spc_chart_name(c));
    if (den && (c == SPC_CHART_C || c == SPC_CHART_G || c == SPC_CHART_T))
        return purpose_errf(err, "a %s chart takes no denominator", spc_chart_name(c));
    if (!(opt->per > 0) || isinf(opt->per))
        return purpose_errf(err, "per must be a finite number above 0");
    if (!den && c != SPC_CHART_C && c != SPC_CHART_G && c != SPC_CHART_T) {
        /* XmR and run charts of y: only infinities to refuse, in one tight loop */
        for (size_t i = 0; i < n; i++)
            if (isinf(y[i]))
                return purpose_errf(err, "point %zu: value is not a finite number", i + 1);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (isinf(y[i]) || (den && isinf(den[i])))
            return purpose_errf(err, "point %zu: value is not a finite number", i + 1);
        if (den && !isnan(den[i]) && !(den[i] > 0))
            return purpose_errf(err, "point %zu: denominator %g is not above 0", i + 1, den[i]);
        if (den && y[i] < 0)
            return purpose_errf(err, "point %zu: numerator %g is negative", i + 1, y[i]);
        if (den && is_p(c) && y[i] > den[i])
            return purpose_errf(err, "point %zu: numerator %g is above its denominator %g", i + 1, y[i], den[i]);
        if ((c == SPC_CHART_C || c == SPC_CHART_G) && y[i] < 0)
            return purpose_errf(err, "point %zu: %g is negative (a %s chart counts)", i + 1, y[i], spc_chart_name(c));
        if (c == SPC_CHART_T && !(y[i] > 0) && !isnan(y[i]))
            return purpose_errf(err, "point %zu: time %g is not above 0", i + 1, y[i]);
    }
    return 0;
}

int spc_compute(const double *y, const double *den, size_t n, const size_t *breaks, size_t n_breaks,
                const struct spc_options *opt, struct spc_result *res, struct purpose_err *err)
{
    for (size_t b = 0; b < n_breaks; b++) {
        if (breaks[b] == 0 || breaks[b] >= n || (b > 0 && breaks[b] <= breaks[b - 1]))
            return purpose_errf(err, "group break %zu at point %zu is out of order or range", b + 1, breaks[b]);
    }
    if (opt->fix_after != 0 && opt->fix_after < 12)
        return purpose_errf(err, "fix-after must be at least 12 (got %zu)", opt->fix_after);
    if ((unsigned)opt->chart > SPC_CHART_T)
        return purpose_errf(err, "unknown chart type %d", (int)opt->chart);
    if (opt->fix_after && n_breaks && opt->chart != SPC_CHART_XMR)
        return purpose_errf(err, "fix-after with rebasing is for XmR charts only");
    if (check_input(y, den, n, opt, err) < 0)
        return -1;
    const enum spc_chart chart = opt->chart;
    bool vary = spc_chart_limits_vary(chart);
    bool own_values = den || opt->per != 1;
    size_t n_groups = n ? n_breaks + 1 : 0;
    if (reserve(res, n, n_groups, err) < 0 || ((own_values || vary) && reserve_values(res, n, err) < 0))
        return -1;
    res->chart = chart;
    res->per = opt->per;
    res->limits_vary = vary;
    res->n_points = n;
    res->n_groups = n_groups;
    res->variation = SPC_VAR_COMMON_CAUSE;
    res->assurance = SPC_ASSURANCE_NONE;
    res->value = own_values ? res->values_mem : NULL;
    res->sigma = vary && res->values_mem ? res->values_mem + res->cap_values : NULL; /* none when n is 0 */
    double *value = res->value;
    if (value) {
        for (size_t i = 0; i < n; i++)
            value[i] = (den ? y[i] / den[i] : y[i]) * opt->per; /* NaN in, NaN out */
    }
    const double *v = value ? value : y;

    /* An XmR chart's spread is the moving range: two finite values far enough apart overflow it,
     * and the limits would silently collapse onto the mean. */
    size_t last = SIZE_MAX;
    for (size_t k = 0; chart == SPC_CHART_XMR && k < n; k++) {
        if (isnan(v[k]))
            continue;
        if (last != SIZE_MAX && isinf(v[k] - v[last]))
            return purpose_errf(err, "the values are too large to chart: the moving range between points %zu and %zu "
                                     "overflows", last + 1, k + 1);
        last = k;
    }
    /* last_only: the rules decide nothing but the last valued point's type, and every rule looks
     * back at most RULES_REACH points from a point (a gap breaks every run and window), so they
     * run over that many points before it only. */
    bool tail = opt->last_only && chart != SPC_CHART_RUN;
    size_t last_valued = n;
    while (tail && last_valued > 0 && isnan(v[last_valued - 1]))
        last_valued--;
    size_t tail_from = last_valued > RULES_REACH ? last_valued - RULES_REACH : 0;
    for (size_t k = 0; k < n_groups; k++) {
        struct spc_group *g = &res->groups[k];
        g->start = k == 0 ? 0 : breaks[k - 1];
        g->end = k == n_breaks ? n : breaks[k];
        if (chart == SPC_CHART_XMR) {
            spc_group_limits(v, g, opt);
        } else {
            size_t basis_end = spc_group_basis(v, g, opt);
            if (spc_chart_group(v, y, den, g, basis_end, opt, res) < 0)
                return purpose_errf(err, "out of memory for %zu points", n);
        }
        if (opt->runs || chart == SPC_CHART_RUN)
            spc_group_runs(v, g);
        else
            g->runs = (struct spc_runs){0};
        if (tail && (last_valued <= g->start || last_valued > g->end)) {
            /* not the group of the last valued point: its rules are not needed */
        } else if (tail) {
            struct spc_group window = *g;
            window.start = tail_from > g->start ? tail_from : g->start;
            spc_group_rules(v, res, &window, res->rule);
        } else {
            spc_group_rules(v, res, g, res->rule);
        }
        if (chart == SPC_CHART_RUN)
            spc_mark_long_runs(v, g, res->rule);
        /* Values near the largest double make a sum or a moving range overflow: never an
         * infinite line, an input error. */
        bool bad = g->n > 0 && !isfinite(g->mean); /* NaN lines are "no line", never an overflow */
        bad = bad || (g->has_limits && (isinf(g->lpl) || isinf(g->upl) || isinf(g->near_lpl) || isinf(g->near_upl)));
        if (bad)
            return purpose_errf(err, "the values are too large to chart: group %zu's %s", k + 1,
                                isfinite(g->mean) ? "limits overflow" : "centre line overflows");
    }
    /* Per point a table look-up: the type depends only on the rule and the improvement. */
    uint8_t type_of_rule[SPC_RULE_COUNT];
    for (int r = SPC_RULE_NONE; r < SPC_RULE_COUNT; r++)
        type_of_rule[r] = (uint8_t)point_type_of((enum spc_rule)r, opt->improvement);
    size_t typed_from = tail ? (last_valued ? last_valued - 1 : n) : 0, typed_to = tail ? last_valued : n;
    for (size_t i = typed_from; i < typed_to; i++)
        res->point_type[i] = type_of_rule[res->rule[i]];

    for (size_t i = n; i-- > 0;) {
        if (!isnan(v[i])) {
            res->variation = variation_of(res->point_type[i], opt->improvement);
            break;
        }
    }
    if (n_groups)
        res->assurance = assurance_of(&res->groups[n_groups - 1], opt);
    return 0;
}

int spc_xmr(const double *y, size_t n, const size_t *breaks, size_t n_breaks,
            const struct spc_options *opt, struct spc_result *res, struct purpose_err *err)
{
    struct spc_options xmr = *opt;
    xmr.chart = SPC_CHART_XMR;
    return spc_compute(y, NULL, n, breaks, n_breaks, &xmr, res, err);
}
