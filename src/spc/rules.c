/* The four MDC special-cause rules. Each pass writes its rule over the points it flags, from the
 * lowest precedence to the highest, so the winner is what remains:
 * outside limits > trend > two in three > shift. No rule looks outside its group, and a missing
 * value breaks every run, trend and window. */
#include <math.h>

#include "spc/spc_int.h"

#define RUN_LENGTH 7 /* MDC: 7 points make a shift or a trend */

static bool present(double v) { return !isnan(v); }

static int side_of(double v, double mean) { return (v > mean) - (v < mean); }

/* Shift: 7 or more consecutive points on one side of the mean; a point on the mean breaks it. */
static void mark_shifts(const double *y, const struct spc_group *g, uint8_t *rule)
{
    size_t run_start = g->start;
    int run_side = 0;
    for (size_t i = g->start; i <= g->end; i++) {
        int side = (i < g->end && present(y[i])) ? side_of(y[i], g->mean) : 0;
        if (i < g->end && side != 0 && side == run_side)
            continue;
        if (run_side != 0 && i - run_start >= RUN_LENGTH)
            for (size_t k = run_start; k < i; k++)
                rule[k] = run_side > 0 ? SPC_RULE_SHIFT_ABOVE : SPC_RULE_SHIFT_BELOW;
        run_start = i;
        run_side = side;
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
        for (size_t k = 0; k < 3; k++) {
            if ((all & ABOVE) && high >= 2 && (c[k] & HIGH_BAND))
                rule[i + k] = SPC_RULE_TWO_IN_THREE_HIGH;
            if ((all & BELOW) && low >= 2 && (c[k] & LOW_BAND))
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
    /* Pass 1: membership. A run of same-signed steps d(a..b) flags points a..b+1. */
    size_t run_start = g->start;
    int run_sign = 0;
    for (size_t i = g->start; i + 1 <= g->end; i++) {
        int sign = 0;
        if (i + 1 < g->end && present(y[i]) && present(y[i + 1]))
            sign = side_of(y[i + 1], y[i]);
        if (i + 1 < g->end && sign != 0 && sign == run_sign)
            continue;
        if (run_sign != 0 && i - run_start >= RUN_LENGTH - 1)
            for (size_t k = run_start; k <= i; k++)
                rule[k] = SPC_RULE_TREND_INCREASING;
        run_start = i;
        run_sign = sign;
    }
    /* Pass 2: direction. */
    for (size_t i = g->start; i < g->end; i++) {
        if (!is_trend(rule[i]))
            continue;
        double step;
        if (i + 1 < g->end && is_trend(rule[i + 1]))
            step = y[i + 1] - y[i];
        else
            step = y[i] - y[i - 1]; /* i is the end of a run of at least 7, so i - 1 is in it */
        rule[i] = step > 0 ? SPC_RULE_TREND_INCREASING : SPC_RULE_TREND_DECREASING;
    }
}

/* Outside the process limits, strictly. */
static void mark_outside(const double *y, const struct spc_group *g, uint8_t *rule)
{
    for (size_t i = g->start; i < g->end; i++) {
        if (!present(y[i]))
            continue;
        if (y[i] > g->upl)
            rule[i] = SPC_RULE_ABOVE_UPL;
        else if (y[i] < g->lpl)
            rule[i] = SPC_RULE_BELOW_LPL;
    }
}

void spc_group_rules(const double *y, const struct spc_group *g, uint8_t *rule)
{
    for (size_t i = g->start; i < g->end; i++)
        rule[i] = SPC_RULE_NONE;
    if (!g->has_limits)
        return; /* documented: a group without limits (one value) gets no flags */
    mark_shifts(y, g, rule);
    mark_two_in_three(y, g, rule);
    mark_trends(y, g, rule);
    mark_outside(y, g, rule);
}
