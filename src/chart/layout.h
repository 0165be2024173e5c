#ifndef PURPOSE_CHART_LAYOUT_H
#define PURPOSE_CHART_LAYOUT_H

/* A chart laid out once, drawn by every renderer: the SVG writer (svg.c) and cairo (cairo.c)
 * both walk the same list of shapes, so a PNG, a PDF and an SVG of one chart cannot differ.
 * Pure: building a layout measures text with chart_text_width's generous estimate, does no I/O.
 *
 * A layout is a flat list of shapes in drawing order. Every shape carries its whole style (no
 * inheritance), so a renderer needs no state beyond the current shape. Groups only name what
 * their shapes are for (an SVG <g class>, a tooltip); renderers that have no groups skip them. */

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "purpose/spc.h"

enum chart_shape_kind {
    CHART_GROUP,     /* opens a group: cls, and a tooltip in text (NO_TEXT for none) */
    CHART_GROUP_END,
    CHART_RECT,      /* x, y, w, h, filled */
    CHART_LINE,      /* through pts[p0 .. p0 + np); a NaN x lifts the pen: a gap is never bridged */
    CHART_CIRCLE,    /* centre x, y, radius r */
    CHART_TEXT,      /* text at x, y (its baseline, or its middle when vmid) */
};

enum chart_anchor { CHART_ANCHOR_START, CHART_ANCHOR_MIDDLE, CHART_ANCHOR_END };

#define CHART_NO_TEXT ((size_t)-1)

struct chart_pt {
    double x, y;
};

/* Colours are "#RRGGBB" literals; dashes are SVG dash lists ("7 4"); class names are literals.
 * All are static strings, never owned. */
struct chart_shape {
    enum chart_shape_kind kind;
    const char *cls;    /* what it is: "mean", "limit upl", "pt imp", "x-tick"...; NULL for none */
    const char *fill;   /* NULL: none */
    const char *stroke; /* NULL: none */
    double stroke_w;
    const char *dash;   /* NULL: solid */
    double dash_unit;   /* the dash lengths are multiples of this; 0 = 1 */
    bool round;         /* round line joins */
    double x, y, w, h, r;
    size_t p0, np;      /* CHART_LINE */
    size_t text;        /* offset into the layout's text pool, or CHART_NO_TEXT */
    size_t cut;         /* code points shown, an ellipsis counted; 0 = all */
    double font;        /* text size */
    bool bold, vmid, rotated; /* rotated: reads bottom to top, turned about (x, y) */
    enum chart_anchor anchor;
};

/* Owns its shapes, points and text pool: chart_layout_init, build, chart_layout_release. A
 * failed allocation sets failed; later additions do nothing (as struct buf). */
struct chart_layout {
    double w, h;                     /* the drawing */
    double left, right, top, bottom; /* the plot area, for tests and readers */
    size_t title, desc;              /* the document's title and description, in text */
    struct chart_shape *shapes;
    size_t n_shapes, cap_shapes;
    struct chart_pt *pts;
    size_t n_pts, cap_pts;
    struct buf text;                 /* NUL-separated strings */
    bool failed;
};

void chart_layout_init(struct chart_layout *l, double w, double h);
void chart_layout_reset(struct chart_layout *l); /* empty it, keep the memory */
void chart_layout_release(struct chart_layout *l);

static inline const char *chart_layout_text(const struct chart_layout *l, size_t off)
{
    return off == CHART_NO_TEXT || !l->text.data ? "" : l->text.data + off;
}

/* Building blocks, for the chart and for report pages. Each returns the shape's index, or
 * (size_t)-1 once the layout has failed. */
struct chart_style {
    const char *fill, *stroke, *dash;
    double stroke_w, dash_unit;
    bool round;
};
struct chart_font {
    double size;
    const char *colour;
    enum chart_anchor anchor;
    bool bold, vmid, rotated;
};
size_t chart_add_text_at(struct chart_layout *l, const char *s); /* into the pool: an offset */
size_t chart_group(struct chart_layout *l, const char *cls, const char *tooltip);
size_t chart_group_end(struct chart_layout *l);
size_t chart_rect(struct chart_layout *l, const char *cls, double x, double y, double w, double h,
                  const struct chart_style *st);
size_t chart_line(struct chart_layout *l, const char *cls, const struct chart_style *st); /* then chart_pt */
void chart_pt(struct chart_layout *l, double x, double y); /* appends to the last line */
size_t chart_hline(struct chart_layout *l, const char *cls, double x1, double x2, double y,
                   const struct chart_style *st);
size_t chart_circle(struct chart_layout *l, const char *cls, double x, double y, double r,
                    const struct chart_style *st);
size_t chart_text(struct chart_layout *l, const char *cls, double x, double y, const char *s, size_t cut,
                  const struct chart_font *f);

/* The MDC icons, drawn as shapes centred on cx, cy with radius r (a caption below unless
 * caption is false). Assurance NONE adds nothing. */
void chart_icon_variation(struct chart_layout *l, double cx, double cy, double r, enum spc_variation v,
                          bool caption);
void chart_icon_assurance(struct chart_layout *l, double cx, double cy, double r, enum spc_assurance a,
                          bool caption);

/* Word-wraps s into lines of at most max_w at font size fs, adding one text shape per line
 * from y down, line_h apart. Returns the y below the last line. */
double chart_paragraph(struct chart_layout *l, const char *cls, double x, double y, double max_w,
                       double line_h, const char *s, const struct chart_font *f);

/* Appends src's shapes to dst, scaled by scale and then moved by dx, dy (sizes, widths, dashes
 * and fonts scale too): a chart placed on a report page. */
void chart_layout_append(struct chart_layout *dst, const struct chart_layout *src, double dx, double dy,
                         double scale);

/* Shapes drawn, by kind: the renderers count what they draw so tests can hold them equal. */
struct chart_counts {
    size_t rects, lines, circles, texts;
};

#endif
