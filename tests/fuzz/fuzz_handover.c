/* Fuzzer for the handover parsers. The first byte picks the target:
 *   't' the time parser: a parsed instant lies in 1996..2099 and has a local date there;
 *   'c' the row parser over a CSV stream: the same rows and bad rows whether the bytes come at
 *       once or in pieces (sized by the second byte), and every day's blob reads back the same;
 *   'b' the aggregate blob reader: anything it accepts serialises back to the very same bytes.
 * Any other first byte runs all three over the rest. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "handover/handover.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_time(const char *s, size_t n)
{
    int64_t t = 0;
    if (ho_time_parse(s, n, &t) != HO_TIME_OK)
        return;
    if (t < HO_MS_MIN || t >= HO_MS_END)
        __builtin_trap();
    int32_t day;
    int hour;
    ho_local(t, &day, &hour);
    if (day < ho_days_from_civil(1996, 1, 1) || day > ho_days_from_civil(2099, 12, 31) || hour < 0 || hour > 23)
        __builtin_trap();
}

struct tally {
    uint64_t rows, bad, sum;
    struct ho_agg *agg;
};

static int on_row(void *ctx, const struct ho_row *r, struct purpose_err *err)
{
    struct tally *t = ctx;
    t->rows++;
    t->sum = t->sum * 31 + (uint64_t)r->arrival + r->line + r->site_len * 7 + r->ref_len;
    if (r->handover != HO_NONE && (r->handover < r->arrival || r->handover - r->arrival > HO_DAY_MS))
        __builtin_trap();
    return t->agg ? ho_agg_add(t->agg, r, err) : 0;
}

static int on_bad(void *ctx, const struct ho_bad *b, struct purpose_err *err)
{
    (void)err;
    struct tally *t = ctx;
    t->bad++;
    t->sum = t->sum * 31 + b->line * 131 + (uint64_t)b->kind * 7 + (uint64_t)b->field;
    if ((unsigned)b->kind >= HO_N_BAD || b->reason[0] == '\0' || !b->text)
        __builtin_trap();
    struct buf r;
    buf_init(&r, 1 << 22);
    ho_reject_csv_row(&r, b);
    if (r.failed || r.len < b->text_len)
        __builtin_trap();
    buf_release(&r);
    return 0;
}

static int run_csv(const char *s, size_t n, size_t piece, struct tally *t)
{
    struct ho_sink sink = {on_row, on_bad, t};
    struct ho_stream *st = NULL;
    struct purpose_err err;
    if (ho_stream_new(&st, "fuzz", &sink, &err) < 0)
        return -1;
    int rc = 0;
    for (size_t at = 0; rc == 0 && at < n;) {
        size_t k = piece && n - at > piece ? piece : n - at;
        rc = ho_stream_feed(st, s + at, k, &err);
        at += k;
    }
    if (rc == 0)
        rc = ho_stream_finish(st, &err);
    ho_stream_free(&st);
    return rc;
}

static void fuzz_blob(const uint8_t *p, size_t n)
{
    struct ho_day d;
    struct purpose_err err;
    if (ho_day_deserialise(&d, p, n, &err) < 0)
        return;
    struct buf b;
    buf_init(&b, 1 << 26);
    if (ho_day_serialise(&d, &b) < 0 || b.len != n || memcmp(b.data, p, n) != 0)
        __builtin_trap();
    buf_release(&b);
    ho_day_release(&d);
}

static int emit(void *ctx, const struct ho_metrics *m, struct purpose_err *err)
{
    (void)err;
    ho_report_csv_row(ctx, m);
    ho_report_json_row(ctx, m);
    return 0;
}

static void fuzz_csv(const char *s, size_t n, size_t piece)
{
    struct tally whole = {0}, split = {0};
    struct purpose_err err;
    if (ho_agg_new(&whole.agg, &err) < 0)
        return;
    int a = run_csv(s, n, 0, &whole), b = run_csv(s, n, piece, &split);
    if (a != b || whole.rows != split.rows || whole.bad != split.bad || whole.sum != split.sum)
        __builtin_trap();
    /* Reports of every kind run, and each day's blob reads back (and moves into a new map that
     * reports the same). */
    struct buf blob, r1, r2;
    buf_init(&blob, 1 << 26);
    struct ho_agg *back = NULL;
    if (ho_agg_new(&back, &err) < 0)
        __builtin_trap();
    for (size_t i = 0; i < ho_agg_site_count(whole.agg); i++) {
        struct ho_day *const *days;
        size_t nd = ho_agg_days(whole.agg, i, &days);
        for (size_t k = 0; k < nd; k++) {
            buf_reset(&blob);
            if (ho_day_serialise(days[k], &blob) < 0)
                __builtin_trap();
            fuzz_blob((const uint8_t *)blob.data, blob.len);
            size_t len;
            const char *site = ho_agg_site(whole.agg, i, &len);
            struct ho_day d;
            if (ho_day_deserialise(&d, blob.data, blob.len, &err) < 0 || ho_agg_take_day(back, site, len, &d, &err) < 0)
                __builtin_trap();
        }
    }
    buf_release(&blob);
    for (int by = HO_BY_HOUR; by <= HO_BY_MONTH; by++) {
        struct ho_report_opts o = {.by = (enum ho_by)by, .from = INT32_MIN, .to = INT32_MAX};
        buf_init(&r1, 1 << 26);
        buf_init(&r2, 1 << 26);
        if (ho_report_run(whole.agg, &o, emit, &r1, &err) < 0 || ho_report_run(back, &o, emit, &r2, &err) < 0 ||
            r1.len != r2.len || (r1.len && memcmp(r1.data, r2.data, r1.len) != 0))
            __builtin_trap();
        buf_release(&r1);
        buf_release(&r2);
    }
    ho_agg_free(&back);
    ho_agg_free(&whole.agg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const char *s = (const char *)data + 2;
    size_t n = size - 2, piece = data[1] % 17;
    switch (data[0]) {
    case 't': fuzz_time(s, n); break;
    case 'c': fuzz_csv(s, n, piece); break;
    case 'b': fuzz_blob(data + 2, n); break;
    default:
        fuzz_time(s, n);
        fuzz_csv(s, n, piece);
        fuzz_blob(data + 2, n);
    }
    return 0;
}
