/* The edges of the MDC rules in docs/spc.md, each on a small hand-built series whose answer follows
 * from the spec. Most series are built around a mean of exactly 0 (their values sum to 0) with
 * fillers that alternate across the mean, so only the feature under test can start a run:
 *   F = 1,-1 x10 and G = -1,1 x5 (moving range 2) for the two-in-three cases, whose 5s land
 *   between the 2-sigma line and the limit; P / Q = +/-30 alternating for the trend and shift
 *   cases, which keeps the limits far away. The comments give the limits each design relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "spc_test.h"

#define M NAN /* a missing value */


/* RUN on a whole array. */
#define RUN_ALL(f, y, breaks, n_breaks) RUN(f, y, N_OF(y), breaks, n_breaks)

#define F20 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1
#define G10 -1, 1, -1, 1, -1, 1, -1, 1, -1, 1
#define F20_ "...................."
#define G10_ ".........."
#define P5 30, -30, 30, -30, 30
#define Q5 -30, 30, -30, 30, -30

/* ---- trend ---------------------------------------------------------------------------------- */

static void test_trend_seven_rising_is_a_trend_six_is_not(void **state)
{
    struct fixture *f = *state;
    /* limits +/-91.77: only the trend rule can fire */
    const double seven[] = {P5, -3, -2, -1, 0, 1, 2, 3, Q5};
    RUN_ALL(f, seven, NULL, 0);
    assert_close(f->res.groups[0].mean, 0);
    assert_rules(&f->res, "..... IIIIIII .....");
    assert_types(&f->res, "..... +++++++ .....");

    const double six[] = {P5, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, Q5};
    RUN_ALL(f, six, NULL, 0);
    assert_close(f->res.groups[0].mean, 0);
    assert_rules(&f->res, "..... ...... .....");
}

static void test_trend_seven_falling(void **state)
{
    struct fixture *f = *state;
    const double y[] = {Q5, 3, 2, 1, 0, -1, -2, -3, P5};
    RUN_ALL(f, y, NULL, 0);
    assert_rules(&f->res, "..... DDDDDDD .....");
    assert_types(&f->res, "..... ------- .....");
}

static void test_trend_tie_breaks_it(void **state)
{
    struct fixture *f = *state;
    /* -5..5 rising is an 11-point trend ... */
    const double rising[] = {P5, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, Q5};
    RUN_ALL(f, rising, NULL, 0);
    assert_rules(&f->res, "..... IIIIIIIIIII .....");
    /* ... but repeat the 0 and it is two 6-point runs: no trend. (The 0s are on the mean, so no
     * shift either; limits +/-70.9.) */
    const double tied[] = {P5, -5, -4, -3, -2, -1, 0, 0, 1, 2, 3, 4, 5, Q5};
    RUN_ALL(f, tied, NULL, 0);
    assert_close(f->res.groups[0].mean, 0);
    assert_rules(&f->res, "..... ...... ...... .....");
}

static void test_trend_v_and_plateau_directions(void **state)
{
    struct fixture *f = *state;
    /* golden g03: a V of two 7-point trends sharing the bottom; the bottom is increasing. */
    const double v[] = {51.06, 49.09, 47.57, 47.65, 47.85, 50.24, 53.18, 47.23, 58, 56,    54,
                        52,    50,    48,    46,    48,    50,    52,    54,    56,    58,    51.02,
                        49.91, 50.77, 47.74, 46.64, 46.48, 50.95, 43.25, 50.45};
    f->opt.improvement = SPC_NEUTRAL;
    RUN_ALL(f, v, NULL, 0);
    assert_rules(&f->res, "........ UDDDDD IIIIII U .......L.");
    assert_types(&f->res, "........ ^vvvvv ^^^^^^ ^ .......v.");
    assert_int_equal(f->res.rule[14], SPC_RULE_TREND_INCREASING); /* the bottom, 46 */

    /* golden g04: 44..50 rising, 50 tied, 50..44 falling; the tied pair is decreasing. */
    const double plateau[] = {49.78, 53.45, 44.4, 49.6, 51.37, 46.42, 54.73, 46.89, 44,    45,
                              46,    47,    48,   49,   50,    50,    49,    48,    47,    46,
                              45,    44,    54.09, 52.84, 47.22, 51.73, 50.06, 50.01, 43.91, 46.62};
    f->opt.improvement = SPC_INCREASE;
    RUN_ALL(f, plateau, NULL, 0);
    assert_rules(&f->res, "........ IIIIII DD DDDDDD ........");
    assert_int_equal(f->res.rule[14], SPC_RULE_TREND_DECREASING);
    assert_int_equal(f->res.rule[15], SPC_RULE_TREND_DECREASING);
}

/* ---- shift ---------------------------------------------------------------------------------- */

static void test_shift_seven_on_a_side_six_not(void **state)
{
    struct fixture *f = *state;
    /* limits about +/-63 and +/-69 */
    const double seven[] = {30, -30, 30, -30, 1, 1, 1, 1, 1, 1, 1, -30, 30, -30, 30,
                            -1, -1, -1, -1, -1, -1, -1, 30, -30};
    RUN_ALL(f, seven, NULL, 0);
    assert_close(f->res.groups[0].mean, 0);
    assert_rules(&f->res, ".... AAAAAAA .... BBBBBBB ..");
    assert_types(&f->res, ".... +++++++ .... ------- ..");

    const double six[] = {30, -30, 30, -30, 1, 1, 1, 1, 1, 1, -30, 30, -30, 30, -1, -1, -1, -1, -1, -1, 30, -30};
    RUN_ALL(f, six, NULL, 0);
    assert_close(f->res.groups[0].mean, 0);
    assert_rules(&f->res, ".... ...... .... ...... ..");
}

static void test_shift_point_on_mean_breaks_it(void **state)
{
    struct fixture *f = *state;
    /* 1,1,1,0,1,1,1,1 with the mean exactly 0: runs of 3 and 4 */
    const double on_mean[] = {30, -30, 30, -30, 1, 1, 1, 0, 1, 1, 1, 1, -30, 30, -30, 30,
                              -1, -1, -1, -1, -1, -1, -1, 30, -30};
    RUN_ALL(f, on_mean, NULL, 0);
    assert_close(f->res.groups[0].mean, 0);
    assert_rules(&f->res, ".... ........ .... BBBBBBB ..");

    /* the same with the 0 made a 1: mean 1/25, eight points above */
    const double control[] = {30, -30, 30, -30, 1, 1, 1, 1, 1, 1, 1, 1, -30, 30, -30, 30,
                              -1, -1, -1, -1, -1, -1, -1, 30, -30};
    RUN_ALL(f, control, NULL, 0);
    assert_close(f->res.groups[0].mean, 0.04);
    assert_rules(&f->res, ".... AAAAAAAA .... BBBBBBB ..");
}

/* ---- two in three --------------------------------------------------------------------------- */

static void test_two_in_three_all_on_one_side(void **state)
{
    struct fixture *f = *state;
    /* mean 0, near lines +/-4.32, limits +/-6.48: 5 is close, 1 is not */
    const double y[] = {F20, 5, 1, 5, G10, -5, -1, -5, F20};
    RUN_ALL(f, y, NULL, 0);
    assert_group(&f->res, 0, 0, -6.480727272727274, 6.480727272727274);
    assert_rules(&f->res, F20_ "h.h" G10_ "l.l" F20_);
    assert_types(&f->res, F20_ "+.+" G10_ "-.-" F20_);
}

static void test_two_in_three_middle_on_other_side(void **state)
{
    struct fixture *f = *state;
    /* two close points, the third across the mean: nothing (near +/-4.58, limits +/-6.87) */
    const double y[] = {F20, 5, -1, 5, G10, -5, 1, -5, F20};
    RUN_ALL(f, y, NULL, 0);
    assert_true(f->res.groups[0].near_upl < 5 && 5 <= f->res.groups[0].upl);
    assert_rules(&f->res, F20_ "..." G10_ "..." F20_);
}

static void test_two_in_three_outside_is_not_close(void **state)
{
    struct fixture *f = *state;
    /* near +/-4.70, limits +/-7.05: 5 is close, 9 is outside. 5,1,9 has one close point: only
     * the 9 is flagged (NHS England's Excel tool would also flag the 5). 5,9,5 has two. */
    const double y[] = {F20, 5, 1, 9, G10, 5, 9, 5, G10, -5, -1, -9, G10, -5, -9, -5, F20};
    RUN_ALL(f, y, NULL, 0);
    assert_group(&f->res, 0, 0, -7.049, 7.049);
    assert_rules(&f->res, F20_ "..U" G10_ "hUh" G10_ "..L" G10_ "lLl" F20_);
}

/* ---- precedence ----------------------------------------------------------------------------- */

static void test_precedence_trend_over_two_in_three_and_shift(void **state)
{
    struct fixture *f = *state;
    /* 1,2,2.5,3,3.5,4,4.5: a 7-point trend, 8 points above the mean (with the 1 before it), and
     * 3.5, 4, 4.5 close (near 3.158, limit 4.737). Trend wins; the extra 1 is a shift. */
    const double y[] = {F20, G10, 1,  2,  2.5,  3,  3.5,  4,  4.5, -1, 1, -1, 1, -1, 1, -1, 1, -1,
                        -1,  -2,  -2.5, -3, -3.5, -4, -4.5, F20, 1};
    RUN_ALL(f, y, NULL, 0);
    assert_group(&f->res, 0, 0, -4.736986301369863, 4.736986301369863);
    assert_rules(&f->res, F20_ ".........A IIIIIII ........B DDDDDDD" F20_ ".");
}

static void test_precedence_two_in_three_over_shift(void **state)
{
    struct fixture *f = *state;
    /* seven points above the mean, two of them close (near 3.77, limit 5.66) */
    const double y[] = {F20, 1, 1, 5, 1, 5, 1, 1, G10, -1, -1, -5, -1, -5, -1, -1, F20};
    RUN_ALL(f, y, NULL, 0);
    assert_rules(&f->res, F20_ "AAhAhAA" G10_ "BBlBlBB" F20_);
}

/* ---- groups (rebase) and fix-after ---------------------------------------------------------- */

static void test_shift_never_spans_a_rebase(void **state)
{
    struct fixture *f = *state;
    /* four 1s end group 1 and four begin group 2; each group has mean 0 */
    const double y[] = {2, -2, 2, -2, -4, 1, 1, 1, 1, 1, 1, 1, 1, -4, 2, -2, 2, -2};
    const size_t brk[] = {9};
    RUN_ALL(f, y, NULL, 0);
    assert_rules(&f->res, "..... AAAAAAAA .....");
    RUN_ALL(f, y, brk, 1);
    assert_int_equal(f->res.n_groups, 2);
    assert_close(f->res.groups[0].mean, 0);
    assert_close(f->res.groups[1].mean, 0);
    assert_rules(&f->res, "..... .... | .... .....");
}

static void test_trend_never_spans_a_rebase(void **state)
{
    struct fixture *f = *state;
    /* -6,-2,-1,1,2 | 3,4,5: an 8-point trend without the rebase, 5 + 3 with it */
    const double y[] = {6, -6, 6, -6, -2, -1, 1, 2, 3, 4, 5, -3, -4, -5, 6, -6};
    const size_t brk[] = {8};
    RUN_ALL(f, y, NULL, 0);
    assert_rules(&f->res, "... IIIIIIII .....");
    RUN_ALL(f, y, brk, 1);
    assert_rules(&f->res, "... ..... ........");
}

static void test_two_in_three_never_spans_a_rebase(void **state)
{
    struct fixture *f = *state;
    /* 5, 1 end group 1 and 5 starts group 2 (group means -0.2 and -0.28; +/-5 close in both) */
    const double y[] = {F20, -5, -1, -5, 5, 1, 5, -1, -5, -1, -5, F20};
    const size_t brk[] = {25};
    RUN_ALL(f, y, NULL, 0);
    assert_rules(&f->res, F20_ "l.l h.h .l.l" F20_);
    RUN_ALL(f, y, brk, 1);
    assert_true(f->res.groups[0].near_upl < 5 && 5 <= f->res.groups[0].upl);
    assert_true(f->res.groups[1].near_upl < 5 && 5 <= f->res.groups[1].upl);
    assert_rules(&f->res, F20_ "l.l .. | . .l.l" F20_);
}

static void test_fix_after_with_rebase(void **state)
{
    struct fixture *f = *state;
    /* each group: 12 alternating values (MRbar 2) and then two that the limits must ignore */
    const double y[] = {1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 100, -100,
                        11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 20, 10};
    const size_t brk[] = {14};
    f->opt.fix_after = 12;
    RUN_ALL(f, y, brk, 1);
    assert_int_equal(f->res.n_groups, 2);
    assert_group(&f->res, 0, 0, -5.32, 5.32);
    assert_group(&f->res, 1, 10, 4.68, 15.32);
    assert_close(f->res.groups[1].near_lpl, 10 - 2 * 5.32 / 3);
    assert_close(f->res.groups[1].near_upl, 10 + 2 * 5.32 / 3);
    assert_int_equal(f->res.groups[0].n, 14);
    assert_int_equal(f->res.groups[0].n_basis, 12);
    assert_int_equal(f->res.groups[1].n_basis, 12);
    assert_rules(&f->res, "............ UL | ............ U.");

    /* Without the rebase the one basis is the first 12 points: group 2's values are all above. */
    RUN_ALL(f, y, NULL, 0);
    assert_group(&f->res, 0, 0, -5.32, 5.32);
    assert_rules(&f->res, "............ UL UUUUUUUUUUUUUU");
}

static void test_fix_after_counts_values_not_points(void **state)
{
    struct fixture *f = *state;
    /* The first 12 values span 13 points (one missing); the 13th value, 50, is left out. */
    const double y[] = {1, -1, 1, M, -1, 1, -1, 1, -1, 1, -1, 1, -1, 50};
    f->opt.fix_after = 12;
    RUN_ALL(f, y, NULL, 0);
    assert_int_equal(f->res.groups[0].n, 13);
    assert_int_equal(f->res.groups[0].n_basis, 12);
    assert_group(&f->res, 0, 0, -5.32, 5.32);
    assert_rules(&f->res, "............. U");
    /* a group shorter than N uses all its values */
    const double short_group[] = {1, 2, 3, 1, 2, 3};
    RUN_ALL(f, short_group, NULL, 0);
    assert_int_equal(f->res.groups[0].n_basis, 6);
    assert_close(f->res.groups[0].mean, 2);
}

static void test_screening_drops_a_moving_range_exactly_at_the_cut(void **state)
{
    struct fixture *f = *state;
    /* MRs 0.733 x3 and 9.801: MRbar 3 and 3.267 x 3 = 9.801 exactly in doubles. The spec keeps only
     * MRs strictly below the cut, so 9.801 goes and MRbar is 0.733. */
    const double y[] = {0, 0.733, 0, 0.733, 10.534};
    RUN_ALL(f, y, NULL, 0);
    assert_true(fabs(10.534 - 0.733) == 3.267 * 3.0); /* the design: the MR sits on the cut */
    assert_group(&f->res, 0, 2.4, 2.4 - 2.66 * 0.733, 2.4 + 2.66 * 0.733);
    f->opt.screen_outliers = false;
    RUN_ALL(f, y, NULL, 0);
    assert_group(&f->res, 0, 2.4, 2.4 - 2.66 * 3, 2.4 + 2.66 * 3);
}

/* ---- missing values ------------------------------------------------------------------------- */

static void test_missing_breaks_a_trend(void **state)
{
    struct fixture *f = *state;
    /* seven rising values, but a gap after the third */
    const double y[] = {P5, -3, -2, -1, M, 0, 1, 2, 3, Q5};
    RUN_ALL(f, y, NULL, 0);
    assert_close(f->res.groups[0].mean, 0);
    assert_rules(&f->res, "..... ... . .... .....");
    assert_int_equal(f->res.point_type[8], SPC_COMMON_CAUSE);
}

static void test_missing_breaks_a_shift(void **state)
{
    struct fixture *f = *state;
    const double y[] = {30, -30, 30, -30, 1, 1, 1, M, 1, 1, 1, 1, -30, 30, -30, 30,
                        -1, -1, -1, -1, -1, -1, -1, 30, -30};
    RUN_ALL(f, y, NULL, 0);
    assert_close(f->res.groups[0].mean, 0);
    assert_int_equal(f->res.groups[0].n, 24);
    assert_rules(&f->res, ".... ... . .... .... BBBBBBB ..");
}

static void test_missing_breaks_a_two_in_three_window(void **state)
{
    struct fixture *f = *state;
    /* 5,_,5 and (after a point below) 5,5,_ : no window of 3 consecutive points has all three
     * on one side. (near +/-3.94, limits +/-5.90) */
    const double y[] = {F20, 5, M, 5, F20, 5, 5, M, G10, -5, M, -5, G10, -5, -5, M, G10};
    RUN_ALL(f, y, NULL, 0);
    assert_true(f->res.groups[0].near_upl < 5 && 5 <= f->res.groups[0].upl);
    assert_rules(&f->res, F20_ "..." F20_ "..." G10_ "..." G10_ "..." G10_);
}

static void test_missing_left_out_of_mean_and_moving_ranges(void **state)
{
    struct fixture *f = *state;
    /* mean 13/4; moving ranges |2-1| and |6-4| only (a gap is never bridged): MRbar 1.5 */
    const double y[] = {1, 2, M, 4, 6};
    RUN_ALL(f, y, NULL, 0);
    assert_int_equal(f->res.groups[0].n, 4);
    assert_group(&f->res, 0, 3.25, 3.25 - 2.66 * 1.5, 3.25 + 2.66 * 1.5);
    assert_close(f->res.groups[0].near_upl, 3.25 + 2.66 * 1.5 * 2 / 3);
    assert_rules(&f->res, ".....");
    assert_types(&f->res, ".....");
    /* 1, _, 3: two values, no moving range, so no limits */
    const double apart[] = {1, M, 3};
    RUN_ALL(f, apart, NULL, 0);
    assert_false(f->res.groups[0].has_limits);
    assert_close(f->res.groups[0].mean, 2);
    assert_nan(f->res.groups[0].lpl);
}

/* ---- degenerate groups ---------------------------------------------------------------------- */

static void test_one_value_group(void **state)
{
    struct fixture *f = *state;
    const double y[] = {1, 2, 1, 2, 1, 2, 1000};
    const size_t brk[] = {6};
    f->opt.has_target = true;
    f->opt.target = 5000;
    RUN_ALL(f, y, brk, 1);
    assert_int_equal(f->res.n_groups, 2);
    const struct spc_group *g = &f->res.groups[1];
    assert_int_equal(g->start, 6);
    assert_int_equal(g->end, 7);
    assert_int_equal(g->n, 1);
    assert_false(g->has_limits);
    assert_close(g->mean, 1000);
    assert_nan(g->lpl);
    assert_nan(g->upl);
    assert_nan(g->near_lpl);
    assert_nan(g->near_upl);
    assert_rules(&f->res, "...... .");
    assert_types(&f->res, "...... .");
    assert_int_equal(f->res.variation, SPC_VAR_COMMON_CAUSE);
    assert_int_equal(f->res.assurance, SPC_ASSURANCE_NONE);

    /* one value among gaps */
    const double gappy[] = {1, 2, 1, 2, 1, 2, M, 1000, M};
    RUN_ALL(f, gappy, brk, 1);
    assert_int_equal(f->res.groups[1].n, 1);
    assert_false(f->res.groups[1].has_limits);
    assert_close(f->res.groups[1].mean, 1000);
    assert_int_equal(f->res.assurance, SPC_ASSURANCE_NONE);
}

static void test_zero_moving_range_after_screening(void **state)
{
    struct fixture *f = *state;
    /* MRs: nine 0s, 3, 6; MRbar 9/11, so 3 and 6 are screened out and MRbar is 0. Mean 36/12 = 3. */
    const double y[] = {3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 6};
    RUN_ALL(f, y, NULL, 0);
    assert_group(&f->res, 0, 3, 3, 3);
    assert_close(f->res.groups[0].near_lpl, 3);
    assert_close(f->res.groups[0].near_upl, 3);
    /* on the mean: neither outside nor a shift; off it: outside */
    assert_rules(&f->res, ".......... LU");
    assert_int_equal(f->res.variation, SPC_VAR_IMPROVEMENT_HIGH);

    /* g09: eight 1s and a -1 */
    const double g09[] = {1, 1, 1, 1, 1, 1, 1, 1, -1};
    RUN_ALL(f, g09, NULL, 0);
    assert_group(&f->res, 0, 7.0 / 9, 7.0 / 9, 7.0 / 9);
    assert_rules(&f->res, "UUUUUUUU L");
    assert_int_equal(f->res.variation, SPC_VAR_CONCERN_LOW);
}

static void test_constant_series(void **state)
{
    struct fixture *f = *state;
    const double y[] = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
    for (int screen = 0; screen <= 1; screen++) {
        f->opt.screen_outliers = screen;
        f->opt.has_target = true;
        f->opt.target = 6;
        f->opt.improvement = SPC_INCREASE;
        RUN_ALL(f, y, NULL, 0);
        assert_group(&f->res, 0, 5, 5, 5);
        assert_close(f->res.groups[0].near_lpl, 5);
        assert_close(f->res.groups[0].near_upl, 5);
        assert_rules(&f->res, "...............");
        assert_int_equal(f->res.variation, SPC_VAR_COMMON_CAUSE);
        assert_int_equal(f->res.assurance, SPC_ASSURANCE_CONSISTENT_FAIL);
        f->opt.target = 4;
        RUN_ALL(f, y, NULL, 0);
        assert_int_equal(f->res.assurance, SPC_ASSURANCE_CONSISTENT_PASS);
        f->opt.target = 5;
        RUN_ALL(f, y, NULL, 0);
        assert_int_equal(f->res.assurance, SPC_ASSURANCE_INCONSISTENT);
        f->opt.target = 6;
        f->opt.improvement = SPC_DECREASE;
        RUN_ALL(f, y, NULL, 0);
        assert_int_equal(f->res.assurance, SPC_ASSURANCE_CONSISTENT_PASS);
    }
}

static void test_trial_limits(void **state)
{
    struct fixture *f = *state;
    const double twelve[] = {1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2};
    RUN_ALL(f, twelve, NULL, 0);
    assert_true(f->res.groups[0].trial);
    const double thirteen[] = {1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1};
    RUN_ALL(f, thirteen, NULL, 0);
    assert_false(f->res.groups[0].trial);
    /* 13 points, 12 values */
    const double gap[] = {1, 2, 1, 2, 1, 2, M, 2, 1, 2, 1, 2, 1};
    RUN_ALL(f, gap, NULL, 0);
    assert_int_equal(f->res.groups[0].n, 12);
    assert_true(f->res.groups[0].trial);
    /* per group: 13 values then 12 */
    const double two[] = {1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1};
    const size_t brk[] = {13};
    RUN_ALL(f, two, brk, 1);
    assert_false(f->res.groups[0].trial);
    assert_true(f->res.groups[1].trial);
}

/* ---- icons ---------------------------------------------------------------------------------- */

static const double up7[] = {1, 2, 3, 4, 5, 6, 7};   /* mean 4, limits [1.34, 6.66] */
static const double down7[] = {7, 6, 5, 4, 3, 2, 1};

static void test_target_exactly_on_a_limit(void **state)
{
    struct fixture *f = *state;
    RUN_ALL(f, up7, NULL, 0);
    const double lpl = f->res.groups[0].lpl, upl = f->res.groups[0].upl;
    assert_close(lpl, 1.34);
    assert_close(upl, 6.66);
    f->opt.has_target = true;
    struct {
        enum spc_improvement imp;
        double target;
        enum spc_assurance want;
    } cases[] = {
        {SPC_INCREASE, upl, SPC_ASSURANCE_INCONSISTENT},
        {SPC_INCREASE, lpl, SPC_ASSURANCE_INCONSISTENT},
        {SPC_INCREASE, nextafter(upl, INFINITY), SPC_ASSURANCE_CONSISTENT_FAIL},
        {SPC_INCREASE, nextafter(lpl, -INFINITY), SPC_ASSURANCE_CONSISTENT_PASS},
        {SPC_DECREASE, upl, SPC_ASSURANCE_INCONSISTENT},
        {SPC_DECREASE, lpl, SPC_ASSURANCE_INCONSISTENT},
        {SPC_DECREASE, nextafter(upl, INFINITY), SPC_ASSURANCE_CONSISTENT_PASS},
        {SPC_DECREASE, nextafter(lpl, -INFINITY), SPC_ASSURANCE_CONSISTENT_FAIL},
        {SPC_NEUTRAL, 100, SPC_ASSURANCE_NONE},
        {SPC_NEUTRAL, -100, SPC_ASSURANCE_NONE},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        f->opt.improvement = cases[i].imp;
        f->opt.target = cases[i].target;
        RUN_ALL(f, up7, NULL, 0);
        if (f->res.assurance != cases[i].want)
            fail_msg("case %zu (%s, target %.17g): assurance '%s', expected '%s'", i,
                     spc_improvement_name(cases[i].imp), cases[i].target,
                     spc_assurance_name(f->res.assurance), spc_assurance_name(cases[i].want));
    }
}

static void test_neutral_types_and_icons(void **state)
{
    struct fixture *f = *state;
    f->opt.improvement = SPC_NEUTRAL;
    f->opt.has_target = true;
    f->opt.target = 100;
    RUN_ALL(f, up7, NULL, 0);
    assert_rules(&f->res, "L IIIII U");
    assert_types(&f->res, "v ^^^^^ ^");
    assert_int_equal(f->res.variation, SPC_VAR_NEUTRAL_HIGH);
    assert_int_equal(f->res.assurance, SPC_ASSURANCE_NONE);
    RUN_ALL(f, down7, NULL, 0);
    assert_rules(&f->res, "U DDDDD L");
    assert_types(&f->res, "^ vvvvv v");
    assert_int_equal(f->res.variation, SPC_VAR_NEUTRAL_LOW);
    assert_int_equal(f->res.assurance, SPC_ASSURANCE_NONE);
}

static void test_decrease_mirrors_increase(void **state)
{
    struct fixture *f = *state;
    RUN_ALL(f, up7, NULL, 0);
    assert_types(&f->res, "- +++++ +");
    assert_int_equal(f->res.variation, SPC_VAR_IMPROVEMENT_HIGH);
    RUN_ALL(f, down7, NULL, 0);
    assert_types(&f->res, "+ ----- -");
    assert_int_equal(f->res.variation, SPC_VAR_CONCERN_LOW);

    f->opt.improvement = SPC_DECREASE;
    RUN_ALL(f, up7, NULL, 0);
    assert_rules(&f->res, "L IIIII U");
    assert_types(&f->res, "+ ----- -");
    assert_int_equal(f->res.variation, SPC_VAR_CONCERN_HIGH);
    RUN_ALL(f, down7, NULL, 0);
    assert_rules(&f->res, "U DDDDD L");
    assert_types(&f->res, "- +++++ +");
    assert_int_equal(f->res.variation, SPC_VAR_IMPROVEMENT_LOW);
}

static void test_variation_from_last_value(void **state)
{
    struct fixture *f = *state;
    /* 1..7 then two gaps: the icon is point 7's (above the upper limit) */
    const double y[] = {1, 2, 3, 4, 5, 6, 7, M, M};
    RUN_ALL(f, y, NULL, 0);
    assert_group(&f->res, 0, 4, 1.34, 6.66);
    assert_rules(&f->res, "L IIIII U ..");
    assert_types(&f->res, "- +++++ + ..");
    assert_int_equal(f->res.variation, SPC_VAR_IMPROVEMENT_HIGH);
    f->opt.improvement = SPC_DECREASE;
    RUN_ALL(f, y, NULL, 0);
    assert_int_equal(f->res.variation, SPC_VAR_CONCERN_HIGH);
    f->opt.improvement = SPC_NEUTRAL;
    RUN_ALL(f, y, NULL, 0);
    assert_int_equal(f->res.variation, SPC_VAR_NEUTRAL_HIGH);

    /* a last group of gaps only: no mean, no limits, no assurance; the icon still from point 7 */
    const size_t brk[] = {7};
    f->opt.improvement = SPC_INCREASE;
    f->opt.has_target = true;
    f->opt.target = 0;
    RUN_ALL(f, y, brk, 1);
    assert_int_equal(f->res.groups[1].n, 0);
    assert_false(f->res.groups[1].has_limits);
    assert_nan(f->res.groups[1].mean);
    assert_int_equal(f->res.variation, SPC_VAR_IMPROVEMENT_HIGH);
    assert_int_equal(f->res.assurance, SPC_ASSURANCE_NONE);
}

/* ---- arguments and memory ------------------------------------------------------------------- */

static void expect_refused(struct fixture *f, const double *y, size_t n, const size_t *breaks, size_t n_breaks,
                           const char *why)
{
    f->err.msg[0] = '\0';
    int rc = spc_xmr(y, n, breaks, n_breaks, &f->opt, &f->res, &f->err);
    if (rc != -1)
        fail_msg("%s: spc_xmr returned %d, expected -1", why, rc);
    if (f->err.msg[0] == '\0')
        fail_msg("%s: no error message", why);
}

static void test_invalid_arguments(void **state)
{
    struct fixture *f = *state;
    const double y[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
    const size_t n = N_OF(y);
    const size_t backwards[] = {8, 4}, repeated[] = {4, 4}, at_zero[] = {0}, at_end[] = {14};
    expect_refused(f, y, n, backwards, 2, "breaks out of order");
    expect_refused(f, y, n, repeated, 2, "a repeated break");
    expect_refused(f, y, n, at_zero, 1, "a break at the first point");
    expect_refused(f, y, n, at_end, 1, "a break past the last point");

    f->opt.fix_after = 5;
    expect_refused(f, y, n, NULL, 0, "fix_after 5");
    f->opt.fix_after = 11;
    expect_refused(f, y, n, NULL, 0, "fix_after 11");
    f->opt.fix_after = 12;
    assert_int_equal(spc_xmr(y, n, NULL, 0, &f->opt, &f->res, &f->err), 0);
    f->opt.fix_after = 0;

    double bad[] = {1, 2, INFINITY, 4};
    expect_refused(f, bad, N_OF(bad), NULL, 0, "an infinite y");
    assert_non_null(strstr(f->err.msg, "3")); /* names the point */
    bad[2] = -INFINITY;
    expect_refused(f, bad, N_OF(bad), NULL, 0, "a -infinite y");
    /* a NaN is a missing value, not an error */
    bad[2] = NAN;
    assert_int_equal(spc_xmr(bad, N_OF(bad), NULL, 0, &f->opt, &f->res, &f->err), 0);
}

static void test_result_reuse(void **state)
{
    (void)state;
    struct spc_result res;
    struct spc_options opt;
    struct purpose_err err;
    spc_result_init(&res);
    spc_options_default(&opt);

    /* a small result first, so that the 30-point, 3-group series must grow every array */
    const double four[] = {1, 2, 1, 2};
    assert_int_equal(spc_xmr(four, 4, NULL, 0, &opt, &res, &err), 0);
    assert_int_equal(res.n_groups, 1);

    double thirty[30];
    for (int i = 0; i < 30; i++)
        thirty[i] = i % 2 ? 10 : 12;
    const size_t brk[] = {10, 20};
    assert_int_equal(spc_xmr(thirty, 30, brk, 2, &opt, &res, &err), 0);
    assert_int_equal(res.n_points, 30);
    assert_int_equal(res.n_groups, 3);
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(res.groups[k].start, 10 * k);
        assert_int_equal(res.groups[k].end, 10 * k + 10);
        assert_group(&res, k, 11, 11 - 2.66 * 2, 11 + 2.66 * 2);
    }
    assert_rules(&res, ".......... .......... ..........");

    const double five[] = {1, 2, 3, 4, 5}; /* mean 3, MRbar 1 */
    assert_int_equal(spc_xmr(five, 5, NULL, 0, &opt, &res, &err), 0);
    assert_int_equal(res.n_points, 5);
    assert_int_equal(res.n_groups, 1);
    assert_int_equal(res.groups[0].start, 0);
    assert_int_equal(res.groups[0].end, 5);
    assert_group(&res, 0, 3, 3 - 2.66, 3 + 2.66);
    assert_rules(&res, ".....");

    /* and growing again after shrinking */
    assert_int_equal(spc_xmr(thirty, 30, brk, 2, &opt, &res, &err), 0);
    assert_int_equal(res.n_groups, 3);
    assert_group(&res, 2, 11, 11 - 2.66 * 2, 11 + 2.66 * 2);

    spc_result_release(&res);
    assert_null(res.point_type);
    assert_int_equal(res.cap_points, 0);
    spc_result_release(&res); /* released twice is harmless */
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_trend_seven_rising_is_a_trend_six_is_not),
        T(test_trend_seven_falling),
        T(test_trend_tie_breaks_it),
        T(test_trend_v_and_plateau_directions),
        T(test_shift_seven_on_a_side_six_not),
        T(test_shift_point_on_mean_breaks_it),
        T(test_two_in_three_all_on_one_side),
        T(test_two_in_three_middle_on_other_side),
        T(test_two_in_three_outside_is_not_close),
        T(test_precedence_trend_over_two_in_three_and_shift),
        T(test_precedence_two_in_three_over_shift),
        T(test_shift_never_spans_a_rebase),
        T(test_trend_never_spans_a_rebase),
        T(test_two_in_three_never_spans_a_rebase),
        T(test_fix_after_with_rebase),
        T(test_fix_after_counts_values_not_points),
        T(test_screening_drops_a_moving_range_exactly_at_the_cut),
        T(test_missing_breaks_a_trend),
        T(test_missing_breaks_a_shift),
        T(test_missing_breaks_a_two_in_three_window),
        T(test_missing_left_out_of_mean_and_moving_ranges),
        T(test_one_value_group),
        T(test_zero_moving_range_after_screening),
        T(test_constant_series),
        T(test_trial_limits),
        T(test_target_exactly_on_a_limit),
        T(test_neutral_types_and_icons),
        T(test_decrease_mirrors_increase),
        T(test_variation_from_last_value),
        T(test_invalid_arguments),
        cmocka_unit_test(test_result_reuse),
    };
#undef T
    return cmocka_run_group_tests_name("spc_rules", tests, NULL, NULL);
}
