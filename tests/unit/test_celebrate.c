/* The celebration rule (include/purpose/celebrate.h): random noise never earns one (1,000 XmR and
 * P charts of common cause variation), a planted improvement always does (1,000 charts whose last
 * 12 points moved 8 sigma the better way: so far that no noise brings one back over the centre line), and the edges: a lone point beyond a limit, a neutral
 * measure, a run chart, a rebase at the change, and the way that is better. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "purpose/celebrate.h"

#define N 30
#define SHIFT_AT 18

/* A fixed random sequence (xorshift64*), so that a failure can be run again. */
static uint64_t rng_state;
static double uniform(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}
static double normal(void) /* Box-Muller */
{
    double u = uniform(), v = uniform();
    return sqrt(-2 * log(u > 0 ? u : 1e-300)) * cos(2 * M_PI * v);
}

/* One XmR chart of y; returns the rule's answer. */
static bool xmr(const double *y, size_t n, const size_t *breaks, size_t nb, enum spc_improvement better)
{
    struct spc_options opt;
    spc_options_default(&opt);
    opt.improvement = better;
    struct spc_result res;
    spc_result_init(&res);
    struct purpose_err err = {0};
    assert_int_equal(spc_compute(y, NULL, n, breaks, nb, &opt, &res, &err), 0);
    bool c = spc_celebrate(&res, y, &opt);
    spc_result_release(&res);
    return c;
}

/* A P chart: numerators out of `of`, each point a proportion p (times 100). */
static bool p_chart(const double *p, size_t n, int of, enum spc_improvement better)
{
    double num[N], den[N];
    for (size_t i = 0; i < n; i++) {
        den[i] = of;
        num[i] = 0;
        for (int k = 0; k < of; k++)
            num[i] += uniform() < p[i];
    }
    struct spc_options opt;
    spc_options_default(&opt);
    opt.chart = SPC_CHART_P;
    opt.per = 100;
    opt.improvement = better;
    struct spc_result res;
    spc_result_init(&res);
    struct purpose_err err = {0};
    assert_int_equal(spc_compute(num, den, n, NULL, 0, &opt, &res, &err), 0);
    bool c = spc_celebrate(&res, num, &opt);
    spc_result_release(&res);
    return c;
}

static void noise_never(void **state)
{
    (void)state;
    rng_state = 0x9E3779B97F4A7C15ULL;
    size_t offered = 0;
    for (int m = 0; m < 1000; m++) {
        enum spc_improvement better = m % 2 ? SPC_INCREASE : SPC_DECREASE;
        if (m % 4 < 2) {
            double y[N];
            for (size_t i = 0; i < N; i++)
                y[i] = 50 + 5 * normal();
            offered += xmr(y, N, NULL, 0, better);
        } else {
            double p[N];
            for (size_t i = 0; i < N; i++)
                p[i] = 0.8;
            offered += p_chart(p, N, 200, better);
        }
    }
    assert_int_equal(offered, 0);
}

static void improvement_always(void **state)
{
    (void)state;
    rng_state = 0xD1B54A32D192ED03ULL;
    size_t offered = 0;
    for (int m = 0; m < 1000; m++) {
        enum spc_improvement better = m % 2 ? SPC_INCREASE : SPC_DECREASE;
        double dir = better == SPC_INCREASE ? 1 : -1;
        if (m % 4 < 2) {
            double y[N];
            for (size_t i = 0; i < N; i++)
                y[i] = 50 + 5 * normal() + (i >= SHIFT_AT ? dir * 8 * 5 : 0);
            offered += xmr(y, N, NULL, 0, better);
        } else { /* 80% to 90% (or 70%) of 1,000: about 8 sigma of a proportion's 1.26 points */
            double p[N];
            for (size_t i = 0; i < N; i++)
                p[i] = i >= SHIFT_AT ? 0.8 + dir * 0.1 : 0.8;
            offered += p_chart(p, N, 1000, better);
        }
    }
    assert_int_equal(offered, 1000);
}

static void edges(void **state)
{
    (void)state;
    double y[N];
    for (size_t i = 0; i < N; i++)
        y[i] = 50 + (i % 2 ? 1 : -1);
    assert_false(xmr(y, N, NULL, 0, SPC_INCREASE));
    y[N - 1] = 80; /* one point far beyond the upper limit: special cause, not sustained */
    assert_false(xmr(y, N, NULL, 0, SPC_INCREASE));
    for (size_t i = SHIFT_AT; i < N; i++)
        y[i] = 60 + (i % 2 ? 1 : -1);
    assert_true(xmr(y, N, NULL, 0, SPC_INCREASE));
    assert_false(xmr(y, N, NULL, 0, SPC_DECREASE)); /* the same change, the worse way */
    assert_false(xmr(y, N, NULL, 0, SPC_NEUTRAL));
    size_t at = SHIFT_AT; /* rebased at the change: the new level is the new normal */
    assert_false(xmr(y, N, &at, 1, SPC_INCREASE));
    y[N - 3] = NAN; /* a gap among the latest points: not sustained */
    assert_false(xmr(y, N, NULL, 0, SPC_INCREASE));
    y[N - 3] = 60;
    y[N - 1] = NAN; /* a missing latest point: the one before it is the latest */
    assert_true(xmr(y, N, NULL, 0, SPC_INCREASE));

    struct spc_options opt;
    spc_options_default(&opt);
    opt.chart = SPC_CHART_RUN;
    struct spc_result res;
    spc_result_init(&res);
    struct purpose_err err = {0};
    y[N - 1] = 60;
    assert_int_equal(spc_compute(y, NULL, N, NULL, 0, &opt, &res, &err), 0);
    assert_false(spc_celebrate(&res, y, &opt)); /* a run chart has no limits to measure by */
    spc_result_release(&res);
    assert_false(spc_celebrate(NULL, y, &opt));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(noise_never),
        cmocka_unit_test(improvement_always),
        cmocka_unit_test(edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
