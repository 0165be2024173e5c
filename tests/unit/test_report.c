/* The plain-English reading (src/chart/reading.c) and the board report's pages (report.c). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cairo.h>

#include "chart/chart.h"
#include "chart/reading.h"
#include "chart/report.h"
#include "core/banned.h"

static const double handover[24] = {88, 91, 86, 90, 89, 87, 92, 88, 85, 90, 89, 91,
                                    87, 88, 93, 94, 92, 95, 94, 96, 93, 95, 97, 96};

struct fx {
    size_t n;
    double y[64], xv[64];
    char text[64][24];
    const char *texts[64];
    struct spc_options opt;
    struct spc_result res;
    struct chart_series s;
    struct buf out;
    struct purpose_err err;
};

static struct fx *fx_new(const double *y, size_t n)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->n = n;
    for (size_t i = 0; i < n; i++) {
        f->y[i] = y[i];
        f->xv[i] = (double)(i + 1);
        snprintf(f->text[i], sizeof f->text[i], "%zu", i + 1);
        f->texts[i] = f->text[i];
    }
    spc_options_default(&f->opt);
    spc_result_init(&f->res);
    f->s = (struct chart_series){.title = "Handovers", .y_label = "%", .n = n, .y = f->y, .x_kind = CHART_X_NUMBER,
                                 .x_value = f->xv, .x_text = f->texts, .res = &f->res, .opt = &f->opt};
    buf_init(&f->out, 1 << 16);
    return f;
}

static void fx_free(struct fx **pf)
{
    spc_result_release(&(*pf)->res);
    buf_release(&(*pf)->out);
    free(*pf);
    *pf = NULL;
}

static const char *reading(struct fx *f, const size_t *breaks, size_t n_breaks, const char *unit)
{
    assert_int_equal(spc_xmr(f->y, f->n, breaks, n_breaks, &f->opt, &f->res, &f->err), 0);
    buf_reset(&f->out);
    chart_reading(&f->out, &f->s, unit);
    assert_false(f->out.failed);
    assert_non_null(f->out.data);
    return f->out.data;
}

#define assert_has(hay, needle)                                                  \
    do {                                                                         \
        if (!strstr((hay), (needle)))                                            \
            fail_msg("\"%s\"\n  does not contain \"%s\"", (hay), (needle));       \
    } while (0)

static void test_reading_names_the_rule_and_the_assurance(void **state)
{
    (void)state;
    struct fx *f = fx_new(handover, 24);
    const char *r = reading(f, NULL, 0, "%");
    assert_has(r, "The latest value is 96% (24).");
    assert_has(r, "Two of the last three points are close to the upper process limit: special cause improvement.");
    assert_has(r, "The mean is 91.1%; values from 83.9% to 98.3% are expected from common cause variation alone.");
    assert_null(strstr(r, "target"));

    f->opt.has_target = true;
    f->opt.target = 95;
    assert_has(reading(f, NULL, 0, "%"),
               "The target of 95% lies inside the process limits, so it will be hit and missed at random.");
    f->opt.target = 99;
    assert_has(reading(f, NULL, 0, "%"), "The target of 99% lies above the upper process limit, so it will not be "
                                         "met without a change to the process.");
    f->opt.improvement = SPC_DECREASE; /* lower is better: a target above the limits is always met */
    r = reading(f, NULL, 0, "%");
    assert_has(r, "The target of 99% lies above the upper process limit, so it will be met consistently unless the "
                  "process changes.");
    assert_has(r, "special cause concern."); /* the same points, the other way round */
    f->opt.improvement = SPC_NEUTRAL;
    assert_has(reading(f, NULL, 0, "%"), "neither direction is better, so there is no assurance.");

    /* spc.md: --rebase 15 --target 85 gives consistent pass, all common cause. */
    f->opt.improvement = SPC_INCREASE;
    f->opt.target = 85;
    const size_t breaks[] = {14};
    r = reading(f, breaks, 1, "%");
    assert_has(r, "The latest point shows common cause variation: nothing has changed significantly.");
    assert_has(r, "Since the change at 15, the mean is 94.5%; values from 89.5% to 99.5% are expected");
    assert_has(r, "These are trial limits, from only 10 values.");
    assert_has(r, "The target of 85% lies below the lower process limit, so it will be met consistently");
    fx_free(&f);
}

static void test_reading_counts_the_latest_run(void **state)
{
    (void)state;
    double y[20];
    for (size_t i = 0; i < 12; i++)
        y[i] = i % 2 ? 6 : 5;
    for (size_t i = 12; i < 20; i++)
        y[i] = i % 2 ? 6.5 : 7;
    struct fx *f = fx_new(y, 20);
    const char *r = reading(f, NULL, 0, "");
    assert_int_equal(f->res.rule[19], SPC_RULE_SHIFT_ABOVE);
    assert_has(r, "The last 8 points are above the mean: special cause improvement.");
    assert_has(r, "The latest value is 6.5 (20).");

    /* A missing latest value: the reading starts from the last point with one (the mean falls,
     * so the run now takes in point 12 too). */
    f->y[19] = NAN;
    r = reading(f, NULL, 0, "");
    assert_has(r, "The latest value is 7 (19).");
    assert_has(r, "The last 8 points are above the mean");
    for (size_t i = 0; i < 20; i++)
        f->y[i] = NAN;
    assert_string_equal(reading(f, NULL, 0, ""), "No point has a value yet.");
    fx_free(&f);
}

static void test_reading_of_a_run_chart_and_units(void **state)
{
    (void)state;
    struct fx *f = fx_new(handover, 24);
    f->s.centre_only = true;
    f->s.centre_name = "Median";
    const char *r = reading(f, NULL, 0, "minutes");
    assert_has(r, "The median is 91.1 minutes.");
    assert_null(strstr(r, "values from")); /* no limits to quote */

    char v[64];
    chart_value_text(v, sizeof v, 95, "%");
    assert_string_equal(v, "95%");
    chart_value_text(v, sizeof v, 100.56, "%");
    assert_string_equal(v, "100.6%");
    chart_value_text(v, sizeof v, 4.3343, "%");
    assert_string_equal(v, "4.33%");
    chart_value_text(v, sizeof v, 11982.3, "attendances");
    assert_string_equal(v, "11,982 attendances");
    chart_value_text(v, sizeof v, 12, "");
    assert_string_equal(v, "12");
    fx_free(&f);
}

/* ---- report pages ---------------------------------------------------------------------- */

static size_t count_texts(const struct chart_layout *l, const char *cls, const char *text)
{
    size_t n = 0;
    for (size_t k = 0; k < l->n_shapes; k++) {
        const struct chart_shape *s = &l->shapes[k];
        if (s->kind == CHART_TEXT && s->cls && strcmp(s->cls, cls) == 0 &&
            (!text || strcmp(chart_layout_text(l, s->text), text) == 0))
            n++;
    }
    return n;
}

static void test_report_pages(void **state)
{
    (void)state;
    struct fx *f = fx_new(handover, 24);
    f->opt.has_target = true;
    f->opt.target = 95;
    assert_int_equal(spc_xmr(f->y, f->n, NULL, 0, &f->opt, &f->res, &f->err), 0);
    enum { N = 45 };
    struct report_measure m[N];
    char titles[N][32];
    static const char *const groups[] = {"Safe", "Effective", "Responsive"};
    for (size_t i = 0; i < N; i++) {
        snprintf(titles[i], sizeof titles[i], "Measure %zu", i + 1);
        m[i] = (struct report_measure){.title = titles[i], .group = groups[i / 15], .unit = "%", .chart = "xmr",
                                       .s = &f->s, .reading = "The latest value is 96%."};
    }
    struct report r = {.title = "Board report", .subtitle = "test", .m = m, .n = N};
    size_t table = report_table_pages(&r);
    assert_int_equal(table, 3); /* 45 rows and 3 headings, 19 rows a page */
    assert_int_equal(report_pages(&r), 1 + table + N);

    struct chart_layout l;
    chart_layout_init(&l, REPORT_W, REPORT_H);
    size_t seen[N] = {0};
    for (size_t k = 0; k < report_pages(&r); k++) {
        assert_int_equal(report_page(&l, &r, k, &f->err), 0);
        for (size_t s = 0; s < l.n_shapes; s++) { /* everything on the page */
            const struct chart_shape *sh = &l.shapes[s];
            if (sh->kind == CHART_TEXT || sh->kind == CHART_CIRCLE)
                assert_true(sh->x >= 0 && sh->x <= REPORT_W && sh->y >= 0 && sh->y <= REPORT_H);
        }
        if (k >= 1 && k <= table) {
            for (size_t i = 0; i < N; i++)
                seen[i] += count_texts(&l, "cell", titles[i]);
            /* A heading never ends a page: the last text row is a measure's. */
            const struct chart_shape *last = NULL;
            for (size_t s = 0; s < l.n_shapes; s++)
                if (l.shapes[s].kind == CHART_TEXT && l.shapes[s].cls &&
                    (strcmp(l.shapes[s].cls, "cell") == 0 || strcmp(l.shapes[s].cls, "group") == 0))
                    last = &l.shapes[s];
            assert_non_null(last);
            assert_string_equal(last->cls, "cell");
            assert_int_equal(count_texts(&l, "group", NULL) >= 1, 1);
        }
        if (k > table) /* a measure page: its chart and reading */
            assert_int_equal(count_texts(&l, "reading", "The latest value is 96%."), 1);
    }
    for (size_t i = 0; i < N; i++)
        assert_int_equal(seen[i], 1);
    /* Page 3 starts inside "Safe"... or "Effective": its heading is marked continued. */
    assert_int_equal(report_page(&l, &r, 2, &f->err), 0);
    size_t continued = 0;
    for (size_t s = 0; s < l.n_shapes; s++)
        continued += l.shapes[s].kind == CHART_TEXT && strstr(chart_layout_text(&l, l.shapes[s].text), "(continued)");
    assert_int_equal(continued, 1);
    assert_int_equal(report_page(&l, &r, report_pages(&r), &f->err), -1);
    chart_layout_release(&l);

    struct buf pdf;
    buf_init(&pdf, 1 << 26);
    assert_int_equal(report_pdf(&pdf, &r, &f->err), 0);
    assert_true(memcmp(pdf.data, "%PDF-", 5) == 0);
    size_t pages = 0; /* "/Type /Page " per page object ("/Type /Pages" once) */
    for (size_t i = 0; i + 12 <= pdf.len; i++)
        pages += memcmp(pdf.data + i, "/Type /Page ", 12) == 0;
    assert_int_equal(pages, report_pages(&r));
    buf_release(&pdf);
    fx_free(&f);
}

/* Notes (notes.c): the reading names the one within 3 points of where the latest shift began, in
 * points for x that are not dates, before or after; one further away, or none, is not named; each
 * note is drawn as a group of its own. */
static void test_reading_names_a_note_near_the_shift(void **state)
{
    (void)state;
    double y[30];
    for (size_t i = 0; i < 30; i++)
        y[i] = (i < 18 ? 50 : 40) + (i % 3 == 0 ? 1 : i % 3 == 1 ? -1 : 0.5);
    struct fx *f = fx_new(y, 30);
    f->opt.improvement = SPC_DECREASE;
    struct chart_note notes[2] = {{.x = 17, .label = "New triage model"}, {.x = 5, .label = "Too early"}};
    f->s.notes = notes;
    f->s.n_notes = 2;
    const char *r = reading(f, NULL, 0, "");
    assert_has(r, "The shift began 2 points after 'New triage model'.");
    assert_null(strstr(r, "Too early"));
    notes[0].x = 21; /* after the shift began: said so */
    r = reading(f, NULL, 0, "");
    assert_has(r, "The shift began 2 points before 'New triage model'.");
    notes[0].x = 24; /* 5 points on: too far to credit */
    r = reading(f, NULL, 0, "");
    assert_null(strstr(r, "began"));
    f->s.n_notes = 0;
    assert_null(strstr(reading(f, NULL, 0, ""), "began"));

    struct chart_layout l;
    chart_layout_init(&l, 0, 0);
    f->s.n_notes = 2;
    assert_int_equal(chart_layout_build(&l, &f->s, &f->err), 0);
    size_t groups = 0;
    for (size_t i = 0; i < l.n_shapes; i++)
        groups += l.shapes[i].cls && strcmp(l.shapes[i].cls, "note") == 0;
    assert_int_equal(groups, 2);
    chart_layout_release(&l);
    fx_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reading_names_the_rule_and_the_assurance),
        cmocka_unit_test(test_reading_names_a_note_near_the_shift),
        cmocka_unit_test(test_reading_counts_the_latest_run),
        cmocka_unit_test(test_reading_of_a_run_chart_and_units),
        cmocka_unit_test(test_report_pages),
    };
    int rc = cmocka_run_group_tests_name("report", tests, NULL, NULL);
    cairo_debug_reset_static_data();
    return rc;
}
