/* The sign-in throttle (web/throttle.h) over minutes of simulated time: the attacker and the real user
 * at once. Finding 4 of issue 16: the per-account delay refused everyone, the right password from a
 * clean address included, and a refused try did not extend the delay, so one wrong try each time it
 * expired kept the owner out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "web/throttle.h"
#include "core/banned.h"

static const char device[] = "0123456789abcdef0123456789abcdef";

/* One try; a right password is taken back as web_auth_sign_in does. */
static bool try_in(struct web_throttle *t, const char *ip, const char *account, const char *dev, bool right,
                   int64_t now)
{
    struct web_throttle_who who = {ip, account, dev};
    if (!web_throttle_attempt(t, &who, now))
        return false;
    if (right)
        web_throttle_succeeded(t, &who, now);
    return true;
}

/* Ten minutes: guesses every second from one address after a burst from ten others (the account far
 * over its allowance); the owner tries every 3 s from a known device and from a fresh address. */
static void test_owner_always_gets_in_while_attacker_is_held(void **state)
{
    (void)state;
    struct web_throttle *t = web_throttle_new();
    assert_non_null(t);
    int64_t t0 = 1000000;
    char ip[32];
    for (int i = 0; i < 10; i++) {
        snprintf(ip, sizeof ip, "10.9.%d.1", i);
        for (int k = 0; k < 3; k++)
            try_in(t, ip, "Admin", NULL, false, t0);
    }
    int attacker = 0, owner_device = 0, owner_fresh = 0, tries = 0;
    for (int64_t s = 1; s <= 600; s++) {
        attacker += try_in(t, "198.51.100.7", "admin", NULL, false, t0 + s);
        if (s % 3 == 0) {
            tries++;
            owner_device += try_in(t, "203.0.113.5", "admin", device, true, t0 + s);
            owner_fresh += try_in(t, "192.0.2.44", "ADMIN", NULL, true, t0 + s);
        }
    }
    assert_int_equal(owner_device, tries);
    assert_int_equal(owner_fresh, tries);
    /* the account was over its allowance: the attacker's first try from a fresh address, then none */
    assert_int_equal(attacker, 1);
    web_throttle_free(t);
}

/* Refused tries extend the delay: trying during it never brings the next try nearer; an attacker who
 * waits out each delay gets the rate the pair allows (5 free, then 30 s doubling). */
static void test_refused_tries_extend_the_delay(void **state)
{
    (void)state;
    struct web_throttle *t = web_throttle_new();
    int64_t now = 5000000;
    for (int i = 0; i < WEB_THROTTLE_PAIR_FREE; i++)
        assert_true(try_in(t, "198.51.100.9", "lead", NULL, false, now));
    assert_false(try_in(t, "198.51.100.9", "lead", NULL, false, now + 29));
    assert_false(try_in(t, "198.51.100.9", "lead", NULL, false, now + 31)); /* 29 + 30 not yet passed */
    assert_false(try_in(t, "198.51.100.9", "lead", NULL, false, now + 60));
    assert_true(try_in(t, "198.51.100.9", "lead", NULL, false, now + 90)); /* 30 s of silence */
    assert_false(try_in(t, "198.51.100.9", "lead", NULL, false, now + 90 + 59));
    assert_true(try_in(t, "198.51.100.9", "lead", NULL, false, now + 90 + 59 + 60)); /* then 60 s */
    web_throttle_free(t);
}

/* Guessing from many addresses: each fresh address gets its first try, and from then on the account's
 * delay holds them all back (the untrusted clients of OWASP's scheme). */
static void test_many_addresses_are_throttled_per_account(void **state)
{
    (void)state;
    struct web_throttle *t = web_throttle_new();
    int64_t now = 9000000;
    char ip[32];
    int first = 0, second = 0;
    for (int i = 0; i < 30; i++) {
        snprintf(ip, sizeof ip, "10.1.%d.1", i);
        first += try_in(t, ip, "lead", NULL, false, now);
    }
    for (int i = 0; i < 30; i++) {
        snprintf(ip, sizeof ip, "10.1.%d.1", i);
        second += try_in(t, ip, "lead", NULL, false, now + 1);
    }
    /* the account's allowance, then WEB_THROTTLE_FRESH_FREE fresh addresses past its delay */
    assert_int_equal(first, WEB_THROTTLE_ACCOUNT_FREE + WEB_THROTTLE_FRESH_FREE);
    assert_int_equal(second, 0);
    /* an address at its limit across accounts is held back whatever the account */
    for (int i = 0; i < WEB_THROTTLE_PER_ADDRESS; i++) {
        char who[32];
        snprintf(who, sizeof who, "nobody%d", i);
        assert_true(try_in(t, "192.0.2.1", who, NULL, false, now));
    }
    assert_false(try_in(t, "192.0.2.1", "somebody", NULL, true, now));
    web_throttle_free(t);
}

/* A botnet: a new address every second for a whole window, each guessing once. Fresh addresses pass
 * the account's delay only WEB_THROTTLE_FRESH_FREE times, so the guesses are held to about the
 * account's own rate (once a minute at most), not one a second; the owner's device still gets in. */
static void test_a_botnet_is_held_to_the_account_rate(void **state)
{
    (void)state;
    struct web_throttle *t = web_throttle_new();
    assert_non_null(t);
    int64_t t0 = 5000000;
    char ip[32];
    int guesses = 0, owner = 0;
    for (int i = 0; i < WEB_THROTTLE_WINDOW; i++) {
        snprintf(ip, sizeof ip, "10.%d.%d.7", i / 250, i % 250);
        guesses += try_in(t, ip, "admin", NULL, false, t0 + i);
        if (i % 30 == 0)
            owner += try_in(t, "198.51.100.9", "admin", device, true, t0 + i);
    }
    assert_true(guesses <= WEB_THROTTLE_ACCOUNT_FREE + WEB_THROTTLE_FRESH_FREE +
                               WEB_THROTTLE_WINDOW / WEB_THROTTLE_ACCOUNT_DELAY_MAX + 1);
    assert_int_equal(owner, WEB_THROTTLE_WINDOW / 30);
    web_throttle_free(t);
}

/* A device cookie that fails is held back on its own (a stolen cookie is no free oracle); the owner's
 * other devices and fresh addresses are not. */
static void test_a_failing_device_is_held_on_its_own(void **state)
{
    (void)state;
    struct web_throttle *t = web_throttle_new();
    int64_t now = 12000000;
    for (int i = 0; i < WEB_THROTTLE_PAIR_FREE; i++)
        assert_true(try_in(t, "198.51.100.1", "member", device, false, now));
    assert_false(try_in(t, "198.51.100.1", "member", device, true, now + 1));
    assert_true(try_in(t, "198.51.100.1", "member", "fedcba9876543210fedcba9876543210", true, now + 1));
    assert_true(try_in(t, "203.0.113.77", "member", NULL, true, now + 1));
    web_throttle_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_owner_always_gets_in_while_attacker_is_held),
        cmocka_unit_test(test_refused_tries_extend_the_delay),
        cmocka_unit_test(test_many_addresses_are_throttled_per_account),
        cmocka_unit_test(test_a_botnet_is_held_to_the_account_rate),
        cmocka_unit_test(test_a_failing_device_is_held_on_its_own),
    };
    return cmocka_run_group_tests_name("sign-in throttle", tests, NULL, NULL);
}
