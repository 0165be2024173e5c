/* Celebrating what the data proves (NHS England: "celebrate and share good practice"): when a
 * project's measure shows a sustained improvement (spc_celebrate, include/purpose/celebrate.h, the
 * one rule), its organisation's leads find it on the home page, linking the chart, the PDSA cycles
 * and the team, with a case study draft filled in from them (/projects/{id}/celebrate?measure=N,
 * published through the case study's own form and rules, cases.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/reading.h"
#include "purpose/celebrate.h"
#include "web/improve.h"
#include "core/banned.h"

#define B (&w->body)

static bool worth_celebrating(const struct web_mseries *ms)
{
    return ms->computed && ms->m.project_id > 0 && spc_celebrate(&ms->res, ms->y, &ms->opt);
}

static const struct store_project *project_in(const struct store_project_list *pl, int64_t id)
{
    for (size_t i = 0; i < pl->n; i++)
        if (pl->items[i].id == id)
            return &pl->items[i];
    return NULL;
}

int web_celebrations_home(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    if (!r->user.id || !web_may(r, "GET", "/celebrations"))
        return 0; /* for the organisation's leads */
    struct web_org_measures om;
    struct store_project_list pl;
    if (web_org_measures_load(r, &om, err) < 0)
        return -1;
    if (store_project_list(r->ctx->store, &r->scope, NULL, &pl, err) < 0) {
        web_org_measures_release(&om);
        return -1;
    }
    size_t shown = 0;
    for (size_t i = 0; i < om.n; i++) {
        const struct web_mseries *ms = &om.items[i];
        const struct store_project *p = worth_celebrating(ms) ? project_in(&pl, ms->m.project_id) : NULL;
        if (!p)
            continue;
        if (shown++ == 0)
            buf_puts(B, "<div class=\"nhsuk-inset-text app-celebrations\"><h2>Something to celebrate</h2>"
                        "<ul class=\"nhsuk-list\">");
        char href[96];
        buf_puts(B, "<li class=\"app-celebration\"><p><strong>");
        html_esc(B, ms->m.name);
        buf_puts(B, "</strong> has improved: its latest points are a sustained special cause improvement. ");
        snprintf(href, sizeof href, "/measures/%lld", (long long)ms->m.id);
        kit_link(w, href, "See the chart", ms->m.name);
        buf_puts(B, " \xC2\xB7 ");
        snprintf(href, sizeof href, "/projects/%lld#pdsa", (long long)p->id);
        kit_link(w, href, "the PDSA cycles", p->title);
        buf_puts(B, " \xC2\xB7 the team: ");
        html_esc(B, p->team && p->team[0] ? p->team : p->title);
        buf_puts(B, " \xC2\xB7 ");
        snprintf(href, sizeof href, "/projects/%lld/celebrate?measure=%lld", (long long)p->id, (long long)ms->m.id);
        kit_link(w, href, "Draft a case study", p->title);
        buf_puts(B, "</p></li>");
    }
    if (shown)
        buf_puts(B, "</ul></div>");
    store_project_list_release(&pl);
    web_org_measures_release(&om);
    return 0;
}

/* The draft: the case study's own form (posting to cases.c's route), filled in from the project's
 * aim, its PDSA cycles, the measure's reading and its team. */
static int draft_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char q[24] = "";
    long measure = 0;
    struct store_project p = {0};
    struct web_mseries ms;
    struct store_pdsa_list cl = {0};
    if (store_project_get(r->ctx->store, &r->scope, r->id, &p, err) < 0)
        return web_page_fail(r, w, err);
    if (web_query_get(r, "measure", q, sizeof q) != 0)
        q[0] = '\0';
    if (web_parse_long(q, "measure", 1, INT64_MAX / 2, &measure, err) < 0) {
        store_project_release(&p);
        return web_page_fail(r, w, err);
    }
    if (web_mseries_load(r, measure, &ms, err) < 0) {
        store_project_release(&p);
        return web_page_fail(r, w, err);
    }
    int rc = ms.m.project_id == p.id ? 0
                                      : purpose_errk(err, PURPOSE_ERR_NOT_FOUND, "measure", "measure %ld: not one of this project's",
                                                     measure);
    if (rc == 0)
        rc = store_pdsa_list(r->ctx->store, &r->scope, p.id, &cl, err);
    if (rc < 0) {
        web_mseries_release(&ms);
        store_project_release(&p);
        return err->kind == PURPOSE_ERR_INTERNAL ? -1 : web_page_fail(r, w, err);
    }
    struct buf problem, change, data;
    buf_init(&problem, 1 << 16);
    buf_init(&change, 1 << 16);
    buf_init(&data, 1 << 16);
    buf_printf(&problem, "Our aim: %s", p.aim);
    for (size_t i = 0; i < cl.n; i++)
        buf_printf(&change, "%sPDSA %zu, from %s: %s%s%s.", i ? "\n" : "", i + 1, cl.items[i].start_date, cl.items[i].title,
                   cl.items[i].act[0] ? ": " : "", cl.items[i].act);
    if (cl.n == 0)
        buf_puts(&change, "(Say what the team changed.)");
    buf_printf(&data, "%s: ", ms.m.name);
    if (ms.computed)
        chart_reading(&data, &ms.cs, ms.m.unit);
    char back[48], action[64];
    snprintf(back, sizeof back, "/measures/%ld", measure);
    snprintf(action, sizeof action, "/projects/%lld/case-study", (long long)p.id);
    html_begin(r, w, "Celebrate: draft a case study");
    kit_narrow_open(w);
    kit_back_link(w, back, "Back to the chart");
    buf_puts(B, "<span class=\"nhsuk-caption-l\">");
    html_esc(B, p.title);
    buf_puts(B, "</span><h1>Celebrate: draft a case study</h1><p>");
    html_esc(B, ms.m.name);
    buf_puts(B, " shows a sustained improvement. Share what the team did: this draft is filled in from the project's "
                "aim, its PDSA cycles and what the chart shows. Change anything before you publish.</p>");
    if (!ms.computed || !spc_celebrate(&ms.res, ms.y, &ms.opt))
        buf_puts(B, "<p class=\"nhsuk-body-s\">The chart does not show a sustained improvement today.</p>");
    kit_form_open(r, w, action);
    kit_textarea(w, NULL, &(struct kit_field){.name = "problem", .label = "What the problem was", .value = problem.data ? problem.data : "", .rows = 4});
    kit_textarea(w, NULL, &(struct kit_field){.name = "change_made", .label = "What changed", .value = change.data ? change.data : "", .rows = 6});
    kit_textarea(w, NULL, &(struct kit_field){.name = "data_shows", .label = "What the data shows", .value = data.data ? data.data : "", .rows = 6});
    kit_input(w, NULL, &(struct kit_field){.name = "contact", .label = "Who to contact", .value = p.team && p.team[0] ? p.team : p.sponsor});
    kit_button(w, "Publish the case study", false);
    kit_form_close(w);
    kit_narrow_close(w);
    html_end(r, w);
    rc = problem.failed || change.failed || data.failed ? purpose_errf(err, "out of memory drafting a case study") : 0;
    buf_release(&problem);
    buf_release(&change);
    buf_release(&data);
    store_pdsa_list_release(&cl);
    web_mseries_release(&ms);
    store_project_release(&p);
    return rc;
}

/* Every celebration of the organisation, for its leads (the home page shows the same). */
static int list_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    html_begin(r, w, "Something to celebrate");
    buf_puts(B, "<h1>Something to celebrate</h1><p>Measures whose latest points show a sustained special cause "
                "improvement: the latest 6, each better than chance explains, on average 1.5 sigma the better side "
                "of the centre line (docs/spc.md).</p>");
    size_t before = w->body.len;
    if (web_celebrations_home(r, w, err) < 0)
        return -1;
    if (w->body.len == before)
        buf_puts(B, "<p>Nothing yet.</p>");
    html_end(r, w);
    return 0;
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/celebrations", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = list_page},
    {.method = "GET", .path = "/projects/{id}/celebrate", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = draft_page},
};

static const struct web_nav nav[] = {
    {.href = "/celebrations", .label = "Celebrations", .rank = 46},
};

WEB_FEATURE(web_celebrate, routes, nav);
