/* Every co-design store function that names a conversation takes the scope it is used in and
 * enforces it in its SQL (issue 18): called with another organisation's scope, or with a
 * programme's, each read finds nothing and each write is NOT_FOUND and changes nothing, whatever
 * the caller checked before. On both engines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/secret.h"
#include "db/db.h"
#include "store/store.h"
#include "store/annotations.h"
#include "store/pulses.h"
#include "store/handovers_run.h"
#include "store/wellled.h"
#define STORE_FIXTURE_ONE_ORGANISATION
#include "store_fixture.h"
#include "core/banned.h"

#define SECRET_A "contributor-secret-aaaaaaaaaaaaaaaa"
#define SECRET_B "contributor-secret-bbbbbbbbbbbbbbbb"
#define NOW 1800000000
#define OK(x)                                                                                          \
    do {                                                                                               \
        if ((x) != 0)                                                                                  \
            fail_msg("%s", err.msg);                                                                   \
    } while (0)

/* Everything a co-design write could change, as text. */
static char *snapshot(const char *path)
{
    return raw_dump(path, "SELECT 'c' || id || state || owner || tally || theme FROM contributions UNION ALL "
                          "SELECT 'v' || contribution_id || voter || vote || opinion FROM votes UNION ALL "
                          "SELECT 'o' || campaign_id || '/' || since FROM campaign_opinions UNION ALL "
                          "SELECT 'p' || token || groups FROM participants UNION ALL "
                          "SELECT 't' || grp || participants || '/' || contributions FROM campaign_tally UNION ALL "
                          "SELECT 'r' || contribution_id || state FROM idea_responses UNION ALL "
                          "SELECT 'a' || COUNT(*) FROM audit UNION ALL SELECT 'n' || COUNT(*) FROM arrivals");
}

/* A wrong scope's write: -1 with NOT_FOUND. */
#define NOT_FOUND(x)                                                                                   \
    do {                                                                                               \
        memset(&err, 0, sizeof err);                                                                   \
        assert_int_equal((x), -1);                                                                     \
        assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);                                             \
    } while (0)

static void test_wrong_scope_finds_nothing(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t other = 0, prog = 0;
    OK(store_org_add(f->s, &tester, "other", "Another Trust", "nhs_trust", "", &other, &err));
    OK(store_programme_add(f->s, &tester, "region", "A region", "d", &prog, &err));
    OK(store_programme_partner_set(f->s, &tester, prog, org, true, &err));
    const struct store_scope mine = ORG, theirs = {STORE_SCOPE_ORG, other}, region = {STORE_SCOPE_PROGRAMME, prog};
    struct store_campaign_input ci = {.question = "What matters?", .audience = "all", .privacy = "p",
                                      .opens_at = NOW - 1000, .closes_at = NOW + 1000, .queue_public = true};
    int64_t cid = 0, idea = 0, queued = 0, comment = 0, ev = 0;
    OK(store_campaign_add(f->s, &tester, &mine, &ci, &cid, &err));
    struct store_contribution_input in = {.body = "Open the lounge at weekends", .secret = SECRET_A,
                                          .anonymous = true, .staff = true};
    OK(store_contribution_add(f->s, &mine, cid, &in, NOW, &idea, NULL, &err));
    struct store_contribution_input q = {.body = "Waiting for a moderator", .secret = SECRET_B, .anonymous = true};
    OK(store_contribution_add(f->s, &mine, cid, &q, NOW, &queued, NULL, &err));
    struct store_contribution_input cm = {.parent_id = idea, .body = "Yes", .secret = SECRET_B, .anonymous = true,
                                          .staff = true};
    OK(store_contribution_add(f->s, &mine, cid, &cm, NOW, &comment, NULL, &err));
    OK(store_contribution_tag(f->s, &tester, &mine, cid, idea, "Flow", &err));
    /* Opinion groups on, so that the vote keeps a pseudonym a wrong scope's "off" would clear. */
    OK(store_opinions_set(f->s, &tester, &mine, cid, true, NOW, &err));
    OK(store_vote(f->s, &mine, cid, idea, SECRET_B, "agree", NOW, &err));
    const char *g[] = {"carer"};
    OK(store_participant_set(f->s, &mine, cid, SECRET_A, g, 1, &err));
    struct store_event_input ei = {.title = "Drop-in", .format = "drop-in", .place = "Atrium", .held_on = NOW - 86400,
                                   .attendees = 10};
    OK(store_event_add(f->s, &tester, &mine, cid, &ei, &ev, &err));

    /* The right scope sees it all. */
    struct store_contribution_list l = {0};
    OK(store_contribution_list(f->s, &mine, cid, false, -1, &l, &err));
    assert_int_equal(l.n, 3);
    store_contribution_list_release(&l);

    char *before = snapshot(f->path);
    const struct store_scope *wrong[] = {&theirs, &region};
    for (size_t w = 0; w < 2; w++) {
        const struct store_scope *sc = wrong[w];
        /* Writes: NOT_FOUND, nothing changed. */
        NOT_FOUND(store_contribution_add(f->s, sc, cid, &in, NOW, NULL, NULL, &err));
        NOT_FOUND(store_contribution_moderate(f->s, &tester, sc, cid, queued, true, "", &err));
        NOT_FOUND(store_contribution_moderate(f->s, &tester, sc, cid, idea, false, "Off topic", &err));
        NOT_FOUND(store_contribution_withdraw(f->s, sc, cid, idea, SECRET_A, &err));
        NOT_FOUND(store_contribution_tag(f->s, &tester, sc, cid, idea, "Elsewhere", &err));
        NOT_FOUND(store_vote(f->s, sc, cid, idea, SECRET_A, "disagree", NOW, &err));
        NOT_FOUND(store_vote_by(f->s, sc, cid, idea, SECRET_A, 7, "unsure", NOW, &err));
        NOT_FOUND(store_participant_set(f->s, sc, cid, SECRET_B, g, 1, &err));
        struct store_vote_in vin = {idea, SECRET_A, "disagree"};
        NOT_FOUND(store_votes_load(f->s, sc, cid, &vin, 1, &err));
        struct store_idea_in ii = {.body = "Loaded elsewhere", .day = NOW};
        NOT_FOUND(store_ideas_load(f->s, &tester, sc, cid, &ii, 1, &err));
        struct store_response_input ri = {.state = "not_taken_forward", .reason = "No"};
        assert_int_equal(store_response_set(f->s, &tester, sc, cid, idea, &ri, NOW, &err), -1);
        /* Reads: nothing. */
        struct store_contribution x = {0};
        NOT_FOUND(store_contribution_get(f->s, sc, cid, idea, &x, &err));
        OK(store_contribution_list(f->s, sc, cid, false, -1, &l, &err));
        assert_int_equal(l.n, 0);
        OK(store_contribution_queue(f->s, sc, cid, &l, &err));
        assert_int_equal(l.n, 0);
        OK(store_contribution_mine(f->s, sc, cid, SECRET_A, &l, &err));
        assert_int_equal(l.n, 0);
        bool more = true;
        OK(store_contributions_first(f->s, sc, cid, 10, &l, &more, &err));
        assert_int_equal(l.n, 0);
        assert_false(more);
        OK(store_idea_comments(f->s, sc, cid, idea, 10, &l, &err));
        assert_int_equal(l.n, 0);
        struct store_idea_page p;
        OK(store_ideas_page(f->s, sc, cid, &(struct store_idea_query){0}, &p, &err));
        assert_int_equal(p.ideas.n + (size_t)p.total, 0);
        store_idea_page_release(&p);
        OK(store_ideas_get(f->s, sc, cid, &idea, 1, &p, &err));
        assert_int_equal(p.ideas.n, 0);
        store_idea_page_release(&p);
        struct store_idea_themes th;
        OK(store_idea_themes(f->s, sc, cid, &th, &err));
        assert_int_equal(th.n, 0);
        store_idea_themes_release(&th);
        char v[16] = "x";
        OK(store_vote_get(f->s, sc, cid, idea, SECRET_B, v, &err));
        assert_string_equal(v, "");
        struct store_contribution_list one = {.items = &x, .n = 1};
        x.id = idea;
        char vs[1][16] = {"x"};
        OK(store_votes_of(f->s, sc, cid, &one, SECRET_B, 0, vs, &err));
        assert_string_equal(vs[0], "");
        char groups[64] = "x";
        NOT_FOUND(store_participant_groups(f->s, sc, cid, SECRET_A, groups, sizeof groups, &err));
        assert_string_equal(groups, "");
        struct store_heard_list hl;
        NOT_FOUND(store_campaign_heard(f->s, sc, cid, &hl, NULL, NULL, &err));
        int64_t responded = 1, ideas = 1;
        OK(store_response_counts(f->s, sc, cid, &responded, &ideas, &err));
        assert_int_equal(responded + ideas, 0);
        struct store_conversation_totals t;
        OK(store_conversation_totals(f->s, sc, cid, &t, &err));
        assert_int_equal(t.ideas + t.comments + t.votes, 0);
        struct store_event_list el;
        OK(store_event_list(f->s, sc, cid, &el, &err));
        assert_int_equal(el.n, 0);
        store_event_list_release(&el);
        struct store_events_heard eh;
        OK(store_events_heard(f->s, sc, cid, &eh, &err));
        assert_int_equal(eh.events, 0);
        store_events_heard_release(&eh);
        char sug[4][32];
        size_t ns = 9;
        OK(store_theme_suggest(f->s, sc, cid, sug, 4, &ns, &err));
        assert_int_equal(ns, 0);
        /* Opinion groups (opinions.h): neither turned off nor on again, nor read, nor exported. */
        NOT_FOUND(store_opinions_set(f->s, &tester, sc, cid, false, NOW + 1, &err));
        NOT_FOUND(store_opinions_set(f->s, &tester, sc, cid, true, NOW + 1, &err));
        int64_t since = 1;
        NOT_FOUND(store_opinions_since(f->s, sc, cid, &since, &err));
        assert_int_equal(since, 0);
        struct buf comments, votes;
        buf_init(&comments, 1 << 20);
        buf_init(&votes, 1 << 20);
        NOT_FOUND(store_opinions_polis(f->s, sc, cid, &comments, &votes, &err));
        assert_int_equal(comments.len + votes.len, 0);
        buf_release(&comments);
        buf_release(&votes);
    }
    char *after = snapshot(f->path);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* A programme and its partners commit together: a partner that does not exist leaves no programme
 * and no partner behind; a good list makes both, each partner once. */
static void test_programme_with_partners(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t other = 0, prog = 0;
    OK(store_org_add(f->s, &tester, "other", "Another Trust", "nhs_trust", "", &other, &err));
    char *before = raw_dump(f->path, "SELECT 'p' || COUNT(*) FROM programmes UNION ALL "
                                     "SELECT 'q' || COUNT(*) FROM programme_partners UNION ALL "
                                     "SELECT 'a' || COUNT(*) FROM audit");
    const int64_t bad[] = {org, 987654321};
    assert_int_equal(store_programme_add_partners(f->s, &tester, "region", "A region", "", bad, 2, &prog, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
    assert_string_equal(err.field, "partners");
    char *after = raw_dump(f->path, "SELECT 'p' || COUNT(*) FROM programmes UNION ALL "
                                    "SELECT 'q' || COUNT(*) FROM programme_partners UNION ALL "
                                    "SELECT 'a' || COUNT(*) FROM audit");
    assert_string_equal(before, after);
    const int64_t good[] = {other, org, other};
    OK(store_programme_add_partners(f->s, &tester, "region", "A region", "", good, 3, &prog, &err));
    struct store_org_list ol = {0};
    OK(store_programme_partners(f->s, prog, &ol, &err));
    assert_int_equal(ol.n, 2);
    store_org_list_release(&ol);
    free(before);
    free(after);
}

/* A programme's own measures (issue 19) go by their programme: another programme, or an
 * organisation (even a partner), finds none of them, moves none and puts no point on one; and a
 * programme finds none of an organisation's measures. Nothing changes. */
static void test_programme_measures_scope(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t pa = 0, pb = 0, aim_a = 0, aim_b = 0, mp = 0, mo = 0;
    OK(store_programme_add(f->s, &tester, "region", "A region", "d", &pa, &err));
    OK(store_programme_add(f->s, &tester, "other-region", "Another region", "d", &pb, &err));
    OK(store_programme_partner_set(f->s, &tester, pa, org, true, &err));
    OK(store_aim_add(f->s, &tester, pa, "Every handover within 60 minutes", "d", 2027, &aim_a, &err));
    OK(store_aim_add(f->s, &tester, pb, "Fewer falls", "d", 2027, &aim_b, &err));
    const struct store_measure_input in = {.name = "Handovers within 30 minutes", .kind = "outcome", .unit = "",
                                           .direction = "increase"};
    OK(store_measure_add_to(f->s, &tester, &(struct store_scope){STORE_SCOPE_PROGRAMME, pa},
                            &(struct store_measure_owner){.aim_id = aim_a}, &in, &mp, &err));
    OK(store_measure_add_to(f->s, &tester, STORE_ORG_SCOPE(org), &(struct store_measure_owner){0}, &in, &mo, &err));
    const struct store_scope mine = {STORE_SCOPE_PROGRAMME, pa}, theirs = {STORE_SCOPE_PROGRAMME, pb}, home = ORG;
    json_t *pts = json_pack("[{s:s, s:f}, {s:s, s:f}]", "date", "2026-01-01", "value", 3.0, "date", "2026-01-02",
                            "value", 4.0);
    assert_non_null(pts);
    const char *tables = "SELECT 'm' || id || '/' || COALESCE(programme_id, 0) || '/' || COALESCE(aim_id, 0) || name "
                         "FROM measures UNION ALL SELECT 'v' || measure_id || day FROM measure_points UNION ALL "
                         "SELECT 'a' || COUNT(*) FROM audit";
    char *before = raw_dump(f->path, tables);
    struct store_measure m = {0};
    struct store_point_list pl = {0};
    struct store_rebase_list rl = {0};
    struct store_measure_list ml = {0};
    const struct store_scope *wrong[] = {&theirs, &home};
    for (size_t w = 0; w < 2; w++) {
        NOT_FOUND(store_measure_series(f->s, wrong[w], mp, &m, &pl, &rl, &err));
        NOT_FOUND(store_points_json_each(f->s, &tester, wrong[w], mp, pts, NULL, NULL, NULL, NULL, &err));
    }
    NOT_FOUND(store_measure_move(f->s, &tester, &theirs, mp, &(struct store_measure_owner){0}, &err));
    NOT_FOUND(store_measure_move(f->s, &tester, &mine, mo, &(struct store_measure_owner){0}, &err)); /* an organisation's, by a programme */
    NOT_FOUND(store_measure_series(f->s, &mine, mo, &m, &pl, &rl, &err));
    NOT_FOUND(store_points_json_each(f->s, &tester, &mine, mo, pts, NULL, NULL, NULL, NULL, &err));
    NOT_FOUND(store_measure_get(f->s, STORE_ORG_SCOPE(org), mp, &m, &err));
    assert_int_equal(
        store_measure_add_to(f->s, &tester, &theirs, &(struct store_measure_owner){.aim_id = aim_a}, &in, NULL, &err), -1); /* A's aim, in B */
    assert_string_equal(err.field, "owner");
    assert_int_equal(store_measure_move(f->s, &tester, &mine, mp, &(struct store_measure_owner){.aim_id = aim_b}, &err), -1);
    assert_string_equal(err.field, "owner");
    OK(store_measure_list(f->s, &theirs, 0, &ml, &err));
    assert_int_equal(ml.n, 0);
    OK(store_measure_list(f->s, STORE_ORG_SCOPE(org), 0, &ml, &err));
    for (size_t i = 0; i < ml.n; i++)
        assert_true(ml.items[i].id != mp);
    store_measure_list_release(&ml);
    char *after = raw_dump(f->path, tables);
    assert_string_equal(before, after);
    /* The right scope: found, moved, charted. */
    OK(store_points_json_each(f->s, &tester, &mine, mp, pts, NULL, NULL, NULL, NULL, &err));
    OK(store_measure_move(f->s, &tester, &mine, mp, &(struct store_measure_owner){0}, &err));
    OK(store_measure_series(f->s, &mine, mp, &m, &pl, &rl, &err));
    assert_int_equal(m.programme_id, pa);
    assert_int_equal(m.aim_id, 0);
    assert_int_equal(m.org_id, 0);
    assert_int_equal(pl.n, 2);
    store_measure_release(&m);
    store_point_list_release(&pl);
    store_rebase_list_release(&rl);
    OK(store_measure_list(f->s, &mine, 0, &ml, &err));
    assert_int_equal(ml.n, 1);
    store_measure_list_release(&ml);
    json_decref(pts);
    free(before);
    free(after);
}

/* Everything a write to improvement work could change, as text. */
static char *work_snapshot(const char *path)
{
    return raw_dump(path, "SELECT 'p' || id || org_id || title || status || score_x10 || COALESCE(approved_by, '-') "
                          "FROM projects UNION ALL "
                          "SELECT 'l' || project_id || COALESCE(ambition_id, 0) FROM project_links UNION ALL "
                          "SELECT 's' || project_id || score_x10 FROM project_scores UNION ALL "
                          "SELECT 'd' || id || project_id || COALESCE(parent_id, 0) || position || text FROM drivers "
                          "UNION ALL SELECT 'c' || id || change_id || title || act || end_date FROM pdsa_cycles UNION ALL "
                          "SELECT 'k' || id || project_id || problem || contact FROM case_studies UNION ALL "
                          "SELECT 'n' || id || measure_id || day || label FROM measure_annotations UNION ALL "
                          "SELECT 'r' || id || measure_id || day || reason FROM measure_rebases UNION ALL "
                          "SELECT 'a' || COUNT(*) FROM audit");
}

/* The improvement work's store functions (projects, driver diagrams, PDSA cycles, case studies,
 * annotations, rebases) with another organisation's scope or a
 * programme's: each read finds nothing, each write is NOT_FOUND and changes nothing. */
static void test_work_wrong_scope(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t other = 0, prog = 0, pid = 0;
    OK(store_org_add(f->s, &tester, "other", "Another Trust", "nhs_trust", "", &other, &err));
    OK(store_programme_add(f->s, &tester, "region", "A region", "d", &prog, &err));
    OK(store_programme_partner_set(f->s, &tester, prog, org, true, &err));
    const struct store_scope mine = ORG, theirs = {STORE_SCOPE_ORG, other}, region = {STORE_SCOPE_PROGRAMME, prog};
    struct store_project_input in = {.title = "Fewer falls", .aim = "Halve falls", .status = "complete",
                                     .start_date = "2025-04-01", .why_unaligned = "A regulator's ask", .score_x10 = 20};
    OK(store_project_add(f->s, &tester, &mine, &in, &pid, &err));
    struct store_project p = {0};
    OK(store_project_get(f->s, &mine, pid, &p, &err));
    store_project_release(&p);
    int64_t prim = 0, prim2 = 0, sec = 0, change = 0, cycle = 0;
    OK(store_driver_add(f->s, &tester, &mine, pid, 0, "Safe wards", &prim, &err));
    OK(store_driver_add(f->s, &tester, &mine, pid, 0, "Staffing", &prim2, &err));
    OK(store_driver_add(f->s, &tester, &mine, pid, prim, "Clear floors", &sec, &err));
    OK(store_driver_add(f->s, &tester, &mine, pid, sec, "Night checks", &change, &err));
    struct store_pdsa_input cy = {.title = "Checks on ward 7", .plan = "p", .prediction = "q", .do_notes = "",
                                  .study = "", .act = "", .start_date = "2025-05-01", .end_date = ""};
    OK(store_pdsa_add(f->s, &tester, &mine, change, &cy, &cycle, &err));
    struct store_case_input story = {"Falls at night", "Night checks", "Half the falls", "Ward 7"};
    int64_t story_id = 0;
    OK(store_case_publish(f->s, &tester, &mine, pid, &story, &story_id, &err));
    struct store_measure_input mi = {.name = "Falls", .kind = "outcome", .unit = "", .direction = "decrease"};
    int64_t mid = 0, note = 0;
    OK(store_measure_add(f->s, &tester, STORE_ORG_SCOPE(org), pid, &mi, &mid, &err));
    OK(store_annotation_add(f->s, &tester, &mine, mid, "2025-05-01", "Night checks began", &note, &err));
    const struct store_point pts[] = {{"2025-05-01", 4, false, 0}, {"2025-05-02", 5, false, 0}, {"2025-05-03", 3, false, 0}};
    OK(store_points_put(f->s, &tester, STORE_ORG_SCOPE(org), mid, pts, 3, &err));
    int64_t rebase = 0;
    OK(store_rebase_add(f->s, &tester, &mine, mid, "2025-05-02", "Night checks", &rebase, &err));

    char *before = work_snapshot(f->path);
    const struct store_scope *wrong[] = {&theirs, &region};
    for (size_t w = 0; w < 2; w++) {
        const struct store_scope *sc = wrong[w];
        struct store_project_input edit = in;
        edit.title = "Taken over";
        edit.score_x10 = 40;
        NOT_FOUND(store_project_update(f->s, &tester, sc, pid, &edit, &err));
        NOT_FOUND(store_project_approve(f->s, &tester, sc, pid, &err));
        NOT_FOUND(store_project_delete(f->s, &tester, sc, pid, &err));
        NOT_FOUND(store_project_get(f->s, sc, pid, &p, &err));
        struct store_project_list pl;
        OK(store_project_list(f->s, sc, NULL, &pl, &err));
        assert_int_equal(pl.n, 0);
        store_project_list_release(&pl);
        struct store_score_list sl;
        OK(store_project_scores(f->s, sc, pid, &sl, &err));
        assert_int_equal(sl.n, 0);
        store_score_list_release(&sl);
        /* Driver diagrams and PDSA cycles. */
        NOT_FOUND(store_driver_add(f->s, &tester, sc, pid, 0, "Elsewhere", NULL, &err));
        NOT_FOUND(store_driver_add(f->s, &tester, sc, pid, sec, "Elsewhere", NULL, &err));
        NOT_FOUND(store_driver_update(f->s, &tester, sc, sec, "Taken over", &err));
        NOT_FOUND(store_driver_move(f->s, &tester, sc, prim2, "up", &err));
        NOT_FOUND(store_driver_delete(f->s, &tester, sc, prim, &err));
        struct store_driver d;
        NOT_FOUND(store_driver_get(f->s, sc, change, &d, &err));
        struct store_driver_list dl;
        OK(store_driver_list(f->s, sc, pid, &dl, &err));
        assert_int_equal(dl.n, 0);
        store_driver_list_release(&dl);
        struct store_pdsa_input done = cy;
        done.act = "adopt";
        done.end_date = "2025-06-01";
        NOT_FOUND(store_pdsa_add(f->s, &tester, sc, change, &cy, NULL, &err));
        NOT_FOUND(store_pdsa_update(f->s, &tester, sc, cycle, &done, &err));
        NOT_FOUND(store_pdsa_delete(f->s, &tester, sc, cycle, &err));
        struct store_pdsa c;
        NOT_FOUND(store_pdsa_get(f->s, sc, cycle, &c, &err));
        struct store_pdsa_list cl;
        OK(store_pdsa_list(f->s, sc, pid, &cl, &err));
        assert_int_equal(cl.n, 0);
        store_pdsa_list_release(&cl);
        /* Case studies: the library reads every organisation's; publishing is the project's. */
        struct store_case_input other_story = story;
        other_story.contact = "Someone else";
        NOT_FOUND(store_case_publish(f->s, &tester, sc, pid, &other_story, NULL, &err));
        NOT_FOUND(store_case_unpublish(f->s, &tester, sc, story_id, &err));
        struct store_case k;
        NOT_FOUND(store_case_of_project(f->s, sc, pid, &k, &err));
        /* Annotations. */
        NOT_FOUND(store_annotation_add(f->s, &tester, sc, mid, "2025-06-01", "Elsewhere", NULL, &err));
        int64_t of = 1;
        NOT_FOUND(store_annotation_delete(f->s, &tester, sc, note, &of, &err));
        struct store_annotation_list al;
        OK(store_annotation_list(f->s, sc, mid, &al, &err));
        assert_int_equal(al.n, 0);
        store_annotation_list_release(&al);
        /* Rebases. */
        NOT_FOUND(store_rebase_add(f->s, &tester, sc, mid, "2025-05-03", "Elsewhere", NULL, &err));
        NOT_FOUND(store_rebase_delete(f->s, &tester, sc, rebase, &err));
        struct store_rebase_list rl;
        OK(store_rebase_list(f->s, sc, mid, &rl, &err));
        assert_int_equal(rl.n, 0);
        store_rebase_list_release(&rl);
        OK(store_annotation_list(f->s, sc, 0, &al, &err));
        assert_int_equal(al.n, 0);
        store_annotation_list_release(&al);
    }
    /* A project is its organisation's: a programme's scope makes none. */
    NOT_FOUND(store_project_add(f->s, &tester, &region, &in, NULL, &err));
    char *after = work_snapshot(f->path);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* The tables as they were (before) and are (after) are the same; frees both. */
static void assert_unchanged(char *before, char *after)
{
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* Another organisation, and a programme the fixture's organisation is a partner in: the wrong
 * scopes the tests below try (theirs, region) beside its own (mine). */
struct scopes {
    int64_t other, prog;
    struct store_scope mine, theirs, region;
};
static void scopes_make(struct fixture *f, struct scopes *sc)
{
    struct purpose_err err = {0};
    OK(store_org_add(f->s, &tester, "other", "Another Trust", "nhs_trust", "", &sc->other, &err));
    OK(store_programme_add(f->s, &tester, "region", "A region", "d", &sc->prog, &err));
    OK(store_programme_partner_set(f->s, &tester, sc->prog, org, true, &err));
    sc->mine = ORG;
    sc->theirs = (struct store_scope){STORE_SCOPE_ORG, sc->other};
    sc->region = (struct store_scope){STORE_SCOPE_PROGRAMME, sc->prog};
}

/* Values, themes, ambitions, the case-study library's lists and the programmes an organisation is
 * a partner in, with another organisation's scope or a programme's: each read finds nothing, each
 * write is NOT_FOUND and changes nothing. */
static void test_strategy_wrong_scope(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t vid = 0, tid = 0, aid = 0, pid = 0;
    struct scopes sp;
    scopes_make(f, &sp);
    const struct store_scope mine = sp.mine, theirs = sp.theirs, region = sp.region;
    OK(store_value_add(f->s, &tester, &mine, "Kindness", "d", &vid, &err));
    OK(store_theme_add(f->s, &tester, &mine, "Safe care", "d", &tid, &err));
    OK(store_ambition_add(f->s, &tester, &mine, tid, "No falls", "d", 2030, &aid, &err));
    struct store_project_input in = {.title = "Fewer falls", .aim = "Halve falls", .status = "complete",
                                     .start_date = "2025-04-01", .ambition_ids = &aid, .n_ambitions = 1, .score_x10 = 20};
    OK(store_project_add(f->s, &tester, &mine, &in, &pid, &err));
    struct store_case_input story = {"Falls at night", "Night checks", "Half the falls", "Ward 7"};
    OK(store_case_publish(f->s, &tester, &mine, pid, &story, NULL, &err));
    /* The right scope, and the installation, see it. */
    struct store_case_list cl;
    struct store_case_theme_list ctl;
    struct store_programme_list gl;
    OK(store_case_list(f->s, &mine, NULL, &cl, &err));
    assert_int_equal(cl.n, 1);
    store_case_list_release(&cl);
    OK(store_case_themes(f->s, NULL, &ctl, &err));
    assert_int_equal(ctl.n, 1);
    store_case_theme_list_release(&ctl);
    OK(store_programme_list(f->s, &mine, &gl, &err));
    assert_int_equal(gl.n, 1);
    store_programme_list_release(&gl);

    /* Everything a write to the strategy could change, as text. */
    const char *tables = "SELECT 'v' || id || org_id || position || name || description FROM org_values UNION ALL "
                         "SELECT 't' || id || org_id || position || title || description FROM themes UNION ALL "
                         "SELECT 'm' || id || theme_id || position || title || target_year FROM ambitions UNION ALL "
                         "SELECT 'a' || COUNT(*) FROM audit";
    char *before = raw_dump(f->path, tables);
    const struct store_scope *wrong[] = {&theirs, &region};
    for (size_t w = 0; w < 2; w++) {
        const struct store_scope *sc = wrong[w];
        NOT_FOUND(store_value_update(f->s, &tester, sc, vid, "Taken over", "", &err));
        NOT_FOUND(store_value_delete(f->s, &tester, sc, vid, &err));
        NOT_FOUND(store_theme_update(f->s, &tester, sc, tid, "Taken over", "", &err));
        NOT_FOUND(store_theme_delete(f->s, &tester, sc, tid, &err));
        NOT_FOUND(store_ambition_add(f->s, &tester, sc, tid, "Elsewhere", "", 2030, NULL, &err));
        NOT_FOUND(store_ambition_update(f->s, &tester, sc, aid, "Taken over", "", 2031, &err));
        NOT_FOUND(store_ambition_delete(f->s, &tester, sc, aid, &err));
        struct store_value v;
        NOT_FOUND(store_value_get(f->s, sc, vid, &v, &err));
        struct store_theme t;
        NOT_FOUND(store_theme_get(f->s, sc, tid, &t, &err));
        struct store_ambition a;
        NOT_FOUND(store_ambition_get(f->s, sc, aid, &a, &err));
        struct store_value_list vl; /* another organisation has its own (the NHS values), not ours */
        OK(store_value_list(f->s, sc, &vl, &err));
        for (size_t i = 0; i < vl.n; i++)
            assert_true(vl.items[i].id != vid);
        assert_int_equal(vl.n, sc == &region ? 0 : 6);
        store_value_list_release(&vl);
        struct store_theme_list tl;
        struct store_ambition_list al;
        OK(store_load_themes(f->s, sc, &tl, &al, &err));
        assert_int_equal(tl.n + al.n, 0);
        store_theme_list_release(&tl);
        store_ambition_list_release(&al);
        OK(store_ambition_list(f->s, sc, tid, &al, &err));
        assert_int_equal(al.n, 0);
        store_ambition_list_release(&al);
        OK(store_case_list(f->s, sc, NULL, &cl, &err));
        assert_int_equal(cl.n, 0);
        store_case_list_release(&cl);
        OK(store_case_themes(f->s, sc, &ctl, &err));
        assert_int_equal(ctl.n, 0);
        store_case_theme_list_release(&ctl);
        OK(store_programme_list(f->s, sc, &gl, &err));
        assert_int_equal(gl.n, 0);
        store_programme_list_release(&gl);
    }
    /* A programme has no values or themes of its own: none is made in its scope. */
    NOT_FOUND(store_value_add(f->s, &tester, &region, "Elsewhere", "", NULL, &err));
    NOT_FOUND(store_theme_add(f->s, &tester, &region, "Elsewhere", "", NULL, &err));
    assert_unchanged(before, raw_dump(f->path, tables));
}

/* Well-led ratings and evidence, and following a pulse's statement as a measure, with another
 * organisation's scope or a programme's: reads find nothing, writes change nothing. */
static void test_wellled_pulse_wrong_scope(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t pid = 0, pulse = 0;
    struct scopes sp;
    scopes_make(f, &sp);
    const struct store_scope mine = sp.mine, theirs = sp.theirs, region = sp.region;
    struct store_project_input pi = {.title = "Fewer falls", .aim = "Halve falls", .status = "active",
                                     .start_date = "2025-04-01", .why_unaligned = "A regulator's ask", .score_x10 = 20};
    OK(store_project_add(f->s, &tester, &mine, &pi, &pid, &err));
    struct store_wl_rating_input in = {"good", "We listen.", "Keep listening.", &pid, 1};
    OK(store_wl_rate(f->s, &tester, &mine, 3, &in, NULL, &err));
    const char *const statements[] = {"I feel listened to", "I would recommend this place", "I have what I need"};
    struct store_pulse_input pin = {.title = "Staff pulse", .audience = 100, .statements = statements,
                                    .nstatements = 3};
    OK(store_pulse_add(f->s, &tester, mine, &pin, &pulse, &err));
    struct store_pulse p;
    OK(store_pulse_get(f->s, mine, pulse, &p, &err));
    const int64_t statement = p.statements[0].id;
    store_pulse_release(&p);
    const char *tables = "SELECT 'w' || id || org_id || statement || rating FROM wellled_ratings UNION ALL "
                         "SELECT 'l' || rating_id || project_id FROM wellled_rating_projects UNION ALL "
                         "SELECT 'm' || id || name FROM measures UNION ALL "
                         "SELECT 'f' || measure_id || statement_id FROM pulse_measures UNION ALL "
                         "SELECT 'a' || COUNT(*) FROM audit";
    char *before = raw_dump(f->path, tables);
    struct store_wl_rating_list l;
    OK(store_wl_ratings(f->s, &theirs, 0, &l, &err));
    assert_int_equal(l.n, 0);
    store_wl_rating_list_release(&l);
    OK(store_wl_ratings(f->s, &region, 0, &l, &err));
    assert_int_equal(l.n, 0);
    store_wl_rating_list_release(&l);
    struct store_wl_evidence_list ev;
    NOT_FOUND(store_wl_evidence(f->s, &region, NOW, &ev, &err));
    NOT_FOUND(store_wl_rate(f->s, &tester, &region, 3, &in, NULL, &err));
    /* Another organisation rates its own statement, but not with this one's projects. */
    assert_int_equal(store_wl_rate(f->s, &tester, &theirs, 3, &in, NULL, &err), -1);
    assert_string_equal(err.field, "projects");
    NOT_FOUND(store_pulse_follow(f->s, &tester, &theirs, pulse, statement, 0, false, 0, NULL, &err));
    NOT_FOUND(store_pulse_follow(f->s, &tester, &region, pulse, statement, 0, false, 0, NULL, &err));
    assert_unchanged(before, raw_dump(f->path, tables));
    /* The right scope. */
    OK(store_wl_ratings(f->s, &mine, 0, &l, &err));
    assert_int_equal(l.n, 1);
    store_wl_rating_list_release(&l);
    OK(store_wl_evidence(f->s, &mine, NOW, &ev, &err));
    store_wl_evidence_list_release(&ev);
    OK(store_pulse_follow(f->s, &tester, &mine, pulse, statement, 0, false, 0, NULL, &err));
}

/* Handovers: an import, a site's code and a measure that follows the handovers, with another
 * organisation's scope or a programme's: NOT_FOUND, and nothing changes. */
static void test_handovers_wrong_scope(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t pid = 0, mid = 0, site = 0;
    struct scopes sp;
    scopes_make(f, &sp);
    const struct store_scope mine = sp.mine, theirs = sp.theirs, region = sp.region;
    struct store_ho_import *im = NULL;
    OK(store_ho_import_begin(f->s, &tester, &mine, "test.csv", &im, &err));
    const int64_t at = NOW * INT64_C(1000); /* instants in milliseconds */
    const struct ho_row row = {.site = "Front door", .site_len = 10, .ref = "", .site_code = "", .arrival = at,
                               .handover = at + 30 * HO_MINUTE_MS, .clear = at + 40 * HO_MINUTE_MS, .line = 2};
    OK(store_ho_import_row(im, &row, &err));
    struct store_ho_summary sum;
    OK(store_ho_import_end(&im, true, 0, &sum, &err));
    struct store_ho_site_list sl;
    OK(store_ho_sites(f->s, mine, &sl, &err));
    assert_int_equal(sl.n, 1);
    site = sl.items[0].id;
    store_ho_site_list_release(&sl);
    struct store_project_input pi = {.title = "Front door", .aim = "Quicker handovers", .status = "active",
                                     .start_date = "2023-01-01", .why_unaligned = "A pilot", .score_x10 = 20};
    OK(store_project_add(f->s, &tester, &mine, &pi, &pid, &err));
    struct store_hom_source src = {.scope = STORE_HOM_SITE, .scope_id = site, .metric = "hours_lost_15"};
    OK(store_hom_create(f->s, &tester, &mine, pid, &src, NULL, &mid, &err));
    const char *tables = "SELECT 's' || id || org_id || name || COALESCE(code, '-') FROM ho_sites UNION ALL "
                         "SELECT 'd' || site_id || day FROM ho_days UNION ALL "
                         "SELECT 'h' || measure_id || scope || scope_id FROM ho_measures UNION ALL "
                         "SELECT 'm' || id || name FROM measures UNION ALL SELECT 'a' || COUNT(*) FROM audit";
    char *before = raw_dump(f->path, tables);
    const struct store_scope *wrong[] = {&theirs, &region};
    for (size_t w = 0; w < 2; w++) {
        const struct store_scope *sc = wrong[w];
        NOT_FOUND(store_ho_site_code_set(f->s, &tester, sc, site, "RXX01", &err));
        NOT_FOUND(store_hom_create(f->s, &tester, sc, pid, &src, NULL, NULL, &err));
        struct store_hom_source got;
        NOT_FOUND(store_hom_source_get(f->s, sc, mid, &got, &err));
    }
    /* A programme's scope imports nothing: there is no organisation to store the rows under. */
    NOT_FOUND(store_ho_import_begin(f->s, &tester, &region, "elsewhere.csv", &im, &err));
    assert_null(im);
    struct store_ho_run run = {0};
    NOT_FOUND(store_ho_run_begin(&run, f->s, &tester, &region, "elsewhere.csv", &err));
    assert_int_equal(store_ho_run_end(&run, -1, NULL, &err), -1);
    assert_unchanged(before, raw_dump(f->path, tables));
    /* The right scope. */
    struct store_hom_source got;
    assert_int_equal(store_hom_source_get(f->s, &mine, mid, &got, &err), 1);
    OK(store_ho_site_code_set(f->s, &tester, &mine, site, "RXX01", &err));
}

int main(void)
{
    struct purpose_err err;
    if (secret_init(&err) < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_wrong_scope_finds_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_programme_with_partners, setup, teardown),
        cmocka_unit_test_setup_teardown(test_programme_measures_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_work_wrong_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strategy_wrong_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wellled_pulse_wrong_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handovers_wrong_scope, setup, teardown),
    };
    return run_on_both_engines("scope", tests);
}
