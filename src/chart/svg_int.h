#ifndef PURPOSE_SVG_INT_H
#define PURPOSE_SVG_INT_H

/* Private to src/chart/svg*.c: the layout shared by the chart body (svg.c), the axes
 * (svg_axis.c), the icons (svg_icons.c) and the text helpers (svg_text.c). */

#include <stddef.h>

#include "chart/chart.h"

#define SVG_W 960.0
#define SVG_H 540.0
#define SVG_FONT_TICK 12.0
#define SVG_TICK_GAP 6.0 /* free space kept between two tick labels */

/* MDC colours (NHS identity palette). Improvement uses NHS blue rather than light blue: small
 * dots in light blue fall below the 3:1 contrast WCAG asks of graphics on white. */
#define SVG_C_IMPROVEMENT "#005EB8"
#define SVG_C_CONCERN "#ED8B00"
#define SVG_C_NEUTRAL "#7030A0"
#define SVG_C_COMMON "#A6A6A6"
#define SVG_C_TEXT "#231F20"
#define SVG_C_MUTED "#425563"
#define SVG_C_GRID "#E8EDEE"
#define SVG_C_TARGET "#007F3B"

/* How date ticks are written: chosen once per chart from the data's calendar regularity. */
enum svg_date_style { SVG_DATE_DAY, SVG_DATE_MONTH, SVG_DATE_YEAR };

/* One chart being drawn: the plot area in SVG units and the data-to-plot mapping. */
struct svg_chart {
    const struct chart_series *s;
    struct buf *out;
    double left, right, top, bottom; /* plot area */
    double x_lo, x_hi;               /* x domain: values, or indices for labels */
    double y_lo, y_hi;               /* y domain, after nice rounding */
    enum svg_date_style date_style;
};

/* X tick layout, decided before the plot area is final (rotated labels need a taller margin).
 * Either ticks at every step-th point (labels; monthly or yearly dates), or `count` ticks placed
 * by value: numbers at first + k * num_step, or dates on the 1st of every `months`-th month from
 * month `first`. */
struct svg_xticks {
    int rotated;      /* labels run bottom-to-top */
    int by_value;
    size_t step;
    double num_step;
    double first;
    size_t count;
    long long months; /* 0 for numbers */
    double height;    /* vertical space the labels take below the axis */
};

/* Nice y ticks: n values lo, lo+step, ... hi, printed with `decimals`. */
struct svg_yticks {
    double lo, hi, step;
    size_t n;
    int decimals;
    double label_w; /* widest tick label, estimated */
};

/* svg_text.c */
/* The one XML escaper: appends s with & < > " ' escaped, control characters dropped and invalid
 * UTF-8 replaced by U+FFFD, cut to max_chars code points (then an ellipsis); 0 = no cut. */
void svg_text(struct buf *b, const char *s, size_t max_chars);
/* Estimated width of s drawn at font size fs. Deliberately generous (it also covers DejaVu Sans,
 * Chromium's fallback when Arial is missing) so labels placed apart by it never touch. */
double svg_text_width(const char *s, double fs);
/* Code points of s that fit in max_w at fs, counting an ellipsis if it must be cut; 0 = all fit. */
size_t svg_text_fit(const char *s, double fs, double max_w);
/* Commas between thousands in a printed number of 5 or more integer digits ("12,345.6"). */
void svg_group_digits(char *out, size_t n);
/* A readable number: about 3 significant figures, trailing zeros dropped ("91.1", "1234",
 * "12,346"). */
void svg_num(char *out, size_t n, double v);
/* A date from seconds since 1970-01-01 UTC: "2 Jan 2023", "Jan 2023" or "2023". */
void svg_date(char *out, size_t n, double secs, enum svg_date_style style);
/* Months counted from year 0 (year * 12 + month - 1), and back to the 1st of one, in seconds.
 * Callers keep secs within svg_date's ±1e15. */
long long svg_month_of(double secs);
double svg_month_start(long long month);

/* svg_axis.c */
double svg_x(const struct svg_chart *c, size_t i);
double svg_y(const struct svg_chart *c, double v);
/* Text of point i's x label (tmp holds formatted dates). */
const char *svg_x_label(const struct svg_chart *c, size_t i, char *tmp, size_t n);
enum svg_date_style svg_date_style_of(const struct chart_series *s);
void svg_yticks_make(struct svg_yticks *t, double lo, double hi, double plot_h);
/* Chooses the x labels for the current plot width (c->left, c->right, x domain set). */
void svg_xticks_make(const struct svg_chart *c, struct svg_xticks *t);
void svg_yaxis_draw(const struct svg_chart *c, const struct svg_yticks *t);
void svg_xaxis_draw(const struct svg_chart *c, const struct svg_xticks *t);

/* svg_icons.c */
void svg_icon_variation(struct buf *b, double cx, double cy, double r, enum spc_variation v);
void svg_icon_assurance(struct buf *b, double cx, double cy, double r, enum spc_assurance a);
const char *svg_variation_words(enum spc_variation v);
const char *svg_assurance_words(enum spc_assurance a);

#endif
