/* A measure's points on both engines: the one point check every way in passes (a value the chart can
 * use, a series the SPC engine can chart, before anything commits), and the CSV upload's messages
 * (one prefix, never empty) and header rule (a bad first row is named, never skipped). */
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
#include "store/store.h"
#define STORE_FIXTURE_ONE_ORGANISATION
#include "store_fixture.h"
#include "core/banned.h"

#define OK(call) do { if ((call) != 0) fail_msg("%s: %s", #call, err.msg); } while (0)

/* A measure of a new project of the fixture's organisation. */
static int64_t new_measure(struct store *s)
{
    struct purpose_err err = {0};
    struct store_project_input in = {.title = "Falls", .aim = "Fewer falls", .team = "", .sponsor = "",
                                     .status = "active", .start_date = "2025-04-01",
                                     .why_unaligned = "A pilot before the strategy", .score_x10 = 10};
    struct store_measure_input mi = {.name = "Falls", .kind = "outcome", .unit = "", .direction = "decrease"};
    int64_t pid, mid;
    OK(store_project_add(s, &tester, STORE_ORG_SCOPE(org), &in, &pid, &err));
    OK(store_measure_add(s, &tester, STORE_ORG_SCOPE(org), pid, &mi, &mid, &err));
    return mid;
}

/* The measure's points as "day=value" words. */
static void points_text(struct store *s, int64_t mid, char *out, size_t n)
{
    struct purpose_err err = {0};
    struct store_point_list pl;
    OK(store_points_list(s, STORE_ORG_SCOPE(org), mid, &pl, &err));
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < pl.n && at < n; i++)
        at += (size_t)snprintf(out + at, n - at, "%s%s=%g", i ? " " : "", pl.items[i].day, pl.items[i].value);
    store_point_list_release(&pl);
}

/* Finding 3 of issue 16: ±1.7e308 were stored, then no page could chart the measure. */
static void test_points_that_cannot_be_charted_are_refused(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t mid = new_measure(f->s);
    struct store_point huge[] = {{"2025-01-01", -1.7e308, false, 0}, {"2025-01-02", 0, false, 0}, {"2025-01-03", 0, false, 0}};
    assert_int_equal(store_points_put(f->s, &tester, STORE_ORG_SCOPE(org), mid, huge, 3, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
    assert_string_equal(err.field, "value");
    assert_string_equal(err.msg, "point 1: value: must be a number from -1e+15 to 1e+15");
    const char *csv = "date,value\n2025-01-01,1\n2025-01-02,1.7e308\n";
    assert_int_equal(store_points_csv(f->s, &tester, STORE_ORG_SCOPE(org), mid, csv, strlen(csv), NULL, &err), -1);
    assert_string_equal(err.msg, "row 3: value: must be a number from -1e+15 to 1e+15");
    char text[256];
    points_text(f->s, mid, text, sizeof text);
    assert_string_equal(text, "");
    /* The bounds themselves chart. */
    struct store_point edge[] = {{"2025-01-01", 1e15, false, 0}, {"2025-01-02", -1e15, false, 0}, {"2025-01-03", 1e15, false, 0}};
    OK(store_points_put(f->s, &tester, STORE_ORG_SCOPE(org), mid, edge, 3, &err));
    struct store_measure_input mi = {.name = "Falls", .kind = "outcome", .unit = "", .direction = "decrease",
                                     .has_target = true, .target = 1.7e308};
    assert_int_equal(store_measure_update(f->s, &tester, STORE_ORG_SCOPE(org), mid, &mi, &err), -1);
    assert_string_equal(err.field, "target");
}

/* The engine is asked about the whole series as it would be stored: a series stored before the check
 * (written straight into the table here) refuses new points until its bad point goes. */
static void test_the_engine_judges_the_whole_series(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t mid = new_measure(f->s);
    struct store_point two[] = {{"2025-01-01", 1, false, 0}, {"2025-01-02", 2, false, 0}};
    OK(store_points_put(f->s, &tester, STORE_ORG_SCOPE(org), mid, two, 2, &err));
    char sql[200];
    snprintf(sql, sizeof sql, "INSERT INTO measure_points(measure_id, day, value) VALUES(%lld, '2025-01-03', 1.7e308)",
             (long long)mid);
    assert_int_equal(raw_exec(f->path, sql), 0);
    snprintf(sql, sizeof sql, "INSERT INTO measure_points(measure_id, day, value) VALUES(%lld, '2025-01-04', -1.7e308)",
             (long long)mid);
    assert_int_equal(raw_exec(f->path, sql), 0);
    struct store_point one = {"2025-01-05", 3, false, 0};
    assert_int_equal(store_points_put(f->s, &tester, STORE_ORG_SCOPE(org), mid, &one, 1, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
    assert_string_equal(err.field, "value");
    assert_non_null(strstr(err.msg, "value: the measure's points cannot be charted with these: the values are too "
                                    "large to chart"));
    assert_non_null(strstr(err.msg, "is on 2025-01-03)"));
    const char *csv = "2025-01-05,3\n";
    assert_int_equal(store_points_csv(f->s, &tester, STORE_ORG_SCOPE(org), mid, csv, strlen(csv), NULL, &err), -1);
    assert_string_equal(err.field, "value");
    char text[256];
    points_text(f->s, mid, text, sizeof text);
    assert_string_equal(text, "2025-01-01=1 2025-01-02=2 2025-01-03=1.7e+308 2025-01-04=-1.7e+308");
    OK(store_point_delete(f->s, &tester, STORE_ORG_SCOPE(org), mid, "2025-01-03", &err));
    OK(store_point_delete(f->s, &tester, STORE_ORG_SCOPE(org), mid, "2025-01-04", &err));
    OK(store_points_put(f->s, &tester, STORE_ORG_SCOPE(org), mid, &one, 1, &err));
    points_text(f->s, mid, text, sizeof text);
    assert_string_equal(text, "2025-01-01=1 2025-01-02=2 2025-01-05=3");
}

/* Finding 6: an error formatted into its own buffer came back empty ({"error":""}) or doubled
 * ("row 3: row 3: ..."). */
static void test_messages_are_whole_and_said_once(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t mid = new_measure(f->s);
    const char *quote = "date,value\n\"2025-01-01,3\n";
    assert_int_equal(store_points_csv(f->s, &tester, STORE_ORG_SCOPE(org), mid, quote, strlen(quote), NULL, &err), -1);
    assert_string_equal(err.msg, "row 2: unterminated quoted field");
    assert_string_equal(err.field, "file");
    struct store_point bad[] = {{"2025-01-01", 1, false, 0}, {"2025-02-30", 2, false, 0}};
    assert_int_equal(store_points_put(f->s, &tester, STORE_ORG_SCOPE(org), mid, bad, 2, &err), -1);
    assert_string_equal(err.field, "date");
    assert_memory_equal(err.msg, "point 2: date: ", 15);
    assert_null(strstr(err.msg + 1, "point 2"));
}

/* Finding 6: with no header, a bad first row was taken for one and skipped without a word. */
static void test_a_first_row_is_a_header_or_a_point(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t mid = new_measure(f->s);
    static const char *const refused[][2] = {
        {"2025-13-45,5\n2025-01-06,3\n", "row 1: date: \"2025-13-45\" is not a date"},
        {"n/a,5\n2025-01-06,3\n", "row 1: date: \"n/a\" is not a date"},
        {"date,7\n2025-01-06,3\n", "row 1: date: \"date\" is not a date"},
        {"2025-01-05,x\n2025-01-06,3\n", "row 1: value: \"x\" is not a number"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        assert_int_equal(store_points_csv(f->s, &tester, STORE_ORG_SCOPE(org), mid, refused[i][0], strlen(refused[i][0]), NULL, &err),
                         -1);
        assert_string_equal(err.msg, refused[i][1]);
    }
    char text[256];
    points_text(f->s, mid, text, sizeof text);
    assert_string_equal(text, "");
    static const char *const headed[] = {"date,value\n2025-01-06,3\n", "Week commencing,Falls per 1000\n2025-01-13,4\n",
                                         "2025-01-20,5\n"};
    size_t n = 0;
    for (size_t i = 0; i < 3; i++) {
        OK(store_points_csv(f->s, &tester, STORE_ORG_SCOPE(org), mid, headed[i], strlen(headed[i]), &n, &err));
        assert_int_equal(n, 1);
    }
    points_text(f->s, mid, text, sizeof text);
    assert_string_equal(text, "2025-01-06=3 2025-01-13=4 2025-01-20=5");
}

/* Issue 19: a point fits its measure's chart type (a denominator on P, P', U and U' charts and on
 * no other; a P value within its denominator), whichever way it enters or the type changes; a
 * refusal names the row or the point, and leaves the measure and its points as they were. */
static void test_points_fit_the_chart_type(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t mid = new_measure(f->s);
    struct store_measure_input p = {.name = "Falls", .kind = "outcome", .unit = "", .direction = "decrease",
                                    .chart = "p", .per = 100};
    OK(store_measure_update(f->s, &tester, STORE_ORG_SCOPE(org), mid, &p, &err));
    static const char *const refused[][2] = {
        {"date,value,denominator\n2025-01-06,3,10\n2025-01-13,11,10\n",
         "row 3: value: 11 is more than its denominator 10; a p chart's value is a part of it"},
        {"2025-01-06,3,10\n2025-01-13,4,\n", "row 2: denominator: is missing; every point of a p chart needs one"},
        {"2025-01-06,3\n", "row 1: denominator: is missing; every point of a p chart needs one"},
        {"2025-01-06,3,0\n", "row 1: denominator: must be a number above 0, at most 1e+15"},
        {"2025-01-06,-1,5\n", "row 1: value: a p chart's value cannot be below 0 (-1)"},
        {"2025-01-06,3,x\n", "row 1: denominator: \"x\" is not a number"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        assert_int_equal(store_points_csv(f->s, &tester, STORE_ORG_SCOPE(org), mid, refused[i][0], strlen(refused[i][0]), NULL, &err),
                         -1);
        assert_string_equal(err.msg, refused[i][1]);
    }
    char text[256];
    points_text(f->s, mid, text, sizeof text);
    assert_string_equal(text, "");
    const char *good = "2025-01-06,3,10\n2025-01-13,4,12\n2025-01-20,2,9\n";
    OK(store_points_csv(f->s, &tester, STORE_ORG_SCOPE(org), mid, good, strlen(good), NULL, &err));
    struct store_point_list pl;
    OK(store_points_list(f->s, STORE_ORG_SCOPE(org), mid, &pl, &err));
    assert_int_equal(pl.n, 3);
    assert_true(pl.items[1].has_den && pl.items[1].den == 12);
    store_point_list_release(&pl);
    /* A type without denominators refuses the stored points, naming the first; nothing changes. */
    struct store_measure_input xmr = p;
    xmr.chart = "xmr";
    assert_int_equal(store_measure_update(f->s, &tester, STORE_ORG_SCOPE(org), mid, &xmr, &err), -1);
    assert_string_equal(err.field, "chart");
    assert_string_equal(err.msg, "chart: the measure's points do not fit a xmr chart: the point on 2025-01-06: "
                                 "denominator: a xmr chart takes none (only p, pp, u and up charts do)");
    struct store_measure m;
    OK(store_measure_get(f->s, STORE_ORG_SCOPE(org), mid, &m, &err));
    assert_int_equal(m.chart, SPC_CHART_P);
    assert_true(m.per == 100);
    store_measure_release(&m);
    struct store_measure_input u = p;
    u.chart = "u";
    OK(store_measure_update(f->s, &tester, STORE_ORG_SCOPE(org), mid, &u, &err));
    struct store_point over = {"2025-01-27", 20, true, 10}; /* a rate may exceed 1 */
    OK(store_points_put(f->s, &tester, STORE_ORG_SCOPE(org), mid, &over, 1, &err));
    struct store_point none = {"2025-02-03", 1, false, 0};
    assert_int_equal(store_points_put(f->s, &tester, STORE_ORG_SCOPE(org), mid, &none, 1, &err), -1);
    assert_string_equal(err.msg, "point 1: denominator: is missing; every point of a u chart needs one");
    points_text(f->s, mid, text, sizeof text);
    assert_string_equal(text, "2025-01-06=3 2025-01-13=4 2025-01-20=2 2025-01-27=20");
}

/* Every bad row of an upload is told (store_points_csv_each), with its line, field, reason and
 * text: the parser's, a ragged row's, a day given twice and a point that does not fit the chart
 * type; err is the first; nothing is stored. */
static void told(void *ctx, size_t line, const char *field, const char *reason, const char *row, size_t row_len)
{
    struct buf *b = ctx;
    buf_printf(b, "%zu|%s|%s|%.*s\n", line, field, reason, (int)row_len, row ? row : "");
}

static void test_every_bad_row_is_told(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t mid = new_measure(f->s);
    struct store_measure_input c = {.name = "Falls", .kind = "outcome", .unit = "", .direction = "decrease",
                                    .chart = "c", .per = 1};
    OK(store_measure_update(f->s, &tester, STORE_ORG_SCOPE(org), mid, &c, &err));
    const char *csv = "date,value\n2025-01-01,3\nsomeday,4\r\n2025-01-03,abc\n2025-01-04,1,2,3\n2025-01-01,5\n"
                      "2025-01-06,-1\n2025-01-07,2\n";
    struct buf b;
    buf_init(&b, 1 << 16);
    size_t n = 9, bad = 0;
    assert_int_equal(store_points_csv_each(f->s, &tester, STORE_ORG_SCOPE(org), mid, csv, strlen(csv), &n, told, &b, &bad, &err), -1);
    assert_int_equal(bad, 5);
    assert_int_equal(n, 9);
    assert_string_equal(err.msg, "row 3: date: \"someday\" is not a date");
    assert_non_null(b.data);
    assert_string_equal(b.data, "3|date|date: \"someday\" is not a date|someday,4\n"
                                "4|value|value: \"abc\" is not a number|2025-01-03,abc\n"
                                "5|file|expected 2 fields, as in the header, but found 4|2025-01-04,1,2,3\n"
                                "6|date|date: 2025-01-01 is given twice (also row 2)|2025-01-01,5\n"
                                "7|value|value: a c chart counts, so -1 cannot be below 0|2025-01-06,-1\n");
    buf_release(&b);
    char text[64];
    points_text(f->s, mid, text, sizeof text);
    assert_string_equal(text, "");
    /* Without on_bad, the first bad row refuses, as store_points_csv always did. */
    assert_int_equal(store_points_csv(f->s, &tester, STORE_ORG_SCOPE(org), mid, csv, strlen(csv), NULL, &err), -1);
    assert_string_equal(err.msg, "row 3: date: \"someday\" is not a date");
}

/* Issue 19: a measure of an ambition or of the organisation itself holds points as a project's does,
 * and moving it between levels keeps them; an owner not of the organisation, or two, is refused on
 * "owner" and nothing changes. */
static void test_measures_at_every_level(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    int64_t theme, ambition, mid, oid;
    OK(store_theme_add(f->s, &tester, STORE_ORG_SCOPE(org), "Safe care", "", &theme, &err));
    OK(store_ambition_add(f->s, &tester, STORE_ORG_SCOPE(org), theme, "Halve avoidable harm", "", 2028, &ambition, &err));
    struct store_measure_input in = {.name = "Harm", .kind = "outcome", .unit = "", .direction = "decrease"};
    struct store_measure_owner both = {1, ambition, 0}, foreign = {0, ambition + 1000, 0}, at_ambition = {0, ambition, 0},
                               at_org = {0, 0, 0};
    assert_int_equal(store_measure_add_to(f->s, &tester, STORE_ORG_SCOPE(org), &both, &in, &mid, &err), -1);
    assert_string_equal(err.field, "owner");
    assert_int_equal(store_measure_add_to(f->s, &tester, STORE_ORG_SCOPE(org), &foreign, &in, &mid, &err), -1);
    assert_string_equal(err.field, "owner");
    struct store_measure_list ml;
    OK(store_measure_list(f->s, STORE_ORG_SCOPE(org), 0, &ml, &err));
    assert_int_equal(ml.n, 0);
    store_measure_list_release(&ml);
    OK(store_measure_add_to(f->s, &tester, STORE_ORG_SCOPE(org), &at_ambition, &in, &mid, &err));
    OK(store_measure_add_to(f->s, &tester, STORE_ORG_SCOPE(org), &at_org, &in, &oid, &err));
    const char *csv = "2025-01-06,3\n2025-01-13,4\n2025-01-20,2\n";
    OK(store_points_csv(f->s, &tester, STORE_ORG_SCOPE(org), mid, csv, strlen(csv), NULL, &err));
    struct store_measure m;
    OK(store_measure_get(f->s, STORE_ORG_SCOPE(org), mid, &m, &err));
    assert_true(m.ambition_id == ambition && m.project_id == 0 && m.org_id == org);
    store_measure_release(&m);
    int64_t project = new_measure(f->s); /* a project's measure; its project is the one moved to */
    OK(store_measure_get(f->s, STORE_ORG_SCOPE(org), project, &m, &err));
    struct store_measure_owner to_project = {m.project_id, 0, 0};
    store_measure_release(&m);
    OK(store_measure_move(f->s, &tester, STORE_ORG_SCOPE(org), mid, &to_project, &err));
    assert_int_equal(store_measure_move(f->s, &tester, STORE_ORG_SCOPE(org), mid, &foreign, &err), -1);
    assert_string_equal(err.field, "owner");
    OK(store_measure_get(f->s, STORE_ORG_SCOPE(org), mid, &m, &err));
    assert_true(m.project_id == to_project.project_id && m.ambition_id == 0);
    store_measure_release(&m);
    OK(store_measure_move(f->s, &tester, STORE_ORG_SCOPE(org), mid, &at_org, &err));
    char text[256];
    points_text(f->s, mid, text, sizeof text);
    assert_string_equal(text, "2025-01-06=3 2025-01-13=4 2025-01-20=2");
    OK(store_measure_list(f->s, STORE_ORG_SCOPE(org), 0, &ml, &err)); /* the organisation's own first, then by project */
    assert_int_equal(ml.n, 3);
    assert_true(ml.items[0].id == mid && ml.items[1].id == oid && ml.items[2].id == project);
    store_measure_list_release(&ml);
}

int main(void)
{
    struct purpose_err err;
    if (secret_init(&err) < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_points_that_cannot_be_charted_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_engine_judges_the_whole_series, setup, teardown),
        cmocka_unit_test_setup_teardown(test_messages_are_whole_and_said_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_first_row_is_a_header_or_a_point, setup, teardown),
        cmocka_unit_test_setup_teardown(test_points_fit_the_chart_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_measures_at_every_level, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_bad_row_is_told, setup, teardown),
    };
    return run_on_both_engines("points", tests);
}
