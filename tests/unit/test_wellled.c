/* The well-led self-assessment's store (store/wellled.h), on a real SQLite file and, when
 * PURPOSE_TEST_PG names a server, on PostgreSQL: ratings and their history, bad input refused with
 * nothing stored, projects of one organisation only (and gone with a deleted project), every failed
 * rating changing nothing, and the evidence of a new organisation and of one with work. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#define STORE_FIXTURE_ONE_ORGANISATION
#include "store_fixture.h"
#include "core/banned.h"

static int64_t add_project(struct store *s, int64_t in_org, const char *title, const int64_t *amb, size_t n)
{
    struct purpose_err err = {0};
    struct store_project_input in = {.title = title, .aim = "An aim", .team = "Team", .sponsor = "Sponsor",
                                     .status = "active", .start_date = "2025-04-01", .score_x10 = 20,
                                     .why_unaligned = n ? "" : "Asked for by the board", .ambition_ids = amb,
                                     .n_ambitions = n};
    int64_t id = 0;
    assert_int_equal(store_project_add(s, &tester, STORE_ORG_SCOPE(in_org), &in, &id, &err), 0);
    return id;
}

static size_t count_ratings(struct store *s, int statement)
{
    struct purpose_err err = {0};
    struct store_wl_rating_list l;
    assert_int_equal(store_wl_ratings(s, STORE_ORG_SCOPE(org), statement, &l, &err), 0);
    size_t n = l.n;
    store_wl_rating_list_release(&l);
    return n;
}

static void test_ratings_history_and_input(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->s;
    struct purpose_err err = {0};
    int64_t other;
    assert_int_equal(store_org_add(s, &tester, "other", "Other", "nhs_trust", "", &other, &err), 0);
    int64_t p1 = add_project(s, org, "Falls", NULL, 0), p2 = add_project(s, org, "Flow", NULL, 0);
    int64_t foreign = add_project(s, other, "Theirs", NULL, 0);
    int64_t ids[] = {p2, p1};
    struct store_wl_rating_input in = {"good", "We listen.", "Keep listening.", ids, 2};
    int64_t id1, id2;
    assert_int_equal(store_wl_rate(s, &tester, STORE_ORG_SCOPE(org), 3, &in, &id1, &err), 0);
    in = (struct store_wl_rating_input){"outstanding", "We act on it.", "", NULL, 0};
    assert_int_equal(store_wl_rate(s, &tester, STORE_ORG_SCOPE(org), 3, &in, &id2, &err), 0);
    struct store_wl_rating_list l;
    assert_int_equal(store_wl_ratings(s, STORE_ORG_SCOPE(org), 3, &l, &err), 0);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.items[0].id, id2); /* newest first: the current one */
    assert_string_equal(l.items[0].rating, "outstanding");
    assert_int_equal(l.items[1].n_projects, 2);
    assert_int_equal(l.items[1].project_ids[0], p2); /* in the order given */
    assert_string_equal(l.items[1].project_titles[1], "Falls");
    assert_string_equal(l.items[1].actor, "tester");
    store_wl_rating_list_release(&l);

    /* Each refusal names its field and stores nothing. */
    int64_t twice[] = {p1, p1}, theirs[] = {foreign}, many[STORE_WL_PROJECTS_MAX + 1];
    for (size_t i = 0; i < sizeof many / sizeof many[0]; i++)
        many[i] = (int64_t)i + 1;
    char big[STORE_TEXT_MAX + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    const struct {
        struct store_wl_rating_input in;
        const char *field;
    } bad[] = {
        {{"great", "x", "", NULL, 0}, "rating"},
        {{NULL, "x", "", NULL, 0}, "rating"},
        {{"good", "", "", NULL, 0}, "narrative"},
        {{"good", big, "", NULL, 0}, "narrative"},
        {{"good", "x", big, NULL, 0}, "actions"},
        {{"good", "x", "", twice, 2}, "projects"},
        {{"good", "x", "", theirs, 1}, "projects"},
        {{"good", "x", "", many, STORE_WL_PROJECTS_MAX + 1}, "projects"},
        {{"good", "\xc3\x28", "", NULL, 0}, "narrative"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err = (struct purpose_err){0};
        assert_int_equal(store_wl_rate(s, &tester, STORE_ORG_SCOPE(org), 5, &bad[i].in, NULL, &err), -1);
        assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
        assert_string_equal(err.field, bad[i].field);
    }
    in = (struct store_wl_rating_input){"good", "x", "", NULL, 0};
    assert_int_equal(store_wl_rate(s, &tester, STORE_ORG_SCOPE(org), 9, &in, NULL, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    assert_int_equal(store_wl_rate(s, &tester, STORE_ORG_SCOPE(org), 0, &in, NULL, &err), -1);
    assert_int_equal(count_ratings(s, 5), 0);
    assert_int_equal(count_ratings(s, 0), 2);

    /* Another organisation's ratings are its own. */
    assert_int_equal(store_wl_rate(s, &tester, STORE_ORG_SCOPE(other), 3, &in, NULL, &err), 0);
    assert_int_equal(count_ratings(s, 3), 2);

    /* A deleted project leaves the ratings, without its link. */
    assert_int_equal(store_project_delete(s, &tester, STORE_ORG_SCOPE(org), p1, &err), 0);
    assert_int_equal(store_wl_ratings(s, STORE_ORG_SCOPE(org), 3, &l, &err), 0);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.items[1].n_projects, 1);
    assert_int_equal(l.items[1].project_ids[0], p2);
    store_wl_rating_list_release(&l);
}

static int write_rating(struct store *s, int which, void *ctx, struct purpose_err *err)
{
    int64_t *ids = ctx;
    struct store_wl_rating_input in = {which ? "inadequate" : "good", "Narrative", "Actions", ids, which ? 2 : 0};
    return store_wl_rate(s, &tester, STORE_ORG_SCOPE(org), which + 1, &in, NULL, err);
}

static char *snapshot_ratings(struct store *s, const char *path)
{
    (void)s;
    return raw_dump(path, "SELECT (SELECT COUNT(*) FROM wellled_ratings) || ' ' || (SELECT COUNT(*) FROM "
                          "wellled_rating_projects) || ' ' || (SELECT COUNT(*) FROM audit)");
}

static void test_failed_rating_changes_nothing(void **state)
{
    struct fixture *f = *state;
    int64_t ids[] = {add_project(f->s, org, "One", NULL, 0), add_project(f->s, org, "Two", NULL, 0)};
    fault_sweep(f->s, f->path, 2, 40, write_rating, ids, snapshot_ratings);
}

static const struct store_wl_evidence *kind_of(const struct store_wl_evidence_list *l, enum store_wl_kind k)
{
    assert_true((size_t)k < l->n);
    assert_int_equal(l->items[k].kind, k);
    return &l->items[k];
}

static void test_evidence(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->s;
    struct purpose_err err = {0};
    int64_t now = (int64_t)time(NULL);
    struct store_wl_evidence_list l;
    /* A new organisation: its own creation is in the audit log, nothing else yet. */
    assert_int_equal(store_wl_evidence(s, STORE_ORG_SCOPE(org), now, &l, &err), 0);
    assert_int_equal(l.n, STORE_WL_KINDS);
    for (int n = 1; n <= STORE_WL_STATEMENTS; n++)
        assert_int_equal(store_wl_has_evidence(&l, n), n == 5);
    assert_true(kind_of(&l, STORE_WL_KIND_AUDIT)->count >= 1);
    assert_string_equal(kind_of(&l, STORE_WL_KIND_NETZERO)->text, "No measure follows work on a net-zero ambition yet.");
    store_wl_evidence_list_release(&l);

    /* A purpose, a net-zero project with a measure, and one unaligned project. */
    int64_t theme, amb;
    assert_int_equal(store_statement_set(s, &tester, ORG, "purpose", "We care.", &err), 0);
    assert_int_equal(store_theme_add(s, &tester, STORE_ORG_SCOPE(org), "Foundations", "", &theme, &err), 0);
    assert_int_equal(store_ambition_add(s, &tester, STORE_ORG_SCOPE(org), theme, "Net zero by 2040", "", 2040, &amb, &err), 0);
    int64_t green = add_project(s, org, "Greener theatres", &amb, 1);
    add_project(s, org, "Car park signs", NULL, 0);
    struct store_measure_input mi = {.name = "Gas emissions", .kind = "outcome", .unit = "kg", .direction = "decrease"};
    int64_t mid;
    assert_int_equal(store_measure_add(s, &tester, STORE_ORG_SCOPE(org), green, &mi, &mid, &err), 0);
    /* A measure of the net-zero ambition itself (a strategy KPI), and one of an ambition that is not. */
    int64_t other_amb, kpi, not_green;
    assert_int_equal(store_ambition_add(s, &tester, STORE_ORG_SCOPE(org), theme, "Balanced books", "", 2030, &other_amb, &err), 0);
    mi.name = "Carbon footprint";
    assert_int_equal(store_measure_add_to(s, &tester, STORE_ORG_SCOPE(org), &(struct store_measure_owner){.ambition_id = amb}, &mi, &kpi, &err), 0);
    mi.name = "Deficit";
    assert_int_equal(store_measure_add_to(s, &tester, STORE_ORG_SCOPE(org), &(struct store_measure_owner){.ambition_id = other_amb}, &mi,
                                          &not_green, &err), 0);
    assert_int_equal(store_wl_evidence(s, STORE_ORG_SCOPE(org), now, &l, &err), 0);
    const struct store_wl_evidence *e = kind_of(&l, STORE_WL_KIND_NETZERO);
    assert_int_equal(e->count, 2);
    assert_int_equal(e->n_links, 2);
    assert_int_equal(e->links[0].to, STORE_WL_TO_MEASURE);
    assert_int_equal(e->links[0].id, mid);
    assert_string_equal(e->links[0].label, "Gas emissions (Greener theatres)");
    assert_int_equal(e->links[1].id, kpi);
    assert_string_equal(e->links[1].label, "Carbon footprint (Net zero by 2040)");
    e = kind_of(&l, STORE_WL_KIND_ALIGNMENT);
    assert_int_equal(e->count, 2);
    assert_non_null(strstr(e->text, "1 of 2 projects (50%) serve an ambition or a programme aim; 1 serves none"));
    assert_non_null(strstr(e->links[2].label, "Car park signs (unaligned: Asked for by the board)"));
    e = kind_of(&l, STORE_WL_KIND_STATEMENTS);
    assert_int_equal(e->count, 1);
    assert_string_equal(e->links[0].word, "purpose");
    assert_true(store_wl_has_evidence(&l, 1) && store_wl_has_evidence(&l, 8) && !store_wl_has_evidence(&l, 2) &&
                !store_wl_has_evidence(&l, 4));
    store_wl_evidence_list_release(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ratings_history_and_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_rating_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_evidence, setup, teardown),
    };
    return run_on_both_engines("wellled", tests);
}
