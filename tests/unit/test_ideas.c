/* A conversation's ideas at scale and "You said, we did" (issue 17), on both engines: the paged,
 * searched, filtered and sorted listing against known tallies; a lead's response, every bad input
 * named and nothing stored; the response row holding nothing about the idea's author; a failed
 * write changing nothing. */
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

#define NOW 1800000000
#define OK(call)                                                                                        \
    do {                                                                                                \
        if ((call) != 0)                                                                                \
            fail_msg("%s: %s", #call, err.msg);                                                         \
    } while (0)

static int64_t campaign(struct store *s, struct store_scope scope)
{
    struct purpose_err err = {0};
    struct store_campaign_input in = {.question = "What matters?", .description = "d", .audience = "all",
                                      .privacy = "p", .opens_at = NOW - 5 * 86400, .closes_at = NOW + 1000};
    int64_t id = 0;
    OK(store_campaign_add(s, &tester, &scope, &in, &id, &err));
    return id;
}

/* A contributor secret of its own for each n. */
static void secret_of(int n, char out[40])
{
    snprintf(out, 40, "contributor-secret-%020d", n);
}

static int64_t idea(struct store *s, const struct store_scope *sc, int64_t cid, const char *body, bool staff, int64_t now)
{
    struct purpose_err err = {0};
    static int n;
    char sec[40];
    secret_of(1000 + n++, sec);
    struct store_contribution_input in = {.body = body, .secret = sec, .anonymous = true, .staff = staff};
    int64_t id = 0;
    OK(store_contribution_add(s, sc, cid, &in, now, &id, NULL, &err));
    return id;
}

static void votes(struct store *s, int64_t cid, int64_t item, int agree, int disagree, int unsure)
{
    struct purpose_err err = {0};
    static int n;
    for (int i = 0; i < agree + disagree + unsure; i++) {
        char sec[40];
        secret_of(n++, sec);
        OK(store_vote(s, &ORG, cid, item, sec, i < agree ? "agree" : i < agree + disagree ? "disagree" : "unsure", NOW,
                      &err));
    }
}

static void page_of(struct store *s, int64_t cid, struct store_idea_query q, struct store_idea_page *p)
{
    struct purpose_err err = {0};
    OK(store_ideas_page(s, &ORG, cid, &q, p, &err));
}

static void test_listing(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t cid = campaign(f->s, ORG);
    /* Three days of ideas; a percent sign and an underscore to search for as themselves. */
    int64_t a = idea(f->s, &ORG, cid, "Open the Discharge lounge at weekends", false, NOW - 2 * 86400);
    int64_t b = idea(f->s, &ORG, cid, "More staff on the discharge desk at 100% cover", true, NOW - 86400);
    int64_t c = idea(f->s, &ORG, cid, "Free parking for carers", false, NOW);
    int64_t d = idea(f->s, &ORG, cid, "snake_case signs", false, NOW);
    OK(store_contribution_tag(f->s, &tester, &ORG, cid, c, "Access", &err));
    votes(f->s, cid, a, 9, 1, 0);  /* agreement 0.9, division 4*9/100 = 0.36 */
    votes(f->s, cid, b, 3, 3, 0);  /* agreement 0.5, division 1 */
    votes(f->s, cid, c, 2, 0, 0);  /* fewer than 5 votes: ranked last */
    votes(f->s, cid, d, 5, 0, 1);  /* agreement 0.83, division 0 */

    struct store_idea_page p;
    page_of(f->s, cid, (struct store_idea_query){.per_page = 2}, &p);
    assert_int_equal(p.total, 4);
    assert_true(p.more);
    assert_int_equal(p.ideas.n, 2);
    /* newest day first; within a day in no order of arrival */
    assert_true(p.ideas.items[0].created_at >= p.ideas.items[1].created_at);
    assert_true(p.ideas.items[0].id == c || p.ideas.items[0].id == d);
    store_idea_page_release(&p);
    page_of(f->s, cid, (struct store_idea_query){.per_page = 2, .page = 2}, &p);
    assert_false(p.more);
    assert_int_equal(p.ideas.items[0].id, b);
    assert_int_equal(p.ideas.items[1].id, a);
    store_idea_page_release(&p);

    page_of(f->s, cid, (struct store_idea_query){.sort = "agreed"}, &p);
    assert_int_equal(p.ideas.n, 4);
    assert_int_equal(p.ideas.items[0].id, a);
    assert_int_equal(p.ideas.items[1].id, d);
    assert_int_equal(p.ideas.items[2].id, b);
    assert_int_equal(p.ideas.items[3].id, c);
    assert_int_equal(p.ideas.items[0].agree, 9);
    store_idea_page_release(&p);
    page_of(f->s, cid, (struct store_idea_query){.sort = "divided"}, &p);
    assert_int_equal(p.ideas.items[0].id, b);
    assert_int_equal(p.ideas.items[1].id, a);
    assert_int_equal(p.ideas.items[3].id, c);
    store_idea_page_release(&p);

    /* A visitor's votes on a page, in one read: by contributor session, or by account. */
    char me[40], other[40];
    secret_of(424242, me);
    secret_of(434343, other);
    OK(store_vote(f->s, &ORG, cid, a, me, "disagree", NOW, &err));
    OK(store_vote_by(f->s, &ORG, cid, b, me, 7, "unsure", NOW, &err));
    page_of(f->s, cid, (struct store_idea_query){0}, &p);
    char mine[STORE_IDEAS_PER_PAGE_MAX][16];
    OK(store_votes_of(f->s, &ORG, cid, &p.ideas, me, 0, mine, &err));
    for (size_t i = 0; i < p.ideas.n; i++)
        assert_string_equal(mine[i], p.ideas.items[i].id == a ? "disagree" : "");
    OK(store_votes_of(f->s, &ORG, cid, &p.ideas, other, 7, mine, &err));
    for (size_t i = 0; i < p.ideas.n; i++)
        assert_string_equal(mine[i], p.ideas.items[i].id == b ? "unsure" : "");
    OK(store_votes_of(f->s, &ORG, cid, &p.ideas, other, 0, mine, &err));
    for (size_t i = 0; i < p.ideas.n; i++)
        assert_string_equal(mine[i], "");
    store_idea_page_release(&p);

    page_of(f->s, cid, (struct store_idea_query){.q = "DISCHARGE"}, &p);
    assert_int_equal(p.total, 2);
    store_idea_page_release(&p);
    page_of(f->s, cid, (struct store_idea_query){.q = "  discharge   weekends "}, &p);
    assert_int_equal(p.total, 1);
    assert_int_equal(p.ideas.items[0].id, a);
    store_idea_page_release(&p);
    page_of(f->s, cid, (struct store_idea_query){.q = "100%"}, &p);
    assert_int_equal(p.total, 1);
    store_idea_page_release(&p);
    page_of(f->s, cid, (struct store_idea_query){.q = "%"}, &p);
    assert_int_equal(p.total, 1); /* the % is a character, not a wildcard */
    store_idea_page_release(&p);
    page_of(f->s, cid, (struct store_idea_query){.q = "e_c"}, &p);
    assert_int_equal(p.total, 1);
    assert_int_equal(p.ideas.items[0].id, d);
    store_idea_page_release(&p);
    page_of(f->s, cid, (struct store_idea_query){.theme = "Access"}, &p);
    assert_int_equal(p.total, 1);
    assert_int_equal(p.ideas.items[0].id, c);
    store_idea_page_release(&p);
    page_of(f->s, cid, (struct store_idea_query){.group = "staff"}, &p);
    assert_int_equal(p.total, 1);
    assert_int_equal(p.ideas.items[0].id, b);
    store_idea_page_release(&p);
    page_of(f->s, cid, (struct store_idea_query){.group = "public"}, &p);
    assert_int_equal(p.total, 3);
    store_idea_page_release(&p);

    /* Comments do not list as ideas; a hidden idea leaves the list. */
    char sec[40];
    secret_of(9999, sec);
    struct store_contribution_input com = {.parent_id = a, .body = "Yes please", .secret = sec, .anonymous = true};
    OK(store_contribution_add(f->s, &ORG, cid, &com, NOW, NULL, NULL, &err));
    OK(store_contribution_moderate(f->s, &tester, &ORG, cid, d, false, "Off topic", &err));
    for (int i = 0; i < STORE_IDEA_COMMENTS + 1; i++) {
        secret_of(9000 + i, sec);
        com.secret = sec;
        OK(store_contribution_add(f->s, &ORG, cid, &com, NOW - 86400 + i, NULL, NULL, &err));
    }
    page_of(f->s, cid, (struct store_idea_query){0}, &p);
    assert_int_equal(p.total, 3);
    /* the page's comments: the newest STORE_IDEA_COMMENTS of its ideas, newest first */
    assert_int_equal(p.comments.n, STORE_IDEA_COMMENTS);
    for (size_t i = 0; i < p.comments.n; i++)
        assert_int_equal(p.comments.items[i].parent_id, a);
    assert_int_equal(p.comments.items[0].created_at, NOW - NOW % 86400);
    for (size_t i = 0; i < p.ideas.n; i++)
        if (p.ideas.items[i].id == a)
            assert_int_equal(p.ideas.items[i].comments, STORE_IDEA_COMMENTS + 2);
    store_idea_page_release(&p);
    struct store_contribution_list cl;
    OK(store_idea_comments(f->s, &ORG, cid, a, 500, &cl, &err));
    assert_int_equal(cl.n, STORE_IDEA_COMMENTS + 2);
    store_contribution_list_release(&cl);
    struct store_idea_themes th;
    OK(store_idea_themes(f->s, &ORG, cid, &th, &err));
    assert_int_equal(th.n, 1);
    assert_string_equal(th.items[0], "Access");
    store_idea_themes_release(&th);

    /* Bad queries name their field. */
    static const struct {
        struct store_idea_query q;
        const char *field;
    } bad[] = {
        {{.sort = "loudest"}, "sort"},
        {{.group = "carers"}, "group"},
        {{.state = "lost"}, "state"},
        {{.page = -1}, "page"},
        {{.page = STORE_IDEAS_PAGE_MAX + 1}, "page"},
        {{.per_page = STORE_IDEAS_PER_PAGE_MAX + 1}, "per_page"},
        {{.q = "\xff\xfe"}, "q"},
        {{.theme = "\xc3\x28"}, "theme"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(store_ideas_page(f->s, &ORG, cid, &bad[i].q, &p, &err), -1);
        assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
        assert_string_equal(err.field, bad[i].field);
    }
}

/* The bulk load: the same rows as one by one (published, anonymous, the day only), comments on the
 * ideas before them; a comment naming no idea before it is refused and nothing is stored. */
static void test_bulk_load(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t cid = campaign(f->s, ORG);
    const struct store_actor bench = {0, "bench"};
    struct store_idea_in bad[] = {{.body = "A", .day = NOW}, {.body = "On itself", .day = NOW, .parent = 2}};
    char *before = raw_dump(f->path, "SELECT COUNT(*) FROM contributions UNION ALL SELECT COUNT(*) FROM audit");
    assert_int_equal(store_ideas_load(f->s, &bench, &ORG, cid, bad, 2, &err), -1);
    assert_string_equal(err.field, "parent");
    struct store_idea_in nonutf8[] = {{.body = "\xff", .day = NOW}};
    assert_int_equal(store_ideas_load(f->s, &bench, &ORG, cid, nonutf8, 1, &err), -1);
    assert_string_equal(err.field, "body");
    char *after = raw_dump(f->path, "SELECT COUNT(*) FROM contributions UNION ALL SELECT COUNT(*) FROM audit");
    assert_string_equal(before, after);
    free(before);
    free(after);
    struct store_idea_in in[] = {{.body = "First idea", .theme = "Access", .day = NOW + 3600},
                                 {.body = "Second idea", .staff = true, .day = NOW - 86400},
                                 {.body = "A comment on the first", .day = NOW, .parent = 1}};
    OK(store_ideas_load(f->s, &bench, &ORG, cid, in, 3, &err));
    struct store_idea_page p;
    page_of(f->s, cid, (struct store_idea_query){0}, &p);
    assert_int_equal(p.total, 2);
    assert_string_equal(p.ideas.items[0].body, "First idea");
    assert_int_equal(p.ideas.items[0].created_at, NOW - NOW % 86400 + ((NOW % 86400) + 3600 >= 86400 ? 86400 : 0));
    assert_true(p.ideas.items[0].anonymous);
    assert_int_equal(p.ideas.items[0].comments, 1);
    assert_true(p.ideas.items[1].staff);
    assert_int_equal(p.comments.n, 1);
    assert_int_equal(p.comments.items[0].parent_id, p.ideas.items[0].id);
    store_idea_page_release(&p);
    /* The conversation's API answer is bounded: the first ones, oldest day first, and whether more. */
    struct store_contribution_list l;
    bool more;
    OK(store_contributions_first(f->s, &ORG, cid, 2, &l, &more, &err));
    assert_int_equal(l.n, 2);
    assert_true(more);
    assert_string_equal(l.items[0].body, "Second idea");
    store_contribution_list_release(&l);
    OK(store_contributions_first(f->s, &ORG, cid, 3, &l, &more, &err));
    assert_int_equal(l.n, 3);
    assert_false(more);
    store_contribution_list_release(&l);
}

static int64_t add_project(struct store *s, int64_t org_id, int64_t programme_id, const char *title)
{
    struct purpose_err err = {0};
    struct store_project_input in = {.title = title, .aim = "An aim", .team = "A team", .sponsor = "A sponsor",
                                     .status = "active", .start_date = "2025-04-01", .why_unaligned = "A pilot",
                                     .score_x10 = 20, .programme_id = programme_id};
    int64_t id = 0;
    OK(store_project_add(s, &tester, STORE_ORG_SCOPE(org_id), &in, &id, &err));
    return id;
}

static char *responses_dump(const char *path)
{
    return raw_dump(path, "SELECT 'r' || contribution_id || state || reason || COALESCE(project_id, 0) || '/' || "
                          "COALESCE(statement_id, 0) FROM idea_responses UNION ALL SELECT 'a' || COUNT(*) FROM audit");
}

static void test_responses(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t other = 0, prog = 0;
    OK(store_org_add(f->s, &tester, "other", "Another Trust", "nhs_trust", "", &other, &err));
    OK(store_programme_add(f->s, &tester, "region", "A region", "d", &prog, &err));
    OK(store_programme_partner_set(f->s, &tester, prog, other, true, &err));
    struct store_scope progscope = {STORE_SCOPE_PROGRAMME, prog};
    int64_t cid = campaign(f->s, ORG), cid2 = campaign(f->s, ORG), pcid = campaign(f->s, progscope);
    int64_t x = idea(f->s, &ORG, cid, "A named handover nurse", false, NOW);
    int64_t y = idea(f->s, &ORG, cid2, "Another conversation's idea", false, NOW);
    int64_t z = idea(f->s, &progscope, pcid, "A programme's idea", false, NOW);
    int64_t ours = add_project(f->s, org, 0, "Ours"), theirs = add_project(f->s, other, 0, "Theirs");
    int64_t regional = add_project(f->s, other, prog, "A partner's, naming the programme");
    OK(store_statement_set(f->s, &tester, ORG, "vision", "A vision", &err));
    OK(store_statement_set(f->s, &tester, progscope, "vision", "The region's vision", &err));
    struct store_statement sv, pv;
    OK(store_statement_current(f->s, ORG, "vision", &sv, &err));
    OK(store_statement_current(f->s, progscope, "vision", &pv, &err));

    char *before = responses_dump(f->path);
    static const struct {
        const char *state, *reason;
        int sel_project; /* 1 ours, 2 theirs, 3 regional, 4 unknown */
        int sel_statement; /* 1 ours, 2 the programme's */
        int64_t on;        /* 0: x in cid; 1: y via cid; 2: a comment */
        const char *field;
    } bad[] = {
        {"maybe", "", 1, 0, 0, "state"},
        {NULL, "", 1, 0, 0, "state"},
        {"not_taken_forward", "", 0, 0, 0, "reason"},
        {"not_taken_forward", NULL, 0, 0, 0, "reason"},
        {"not_taken_forward", "\xff not UTF-8", 0, 0, 0, "reason"},
        {"not_taken_forward", "No money", 1, 0, 0, "project_id"},
        {"adopted", "", 0, 0, 0, "project_id"},
        {"adopted", "", 2, 0, 0, "project_id"},  /* another organisation's project */
        {"adopted", "", 3, 0, 0, "project_id"},  /* a partner's, but this is the organisation's conversation */
        {"adopted", "", 4, 0, 0, "project_id"},
        {"adopted", "", 0, 2, 0, "statement_id"}, /* the programme's vision */
        {"in_progress", "", 0, 1, 0, "statement_id"},
        {"adopted", "", 1, 0, 1, "idea"},         /* another conversation's idea */
        {"adopted", "", 1, 0, 2, "idea"},         /* a comment */
    };
    char sec[40];
    secret_of(7777, sec);
    struct store_contribution_input com = {.parent_id = x, .body = "A comment", .secret = sec, .anonymous = true};
    int64_t comment = 0;
    OK(store_contribution_add(f->s, &ORG, cid, &com, NOW, &comment, NULL, &err));
    free(before);
    before = responses_dump(f->path);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t projects[] = {0, ours, theirs, regional, 999999};
        int64_t statements[] = {0, sv.id, pv.id};
        struct store_response_input in = {bad[i].state, bad[i].reason, projects[bad[i].sel_project],
                                          statements[bad[i].sel_statement]};
        int64_t on = bad[i].on == 0 ? x : bad[i].on == 1 ? y : comment;
        assert_int_equal(store_response_set(f->s, &tester, &ORG, cid, on, &in, NOW, &err), -1);
        if (strcmp(err.field, bad[i].field) != 0)
            fail_msg("case %zu: field %s, wanted %s (%s)", i, err.field, bad[i].field, err.msg);
        assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
        char *after = responses_dump(f->path);
        assert_string_equal(before, after);
        free(after);
    }
    /* A conversation of another scope is not this one: its idea is refused. */
    struct store_response_input ok_in = {"adopted", "Trialling it", ours, sv.id};
    assert_int_equal(store_response_set(f->s, &tester, &progscope, cid, x, &ok_in, NOW, &err), -1);
    assert_string_equal(err.field, "idea");
    free(before);

    OK(store_response_set(f->s, &tester, &ORG, cid, x, &ok_in, NOW, &err));
    struct store_contribution got;
    OK(store_contribution_get(f->s, &ORG, cid, x, &got, &err));
    assert_string_equal(got.response.state, "adopted");
    assert_string_equal(got.response.reason, "Trialling it");
    assert_int_equal(got.response.project_id, ours);
    assert_int_equal(got.response.statement_id, sv.id);
    store_contribution_release(&got);
    /* The programme's conversation: a partner's project that names the programme, the programme's vision. */
    struct store_response_input p_in = {"adopted", "", regional, pv.id};
    OK(store_response_set(f->s, &tester, &progscope, pcid, z, &p_in, NOW, &err));
    p_in.project_id = ours; /* the organisation's own project does not name the programme */
    assert_int_equal(store_response_set(f->s, &tester, &progscope, pcid, z, &p_in, NOW, &err), -1);
    assert_string_equal(err.field, "project_id");

    int64_t responded, ideas, n;
    OK(store_response_counts(f->s, &ORG, cid, &responded, &ideas, &err));
    assert_int_equal(responded, 1);
    assert_int_equal(ideas, 1);
    OK(store_project_ideas_count(f->s, ours, &n, &err));
    assert_int_equal(n, 1);
    struct store_contribution_list pl;
    char (*where)[64];
    OK(store_project_ideas(f->s, regional, &pl, &where, &err));
    assert_int_equal(pl.n, 1);
    assert_int_equal(pl.items[0].id, z);
    assert_string_equal(where[0], "region");
    free(where);
    store_contribution_list_release(&pl);
    /* A second response replaces the first; a declined idea leaves the project's count. */
    struct store_response_input no = {"not_taken_forward", "Already in place", 0, 0};
    OK(store_response_set(f->s, &tester, &ORG, cid, x, &no, NOW, &err));
    OK(store_project_ideas_count(f->s, ours, &n, &err));
    assert_int_equal(n, 0);
    struct store_idea_page p;
    page_of(f->s, cid, (struct store_idea_query){.state = "not_taken_forward"}, &p);
    assert_int_equal(p.total, 1);
    store_idea_page_release(&p);
    page_of(f->s, cid, (struct store_idea_query){.state = "open"}, &p);
    assert_int_equal(p.total, 0);
    store_idea_page_release(&p);
    char *audit = raw_dump(f->path, "SELECT actor || ':' || action || ':' || entity FROM audit WHERE action = 'respond'");
    assert_string_equal(audit, "tester:respond:idea\ntester:respond:idea\ntester:respond:idea\n");
    free(audit);
    store_statement_release(&sv);
    store_statement_release(&pv);
}

/* Linking an anonymous idea stores nothing about its author: the response row's columns are the
 * idea, its conversation, the answer and its links, and no value in it is one of the idea's
 * identifying values (owner hash, group mask). */
static void test_response_links_nothing_to_the_author(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t cid = campaign(f->s, ORG);
    int64_t x = idea(f->s, &ORG, cid, "An anonymous idea", false, NOW);
    int64_t project = add_project(f->s, org, 0, "Ours");
    struct store_response_input in = {"adopted", "", project, 0};
    OK(store_response_set(f->s, &tester, &ORG, cid, x, &in, NOW, &err));
    char *cols = raw_dump(f->path, pg_url ? "SELECT column_name FROM information_schema.columns WHERE table_name = "
                                            "'idea_responses' ORDER BY column_name"
                                          : "SELECT name FROM pragma_table_info('idea_responses') ORDER BY name");
    assert_string_equal(cols, "campaign_id\ncontribution_id\nproject_id\nreason\nresponded_at\nstate\nstatement_id\n");
    free(cols);
    char *row = raw_dump(f->path, "SELECT r.contribution_id || '|' || r.campaign_id || '|' || r.state || '|' || "
                                  "r.reason || '|' || COALESCE(r.project_id, 0) || '|' || COALESCE(r.statement_id, 0) "
                                  "FROM idea_responses r");
    char *secret_values = raw_dump(f->path, "SELECT owner FROM contributions UNION ALL SELECT tally FROM contributions");
    for (char *v = secret_values, *nl; *v; v = nl + 1) {
        nl = strchr(v, '\n');
        *nl = '\0';
        if (*v)
            assert_null(strstr(row, v));
    }
    free(secret_values);
    free(row);
}

static int write_response(struct store *s, int which, void *ctx, struct purpose_err *err)
{
    const int64_t *id = ctx; /* campaign, idea, project */
    struct store_response_input in = {which ? "not_taken_forward" : "adopted", which ? "No money" : "", which ? 0 : id[2],
                                      0};
    return store_response_set(s, &tester, &ORG, id[0], id[1], &in, NOW, err);
}

static char *snapshot_of(struct store *s, const char *path)
{
    (void)s;
    return responses_dump(path);
}

static void test_failed_write_changes_nothing(void **state)
{
    struct fixture *f = *state;
    int64_t cid = campaign(f->s, ORG);
    int64_t ids[3] = {cid, idea(f->s, &ORG, cid, "An idea", false, NOW), add_project(f->s, org, 0, "Ours")};
    fault_sweep(f->s, f->path, 2, 99, write_response, ids, snapshot_of);
}

int main(void)
{
    struct purpose_err err;
    if (secret_init(&err) < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_listing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_responses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_response_links_nothing_to_the_author, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write_changes_nothing, setup, teardown),
    };
    return run_on_both_engines("ideas", tests);
}
