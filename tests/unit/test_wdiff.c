/* The word-level difference of a statement's history (core/wdiff.c): what is kept, removed and added,
 * paragraph breaks, the bound, and that both texts can be read back from the pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/wdiff.h"
#include "core/banned.h"

/* The pieces as text: "=word", "-word", "+word", "=|" for a break, space-separated. */
static char *show(const char *a, const char *b)
{
    struct purpose_err err = {0};
    struct wdiff d;
    assert_int_equal(wdiff_words(a, b, &d, &err), 0);
    struct buf o;
    buf_init(&o, 1 << 16);
    for (size_t i = 0; i < d.n; i++) {
        char op = d.p[i].op == WDIFF_SAME ? '=' : d.p[i].op == WDIFF_DEL ? '-' : '+';
        buf_printf(&o, "%s%c%.*s", i ? " " : "", op, d.p[i].s ? (int)d.p[i].len : 1, d.p[i].s ? d.p[i].s : "|");
    }
    wdiff_release(&d);
    assert_false(o.failed);
    char *s = strdup(o.len ? o.data : "");
    buf_release(&o);
    assert_non_null(s);
    return s;
}

#define CHECK(a, b, want)                                                                               \
    do {                                                                                                \
        char *got = show(a, b);                                                                         \
        assert_string_equal(got, want);                                                                 \
        free(got);                                                                                      \
    } while (0)

static void test_words_kept_removed_added(void **state)
{
    (void)state;
    CHECK("Safe care for all", "Safe, kind care for all", "-Safe +Safe, +kind =care =for =all");
    CHECK("Safe care for all", "Safe care for everyone", "=Safe =care =for -all +everyone");
    CHECK("one two three", "one three", "=one -two =three");
    CHECK("one three", "one two three", "=one +two =three");
    /* removals come before additions where they meet */
    CHECK("a b c", "a x c", "=a -b +x =c");
}

static void test_edges(void **state)
{
    (void)state;
    CHECK("", "", "");
    CHECK("", "New vision", "+New +vision");
    CHECK("Old vision", "", "-Old -vision");
    CHECK("  same   words\there ", "same words\nhere", "=same =words =here"); /* spacing is not a change */
    CHECK("x y", "y x", "-x =y +x");
}

static void test_paragraph_breaks(void **state)
{
    (void)state;
    CHECK("First.\n\nSecond.", "First.\nSecond.", "=First. -| =Second.");
    CHECK("First.\n\n\nSecond.", "First.\r\n\r\nSecond.", "=First. =| =Second.");
    CHECK("\n\nLeading", "Leading", "=Leading"); /* no break before the first word */
}

static void test_bound(void **state)
{
    (void)state;
    size_t n = 2 * (WDIFF_MAX_WORDS + 1);
    char *a = malloc(n + 1), *b = malloc(n + 1);
    assert_non_null(a);
    assert_non_null(b);
    for (size_t i = 0; i < n; i += 2) {
        a[i] = 'a', b[i] = 'b';
        a[i + 1] = b[i + 1] = ' ';
    }
    a[n] = b[n] = '\0';
    struct purpose_err err = {0};
    struct wdiff d;
    assert_int_equal(wdiff_words(a, b, &d, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
    assert_non_null(strstr(err.msg, "too long"));
    assert_null(d.p);
    /* the same long text is all kept: common words are set aside before the table */
    assert_int_equal(wdiff_words(a, a, &d, &err), 0);
    assert_int_equal(d.n, WDIFF_MAX_WORDS + 1);
    for (size_t i = 0; i < d.n; i++)
        assert_int_equal(d.p[i].op, WDIFF_SAME);
    wdiff_release(&d);
    /* at the bound, wholly different texts compare */
    a[2 * WDIFF_MAX_WORDS] = b[2 * WDIFF_MAX_WORDS] = '\0';
    assert_int_equal(wdiff_words(a, b, &d, &err), 0);
    assert_int_equal(d.n, 2 * WDIFF_MAX_WORDS);
    wdiff_release(&d);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_kept_removed_added),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_paragraph_breaks),
        cmocka_unit_test(test_bound),
    };
    return cmocka_run_group_tests_name("wdiff", tests, NULL, NULL);
}
