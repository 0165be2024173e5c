/* The national installation's improvement work (national.h): each organisation's projects under
 * its ambitions, each with a measure of a year of weekly points, and its own measures in one bulk
 * import (store_measures_import); each trust's ambulance handovers, made by src/handover's generator
 * and loaded by the store's import. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "handover/handover.h"
#include "store/store_int.h"
#include "store/national_int.h"
#include "core/banned.h"

#define WEEKS 52

static const char *const project_titles[] = {
    "Fewer falls on the elderly care wards", "Front door streaming", "Discharge before noon",
    "Patient feedback in every huddle", "Sepsis screening within the hour", "Theatre start times",
    "Pressure ulcer prevention", "Same-day emergency care for frailty", "Outpatient follow-ups we need",
    "Medicines reconciliation on admission", "Recruiting support workers", "Greener anaesthetic gases",
};
static const char *const measure_names[][4] = { /* name, unit, direction, kind */
    {"Falls per 1,000 bed days", "", "decrease", "outcome"},
    {"Attendances seen within four hours", "%", "increase", "outcome"},
    {"Discharges before noon", "%", "increase", "process"},
    {"Friends and Family Test responses", "", "increase", "process"},
    {"Patients screened for sepsis within the hour", "%", "increase", "process"},
    {"Theatre sessions starting on time", "%", "increase", "process"},
    {"Pressure ulcers acquired in hospital", "", "decrease", "outcome"},
    {"Length of stay over 21 days", "", "decrease", "balancing"},
};
#define N_MEASURES (sizeof measure_names / sizeof measure_names[0])

static double level(size_t kind) { return strcmp(measure_names[kind][1], "%") == 0 ? 70 : 20; }

/* A year of weekly points from 2025-01-06: noise about a level, and in one series in three a
 * step from a week on, so that the charts show special cause. */
static void series(struct nat_rng *r, size_t kind, struct store_point *p)
{
    int32_t first = ho_days_from_civil(2025, 1, 6);
    double base = level(kind) * (0.8 + 0.4 * nat_uniform(r)), sd = base * 0.06;
    int step_at = nat_below(r, 3) == 0 ? 26 + (int)nat_below(r, 20) : WEEKS;
    double step = base * 0.15 * (strcmp(measure_names[kind][2], "decrease") == 0 ? -1 : 1);
    for (int w = 0; w < WEEKS; w++) {
        double sum = 0; /* Irwin-Hall: 12 uniforms less 6 is close to a standard normal */
        for (int k = 0; k < 12; k++)
            sum += nat_uniform(r);
        double v = base + sd * (sum - 6) + (w >= step_at ? step : 0);
        if (strcmp(measure_names[kind][1], "%") == 0)
            v = v > 100 ? 100 : v;
        memset(&p[w], 0, sizeof p[w]);
        nat_day(first + 7 * w, p[w].day);
        p[w].value = round((v < 0 ? 0 : v) * 10) / 10;
    }
}

static int projects_make(struct nat_ctx *x, size_t org, uint64_t n, struct nat_rng *r, struct purpose_err *err)
{
    const struct nat_org *g = &x->orgs[org];
    static const int scores[] = {10, 15, 20, 25, 30, 35, 40, 45};
    static const char *const statuses[] = {"active", "active", "active", "sustaining", "complete", "idea"};
    struct store_point pts[WEEKS];
    for (uint64_t k = 0; k < n; k++) {
        char title[200], aim[300], mname[200];
        size_t t = (size_t)nat_below(r, sizeof project_titles / sizeof project_titles[0]);
        snprintf(title, sizeof title, "%s (%llu)", project_titles[t], (unsigned long long)k + 1);
        snprintf(aim, sizeof aim, "Improve %s by a third by March 2027", project_titles[t]);
        int64_t ambition = g->n_ambitions ? g->ambitions[nat_below(r, g->n_ambitions)] : 0;
        const struct store_project_input in = {
            .title = title, .aim = aim, .team = "Improvement team", .sponsor = "Chief Nurse",
            .status = statuses[nat_below(r, 6)], .start_date = "2025-01-06",
            .score_x10 = scores[nat_below(r, 8)], .ambition_ids = ambition ? &ambition : NULL,
            .n_ambitions = ambition ? 1 : 0, .why_unaligned = ambition ? "" : "Not yet aligned"};
        int64_t pid, mid;
        if (store_project_add(x->s, &nat_actor, STORE_ORG_SCOPE(g->id), &in, &pid, err) < 0)
            return -1;
        size_t kind = t % N_MEASURES;
        snprintf(mname, sizeof mname, "%s", measure_names[kind][0]);
        const struct store_measure_input m = {mname, measure_names[kind][3], measure_names[kind][1],
                                              measure_names[kind][2], false, 0, NULL, 0};
        series(r, kind, pts);
        if (store_measure_add(x->s, &nat_actor, STORE_ORG_SCOPE(g->id), pid, &m, &mid, err) < 0 ||
            store_points_put(x->s, &nat_actor, STORE_ORG_SCOPE(g->id), mid, pts, WEEKS, err) < 0)
            return -1;
        x->made.projects++;
        x->made.measures++;
        x->made.points += WEEKS;
    }
    return 0;
}

/* The organisation's own measures, one per ward or service, in one import. */
static int own_measures(struct nat_ctx *x, size_t org, uint64_t n, struct nat_rng *r, struct purpose_err *err)
{
    if (n == 0)
        return 0;
    struct store_import_series *sv = calloc(n, sizeof *sv);
    struct store_point *pts = calloc(n * WEEKS, sizeof *pts);
    char (*names)[96] = calloc(n, sizeof *names);
    int rc = sv && pts && names ? 0 : store_oom(err);
    for (uint64_t k = 0; rc == 0 && k < n; k++) {
        size_t kind = (size_t)nat_below(r, N_MEASURES);
        snprintf(names[k], sizeof names[k], "%s, unit %llu", measure_names[kind][0], (unsigned long long)k + 1);
        series(r, kind, pts + k * WEEKS);
        sv[k] = (struct store_import_series){.org_id = x->orgs[org].id,
                                             .in = {names[k], measure_names[kind][3], measure_names[kind][1],
                                                    measure_names[kind][2], false, 0, NULL, 0},
                                             .p = pts + k * WEEKS,
                                             .n = WEEKS};
    }
    struct store_import_summary sum;
    if (rc == 0)
        rc = store_measures_import(x->s, &nat_actor, sv, n, NULL, NULL, &sum, err);
    if (rc == 0) {
        x->made.measures += n;
        x->made.points += n * WEEKS;
    }
    free(names);
    free(pts);
    free(sv);
    return rc;
}

int nat_org_work(struct nat_ctx *x, size_t org, uint64_t projects, uint64_t measures, struct purpose_err *err)
{
    struct nat_rng r = nat_stream(x->o->seed, 4, org);
    if (projects > measures)
        projects = measures;
    if (store_tx_begin(x->s, err) < 0)
        return -1;
    int rc = projects_make(x, org, projects, &r, err);
    if (rc == 0)
        rc = own_measures(x, org, measures - projects, &r, err);
    struct purpose_err ignored;
    if (store_tx_end(x->s, rc == 0, rc == 0 ? err : &ignored) < 0)
        rc = -1;
    return rc;
}

/* ---- handovers ---------------------------------------------------------------------------------- */

struct feed {
    struct store_ho_import *im;
    uint64_t want, rows;
    char sites[2][96];
    char codes[2][12];
    char first[128]; /* the generator's name of its first site */
};

static int feed_row(void *ctx, const struct ho_row *row, struct purpose_err *err)
{
    struct feed *f = ctx;
    if (f->rows >= f->want)
        return 0;
    struct ho_row r = *row;
    /* The generator's two site names become this trust's own, with codes of its ODS code. */
    if (!f->first[0] && r.site_len < sizeof f->first)
        memcpy(f->first, r.site, r.site_len);
    size_t i = r.site_len == strlen(f->first) && memcmp(r.site, f->first, r.site_len) == 0 ? 0 : 1;
    r.site = f->sites[i];
    r.site_len = strlen(f->sites[i]);
    r.site_code = f->codes[i];
    r.site_code_len = strlen(f->codes[i]);
    f->rows++;
    return store_ho_import_row(f->im, &r, err);
}

static int feed_bad(void *ctx, const struct ho_bad *bad, struct purpose_err *err)
{
    (void)ctx;
    return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "generated handovers: line %zu: %s", bad->line, bad->reason);
}

int nat_org_handovers(struct nat_ctx *x, size_t org, uint64_t rows, struct purpose_err *err)
{
    const struct nat_org *g = &x->orgs[org];
    struct feed f = {.want = rows};
    size_t plen = strcspn(g->name, " ");
    snprintf(f.sites[0], sizeof f.sites[0], "%.*s General Hospital", (int)plen, g->name);
    snprintf(f.sites[1], sizeof f.sites[1], "%.*s Royal Infirmary", (int)plen, g->name);
    snprintf(f.codes[0], sizeof f.codes[0], "%s01", g->code);
    snprintf(f.codes[1], sizeof f.codes[1], "%s02", g->code);
    /* About 135 arrivals a site a day: days enough for the rows with room to spare, cut at rows. */
    unsigned sites = org % 3 == 0 ? 1 : 2;
    uint64_t days = rows / (90 * sites) + 2;
    int32_t start = ho_days_from_civil(2024, 1, 1);
    const struct ho_gen_opts o = {.sites = sites, .days = (unsigned)(days > 3650 ? 3650 : days),
                                  .seed = x->o->seed * 1000 + org, .start = start,
                                  .improve = start + (int32_t)(days * 2 / 3)};
    struct ho_gen *gen = NULL;
    struct ho_stream *st = NULL;
    struct buf text;
    buf_init(&text, (size_t)64 << 20);
    const struct ho_sink sink = {feed_row, feed_bad, &f};
    int rc = ho_gen_new(&gen, &o, err);
    if (rc == 0)
        rc = ho_stream_new(&st, "generated.csv", &sink, err);
    if (rc == 0)
        rc = store_ho_import_begin(x->s, &nat_actor, STORE_ORG_SCOPE(g->id), "purpose generate national", &f.im, err);
    int more = 1;
    while (rc == 0 && more && f.rows < f.want) {
        buf_reset(&text);
        more = ho_gen_next(gen, &text);
        rc = text.failed ? store_oom(err) : ho_stream_feed(st, text.data, text.len, err);
    }
    if (rc == 0)
        rc = ho_stream_finish(st, err);
    if (f.im) {
        struct purpose_err ignored = {0};
        if (store_ho_import_end(&f.im, rc == 0, 0, NULL, rc == 0 ? err : &ignored) < 0)
            rc = -1;
    }
    if (rc == 0)
        x->made.handover_rows += f.rows;
    ho_stream_free(&st);
    ho_gen_free(&gen);
    buf_release(&text);
    return rc;
}
