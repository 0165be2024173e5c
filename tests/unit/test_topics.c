/* What a write makes stale (issue 22, store/topics.h): each write bumps only its own topics, in its
 * own transaction, on both engines. A vote or an idea bumps its conversation and nothing else; a
 * session bumps nothing; a strategy change bumps "strategy"; a moderation bumps every conversation's
 * "conversation"; a write that fails (a wrong scope) bumps nothing. The web's caches rely on it
 * (route_cache.c): a counter that did not move keeps a page. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/secret.h"
#include "db/db.h"
#include "store/store.h"
#define STORE_FIXTURE_ONE_ORGANISATION
#include "store_fixture.h"
#include "core/banned.h"

#define SECRET_A "contributor-secret-aaaaaaaaaaaaaaaa"
#define SECRET_B "contributor-secret-bbbbbbbbbbbbbbbb"
#define NOW 1800000000
#define OK(x) assert_int_equal((x), 0)

enum { ALL, STRATEGY, ORGS, USERS, CONV, CONV_A, CONV_B, NKEYS };

/* The counters of the keys above. */
static void counters(struct store *s, int64_t a, int64_t b, int64_t out[NKEYS])
{
    const struct store_topic_key keys[NKEYS] = {
        {STORE_TOPIC_ALL, 0}, {STORE_TOPIC_STRATEGY, 0}, {STORE_TOPIC_ORGS, 0}, {STORE_TOPIC_USERS, 0},
        {STORE_TOPIC_CONVERSATION, 0}, {STORE_TOPIC_CONVERSATION, a}, {STORE_TOPIC_CONVERSATION, b},
    };
    struct purpose_err err = {0};
    OK(store_topics_read(s, keys, NKEYS, out, &err));
}

/* Asserts that only key `moved` (or none, with -1) changed from was to now, by one. */
static void only(const int64_t was[NKEYS], const int64_t now[NKEYS], int moved, const char *what)
{
    for (int k = 0; k < NKEYS; k++) {
        int64_t want = was[k] + (k == moved);
        if (now[k] != want)
            fail_msg("%s: key %d is %lld, want %lld", what, k, (long long)now[k], (long long)want);
    }
}

static void test_writes_bump_their_topics(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    const struct store_scope mine = ORG;
    struct store_campaign_input ci = {.question = "What matters?", .audience = "all", .privacy = "p",
                                      .opens_at = NOW - 1000, .closes_at = NOW + 1000, .queue_public = false};
    int64_t a = 0, b = 0, idea_a = 0, idea_b = 0, other = 0;
    OK(store_campaign_add(f->s, &tester, &mine, &ci, &a, &err));
    OK(store_campaign_add(f->s, &tester, &mine, &ci, &b, &err));
    struct store_contribution_input in = {.body = "Open the lounge at weekends", .secret = SECRET_A,
                                          .anonymous = true, .staff = true};
    OK(store_contribution_add(f->s, &mine, a, &in, NOW, &idea_a, NULL, &err));
    OK(store_org_add(f->s, &tester, "other", "Another Trust", "nhs_trust", "", &other, &err));
    int64_t user = 0;
    OK(store_user_add(f->s, &tester, org, "someone", "Someone", ROLE_MEMBER, "not-a-hash", &user, &err));
    int64_t was[NKEYS], now[NKEYS];

    counters(f->s, a, b, was);
    OK(store_vote(f->s, &mine, a, idea_a, SECRET_B, "agree", NOW, &err));
    counters(f->s, a, b, now);
    only(was, now, CONV_A, "a vote in A");

    memcpy(was, now, sizeof was);
    OK(store_contribution_add(f->s, &mine, b, &in, NOW, &idea_b, NULL, &err));
    counters(f->s, a, b, now);
    only(was, now, CONV_B, "an idea in B");

    memcpy(was, now, sizeof was);
    OK(store_session_create(f->s, "0123456789abcdef0123456789abcdef", user, "csrf", NOW + 3600, &err));
    OK(store_session_delete(f->s, "0123456789abcdef0123456789abcdef", &err));
    counters(f->s, a, b, now);
    only(was, now, -1, "a session made and ended");

    memcpy(was, now, sizeof was);
    OK(store_statement_set(f->s, &tester, mine, "vision", "A new vision", &err));
    counters(f->s, a, b, now);
    only(was, now, STRATEGY, "the vision");

    memcpy(was, now, sizeof was);
    OK(store_contribution_moderate(f->s, &tester, &mine, a, idea_a, false, "Off topic", &err));
    counters(f->s, a, b, now);
    only(was, now, CONV, "a moderation");

    /* A write refused (another organisation's conversation) bumps nothing. */
    memcpy(was, now, sizeof was);
    const struct store_scope theirs = {STORE_SCOPE_ORG, other};
    assert_int_equal(store_vote(f->s, &theirs, b, idea_b, SECRET_A, "agree", NOW, &err), -1);
    counters(f->s, a, b, now);
    only(was, now, -1, "a refused vote");
}

int main(void)
{
    struct purpose_err err;
    if (secret_init(&err) < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_writes_bump_their_topics, setup, teardown),
    };
    return run_on_both_engines("topics", tests);
}
