/* Improvement projects, driver diagrams, PDSA cycles and measures, on a real SQLite file and, when
 * PURPOSE_TEST_PG names a server, on PostgreSQL: the rules (alignment, the progress scale, dates
 * in order, atomic CSV uploads), scope, the audit trail of a deleted project, and fault injection
 * proving that every failed write changes nothing. */
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
#include "store_fixture.h"
#include "store/store_int.h"
#include "core/banned.h"

static const struct store_actor tester = {1, "tester"};
static int64_t org, other, theme, ambition;

struct fixture {
    char dir[64];
    char path[512];
    struct store *s;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    struct purpose_err err = {0};
    fixture_fresh(f->dir, f->path, "proj");
    assert_int_equal(fixture_store_open(f->path, &f->s, &err), 0);
    assert_int_equal(store_org_add(f->s, &tester, "trust", "A Trust", "nhs_trust", "", &org, &err), 0);
    assert_int_equal(store_org_add(f->s, &tester, "other", "Other", "nhs_trust", "", &other, &err), 0);
    assert_int_equal(store_theme_add(f->s, &tester, STORE_ORG_SCOPE(org), "Safe care", "", &theme, &err), 0);
    assert_int_equal(store_ambition_add(f->s, &tester, STORE_ORG_SCOPE(org), theme, "No falls", "", 2030, &ambition, &err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(&f->s);
    fixture_remove(f->dir, f->path);
    free(f);
    return 0;
}

static struct store_project_input project(const char *title, const int64_t *amb, size_t n, const char *why)
{
    return (struct store_project_input){.title = title, .aim = "Halve falls by March 2027", .team = "Ward 7",
                                        .sponsor = "Chief nurse", .status = "active", .start_date = "2025-04-01",
                                        .why_unaligned = why, .score_x10 = 20, .ambition_ids = amb,
                                        .n_ambitions = n};
}

static void test_rules_name_the_field(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->s;
    struct purpose_err err = {0};
    int x10;
    assert_int_equal(store_score_parse("score", "3.5", &x10, &err), 0);
    assert_int_equal(x10, 35);
    assert_int_equal(store_score_parse("score", "5.5", &x10, &err), -1);
    assert_string_equal(err.field, "score");
    assert_non_null(strstr(err.msg, "not on the progress scale"));
    assert_int_equal(store_score_parse("score", "0", &x10, &err), -1);
    assert_int_equal(store_score_parse("score", "2.3", &x10, &err), -1);
    struct store_project_input in = project("Falls", NULL, 0, "");
    assert_int_equal(store_project_add(s, &tester, STORE_ORG_SCOPE(org), &in, NULL, &err), -1);
    assert_string_equal(err.field, "why_unaligned");
    in.score_x10 = 55;
    in.why_unaligned = "A pilot for the region";
    assert_int_equal(store_project_add(s, &tester, STORE_ORG_SCOPE(org), &in, NULL, &err), -1);
    assert_string_equal(err.field, "score");
    in.score_x10 = 10;
    in.start_date = "2025-02-30";
    assert_int_equal(store_project_add(s, &tester, STORE_ORG_SCOPE(org), &in, NULL, &err), -1);
    assert_string_equal(err.field, "start_date");
    in.start_date = "2025-02-28";
    int64_t foreign = ambition + 1000;
    in.ambition_ids = &foreign;
    in.n_ambitions = 1;
    assert_int_equal(store_project_add(s, &tester, STORE_ORG_SCOPE(org), &in, NULL, &err), -1);
    assert_string_equal(err.field, "ambitions");
    /* Another organisation cannot link this one's ambition. */
    in.ambition_ids = &ambition;
    assert_int_equal(store_project_add(s, &tester, STORE_ORG_SCOPE(other), &in, NULL, &err), -1);
    assert_string_equal(err.field, "ambitions");
    struct store_project_list pl;
    assert_int_equal(store_project_list(s, STORE_ORG_SCOPE(org), NULL, &pl, &err), 0);
    assert_int_equal(pl.n, 0);
    store_project_list_release(&pl);
}

#define OK(call) do { if ((call) != 0) fail_msg("%s: %s", #call, err.msg); } while (0)
static void test_project_life(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->s;
    struct purpose_err err = {0};
    int64_t pid, pid2, prim, sec, change, cyc, mid;
    struct store_project_input in = project("Fewer falls", &ambition, 1, "");
    assert_int_equal(store_project_add(s, &tester, STORE_ORG_SCOPE(org), &in, &pid, &err), 0);
    struct store_project_input lone = project("Lone work", NULL, 0, "Requested by the regulator");
    assert_int_equal(store_project_add(s, &tester, STORE_ORG_SCOPE(org), &lone, &pid2, &err), 0);
    in.score_x10 = 35;
    assert_int_equal(store_project_update(s, &tester, STORE_ORG_SCOPE(org), pid, &in, &err), 0);
    OK(store_project_approve(s, &tester, STORE_ORG_SCOPE(org), pid, &err));
    assert_int_equal(store_project_approve(s, &tester, STORE_ORG_SCOPE(org), pid, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_CONFLICT);
    struct store_project p;
    assert_int_equal(store_project_get(s, STORE_ORG_SCOPE(org), pid, &p, &err), 0);
    assert_int_equal(p.n_ambitions, 1);
    assert_int_equal(p.ambition_ids[0], ambition);
    assert_string_equal(p.approved_by, "tester");
    store_project_release(&p);
    assert_int_equal(store_project_get(s, STORE_ORG_SCOPE(other), pid, &p, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    struct store_score_list sl;
    assert_int_equal(store_project_scores(s, STORE_ORG_SCOPE(org), pid, &sl, &err), 0);
    assert_int_equal(sl.n, 2);
    assert_int_equal(sl.items[1].score_x10, 35);
    store_score_list_release(&sl);
    /* Filters: theme, status, score and search. */
    struct store_project_list pl;
    struct store_project_filter flt = {.theme_id = theme};
    OK(store_project_list(s, STORE_ORG_SCOPE(org), &flt, &pl, &err));
    assert_int_equal(pl.n, 1);
    store_project_list_release(&pl);
    flt = (struct store_project_filter){.q = "LONE"};
    OK(store_project_list(s, STORE_ORG_SCOPE(org), &flt, &pl, &err));
    assert_int_equal(pl.n, 1);
    assert_int_equal(pl.items[0].id, pid2);
    store_project_list_release(&pl);
    flt = (struct store_project_filter){.score_x10 = 35, .status = "active"};
    OK(store_project_list(s, STORE_ORG_SCOPE(org), &flt, &pl, &err));
    assert_int_equal(pl.n, 1);
    store_project_list_release(&pl);

    /* The driver diagram: a tree of three levels, change ideas at the end. */
    assert_int_equal(store_driver_add(s, &tester, STORE_ORG_SCOPE(org), pid, 0, "Safe environment", &prim, &err), 0);
    assert_int_equal(store_driver_add(s, &tester, STORE_ORG_SCOPE(org), pid, prim, "Clear floors", &sec, &err), 0);
    assert_int_equal(store_driver_add(s, &tester, STORE_ORG_SCOPE(org), pid, sec, "Night-time checks", &change, &err), 0);
    assert_int_equal(store_driver_add(s, &tester, STORE_ORG_SCOPE(org), pid, change, "Too deep", NULL, &err), -1);
    assert_string_equal(err.field, "parent_id");
    assert_int_equal(store_driver_add(s, &tester, STORE_ORG_SCOPE(org), pid2, prim, "Wrong project", NULL, &err), -1);
    assert_string_equal(err.field, "parent_id");
    struct store_driver_list dl;
    assert_int_equal(store_driver_list(s, STORE_ORG_SCOPE(org), pid, &dl, &err), 0);
    assert_int_equal(dl.n, 3);
    assert_int_equal(dl.items[2].kind, STORE_DRIVER_CHANGE);
    store_driver_list_release(&dl);
    /* Siblings move up and down; the first cannot go up, and a direction is up or down. */
    int64_t prim2 = 0;
    assert_int_equal(store_driver_add(s, &tester, STORE_ORG_SCOPE(org), pid, 0, "Staff", &prim2, &err), 0);
    assert_int_equal(store_driver_move(s, &tester, STORE_ORG_SCOPE(org), prim, "up", &err), -1);
    assert_string_equal(err.field, "direction");
    assert_int_equal(store_driver_move(s, &tester, STORE_ORG_SCOPE(org), prim2, "left", &err), -1);
    assert_string_equal(err.field, "direction");
    assert_int_equal(store_driver_move(s, &tester, STORE_ORG_SCOPE(org), prim2, "up", &err), 0);
    assert_int_equal(store_driver_list(s, STORE_ORG_SCOPE(org), pid, &dl, &err), 0);
    assert_int_equal(dl.n, 4);
    assert_int_equal(dl.items[0].id, prim2); /* then prim with what hangs from it */
    assert_int_equal(dl.items[1].id, prim);
    assert_int_equal(dl.items[3].id, change);
    store_driver_list_release(&dl);
    assert_int_equal(store_driver_move(s, &tester, STORE_ORG_SCOPE(other), prim2, "down", &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    assert_int_equal(store_driver_delete(s, &tester, STORE_ORG_SCOPE(org), prim2, &err), 0);
    struct store_pdsa_input cy = {.title = "Try hourly checks", .plan = "p", .prediction = "fewer falls",
                                  .act = "adopt", .start_date = "2025-05-01", .end_date = "2025-04-01"};
    assert_int_equal(store_pdsa_add(s, &tester, STORE_ORG_SCOPE(org), change, &cy, &cyc, &err), -1);
    assert_string_equal(err.field, "end_date");
    cy.end_date = "2025-05-14";
    assert_int_equal(store_pdsa_add(s, &tester, STORE_ORG_SCOPE(org), prim, &cy, &cyc, &err), -1);
    assert_string_equal(err.field, "change_id");
    assert_int_equal(store_pdsa_add(s, &tester, STORE_ORG_SCOPE(org), change, &cy, &cyc, &err), 0);

    /* Measures: an atomic upload names the row and field. */
    struct store_measure_input mi = {.name = "Falls per 1,000 bed days", .kind = "outcome", .unit = "",
                                     .direction = "decrease", .has_target = true, .target = 4};
    assert_int_equal(store_measure_add(s, &tester, STORE_ORG_SCOPE(org), pid, &mi, &mid, &err), 0);
    const char *bad = "date,value\n2025-01-06,5.1\n2025-01-13,n/a\n";
    size_t n = 0;
    assert_int_equal(store_points_csv(s, &tester, STORE_ORG_SCOPE(org), mid, bad, strlen(bad), &n, &err), -1);
    assert_string_equal(err.msg, "row 3: value: \"n/a\" is not a number");
    assert_string_equal(err.field, "value");
    const char *first = "2025-01-06,n/a\n2025-01-13,4\n"; /* a bad first row is not a header */
    assert_int_equal(store_points_csv(s, &tester, STORE_ORG_SCOPE(org), mid, first, strlen(first), &n, &err), -1);
    assert_string_equal(err.msg, "row 1: value: \"n/a\" is not a number");
    const char *dup = "2025-01-06,5.1\n06/01/2025,5\n";
    assert_int_equal(store_points_csv(s, &tester, STORE_ORG_SCOPE(org), mid, dup, strlen(dup), &n, &err), -1);
    assert_string_equal(err.field, "date");
    struct store_point_list pts;
    assert_int_equal(store_points_list(s, STORE_ORG_SCOPE(org), mid, &pts, &err), 0);
    assert_int_equal(pts.n, 0);
    store_point_list_release(&pts);
    const char *good = "date,value\n2025-01-06,5.1\n13/01/2025,4.5\n2025-01-20,6\n";
    assert_int_equal(store_points_csv(s, &tester, STORE_ORG_SCOPE(org), mid, good, strlen(good), &n, &err), 0);
    assert_int_equal(n, 3);
    assert_int_equal(store_points_list(s, STORE_ORG_SCOPE(org), mid, &pts, &err), 0);
    assert_int_equal(pts.n, 3);
    assert_string_equal(pts.items[1].day, "2025-01-13");
    store_point_list_release(&pts);
    assert_int_equal(store_rebase_add(s, &tester, STORE_ORG_SCOPE(org), mid, "2025-01-20", "", NULL, &err), -1);
    assert_string_equal(err.field, "reason");
    /* A rebase names a point after the first, as purpose spc --rebase X does. */
    assert_int_equal(store_rebase_add(s, &tester, STORE_ORG_SCOPE(org), mid, "2025-01-19", "New bed rails", NULL, &err), -1);
    assert_string_equal(err.field, "date");
    assert_string_equal(err.msg, "date: the measure has no point on 2025-01-19; a rebase starts at one of its points");
    assert_int_equal(store_rebase_add(s, &tester, STORE_ORG_SCOPE(org), mid, "2025-01-06", "New bed rails", NULL, &err), -1);
    assert_string_equal(err.field, "date");
    assert_int_equal(store_rebase_add(s, &tester, STORE_ORG_SCOPE(org), mid, "2025-01-20", "New bed rails", NULL, &err), 0);
    assert_int_equal(store_measure_get(s, STORE_ORG_SCOPE(other), mid, &(struct store_measure){0}, &err), -1);
    struct store_measure_data_list all;
    OK(store_points_all(s, STORE_ORG_SCOPE(org), &all, &err));
    assert_int_equal(all.n, 1);
    assert_int_equal(all.items[0].measure_id, mid);
    assert_int_equal(all.items[0].pts.n, 3);
    assert_int_equal(all.items[0].rebases.n, 1);
    assert_string_equal(all.items[0].rebases.items[0].reason, "New bed rails");
    store_measure_data_list_release(&all);
    OK(store_points_all(s, STORE_ORG_SCOPE(other), &all, &err));
    assert_int_equal(all.n, 0);
    store_measure_data_list_release(&all);

    /* A case study needs a complete or sustaining project. */
    struct store_case_input story = {"Falls were common", "Hourly checks", "Falls halved", "Ward 7"};
    assert_int_equal(store_case_publish(s, &tester, STORE_ORG_SCOPE(org), pid, &story, NULL, &err), -1);
    assert_string_equal(err.field, "status");
    in.status = "sustaining";
    OK(store_project_update(s, &tester, STORE_ORG_SCOPE(org), pid, &in, &err));
    int64_t cid;
    OK(store_case_publish(s, &tester, STORE_ORG_SCOPE(org), pid, &story, &cid, &err));
    struct store_case_list cl;
    OK(store_case_list(s, NULL, "HALVED", &cl, &err));
    assert_int_equal(cl.n, 1);
    assert_int_equal(cl.items[0].id, cid);
    store_case_list_release(&cl);
    /* By theme: the title of a theme of an ambition the project serves, in any case. */
    OK(store_case_find(s, &(struct store_case_filter){.theme = "SAFE CARE"}, &cl, &err));
    assert_int_equal(cl.n, 1);
    store_case_list_release(&cl);
    OK(store_case_find(s, &(struct store_case_filter){.org_id = other, .theme = "Safe care"}, &cl, &err));
    assert_int_equal(cl.n, 0);
    store_case_list_release(&cl);
    OK(store_case_find(s, &(struct store_case_filter){.theme = "Research"}, &cl, &err));
    assert_int_equal(cl.n, 0);
    store_case_list_release(&cl);
    struct store_case_theme_list ctl;
    OK(store_case_themes(s, NULL, &ctl, &err));
    assert_int_equal(ctl.n, 1);
    assert_string_equal(ctl.items[0], "Safe care");
    store_case_theme_list_release(&ctl);
    /* A scope that is no organisation's or programme's lists nothing. */
    struct store_project_list none;
    OK(store_project_list(s, &(struct store_scope){STORE_SCOPE_PROGRAMME, 0}, NULL, &none, &err));
    assert_int_equal(none.n, 0);

    /* Deleting the project takes its children and keeps the audit trail. */
    assert_int_equal(store_project_delete(s, &tester, STORE_ORG_SCOPE(org), pid, &err), 0);
    assert_int_equal(store_measure_get(s, STORE_ORG_SCOPE(org), mid, &(struct store_measure){0}, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    struct store_audit_list al;
    assert_int_equal(store_audit_list(s, 0, 200, &al, &err), 0);
    int seen = 0;
    for (size_t i = 0; i < al.n; i++)
        if (strcmp(al.items[i].entity, "project") == 0 && al.items[i].entity_id == pid)
            seen |= strcmp(al.items[i].action, "create") == 0 ? 1 : strcmp(al.items[i].action, "delete") == 0 ? 2 : 0;
    assert_int_equal(seen, 3);
    store_audit_list_release(&al);
}

/* Everything this feature holds, as text. */
static char *snapshot(struct store *s)
{
    struct purpose_err err = {0};
    struct buf b;
    buf_init(&b, 1u << 20);
    struct store_project_list pl;
    assert_int_equal(store_project_list(s, STORE_ORG_SCOPE(org), NULL, &pl, &err), 0);
    for (size_t i = 0; i < pl.n; i++) {
        struct store_project *p = &pl.items[i];
        buf_printf(&b, "p %lld %s %s %d %s %zu %zu %s\n", (long long)p->id, p->title, p->status, p->score_x10,
                   p->why_unaligned, p->n_ambitions, p->n_aims, p->approved_by ? p->approved_by : "-");
        struct store_score_list sl;
        assert_int_equal(store_project_scores(s, STORE_ORG_SCOPE(org), p->id, &sl, &err), 0);
        buf_printf(&b, "scores %zu\n", sl.n);
        store_score_list_release(&sl);
        struct store_driver_list dl;
        assert_int_equal(store_driver_list(s, STORE_ORG_SCOPE(org), p->id, &dl, &err), 0);
        for (size_t j = 0; j < dl.n; j++)
            buf_printf(&b, "d %lld %lld %s\n", (long long)dl.items[j].id, (long long)dl.items[j].parent_id,
                       dl.items[j].text);
        store_driver_list_release(&dl);
        struct store_pdsa_list cl;
        assert_int_equal(store_pdsa_list(s, STORE_ORG_SCOPE(org), p->id, &cl, &err), 0);
        for (size_t j = 0; j < cl.n; j++)
            buf_printf(&b, "c %s %s %s\n", cl.items[j].title, cl.items[j].act, cl.items[j].end_date);
        store_pdsa_list_release(&cl);
    }
    store_project_list_release(&pl);
    struct store_measure_list ml;
    assert_int_equal(store_measure_list(s, STORE_ORG_SCOPE(org), 0, &ml, &err), 0);
    for (size_t i = 0; i < ml.n; i++) {
        buf_printf(&b, "m %s %s %d %g\n", ml.items[i].name, ml.items[i].direction, ml.items[i].has_target,
                   ml.items[i].target);
        struct store_point_list pts;
        assert_int_equal(store_points_list(s, STORE_ORG_SCOPE(org), ml.items[i].id, &pts, &err), 0);
        for (size_t j = 0; j < pts.n; j++)
            buf_printf(&b, "v %s %g\n", pts.items[j].day, pts.items[j].value);
        store_point_list_release(&pts);
        struct store_rebase_list rl;
        assert_int_equal(store_rebase_list(s, STORE_ORG_SCOPE(org), ml.items[i].id, &rl, &err), 0);
        for (size_t j = 0; j < rl.n; j++)
            buf_printf(&b, "r %s %s\n", rl.items[j].day, rl.items[j].reason);
        store_rebase_list_release(&rl);
    }
    store_measure_list_release(&ml);
    struct store_case_list cl;
    assert_int_equal(store_case_list(s, NULL, NULL, &cl, &err), 0);
    for (size_t i = 0; i < cl.n; i++)
        buf_printf(&b, "case %s %s\n", cl.items[i].title, cl.items[i].contact);
    store_case_list_release(&cl);
    struct store_audit_list al;
    assert_int_equal(store_audit_list(s, 0, 1000, &al, &err), 0);
    buf_printf(&b, "audit %zu\n", al.n);
    store_audit_list_release(&al);
    assert_false(b.failed);
    return b.data;
}

struct ids {
    int64_t project, prim, prim2, sec, change, cycle, measure, rebase, story;
};

static int do_write(struct store *s, int which, struct ids *id, struct purpose_err *err)
{
    struct store_project_input in = project("Falls", &ambition, 1, "");
    struct store_pdsa_input cy = {.title = "Cycle 1", .act = "", .start_date = "2025-05-01", .end_date = ""};
    struct store_measure_input mi = {.name = "Falls", .kind = "outcome", .unit = "", .direction = "decrease"};
    struct store_point pts[] = {{"2025-01-06", 5, false, 0}, {"2025-01-13", 4, false, 0}};
    const char *csv = "date,value\n2025-01-20,3\n2025-01-27,3.5\n";
    struct store_case_input story = {"Falls", "Checks", "Fewer falls", "Ward 7"};
    switch (which) {
    case 0: return store_project_add(s, &tester, STORE_ORG_SCOPE(org), &in, &id->project, err);
    case 1: in.score_x10 = 30; in.status = "sustaining"; return store_project_update(s, &tester, STORE_ORG_SCOPE(org), id->project, &in, err);
    case 2: return store_project_approve(s, &tester, STORE_ORG_SCOPE(org), id->project, err);
    case 3: return store_driver_add(s, &tester, STORE_ORG_SCOPE(org), id->project, 0, "Primary", &id->prim, err);
    case 4: return store_driver_add(s, &tester, STORE_ORG_SCOPE(org), id->project, id->prim, "Secondary", &id->sec, err);
    case 5: return store_driver_add(s, &tester, STORE_ORG_SCOPE(org), id->project, id->sec, "Change", &id->change, err);
    case 6: return store_driver_add(s, &tester, STORE_ORG_SCOPE(org), id->project, 0, "Primary 2", &id->prim2, err);
    case 7: return store_driver_move(s, &tester, STORE_ORG_SCOPE(org), id->prim2, "up", err);
    case 8: return store_driver_update(s, &tester, STORE_ORG_SCOPE(org), id->sec, "Secondary 2", err);
    case 9: return store_pdsa_add(s, &tester, STORE_ORG_SCOPE(org), id->change, &cy, &id->cycle, err);
    case 10: cy.act = "adapt"; cy.end_date = "2025-05-09"; return store_pdsa_update(s, &tester, STORE_ORG_SCOPE(org), id->cycle, &cy, err);
    case 11: return store_measure_add(s, &tester, STORE_ORG_SCOPE(org), id->project, &mi, &id->measure, err);
    case 12: mi.has_target = true; mi.target = 2; return store_measure_update(s, &tester, STORE_ORG_SCOPE(org), id->measure, &mi, err);
    case 13: return store_points_put(s, &tester, STORE_ORG_SCOPE(org), id->measure, pts, 2, err);
    case 14: return store_points_csv(s, &tester, STORE_ORG_SCOPE(org), id->measure, csv, strlen(csv), NULL, err);
    case 15: return store_point_delete(s, &tester, STORE_ORG_SCOPE(org), id->measure, "2025-01-13", err);
    case 16: return store_rebase_add(s, &tester, STORE_ORG_SCOPE(org), id->measure, "2025-01-20", "New rails", &id->rebase, err);
    case 17: return store_rebase_delete(s, &tester, STORE_ORG_SCOPE(org), id->rebase, err);
    case 18: return store_pdsa_delete(s, &tester, STORE_ORG_SCOPE(org), id->cycle, err);
    case 19: return store_driver_delete(s, &tester, STORE_ORG_SCOPE(org), id->prim, err);
    case 20: return store_measure_delete(s, &tester, STORE_ORG_SCOPE(org), id->measure, err);
    case 21: return store_case_publish(s, &tester, STORE_ORG_SCOPE(org), id->project, &story, &id->story, err);
    case 22: story.contact = "Ward 9"; return store_case_publish(s, &tester, STORE_ORG_SCOPE(org), id->project, &story, NULL, err);
    case 23: return store_case_unpublish(s, &tester, STORE_ORG_SCOPE(org), id->story, err);
    case 24: return store_case_publish(s, &tester, STORE_ORG_SCOPE(org), id->project, &story, &id->story, err);
    case 25: return store_project_delete(s, &tester, STORE_ORG_SCOPE(org), id->project, err);
    default: return -2;
    }
}

/* do_write and snapshot in fault_sweep's terms. */
static int write_at(struct store *s, int which, void *ids, struct purpose_err *err)
{
    return do_write(s, which, ids, err);
}

static char *snapshot_of(struct store *s, const char *path)
{
    (void)path;
    return snapshot(s);
}

static void test_failed_write_changes_nothing(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->s;
    struct ids id = {0};
    fault_sweep(s, f->path, 26, 199, write_at, &id, snapshot_of);
}

/* The migration that makes every rebase name a point: a rebase made when one started at the first
 * point on or after its date moves to that point; of two that would meet, only the nearer moves.
 * Its SQL is run again here on legacy rows written straight into the table. */
static void test_rebase_migration(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t pid, mid;
    struct store_project_input in = project("Falls", &ambition, 1, "");
    struct store_measure_input mi = {.name = "Falls", .kind = "outcome", .unit = "", .direction = "decrease"};
    struct store_point pts[] = {{"2025-01-06", 5, false, 0}, {"2025-01-13", 4, false, 0}, {"2025-01-20", 6, false, 0}, {"2025-01-27", 3, false, 0}};
    OK(store_project_add(f->s, &tester, STORE_ORG_SCOPE(org), &in, &pid, &err));
    OK(store_measure_add(f->s, &tester, STORE_ORG_SCOPE(org), pid, &mi, &mid, &err));
    OK(store_points_put(f->s, &tester, STORE_ORG_SCOPE(org), mid, pts, 4, &err));
    store_close(&f->s);
    struct db *db;
    struct db_conn *c;
    OK(db_open(f->path, &db, &err));
    OK(db_acquire(db, true, &c, &err));
    static const char *const legacy[][2] = {{"2025-01-08", "a"}, {"2025-01-15", "b"}, {"2025-01-17", "c"},
                                            {"2025-01-27", "d"}, {"2025-02-01", "e"}};
    for (size_t i = 0; i < 5; i++)
        OK(db_run(c, &err, "INSERT INTO measure_rebases(measure_id, day, reason) VALUES(?,?,?)", "itt", mid, legacy[i][0],
                  legacy[i][1]));
    OK(db_exec(c, store_rebases_to_points_sql, &err));
    db_release(c);
    db_close(&db);
    OK(fixture_store_open(f->path, &f->s, &err));
    struct store_rebase_list rl;
    OK(store_rebase_list(f->s, STORE_ORG_SCOPE(org), mid, &rl, &err));
    struct buf b;
    buf_init(&b, 1 << 12);
    for (size_t i = 0; i < rl.n; i++)
        buf_printf(&b, "%s %s\n", rl.items[i].day, rl.items[i].reason);
    assert_string_equal(b.data, "2025-01-13 a\n2025-01-15 b\n2025-01-20 c\n2025-01-27 d\n2025-02-01 e\n");
    buf_release(&b);
    store_rebase_list_release(&rl);
}

int main(void)
{
    struct purpose_err err;
    if (secret_init(&err) < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rules_name_the_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_project_life, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rebase_migration, setup, teardown),
    };
    return run_on_both_engines("projects", tests);
}
