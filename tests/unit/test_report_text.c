/* Pages of text in the board report's format (src/chart/report_text.c): the band, wrapped blocks,
 * the footer, a page whose blocks overflow, and the PDF. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "chart/chart_int.h"
#include "chart/report.h"
#include "chart/report_text.h"
#include "core/banned.h"

/* How many text shapes of class cls the layout has, and whether one reads `has`. */
static size_t texts(const struct chart_layout *l, const char *cls, const char *has, bool *found)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n_shapes; i++) {
        const struct chart_shape *s = &l->shapes[i];
        if (s->kind != CHART_TEXT || !s->cls || strcmp(s->cls, cls) != 0)
            continue;
        n++;
        if (has && strstr(chart_layout_text(l, s->text), has))
            *found = true;
        assert_true(s->y < REPORT_H);
    }
    return n;
}

static void test_page(void **state)
{
    (void)state;
    static const char long_text[] =
        "A paragraph long enough to need several lines on a landscape page, so that the layout has to wrap it "
        "at word boundaries and never draws a line wider than the column it is given, however long it runs on.";
    const struct report_block blocks[] = {{REPORT_BLOCK_HEADING, "Our rating"}, {REPORT_BLOCK_PARA, long_text},
                                          {REPORT_BLOCK_BULLET, "A bullet"}, {REPORT_BLOCK_NOTE, "A note"}};
    const struct report_text_page pages[] = {{"First", "", blocks, 4}, {"Second", "Its subtitle", blocks, 1}};
    const struct report_text_doc d = {"A document", pages, 2};
    struct chart_layout l;
    chart_layout_init(&l, REPORT_W, REPORT_H);
    struct purpose_err err = {0};
    assert_int_equal(report_text_page(&l, &d, 0, &err), 0);
    bool found = false;
    assert_int_equal(texts(&l, "title", "First", &found), 1);
    assert_true(found);
    assert_int_equal(texts(&l, "subtitle", NULL, NULL), 0);
    assert_int_equal(texts(&l, "heading", NULL, NULL), 1);
    assert_true(texts(&l, "para", NULL, NULL) >= 2); /* wrapped */
    for (size_t i = 0; i < l.n_shapes; i++)
        if (l.shapes[i].kind == CHART_TEXT && strcmp(l.shapes[i].cls, "para") == 0)
            assert_true(chart_text_width(chart_layout_text(&l, l.shapes[i].text), 10) <= REPORT_W - 72);
    found = false;
    texts(&l, "footer", "Page 1 of 2", &found);
    assert_true(found);
    assert_int_equal(report_text_page(&l, &d, 1, &err), 0);
    assert_int_equal(texts(&l, "subtitle", NULL, NULL), 1);
    assert_int_equal(report_text_page(&l, &d, 2, &err), -1);
    chart_layout_release(&l);
}

static void test_overflow(void **state)
{
    (void)state;
    struct report_block many[80];
    for (size_t i = 0; i < 80; i++)
        many[i] = (struct report_block){REPORT_BLOCK_BULLET, "One of many bullets"};
    const struct report_text_page page = {"Full", "", many, 80};
    const struct report_text_doc d = {"A document", &page, 1};
    struct chart_layout l;
    chart_layout_init(&l, REPORT_W, REPORT_H);
    struct purpose_err err = {0};
    assert_int_equal(report_text_page(&l, &d, 0, &err), 0);
    size_t shown = texts(&l, "bullet-text", NULL, NULL);
    assert_true(shown > 10 && shown < 80);
    assert_int_equal(texts(&l, "more", NULL, NULL), 1); /* the rest is on the web page */
    chart_layout_release(&l);

    struct buf pdf;
    buf_init(&pdf, 1 << 22);
    if (report_text_pdf(&pdf, &d, &err) == 0)
        assert_memory_equal(pdf.data, "%PDF-", 5);
    else
        print_message("# no cairo: %s\n", err.msg);
    buf_release(&pdf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_page), cmocka_unit_test(test_overflow)};
    return cmocka_run_group_tests_name("report_text", tests, NULL, NULL);
}
