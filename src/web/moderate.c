/* Moderation of a conversation, for its leads: the house rules, the queue of contributions waiting
 * (approve, or hide with a reason), the published ones (hide, tag with a theme), and the API. Every
 * decision is written to the audit log by the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/action.h"
#include "web/campaigns.h"
#include "core/banned.h"

#define B (&w->body)

static void item_forms(struct web_req *r, struct web_resp *w, const struct store_contribution *x)
{
    char action[200], tag[200], item[24], rid[40];
    web_campaign_href(r, x->campaign_id, "/moderate", action, sizeof action);
    web_campaign_href(r, x->campaign_id, "/tag", tag, sizeof tag);
    snprintf(item, sizeof item, "%lld", (long long)x->id);
    if (x->state == CONTRIB_QUEUED) {
        kit_form_open(r, w, action);
        kit_hidden(w, "item", item);
        kit_hidden(w, "decision", "approve");
        kit_button(w, "Approve", false);
        kit_form_close(w);
    }
    kit_form_open(r, w, action);
    kit_hidden(w, "item", item);
    kit_hidden(w, "decision", "hide");
    snprintf(rid, sizeof rid, "reason-%lld", (long long)x->id);
    buf_printf(B, "<div class=\"nhsuk-form-group\"><label class=\"nhsuk-label\" for=\"%s\">Reason for hiding "
                  "contribution %lld</label><input class=\"nhsuk-input\" id=\"%s\" name=\"reason\" type=\"text\" "
                  "maxlength=\"%d\"></div>",
               rid, (long long)x->id, rid, STORE_REASON_MAX);
    kit_button(w, "Hide", true);
    kit_form_close(w);
    if (x->kind[0] == 'i') {
        kit_form_open(r, w, tag);
        kit_hidden(w, "item", item);
        snprintf(rid, sizeof rid, "theme-%lld", (long long)x->id);
        buf_printf(B, "<div class=\"nhsuk-form-group\"><label class=\"nhsuk-label\" for=\"%s\">Theme of "
                      "contribution %lld</label><input class=\"nhsuk-input\" id=\"%s\" name=\"theme\" type=\"text\" "
                      "value=\"",
                   rid, (long long)x->id, rid);
        html_esc(B, x->theme);
        buf_puts(B, "\"></div>");
        kit_button(w, "Tag", true);
        kit_form_close(w);
    }
}

static void card(struct web_req *r, struct web_resp *w, const struct store_contribution *x)
{
    buf_puts(B, "<div class=\"nhsuk-card\"><div class=\"nhsuk-card__content\"><p>");
    html_esc(B, x->body);
    buf_puts(B, "</p><p class=\"nhsuk-body-s\">");
    html_esc(B, x->anonymous ? "Anonymous" : x->author);
    buf_printf(B, "%s, %s %lld</p>", x->staff ? " (staff)" : "", x->kind, (long long)x->id);
    item_forms(r, w, x);
    buf_puts(B, "</div></div>");
}

static int moderate_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign c;
    bool answered;
    if (web_campaign_load(r, w, &c, &answered, err) < 0)
        return answered ? 0 : -1;
    struct store_contribution_list q, pub;
    if (store_contribution_queue(r->ctx->store, &r->scope, c.id, &q, err) < 0) {
        store_campaign_release(&c);
        return -1;
    }
    if (store_contribution_list(r->ctx->store, &r->scope, c.id, true, -1, &pub, err) < 0) {
        store_contribution_list_release(&q);
        store_campaign_release(&c);
        return -1;
    }
    html_begin(r, w, "Moderate");
    char back[200];
    web_campaign_href(r, c.id, "", back, sizeof back);
    kit_back_link(w, back, "Back to the conversation");
    buf_puts(B, "<h1>Moderate</h1><h2>House rules</h2>");
    kit_paragraphs(w, store_house_rules, NULL);
    char sug[8][32];
    size_t ns = 0;
    if (store_theme_suggest(r->ctx->store, &r->scope, c.id, sug, 8, &ns, err) < 0) {
        store_contribution_list_release(&q);
        store_contribution_list_release(&pub);
        store_campaign_release(&c);
        return -1;
    }
    buf_puts(B, "<h2>Suggested themes</h2><p>The most distinctive words in the published ideas:</p><p>");
    for (size_t i = 0; i < ns; i++) {
        kit_tag(w, sug[i], "blue");
        buf_puts(B, " ");
    }
    if (ns == 0)
        buf_puts(B, "None yet.");
    buf_puts(B, "</p>");
    buf_printf(B, "<h2>Waiting (%zu)</h2>", q.n);
    if (q.n == 0)
        buf_puts(B, "<p>Nothing is waiting.</p>");
    for (size_t i = 0; i < q.n; i++)
        card(r, w, &q.items[i]);
    buf_printf(B, "<h2>Published (%zu)</h2>", pub.n);
    for (size_t i = 0; i < pub.n; i++)
        card(r, w, &pub.items[i]);
    html_end(r, w);
    store_contribution_list_release(&q);
    store_contribution_list_release(&pub);
    store_campaign_release(&c);
    return 0;
}

/* ---- the actions (action.h): {id} is the conversation, loaded in scope by the router ---------------- */

static int decision_check(const char *name, const char *s, struct purpose_err *err)
{
    if (strcmp(s, "approve") == 0 || strcmp(s, "hide") == 0)
        return 0;
    return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s: must be approve or hide", name);
}

static const struct web_afield decide_fields[] = {
    {.name = "item", .kind = WEB_F_INT, .required = true, .min = 1, .max = STORE_ID_MAX},
    {.name = "decision", .required = true, .check = decision_check},
    {.name = "reason"},
};

static int decide(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                  struct purpose_err *err)
{
    const char *reason = web_in_s(in, "reason");
    struct store_actor by = web_actor(r);
    out->id = web_in_i(in, "item");
    web_campaign_href(r, r->id, "/moderate", out->next, sizeof out->next);
    return store_contribution_moderate(r->ctx->store, &by, &r->scope, r->id, out->id,
                                       strcmp(web_in_s(in, "decision"), "approve") == 0, reason ? reason : "", err);
}

/* The contribution decided on, as the API shows it. */
static int decided_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct store_contribution x;
    if (store_contribution_get(r->ctx->store, &r->scope, r->id, id, &x, err) < 0)
        return -1;
    web_json(w, status, web_contribution_json(&x));
    store_contribution_release(&x);
    return 0;
}

static const struct web_afield tag_fields[] = {
    {.name = "item", .kind = WEB_F_INT, .required = true, .min = 1, .max = STORE_ID_MAX},
    {.name = "theme"},
};

static int tag(struct web_req *r, const struct web_action_in *in, struct web_action_out *out, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    web_campaign_href(r, r->id, "/moderate", out->next, sizeof out->next);
    return store_contribution_tag(r->ctx->store, &by, &r->scope, r->id, web_in_i(in, "item"), web_in_s(in, "theme"),
                                  err);
}

static const struct web_action contribution_decide = {.fields = decide_fields, .nfields = 3, .run = decide,
                                                      .answer = decided_answer};
static const struct web_action contribution_tag = {.fields = tag_fields, .nfields = 2, .run = tag};

static int moderate_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &contribution_decide, err);
}

static int tag_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &contribution_tag, err);
}

static int moderation_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &contribution_decide, err);
}

static int queue_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign c;
    bool answered;
    if (web_campaign_load(r, w, &c, &answered, err) < 0)
        return answered ? 0 : -1;
    struct store_contribution_list q;
    int rc = store_contribution_queue(r->ctx->store, &r->scope, c.id, &q, err);
    store_campaign_release(&c);
    if (rc < 0)
        return -1;
    json_t *a = web_contributions_json(&q);
    store_contribution_list_release(&q);
    web_json(w, 200, json_pack("{s:o}", "contributions", a));
    return 0;
}

static const struct web_route routes[] = {
    WEB_CONVERSATION_PAGE("GET", "/{id}/moderate", ROLE_LEAD, moderate_page),
    WEB_CONVERSATION_PAGE("POST", "/{id}/moderate", ROLE_LEAD, moderate_post),
    WEB_CONVERSATION_PAGE("POST", "/{id}/tag", ROLE_LEAD, tag_post),
    WEB_CONVERSATION_API("GET", "/{id}/queue", ROLE_LEAD, queue_api),
    WEB_CONVERSATION_API("POST", "/{id}/moderation", ROLE_LEAD, moderation_api),
};

WEB_FEATURE_ROUTES(web_moderate, routes);
