#ifndef PURPOSE_CHART_CAIRO_H
#define PURPOSE_CHART_CAIRO_H

/* The cairo renderer: draws a laid-out chart or page (layout.h) on any cairo context, in layout
 * units (the caller scales and translates). Text is set in Liberation Sans (Arial's metrics). */

#include <cairo.h>

#include "chart/layout.h"
#include "purpose/err.h"

/* Draws l; counts (may be NULL) receives the shapes drawn. */
void chart_cairo_draw(cairo_t *cr, const struct chart_layout *l, struct chart_counts *counts);

/* A cairo write function appending to a struct buf (the closure). */
cairo_status_t chart_cairo_to_buf(void *closure, const unsigned char *data, unsigned int length);

/* Checks a surface and its context after drawing: 0, or -1 with err naming what failed. */
int chart_cairo_check(cairo_surface_t *surface, cairo_t *cr, struct purpose_err *err);

#endif
