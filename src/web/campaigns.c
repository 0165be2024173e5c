/* Co-design campaigns for leads: the list, creating and changing one, and the campaign API; the
 * helpers every co-design feature shares (campaigns.h). The results, the who-has-been-heard report
 * and the exports are campaign_results.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/action.h"
#include "web/campaigns.h"
#include "web/events.h"
#include "core/banned.h"

#define B (&w->body)

void web_campaign_href(const struct web_req *r, int64_t id, const char *rest, char *out, size_t n)
{
    char pattern[128];
    snprintf(pattern, sizeof pattern, "/conversations/{id}%s", rest);
    web_href(r, out, n, pattern, id);
}

void web_conversations_href(const struct web_req *r, const char *rest, char *out, size_t n)
{
    char pattern[128];
    snprintf(pattern, sizeof pattern, "/conversations%s", rest);
    web_href(r, out, n, pattern);
}

json_t *web_count_json(int64_t n)
{
    char t[32];
    return store_count_suppressed(n) ? json_string(store_count_text(n, t, sizeof t)) : json_integer((json_int_t)n);
}

json_t *web_shown_json(const struct store_shown *s)
{
    return s->form == STORE_TOTAL_EXACT ? json_integer((json_int_t)s->n) : json_string(s->text);
}

int web_campaign_load(struct web_req *r, struct web_resp *w, struct store_campaign *c, bool *answered,
                      struct purpose_err *err)
{
    *answered = false;
    if (r->conversation.id) { /* the router loaded it (web_route.load): take it over */
        *c = r->conversation;
        r->conversation = (struct store_campaign){0};
        return 0;
    }
    if (store_campaign_get(r->ctx->store, &r->scope, r->id, c, err) == 0)
        return 0;
    *answered = web_fail(r, w, err) == 0;
    return -1;
}

void web_iso_day(char *out, size_t n, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, n, "%Y-%m-%d", &tm);
}

void web_campaign_heading(struct web_req *r, struct web_resp *w, const struct store_campaign *c)
{
    web_stamp_until_open(r, c->opens_at, c->closes_at); /* a cached copy lasts until it opens or closes */
    bool open = store_campaign_open(c, (int64_t)time(NULL));
    buf_puts(B, "<span class=\"nhsuk-caption-l\">Conversation</span><h1>");
    html_esc(B, c->question);
    buf_puts(B, "</h1><p>");
    kit_tag(w, open ? "Open" : "Closed", open ? "green" : "grey");
    char a[40], b[40]; /* days as people write them: 1 March 2026 */
    web_long_day(a, sizeof a, c->opens_at);
    web_long_day(b, sizeof b, c->closes_at);
    buf_printf(B, " Open from %s to %s.", a, b);
    if (c->phase[0]) {
        buf_puts(B, " Phase: ");
        html_esc(B, c->phase);
        buf_puts(B, ".");
    }
    buf_puts(B, "</p>");
}

/* ---- the list, and creating and changing ---------------------------------------------------- */

static int list_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign_list l;
    if (store_campaign_list(r->ctx->store, &r->scope, &l, err) < 0)
        return -1;
    html_begin(r, w, "Conversations");
    buf_puts(B, "<h1>Conversations</h1><p>Help shape our vision, purpose and plans: say what matters to you and "
                "vote on what others have said. You do not need an account, and you can stay anonymous.</p>");
    if (l.n == 0)
        buf_puts(B, "<p>There are no conversations yet.</p>");
    buf_puts(B, "<ul class=\"nhsuk-list\">");
    int64_t now = (int64_t)time(NULL);
    for (size_t i = 0; i < l.n; i++) {
        char href[200];
        web_campaign_href(r, l.items[i].id, "", href, sizeof href);
        buf_puts(B, "<li>");
        kit_link(w, href, l.items[i].question, NULL);
        buf_puts(B, " ");
        web_stamp_until_open(r, l.items[i].opens_at, l.items[i].closes_at);
        kit_tag(w, store_campaign_open(&l.items[i], now) ? "Open" : "Closed",
                store_campaign_open(&l.items[i], now) ? "green" : "grey");
        buf_puts(B, "</li>");
    }
    buf_puts(B, "</ul>");
    store_campaign_list_release(&l);
    char href[200];
    web_conversations_href(r, "/new", href, sizeof href);
    if (web_may(r, "POST", href)) {
        buf_puts(B, "<p>");
        kit_link(w, href, "Start a conversation", NULL);
        buf_puts(B, "</p>");
    }
    html_end(r, w);
    return 0;
}

struct form_values {
    const char *question, *description, *audience, *phases, *phase, *links, *privacy, *opens, *closes;
    bool queue;
};

static void campaign_form(struct web_req *r, struct web_resp *w, bool create, const struct form_values *v,
                          const struct purpose_err *fe)
{
    char action[200], back[200];
    web_conversations_href(r, "", back, sizeof back);
    if (create)
        web_conversations_href(r, "/new", action, sizeof action);
    else
        web_campaign_href(r, r->id, "/edit", action, sizeof action);
    html_begin(r, w, create ? "Start a conversation" : "Change a conversation");
    kit_narrow_open(w);
    kit_back_link(w, back, "Back to conversations");
    kit_error_summary(w, fe);
    buf_puts(B, create ? "<h1>Start a conversation</h1>" : "<h1>Change a conversation</h1>");
    kit_form_open(r, w, action);
    kit_input(w, fe, &(struct kit_field){.name = "question", .label = "Question", .value = v->question});
    kit_textarea(w, fe, &(struct kit_field){.name = "description", .label = "Description", .value = v->description,
                                            .rows = 4});
    struct kit_option aud[] = {{"all", "Everyone", false}, {"staff", "Staff", false}, {"public", "The public", false},
                               {"partners", "Partner organisations", false}};
    for (size_t i = 0; i < 4; i++)
        aud[i].selected = strcmp(aud[i].value, v->audience) == 0;
    kit_radios(w, fe, &(struct kit_field){.name = "audience", .label = "Who it is for"}, aud, 4);
    kit_date_input(w, fe, &(struct kit_field){.name = "opens_at", .label = "Opens", .hint = "For example, 1 3 2026",
                                              .value = v->opens});
    kit_date_input(w, fe, &(struct kit_field){.name = "closes_at", .label = "Closes",
                                              .hint = "The first day it is closed. For example, 1 4 2026", .value = v->closes});
    kit_textarea(w, fe, &(struct kit_field){.name = "phases", .label = "Phases", .hint = "One a line",
                                            .value = v->phases, .rows = 3});
    kit_input(w, fe, &(struct kit_field){.name = "phase", .label = "Current phase", .value = v->phase});
    kit_input(w, fe, &(struct kit_field){.name = "links", .label = "Themes or aims it informs", .value = v->links});
    kit_textarea(w, fe, &(struct kit_field){.name = "privacy", .label = "Privacy notice",
                                            .hint = "Shown before anyone contributes", .value = v->privacy, .rows = 4});
    kit_checkbox(w, "queue_public", "1",
                 "Hold contributions for a moderator, except those from staff (people with the member role or above "
                 "here), which publish at once",
                 v->queue);
    kit_button(w, "Save", false);
    kit_form_close(w);
    kit_narrow_close(w);
    html_end(r, w);
}

static int parse_day(const char *s, const char *field, int64_t *out, struct purpose_err *err)
{
    int y, m, d;
    char tail;
    if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < STORE_YEAR_MIN || y > STORE_YEAR_MAX ||
        m < 1 || m > 12 || d < 1 || d > 31)
        return purpose_errk(err, PURPOSE_ERR_INPUT, field, "Enter the date it %s, for example 1 3 2026",
                            strcmp(field, "opens_at") == 0 ? "opens" : "closes");
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    *out = (int64_t)timegm(&tm);
    return 0;
}

static int new_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    (void)err;
    char a[16], b[16];
    int64_t now = (int64_t)time(NULL);
    web_iso_day(a, sizeof a, now);
    web_iso_day(b, sizeof b, now + 42 * 86400);
    struct form_values v = {"", "", "all", "", "", "", store_house_rules, a, b, true};
    v.privacy = store_privacy_notice;
    campaign_form(r, w, true, &v, NULL);
    return 0;
}

static int edit_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign c;
    bool answered;
    if (web_campaign_load(r, w, &c, &answered, err) < 0)
        return answered ? 0 : -1;
    char a[16], b[16];
    web_iso_day(a, sizeof a, c.opens_at);
    web_iso_day(b, sizeof b, c.closes_at);
    struct form_values v = {c.question, c.description, c.audience, c.phases, c.phase, c.links, c.privacy, a, b,
                            c.queue_public};
    campaign_form(r, w, false, &v, NULL);
    store_campaign_release(&c);
    return 0;
}

/* ---- the actions (action.h): a page's dates are days, the API's are Unix times --------------------- */

static int audience_check(const char *name, const char *s, struct purpose_err *err)
{
    if (strcmp(s, "staff") == 0 || strcmp(s, "public") == 0 || strcmp(s, "partners") == 0 || strcmp(s, "all") == 0)
        return 0;
    return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s: must be staff, public, partners or all", name);
}

static int day_check(const char *name, const char *s, struct purpose_err *err)
{
    int64_t t;
    return parse_day(s, name, &t, err);
}

#define TEXT_FIELDS                                                                                                \
    {.name = "question", .required = true, .max = STORE_QUESTION_MAX},                                             \
    {.name = "description", .max = STORE_TEXT_MAX},                                                                 \
    {.name = "audience", .required = true, .check = audience_check},                                                \
    {.name = "phases", .max = 1000}, {.name = "phase", .max = STORE_TITLE_MAX}, {.name = "links", .max = 1000},      \
    {.name = "privacy", .required = true, .max = STORE_TEXT_MAX},                                                    \
    {.name = "queue_public", .kind = WEB_F_BOOL} /* absent from JSON: held, as a page's ticked box */

static const struct web_afield page_fields[] = {
    TEXT_FIELDS,
    {.name = "opens_at", .kind = WEB_F_DATE, .required = true, .label = "Opens", .check = day_check},
    {.name = "closes_at", .kind = WEB_F_DATE, .required = true, .label = "Closes", .check = day_check},
};
static const struct web_afield api_fields[] = {
    TEXT_FIELDS,
    {.name = "opens_at", .kind = WEB_F_INT, .required = true, .min = 1, .max = 4102444800},
    {.name = "closes_at", .kind = WEB_F_INT, .required = true, .min = 1, .max = 4102444800},
};

static const struct web_action campaign_add_page, campaign_change_page, campaign_add_api;

static int save(struct web_req *r, const struct web_action_in *in, struct web_action_out *out, struct purpose_err *err)
{
    struct store_campaign_input c = {web_in_s(in, "question"), web_in_s(in, "description"), web_in_s(in, "audience"),
                                     web_in_s(in, "phases"),   web_in_s(in, "phase"),       web_in_s(in, "links"),
                                     web_in_s(in, "privacy"),  web_in_i(in, "opens_at"),    web_in_i(in, "closes_at"),
                                     web_in_i(in, "queue_public") != 0};
    if (!r->is_api && (parse_day(web_in_s(in, "opens_at"), "opens_at", &c.opens_at, err) < 0 ||
                       parse_day(web_in_s(in, "closes_at"), "closes_at", &c.closes_at, err) < 0))
        return -1;
    struct store_actor by = web_actor(r);
    if (in->a == &campaign_change_page) {
        if (store_campaign_update(r->ctx->store, &by, &r->scope, r->id, &c, err) < 0)
            return -1;
    } else if (store_campaign_add(r->ctx->store, &by, &r->scope, &c, &out->id, err) < 0) {
        return -1;
    }
    web_campaign_href(r, out->id, "", out->next, sizeof out->next);
    return 0;
}

static int form_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                      const struct purpose_err *fe, struct purpose_err *err)
{
    (void)err;
    struct form_values v = {web_in_s(in, "question"), web_in_s(in, "description"), web_in_s(in, "audience"),
                            web_in_s(in, "phases"),   web_in_s(in, "phase"),       web_in_s(in, "links"),
                            web_in_s(in, "privacy"),  web_in_s(in, "opens_at"),    web_in_s(in, "closes_at"),
                            web_in_i(in, "queue_public") != 0};
    campaign_form(r, w, in->a == &campaign_add_page, &v, fe);
    return 0;
}

static json_t *campaign_json(const struct store_campaign *c);

static int campaign_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct store_campaign c;
    if (store_campaign_get(r->ctx->store, &r->scope, id, &c, err) < 0)
        return -1;
    web_json(w, status, campaign_json(&c));
    store_campaign_release(&c);
    return 0;
}

#define FIELDS(f) .fields = f, .nfields = sizeof f / sizeof f[0]

static const struct web_action campaign_add_page = {FIELDS(page_fields), .run = save, .form = form_again};
static const struct web_action campaign_change_page = {FIELDS(page_fields), .run = save, .form = form_again};
static const struct web_action campaign_add_api = {FIELDS(api_fields), .run = save, .answer = campaign_answer,
                                                   .api_status = 201};

static int create_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &campaign_add_page, err);
}

static int update_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &campaign_change_page, err);
}

/* ---- API ------------------------------------------------------------------------------------ */

static json_t *campaign_json(const struct store_campaign *c)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:b, s:b}", "id", (json_int_t)c->id,
                     "question", c->question, "description", c->description, "audience", c->audience, "opens_at",
                     (json_int_t)c->opens_at, "closes_at", (json_int_t)c->closes_at, "phases", c->phases, "phase",
                     c->phase, "links", c->links, "privacy", c->privacy, "queue_public", c->queue_public, "open",
                     store_campaign_open(c, (int64_t)time(NULL)));
}

json_t *web_contribution_json(const struct store_contribution *x)
{
    json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s, s:b, s:b, s:s, s:s, s:s, s:I}", "id", (json_int_t)x->id,
                          "parent_id", (json_int_t)x->parent_id, "kind", x->kind, "body", x->body, "author",
                          x->author, "anonymous", x->anonymous, "staff", x->staff, "state",
                          store_contribution_state_name(x->state), "reason", x->reason, "theme", x->theme,
                          "created_at", (json_int_t)x->created_at);
    if (j) {
        json_object_set_new(j, "agree", web_count_json(x->agree));
        json_object_set_new(j, "disagree", web_count_json(x->disagree));
        json_object_set_new(j, "unsure", web_count_json(x->unsure));
        json_object_set_new(j, "no_account", web_count_json(x->no_account));
        if (x->kind && strcmp(x->kind, "idea") == 0)
            web_jset(&j, "response", web_response_json(&x->response));
    }
    return j;
}

json_t *web_contributions_json(const struct store_contribution_list *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        web_jpush(&a, web_contribution_json(&l->items[i]));
    return a;
}

static int list_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign_list l;
    if (store_campaign_list(r->ctx->store, &r->scope, &l, err) < 0)
        return -1;
    json_t *a = json_array();
    for (size_t i = 0; i < l.n; i++)
        json_array_append_new(a, campaign_json(&l.items[i]));
    store_campaign_list_release(&l);
    web_json(w, 200, json_pack("{s:o}", "conversations", a));
    return 0;
}

static int get_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign c;
    bool answered;
    if (web_campaign_load(r, w, &c, &answered, err) < 0)
        return answered ? 0 : -1;
    struct store_contribution_list l;
    bool more;
    /* Bounded: a Big Conversation's 50,000 ideas are paged through /ideas instead. */
    if (store_contributions_first(r->ctx->store, &r->scope, c.id, STORE_CONTRIBUTIONS_ANSWER, &l, &more, err) < 0) {
        store_campaign_release(&c);
        return -1;
    }
    json_t *j = campaign_json(&c);
    web_jset(&j, "contributions", web_contributions_json(&l));
    web_jset(&j, "contributions_more", json_boolean(more));
    web_json(w, 200, j);
    store_contribution_list_release(&l);
    store_campaign_release(&c);
    return 0;
}

static int post_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &campaign_add_api, err);
}

static const struct web_route routes[] = {
    WEB_CONVERSATION_PAGE("GET", "", ROLE_ANON, list_page),
    WEB_CONVERSATION_PAGE("GET", "/new", ROLE_LEAD, new_page),
    WEB_CONVERSATION_PAGE("POST", "/new", ROLE_LEAD, create_page),
    WEB_CONVERSATION_PAGE("GET", "/{id}/edit", ROLE_LEAD, edit_page),
    WEB_CONVERSATION_PAGE("POST", "/{id}/edit", ROLE_LEAD, update_page),
    WEB_CONVERSATION_API("GET", "", ROLE_ANON, list_api),
    WEB_CONVERSATION_API("POST", "", ROLE_LEAD, post_api),
    WEB_CONVERSATION_API("GET", "/{id}", ROLE_ANON, get_api),
};

static const struct web_nav nav[] = {
    {.href = "/conversations", .label = "Conversations", .rank = 25},
};

WEB_FEATURE(web_campaigns, routes, nav);
