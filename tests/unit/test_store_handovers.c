/* The store's handovers on a real SQLite file and, when PURPOSE_TEST_PG names a server, on a real
 * PostgreSQL database: imports merge into the stored days exactly (stored report == report of
 * the distinct rows), a row seen before is never counted again, a rolled-back import leaves
 * nothing, a failed write at any step of an import changes nothing, and a programme sees its
 * partners' sites. */
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
    int64_t org, other, programme;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    fixture_fresh(f->dir, f->path, "ho-store");
    struct purpose_err err = {0};
    assert_int_equal(fixture_store_open(f->path, &f->s, &err), 0);
    assert_int_equal(store_org_add(f->s, &tester, "trust", "A Trust", "nhs_trust", "", &f->org, &err), 0);
    assert_int_equal(store_org_add(f->s, &tester, "ambulance", "An Ambulance Service", "ambulance_service", "",
                                   &f->other, &err), 0);
    assert_int_equal(store_programme_add(f->s, &tester, "front-door", "Front door", "Together", &f->programme, &err), 0);
    assert_int_equal(store_programme_partner_set(f->s, &tester, f->programme, f->org, true, &err), 0);
    assert_int_equal(store_programme_partner_set(f->s, &tester, f->programme, f->other, true, &err), 0);
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

/* Row i of a deterministic set: two sites, a row every 7 minutes from 2023-03-25 (across the March
 * clock change), handover 0 to 94 minutes later, some not handed over, refs repeating. */
static struct ho_row row_at(unsigned i)
{
    static const char *const sites[] = {"East", "West"};
    static char ref[16];
    snprintf(ref, sizeof ref, "R%u", i % 5);
    int64_t t0 = INT64_C(1679702400000); /* 2023-03-25T00:00Z */
    struct ho_row r = {.site = sites[i % 2], .site_len = 4, .ref = ref, .ref_len = strlen(ref)};
    r.arrival = t0 + (int64_t)(i / 2) * 7 * HO_MINUTE_MS;
    r.handover = i % 11 == 0 ? HO_NONE : r.arrival + (int64_t)((i * 37) % 95) * HO_MINUTE_MS;
    r.clear = r.handover == HO_NONE || i % 3 == 0 ? HO_NONE : r.handover + (int64_t)(i % 25) * HO_MINUTE_MS;
    return r;
}

static int emit_csv(void *ctx, const struct ho_metrics *m, struct purpose_err *err)
{
    (void)err;
    ho_report_csv_row(ctx, m);
    return 0;
}

/* The hourly report of agg as CSV, into out (caller releases). */
static void report_of(struct ho_agg *agg, struct buf *out)
{
    struct purpose_err err = {0};
    struct ho_report_opts o = {.by = HO_BY_HOUR, .from = INT32_MIN, .to = INT32_MAX};
    buf_init(out, (size_t)1 << 26);
    assert_int_equal(ho_report_run(agg, &o, emit_csv, out, &err), 0);
    assert_false(out->failed);
}

static void stored_report(struct store *s, struct store_scope scope, struct buf *out)
{
    struct purpose_err err = {0};
    struct ho_agg *agg = NULL;
    assert_int_equal(ho_agg_new(&agg, &err), 0);
    assert_int_equal(store_ho_load(s, scope, INT32_MIN, INT32_MAX, agg, &err), 0);
    report_of(agg, out);
    ho_agg_free(&agg);
}

/* The report of rows [lo, hi) of row_at. */
static void expected_report(unsigned lo, unsigned hi, struct buf *out)
{
    struct purpose_err err = {0};
    struct ho_agg *agg = NULL;
    assert_int_equal(ho_agg_new(&agg, &err), 0);
    for (unsigned i = lo; i < hi; i++) {
        struct ho_row r = row_at(i);
        assert_int_equal(ho_agg_add(agg, &r, &err), 0);
    }
    report_of(agg, out);
    ho_agg_free(&agg);
}

static int import_range(struct store *s, int64_t org, unsigned lo, unsigned hi, bool commit,
                        struct store_ho_summary *sum, struct purpose_err *err)
{
    struct store_ho_import *im = NULL;
    if (store_ho_import_begin(s, &tester, STORE_ORG_SCOPE(org), "test.csv", &im, err) < 0)
        return -1;
    int rc = 0;
    for (unsigned i = lo; i < hi && rc == 0; i++) {
        struct ho_row r = row_at(i);
        rc = store_ho_import_row(im, &r, err);
    }
    struct purpose_err end_err = {0};
    int end = store_ho_import_end(&im, commit && rc == 0, 0, sum, rc == 0 ? err : &end_err);
    return rc < 0 ? rc : end;
}

static void assert_same(const struct buf *a, const struct buf *b)
{
    if (a->len != b->len || memcmp(a->data, b->data, a->len) != 0)
        fail_msg("reports differ:\n%.*s\n---\n%.*s", (int)(a->len > 800 ? 800 : a->len), a->data,
                 (int)(b->len > 800 ? 800 : b->len), b->data);
}

static void test_imports_merge_and_never_double_count(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    struct store_ho_summary sum = {0};
    const struct store_scope org = {STORE_SCOPE_ORG, f->org};
    assert_int_equal(import_range(f->s, f->org, 0, 1500, true, &sum, &err), 0);
    assert_int_equal(sum.stored, 1500);
    assert_int_equal(sum.sites_new, 2);
    assert_int_equal(import_range(f->s, f->org, 1000, 3000, true, &sum, &err), 0);
    assert_int_equal(sum.stored, 1500);
    assert_int_equal(sum.duplicates, 500);
    assert_int_equal(sum.sites_new, 0);
    struct buf got, want;
    stored_report(f->s, org, &got);
    expected_report(0, 3000, &want);
    assert_true(got.len > 1000);
    assert_same(&got, &want);
    buf_release(&got);
    buf_release(&want);

    /* the same row twice in one import: the first wins */
    struct store_ho_import *im = NULL;
    assert_int_equal(store_ho_import_begin(f->s, &tester, STORE_ORG_SCOPE(f->org), "twice.csv", &im, &err), 0);
    struct ho_row r = row_at(5000);
    assert_int_equal(store_ho_import_row(im, &r, &err), 0);
    r.handover = r.arrival + 59 * HO_MINUTE_MS; /* same identity, other times */
    assert_int_equal(store_ho_import_row(im, &r, &err), 0);
    assert_int_equal(store_ho_import_end(&im, true, 0, &sum, &err), 0);
    assert_int_equal(sum.stored, 1);
    assert_int_equal(sum.duplicates, 1);
    stored_report(f->s, org, &got);
    expected_report(0, 3000, &want);
    struct ho_agg *agg = NULL;
    buf_release(&want);
    assert_int_equal(ho_agg_new(&agg, &err), 0);
    for (unsigned i = 0; i < 3000; i++) {
        struct ho_row x = row_at(i);
        assert_int_equal(ho_agg_add(agg, &x, &err), 0);
    }
    struct ho_row first = row_at(5000);
    assert_int_equal(ho_agg_add(agg, &first, &err), 0);
    report_of(agg, &want);
    ho_agg_free(&agg);
    assert_same(&got, &want);
    buf_release(&got);
    buf_release(&want);
}

static void points_text(struct store *s, int64_t org, int64_t id, struct buf *out);
static void expected_points(unsigned lo, unsigned hi, enum ho_by by, const char *site, int col, struct buf *out);

static void test_rollback_and_faults_change_nothing(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    struct store_ho_summary sum = {0};
    const struct store_scope org = {STORE_SCOPE_ORG, f->org};
    assert_int_equal(import_range(f->s, f->org, 0, 400, true, &sum, &err), 0);
    /* a measure that follows the organisation's sites: refreshed by the import, or not at all */
    struct store_project_input pin = {.title = "Front door", .aim = "Quicker handovers", .status = "active",
                                      .start_date = "2023-01-01", .why_unaligned = "A pilot", .score_x10 = 20};
    int64_t project = 0, mid = 0;
    assert_int_equal(store_project_add(f->s, &tester, STORE_ORG_SCOPE(f->org), &pin, &project, &err), 0);
    struct store_hom_source src = {.scope = STORE_HOM_ORG, .scope_id = f->org, .metric = "hours_lost_15"};
    assert_int_equal(store_hom_create(f->s, &tester, STORE_ORG_SCOPE(f->org), project, &src, NULL, &mid, &err), 0);
    struct buf before, after, pts_before, pts_after;
    points_text(f->s, f->org, mid, &pts_before);
    stored_report(f->s, org, &before);
    struct store_audit_list al = {0};
    assert_int_equal(store_audit_list(f->s, 0, 1000, &al, &err), 0);
    size_t audits = al.n;
    store_audit_list_release(&al);

    assert_int_equal(import_range(f->s, f->org, 300, 900, false, &sum, &err), 0);
    stored_report(f->s, org, &after);
    assert_same(&before, &after);
    buf_release(&after);

    int faults = 0;
    for (int n = 1; n < 200; n++) {
        store_fault_after(f->s, n);
        struct purpose_err e = {0};
        int rc = import_range(f->s, f->org, 300, 900, true, &sum, &e);
        store_fault_after(f->s, 0);
        if (rc == 0)
            break; /* every step passed: the import is stored (checked below) */
        faults++;
        stored_report(f->s, org, &after);
        assert_same(&before, &after);
        buf_release(&after);
        points_text(f->s, f->org, mid, &pts_after);
        assert_same(&pts_before, &pts_after);
        buf_release(&pts_after);
        assert_int_equal(store_audit_list(f->s, 0, 1000, &al, &err), 0);
        assert_int_equal(al.n, audits);
        store_audit_list_release(&al);
    }
    if (faults < 3)
        fail_msg("the import failed at only %d steps", faults);
    struct buf want;
    stored_report(f->s, org, &after);
    expected_report(0, 900, &want);
    assert_same(&after, &want);
    buf_release(&after);
    buf_release(&want);
    buf_release(&before);
    points_text(f->s, f->org, mid, &pts_after);
    expected_points(0, 900, HO_BY_DAY, "all", 1, &want);
    assert_same(&pts_after, &want);
    assert_true(pts_after.len > pts_before.len);
    buf_release(&pts_after);
    buf_release(&pts_before);
    buf_release(&want);
}

static void test_programme_sees_partner_sites(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    struct store_ho_summary sum = {0};
    assert_int_equal(import_range(f->s, f->org, 0, 10, true, &sum, &err), 0);
    assert_int_equal(import_range(f->s, f->other, 0, 4, true, &sum, &err), 0);
    assert_int_equal(sum.sites_new, 2); /* the same names, but another organisation's sites */
    struct store_ho_site_list l = {0};
    assert_int_equal(store_ho_sites(f->s, (struct store_scope){STORE_SCOPE_PROGRAMME, f->programme}, &l, &err), 0);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.items[0].org_slug, "ambulance");
    assert_string_equal(l.items[0].name, "East");
    store_ho_site_list_release(&l);
    assert_int_equal(store_ho_sites(f->s, (struct store_scope){STORE_SCOPE_ORG, f->other}, &l, &err), 0);
    assert_int_equal(l.n, 2);
    store_ho_site_list_release(&l);

    struct ho_agg *agg = NULL;
    assert_int_equal(ho_agg_new(&agg, &err), 0);
    assert_int_equal(store_ho_load(f->s, (struct store_scope){STORE_SCOPE_PROGRAMME, f->programme}, INT32_MIN,
                                   INT32_MAX, agg, &err), 0);
    assert_int_equal(ho_agg_site_count(agg), 4);
    size_t len;
    const char *name = ho_agg_site(agg, 0, &len);
    assert_int_equal(len, strlen("ambulance/East"));
    assert_memory_equal(name, "ambulance/East", len);
    ho_agg_free(&agg);

    assert_int_equal(import_range(f->s, 999999, 0, 1, true, &sum, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
}

/* The points of measure id, as "day=value" lines (values as the report prints them). */
static void points_text(struct store *s, int64_t org, int64_t id, struct buf *out)
{
    struct purpose_err err = {0};
    struct store_point_list pts = {0};
    assert_int_equal(store_points_list(s, STORE_ORG_SCOPE(org), id, &pts, &err), 0);
    buf_init(out, (size_t)1 << 20);
    for (size_t i = 0; i < pts.n; i++) {
        buf_printf(out, "%s=", pts.items[i].day);
        ho_write_number(out, pts.items[i].value);
        buf_putc(out, '\n');
    }
    store_point_list_release(&pts);
}

struct pick {
    struct buf *out;
    const char *site;
    int col; /* 0 pct_within_60, 1 hours_lost_15, 2 over_45 */
};

static int emit_pick(void *ctx, const struct ho_metrics *m, struct purpose_err *err)
{
    (void)err;
    struct pick *p = ctx;
    if (m->site_len != strlen(p->site) || memcmp(m->site, p->site, m->site_len) != 0)
        return 0;
    double v = p->col == 0 ? m->pct_within_60 : p->col == 1 ? m->hours_lost_15 : (double)m->over_45;
    if (v != v)
        return 0;
    buf_printf(p->out, "%.10s=", m->period);
    ho_write_number(p->out, v);
    buf_putc(p->out, '\n');
    return 0;
}

/* What the report of rows [lo, hi) says for one site (or "all") and metric. */
static void expected_points(unsigned lo, unsigned hi, enum ho_by by, const char *site, int col, struct buf *out)
{
    struct purpose_err err = {0};
    struct ho_agg *agg = NULL;
    assert_int_equal(ho_agg_new(&agg, &err), 0);
    for (unsigned i = lo; i < hi; i++) {
        struct ho_row r = row_at(i);
        assert_int_equal(ho_agg_add(agg, &r, &err), 0);
    }
    buf_init(out, (size_t)1 << 20);
    struct pick p = {out, site, col};
    struct ho_report_opts o = {.by = by, .from = INT32_MIN, .to = INT32_MAX};
    if (strcmp(site, "all") != 0) {
        o.site = site;
        o.site_len = strlen(site);
    }
    assert_int_equal(ho_report_run(agg, &o, emit_pick, &p, &err), 0);
    ho_agg_free(&agg);
}

static void assert_points(struct fixture *f, int64_t id, unsigned hi, enum ho_by by, const char *site, int col)
{
    struct buf got, want;
    points_text(f->s, f->org, id, &got);
    expected_points(0, hi, by, site, col, &want);
    assert_true(want.len > 20);
    assert_same(&got, &want);
    buf_release(&got);
    buf_release(&want);
}

static void test_measures_follow_the_handovers(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    struct store_ho_summary sum = {0};
    assert_int_equal(import_range(f->s, f->org, 0, 1500, true, &sum, &err), 0);
    struct store_project_input pin = {.title = "Front door", .aim = "No crew held over 45 minutes", .team = "ED",
                                      .sponsor = "COO", .status = "active", .start_date = "2023-01-01",
                                      .why_unaligned = "A pilot", .score_x10 = 20};
    int64_t project = 0, east = 0, all = 0, prog = 0, hand = 0;
    assert_int_equal(store_project_add(f->s, &tester, STORE_ORG_SCOPE(f->org), &pin, &project, &err), 0);
    struct store_ho_site_list sites = {0};
    assert_int_equal(store_ho_sites(f->s, (struct store_scope){STORE_SCOPE_ORG, f->org}, &sites, &err), 0);
    assert_int_equal(sites.n, 2);
    struct store_hom_source src = {.scope = STORE_HOM_SITE, .scope_id = sites.items[0].id, .metric = "pct_within_60"};
    assert_string_equal(sites.items[0].name, "East");
    store_ho_site_list_release(&sites);
    assert_int_equal(store_hom_create(f->s, &tester, STORE_ORG_SCOPE(f->org), project, &src, NULL, &east, &err), 0);
    struct store_measure m = {0};
    assert_int_equal(store_measure_get(f->s, STORE_ORG_SCOPE(f->org), east, &m, &err), 0);
    assert_string_equal(m.unit, "%");
    assert_string_equal(m.direction, "increase");
    assert_true(m.has_target && m.target == 100);
    assert_non_null(strstr(m.name, "East"));
    store_measure_release(&m);
    struct store_hom_source org = {.scope = STORE_HOM_ORG, .scope_id = f->org, .metric = "hours_lost_15", .weekly = true};
    assert_int_equal(store_hom_create(f->s, &tester, STORE_ORG_SCOPE(f->org), project, &org, "Hours lost", &all, &err), 0);
    assert_int_equal(store_measure_get(f->s, STORE_ORG_SCOPE(f->org), all, &m, &err), 0);
    assert_string_equal(m.direction, "decrease");
    assert_false(m.has_target);
    store_measure_release(&m);
    struct store_hom_source pg = {.scope = STORE_HOM_PROGRAMME, .scope_id = f->programme, .metric = "over_45"};
    assert_int_equal(store_hom_create(f->s, &tester, STORE_ORG_SCOPE(f->org), project, &pg, NULL, &prog, &err), 0);
    assert_points(f, east, 1500, HO_BY_DAY, "East", 0);
    assert_points(f, all, 1500, HO_BY_WEEK, "all", 1);
    assert_points(f, prog, 1500, HO_BY_DAY, "all", 2);

    /* the source says where the points come from; a measure entered by hand has none */
    struct store_hom_source got = {0};
    assert_int_equal(store_hom_source_get(f->s, STORE_ORG_SCOPE(f->org), east, &got, &err), 1);
    assert_string_equal(got.scope_name, "East");
    assert_int_equal(got.scope, STORE_HOM_SITE);
    struct store_measure_input hin = {"By hand", "process", "", "neutral", false, 0, NULL, 0};
    assert_int_equal(store_measure_add(f->s, &tester, STORE_ORG_SCOPE(f->org), project, &hin, &hand, &err), 0);
    assert_int_equal(store_hom_source_get(f->s, STORE_ORG_SCOPE(f->org), hand, &got, &err), 0);
    assert_int_equal(store_hom_source_get(f->s, STORE_ORG_SCOPE(f->other), east, &got, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);

    /* more days: every measure is refreshed by the import, and equals the report of all rows */
    assert_int_equal(import_range(f->s, f->org, 1200, 3000, true, &sum, &err), 0);
    assert_points(f, east, 3000, HO_BY_DAY, "East", 0);
    assert_points(f, all, 3000, HO_BY_WEEK, "all", 1);
    assert_points(f, prog, 3000, HO_BY_DAY, "all", 2);

    /* points by hand are refused, and change nothing */
    struct store_point p = {"2023-03-25", 1, false, 0};
    assert_int_equal(store_points_put(f->s, &tester, STORE_ORG_SCOPE(f->org), east, &p, 1, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_CONFLICT);
    assert_string_equal(err.field, "points");
    assert_int_equal(store_points_csv(f->s, &tester, STORE_ORG_SCOPE(f->org), east, "2023-03-25,1\n", 13, NULL, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_CONFLICT);
    assert_int_equal(store_point_delete(f->s, &tester, STORE_ORG_SCOPE(f->org), east, "2023-03-25", &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_CONFLICT);
    assert_points(f, east, 3000, HO_BY_DAY, "East", 0);
    assert_int_equal(store_points_put(f->s, &tester, STORE_ORG_SCOPE(f->org), hand, &p, 1, &err), 0);

    /* only the organisation's own sites, itself, or its programmes; only real metrics */
    struct store_hom_source bad = {.scope = STORE_HOM_ORG, .scope_id = f->other, .metric = "pct_within_60"};
    assert_int_equal(store_hom_create(f->s, &tester, STORE_ORG_SCOPE(f->org), project, &bad, NULL, NULL, &err), -1);
    assert_string_equal(err.field, "scope");
    bad = (struct store_hom_source){.scope = STORE_HOM_ORG, .scope_id = f->org, .metric = "pct_within_61"};
    assert_int_equal(store_hom_create(f->s, &tester, STORE_ORG_SCOPE(f->org), project, &bad, NULL, NULL, &err), -1);
    assert_string_equal(err.field, "metric");
    struct store_measure_list ml = {0};
    assert_int_equal(store_measure_list(f->s, STORE_ORG_SCOPE(f->org), project, &ml, &err), 0);
    assert_int_equal(ml.n, 4);
    store_measure_list_release(&ml);

    /* another partner's import refreshes the programme's measure */
    struct store_ho_import *im = NULL;
    assert_int_equal(store_ho_import_begin(f->s, &tester, STORE_ORG_SCOPE(f->other), "other.csv", &im, &err), 0);
    struct ho_row r = row_at(0);
    r.site = "Central";
    r.site_len = 7;
    r.handover = r.arrival + 50 * HO_MINUTE_MS;
    assert_int_equal(store_ho_import_row(im, &r, &err), 0);
    assert_int_equal(store_ho_import_end(&im, true, 0, &sum, &err), 0);
    struct buf before, after;
    expected_points(0, 3000, HO_BY_DAY, "all", 2, &before);
    points_text(f->s, f->org, prog, &after);
    assert_true(before.len != after.len || memcmp(before.data, after.data, before.len) != 0);
    buf_release(&before);
    buf_release(&after);
}

/* Finding 5 of issue 16: site names skipped the UTF-8 rule (the paste box and the CLI stored
 * "Bad\xff\xfeSite"; PostgreSQL answered a 500). The one text rule names the line and column, and
 * the import stores nothing; a long name shortened for a measure's name is never cut inside a
 * character. */
static void test_site_names_pass_the_text_rule(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    static const struct {
        const char *site;
        const char *msg;
    } bad[] = {
        {"Bad\xff\xfeSite", "paste.csv:3: column \"site\": is not valid UTF-8 text (byte 4 of the name)"},
        {"Tab\tSite", "paste.csv:3: column \"site\": contains a control character (byte 4 of the name)"},
        {"\xed\xa0\x80", "paste.csv:3: column \"site\": is not valid UTF-8 text (byte 1 of the name)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct store_ho_import *im = NULL;
        assert_int_equal(store_ho_import_begin(f->s, &tester, STORE_ORG_SCOPE(f->org), "paste.csv", &im, &err), 0);
        struct ho_row r = row_at(0);
        r.line = 2;
        assert_int_equal(store_ho_import_row(im, &r, &err), 0);
        r = row_at(2);
        r.site = bad[i].site;
        r.site_len = strlen(bad[i].site);
        r.line = 3;
        assert_int_equal(store_ho_import_row(im, &r, &err), -1);
        assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
        assert_string_equal(err.field, "site");
        assert_string_equal(err.msg, bad[i].msg);
        assert_int_equal(store_ho_import_end(&im, false, 0, NULL, &err), 0);
    }
    char *sites = raw_dump(f->path, "SELECT name FROM ho_sites ORDER BY name");
    assert_string_equal(sites, "");
    free(sites);

    /* 119 bytes, then a two-byte character across byte 120: a measure named after it is still text */
    char name[200];
    memset(name, 'a', 119);
    memcpy(name + 119, "\xc3\xa9 Hospital", 11);
    name[130] = '\0';
    struct store_ho_import *im = NULL;
    assert_int_equal(store_ho_import_begin(f->s, &tester, STORE_ORG_SCOPE(f->org), "long.csv", &im, &err), 0);
    struct ho_row r = row_at(0);
    r.site = name;
    r.site_len = strlen(name);
    assert_int_equal(store_ho_import_row(im, &r, &err), 0);
    assert_int_equal(store_ho_import_end(&im, true, 0, NULL, &err), 0);
    struct store_ho_site_list sl;
    assert_int_equal(store_ho_sites(f->s, (struct store_scope){STORE_SCOPE_ORG, f->org}, &sl, &err), 0);
    assert_int_equal(sl.n, 1);
    struct store_project_input pin = {.title = "Front door", .aim = "Quicker handovers", .status = "active",
                                      .start_date = "2023-01-01", .why_unaligned = "A pilot", .score_x10 = 20};
    int64_t project = 0, mid = 0;
    assert_int_equal(store_project_add(f->s, &tester, STORE_ORG_SCOPE(f->org), &pin, &project, &err), 0);
    struct store_hom_source src = {.scope = STORE_HOM_SITE, .scope_id = sl.items[0].id, .metric = "hours_lost_15"};
    store_ho_site_list_release(&sl);
    if (store_hom_create(f->s, &tester, STORE_ORG_SCOPE(f->org), project, &src, NULL, &mid, &err) != 0)
        fail_msg("%s", err.msg);
}

int main(void)
{
    struct purpose_err err;
    if (secret_init(&err) < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_imports_merge_and_never_double_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_and_faults_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_programme_sees_partner_sites, setup, teardown),
        cmocka_unit_test_setup_teardown(test_measures_follow_the_handovers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_site_names_pass_the_text_rule, setup, teardown),
    };
    return run_on_both_engines("store handovers", tests);
}
