/* chart_svg: the SVG text for real spc_xmr results. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chart/chart.h"
#include "core/banned.h"

/* ../data/handover_pct60.csv (x = 1..24): points 8-14 shift below (concern), 15-22 shift above
 * and 23-24 two in three high (improvement). */
static const double handover[24] = {88, 91, 86, 90, 89, 87, 92, 88, 85, 90, 89, 91,
                                    87, 88, 93, 94, 92, 95, 94, 96, 93, 95, 97, 96};

/* Everything one chart needs, owned together. */
struct fixture {
    size_t n;
    double *y, *xv;
    char **text;
    struct spc_options opt;
    struct spc_result res;
    struct chart_series s;
    struct buf out;
    struct purpose_err err;
};

static struct fixture *fixture_new(const double *y, size_t n, enum chart_x_kind kind)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->n = n;
    f->y = calloc(n ? n : 1, sizeof *f->y);
    f->xv = calloc(n ? n : 1, sizeof *f->xv);
    f->text = calloc(n ? n : 1, sizeof *f->text);
    for (size_t i = 0; i < n; i++) {
        f->y[i] = y ? y[i] : 50 + (double)((i * 7919) % 17);
        f->xv[i] = kind == CHART_X_DATE ? 1459468800.0 + (double)i * 86400 * 7 : (double)(i + 1);
        f->text[i] = malloc(32);
        snprintf(f->text[i], 32, "%zu", i + 1);
    }
    spc_options_default(&f->opt);
    spc_result_init(&f->res);
    f->s = (struct chart_series){.title = "Handovers within 60 minutes", .y_label = "% within 60 min",
                                 .n = n, .y = f->y, .x_kind = kind, .x_value = f->xv,
                                 .x_text = (const char *const *)f->text, .res = &f->res, .opt = &f->opt};
    buf_init(&f->out, 16u << 20);
    return f;
}

static void fixture_free(struct fixture **pf)
{
    struct fixture *f = *pf;
    for (size_t i = 0; i < f->n; i++)
        free(f->text[i]);
    free(f->text);
    free(f->y);
    free(f->xv);
    spc_result_release(&f->res);
    buf_release(&f->out);
    free(f);
    *pf = NULL;
}

/* Computes the chart (breaks as in spc_xmr) and renders it; the SVG must come out whole. */
static const char *render(struct fixture *f, const size_t *breaks, size_t n_breaks)
{
    assert_int_equal(spc_xmr(f->y, f->n, breaks, n_breaks, &f->opt, &f->res, &f->err), 0);
    buf_reset(&f->out);
    int rc = chart_svg(&f->out, &f->s, &f->err);
    if (rc != 0)
        fail_msg("chart_svg: %s", f->err.msg);
    assert_false(f->out.failed);
    return f->out.data;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = strstr(hay, needle); p; p = strstr(p + len, needle))
        n++;
    return n;
}

/* Well-formed enough: tags nest and close, every & starts an entity, one root <svg>. */
static void assert_well_formed(const char *svg)
{
    assert_true(strncmp(svg, "<svg ", 5) == 0);
    size_t len = strlen(svg);
    assert_true(len > 7 && strcmp(svg + len - 7, "</svg>\n") == 0);
    char stack[64][32];
    size_t depth = 0, roots = 0;
    for (const char *p = svg; *p; p++) {
        if (*p == '&') {
            const char *semi = strchr(p, ';');
            assert_non_null(semi);
            assert_true(semi - p <= 6);
            assert_true(strncmp(p, "&amp;", 5) == 0 || strncmp(p, "&lt;", 4) == 0 || strncmp(p, "&gt;", 4) == 0 ||
                        strncmp(p, "&quot;", 6) == 0 || strncmp(p, "&#39;", 5) == 0);
            continue;
        }
        if (*p == '>')
            fail_msg("stray '>' at offset %td", p - svg);
        if (*p != '<')
            continue;
        const char *end = strchr(p, '>');
        assert_non_null(end);
        assert_null(memchr(p + 1, '<', (size_t)(end - p - 1)));
        if (p[1] == '/') {
            assert_true(depth > 0);
            depth--;
            size_t nl = strlen(stack[depth]);
            assert_true(strncmp(p + 2, stack[depth], nl) == 0 && p[2 + nl] == '>');
        } else if (end[-1] != '/') {
            size_t nl = strcspn(p + 1, " >");
            assert_true(nl < sizeof stack[0] && depth < 64);
            memcpy(stack[depth], p + 1, nl);
            stack[depth][nl] = '\0';
            if (depth++ == 0)
                roots++;
        }
        p = end;
    }
    assert_int_equal(depth, 0);
    assert_int_equal(roots, 1);
}

/* The k-th point circle (0-based), as "class|fill". */
static void nth_point(const char *svg, size_t k, char *out, size_t n)
{
    const char *p = svg;
    for (size_t i = 0; i <= k; i++) {
        p = strstr(p, "<circle class=\"pt ");
        assert_non_null(p);
        p++;
    }
    const char *cls = p + strlen("circle class=\"pt ");
    const char *fill = strstr(p, "fill=\"");
    assert_non_null(fill);
    fill += 6;
    snprintf(out, n, "%.*s|%.7s", (int)strcspn(cls, "\""), cls, fill);
}

static void test_handover_points_and_colours(void **state)
{
    (void)state;
    struct fixture *f = fixture_new(handover, 24, CHART_X_NUMBER);
    const char *svg = render(f, NULL, 0);
    assert_well_formed(svg);
    assert_non_null(strstr(svg, "role=\"img\""));
    assert_non_null(strstr(svg, "aria-labelledby=\"purpose-chart-title purpose-chart-desc\""));
    assert_non_null(strstr(svg, "<title id=\"purpose-chart-title\">Handovers within 60 minutes</title>"));
    assert_non_null(strstr(svg, "<desc id=\"purpose-chart-desc\">24 points from 1 to 24. Mean 91.1, process "
                                "limits 83.9 to 98.3."));
    assert_non_null(strstr(svg, "Variation: special cause improvement (high)."));
    assert_int_equal(count(svg, "<circle class=\"pt "), 24);
    assert_int_equal(count(svg, "<circle class=\"pt con\""), 7);
    assert_int_equal(count(svg, "<circle class=\"pt imp\""), 10);
    char got[64];
    for (size_t i = 0; i < 24; i++) {
        nth_point(svg, i, got, sizeof got);
        const char *want = i < 7 ? "cc|#A6A6A6" : i < 14 ? "con|#ED8B00" : "imp|#005EB8";
        if (strcmp(got, want) != 0)
            fail_msg("point %zu: got %s, want %s", i + 1, got, want);
    }
    assert_int_equal(count(svg, "class=\"mean\""), 1);
    assert_int_equal(count(svg, "class=\"limit upl\""), 1);
    assert_int_equal(count(svg, "class=\"limit lpl\""), 1);
    assert_int_equal(count(svg, "class=\"rebase\""), 0);
    assert_int_equal(count(svg, "class=\"target\""), 0);
    assert_int_equal(count(svg, "icon-variation"), 1);
    assert_int_equal(count(svg, "icon-assurance"), 0); /* no target, no assurance */
    assert_null(strstr(svg, "Assurance:"));
    assert_true(count(svg, "class=\"x-tick\"") >= 6);
    assert_true(count(svg, "class=\"y-tick\"") >= 3);
    fixture_free(&f);
}

static void test_target_gives_assurance(void **state)
{
    (void)state;
    struct fixture *f = fixture_new(handover, 24, CHART_X_NUMBER);
    f->opt.has_target = true;
    f->opt.target = 95;
    const char *svg = render(f, NULL, 0);
    assert_well_formed(svg);
    assert_int_equal(count(svg, "icon-assurance"), 1);
    assert_int_equal(count(svg, "class=\"target\""), 1);
    assert_non_null(strstr(svg, ">Target 95</text>"));
    assert_non_null(strstr(svg, "Assurance: inconsistent - the target may or may not be met.</desc>"));

    f->opt.target = 99; /* above the upper limit: the process will not meet it */
    svg = render(f, NULL, 0);
    assert_non_null(strstr(svg, "Assurance: consistent fail"));
    assert_non_null(strstr(svg, ">F</text>"));

    f->opt.improvement = SPC_NEUTRAL; /* no direction, no assurance even with a target */
    svg = render(f, NULL, 0);
    assert_int_equal(count(svg, "icon-assurance"), 0);
    assert_int_equal(count(svg, "class=\"target\""), 1);
    assert_int_equal(count(svg, "<circle class=\"pt neu-"), 17);
    assert_non_null(strstr(svg, "Special cause"));
    fixture_free(&f);
}

static void test_rebase_divider(void **state)
{
    (void)state;
    struct fixture *f = fixture_new(handover, 24, CHART_X_NUMBER);
    size_t at = 14; /* x = 15 */
    const char *svg = render(f, &at, 1);
    assert_well_formed(svg);
    assert_int_equal(count(svg, "class=\"rebase\""), 1);
    assert_int_equal(count(svg, "class=\"mean\""), 2);
    assert_int_equal(count(svg, "class=\"limit upl\""), 2);
    assert_int_equal(count(svg, "<circle class=\"pt cc\""), 24); /* all common cause after rebasing */
    assert_non_null(strstr(svg, "Rebased 1 time, last at 15; since then mean 94.5, process limits 89.5 to 99.5."));
    fixture_free(&f);
}

static void test_title_is_escaped(void **state)
{
    (void)state;
    struct fixture *f = fixture_new(handover, 24, CHART_X_LABEL);
    f->s.title = "A&E <4h> \"wait\" 'times'";
    f->s.y_label = "<script>";
    snprintf(f->text[0], 32, "w<1>&\"");
    snprintf(f->text[23], 32, "bad\xff\x01utf8");
    const char *svg = render(f, NULL, 0);
    assert_well_formed(svg);
    assert_null(strstr(svg, "<4h>"));
    assert_null(strstr(svg, "<script>"));
    assert_non_null(strstr(svg, "A&amp;E &lt;4h&gt; &quot;wait&quot; &#39;times&#39;"));
    assert_non_null(strstr(svg, "&lt;script&gt;"));
    assert_non_null(strstr(svg, "24 points from w&lt;1&gt;&amp;&quot; to bad\xEF\xBF\xBDutf8."));
    assert_null(strchr(svg, '\x01'));
    fixture_free(&f);
}

static void test_missing_values_break_the_line(void **state)
{
    (void)state;
    double y[24];
    memcpy(y, handover, sizeof y);
    y[5] = NAN;
    y[6] = NAN;
    struct fixture *f = fixture_new(y, 24, CHART_X_NUMBER);
    const char *svg = render(f, NULL, 0);
    assert_well_formed(svg);
    const char *d = strstr(svg, "class=\"data\"");
    assert_non_null(d);
    d = strstr(d, " d=\"");
    assert_non_null(d);
    size_t moves = 0;
    for (const char *p = d + 4; *p != '"'; p++)
        moves += *p == 'M';
    assert_int_equal(moves, 2);
    assert_int_equal(count(svg, "<circle class=\"pt "), 22);
    assert_non_null(strstr(svg, "24 points from 1 to 24, 2 without a value."));
    fixture_free(&f);
}

static void test_edge_series(void **state)
{
    (void)state;
    double one = 42, constant[30], missing[5] = {NAN, NAN, NAN, NAN, NAN};
    for (size_t i = 0; i < 30; i++)
        constant[i] = 7.25;

    struct fixture *f = fixture_new(&one, 1, CHART_X_LABEL);
    const char *svg = render(f, NULL, 0);
    assert_well_formed(svg);
    assert_int_equal(count(svg, "<circle class=\"pt "), 1);
    assert_int_equal(count(svg, "class=\"limit "), 0); /* one value: no moving range, no limits */
    assert_non_null(strstr(svg, "1 point, at 1. Mean 42; too few values for process limits."));
    fixture_free(&f);

    f = fixture_new(constant, 30, CHART_X_LABEL);
    svg = render(f, NULL, 0);
    assert_well_formed(svg);
    assert_int_equal(count(svg, "<circle class=\"pt cc\""), 30);
    assert_null(strstr(svg, "nan"));
    assert_null(strstr(svg, "inf"));
    fixture_free(&f);

    f = fixture_new(missing, 5, CHART_X_DATE);
    svg = render(f, NULL, 0);
    assert_well_formed(svg);
    assert_int_equal(count(svg, "<circle class=\"pt "), 0);
    assert_non_null(strstr(svg, "No values to chart"));
    assert_non_null(strstr(svg, "No point has a value."));
    assert_int_equal(count(svg, "icon-variation"), 0);
    fixture_free(&f);

    f = fixture_new(NULL, 0, CHART_X_LABEL);
    svg = render(f, NULL, 0);
    assert_well_formed(svg);
    assert_non_null(strstr(svg, "No points to chart."));
    fixture_free(&f);
}

static void test_dates_are_readable(void **state)
{
    (void)state;
    struct fixture *f = fixture_new(handover, 24, CHART_X_DATE); /* weekly from 1 Apr 2016 */
    const char *svg = render(f, NULL, 0);
    assert_well_formed(svg);
    assert_non_null(strstr(svg, "24 points from 1 Apr 2016 to 9 Sep 2016."));
    /* Weekly points: ticks fall on month starts, not on arbitrary points. */
    assert_non_null(strstr(svg, ">May 2016</text>"));
    assert_non_null(strstr(svg, ">Sep 2016</text>"));
    fixture_free(&f);

    /* Monthly points (each the 1st) are labelled by month. */
    static const int month_days[24] = {30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 28, 31,
                                       30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 28, 31};
    f = fixture_new(handover, 24, CHART_X_DATE);
    double day = 16892; /* 2016-04-01 */
    for (size_t i = 0; i < 24; i++) {
        f->xv[i] = day * 86400;
        day += month_days[i];
    }
    svg = render(f, NULL, 0);
    assert_non_null(strstr(svg, "24 points from 1 Apr 2016 to 1 Mar 2018."));
    assert_non_null(strstr(svg, ">Apr 2016</text>"));
    assert_null(strstr(svg, ">1 Apr 2016</text>"));
    fixture_free(&f);
}

static void test_many_points_draw_the_line(void **state)
{
    (void)state;
    struct fixture *f = fixture_new(NULL, 10000, CHART_X_NUMBER);
    const char *svg = render(f, NULL, 0);
    assert_well_formed(svg);
    size_t dots = count(svg, "<circle class=\"pt ");
    assert_int_equal(count(svg, "<circle class=\"pt cc\""), 0); /* common cause: the line alone */
    assert_true(dots <= 2000);
    assert_true(f->out.len < 1000000);
    assert_true(count(svg, "class=\"x-tick\"") <= 40);
    fixture_free(&f);

    f = fixture_new(NULL, 300, CHART_X_LABEL);
    for (size_t i = 0; i < 300; i++) {
        free(f->text[i]);
        f->text[i] = malloc(80);
        snprintf(f->text[i], 80, "Emergency Department, Royal Infirmary, week %zu of the year", i + 1);
    }
    svg = render(f, NULL, 0);
    assert_well_formed(svg);
    assert_int_equal(count(svg, "<circle class=\"pt "), 300);
    assert_non_null(strstr(svg, "rotate(-90)"));
    assert_non_null(strstr(svg, "\xE2\x80\xA6</text>")); /* long labels cut with an ellipsis */
    fixture_free(&f);
}

static void test_large_numbers_are_grouped(void **state)
{
    (void)state;
    double y[24];
    for (size_t i = 0; i < 24; i++)
        y[i] = 1.5e9 + handover[i] * 1e6;
    struct fixture *f = fixture_new(y, 24, CHART_X_NUMBER);
    const char *svg = render(f, NULL, 0);
    assert_well_formed(svg);
    assert_non_null(strstr(svg, "Mean 1,591,083,333, process limits"));
    assert_non_null(strstr(svg, "class=\"y-tick\""));
    assert_null(strstr(svg, "00000000<")); /* no ungrouped run of digits in a label */
    fixture_free(&f);
}

static void test_buffer_cap_fails(void **state)
{
    (void)state;
    struct fixture *f = fixture_new(handover, 24, CHART_X_NUMBER);
    assert_int_equal(spc_xmr(f->y, f->n, NULL, 0, &f->opt, &f->res, &f->err), 0);
    buf_release(&f->out);
    buf_init(&f->out, 2000);
    f->err.msg[0] = '\0';
    assert_int_equal(chart_svg(&f->out, &f->s, &f->err), -1);
    assert_true(f->out.failed);
    assert_non_null(strstr(f->err.msg, "2000 bytes"));
    fixture_free(&f);
}

static void test_bad_series_is_an_error(void **state)
{
    (void)state;
    struct fixture *f = fixture_new(handover, 24, CHART_X_NUMBER);
    assert_int_equal(spc_xmr(f->y, f->n, NULL, 0, &f->opt, &f->res, &f->err), 0);
    f->s.n = 23; /* result computed for 24 */
    assert_int_equal(chart_svg(&f->out, &f->s, &f->err), -1);
    assert_non_null(strstr(f->err.msg, "24 points"));
    f->s.n = 24;
    f->xv[3] = INFINITY;
    assert_int_equal(chart_svg(&f->out, &f->s, &f->err), -1);
    assert_non_null(strstr(f->err.msg, "point 4"));
    fixture_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handover_points_and_colours),
        cmocka_unit_test(test_target_gives_assurance),
        cmocka_unit_test(test_rebase_divider),
        cmocka_unit_test(test_title_is_escaped),
        cmocka_unit_test(test_missing_values_break_the_line),
        cmocka_unit_test(test_edge_series),
        cmocka_unit_test(test_dates_are_readable),
        cmocka_unit_test(test_many_points_draw_the_line),
        cmocka_unit_test(test_large_numbers_are_grouped),
        cmocka_unit_test(test_buffer_cap_fails),
        cmocka_unit_test(test_bad_series_is_an_error),
    };
    return cmocka_run_group_tests_name("svg", tests, NULL, NULL);
}
