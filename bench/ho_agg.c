/* ho_agg FILE: what the stored report will cost, without a database. Reads FILE (a handovers
 * CSV) into day aggregates, then times: serialising every site-day (the store's blobs), reading
 * them all back into a new map (what a stored report loads), and the report by day, week, month
 * and hour from that map, in CPU seconds. Built by bench/handovers.sh against build/release objects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "handover/handover.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); /* CPU time: the machine may be shared */
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int add(void *ctx, const struct ho_row *r, struct purpose_err *err) { return ho_agg_add(ctx, r, err); }
static int skip(void *ctx, const struct ho_bad *b, struct purpose_err *err) { (void)ctx, (void)b, (void)err; return 0; }
static int count(void *ctx, const struct ho_metrics *m, struct purpose_err *err)
{
    (void)err;
    struct buf *b = ctx;
    buf_reset(b);
    ho_report_csv_row(b, m); /* formatting is part of the cost */
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: ho_agg FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    struct purpose_err err = {0};
    struct ho_agg *a = NULL, *back = NULL;
    struct ho_stream *s = NULL;
    if (!f || ho_agg_new(&a, &err) < 0 || ho_agg_new(&back, &err) < 0)
        return 1;
    struct ho_sink sink = {add, skip, a};
    if (ho_stream_new(&s, argv[1], &sink, &err) < 0)
        return 1;
    double t0 = now();
    for (;;) {
        size_t room, n;
        char *at = ho_stream_space(s, &room);
        if (!at || (n = fread(at, 1, room, f)) == 0)
            break;
        if (ho_stream_commit(s, n, &err) < 0) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
    }
    if (ho_stream_finish(s, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    unsigned long long rows = ho_stream_stats(s).rows;
    ho_stream_free(&s);
    fclose(f);
    double t1 = now();

    struct buf blob;
    buf_init(&blob, (size_t)1 << 20);
    size_t days = 0, bytes = 0;
    double ser = 0, de = 0;
    for (size_t i = 0; i < ho_agg_site_count(a); i++) {
        size_t len;
        const char *site = ho_agg_site(a, i, &len);
        struct ho_day *const *d;
        size_t n = ho_agg_days(a, i, &d);
        for (size_t k = 0; k < n; k++) {
            double x = now();
            buf_reset(&blob);
            if (ho_day_serialise(d[k], &blob) < 0)
                return 1;
            double y = now();
            struct ho_day copy;
            if (ho_day_deserialise(&copy, blob.data, blob.len, &err) < 0 ||
                ho_agg_take_day(back, site, len, &copy, &err) < 0)
                return 1;
            de += now() - y;
            ser += y - x;
            days++;
            bytes += blob.len;
        }
    }
    printf("ho_agg: %llu rows read into %zu site-days in %.3f s (%.2f M rows/s)\n", rows, days, t1 - t0,
           (double)rows / (t1 - t0) / 1e6);
    printf("ho_agg: blobs %.1f MB (%.1f bytes a row); serialise %.3f s, read back into a map %.3f s\n",
           (double)bytes / 1e6, (double)bytes / (double)rows, ser, de);
    static const char *const names[] = {"hour", "day", "week", "month"};
    for (int by = HO_BY_HOUR; by <= HO_BY_MONTH; by++) {
        struct ho_report_opts o = {.by = (enum ho_by)by, .from = INT32_MIN, .to = INT32_MAX};
        double x = now();
        if (ho_report_run(back, &o, count, &blob, &err) < 0)
            return 1;
        printf("ho_agg: report by %-5s from the aggregates: %.3f s\n", names[by], now() - x);
    }
    buf_release(&blob);
    ho_agg_free(&a);
    ho_agg_free(&back);
    return 0;
}
