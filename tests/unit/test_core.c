/* Unit tests for the core parsers: numbers, x types, CSV. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/csv.h"
#include "core/json.h"
#include "core/num.h"
#include "core/strmap.h"
#include "core/xval.h"
#include "core/utf8.h"
#include <jansson.h>

static enum num_status parse(const char *s, double *v) { return num_parse(s, strlen(s), v); }

static void test_num_parse_accepts_decimals(void **state)
{
    (void)state;
    double v;
    assert_int_equal(parse("1", &v), NUM_OK);
    assert_true(v == 1.0);
    assert_int_equal(parse("-0.5", &v), NUM_OK);
    assert_true(v == -0.5);
    assert_int_equal(parse("+3", &v), NUM_OK);
    assert_true(v == 3.0);
    assert_int_equal(parse(".5", &v), NUM_OK);
    assert_true(v == 0.5);
    assert_int_equal(parse("5.", &v), NUM_OK);
    assert_true(v == 5.0);
    assert_int_equal(parse("1.5E-2", &v), NUM_OK);
    assert_true(v == 0.015);
    assert_int_equal(parse("0.1000000000000000055511151231257827", &v), NUM_OK);
    assert_true(v == 0.1);
    assert_int_equal(parse("123456789012345678901234567890", &v), NUM_OK);
    assert_true(v == 123456789012345678901234567890.0);
}

static void test_num_parse_rejects(void **state)
{
    (void)state;
    double v;
    const char *bad[] = {"", "-", ".", "1e", "1e+", "0x10", "1,5", " 1", "1 ", "abc", "1.2.3", "--1", "e5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(parse(bad[i], &v), NUM_NOT_A_NUMBER);
    const char *non_finite[] = {"inf", "-Inf", "NaN", "nan", "Infinity", "1e400", "-1e999"};
    for (size_t i = 0; i < sizeof non_finite / sizeof non_finite[0]; i++)
        assert_int_equal(parse(non_finite[i], &v), NUM_NOT_FINITE);
}

/* The fast path must agree with strtod bit for bit. */
static void test_num_parse_matches_strtod(void **state)
{
    (void)state;
    uint64_t seed = 42;
    char text[64];
    for (int i = 0; i < 200000; i++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        int digits = (int)(seed >> 60) + 1, point = (int)((seed >> 52) & 15), exp = (int)((seed >> 40) & 63) - 32;
        uint64_t m = (seed >> 8) % 10000000000000000000u;
        int n = snprintf(text, sizeof text, "%.*llu", digits, (unsigned long long)(m % 100000000000000000u));
        if (point < n) {
            memmove(text + point + 1, text + point, (size_t)(n - point + 1));
            text[point] = '.';
        }
        if (i % 3 == 0)
            snprintf(text + strlen(text), 8, "e%d", exp);
        double fast, slow = strtod(text, NULL);
        assert_int_equal(parse(text, &fast), NUM_OK);
        if (memcmp(&fast, &slow, sizeof fast) != 0)
            fail_msg("%s: %.17g != %.17g", text, fast, slow);
    }
}

static double exact_pow10_of(uint64_t k)
{
    double p = 1;
    while (k--)
        p *= 10;
    return p;
}

/* The formatter before the exact one: %.15g, %.16g, %.17g, the first that reads back. */
static void format_reference(double v, char *out)
{
    for (int precision = 15; precision <= 17; precision++) {
        snprintf(out, NUM_TEXT_MAX, "%.*g", precision, v);
        if (precision == 17 || strtod(out, NULL) == v)
            break;
    }
}

static uint64_t num_rng = 0x853c49e6748fea9bu;
static uint64_t num_random(void) /* splitmix64 */
{
    uint64_t z = (num_rng += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* num_format against the reference and a %.17g round trip, on many doubles: random bit patterns
 * (every exponent), values with a few decimals (as CSV input has), ratios and means (as limits
 * are), and the edges of the exact path's range. */
static void test_num_format_matches_reference(void **state)
{
    (void)state;
    char got[NUM_TEXT_MAX], want[NUM_TEXT_MAX], full[40];
    static const double edges[] = {1e-4, 0.00010000000000000002, 9.9999999999999991e-05, 1e14, 99999999999999.98,
                                   99999999999999.99, 0.5, 1, 2, 4503599627370496.0, 0.1, 0.2, 0.3, 1e-5, 123456.5};
    for (size_t i = 0; i < 600000; i++) {
        double v;
        uint64_t r = num_random();
        switch (i % 5) {
        case 0: /* any finite double */
            memcpy(&v, &r, sizeof v);
            if (!isfinite(v))
                continue;
            break;
        case 1: /* a decimal with 0 to 6 places */
            v = (double)(int64_t)(r % 2000000000) / exact_pow10_of(r >> 60 & 7);
            break;
        case 2: /* a ratio, as a mean or a proportion */
            v = (double)(r % 100000) / (double)(1 + (r >> 32) % 9999);
            break;
        case 3: /* a random double near the exact path's range */
            v = ldexp((double)(r >> 11) / 9007199254740992.0 + 0.5, (int)((r & 127) - 20));
            break;
        default:
            v = i / 5 < sizeof edges / sizeof edges[0] ? edges[i / 5] : (double)(r % 1000003) * 1e-3;
            break;
        }
        if (r >> 63)
            v = -v;
        num_format(v, got);
        format_reference(v == 0 ? 0 : v, want);
        if (strcmp(got, want) != 0)
            fail_msg("%.17g: got \"%s\", expected \"%s\"", v, got, want);
        snprintf(full, sizeof full, "%.17g", v);
        if (strtod(got, NULL) != strtod(full, NULL))
            fail_msg("%s does not read back as %s", got, full);
    }
}

static void test_num_format_shortest(void **state)
{
    (void)state;
    char t[NUM_TEXT_MAX];
    num_format(0.1, t);
    assert_string_equal(t, "0.1");
    num_format(1.0 / 3.0, t);
    assert_string_equal(t, "0.3333333333333333");
    num_format(91.083333333333329, t);
    assert_string_equal(t, "91.08333333333333");
    num_format(58.0, t);
    assert_string_equal(t, "58");
    num_format(-0.0, t);
    assert_string_equal(t, "0");
    num_format(1e21, t);
    assert_string_equal(t, "1e+21");
    assert_int_equal(num_format(NAN, t), 0);
    assert_string_equal(t, "");
    double back;
    num_format(0.30000000000000004, t);
    assert_int_equal(parse(t, &back), NUM_OK);
    assert_true(back == 0.30000000000000004);
}

static enum xval_type classify(const char *s, double *key) { return xval_classify(s, strlen(s), key); }

static void test_xval_types(void **state)
{
    (void)state;
    double a, b;
    assert_int_equal(classify("42", &a), XVAL_NUMBER);
    assert_int_equal(classify(" 1e3 ", &a), XVAL_NUMBER);
    assert_true(a == 1000);
    assert_int_equal(classify("2023-01-31", &a), XVAL_DATE);
    assert_int_equal(classify("31/1/2023", &b), XVAL_DATE);
    assert_true(a == b);
    assert_true(a == 19388.0 * 86400);
    assert_int_equal(classify("29/2/2024", &a), XVAL_DATE);
    assert_int_equal(classify("29/2/2023", &a), XVAL_LABEL);
    assert_int_equal(classify("2023-02-30", &a), XVAL_LABEL);
    assert_int_equal(classify("2023-13-01", &a), XVAL_LABEL);
    assert_int_equal(classify("2023-1-31", &a), XVAL_LABEL);
    assert_int_equal(classify("Week 1", &a), XVAL_LABEL);
    assert_int_equal(classify("NaN", &a), XVAL_LABEL);
    assert_int_equal(classify("2023-01-01T01:00:00+01:00", &a), XVAL_DATE);
    assert_int_equal(classify("2023-01-01 00:00Z", &b), XVAL_DATE);
    assert_true(a == b);
    assert_int_equal(classify("2023-01-01T00:00:30.5", &a), XVAL_DATE);
    assert_true(a == b + 30.5);
    assert_int_equal(classify("2023-01-01T25:00", &a), XVAL_LABEL);
    assert_int_equal(classify("1970-01-01", &a), XVAL_DATE);
    assert_true(a == 0);
}

static int read_all(const char *text, struct csv_reader *r, struct purpose_err *err, size_t *rows)
{
    csv_reader_init(r, "t.csv", text, strlen(text));
    int rc;
    *rows = 0;
    while ((rc = csv_next(r, err)) == 1)
        (*rows)++;
    return rc;
}

static void test_csv_quotes_lines_and_bom(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBFx,y\r\n\"a, \"\"b\"\"\",1\r\n\"two\nlines\",2\n\nlast,3";
    struct csv_reader r;
    struct purpose_err err;
    csv_reader_init(&r, "t.csv", text, strlen(text));
    assert_int_equal(csv_next(&r, &err), 1);
    assert_int_equal(r.n_fields, 2);
    assert_memory_equal(r.fields[0].p, "x", 1);
    assert_int_equal(csv_next(&r, &err), 1);
    struct buf scratch;
    buf_init(&scratch, 1024);
    size_t n;
    const char *v = csv_field_text(&r.fields[0], &scratch, &n);
    assert_int_equal(n, 6);
    assert_memory_equal(v, "a, \"b\"", 6);
    assert_int_equal(r.row_line, 2);
    assert_int_equal(csv_next(&r, &err), 1);
    assert_int_equal(r.row_line, 3);
    assert_int_equal(r.fields[0].len, 9);
    assert_int_equal(csv_next(&r, &err), 1);
    assert_int_equal(r.row_line, 6);
    assert_memory_equal(r.fields[1].p, "3", 1);
    assert_int_equal(csv_next(&r, &err), 0);
    struct csv_field f;
    csv_field_at(text, strlen(text), (size_t)(r.fields[0].p - text), &f);
    assert_int_equal(f.len, 4);
    buf_release(&scratch);
    csv_reader_release(&r);
}

/* Lone CRs (old Mac exports) end rows and lines, blank ones included; csv_line_at agrees. */
static void test_csv_line_ends_lf_crlf_cr(void **state)
{
    (void)state;
    const char *text = "x,y\r\r\na,1\r\rb,2\n\r\nc,3";
    struct csv_reader r;
    struct purpose_err err;
    csv_reader_init(&r, "t.csv", text, strlen(text));
    const size_t want[] = {1, 3, 5, 7};
    for (size_t k = 0; k < 4; k++) {
        assert_int_equal(csv_next(&r, &err), 1);
        assert_int_equal(r.row_line, want[k]);
        assert_int_equal(csv_line_at(text, r.row_offset), want[k]);
    }
    assert_int_equal(csv_next(&r, &err), 0);
    csv_reader_release(&r);
}

static void test_csv_errors(void **state)
{
    (void)state;
    struct csv_reader r;
    struct purpose_err err;
    size_t rows;
    assert_int_equal(read_all("x,y\n1,2\n3\n", &r, &err, &rows), -1);
    assert_string_equal(err.msg, "t.csv:3: expected 2 fields, as in the header, but found 1");
    csv_reader_release(&r);
    assert_int_equal(read_all("x,y\n1,2\n\"3,4\n5,6\n", &r, &err, &rows), -1);
    assert_string_equal(err.msg, "t.csv:3: unterminated quoted field");
    csv_reader_release(&r);
    assert_int_equal(read_all("x,y\n\"1\"x,2\n", &r, &err, &rows), -1);
    assert_string_equal(err.msg, "t.csv:2: unexpected character after a closing quote");
    csv_reader_release(&r);
    assert_int_equal(read_all("", &r, &err, &rows), 0);
    assert_int_equal(rows, 0);
    csv_reader_release(&r);
}

static void test_csv_write_field_quotes_when_needed(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1024);
    csv_write_field(&b, "plain", 5);
    buf_putc(&b, '|');
    csv_write_field(&b, "a,\"b\"", 5);
    assert_string_equal(b.data, "plain|\"a,\"\"b\"\"\"");
    buf_release(&b);
}

/* A cell a spreadsheet opens: a leading = + - @ (a formula, e.g. =HYPERLINK(...) in a public
 * idea) is kept as text behind an apostrophe; quotes doubled; everything else as written. */
static void test_csv_write_cell_disarms_formulas(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1024);
    const char *in[] = {"=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "plain", "", "a=b"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        csv_write_cell(&b, in[i]);
        buf_putc(&b, '|');
    }
    assert_string_equal(b.data, "\"'=HYPERLINK(\"\"http://x\"\")\"|\"'+1\"|\"'-2\"|\"'@SUM(A1)\"|\"plain\"|\"\"|\"a=b\"|");
    buf_release(&b);
}

static void test_json_string_escapes(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1024);
    json_write_string(&b, "a\"b\\c\n\x01", 7);
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\u0001\"");
    buf_reset(&b);
    json_write_number(&b, NAN);
    assert_string_equal(b.data, "null");
    buf_release(&b);
}

static void test_json_string_replaces_invalid_utf8(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 10);
    /* Valid two-, three- and four-byte forms pass through unchanged. */
    json_write_string(&b, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 9);
    assert_string_equal(b.data, "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"");
    buf_reset(&b);
    /* A Latin-1 byte, a truncated sequence at the end, an overlong "/", a surrogate, > U+10FFFF. */
    json_write_string(&b, "caf\xE9!\xC0\xAF\xED\xA0\x80\xF4\x90\x80\x80\xE2\x82", 16);
    assert_string_equal(b.data, "\"caf\\ufffd!\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
    buf_release(&b);
}

/* The one UTF-8 rule agrees with jansson, which answers every JSON request and response. */
/* The one text rule: length first, then the first malformed sequence or control character, by offset;
 * and a prefix never cuts a character. */
static void test_utf8_text_rule(void **state)
{
    (void)state;
    size_t at = 99;
    assert_int_equal(utf8_text_check("Royal \xc3\xa9", 8, 8, false, &at), UTF8_OK);
    assert_int_equal(utf8_text_check("Royal \xc3\xa9", 8, 7, false, &at), UTF8_TOO_LONG);
    assert_int_equal(utf8_text_check("Bad\xff\xfeSite", 9, 200, false, &at), UTF8_MALFORMED);
    assert_int_equal(at, 3);
    assert_int_equal(utf8_text_check("a\tb", 3, 200, false, &at), UTF8_CONTROL);
    assert_int_equal(at, 1);
    assert_int_equal(utf8_text_check("a\tb\r\n", 5, 200, true, &at), UTF8_OK);
    assert_int_equal(utf8_text_check("a\x7f", 2, 200, true, &at), UTF8_CONTROL);
    assert_int_equal(utf8_text_check("a\0b", 3, 200, true, &at), UTF8_CONTROL);
    assert_int_equal(utf8_prefix("ab\xc3\xa9", 4, 3), 2);
    assert_int_equal(utf8_prefix("ab\xc3\xa9", 4, 4), 4);
    assert_int_equal(utf8_prefix("ab\xf0\x9f\x98\x80" "c", 7, 5), 2);
    assert_int_equal(utf8_prefix("ab\xf0\x9f\x98\x80" "c", 7, 6), 6);
}

static void test_utf8_rule_is_jansson_rule(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        bool ok;
    } cases[] = {
        {"plain", true}, {"\xc3\xa9", true}, {"\xe2\x82\xac", true}, {"\xf0\x9f\x98\x80", true},
        {"\xef\xbf\xbf", true}, {"\xf4\x8f\xbf\xbf", true}, {"\xed\x9f\xbf", true}, {"\xee\x80\x80", true},
        {"V\xed\xa0\x80", false}, {"\xed\xbf\xbf", false}, {"\xc0\xaf", false}, {"\xc1\xbf", false},
        {"\xe0\x80\xaf", false}, {"\xe0\x9f\xbf", false}, {"\xf0\x8f\xbf\xbf", false},
        {"\xf4\x90\x80\x80", false}, {"\xf5\x80\x80\x80", false}, {"\xff", false}, {"\x80", false},
        {"a\xe2\x82", false}, {"\xc3", false}, {"\xe2\x28\xa1", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = strlen(cases[i].s);
        assert_int_equal(utf8_valid(cases[i].s, n), cases[i].ok);
        json_t *j = json_stringn(cases[i].s, n);
        assert_int_equal(j != NULL, cases[i].ok);
        json_decref(j);
    }
}

static void test_buf_cap_is_sticky(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 8);
    assert_int_equal(buf_puts(&b, "12345678"), 0);
    assert_int_equal(buf_putc(&b, '9'), -1);
    assert_true(b.failed);
    assert_int_equal(buf_puts(&b, ""), -1);
    assert_int_equal(b.len, 8);
    buf_release(&b);
}

static void test_strmap_orders_by_first_insert(void **state)
{
    (void)state;
    struct strmap m;
    strmap_init(&m);
    char key[16];
    for (int i = 0; i < 1000; i++) {
        int n = snprintf(key, sizeof key, "k%d", i);
        assert_int_equal(strmap_get(&m, key, (size_t)n, 1), (size_t)i);
    }
    assert_int_equal(strmap_get(&m, "k500", 4, 0), 500);
    assert_int_equal(strmap_get(&m, "k1000", 5, 0), (size_t)-1);
    strmap_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_num_parse_accepts_decimals),
        cmocka_unit_test(test_num_parse_rejects),
        cmocka_unit_test(test_num_parse_matches_strtod),
        cmocka_unit_test(test_num_format_shortest),
        cmocka_unit_test(test_num_format_matches_reference),
        cmocka_unit_test(test_xval_types),
        cmocka_unit_test(test_csv_quotes_lines_and_bom),
        cmocka_unit_test(test_csv_line_ends_lf_crlf_cr),
        cmocka_unit_test(test_csv_errors),
        cmocka_unit_test(test_csv_write_field_quotes_when_needed),
        cmocka_unit_test(test_csv_write_cell_disarms_formulas),
        cmocka_unit_test(test_json_string_escapes),
        cmocka_unit_test(test_json_string_replaces_invalid_utf8),
        cmocka_unit_test(test_utf8_rule_is_jansson_rule),
        cmocka_unit_test(test_utf8_text_rule),
        cmocka_unit_test(test_buf_cap_is_sticky),
        cmocka_unit_test(test_strmap_orders_by_first_insert),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
