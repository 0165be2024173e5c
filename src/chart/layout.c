/* The chart laid out once: header, legend, axes, lines, points, labels and icons (layout.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart/chart_int.h"
#include "core/banned.h"

#define LAY_MAX_DOTS 2000   /* beyond this many dots the line alone reads better (and stays small) */
#define LAY_ICON_R 25.0
#define LAY_FONT_LINE 11.0  /* the value labels at the right end of the mean, limits and target */
#define LAY_FONT_LEGEND 12.0

static const char *lay_point_colour(enum spc_point_type t)
{
    switch (t) {
    case SPC_SPECIAL_IMPROVEMENT: return CHART_C_IMPROVEMENT;
    case SPC_SPECIAL_CONCERN: return CHART_C_CONCERN;
    case SPC_SPECIAL_NEUTRAL_HIGH:
    case SPC_SPECIAL_NEUTRAL_LOW: return CHART_C_NEUTRAL;
    default: return CHART_C_COMMON;
    }
}

static const char *lay_point_class(enum spc_point_type t)
{
    switch (t) {
    case SPC_SPECIAL_IMPROVEMENT: return "pt imp";
    case SPC_SPECIAL_CONCERN: return "pt con";
    case SPC_SPECIAL_NEUTRAL_HIGH: return "pt neu-high";
    case SPC_SPECIAL_NEUTRAL_LOW: return "pt neu-low";
    default: return "pt cc";
    }
}

static int lay_check(const struct chart_series *s, struct purpose_err *err)
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


const struct spc_group *chart_last_group(const struct chart_series *s)
{
    return s->res->n_groups ? &s->res->groups[s->res->n_groups - 1] : NULL;
}

/* Run and G charts centre on the median (spc.md); a run chart draws it alone. */
static const char *lay_centre_name(const struct chart_series *s)
{
    if (s->centre_name && s->centre_name[0])
        return s->centre_name;
    return s->res->chart == SPC_CHART_RUN || s->res->chart == SPC_CHART_G ? "Median" : "Mean";
}

static bool lay_centre_only(const struct chart_series *s)
{
    return s->centre_only || s->res->chart == SPC_CHART_RUN;
}

/* True when a line may change from one point to the next: the caller's arrays, or the engine's
 * per-point limits (P, P', U, U'). */
static bool lay_per_point(const struct chart_series *s)
{
    return s->centre || s->lower || s->upper || s->res->limits_vary;
}

enum lay_which { LAY_CENTRE, LAY_LOWER, LAY_UPPER };

/* Point i's centre or limit: its own when the chart type gives them per point, else its group's. */
static double lay_value(const struct chart_series *s, const struct spc_group *g, size_t i, enum lay_which w)
{
    if (w != LAY_CENTRE && lay_centre_only(s))
        return NAN;
    const double *per = w == LAY_CENTRE ? s->centre : w == LAY_LOWER ? s->lower : s->upper;
    if (per)
        return per[i];
    if (s->res->limits_vary) {
        struct spc_lines ln;
        spc_point_lines(s->res, i, &ln);
        return w == LAY_CENTRE ? ln.centre : w == LAY_LOWER ? ln.lpl : ln.upl;
    }
    if (w == LAY_CENTRE)
        return g->mean;
    return !g->has_limits ? NAN : w == LAY_LOWER ? g->lpl : g->upl;
}

void chart_point_lines(const struct chart_series *s, size_t i, double *centre, double *lower, double *upper)
{
    *centre = *lower = *upper = NAN;
    for (size_t k = 0; k < s->res->n_groups; k++) {
        const struct spc_group *g = &s->res->groups[k];
        if (i >= g->start && i < g->end) {
            *centre = lay_value(s, g, i, LAY_CENTRE);
            *lower = lay_value(s, g, i, LAY_LOWER);
            *upper = lay_value(s, g, i, LAY_UPPER);
            return;
        }
    }
}

const char *chart_centre_name(const struct chart_series *s) { return lay_centre_name(s); }

bool chart_centre_only(const struct chart_series *s) { return lay_centre_only(s); }

/* Range every drawn value must fit in: data, centre, limits, target. */
static int lay_y_range(const struct chart_series *s, double *lo, double *hi)
{
    *lo = INFINITY, *hi = -INFINITY;
    int any = 0;
#define LAY_TAKE(v)                          \
    do {                                     \
        double v_ = (v);                     \
        if (isfinite(v_)) {                  \
            *lo = v_ < *lo ? v_ : *lo;       \
            *hi = v_ > *hi ? v_ : *hi;       \
        }                                    \
    } while (0)
    for (size_t i = 0; i < s->n; i++) {
        any |= isfinite(s->y[i]);
        LAY_TAKE(s->y[i]);
    }
    for (size_t k = 0; k < s->res->n_groups; k++) {
        const struct spc_group *g = &s->res->groups[k];
        if (!lay_per_point(s)) { /* constant per group: once is enough */
            for (int w = LAY_CENTRE; w <= LAY_UPPER; w++)
                LAY_TAKE(lay_value(s, g, g->start, (enum lay_which)w));
            continue;
        }
        for (size_t i = g->start; i < g->end; i++)
            for (int w = LAY_CENTRE; w <= LAY_UPPER; w++)
                LAY_TAKE(lay_value(s, g, i, (enum lay_which)w));
    }
    if (s->opt->has_target)
        LAY_TAKE(s->opt->target);
#undef LAY_TAKE
    if (!(*hi >= *lo))
        *lo = 0, *hi = 1;
    return any;
}

static void lay_x_domain(struct chart_plot *c)
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

/* Labels at the right end of the last point's lines, pushed apart so none touch. */
struct lay_end_label {
    double y;
    const char *colour;
    char text[64];
};

static size_t lay_end_labels(const struct chart_plot *c, struct lay_end_label *out)
{
    const struct chart_series *s = c->s;
    const struct spc_group *g = chart_last_group(s);
    size_t n = 0;
    char v[32];
    if (g && s->n) {
        size_t last = s->n - 1;
        double centre = lay_value(s, g, last, LAY_CENTRE), lo = lay_value(s, g, last, LAY_LOWER),
               hi = lay_value(s, g, last, LAY_UPPER);
        if (isfinite(centre) || (lay_per_point(s) && isfinite(g->mean))) {
            if (isfinite(hi)) {
                chart_num(v, sizeof v, hi);
                out[n].y = hi, out[n].colour = CHART_C_MUTED;
                snprintf(out[n++].text, sizeof out->text, "Upper %s", v);
            }
            chart_num(v, sizeof v, centre);
            out[n].y = centre, out[n].colour = CHART_C_TEXT;
            snprintf(out[n++].text, sizeof out->text, "%s %s", lay_centre_name(s), v);
            if (isfinite(lo)) {
                chart_num(v, sizeof v, lo);
                out[n].y = lo, out[n].colour = CHART_C_MUTED;
                snprintf(out[n++].text, sizeof out->text, "Lower %s", v);
            }
            if (!isfinite(centre)) /* a per-point centre missing at the last point */
                n = 0;
        }
    }
    if (s->opt->has_target) {
        chart_num(v, sizeof v, s->opt->target);
        out[n].y = s->opt->target, out[n].colour = CHART_C_TARGET;
        snprintf(out[n++].text, sizeof out->text, "Target %s", v);
    }
    return n;
}

static void lay_end_labels_draw(const struct chart_plot *c, struct lay_end_label *e, size_t n)
{
    const double gap = LAY_FONT_LINE + 3;
    for (size_t k = 0; k < n; k++)
        e[k].y = chart_py(c, e[k].y);
    for (size_t k = 1; k < n; k++) /* insertion sort by y: at most four labels */
        for (size_t j = k; j > 0 && e[j].y < e[j - 1].y; j--) {
            struct lay_end_label t = e[j];
            e[j] = e[j - 1];
            e[j - 1] = t;
        }
    for (size_t k = 1; k < n; k++)
        if (e[k].y < e[k - 1].y + gap)
            e[k].y = e[k - 1].y + gap;
    if (n && e[n - 1].y > c->bottom + 4) {
        e[n - 1].y = c->bottom + 4;
        for (size_t k = n - 1; k-- > 0;)
            if (e[k].y > e[k + 1].y - gap)
                e[k].y = e[k + 1].y - gap;
    }
    chart_group(c->l, "line-labels", NULL);
    for (size_t k = 0; k < n; k++)
        chart_text(c->l, "line-label", c->right + 6, e[k].y, e[k].text, 0,
                   &(struct chart_font){.size = LAY_FONT_LINE, .colour = e[k].colour, .vmid = true});
    chart_group_end(c->l);
}

/* One of group k's lines from xl to xr: a level per point, stepping halfway between points where
 * the level changes (limits that vary point by point), lifted where it is undefined. A level
 * that never changes comes out as one straight line. */
static void lay_step_line(const struct chart_plot *c, const struct spc_group *g, double xl, double xr,
                          enum lay_which w, const char *cls, const struct chart_style *st)
{
    struct chart_layout *l = c->l;
    const struct chart_series *s = c->s;
    size_t at = chart_line(l, cls, st);
    if (at == (size_t)-1)
        return;
    int pen = 0;
    double last = 0;
    for (size_t i = g->start; i < g->end; i++) {
        double v = lay_value(s, g, i, w);
        double a = i == g->start ? xl : (chart_px(c, i - 1) + chart_px(c, i)) / 2;
        double b = i + 1 == g->end ? xr : (chart_px(c, i) + chart_px(c, i + 1)) / 2;
        if (!isfinite(v)) {
            if (pen)
                chart_pt(l, NAN, NAN);
            pen = 0;
            continue;
        }
        double y = chart_py(c, v);
        if (pen && y == last) {
            l->pts[l->n_pts - 1].x = b;
            continue;
        }
        chart_pt(l, a, y);
        chart_pt(l, b, y);
        pen = 1;
        last = y;
    }
    if (l->failed)
        return;
    struct chart_shape *sh = &l->shapes[at];
    while (sh->np && isnan(l->pts[l->n_pts - 1].x)) {
        sh->np--;
        l->n_pts--;
    }
    if (sh->np < 2) { /* nothing defined to draw */
        l->n_pts -= sh->np;
        l->n_shapes--;
    }
}

/* Each group's centre and limits span its own points, meeting the next group's at the divider
 * halfway between the two groups' neighbouring points. */
static void lay_group_lines(const struct chart_plot *c)
{
    const struct chart_series *s = c->s;
    struct chart_layout *l = c->l;
    const struct chart_style limit = {.stroke = CHART_C_MUTED, .stroke_w = 1.25, .dash = "7 4"};
    const struct chart_style mean = {.stroke = CHART_C_TEXT, .stroke_w = 1.5};
    chart_group(l, "limits", NULL);
    for (size_t k = 0; k < s->res->n_groups; k++) {
        const struct spc_group *g = &s->res->groups[k];
        if (g->end <= g->start)
            continue;
        double xl = k == 0 ? chart_px(c, g->start) : (chart_px(c, g->start - 1) + chart_px(c, g->start)) / 2;
        double xr = g->end >= s->n ? chart_px(c, g->end - 1) : (chart_px(c, g->end - 1) + chart_px(c, g->end)) / 2;
        double dl = xl;
        if (xr - xl < 12) { /* a one-point group still shows its level */
            double mid = (xl + xr) / 2;
            xl = mid - 6, xr = mid + 6;
        }
        if (k > 0) {
            chart_line(l, "rebase", &(struct chart_style){.stroke = CHART_C_MUTED, .stroke_w = 1.5, .dash = "2 4"});
            chart_pt(l, dl, c->top);
            chart_pt(l, dl, c->bottom);
        }
        lay_step_line(c, g, xl, xr, LAY_UPPER, "limit upl", &limit);
        lay_step_line(c, g, xl, xr, LAY_LOWER, "limit lpl", &limit);
        lay_step_line(c, g, xl, xr, LAY_CENTRE, "mean", &mean);
    }
    if (s->opt->has_target && s->n)
        chart_hline(l, "target", c->left, c->right, chart_py(c, s->opt->target),
                    &(struct chart_style){.stroke = CHART_C_TARGET, .stroke_w = 2, .dash = "12 4 3 4"});
    chart_group_end(l);
}

static void lay_data(const struct chart_plot *c, size_t n_values)
{
    const struct chart_series *s = c->s;
    struct chart_layout *l = c->l;
    /* One line, lifted over each missing value: a gap is never bridged (spc.md). */
    chart_line(l, "data", &(struct chart_style){.stroke = CHART_C_MUTED, .stroke_w = n_values > 500 ? 1.0 : 1.5,
                                                .round = true});
    int pen = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (!isfinite(s->y[i])) {
            if (pen)
                chart_pt(l, NAN, NAN);
            pen = 0;
            continue;
        }
        chart_pt(l, chart_px(c, i), chart_py(c, s->y[i]));
        pen = 1;
    }

    size_t n_special = 0;
    for (size_t i = 0; i < s->n; i++)
        n_special += isfinite(s->y[i]) && s->res->point_type[i] != SPC_COMMON_CAUSE;
    int all = n_values <= LAY_MAX_DOTS;
    if (!all && n_special > LAY_MAX_DOTS)
        return;
    double r = n_values <= 60 ? 4.5 : n_values <= 200 ? 3.2 : n_values <= 600 ? 2.4 : 1.8;
    chart_group(l, "points", NULL);
    for (size_t i = 0; i < s->n; i++) {
        enum spc_point_type t = s->res->point_type[i];
        if (!isfinite(s->y[i]) || (!all && t == SPC_COMMON_CAUSE))
            continue;
        chart_circle(l, lay_point_class(t), chart_px(c, i), chart_py(c, s->y[i]), r,
                     &(struct chart_style){.fill = lay_point_colour(t), .stroke = "#FFFFFF", .stroke_w = 0.8});
    }
    chart_group_end(l);
}

/* The legend: only what this chart draws. Wraps to a second row rather than run into the icons;
 * returns the y below it. */
static double lay_legend(const struct chart_plot *c, double x0, double y, double x_max)
{
    const struct chart_series *s = c->s;
    struct chart_layout *l = c->l;
    enum mark { DOT, LINE, VLINE };
    struct item {
        const char *text, *colour, *dash;
        enum mark mark;
    } items[8];
    size_t n = 0;
    int neutral = s->opt->improvement == SPC_NEUTRAL, limits = 0;
    for (size_t k = 0; k < s->res->n_groups && !lay_centre_only(s); k++)
        limits |= s->res->groups[k].has_limits || s->lower || s->upper;
    items[n++] = (struct item){"Common cause", CHART_C_COMMON, NULL, DOT};
    if (neutral) {
        items[n++] = (struct item){"Special cause", CHART_C_NEUTRAL, NULL, DOT};
    } else {
        items[n++] = (struct item){"Improvement", CHART_C_IMPROVEMENT, NULL, DOT};
        items[n++] = (struct item){"Concern", CHART_C_CONCERN, NULL, DOT};
    }
    items[n++] = (struct item){lay_centre_name(s), CHART_C_TEXT, NULL, LINE};
    if (limits)
        items[n++] = (struct item){"Process limits", CHART_C_MUTED, "7 4", LINE};
    if (s->opt->has_target)
        items[n++] = (struct item){"Target", CHART_C_TARGET, "12 4 3 4", LINE};
    if (s->res->n_groups > 1)
        items[n++] = (struct item){"Rebase", CHART_C_MUTED, "2 4", VLINE};

    chart_group(l, "legend", NULL);
    double x = x0;
    for (size_t k = 0; k < n; k++) {
        double w = 26 + chart_text_width(items[k].text, LAY_FONT_LEGEND);
        if (x > x0 && x + w > x_max) {
            x = x0;
            y += 20;
        }
        if (items[k].mark == DOT) {
            chart_circle(l, NULL, x + 8, y, 5, &(struct chart_style){.fill = items[k].colour});
        } else if (items[k].mark == VLINE) {
            chart_line(l, NULL, &(struct chart_style){.stroke = items[k].colour, .stroke_w = 1.5, .dash = items[k].dash});
            chart_pt(l, x + 8, y - 7);
            chart_pt(l, x + 8, y + 7);
        } else {
            chart_hline(l, NULL, x, x + 18, y,
                        &(struct chart_style){.stroke = items[k].colour, .stroke_w = 2, .dash = items[k].dash});
        }
        chart_text(l, NULL, x + 23, y, items[k].text, 0,
                   &(struct chart_font){.size = LAY_FONT_LEGEND, .colour = CHART_C_TEXT, .vmid = true});
        x += w + 10;
    }
    chart_group_end(l);
    return y + 12;
}

static const char *lay_direction_words(enum spc_improvement imp)
{
    return imp == SPC_INCREASE ? "Higher is better" : imp == SPC_DECREASE ? "Lower is better"
                                                                          : "Neither direction is better";
}

/* The header band: title and subtitle left, icons right, legend below; returns where it ends. */
static double lay_header(struct chart_plot *c, size_t n_values)
{
    struct chart_layout *l = c->l;
    const struct chart_series *s = c->s;
    const char *title = s->title[0] ? s->title : s->y_label[0] ? s->y_label : "SPC chart";

    double icon_cx = CHART_W - 24 - LAY_ICON_R;
    int assured = s->res->assurance != SPC_ASSURANCE_NONE;
    double icons_left = icon_cx - LAY_ICON_R - (assured ? 2 * LAY_ICON_R + 18 : 0);

    l->title = chart_add_text_at(l, title);
    struct buf desc;
    buf_init(&desc, 1 << 20);
    chart_layout_desc(s, &desc);
    l->desc = chart_add_text_at(l, desc.failed || !desc.data ? "" : desc.data);
    buf_release(&desc);
    chart_rect(l, NULL, 0, 0, CHART_W, CHART_H, &(struct chart_style){.fill = "#FFFFFF"});
    chart_text(l, "title", 24, 36, title, chart_text_fit(title, 20, icons_left - 40),
               &(struct chart_font){.size = 20, .colour = CHART_C_TEXT, .bold = true});
    {
        char sub[160];
        const struct spc_group *g = chart_last_group(s);
        snprintf(sub, sizeof sub, "%s \xC2\xB7 %s \xC2\xB7 %zu point%s%s", chart_type_words(s->res->chart),
                 lay_direction_words(s->opt->improvement), s->n, s->n == 1 ? "" : "s",
                 g && g->has_limits && g->trial ? " \xC2\xB7 trial limits" : "");
        chart_text(l, "subtitle", 24, 58, sub, 0, &(struct chart_font){.size = 13, .colour = CHART_C_MUTED});
    }
    if (s->n && n_values) {
        if (assured) {
            chart_icon_variation(l, icon_cx - 2 * LAY_ICON_R - 18, 38, LAY_ICON_R, s->res->variation, true);
            chart_icon_assurance(l, icon_cx, 38, LAY_ICON_R, s->res->assurance, true);
        } else {
            chart_icon_variation(l, icon_cx, 38, LAY_ICON_R, s->res->variation, true);
        }
    }
    return lay_legend(c, 24, 86, icons_left - 12);
}

int chart_layout_build(struct chart_layout *l, const struct chart_series *s, struct purpose_err *err)
{
    if (lay_check(s, err) < 0)
        return -1;
    chart_layout_reset(l);
    l->w = CHART_W, l->h = CHART_H;
    struct chart_plot c = {.s = s, .l = l, .date_style = chart_date_style_of(s)};
    size_t n_values = 0;
    for (size_t i = 0; i < s->n; i++)
        n_values += isfinite(s->y[i]);
    double lo, hi;
    lay_y_range(s, &lo, &hi);
    double legend_bottom = lay_header(&c, n_values);

    /* Plot area: y labels fix the left margin, the line labels the right, x labels the bottom.
     * Two passes, since the y ticks depend on the height the x labels leave. */
    struct lay_end_label ends[4];
    size_t n_ends = lay_end_labels(&c, ends);
    double end_w = 0;
    for (size_t k = 0; k < n_ends; k++) {
        double w = chart_text_width(ends[k].text, LAY_FONT_LINE);
        end_w = w > end_w ? w : end_w;
    }
    c.top = legend_bottom + 18;
    c.right = CHART_W - (n_ends ? end_w + 12 : 24);
    struct chart_yticks yt;
    struct chart_xticks xt;
    lay_x_domain(&c);
    double bottom = CHART_H - 60;
    for (int pass = 0; pass < 2; pass++) {
        chart_yticks_make(&yt, lo, hi, bottom - c.top);
        c.left = (s->y_label[0] ? 36 : 12) + yt.label_w + 10;
        chart_xticks_make(&c, &xt);
        bottom = CHART_H - 12 - xt.height;
    }
    c.bottom = bottom;
    c.y_lo = yt.lo;
    c.y_hi = yt.hi;
    l->left = c.left, l->right = c.right, l->top = c.top, l->bottom = c.bottom;

    chart_yaxis(&c, &yt);
    if (n_values) {
        lay_group_lines(&c);
        lay_data(&c, n_values);
        lay_end_labels_draw(&c, ends, n_ends);
        chart_notes_draw(&c);
    } else {
        chart_text(l, "empty", (c.left + c.right) / 2, (c.top + c.bottom) / 2, "No values to chart", 0,
                   &(struct chart_font){.size = 16, .colour = CHART_C_MUTED, .anchor = CHART_ANCHOR_MIDDLE});
    }
    chart_xaxis(&c, &xt);
    if (l->failed)
        return purpose_errf(err, "chart: out of memory laying out %zu points", s->n);
    return 0;
}
