#ifndef PURPOSE_CHART_FUNNEL_H
#define PURPOSE_CHART_FUNNEL_H

/* A funnel plot (include/purpose/funnel.h's figures) laid out once as a chart_layout and drawn by
 * the same renderers as an SPC chart: SVG (svg.c) and PNG (cairo.c). Proportion (%) against the
 * denominator, the target line, the 95% (dashed) and 99.8% (solid) limits as curves, and a dot
 * per unit: grey within the 95% limits, an open purple ring between the 95% and 99.8% limits, a
 * filled purple dot beyond the 99.8% ones (NHS purple: a difference that is not chance, with no
 * direction called better). Each dot's tooltip names its unit and figures; with 30 units or fewer
 * each is labelled too. Pure: no I/O. */

#include <stddef.h>
#include <stdint.h>

#include "chart/layout.h"
#include "core/buf.h"
#include "purpose/err.h"
#include "purpose/funnel.h"

/* Borrowed views, read while the chart is laid out. */
struct chart_funnel {
    const char *title;           /* what is compared, e.g. the measure's name; never NULL */
    size_t n;                    /* units */
    const char *const *label;    /* a short label per unit (an ODS code), drawn beside its dot */
    const char *const *name;     /* a full name per unit, for its tooltip; NULL: the label */
    const uint64_t *num, *den;
    const struct spc_funnel_point *pt; /* spc_funnel's answer for them */
    double theta;                /* the target */
};

/* Lays the funnel out into l (reset first, sized CHART_W x CHART_H). 0, or -1 with err. */
int chart_funnel_layout(struct chart_layout *l, const struct chart_funnel *f, struct purpose_err *err);
/* The funnel as one SVG document or a PNG image (2 pixels per layout unit), appended to out. */
int chart_funnel_svg(struct buf *out, const struct chart_funnel *f, struct purpose_err *err);
int chart_funnel_png(struct buf *out, const struct chart_funnel *f, struct purpose_err *err);

#endif
