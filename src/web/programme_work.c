/* A programme's improvement work across its partners: the project register (the projects that name
 * the programme, of the organisations that are its partners, filtered by partner, status, score and
 * search: the store's filter, as an organisation's register uses) and the integrated performance
 * summary of their measures grouped by partner (on the page, after the programme's own measures by
 * aim: measures_programme.c), as a page, as CSV and in the API. Every link goes to
 * the partner organisation's own pages. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/num.h"
#include "web/improve.h"
#include "core/banned.h"

#define B (&w->body)

/* What the programme's pages show: its partners and aims, the projects and (for the summary) the
 * measures, computed. partner is the ?partner= organisation (0: every one). */
struct work {
    struct store_org_list partners;
    struct store_aim_list aims;
    struct store_project_list projects;
    struct web_org_measures measures;
    int64_t def_id, partner;
    char partner_slug[64], status[24], score[8], kind[16], q[STORE_TITLE_MAX + 1];
};

static void work_release(struct work *k)
{
    store_org_list_release(&k->partners);
    store_aim_list_release(&k->aims);
    store_project_list_release(&k->projects);
    web_org_measures_release(&k->measures);
}

static int load_measures(struct web_req *r, struct web_org_measures *out, struct purpose_err *err)
{
    struct store_measure_list ml;
    struct store_measure_data_list dl;
    memset(out, 0, sizeof *out);
    if (store_measure_list_programme(r->ctx->store, &r->scope, &ml, err) < 0)
        return -1;
    if (store_points_all_programme(r->ctx->store, &r->scope, &dl, err) < 0) {
        store_measure_list_release(&ml);
        return -1;
    }
    return web_org_measures_build(&ml, &dl, out, err);
}

/* Reads the filters (a value that is not one of the choices filters nothing) and the data. */
static int work_load(struct web_req *r, struct work *k, bool with_measures, struct purpose_err *err)
{
    memset(k, 0, sizeof *k);
    web_query_get(r, "partner", k->partner_slug, sizeof k->partner_slug);
    web_query_get(r, "status", k->status, sizeof k->status);
    web_query_get(r, "score", k->score, sizeof k->score);
    web_query_get(r, "kind", k->kind, sizeof k->kind);
    web_query_get(r, "q", k->q, sizeof k->q);
    struct store_org def = {0};
    int rc = store_org_default(r->ctx->store, &def, err);
    k->def_id = def.id;
    store_org_release(&def);
    if (rc == 0)
        rc = store_programme_partners(r->ctx->store, r->programme.id, &k->partners, err);
    if (rc == 0)
        rc = store_aim_list(r->ctx->store, r->programme.id, &k->aims, err);
    for (size_t i = 0; rc == 0 && i < k->partners.n; i++)
        if (strcmp(k->partners.items[i].slug, k->partner_slug) == 0)
            k->partner = k->partners.items[i].id;
    if (!k->partner)
        k->partner_slug[0] = '\0';
    if (strcmp(k->kind, "outcome") != 0 && strcmp(k->kind, "process") != 0 && strcmp(k->kind, "balancing") != 0)
        k->kind[0] = '\0';
    struct store_project_filter f = {.programme_id = r->programme.id, .q = k->q};
    for (size_t i = 0; k->status[0] && store_project_statuses[i]; i++)
        if (strcmp(k->status, store_project_statuses[i]) == 0)
            f.status = store_project_statuses[i];
    if (!f.status)
        k->status[0] = '\0';
    struct purpose_err ignored = {0};
    if (k->score[0] && store_score_parse("score", k->score, &f.score_x10, &ignored) < 0)
        k->score[0] = '\0';
    if (rc == 0)
        rc = store_project_list(r->ctx->store, &r->scope, &f, &k->projects, err);
    if (rc == 0 && with_measures)
        rc = load_measures(r, &k->measures, err);
    if (rc < 0)
        work_release(k);
    return rc;
}

static const struct store_org *org_of(const struct work *k, int64_t id)
{
    for (size_t i = 0; i < k->partners.n; i++)
        if (k->partners.items[i].id == id)
            return &k->partners.items[i];
    return NULL;
}

static const struct store_project *project_of(const struct work *k, int64_t id)
{
    for (size_t i = 0; i < k->projects.n; i++)
        if (k->projects.items[i].id == id)
            return &k->projects.items[i];
    return NULL;
}

/* A link to a partner's own page: its /organisations/{slug} prefix, none for the installation's first. */
static void org_href(const struct work *k, int64_t org, const char *tail, long long id, char *out, size_t n)
{
    const struct store_org *o = org_of(k, org);
    if (!o || o->id == k->def_id)
        snprintf(out, n, "/%s/%lld", tail, id);
    else
        snprintf(out, n, "/organisations/%s/%s/%lld", o->slug, tail, id);
}

static void partner_select(struct web_resp *w, const struct work *k)
{
    kit_select_open(w, NULL, &(struct kit_field){.name = "partner", .label = "Partner"});
    kit_select_option(w, "", "Every partner", !k->partner);
    for (size_t i = 0; i < k->partners.n; i++)
        kit_select_option(w, k->partners.items[i].slug, k->partners.items[i].name, k->partners.items[i].id == k->partner);
    kit_select_close(w);
}

static void heading(struct web_req *r, struct web_resp *w, const char *title, const char *other_href,
                    const char *other_label)
{
    char back[96], href[128], pattern[64];
    web_href(r, back, sizeof back, "/programmes/{programme}", r->programme.slug);
    html_begin(r, w, title);
    kit_back_link(w, back, r->programme.name);
    buf_puts(B, "<span class=\"nhsuk-caption-l\">");
    html_esc(B, r->programme.name);
    buf_printf(B, "</span><h1>%s</h1><p>", title);
    snprintf(pattern, sizeof pattern, "/programmes/{programme}/%s", other_href);
    web_href(r, href, sizeof href, pattern, r->programme.slug);
    kit_link(w, href, other_label, NULL);
    web_href(r, href, sizeof href, "/programmes/{programme}/line-of-sight", r->programme.slug);
    buf_puts(B, " &middot; ");
    kit_link(w, href, "Line of sight", NULL);
    buf_puts(B, "</p>");
}

/* ---- the register ------------------------------------------------------------------------------ */

static int register_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct work k;
    if (work_load(r, &k, false, err) < 0)
        return err->kind == PURPOSE_ERR_INPUT ? web_page_fail(r, w, err) : -1;
    heading(r, w, "Improvement projects", "summary", "Performance summary");
    buf_puts(B, "<p class=\"nhsuk-lede-text\">The improvement work of the programme's partners, and the programme "
                "aims each project serves.</p>");
    char here[128];
    buf_puts(B, "<form method=\"get\" action=\"");
    html_esc(B, web_href(r, here, sizeof here, "/programmes/{programme}/projects", r->programme.slug));
    buf_puts(B, "\" class=\"app-filters\">");
    kit_input(w, NULL, &(struct kit_field){.name = "q", .label = "Search", .value = k.q});
    partner_select(w, &k);
    kit_select_open(w, NULL, &(struct kit_field){.name = "status", .label = "Status"});
    kit_select_option(w, "", "Any status", !k.status[0]);
    for (size_t i = 0; store_project_statuses[i]; i++)
        kit_select_option(w, store_project_statuses[i], store_project_statuses[i],
                          strcmp(k.status, store_project_statuses[i]) == 0);
    kit_select_close(w);
    kit_select_open(w, NULL, &(struct kit_field){.name = "score", .label = "Progress score"});
    kit_select_option(w, "", "Any score", !k.score[0]);
    static const char *const scores[] = {"0.5", "1.0", "1.5", "2.0", "2.5", "3.0", "3.5", "4.0", "4.5", "5.0"};
    for (size_t i = 0; i < 10; i++)
        kit_select_option(w, scores[i], scores[i], strcmp(k.score, scores[i]) == 0);
    kit_select_close(w);
    kit_button(w, "Apply filters", true);
    buf_puts(B, "</form>");
    static const char *const heads[] = {"Project", "Partner", "Status", "Progress", "Serves", "Started"};
    char caption[64];
    size_t shown = 0;
    for (size_t i = 0; i < k.projects.n; i++)
        shown += !k.partner || k.projects.items[i].org_id == k.partner;
    snprintf(caption, sizeof caption, "%zu project%s", shown, shown == 1 ? "" : "s");
    kit_table_open(w, caption, heads, 6, NULL);
    for (size_t i = 0; i < k.projects.n; i++) {
        const struct store_project *p = &k.projects.items[i];
        if (k.partner && p->org_id != k.partner)
            continue;
        const struct store_org *o = org_of(&k, p->org_id);
        char href[160], score[32];
        org_href(&k, p->org_id, "projects", (long long)p->id, href, sizeof href);
        snprintf(score, sizeof score, "%d.%d", p->score_x10 / 10, p->score_x10 % 10);
        kit_row_open(w);
        kit_cell_open(w);
        kit_link(w, href, p->title, NULL);
        kit_cell_close(w);
        kit_cell(w, o ? o->name : "");
        kit_cell_open(w);
        kit_tag(w, p->status, web_status_colour(p->status));
        kit_cell_close(w);
        kit_cell(w, score);
        kit_cell_open(w);
        size_t served = 0;
        for (size_t a = 0; a < k.aims.n; a++)
            for (size_t j = 0; j < p->n_aims; j++)
                if (p->aim_ids[j] == k.aims.items[a].id) {
                    buf_puts(B, served++ ? "; " : "");
                    html_esc(B, k.aims.items[a].title);
                }
        if (!served)
            buf_puts(B, "Its organisation's ambitions only");
        kit_cell_close(w);
        char day[KIT_DAY_MAX];
        kit_cell(w, kit_day_words(day, sizeof day, p->start_date));
        kit_row_close(w);
    }
    kit_table_close(w);
    html_end(r, w);
    work_release(&k);
    return 0;
}

static int register_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct work k;
    if (work_load(r, &k, false, err) < 0)
        return err->kind == PURPOSE_ERR_INPUT ? web_api_fail(w, err) : -1;
    json_t *a = json_array();
    for (size_t i = 0; i < k.projects.n; i++) {
        const struct store_project *p = &k.projects.items[i];
        if (k.partner && p->org_id != k.partner)
            continue;
        const struct store_org *o = org_of(&k, p->org_id);
        json_t *j = web_project_json(p);
        web_jset(&j, "organisation", json_string(o ? o->slug : ""));
        web_jpush(&a, j);
    }
    work_release(&k);
    web_json(w, 200, json_pack("{s:o}", "projects", a));
    return 0;
}

/* ---- the summary ------------------------------------------------------------------------------- */

static bool shown(const struct work *k, const struct web_mseries *ms, const struct store_project **p)
{
    *p = project_of(k, ms->m.project_id);
    return *p && (!k->partner || (*p)->org_id == k->partner) && (!k->kind[0] || strcmp(k->kind, ms->m.kind) == 0);
}

static void partner_table(struct web_resp *w, const struct work *k, const struct store_org *o)
{
    size_t n = 0;
    const struct store_project *p;
    for (size_t i = 0; i < k->measures.n; i++)
        n += shown(k, &k->measures.items[i], &p) && p->org_id == o->id;
    if (n == 0)
        return;
    web_summary_table_open(w, o->name);
    for (size_t i = 0; i < k->measures.n; i++) {
        const struct web_mseries *ms = &k->measures.items[i];
        if (!shown(k, ms, &p) || p->org_id != o->id)
            continue;
        char href[160];
        org_href(k, o->id, "measures", (long long)ms->m.id, href, sizeof href);
        web_summary_row(w, ms, href, p->title);
    }
    kit_table_close(w);
}

static int summary_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct work k;
    if (work_load(r, &k, true, err) < 0)
        return err->kind == PURPOSE_ERR_INPUT ? web_page_fail(r, w, err) : -1;
    heading(r, w, "Integrated performance summary", "projects", "Improvement projects");
    buf_puts(B, "<p class=\"nhsuk-lede-text\">Every measure of the partners' work for the programme, with what its "
                "chart says: variation (is it changing?) and assurance (will it meet its target?).</p>");
    char here[128];
    buf_puts(B, "<form method=\"get\" action=\"");
    html_esc(B, web_href(r, here, sizeof here, "/programmes/{programme}/summary", r->programme.slug));
    buf_puts(B, "\" class=\"app-filters\">");
    partner_select(w, &k);
    kit_select_open(w, NULL, &(struct kit_field){.name = "kind", .label = "Type of measure"});
    kit_select_option(w, "", "Every type", !k.kind[0]);
    static const char *const kinds[] = {"outcome", "process", "balancing"};
    for (size_t i = 0; i < 3; i++)
        kit_select_option(w, kinds[i], kinds[i], strcmp(k.kind, kinds[i]) == 0);
    kit_select_close(w);
    kit_button(w, "Apply filters", true);
    buf_puts(B, "</form><p class=\"app-no-print\">");
    char csv[320], path[128];
    web_href(r, path, sizeof path, "/programmes/{programme}/summary.csv", r->programme.slug);
    snprintf(csv, sizeof csv, "%s?partner=%s&kind=%s", path, k.partner_slug, k.kind);
    kit_link(w, csv, "Download as CSV", NULL);
    buf_puts(B, " \xC2\xB7 ");
    web_href(r, path, sizeof path, "/programmes/{programme}/summary.pdf", r->programme.slug);
    kit_link(w, path, "Download the board pack (PDF)", NULL);
    buf_puts(B, "</p>");
    size_t before = w->body.len;
    /* The programme's own measures by aim (unless a partner is chosen), then each partner's. */
    int rc = k.partner ? 0 : web_programme_own_summary(r, w, &k.aims, k.kind, err);
    for (size_t i = 0; rc == 0 && i < k.partners.n; i++)
        partner_table(w, &k, &k.partners.items[i]);
    if (w->body.len == before)
        buf_puts(B, "<p>No measures yet.</p>");
    html_end(r, w);
    work_release(&k);
    return rc;
}

/* The columns of the organisation's summary.csv, with the partner in place of the theme. */
static int summary_csv(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct work k;
    if (work_load(r, &k, true, err) < 0)
        return err->kind == PURPOSE_ERR_INPUT ? web_page_fail(r, w, err) : -1;
    w->content_type = "text/csv; charset=utf-8";
    web_summary_csv_head(B, "organisation");
    for (size_t o = 0; o < k.partners.n; o++)
        for (size_t i = 0; i < k.measures.n; i++) {
            const struct web_mseries *ms = &k.measures.items[i];
            const struct store_project *p;
            if (!shown(&k, ms, &p) || p->org_id != k.partners.items[o].id)
                continue;
            web_summary_csv_row(B, k.partners.items[o].slug, p->title, ms);
        }
    work_release(&k);
    return 0;
}

static int summary_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct work k;
    if (work_load(r, &k, true, err) < 0)
        return err->kind == PURPOSE_ERR_INPUT ? web_api_fail(w, err) : -1;
    json_t *a = json_array();
    /* The programme's own measures first (level "programme" or "aim"), unless a partner is chosen. */
    if (!k.partner && web_programme_own_json(r, &a, k.kind, err) < 0) {
        json_decref(a);
        work_release(&k);
        return -1;
    }
    for (size_t i = 0; i < k.measures.n; i++) {
        const struct store_project *p;
        if (!shown(&k, &k.measures.items[i], &p))
            continue;
        const struct store_org *o = org_of(&k, p->org_id);
        json_t *j = web_mseries_json(&k.measures.items[i], false);
        web_jset(&j, "organisation", json_string(o ? o->slug : ""));
        web_jset(&j, "project", json_string(p->title));
        web_jpush(&a, j);
    }
    work_release(&k);
    web_json(w, 200, json_pack("{s:o}", "measures", a));
    return 0;
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/programmes/{programme}/projects", .role = ROLE_CONTRIBUTOR, .scope = WEB_PROGRAMME, .handler = register_page},
    {.method = "GET", .path = "/programmes/{programme}/summary", .role = ROLE_CONTRIBUTOR, .scope = WEB_PROGRAMME, .handler = summary_page},
    {.method = "GET", .path = "/programmes/{programme}/summary.csv", .role = ROLE_CONTRIBUTOR, .scope = WEB_PROGRAMME, .handler = summary_csv},
    {.method = "GET", .path = "/api/v1/programmes/{programme}/projects", .role = ROLE_CONTRIBUTOR, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = register_api},
    {.method = "GET", .path = "/api/v1/programmes/{programme}/summary", .role = ROLE_CONTRIBUTOR, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = summary_api},
};

WEB_FEATURE_ROUTES(web_programme_work, routes);
