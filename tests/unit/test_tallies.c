/* Vote tallies (issue 9's benchmark): the running totals kept by triggers on votes, and the bulk
 * load of votes (store_votes_load), on both engines. The totals always equal a recount of the votes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/secret.h"
#include "db/db.h"
#include "store/store.h"
#define STORE_FIXTURE_ONE_ORGANISATION
#include "store_fixture.h"
#include "core/banned.h"


#define SECRET_A "contributor-secret-aaaaaaaaaaaaaaaa"
#define SECRET_B "contributor-secret-bbbbbbbbbbbbbbbb"
#define SECRET_C "contributor-secret-cccccccccccccccc"
#define NOW 1800000000

/* The tallies the store reads, as "id:agree/disagree/unsure" per idea. */
static void tallies(struct store *s, int64_t cid, char *out, size_t n)
{
    struct purpose_err err = {0};
    struct store_contribution_list l;
    assert_int_equal(store_contribution_list(s, &ORG, cid, true, 0, &l, &err), 0);
    size_t at = 0;
    out[0] = '\0';
    /* In the order the items were written (their bodies say), since random ids keep none. */
    static const char *const order[] = {"First idea", "Second idea", "Third idea, to be hidden"};
    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; i < l.n && at < n; i++)
            if (strcmp(l.items[i].body, order[k]) == 0)
                at += (size_t)snprintf(out + at, n - at, "%lld:%lld/%lld/%lld ", (long long)l.items[i].id,
                                       (long long)l.items[i].agree, (long long)l.items[i].disagree,
                                       (long long)l.items[i].unsure);
    store_contribution_list_release(&l);
}

/* The running totals equal a recount of every vote (read outside the store). */
static void assert_totals_match(const char *location)
{
    struct purpose_err err = {0};
    struct db *db;
    struct db_conn *c;
    assert_int_equal(db_open(location, &db, &err), 0);
    assert_int_equal(db_acquire(db, false, &c, &err), 0);
    int64_t differ = -1;
    assert_int_equal(db_run_i64(c, &differ, &err,
                                "SELECT COUNT(*) FROM (SELECT contribution_id, SUM(CASE WHEN vote = 'agree' THEN 1 ELSE 0 END) a,"
                                " SUM(CASE WHEN vote = 'disagree' THEN 1 ELSE 0 END) d, SUM(CASE WHEN vote = 'unsure' THEN 1 ELSE 0 END) u"
                                " FROM votes GROUP BY contribution_id) v FULL OUTER JOIN vote_tally t ON t.contribution_id = v.contribution_id"
                                " WHERE COALESCE(v.a, 0) <> COALESCE(t.agree, 0) OR COALESCE(v.d, 0) <> COALESCE(t.disagree, 0)"
                                " OR COALESCE(v.u, 0) <> COALESCE(t.unsure, 0)", ""),
                     0);
    assert_int_equal(differ, 0);
    db_release(c);
    db_close(&db);
}

static void test_tallies_and_bulk_votes(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    struct store_campaign_input ci = {.question = "What matters?", .description = "d", .audience = "all",
                                      .privacy = "We keep what you write.", .opens_at = NOW - 1000,
                                      .closes_at = NOW + 1000, .queue_public = false};
    int64_t cid = 0, i1, i2, i3;
    assert_int_equal(store_campaign_add(f->s, &tester, &ORG, &ci, &cid, &err), 0);
    const char *secrets[] = {SECRET_A, SECRET_B, SECRET_C};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(store_participant_set(f->s, &ORG, cid, secrets[i], NULL, 0, &err), 0);
    struct store_contribution_input in = {.body = "First idea", .secret = SECRET_A, .staff = true};
    assert_int_equal(store_contribution_add(f->s, &ORG, cid, &in, NOW, &i1, NULL, &err), 0);
    in.body = "Second idea";
    assert_int_equal(store_contribution_add(f->s, &ORG, cid, &in, NOW, &i2, NULL, &err), 0);
    in.body = "Third idea, to be hidden";
    assert_int_equal(store_contribution_add(f->s, &ORG, cid, &in, NOW, &i3, NULL, &err), 0);
    assert_int_equal(store_contribution_moderate(f->s, &tester, &ORG, cid, i3, false, "Off topic", &err), 0);

    /* A later vote of one person on one item replaces the earlier, in the load as in store_vote. */
    const struct store_vote_in v[] = {
        {i1, SECRET_A, "agree"}, {i1, SECRET_B, "disagree"}, {i2, SECRET_C, "agree"}, {i1, SECRET_A, "unsure"},
    };
    assert_int_equal(store_votes_load(f->s, &ORG, cid, v, 4, &err), 0);
    char got[200], want[200];
    tallies(f->s, cid, got, sizeof got);
    snprintf(want, sizeof want, "%lld:0/1/1 %lld:1/0/0 ", (long long)i1, (long long)i2);
    assert_string_equal(got, want);
    /* Stored under the voter hash store_vote uses: found by it, and replaced by it. */
    char mine[16];
    assert_int_equal(store_vote_get(f->s, &ORG, cid, i1, SECRET_A, mine, &err), 0);
    assert_string_equal(mine, "unsure");
    assert_int_equal(store_vote(f->s, &ORG, cid, i1, SECRET_A, "agree", NOW, &err), 0);
    assert_int_equal(store_vote(f->s, &ORG, cid, i1, SECRET_A, "agree", NOW, &err), 0); /* the same vote again */
    assert_int_equal(store_vote(f->s, &ORG, cid, i2, SECRET_B, "disagree", NOW, &err), 0);
    tallies(f->s, cid, got, sizeof got);
    snprintf(want, sizeof want, "%lld:1/1/0 %lld:1/1/0 ", (long long)i1, (long long)i2);
    assert_string_equal(got, want);
    assert_totals_match(f->path);

    /* All or nothing: a hidden item, or a vote that is not one, refuses the whole load. */
    const struct store_vote_in bad[] = {{i2, SECRET_A, "agree"}, {i3, SECRET_A, "agree"}};
    assert_int_equal(store_votes_load(f->s, &ORG, cid, bad, 2, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    const struct store_vote_in odd[] = {{i2, SECRET_A, "maybe"}};
    assert_int_equal(store_votes_load(f->s, &ORG, cid, odd, 1, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
    tallies(f->s, cid, got, sizeof got);
    assert_string_equal(got, want);
    assert_totals_match(f->path);
}

int main(void)
{
    struct purpose_err err;
    if (secret_init(&err) < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tallies_and_bulk_votes, setup, teardown),
    };
    return run_on_both_engines("tallies", tests);
}
