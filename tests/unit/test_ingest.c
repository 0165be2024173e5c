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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_series_in_chart_order),
        cmocka_unit_test(test_errors_name_the_line),
        cmocka_unit_test(test_callback_failure_stops),
    };
    return cmocka_run_group_tests_name("ingest", tests, NULL, NULL);
}
