/* The funnel plot laid out as shapes (contract in chart/funnel.h): one layout, drawn as SVG by
 * svg.c and as PNG by cairo.c, as every SPC chart is. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart/chart_int.h"
#include "chart/funnel.h"
#include "core/banned.h"

#define FN_SAMPLES 200  /* points along each limit curve */
#define FN_LABELLED 30  /* units up to which every dot is labelled */
#define FN_DOT_R 4.5
#define FN_C_OUT CHART_C_NEUTRAL /* beyond a limit: special cause with no better direction (MDC purple) */

/* The y range in percent: every unit, the target, and the 99.8% limits at a twentieth of the
 * largest denominator (so the funnel's mouth shows without the whole 0-100% of n = 1). */
static void fn_y_range(const struct chart_funnel *f, uint64_t dmax, double *lo, double *hi)
{
    double a = f->theta, b = f->theta;
    for (size_t i = 0; i < f->n; i++)
        if (!isnan(f->pt[i].proportion)) {
            a = fmin(a, f->pt[i].proportion);
            b = fmax(b, f->pt[i].proportion);
        }
    struct spc_funnel_limits m;
    spc_funnel_limits(f->theta, dmax / 20 + 1, &m);
    if (!isnan(m.lo998))
        a = fmin(a, m.lo998), b = fmax(b, m.hi998);
    *lo = fmax(0, a * 100);
    *hi = fmin(100, b * 100);
    if (*hi - *lo < 1e-6) {
        *lo = fmax(0, *lo - 5);
        *hi = fmin(100, *hi + 5);
    }
}

static double fn_px(const struct chart_plot *c, double x)
{
    return c->left + (x - c->x_lo) / (c->x_hi - c->x_lo) * (c->right - c->left);
}

/* y in percent, held inside the plot. */
static double fn_py(const struct chart_plot *c, double y)
{
    return chart_py(c, fmin(c->y_hi, fmax(c->y_lo, y)));
}

static void fn_x_axis(const struct chart_plot *c, const struct chart_yticks *xt)
{
    struct chart_layout *l = c->l;
    const struct chart_font tick = {.size = CHART_FONT_TICK, .colour = CHART_C_MUTED, .anchor = CHART_ANCHOR_MIDDLE};
    chart_group(l, "x-axis", NULL);
    chart_hline(l, NULL, c->left, c->right, c->bottom, &(struct chart_style){.stroke = CHART_C_MUTED, .stroke_w = 1});
    for (size_t k = 0; k < xt->n; k++) {
        double v = xt->lo + (double)k * xt->step;
        char s[64];
        chart_num(s, sizeof s, v);
        chart_text(l, "x-tick", fn_px(c, v), c->bottom + 18, s, 0, &tick);
    }
    chart_text(l, "x-label", (c->left + c->right) / 2, c->bottom + 42, "Denominator", 0,
               &(struct chart_font){.size = 13, .colour = CHART_C_TEXT, .anchor = CHART_ANCHOR_MIDDLE});
    chart_group_end(l);
}

/* One limit curve: p's limit from n = 1 to the axis's end, sampled evenly across the plot. */
static void fn_limit(const struct chart_plot *c, const struct chart_funnel *f, int which, const char *cls,
                     const char *dash)
{
    chart_line(c->l, cls, &(struct chart_style){.stroke = CHART_C_MUTED, .stroke_w = 1.5, .dash = dash, .round = true});
    for (int s = 0; s <= FN_SAMPLES; s++) {
        double x = c->x_hi * s / FN_SAMPLES;
        uint64_t n = x < 1 ? 1 : (uint64_t)x;
        struct spc_funnel_limits lim;
        spc_funnel_limits(f->theta, n, &lim);
        const double y[4] = {lim.lo998, lim.lo95, lim.hi95, lim.hi998};
        chart_pt(c->l, fn_px(c, (double)n), fn_py(c, y[which] * 100));
    }
}

static void fn_dot(const struct chart_plot *c, const struct chart_funnel *f, size_t i, bool label)
{
    const struct spc_funnel_point *q = &f->pt[i];
    const char *lab = f->label[i] ? f->label[i] : "";
    const char *name = f->name && f->name[i] ? f->name[i] : lab;
    char tip[400];
    snprintf(tip, sizeof tip, "%s: %llu of %llu, %.2f%% (%s)", name, (unsigned long long)f->num[i],
             (unsigned long long)f->den[i], q->proportion * 100, spc_funnel_place_name(q->place));
    double x = fn_px(c, (double)f->den[i]), y = fn_py(c, q->proportion * 100);
    bool far = q->place == SPC_FUNNEL_HIGH_998 || q->place == SPC_FUNNEL_LOW_998;
    bool near = q->place == SPC_FUNNEL_HIGH_95 || q->place == SPC_FUNNEL_LOW_95;
    chart_group(c->l, far ? "unit out998" : near ? "unit out95" : "unit", tip);
    chart_circle(c->l, NULL, x, y, FN_DOT_R,
                 &(struct chart_style){.fill = far ? FN_C_OUT : near ? "#FFFFFF" : CHART_C_COMMON,
                                       .stroke = far || near ? FN_C_OUT : NULL, .stroke_w = 2});
    if (label)
        chart_text(c->l, "unit-label", x + 7, y - 7, lab, 12,
                   &(struct chart_font){.size = 11, .colour = CHART_C_TEXT});
    chart_group_end(c->l);
}

int chart_funnel_layout(struct chart_layout *l, const struct chart_funnel *f, struct purpose_err *err)
{
    if (f->n == 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, NULL, "funnel: no unit to draw");
    chart_layout_reset(l);
    l->w = CHART_W, l->h = CHART_H;
    uint64_t dmax = 1;
    size_t out95 = 0, out998 = 0;
    for (size_t i = 0; i < f->n; i++) {
        dmax = f->den[i] > dmax ? f->den[i] : dmax;
        out998 += f->pt[i].place == SPC_FUNNEL_HIGH_998 || f->pt[i].place == SPC_FUNNEL_LOW_998;
        out95 += f->pt[i].place == SPC_FUNNEL_HIGH_95 || f->pt[i].place == SPC_FUNNEL_LOW_95;
    }
    char title[300], desc[400], key[200];
    snprintf(title, sizeof title, "Funnel plot: %s", f->title);
    snprintf(desc, sizeof desc,
             "%zu unit%s around a target of %.2f%%: %zu beyond the 99.8%% limits, %zu more beyond the 95%% limits.",
             f->n, f->n == 1 ? "" : "s", f->theta * 100, out998, out95);
    snprintf(key, sizeof key, "Target %.2f%% \xC2\xB7 95%% limits dashed, 99.8%% solid (exact binomial) \xC2\xB7 %zu unit%s",
             f->theta * 100, f->n, f->n == 1 ? "" : "s");
    l->title = chart_add_text_at(l, title);
    l->desc = chart_add_text_at(l, desc);
    chart_rect(l, NULL, 0, 0, CHART_W, CHART_H, &(struct chart_style){.fill = "#FFFFFF"});
    chart_text(l, "title", 24, 36, title, chart_text_fit(title, 20, CHART_W - 48),
               &(struct chart_font){.size = 20, .colour = CHART_C_TEXT, .bold = true});
    chart_text(l, "subtitle", 24, 58, key, 0, &(struct chart_font){.size = 13, .colour = CHART_C_MUTED});

    const struct chart_series axis_of = {.title = f->title, .y_label = "Proportion (%)"};
    struct chart_plot c = {.s = &axis_of, .l = l, .top = 80, .bottom = CHART_H - 64, .right = CHART_W - 32};
    double lo, hi;
    fn_y_range(f, dmax, &lo, &hi);
    struct chart_yticks yt, xt;
    chart_yticks_make(&yt, lo, hi, c.bottom - c.top);
    c.left = 44 + yt.label_w;
    c.y_lo = yt.lo, c.y_hi = yt.hi;
    chart_yticks_make(&xt, 0, (double)dmax * 1.05, (c.right - c.left) / 2);
    c.x_lo = 0, c.x_hi = xt.hi;
    chart_yaxis(&c, &yt);
    fn_x_axis(&c, &xt);

    chart_group(l, "limits", NULL);
    fn_limit(&c, f, 0, "limit lo998", NULL);
    fn_limit(&c, f, 1, "limit lo95", "6 4");
    fn_limit(&c, f, 2, "limit hi95", "6 4");
    fn_limit(&c, f, 3, "limit hi998", NULL);
    chart_hline(l, "target", c.left, c.right, fn_py(&c, f->theta * 100),
                &(struct chart_style){.stroke = CHART_C_IMPROVEMENT, .stroke_w = 2});
    chart_group_end(l);
    for (size_t i = 0; i < f->n; i++)
        if (!isnan(f->pt[i].proportion))
            fn_dot(&c, f, i, f->n <= FN_LABELLED);
    if (l->failed)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "funnel: out of memory laying the chart out");
    return 0;
}

int chart_funnel_svg(struct buf *out, const struct chart_funnel *f, struct purpose_err *err)
{
    struct chart_layout l;
    chart_layout_init(&l, CHART_W, CHART_H);
    int rc = chart_funnel_layout(&l, f, err);
    if (rc == 0)
        rc = chart_layout_svg(out, &l, NULL, err);
    chart_layout_release(&l);
    return rc;
}

int chart_funnel_png(struct buf *out, const struct chart_funnel *f, struct purpose_err *err)
{
    struct chart_layout l;
    chart_layout_init(&l, CHART_W, CHART_H);
    int rc = chart_funnel_layout(&l, f, err);
    if (rc == 0)
        rc = chart_layout_png(out, &l, err);
    chart_layout_release(&l);
    return rc;
}
