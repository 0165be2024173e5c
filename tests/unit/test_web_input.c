/* The web input parsers and the HTML escaper: exact results for known inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "web/kit.h"
#include "core/banned.h"

static void test_form(void **state)
{
    (void)state;
    struct web_form f = {0};
    struct purpose_err err;
    const char *body = "csrf=a%2Fb&text=Hello+world%21%0D%0Aline+2&empty=&flag&x=%E2%9C%93";
    assert_int_equal(web_form_parse(body, strlen(body), &f, &err), 0);
    assert_string_equal(web_form_get(&f, "csrf"), "a/b");
    assert_string_equal(web_form_get(&f, "text"), "Hello world!\nline 2");
    assert_string_equal(web_form_get(&f, "empty"), "");
    assert_string_equal(web_form_get(&f, "flag"), "");
    assert_string_equal(web_form_get(&f, "x"), "\xe2\x9c\x93");
    assert_null(web_form_get(&f, "missing"));
    web_form_release(&f);

    const char *bad = "a=1&text=%zz";
    assert_int_equal(web_form_parse(bad, strlen(bad), &f, &err), -1);
    assert_string_equal(err.msg, "text: is not correctly encoded");
    const char *nul = "text=a%00b";
    assert_int_equal(web_form_parse(nul, strlen(nul), &f, &err), -1);
    const char *cut = "text=%4";
    assert_int_equal(web_form_parse(cut, strlen(cut), &f, &err), -1);

    char many[WEB_FORM_FIELDS * 4 + 8] = "";
    for (int i = 0; i <= WEB_FORM_FIELDS; i++)
        memcpy(many + strlen(many), "a=1&", 5);
    assert_int_equal(web_form_parse(many, strlen(many), &f, &err), -1);
    assert_string_equal(err.msg, "form: too many fields");
}

static void test_cookie(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(web_cookie_get("a=1; purpose_session=abc; b=2", "purpose_session", out, sizeof out), 0);
    assert_string_equal(out, "abc");
    assert_int_equal(web_cookie_get("xpurpose_session=abc", "purpose_session", out, sizeof out), -1);
    assert_int_equal(web_cookie_get("purpose_session=", "purpose_session", out, sizeof out), 0);
    assert_string_equal(out, ""); /* present but empty: callers check the length */
    assert_int_equal(web_cookie_get(NULL, "purpose_session", out, sizeof out), -1);
    char small[4];
    assert_int_equal(web_cookie_get("k=toolong", "k", small, sizeof small), -1);
}

static void test_escape(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1024);
    html_esc(&b, "<a href=\"x\" onclick='y'>Tom & Jerry</a>");
    assert_string_equal(b.data, "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;");
    buf_reset(&b);
    html_esc(&b, "plain é");
    assert_string_equal(b.data, "plain é");
    buf_release(&b);
}

/* The one mapping of error kinds to statuses, and what pages and the API answer for each. */
static void test_err_status(void **state)
{
    (void)state;
    assert_int_equal(web_err_status(PURPOSE_ERR_INPUT), 400);
    assert_int_equal(web_err_status(PURPOSE_ERR_NOT_FOUND), 404);
    assert_int_equal(web_err_status(PURPOSE_ERR_CONFLICT), 409);
    assert_int_equal(web_err_status(PURPOSE_ERR_FORBIDDEN), 403);
    assert_int_equal(web_err_status(PURPOSE_ERR_INTERNAL), 500);

    struct web_resp w = {0};
    buf_init(&w.body, 4096);
    struct purpose_err err = {0};
    purpose_errk(&err, PURPOSE_ERR_CONFLICT, "username", "username: \"x\" is already taken");
    assert_int_equal(web_api_fail(&w, &err), 0);
    assert_int_equal(w.status, 409);
    assert_string_equal(w.body.data, "{\"error\":\"username: \\\"x\\\" is already taken\"}\n");
    assert_true(web_err_in_form(&err));
    /* An internal error is not answered: the dispatcher logs it and answers 500 without detail. */
    buf_reset(&w.body);
    w.status = 200;
    purpose_errk(&err, PURPOSE_ERR_INTERNAL, NULL, "p.db: disk I/O error");
    assert_int_equal(web_api_fail(&w, &err), -1);
    assert_int_equal(w.status, 200);
    assert_int_equal(w.body.len, 0);
    assert_false(web_err_in_form(&err));
    purpose_errk(&err, PURPOSE_ERR_NOT_FOUND, NULL, "value: not found");
    assert_false(web_err_in_form(&err));
    buf_release(&w.body);
}

/* A whole number in a range, or an input error naming the field. */
static void test_parse_long(void **state)
{
    (void)state;
    struct purpose_err err = {0};
    long v = 0;
    assert_int_equal(web_parse_long("2028", "target_year", 2000, 2100, &v, &err), 0);
    assert_int_equal(v, 2028);
    assert_int_equal(web_parse_long("1999", "target_year", 2000, 2100, &v, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
    assert_string_equal(err.field, "target_year");
    assert_int_equal(web_parse_long("20x8", "before", 1, 10, &v, &err), -1);
    assert_string_equal(err.field, "before");
    assert_int_equal(web_parse_long("", "before", 1, 10, &v, &err), -1);
    assert_int_equal(web_parse_long("99999999999999999999999", "before", 1, 10, &v, &err), -1);
    assert_int_equal(v, 2028);
}

/* kit_number: a comma between thousands, the sign and decimals kept (NHS style: "17,184"). */
static void test_number(void **state)
{
    (void)state;
    char n[KIT_NUMBER_MAX];
    assert_string_equal(kit_number(n, 0, 0), "0");
    assert_string_equal(kit_number(n, 999, 0), "999");
    assert_string_equal(kit_number(n, 1000, 0), "1,000");
    assert_string_equal(kit_number(n, 17184, 0), "17,184");
    assert_string_equal(kit_number(n, 1234567, 0), "1,234,567");
    assert_string_equal(kit_number(n, -1234567, 0), "-1,234,567");
    assert_string_equal(kit_number(n, 1234.56, 1), "1,234.6");
    assert_string_equal(kit_number(n, 999.96, 1), "1,000.0");
    assert_string_equal(kit_number(n, 12.5, 2), "12.50");
    assert_string_equal(kit_number(n, 123456789012345.0, 0), "123,456,789,012,345");
    assert_string_equal(kit_number(n, 1e300, 0), "1e+300");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form),
        cmocka_unit_test(test_number),
        cmocka_unit_test(test_cookie),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_err_status),
        cmocka_unit_test(test_parse_long),
    };
    return cmocka_run_group_tests_name("web input", tests, NULL, NULL);
}
