/* Co-design store (issue 9) on both engines: campaigns, contributions, votes, moderation, the
 * who-has-been-heard tallies, and the anonymity promise read straight from the database tables.
 * Fault injection proves a failed write changes nothing. */
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
#include "store/store_int.h"
#define STORE_FIXTURE_ONE_ORGANISATION
#include "store_fixture.h"
#include "core/banned.h"


#define SECRET_A "contributor-secret-aaaaaaaaaaaaaaaa"
#define SECRET_B "contributor-secret-bbbbbbbbbbbbbbbb"
#define NOW 1800000000

static int64_t open_campaign(struct store *s, bool queue)
{
    struct purpose_err err = {0};
    struct store_campaign_input in = {.question = "What matters?", .description = "d", .audience = "all",
                                      .privacy = "We keep what you write.", .opens_at = NOW - 1000,
                                      .closes_at = NOW + 1000, .queue_public = queue};
    int64_t id = 0;
    assert_int_equal(store_campaign_add(s, &tester, &ORG, &in, &id, &err), 0);
    return id;
}

static void test_campaigns_validate_and_close(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    struct store_campaign_input in = {.question = "", .audience = "all", .privacy = "p", .opens_at = 10,
                                      .closes_at = 20};
    assert_int_equal(store_campaign_add(f->s, &tester, &ORG, &in, NULL, &err), -1);
    assert_string_equal(err.field, "question");
    in.question = "Q";
    in.audience = "everyone";
    assert_int_equal(store_campaign_add(f->s, &tester, &ORG, &in, NULL, &err), -1);
    assert_string_equal(err.field, "audience");
    in.audience = "staff";
    in.closes_at = 5;
    assert_int_equal(store_campaign_add(f->s, &tester, &ORG, &in, NULL, &err), -1);
    assert_string_equal(err.field, "closes_at");
    in.closes_at = 20;
    int64_t id;
    assert_int_equal(store_campaign_add(f->s, &tester, &ORG, &in, &id, &err), 0);
    struct store_campaign c;
    assert_int_equal(store_campaign_get(f->s, &ORG, id, &c, &err), 0);
    assert_string_equal(c.audience, "staff");
    store_campaign_release(&c);
    /* another scope's campaign is not found */
    assert_int_equal(store_campaign_get(f->s, &(struct store_scope){STORE_SCOPE_PROGRAMME, org}, id, &c, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    /* closed: contributions and votes refused, nothing stored */
    struct store_contribution_input ci = {.body = "An idea", .secret = SECRET_A, .anonymous = true};
    assert_int_equal(store_contribution_add(f->s, &ORG, id, &ci, NOW, NULL, NULL, &err), -1);
    assert_string_equal(err.field, "campaign");
    assert_non_null(strstr(err.msg, "closed"));
    char *rows = raw_dump(f->path, "SELECT COUNT(*) FROM contributions");
    assert_string_equal(rows, "0\n");
    free(rows);
    /* length limits */
    int64_t open = open_campaign(f->s, true);
    char big[STORE_CONTRIBUTION_MAX + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ci.body = big;
    assert_int_equal(store_contribution_add(f->s, &ORG, open, &ci, NOW, NULL, NULL, &err), -1);
    assert_string_equal(err.field, "body");
    ci.body = "ok";
    ci.secret = "short";
    assert_int_equal(store_contribution_add(f->s, &ORG, open, &ci, NOW, NULL, NULL, &err), -1);
    assert_string_equal(err.field, "contributor");
}

static void test_anonymity_in_the_tables(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t cid = open_campaign(f->s, true);
    const char *groups[] = {"patient", "eth-K"};
    assert_int_equal(store_participant_set(f->s, &ORG, cid, SECRET_A, groups, 2, &err), 0);
    int64_t a1, a2, n1;
    enum store_contribution_state st;
    struct store_contribution_input in = {.body = "First anonymous idea", .secret = SECRET_A, .anonymous = true};
    assert_int_equal(store_contribution_add(f->s, &ORG, cid, &in, NOW, &a1, &st, &err), 0);
    assert_int_equal(st, CONTRIB_QUEUED);
    in.body = "Second anonymous idea";
    assert_int_equal(store_contribution_add(f->s, &ORG, cid, &in, NOW + 7, &a2, &st, &err), 0);
    /* a signed-in member of staff, named */
    struct store_user u = {.id = 0, .username = "nurse", .display_name = "Nurse Jo"};
    char hash[SECRET_HASH_MAX] = "x";
    assert_int_equal(store_user_add(f->s, &tester, org, "nurse", "Nurse Jo", ROLE_MEMBER, hash, &u.id, &err), 0);
    struct store_contribution_input named = {.body = "Named idea", .secret = SECRET_B, .user = &u, .staff = true};
    assert_int_equal(store_contribution_add(f->s, &ORG, cid, &named, NOW, &n1, &st, &err), 0);
    assert_int_equal(st, CONTRIB_PUBLISHED);
    assert_int_equal(store_contribution_moderate(f->s, &tester, &ORG, cid, a1, true, "", &err), 0);
    assert_int_equal(store_vote(f->s, &ORG, cid, a1, SECRET_A, "agree", NOW, &err), 0);
    assert_int_equal(store_vote(f->s, &ORG, cid, n1, SECRET_A, "disagree", NOW, &err), 0);

    /* The anonymous rows: no user id, no name, the day only, and owners that differ. */
    char *rows = raw_dump(f->path,
                          "SELECT COALESCE('' || user_id, 'NULL') || '|' || author || '|' || owner || '|' || "
                          "created_at FROM contributions WHERE author = '' ORDER BY body");
    /* Random ids: no order of arrival (docs/privacy.md). Two in a row by chance: 1 in 2^52. */
    assert_true(a2 != a1 + 1 && n1 != a2 + 1);
    assert_true(a1 >= 1 && a1 <= STORE_ID_MAX && a2 >= 1 && a2 <= STORE_ID_MAX);
    char u1[16], o1[80], o2[80];
    long long t1, t2;
    char *nl = strchr(rows, '\n');
    assert_non_null(nl);
    assert_int_equal(sscanf(rows, "%15[^|]||%79[^|]|%lld", u1, o1, &t1), 3);
    assert_string_equal(u1, "NULL");
    assert_int_equal(sscanf(nl + 1, "%15[^|]||%79[^|]|%lld", u1, o2, &t2), 3);
    assert_string_equal(u1, "NULL");
    assert_int_equal(t1 % 86400, 0);
    assert_int_equal(t1, t2);
    assert_int_equal(strlen(o1), 64);
    assert_string_not_equal(o1, o2);
    free(rows);
    /* No value of any identifying column repeats across contributions, votes and participants, and
     * the secret appears nowhere, nor in the audit log. */
    char *all = raw_dump(f->path, "SELECT owner FROM contributions UNION ALL SELECT tally FROM contributions "
                                  "UNION ALL SELECT voter FROM votes UNION ALL SELECT token FROM participants");
    size_t lines = 0;
    for (char *p = all; (p = strchr(p, '\n')); p++)
        lines++;
    char *distinct = raw_dump(f->path, "SELECT COUNT(*) FROM (SELECT owner AS h FROM contributions UNION "
                                       "SELECT tally FROM contributions UNION "
                                       "SELECT voter FROM votes UNION SELECT token FROM participants) x");
    char want[32];
    snprintf(want, sizeof want, "%zu\n", lines);
    assert_string_equal(distinct, want);
    free(all);
    free(distinct);
    /* The groups a contribution counts under are kept masked: 64 hex digits that differ between one
     * person's two contributions with the same groups, and never show a group's code. */
    char *masks = raw_dump(f->path, "SELECT tally FROM contributions ORDER BY id");
    assert_int_equal(strlen(masks), 3 * 65);
    for (size_t i = 0; i < 3 * 65; i++)
        assert_true(i % 65 == 64 ? masks[i] == '\n' : strchr("0123456789abcdef", masks[i]) != NULL);
    assert_memory_not_equal(masks, masks + 65, 64);
    free(masks);
    char *audit = raw_dump(f->path, "SELECT actor || ' ' || COALESCE(after, '') FROM audit");
    assert_null(strstr(audit, SECRET_A));
    assert_null(strstr(audit, SECRET_B));
    /* Anonymous arrivals are counted by day, not audited: no row names them or their text. */
    assert_null(strstr(audit, "anonymous idea"));
    assert_non_null(strstr(audit, "Named idea"));
    free(audit);
    char ids[128];
    snprintf(ids, sizeof ids, "SELECT COUNT(*) FROM audit WHERE entity_id IN (%lld, %lld)", (long long)a1,
             (long long)a2);
    char *rows_a = raw_dump(f->path, ids);
    assert_string_equal(rows_a, "1\n"); /* the moderator's approval of a1, made by a named person */
    free(rows_a);
    char *arrivals = raw_dump(f->path, "SELECT kind || ' ' || n || ' ' || (day % 86400) FROM arrivals");
    assert_string_equal(arrivals, "idea 2 0\n");
    free(arrivals);
    char *parts = raw_dump(f->path, "SELECT groups FROM participants ORDER BY groups");
    assert_string_equal(parts, "\npatient,eth-K\n");
    free(parts);

    /* Only the secret finds its own and withdraws them. */
    struct store_contribution_list mine;
    assert_int_equal(store_contribution_mine(f->s, &ORG, cid, SECRET_A, &mine, &err), 0);
    assert_int_equal(mine.n, 2);
    assert_true(mine.items[0].anonymous);
    assert_string_equal(mine.items[0].author, "");
    store_contribution_list_release(&mine);
    assert_int_equal(store_contribution_withdraw(f->s, &ORG, cid, a2, SECRET_B, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    assert_int_equal(store_contribution_withdraw(f->s, &ORG, cid, a2, SECRET_A, &err), 0);
    assert_int_equal(store_contribution_mine(f->s, &ORG, cid, SECRET_A, &mine, &err), 0);
    assert_int_equal(mine.items[mine.items[0].id == a2 ? 0 : 1].state, CONTRIB_WITHDRAWN);
    store_contribution_list_release(&mine);
    arrivals = raw_dump(f->path, "SELECT kind || ' ' || n FROM arrivals ORDER BY kind");
    assert_string_equal(arrivals, "idea 2\nwithdrawal 1\n");
    free(arrivals);

    /* Who has been heard: eth-K is one person, shown suppressed. */
    struct store_heard_list h;
    int64_t np, nc;
    assert_int_equal(store_campaign_heard(f->s, &ORG, cid, &h, &np, &nc, &err), 0);
    assert_int_equal(np, 2);
    assert_int_equal(nc, 2);
    bool saw = false;
    for (size_t i = 0; i < h.n; i++)
        if (strcmp(h.items[i].code, "eth-K") == 0) {
            saw = true;
            assert_int_equal(h.items[i].participants, 1);
            assert_int_equal(h.items[i].contributions, 1); /* the withdrawn one no longer counts */
        }
    assert_true(saw);
    store_heard_list_release(&h);
    char buf[32];
    assert_string_equal(store_count_text(3, buf, sizeof buf), "fewer than 5");
    assert_string_equal(store_count_text(0, buf, sizeof buf), "0");
    assert_string_equal(store_count_text(5, buf, sizeof buf), "5");
}

/* The group's counts in the report: contributions, then participants. */
static void heard_of(struct store *s, int64_t cid, const char *code, int64_t *contributions, int64_t *participants)
{
    struct purpose_err err = {0};
    struct store_heard_list h;
    assert_int_equal(store_campaign_heard(s, &ORG, cid, &h, NULL, NULL, &err), 0);
    *contributions = *participants = 0;
    for (size_t i = 0; i < h.n; i++)
        if (strcmp(h.items[i].code, code) == 0) {
            *contributions = h.items[i].contributions;
            *participants = h.items[i].participants;
        }
    store_heard_list_release(&h);
}

/* A hidden or withdrawn contribution leaves its groups' counts; a queued one is not in them yet; a
 * contribution counts under the groups its author had when they made it, so a later change of groups
 * moves no contribution and nothing goes below zero. */
static void test_hidden_leaves_group_counts(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t cid = open_campaign(f->s, true), a1, a2, b1, nc, np;
    const char *ga[] = {"carer", "eth-K"}, *gb[] = {"carer"};
    assert_int_equal(store_participant_set(f->s, &ORG, cid, SECRET_A, ga, 2, &err), 0);
    assert_int_equal(store_participant_set(f->s, &ORG, cid, SECRET_B, gb, 1, &err), 0);
    struct store_contribution_input in = {.body = "One", .secret = SECRET_A, .anonymous = true};
    assert_int_equal(store_contribution_add(f->s, &ORG, cid, &in, NOW, &a1, NULL, &err), 0);
    in.body = "Two";
    assert_int_equal(store_contribution_add(f->s, &ORG, cid, &in, NOW, &a2, NULL, &err), 0);
    in.body = "Three";
    in.secret = SECRET_B;
    assert_int_equal(store_contribution_add(f->s, &ORG, cid, &in, NOW, &b1, NULL, &err), 0);
    heard_of(f->s, cid, "carer", &nc, &np);
    assert_int_equal(nc, 0); /* queued: not published yet */
    assert_int_equal(np, 2);
    for (int64_t *id = (int64_t[]){a1, a2, b1, 0}; *id; id++)
        assert_int_equal(store_contribution_moderate(f->s, &tester, &ORG, cid, *id, true, "", &err), 0);
    heard_of(f->s, cid, "carer", &nc, &np);
    assert_int_equal(nc, 3);
    heard_of(f->s, cid, "eth-K", &nc, &np);
    assert_int_equal(nc, 2);
    /* hidden: out of both of its author's groups; published again: back */
    assert_int_equal(store_contribution_moderate(f->s, &tester, &ORG, cid, a1, false, "Abusive", &err), 0);
    assert_int_equal(store_contribution_moderate(f->s, &tester, &ORG, cid, a1, false, "Still abusive", &err), 0);
    heard_of(f->s, cid, "carer", &nc, &np);
    assert_int_equal(nc, 2);
    heard_of(f->s, cid, "eth-K", &nc, &np);
    assert_int_equal(nc, 1);
    assert_int_equal(store_contribution_moderate(f->s, &tester, &ORG, cid, a1, true, "", &err), 0);
    heard_of(f->s, cid, "eth-K", &nc, &np);
    assert_int_equal(nc, 2);
    /* A now describes themselves differently: their contributions keep the groups they were made under */
    const char *ga2[] = {"staff"};
    assert_int_equal(store_participant_set(f->s, &ORG, cid, SECRET_A, ga2, 1, &err), 0);
    heard_of(f->s, cid, "eth-K", &nc, &np);
    assert_int_equal(nc, 2);
    assert_int_equal(np, 0);
    assert_int_equal(store_contribution_withdraw(f->s, &ORG, cid, a2, SECRET_A, &err), 0);
    assert_int_equal(store_contribution_moderate(f->s, &tester, &ORG, cid, a1, false, "Abusive", &err), 0);
    assert_int_equal(store_contribution_withdraw(f->s, &ORG, cid, a1, SECRET_A, &err), 0);
    heard_of(f->s, cid, "eth-K", &nc, &np);
    assert_int_equal(nc, 0);
    heard_of(f->s, cid, "carer", &nc, &np);
    assert_int_equal(nc, 1);
    heard_of(f->s, cid, "staff", &nc, &np);
    assert_int_equal(nc, 0);
    assert_int_equal(np, 1);
    char *rows = raw_dump(f->path, "SELECT MIN(contributions) FROM campaign_tally");
    assert_string_equal(rows, "0\n");
    free(rows);
}

static void test_votes_and_moderation(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t cid = open_campaign(f->s, true), idea, comment;
    struct store_contribution_input in = {.body = "<script>x</script> staff idea", .secret = SECRET_A,
                                          .staff = true, .anonymous = true};
    assert_int_equal(store_contribution_add(f->s, &ORG, cid, &in, NOW, &idea, NULL, &err), 0);
    struct store_contribution_input cm = {.parent_id = idea, .body = "A comment", .secret = SECRET_B,
                                          .staff = true, .anonymous = true};
    assert_int_equal(store_contribution_add(f->s, &ORG, cid, &cm, NOW, &comment, NULL, &err), 0);
    assert_int_equal(store_vote(f->s, &ORG, cid, idea, SECRET_B, "agree", NOW, &err), 0);
    assert_int_equal(store_vote(f->s, &ORG, cid, idea, SECRET_B, "disagree", NOW, &err), 0);
    assert_int_equal(store_vote(f->s, &ORG, cid, idea, SECRET_A, "maybe", NOW, &err), -1);
    assert_string_equal(err.field, "vote");
    char v[16];
    assert_int_equal(store_vote_get(f->s, &ORG, cid, idea, SECRET_B, v, &err), 0);
    assert_string_equal(v, "disagree");
    struct store_contribution_list l;
    assert_int_equal(store_contribution_list(f->s, &ORG, cid, true, 0, &l, &err), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].agree, 0);
    assert_int_equal(l.items[0].disagree, 1);
    assert_int_equal(l.items[0].comments, 1);
    assert_string_equal(l.items[0].body, "<script>x</script> staff idea"); /* stored as text, escaped on output */
    store_contribution_list_release(&l);
    /* hiding needs a reason, is audited, and takes it out of public lists */
    assert_int_equal(store_contribution_moderate(f->s, &tester, &ORG, cid, idea, false, "", &err), -1);
    assert_string_equal(err.field, "reason");
    assert_int_equal(store_contribution_moderate(f->s, &tester, &ORG, cid, idea, false, "Abusive", &err), 0);
    assert_int_equal(store_contribution_list(f->s, &ORG, cid, true, -1, &l, &err), 1 - 1);
    for (size_t i = 0; i < l.n; i++)
        assert_int_not_equal(l.items[i].id, idea);
    store_contribution_list_release(&l);
    assert_int_equal(store_vote(f->s, &ORG, cid, idea, SECRET_A, "agree", NOW, &err), -1);
    struct store_audit_list al;
    assert_int_equal(store_audit_list(f->s, 0, 1, &al, &err), 0);
    assert_string_equal(al.items[0].action, "hide");
    assert_non_null(strstr(al.items[0].after, "Abusive"));
    store_audit_list_release(&al);
    struct store_contribution c = {.agree = 3, .disagree = 3};
    assert_true(store_division(&c) > 0.99);
    c.disagree = 0;
    assert_true(store_division(&c) < 0.01);
    assert_true(store_agreement(&c) > 0.99);
}

static void test_provenance(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t cid = open_campaign(f->s, false), a, b;
    const char *g[] = {"carer"};
    assert_int_equal(store_participant_set(f->s, &ORG, cid, SECRET_A, g, 1, &err), 0);
    struct store_contribution_input in = {.body = "Kindness first", .secret = SECRET_A, .anonymous = true};
    assert_int_equal(store_contribution_add(f->s, &ORG, cid, &in, NOW, &a, NULL, &err), 0);
    in.body = "Faster handovers";
    in.secret = SECRET_B;
    assert_int_equal(store_contribution_add(f->s, &ORG, cid, &in, NOW, &b, NULL, &err), 0);
    int64_t ids[] = {a, b};
    /* no vision yet: nothing to link to */
    assert_int_equal(store_provenance_link(f->s, &tester, ORG, "vision", ids, 2, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    assert_int_equal(store_statement_set(f->s, &tester, ORG, "vision", "Kind, fast care", &err), 0);
    assert_int_equal(store_provenance_link(f->s, &tester, ORG, "vision", ids, 2, &err), 0);
    struct store_provenance p;
    struct store_contribution_list l;
    assert_int_equal(store_provenance_get(f->s, ORG, "vision", &p, &l, &err), 0);
    assert_int_equal(p.contributions, 2);
    assert_int_equal(p.people, 2);
    assert_int_equal(p.groups, 1);
    store_contribution_list_release(&l);
    assert_true(p.counted_at > 0);
    /* a hidden one leaves the list, not the numbers counted at publishing; a new version starts
     * with none */
    assert_int_equal(store_contribution_moderate(f->s, &tester, &ORG, cid, a, false, "Off topic", &err), 0);
    assert_int_equal(store_provenance_get(f->s, ORG, "vision", &p, &l, &err), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(p.contributions, 2);
    assert_int_equal(p.people, 2);
    store_contribution_list_release(&l);
    assert_int_equal(store_provenance_link(f->s, &tester, ORG, "vision", ids, 2, &err), -1);
    assert_string_equal(err.field, "contribution_ids");
    assert_int_equal(store_statement_set(f->s, &tester, ORG, "vision", "Version two", &err), 0);
    assert_int_equal(store_provenance_get(f->s, ORG, "vision", &p, &l, &err), 0);
    assert_int_equal(p.contributions, 0);
    store_contribution_list_release(&l);

    /* A lead finds contributions by words (any case) and theme, and publishes a version with them. */
    assert_int_equal(store_contribution_tag(f->s, &tester, &ORG, cid, b, "Flow", &err), 0);
    bool more;
    assert_int_equal(store_provenance_candidates(f->s, ORG, "HANDOVERS", "", &l, &more, &err), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].id, b);
    assert_false(more);
    store_contribution_list_release(&l);
    assert_int_equal(store_provenance_candidates(f->s, ORG, "", "Flow", &l, &more, &err), 0);
    assert_int_equal(l.n, 1);
    store_contribution_list_release(&l);
    assert_int_equal(store_provenance_candidates(f->s, ORG, "100%", "", &l, &more, &err), 0);
    assert_int_equal(l.n, 0); /* % is a character, not a wildcard */
    store_contribution_list_release(&l);
    char themes[4][STORE_TITLE_MAX + 1];
    size_t nt;
    assert_int_equal(store_provenance_themes(f->s, ORG, themes, 4, &nt, &err), 0);
    assert_int_equal(nt, 1);
    assert_string_equal(themes[0], "Flow");
    assert_int_equal(store_statement_publish(f->s, &tester, ORG, "vision", "Version three", &b, 1, &err), 0);
    assert_int_equal(store_provenance_get(f->s, ORG, "vision", &p, &l, &err), 0);
    assert_int_equal(p.contributions, 1);
    assert_int_equal(p.groups, 0); /* b's author described no group */
    store_contribution_list_release(&l);
    /* another scope's contribution: refused, and the version is not published either */
    int64_t prog;
    assert_int_equal(store_programme_add(f->s, &tester, "prog", "A programme", "", &prog, &err), 0);
    struct store_campaign_input pin = {.question = "Q?", .audience = "all", .privacy = "p", .opens_at = NOW - 10,
                                       .closes_at = NOW + 10};
    int64_t pc, other;
    assert_int_equal(store_campaign_add(f->s, &tester, &(struct store_scope){STORE_SCOPE_PROGRAMME, prog}, &pin, &pc, &err), 0);
    in.body = "Elsewhere";
    assert_int_equal(store_contribution_add(f->s, &(struct store_scope){STORE_SCOPE_PROGRAMME, prog}, pc, &in, NOW, &other, NULL, &err), 0);
    int64_t mixed[] = {b, other};
    assert_int_equal(store_statement_publish(f->s, &tester, ORG, "vision", "Version four", mixed, 2, &err), -1);
    assert_string_equal(err.field, "contribution_ids");
    struct store_statement cur;
    assert_int_equal(store_statement_current(f->s, ORG, "vision", &cur, &err), 0);
    assert_string_equal(cur.text, "Version three");
    store_statement_release(&cur);
}

static char *snapshot(const char *path)
{
    return raw_dump(path, "SELECT 'c' || id || state || owner || tally || theme FROM contributions UNION ALL "
                          "SELECT 'v' || contribution_id || voter || vote FROM votes UNION ALL "
                          "SELECT 'p' || token || groups FROM participants UNION ALL "
                          "SELECT 't' || grp || participants || '/' || contributions FROM campaign_tally UNION ALL "
                          "SELECT 's' || statement_id || '/' || contribution_id FROM statement_sources UNION ALL "
                          "SELECT 'a' || COUNT(*) FROM audit UNION ALL SELECT 'k' || COUNT(*) FROM campaigns UNION ALL "
                          "SELECT 'v' || COUNT(*) FROM statements");
}

static int do_write(struct store *s, int which, int64_t cid, int64_t idea, struct purpose_err *err)
{
    struct store_contribution_input in = {.body = "Faulty idea", .secret = SECRET_A, .anonymous = true};
    const char *g[] = {"carer"};
    struct store_campaign_input ci = {.question = "Q2", .audience = "public", .privacy = "p", .opens_at = 1,
                                      .closes_at = 2};
    switch (which) {
    case 0: return store_contribution_add(s, &ORG, cid, &in, NOW, NULL, NULL, err);
    case 1: return store_vote(s, &ORG, cid, idea, SECRET_B, "agree", NOW, err);
    case 2: return store_participant_set(s, &ORG, cid, SECRET_B, g, 1, err);
    case 3: return store_contribution_tag(s, &tester, &ORG, cid, idea, "Safety", err);
    case 4: return store_provenance_link(s, &tester, ORG, "vision", &idea, 1, err);
    case 5: return store_statement_publish(s, &tester, ORG, "vision", "A new vision", &idea, 1, err);
    case 6: return store_contribution_moderate(s, &tester, &ORG, cid, idea, false, "Off topic", err);
    case 7: return store_contribution_withdraw(s, &ORG, cid, idea, SECRET_A, err);
    case 8: return store_campaign_add(s, &tester, &ORG, &ci, NULL, err);
    default: return -2;
    }
}

/* do_write and snapshot in fault_sweep's terms (ids: the conversation and the item). */
static int write_at(struct store *s, int which, void *ids, struct purpose_err *err)
{
    const int64_t *id = ids;
    return do_write(s, which, id[0], id[1], err);
}

static char *snapshot_of(struct store *s, const char *path)
{
    (void)s;
    return snapshot(path);
}

static void test_failed_write_changes_nothing(void **state)
{
    struct fixture *f = *state;
    struct purpose_err e0 = {0};
    int64_t cid = open_campaign(f->s, false), idea;
    struct store_contribution_input in = {.body = "An idea", .secret = SECRET_A, .anonymous = true};
    assert_int_equal(store_contribution_add(f->s, &ORG, cid, &in, NOW, &idea, NULL, &e0), 0);
    assert_int_equal(store_statement_set(f->s, &tester, ORG, "vision", "A vision", &e0), 0);
    int64_t ids[2] = {cid, idea};
    fault_sweep(f->s, f->path, 9, 99, write_at, ids, snapshot_of);
}

/* A database from before the arrivals table: its audit rows for anonymous arrivals (each with its
 * second, id and text) become daily counts and go; every other row stays. */
static void test_legacy_anonymous_audit_rows_become_counts(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t cid = open_campaign(f->s, false), anon = 0, named = 0, uid = 0;
    struct store_contribution_input in = {.body = "Old anonymous idea", .secret = SECRET_A, .anonymous = true};
    assert_int_equal(store_contribution_add(f->s, &ORG, cid, &in, NOW, &anon, NULL, &err), 0);
    assert_int_equal(store_user_add(f->s, &tester, org, "nurse", "Nurse Jo", ROLE_MEMBER, "x", &uid, &err), 0);
    struct store_user u = {.id = uid, .username = "nurse", .display_name = "Nurse Jo"};
    struct store_contribution_input nin = {.body = "Old named idea", .secret = SECRET_B, .user = &u, .staff = true};
    assert_int_equal(store_contribution_add(f->s, &ORG, cid, &nin, NOW, &named, NULL, &err), 0);
    store_close(&f->s);
    char sql[600];
    snprintf(sql, sizeof sql,
             "DELETE FROM arrivals;"
             "INSERT INTO audit(at, actor, action, entity, entity_id, before, after) VALUES"
             "(%d, 'anonymous', 'create', 'contribution', %lld, NULL, '{\"body\": \"Old anonymous idea\"}'),"
             "(%d, 'anonymous', 'withdraw', 'contribution', %lld, NULL, NULL);",
             NOW + 5, (long long)anon, NOW + 70, (long long)anon);
    assert_int_equal(raw_exec(f->path, sql), 0);
    char *before = raw_dump(f->path, "SELECT COUNT(*) FROM audit");
    /* The migration under test, run again on rows as older versions wrote them (whatever
     * migrations were appended after it). */
    struct db *db;
    struct db_conn *c;
    assert_int_equal(db_open(f->path, &db, &err), 0);
    assert_int_equal(db_acquire(db, true, &c, &err), 0);
    assert_int_equal(store_legacy_arrivals_rerun(c, &err), 0);
    db_release(c);
    db_close(&db);
    assert_int_equal(fixture_store_open(f->path, &f->s, &err), 0);
    char *after = raw_dump(f->path, "SELECT COUNT(*) FROM audit");
    assert_int_equal(strtoll(before, NULL, 10) - 2, strtoll(after, NULL, 10));
    char *left = raw_dump(f->path, "SELECT COALESCE(after, '') FROM audit WHERE entity = 'contribution'");
    assert_null(strstr(left, "Old anonymous idea"));
    assert_non_null(strstr(left, "Old named idea"));
    char *counts = raw_dump(f->path, "SELECT kind || ' ' || n || ' ' || (day % 86400) FROM arrivals ORDER BY kind");
    assert_string_equal(counts, "idea 1 0\nwithdrawal 1 0\n");
    /* The guard is back. */
    assert_int_not_equal(raw_exec(f->path, "DELETE FROM audit"), 0);
    free(before);
    free(after);
    free(left);
    free(counts);
}

int main(void)
{
    struct purpose_err err;
    if (secret_init(&err) < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_campaigns_validate_and_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anonymity_in_the_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hidden_leaves_group_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_votes_and_moderation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_provenance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legacy_anonymous_audit_rows_become_counts, setup, teardown),
    };
    return run_on_both_engines("campaigns", tests);
}
