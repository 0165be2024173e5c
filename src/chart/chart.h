#ifndef PURPOSE_CHART_H
#define PURPOSE_CHART_H

/* Chart rendering: turns one computed SPC series into an SVG document. Pure: writes into a
 * caller-owned buffer, no I/O. */

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "purpose/err.h"
#include "purpose/spc.h"

enum chart_x_kind { CHART_X_LABEL, CHART_X_NUMBER, CHART_X_DATE };

/* Borrowed views: the chart reads them during chart_svg and keeps nothing. */
struct chart_series {
    const char *title;            /* chart title, e.g. the series name; never NULL */
    const char *y_label;          /* the measure, e.g. the y column name; never NULL */
    size_t n;                     /* points, in chart order */
    const double *y;              /* NaN = missing */
    enum chart_x_kind x_kind;
    const double *x_value;        /* numbers, or dates as seconds since 1970-01-01 UTC; unused for labels */
    const char *const *x_text;    /* x as given in the input, n entries */
    const struct spc_result *res; /* computed by spc_xmr on y */
    const struct spc_options *opt;
};

/* Appends one complete SVG document to out. Returns 0, or -1 with err filled. */
int chart_svg(struct buf *out, const struct chart_series *s, struct purpose_err *err);

#endif
