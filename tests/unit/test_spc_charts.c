/* The chart types beyond XmR at the engine's edges: the median, the Anhoej limits against an
 * independent binomial computation, each point's lines, and the input rules. Reference figures
 * per point are in tests/golden/charts (qicharts2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "spc_test.h"

/* |a - b| <= tol (this cmocka has no assert_double_equal). */
#define assert_near(a, b, tol)                                                                        \
    do {                                                                                              \
        double a_ = (a), b_ = (b);                                                                    \
        if (!(fabs(a_ - b_) <= (tol)))                                                                \
            fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);                                       \
    } while (0)

/* Runs spc_compute with the fixture's options (spc_test.h's RUN is XmR only). */
#define RUNC(f, y, n)                                                                                 \
    do {                                                                                              \
        if (spc_compute((y), NULL, (n), NULL, 0, &(f)->opt, &(f)->res, &(f)->err) != 0)               \
            fail_msg("spc_compute: %s", (f)->err.msg);                                                \
    } while (0)

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint64_t next_random(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* The run chart's centre is the median: checked against sorting, on random sizes with many ties
 * and some missing values. */
static void test_median_matches_sorting(void **state)
{
    struct fixture *f = *state;
    f->opt.chart = SPC_CHART_RUN;
    for (int round = 0; round < 500; round++) {
        size_t n = 1 + next_random() % 60;
        double y[60], sorted[60];
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            y[i] = next_random() % 7 == 0 ? NAN : (double)(next_random() % (round % 5 + 2)) - 1.5;
            if (!isnan(y[i]))
                sorted[m++] = y[i];
        }
        assert_int_equal(spc_compute(y, NULL, n, NULL, 0, &f->opt, &f->res, &f->err), 0);
        if (m == 0) {
            assert_true(isnan(f->res.groups[0].mean));
            continue;
        }
        qsort(sorted, m, sizeof *sorted, cmp_double);
        double want = m % 2 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
        assert_near(f->res.groups[0].mean, want, 0);
        assert_false(f->res.groups[0].has_limits);
    }
}

/* R's qbinom(0.05, m, 0.5), summed from 0 in long double (2^-m does not underflow there). */
static size_t qbinom_reference(size_t m)
{
    long double pmf = powl(2.0L, -(long double)m), cdf = pmf;
    size_t k = 0;
    while (cdf < 0.05L && k < m) {
        pmf = pmf * (long double)(m - k) / (long double)(k + 1);
        k++;
        cdf += pmf;
    }
    return k;
}

static void test_runs_limits(void **state)
{
    struct fixture *f = *state;
    static const size_t sizes[] = {2, 3, 5, 6, 9, 10, 11, 12, 20, 24, 26, 33, 64, 100, 181, 1000, 5001, 12000};
    static double y[12000];
    for (size_t s = 0; s < N_OF(sizes); s++) {
        size_t n = sizes[s];
        for (size_t i = 0; i < n; i++)
            y[i] = i % 2 ? -1 : 1; /* all off the mean: every value is useful, n - 1 crossings */
        RUNC(f, y, n);
        const struct spc_runs *r = &f->res.groups[0].runs;
        assert_int_equal(r->useful, n);
        assert_int_equal(r->crossings, n - 1);
        assert_int_equal(r->longest_run, 1);
        assert_int_equal(r->longest_run_max, (size_t)lround(log2((double)n)) + 3);
        assert_int_equal(r->crossings_min, qbinom_reference(n - 1));
        assert_false(r->signal);
    }
    /* Known values of R's qbinom(0.05, m, 0.5) (spec's golden cases): 25 -> 8, 33 -> 12, 39 -> 14. */
    assert_int_equal(qbinom_reference(25), 8);
    assert_int_equal(qbinom_reference(33), 12);
    assert_int_equal(qbinom_reference(39), 14);
}

/* A point on the centre line and a missing value neither break nor extend a run (qicharts2). */
static void test_runs_skip_centre_and_gaps(void **state)
{
    struct fixture *f = *state;
    f->opt.chart = SPC_CHART_RUN;
    double y[] = {1, 1, NAN, 2, 1, 3, 3, 2, 3, 3}; /* median 2 */
    RUNC(f, y, N_OF(y));
    const struct spc_runs *r = &f->res.groups[0].runs;
    assert_int_equal(r->useful, 7);
    assert_int_equal(r->longest_run, 4); /* 3 3 (2) 3 3 */
    assert_int_equal(r->crossings, 1);
}

/* P chart lines per point, and the group's lines are its last point's. */
static void test_point_lines_vary(void **state)
{
    struct fixture *f = *state;
    f->opt.chart = SPC_CHART_P;
    f->opt.per = 100;
    double num[] = {25, 100, 50}, den[] = {100, 400, 100}; /* centre 175 / 600 */
    size_t brk[] = {2};
    assert_int_equal(spc_compute(num, den, 3, brk, 1, &f->opt, &f->res, &f->err), 0);
    assert_true(f->res.limits_vary);
    const double *v = spc_result_values(&f->res, num);
    assert_near(v[1], 25, 1e-12);
    struct spc_lines l;
    double c = 125.0 / 500;
    spc_point_lines(&f->res, 1, &l);
    assert_near(l.centre, 100 * c, 1e-12);
    assert_near(l.upl, 100 * (c + 3 * sqrt(c * (1 - c) / 400)), 1e-12);
    assert_near(l.near_lpl, 100 * (c - 2 * sqrt(c * (1 - c) / 400)), 1e-12);
    spc_point_lines(&f->res, 0, &l);
    assert_near(l.upl, 100 * (c + 3 * sqrt(c * (1 - c) / 100)), 1e-12);
    assert_near(f->res.groups[0].upl, 100 * (c + 3 * sqrt(c * (1 - c) / 400)), 1e-12);
    spc_point_lines(&f->res, 2, &l); /* group 2: one point, 50 / 100 */
    assert_near(l.centre, 50, 1e-12);
    assert_near(l.upl, 100 * (0.5 + 3 * sqrt(0.25 / 100)), 1e-12);
    assert_near(l.lpl, 100 * (0.5 - 3 * sqrt(0.25 / 100)), 1e-12);
    /* An XmR series afterwards reads no stale values or sigmas. */
    f->opt = (struct spc_options){0};
    spc_options_default(&f->opt);
    RUN(f, num, 3, NULL, 0);
    assert_null(f->res.value);
    assert_false(f->res.limits_vary);
    spc_point_lines(&f->res, 2, &l);
    assert_near(l.upl, f->res.groups[0].upl, 0);
}

/* T: a lower limit below 0 becomes 0 and a lower 2-sigma line below 0 is empty. */
static void test_t_lower_lines(void **state)
{
    struct fixture *f = *state;
    f->opt.chart = SPC_CHART_T;
    double y[] = {0.001, 50, 0.002, 60, 0.001, 70}; /* wide moving ranges */
    RUNC(f, y, N_OF(y));
    const struct spc_group *g = &f->res.groups[0];
    assert_near(g->lpl, 0, 0);
    assert_true(isnan(g->near_lpl));
    assert_true(g->upl > 70);
}

static void expect_error(struct fixture *f, const double *y, const double *den, size_t n, const size_t *brk,
                         size_t n_brk, const char *part)
{
    assert_int_equal(spc_compute(y, den, n, brk, n_brk, &f->opt, &f->res, &f->err), -1);
    if (!strstr(f->err.msg, part))
        fail_msg("\"%s\" does not contain \"%s\"", f->err.msg, part);
}

static void test_input_rules(void **state)
{
    struct fixture *f = *state;
    double y[] = {1, 2, 3}, den[] = {2, 0, 2}, neg[] = {1, -1, 1}, big[] = {1, 5, 1}, zero[] = {1, 0, 1};
    double ok_den[] = {2, 4, 2};
    size_t brk[] = {1};
    f->opt.chart = SPC_CHART_P;
    expect_error(f, y, NULL, 3, NULL, 0, "needs a denominator");
    expect_error(f, y, den, 3, NULL, 0, "point 2: denominator 0 is not above 0");
    expect_error(f, neg, ok_den, 3, NULL, 0, "point 2: numerator -1 is negative");
    expect_error(f, big, ok_den, 3, NULL, 0, "point 2: numerator 5 is above its denominator 4");
    f->opt.fix_after = 12;
    expect_error(f, y, ok_den, 3, brk, 1, "XmR charts only");
    f->opt.fix_after = 0;
    f->opt.chart = SPC_CHART_U;
    assert_int_equal(spc_compute(big, ok_den, 3, NULL, 0, &f->opt, &f->res, &f->err), 0); /* a rate may pass 1 */
    f->opt.chart = SPC_CHART_C;
    expect_error(f, y, ok_den, 3, NULL, 0, "takes no denominator");
    expect_error(f, neg, NULL, 3, NULL, 0, "point 2: -1 is negative");
    f->opt.chart = SPC_CHART_G;
    expect_error(f, neg, NULL, 3, NULL, 0, "point 2: -1 is negative");
    f->opt.chart = SPC_CHART_T;
    expect_error(f, zero, NULL, 3, NULL, 0, "point 2: time 0 is not above 0");
    f->opt.chart = SPC_CHART_XMR;
    f->opt.per = 0;
    expect_error(f, y, NULL, 3, NULL, 0, "per must be");
}

/* last_only (the summary's shortcut) gives the same groups, variation and assurance, and the same
 * type for the last point with a value, as the rules over every point: on every chart type but
 * run (which never takes it), on random series with steps, trends, bands, gaps and rebases. */
static void test_last_only_decides_as_the_whole(void **state)
{
    struct fixture *f = *state;
    static const enum spc_chart charts[] = {SPC_CHART_XMR, SPC_CHART_P, SPC_CHART_PP, SPC_CHART_U,
                                            SPC_CHART_UP,  SPC_CHART_C, SPC_CHART_G,  SPC_CHART_T};
    struct spc_result whole;
    spc_result_init(&whole);
    for (int round = 0; round < 4000; round++) {
        enum spc_chart c = charts[round % 8];
        size_t n = 1 + next_random() % 120;
        double y[120], den[120];
        /* Noise about a level with steps, then a tail that ends in a shift, a trend or neither, of
         * a random length (so the last point's run may be just short of 7, 7 or longer). */
        double level = 50;
        size_t tail_len = next_random() % 14, kind = next_random() % 3;
        for (size_t i = 0; i < n; i++) {
            if (next_random() % 25 == 0)
                level += (double)(next_random() % 7) - 3;
            y[i] = level + (double)(next_random() % 9) - 4;
            if (i + tail_len >= n && kind == 1)
                y[i] = level + 0.5 + 0.01 * (double)(next_random() % 5); /* one side of the mean */
            if (i + tail_len >= n && kind == 2)
                y[i] = level - 2 + 0.3 * (double)(i + tail_len - n); /* each above the one before */
            den[i] = 100 + (double)(next_random() % 50);
            if (c == SPC_CHART_P || c == SPC_CHART_PP)
                y[i] = fmin(y[i], den[i]);
            if (next_random() % (round % 3 ? 9 : 40) == 0)
                y[i] = NAN;
        }
        size_t breaks[2], n_breaks = 0;
        if (n > 30 && next_random() % 3 == 0)
            breaks[n_breaks++] = n / 2;
        if (n > 60 && next_random() % 3 == 0)
            breaks[n_breaks++] = n - 3;
        const double *d = spc_chart_needs_denominator(c) ? den : NULL;
        spc_options_default(&f->opt);
        f->opt.chart = c;
        f->opt.improvement = (enum spc_improvement)(round % 3);
        f->opt.has_target = round % 2;
        f->opt.target = 55;
        f->opt.runs = false;
        assert_false(f->opt.last_only);
        assert_int_equal(spc_compute(y, d, n, breaks, n_breaks, &f->opt, &whole, &f->err), 0);
        f->opt.last_only = true;
        assert_int_equal(spc_compute(y, d, n, breaks, n_breaks, &f->opt, &f->res, &f->err), 0);
        assert_int_equal(f->res.variation, whole.variation);
        assert_int_equal(f->res.assurance, whole.assurance);
        assert_int_equal(f->res.n_groups, whole.n_groups);
        for (size_t g = 0; g < whole.n_groups; g++) {
            const struct spc_group *a = &f->res.groups[g], *b = &whole.groups[g];
            assert_true(a->start == b->start && a->end == b->end && a->n == b->n && a->n_basis == b->n_basis &&
                        a->has_limits == b->has_limits && a->trial == b->trial);
            const double x[] = {a->mean, a->lpl, a->upl, a->near_lpl, a->near_upl};
            const double z[] = {b->mean, b->lpl, b->upl, b->near_lpl, b->near_upl};
            assert_true(memcmp(x, z, sizeof x) == 0); /* the same bits, NaN included */
        }
        for (size_t i = n; i-- > 0;) {
            if (!isnan(spc_result_values(&whole, y)[i])) {
                if (f->res.rule[i] != whole.rule[i] || f->res.point_type[i] != whole.point_type[i])
                    fail_msg("round %d, chart %d, point %zu of %zu: rule %d, the whole gives %d", round, (int)c, i,
                             n, f->res.rule[i], whole.rule[i]);
                break;
            }
        }
    }
    spc_result_release(&whole);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_median_matches_sorting), T(test_runs_limits), T(test_runs_skip_centre_and_gaps),
        T(test_point_lines_vary),       T(test_t_lower_lines), T(test_input_rules),
        T(test_last_only_decides_as_the_whole),
    };
#undef T
    return cmocka_run_group_tests_name("spc_charts", tests, NULL, NULL);
}
