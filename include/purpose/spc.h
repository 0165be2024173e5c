#ifndef PURPOSE_SPC_H
#define PURPOSE_SPC_H

/* The Making Data Count SPC engine: XmR (individuals) charts and the other chart types (run, P,
 * P', U, U', C, G, T) with NHS England's special-cause rules, the Anhoej runs analysis, point
 * types, and variation and assurance icons. Pure computation: no I/O, no globals, thread-safe.
 * The rules are set out in docs/spc.md. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "purpose/err.h"

enum spc_improvement { SPC_INCREASE, SPC_DECREASE, SPC_NEUTRAL };

enum spc_point_type {
    SPC_COMMON_CAUSE,
    SPC_SPECIAL_IMPROVEMENT,
    SPC_SPECIAL_CONCERN,
    SPC_SPECIAL_NEUTRAL_HIGH,
    SPC_SPECIAL_NEUTRAL_LOW,
};

/* In order of precedence after SPC_RULE_NONE: outside limits > trend > two in three > shift. */
enum spc_rule {
    SPC_RULE_NONE,
    SPC_RULE_ABOVE_UPL,
    SPC_RULE_BELOW_LPL,
    SPC_RULE_TREND_INCREASING,
    SPC_RULE_TREND_DECREASING,
    SPC_RULE_TWO_IN_THREE_HIGH,
    SPC_RULE_TWO_IN_THREE_LOW,
    SPC_RULE_SHIFT_ABOVE,
    SPC_RULE_SHIFT_BELOW,
    SPC_RULE_LONG_RUN_ABOVE, /* run charts only: a run longer than the Anhoej limit */
    SPC_RULE_LONG_RUN_BELOW,
};
#define SPC_RULE_COUNT (SPC_RULE_LONG_RUN_BELOW + 1)

/* Chart types (spec: "The other chart types"; the reference for all but XmR is qicharts2). */
enum spc_chart {
    SPC_CHART_XMR, /* individuals: mean +- 2.66 MRbar */
    SPC_CHART_RUN, /* median, no limits; the Anhoej rules flag points */
    SPC_CHART_P,   /* proportion: numerator / denominator, limits vary with the denominator */
    SPC_CHART_PP,  /* Laney P': P with sigma widened by the spread of the z-scores */
    SPC_CHART_U,   /* rate: numerator / denominator, limits vary with the denominator */
    SPC_CHART_UP,  /* Laney U' */
    SPC_CHART_C,   /* counts: mean +- 3 sqrt(mean) */
    SPC_CHART_G,   /* opportunities between rare events: median; limits from the mean */
    SPC_CHART_T,   /* time between rare events: XmR on y^(1/3.6), back-transformed */
};

/* True for the chart types whose y is numerator / denominator and need a denominator. */
bool spc_chart_needs_denominator(enum spc_chart c);
/* True for the chart types whose limits vary point by point (P, P', U, U'). */
bool spc_chart_limits_vary(enum spc_chart c);

enum spc_variation {
    SPC_VAR_COMMON_CAUSE,
    SPC_VAR_IMPROVEMENT_HIGH,
    SPC_VAR_IMPROVEMENT_LOW,
    SPC_VAR_CONCERN_HIGH,
    SPC_VAR_CONCERN_LOW,
    SPC_VAR_NEUTRAL_HIGH,
    SPC_VAR_NEUTRAL_LOW,
};

enum spc_assurance {
    SPC_ASSURANCE_NONE, /* no target, neutral direction, or no limits */
    SPC_ASSURANCE_CONSISTENT_PASS,
    SPC_ASSURANCE_CONSISTENT_FAIL,
    SPC_ASSURANCE_INCONSISTENT,
};

struct spc_options {
    enum spc_improvement improvement;
    bool has_target;
    double target;
    size_t fix_after;     /* 0: limits from every value; N >= 12: from each group's first N values */
    bool screen_outliers; /* MDC default: true */
    enum spc_chart chart; /* default SPC_CHART_XMR */
    double per;           /* multiplies values, centre and limits (100 for %); default 1 */
    bool runs;            /* compute each group's runs analysis (default true; run charts always do):
                           * off saves a pass over the points when nobody reads it */
    bool last_only;       /* default false. When true (not on run charts), the special-cause rules
                           * and point types are computed only around the last point with a value,
                           * which decides the variation icon; every other point's rule and
                           * point_type are left unwritten. For a summary: saves a pass of the
                           * rules over every point. Limits, variation and assurance are the same. */
};

/* Sensible defaults: XmR, increase, no target, no fix-after, outliers screened, per 1, runs, every
 * point's rules. */
void spc_options_default(struct spc_options *opt);

/* The Anhoej runs analysis of one group against its centre line. Useful values are those with a
 * value that are not on the centre line; missing values and values on the line are skipped (they
 * neither break nor extend a run), as qicharts2 does. */
struct spc_runs {
    size_t useful;
    size_t longest_run, longest_run_max; /* max = round(log2(useful)) + 3 (half to even); 0 if none */
    size_t crossings, crossings_min;     /* min = qbinom(0.05, useful - 1, 0.5); 0 if none */
    bool signal;                         /* longest_run > longest_run_max or crossings < crossings_min */
};

/* One baseline: the points [start, end) share a centre line (and, except for P and U charts,
 * limits). */
struct spc_group {
    size_t start, end;
    size_t n;        /* points with a value in the group */
    size_t n_basis;  /* values the mean and limits were computed from (fix-after may make it < n) */
    bool has_limits; /* false on run charts, and when the group has too little to compute them
                      * (XmR, T, P', U': no moving range; C, G, P, U: no value) */
    bool trial;      /* the group has 12 values or fewer: trial limits (MDC advises 15-20) */
    double mean;     /* the centre line (the median for run and G charts); NaN when no value */
    /* NaN when !has_limits. When the limits vary point by point (P, U), these are those of the
     * group's last point that has limits; spc_point_lines gives every point's own. */
    double lpl, upl, near_lpl, near_upl;
    struct spc_runs runs; /* all 0 when opt->runs was off */
};

/* Results for one series. The arrays are owned by the result and grow to fit; a result can be
 * reused for many series (spc_xmr and spc_compute overwrite it) and is freed with
 * spc_result_release.
 *
 * To draw a chart: the value of point i is spc_result_values(res, y)[i]; its centre line and
 * limits are spc_point_lines(res, i, &lines), which is constant within a group except on P, P',
 * U and U' charts (limits_vary: draw the limits as steps, one level per point). Run charts have
 * a centre line (the median) and no limits (NaN). */
struct spc_result {
    enum spc_chart chart;
    size_t n_points;
    /* The charted value per point (numerator / denominator, times per), NaN = missing; NULL when
     * the values are the input y unchanged (XmR and the other types without a denominator and
     * with per 1). */
    double *value;
    /* P, P', U, U': each point's sigma (times per; Laney's sigma_z included), NaN when the point
     * has no denominator. NULL for the other types. Read it through spc_point_lines. */
    double *sigma;
    bool limits_vary;
    double per;
    uint8_t *point_type; /* enum spc_point_type, per point */
    uint8_t *rule;       /* enum spc_rule, per point */
    size_t n_groups;
    struct spc_group *groups;
    enum spc_variation variation; /* from the last point with a value */
    enum spc_assurance assurance; /* from the last group */
    double *values_mem; /* owns value and sigma */
    size_t cap_points, cap_groups, cap_values;
};

/* The values to chart: the computed ones, or the input y when they are unchanged. */
static inline const double *spc_result_values(const struct spc_result *res, const double *y)
{
    return res->value ? res->value : y;
}

/* One point's lines; NaN where undefined (a run chart's limits, a T chart's lower 2-sigma line
 * when the transformed one is below 0, a point without a denominator). */
struct spc_lines {
    double centre, lpl, upl, near_lpl, near_upl;
};

/* Fills the lines in force at point i (i < res->n_points). */
void spc_point_lines(const struct spc_result *res, size_t i, struct spc_lines *out);

/* Computes an XmR chart over y[0..n) in chart order, whatever opt->chart says (spc_compute with
 * SPC_CHART_XMR and no denominator). A NaN y is a missing value; every other y must be finite.
 * breaks[0..n_breaks) are the indices at which a new group starts: strictly increasing, each in
 * 1..n-1. Returns 0, or -1 with err filled (bad argument, out of memory). */
int spc_xmr(const double *y, size_t n, const size_t *breaks, size_t n_breaks,
            const struct spc_options *opt, struct spc_result *res, struct purpose_err *err);

/* Computes a chart of type opt->chart over n points in chart order. For the types that need a
 * denominator (spc_chart_needs_denominator), y holds the numerators and den the denominators;
 * for XmR and run charts den is optional (then y = numerator / denominator); for C, G and T it
 * must be NULL. A NaN in y or den is a missing point. Input rules (spec): a denominator must be
 * > 0, a numerator >= 0, and for P and P' no more than its denominator; C and G refuse y < 0, T
 * refuses y <= 0. opt->fix_after with breaks is refused for every type but XmR. Returns 0, or -1
 * with err filled (naming the point, counted from 1). */
int spc_compute(const double *y, const double *den, size_t n, const size_t *breaks, size_t n_breaks,
                const struct spc_options *opt, struct spc_result *res, struct purpose_err *err);

void spc_result_init(struct spc_result *res);
void spc_result_release(struct spc_result *res);

/* The names used in every output format (CSV, JSON, the API). */
const char *spc_improvement_name(enum spc_improvement v);
const char *spc_point_type_name(enum spc_point_type v);
const char *spc_rule_name(enum spc_rule v);
const char *spc_variation_name(enum spc_variation v);
const char *spc_assurance_name(enum spc_assurance v); /* "" for none */
const char *spc_chart_name(enum spc_chart v);

/* Parses a chart type name ("xmr", "run", "p", "pp", "u", "up", "c", "g", "t"); 0 or -1. */
int spc_chart_parse(const char *s, enum spc_chart *out);

/* Parses "increase" / "decrease" / "neutral"; returns 0 or -1. */
int spc_improvement_parse(const char *s, enum spc_improvement *out);

#endif
