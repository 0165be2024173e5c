/* The chart layout (src/chart/layout.h) and its two renderers: labels never collide, lines step
 * where limits vary, and SVG and cairo draw the same shapes. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chart/cairo_render.h"
#include "chart/chart.h"
#include "chart/chart_int.h"
#include "core/banned.h"

static const double handover[24] = {88, 91, 86, 90, 89, 87, 92, 88, 85, 90, 89, 91,
                                    87, 88, 93, 94, 92, 95, 94, 96, 93, 95, 97, 96};

struct fx {
    size_t n;
    double y[400], xv[400];
    char text[400][80];
    const char *texts[400];
    struct spc_options opt;
    struct spc_result res;
    struct chart_series s;
    struct chart_layout l;
    struct purpose_err err;
};

static struct fx *fx_new(size_t n, enum chart_x_kind kind)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_true(n <= 400);
    f->n = n;
    for (size_t i = 0; i < n; i++) {
        f->y[i] = i < 24 ? handover[i] : 50 + (double)((i * 7919) % 17);
        f->xv[i] = kind == CHART_X_DATE ? 1459468800.0 + (double)i * 86400 * 7 : (double)(i + 1);
        snprintf(f->text[i], sizeof f->text[i], "%zu", i + 1);
        f->texts[i] = f->text[i];
    }
    spc_options_default(&f->opt);
    spc_result_init(&f->res);
    f->s = (struct chart_series){.title = "Handovers", .y_label = "%", .n = n, .y = f->y, .x_kind = kind,
                                 .x_value = f->xv, .x_text = f->texts, .res = &f->res, .opt = &f->opt};
    chart_layout_init(&f->l, CHART_W, CHART_H);
    return f;
}

static void fx_free(struct fx **pf)
{
    spc_result_release(&(*pf)->res);
    chart_layout_release(&(*pf)->l);
    free(*pf);
    *pf = NULL;
}

static void build(struct fx *f, const size_t *breaks, size_t n_breaks)
{
    assert_int_equal(spc_xmr(f->y, f->n, breaks, n_breaks, &f->opt, &f->res, &f->err), 0);
    if (chart_layout_build(&f->l, &f->s, &f->err) != 0)
        fail_msg("chart_layout_build: %s", f->err.msg);
    assert_false(f->l.failed);
}

/* The n-th shape of class cls, or NULL. */
static const struct chart_shape *find(const struct chart_layout *l, const char *cls, size_t nth)
{
    for (size_t k = 0; k < l->n_shapes; k++)
        if (l->shapes[k].cls && strcmp(l->shapes[k].cls, cls) == 0 && nth-- == 0)
            return &l->shapes[k];
    return NULL;
}

static size_t count_class(const struct chart_layout *l, const char *cls)
{
    size_t n = 0;
    while (find(l, cls, n))
        n++;
    return n;
}

struct box {
    double left, right, top, bottom;
};

/* A text's box by the layout's own (generous) width estimate; a rotated one turned about x, y. */
static struct box text_box(const struct chart_layout *l, const struct chart_shape *s)
{
    const char *t = chart_layout_text(l, s->text);
    double w = chart_text_width(t, s->font);
    if (s->cut) { /* cut to fit: at most the width it was fitted to, an ellipsis included */
        struct buf b;
        buf_init(&b, 4096);
        chart_text_plain(&b, t, s->cut);
        w = chart_text_width(b.data, s->font);
        buf_release(&b);
    }
    double a = s->anchor == CHART_ANCHOR_START ? 0 : s->anchor == CHART_ANCHOR_MIDDLE ? w / 2 : w;
    double base = s->vmid ? 0.35 * s->font : 0, asc = 0.8 * s->font, desc = 0.2 * s->font;
    if (s->rotated) /* reads upwards: along -y from (x, y) */
        return (struct box){s->x + base - asc, s->x + base + desc, s->y - (w - a), s->y + a};
    return (struct box){s->x - a, s->x - a + w, s->y + base - asc, s->y + base + desc};
}

static int overlap(struct box a, struct box b)
{
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/* No two texts of these classes overlap, and every text lies inside the drawing. */
static void assert_no_collisions(const struct chart_layout *l, const char *const *classes, size_t n_classes)
{
    for (size_t i = 0; i < l->n_shapes; i++) {
        const struct chart_shape *a = &l->shapes[i];
        if (a->kind != CHART_TEXT)
            continue;
        struct box ba = text_box(l, a);
        assert_true(ba.left >= 0 && ba.right <= l->w && ba.top >= 0 && ba.bottom <= l->h);
        for (size_t j = i + 1; j < l->n_shapes; j++) {
            const struct chart_shape *b = &l->shapes[j];
            if (b->kind != CHART_TEXT || !a->cls || !b->cls)
                continue;
            int ca = 0, cb = 0;
            for (size_t k = 0; k < n_classes; k++) {
                ca |= strcmp(a->cls, classes[k]) == 0;
                cb |= strcmp(b->cls, classes[k]) == 0;
            }
            if (ca && cb && overlap(ba, text_box(l, b)))
                fail_msg("\"%s\" overlaps \"%s\"", chart_layout_text(l, a->text), chart_layout_text(l, b->text));
        }
    }
}

static void test_labels_never_collide(void **state)
{
    (void)state;
    static const char *const classes[] = {"x-tick", "y-tick", "line-label", "title", "subtitle"};
    struct fx *f = fx_new(24, CHART_X_NUMBER);
    f->opt.has_target = true;
    f->opt.target = 91.2; /* right by the mean: its label must be pushed apart */
    build(f, NULL, 0);
    assert_true(count_class(&f->l, "x-tick") >= 6);
    assert_int_equal(count_class(&f->l, "line-label"), 4);
    assert_no_collisions(&f->l, classes, 5);
    fx_free(&f);

    f = fx_new(300, CHART_X_LABEL);
    for (size_t i = 0; i < 300; i++)
        snprintf(f->text[i], sizeof f->text[i], "Emergency Department, Royal Infirmary, week %zu", i + 1);
    build(f, NULL, 0);
    assert_true(count_class(&f->l, "x-tick") >= 10);
    assert_no_collisions(&f->l, classes, 5);
    fx_free(&f);

    f = fx_new(150, CHART_X_DATE);
    build(f, NULL, 0);
    assert_true(count_class(&f->l, "x-tick") >= 6);
    assert_no_collisions(&f->l, classes, 5);
    fx_free(&f);
}

/* Every segment of a step line is horizontal or vertical. */
static void assert_stepped(const struct chart_layout *l, const struct chart_shape *s)
{
    for (size_t i = 1; i < s->np; i++) {
        struct chart_pt a = l->pts[s->p0 + i - 1], b = l->pts[s->p0 + i];
        if (isnan(a.x) || isnan(b.x))
            continue;
        assert_true(a.x == b.x || a.y == b.y);
    }
}

static void test_limits_that_vary_are_stepped(void **state)
{
    (void)state;
    struct fx *f = fx_new(24, CHART_X_NUMBER);
    build(f, NULL, 0);
    const struct chart_shape *upl = find(&f->l, "limit upl", 0);
    assert_non_null(upl);
    assert_int_equal(upl->np, 2); /* constant limits: one straight line */
    assert_int_equal(count_class(&f->l, "mean"), 1);

    /* P-chart-like limits: wider where the denominator is small; the centre constant. */
    double centre[24], lower[24], upper[24];
    for (size_t i = 0; i < 24; i++) {
        double half = 3 + (double)(i % 3);
        centre[i] = 90;
        lower[i] = 90 - half;
        upper[i] = i == 10 ? NAN : 90 + half; /* undefined at one point: a gap */
    }
    f->s.centre = centre, f->s.lower = lower, f->s.upper = upper;
    build(f, NULL, 0);
    upl = find(&f->l, "limit upl", 0);
    const struct chart_shape *lpl = find(&f->l, "limit lpl", 0), *mean = find(&f->l, "mean", 0);
    assert_non_null(upl);
    assert_non_null(lpl);
    assert_non_null(mean);
    assert_int_equal(lpl->np, 2 * 24 - 0); /* a level per point: 24 steps of 2 points */
    assert_int_equal(mean->np, 2);
    assert_stepped(&f->l, lpl);
    assert_stepped(&f->l, upl);
    size_t gaps = 0;
    for (size_t i = 0; i < upl->np; i++)
        gaps += isnan(f->l.pts[upl->p0 + i].x);
    assert_int_equal(gaps, 1);
    /* Each point's own lower limit is drawn over it: point 5's (86) below point 4's (87). */
    const struct chart_shape *p4 = NULL, *p5 = NULL;
    for (size_t k = 0, seen = 0; k < f->l.n_shapes; k++)
        if (f->l.shapes[k].cls && strncmp(f->l.shapes[k].cls, "pt ", 3) == 0) {
            p4 = seen == 3 ? &f->l.shapes[k] : p4;
            p5 = seen == 4 ? &f->l.shapes[k] : p5;
            seen++;
        }
    assert_non_null(p5);
    double y4 = NAN, y5 = NAN;
    for (size_t i = 0; i + 1 < lpl->np; i += 2) {
        struct chart_pt a = f->l.pts[lpl->p0 + i], b = f->l.pts[lpl->p0 + i + 1];
        if (a.x < p4->x && p4->x < b.x)
            y4 = a.y;
        if (a.x < p5->x && p5->x < b.x)
            y5 = a.y;
    }
    assert_true(y5 > y4); /* lower on the page: larger y */
    /* The step line's end labels read the last point's own limits. */
    int upper_label = 0;
    for (size_t k = 0; k < f->l.n_shapes; k++)
        if (f->l.shapes[k].cls && strcmp(f->l.shapes[k].cls, "line-label") == 0 &&
            strcmp(chart_layout_text(&f->l, f->l.shapes[k].text), "Upper 95") == 0)
            upper_label = 1;
    assert_true(upper_label); /* point 24: 90 + 3 + 23 % 3 */
    fx_free(&f);
}

static void test_run_chart_draws_its_median_only(void **state)
{
    (void)state;
    struct fx *f = fx_new(24, CHART_X_NUMBER);
    f->s.centre_only = true;
    f->s.centre_name = "Median";
    build(f, NULL, 0);
    assert_int_equal(count_class(&f->l, "limit upl"), 0);
    assert_int_equal(count_class(&f->l, "limit lpl"), 0);
    assert_int_equal(count_class(&f->l, "mean"), 1);
    int median = 0, limits = 0;
    for (size_t k = 0; k < f->l.n_shapes; k++) {
        const char *t = f->l.shapes[k].kind == CHART_TEXT ? chart_layout_text(&f->l, f->l.shapes[k].text) : "";
        median |= strncmp(t, "Median", 6) == 0;
        limits |= strcmp(t, "Process limits") == 0 || strncmp(t, "Upper", 5) == 0;
    }
    assert_true(median);
    assert_false(limits);
    fx_free(&f);
}

/* Lays out what spc_compute gives for chart type t (den: denominators or NULL), with nothing set
 * on the chart series beyond what the CLI and the report set: the layout reads each type's lines
 * from the engine. */
static void build_type(struct fx *f, enum spc_chart t, const double *den)
{
    f->opt.chart = t;
    if (spc_compute(f->y, den, f->n, NULL, 0, &f->opt, &f->res, &f->err) != 0)
        fail_msg("spc_compute: %s", f->err.msg);
    f->s.y = spc_result_values(&f->res, f->y);
    if (chart_layout_build(&f->l, &f->s, &f->err) != 0)
        fail_msg("chart_layout_build: %s", f->err.msg);
    assert_false(f->l.failed);
}

static int has_text(const struct chart_layout *l, const char *cls, const char *prefix)
{
    for (size_t k = 0; k < l->n_shapes; k++) {
        const struct chart_shape *sh = &l->shapes[k];
        if (sh->kind == CHART_TEXT && (!cls || (sh->cls && strcmp(sh->cls, cls) == 0)) &&
            strncmp(chart_layout_text(l, sh->text), prefix, strlen(prefix)) == 0)
            return 1;
    }
    return 0;
}

/* The page y of a step line at x (NaN where it has a gap or does not reach). */
static double step_y_at(const struct chart_layout *l, const struct chart_shape *sh, double x)
{
    for (size_t i = 0; i + 1 < sh->np; i++) {
        struct chart_pt a = l->pts[sh->p0 + i], b = l->pts[sh->p0 + i + 1];
        if (!isnan(a.x) && !isnan(b.x) && a.y == b.y && a.x <= x && x <= b.x)
            return a.y;
    }
    return NAN;
}

static void test_p_chart_steps_its_own_limits(void **state)
{
    (void)state;
    struct fx *f = fx_new(24, CHART_X_NUMBER);
    double den[24];
    for (size_t i = 0; i < 24; i++) {
        den[i] = i % 2 ? 400 : 100; /* every other point: a quarter of the denominator, twice the sigma */
        f->y[i] = round(den[i] * (0.45 + 0.01 * (double)(i % 5)));
    }
    f->opt.per = 100;
    build_type(f, SPC_CHART_P, den);
    assert_true(f->res.limits_vary);
    const struct chart_shape *upl = find(&f->l, "limit upl", 0), *lpl = find(&f->l, "limit lpl", 0);
    assert_non_null(upl);
    assert_non_null(lpl);
    assert_int_equal(upl->np, 2 * 24); /* a level per point */
    assert_stepped(&f->l, upl);
    assert_int_equal(count_class(&f->l, "mean"), 1);
    assert_int_equal(find(&f->l, "mean", 0)->np, 2); /* p-bar is one level */
    /* At each dot the upper limit is that point's own: wider (higher on the page) for n = 100. */
    size_t seen = 0;
    for (size_t k = 0; k < f->l.n_shapes; k++) {
        const struct chart_shape *pt = &f->l.shapes[k];
        if (!pt->cls || strncmp(pt->cls, "pt ", 3) != 0 || seen + 1 >= 24)
            continue;
        const struct chart_shape *next = NULL;
        for (size_t j = k + 1; j < f->l.n_shapes && !next; j++)
            if (f->l.shapes[j].cls && strncmp(f->l.shapes[j].cls, "pt ", 3) == 0)
                next = &f->l.shapes[j];
        assert_non_null(next);
        double a = step_y_at(&f->l, upl, pt->x), b = step_y_at(&f->l, upl, next->x);
        assert_true(isfinite(a) && isfinite(b));
        if (seen % 2 == 0)
            assert_true(a < b); /* point seen (n = 100) above point seen + 1 (n = 400) */
        else
            assert_true(a > b);
        seen++;
    }
    assert_int_equal(seen, 23);
    /* The end labels read the last point's own limits, from spc_point_lines. */
    struct spc_lines ln;
    spc_point_lines(&f->res, 23, &ln);
    char v[32], want[48];
    chart_num(v, sizeof v, ln.upl);
    snprintf(want, sizeof want, "Upper %s", v);
    assert_true(has_text(&f->l, "line-label", want));
    assert_true(has_text(&f->l, "subtitle", "P chart"));
    fx_free(&f);
}

static void test_run_and_g_charts_centre_on_the_median(void **state)
{
    (void)state;
    struct fx *f = fx_new(24, CHART_X_NUMBER);
    build_type(f, SPC_CHART_RUN, NULL); /* no centre_only or centre_name set by the caller */
    assert_int_equal(count_class(&f->l, "limit upl"), 0);
    assert_int_equal(count_class(&f->l, "limit lpl"), 0);
    assert_int_equal(count_class(&f->l, "mean"), 1);
    assert_true(has_text(&f->l, "line-label", "Median "));
    assert_false(has_text(&f->l, NULL, "Process limits"));
    assert_false(has_text(&f->l, NULL, "Mean"));
    assert_true(has_text(&f->l, "subtitle", "Run chart"));
    assert_non_null(strstr(chart_layout_text(&f->l, f->l.desc), "a run chart has no process limits"));

    for (size_t i = 0; i < 24; i++)
        f->y[i] = (double)((i * 5) % 9); /* opportunities between events */
    build_type(f, SPC_CHART_G, NULL);
    assert_true(has_text(&f->l, "line-label", "Median "));
    assert_true(has_text(&f->l, NULL, "Process limits"));
    assert_int_equal(count_class(&f->l, "limit upl"), 1);
    assert_int_equal(find(&f->l, "limit upl", 0)->np, 2); /* constant limits: one straight line */
    assert_true(has_text(&f->l, "subtitle", "G chart"));

    for (size_t i = 0; i < 24; i++)
        f->y[i] = (double)((i * 5) % 9);
    build_type(f, SPC_CHART_C, NULL);
    assert_true(has_text(&f->l, "line-label", "Mean "));
    assert_false(has_text(&f->l, NULL, "Median"));
    fx_free(&f);
}

static size_t count_str(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_svg_and_cairo_draw_the_same_shapes(void **state)
{
    (void)state;
    const size_t breaks[] = {14};
    for (int variant = 0; variant < 3; variant++) {
        struct fx *f = fx_new(variant == 2 ? 300 : 24, variant == 1 ? CHART_X_DATE : CHART_X_NUMBER);
        f->opt.has_target = variant != 2;
        f->opt.target = 95;
        build(f, variant == 1 ? breaks : NULL, variant == 1 ? 1 : 0);
        struct buf svg;
        buf_init(&svg, 1 << 24);
        struct chart_counts a, b;
        assert_int_equal(chart_layout_svg(&svg, &f->l, &a, &f->err), 0);
        assert_int_equal(chart_cairo_load(&f->err), 0);
        cairo_surface_t *surface = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, NULL);
        cairo_t *cr = cairo_create(surface);
        chart_cairo_draw(cr, &f->l, &b);
        assert_int_equal(chart_cairo_check(surface, cr, &f->err), 0);
        cairo_destroy(cr);
        cairo_surface_destroy(surface);
        assert_int_equal(a.rects, b.rects);
        assert_int_equal(a.lines, b.lines);
        assert_int_equal(a.circles, b.circles);
        assert_int_equal(a.texts, b.texts);
        /* And the SVG holds exactly those elements. */
        assert_int_equal(count_str(svg.data, "<circle "), a.circles);
        assert_int_equal(count_str(svg.data, "<text"), a.texts);
        assert_int_equal(count_str(svg.data, "<line ") + count_str(svg.data, "<polyline ") +
                             count_str(svg.data, "<path "), a.lines);
        assert_true(a.circles >= f->n); /* every point, and the icons' dots */
        buf_release(&svg);
        fx_free(&f);
    }
}

static void test_png_and_pdf(void **state)
{
    (void)state;
    struct fx *f = fx_new(24, CHART_X_NUMBER);
    assert_int_equal(spc_xmr(f->y, f->n, NULL, 0, &f->opt, &f->res, &f->err), 0);
    struct buf b;
    buf_init(&b, 1 << 24);
    assert_int_equal(chart_png(&b, &f->s, &f->err), 0);
    assert_true(b.len > 1000 && memcmp(b.data, "\x89PNG\r\n\x1a\n", 8) == 0);
    buf_reset(&b);
    assert_int_equal(chart_pdf(&b, &f->s, &f->err), 0);
    assert_true(b.len > 1000 && memcmp(b.data, "%PDF-", 5) == 0);
    buf_release(&b);
    /* Too small a buffer fails cleanly, with a message. */
    buf_init(&b, 3000);
    assert_int_equal(chart_png(&b, &f->s, &f->err), -1);
    assert_non_null(strstr(f->err.msg, "PNG"));
    buf_release(&b);
    buf_init(&b, 3000);
    assert_int_equal(chart_pdf(&b, &f->s, &f->err), -1);
    buf_release(&b);
    fx_free(&f);
}

static void test_paragraph_wraps_within_its_width(void **state)
{
    (void)state;
    struct chart_layout l;
    chart_layout_init(&l, 800, 600);
    const struct chart_font font = {.size = 12, .colour = "#000000"};
    double y = chart_paragraph(&l, "p", 10, 20, 200, 16,
                               "The last 8 points are above the mean: special cause improvement. The target of 95% "
                               "lies inside the limits, so it will be hit and missed at random. "
                               "Supercalifragilisticexpialidocious-and-then-some-more-letters-to-cut",
                               &font);
    assert_false(l.failed);
    assert_true(l.n_shapes >= 4);
    assert_true(y == 20 + 16.0 * (double)l.n_shapes);
    for (size_t k = 0; k < l.n_shapes; k++) {
        struct buf b;
        buf_init(&b, 4096);
        chart_text_plain(&b, chart_layout_text(&l, l.shapes[k].text), l.shapes[k].cut);
        assert_true(chart_text_width(b.data, 12) <= 200);
        buf_release(&b);
    }
    chart_layout_release(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_labels_never_collide),
        cmocka_unit_test(test_limits_that_vary_are_stepped),
        cmocka_unit_test(test_run_chart_draws_its_median_only),
        cmocka_unit_test(test_p_chart_steps_its_own_limits),
        cmocka_unit_test(test_run_and_g_charts_centre_on_the_median),
        cmocka_unit_test(test_svg_and_cairo_draw_the_same_shapes),
        cmocka_unit_test(test_png_and_pdf),
        cmocka_unit_test(test_paragraph_wraps_within_its_width),
    };
    int rc = cmocka_run_group_tests_name("chart_layout", tests, NULL, NULL);
    cairo_debug_reset_static_data();
    return rc;
}
