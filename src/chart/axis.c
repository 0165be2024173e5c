#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart/chart_int.h"
#include "core/banned.h"

#define AX_LABEL_MAX_W 170.0 /* longest x label, horizontal or rotated, before it is cut */
#define AX_LINE_EM 1.25      /* a rotated label's thickness: covers ascent + descent */

double chart_px(const struct chart_plot *c, size_t i)
{
    double v = c->s->x_kind == CHART_X_LABEL ? (double)i : c->s->x_value[i];
    return c->left + (v - c->x_lo) / (c->x_hi - c->x_lo) * (c->right - c->left);
}

double chart_py(const struct chart_plot *c, double v)
{
    return c->bottom - (v - c->y_lo) / (c->y_hi - c->y_lo) * (c->bottom - c->top);
}

const char *chart_x_label(const struct chart_plot *c, size_t i, char *tmp, size_t n)
{
    if (c->s->x_kind != CHART_X_DATE)
        return c->s->x_text[i];
    chart_date(tmp, n, c->s->x_value[i], c->date_style);
    return tmp;
}

/* Monthly data (every date the 1st at midnight) reads better as "Apr 2016" and yearly data as
 * "2016"; anything else keeps the day. */
enum chart_date_style chart_date_style_of(const struct chart_series *s)
{
    if (s->x_kind != CHART_X_DATE || s->n < 2)
        return CHART_DATE_DAY;
    enum chart_date_style style = CHART_DATE_YEAR;
    for (size_t i = 0; i < s->n && style != CHART_DATE_DAY; i++) {
        char d[48];
        chart_date(d, sizeof d, s->x_value[i], CHART_DATE_DAY);
        if (fmod(s->x_value[i], 86400.0) != 0 || strncmp(d, "1 ", 2) != 0)
            style = CHART_DATE_DAY;
        else if (strncmp(d, "1 Jan ", 6) != 0)
            style = CHART_DATE_MONTH;
    }
    return style;
}

/* 1, 2, 2.5, 5 × 10^k at or above raw. */
static double ax_nice_step(double raw)
{
    static const double m[] = {1, 2, 2.5, 5, 10};
    double mag = pow(10, floor(log10(raw)));
    for (size_t k = 0; k < sizeof m / sizeof m[0]; k++)
        if (m[k] * mag >= raw * (1 - 1e-9))
            return m[k] * mag;
    return 10 * mag;
}

/* Decimals that show every multiple of step exactly (2.5 needs one more than 2 or 5). */
static int ax_step_decimals(double step)
{
    int dec = (int)-floor(log10(step) + 1e-9);
    double mant = step / pow(10, floor(log10(step) + 1e-9));
    if (fabs(mant - 2.5) < 1e-6)
        dec++;
    return dec < 0 ? 0 : dec > 10 ? 10 : dec;
}

static void ax_tick_text(char *out, size_t n, double v, int decimals)
{
    if (decimals < 0)
        chart_num(out, n, v);
    else
        snprintf(out, n, "%.*f", decimals, v);
    if (strcmp(out, "-0") == 0 || (out[0] == '-' && strspn(out + 1, "0.") == strlen(out + 1)))
        memmove(out, out + 1, strlen(out));
    chart_group_digits(out, n);
}

void chart_yticks_make(struct chart_yticks *t, double lo, double hi, double plot_h)
{
    if (!(hi > lo)) { /* constant or single value: give it room either side */
        double pad = lo == 0 ? 1 : fabs(lo) * 0.1;
        lo -= pad;
        hi += pad;
    }
    double want = floor(plot_h / 45);
    want = want < 3 ? 3 : want > 10 ? 10 : want;
    double step = ax_nice_step((hi - lo) / want);
    double a = floor(lo / step) * step, b = ceil(hi / step) * step;
    double count = (b - a) / step;
    if (!isfinite(step) || !isfinite(count) || step <= 0 || count > 40 || a + step == a) {
        /* Huge or tiny spans where nice steps lose precision: the bare range. */
        *t = (struct chart_yticks){.lo = lo, .hi = hi, .step = hi - lo, .n = 2, .decimals = -1};
    } else {
        *t = (struct chart_yticks){.lo = a, .hi = b, .step = step, .n = (size_t)(count + 0.5) + 1,
                                 .decimals = ax_step_decimals(step)};
    }
    t->label_w = 0;
    for (size_t k = 0; k < t->n; k++) {
        char s[64];
        ax_tick_text(s, sizeof s, t->lo + (double)k * t->step, t->decimals);
        double w = chart_text_width(s, CHART_FONT_TICK);
        t->label_w = w > t->label_w ? w : t->label_w;
    }
}

/* Left edge of a label of width w centred on x, kept inside the drawing. */
static double ax_label_left(double x, double w)
{
    double a = x - w / 2;
    if (a + w > CHART_W - 2)
        a = CHART_W - 2 - w;
    return a < 2 ? 2 : a;
}

/* Candidate label steps for labels and dates: calendar-friendly counts (weeks, months, quarters,
 * 4-weekly, years of weeks) first, then 1-2-5 decades. */
static size_t ax_step_candidate(size_t k)
{
    static const size_t small[] = {1, 2, 3, 4, 6, 7, 12, 13, 14, 24, 26, 52};
    size_t ns = sizeof small / sizeof small[0];
    if (k < ns)
        return small[k];
    k -= ns;
    size_t m[] = {1, 2, 5}, p = 100;
    for (size_t d = 0; d < k / 3 && p < (size_t)1 << 40; d++)
        p *= 10;
    return m[k % 3] * p;
}

/* Do labels at points 0, step, 2*step... fit without touching? Horizontal labels are boxes of
 * their estimated widths; rotated ones are strips one line thick. */
static int ax_step_fits(const struct chart_plot *c, size_t step, int rotated)
{
    const double line = AX_LINE_EM * CHART_FONT_TICK;
    double prev_right = -1e9;
    for (size_t i = 0; i < c->s->n; i += step) {
        double w;
        if (rotated) {
            w = line;
        } else {
            char tmp[64];
            const char *s = chart_x_label(c, i, tmp, sizeof tmp);
            w = chart_text_fit(s, CHART_FONT_TICK, AX_LABEL_MAX_W) ? AX_LABEL_MAX_W
                                                                : chart_text_width(s, CHART_FONT_TICK);
        }
        double a = ax_label_left(chart_px(c, i), w);
        if (a < prev_right + (rotated ? 4 : CHART_TICK_GAP))
            return 0;
        prev_right = a + w;
        if (i > c->s->n - step)
            break;
    }
    return 1;
}

static size_t ax_pick_step(const struct chart_plot *c, int rotated)
{
    for (size_t k = 0;; k++) {
        size_t step = ax_step_candidate(k);
        if (step >= c->s->n || ax_step_fits(c, step, rotated))
            return step;
    }
}

/* Tick k of a by-value layout: its x value and its label. */
static double ax_value_tick(const struct chart_xticks *t, size_t k, char *txt, size_t n)
{
    if (t->months) {
        double v = chart_month_start((long long)t->first + (long long)k * t->months);
        chart_date(txt, n, v, t->months % 12 == 0 ? CHART_DATE_YEAR : CHART_DATE_MONTH);
        return v;
    }
    double v = t->first + (double)k * t->num_step;
    ax_tick_text(txt, n, v, t->num_step > 0 ? ax_step_decimals(t->num_step) : -1);
    return v;
}

static double ax_x_of_value(const struct chart_plot *c, double v)
{
    return c->left + (v - c->x_lo) / (c->x_hi - c->x_lo) * (c->right - c->left);
}

/* Do the by-value ticks in t fit side by side? */
static int ax_value_ticks_fit(const struct chart_plot *c, const struct chart_xticks *t)
{
    double prev_right = -1e9;
    for (size_t k = 0; k < t->count; k++) {
        char txt[64];
        double v = ax_value_tick(t, k, txt, sizeof txt);
        double w = chart_text_width(txt, CHART_FONT_TICK);
        double a = ax_label_left(ax_x_of_value(c, v), w);
        if (a < prev_right + CHART_TICK_GAP)
            return 0;
        prev_right = a + w;
    }
    return 1;
}

/* Daily or weekly dates: a tick on the 1st of every month, quarter, half year or year (or more),
 * whichever is the finest that fits. Returns 0 when the series spans too little for it. */
static int ax_calendar_ticks(const struct chart_plot *c, struct chart_xticks *t)
{
    static const long long steps[] = {1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200};
    const struct chart_series *s = c->s;
    double lo = s->x_value[0], hi = s->x_value[0];
    for (size_t i = 1; i < s->n; i++) {
        lo = s->x_value[i] < lo ? s->x_value[i] : lo;
        hi = s->x_value[i] > hi ? s->x_value[i] : hi;
    }
    if (fabs(lo) > 1e15 || fabs(hi) > 1e15)
        return 0;
    long long m_lo = chart_month_of(lo), m_hi = chart_month_of(hi);
    if (chart_month_start(m_lo) < lo)
        m_lo++;
    if (m_hi - m_lo < 2) /* fewer than three month starts: the points' own dates read better */
        return 0;
    for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
        long long step = steps[k];
        long long first = m_lo + ((step - m_lo % step) % step + step) % step; /* aligned: quarters at Jan, Apr... */
        if (first > m_hi)
            continue;
        *t = (struct chart_xticks){.by_value = 1, .first = (double)first, .months = step,
                                 .count = (size_t)((m_hi - first) / step + 1), .height = t->height};
        if (t->count >= 2 && ax_value_ticks_fit(c, t))
            return 1;
    }
    return 0;
}

/* Numbers: ticks at nice values inside the data range, stepping up until the labels fit. */
static void ax_num_ticks(const struct chart_plot *c, struct chart_xticks *t)
{
    const struct chart_series *s = c->s;
    double lo = INFINITY, hi = -INFINITY;
    int integers = 1;
    for (size_t i = 0; i < s->n; i++) {
        lo = s->x_value[i] < lo ? s->x_value[i] : lo;
        hi = s->x_value[i] > hi ? s->x_value[i] : hi;
        integers &= s->x_value[i] == floor(s->x_value[i]);
    }
    t->by_value = 1;
    t->first = lo;
    t->num_step = 0; /* one tick, at lo */
    t->count = 1;
    if (!(hi > lo))
        return;
    double step = ax_nice_step((hi - lo) / 20);
    if (integers && step < 1)
        step = 1;
    for (int tries = 0; tries < 80; tries++, step = ax_nice_step(step * 1.01)) {
        double first = ceil(lo / step) * step;
        double count = floor((hi - first) / step + 1e-9) + 1;
        if (!(count <= 200))
            continue;
        int dec = ax_step_decimals(step), ok = 1;
        double prev_right = -1e9;
        for (size_t k = 0; k < (size_t)count && ok; k++) {
            double v = first + (double)k * step;
            char txt[64];
            ax_tick_text(txt, sizeof txt, v, dec);
            double w = chart_text_width(txt, CHART_FONT_TICK);
            double x = c->left + (v - c->x_lo) / (c->x_hi - c->x_lo) * (c->right - c->left);
            double a = ax_label_left(x, w);
            ok = a >= prev_right + CHART_TICK_GAP;
            prev_right = a + w;
        }
        if (ok) {
            t->first = first;
            t->num_step = step;
            t->count = (size_t)count;
            return;
        }
    }
}

void chart_xticks_make(const struct chart_plot *c, struct chart_xticks *t)
{
    *t = (struct chart_xticks){.step = 1, .height = CHART_FONT_TICK + 14};
    if (c->s->n == 0)
        return;
    if (c->s->x_kind == CHART_X_NUMBER) {
        ax_num_ticks(c, t);
        return;
    }
    if (c->s->x_kind == CHART_X_DATE && c->date_style == CHART_DATE_DAY && ax_calendar_ticks(c, t))
        return;
    size_t h = ax_pick_step(c, 0), v = ax_pick_step(c, 1);
    size_t shown_h = (c->s->n + h - 1) / h, shown_v = (c->s->n + v - 1) / v;
    /* Level labels read best; turn them only when that shows far more of them. */
    if (shown_h >= 6 || shown_h >= shown_v) {
        t->step = h;
        return;
    }
    t->rotated = 1;
    t->step = v;
    double widest = 0;
    for (size_t i = 0; i < c->s->n; i += v) {
        char tmp[64];
        const char *s = chart_x_label(c, i, tmp, sizeof tmp);
        double w = chart_text_width(s, CHART_FONT_TICK);
        widest = w > widest ? w : widest;
        if (i > c->s->n - v)
            break;
    }
    t->height = (widest < AX_LABEL_MAX_W ? widest : AX_LABEL_MAX_W) + 14;
}

void chart_yaxis(const struct chart_plot *c, const struct chart_yticks *t)
{
    struct chart_layout *l = c->l;
    const struct chart_style grid = {.stroke = CHART_C_GRID, .stroke_w = 1};
    const struct chart_font tick = {.size = CHART_FONT_TICK, .colour = CHART_C_MUTED, .anchor = CHART_ANCHOR_END,
                                    .vmid = true};
    chart_group(l, "y-axis", NULL);
    for (size_t k = 0; k < t->n; k++) {
        double v = t->lo + (double)k * t->step, y = chart_py(c, v);
        char s[64];
        ax_tick_text(s, sizeof s, v, t->decimals);
        chart_hline(l, NULL, c->left, c->right, y, &grid);
        chart_text(l, "y-tick", c->left - 8, y, s, 0, &tick);
    }
    if (c->s->y_label[0]) {
        double cy = (c->top + c->bottom) / 2;
        size_t cut = chart_text_fit(c->s->y_label, 13, c->bottom - c->top);
        chart_text(l, "y-label", 20, cy, c->s->y_label, cut,
                   &(struct chart_font){.size = 13, .colour = CHART_C_TEXT, .anchor = CHART_ANCHOR_MIDDLE,
                                        .rotated = true});
    }
    chart_group_end(l);
}

static void ax_xlabel(struct chart_layout *l, double x, double y, const char *s, const struct chart_xticks *t)
{
    size_t cut = chart_text_fit(s, CHART_FONT_TICK, AX_LABEL_MAX_W);
    if (t->rotated) {
        chart_text(l, "x-tick", x, y, s, cut,
                   &(struct chart_font){.size = CHART_FONT_TICK, .colour = CHART_C_MUTED, .anchor = CHART_ANCHOR_END,
                                        .vmid = true, .rotated = true});
    } else {
        double w = cut ? AX_LABEL_MAX_W : chart_text_width(s, CHART_FONT_TICK);
        /* Centred on its box: the estimate is wider than the real text, so it stays inside. */
        double mid = ax_label_left(x, w) + w / 2;
        chart_text(l, "x-tick", mid, y + CHART_FONT_TICK, s, cut,
                   &(struct chart_font){.size = CHART_FONT_TICK, .colour = CHART_C_MUTED,
                                        .anchor = CHART_ANCHOR_MIDDLE});
    }
}

void chart_xaxis(const struct chart_plot *c, const struct chart_xticks *t)
{
    struct chart_layout *l = c->l;
    const struct chart_series *s = c->s;
    const struct chart_style axis = {.stroke = CHART_C_MUTED, .stroke_w = 1};
    double y0 = c->bottom;
    chart_group(l, "x-axis", NULL);
    chart_hline(l, NULL, c->left, c->right, y0, &axis);
    if (s->n && t->by_value) {
        for (size_t k = 0; k < t->count; k++) {
            char txt[64];
            double x = ax_x_of_value(c, ax_value_tick(t, k, txt, sizeof txt));
            chart_line(l, NULL, &axis);
            chart_pt(l, x, y0);
            chart_pt(l, x, y0 + 5);
            ax_xlabel(l, x, y0 + 8, txt, t);
        }
    } else {
        for (size_t i = 0; i < s->n; i += t->step) {
            double x = chart_px(c, i);
            char tmp[64];
            chart_line(l, NULL, &axis);
            chart_pt(l, x, y0);
            chart_pt(l, x, y0 + 5);
            ax_xlabel(l, x, y0 + 8, chart_x_label(c, i, tmp, sizeof tmp), t);
            if (i > s->n - t->step)
                break;
        }
    }
    chart_group_end(l);
}
