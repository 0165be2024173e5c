/* One handover recorded by two organisations (handover.h, "One handover recorded twice"): the
 * site_code column, the packed record of a row, and the matching of two sources' records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "handover/handover.h"
#include "core/banned.h"

static int64_t utc(int y, int mo, int d, int h, int mi)
{
    return (int64_t)ho_days_from_civil(y, mo, d) * HO_DAY_MS + h * HO_HOUR_MS + mi * HO_MINUTE_MS;
}

/* Rows through the stream, as an import reads them. */
struct seen {
    char codes[8][16];
    size_t n, bad;
    enum ho_bad_kind kind;
    enum ho_col field;
    size_t line;
};
static int on_row(void *ctx, const struct ho_row *r, struct purpose_err *err)
{
    (void)err;
    struct seen *s = ctx;
    if (s->n < 8)
        snprintf(s->codes[s->n], sizeof s->codes[0], "%.*s", (int)r->site_code_len, r->site_code);
    s->n++;
    return 0;
}
static int on_bad(void *ctx, const struct ho_bad *b, struct purpose_err *err)
{
    (void)err;
    struct seen *s = ctx;
    s->bad++;
    s->kind = b->kind;
    s->field = b->field;
    s->line = b->line;
    return 0;
}

static void site_code_column(void **state)
{
    (void)state;
    static const char csv[] = "site,arrival,handover,site_code\n"
                              "A,2023-01-01T10:00Z,2023-01-01T10:20Z,RX101\n"
                              "A,2023-01-01T11:00Z,,\n"
                              "A,2023-01-01T12:00Z,,\"RX102\"\n"
                              "A,2023-01-01T13:00Z,,rx101\n"
                              "A,2023-01-01T14:00Z,,RX\n"
                              "A,2023-01-01T15:00Z,,ABCDEFGHIJK\n";
    struct seen s = {0};
    struct ho_sink sink = {on_row, on_bad, &s};
    struct ho_stream *st = NULL;
    struct purpose_err err;
    assert_int_equal(ho_stream_new(&st, "t.csv", &sink, &err), 0);
    assert_int_equal(ho_stream_feed(st, csv, sizeof csv - 1, &err), 0);
    assert_int_equal(ho_stream_finish(st, &err), 0);
    ho_stream_free(&st);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.codes[0], "RX101");
    assert_string_equal(s.codes[1], "");
    assert_string_equal(s.codes[2], "RX102"); /* quoted, with nothing to unescape */
    assert_int_equal(s.bad, 3);               /* lower case, too short, too long */
    assert_int_equal(s.kind, HO_BAD_SITE_CODE);
    assert_int_equal(s.field, HO_COL_SITE_CODE);
    assert_int_equal(s.line, 7);
    assert_string_equal(ho_col_name(HO_COL_SITE_CODE), "site_code");
    assert_string_equal(ho_bad_kind_name(HO_BAD_SITE_CODE), "bad_site_code");
}

static void record_round_trip(void **state)
{
    (void)state;
    /* 2023-03-26: the day the clocks go forward (starts at 00:00 GMT); 2023-10-29: the 25-hour day
     * (starts 23:00 UTC the evening before). */
    struct {
        int32_t day;
        int64_t arrival, handover, clear;
    } cases[] = {
        {ho_days_from_civil(2023, 3, 26), utc(2023, 3, 26, 0, 0), utc(2023, 3, 26, 0, 14), utc(2023, 3, 26, 0, 30)},
        {ho_days_from_civil(2023, 10, 29), utc(2023, 10, 28, 23, 0), HO_NONE, HO_NONE},
        {ho_days_from_civil(2023, 10, 29), utc(2023, 10, 29, 23, 59), utc(2023, 10, 30, 23, 59), HO_NONE},
        {ho_days_from_civil(2023, 6, 1), utc(2023, 5, 31, 23, 0) + 1, utc(2023, 6, 1, 1, 0), utc(2023, 9, 1, 0, 0)},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ho_row r = {.arrival = cases[i].arrival, .handover = cases[i].handover, .clear = cases[i].clear};
        uint8_t b[HO_REC_BYTES];
        ho_rec_pack(b, cases[i].day, &r, 77);
        struct ho_rec x;
        assert_int_equal(ho_rec_unpack(b, cases[i].day, &x), 0);
        assert_true(x.arrival == r.arrival && x.handover == r.handover && x.ref == 77);
        if (i == 3) /* a clear 92 days on is kept as 49 */
            assert_true(x.clear == r.handover + 49 * HO_DAY_MS);
        else
            assert_true(x.clear == r.clear);
    }
    uint8_t bad[HO_REC_BYTES] = {0xff, 0xff, 0xff, 0xff};
    struct ho_rec x;
    assert_int_equal(ho_rec_unpack(bad, 19000, &x), -1);
    const uint8_t key[16] = {1};
    assert_int_equal(ho_ref_hash(key, "", 0), 0);
    assert_true(ho_ref_hash(key, "R1", 2) != 0 && ho_ref_hash(key, "R1", 2) != ho_ref_hash(key, "R2", 2));
}

#define MIN HO_MINUTE_MS

static struct ho_rec rec(uint32_t src, int64_t arrival_min, uint32_t ref)
{
    return (struct ho_rec){.arrival = arrival_min * MIN, .handover = HO_NONE, .clear = HO_NONE, .ref = ref, .src = src};
}

/* The group of the record of src arriving at minute a, after matching. */
static uint32_t group_of(const struct ho_rec *r, size_t n, uint32_t src, int64_t a)
{
    for (size_t i = 0; i < n; i++)
        if (r[i].src == src && r[i].arrival == a * MIN)
            return r[i].group;
    fail_msg("no record of %u at %lld", src, (long long)a);
    return 0;
}

static void matching(void **state)
{
    (void)state;
    struct ho_rec r[] = {
        rec(0, 100, 0), rec(1, 104, 0),   /* 4 minutes apart, no refs: one handover */
        rec(0, 200, 5), rec(1, 206, 5),   /* 6 minutes apart: two */
        rec(0, 300, 7), rec(1, 301, 8),   /* refs differ: two */
        rec(0, 400, 9), rec(0, 401, 9),   /* one source twice: two */
        rec(0, 500, 3), rec(1, 501, 0), rec(1, 503, 3), /* the equal ref wins over the nearer */
        rec(0, 600, 0), rec(1, 602, 4), rec(2, 603, 0), /* three sources, one handover */
    };
    size_t n = sizeof r / sizeof r[0];
    ho_match(r, n, 5 * MIN);
    assert_int_equal(group_of(r, n, 0, 100), group_of(r, n, 1, 104));
    assert_int_not_equal(group_of(r, n, 0, 200), group_of(r, n, 1, 206));
    assert_int_not_equal(group_of(r, n, 0, 300), group_of(r, n, 1, 301));
    assert_int_not_equal(group_of(r, n, 0, 400), group_of(r, n, 0, 401));
    assert_int_equal(group_of(r, n, 0, 500), group_of(r, n, 1, 503));
    assert_int_not_equal(group_of(r, n, 0, 500), group_of(r, n, 1, 501));
    assert_int_equal(group_of(r, n, 0, 600), group_of(r, n, 1, 602));
    assert_int_equal(group_of(r, n, 0, 600), group_of(r, n, 2, 603));
    /* the same groups whatever the order given */
    struct ho_rec s[sizeof r / sizeof r[0]];
    for (size_t i = 0; i < n; i++)
        s[i] = r[n - 1 - i];
    ho_match(s, n, 5 * MIN);
    for (size_t i = 0; i < n; i++)
        assert_true(s[i].arrival == r[i].arrival && s[i].src == r[i].src && s[i].group == r[i].group);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(site_code_column), cmocka_unit_test(record_round_trip),
                                       cmocka_unit_test(matching)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
