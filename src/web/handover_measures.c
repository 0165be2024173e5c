/* A handover metric followed as an improvement measure: the dashboard's form, its handler, and the
 * note on the measure's page saying where the points come from. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/action.h"
#include "web/handover_measures.h"
#include "web/improve.h"
#include "web/kit.h"
#include "core/banned.h"

#define B (&w->body)

int web_ho_measure_form(struct web_req *r, struct web_resp *w, const struct purpose_err *fe,
                        struct purpose_err *err)
{
    char track[120];
    web_href(r, track, sizeof track, "/handovers/measures");
    if (!web_may(r, "POST", track))
        return 0;
    struct store_ho_site_list sites = {0};
    struct store_programme_list progs = {0};
    struct store_project_list projects = {0};
    struct store_scope org = {STORE_SCOPE_ORG, r->org.id};
    int rc = store_ho_sites(r->ctx->store, org, &sites, err);
    if (rc == 0)
        rc = store_programme_list(r->ctx->store, &org, &progs, err);
    if (rc == 0)
        rc = store_project_list(r->ctx->store, &org, NULL, &projects, err);
    if (rc < 0)
        goto out;
    const char *was_scope = web_field(r, "scope"), *was_metric = web_field(r, "metric");
    const char *was_project = web_field(r, "project");
    bool weekly = strcmp(web_field(r, "period"), "week") == 0;
    buf_puts(B, "<h2 id=\"track\">Track as a measure</h2><p>Follow a daily or weekly figure as a measure of an "
                "improvement project: it shows in the project, the board's summary and its SPC chart, and "
                "its points are refreshed by every import.</p>");
    if (projects.n == 0) {
        char href[120];
        web_href(r, href, sizeof href, "/projects/new");
        buf_puts(B, "<p>A measure belongs to a project, and there is none yet. ");
        kit_link(w, href, "Add a project", NULL);
        buf_puts(B, "</p>");
        goto out;
    }
    char action[120], v[48];
    web_href(r, action, sizeof action, "/handovers/measures");
    kit_form_open(r, w, action);
    kit_select_open(w, fe, &(struct kit_field){.name = "scope", .label = "Whose handovers"});
    char label[300];
    snprintf(label, sizeof label, "All sites of %s", r->org.name);
    kit_select_option(w, "org", label, strcmp(was_scope, "org") == 0);
    for (size_t i = 0; i < sites.n; i++) {
        snprintf(v, sizeof v, "site:%lld", (long long)sites.items[i].id);
        snprintf(label, sizeof label, "Site: %s", sites.items[i].name);
        kit_select_option(w, v, label, strcmp(was_scope, v) == 0);
    }
    for (size_t i = 0; i < progs.n; i++) {
        snprintf(v, sizeof v, "programme:%lld", (long long)progs.items[i].id);
        snprintf(label, sizeof label, "Programme: %s (every partner's sites)", progs.items[i].name);
        kit_select_option(w, v, label, strcmp(was_scope, v) == 0);
    }
    kit_select_close(w);
    kit_select_open(w, fe, &(struct kit_field){.name = "metric", .label = "Figure"});
    for (size_t i = 0; i < store_hom_n_metrics; i++)
        kit_select_option(w, store_hom_metrics[i].key, store_hom_metrics[i].label,
                          was_metric[0] ? strcmp(was_metric, store_hom_metrics[i].key) == 0
                                        : strcmp(store_hom_metrics[i].key, "pct_within_60") == 0);
    kit_select_close(w);
    const struct kit_option periods[] = {{"day", "Each day", !weekly}, {"week", "Each week (from Monday)", weekly}};
    kit_radios(w, fe, &(struct kit_field){.name = "period", .label = "One point for"}, periods, 2);
    kit_select_open(w, fe, &(struct kit_field){.name = "project", .label = "Project"});
    for (size_t i = 0; i < projects.n; i++) {
        snprintf(v, sizeof v, "%lld", (long long)projects.items[i].id);
        kit_select_option(w, v, projects.items[i].title, strcmp(was_project, v) == 0);
    }
    kit_select_close(w);
    kit_input(w, fe, &(struct kit_field){.name = "name", .label = "Name (optional)",
                                                            .hint = "Left empty, the measure is named after the figure",
                                                            .value = web_field(r, "name")});
    kit_button(w, "Track as a measure", false);
    kit_form_close(w);
out:
    store_ho_site_list_release(&sites);
    store_programme_list_release(&progs);
    store_project_list_release(&projects);
    return rc;
}

/* ---- following a metric (action.h): the dashboard's form and POST /api/v1/handovers/measures name
 * the same fields, so one declaration: scope "org", "site:ID" or "programme:ID"; metric; period
 * "day" or "week"; project; an optional name ---- */

/* "org", "site:ID" or "programme:ID" into src (org: the request's organisation); NULL src: a check. */
static int scope_parse(int64_t org, const char *s, struct store_hom_source *src, struct purpose_err *err)
{
    struct store_hom_source none;
    if (!src)
        src = &none;
    long id = 0;
    if (strcmp(s, "org") == 0) {
        src->scope = STORE_HOM_ORG;
        src->scope_id = org;
        return 0;
    }
    const char *num = NULL;
    if (strncmp(s, "site:", 5) == 0)
        src->scope = STORE_HOM_SITE, num = s + 5;
    else if (strncmp(s, "programme:", 10) == 0)
        src->scope = STORE_HOM_PROGRAMME, num = s + 10;
    if (!num || web_parse_long(num, "scope", 1, LONG_MAX, &id, err) < 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "scope", "scope: choose a site, the organisation or a programme");
    src->scope_id = id;
    return 0;
}

static int scope_check(const char *name, const char *s, struct purpose_err *err)
{
    (void)name;
    return scope_parse(0, s, NULL, err);
}

static int metric_check(const char *name, const char *s, struct purpose_err *err)
{
    (void)name;
    return store_hom_metric_find(s) ? 0 : purpose_errk(err, PURPOSE_ERR_INPUT, "metric", "metric: choose one of the figures");
}

static int period_check(const char *name, const char *s, struct purpose_err *err)
{
    (void)name;
    return strcmp(s, "day") == 0 || strcmp(s, "week") == 0
               ? 0
               : purpose_errk(err, PURPOSE_ERR_INPUT, "period", "period: choose each day or each week");
}

static int measure_make(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                        struct purpose_err *err)
{
    struct store_hom_source src = {0};
    if (scope_parse(r->org.id, web_in_s(in, "scope"), &src, err) < 0)
        return -1;
    snprintf(src.metric, sizeof src.metric, "%s", web_in_s(in, "metric"));
    src.weekly = strcmp(web_in_s(in, "period"), "week") == 0;
    const char *name = web_in_s(in, "name");
    struct store_actor by = web_actor(r);
    return store_hom_create(r->ctx->store, &by, &r->scope, web_in_i(in, "project"), &src, name ? name : "", &out->id,
                            err);
}

static int measure_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                         const struct purpose_err *fe, struct purpose_err *err)
{
    (void)in;
    html_begin(r, w, "Track as a measure");
    kit_error_summary(w, fe);
    if (web_ho_measure_form(r, w, fe, err) < 0)
        return -1;
    html_end(r, w);
    return 0;
}

/* 201 with the measure and its points. */
static int measure_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct web_mseries ms;
    if (web_mseries_load(r, id, &ms, err) < 0)
        return web_api_fail(w, err);
    web_json(w, status, web_mseries_json(&ms, true));
    web_mseries_release(&ms);
    return 0;
}

static const struct web_afield measure_fields[] = {
    {.name = "scope", .required = true, .check = scope_check},
    {.name = "metric", .required = true, .check = metric_check},
    {.name = "period", .required = true, .check = period_check},
    {.name = "project", .kind = WEB_F_INT, .required = true, .min = 1, .max = STORE_ID_MAX},
    {.name = "name"}, /* the store checks it as a measure's name */
};
static const struct web_action measure_follow = {.fields = measure_fields, .nfields = 5, .run = measure_make,
                                                 .form = measure_again, .next = "/measures/{id}",
                                                 .answer = measure_answer, .api_status = 201};

int web_ho_measure_create(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &measure_follow, err);
}

int web_ho_measure_create_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &measure_follow, err);
}

int web_ho_measure_source(struct web_req *r, struct web_resp *w, int64_t measure_id, struct purpose_err *err)
{
    struct store_hom_source src;
    int got = store_hom_source_get(r->ctx->store, &r->scope, measure_id, &src, err);
    if (got <= 0)
        return got;
    const struct store_hom_metric *m = store_hom_metric_find(src.metric);
    static const char *const whose[] = {"the site", "all sites of", "every partner's sites in the programme"};
    buf_puts(B, "<h2>Where the points come from</h2><p>");
    buf_printf(B, "%s, %s, of %s ", m ? m->label : src.metric, src.weekly ? "each week (from Monday)" : "each day",
               whose[src.scope]);
    buf_puts(B, "<strong>");
    html_esc(B, src.scope_name);
    buf_puts(B, "</strong>, computed from the stored handovers (as <code>purpose handovers report</code> gives it). "
                "The points are refreshed by every import of these sites and cannot be entered by hand.</p>");
    char href[120];
    web_href(r, href, sizeof href, "/handovers");
    buf_puts(B, "<p>");
    kit_link(w, href, "Ambulance handovers", NULL);
    buf_puts(B, "</p>");
    return 1;
}
