/* The demo's ambulance handovers: synthetic rows (src/handover's generator, fixed seeds, never real
 * patients) for the handover programme's two organisations, imported through the store's own
 * import, with handovers quicker from a chosen day so that the SPC charts show special cause;
 * and one measure of the trust's front-door project that follows the programme's daily % of
 * handovers within 60 minutes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

static const struct store_actor demo_actor = {0, "purpose init"};

/* Six months, the last three with the improvement; a modest size so that init stays quick. */
#define DEMO_DAYS 182

struct demo_feed {
    struct store_ho_import *im;
};

/* The demo's own names for the generator's first two sites, so that data a user generates and
 * imports to try Purpose out makes sites of its own beside them. */
static const char *const demo_sites[][2] = {
    {"Northgate General", "Northgate Royal Infirmary"},
    {"Riverside Infirmary", "Dales General Hospital"},
};

static int demo_row(void *ctx, const struct ho_row *row, struct purpose_err *err)
{
    struct demo_feed *f = ctx;
    struct ho_row r = *row;
    for (size_t i = 0; i < sizeof demo_sites / sizeof demo_sites[0]; i++)
        if (r.site_len == strlen(demo_sites[i][0]) && memcmp(r.site, demo_sites[i][0], r.site_len) == 0) {
            r.site = demo_sites[i][1];
            r.site_len = strlen(r.site);
            break;
        }
    return store_ho_import_row(f->im, &r, err);
}

static int demo_bad(void *ctx, const struct ho_bad *bad, struct purpose_err *err)
{
    (void)ctx;
    return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "demo handovers: line %zu: %s", bad->line, bad->reason);
}

/* Generates o's rows and imports them for org. */
static int demo_import(struct store *s, int64_t org, const struct ho_gen_opts *o, struct purpose_err *err)
{
    struct demo_feed f = {0};
    struct ho_gen *g = NULL;
    struct ho_stream *st = NULL;
    struct buf text;
    buf_init(&text, (size_t)64 << 20);
    const struct ho_sink sink = {demo_row, demo_bad, &f};
    int rc = ho_gen_new(&g, o, err);
    if (rc == 0)
        rc = ho_stream_new(&st, "demo.csv", &sink, err);
    if (rc == 0)
        rc = store_ho_import_begin(s, &demo_actor, org, "demo (purpose handovers generate)", &f.im, err);
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
    /* The trust's two emergency departments, and the ambulance service's own records at the
     * first of them (a partner's view of the same front door). */
    const struct ho_gen_opts trust_gen = {.sites = 2, .days = DEMO_DAYS, .seed = 2025, .start = start,
                                          .improve = start + 91};
    const struct ho_gen_opts amb_gen = {.sites = 1, .days = DEMO_DAYS, .seed = 999, .start = start,
                                        .improve = start + 91};
    if (demo_import(s, trust, &trust_gen, err) < 0 || demo_import(s, ambulance, &amb_gen, err) < 0)
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
    if (store_project_add(s, &demo_actor, trust, &in, &project, err) < 0)
        return -1;
    const struct store_hom_source src = {.scope = STORE_HOM_PROGRAMME, .scope_id = programme,
                                         .metric = "pct_within_60"};
    return store_hom_create(s, &demo_actor, trust, project, &src,
                            "Handovers within 60 minutes, daily: every partner's sites", NULL, err);
}
