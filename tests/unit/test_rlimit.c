/* The co-design rate limits' counters (web/rlimit.c): a key over its limit stays refused however
 * many other keys arrive, and a window's end starts a new count. The direct-mapped table this
 * replaced let a colliding key reset a busy one (issue 17): the flood test fails on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "web/rlimit.h"
#include "core/banned.h"

static void key_of(const char *who, char out[SECRET_HEX_LEN + 1])
{
    static const unsigned char k[32] = {7};
    secret_keyed_hash(k, who, out);
}

static void test_limit_and_window(void **state)
{
    (void)state;
    web_rlimit_reset();
    char k[SECRET_HEX_LEN + 1];
    key_of("vote:10.0.0.1", k);
    for (int i = 0; i < 5; i++)
        assert_true(web_rlimit_hit(k, 1000 + i, 600, 5));
    assert_false(web_rlimit_hit(k, 1010, 600, 5));
    assert_false(web_rlimit_hit(k, 1599, 600, 5));
    assert_true(web_rlimit_hit(k, 1600, 600, 5)); /* a new window */
}

/* A busy key keeps its count while 100,000 other keys (each seen once) pass through the table. */
static void test_flood_does_not_reset(void **state)
{
    (void)state;
    web_rlimit_reset();
    char busy[SECRET_HEX_LEN + 1], other[SECRET_HEX_LEN + 1], who[40];
    key_of("vote:attacker", busy);
    for (int i = 0; i < 20; i++)
        assert_true(web_rlimit_hit(busy, 1000, 600, 20));
    for (int i = 0; i < 100000; i++) {
        snprintf(who, sizeof who, "vote:visitor-%d", i);
        key_of(who, other);
        assert_true(web_rlimit_hit(other, 1001, 600, 20));
        if (i % 997 == 0)
            assert_false(web_rlimit_hit(busy, 1001, 600, 20));
    }
    assert_false(web_rlimit_hit(busy, 1002, 600, 20));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limit_and_window),
        cmocka_unit_test(test_flood_does_not_reset),
    };
    return cmocka_run_group_tests_name("rlimit", tests, NULL, NULL);
}
