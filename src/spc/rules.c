/* The four MDC special-cause rules. Each pass writes its rule over the points it flags, from the
 * lowest precedence to the highest, so the winner is what remains:
 * outside limits > trend > two in three > shift. No rule looks outside its group, and a missing
 * value breaks every run, trend and window. */
#include <math.h>
#include <string.h>

#include "spc/spc_int.h"

#define RUN_LENGTH 7 /* MDC: 7 points make a shift or a trend */

/* Every comparison with a missing value (NaN) is false, so a gap is on neither side of the mean,
 * takes no step and lies in no band: it breaks runs, trends and windows with no special case.
 * The loops below are written without data-dependent branches: on noisy data a branch per point
 * would be mispredicted about half the time. */

static int side_of(double v, double ref) { return (v > ref) - (v < ref); }

/* Marks the run of RUN_LENGTH points ending at i (the first time a run reaches that length). */
static void mark_back(uint8_t *rule, size_t i, size_t count, uint8_t value)
{
    for (size_t k = i + 1 - count; k <= i; k++)
        rule[k] = value;
}

/* Shift: 7 or more consecutive points on one side of the mean; a point on the mean breaks it. */
static void mark_shifts(const double *y, const struct spc_group *g, uint8_t *rule)
{
    const double mean = g->mean;
    const size_t end = g->end;
    size_t run = 0;
    int prev = 0;
    for (size_t i = g->start; i < end; i++) {
        int side = side_of(y[i], mean);
        run = (size_t)(side != 0) * ((size_t)(side == prev) * run + 1);
        prev = side;
        uint8_t value = side > 0 ? SPC_RULE_SHIFT_ABOVE : SPC_RULE_SHIFT_BELOW;
        if (run == RUN_LENGTH)
            mark_back(rule, i, RUN_LENGTH, value);
        rule[i] = run >= RUN_LENGTH ? value : rule[i];
    }
}

/* Two in three: in a window of 3 consecutive points all on one side of the mean, 2 or more lie
 * between that side's 2-sigma line and its process limit; only those points are flagged.
 * Each point is classified once and the window slides over the classes. A missing value is
 * neither above nor below the mean, so no window holding one can flag anything. */
enum { ABOVE = 1, BELOW = 2, HIGH_BAND = 4, LOW_BAND = 8 };

static unsigned band_of(double v, const struct spc_group *g)
{
    return (v > g->mean ? ABOVE : 0) | (v < g->mean ? BELOW : 0) |
           (v > g->near_upl && v <= g->upl ? HIGH_BAND : 0) | (v < g->near_lpl && v >= g->lpl ? LOW_BAND : 0);
}

static void mark_two_in_three(const double *y, const struct spc_group *g, uint8_t *rule)
{
    if (g->end - g->start < 3)
        return;
    unsigned c[3] = {0, band_of(y[g->start], g), band_of(y[g->start + 1], g)};
    for (size_t i = g->start; i + 3 <= g->end; i++) {
        c[0] = c[1];
        c[1] = c[2];
        c[2] = band_of(y[i + 2], g);
        unsigned all = c[0] & c[1] & c[2];
        int high = !!(c[0] & HIGH_BAND) + !!(c[1] & HIGH_BAND) + !!(c[2] & HIGH_BAND);
        int low = !!(c[0] & LOW_BAND) + !!(c[1] & LOW_BAND) + !!(c[2] & LOW_BAND);
        bool hit_high = ((all & ABOVE) != 0) & (high >= 2), hit_low = ((all & BELOW) != 0) & (low >= 2);
        if (!(hit_high | hit_low))
            continue; /* the usual case, kept to one predictable branch */
        for (size_t k = 0; k < 3; k++) {
            if (hit_high && (c[k] & HIGH_BAND))
                rule[i + k] = SPC_RULE_TWO_IN_THREE_HIGH;
            if (hit_low && (c[k] & LOW_BAND))
                rule[i + k] = SPC_RULE_TWO_IN_THREE_LOW;
        }
    }
}

static bool is_trend(uint8_t r) { return r == SPC_RULE_TREND_INCREASING || r == SPC_RULE_TREND_DECREASING; }

/* Trend: 7 or more points each strictly above (or below) the one before, on y alone.
 * Direction (spec, golden cases g03/g04): a trend point whose next point is also a trend point
 * takes the sign of its own step forward; any other takes the sign of the step that reached it.
 * Positive is increasing; zero or negative is decreasing. */
static void mark_trends(const double *y, const struct spc_group *g, uint8_t *rule)
{
    if (g->end - g->start < RUN_LENGTH)
        return;
    /* Pass 1: membership. steps counts same-signed steps ending at i; 6 of them make 7 points. */
    const size_t end = g->end;
    size_t steps = 0;
    int prev = 0;
    for (size_t i = g->start + 1; i < end; i++) {
        int sign = side_of(y[i], y[i - 1]);
        steps = (size_t)(sign != 0) * ((size_t)(sign == prev) * steps + 1);
        prev = sign;
        if (steps == RUN_LENGTH - 1)
            mark_back(rule, i, RUN_LENGTH, SPC_RULE_TREND_INCREASING);
        rule[i] = steps >= RUN_LENGTH - 1 ? SPC_RULE_TREND_INCREASING : rule[i];
    }
    /* Pass 2: direction. */
    for (size_t i = g->start; i < end; i++) {
        if (!is_trend(rule[i]))
            continue;
        double step;
        if (i + 1 < end && is_trend(rule[i + 1]))
            step = y[i + 1] - y[i];
        else
            step = y[i] - y[i - 1]; /* i is the end of a run of at least 7, so i - 1 is in it */
        rule[i] = step > 0 ? SPC_RULE_TREND_INCREASING : SPC_RULE_TREND_DECREASING;
    }
}

/* The same two rules where the limits vary point by point (P, P', U, U'): each point is judged
 * against its own lines. The centre line is the group's, so shifts and trends are unchanged. */
static unsigned band_at(double v, const struct spc_lines *l)
{
    return (v > l->centre ? ABOVE : 0) | (v < l->centre ? BELOW : 0) |
           (v > l->near_upl && v <= l->upl ? HIGH_BAND : 0) | (v < l->near_lpl && v >= l->lpl ? LOW_BAND : 0);
}

static void mark_varying(const double *y, const struct spc_result *res, const struct spc_group *g, uint8_t *rule)
{
    unsigned c[3] = {0, 0, 0};
    for (size_t i = g->start; i < g->end; i++) {
        struct spc_lines l;
        spc_lines_in(res, g, i, &l);
        c[0] = c[1];
        c[1] = c[2];
        c[2] = band_at(y[i], &l);
        if (i >= g->start + 2) {
            unsigned all = c[0] & c[1] & c[2];
            int high = !!(c[0] & HIGH_BAND) + !!(c[1] & HIGH_BAND) + !!(c[2] & HIGH_BAND);
            int low = !!(c[0] & LOW_BAND) + !!(c[1] & LOW_BAND) + !!(c[2] & LOW_BAND);
            bool hit_high = (all & ABOVE) && high >= 2, hit_low = (all & BELOW) && low >= 2;
            for (size_t k = 0; k < 3 && (hit_high || hit_low); k++) {
                if (hit_high && (c[k] & HIGH_BAND))
                    rule[i - 2 + k] = SPC_RULE_TWO_IN_THREE_HIGH;
                if (hit_low && (c[k] & LOW_BAND))
                    rule[i - 2 + k] = SPC_RULE_TWO_IN_THREE_LOW;
            }
        }
    }
}

static void mark_outside_varying(const double *y, const struct spc_result *res, const struct spc_group *g,
                                 uint8_t *rule)
{
    for (size_t i = g->start; i < g->end; i++) {
        struct spc_lines l;
        spc_lines_in(res, g, i, &l);
        if (y[i] < l.lpl)
            rule[i] = SPC_RULE_BELOW_LPL;
        if (y[i] > l.upl)
            rule[i] = SPC_RULE_ABOVE_UPL;
    }
}

/* Outside the process limits, strictly. */
static void mark_outside(const double *y, const struct spc_group *g, uint8_t *rule)
{
    const double lpl = g->lpl, upl = g->upl;
    const size_t end = g->end;
    for (size_t i = g->start; i < end; i++) {
        uint8_t r = rule[i];
        r = y[i] < lpl ? SPC_RULE_BELOW_LPL : r;
        r = y[i] > upl ? SPC_RULE_ABOVE_UPL : r;
        rule[i] = r;
    }
}

void spc_group_rules(const double *y, const struct spc_result *res, const struct spc_group *group, uint8_t *rule)
{
    memset(rule + group->start, SPC_RULE_NONE, group->end - group->start);
    if (!group->has_limits)
        return; /* documented: a group without limits (one value) gets no flags */
    /* A local copy: the compiler must otherwise assume each store through rule may change *group
     * and reload its fields on every point. */
    const struct spc_group copy = *group, *g = &copy;
    mark_shifts(y, g, rule);
    if (res->limits_vary)
        mark_varying(y, res, g, rule);
    else
        mark_two_in_three(y, g, rule);
    mark_trends(y, g, rule);
    if (res->limits_vary)
        mark_outside_varying(y, res, g, rule);
    else
        mark_outside(y, g, rule);
}
