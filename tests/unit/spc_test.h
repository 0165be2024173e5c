#ifndef SPC_TEST_H
#define SPC_TEST_H

/* Helpers shared by the SPC engine's unit tests (include after <cmocka.h>). */

#include <math.h>
#include <string.h>

#include "purpose/spc.h"

/* docs/spc.md: agreement means |a - b| <= 1e-9 * max(1, |b|). A NaN actual never agrees. */
#define assert_close(actual, expected) spc_check_close((actual), (expected), #actual, __FILE__, __LINE__)

static inline void spc_check_close(double a, double b, const char *what, const char *file, int line)
{
    if (!(fabs(a - b) <= 1e-9 * fmax(1.0, fabs(b)))) {
        print_error("%s = %.17g, expected %.17g (difference %.3g)\n", what, a, b, a - b);
        _fail(file, line);
    }
}

#define assert_nan(actual) spc_check_nan((actual), #actual, __FILE__, __LINE__)

static inline void spc_check_nan(double a, const char *what, const char *file, int line)
{
    if (!isnan(a)) {
        print_error("%s = %.17g, expected NaN\n", what, a);
        _fail(file, line);
    }
}

/* Mean, limits and near lines of one group, all at once. */
#define assert_group(res, k, mean_, lpl_, upl_)                                                            \
    do {                                                                                                   \
        assert_true((k) < (res)->n_groups);                                                                \
        assert_true((res)->groups[k].has_limits);                                                          \
        assert_close((res)->groups[k].mean, (mean_));                                                      \
        assert_close((res)->groups[k].lpl, (lpl_));                                                        \
        assert_close((res)->groups[k].upl, (upl_));                                                        \
    } while (0)

/* Expected rules as one character per point (spaces and '|' are ignored: they group points for
 * reading, '|' marking a rebase):
 *   .  none           U  above_upl          L  below_lpl
 *   I  trend_increasing                     D  trend_decreasing
 *   h  two_in_three_high                    l  two_in_three_low
 *   A  shift_above                          B  shift_below          */
static inline enum spc_rule spc_rule_of_char(char c)
{
    switch (c) {
    case 'U': return SPC_RULE_ABOVE_UPL;
    case 'L': return SPC_RULE_BELOW_LPL;
    case 'I': return SPC_RULE_TREND_INCREASING;
    case 'D': return SPC_RULE_TREND_DECREASING;
    case 'h': return SPC_RULE_TWO_IN_THREE_HIGH;
    case 'l': return SPC_RULE_TWO_IN_THREE_LOW;
    case 'A': return SPC_RULE_SHIFT_ABOVE;
    case 'B': return SPC_RULE_SHIFT_BELOW;
    default: return SPC_RULE_NONE;
    }
}

/* Expected point types, one character per point (spaces and '|' ignored):
 *   .  common_cause   +  improvement   -  concern   ^  neutral_high   v  neutral_low */
static inline enum spc_point_type spc_type_of_char(char c)
{
    switch (c) {
    case '+': return SPC_SPECIAL_IMPROVEMENT;
    case '-': return SPC_SPECIAL_CONCERN;
    case '^': return SPC_SPECIAL_NEUTRAL_HIGH;
    case 'v': return SPC_SPECIAL_NEUTRAL_LOW;
    default: return SPC_COMMON_CAUSE;
    }
}

#define assert_rules(res, pattern) spc_check_pattern((res), (pattern), false, __FILE__, __LINE__)
#define assert_types(res, pattern) spc_check_pattern((res), (pattern), true, __FILE__, __LINE__)

static inline void spc_check_pattern(const struct spc_result *res, const char *pattern, bool types,
                                     const char *file, int line)
{
    size_t i = 0;
    int bad = 0;
    for (const char *p = pattern; *p; p++) {
        if (*p == ' ' || *p == '|')
            continue;
        if (i >= res->n_points) {
            print_error("pattern has more points than the result (%zu)\n", res->n_points);
            _fail(file, line);
        }
        if (types) {
            enum spc_point_type want = spc_type_of_char(*p), got = (enum spc_point_type)res->point_type[i];
            if (got != want) {
                print_error("point %zu: point_type %s, expected %s\n", i + 1, spc_point_type_name(got),
                            spc_point_type_name(want));
                bad++;
            }
        } else {
            enum spc_rule want = spc_rule_of_char(*p), got = (enum spc_rule)res->rule[i];
            if (got != want) {
                print_error("point %zu: rule %s, expected %s\n", i + 1, spc_rule_name(got), spc_rule_name(want));
                bad++;
            }
        }
        i++;
    }
    if (i != res->n_points) {
        print_error("pattern has %zu points, the result %zu\n", i, res->n_points);
        _fail(file, line);
    }
    if (bad)
        _fail(file, line);
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Each test gets a fresh result and default options. */
struct fixture {
    struct spc_result res;
    struct spc_options opt;
    struct purpose_err err;
};

static int setup(void **state)
{
    struct fixture *f = test_malloc(sizeof *f);
    spc_result_init(&f->res);
    spc_options_default(&f->opt);
    f->err.msg[0] = '\0';
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    spc_result_release(&f->res);
    test_free(f);
    return 0;
}

/* Runs spc_xmr and fails with the engine's message if it refuses. */
#define RUN(f, y, n, breaks, n_breaks)                                                              \
    do {                                                                                            \
        int rc_ = spc_xmr((y), (n), (breaks), (n_breaks), &(f)->opt, &(f)->res, &(f)->err);         \
        if (rc_ != 0)                                                                               \
            fail_msg("spc_xmr returned %d: %s", rc_, (f)->err.msg);                                 \
    } while (0)

#endif
