/* Opinion groups (src/opinion): planted groups found again, the same votes giving the same answer,
 * consensus and representativeness against hand-computed figures, moderated-out statements
 * counting nowhere, the edges (no votes, one participant, all passes) and the pol.is export
 * reader's refusals. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "opinion/opinion.h"
#include "core/banned.h"

struct votes {
    struct op_vote *v;
    size_t n, cap;
};

static void add(struct votes *vs, uint32_t p, uint32_t s, int v)
{
    if (vs->n == vs->cap) {
        vs->cap = vs->cap ? vs->cap * 2 : 1024;
        vs->v = realloc(vs->v, vs->cap * sizeof *vs->v);
        assert_non_null(vs->v);
    }
    vs->v[vs->n++] = (struct op_vote){p, s, (int8_t)v};
}

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* P participants in G (2 to 4) planted groups at the corners of a square of opinion: group g
 * stands at (g & 1, g >> 1); even statements ask about the first axis, odd ones the second, and
 * a participant agrees with probability 0.85 on the side of their group (0.15 otherwise, a tenth
 * of votes passes). Each votes on about 70% of the statements. */
static void planted(struct votes *vs, size_t P, size_t S, size_t G, uint64_t seed)
{
    for (size_t p = 0; p < P; p++) {
        size_t g = p % G;
        for (size_t s = 0; s < S; s++) {
            if (rng_next(&seed) % 100 >= 70)
                continue;
            int agree_likely = s % 2 == 0 ? (g & 1) == 0 : (g >> 1) == 0;
            unsigned r = (unsigned)(rng_next(&seed) % 100);
            int v = r < 10 ? 0 : ((r < 85) == agree_likely ? 1 : -1);
            add(vs, (uint32_t)p, (uint32_t)s, v);
        }
    }
}

static void test_planted_groups_recovered(void **state)
{
    (void)state;
    for (size_t G = 2; G <= 4; G++) {
        struct votes vs = {0};
        size_t P = 600, S = 60;
        planted(&vs, P, S, G, 42 + G);
        struct op_input in = {.n_participants = P, .n_statements = S, .votes = vs.v, .n_votes = vs.n};
        struct op_result *r = NULL;
        struct purpose_err err = {0};
        assert_int_equal(op_group_votes(&in, NULL, &r, &err), 0);
        assert_int_equal(r->k, G);
        assert_int_equal(r->n_grouped, P);
        /* Each found group is (almost) one planted group. */
        size_t agree = 0;
        for (size_t g = 0; g < r->k; g++) {
            size_t cnt[8] = {0}, best = 0;
            for (size_t p = 0; p < P; p++)
                if (r->group[p] == (int32_t)g)
                    cnt[p % G]++;
            for (size_t h = 0; h < G; h++)
                if (cnt[h] > best)
                    best = cnt[h];
            agree += best;
        }
        assert_true(agree >= P * 98 / 100);
        op_result_free(&r);
        assert_null(r);
        free(vs.v);
    }
}

static void test_deterministic(void **state)
{
    (void)state;
    struct votes vs = {0};
    planted(&vs, 400, 50, 3, 7);
    struct op_input in = {.n_participants = 400, .n_statements = 50, .votes = vs.v, .n_votes = vs.n};
    struct op_result *a = NULL, *b = NULL;
    struct purpose_err err = {0};
    assert_int_equal(op_group_votes(&in, NULL, &a, &err), 0);
    assert_int_equal(op_group_votes(&in, NULL, &b, &err), 0);
    assert_int_equal(a->k, b->k);
    assert_memory_equal(a->group, b->group, 400 * sizeof *a->group);
    assert_memory_equal(a->x, b->x, 400 * sizeof *a->x);
    assert_memory_equal(a->y, b->y, 400 * sizeof *a->y);
    assert_memory_equal(a->consensus, b->consensus, 50 * sizeof *a->consensus);
    for (size_t g = 0; g < a->k; g++) {
        assert_int_equal(a->groups[g].n_reps, b->groups[g].n_reps);
        assert_memory_equal(a->groups[g].reps, b->groups[g].reps, a->groups[g].n_reps * sizeof *a->groups[g].reps);
    }
    op_result_free(&a);
    op_result_free(&b);
    free(vs.v);
}

/* 20 participants: 0..9 agree with statements 0-4 and disagree with 5-9, 10..19 the opposite;
 * everyone agrees with 10. Statement 11 is the moderation test's. */
static void two_camps(struct votes *vs, bool with_11)
{
    for (uint32_t p = 0; p < 20; p++) {
        int side = p < 10 ? 1 : -1;
        for (uint32_t s = 0; s < 10; s++)
            add(vs, p, s, s < 5 ? side : -side);
        add(vs, p, 10, 1);
        if (with_11)
            add(vs, p, 11, p % 3 == 0 ? 1 : (p % 3 == 1 ? -1 : 0));
    }
}

static void test_consensus_and_repness_by_hand(void **state)
{
    (void)state;
    struct votes vs = {0};
    two_camps(&vs, false);
    struct op_input in = {.n_participants = 20, .n_statements = 11, .votes = vs.v, .n_votes = vs.n};
    struct op_result *r = NULL;
    struct purpose_err err = {0};
    assert_int_equal(op_group_votes(&in, NULL, &r, &err), 0);
    assert_int_equal(r->k, 2);
    assert_int_equal(r->groups[0].size, 10);
    assert_int_equal(r->groups[1].size, 10);
    /* Equal sizes: the group holding participant 0 comes first. */
    assert_int_equal(r->group[0], 0);
    assert_int_equal(r->group[19], 1);
    /* Consensus: statement 10, both groups 10 of 10 agree: (11/12)^2; statement 0: 11/12 * 1/12. */
    assert_float_equal(r->consensus[10], (11.0 / 12) * (11.0 / 12), 1e-12);
    assert_float_equal(r->consensus[0], (11.0 / 12) * (1.0 / 12), 1e-12);
    assert_float_equal(r->consensus[7], (1.0 / 12) * (11.0 / 12), 1e-12);
    /* Group 0 on statement 0: 10 of 10 agree, none of the other 10.
     * p = 11/12; p-test = 2 sqrt(11) (11/11 - 1/2) = sqrt(11); ratio = (11/12) / (1/12) = 11;
     * two-proportion z with each count plus one: (1 - 1/11) / sqrt(6/11 * 5/11 * 2/11). */
    const struct op_group *g0 = &r->groups[0];
    assert_int_equal(g0->n_reps, 5);
    const struct op_rep *p = &g0->reps[0];
    assert_int_equal(p->statement, 0);
    assert_true(p->agree);
    assert_int_equal(p->n_success, 10);
    assert_int_equal(p->n_trials, 10);
    assert_float_equal(p->p, 11.0 / 12, 1e-12);
    assert_float_equal(p->p_test, sqrt(11.0), 1e-12);
    assert_float_equal(p->ratio, 11.0, 1e-12);
    assert_float_equal(p->ratio_test, (10.0 / 11) / sqrt(6.0 / 11 * 5.0 / 11 * 2.0 / 11), 1e-12);
    /* The rest tie on the metric and keep statement order; statement 10 (everyone agrees) is not
     * representative of either group. */
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(g0->reps[i].statement, i);
        assert_true(g0->reps[i].agree);
    }
    const struct op_group *g1 = &r->groups[1];
    for (size_t i = 0; i < g1->n_reps; i++)
        assert_int_not_equal(g1->reps[i].statement, 10);
    op_result_free(&r);
    free(vs.v);
}

static void test_moderated_out_excluded(void **state)
{
    (void)state;
    struct votes with = {0}, without = {0};
    planted(&with, 300, 30, 3, 11);
    planted(&without, 300, 30, 3, 11);
    /* Statement 30 splits people across the planted groups: moderated out it must change nothing. */
    for (uint32_t p = 0; p < 300; p++)
        add(&with, p, 30, p % 2 ? 1 : -1);
    bool excluded[31] = {0};
    excluded[30] = true;
    struct op_input a = {.n_participants = 300, .n_statements = 31, .votes = with.v, .n_votes = with.n,
                         .excluded = excluded};
    /* The same conversation without statement 30 at all. */
    struct op_input b = {.n_participants = 300, .n_statements = 30, .votes = without.v, .n_votes = without.n};
    struct op_result *ra = NULL, *rb = NULL;
    struct purpose_err err = {0};
    assert_int_equal(op_group_votes(&a, NULL, &ra, &err), 0);
    assert_int_equal(op_group_votes(&b, NULL, &rb, &err), 0);
    assert_int_equal(ra->k, rb->k);
    assert_memory_equal(ra->group, rb->group, 300 * sizeof *ra->group);
    assert_memory_equal(ra->x, rb->x, 300 * sizeof *ra->x);
    assert_true(isnan(ra->consensus[30]));
    for (size_t g = 0; g < ra->k; g++) {
        assert_int_equal(ra->seen[g * 31 + 30], 0);
        for (size_t i = 0; i < ra->groups[g].n_reps; i++)
            assert_int_not_equal(ra->groups[g].reps[i].statement, 30);
    }
    op_result_free(&ra);
    op_result_free(&rb);
    free(with.v);
    free(without.v);
}

/* Camps of 10, 10 and 3 on 12 statements: A agrees with 0-3 and disagrees with 4-7, B the
 * opposite (each passing now and then), C passes or disagrees on 0-7; C alone agrees with 9-11;
 * everyone agrees with 8. As found, C is a group of 3. */
static int camp_vote(uint32_t p, uint32_t s)
{
    int camp = p < 10 ? 0 : p < 20 ? 1 : 2;
    if (s == 8)
        return 1;
    if (s >= 9)
        return camp == 2 ? 1 : -1;
    if (camp == 2)
        return (p + s) % 2 ? 0 : -1;
    if ((p * 5 + s * 3) % 11 == 0)
        return 0;
    return (s < 4) == (camp == 0) ? 1 : -1;
}

static void three_camps(struct votes *vs)
{
    for (uint32_t p = 0; p < 23; p++)
        for (uint32_t s = 0; s < 12; s++)
            add(vs, p, s, camp_vote(p, s));
}

/* A group under min_group is merged into the nearest, before the statistics: no group shown
 * alone under 5 (Purpose's pages); every participant keeps a group; consensus still finds 8. */
static void test_small_groups_merged(void **state)
{
    (void)state;
    struct votes vs = {0};
    three_camps(&vs);
    struct op_input in = {.n_participants = 23, .n_statements = 12, .votes = vs.v, .n_votes = vs.n};
    struct op_opts o;
    op_opts_default(&o);
    struct op_result *r = NULL;
    struct purpose_err err = {0};
    assert_int_equal(op_group_votes(&in, &o, &r, &err), 0);
    assert_int_equal(r->k, 3); /* as found, the camp of 3 is a group of its own */
    assert_int_equal(r->groups[2].size, 3);
    op_result_free(&r);
    o.min_group = 5;
    assert_int_equal(op_group_votes(&in, &o, &r, &err), 0);
    assert_int_equal(r->k, 2);
    uint32_t total = 0;
    for (size_t g = 0; g < r->k; g++) {
        assert_true(r->groups[g].size >= 5);
        total += r->groups[g].size;
    }
    assert_int_equal(total, 23);
    assert_int_equal(r->groups[0].size, 13);
    for (size_t i = 0; i < 23; i++)
        assert_true(r->group[i] >= 0 && r->group[i] < 2);
    assert_int_equal(r->group[20], r->group[21]);
    size_t best = 0;
    for (size_t j = 1; j < 12; j++)
        if (r->consensus[j] > r->consensus[best])
            best = j;
    assert_int_equal(best, 8);
    op_result_free(&r);
    /* Nothing left to compare once merged: refused, saying why. */
    o.min_group = 20;
    assert_int_equal(op_group_votes(&in, &o, &r, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
    assert_non_null(strstr(err.msg, "no group of 20 or more"));
    assert_null(r);
    free(vs.v);
}

static void expect_refusal(const struct op_input *in, const char *needle)
{
    struct op_result *r = NULL;
    struct purpose_err err = {0};
    assert_int_equal(op_group_votes(in, NULL, &r, &err), -1);
    assert_null(r);
    assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
    if (!strstr(err.msg, needle))
        fail_msg("\"%s\" does not say \"%s\"", err.msg, needle);
}

static void test_edges(void **state)
{
    (void)state;
    struct op_input none = {.n_participants = 0, .n_statements = 0};
    expect_refusal(&none, "too few participants to group: 0 of 0");
    struct op_vote one[3] = {{0, 0, 1}, {0, 1, -1}, {0, 2, 0}};
    struct op_input single = {.n_participants = 1, .n_statements = 3, .votes = one, .n_votes = 3};
    expect_refusal(&single, "too few participants to group: 1 of 1");
    /* 30 participants who all pass on everything: nothing to tell them apart. */
    struct votes vs = {0};
    for (uint32_t p = 0; p < 30; p++)
        for (uint32_t s = 0; s < 10; s++)
            add(&vs, p, s, 0);
    struct op_input pass = {.n_participants = 30, .n_statements = 10, .votes = vs.v, .n_votes = vs.n};
    expect_refusal(&pass, "no difference of opinion");
    /* 40 people, only 10 with 7 votes: too few to group, said so. */
    vs.n = 0;
    for (uint32_t p = 0; p < 40; p++)
        for (uint32_t s = 0; s < (p < 10 ? 9u : 3u); s++)
            add(&vs, p, s, (int)((p + s) % 3) - 1);
    struct op_input few = {.n_participants = 40, .n_statements = 9, .votes = vs.v, .n_votes = vs.n};
    expect_refusal(&few, "too few participants to group: 10 of 40 voted on at least 7 statements");
    /* Out of range and repeated votes. */
    struct op_vote bad[1] = {{0, 0, 2}};
    struct op_input b1 = {.n_participants = 1, .n_statements = 1, .votes = bad, .n_votes = 1};
    expect_refusal(&b1, "out of range");
    struct op_vote twice[2] = {{0, 0, 1}, {0, 0, -1}};
    struct op_input b2 = {.n_participants = 1, .n_statements = 1, .votes = twice, .n_votes = 2};
    expect_refusal(&b2, "votes twice");
    free(vs.v);
}

/* in_conv groups a participant with few votes; polis_scaling counts moderated-out statements as
 * votes cast in the sparsity scaling, as pol.is's zeroed columns do. */
static void test_polis_options(void **state)
{
    (void)state;
    struct votes vs = {0};
    planted(&vs, 60, 20, 2, 5);
    add(&vs, 60, 0, 1); /* participant 60: three votes */
    add(&vs, 60, 1, -1);
    add(&vs, 60, 2, 1);
    for (uint32_t p = 0; p < 61; p += 2) /* statement 20, moderated out, has votes */
        add(&vs, p, 20, 1);
    bool excluded[21] = {0}, in_conv[61] = {0};
    excluded[20] = true;
    in_conv[60] = true;
    struct op_input in = {.n_participants = 61, .n_statements = 21, .votes = vs.v, .n_votes = vs.n, .excluded = excluded};
    struct op_result *plain = NULL, *kept = NULL, *scaled = NULL;
    struct purpose_err err = {0};
    assert_int_equal(op_group_votes(&in, NULL, &plain, &err), 0);
    assert_int_equal(plain->group[60], -1);
    assert_int_equal(plain->n_grouped, 60);
    in.in_conv = in_conv;
    assert_int_equal(op_group_votes(&in, NULL, &kept, &err), 0);
    assert_true(kept->group[60] >= 0);
    assert_int_equal(kept->n_grouped, 61);
    struct op_opts o;
    op_opts_default(&o);
    o.polis_scaling = true;
    assert_int_equal(op_group_votes(&in, &o, &scaled, &err), 0);
    /* Participant 60 cast 3 of 20 counted votes; one statement is moderated out. */
    double want = sqrt((20.0 + 1) / (3 + 1)) / sqrt(20.0 / 3);
    assert_float_equal(scaled->x[60] / kept->x[60], want, 1e-9);
    assert_float_equal(scaled->y[60] / kept->y[60], want, 1e-9);
    op_result_free(&plain);
    op_result_free(&kept);
    op_result_free(&scaled);
    free(vs.v);
}

/* ---- the export reader ---- */

static const char *COMMENTS = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
                              "1,x,5,0,0,0,1,\"First, with a comma\"\n"
                              "2,x,7,0,0,0,-1,Moderated out\n"
                              "3,x,6,0,0,0,0,Not yet moderated\n";

static int read_export(struct op_export *e, const char *comments, const char *votes, struct purpose_err *err)
{
    return op_export_read(e, "c.csv", comments, strlen(comments), "v.csv", votes, strlen(votes), err);
}

static void expect_bad(const char *comments, const char *votes, const char *msg, const char *field)
{
    struct op_export e;
    struct purpose_err err = {0};
    assert_int_equal(read_export(&e, comments, votes, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
    if (strcmp(err.msg, msg) != 0)
        fail_msg("got \"%s\", wanted \"%s\"", err.msg, msg);
    assert_string_equal(err.field, field);
    assert_null(e.votes);
}

static void test_export_reader(void **state)
{
    (void)state;
    const char *votes = "timestamp,datetime,comment-id,voter-id,vote\n"
                        "10,x,5,3,1\n"
                        "11,x,6,3,-1\n"
                        "12,x,5,1,0\n"
                        "13,x,5,3,-1\n"  /* a re-vote: the latest counts */
                        "14,x,7,1,1\n"
                        "14,x,7,1,1\n"; /* the same vote exported twice counts once */
    struct op_export e;
    struct purpose_err err = {0};
    assert_int_equal(read_export(&e, COMMENTS, votes, &err), 0);
    assert_int_equal(e.input.n_statements, 3);
    assert_int_equal(e.statement_id[0], 5);
    assert_int_equal(e.statement_id[2], 7);
    assert_string_equal(e.text[0], "First, with a comma");
    assert_false(e.excluded[1]); /* 6: not yet moderated counts */
    assert_true(e.excluded[2]);
    assert_int_equal(e.input.n_participants, 2);
    assert_int_equal(e.participant_id[0], 1);
    assert_int_equal(e.participant_id[1], 3);
    assert_int_equal(e.input.n_votes, 4);
    /* voter 3 (index 1) on statement 5 (index 0): the later -1 */
    bool found = false;
    for (size_t i = 0; i < e.input.n_votes; i++)
        if (e.votes[i].participant == 1 && e.votes[i].statement == 0) {
            assert_int_equal(e.votes[i].value, -1);
            found = true;
        }
    assert_true(found);
    op_export_release(&e);

    expect_bad("comment-id,comment-body\n1,a\n", votes, "c.csv:1: no column \"moderated\"", "moderated");
    expect_bad(COMMENTS, "comment-id,vote\n5,1\n", "v.csv:1: no column \"voter-id\"", "voter-id");
    expect_bad(COMMENTS, "comment-id,voter-id,vote\n5,1,1\n5,2,2\n", "v.csv:3: column \"vote\": \"2\" is not -1, 0 or 1",
               "vote");
    expect_bad(COMMENTS, "comment-id,voter-id,vote\n9,1,1\n",
               "v.csv:2: column \"comment-id\": statement 9 is not in the comments", "comment-id");
    expect_bad(COMMENTS, "comment-id,voter-id,vote\n5,x1,1\n", "v.csv:2: column \"voter-id\": \"x1\" is not a whole number",
               "voter-id");
    expect_bad("comment-id,moderated\n1,1\n2,0\n1,-1\n", "comment-id,voter-id,vote\n",
               "c.csv:4: column \"comment-id\": 1 appears again (first on line 2)", "comment-id");
    expect_bad("comment-id,moderated\n1,2\n", "comment-id,voter-id,vote\n", "c.csv:2: column \"moderated\": \"2\" is not -1, 0 or 1",
               "moderated");
    expect_bad(COMMENTS, "timestamp,comment-id,voter-id,vote\n4,5,1,1\n4,5,1,-1\n",
               "v.csv:3: column \"vote\": voter 1 votes differently on statement 5 at the same time (first on line 2)", "vote");
    expect_bad(COMMENTS, "comment-id,voter-id,vote\n5,1,1\n5,1,0\n",
               "v.csv:3: column \"vote\": voter 1 votes differently on statement 5 (first on line 2)", "vote");
    expect_bad(COMMENTS, "", "v.csv: empty file: no header", "comment-id");
}

/* pol.is keeps a participant once in: one who voted on the only statement there was stays in. */
static void test_export_in_conv_replay(void **state)
{
    (void)state;
    const char *comments = "comment-id,moderated\n0,1\n1,1\n2,1\n";
    const char *votes = "timestamp,comment-id,voter-id,vote\n"
                        "1,0,0,1\n"   /* voter 0: 1 of 1 statement so far: in */
                        "2,1,1,1\n"   /* voter 1: 1 vote, 2 statements so far: not yet */
                        "3,2,1,1\n"   /* voter 1: 2 of 3: not in */
                        "4,0,2,1\n5,1,2,1\n6,2,2,-1\n"; /* voter 2: 3 of 3: in */
    struct op_export e;
    struct purpose_err err = {0};
    assert_int_equal(read_export(&e, comments, votes, &err), 0);
    assert_true(e.polis_in_conv[0]);
    assert_false(e.polis_in_conv[1]);
    assert_true(e.polis_in_conv[2]);
    op_export_release(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_planted_groups_recovered),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_consensus_and_repness_by_hand),
        cmocka_unit_test(test_moderated_out_excluded),
        cmocka_unit_test(test_small_groups_merged),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_polis_options),
        cmocka_unit_test(test_export_reader),
        cmocka_unit_test(test_export_in_conv_replay),
    };
    return cmocka_run_group_tests_name("opinion", tests, NULL, NULL);
}
