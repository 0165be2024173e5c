/* Engagement events in the store (store/events.h) on both engines: checks, scope, attendance, outputs
 * attributed to the event and to nobody (read from the tables), renaming, deleting (its outputs are
 * hidden and audited), the heard-at-events totals, and fault injection: every step of every write
 * failing in turn changes nothing. */
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
#include "core/banned.h"

static const struct store_actor tester = {1, "tester"};

struct fixture {
    char dir[64];
    char path[512];
    struct store *s;
    int64_t campaign;
};

static int64_t org, other;
#define ORG ((struct store_scope){STORE_SCOPE_ORG, org})
#define OTHER ((struct store_scope){STORE_SCOPE_ORG, other})
#define NOW 1800000000

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    fixture_fresh(f->dir, f->path, "events");
    struct purpose_err err = {0};
    assert_int_equal(fixture_store_open(f->path, &f->s, &err), 0);
    assert_int_equal(store_org_add(f->s, &tester, "trust", "A Trust", "nhs_trust", "", &org, &err), 0);
    assert_int_equal(store_org_add(f->s, &tester, "other", "Another", "nhs_trust", "", &other, &err), 0);
    /* A conversation that has closed: events are entered after the fact. */
    struct store_campaign_input in = {.question = "What matters?", .audience = "all", .privacy = "p",
                                      .opens_at = NOW - 1000, .closes_at = NOW - 10};
    assert_int_equal(store_campaign_add(f->s, &tester, &ORG, &in, &f->campaign, &err), 0);
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

static const struct store_attendance att[] = {{"staff", NULL, 12}, {"eth-K", NULL, 3}, {"carer", NULL, 0}};

static struct store_event_input workshop(void)
{
    return (struct store_event_input){.title = "Workshop on the ward", .format = "workshop", .place = "Ward 7",
                                      .notes = "Cards", .held_on = NOW - 500 + 3600, .attendees = 14,
                                      .attendance = att, .nattendance = 3};
}

static void test_checks_and_scope(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    struct store_event_input in = workshop();
    in.format = "party";
    assert_int_equal(store_event_add(f->s, &tester, &ORG, f->campaign, &in, NULL, &err), -1);
    assert_string_equal(err.field, "format");
    in = workshop();
    in.title = "";
    assert_int_equal(store_event_add(f->s, &tester, &ORG, f->campaign, &in, NULL, &err), -1);
    assert_string_equal(err.field, "title");
    in = workshop();
    in.attendees = 2; /* fewer than the 12 staff */
    assert_int_equal(store_event_add(f->s, &tester, &ORG, f->campaign, &in, NULL, &err), -1);
    assert_string_equal(err.field, "attendance");
    in = workshop();
    struct store_attendance twice[] = {{"staff", NULL, 1}, {"staff", NULL, 2}};
    in.attendance = twice;
    in.nattendance = 2;
    assert_int_equal(store_event_add(f->s, &tester, &ORG, f->campaign, &in, NULL, &err), -1);
    assert_non_null(strstr(err.msg, "given twice"));
    in = workshop();
    assert_int_equal(store_event_add(f->s, &tester, &OTHER, f->campaign, &in, NULL, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    int64_t id = 0;
    assert_int_equal(store_event_add(f->s, &tester, &ORG, f->campaign, &in, &id, &err), 0);
    struct store_event e;
    assert_int_equal(store_event_get(f->s, &OTHER, id, &e, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    assert_int_equal(store_event_get(f->s, &ORG, id, &e, &err), 0);
    assert_string_equal(e.title, "Workshop on the ward");
    assert_int_equal(e.held_on % 86400, 0); /* kept to the day */
    assert_int_equal(e.nattendance, 2);     /* a count of 0 is left out; store_groups order */
    assert_string_equal(e.attendance[0].code, "staff");
    assert_string_equal(e.attendance[1].code, "eth-K");
    assert_int_equal(e.attendance[1].count, 3);
    store_event_release(&e);
    char *rows = raw_dump(f->path, "SELECT COUNT(*) FROM engagement_events");
    assert_string_equal(rows, "1\n");
    free(rows);
}

static void test_outputs(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    struct store_event_input in = workshop();
    int64_t id, idea, comment;
    assert_int_equal(store_event_add(f->s, &tester, &ORG, f->campaign, &in, &id, &err), 0);
    assert_int_equal(store_event_output_add(f->s, &tester, &OTHER, id, 0, "An idea", "", NULL, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    assert_int_equal(store_event_output_add(f->s, &tester, &ORG, id, 0, "", "", NULL, &err), -1);
    assert_string_equal(err.field, "body");
    /* The conversation has closed; an event's outputs are still entered. */
    assert_int_equal(store_event_output_add(f->s, &tester, &ORG, id, 0, "Fix the lifts", "Estates", &idea, &err), 0);
    assert_int_equal(store_event_output_add(f->s, &tester, &ORG, id, 99999, "On nothing", "", NULL, &err), -1);
    assert_string_equal(err.field, "parent_id");
    assert_int_equal(store_event_output_add(f->s, &tester, &ORG, id, idea, "Yes", "", &comment, &err), 0);
    char *rows = raw_dump(f->path, "SELECT kind || '|' || COALESCE(user_id, 0) || '|' || author || '|' || staff || '|' "
                                   "|| state || '|' || event || '|' || theme FROM contributions ORDER BY kind DESC");
    assert_string_equal(rows, "idea|0||0|published|Workshop on the ward|Estates\n"
                              "comment|0||0|published|Workshop on the ward|\n");
    free(rows);
    rows = raw_dump(f->path, "SELECT COUNT(DISTINCT owner) FROM contributions");
    assert_string_equal(rows, "2\n");
    free(rows);
    struct store_event e;
    struct store_contribution_list l;
    assert_int_equal(store_event_get(f->s, &ORG, id, &e, &err), 0);
    assert_int_equal(e.outputs, 2);
    assert_int_equal(store_event_outputs(f->s, &ORG, &e, &l, &err), 0);
    assert_int_equal(l.n, 2);
    assert_true(l.items[0].anonymous);
    store_contribution_list_release(&l);
    store_event_release(&e);
    /* Renaming the event renames what its outputs say they are from. */
    in.title = "Ward 7 workshop";
    assert_int_equal(store_event_update(f->s, &tester, &ORG, id, &in, &err), 0);
    rows = raw_dump(f->path, "SELECT event FROM contributions ORDER BY id");
    assert_string_equal(rows, "Ward 7 workshop\nWard 7 workshop\n");
    free(rows);
    struct store_events_heard h;
    assert_int_equal(store_events_heard(f->s, &ORG, f->campaign, &h, &err), 0);
    assert_int_equal(h.events, 1);
    assert_int_equal(h.attendees, 14);
    assert_int_equal(h.outputs, 2);
    assert_int_equal(h.ngroups, 2);
    store_events_heard_release(&h);
    /* Deleting hides its outputs, each audited. */
    int64_t audits_before = 0, audits_after = 0;
    rows = raw_dump(f->path, "SELECT COUNT(*) FROM audit");
    audits_before = strtoll(rows, NULL, 10);
    free(rows);
    assert_int_equal(store_event_delete(f->s, &tester, &ORG, id, &err), 0);
    rows = raw_dump(f->path, "SELECT state || '|' || reason FROM contributions ORDER BY id");
    assert_string_equal(rows, "hidden|Its event was deleted\nhidden|Its event was deleted\n");
    free(rows);
    rows = raw_dump(f->path, "SELECT COUNT(*) FROM audit");
    audits_after = strtoll(rows, NULL, 10);
    free(rows);
    assert_int_equal(audits_after - audits_before, 3);
    assert_int_equal(store_event_get(f->s, &ORG, id, &e, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    rows = raw_dump(f->path, "SELECT (SELECT COUNT(*) FROM event_outputs) + (SELECT COUNT(*) FROM event_attendance)");
    assert_string_equal(rows, "0\n");
    free(rows);
}

static char *snapshot(const char *path)
{
    return raw_dump(path, "SELECT 'e' || id || title || attendees FROM engagement_events UNION ALL "
                          "SELECT 'g' || event_id || grp || attended FROM event_attendance UNION ALL "
                          "SELECT 'o' || contribution_id || '/' || event_id FROM event_outputs UNION ALL "
                          "SELECT 'c' || id || state || event FROM contributions UNION ALL "
                          "SELECT 'a' || COUNT(*) FROM audit");
}

static int do_write(struct store *s, int which, int64_t cid, int64_t id, struct purpose_err *err)
{
    struct store_event_input in = workshop();
    in.title = "Renamed";
    switch (which) {
    case 0: return store_event_add(s, &tester, &ORG, cid, &in, NULL, err);
    case 1: return store_event_update(s, &tester, &ORG, id, &in, err);
    case 2: return store_event_output_add(s, &tester, &ORG, id, 0, "Another idea", "", NULL, err);
    case 3: return store_event_delete(s, &tester, &ORG, id, err);
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
    struct store_event_input in = workshop();
    int64_t id;
    assert_int_equal(store_event_add(f->s, &tester, &ORG, f->campaign, &in, &id, &e0), 0);
    assert_int_equal(store_event_output_add(f->s, &tester, &ORG, id, 0, "An idea", "", NULL, &e0), 0);
    int64_t ids[2] = {f->campaign, id};
    fault_sweep(f->s, f->path, 4, 99, write_at, ids, snapshot_of);
}

int main(void)
{
    struct purpose_err err;
    if (secret_init(&err) < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_checks_and_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outputs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write_changes_nothing, setup, teardown),
    };
    return run_on_both_engines("events", tests);
}
