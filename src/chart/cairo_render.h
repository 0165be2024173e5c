#ifndef PURPOSE_CHART_CAIRO_H
#define PURPOSE_CHART_CAIRO_H

/* The cairo renderer: draws a laid-out chart or page (layout.h) on any cairo context, in layout
 * units (the caller scales and translates). Text is set in Liberation Sans (Arial's metrics).
 *
 * cairo is not linked: it and its dozen libraries (fontconfig, freetype, pixman, png...) would load
 * at every start of `purpose`, though only PNG and PDF output draw with it. chart_cairo_load opens
 * libcairo.so.2 on first use and fills chart_cr with the functions the renderer calls, each typed
 * as cairo.h declares it; the renderer calls chart_cr.NAME for cairo_NAME. */

#include <cairo.h>
#include <cairo-pdf.h>

#include "chart/layout.h"
#include "purpose/err.h"

#define CHART_CAIRO_FUNCTIONS(X)                                                                            \
    X(arc) X(create) X(destroy) X(fill) X(fill_preserve) X(image_surface_create) X(line_to) X(move_to)      \
    X(new_path) X(pdf_surface_create_for_stream) X(pdf_surface_set_metadata) X(rectangle) X(restore)        \
    X(rotate) X(save) X(scale) X(select_font_face) X(set_dash) X(set_font_size) X(set_line_join)            \
    X(set_line_width) X(set_source_rgb) X(show_page) X(show_text) X(status) X(status_to_string) X(stroke)   \
    X(surface_destroy) X(surface_finish) X(surface_status) X(surface_write_to_png_stream) X(text_extents)   \
    X(translate)

struct chart_cairo_api {
#define CHART_CAIRO_MEMBER(name) __typeof__(cairo_##name) *name;
    CHART_CAIRO_FUNCTIONS(CHART_CAIRO_MEMBER)
#undef CHART_CAIRO_MEMBER
};
/* Filled by chart_cairo_load; read only after it returned 0. */
extern struct chart_cairo_api chart_cr;

/* Loads cairo once per process (thread-safe). Returns 0, or -1 with err saying what to install. */
int chart_cairo_load(struct purpose_err *err);

/* Draws l; counts (may be NULL) receives the shapes drawn. */
void chart_cairo_draw(cairo_t *cr, const struct chart_layout *l, struct chart_counts *counts);

/* A cairo write function appending to a struct buf (the closure). */
cairo_status_t chart_cairo_to_buf(void *closure, const unsigned char *data, unsigned int length);

/* Checks a surface and its context after drawing: 0, or -1 with err naming what failed. */
int chart_cairo_check(cairo_surface_t *surface, cairo_t *cr, struct purpose_err *err);

#endif
