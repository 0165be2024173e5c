/* src/ingest as a library: a CSV read into series through the callback, nothing printed, every
 * failure an error naming file, line and column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <math.h>

#include <cmocka.h>

#include "ingest/ingest.h"

struct seen {
    int begun;
    size_t n_series;
    char names[4][16];
    size_t n[4];
    double first_y[4], first_den[4];
    size_t breaks[4];
    char first_x[4][16];
    const struct ingest_input *in;
    int fail_at; /* series number (from 1) at which the callback fails, or 0 */
};

static int on_begin(void *ctx, struct purpose_err *err)
{
    (void)err;
    ((struct seen *)ctx)->begun++;
    return 0;
}

static int on_series(void *ctx, struct ingest_series *s, size_t done, struct purpose_err *err)
{
    (void)done;
    struct seen *v = ctx;
    size_t k = v->n_series++;
    if (v->fail_at && (int)v->n_series == v->fail_at)
        return purpose_errf(err, "stop here");
    if (k >= 4)
        return 0;
    snprintf(v->names[k], sizeof v->names[k], "%s", s->name ? s->name : "");
    v->n[k] = s->n;
    v->first_y[k] = s->y[0];
    v->first_den[k] = s->den ? s->den[0] : -1;
    v->breaks[k] = s->n_breaks ? s->breaks[0] : 0;
    struct buf scratch;
    buf_init(&scratch, INGEST_FIELD_SCRATCH_MAX);
    size_t xn;
    const char *x = ingest_series_x(s, v->in->data, v->in->len, 0, &scratch, &xn);
    snprintf(v->first_x[k], sizeof v->first_x[k], "%.*s", (int)xn, x);
    buf_release(&scratch);
    return 0;
}

/* Writes text to a temporary file and reads it with spec; returns ingest_read's result. */
static int read_text(const char *text, const struct ingest_spec *spec, struct seen *v, struct purpose_err *err)
{
    char path[] = "/tmp/purpose-ingest-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    struct ingest_input in;
    int rc = ingest_input_open(&in, path, err);
    assert_int_equal(rc, 0);
    v->in = &in;
    struct ingest_handler h = {.begin = on_begin, .series = on_series, .ctx = v};
    rc = ingest_read(&in, spec, &h, err);
    ingest_input_close(&in);
    unlink(path);
    return rc;
}

static void test_series_in_chart_order(void **state)
{
    (void)state;
    struct seen v = {0};
    struct purpose_err err = {0};
    const char *rebase[] = {"2"};
    struct ingest_spec spec = {.x_col = "x", .y_col = "y", .series_col = "s", .den_col = "n",
                               .chart = SPC_CHART_P, .rebase = rebase, .n_rebase = 1, .need_x = true};
    int rc = read_text("s,x,y,n\na,3,1,4\na,1,2,5\na,2,,6\nb,1,0,1\n", &spec, &v, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(v.begun, 1);
    assert_int_equal(v.n_series, 2);
    assert_string_equal(v.names[0], "a");
    assert_int_equal(v.n[0], 3);
    assert_string_equal(v.first_x[0], "1"); /* numbers in order of value */
    assert_true(v.first_y[0] == 2 && v.first_den[0] == 5);
    assert_int_equal(v.breaks[0], 1); /* x = 2 is the second point once sorted */
    assert_string_equal(v.names[1], "b");
}

static void test_errors_name_the_line(void **state)
{
    (void)state;
    struct purpose_err err = {0};
    struct ingest_spec spec = {.x_col = "x", .y_col = "y", .den_col = "n", .chart = SPC_CHART_P};
    struct seen v = {0};
    assert_int_equal(read_text("x,y,n\n1,1,2\n2,3,2\n", &spec, &v, &err), -1);
    assert_non_null(strstr(err.msg, ":3: column \"y\": numerator 3 is above its denominator 2"));
    assert_int_equal(v.n_series, 0);
    struct seen w = {0};
    spec.den_col = "missing";
    assert_int_equal(read_text("x,y,n\n1,1,2\n", &spec, &w, &err), -1);
    assert_non_null(strstr(err.msg, "no column \"missing\""));
    assert_int_equal(w.begun, 0); /* begin comes after the header is checked */
    struct seen e = {0};
    spec.den_col = NULL;
    spec.chart = SPC_CHART_XMR;
    assert_int_equal(read_text("x,y\n", &spec, &e, &err), -1);
    assert_non_null(strstr(err.msg, "no data rows after the header"));
}

static void test_callback_failure_stops(void **state)
{
    (void)state;
    struct purpose_err err = {0};
    struct ingest_spec spec = {.x_col = "x", .y_col = "y", .series_col = "s"};
    struct seen v = {.fail_at = 1};
    assert_int_equal(read_text("s,x,y\na,1,1\nb,1,1\nc,1,1\n", &spec, &v, &err), -1);
    assert_string_equal(err.msg, "stop here");
    assert_int_equal(v.n_series, 1);
}

/* kB of a "Name:   N kB" line of /proc/self/status, or -1. */
static long status_kb(const char *name)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kb = -1;
    size_t n = strlen(name);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, name, n) == 0 && line[n] == ':')
            kb = strtol(line + n + 1, NULL, 10);
    fclose(f);
    return kb;
}

struct peak {
    size_t n;
    long hwm_kb;
};

static int on_big_series(void *ctx, struct ingest_series *s, size_t done, struct purpose_err *err)
{
    (void)done, (void)err;
    struct peak *p = ctx;
    p->n = s->n;
    p->hwm_kb = status_kb("VmHWM");
    return 0;
}

/* Issue 22: a large input is read in bounded memory: every pass over the mapped file (the
 * parallel reader's row count and read, the offsets of x) gives its pages back behind it, so the
 * peak is the series' arrays plus a few MB, not the file as well. */
static void test_large_input_does_not_stay_resident(void **state)
{
    (void)state;
    char path[] = "/tmp/purpose-ingest-big-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("x,y\n", f);
    const size_t rows = 2500000; /* about 52 MB: over the parallel reader's 32 MB */
    for (size_t i = 1; i <= rows; i++)
        fprintf(f, "%zu,%zu.123456789\n", i, 80 + i % 20);
    assert_int_equal(fclose(f), 0);
    struct purpose_err err = {0};
    struct ingest_input in;
    assert_int_equal(ingest_input_open(&in, path, &err), 0);
    long file_kb = (long)(in.len / 1024);
    /* Resets VmHWM to the current RSS (Linux 4.0+); without it the test has nothing to measure. */
    FILE *c = fopen("/proc/self/clear_refs", "w");
    if (!c || fputs("5", c) < 0 || fclose(c) != 0) {
        ingest_input_close(&in);
        unlink(path);
        skip();
    }
    long before_kb = status_kb("VmRSS");
    struct peak p = {0};
    struct ingest_spec spec = {.x_col = "x", .y_col = "y", .need_x = true};
    struct ingest_handler h = {.series = on_big_series, .ctx = &p};
    assert_int_equal(ingest_read(&in, &spec, &h, &err), 0);
    ingest_input_close(&in);
    unlink(path);
    assert_int_equal(p.n, rows);
    long arrays_kb = (long)(rows * (sizeof(double) + sizeof(uint32_t)) / 1024); /* y and x's offsets */
    long grew_kb = p.hwm_kb - before_kb;
    if (grew_kb > arrays_kb + 24 * 1024)
        fail_msg("peak grew by %ld kB reading a %ld kB file: the series needs %ld kB", grew_kb, file_kb, arrays_kb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_series_in_chart_order),
        cmocka_unit_test(test_errors_name_the_line),
        cmocka_unit_test(test_callback_failure_stops),
        cmocka_unit_test(test_large_input_does_not_stay_resident),
    };
    return cmocka_run_group_tests_name("ingest", tests, NULL, NULL);
}
