#ifndef PURPOSE_SPC_H
#define PURPOSE_SPC_H

/* The Making Data Count SPC engine: XmR (individuals) charts with NHS England's special-cause
 * rules, point types, and variation and assurance icons. Pure computation: no I/O, no globals,
 * thread-safe. The rules are set out in docs/spc.md. */

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
};

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
};

/* Sensible defaults: increase, no target, no fix-after, outliers screened. */
void spc_options_default(struct spc_options *opt);

/* One baseline: the points [start, end) share a mean and limits. */
struct spc_group {
    size_t start, end;
    size_t n;        /* points with a value in the group */
    size_t n_basis;  /* values the mean and limits were computed from (fix-after may make it < n) */
    bool has_limits; /* false when no moving range exists (e.g. a one-value group) */
    bool trial;      /* the group has 12 values or fewer: trial limits (MDC advises 15-20) */
    double mean;     /* NaN when the group has no value */
    double lpl, upl, near_lpl, near_upl; /* NaN when !has_limits */
};

/* Results for one series. The arrays are owned by the result and grow to fit; a result can be
 * reused for many series (spc_xmr overwrites it) and is freed with spc_result_release. */
struct spc_result {
    size_t n_points;
    uint8_t *point_type; /* enum spc_point_type, per point */
    uint8_t *rule;       /* enum spc_rule, per point */
    size_t n_groups;
    struct spc_group *groups;
    enum spc_variation variation; /* from the last point with a value */
    enum spc_assurance assurance; /* from the last group */
    size_t cap_points, cap_groups;
};

/* Computes an XmR chart over y[0..n) in chart order. A NaN y is a missing value; every other y
 * must be finite. breaks[0..n_breaks) are the indices at which a new group starts: strictly
 * increasing, each in 1..n-1. Returns 0, or -1 with err filled (bad argument, out of memory). */
int spc_xmr(const double *y, size_t n, const size_t *breaks, size_t n_breaks,
            const struct spc_options *opt, struct spc_result *res, struct purpose_err *err);

void spc_result_init(struct spc_result *res);
void spc_result_release(struct spc_result *res);

/* The names used in every output format (CSV, JSON, the API). */
const char *spc_improvement_name(enum spc_improvement v);
const char *spc_point_type_name(enum spc_point_type v);
const char *spc_rule_name(enum spc_rule v);
const char *spc_variation_name(enum spc_variation v);
const char *spc_assurance_name(enum spc_assurance v); /* "" for none */

/* Parses "increase" / "decrease" / "neutral"; returns 0 or -1. */
int spc_improvement_parse(const char *s, enum spc_improvement *out);

#endif
