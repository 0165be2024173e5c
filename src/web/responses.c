/* "You said, we did" (issue 17): a lead of a conversation's organisation or programme answers an
 * idea (adopted, linked to a project or a version of the vision or purpose; in progress; or not
 * taken forward, with a reason), on a form page or through the API, both calling
 * store_response_set; and a project's ideas, the ones it started from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/action.h"
#include "web/campaigns.h"
#include "core/banned.h"

#define B (&w->body)

json_t *web_response_json(const struct store_idea_response *p)
{
    if (!p->state[0])
        return json_null();
    return json_pack("{s:s, s:s, s:s, s:I, s:I, s:I}", "state", p->state, "label", store_response_label(p->state),
                     "reason", p->reason ? p->reason : "", "project_id", (json_int_t)p->project_id, "statement_id",
                     (json_int_t)p->statement_id, "at", (json_int_t)p->at);
}

static void idea_href(struct web_req *r, int64_t id, const char *more, char *out, size_t n)
{
    char rest[64];
    snprintf(rest, sizeof rest, "/ideas/%lld%s", (long long)id, more);
    web_conversations_href(r, rest, out, n);
}

/* What the form holds: as sent, or the idea's response. */
struct response_form {
    const char *state, *reason;
    int64_t project_id, statement_id;
};

static int respond_form(struct web_req *r, struct web_resp *w, const struct store_campaign *c,
                        const struct store_contribution *x, const struct response_form *v, const struct purpose_err *fe,
                        struct purpose_err *err)
{
    struct store_scope scope = web_scope(r);
    struct store_project_filter filter = {.programme_id = scope.kind == STORE_SCOPE_PROGRAMME ? scope.id : 0};
    struct store_project_list pl;
    if (store_project_list(r->ctx->store, &scope, &filter, &pl, err) < 0)
        return -1;
    struct store_statement_list sv[2] = {{0}, {0}};
    static const char *const kinds[] = {"vision", "purpose"};
    for (size_t k = 0; k < 2; k++)
        if (store_statement_history(r->ctx->store, scope, kinds[k], &sv[k], err) < 0) {
            store_statement_list_release(&sv[0]);
            store_project_list_release(&pl);
            return -1;
        }
    char action[220], back[220], n[24];
    idea_href(r, x->id, "/respond", action, sizeof action);
    idea_href(r, x->id, "", back, sizeof back);
    html_begin(r, w, "Respond to an idea");
    kit_narrow_open(w);
    kit_back_link(w, back, "Back to the idea");
    kit_error_summary(w, fe);
    buf_puts(B, "<span class=\"nhsuk-caption-l\">");
    html_esc(B, c->question);
    buf_puts(B, "</span><h1>Respond to an idea</h1><div class=\"nhsuk-inset-text\"><p>");
    html_esc(B, x->body);
    buf_puts(B, "</p></div><p>Your response is shown on the idea, in its author's own list and in the "
                "conversation's summary. It is recorded under your name.</p>");
    kit_form_open(r, w, action);
    struct kit_option st[] = {{"adopted", "Adopted", false}, {"in_progress", "In progress", false},
                              {"not_taken_forward", "Not taken forward", false}};
    for (size_t i = 0; i < 3; i++)
        st[i].selected = strcmp(v->state, st[i].value) == 0;
    kit_radios(w, fe, &(struct kit_field){.name = "state", .label = "What has become of it"}, st, 3);
    kit_textarea(w, fe, &(struct kit_field){.name = "reason", .label = "Reason or note",
                                            .hint = "Required when it is not taken forward: say why. Up to 300 characters.",
                                            .value = v->reason, .rows = 3});
    kit_select_open(w, fe, &(struct kit_field){.name = "project_id", .label = "The project it became or feeds",
                                               .hint = "For an adopted idea, a project or a version below"});
    kit_select_option(w, "", "None", v->project_id == 0);
    for (size_t i = 0; i < pl.n; i++) {
        snprintf(n, sizeof n, "%lld", (long long)pl.items[i].id);
        kit_select_option(w, n, pl.items[i].title, pl.items[i].id == v->project_id);
    }
    kit_select_close(w);
    kit_select_open(w, fe, &(struct kit_field){.name = "statement_id", .label = "The version of the vision or purpose it shaped"});
    kit_select_option(w, "", "None", v->statement_id == 0);
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < sv[k].n; i++) {
            char label[120], day[16];
            time_t t = (time_t)sv[k].items[i].created_at;
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(day, sizeof day, "%Y-%m-%d", &tm);
            snprintf(label, sizeof label, "%s of %s (version %lld)", kinds[k], day, (long long)sv[k].items[i].id);
            snprintf(n, sizeof n, "%lld", (long long)sv[k].items[i].id);
            kit_select_option(w, n, label, sv[k].items[i].id == v->statement_id);
        }
    kit_select_close(w);
    kit_button(w, "Save the response", false);
    kit_form_close(w);
    kit_narrow_close(w);
    html_end(r, w);
    store_statement_list_release(&sv[0]);
    store_statement_list_release(&sv[1]);
    store_project_list_release(&pl);
    return 0;
}

static int respond_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign c;
    struct store_contribution x;
    bool answered;
    if (web_idea_load(r, w, &c, &x, &answered, err) < 0)
        return answered ? 0 : -1;
    struct response_form v = {x.response.state, x.response.reason ? x.response.reason : "", x.response.project_id,
                              x.response.statement_id};
    int rc = respond_form(r, w, &c, &x, &v, NULL, err);
    store_contribution_release(&x);
    store_campaign_release(&c);
    return rc;
}

/* ---- the action (action.h): POST or PUT {"state", "reason", "project_id", "statement_id"} sets the
 * idea's response, replacing any earlier one; the API answers the idea. ---------------------------------- */

static int state_check(const char *name, const char *s, struct purpose_err *err)
{
    if (store_response_label(s)[0])
        return 0;
    return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s: must be adopted, in_progress or not_taken_forward", name);
}

static const struct web_afield fields[] = {
    {.name = "state", .required = true, .check = state_check},
    {.name = "reason", .max = STORE_REASON_MAX}, /* required when not taken forward: the store's rule */
    {.name = "project_id", .kind = WEB_F_INT, .min = 0, .max = INT64_MAX / 2},
    {.name = "statement_id", .kind = WEB_F_INT, .min = 0, .max = INT64_MAX / 2},
};

static int respond(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                   struct purpose_err *err)
{
    int64_t cid;
    struct store_response_input v = {web_in_s(in, "state"), web_in_s(in, "reason"), web_in_i(in, "project_id"),
                                     web_in_i(in, "statement_id")};
    struct store_actor by = web_actor(r);
    if (store_idea_campaign(r->ctx->store, &r->scope, r->id, &cid, err) < 0 ||
        store_response_set(r->ctx->store, &by, &r->scope, cid, r->id, &v, (int64_t)time(NULL), err) < 0)
        return -1;
    idea_href(r, r->id, "?responded=1", out->next, sizeof out->next);
    return 0;
}

static int respond_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                         const struct purpose_err *fe, struct purpose_err *err)
{
    struct store_campaign c;
    struct store_contribution x;
    bool answered;
    if (web_idea_load(r, w, &c, &x, &answered, err) < 0)
        return answered ? 0 : -1;
    struct response_form v = {web_in_s(in, "state"), web_in_s(in, "reason"), web_in_i(in, "project_id"),
                              web_in_i(in, "statement_id")};
    int rc = respond_form(r, w, &c, &x, &v, fe, err);
    store_contribution_release(&x);
    store_campaign_release(&c);
    return rc;
}

static int idea_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    int64_t cid;
    struct store_contribution x;
    if (store_idea_campaign(r->ctx->store, &r->scope, id, &cid, err) < 0 ||
        store_contribution_get(r->ctx->store, &r->scope, cid, id, &x, err) < 0)
        return -1;
    web_json(w, status, web_contribution_json(&x));
    store_contribution_release(&x);
    return 0;
}

static const struct web_action idea_respond = {.fields = fields, .nfields = 4, .run = respond, .form = respond_again,
                                               .answer = idea_answer};

static int respond_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &idea_respond, err);
}

static int response_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &idea_respond, err);
}

/* ---- a project's ideas ------------------------------------------------------------------------ */

static int project_ideas_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_project p;
    if (web_project_take(r, &p, err) < 0)
        return web_page_fail(r, w, err);
    struct store_contribution_list l;
    char (*where)[64] = NULL;
    if (store_project_ideas(r->ctx->store, p.id, &l, &where, err) < 0) {
        store_project_release(&p);
        return -1;
    }
    char back[48];
    snprintf(back, sizeof back, "/projects/%lld", (long long)p.id);
    html_begin(r, w, "The ideas it started from");
    kit_back_link(w, back, "Back to the project");
    buf_puts(B, "<span class=\"nhsuk-caption-l\">");
    html_esc(B, p.title);
    buf_printf(B, "</span><h1>The ideas it started from</h1><p>%zu %s from conversations led to this project.</p>",
               l.n, l.n == 1 ? "idea" : "ideas");
    for (size_t i = 0; i < l.n; i++) {
        const struct store_contribution *x = &l.items[i];
        char href[200];
        if (where[i][0])
            web_href(r, href, sizeof href, "/programmes/{programme}/conversations/ideas/{id}", where[i], x->id);
        else
            web_href(r, href, sizeof href, "/conversations/ideas/{id}", x->id);
        buf_puts(B, "<div class=\"nhsuk-card\"><div class=\"nhsuk-card__content\"><p class=\"nhsuk-card__description\">");
        html_esc(B, x->body);
        buf_puts(B, "</p>");
        web_idea_byline(w, x);
        web_idea_response(r, w, x);
        buf_puts(B, "<p class=\"nhsuk-body-s\">");
        kit_link(w, href, "See the idea in its conversation", NULL);
        buf_puts(B, "</p></div></div>");
    }
    html_end(r, w);
    free(where);
    store_contribution_list_release(&l);
    store_project_release(&p);
    return 0;
}

/* The same as JSON: {"project_id", "started_from": N, "ideas": [each idea as its own answer gives it,
 * with its conversation_id and programme (its slug, or null for an organisation's conversation)]}. */
static int project_ideas_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_project p;
    if (web_project_take(r, &p, err) < 0)
        return web_api_fail(w, err);
    int64_t id = p.id;
    store_project_release(&p);
    struct store_contribution_list l;
    char (*where)[64] = NULL;
    if (store_project_ideas(r->ctx->store, id, &l, &where, err) < 0)
        return -1;
    json_t *a = json_array();
    for (size_t i = 0; i < l.n; i++) {
        json_t *j = web_contribution_json(&l.items[i]);
        web_jset(&j, "conversation_id", json_integer((json_int_t)l.items[i].campaign_id));
        web_jset(&j, "programme", where[i][0] ? json_string(where[i]) : json_null());
        web_jpush(&a, j);
    }
    web_json(w, 200, a ? json_pack("{s:I, s:I, s:o}", "project_id", (json_int_t)id, "started_from", (json_int_t)l.n,
                                   "ideas", a)
                       : NULL);
    free(where);
    store_contribution_list_release(&l);
    return 0;
}

int web_project_ideas_line(struct web_req *r, struct web_resp *w, int64_t project_id, struct purpose_err *err)
{
    int64_t n = 0;
    if (store_project_ideas_count(r->ctx->store, project_id, &n, err) < 0)
        return -1;
    if (n == 0)
        return 0;
    char href[64], label[64];
    snprintf(href, sizeof href, "/projects/%lld/ideas", (long long)project_id);
    snprintf(label, sizeof label, "Started from %lld %s", (long long)n, n == 1 ? "idea" : "ideas");
    buf_puts(B, "<p>");
    kit_link(w, href, label, " people shared in conversations");
    buf_puts(B, "</p>");
    return 0;
}

static const struct web_route routes[] = {
    WEB_IDEA_PAGE("GET", "/respond", ROLE_LEAD, respond_page),
    WEB_IDEA_PAGE("POST", "/respond", ROLE_LEAD, respond_post),
    WEB_IDEA_API("POST", "/response", ROLE_LEAD, response_api),
    WEB_IDEA_API("PUT", "/response", ROLE_LEAD, response_api),
    {.method = "GET", .path = "/projects/{id}/ideas", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG,
     .handler = project_ideas_page, .load = WEB_LOAD_PROJECT},
    {.method = "GET", .path = "/api/v1/projects/{id}/ideas", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG, .kind = WEB_API,
     .handler = project_ideas_api, .load = WEB_LOAD_PROJECT},
};

WEB_FEATURE_ROUTES(web_responses, routes);
