/* The layout's building blocks: shapes, their points and the text pool. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart_int.h"
#include "core/banned.h"

#define LAYOUT_TEXT_MAX ((size_t)64 << 20)

void chart_layout_init(struct chart_layout *l, double w, double h)
{
    *l = (struct chart_layout){.w = w, .h = h, .title = CHART_NO_TEXT, .desc = CHART_NO_TEXT};
    buf_init(&l->text, LAYOUT_TEXT_MAX);
}

void chart_layout_reset(struct chart_layout *l)
{
    l->n_shapes = l->n_pts = 0;
    l->title = l->desc = CHART_NO_TEXT;
    l->failed = false;
    buf_reset(&l->text);
}

void chart_layout_release(struct chart_layout *l)
{
    free(l->shapes);
    free(l->pts);
    buf_release(&l->text);
    *l = (struct chart_layout){0};
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

static struct chart_shape *add(struct chart_layout *l, enum chart_shape_kind kind, const char *cls)
{
    if (l->failed || grow((void **)&l->shapes, &l->cap_shapes, l->n_shapes + 1, sizeof *l->shapes) < 0) {
        l->failed = true;
        return NULL;
    }
    struct chart_shape *s = &l->shapes[l->n_shapes++];
    *s = (struct chart_shape){.kind = kind, .cls = cls, .text = CHART_NO_TEXT};
    return s;
}

static size_t index_of(const struct chart_layout *l, const struct chart_shape *s)
{
    return s ? (size_t)(s - l->shapes) : (size_t)-1;
}

static void style(struct chart_shape *s, const struct chart_style *st)
{
    if (!st)
        return;
    s->fill = st->fill;
    s->stroke = st->stroke;
    s->dash = st->dash;
    s->stroke_w = st->stroke_w;
    s->dash_unit = st->dash_unit;
    s->round = st->round;
}

size_t chart_add_text_at(struct chart_layout *l, const char *s)
{
    size_t at = l->text.len;
    buf_append(&l->text, s, strlen(s) + 1);
    if (l->text.failed) {
        l->failed = true;
        return CHART_NO_TEXT;
    }
    return at;
}

size_t chart_group(struct chart_layout *l, const char *cls, const char *tooltip)
{
    size_t t = tooltip ? chart_add_text_at(l, tooltip) : CHART_NO_TEXT;
    struct chart_shape *s = add(l, CHART_GROUP, cls);
    if (s)
        s->text = t;
    return index_of(l, s);
}

size_t chart_group_end(struct chart_layout *l) { return index_of(l, add(l, CHART_GROUP_END, NULL)); }

size_t chart_rect(struct chart_layout *l, const char *cls, double x, double y, double w, double h,
                  const struct chart_style *st)
{
    struct chart_shape *s = add(l, CHART_RECT, cls);
    if (s) {
        style(s, st);
        s->x = x, s->y = y, s->w = w, s->h = h;
    }
    return index_of(l, s);
}

size_t chart_line(struct chart_layout *l, const char *cls, const struct chart_style *st)
{
    struct chart_shape *s = add(l, CHART_LINE, cls);
    if (s) {
        style(s, st);
        s->p0 = l->n_pts;
    }
    return index_of(l, s);
}

void chart_pt(struct chart_layout *l, double x, double y)
{
    if (l->failed || !l->n_shapes || l->shapes[l->n_shapes - 1].kind != CHART_LINE)
        return;
    if (grow((void **)&l->pts, &l->cap_pts, l->n_pts + 1, sizeof *l->pts) < 0) {
        l->failed = true;
        return;
    }
    l->pts[l->n_pts++] = (struct chart_pt){x, y};
    l->shapes[l->n_shapes - 1].np++;
}

size_t chart_hline(struct chart_layout *l, const char *cls, double x1, double x2, double y,
                   const struct chart_style *st)
{
    size_t k = chart_line(l, cls, st);
    chart_pt(l, x1, y);
    chart_pt(l, x2, y);
    return k;
}

size_t chart_circle(struct chart_layout *l, const char *cls, double x, double y, double r,
                    const struct chart_style *st)
{
    struct chart_shape *s = add(l, CHART_CIRCLE, cls);
    if (s) {
        style(s, st);
        s->x = x, s->y = y, s->r = r;
    }
    return index_of(l, s);
}

size_t chart_text(struct chart_layout *l, const char *cls, double x, double y, const char *str, size_t cut,
                  const struct chart_font *f)
{
    size_t t = chart_add_text_at(l, str);
    struct chart_shape *s = add(l, CHART_TEXT, cls);
    if (s) {
        s->x = x, s->y = y, s->text = t, s->cut = cut;
        s->font = f->size;
        s->fill = f->colour;
        s->anchor = f->anchor;
        s->bold = f->bold, s->vmid = f->vmid, s->rotated = f->rotated;
    }
    return index_of(l, s);
}

double chart_paragraph(struct chart_layout *l, const char *cls, double x, double y, double max_w,
                       double line_h, const char *s, const struct chart_font *f)
{
    struct buf line;
    buf_init(&line, 1 << 16);
    const char *p = s;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        /* Take words while the line fits; a single word too long is cut with an ellipsis. */
        const char *end = p, *best = NULL;
        for (;;) {
            const char *sp = strchr(end, ' ');
            const char *we = sp ? sp : end + strlen(end);
            buf_reset(&line);
            buf_append(&line, p, (size_t)(we - p));
            if (!line.failed && best && chart_text_width(line.data, f->size) > max_w)
                break;
            best = we;
            if (!sp)
                break;
            end = sp + 1;
        }
        buf_reset(&line);
        buf_append(&line, p, (size_t)(best - p));
        if (!line.failed)
            chart_text(l, cls, x, y, line.data, chart_text_fit(line.data, f->size, max_w), f);
        y += line_h;
        p = best;
    }
    if (line.failed)
        l->failed = true;
    buf_release(&line);
    return y;
}

void chart_layout_append(struct chart_layout *dst, const struct chart_layout *src, double dx, double dy,
                         double scale)
{
    for (size_t k = 0; k < src->n_shapes && !dst->failed; k++) {
        const struct chart_shape *from = &src->shapes[k];
        size_t text = from->text == CHART_NO_TEXT ? CHART_NO_TEXT : chart_add_text_at(dst, chart_layout_text(src, from->text));
        struct chart_shape *s = add(dst, from->kind, from->cls);
        if (!s)
            return;
        *s = *from;
        s->text = text;
        s->x = dx + from->x * scale, s->y = dy + from->y * scale;
        s->w *= scale, s->h *= scale, s->r *= scale, s->font *= scale, s->stroke_w *= scale;
        s->dash_unit = (from->dash_unit > 0 ? from->dash_unit : 1) * scale;
        if (s->kind == CHART_LINE) {
            s->p0 = dst->n_pts;
            s->np = 0;
            for (size_t i = 0; i < from->np; i++) {
                struct chart_pt p = src->pts[from->p0 + i];
                chart_pt(dst, isnan(p.x) ? NAN : dx + p.x * scale, isnan(p.x) ? NAN : dy + p.y * scale);
            }
        }
    }
}
