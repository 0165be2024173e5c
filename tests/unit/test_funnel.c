/* Funnel plot limits (include/purpose/funnel.h): Spiegelhalter's interpolated exact binomial
 * limits against figures computed by hand, against an independent summation of the binomial, and
 * against the normal approximation at a large denominator; then the places of units. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "purpose/funnel.h"

#define assert_near(a, b, tol)                                                                        \
    do {                                                                                              \
        double a_ = (a), b_ = (b);                                                                    \
        if (!(fabs(a_ - b_) <= (tol)))                                                                \
            fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);                                       \
    } while (0)

/* Binomial(10, 1/2) by hand: P(R <= r) * 1024 is 1, 11, 56, 176, 386, 638, 848, 968, 1013, 1023,
 * 1024 for r = 0..10.
 *   p = 0.975: r = 8 (968 < 998.4 <= 1013); alpha = (1013 - 998.4) / 45 = 0.32444...;
 *              (8 - alpha) / 10 = 0.76755...
 *   p = 0.025: r = 2 (11 < 25.6 <= 56); alpha = (56 - 25.6) / 45 = 0.67555...; 0.13244...
 *   p = 0.999: r = 9 (1013 < 1022.976 <= 1023); alpha = 0.024 / 10 = 0.0024; 0.89976
 *   p = 0.001: r = 1 (1 < 1.024 <= 11); alpha = 9.976 / 10 = 0.9976; 0.00024 */
static void by_hand(void **state)
{
    (void)state;
    struct spc_funnel_limits l;
    spc_funnel_limits(0.5, 10, &l);
    assert_near(l.hi95, (8 - 14.6 / 45) / 10, 1e-12);
    assert_near(l.lo95, (2 - 30.4 / 45) / 10, 1e-12);
    assert_near(l.hi998, 0.89976, 1e-12);
    assert_near(l.lo998, 0.00024, 1e-12);
    assert_near(spc_funnel_limit(0.5, 10, 0.975), l.hi95, 1e-15);
    assert_near(spc_funnel_limit(0.5, 10, 0.001), l.lo998, 1e-15);
}

/* An independent reading: the cumulative distribution summed from 0 in long double, each term
 * from lgammal, then the same interpolation. */
static double slow_limit(double theta, unsigned n, double p)
{
    long double F = 0;
    for (unsigned k = 0; k <= n; k++) {
        long double f = expl(lgammal(n + 1.0L) - lgammal(k + 1.0L) - lgammal(n - k + 1.0L) + k * logl(theta) +
                             (n - k) * logl(1.0L - theta));
        F += f;
        if (F >= p || k == n)
            return k == 0 ? 0 : (double)((k - (F - p) / f) / n); /* clamped at 0 */
    }
    return NAN;
}

static void against_summation(void **state)
{
    (void)state;
    const unsigned ns[] = {1, 7, 30, 200, 1000, 5000};
    const double thetas[] = {0.02, 0.3, 0.5, 0.87, 0.995};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
        for (size_t j = 0; j < sizeof thetas / sizeof thetas[0]; j++) {
            struct spc_funnel_limits l;
            spc_funnel_limits(thetas[j], ns[i], &l);
            assert_near(l.lo998, slow_limit(thetas[j], ns[i], 0.001), 1e-9);
            assert_near(l.lo95, slow_limit(thetas[j], ns[i], 0.025), 1e-9);
            assert_near(l.hi95, slow_limit(thetas[j], ns[i], 0.975), 1e-9);
            assert_near(l.hi998, slow_limit(thetas[j], ns[i], 0.999), 1e-9);
        }
}

/* At n = 250,000 the binomial is close to normal: theta +- z sqrt(theta (1 - theta) / n), less
 * the interpolation's half a unit (it spreads each term's mass over the unit below it). */
static void large_n_normal(void **state)
{
    (void)state;
    double t = 0.9, n = 250000, s = sqrt(t * (1 - t) / n), half = 0.5 / n;
    struct spc_funnel_limits l;
    spc_funnel_limits(t, 250000, &l);
    assert_near(l.hi95, t + 1.959964 * s - half, 2e-6);
    assert_near(l.lo95, t - 1.959964 * s - half, 2e-6);
    assert_near(l.hi998, t + 3.090232 * s - half, 5e-6);
    assert_near(l.lo998, t - 3.090232 * s - half, 5e-6);
    /* and the funnel narrows */
    struct spc_funnel_limits small;
    spc_funnel_limits(t, 2500, &small);
    assert_true(small.hi95 > l.hi95 && small.lo95 < l.lo95);
}

/* A published example: NHS England's A&E attendances for March 2019 (examples/ae_attendances.csv,
 * as published), the share seen within 4 hours across every provider: 1,877,191 of 2,167,550
 * attendances, the pooled target. At provider L83087's 121 attendances and at 1,000, the limits
 * worked by hand in exact rational arithmetic (every binomial term C(n, r) t^r (1 - t)^(n - r) a
 * fraction, with t = 1877191/2167550; Python's fractions module), rounded to doubles at the end:
 *   n = 121:  p = 0.001: r_p = 92,  alpha = 0.27183219361; limit 0.7580840314577622
 *             p = 0.025: r_p = 97,  alpha = 0.42227910721; limit 0.7981629825850057
 *             p = 0.975: r_p = 112, alpha = 0.69528225396; limit 0.9198737003804741
 *             p = 0.999: r_p = 115, alpha = 0.23552156457; limit 0.9484667639291928
 *   n = 1000: 0.831235480528815, 0.8440904132574545, 0.8863131960503183, 0.8977620685369653
 * The same figures purpose funnel prints for L83087 (docs/spc.md's worked example). */
static void published_ae(void **state)
{
    (void)state;
    const uint64_t within = 1877191, attendances = 2167550;
    double theta = (double)within / (double)attendances;
    struct spc_funnel_limits l;
    spc_funnel_limits(theta, 121, &l);
    assert_near(l.lo998, 0.7580840314577622, 1e-12);
    assert_near(l.lo95, 0.7981629825850057, 1e-12);
    assert_near(l.hi95, 0.9198737003804741, 1e-12);
    assert_near(l.hi998, 0.9484667639291928, 1e-12);
    spc_funnel_limits(theta, 1000, &l);
    assert_near(l.lo998, 0.831235480528815, 1e-12);
    assert_near(l.lo95, 0.8440904132574545, 1e-12);
    assert_near(l.hi95, 0.8863131960503183, 1e-12);
    assert_near(l.hi998, 0.8977620685369653, 1e-12);
    /* L83087 saw all 121 within 4 hours: above the upper 99.8% limit */
    const uint64_t num[] = {121}, den[] = {121};
    struct spc_funnel_point p[1];
    struct purpose_err err = {0};
    assert_int_equal(spc_funnel(num, den, 1, &theta, NULL, p, &err), 0);
    assert_int_equal(p[0].place, SPC_FUNNEL_HIGH_998);
}

static void edges(void **state)
{
    (void)state;
    struct spc_funnel_limits l;
    spc_funnel_limits(0.5, 0, &l);
    assert_true(isnan(l.lo998) && isnan(l.hi998));
    spc_funnel_limits(0, 50, &l);
    assert_true(l.lo998 == 0 && l.hi998 == 0);
    spc_funnel_limits(1, 50, &l);
    assert_true(l.lo998 == 1 && l.hi998 == 1);
    spc_funnel_limits(0.5, 1, &l); /* one trial: all four inside 0..1 and ordered */
    assert_true(l.lo998 >= 0 && l.lo998 <= l.lo95 && l.lo95 <= l.hi95 && l.hi95 <= l.hi998 && l.hi998 <= 1);
}

static void places(void **state)
{
    (void)state;
    /* pooled: 1500 of 2000 = 0.75 */
    const uint64_t num[] = {450, 500, 240, 290, 20, 0};
    const uint64_t den[] = {600, 600, 400, 300, 100, 0};
    struct spc_funnel_point p[6];
    double theta = 0;
    struct purpose_err err = {0};
    assert_int_equal(spc_funnel(num, den, 6, NULL, &theta, p, &err), 0);
    assert_near(theta, 1500.0 / 2000.0, 1e-15);
    assert_int_equal(p[0].place, SPC_FUNNEL_WITHIN);   /* 0.75 exactly */
    assert_int_equal(p[1].place, SPC_FUNNEL_HIGH_998); /* 0.833 at 600: z ~ 4.7 */
    assert_int_equal(p[2].place, SPC_FUNNEL_LOW_998);  /* 0.6 at 400: z ~ -6.9 */
    assert_int_equal(p[3].place, SPC_FUNNEL_HIGH_998); /* 0.967 at 300 */
    assert_int_equal(p[4].place, SPC_FUNNEL_LOW_998);  /* 0.2 at 100 */
    assert_int_equal(p[5].place, SPC_FUNNEL_NONE);
    assert_true(isnan(p[5].proportion));
    assert_string_equal(spc_funnel_place_name(p[1].place), "high_998");

    /* a unit just over the 95% limit but inside the 99.8% one, with a target given */
    double t = 0.5;
    const uint64_t n2[] = {64}, d2[] = {100}; /* z = 2.8 */
    assert_int_equal(spc_funnel(n2, d2, 1, &t, &theta, p, &err), 0);
    assert_int_equal(p[0].place, SPC_FUNNEL_HIGH_95);
    const uint64_t n3[] = {36};
    assert_int_equal(spc_funnel(n3, d2, 1, &t, &theta, p, &err), 0);
    assert_int_equal(p[0].place, SPC_FUNNEL_LOW_95);
}

static void refusals(void **state)
{
    (void)state;
    struct spc_funnel_point p[2];
    struct purpose_err err = {0};
    const uint64_t num[] = {5, 11}, den[] = {10, 10};
    assert_int_equal(spc_funnel(num, den, 2, NULL, NULL, p, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
    assert_non_null(strstr(err.msg, "unit 2"));
    const uint64_t zero[] = {0, 0};
    assert_int_equal(spc_funnel(zero, zero, 2, NULL, NULL, p, &err), -1);
    double bad = 1.5;
    assert_int_equal(spc_funnel(num, den, 1, &bad, NULL, p, &err), -1);
    assert_string_equal(err.field, "target");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(by_hand),      cmocka_unit_test(against_summation), cmocka_unit_test(large_n_normal),
        cmocka_unit_test(edges),        cmocka_unit_test(places),            cmocka_unit_test(refusals),
        cmocka_unit_test(published_ae),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
