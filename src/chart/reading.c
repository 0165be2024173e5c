/* The plain-English reading of a chart (reading.h). The words follow NHS England's Making Data
 * Count guidance on reading SPC charts: special cause is named by the rule that found it, and a
 * target inside the process limits "will be hit and missed at random". */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart/chart_int.h"
#include "chart/reading.h"
#include "core/banned.h"

void chart_value_text(char *out, size_t n, double v, const char *unit)
{
    char num[48];
    chart_num(num, sizeof num, v);
    if (!unit || !*unit)
        snprintf(out, n, "%s", num);
    else if (strcmp(unit, "%") == 0)
        snprintf(out, n, "%s%%", num);
    else
        snprintf(out, n, "%s %s", num, unit);
}

void chart_x_words(char *out, size_t n, const struct chart_series *s, size_t i)
{
    if (s->x_kind == CHART_X_DATE) {
        chart_date(out, n, s->x_value[i], chart_date_style_of(s));
    } else {
        struct buf b;
        buf_init(&b, n > 1 ? n - 1 : 1);
        chart_text_plain(&b, s->x_text[i], 40);
        snprintf(out, n, "%s", b.data && !b.failed ? b.data : "?");
        buf_release(&b);
    }
}

static const char *rd_kind(enum spc_point_type t)
{
    switch (t) {
    case SPC_SPECIAL_IMPROVEMENT: return "special cause improvement";
    case SPC_SPECIAL_CONCERN: return "special cause concern";
    case SPC_SPECIAL_NEUTRAL_HIGH:
    case SPC_SPECIAL_NEUTRAL_LOW: return "special cause variation, neither improvement nor concern";
    default: return "common cause variation";
    }
}

static const char *rd_centre(const struct chart_series *s)
{
    return strcmp(chart_centre_name(s), "Median") == 0 ? "median" : "mean";
}

/* Which rule fired on the latest points, and how many of the latest points it covers. */
static void rd_variation(struct buf *b, const struct chart_series *s, size_t last)
{
    const struct spc_result *r = s->res;
    enum spc_point_type t = (enum spc_point_type)r->point_type[last];
    enum spc_rule rule = (enum spc_rule)r->rule[last];
    size_t run = 0; /* the latest points flagged alike; a missing value ends the run (spc.md) */
    for (size_t i = last + 1; i-- > 0 && isfinite(s->y[i]) && r->point_type[i] == t;)
        run++;
    const char *side = NULL;
    switch (rule) {
    case SPC_RULE_SHIFT_ABOVE:
    case SPC_RULE_SHIFT_BELOW:
        side = rule == SPC_RULE_SHIFT_ABOVE ? "above" : "below";
        buf_printf(b, " The last %zu points are %s the %s: %s.", run, side, rd_centre(s), rd_kind(t));
        return;
    case SPC_RULE_TREND_INCREASING:
    case SPC_RULE_TREND_DECREASING:
        buf_printf(b, " The last %zu points have each %s: a trend, %s.", run,
                   rule == SPC_RULE_TREND_INCREASING ? "risen" : "fallen", rd_kind(t));
        chart_notes_reading(b, s, last + 1 - run, "trend");
        return;
    case SPC_RULE_ABOVE_UPL:
        buf_printf(b, " The latest point is above the upper process limit: %s.", rd_kind(t));
        return;
    case SPC_RULE_BELOW_LPL:
        buf_printf(b, " The latest point is below the lower process limit: %s.", rd_kind(t));
        return;
    case SPC_RULE_LONG_RUN_ABOVE:
    case SPC_RULE_LONG_RUN_BELOW:
        buf_printf(b, " The last %zu points are %s the median, a longer run than chance alone gives: %s.", run,
                   rule == SPC_RULE_LONG_RUN_ABOVE ? "above" : "below", rd_kind(t));
        return;
    case SPC_RULE_TWO_IN_THREE_HIGH:
    case SPC_RULE_TWO_IN_THREE_LOW:
        buf_printf(b, " Two of the last three points are close to the %s process limit: %s.",
                   rule == SPC_RULE_TWO_IN_THREE_HIGH ? "upper" : "lower", rd_kind(t));
        return;
    default:
        if (t != SPC_COMMON_CAUSE) { /* a rule of another chart type */
            buf_printf(b, " The latest point shows %s (%s).", rd_kind(t), spc_rule_name(rule));
            return;
        }
        break;
    }
    buf_puts(b, " The latest point shows common cause variation: nothing has changed significantly.");
    const struct spc_group *g = &r->groups[r->n_groups - 1];
    size_t imp = 0, con = 0, neu = 0;
    for (size_t i = g->start; i < g->end; i++) {
        imp += r->point_type[i] == SPC_SPECIAL_IMPROVEMENT;
        con += r->point_type[i] == SPC_SPECIAL_CONCERN;
        neu += r->point_type[i] == SPC_SPECIAL_NEUTRAL_HIGH || r->point_type[i] == SPC_SPECIAL_NEUTRAL_LOW;
    }
    if (imp && con)
        buf_printf(b, " Earlier, %zu point%s showed special cause improvement and %zu concern.", imp,
                   imp == 1 ? "" : "s", con);
    else if (imp || con)
        buf_printf(b, " Earlier, %zu point%s showed special cause %s.", imp + con, imp + con == 1 ? "" : "s",
                   imp ? "improvement" : "concern");
    else if (neu)
        buf_printf(b, " Earlier, %zu point%s showed special cause variation.", neu, neu == 1 ? "" : "s");
}

/* The centre and limits the latest point is judged against. */
static void rd_limits(struct buf *b, const struct chart_series *s, const char *unit, double centre, double lo,
                      double hi)
{
    const struct spc_result *r = s->res;
    const struct spc_group *g = &r->groups[r->n_groups - 1];
    char v1[64], v2[64], v3[64], x[64];
    if (r->n_groups > 1) {
        chart_x_words(x, sizeof x, s, g->start);
        buf_printf(b, " Since the change at %s, the", x);
    } else {
        buf_puts(b, " The");
    }
    chart_value_text(v1, sizeof v1, centre, unit);
    if (chart_centre_only(s)) {
        buf_printf(b, " median is %s. A run chart has no process limits: it shows shifts and trends, not "
                      "single unusual points.", v1);
        return;
    }
    if (!isfinite(lo) || !isfinite(hi)) {
        buf_printf(b, " %s is %s, from too few values for process limits.", rd_centre(s), v1);
        return;
    }
    if (lo == hi) {
        buf_printf(b, " %s is %s and the process limits equal it (consecutive values do not vary), so any "
                      "value off it is special cause.", rd_centre(s), v1);
        return;
    }
    /* "from 83.4% to 95.4%", but "from 10,199 to 13,765 attendances" */
    chart_value_text(v2, sizeof v2, lo, unit && strcmp(unit, "%") == 0 ? unit : "");
    chart_value_text(v3, sizeof v3, hi, unit);
    if (r->limits_vary)
        buf_printf(b, " %s is %s. The process limits vary with each point's denominator; for the latest, values "
                      "from %s to %s are expected from common cause variation alone.", rd_centre(s), v1, v2, v3);
    else
        buf_printf(b, " %s is %s; values from %s to %s are expected from common cause variation alone.",
                   rd_centre(s), v1, v2, v3);
    if (g->trial)
        buf_printf(b, " These are trial limits, from only %zu values.", g->n);
}

/* The Anhoej runs analysis of the latest group, when it signals (spc.md): too long a run on one
 * side of the centre line, or too few crossings of it. */
static void rd_runs(struct buf *b, const struct chart_series *s)
{
    const struct spc_runs *ru = &s->res->groups[s->res->n_groups - 1].runs;
    if (!ru->signal || ru->useful == 0)
        return;
    if (ru->longest_run > ru->longest_run_max)
        buf_printf(b, " The runs analysis finds a run of %zu points on one side of the %s, more than the %zu "
                      "chance allows: the process has shifted.", ru->longest_run, rd_centre(s), ru->longest_run_max);
    else
        buf_printf(b, " The runs analysis finds the values cross the %s only %zu times, fewer than the %zu "
                      "expected by chance: the process has shifted or drifted.", rd_centre(s), ru->crossings,
                   ru->crossings_min);
}

/* P and U charts on large denominators have limits too narrow for the variation between points
 * (over-dispersion): most points fall outside them. Laney's P' and U' allow for it (spc.md). */
static void rd_overdispersion(struct buf *b, const struct chart_series *s)
{
    enum spc_chart c = s->res->chart;
    if (c != SPC_CHART_P && c != SPC_CHART_U)
        return;
    size_t outside = 0, values = 0;
    for (size_t i = 0; i < s->n; i++) {
        double centre, lo, hi;
        chart_point_lines(s, i, &centre, &lo, &hi);
        if (!isfinite(s->y[i]) || !isfinite(lo) || !isfinite(hi))
            continue;
        values++;
        outside += s->y[i] < lo || s->y[i] > hi;
    }
    if (values >= 12 && outside * 3 > values)
        buf_printf(b, " %zu of the %zu points lie outside their limits: with denominators this large the limits are "
                      "narrow, and a %s chart, which allows for the variation between points, may read better.",
                   outside, values, c == SPC_CHART_P ? "P\xE2\x80\xB2" : "U\xE2\x80\xB2");
}

static void rd_assurance(struct buf *b, const struct chart_series *s, const char *unit)
{
    const struct spc_options *o = s->opt;
    if (!o->has_target)
        return;
    char t[64];
    chart_value_text(t, sizeof t, o->target, unit);
    int up = o->improvement == SPC_INCREASE;
    switch (s->res->assurance) {
    case SPC_ASSURANCE_INCONSISTENT:
        buf_printf(b, " The target of %s lies inside the process limits, so it will be hit and missed at random.", t);
        break;
    case SPC_ASSURANCE_CONSISTENT_FAIL:
        buf_printf(b, " The target of %s lies %s the %s process limit, so it will not be met without a change "
                      "to the process.", t, up ? "above" : "below", up ? "upper" : "lower");
        break;
    case SPC_ASSURANCE_CONSISTENT_PASS:
        buf_printf(b, " The target of %s lies %s the %s process limit, so it will be met consistently unless "
                      "the process changes.", t, up ? "below" : "above", up ? "lower" : "upper");
        break;
    case SPC_ASSURANCE_NONE:
        if (o->improvement == SPC_NEUTRAL)
            buf_printf(b, " There is a target of %s, but neither direction is better, so there is no assurance.", t);
        else
            buf_printf(b, " Without process limits, whether the target of %s will be met cannot be judged.", t);
        break;
    }
}

void chart_reading(struct buf *out, const struct chart_series *s, const char *unit)
{
    size_t last = s->n;
    while (last > 0 && !isfinite(s->y[last - 1]))
        last--;
    if (last == 0 || !s->res || s->res->n_groups == 0) {
        buf_puts(out, "No point has a value yet.");
        return;
    }
    last--;
    const struct spc_group *g = &s->res->groups[s->res->n_groups - 1];
    char v[64], x[64];
    chart_value_text(v, sizeof v, s->y[last], unit);
    chart_x_words(x, sizeof x, s, last);
    buf_printf(out, "The latest value is %s (%s).", v, x);
    double centre, lo, hi;
    chart_point_lines(s, last, &centre, &lo, &hi);
    if (!isfinite(centre))
        centre = g->mean;
    rd_variation(out, s, last);
    chart_notes_shift(out, s, last);
    rd_limits(out, s, unit, centre, lo, hi);
    rd_runs(out, s);
    rd_overdispersion(out, s);
    rd_assurance(out, s, unit);
}
