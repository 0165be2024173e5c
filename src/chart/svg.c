#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart/svg_int.h"
#include "core/banned.h"

#define SVG_MAX_DOTS 2000   /* beyond this many dots the line alone reads better (and stays small) */
#define SVG_ICON_R 25.0
#define SVG_FONT_LINE 11.0  /* the value labels at the right end of the mean, limits and target */
#define SVG_FONT_LEGEND 12.0

static const char *svg_point_colour(enum spc_point_type t)
{
    switch (t) {
    case SPC_SPECIAL_IMPROVEMENT: return SVG_C_IMPROVEMENT;
    case SPC_SPECIAL_CONCERN: return SVG_C_CONCERN;
    case SPC_SPECIAL_NEUTRAL_HIGH:
    case SPC_SPECIAL_NEUTRAL_LOW: return SVG_C_NEUTRAL;
    default: return SVG_C_COMMON;
    }
}

static const char *svg_point_class(enum spc_point_type t)
{
    switch (t) {
    case SPC_SPECIAL_IMPROVEMENT: return "imp";
    case SPC_SPECIAL_CONCERN: return "con";
    case SPC_SPECIAL_NEUTRAL_HIGH: return "neu-high";
    case SPC_SPECIAL_NEUTRAL_LOW: return "neu-low";
    default: return "cc";
    }
}

static int svg_check(const struct chart_series *s, struct purpose_err *err)
{
    if (!s || !s->title || !s->y_label || !s->res || !s->opt)
        return purpose_errf(err, "chart: series is missing its title, y label, result or options");
    if (s->n && (!s->y || !s->x_text))
        return purpose_errf(err, "chart: series has %zu points but no y or x text", s->n);
    if (s->res->n_points != s->n)
        return purpose_errf(err, "chart: result has %zu points, series %zu", s->res->n_points, s->n);
    if (s->x_kind != CHART_X_LABEL) {
        if (s->n && !s->x_value)
            return purpose_errf(err, "chart: numeric or date x without x values");
        for (size_t i = 0; i < s->n; i++)
            if (!isfinite(s->x_value[i]))
                return purpose_errf(err, "chart: point %zu: x is not a finite number", i + 1);
    }
    for (size_t i = 0; i < s->n; i++)
        if (!s->x_text[i])
            return purpose_errf(err, "chart: point %zu has no x text", i + 1);
    return 0;
}

static const struct spc_group *svg_last_group(const struct chart_series *s)
{
    return s->res->n_groups ? &s->res->groups[s->res->n_groups - 1] : NULL;
}

/* Range every drawn value must fit in: data, means, limits, target. */
static int svg_y_range(const struct chart_series *s, double *lo, double *hi)
{
    *lo = INFINITY, *hi = -INFINITY;
    int any = 0;
#define SVG_TAKE(v)                          \
    do {                                     \
        double v_ = (v);                     \
        if (isfinite(v_)) {                  \
            *lo = v_ < *lo ? v_ : *lo;       \
            *hi = v_ > *hi ? v_ : *hi;       \
        }                                    \
    } while (0)
    for (size_t i = 0; i < s->n; i++) {
        any |= isfinite(s->y[i]);
        SVG_TAKE(s->y[i]);
    }
    for (size_t k = 0; k < s->res->n_groups; k++) {
        const struct spc_group *g = &s->res->groups[k];
        SVG_TAKE(g->mean);
        if (g->has_limits) {
            SVG_TAKE(g->lpl);
            SVG_TAKE(g->upl);
        }
    }
    if (s->opt->has_target)
        SVG_TAKE(s->opt->target);
#undef SVG_TAKE
    if (!(*hi >= *lo))
        *lo = 0, *hi = 1;
    return any;
}

static void svg_x_domain(struct svg_chart *c)
{
    const struct chart_series *s = c->s;
    if (s->x_kind == CHART_X_LABEL || s->n == 0) {
        /* Half a step of room at each end so the first and last dots clear the frame. */
        c->x_lo = -0.5;
        c->x_hi = s->n ? (double)s->n - 0.5 : 0.5;
        return;
    }
    double lo = s->x_value[0], hi = s->x_value[0];
    for (size_t i = 1; i < s->n; i++) {
        lo = s->x_value[i] < lo ? s->x_value[i] : lo;
        hi = s->x_value[i] > hi ? s->x_value[i] : hi;
    }
    double pad = hi > lo ? (hi - lo) * 0.025 : (lo != 0 ? fabs(lo) * 0.1 : 1);
    c->x_lo = lo - pad;
    c->x_hi = hi + pad;
    if (!(c->x_hi > c->x_lo)) /* pad lost to rounding at huge magnitudes */
        c->x_lo = lo - 1, c->x_hi = lo + 1;
}

/* Labels at the right end of the last group's lines, pushed apart so none touch. */
struct svg_end_label {
    double y;
    const char *colour;
    char text[64];
};

static size_t svg_end_labels(const struct svg_chart *c, struct svg_end_label *out)
{
    const struct chart_series *s = c->s;
    const struct spc_group *g = svg_last_group(s);
    size_t n = 0;
    char v[32];
    if (g && isfinite(g->mean)) {
        if (g->has_limits) {
            svg_num(v, sizeof v, g->upl);
            out[n].y = g->upl, out[n].colour = SVG_C_MUTED;
            snprintf(out[n++].text, sizeof out->text, "Upper %s", v);
        }
        svg_num(v, sizeof v, g->mean);
        out[n].y = g->mean, out[n].colour = SVG_C_TEXT;
        snprintf(out[n++].text, sizeof out->text, "Mean %s", v);
        if (g->has_limits) {
            svg_num(v, sizeof v, g->lpl);
            out[n].y = g->lpl, out[n].colour = SVG_C_MUTED;
            snprintf(out[n++].text, sizeof out->text, "Lower %s", v);
        }
    }
    if (s->opt->has_target) {
        svg_num(v, sizeof v, s->opt->target);
        out[n].y = s->opt->target, out[n].colour = SVG_C_TARGET;
        snprintf(out[n++].text, sizeof out->text, "Target %s", v);
    }
    return n;
}

static void svg_end_labels_draw(const struct svg_chart *c, struct svg_end_label *l, size_t n)
{
    const double gap = SVG_FONT_LINE + 3;
    for (size_t k = 0; k < n; k++)
        l[k].y = svg_y(c, l[k].y);
    for (size_t k = 1; k < n; k++) /* insertion sort by y: at most four labels */
        for (size_t j = k; j > 0 && l[j].y < l[j - 1].y; j--) {
            struct svg_end_label t = l[j];
            l[j] = l[j - 1];
            l[j - 1] = t;
        }
    for (size_t k = 1; k < n; k++)
        if (l[k].y < l[k - 1].y + gap)
            l[k].y = l[k - 1].y + gap;
    if (n && l[n - 1].y > c->bottom + 4) {
        l[n - 1].y = c->bottom + 4;
        for (size_t k = n - 1; k-- > 0;)
            if (l[k].y > l[k + 1].y - gap)
                l[k].y = l[k + 1].y - gap;
    }
    buf_printf(c->out, "<g class=\"line-labels\" font-size=\"%.0f\">\n", SVG_FONT_LINE);
    for (size_t k = 0; k < n; k++) {
        buf_printf(c->out, "<text class=\"line-label\" x=\"%.2f\" y=\"%.2f\" dy=\"0.35em\" fill=\"%s\">",
                   c->right + 6, l[k].y, l[k].colour);
        svg_text(c->out, l[k].text, 0);
        buf_puts(c->out, "</text>\n");
    }
    buf_puts(c->out, "</g>\n");
}

static void svg_hline(struct buf *b, const char *cls, double x1, double x2, double y, const char *colour,
                      double width, const char *dash)
{
    buf_printf(b, "<line class=\"%s\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" "
                  "stroke-width=\"%.2f\"", cls, x1, x2, y, y, colour, width);
    if (dash)
        buf_printf(b, " stroke-dasharray=\"%s\"", dash);
    buf_puts(b, "/>\n");
}

/* Each group's mean and limits span its own points, meeting the next group's at the divider
 * halfway between the two groups' neighbouring points. */
static void svg_group_lines(const struct svg_chart *c)
{
    const struct chart_series *s = c->s;
    struct buf *b = c->out;
    buf_puts(b, "<g class=\"limits\" fill=\"none\">\n");
    for (size_t k = 0; k < s->res->n_groups; k++) {
        const struct spc_group *g = &s->res->groups[k];
        if (g->end <= g->start)
            continue;
        double xl = k == 0 ? svg_x(c, g->start) : (svg_x(c, g->start - 1) + svg_x(c, g->start)) / 2;
        double xr = g->end >= s->n ? svg_x(c, g->end - 1) : (svg_x(c, g->end - 1) + svg_x(c, g->end)) / 2;
        if (xr - xl < 12) { /* a one-point group still shows its level */
            double mid = (xl + xr) / 2;
            xl = mid - 6, xr = mid + 6;
        }
        if (k > 0)
            buf_printf(b, "<line class=\"rebase\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\" "
                          "stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"2 4\"/>\n",
                       xl, xl, c->top, c->bottom, SVG_C_MUTED);
        if (g->has_limits) {
            svg_hline(b, "limit upl", xl, xr, svg_y(c, g->upl), SVG_C_MUTED, 1.25, "7 4");
            svg_hline(b, "limit lpl", xl, xr, svg_y(c, g->lpl), SVG_C_MUTED, 1.25, "7 4");
        }
        if (isfinite(g->mean))
            svg_hline(b, "mean", xl, xr, svg_y(c, g->mean), SVG_C_TEXT, 1.5, NULL);
    }
    if (s->opt->has_target && s->n)
        svg_hline(b, "target", c->left, c->right, svg_y(c, s->opt->target), SVG_C_TARGET, 2, "12 4 3 4");
    buf_puts(b, "</g>\n");
}

static void svg_data(const struct svg_chart *c, size_t n_values)
{
    const struct chart_series *s = c->s;
    struct buf *b = c->out;
    /* One path, lifted over each missing value: a gap is never bridged (spc.md). */
    buf_printf(b, "<path class=\"data\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.2f\" "
                  "stroke-linejoin=\"round\" d=\"", SVG_C_MUTED, n_values > 500 ? 1.0 : 1.5);
    int pen = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (!isfinite(s->y[i])) {
            pen = 0;
            continue;
        }
        buf_printf(b, "%c%.2f %.2f", pen ? 'L' : 'M', svg_x(c, i), svg_y(c, s->y[i]));
        pen = 1;
    }
    buf_puts(b, "\"/>\n");

    size_t n_special = 0;
    for (size_t i = 0; i < s->n; i++)
        n_special += isfinite(s->y[i]) && s->res->point_type[i] != SPC_COMMON_CAUSE;
    int all = n_values <= SVG_MAX_DOTS;
    if (!all && n_special > SVG_MAX_DOTS)
        return;
    double r = n_values <= 60 ? 4.5 : n_values <= 200 ? 3.2 : n_values <= 600 ? 2.4 : 1.8;
    buf_puts(b, "<g class=\"points\" stroke=\"#FFFFFF\" stroke-width=\"0.8\">\n");
    for (size_t i = 0; i < s->n; i++) {
        enum spc_point_type t = s->res->point_type[i];
        if (!isfinite(s->y[i]) || (!all && t == SPC_COMMON_CAUSE))
            continue;
        buf_printf(b, "<circle class=\"pt %s\" cx=\"%.2f\" cy=\"%.2f\" r=\"%.1f\" fill=\"%s\"/>\n",
                   svg_point_class(t), svg_x(c, i), svg_y(c, s->y[i]), r, svg_point_colour(t));
    }
    buf_puts(b, "</g>\n");
}

/* The legend: only what this chart draws. Wraps to a second row rather than run into the icons;
 * returns the y below it. */
static double svg_legend(const struct svg_chart *c, double x0, double y, double x_max)
{
    const struct chart_series *s = c->s;
    struct item {
        const char *text, *colour, *dash;
        int dot;
    } items[8];
    size_t n = 0;
    int neutral = s->opt->improvement == SPC_NEUTRAL, limits = 0;
    for (size_t k = 0; k < s->res->n_groups; k++)
        limits |= s->res->groups[k].has_limits;
    items[n++] = (struct item){"Common cause", SVG_C_COMMON, NULL, 1};
    if (neutral) {
        items[n++] = (struct item){"Special cause", SVG_C_NEUTRAL, NULL, 1};
    } else {
        items[n++] = (struct item){"Improvement", SVG_C_IMPROVEMENT, NULL, 1};
        items[n++] = (struct item){"Concern", SVG_C_CONCERN, NULL, 1};
    }
    items[n++] = (struct item){"Mean", SVG_C_TEXT, NULL, 0};
    if (limits)
        items[n++] = (struct item){"Process limits", SVG_C_MUTED, "7 4", 0};
    if (s->opt->has_target)
        items[n++] = (struct item){"Target", SVG_C_TARGET, "12 4 3 4", 0};
    if (s->res->n_groups > 1)
        items[n++] = (struct item){"Rebase", SVG_C_MUTED, "2 4", 0};

    struct buf *b = c->out;
    buf_printf(b, "<g class=\"legend\" font-size=\"%.0f\" fill=\"%s\">\n", SVG_FONT_LEGEND, SVG_C_TEXT);
    double x = x0;
    for (size_t k = 0; k < n; k++) {
        double w = 26 + svg_text_width(items[k].text, SVG_FONT_LEGEND);
        if (x > x0 && x + w > x_max) {
            x = x0;
            y += 20;
        }
        if (items[k].dot) {
            buf_printf(b, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"5\" fill=\"%s\"/>\n", x + 8, y,
                       items[k].colour);
        } else if (strcmp(items[k].text, "Rebase") == 0) {
            buf_printf(b, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" "
                          "stroke-width=\"1.5\" stroke-dasharray=\"2 4\"/>\n",
                       x + 8, x + 8, y - 7, y + 7, items[k].colour);
        } else {
            buf_printf(b, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" "
                          "stroke-width=\"2\"%s%s%s/>\n",
                       x, x + 18, y, y, items[k].colour, items[k].dash ? " stroke-dasharray=\"" : "",
                       items[k].dash ? items[k].dash : "", items[k].dash ? "\"" : "");
        }
        buf_printf(b, "<text x=\"%.2f\" y=\"%.2f\" dy=\"0.35em\">", x + 23, y);
        svg_text(b, items[k].text, 0);
        buf_puts(b, "</text>\n");
        x += w + 10;
    }
    buf_puts(b, "</g>\n");
    return y + 12;
}

static void svg_x_words(const struct chart_series *s, size_t i, char *tmp, size_t n, struct buf *b)
{
    if (s->x_kind == CHART_X_DATE) {
        svg_date(tmp, n, s->x_value[i], SVG_DATE_DAY);
        svg_text(b, tmp, 0);
    } else {
        svg_text(b, s->x_text[i], 0);
    }
}

/* The text a screen reader gives for the chart: what a board member would read off it. */
static void svg_desc(const struct chart_series *s, struct buf *b)
{
    char tmp[64], v1[32], v2[32], v3[32];
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
    if (s->n == 1) {
        buf_puts(b, "1 point, at ");
        svg_x_words(s, 0, tmp, sizeof tmp, b);
    } else {
        buf_printf(b, "%zu points from ", s->n);
        svg_x_words(s, 0, tmp, sizeof tmp, b);
        buf_puts(b, " to ");
        svg_x_words(s, s->n - 1, tmp, sizeof tmp, b);
    }
    if (missing)
        buf_printf(b, ", %zu without a value", missing);
    buf_puts(b, ".");
    if (missing == s->n) {
        buf_puts(b, " No point has a value.");
        return;
    }
    const struct spc_group *g = svg_last_group(s);
    if (s->res->n_groups > 1) {
        buf_printf(b, " Rebased %zu time%s, last at ", s->res->n_groups - 1, s->res->n_groups > 2 ? "s" : "");
        svg_x_words(s, g->start, tmp, sizeof tmp, b);
        buf_puts(b, "; since then");
    }
    svg_num(v1, sizeof v1, g->mean);
    if (!isfinite(g->mean)) {
        buf_puts(b, s->res->n_groups > 1 ? " no value." : " No value.");
    } else if (g->has_limits) {
        svg_num(v2, sizeof v2, g->lpl);
        svg_num(v3, sizeof v3, g->upl);
        buf_printf(b, "%s %s, process limits %s to %s.", s->res->n_groups > 1 ? " mean" : " Mean", v1, v2, v3);
        if (g->trial)
            buf_puts(b, " These are trial limits, from 12 values or fewer.");
    } else {
        buf_printf(b, "%s %s; too few values for process limits.", s->res->n_groups > 1 ? " mean" : " Mean", v1);
    }
    if (s->opt->has_target) {
        svg_num(v1, sizeof v1, s->opt->target);
        buf_printf(b, " Target %s.", v1);
    }
    if (s->opt->improvement == SPC_NEUTRAL)
        buf_printf(b, " %zu point%s show%s special cause variation.", neu, neu == 1 ? "" : "s", neu == 1 ? "s" : "");
    else if (imp || con)
        buf_printf(b, " Special cause: %zu point%s of improvement, %zu of concern.", imp, imp == 1 ? "" : "s", con);
    buf_puts(b, " Variation: ");
    svg_text(b, svg_variation_words(s->res->variation), 0);
    buf_puts(b, ".");
    if (s->res->assurance != SPC_ASSURANCE_NONE) {
        buf_puts(b, " Assurance: ");
        svg_text(b, svg_assurance_words(s->res->assurance), 0);
        buf_puts(b, ".");
    }
}

static const char *svg_direction_words(enum spc_improvement imp)
{
    return imp == SPC_INCREASE ? "Higher is better" : imp == SPC_DECREASE ? "Lower is better"
                                                                          : "Neither direction is better";
}

int chart_svg(struct buf *out, const struct chart_series *s, struct purpose_err *err)
{
    if (svg_check(s, err) < 0)
        return -1;
    struct svg_chart c = {.s = s, .out = out, .date_style = svg_date_style_of(s)};
    size_t n_values = 0;
    for (size_t i = 0; i < s->n; i++)
        n_values += isfinite(s->y[i]);
    double lo, hi;
    svg_y_range(s, &lo, &hi);
    const char *title = s->title[0] ? s->title : s->y_label[0] ? s->y_label : "SPC chart";

    /* Header band: title and subtitle left, icons right, legend below. */
    double icon_cx = SVG_W - 24 - SVG_ICON_R;
    int assured = s->res->assurance != SPC_ASSURANCE_NONE;
    double icons_left = icon_cx - SVG_ICON_R - (assured ? 2 * SVG_ICON_R + 18 : 0);

    buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
                    "height=\"%.0f\" role=\"img\" aria-labelledby=\"purpose-chart-title purpose-chart-desc\" "
                    "font-family=\"Arial, 'Liberation Sans', Helvetica, sans-serif\">\n",
               SVG_W, SVG_H, SVG_W, SVG_H);
    buf_puts(out, "<title id=\"purpose-chart-title\">");
    svg_text(out, title, 0);
    buf_puts(out, "</title>\n<desc id=\"purpose-chart-desc\">");
    svg_desc(s, out);
    buf_puts(out, "</desc>\n");
    buf_printf(out, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#FFFFFF\"/>\n", SVG_W, SVG_H);

    buf_printf(out, "<text class=\"title\" x=\"24\" y=\"36\" font-size=\"20\" font-weight=\"bold\" fill=\"%s\">",
               SVG_C_TEXT);
    svg_text(out, title, svg_text_fit(title, 20, icons_left - 40));
    buf_puts(out, "</text>\n");
    {
        char sub[160];
        const struct spc_group *g = svg_last_group(s);
        snprintf(sub, sizeof sub, "%s \xC2\xB7 %zu point%s%s", svg_direction_words(s->opt->improvement), s->n,
                 s->n == 1 ? "" : "s", g && g->has_limits && g->trial ? " \xC2\xB7 trial limits" : "");
        buf_printf(out, "<text class=\"subtitle\" x=\"24\" y=\"58\" font-size=\"13\" fill=\"%s\">", SVG_C_MUTED);
        svg_text(out, sub, 0);
        buf_puts(out, "</text>\n");
    }
    if (s->n && n_values) {
        if (assured) {
            svg_icon_variation(out, icon_cx - 2 * SVG_ICON_R - 18, 38, SVG_ICON_R, s->res->variation);
            svg_icon_assurance(out, icon_cx, 38, SVG_ICON_R, s->res->assurance);
        } else {
            svg_icon_variation(out, icon_cx, 38, SVG_ICON_R, s->res->variation);
        }
    }
    double legend_bottom = svg_legend(&c, 24, 86, icons_left - 12);

    /* Plot area: y labels fix the left margin, the line labels the right, x labels the bottom.
     * Two passes, since the y ticks depend on the height the x labels leave. */
    struct svg_end_label ends[4];
    size_t n_ends = svg_end_labels(&c, ends);
    double end_w = 0;
    for (size_t k = 0; k < n_ends; k++) {
        double w = svg_text_width(ends[k].text, SVG_FONT_LINE);
        end_w = w > end_w ? w : end_w;
    }
    c.top = legend_bottom + 18;
    c.right = SVG_W - (n_ends ? end_w + 12 : 24);
    struct svg_yticks yt;
    struct svg_xticks xt;
    svg_x_domain(&c);
    double bottom = SVG_H - 60;
    for (int pass = 0; pass < 2; pass++) {
        svg_yticks_make(&yt, lo, hi, bottom - c.top);
        c.left = (s->y_label[0] ? 36 : 12) + yt.label_w + 10;
        svg_xticks_make(&c, &xt);
        bottom = SVG_H - 12 - xt.height;
    }
    c.bottom = bottom;
    c.y_lo = yt.lo;
    c.y_hi = yt.hi;

    svg_yaxis_draw(&c, &yt);
    if (n_values) {
        svg_group_lines(&c);
        svg_data(&c, n_values);
        svg_end_labels_draw(&c, ends, n_ends);
    } else {
        buf_printf(out, "<text class=\"empty\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" font-size=\"16\" "
                        "fill=\"%s\">No values to chart</text>\n",
                   (c.left + c.right) / 2, (c.top + c.bottom) / 2, SVG_C_MUTED);
    }
    svg_xaxis_draw(&c, &xt);
    buf_puts(out, "</svg>\n");
    if (out->failed)
        return purpose_errf(err, "chart: the SVG does not fit in %zu bytes", out->limit);
    return 0;
}
