/* The board pack: the integrated performance summary as the board report of chart/report.h, built
 * from the stored measures (pack.h), served as /summary.pdf for an organisation or a programme and
 * written by `purpose report --db` (src/cli/report_stored.c) from the same function. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/reading.h"
#include "chart/report.h"
#include "web/improve.h"
#include "web/pack.h"
#include "core/banned.h"

#define PACK_OUTPUT_CAP ((size_t)1 << 30)

/* What the pack shows: the scope's measures, computed, and the group each is shown under. */
struct pack {
    char *name;                 /* the organisation's or programme's */
    struct store_project_list projects;
    struct store_theme_list themes;
    struct store_ambition_list ambitions;
    struct store_org_list partners;
    struct web_org_measures measures;
    const char **group_title;   /* per group, borrowed from themes or partners */
    size_t n_groups;
    size_t *group;              /* per measure: its group */
};

static void pack_release(struct pack *p)
{
    free(p->name);
    store_project_list_release(&p->projects);
    store_theme_list_release(&p->themes);
    store_ambition_list_release(&p->ambitions);
    store_org_list_release(&p->partners);
    web_org_measures_release(&p->measures);
    free(p->group_title);
    free(p->group);
    memset(p, 0, sizeof *p);
}

static const struct store_project *pack_project(const struct pack *p, int64_t id)
{
    for (size_t i = 0; i < p->projects.n; i++)
        if (p->projects.items[i].id == id)
            return &p->projects.items[i];
    return NULL;
}

/* The groups as the summary pages have them: an organisation's themes in order, then "Programme
 * aims and other work" (summary.c); a programme's partners (programme_work.c). */
static int pack_group(struct pack *p, bool programme, struct purpose_err *err)
{
    size_t ng = programme ? p->partners.n : p->themes.n + 1;
    p->group_title = calloc(ng ? ng : 1, sizeof *p->group_title);
    p->group = calloc(p->measures.n ? p->measures.n : 1, sizeof *p->group);
    if (!p->group_title || !p->group)
        return purpose_errf(err, "out of memory grouping %zu measures", p->measures.n);
    p->n_groups = ng;
    for (size_t g = 0; g < ng; g++)
        p->group_title[g] = programme          ? p->partners.items[g].name
                            : g < p->themes.n ? p->themes.items[g].title
                                              : "Programme aims and other work";
    for (size_t i = 0; i < p->measures.n; i++) {
        const struct store_project *pr = pack_project(p, p->measures.items[i].m.project_id);
        p->group[i] = programme ? SIZE_MAX : p->themes.n;
        if (programme) {
            for (size_t g = 0; pr && g < p->partners.n; g++)
                if (p->partners.items[g].id == pr->org_id)
                    p->group[i] = g;
            continue;
        }
        int64_t theme = web_measure_theme(&p->measures.items[i].m, pr, &p->ambitions);
        for (size_t g = 0; theme && g < p->themes.n; g++)
            if (p->themes.items[g].id == theme)
                p->group[i] = g;
    }
    return 0;
}

static int pack_load(struct store *s, struct store_scope scope, struct pack *p, struct purpose_err *err)
{
    memset(p, 0, sizeof *p);
    struct store_measure_list ml = {0};
    struct store_measure_data_list dl = {0};
    int rc;
    if (scope.kind == STORE_SCOPE_PROGRAMME) {
        struct store_programme pg = {0};
        struct store_project_filter f = {.programme_id = scope.id};
        rc = store_programme_get(s, scope.id, &pg, err);
        if (rc == 0 && !(p->name = strdup(pg.name)))
            rc = purpose_errf(err, "out of memory");
        store_programme_release(&pg);
        if (rc == 0)
            rc = store_programme_partners(s, scope.id, &p->partners, err);
        if (rc == 0)
            rc = store_project_list(s, &scope, &f, &p->projects, err);
        if (rc == 0 && (rc = store_measure_list_programme(s, &scope, &ml, err)) == 0 &&
            (rc = store_points_all_programme(s, &scope, &dl, err)) < 0)
            store_measure_list_release(&ml);
    } else {
        struct store_org o = {0};
        rc = store_org_get(s, scope.id, &o, err);
        if (rc == 0 && !(p->name = strdup(o.name)))
            rc = purpose_errf(err, "out of memory");
        store_org_release(&o);
        if (rc == 0)
            rc = store_load_themes(s, &scope, &p->themes, &p->ambitions, err);
        if (rc == 0)
            rc = store_project_list(s, &scope, NULL, &p->projects, err);
        if (rc == 0 && (rc = store_measure_list(s, &scope, 0, &ml, err)) == 0 &&
            (rc = store_points_all(s, &scope, &dl, err)) < 0)
            store_measure_list_release(&ml);
    }
    if (rc == 0)
        rc = web_org_measures_build(&ml, &dl, &p->measures, err);
    /* Each measure's annotations, on its chart and in its reading as on its page. */
    if (rc == 0 && scope.kind == STORE_SCOPE_PROGRAMME)
        for (size_t i = 0; i < p->partners.n && rc == 0; i++)
            rc = web_org_measures_annotate(s, p->partners.items[i].id, &p->measures, err);
    else if (rc == 0)
        rc = web_org_measures_annotate(s, scope.id, &p->measures, err);
    if (rc == 0)
        rc = pack_group(p, scope.kind == STORE_SCOPE_PROGRAMME, err);
    if (rc < 0)
        pack_release(p);
    return rc;
}

/* "Northgate Teaching Hospitals · 12 measures · data to 3 Mar 2025": whose, how many, how recent. */
static void pack_subtitle(struct buf *b, const struct pack *p, const struct report *r)
{
    buf_printf(b, "%s \xC2\xB7 %zu measure%s", p->name, r->n, r->n == 1 ? "" : "s");
    const struct chart_series *latest = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const struct chart_series *s = r->m[i].s;
        if (!latest || strcmp(s->x_text[s->n - 1], latest->x_text[latest->n - 1]) > 0) /* ISO dates */
            latest = s;
    }
    if (latest) {
        char x[64];
        chart_x_words(x, sizeof x, latest, latest->n - 1);
        buf_printf(b, " \xC2\xB7 data to %s", x);
    }
    size_t left = p->measures.n - r->n;
    if (left)
        buf_printf(b, " \xC2\xB7 %zu more with too few points to chart", left);
}

int web_board_pack(struct store *s, struct store_scope scope, const char *title, struct buf *out,
                   struct purpose_err *err)
{
    struct pack p;
    if (pack_load(s, scope, &p, err) < 0)
        return -1;
    size_t n = p.measures.n;
    struct report_measure *rm = calloc(n ? n : 1, sizeof *rm);
    char **reading = calloc(n ? n : 1, sizeof *reading);
    struct buf words, sub;
    buf_init(&words, 1 << 16);
    buf_init(&sub, 4096);
    int rc = rm && reading ? 0 : purpose_errf(err, "out of memory for %zu measures", n);
    size_t k = 0;
    for (size_t g = 0; g < p.n_groups && rc == 0; g++)
        for (size_t i = 0; i < n && rc == 0; i++) {
            const struct web_mseries *ms = &p.measures.items[i];
            if (p.group[i] != g || !ms->computed)
                continue;
            buf_reset(&words);
            chart_reading(&words, &ms->cs, ms->m.unit);
            if (words.failed || !words.data || !(reading[k] = strdup(words.data))) {
                rc = purpose_errf(err, "out of memory reading measure %lld", (long long)ms->m.id);
                break;
            }
            rm[k] = (struct report_measure){.title = ms->m.name, .group = p.group_title[g], .unit = ms->m.unit,
                                            .chart = spc_chart_name(ms->res.chart), .s = &ms->cs,
                                            .reading = reading[k]};
            k++;
        }
    if (rc == 0) {
        if (!title)
            title = "Integrated performance report"; /* as purpose report's; the subtitle names whose */
        struct report r = {.title = title, .subtitle = "", .m = rm, .n = k};
        pack_subtitle(&sub, &p, &r);
        r.subtitle = sub.data;
        if (sub.failed || !r.subtitle)
            rc = purpose_errf(err, "out of memory");
        else
            rc = report_pdf(out, &r, err);
    }
    for (size_t i = 0; reading && i < n; i++)
        free(reading[i]);
    free(reading);
    free(rm);
    buf_release(&words);
    buf_release(&sub);
    pack_release(&p);
    return rc;
}

static int pack_answer(struct web_req *r, struct web_resp *w, struct store_scope scope, struct purpose_err *err)
{
    /* Built apart: a page's body is capped for HTML, a pack of 500 charts is larger. */
    struct buf pdf;
    buf_init(&pdf, PACK_OUTPUT_CAP);
    int rc = web_board_pack(r->ctx->store, scope, NULL, &pdf, err);
    if (rc == 0) {
        w->content_type = "application/pdf";
        buf_release(&w->body);
        w->body = pdf; /* taken over */
    } else {
        buf_release(&pdf);
    }
    return rc;
}

static int summary_pdf(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return pack_answer(r, w, (struct store_scope){STORE_SCOPE_ORG, r->org.id}, err);
}

static int programme_summary_pdf(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return pack_answer(r, w, (struct store_scope){STORE_SCOPE_PROGRAMME, r->programme.id}, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/summary.pdf", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG, .handler = summary_pdf},
    {.method = "GET", .path = "/programmes/{programme}/summary.pdf", .role = ROLE_CONTRIBUTOR, .scope = WEB_PROGRAMME, .handler = programme_summary_pdf},
};

WEB_FEATURE_ROUTES(web_summary_pdf, routes);
