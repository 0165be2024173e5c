/* The demo's ambulance handovers: synthetic rows (src/handover's generator, fixed seeds, never real
 * patients) for the handover programme's two organisations, imported through the store's own
 * import, with handovers quicker from a chosen day so that the SPC charts show special cause;
 * and one measure of the trust's front-door project that follows the programme's daily % of
 * handovers within 60 minutes.
 *
 * The ambulance service's records are of the same handovers at Northgate Royal Infirmary, seen
 * from the other side: the trust's rows for that site, a minute early or late by the other clock,
 * both sites carrying the code DEMO_CODE, so that the programme counts each handover once. A few
 * differences are planted for the reconciliation (demo_plants): rows the ambulance service lacks,
 * rows only it has, handover times 20 minutes apart, and a handover time it did not record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

static const struct store_actor demo_actor = {0, "purpose init"};

/* Six months, the last three with the improvement; a modest size so that init stays quick. */
#define DEMO_DAYS 182

#define DEMO_CODE "NRI01"

struct demo_feed {
    struct store_ho_import *im;
    bool partner;   /* the ambulance service's view of the trust's first site */
    uint64_t k;     /* that site's rows so far */
    unsigned done;  /* plants made (a bit each) */
};

/* The planted differences, by the index of the site's row from which each is made: the first row
 * at or after `at` that can take it (one with a handover, for the last three). */
enum plant_kind { PLANT_DROP, PLANT_EXTRA, PLANT_APART, PLANT_NO_HANDOVER };
static const struct {
    uint64_t at;
    enum plant_kind kind;
} demo_plants[] = {
    {1000, PLANT_DROP}, {5000, PLANT_DROP}, {9000, PLANT_DROP}, {3000, PLANT_EXTRA}, {7000, PLANT_EXTRA},
    {2000, PLANT_APART}, {6000, PLANT_APART}, {4000, PLANT_NO_HANDOVER},
};
#define N_PLANTS (sizeof demo_plants / sizeof demo_plants[0])

static void shift(struct ho_row *r, int64_t ms)
{
    r->arrival += ms;
    if (r->handover != HO_NONE)
        r->handover += ms;
    if (r->clear != HO_NONE)
        r->clear += ms;
}

/* The ambulance service's record of the trust's row r (k-th of the site), planted or not: 0 to
 * import r (changed), 1 to import nothing, 2 to import r and then *extra. */
static int partner_row(struct demo_feed *f, struct ho_row *r, struct ho_row *extra)
{
    uint64_t k = f->k++;
    shift(r, ((int64_t)(k % 3) - 1) * HO_MINUTE_MS);
    for (size_t i = 0; i < N_PLANTS; i++) {
        if (f->done >> i & 1 || k < demo_plants[i].at)
            continue;
        bool handed = r->handover != HO_NONE && r->handover - r->arrival <= HO_DAY_MS - 20 * HO_MINUTE_MS;
        if (demo_plants[i].kind != PLANT_DROP && demo_plants[i].kind != PLANT_EXTRA && !handed)
            continue;
        f->done |= 1u << i;
        switch (demo_plants[i].kind) {
        case PLANT_DROP:
            return 1;
        case PLANT_EXTRA: /* a crew the trust has no record of, two hours later */
            *extra = *r;
            shift(extra, 2 * HO_HOUR_MS);
            extra->ref = i == 3 ? "AMBONLY1" : "AMBONLY2";
            extra->ref_len = strlen(extra->ref);
            return 2;
        case PLANT_APART:
            r->handover += 20 * HO_MINUTE_MS;
            if (r->clear != HO_NONE)
                r->clear += 20 * HO_MINUTE_MS;
            return 0;
        case PLANT_NO_HANDOVER:
            r->handover = r->clear = HO_NONE;
            return 0;
        }
    }
    return 0;
}

/* The demo's own names for the generator's first two sites, so that data a user generates and
 * imports to try Purpose out makes sites of its own beside them. */
static const char *const demo_sites[][2] = {
    {"Northgate General", "Northgate Royal Infirmary"},
    {"Riverside Infirmary", "Dales General Hospital"},
};

static int demo_row(void *ctx, const struct ho_row *row, struct purpose_err *err)
{
    struct demo_feed *f = ctx;
    struct ho_row r = *row, extra;
    size_t i = 0;
    for (; i < sizeof demo_sites / sizeof demo_sites[0]; i++)
        if (r.site_len == strlen(demo_sites[i][0]) && memcmp(r.site, demo_sites[i][0], r.site_len) == 0) {
            r.site = demo_sites[i][1];
            r.site_len = strlen(r.site);
            break;
        }
    if (i == 0) { /* Northgate Royal Infirmary: one hospital, both organisations' records */
        r.site_code = DEMO_CODE;
        r.site_code_len = strlen(DEMO_CODE);
    }
    if (!f->partner)
        return store_ho_import_row(f->im, &r, err);
    if (i != 0)
        return 0;
    int what = partner_row(f, &r, &extra);
    if (what == 1)
        return 0;
    if (store_ho_import_row(f->im, &r, err) < 0)
        return -1;
    return what == 2 ? store_ho_import_row(f->im, &extra, err) : 0;
}

static int demo_bad(void *ctx, const struct ho_bad *bad, struct purpose_err *err)
{
    (void)ctx;
    return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "demo handovers: line %zu: %s", bad->line, bad->reason);
}

/* Generates o's rows and imports them for org. */
static int demo_import(struct store *s, int64_t org, const struct ho_gen_opts *o, bool partner,
                       struct purpose_err *err)
{
    struct demo_feed f = {.partner = partner};
    struct ho_gen *g = NULL;
    struct ho_stream *st = NULL;
    struct buf text;
    buf_init(&text, (size_t)64 << 20);
    const struct ho_sink sink = {demo_row, demo_bad, &f};
    int rc = ho_gen_new(&g, o, err);
    if (rc == 0)
        rc = ho_stream_new(&st, "demo.csv", &sink, err);
    if (rc == 0)
        rc = store_ho_import_begin(s, &demo_actor, STORE_ORG_SCOPE(org), "demo (purpose handovers generate)", &f.im, err);
    int more = 1;
    while (rc == 0 && more) {
        buf_reset(&text);
        more = ho_gen_next(g, &text);
        if (text.failed)
            rc = store_oom(err);
        else
            rc = ho_stream_feed(st, text.data, text.len, err);
    }
    if (rc == 0)
        rc = ho_stream_finish(st, err);
    if (f.im) {
        struct purpose_err ignored = {0};
        if (store_ho_import_end(&f.im, rc == 0, 0, NULL, rc == 0 ? err : &ignored) < 0)
            rc = -1;
    }
    ho_stream_free(&st);
    ho_gen_free(&g);
    buf_release(&text);
    return rc;
}

int store_demo_handovers(struct store *s, int64_t trust, int64_t ambulance, int64_t programme,
                         struct purpose_err *err)
{
    int32_t start = ho_days_from_civil(2025, 4, 1);
    /* The trust's two emergency departments, and the ambulance service's own records of the same
     * handovers at the first of them (a partner's view of the same front door). */
    const struct ho_gen_opts trust_gen = {.sites = 2, .days = DEMO_DAYS, .seed = 2025, .start = start,
                                          .improve = start + 91};
    if (demo_import(s, trust, &trust_gen, false, err) < 0 || demo_import(s, ambulance, &trust_gen, true, err) < 0)
        return -1;
    struct store_aim_list aims = {0};
    if (store_aim_list(s, programme, &aims, err) < 0)
        return -1;
    int64_t aim = aims.n ? aims.items[0].id : 0; /* "Every handover within 60 minutes" */
    store_aim_list_release(&aims);
    const struct store_project_input in = {
        .title = "Ambulance handovers: one team at the front door",
        .aim = "Every ambulance handover within 60 minutes, and 95% within 30 minutes, at both our emergency "
               "departments by March 2026.",
        .team = "Emergency department, site flow and the ambulance service's hospital liaison officers",
        .sponsor = "Chief operating officer",
        .status = "active",
        .start_date = "2025-06-02",
        .programme_id = programme,
        .score_x10 = 35,
        .aim_ids = aim ? &aim : NULL,
        .n_aims = aim ? 1 : 0,
        .why_unaligned = aim ? "" : "The handover programme's work",
    };
    int64_t project;
    if (store_project_add(s, &demo_actor, STORE_ORG_SCOPE(trust), &in, &project, err) < 0)
        return -1;
    const struct store_hom_source src = {.scope = STORE_HOM_PROGRAMME, .scope_id = programme,
                                         .metric = "pct_within_60"};
    return store_hom_create(s, &demo_actor, STORE_ORG_SCOPE(trust), project, &src,
                            "Handovers within 60 minutes, daily: every partner's sites", NULL, err);
}
