#ifndef PURPOSE_CHART_INT_H
#define PURPOSE_CHART_INT_H

/* Private to src/chart: what the chart body (layout.c), the axes (axis.c), the icons (icons.c),
 * the text helpers (text.c) and the renderers share. */

#include <stddef.h>

#include "chart/chart.h"

#define CHART_W 960.0 /* a chart's drawing, in layout units (1/96 inch; points in PDF) */
#define CHART_H 540.0
#define CHART_FONT_TICK 12.0
#define CHART_TICK_GAP 6.0 /* free space kept between two tick labels */

/* MDC colours (NHS identity palette). Improvement uses NHS blue rather than light blue: small
 * dots in light blue fall below the 3:1 contrast WCAG asks of graphics on white. */
#define CHART_C_IMPROVEMENT "#005EB8"
#define CHART_C_CONCERN "#ED8B00"
#define CHART_C_NEUTRAL "#7030A0"
#define CHART_C_COMMON "#A6A6A6"
#define CHART_C_TEXT "#231F20"
#define CHART_C_MUTED "#425563"
#define CHART_C_GRID "#E8EDEE"
#define CHART_C_TARGET "#007F3B"

/* How date ticks are written: chosen once per chart from the data's calendar regularity. */
enum chart_date_style { CHART_DATE_DAY, CHART_DATE_MONTH, CHART_DATE_YEAR };

/* One chart being laid out: the plot area in layout units and the data-to-plot mapping. */
struct chart_plot {
    const struct chart_series *s;
    struct chart_layout *l;
    double left, right, top, bottom; /* plot area */
    double x_lo, x_hi;               /* x domain: values, or indices for labels */
    double y_lo, y_hi;               /* y domain, after nice rounding */
    enum chart_date_style date_style;
};

/* X tick layout, decided before the plot area is final (rotated labels need a taller margin).
 * Either ticks at every step-th point (labels; monthly or yearly dates), or `count` ticks placed
 * by value: numbers at first + k * num_step, or dates on the 1st of every `months`-th month from
 * month `first`. */
struct chart_xticks {
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
struct chart_yticks {
    double lo, hi, step;
    size_t n;
    int decimals;
    double label_w; /* widest tick label, estimated */
};

/* text.c */
/* The one XML escaper: appends s with & < > " ' escaped, control characters dropped and invalid
 * UTF-8 replaced by U+FFFD, cut to max_chars code points (then an ellipsis); 0 = no cut. */
void chart_text_xml(struct buf *b, const char *s, size_t max_chars);
/* The same text unescaped, for renderers that draw it (cairo): controls dropped, invalid UTF-8
 * replaced, cut the same way. */
void chart_text_plain(struct buf *b, const char *s, size_t max_chars);
/* Estimated width of s drawn at font size fs. Deliberately generous (it also covers DejaVu Sans,
 * Chromium's fallback when Arial is missing) so labels placed apart by it never touch. */
double chart_text_width(const char *s, double fs);
/* Code points of s that fit in max_w at fs, counting an ellipsis if it must be cut; 0 = all fit. */
size_t chart_text_fit(const char *s, double fs, double max_w);
/* Commas between thousands in a printed number of 5 or more integer digits ("12,345.6"). */
void chart_group_digits(char *out, size_t n);
/* A readable number: about 3 significant figures (4 from 100 to 1,000), trailing zeros dropped
 * ("91.1", "100.6", "1234", "12,346"). */
void chart_num(char *out, size_t n, double v);
/* A date from seconds since 1970-01-01 UTC: "2 Jan 2023", "Jan 2023" or "2023". */
void chart_date(char *out, size_t n, double secs, enum chart_date_style style);
/* Months counted from year 0 (year * 12 + month - 1), and back to the 1st of one, in seconds.
 * Callers keep secs within chart_date's ±1e15. */
long long chart_month_of(double secs);
double chart_month_start(long long month);

/* axis.c */
double chart_px(const struct chart_plot *c, size_t i);
double chart_py(const struct chart_plot *c, double v);
/* Text of point i's x label (tmp holds formatted dates). */
const char *chart_x_label(const struct chart_plot *c, size_t i, char *tmp, size_t n);
enum chart_date_style chart_date_style_of(const struct chart_series *s);
void chart_yticks_make(struct chart_yticks *t, double lo, double hi, double plot_h);
/* Chooses the x labels for the current plot width (c->left, c->right, x domain set). */
void chart_xticks_make(const struct chart_plot *c, struct chart_xticks *t);
void chart_yaxis(const struct chart_plot *c, const struct chart_yticks *t);
void chart_xaxis(const struct chart_plot *c, const struct chart_xticks *t);

/* notes.c */
/* Draws s->notes on the laid-out plot, over the data: a label stays readable across the dots. */
void chart_notes_draw(const struct chart_plot *c);
/* A note within CHART_NOTE_WITHIN points of point `start` (where a shift or trend began): appends
 * " The shift began 2 weeks after 'new triage model' (3 Mar 2025)." with what = "shift". */
#define CHART_NOTE_WITHIN 3
void chart_notes_reading(struct buf *b, const struct chart_series *s, size_t start, const char *what);
/* When the latest points make a shift (CHART_SHIFT_POINTS or more on one side of the centre line,
 * ending at point last, whichever rule the reading named), the note near where it began. */
#define CHART_SHIFT_POINTS 7 /* MDC: 7 points make a shift (src/spc/rules.c) */
void chart_notes_shift(struct buf *b, const struct chart_series *s, size_t last);

/* layout.c: the last group (since the last rebase), NULL when there is none. */
const struct spc_group *chart_last_group(const struct chart_series *s);
/* layout_desc.c: the text a screen reader gives for the chart, appended to b. */
void chart_layout_desc(const struct chart_series *s, struct buf *b);

/* icons.c */
const char *chart_variation_colour(enum spc_variation v);
const char *chart_variation_words(enum spc_variation v);
const char *chart_assurance_words(enum spc_assurance a);
const char *chart_type_words(enum spc_chart c); /* "XmR chart", "P′ chart"... */

#endif
