/* The text a screen reader gives for a chart (chart_int.h): what a board member would read off it. */
#include <math.h>
#include <stdio.h>

#include "chart/chart_int.h"
#include "core/banned.h"

static void lay_x_words(const struct chart_series *s, size_t i, char *tmp, size_t n, struct buf *b)
{
    if (s->x_kind == CHART_X_DATE) {
        chart_date(tmp, n, s->x_value[i], CHART_DATE_DAY);
        buf_puts(b, tmp);
    } else {
        buf_puts(b, s->x_text[i]);
    }
}

/* "N points from X to Y, M without a value." */
static void desc_span(const struct chart_series *s, size_t missing, struct buf *b)
{
    char tmp[64];
    if (s->n == 1) {
        buf_puts(b, "1 point, at ");
        lay_x_words(s, 0, tmp, sizeof tmp, b);
    } else {
        buf_printf(b, "%zu points from ", s->n);
        lay_x_words(s, 0, tmp, sizeof tmp, b);
        buf_puts(b, " to ");
        lay_x_words(s, s->n - 1, tmp, sizeof tmp, b);
    }
    if (missing)
        buf_printf(b, ", %zu without a value", missing);
    buf_puts(b, ".");
}

/* The last group's centre line and process limits, after when it was last rebased. */
static void desc_centre(const struct chart_series *s, struct buf *b)
{
    char tmp[64], v1[32], v2[32], v3[32];
    const struct spc_group *g = chart_last_group(s);
    if (s->res->n_groups > 1) {
        buf_printf(b, " Rebased %zu time%s, last at ", s->res->n_groups - 1, s->res->n_groups > 2 ? "s" : "");
        lay_x_words(s, g->start, tmp, sizeof tmp, b);
        buf_puts(b, "; since then");
    }
    chart_num(v1, sizeof v1, g->mean);
    char centre[16];
    snprintf(centre, sizeof centre, "%s", chart_centre_name(s));
    if (s->res->n_groups > 1 && centre[0] >= 'A' && centre[0] <= 'Z')
        centre[0] = (char)(centre[0] - 'A' + 'a');
    if (!isfinite(g->mean)) {
        buf_puts(b, s->res->n_groups > 1 ? " no value." : " No value.");
    } else if (chart_centre_only(s)) {
        buf_printf(b, " %s %s; a run chart has no process limits.", centre, v1);
    } else if (g->has_limits) {
        chart_num(v2, sizeof v2, g->lpl);
        chart_num(v3, sizeof v3, g->upl);
        if (s->res->limits_vary)
            buf_printf(b, " %s %s; the process limits vary with each point's denominator, at the last %s to %s.",
                       centre, v1, v2, v3);
        else
            buf_printf(b, " %s %s, process limits %s to %s.", centre, v1, v2, v3);
        if (g->trial)
            buf_puts(b, " These are trial limits, from 12 values or fewer.");
    } else {
        buf_printf(b, " %s %s; too few values for process limits.", centre, v1);
    }
}

void chart_layout_desc(const struct chart_series *s, struct buf *b)
{
    char v1[32];
    size_t missing = 0, imp = 0, con = 0, neu = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (!isfinite(s->y[i])) {
            missing++;
            continue;
        }
        switch (s->res->point_type[i]) {
        case SPC_SPECIAL_IMPROVEMENT: imp++; break;
        case SPC_SPECIAL_CONCERN: con++; break;
        case SPC_SPECIAL_NEUTRAL_HIGH:
        case SPC_SPECIAL_NEUTRAL_LOW: neu++; break;
        default: break;
        }
    }
    if (s->n == 0) {
        buf_puts(b, "No points to chart.");
        return;
    }
    desc_span(s, missing, b);
    if (missing == s->n) {
        buf_puts(b, " No point has a value.");
        return;
    }
    desc_centre(s, b);
    if (s->opt->has_target) {
        chart_num(v1, sizeof v1, s->opt->target);
        buf_printf(b, " Target %s.", v1);
    }
    if (s->opt->improvement == SPC_NEUTRAL)
        buf_printf(b, " %zu point%s show%s special cause variation.", neu, neu == 1 ? "" : "s", neu == 1 ? "s" : "");
    else if (imp || con)
        buf_printf(b, " Special cause: %zu point%s of improvement, %zu of concern.", imp, imp == 1 ? "" : "s", con);
    buf_puts(b, " Variation: ");
    buf_puts(b, chart_variation_words(s->res->variation));
    buf_puts(b, ".");
    if (s->res->assurance != SPC_ASSURANCE_NONE) {
        buf_puts(b, " Assurance: ");
        buf_puts(b, chart_assurance_words(s->res->assurance));
        buf_puts(b, ".");
    }
}
