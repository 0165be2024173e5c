/* The SPC engine against the reference: every figure in docs/spc.md "Reference figures"
 * (NHSRplotthedots 0.2.2) and every per-point golden case in shared/data/golden/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "spc_test.h"

struct golden_group {
    double mean, lpl, upl, near_lpl, near_upl;
};

struct golden_case {
    const char *name;
    enum spc_improvement improvement;
    bool has_target;
    double target;
    size_t fix_after;
    const size_t *breaks;
    size_t n_breaks;
    size_t n;
    const double *y;
    const uint8_t *group, *rule, *type;
    const struct golden_group *groups;
    size_t n_groups;
    enum spc_variation variation;
    enum spc_assurance assurance;
};

#include "spc_golden.h"

/* ../data/rnorm20_seed123.csv (R: set.seed(123); rnorm(20)), as printed there. */
static const double rnorm20[20] = {
    -0.560475646552213, -0.23017748948328,  1.55870831414912,   0.070508391424576,
    0.129287735160946,  1.71506498688328,   0.460916205989202,  -1.26506123460653,
    -0.686852851893526, -0.445661970099958, 1.22408179743946,   0.359813827057364,
    0.400771450594052,  0.11068271594512,   -0.555841134754075, 1.78691313680308,
    0.497850478229239,  -1.96661715662964,  0.701355901563686,  -0.472791407727934,
};

/* ../data/handover_pct60.csv: percentage of handovers within 60 minutes, x = 1..24. */
static const double handover[24] = {
    88, 91, 86, 90, 89, 87, 92, 88, 85, 90, 89, 91, 87, 88, 93, 94, 92, 95, 94, 96, 93, 95, 97, 96,
};



static void test_rnorm20(void **state)
{
    struct fixture *f = *state;
    RUN(f, rnorm20, 20, NULL, 0);
    assert_int_equal(f->res.n_points, 20);
    assert_int_equal(f->res.n_groups, 1);
    assert_int_equal(f->res.groups[0].n, 20);
    assert_false(f->res.groups[0].trial);
    assert_group(&f->res, 0, 0.14162380247459844, -3.0113795957080978, 3.2946272006572945);
    /* Sides of the mean alternate within 3 points, no 7-point monotone run, no point outside, and the
     * one close point (18) has neighbours above the mean: nothing is flagged. */
    assert_rules(&f->res, "....................");
    assert_types(&f->res, "....................");
    assert_int_equal(f->res.variation, SPC_VAR_COMMON_CAUSE);
    assert_int_equal(f->res.assurance, SPC_ASSURANCE_NONE);
}

static void test_rnorm20_outlier_screened(void **state)
{
    struct fixture *f = *state;
    double y[20];
    memcpy(y, rnorm20, sizeof y);
    y[14] = 10; /* x = 15 */
    RUN(f, y, 20, NULL, 0);
    assert_group(&f->res, 0, 0.66941585921230218, -2.383665597274129, 3.7224973156987331);
    assert_int_equal(f->res.rule[14], SPC_RULE_ABOVE_UPL);
    assert_int_equal(f->res.point_type[14], SPC_SPECIAL_IMPROVEMENT);
}

static void test_rnorm20_outlier_unscreened(void **state)
{
    struct fixture *f = *state;
    double y[20];
    memcpy(y, rnorm20, sizeof y);
    y[14] = 10;
    f->opt.screen_outliers = false;
    RUN(f, y, 20, NULL, 0);
    assert_group(&f->res, 0, 0.66941585921230218, -4.596625182469757, 5.9354569008943612);
    assert_int_equal(f->res.rule[14], SPC_RULE_ABOVE_UPL);
}

static const double spike[18] = {1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1};

static void test_spike_screened(void **state)
{
    struct fixture *f = *state;
    RUN(f, spike, 18, NULL, 0);
    assert_group(&f->res, 0, 1.9444444444444444, -0.71555555555555572, 4.6044444444444448);
    /* Screened MRbar is 1: near lines 1.944 -/+ 1.773 hold every 1 and 2; sides alternate. */
    assert_rules(&f->res, "....U .............");
    assert_types(&f->res, "....+ .............");
    assert_int_equal(f->res.variation, SPC_VAR_COMMON_CAUSE);
}

static void test_spike_unscreened(void **state)
{
    struct fixture *f = *state;
    f->opt.screen_outliers = false;
    RUN(f, spike, 18, NULL, 0);
    assert_group(&f->res, 0, 1.9444444444444444, -3.0626143790849669, 6.9515032679738562);
    assert_rules(&f->res, "....U .............");
}

static void test_one_to_ten(void **state)
{
    struct fixture *f = *state;
    const double y[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    RUN(f, y, 10, NULL, 0);
    assert_group(&f->res, 0, 5.5, 2.84, 8.16);
    assert_close(f->res.groups[0].near_lpl, 3.7266666666666666);
    assert_close(f->res.groups[0].near_upl, 7.2733333333333334);
    assert_true(f->res.groups[0].trial);
    /* One 10-point trend; outside limits takes precedence at both ends. */
    assert_rules(&f->res, "LL IIIIII UU");
    assert_types(&f->res, "-- ++++++ ++");
    assert_int_equal(f->res.variation, SPC_VAR_IMPROVEMENT_HIGH);
}

static void test_pi_digits(void **state)
{
    struct fixture *f = *state;
    const double y[7] = {3, 1, 4, 1, 5, 9, 2};
    RUN(f, y, 7, NULL, 0);
    assert_group(&f->res, 0, 3.5714285714285716, -6.625238095238096, 13.768095238095238);
    assert_rules(&f->res, ".......");
}

static void test_handover(void **state)
{
    struct fixture *f = *state;
    RUN(f, handover, 24, NULL, 0);
    assert_int_equal(f->res.n_groups, 1);
    assert_group(&f->res, 0, 91.083333333333329, 83.912898550724634, 98.253768115942023);
    /* points 8-14 shift_below, 15-22 shift_above, 23-24 two_in_three_high, the rest common cause */
    assert_rules(&f->res, "....... BBBBBBB AAAAAAAA hh");
    assert_types(&f->res, "....... ------- ++++++++ ++");
    assert_int_equal(f->res.variation, SPC_VAR_IMPROVEMENT_HIGH);
    assert_int_equal(f->res.assurance, SPC_ASSURANCE_NONE);
}

static void test_handover_target_95(void **state)
{
    struct fixture *f = *state;
    f->opt.has_target = true;
    f->opt.target = 95;
    RUN(f, handover, 24, NULL, 0);
    assert_int_equal(f->res.assurance, SPC_ASSURANCE_INCONSISTENT);
}

static void test_handover_target_99(void **state)
{
    struct fixture *f = *state;
    f->opt.has_target = true;
    f->opt.target = 99;
    RUN(f, handover, 24, NULL, 0);
    assert_int_equal(f->res.assurance, SPC_ASSURANCE_CONSISTENT_FAIL);
}

static const size_t rebase_x15[1] = {14};

static void test_handover_rebase(void **state)
{
    struct fixture *f = *state;
    RUN(f, handover, 24, rebase_x15, 1);
    assert_int_equal(f->res.n_groups, 2);
    assert_int_equal(f->res.groups[0].start, 0);
    assert_int_equal(f->res.groups[0].end, 14);
    assert_int_equal(f->res.groups[1].start, 14);
    assert_int_equal(f->res.groups[1].end, 24);
    assert_group(&f->res, 0, 88.642857142857139, 80.458241758241755, 96.827472527472523);
    assert_group(&f->res, 1, 94.5, 89.475555555555559, 99.524444444444441);
    assert_false(f->res.groups[0].trial); /* 14 values */
    assert_true(f->res.groups[1].trial);  /* 10 values */
    assert_rules(&f->res, "..............  ..........");
    assert_types(&f->res, "..............  ..........");
    assert_int_equal(f->res.variation, SPC_VAR_COMMON_CAUSE);
    assert_int_equal(f->res.assurance, SPC_ASSURANCE_NONE);
}

static void test_handover_rebase_target_85(void **state)
{
    struct fixture *f = *state;
    f->opt.has_target = true;
    f->opt.target = 85;
    RUN(f, handover, 24, rebase_x15, 1);
    assert_int_equal(f->res.assurance, SPC_ASSURANCE_CONSISTENT_PASS);
    /* Assurance is from the last group: 85 is inside group 1's limits. */
    f->opt.target = 90;
    RUN(f, handover, 24, rebase_x15, 1);
    assert_int_equal(f->res.assurance, SPC_ASSURANCE_INCONSISTENT);
}

static void test_handover_fix_after_12(void **state)
{
    struct fixture *f = *state;
    f->opt.fix_after = 12;
    RUN(f, handover, 24, NULL, 0);
    assert_group(&f->res, 0, 88.833333333333329, 80.36969696969696, 97.296969696969697);
    assert_int_equal(f->res.groups[0].n, 24);
    assert_int_equal(f->res.groups[0].n_basis, 12);
    /* 18, 20, 22-24 two_in_three_high; 15-17, 19, 21 shift_above; 1-14 common cause */
    assert_rules(&f->res, ".............. AAAhAhAhhh");
    assert_types(&f->res, ".............. ++++++++++");
    assert_int_equal(f->res.variation, SPC_VAR_IMPROVEMENT_HIGH);
}

/* One golden case: every group's figures and every point's rule and type, then the icons. */
static void test_golden(void **state)
{
    const struct golden_case *gc = *state;
    struct spc_result res;
    struct spc_options opt;
    struct purpose_err err = {0};
    spc_result_init(&res);
    spc_options_default(&opt);
    opt.improvement = gc->improvement;
    opt.has_target = gc->has_target;
    opt.target = gc->target;
    opt.fix_after = gc->fix_after;

    if (spc_xmr(gc->y, gc->n, gc->breaks, gc->n_breaks, &opt, &res, &err) != 0)
        fail_msg("%s: spc_xmr failed: %s", gc->name, err.msg);
    assert_int_equal(res.n_points, gc->n);
    assert_int_equal(res.n_groups, gc->n_groups);
    for (size_t k = 0; k < gc->n_groups; k++) {
        const struct spc_group *g = &res.groups[k];
        const struct golden_group *want = &gc->groups[k];
        assert_true(g->has_limits);
        assert_close(g->mean, want->mean);
        assert_close(g->lpl, want->lpl);
        assert_close(g->upl, want->upl);
        assert_close(g->near_lpl, want->near_lpl);
        assert_close(g->near_upl, want->near_upl);
        for (size_t i = g->start; i < g->end; i++)
            assert_int_equal(gc->group[i], k);
    }
    int bad = 0;
    for (size_t i = 0; i < gc->n; i++) {
        if (res.rule[i] != gc->rule[i] || res.point_type[i] != gc->type[i]) {
            print_error("%s point %zu: %s/%s, expected %s/%s\n", gc->name, i + 1,
                        spc_rule_name(res.rule[i]), spc_point_type_name(res.point_type[i]),
                        spc_rule_name(gc->rule[i]), spc_point_type_name(gc->type[i]));
            bad++;
        }
    }
    assert_int_equal(bad, 0);
    assert_string_equal(spc_variation_name(res.variation), spc_variation_name(gc->variation));
    assert_string_equal(spc_assurance_name(res.assurance), spc_assurance_name(gc->assurance));
    spc_result_release(&res);
}

int main(void)
{
    const struct CMUnitTest figures[] = {
        cmocka_unit_test_setup_teardown(test_rnorm20, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rnorm20_outlier_screened, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rnorm20_outlier_unscreened, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spike_screened, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spike_unscreened, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_to_ten, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pi_digits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handover, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handover_target_95, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handover_target_99, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handover_rebase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handover_rebase_target_85, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handover_fix_after_12, setup, teardown),
    };
    struct CMUnitTest golden[N_OF(golden_cases)];
    for (size_t i = 0; i < N_OF(golden_cases); i++) {
        golden[i] = (struct CMUnitTest){
            .name = golden_cases[i].name,
            .test_func = test_golden,
            .initial_state = (void *)(uintptr_t)&golden_cases[i],
        };
    }
    int failed = cmocka_run_group_tests_name("spc_reference_figures", figures, NULL, NULL);
    failed += _cmocka_run_group_tests("spc_golden_cases", golden, N_OF(golden), NULL, NULL);
    return failed != 0;
}
