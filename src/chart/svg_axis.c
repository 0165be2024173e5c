#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart/svg_int.h"
#include "core/banned.h"

#define SVG_LABEL_MAX_W 170.0 /* longest x label, horizontal or rotated, before it is cut */
#define SVG_LINE_EM 1.25      /* a rotated label's thickness: covers ascent + descent */

double svg_x(const struct svg_chart *c, size_t i)
{
    double v = c->s->x_kind == CHART_X_LABEL ? (double)i : c->s->x_value[i];
    return c->left + (v - c->x_lo) / (c->x_hi - c->x_lo) * (c->right - c->left);
}

double svg_y(const struct svg_chart *c, double v)
{
    return c->bottom - (v - c->y_lo) / (c->y_hi - c->y_lo) * (c->bottom - c->top);
}

const char *svg_x_label(const struct svg_chart *c, size_t i, char *tmp, size_t n)
{
    if (c->s->x_kind != CHART_X_DATE)
        return c->s->x_text[i];
    svg_date(tmp, n, c->s->x_value[i], c->date_style);
    return tmp;
}

/* Monthly data (every date the 1st at midnight) reads better as "Apr 2016" and yearly data as
 * "2016"; anything else keeps the day. */
enum svg_date_style svg_date_style_of(const struct chart_series *s)
{
    if (s->x_kind != CHART_X_DATE || s->n < 2)
        return SVG_DATE_DAY;
    enum svg_date_style style = SVG_DATE_YEAR;
    for (size_t i = 0; i < s->n && style != SVG_DATE_DAY; i++) {
        char d[48];
        svg_date(d, sizeof d, s->x_value[i], SVG_DATE_DAY);
        if (fmod(s->x_value[i], 86400.0) != 0 || strncmp(d, "1 ", 2) != 0)
            style = SVG_DATE_DAY;
        else if (strncmp(d, "1 Jan ", 6) != 0)
            style = SVG_DATE_MONTH;
    }
    return style;
}

/* 1, 2, 2.5, 5 × 10^k at or above raw. */
static double svg_nice_step(double raw)
{
    static const double m[] = {1, 2, 2.5, 5, 10};
    double mag = pow(10, floor(log10(raw)));
    for (size_t k = 0; k < sizeof m / sizeof m[0]; k++)
        if (m[k] * mag >= raw * (1 - 1e-9))
            return m[k] * mag;
    return 10 * mag;
}

/* Decimals that show every multiple of step exactly (2.5 needs one more than 2 or 5). */
static int svg_step_decimals(double step)
{
    int dec = (int)-floor(log10(step) + 1e-9);
    double mant = step / pow(10, floor(log10(step) + 1e-9));
    if (fabs(mant - 2.5) < 1e-6)
        dec++;
    return dec < 0 ? 0 : dec > 10 ? 10 : dec;
}

static void svg_tick_text(char *out, size_t n, double v, int decimals)
{
    if (decimals < 0)
        svg_num(out, n, v);
    else
        snprintf(out, n, "%.*f", decimals, v);
    if (strcmp(out, "-0") == 0 || (out[0] == '-' && strspn(out + 1, "0.") == strlen(out + 1)))
        memmove(out, out + 1, strlen(out));
    svg_group_digits(out, n);
}

void svg_yticks_make(struct svg_yticks *t, double lo, double hi, double plot_h)
{
    if (!(hi > lo)) { /* constant or single value: give it room either side */
        double pad = lo == 0 ? 1 : fabs(lo) * 0.1;
        lo -= pad;
        hi += pad;
    }
    double want = floor(plot_h / 45);
    want = want < 3 ? 3 : want > 10 ? 10 : want;
    double step = svg_nice_step((hi - lo) / want);
    double a = floor(lo / step) * step, b = ceil(hi / step) * step;
    double count = (b - a) / step;
    if (!isfinite(step) || !isfinite(count) || step <= 0 || count > 40 || a + step == a) {
        /* Huge or tiny spans where nice steps lose precision: the bare range. */
        *t = (struct svg_yticks){.lo = lo, .hi = hi, .step = hi - lo, .n = 2, .decimals = -1};
    } else {
        *t = (struct svg_yticks){.lo = a, .hi = b, .step = step, .n = (size_t)(count + 0.5) + 1,
                                 .decimals = svg_step_decimals(step)};
    }
    t->label_w = 0;
    for (size_t k = 0; k < t->n; k++) {
        char s[64];
        svg_tick_text(s, sizeof s, t->lo + (double)k * t->step, t->decimals);
        double w = svg_text_width(s, SVG_FONT_TICK);
        t->label_w = w > t->label_w ? w : t->label_w;
    }
}

/* Left edge of a label of width w centred on x, kept inside the drawing. */
static double svg_label_left(double x, double w)
{
    double a = x - w / 2;
    if (a + w > SVG_W - 2)
        a = SVG_W - 2 - w;
    return a < 2 ? 2 : a;
}

/* Candidate label steps for labels and dates: calendar-friendly counts (weeks, months, quarters,
 * 4-weekly, years of weeks) first, then 1-2-5 decades. */
static size_t svg_step_candidate(size_t k)
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
static int svg_step_fits(const struct svg_chart *c, size_t step, int rotated)
{
    const double line = SVG_LINE_EM * SVG_FONT_TICK;
    double prev_right = -1e9;
    for (size_t i = 0; i < c->s->n; i += step) {
        double w;
        if (rotated) {
            w = line;
        } else {
            char tmp[64];
            const char *s = svg_x_label(c, i, tmp, sizeof tmp);
            w = svg_text_fit(s, SVG_FONT_TICK, SVG_LABEL_MAX_W) ? SVG_LABEL_MAX_W
                                                                : svg_text_width(s, SVG_FONT_TICK);
        }
        double a = svg_label_left(svg_x(c, i), w);
        if (a < prev_right + (rotated ? 4 : SVG_TICK_GAP))
            return 0;
        prev_right = a + w;
        if (i > c->s->n - step)
            break;
    }
    return 1;
}

static size_t svg_pick_step(const struct svg_chart *c, int rotated)
{
    for (size_t k = 0;; k++) {
        size_t step = svg_step_candidate(k);
        if (step >= c->s->n || svg_step_fits(c, step, rotated))
            return step;
    }
}

/* Tick k of a by-value layout: its x value and its label. */
static double svg_value_tick(const struct svg_xticks *t, size_t k, char *txt, size_t n)
{
    if (t->months) {
        double v = svg_month_start((long long)t->first + (long long)k * t->months);
        svg_date(txt, n, v, t->months % 12 == 0 ? SVG_DATE_YEAR : SVG_DATE_MONTH);
        return v;
    }
    double v = t->first + (double)k * t->num_step;
    svg_tick_text(txt, n, v, t->num_step > 0 ? svg_step_decimals(t->num_step) : -1);
    return v;
}

static double svg_x_of_value(const struct svg_chart *c, double v)
{
    return c->left + (v - c->x_lo) / (c->x_hi - c->x_lo) * (c->right - c->left);
}

/* Do the by-value ticks in t fit side by side? */
static int svg_value_ticks_fit(const struct svg_chart *c, const struct svg_xticks *t)
{
    double prev_right = -1e9;
    for (size_t k = 0; k < t->count; k++) {
        char txt[64];
        double v = svg_value_tick(t, k, txt, sizeof txt);
        double w = svg_text_width(txt, SVG_FONT_TICK);
        double a = svg_label_left(svg_x_of_value(c, v), w);
        if (a < prev_right + SVG_TICK_GAP)
            return 0;
        prev_right = a + w;
    }
    return 1;
}

/* Daily or weekly dates: a tick on the 1st of every month, quarter, half year or year (or more),
 * whichever is the finest that fits. Returns 0 when the series spans too little for it. */
static int svg_calendar_ticks(const struct svg_chart *c, struct svg_xticks *t)
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
    long long m_lo = svg_month_of(lo), m_hi = svg_month_of(hi);
    if (svg_month_start(m_lo) < lo)
        m_lo++;
    if (m_hi - m_lo < 2) /* fewer than three month starts: the points' own dates read better */
        return 0;
    for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
        long long step = steps[k];
        long long first = m_lo + ((step - m_lo % step) % step + step) % step; /* aligned: quarters at Jan, Apr... */
        if (first > m_hi)
            continue;
        *t = (struct svg_xticks){.by_value = 1, .first = (double)first, .months = step,
                                 .count = (size_t)((m_hi - first) / step + 1), .height = t->height};
        if (t->count >= 2 && svg_value_ticks_fit(c, t))
            return 1;
    }
    return 0;
}

/* Numbers: ticks at nice values inside the data range, stepping up until the labels fit. */
static void svg_num_ticks(const struct svg_chart *c, struct svg_xticks *t)
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
    double step = svg_nice_step((hi - lo) / 20);
    if (integers && step < 1)
        step = 1;
    for (int tries = 0; tries < 80; tries++, step = svg_nice_step(step * 1.01)) {
        double first = ceil(lo / step) * step;
        double count = floor((hi - first) / step + 1e-9) + 1;
        if (!(count <= 200))
            continue;
        int dec = svg_step_decimals(step), ok = 1;
        double prev_right = -1e9;
        for (size_t k = 0; k < (size_t)count && ok; k++) {
            double v = first + (double)k * step;
            char txt[64];
            svg_tick_text(txt, sizeof txt, v, dec);
            double w = svg_text_width(txt, SVG_FONT_TICK);
            double x = c->left + (v - c->x_lo) / (c->x_hi - c->x_lo) * (c->right - c->left);
            double a = svg_label_left(x, w);
            ok = a >= prev_right + SVG_TICK_GAP;
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

void svg_xticks_make(const struct svg_chart *c, struct svg_xticks *t)
{
    *t = (struct svg_xticks){.step = 1, .height = SVG_FONT_TICK + 14};
    if (c->s->n == 0)
        return;
    if (c->s->x_kind == CHART_X_NUMBER) {
        svg_num_ticks(c, t);
        return;
    }
    if (c->s->x_kind == CHART_X_DATE && c->date_style == SVG_DATE_DAY && svg_calendar_ticks(c, t))
        return;
    size_t h = svg_pick_step(c, 0), v = svg_pick_step(c, 1);
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
        const char *s = svg_x_label(c, i, tmp, sizeof tmp);
        double w = svg_text_width(s, SVG_FONT_TICK);
        widest = w > widest ? w : widest;
        if (i > c->s->n - v)
            break;
    }
    t->height = (widest < SVG_LABEL_MAX_W ? widest : SVG_LABEL_MAX_W) + 14;
}

void svg_yaxis_draw(const struct svg_chart *c, const struct svg_yticks *t)
{
    struct buf *b = c->out;
    buf_printf(b, "<g class=\"y-axis\" font-size=\"%.0f\" fill=\"%s\">\n", SVG_FONT_TICK, SVG_C_MUTED);
    for (size_t k = 0; k < t->n; k++) {
        double v = t->lo + (double)k * t->step, y = svg_y(c, v);
        char s[64];
        svg_tick_text(s, sizeof s, v, t->decimals);
        buf_printf(b, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"%s\"/>\n",
                   c->left, c->right, y, y, SVG_C_GRID);
        buf_printf(b, "<text class=\"y-tick\" x=\"%.2f\" y=\"%.2f\" dy=\"0.35em\" text-anchor=\"end\">",
                   c->left - 8, y);
        svg_text(b, s, 0);
        buf_puts(b, "</text>\n");
    }
    if (c->s->y_label[0]) {
        double cy = (c->top + c->bottom) / 2;
        size_t cut = svg_text_fit(c->s->y_label, 13, c->bottom - c->top);
        buf_printf(b, "<text class=\"y-label\" transform=\"translate(20 %.2f) rotate(-90)\" "
                      "text-anchor=\"middle\" font-size=\"13\" fill=\"%s\">", cy, SVG_C_TEXT);
        svg_text(b, c->s->y_label, cut);
        buf_puts(b, "</text>\n");
    }
    buf_puts(b, "</g>\n");
}

static void svg_xlabel(struct buf *b, double x, double y, const char *s, const struct svg_xticks *t)
{
    if (t->rotated) {
        size_t cut = svg_text_fit(s, SVG_FONT_TICK, SVG_LABEL_MAX_W);
        buf_printf(b, "<text class=\"x-tick\" transform=\"translate(%.2f %.2f) rotate(-90)\" "
                      "dy=\"0.35em\" text-anchor=\"end\">", x, y);
        svg_text(b, s, cut);
    } else {
        size_t cut = svg_text_fit(s, SVG_FONT_TICK, SVG_LABEL_MAX_W);
        double w = cut ? SVG_LABEL_MAX_W : svg_text_width(s, SVG_FONT_TICK);
        /* Centred on its box: the estimate is wider than the real text, so it stays inside. */
        double mid = svg_label_left(x, w) + w / 2;
        buf_printf(b, "<text class=\"x-tick\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">", mid,
                   y + SVG_FONT_TICK);
        svg_text(b, s, cut);
    }
    buf_puts(b, "</text>\n");
}

void svg_xaxis_draw(const struct svg_chart *c, const struct svg_xticks *t)
{
    struct buf *b = c->out;
    const struct chart_series *s = c->s;
    double y0 = c->bottom;
    buf_printf(b, "<g class=\"x-axis\" font-size=\"%.0f\" fill=\"%s\">\n", SVG_FONT_TICK, SVG_C_MUTED);
    buf_printf(b, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"%s\"/>\n", c->left,
               c->right, y0, y0, SVG_C_MUTED);
    if (s->n && t->by_value) {
        for (size_t k = 0; k < t->count; k++) {
            char txt[64];
            double x = svg_x_of_value(c, svg_value_tick(t, k, txt, sizeof txt));
            buf_printf(b, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"%s\"/>\n", x,
                       x, y0, y0 + 5, SVG_C_MUTED);
            svg_xlabel(b, x, y0 + 8, txt, t);
        }
    } else {
        for (size_t i = 0; i < s->n; i += t->step) {
            double x = svg_x(c, i);
            char tmp[64];
            buf_printf(b, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"%s\"/>\n", x,
                       x, y0, y0 + 5, SVG_C_MUTED);
            svg_xlabel(b, x, y0 + 8, svg_x_label(c, i, tmp, sizeof tmp), t);
            if (i > s->n - t->step)
                break;
        }
    }
    buf_puts(b, "</g>\n");
}
