/* The cairo renderer: PNG and PDF from the same layout the SVG writer draws. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart/cairo_render.h"
#include "chart/chart_int.h"
#include "core/banned.h"

#define PNG_SCALE 2.0 /* pixels per layout unit: sharp on high-density screens and in print */
#define CAIRO_FONT "Liberation Sans"

static void cr_colour(cairo_t *cr, const char *hex)
{
    unsigned long v = hex && hex[0] == '#' ? strtoul(hex + 1, NULL, 16) : 0;
    chart_cr.set_source_rgb(cr, (double)((v >> 16) & 0xFF) / 255, (double)((v >> 8) & 0xFF) / 255,
                         (double)(v & 0xFF) / 255);
}

static void cr_dash(cairo_t *cr, const char *dash, double unit)
{
    double d[8];
    int n = 0;
    for (const char *p = dash; p && *p && n < 8;) {
        char *end;
        double v = strtod(p, &end);
        if (end == p)
            break;
        d[n++] = v * (unit > 0 ? unit : 1);
        p = end + strspn(end, " ,");
    }
    chart_cr.set_dash(cr, d, n, 0);
}

static void cr_stroke(cairo_t *cr, const struct chart_shape *s)
{
    cr_colour(cr, s->stroke);
    chart_cr.set_line_width(cr, s->stroke_w > 0 ? s->stroke_w : 1);
    cr_dash(cr, s->dash, s->dash_unit);
    chart_cr.set_line_join(cr, s->round ? CAIRO_LINE_JOIN_ROUND : CAIRO_LINE_JOIN_MITER);
    chart_cr.stroke(cr);
}

static int cr_line(cairo_t *cr, const struct chart_layout *l, const struct chart_shape *s)
{
    const struct chart_pt *p = l->pts + s->p0;
    if (s->np < 2 || !s->stroke)
        return s->np >= 2;
    chart_cr.new_path(cr);
    int pen = 0;
    for (size_t i = 0; i < s->np; i++) {
        if (isnan(p[i].x)) {
            pen = 0;
            continue;
        }
        if (pen)
            chart_cr.line_to(cr, p[i].x, p[i].y);
        else
            chart_cr.move_to(cr, p[i].x, p[i].y);
        pen = 1;
    }
    cr_stroke(cr, s);
    return 1;
}

static void cr_text(cairo_t *cr, const struct chart_layout *l, const struct chart_shape *s, struct buf *tmp)
{
    buf_reset(tmp);
    chart_text_plain(tmp, chart_layout_text(l, s->text), s->cut);
    const char *t = tmp->data && !tmp->failed ? tmp->data : "";
    chart_cr.select_font_face(cr, CAIRO_FONT, CAIRO_FONT_SLANT_NORMAL,
                              s->bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    chart_cr.set_font_size(cr, s->font);
    cairo_text_extents_t e;
    chart_cr.text_extents(cr, t, &e);
    double dx = s->anchor == CHART_ANCHOR_MIDDLE ? -e.x_advance / 2 : s->anchor == CHART_ANCHOR_END ? -e.x_advance : 0;
    double dy = s->vmid ? 0.35 * s->font : 0; /* as SVG's dy="0.35em" */
    chart_cr.save(cr);
    chart_cr.translate(cr, s->x, s->y);
    if (s->rotated)
        chart_cr.rotate(cr, -M_PI / 2);
    cr_colour(cr, s->fill);
    chart_cr.move_to(cr, dx, dy);
    chart_cr.show_text(cr, t);
    chart_cr.restore(cr);
}

void chart_cairo_draw(cairo_t *cr, const struct chart_layout *l, struct chart_counts *counts)
{
    struct chart_counts n = {0};
    struct buf tmp;
    buf_init(&tmp, 1 << 20);
    for (size_t k = 0; k < l->n_shapes; k++) {
        const struct chart_shape *s = &l->shapes[k];
        switch (s->kind) {
        case CHART_GROUP:
        case CHART_GROUP_END:
            break;
        case CHART_RECT:
            chart_cr.rectangle(cr, s->x, s->y, s->w, s->h);
            if (s->fill) {
                cr_colour(cr, s->fill);
                s->stroke ? chart_cr.fill_preserve(cr) : chart_cr.fill(cr);
            }
            if (s->stroke)
                cr_stroke(cr, s);
            chart_cr.new_path(cr);
            n.rects++;
            break;
        case CHART_LINE:
            n.lines += (size_t)cr_line(cr, l, s);
            break;
        case CHART_CIRCLE:
            chart_cr.new_path(cr);
            chart_cr.arc(cr, s->x, s->y, s->r, 0, 2 * M_PI);
            if (s->fill) {
                cr_colour(cr, s->fill);
                s->stroke ? chart_cr.fill_preserve(cr) : chart_cr.fill(cr);
            }
            if (s->stroke)
                cr_stroke(cr, s);
            chart_cr.new_path(cr);
            n.circles++;
            break;
        case CHART_TEXT:
            cr_text(cr, l, s, &tmp);
            n.texts++;
            break;
        }
    }
    buf_release(&tmp);
    if (counts)
        *counts = n;
}

cairo_status_t chart_cairo_to_buf(void *closure, const unsigned char *data, unsigned int length)
{
    struct buf *b = closure;
    buf_append(b, data, length);
    return b->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

int chart_cairo_check(cairo_surface_t *surface, cairo_t *cr, struct purpose_err *err)
{
    cairo_status_t st = cr ? chart_cr.status(cr) : CAIRO_STATUS_SUCCESS;
    if (st == CAIRO_STATUS_SUCCESS)
        st = chart_cr.surface_status(surface);
    if (st != CAIRO_STATUS_SUCCESS)
        return purpose_errf(err, "chart: drawing failed: %s", chart_cr.status_to_string(st));
    return 0;
}

enum cr_kind { CR_PNG, CR_PDF };

/* Draws the laid-out l as a PNG or a PDF page, appended to out. */
static int cr_draw(struct buf *out, const struct chart_layout *l, enum cr_kind kind, struct purpose_err *err)
{
    if (chart_cairo_load(err) < 0)
        return -1;
    size_t before = out->len;
    cairo_surface_t *surface =
        kind == CR_PNG
            ? chart_cr.image_surface_create(CAIRO_FORMAT_RGB24, (int)(l->w * PNG_SCALE), (int)(l->h * PNG_SCALE))
            : chart_cr.pdf_surface_create_for_stream(chart_cairo_to_buf, out, l->w, l->h);
    cairo_t *cr = chart_cr.create(surface);
    if (kind == CR_PNG)
        chart_cr.scale(cr, PNG_SCALE, PNG_SCALE);
    else
        chart_cr.pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, chart_layout_text(l, l->title));
    chart_cairo_draw(cr, l, NULL);
    int rc = chart_cairo_check(surface, cr, err);
    chart_cr.destroy(cr);
    if (kind == CR_PNG) {
        if (rc == 0 &&
            chart_cr.surface_write_to_png_stream(surface, chart_cairo_to_buf, out) != CAIRO_STATUS_SUCCESS)
            rc = purpose_errf(err, "chart: the PNG does not fit in %zu bytes", out->limit);
    } else {
        chart_cr.surface_finish(surface);
        if (rc == 0)
            rc = chart_cairo_check(surface, NULL, err);
    }
    chart_cr.surface_destroy(surface);
    if (rc == 0 && out->failed)
        rc = purpose_errf(err, "chart: the %s does not fit in %zu bytes", kind == CR_PNG ? "PNG" : "PDF", out->limit);
    if (rc < 0 && !out->failed)
        out->len = before;
    return rc;
}

static int cr_render(struct buf *out, const struct chart_series *s, enum cr_kind kind, struct purpose_err *err)
{
    if (chart_cairo_load(err) < 0)
        return -1;
    struct chart_layout l;
    chart_layout_init(&l, CHART_W, CHART_H);
    int rc = chart_layout_build(&l, s, err);
    if (rc == 0)
        rc = cr_draw(out, &l, kind, err);
    chart_layout_release(&l);
    return rc;
}

int chart_png(struct buf *out, const struct chart_series *s, struct purpose_err *err)
{
    return cr_render(out, s, CR_PNG, err);
}

int chart_pdf(struct buf *out, const struct chart_series *s, struct purpose_err *err)
{
    return cr_render(out, s, CR_PDF, err);
}

int chart_layout_png(struct buf *out, const struct chart_layout *l, struct purpose_err *err)
{
    return cr_draw(out, l, CR_PNG, err);
}
