/* Every measure and point store function takes the scope it is used in and enforces it in its SQL
 * (issue 18): an organisation's measure (of a project) and a programme's own measure, each called
 * with another organisation's scope and with a programme's scope it does not belong to, are not
 * found by any read and changed by no write (NOT_FOUND, the tables as they were); then the right
 * scope finds and changes each. On both engines. */
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
#define STORE_FIXTURE_ONE_ORGANISATION
#include "store_fixture.h"
#include "core/banned.h"

#define OK(x) assert_int_equal((x), 0)
#define NOT_FOUND(x)                                                                                   \
    do {                                                                                               \
        memset(&err, 0, sizeof err);                                                                   \
        assert_int_equal((x), -1);                                                                     \
        assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);                                             \
    } while (0)

/* Everything a measure or point write could change, as text. */
static char *snapshot(const char *path)
{
    return raw_dump(path, "SELECT 'm' || id || '/' || COALESCE(org_id, 0) || '/' || COALESCE(project_id, 0) || '/' || "
                          "COALESCE(ambition_id, 0) || '/' || COALESCE(programme_id, 0) || '/' || COALESCE(aim_id, 0) || "
                          "name || kind || unit || direction || COALESCE(target, -1) || chart || per FROM measures "
                          "UNION ALL SELECT 'v' || measure_id || day || value FROM measure_points UNION ALL "
                          "SELECT 'r' || measure_id || day FROM measure_rebases UNION ALL SELECT 'a' || COUNT(*) FROM audit");
}

static bool listed(const struct store_measure_list *l, int64_t id)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].id == id)
            return true;
    return false;
}

static bool has_data(const struct store_measure_data_list *l, int64_t id)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].measure_id == id)
            return true;
    return false;
}

/* Every call with scope sc on measure mid (not sc's): nothing found, nothing changed. */
static void wrong_scope(struct fixture *f, const struct store_scope *sc, int64_t mid)
{
    struct purpose_err err = {0};
    const struct store_measure_input edit = {.name = "Taken over", .kind = "process", .unit = "%",
                                             .direction = "increase"};
    const struct store_point pt = {"2025-05-04", 9, false, 0};
    const char csv[] = "date,value\n2025-05-04,9\n";
    struct store_measure m;
    NOT_FOUND(store_measure_get(f->s, sc, mid, &m, &err));
    NOT_FOUND(store_measure_update(f->s, &tester, sc, mid, &edit, &err));
    NOT_FOUND(store_measure_move(f->s, &tester, sc, mid, &(struct store_measure_owner){0}, &err));
    NOT_FOUND(store_measure_delete(f->s, &tester, sc, mid, &err));
    NOT_FOUND(store_points_put(f->s, &tester, sc, mid, &pt, 1, &err));
    size_t n = 0, n_bad = 0;
    NOT_FOUND(store_points_csv(f->s, &tester, sc, mid, csv, strlen(csv), &n, &err));
    NOT_FOUND(store_points_csv_each(f->s, &tester, sc, mid, csv, strlen(csv), &n, NULL, NULL, &n_bad, &err));
    NOT_FOUND(store_point_delete(f->s, &tester, sc, mid, "2025-05-01", &err));
    struct store_point_list pl;
    OK(store_points_list(f->s, sc, mid, &pl, &err));
    assert_int_equal(pl.n, 0);
    store_point_list_release(&pl);
    struct store_measure_list ml;
    OK(store_measure_list(f->s, sc, 0, &ml, &err));
    assert_false(listed(&ml, mid));
    store_measure_list_release(&ml);
    struct store_measure_data_list dl;
    OK(store_points_all(f->s, sc, &dl, &err));
    assert_false(has_data(&dl, mid));
    store_measure_data_list_release(&dl);
    struct store_rebase_list rl;
    OK(store_rebase_list(f->s, sc, mid, &rl, &err));
    assert_int_equal(rl.n, 0);
    store_rebase_list_release(&rl);
}

static void test_measures_wrong_scope(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t other = 0, prog = 0, prog2 = 0, pid = 0, aim = 0;
    OK(store_org_add(f->s, &tester, "other", "Another Trust", "nhs_trust", "", &other, &err));
    OK(store_programme_add(f->s, &tester, "region", "A region", "d", &prog, &err));
    OK(store_programme_add(f->s, &tester, "elsewhere", "Another region", "d", &prog2, &err));
    OK(store_programme_partner_set(f->s, &tester, prog, org, true, &err)); /* a partner: still not the programme's */
    OK(store_aim_add(f->s, &tester, prog, "Every handover within 60 minutes", "d", 2027, &aim, &err));
    const struct store_scope mine = ORG, theirs = {STORE_SCOPE_ORG, other}, region = {STORE_SCOPE_PROGRAMME, prog},
                             region2 = {STORE_SCOPE_PROGRAMME, prog2};
    struct store_project_input in = {.title = "Fewer falls", .aim = "Halve falls", .status = "complete",
                                     .start_date = "2025-04-01", .why_unaligned = "A regulator's ask", .score_x10 = 20,
                                     .programme_id = prog}; /* one of the programme's projects, by a partner */
    OK(store_project_add(f->s, &tester, &mine, &in, &pid, &err));
    const struct store_measure_input mi = {.name = "Falls", .kind = "outcome", .unit = "", .direction = "decrease"};
    const struct store_point pts[] = {{"2025-05-01", 4, false, 0}, {"2025-05-02", 5, false, 0}, {"2025-05-03", 3, false, 0}};
    int64_t mo = 0, mp = 0;
    OK(store_measure_add(f->s, &tester, &mine, pid, &mi, &mo, &err));
    OK(store_points_put(f->s, &tester, &mine, mo, pts, 3, &err));
    OK(store_rebase_add(f->s, &tester, &mine, mo, "2025-05-02", "Night checks", NULL, &err));
    OK(store_measure_add_to(f->s, &tester, &region, &(struct store_measure_owner){.aim_id = aim}, &mi, &mp, &err));
    OK(store_points_put(f->s, &tester, &region, mp, pts, 3, &err));
    OK(store_rebase_add(f->s, &tester, &region, mp, "2025-05-02", "A new rota", NULL, &err));

    char *before = snapshot(f->path);
    /* The organisation's measure: another organisation, its own programme, another programme. */
    const struct store_scope *not_mo[] = {&theirs, &region, &region2};
    for (size_t w = 0; w < 3; w++)
        wrong_scope(f, not_mo[w], mo);
    /* The programme's: another programme, a partner organisation, another organisation. */
    const struct store_scope *not_mp[] = {&region2, &mine, &theirs};
    for (size_t w = 0; w < 3; w++)
        wrong_scope(f, not_mp[w], mp);
    /* A project of the organisation through another scope: not found, none made. */
    NOT_FOUND(store_measure_add(f->s, &tester, &theirs, pid, &mi, NULL, &err));
    NOT_FOUND(store_measure_add(f->s, &tester, &region, pid, &mi, NULL, &err));
    /* Owners of the other side, or of another scope: an input error on "owner", nothing made. */
    const struct store_measure_owner to_aim = {.aim_id = aim}, to_project = {.project_id = pid};
    assert_int_equal(store_measure_add_to(f->s, &tester, &mine, &to_aim, &mi, NULL, &err), -1);
    assert_string_equal(err.field, "owner");
    assert_int_equal(store_measure_add_to(f->s, &tester, &region, &to_project, &mi, NULL, &err), -1);
    assert_string_equal(err.field, "owner");
    assert_int_equal(store_measure_add_to(f->s, &tester, &region2, &to_aim, &mi, NULL, &err), -1);
    assert_string_equal(err.field, "owner");
    assert_int_equal(store_measure_move(f->s, &tester, &mine, mo, &to_aim, &err), -1);
    assert_string_equal(err.field, "owner");
    assert_int_equal(store_measure_move(f->s, &tester, &region, mp, &to_project, &err), -1);
    assert_string_equal(err.field, "owner");
    NOT_FOUND(store_measure_add_to(f->s, &tester, &(struct store_scope){STORE_SCOPE_PROGRAMME, prog2 + 100},
                                   &(struct store_measure_owner){0}, &mi, NULL, &err));
    char *after = snapshot(f->path);
    assert_string_equal(before, after);
    free(after);

    /* The programme's view across its partners: its partner's project's measure, in its scope only. */
    const struct store_scope *scopes[] = {&region, &region2, &mine, &theirs};
    for (size_t k = 0; k < 4; k++) {
        struct store_measure_list ml;
        OK(store_measure_list_programme(f->s, scopes[k], &ml, &err));
        assert_int_equal(listed(&ml, mo), k == 0);
        assert_false(listed(&ml, mp));
        store_measure_list_release(&ml);
        struct store_measure_data_list dl;
        OK(store_points_all_programme(f->s, scopes[k], &dl, &err));
        assert_int_equal(has_data(&dl, mo), k == 0);
        store_measure_data_list_release(&dl);
    }

    /* The right scope: each found and changed. */
    const struct store_scope *right[] = {&mine, &region};
    const int64_t ids[] = {mo, mp};
    for (size_t k = 0; k < 2; k++) {
        const struct store_scope *sc = right[k];
        struct store_measure m;
        OK(store_measure_get(f->s, sc, ids[k], &m, &err));
        assert_int_equal(m.org_id, k == 0 ? org : 0);
        assert_int_equal(m.programme_id, k == 0 ? 0 : prog);
        store_measure_release(&m);
        struct store_point_list pl;
        OK(store_points_list(f->s, sc, ids[k], &pl, &err));
        assert_int_equal(pl.n, 3);
        store_point_list_release(&pl);
        struct store_measure_list ml;
        OK(store_measure_list(f->s, sc, 0, &ml, &err));
        assert_true(listed(&ml, ids[k]));
        assert_false(listed(&ml, ids[1 - k]));
        store_measure_list_release(&ml);
        struct store_measure_data_list dl;
        OK(store_points_all(f->s, sc, &dl, &err));
        assert_true(has_data(&dl, ids[k]));
        assert_false(has_data(&dl, ids[1 - k]));
        store_measure_data_list_release(&dl);
        const char csv[] = "date,value\n2025-05-04,9\n";
        size_t n = 0;
        OK(store_points_csv(f->s, &tester, sc, ids[k], csv, strlen(csv), &n, &err));
        assert_int_equal(n, 1);
        OK(store_point_delete(f->s, &tester, sc, ids[k], "2025-05-04", &err));
        OK(store_measure_move(f->s, &tester, sc, ids[k], &(struct store_measure_owner){0}, &err));
        const struct store_measure_input edit = {.name = "Falls a week", .kind = "outcome", .unit = "",
                                                 .direction = "decrease"};
        OK(store_measure_update(f->s, &tester, sc, ids[k], &edit, &err));
        OK(store_measure_delete(f->s, &tester, sc, ids[k], &err));
        NOT_FOUND(store_measure_get(f->s, sc, ids[k], &m, &err));
    }
    free(before);
}

int main(void)
{
    struct purpose_err err;
    if (secret_init(&err) < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_measures_wrong_scope, setup, teardown),
    };
    return run_on_both_engines("scope_measures", tests);
}
