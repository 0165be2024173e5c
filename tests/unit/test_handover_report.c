/* The handover library's output side: every metric against hand-computed figures, both 2023
 * clock-change days in hour and day buckets, type 7 quantiles, merge = union, the blob format,
 * number writing and the generator. */
#include <math.h>
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

static int add_row(void *ctx, const struct ho_row *r, struct purpose_err *err) { return ho_agg_add(ctx, r, err); }
static int no_bad(void *ctx, const struct ho_bad *b, struct purpose_err *err)
{
    (void)ctx;
    return purpose_errf(err, "unexpected bad row %zu: %s", b->line, b->reason);
}

static struct ho_agg *agg_of(const char *csv)
{
    struct ho_agg *a = NULL;
    struct purpose_err err = {0};
    assert_int_equal(ho_agg_new(&a, &err), 0);
    struct ho_sink sink = {add_row, no_bad, a};
    struct ho_stream *s = NULL;
    assert_int_equal(ho_stream_new(&s, "t.csv", &sink, &err), 0);
    int rc = ho_stream_feed(s, csv, strlen(csv), &err);
    if (rc == 0)
        rc = ho_stream_finish(s, &err);
    if (rc != 0)
        fail_msg("%s", err.msg);
    ho_stream_free(&s);
    return a;
}

static int emit_csv(void *ctx, const struct ho_metrics *m, struct purpose_err *err)
{
    (void)err;
    ho_report_csv_row(ctx, m);
    return 0;
}

/* The report's CSV rows (no header) in a string the caller frees. */
static char *report(struct ho_agg *a, enum ho_by by, const char *site, int32_t from, int32_t to)
{
    struct buf b;
    buf_init(&b, 1 << 24);
    struct ho_report_opts o = {.by = by, .site = site, .site_len = site ? strlen(site) : 0, .from = from, .to = to};
    struct purpose_err err;
    assert_int_equal(ho_report_run(a, &o, emit_csv, &b, &err), 0);
    buf_putc(&b, '\0');
    assert_false(b.failed);
    return b.data;
}
#define ALL INT32_MIN, INT32_MAX

static void expect_report(struct ho_agg *a, enum ho_by by, const char *site, const char *want)
{
    char *got = report(a, by, site, ALL);
    assert_string_equal(got, want);
    free(got);
}

/* Durations 10, 15, 40, 50, 90 min and a row not yet handed over; clears 10, 20, -, 10, 15 min
 * after handover. By hand: within 15: 2/5 = 40%; within 30: 40%; within 60: 4/5 = 80%; over 45:
 * 2; over 60: 1; mean 205/5 = 41; median x[2] = 40; p95 at 4 x 0.95 = 3.8: 50 + 0.8 x 40 = 82;
 * hours lost (0+0+25+35+75 min) = 2.25 h, above 60 min 30 min = 0.5 h; clear within 15: 3/4. */
static const char day_csv[] = "site,arrival,handover,clear\n"
                              "A,2023-01-10T08:00Z,2023-01-10T08:10Z,2023-01-10T08:20Z\n"
                              "A,2023-01-10T08:30Z,2023-01-10T08:45Z,2023-01-10T09:05Z\n"
                              "A,2023-01-10T09:00Z,2023-01-10T09:40Z,\n"
                              "A,2023-01-10T10:00Z,2023-01-10T10:50Z,2023-01-10T11:00Z\n"
                              "A,2023-01-10T11:00Z,2023-01-10T12:30Z,2023-01-10T12:45Z\n"
                              "A,2023-01-10T12:00Z,,\n";

static void test_metrics_by_hand(void **state)
{
    (void)state;
    struct ho_agg *a = agg_of(day_csv);
    expect_report(a, HO_BY_DAY, NULL,
                  "A,2023-01-10,6,5,40,40,80,2,1,41,40,82,2.25,0.5,75\n"
                  "all,2023-01-10,6,5,40,40,80,2,1,41,40,82,2.25,0.5,75\n");
    /* Hours: 08 holds 10 and 15 min (p95 = 10 + 0.95 x 5 = 14.75; one clear of two within 15). */
    expect_report(a, HO_BY_HOUR, "A",
                  "A,2023-01-10T08:00,2,2,100,100,100,0,0,12.5,12.5,14.75,0,0,50\n"
                  "A,2023-01-10T09:00,1,1,0,0,100,0,0,40,40,40,0.416666666667,0,\n"
                  "A,2023-01-10T10:00,1,1,0,0,100,1,0,50,50,50,0.583333333333,0,100\n"
                  "A,2023-01-10T11:00,1,1,0,0,0,1,1,90,90,90,1.25,0.5,100\n"
                  "A,2023-01-10T12:00,1,0,,,,0,0,,,,0,0,\n");
    expect_report(a, HO_BY_WEEK, "A", "A,2023-01-09,6,5,40,40,80,2,1,41,40,82,2.25,0.5,75\n");
    expect_report(a, HO_BY_MONTH, "A", "A,2023-01,6,5,40,40,80,2,1,41,40,82,2.25,0.5,75\n");
    expect_report(a, HO_BY_DAY, "B", "");
    ho_agg_free(&a);
    assert_null(a);
}

/* 26 March 2023: no 01:00 hour; a handover across the change counts real minutes. */
static void test_march_clock_change(void **state)
{
    (void)state;
    struct ho_agg *a = agg_of("site,arrival,handover\n"
                              "A,2023-03-26T00:30,2023-03-26T00:40\n"    /* 10 min, hour 00 */
                              "A,2023-03-26T00:50,2023-03-26T02:05\n"    /* 00:50Z to 01:05Z: 15 min */
                              "A,2023-03-26T01:30Z,2023-03-26T01:50Z\n"  /* 02:30 BST: 20 min */
                              "A,2023-03-26T02:00,2023-03-26T03:00\n"    /* 60 min, hour 02 */
                              "A,2023-03-25T23:30Z,\n");                  /* 23:30 GMT on the 25th */
    expect_report(a, HO_BY_HOUR, "A",
                  "A,2023-03-25T23:00,1,0,,,,0,0,,,,0,0,\n"
                  "A,2023-03-26T00:00,2,2,100,100,100,0,0,12.5,12.5,14.75,0,0,\n"
                  "A,2023-03-26T02:00,2,2,0,50,100,1,0,40,40,58,0.833333333333,0,\n");
    /* 10, 15, 20, 60: median at 1.5 = 17.5; p95 at 2.85 = 20 + 0.85 x 40 = 54. */
    expect_report(a, HO_BY_DAY, "A",
                  "A,2023-03-25,1,0,,,,0,0,,,,0,0,\n"
                  "A,2023-03-26,4,4,50,75,100,1,0,26.25,17.5,54,0.833333333333,0,\n");
    ho_agg_free(&a);
}

/* 29 October 2023: the repeated 01:00 hour is one bucket holding both occurrences. */
static void test_october_clock_change(void **state)
{
    (void)state;
    struct ho_agg *a = agg_of("site,arrival,handover\n"
                              "A,2023-10-29T00:30,2023-10-29T00:45\n"             /* 23:30Z on the 28th */
                              "A,2023-10-29T01:30,2023-10-29T01:10+00:00\n"       /* first 01:30: 40 min */
                              "A,2023-10-29T01:30+00:00,2023-10-29T01:45+00:00\n" /* second 01:30: 15 min */
                              "A,2023-10-29T01:59:59,2023-10-29T01:05+00:00\n"    /* 301 s */
                              "A,2023-10-29T02:00,2023-10-29T02:30\n"
                              "A,2023-10-28T23:30Z,\n"); /* 00:30 BST on the 29th */
    /* Hour 01: 301 s, 15 min, 40 min: mean 3601 s / 3 = 20.00555... min; p95 at 1.9 = 15 + 0.9 x 25. */
    expect_report(a, HO_BY_HOUR, "A",
                  "A,2023-10-29T00:00,2,1,100,100,100,0,0,15,15,15,0,0,\n"
                  "A,2023-10-29T01:00,3,3,66.6666666667,66.6666666667,100,0,0,20.0055555556,15,37.5,0.416666666667,0,\n"
                  "A,2023-10-29T02:00,1,1,0,100,100,0,0,30,30,30,0.25,0,\n");
    expect_report(a, HO_BY_DAY, "A",
                  "A,2023-10-29,6,5,60,80,100,0,0,21.0033333333,15,38,0.666666666667,0,\n");
    ho_agg_free(&a);
}

static void test_sites_periods_filters(void **state)
{
    (void)state;
    struct ho_agg *a = agg_of("site,arrival,handover\n"
                              "b,2023-01-31T10:00Z,2023-01-31T10:20Z\n"
                              "\"a,x\",2023-01-31T10:00Z,2023-01-31T10:10Z\n"
                              "b,2023-02-01T10:00Z,2023-02-01T10:40Z\n"
                              "b,2023-02-06T10:00Z,2023-02-06T11:10Z\n"
                              "ab,2023-02-06T23:30Z,2023-02-07T00:00Z\n");
    expect_report(a, HO_BY_WEEK, NULL,
                  "\"a,x\",2023-01-30,1,1,100,100,100,0,0,10,10,10,0,0,\n"
                  "ab,2023-02-06,1,1,0,100,100,0,0,30,30,30,0.25,0,\n"
                  "b,2023-01-30,2,2,0,50,100,0,0,30,30,39,0.5,0,\n"
                  "b,2023-02-06,1,1,0,0,0,1,1,70,70,70,0.916666666667,0.166666666667,\n"
                  "all,2023-01-30,3,3,33.3333333333,66.6666666667,100,0,0,23.3333333333,20,38,0.5,0,\n"
                  "all,2023-02-06,2,2,0,50,50,1,1,50,50,68,1.16666666667,0.166666666667,\n");
    expect_report(a, HO_BY_MONTH, "b",
                  "b,2023-01,1,1,0,100,100,0,0,20,20,20,0.0833333333333,0,\n"
                  "b,2023-02,2,2,0,0,50,1,1,55,55,68.5,1.33333333333,0.166666666667,\n");
    char *got = report(a, HO_BY_DAY, NULL, ho_days_from_civil(2023, 2, 1), ho_days_from_civil(2023, 2, 1));
    assert_string_equal(got, "b,2023-02-01,1,1,0,0,100,0,0,40,40,40,0.416666666667,0,\n"
                             "all,2023-02-01,1,1,0,0,100,0,0,40,40,40,0.416666666667,0,\n");
    free(got);
    size_t n;
    assert_int_equal(ho_agg_site_count(a), 3);
    assert_memory_equal(ho_agg_site(a, 0, &n), "a,x", 3);
    assert_memory_equal(ho_agg_site(a, 1, &n), "ab", 2);
    struct ho_day *const *days;
    assert_int_equal(ho_agg_days(a, 2, &days), 3);
    assert_int_equal(days[2]->day, ho_days_from_civil(2023, 2, 6));
    ho_agg_free(&a);
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

static void test_quantile_type7(void **state)
{
    (void)state;
    uint32_t v[] = {4, 1, 3, 2};
    assert_true(ho_quantile(v, 4, 1, 2) == 2.5);
    uint32_t w[] = {4, 1, 3, 2};
    assert_true(fabs(ho_quantile(w, 4, 19, 20) - 3.85) < 1e-12); /* R: quantile(1:4, .95) */
    uint32_t one[] = {7};
    assert_true(ho_quantile(one, 1, 19, 20) == 7);
    uint32_t two[] = {10, 0};
    assert_true(ho_quantile(two, 2, 19, 20) == 9.5);
    uint32_t same[] = {5, 5, 5, 5, 5};
    assert_true(ho_quantile(same, 5, 1, 2) == 5);
    /* Against sorting, on random data with many repeats. */
    uint64_t x = 12345;
    for (int trial = 0; trial < 200; trial++) {
        size_t n = 1 + (size_t)(trial * 7 % 97);
        uint32_t a[100], s[100];
        for (size_t i = 0; i < n; i++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            a[i] = s[i] = (uint32_t)(x >> 33) % (trial % 2 ? 10 : 100000);
        }
        qsort(s, n, sizeof *s, cmp_u32);
        uint32_t num = (uint32_t)(trial % 21), den = 20;
        double h = (double)(n - 1) * num / den;
        size_t lo = (size_t)((n - 1) * num / den);
        double want = s[lo] + (lo + 1 < n ? (h - (double)lo) * (s[lo + 1] - (double)s[lo]) : 0);
        assert_true(fabs(ho_quantile(a, n, num, den) - want) < 1e-6);
    }
}

/* The metrics' median and p95 (quickselect below 48 values, the histogram above, 256 or 4096
 * buckets) against sorting: sizes across both thresholds, spreads from all-equal to a whole day,
 * and values that crowd one bucket. */
static void test_metrics_quantiles_any_size(void **state)
{
    (void)state;
    static const size_t sizes[] = {1, 2, 47, 48, 49, 135, 1023, 1024, 4095, 4096, 4097, 20000};
    static const uint32_t spreads[] = {1, 7, 60000, 3600000, 86400000};
    uint64_t x = 99;
    uint32_t *a = malloc(20000 * sizeof *a), *s = malloc(20000 * sizeof *s);
    assert_non_null(a);
    assert_non_null(s);
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
        for (size_t sp = 0; sp < sizeof spreads / sizeof spreads[0]; sp++)
            for (int crowd = 0; crowd < 2; crowd++) {
                size_t n = sizes[si];
                for (size_t i = 0; i < n; i++) {
                    x = x * 6364136223846793005u + 1442695040888963407u;
                    uint32_t v = (uint32_t)(x >> 33) % spreads[sp];
                    if (crowd && i % 3)
                        v = 1800000 + v % 16; /* most values within a few ms of 30 minutes */
                    a[i] = s[i] = v;
                }
                qsort(s, n, sizeof *s, cmp_u32);
                struct ho_metrics m;
                ho_metrics_compute(&m, a, n, n, 0, 0);
                size_t k = (n - 1) / 2;
                double med = (n - 1) % 2 ? (s[k] + (double)(s[k + 1] - s[k]) / 2) : s[k];
                uint64_t pos = (uint64_t)(n - 1) * 19;
                size_t k95 = (size_t)(pos / 20);
                double p95 = s[k95] + (pos % 20 ? (double)(s[k95 + 1] - s[k95]) * (double)(pos % 20) / 20 : 0);
                if (m.median_min != med / 60000.0 || m.p95_min != p95 / 60000.0)
                    fail_msg("n %zu spread %u crowd %d: median %.17g want %.17g, p95 %.17g want %.17g", n, spreads[sp],
                             crowd, m.median_min, med / 60000.0, m.p95_min, p95 / 60000.0);
            }
    free(a);
    free(s);
}

static void test_write_number(void **state)
{
    (void)state;
    const struct {
        double v;
        const char *text;
    } cases[] = {
        {0, "0"}, {12.5, "12.5"}, {100, "100"}, {200.0 / 3, "66.6666666667"}, {1.0 / 3600000, "0.000000277777777778"},
        {1e21, "1000000000000000000000"}, {123456789012345.0, "123456789012000"}, {0.1, "0.1"},
        {99.99999999999999, "100"}, {-2.5, "-2.5"}, {1e-12, "0.000000000001"}, {5e22, "50000000000000000000000"},
        {NAN, ""}, {1.23456789012449, "1.23456789012"}, {9.9999999999951, "10"}, {0.000123, "0.000123"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct buf b;
        buf_init(&b, 256);
        ho_write_number(&b, cases[i].v);
        buf_putc(&b, '\0');
        if (strcmp(b.data, cases[i].text) != 0)
            fail_msg("%.17g: got %s, expected %s", cases[i].v, b.data, cases[i].text);
        buf_release(&b);
    }
}

/* Random rows over 3 sites and 40 days, for the merge and blob tests. */
static char *random_csv(uint64_t seed, int rows)
{
    struct buf b;
    buf_init(&b, 1 << 24);
    buf_puts(&b, "site,arrival,handover,clear,ref\n");
    for (int i = 0; i < rows; i++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        int64_t t = (int64_t)ho_days_from_civil(2023, 3, 10) * HO_DAY_MS + (int64_t)(seed >> 24) % (40 * HO_DAY_MS);
        int64_t d = (int64_t)(seed >> 8) % (5 * HO_HOUR_MS);
        int y, mo, dd;
        ho_civil_from_days((int32_t)(t / HO_DAY_MS), &y, &mo, &dd);
        int64_t s = t % HO_DAY_MS / 1000;
        buf_printf(&b, "S%d,%04d-%02d-%02dT%02d:%02d:%02dZ,", (int)(seed >> 60) % 3, y, mo, dd, (int)(s / 3600),
                   (int)(s / 60 % 60), (int)(s % 60));
        if (seed & 8) {
            int64_t h = t + d;
            ho_civil_from_days((int32_t)(h / HO_DAY_MS), &y, &mo, &dd);
            s = h % HO_DAY_MS;
            buf_printf(&b, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo, dd, (int)(s / 3600000),
                       (int)(s / 60000 % 60), (int)(s / 1000 % 60), (int)(s % 1000));
            if (seed & 16)
                buf_printf(&b, ",%04d-%02d-%02dT%02d:%02d:%02d.%03dZ,r%d\n", y, mo, dd, (int)(s / 3600000),
                           (int)(s / 60000 % 60), (int)(s / 1000 % 60), (int)(s % 1000), i);
            else
                buf_printf(&b, ",,r%d\n", i);
        } else {
            buf_printf(&b, ",,r%d\n", i);
        }
    }
    buf_putc(&b, '\0');
    assert_false(b.failed);
    return b.data;
}

static void expect_same_reports(struct ho_agg *x, struct ho_agg *y)
{
    for (int by = HO_BY_HOUR; by <= HO_BY_MONTH; by++) {
        char *p = report(x, (enum ho_by)by, NULL, ALL), *q = report(y, (enum ho_by)by, NULL, ALL);
        assert_true(strlen(p) > 100);
        assert_string_equal(p, q);
        free(p);
        free(q);
    }
}

static void test_merge_is_union(void **state)
{
    (void)state;
    char *csv = random_csv(7, 3000);
    struct ho_agg *all = agg_of(csv);
    /* Split at a line end half way: two aggregates, merged. */
    char *mid = strchr(csv + strlen(csv) / 2, '\n') + 1;
    char *second = malloc(strlen(mid) + 40);
    assert_non_null(second);
    memcpy(second, "site,arrival,handover,clear,ref\n", 32);
    memcpy(second + 32, mid, strlen(mid) + 1);
    *mid = '\0';
    struct ho_agg *a = agg_of(csv), *b = agg_of(second);
    struct purpose_err err;
    assert_int_equal(ho_agg_merge(a, b, &err), 0);
    expect_same_reports(all, a);
    /* Merging day by day in the other order gives the same too. */
    struct ho_agg *c = NULL;
    assert_int_equal(ho_agg_new(&c, &err), 0);
    assert_int_equal(ho_agg_merge(c, b, &err), 0);
    struct ho_agg *first = agg_of(csv);
    assert_int_equal(ho_agg_merge(c, first, &err), 0);
    expect_same_reports(all, c);
    ho_agg_free(&first);
    ho_agg_free(&c);
    ho_agg_free(&a);
    ho_agg_free(&b);
    ho_agg_free(&all);
    free(second);
    free(csv);
}

/* Every stored day through its blob and back gives the same report; blobs are canonical. */
static void test_blob_round_trip(void **state)
{
    (void)state;
    char *csv = random_csv(11, 2000);
    struct ho_agg *all = agg_of(csv), *back = NULL, *dbl = NULL;
    struct purpose_err err;
    assert_int_equal(ho_agg_new(&back, &err), 0);
    assert_int_equal(ho_agg_new(&dbl, &err), 0);
    struct buf blob, again;
    buf_init(&blob, 1 << 20);
    buf_init(&again, 1 << 20);
    size_t blobs = 0;
    for (size_t i = 0; i < ho_agg_site_count(all); i++) {
        size_t len;
        const char *site = ho_agg_site(all, i, &len);
        struct ho_day *const *days;
        size_t n = ho_agg_days(all, i, &days);
        for (size_t k = 0; k < n; k++) {
            buf_reset(&blob);
            assert_int_equal(ho_day_serialise(days[k], &blob), 0);
            struct ho_day d;
            for (int twice = 0; twice < 2; twice++) {
                assert_int_equal(ho_day_deserialise(&d, blob.data, blob.len, &err), 0);
                assert_int_equal(ho_agg_take_day(dbl, site, len, &d, &err), 0);
                assert_null(d.dur);
            }
            if (ho_day_deserialise(&d, blob.data, blob.len, &err) != 0)
                fail_msg("%s", err.msg);
            assert_int_equal(d.day, days[k]->day);
            assert_int_equal(d.n, days[k]->n);
            assert_memory_equal(d.dur, days[k]->dur, d.n * sizeof *d.dur);
            assert_memory_equal(d.hour, days[k]->hour, sizeof d.hour);
            buf_reset(&again);
            assert_int_equal(ho_day_serialise(&d, &again), 0);
            assert_int_equal(again.len, blob.len);
            assert_memory_equal(again.data, blob.data, blob.len);
            /* Odd days copied in, even days moved in; every day taken twice into dbl. */
            if (k % 2) {
                assert_int_equal(ho_agg_put_day(back, site, len, &d, &err), 0);
                ho_day_release(&d);
            } else {
                assert_int_equal(ho_agg_take_day(back, site, len, &d, &err), 0);
                assert_null(d.dur);
                assert_int_equal(d.n, 0);
            }
            blobs++;
        }
    }
    assert_true(blobs > 100);
    expect_same_reports(all, back);
    struct ho_agg *two = agg_of(csv), *again_csv = agg_of(csv);
    assert_int_equal(ho_agg_merge(two, again_csv, &err), 0);
    expect_same_reports(two, dbl);
    ho_agg_free(&two);
    ho_agg_free(&again_csv);
    ho_agg_free(&dbl);
    buf_release(&blob);
    buf_release(&again);
    ho_agg_free(&back);
    ho_agg_free(&all);
    free(csv);
}

static int refuses(const void *p, size_t n)
{
    struct ho_day d;
    struct purpose_err err;
    int rc = ho_day_deserialise(&d, p, n, &err);
    if (rc == 0)
        ho_day_release(&d);
    else
        assert_null(d.dur);
    return rc != 0;
}

/* Re-seals a tampered blob with a correct CRC, to reach the structural checks. */
static void reseal(uint8_t *p, size_t n)
{
    uint32_t c = ho_crc32(p, n - 4);
    for (int i = 0; i < 4; i++)
        p[n - 4 + i] = (uint8_t)(c >> (8 * i));
}

static void test_blob_corruption(void **state)
{
    (void)state;
    assert_int_equal(ho_crc32("123456789", 9), 0xCBF43926u);
    struct ho_agg *a = agg_of(day_csv);
    struct ho_day *const *days;
    assert_int_equal(ho_agg_days(a, 0, &days), 1);
    struct buf b;
    buf_init(&b, 1 << 16);
    assert_int_equal(ho_day_serialise(days[0], &b), 0);
    uint8_t *p = malloc(b.len + 8);
    assert_non_null(p);
    memcpy(p, b.data, b.len);
    assert_false(refuses(p, b.len));
    for (size_t n = 0; n < b.len; n++) /* every truncation */
        assert_true(refuses(p, n));
    for (size_t i = 0; i < b.len; i++) { /* every byte changed */
        for (int bit = 0; bit < 8; bit++) {
            p[i] ^= (uint8_t)(1 << bit);
            assert_true(refuses(p, b.len));
            p[i] ^= (uint8_t)(1 << bit);
        }
    }
    /* Well-sealed but wrong inside: version, day, counts, a duration past 24 h, trailing bytes. */
    memcpy(p, b.data, b.len);
    p[3] = 2;
    reseal(p, b.len);
    assert_true(refuses(p, b.len));
    memcpy(p, b.data, b.len);
    p[4] = p[5] = p[6] = p[7] = 0; /* 1970 */
    reseal(p, b.len);
    assert_true(refuses(p, b.len));
    memcpy(p, b.data, b.len);
    size_t h8 = 8 + 8 * 4; /* hour 8's counts, one byte each */
    p[h8 + 1] = 5; /* handovers 5 > arrivals 2 */
    reseal(p, b.len);
    assert_true(refuses(p, b.len));
    memcpy(p, b.data, b.len);
    memcpy(p + b.len - 4, "\0\0\0\0", 4); /* one more byte: a zero delta with no count */
    memcpy(p + b.len, "\0\0\0\0", 4);
    reseal(p, b.len + 1);
    assert_true(refuses(p, b.len + 1));
    free(p);
    buf_release(&b);
    ho_agg_free(&a);
}

static void test_heatmap(void **state)
{
    (void)state;
    struct ho_agg *a = agg_of(day_csv); /* Tuesday 10 January 2023 */
    double mean[7][24];
    uint64_t count[7][24];
    assert_int_equal(ho_heatmap(a, NULL, 0, INT32_MIN, INT32_MAX, mean, count), 0);
    assert_int_equal(count[1][8], 2);
    assert_true(mean[1][8] == 12.5);
    assert_true(mean[1][11] == 90);
    assert_true(isnan(mean[1][12]));
    assert_true(isnan(mean[0][8]));
    assert_int_equal(ho_heatmap(a, "A", 1, INT32_MIN, ho_days_from_civil(2023, 1, 9), mean, count), 0);
    assert_int_equal(count[1][8], 0);
    ho_agg_free(&a);
}

static int count_bad(void *ctx, const struct ho_bad *b, struct purpose_err *err)
{
    (void)err;
    ((uint64_t *)ctx)[b->kind]++;
    return 0;
}
static int count_row(void *ctx, const struct ho_row *r, struct purpose_err *err)
{
    (void)r, (void)err;
    ((uint64_t *)ctx)[HO_N_BAD]++;
    return 0;
}

static void gen_all(uint64_t seed, uint64_t bad, struct buf *out)
{
    struct ho_gen_opts o = {.sites = 3, .days = 20, .seed = seed, .bad = bad,
                            .start = ho_days_from_civil(2023, 10, 20), .improve = ho_days_from_civil(2023, 11, 1)};
    struct ho_gen *g = NULL;
    struct purpose_err err;
    assert_int_equal(ho_gen_new(&g, &o, &err), 0);
    while (ho_gen_next(g, out))
        ;
    assert_false(out->failed);
    ho_gen_free(&g);
}

static void test_generator(void **state)
{
    (void)state;
    struct buf x, y, z;
    buf_init(&x, 1 << 26);
    buf_init(&y, 1 << 26);
    buf_init(&z, 1 << 26);
    gen_all(5, 16, &x);
    gen_all(5, 16, &y);
    gen_all(6, 16, &z);
    assert_int_equal(x.len, y.len);
    assert_memory_equal(x.data, y.data, x.len);
    assert_true(z.len != x.len || memcmp(z.data, x.data, x.len) != 0);
    /* Every bad kind of the spec, 16 bad rows in all, the rest good (the October change included). */
    uint64_t seen[HO_N_BAD + 1] = {0};
    struct ho_sink sink = {count_row, count_bad, seen};
    struct ho_stream *s = NULL;
    struct purpose_err err;
    assert_int_equal(ho_stream_new(&s, "gen", &sink, &err), 0);
    assert_int_equal(ho_stream_feed(s, x.data, x.len, &err), 0);
    assert_int_equal(ho_stream_finish(s, &err), 0);
    ho_stream_free(&s);
    uint64_t bad = 0;
    for (int k = 0; k < HO_N_BAD; k++) {
        if (k != HO_BAD_FIELD_COUNT && k != HO_BAD_SITE_CODE) /* the generator writes no site_code */
            assert_true(seen[k] >= 2);
        bad += seen[k];
    }
    assert_int_equal(bad, 16);
    assert_true(seen[HO_N_BAD] > 3 * 20 * 80); /* at least 80 ambulances a day at each site */
    buf_release(&x);
    buf_release(&y);
    buf_release(&z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metrics_by_hand),      cmocka_unit_test(test_march_clock_change),
        cmocka_unit_test(test_october_clock_change), cmocka_unit_test(test_sites_periods_filters),
        cmocka_unit_test(test_quantile_type7),       cmocka_unit_test(test_write_number),
        cmocka_unit_test(test_metrics_quantiles_any_size),
        cmocka_unit_test(test_merge_is_union),       cmocka_unit_test(test_blob_round_trip),
        cmocka_unit_test(test_blob_corruption),      cmocka_unit_test(test_heatmap),
        cmocka_unit_test(test_generator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
