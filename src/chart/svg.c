/* The SVG renderer: writes a laid-out chart (layout.h) as one SVG document. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart_int.h"
#include "core/banned.h"

/* A dash list scaled by unit: "0.16 0.1" at 25 -> "4.00 2.50". */
static void svg_dash(struct buf *b, const char *dash, double unit)
{
    if (unit == 0 || unit == 1) {
        buf_puts(b, dash);
        return;
    }
    const char *p = dash;
    for (int k = 0; *p; k++) {
        char *end;
        double v = strtod(p, &end);
        if (end == p)
            break;
        buf_printf(b, "%s%.2f", k ? " " : "", v * unit);
        p = end + strspn(end, " ,");
    }
}

static void svg_class(struct buf *b, const char *cls)
{
    if (cls)
        buf_printf(b, " class=\"%s\"", cls);
}

static void svg_stroke(struct buf *b, const struct chart_shape *s)
{
    if (!s->stroke)
        return;
    buf_printf(b, " stroke=\"%s\" stroke-width=\"%.2f\"", s->stroke, s->stroke_w);
    if (s->dash) {
        buf_puts(b, " stroke-dasharray=\"");
        svg_dash(b, s->dash, s->dash_unit);
        buf_putc(b, '"');
    }
}

static int svg_line(struct buf *b, const struct chart_layout *l, const struct chart_shape *s)
{
    const struct chart_pt *p = l->pts + s->p0;
    if (s->np < 2)
        return 0;
    bool gaps = false;
    for (size_t i = 0; i < s->np; i++)
        gaps |= isnan(p[i].x);
    if (s->np == 2 && !gaps && !s->round) {
        buf_puts(b, "<line");
        svg_class(b, s->cls);
        buf_printf(b, " x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\"", p[0].x, p[1].x, p[0].y, p[1].y);
    } else if (!gaps && !s->round) {
        buf_puts(b, "<polyline");
        svg_class(b, s->cls);
        buf_puts(b, " fill=\"none\" points=\"");
        for (size_t i = 0; i < s->np; i++)
            buf_printf(b, "%s%.2f,%.2f", i ? " " : "", p[i].x, p[i].y);
        buf_putc(b, '"');
    } else {
        buf_puts(b, "<path");
        svg_class(b, s->cls);
        buf_puts(b, " fill=\"none\"");
        if (s->round)
            buf_puts(b, " stroke-linejoin=\"round\"");
        buf_puts(b, " d=\"");
        int pen = 0;
        for (size_t i = 0; i < s->np; i++) {
            if (isnan(p[i].x)) {
                pen = 0;
                continue;
            }
            buf_printf(b, "%c%.2f %.2f", pen ? 'L' : 'M', p[i].x, p[i].y);
            pen = 1;
        }
        buf_putc(b, '"');
    }
    svg_stroke(b, s);
    buf_puts(b, "/>\n");
    return 1;
}

static void svg_text_shape(struct buf *b, const struct chart_layout *l, const struct chart_shape *s)
{
    static const char *const anchors[] = {"start", "middle", "end"};
    buf_puts(b, "<text");
    svg_class(b, s->cls);
    if (s->rotated)
        buf_printf(b, " transform=\"translate(%.2f %.2f) rotate(-90)\"", s->x, s->y);
    else
        buf_printf(b, " x=\"%.2f\" y=\"%.2f\"", s->x, s->y);
    if (s->vmid)
        buf_puts(b, " dy=\"0.35em\"");
    if (s->anchor != CHART_ANCHOR_START)
        buf_printf(b, " text-anchor=\"%s\"", anchors[s->anchor]);
    buf_printf(b, " font-size=\"%.4g\"", s->font);
    if (s->bold)
        buf_puts(b, " font-weight=\"bold\"");
    if (s->fill)
        buf_printf(b, " fill=\"%s\"", s->fill);
    buf_putc(b, '>');
    chart_text_xml(b, chart_layout_text(l, s->text), s->cut);
    buf_puts(b, "</text>\n");
}

int chart_layout_svg(struct buf *out, const struct chart_layout *l, struct chart_counts *counts,
                     struct purpose_err *err)
{
    struct chart_counts n = {0};
    buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
                    "height=\"%.0f\" role=\"img\" aria-labelledby=\"purpose-chart-title purpose-chart-desc\" "
                    "font-family=\"Arial, 'Liberation Sans', Helvetica, sans-serif\">\n",
               l->w, l->h, l->w, l->h);
    buf_puts(out, "<title id=\"purpose-chart-title\">");
    chart_text_xml(out, chart_layout_text(l, l->title), 0);
    buf_puts(out, "</title>\n<desc id=\"purpose-chart-desc\">");
    chart_text_xml(out, chart_layout_text(l, l->desc), 0);
    buf_puts(out, "</desc>\n");
    for (size_t k = 0; k < l->n_shapes; k++) {
        const struct chart_shape *s = &l->shapes[k];
        switch (s->kind) {
        case CHART_GROUP:
            buf_puts(out, "<g");
            svg_class(out, s->cls);
            buf_puts(out, ">\n");
            if (s->text != CHART_NO_TEXT) {
                buf_puts(out, "<title>");
                chart_text_xml(out, chart_layout_text(l, s->text), 0);
                buf_puts(out, "</title>\n");
            }
            break;
        case CHART_GROUP_END:
            buf_puts(out, "</g>\n");
            break;
        case CHART_RECT:
            buf_puts(out, "<rect");
            svg_class(out, s->cls);
            buf_printf(out, " x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"", s->x, s->y, s->w,
                       s->h, s->fill ? s->fill : "none");
            svg_stroke(out, s);
            buf_puts(out, "/>\n");
            n.rects++;
            break;
        case CHART_LINE:
            n.lines += (size_t)svg_line(out, l, s);
            break;
        case CHART_CIRCLE:
            buf_puts(out, "<circle");
            svg_class(out, s->cls);
            buf_printf(out, " cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\" fill=\"%s\"", s->x, s->y, s->r,
                       s->fill ? s->fill : "none");
            svg_stroke(out, s);
            buf_puts(out, "/>\n");
            n.circles++;
            break;
        case CHART_TEXT:
            svg_text_shape(out, l, s);
            n.texts++;
            break;
        }
    }
    buf_puts(out, "</svg>\n");
    if (counts)
        *counts = n;
    if (out->failed)
        return purpose_errf(err, "chart: the SVG does not fit in %zu bytes", out->limit);
    return 0;
}

int chart_svg(struct buf *out, const struct chart_series *s, struct purpose_err *err)
{
    struct chart_layout l;
    chart_layout_init(&l, CHART_W, CHART_H);
    int rc = chart_layout_build(&l, s, err);
    if (rc == 0)
        rc = chart_layout_svg(out, &l, NULL, err);
    chart_layout_release(&l);
    return rc;
}
