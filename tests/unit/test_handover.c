/* The handover library's input side: time forms, Europe/London across both 2023 clock changes,
 * every kind of bad row with its line and field, streaming in any pieces, row identity. */
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

/* An instant from UTC fields. */
static int64_t utc(int y, int mo, int d, int h, int mi, int s, int ms)
{
    return (int64_t)ho_days_from_civil(y, mo, d) * HO_DAY_MS + h * HO_HOUR_MS + mi * HO_MINUTE_MS + s * 1000 + ms;
}

static enum ho_time_status parse(const char *s, int64_t *ms) { return ho_time_parse(s, strlen(s), ms); }

static void expect_time(const char *s, int64_t want)
{
    int64_t got = 0;
    enum ho_time_status st = parse(s, &got);
    if (st != HO_TIME_OK || got != want)
        fail_msg("%s: status %d, got %lld, expected %lld", s, st, (long long)got, (long long)want);
}

static void expect_status(const char *s, enum ho_time_status want)
{
    int64_t got;
    enum ho_time_status st = parse(s, &got);
    if (st != want)
        fail_msg("%s: status %d, expected %d", s, st, want);
}

static void test_calendar(void **state)
{
    (void)state;
    assert_int_equal(ho_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(ho_days_from_civil(1996, 1, 1), 9496);
    assert_int_equal(ho_days_from_civil(2000, 3, 1), 11017);
    int y, m, d;
    for (int32_t day = 9000; day < 48000; day += 37) {
        ho_civil_from_days(day, &y, &m, &d);
        assert_int_equal(ho_days_from_civil(y, m, d), day);
    }
    assert_int_equal(ho_weekday(ho_days_from_civil(2023, 1, 2)), 0);   /* a Monday */
    assert_int_equal(ho_weekday(ho_days_from_civil(2023, 10, 29)), 6); /* a Sunday */
    char t[11];
    ho_date_format(ho_days_from_civil(2024, 2, 29), t);
    assert_string_equal(t, "2024-02-29");
    int32_t day;
    assert_int_equal(ho_date_parse("2023-03-26", 10, &day), 0);
    assert_int_equal(day, ho_days_from_civil(2023, 3, 26));
    assert_int_equal(ho_date_parse("2023-02-29", 10, &day), -1);
    assert_int_equal(ho_date_parse("2023-3-26", 9, &day), -1);
}

static void test_time_forms(void **state)
{
    (void)state;
    int64_t jan = utc(2023, 1, 15, 8, 30, 0, 0);
    expect_time("2023-01-15T08:30:00Z", jan);
    expect_time("2023-01-15 08:30Z", jan);
    expect_time("2023-01-15T08:30", jan); /* winter wall time is UTC */
    expect_time("2023-01-15T09:30+01:00", jan);
    expect_time("2023-01-15T09:30:00+0100", jan);
    expect_time("2023-01-15T03:00:00-05:30", jan);
    expect_time("2023-01-15T08:30:00.5Z", jan + 500);
    expect_time("2023-01-15T08:30:00.05Z", jan + 50);
    expect_time("2023-01-15T08:30:00.123Z", jan + 123);
    expect_time("2023-07-15T08:30", utc(2023, 7, 15, 7, 30, 0, 0)); /* summer wall time is BST */
    expect_time("2023-07-15T08:30+01:00", utc(2023, 7, 15, 7, 30, 0, 0));
    expect_time("2024-02-29T12:00Z", utc(2024, 2, 29, 12, 0, 0, 0));
    expect_time("1996-01-01T00:00Z", HO_MS_MIN);
    expect_time("2099-12-31T23:59:59.999Z", HO_MS_END - 1);

    const char *syntax[] = {"", "2023-01-15", "2023-01-15T08", "2023-1-15T08:30Z", "2023-01-15T8:30Z",
                            "2023-01-15t08:30Z", "2023-01-15T08:30:00.Z", "2023-01-15T08:30:00.1234Z",
                            "2023-01-15T08:30Z ", " 2023-01-15T08:30Z", "2023-01-15T08:30+1", "2023-01-15T08:30+01:0",
                            "2023-01-15T08:30:0Z", "2023-01-15T08:30 Z", "2023/01/15T08:30Z", "2023-01-15T08:30:00,5Z"};
    for (size_t i = 0; i < sizeof syntax / sizeof *syntax; i++)
        expect_status(syntax[i], HO_TIME_SYNTAX);
    const char *range[] = {"2023-13-01T00:00Z", "2023-00-01T00:00Z", "2023-02-29T00:00Z", "2023-04-31T00:00Z",
                           "2023-01-15T24:00Z", "2023-01-15T08:60Z", "2023-01-15T08:30:60Z", "2023-01-15T08:30+24:00",
                           "2023-01-15T08:30+0160", "2023-01-00T08:30Z"};
    for (size_t i = 0; i < sizeof range / sizeof *range; i++)
        expect_status(range[i], HO_TIME_RANGE);
    const char *years[] = {"1995-12-31T23:59:59.999Z", "2100-01-01T00:00Z", "1996-01-01T00:30+01:00", "0001-01-01T00:00Z",
                           "9999-12-31T00:00Z", "1995-12-31T23:59"};
    for (size_t i = 0; i < sizeof years / sizeof *years; i++)
        expect_status(years[i], HO_TIME_YEARS);
}

/* 2023: BST from 01:00 UTC on Sunday 26 March to 01:00 UTC on Sunday 29 October. */
static void test_london_2023(void **state)
{
    (void)state;
    assert_int_equal(ho_london_offset(utc(2023, 3, 26, 0, 59, 59, 999)), 0);
    assert_int_equal(ho_london_offset(utc(2023, 3, 26, 1, 0, 0, 0)), HO_HOUR_MS);
    assert_int_equal(ho_london_offset(utc(2023, 10, 29, 0, 59, 59, 999)), HO_HOUR_MS);
    assert_int_equal(ho_london_offset(utc(2023, 10, 29, 1, 0, 0, 0)), 0);
    /* March: 00:59 GMT is followed by 02:00 BST; wall times from 01:00 to 01:59 do not exist. */
    expect_time("2023-03-26T00:59:59.999", utc(2023, 3, 26, 0, 59, 59, 999));
    expect_status("2023-03-26T01:00", HO_TIME_NONEXISTENT);
    expect_status("2023-03-26T01:30:00", HO_TIME_NONEXISTENT);
    expect_status("2023-03-26 01:59:59.999", HO_TIME_NONEXISTENT);
    expect_time("2023-03-26T02:00", utc(2023, 3, 26, 1, 0, 0, 0));
    expect_time("2023-03-26T01:30Z", utc(2023, 3, 26, 1, 30, 0, 0)); /* with an offset it is fine */
    expect_time("2023-03-25T01:30", utc(2023, 3, 25, 1, 30, 0, 0));  /* the day before: GMT */
    /* October: wall 01:00-01:59 happens twice; without an offset it is the first (BST). */
    expect_time("2023-10-29T00:59", utc(2023, 10, 28, 23, 59, 0, 0));
    expect_time("2023-10-29T01:00", utc(2023, 10, 29, 0, 0, 0, 0));
    expect_time("2023-10-29T01:30", utc(2023, 10, 29, 0, 30, 0, 0));
    expect_time("2023-10-29T01:59:59.999", utc(2023, 10, 29, 0, 59, 59, 999));
    expect_time("2023-10-29T01:30+00:00", utc(2023, 10, 29, 1, 30, 0, 0));
    expect_time("2023-10-29T02:00", utc(2023, 10, 29, 2, 0, 0, 0));
    /* Local date and hour of an instant. */
    int32_t day;
    int hour;
    ho_local(utc(2023, 10, 28, 23, 30, 0, 0), &day, &hour); /* 00:30 BST on the 29th */
    assert_int_equal(day, ho_days_from_civil(2023, 10, 29));
    assert_int_equal(hour, 0);
    ho_local(utc(2023, 10, 29, 0, 30, 0, 0), &day, &hour); /* 01:30 BST */
    assert_int_equal(hour, 1);
    ho_local(utc(2023, 10, 29, 1, 30, 0, 0), &day, &hour); /* 01:30 GMT: the same hour bucket */
    assert_int_equal(hour, 1);
    ho_local(utc(2023, 3, 26, 1, 0, 0, 0), &day, &hour); /* 02:00 BST */
    assert_int_equal(hour, 2);
    ho_local(utc(2023, 3, 25, 23, 30, 0, 0), &day, &hour); /* GMT: still the 25th */
    assert_int_equal(day, ho_days_from_civil(2023, 3, 25));
    assert_int_equal(hour, 23);
    ho_local(utc(2023, 6, 30, 23, 30, 0, 0), &day, &hour); /* BST: already 1 July */
    assert_int_equal(day, ho_days_from_civil(2023, 7, 1));
    assert_int_equal(hour, 0);
}

/* The change days follow the rule in other years too (published dates). */
static void test_london_other_years(void **state)
{
    (void)state;
    const int dates[][3] = {{1996, 31, 27}, {2000, 26, 29}, {2011, 27, 30}, {2020, 29, 25}, {2024, 31, 27},
                            {2025, 30, 26}, {2038, 28, 31}};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
        int y = dates[i][0];
        assert_int_equal(ho_london_offset(utc(y, 3, dates[i][1], 0, 59, 0, 0)), 0);
        assert_int_equal(ho_london_offset(utc(y, 3, dates[i][1], 1, 0, 0, 0)), HO_HOUR_MS);
        assert_int_equal(ho_london_offset(utc(y, 10, dates[i][2], 0, 59, 0, 0)), HO_HOUR_MS);
        assert_int_equal(ho_london_offset(utc(y, 10, dates[i][2], 1, 0, 0, 0)), 0);
    }
}

/* ---- Rows through the stream ---- */
struct seen {
    char text[8192]; /* one line per row or bad row, for comparison */
    size_t len;
    int rows, bad;
    struct ho_bad bads[32];
    struct ho_row rows_kept[32];
    char rejects[8192];
};

static int on_row(void *ctx, const struct ho_row *r, struct purpose_err *err)
{
    (void)err;
    struct seen *s = ctx;
    if (s->rows < 32)
        s->rows_kept[s->rows] = *r; /* site/ref pointers are not kept past the callback */
    s->len += (size_t)snprintf(s->text + s->len, sizeof s->text - s->len, "row %zu [%.*s] %lld %lld %lld [%.*s]\n",
                               r->line, (int)r->site_len, r->site, (long long)r->arrival, (long long)r->handover,
                               (long long)r->clear, (int)r->ref_len, r->ref);
    s->rows++;
    return 0;
}

static int on_bad(void *ctx, const struct ho_bad *b, struct purpose_err *err)
{
    (void)err;
    struct seen *s = ctx;
    if (s->bad < 32)
        s->bads[s->bad] = *b;
    struct buf r;
    buf_init(&r, 1024);
    ho_reject_csv_row(&r, b);
    buf_putc(&r, '\0');
    size_t used = strlen(s->rejects);
    if (!r.failed && used + r.len < sizeof s->rejects)
        memcpy(s->rejects + used, r.data, r.len);
    buf_release(&r);
    s->len += (size_t)snprintf(s->text + s->len, sizeof s->text - s->len, "bad %zu %s %s: %s\n", b->line,
                               ho_col_name(b->field), ho_bad_kind_name(b->kind), b->reason);
    s->bad++;
    return 0;
}

/* Feeds text in pieces of `piece` bytes (0: all at once). Returns the stream's result. */
static int run_stream(const char *text, size_t len, size_t piece, struct seen *s, struct purpose_err *err)
{
    memset(s, 0, sizeof *s);
    struct ho_sink sink = {on_row, on_bad, s};
    struct ho_stream *st = NULL;
    assert_int_equal(ho_stream_new(&st, "t.csv", &sink, err), 0);
    int rc = 0;
    for (size_t at = 0; rc == 0 && at < len;) {
        size_t k = piece && len - at > piece ? piece : len - at;
        rc = ho_stream_feed(st, text + at, k, err);
        at += k;
    }
    if (rc == 0)
        rc = ho_stream_finish(st, err);
    ho_stream_free(&st);
    assert_null(st);
    return rc;
}

static const char bad_file[] =
    "site,arrival,handover,clear,ref\n"                                    /* 1 */
    "A,2023-01-10T08:00Z,,,\n"                                             /* 2 ok */
    ",2023-01-10T08:00Z,,,\n"                                              /* 3 missing site */
    "A,,,,\n"                                                              /* 4 missing arrival */
    "A,2023-01-10T8:00Z,,,\n"                                              /* 5 bad time */
    "\n"                                                                   /* 6 blank */
    "A,2023-03-26T01:30,,,\n"                                              /* 7 nonexistent */
    "A,2023-01-10T08:00Z,2023-01-10T07:59Z,,\n"                            /* 8 before arrival */
    "A,2023-01-10T08:00Z,2023-01-11T08:00:00.001Z,,\n"                     /* 9 over 24 h */
    "A,2023-01-10T08:00Z,2023-01-11T08:00Z,,\n"                            /* 10 exactly 24 h: ok */
    "A,2023-01-10T08:00Z,2023-01-10T08:30Z,2023-01-10T08:29Z,\n"           /* 11 clear before handover */
    "A,2023-01-10T08:00Z,2023-01-10T08:00Z,2023-01-10T08:00Z,r1\n"         /* 12 ok, all equal */
    "A,2023-01-10T08:00Z,nope,,\n"                                         /* 13 bad handover */
    "A,2023-01-10T08:00Z,,2023-02-30T00:00,\n"                             /* 14 bad clear */
    "\"Multi\nline \"\"x\"\"\",2023-01-10T08:00Z,,,\"r,2\"\n"              /* 15-16 ok */
    "A,2023-01-10T08:00Z\n"                                                /* 17 field count */
    "A,2023-01-10T08:00Z,,2023-01-10T07:00Z,r3";                           /* 18 ok: clear, no handover */

static void test_every_bad_row_kind(void **state)
{
    (void)state;
    struct seen s;
    struct purpose_err err = {0};
    assert_int_equal(run_stream(bad_file, sizeof bad_file - 1, 0, &s, &err), 0);
    const struct {
        size_t line;
        enum ho_col field;
        enum ho_bad_kind kind;
    } want[] = {
        {3, HO_COL_SITE, HO_BAD_MISSING_SITE},
        {4, HO_COL_ARRIVAL, HO_BAD_MISSING_ARRIVAL},
        {5, HO_COL_ARRIVAL, HO_BAD_TIME},
        {7, HO_COL_ARRIVAL, HO_BAD_NONEXISTENT_TIME},
        {8, HO_COL_HANDOVER, HO_BAD_HANDOVER_BEFORE_ARRIVAL},
        {9, HO_COL_HANDOVER, HO_BAD_HANDOVER_OVER_24H},
        {11, HO_COL_CLEAR, HO_BAD_CLEAR_BEFORE_HANDOVER},
        {13, HO_COL_HANDOVER, HO_BAD_TIME},
        {14, HO_COL_CLEAR, HO_BAD_TIME},
        {17, HO_N_COLS, HO_BAD_FIELD_COUNT},
    };
    assert_int_equal(s.bad, sizeof want / sizeof *want);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        assert_int_equal(s.bads[i].line, want[i].line);
        assert_int_equal(s.bads[i].field, want[i].field);
        assert_int_equal(s.bads[i].kind, want[i].kind);
        assert_true(strlen(s.bads[i].reason) > 10);
    }
    assert_non_null(strstr(s.bads[3].reason, "\"2023-03-26T01:30\" does not exist in Europe/London"));
    assert_non_null(strstr(s.bads[4].reason, "is before the arrival"));
    assert_non_null(strstr(s.bads[5].reason, "more than 24 hours"));
    assert_non_null(strstr(s.bads[9].reason, "2 fields, but the header has 5"));
    /* The reject file: line, column, kind, reason and the row as it was. */
    assert_non_null(strstr(s.rejects, "3,site,missing_site,the site is missing,\",2023-01-10T08:00Z,,,\"\n"));
    assert_non_null(strstr(s.rejects, "7,arrival,nonexistent_time,\"\"\"2023-03-26T01:30\"\" does not exist in "
                                      "Europe/London (the clocks went forward an hour)\",\"A,2023-03-26T01:30,,,\"\n"));
    assert_non_null(strstr(s.rejects, "17,row,field_count,\"2 fields, but the header has 5\",\"A,2023-01-10T08:00Z\"\n"));
    assert_int_equal(s.rows, 5);
    const size_t lines[] = {2, 10, 12, 15, 18};
    for (int i = 0; i < 5; i++)
        assert_int_equal(s.rows_kept[i].line, lines[i]);
    assert_non_null(strstr(s.text, "row 15 [Multi\nline \"x\"] "));
    assert_non_null(strstr(s.text, "[r,2]\n"));
    assert_int_equal(s.rows_kept[1].handover - s.rows_kept[1].arrival, HO_DAY_MS);
    assert_int_equal(s.rows_kept[4].handover, HO_NONE);
    assert_int_equal(s.rows_kept[4].clear, utc(2023, 1, 10, 7, 0, 0, 0));
}

/* The same rows, bad rows and lines whatever the pieces, with CRLF, a BOM and lone CRs. */
static void test_stream_pieces(void **state)
{
    (void)state;
    struct seen whole, part;
    struct purpose_err err;
    assert_int_equal(run_stream(bad_file, sizeof bad_file - 1, 0, &whole, &err), 0);
    for (size_t piece = 1; piece < 90; piece += 7) {
        assert_int_equal(run_stream(bad_file, sizeof bad_file - 1, piece, &part, &err), 0);
        assert_string_equal(part.text, whole.text);
    }
    /* CRLF and a byte order mark. */
    char crlf[2048];
    size_t n = 0;
    memcpy(crlf, "\xEF\xBB\xBF", 3);
    n = 3;
    for (const char *p = bad_file; *p; p++) {
        if (*p == '\n')
            crlf[n++] = '\r';
        crlf[n++] = *p;
    }
    struct seen crlf_whole;
    assert_int_equal(run_stream(crlf, n, 0, &crlf_whole, &err), 0);
    assert_int_equal(crlf_whole.rows, whole.rows);
    assert_int_equal(crlf_whole.bad, whole.bad);
    for (int i = 0; i < whole.bad; i++)
        assert_int_equal(crlf_whole.bads[i].line, whole.bads[i].line);
    assert_non_null(strstr(crlf_whole.text, "row 15 [Multi\r\nline \"x\"] ")); /* inside quotes, kept */
    for (size_t piece = 1; piece < 40; piece += 3) {
        assert_int_equal(run_stream(crlf, n, piece, &part, &err), 0);
        assert_string_equal(part.text, crlf_whole.text);
    }
    /* A quote inside an unquoted field is text, not the start of a quoted field (found by the
     * fuzzer: the stream cut rows where the reader did not). */
    const char mid[] = "site,arrival,ref\nA,2023-01-10T08:00Z,2\"\nB,2023-01-10T09:00Z,\"q\"\"\"\nC,2023-01-10T10:00Z,x\n";
    struct seen mid_whole;
    assert_int_equal(run_stream(mid, sizeof mid - 1, 0, &mid_whole, &err), 0);
    assert_int_equal(mid_whole.rows, 3);
    assert_non_null(strstr(mid_whole.text, " [2\"]\n"));
    assert_non_null(strstr(mid_whole.text, " [q\"]\n"));
    for (size_t piece = 1; piece < 30; piece++) {
        assert_int_equal(run_stream(mid, sizeof mid - 1, piece, &part, &err), 0);
        assert_string_equal(part.text, mid_whole.text);
    }
    /* Old Mac line ends. */
    const char cr[] = "site,arrival\rA,2023-01-10T08:00Z\r\rB,2023-01-10T09:00Z\r";
    assert_int_equal(run_stream(cr, sizeof cr - 1, 5, &part, &err), 0);
    assert_int_equal(part.rows, 2);
    assert_int_equal(part.rows_kept[1].line, 4);
}

static void test_stream_errors(void **state)
{
    (void)state;
    struct seen s;
    struct purpose_err err = {0};
    assert_int_equal(run_stream("", 0, 0, &s, &err), -1);
    assert_string_equal(err.msg, "t.csv: no header row (site,arrival,handover,clear,ref)");
    const char *no_arrival = "site,handover\nA,2023-01-10T08:00Z\n";
    assert_int_equal(run_stream(no_arrival, strlen(no_arrival), 0, &s, &err), -1);
    assert_non_null(strstr(err.msg, "t.csv:1: no \"arrival\" column"));
    const char *twice = "Site,arrival,SITE\n";
    assert_int_equal(run_stream(twice, strlen(twice), 0, &s, &err), -1);
    assert_non_null(strstr(err.msg, "\"site\" appears twice"));
    const char *open_quote = "site,arrival\nA,2023-01-10T08:00Z\n\"B,2023-01-10T08:00Z\n";
    assert_int_equal(run_stream(open_quote, strlen(open_quote), 4, &s, &err), -1);
    assert_non_null(strstr(err.msg, "t.csv:3: unterminated quoted field"));
    assert_int_equal(s.rows, 1);
    /* Extra columns are ignored; names match whatever their case; order is free. */
    const char *other = "REF,notes,Arrival,site\nx,hello,2023-01-10T08:00Z,A\n";
    assert_int_equal(run_stream(other, strlen(other), 0, &s, &err), 0);
    assert_int_equal(s.rows, 1);
    assert_non_null(strstr(s.text, "[A] "));
    assert_non_null(strstr(s.text, " [x]\n"));
    /* A row longer than the limit is refused rather than held. */
    size_t big = HO_ROW_MAX + 100;
    char *text = malloc(big + 32);
    assert_non_null(text);
    memcpy(text, "site,arrival\n", 13);
    memset(text + 13, 'x', big);
    assert_int_equal(run_stream(text, big + 13, 65536, &s, &err), -1);
    assert_non_null(strstr(err.msg, "t.csv:2: a row longer than"));
    free(text);
}

/* ---- Identity ---- */
static void test_siphash_vectors(void **state)
{
    (void)state;
    uint8_t key[16], msg[64], out[16];
    for (int i = 0; i < 16; i++)
        key[i] = (uint8_t)i;
    for (int i = 0; i < 64; i++)
        msg[i] = (uint8_t)i;
    /* The reference vectors (Aumasson and Bernstein). */
    const uint8_t empty64[8] = {0x31, 0x0e, 0x0e, 0xdd, 0x47, 0xdb, 0x6f, 0x72};
    ho_siphash(key, msg, 0, out, 8);
    assert_memory_equal(out, empty64, 8);
    const uint8_t fifteen64[8] = {0xe5, 0x45, 0xbe, 0x49, 0x61, 0xca, 0x29, 0xa1};
    ho_siphash(key, msg, 15, out, 8);
    assert_memory_equal(out, fifteen64, 8);
    const uint8_t empty128[16] = {0xa3, 0x81, 0x7f, 0x04, 0xba, 0x25, 0xa8, 0xe6,
                                  0x6d, 0xf6, 0x72, 0x14, 0xc7, 0x55, 0x02, 0x93};
    ho_siphash(key, msg, 0, out, 16);
    assert_memory_equal(out, empty128, 16);
}

static void test_row_key(void **state)
{
    (void)state;
    uint8_t key[16] = {1, 2, 3}, a[16], b[16];
    struct ho_row r = {.site = "A", .site_len = 1, .ref = "", .ref_len = 0, .arrival = utc(2023, 1, 1, 0, 0, 0, 0)};
    ho_row_key(key, &r, a);
    struct ho_row same = r;
    same.handover = r.arrival + 5; /* handover and clear are not part of the identity */
    same.line = 99;
    ho_row_key(key, &same, b);
    assert_memory_equal(a, b, 16);
    struct ho_row other[] = {r, r, r, r};
    other[0].arrival++;
    other[1].site = "B";
    other[2].ref = "x", other[2].ref_len = 1;
    other[3].site = "A\0", other[3].site_len = 2; /* no two tuples share an encoding */
    for (int i = 0; i < 4; i++) {
        ho_row_key(key, &other[i], b);
        assert_memory_not_equal(a, b, 16);
    }
    uint8_t key2[16] = {9};
    ho_row_key(key2, &r, b);
    assert_memory_not_equal(a, b, 16);
    /* Long values take the framed path and still tell tuples apart. */
    char longsite[300];
    memset(longsite, 's', sizeof longsite);
    struct ho_row l1 = r, l2 = r;
    l1.site = l2.site = longsite;
    l1.site_len = l2.site_len = sizeof longsite;
    l2.ref = "y", l2.ref_len = 1;
    ho_row_key(key, &l1, a);
    ho_row_key(key, &l2, b);
    assert_memory_not_equal(a, b, 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar),          cmocka_unit_test(test_time_forms),
        cmocka_unit_test(test_london_2023),       cmocka_unit_test(test_london_other_years),
        cmocka_unit_test(test_every_bad_row_kind), cmocka_unit_test(test_stream_pieces),
        cmocka_unit_test(test_stream_errors),     cmocka_unit_test(test_siphash_vectors),
        cmocka_unit_test(test_row_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
