/* The funnel plot drawn (chart/funnel.h): one layout, a dot per unit with a denominator, each
 * dot's kind from its place, the limits and the target; the SVG writes those shapes and the PNG
 * is a real PNG of 2 pixels per layout unit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "chart/funnel.h"

/* pooled 1500 of 2000 = 0.75; the last unit has no denominator */
static const uint64_t num[] = {450, 500, 240, 290, 20, 0};
static const uint64_t den[] = {600, 600, 400, 300, 100, 0};
static const char *const label[] = {"A", "B", "C", "D", "E", "F"};

static void units(struct chart_funnel *f, struct spc_funnel_point *p)
{
    struct purpose_err err = {0};
    double theta = 0;
    assert_int_equal(spc_funnel(num, den, 6, NULL, &theta, p, &err), 0);
    *f = (struct chart_funnel){.title = "Seen within 4 hours", .n = 6, .label = label, .num = num, .den = den,
                               .pt = p, .theta = theta};
}

static size_t count(const struct chart_layout *l, enum chart_shape_kind k, const char *cls)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n_shapes; i++)
        n += l->shapes[i].kind == k && (!cls || (l->shapes[i].cls && strcmp(l->shapes[i].cls, cls) == 0));
    return n;
}

static void layout(void **state)
{
    (void)state;
    struct spc_funnel_point p[6];
    struct chart_funnel f;
    units(&f, p);
    struct chart_layout l;
    chart_layout_init(&l, 0, 0);
    struct purpose_err err = {0};
    assert_int_equal(chart_funnel_layout(&l, &f, &err), 0);
    assert_int_equal(count(&l, CHART_CIRCLE, NULL), 5); /* F has no denominator: no dot */
    assert_int_equal(count(&l, CHART_GROUP, "unit"), 1);       /* A, on the target */
    assert_int_equal(count(&l, CHART_GROUP, "unit out998"), 4); /* B to E */
    assert_int_equal(count(&l, CHART_LINE, "limit lo998") + count(&l, CHART_LINE, "limit lo95") +
                         count(&l, CHART_LINE, "limit hi95") + count(&l, CHART_LINE, "limit hi998"),
                     4);
    assert_int_equal(count(&l, CHART_LINE, "target"), 1);
    assert_string_equal(chart_layout_text(&l, l.title), "Funnel plot: Seen within 4 hours");
    assert_non_null(strstr(chart_layout_text(&l, l.desc), "6 units around a target of 75.00%: 4 beyond the 99.8%"));

    struct buf svg;
    buf_init(&svg, 1 << 22);
    assert_int_equal(chart_funnel_svg(&svg, &f, &err), 0);
    size_t circles = 0;
    for (const char *s = svg.data; (s = strstr(s, "<circle")) != NULL; s++)
        circles++;
    assert_int_equal(circles, 5);
    assert_non_null(strstr(svg.data, "<title>B: 500 of 600, 83.33% (high_998)</title>"));
    buf_release(&svg);
    chart_layout_release(&l);

    f.n = 0;
    assert_int_equal(chart_funnel_layout(&l, &f, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
    chart_layout_release(&l);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void png(void **state)
{
    (void)state;
    struct spc_funnel_point p[6];
    struct chart_funnel f;
    units(&f, p);
    struct buf b;
    buf_init(&b, 1 << 24);
    struct purpose_err err = {0};
    assert_int_equal(chart_funnel_png(&b, &f, &err), 0);
    const unsigned char *d = (const unsigned char *)b.data;
    assert_true(b.len > 1000);
    assert_memory_equal(d, "\x89PNG\r\n\x1a\n", 8);
    assert_memory_equal(d + 12, "IHDR", 4);
    assert_int_equal(be32(d + 16), 1920); /* 960 x 540 layout units, 2 pixels each */
    assert_int_equal(be32(d + 20), 1080);
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(layout), cmocka_unit_test(png)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
