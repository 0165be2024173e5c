#ifndef PURPOSE_CHART_H
#define PURPOSE_CHART_H

/* Chart rendering: one computed SPC series laid out once (chart_layout_build, layout.h) and
 * drawn as SVG, PNG or PDF from that layout. Pure: writes into a caller-owned buffer, no I/O. */

#include <stdbool.h>
#include <stddef.h>

#include "chart/layout.h"
#include "core/buf.h"
#include "purpose/err.h"
#include "purpose/spc.h"

enum chart_x_kind { CHART_X_LABEL, CHART_X_NUMBER, CHART_X_DATE };

/* A dated note on a chart ("new triage model"), drawn as a labelled marker: a dashed line at x
 * with its label at the top of the plot (notes.c). x is in the series' x units: seconds since
 * 1970-01-01 UTC for dates, the number for numbers, the point's index for labels. */
struct chart_note {
    double x;
    const char *label; /* never NULL */
};

/* Borrowed views: the chart reads them while it is laid out and keeps nothing. */
struct chart_series {
    const char *title;            /* chart title, e.g. the series name; never NULL */
    const char *y_label;          /* the measure, e.g. the y column name; never NULL */
    size_t n;                     /* points, in chart order */
    const double *y;              /* NaN = missing */
    enum chart_x_kind x_kind;
    const double *x_value;        /* numbers, or dates as seconds since 1970-01-01 UTC; unused for labels */
    const char *const *x_text;    /* x as given in the input, n entries */
    const struct spc_result *res; /* computed on y */
    const struct spc_options *opt;
    /* Chart types whose centre and limits vary point by point (P, U...): n entries each, NaN
     * where undefined; the lines are drawn as steps. NULL: each group's mean and limits. */
    const double *centre, *lower, *upper;
    bool centre_only;             /* a run chart: its median alone, no limits */
    const char *centre_name;      /* "Mean" when NULL; "Median" for run charts */
    const struct chart_note *notes; /* n_notes, any order; one outside the x range is not drawn */
    size_t n_notes;
};

/* The centre and limits in force at point i (i < s->n; s computed) as the chart draws them: the
 * caller's arrays, else the engine's per-point lines (P, P', U, U'), else the group's; NaN where
 * there is none (a run chart's limits). */
void chart_point_lines(const struct chart_series *s, size_t i, double *centre, double *lower, double *upper);
/* "Median" on run and G charts (or s->centre_name), else "Mean". */
const char *chart_centre_name(const struct chart_series *s);
/* True when only the centre is drawn: a run chart, or s->centre_only. */
bool chart_centre_only(const struct chart_series *s);

/* Lays the chart out into l (reset first). Returns 0, or -1 with err filled. */
int chart_layout_build(struct chart_layout *l, const struct chart_series *s, struct purpose_err *err);

/* Appends one complete SVG document to out. Returns 0, or -1 with err filled. */
int chart_svg(struct buf *out, const struct chart_series *s, struct purpose_err *err);
/* Writes a laid-out chart as SVG; counts (may be NULL) receives the shapes written. */
int chart_layout_svg(struct buf *out, const struct chart_layout *l, struct chart_counts *counts,
                     struct purpose_err *err);

/* The chart as a PNG image (2 pixels per layout unit) or a one-page PDF, appended to out. */
int chart_png(struct buf *out, const struct chart_series *s, struct purpose_err *err);
int chart_pdf(struct buf *out, const struct chart_series *s, struct purpose_err *err);
/* Any laid-out drawing (a chart, a funnel plot) as a PNG image, 2 pixels per layout unit. */
int chart_layout_png(struct buf *out, const struct chart_layout *l, struct purpose_err *err);

#endif
