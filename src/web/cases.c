/* Good practice: the library of case studies across the installation (and each organisation's),
 * a case study's page with its project's live charts, "we're trying this too", the form a lead
 * publishes a complete or sustaining project with, and the API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "chart/reading.h"
#include "web/confirm.h"
#include "web/action.h"
#include "web/improve.h"
#include "core/banned.h"

#define B (&w->body)

static void case_href(char *out, size_t n, int64_t id)
{
    snprintf(out, n, "/good-practice/%lld", (long long)id);
}

/* ---- the actions (action.h): publishing, unpublishing, "we're trying this too" -------------------- */

static int publish_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                         const struct purpose_err *fe, struct purpose_err *err);
static int case_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err);

/* {id} is the project; the API answers 201 for a first case study, 200 for a changed one. */
static int publish(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                   struct purpose_err *err)
{
    struct store_case_input c = {web_in_s(in, "problem"), web_in_s(in, "change_made"), web_in_s(in, "data_shows"),
                                 web_in_s(in, "contact")};
    struct store_case was = {0};
    int found = store_case_of_project(r->ctx->store, &r->scope, r->id, &was, err);
    store_case_release(&was);
    if (found < 0 && err->kind != PURPOSE_ERR_NOT_FOUND)
        return -1; /* a failed read is the request's failure, not "none" */
    *err = (struct purpose_err){0};
    out->status = found == 0 ? 200 : 201;
    struct store_actor by = web_actor(r);
    if (store_case_publish(r->ctx->store, &by, &r->scope, r->id, &c, &out->id, err) < 0) {
        if (!r->is_api && strcmp(err->field, "status") == 0) /* the form has no status: shown at its top */
            snprintf(err->field, sizeof err->field, "problem");
        return -1;
    }
    return 0;
}

static int unpublish(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                     struct purpose_err *err)
{
    (void)in;
    (void)out;
    struct store_case c;
    struct store_actor by = web_actor(r);
    if (store_case_of_project(r->ctx->store, &r->scope, r->id, &c, err) < 0)
        return -1;
    int rc = store_case_unpublish(r->ctx->store, &by, &r->scope, c.id, err);
    store_case_release(&c);
    return rc;
}

static int trying(struct web_req *r, const struct web_action_in *in, struct web_action_out *out, struct purpose_err *err)
{
    (void)out;
    const char *note = web_in_s(in, "note");
    struct store_actor by = web_actor(r);
    return store_case_interest_add(r->ctx->store, &by, r->id, r->user.id, note ? note : "", err);
}

static const struct web_afield publish_fields[] = {
    {.name = "problem", .required = true, .max = STORE_TEXT_MAX},
    {.name = "change_made", .required = true, .max = STORE_TEXT_MAX},
    {.name = "data_shows", .required = true, .max = STORE_TEXT_MAX},
    {.name = "contact", .required = true, .max = STORE_NAME_MAX},
};
static const struct web_afield trying_fields[] = {{.name = "note", .max = STORE_TEXT_MAX}};

static const struct web_action case_publish = {.fields = publish_fields, .nfields = 4, .run = publish,
                                               .form = publish_again, .next = "/good-practice/{id}",
                                               .answer = case_answer, .api_status = 201};
static const struct web_action case_unpublish = {.run = unpublish, .next = "/projects/{id}", .done = "case-unpublished"};
static const struct web_action case_trying = {.fields = trying_fields, .nfields = 1, .run = trying,
                                              .next = "/good-practice/{id}", .answer = case_answer};

static int library(struct web_req *r, struct web_resp *w, const struct store_scope *scope, struct purpose_err *err)
{
    char q[STORE_TITLE_MAX + 1] = "", theme[STORE_TITLE_MAX + 1] = "";
    web_query_get(r, "q", q, sizeof q);
    web_query_get(r, "theme", theme, sizeof theme);
    struct store_case_list cl;
    struct store_case_theme_list tl;
    if (store_case_find(r->ctx->store, &(struct store_case_filter){scope ? scope->id : 0, q, theme}, &cl, err) < 0)
        return err->kind == PURPOSE_ERR_INPUT ? web_page_fail(r, w, err) : -1;
    if (store_case_themes(r->ctx->store, scope, &tl, err) < 0) {
        store_case_list_release(&cl);
        return -1;
    }
    html_begin(r, w, "Good practice");
    buf_puts(B, "<h1>Good practice</h1><p class=\"nhsuk-lede-text\">");
    if (scope) {
        buf_puts(B, "Case studies of improvement work at ");
        html_esc(B, r->org.name);
        buf_puts(B, ". ");
        kit_link(w, "/good-practice", "See every organisation's", NULL);
        buf_puts(B, ".</p>");
    } else {
        buf_puts(B, "Case studies of improvement work across every organisation here: what the problem was, what "
                    "changed and what the data shows. Say if you are trying it too.</p>");
    }
    buf_puts(B, "<form method=\"get\" action=\"");
    web_href_esc(w, scope ? "/case-studies" : "/good-practice");
    buf_puts(B, "\">");
    kit_input(w, NULL, &(struct kit_field){.name = "q", .label = "Search", .value = q});
    kit_select_open(w, NULL, &(struct kit_field){.name = "theme", .label = "Theme",
                                                  .hint = scope ? NULL : "Every organisation's theme of that name"});
    kit_select_option(w, "", "Every theme", !theme[0]);
    for (size_t i = 0; i < tl.n; i++)
        kit_select_option(w, tl.items[i], tl.items[i], strcasecmp(theme, tl.items[i]) == 0);
    kit_select_close(w);
    kit_button(w, "Search", true);
    buf_puts(B, "</form>");
    store_case_theme_list_release(&tl);
    if (cl.n == 0)
        buf_puts(B, "<p>No case studies found.</p>");
    for (size_t i = 0; i < cl.n; i++) {
        char href[48];
        case_href(href, sizeof href, cl.items[i].id);
        buf_puts(B, "<div class=\"nhsuk-card nhsuk-card--clickable\"><div class=\"nhsuk-card__content\">"
                    "<h2 class=\"nhsuk-card__heading nhsuk-heading-m\">");
        kit_link(w, href, cl.items[i].title, NULL);
        buf_puts(B, "</h2><p class=\"nhsuk-body-s\">");
        html_esc(B, cl.items[i].org_name);
        buf_puts(B, "</p><p class=\"nhsuk-card__description\">");
        html_esc(B, cl.items[i].problem);
        buf_puts(B, "</p></div></div>");
    }
    html_end(r, w);
    store_case_list_release(&cl);
    return 0;
}

static int library_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return library(r, w, NULL, err);
}

static int org_library_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return library(r, w, &r->scope, err);
}

/* The project's live charts, as images with their reading as the text alternative. */
static int case_charts(struct web_req *r, struct web_resp *w, const struct store_case *c, struct purpose_err *err)
{
    struct store_org def;
    if (store_org_default(r->ctx->store, &def, err) < 0)
        return -1;
    char prefix[80] = "";
    if (def.id != c->org_id)
        snprintf(prefix, sizeof prefix, "/organisations/%s", c->org_slug);
    store_org_release(&def);
    struct store_measure_list ml;
    if (store_measure_list(r->ctx->store, STORE_ORG_SCOPE(c->org_id), c->project_id, &ml, err) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < ml.n && rc == 0; i++) {
        struct web_mseries ms;
        if ((rc = web_mseries_load_in(r, STORE_ORG_SCOPE(c->org_id), ml.items[i].id, &ms, err)) < 0)
            break;
        if (ms.computed) {
            struct buf alt;
            buf_init(&alt, 1 << 16);
            buf_printf(&alt, "Chart of %s. ", ms.m.name);
            chart_reading(&alt, &ms.cs, ms.m.unit);
            buf_printf(B, "<figure class=\"app-chart\"><img src=\"%s/measures/%lld/chart.svg\" width=\"960\" alt=\"", prefix,
                       (long long)ms.m.id);
            html_esc(B, alt.data ? alt.data : "");
            buf_puts(B, "\"><figcaption>");
            html_esc(B, ms.m.name);
            buf_puts(B, "</figcaption></figure>");
            buf_release(&alt);
        }
        web_mseries_release(&ms);
    }
    store_measure_list_release(&ml);
    return rc;
}

static int case_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_case c;
    if (store_case_get(r->ctx->store, r->id, &c, err) < 0)
        return web_page_fail(r, w, err);
    html_begin(r, w, c.title);
    kit_back_link(w, "/good-practice", "Good practice");
    buf_puts(B, "<span class=\"nhsuk-caption-l\">Case study from ");
    html_esc(B, c.org_name);
    buf_puts(B, "</span><h1>");
    html_esc(B, c.title);
    buf_puts(B, "</h1><h2>What the problem was</h2>");
    kit_paragraphs(w, c.problem, NULL);
    buf_puts(B, "<h2>What changed</h2>");
    kit_paragraphs(w, c.change_made, NULL);
    buf_puts(B, "<h2>What the data shows</h2>");
    kit_paragraphs(w, c.data_shows, NULL);
    int rc = case_charts(r, w, &c, err);
    if (rc == 0) {
        buf_puts(B, "<h2>Who to contact</h2>");
        kit_paragraphs(w, c.contact, NULL);
        buf_puts(B, "<h2>Also trying this</h2>");
        if (c.interest.n == 0)
            buf_puts(B, "<p>Nobody has said so yet.</p>");
        else
            buf_puts(B, "<ul class=\"nhsuk-list\">");
        for (size_t i = 0; i < c.interest.n; i++) {
            buf_puts(B, "<li>");
            html_esc(B, c.interest.items[i].name);
            buf_puts(B, " (");
            html_esc(B, c.interest.items[i].org_name);
            buf_puts(B, ")");
            if (c.interest.items[i].note[0]) {
                buf_puts(B, ": ");
                html_esc(B, c.interest.items[i].note);
            }
            buf_puts(B, "</li>");
        }
        if (c.interest.n)
            buf_puts(B, "</ul>");
        char action[64];
        snprintf(action, sizeof action, "/good-practice/%lld/trying", (long long)c.id);
        kit_form_open(r, w, action);
        kit_textarea(w, NULL, &(struct kit_field){.name = "note", .label = "We're trying this too",
                                                  .hint = "Optional: where, and how it is going", .rows = 2});
        kit_button(w, "Add us", false);
        kit_form_close(w);
        html_end(r, w);
    }
    store_case_release(&c);
    return rc;
}

static int trying_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &case_trying, err);
}

/* ---- publishing --------------------------------------------------------------------------------- */

static int publish_form(struct web_req *r, struct web_resp *w, const struct store_project *p, bool published,
                        const struct store_case_input *in, const struct purpose_err *fe)
{
    char back[48], action[64];
    snprintf(back, sizeof back, "/projects/%lld", (long long)p->id);
    snprintf(action, sizeof action, "/projects/%lld/case-study", (long long)p->id);
    html_begin(r, w, "Publish a case study");
    kit_narrow_open(w);
    kit_back_link(w, back, "Back to the project");
    kit_error_summary(w, fe);
    buf_puts(B, "<span class=\"nhsuk-caption-l\">");
    html_esc(B, p->title);
    buf_puts(B, "</span><h1>Publish a case study</h1><p>Its charts are shown live from the project's measures.</p>");
    kit_form_open(r, w, action);
    kit_textarea(w, fe, &(struct kit_field){.name = "problem", .label = "What the problem was", .value = in->problem, .rows = 4});
    kit_textarea(w, fe, &(struct kit_field){.name = "change_made", .label = "What changed", .value = in->change_made, .rows = 4});
    kit_textarea(w, fe, &(struct kit_field){.name = "data_shows", .label = "What the data shows", .value = in->data_shows, .rows = 4});
    kit_input(w, fe, &(struct kit_field){.name = "contact", .label = "Who to contact", .value = in->contact});
    kit_button(w, "Publish", false);
    kit_form_close(w);
    if (published) {
        snprintf(action, sizeof action, "/projects/%lld/case-study/delete", (long long)p->id);
        buf_puts(B, "<p>");
        kit_link(w, action, "Unpublish this case study", NULL);
        buf_puts(B, "</p>");
    }
    kit_narrow_close(w);
    html_end(r, w);
    return 0;
}

static int publish_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_project p;
    if (web_project_take(r, &p, err) < 0)
        return web_page_fail(r, w, err);
    struct store_case c = {0};
    bool have = store_case_of_project(r->ctx->store, &r->scope, p.id, &c, err) == 0;
    struct store_case_input in = {have ? c.problem : "", have ? c.change_made : "", have ? c.data_shows : "",
                                  have ? c.contact : p.sponsor};
    int rc = publish_form(r, w, &p, have, &in, NULL);
    store_case_release(&c);
    store_project_release(&p);
    return rc;
}

static int publish_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                         const struct purpose_err *fe, struct purpose_err *err)
{
    struct store_project p;
    if (web_project_take(r, &p, err) < 0)
        return web_page_fail(r, w, err);
    struct store_case_input c = {web_in_s(in, "problem"), web_in_s(in, "change_made"), web_in_s(in, "data_shows"),
                                 web_in_s(in, "contact")};
    struct store_case was = {0};
    bool have = store_case_of_project(r->ctx->store, &r->scope, p.id, &was, &(struct purpose_err){0}) == 0;
    store_case_release(&was);
    int rc = publish_form(r, w, &p, have, &c, fe);
    store_project_release(&p);
    return rc;
}

static int publish_save(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &case_publish, err);
}

/* The project's case study, taken out of the library (the audit log keeps it). */
static int unpublish_confirm(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_case c;
    if (store_case_of_project(r->ctx->store, &r->scope, r->id, &c, err) < 0)
        return web_page_fail(r, w, err);
    char title[300], action[64], cancel[48];
    snprintf(title, sizeof title, "Unpublish the case study of %s?", c.title);
    snprintf(action, sizeof action, "/projects/%lld/case-study/delete", (long long)r->id);
    snprintf(cancel, sizeof cancel, "/projects/%lld", (long long)r->id);
    const char *const lines[] = {"the case study leaves the good practice library; the project stays"};
    web_confirm_page(r, w, &(struct web_confirm){.title = title, .action = action, .button = "Unpublish it",
                                                 .cancel = cancel, .intro = "Unpublishing it:", .goes = lines,
                                                 .ngoes = 1});
    store_case_release(&c);
    return 0;
}

static int unpublish_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &case_unpublish, err);
}

/* ---- API ---------------------------------------------------------------------------------------- */

static json_t *case_json(const struct store_case *c)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)c->id, "project_id",
                     (json_int_t)c->project_id, "organisation", c->org_slug, "title", c->title, "problem", c->problem,
                     "change_made", c->change_made, "data_shows", c->data_shows, "contact", c->contact);
}

static int list_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char q[STORE_TITLE_MAX + 1] = "", theme[STORE_TITLE_MAX + 1] = "";
    web_query_get(r, "q", q, sizeof q);
    web_query_get(r, "theme", theme, sizeof theme);
    struct store_case_list cl;
    if (store_case_find(r->ctx->store, &(struct store_case_filter){0, q, theme}, &cl, err) < 0)
        return err->kind == PURPOSE_ERR_INPUT ? web_api_fail(w, err) : -1;
    json_t *a = json_array();
    for (size_t i = 0; i < cl.n; i++)
        json_array_append_new(a, case_json(&cl.items[i]));
    store_case_list_release(&cl);
    web_json(w, 200, json_pack("{s:o}", "case_studies", a));
    return 0;
}

static int case_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct store_case c;
    if (store_case_get(r->ctx->store, id, &c, err) < 0)
        return web_api_fail(w, err);
    json_t *j = case_json(&c), *who = json_array();
    for (size_t i = 0; i < c.interest.n; i++)
        json_array_append_new(who, json_pack("{s:s, s:s, s:s}", "name", c.interest.items[i].name, "organisation",
                                             c.interest.items[i].org_name, "note", c.interest.items[i].note));
    json_object_set_new(j, "trying_too", who);
    store_case_release(&c);
    web_json(w, status, j);
    return 0;
}

static int get_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return case_answer(r, w, r->id, 200, err);
}

/* {"problem", "change_made", "data_shows", "contact"}: publishes the project (201) or changes its
 * case study (200); refused unless the project is complete or sustaining (field "status"). */
static int publish_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &case_publish, err);
}

static int unpublish_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &case_unpublish, err);
}

/* {"note"?}: the caller is trying it too (again: the note is replaced). */
static int trying_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &case_trying, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/good-practice", .role = ROLE_CONTRIBUTOR, .handler = library_page},
    {.method = "GET", .path = "/good-practice/{id}", .role = ROLE_CONTRIBUTOR, .handler = case_page},
    {.method = "POST", .path = "/good-practice/{id}/trying", .role = ROLE_CONTRIBUTOR, .handler = trying_page},
    {.method = "GET", .path = "/case-studies", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG, .handler = org_library_page},
    {.method = "GET", .path = "/projects/{id}/case-study", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = publish_page, .load = WEB_LOAD_PROJECT},
    {.method = "POST", .path = "/projects/{id}/case-study", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = publish_save, .load = WEB_LOAD_PROJECT},
    {.method = "GET", .path = "/projects/{id}/case-study/delete", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = unpublish_confirm},
    {.method = "POST", .path = "/projects/{id}/case-study/delete", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = unpublish_page,
     .confirm = unpublish_confirm},
    {.method = "GET", .path = "/api/v1/good-practice", .role = ROLE_CONTRIBUTOR, .kind = WEB_API, .handler = list_api},
    {.method = "GET", .path = "/api/v1/good-practice/{id}", .role = ROLE_CONTRIBUTOR, .kind = WEB_API, .handler = get_api},
    {.method = "POST", .path = "/api/v1/good-practice/{id}/trying", .role = ROLE_CONTRIBUTOR, .kind = WEB_API, .handler = trying_api},
    {.method = "PUT", .path = "/api/v1/projects/{id}/case-study", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = publish_api},
    {.method = "DELETE", .path = "/api/v1/projects/{id}/case-study", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = unpublish_api},
};

static const struct web_nav nav[] = {
    {.href = "/good-practice", .label = "Good practice", .rank = 44},
};

WEB_FEATURE(web_cases, routes, nav);
