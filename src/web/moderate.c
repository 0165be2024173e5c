/* Moderation of a conversation, for its leads: the house rules, the queue of contributions waiting
 * (approve, or hide with a reason), the published ones (hide, tag with a theme), and the API. Every
 * decision is written to the audit log by the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int decide(struct web_req *r, struct web_resp *w, int64_t item, const char *decision, const char *reason,
                  int64_t *cid, struct purpose_err *err)
{
    struct store_campaign c;
    bool answered;
    if (web_campaign_load(r, w, &c, &answered, err) < 0)
        return answered ? 1 : -1;
    *cid = c.id;
    store_campaign_release(&c);
    if (strcmp(decision, "approve") != 0 && strcmp(decision, "hide") != 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "decision", "decision: must be approve or hide");
    struct store_actor by = web_actor(r);
    return store_contribution_moderate(r->ctx->store, &by, &r->scope, *cid, item, strcmp(decision, "approve") == 0, reason, err);
}

static int moderate_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    long item;
    int64_t cid = 0;
    if (web_parse_long(web_field(r, "item"), "item", 1, STORE_ID_MAX, &item, err) < 0)
        return web_page_fail(r, w, err);
    int rc = decide(r, w, item, web_field(r, "decision"), web_field(r, "reason"), &cid, err);
    if (rc > 0)
        return 0;
    if (rc < 0)
        return err->kind == PURPOSE_ERR_INTERNAL ? -1 : web_page_fail(r, w, err);
    return web_campaign_redirect(r, w, cid, "/moderate");
}

static int tag_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    long item;
    int64_t cid;
    int rc;
    if (web_campaign_item(r, w, &item, &rc, err) < 0)
        return rc;
    cid = r->id;
    struct store_actor by = web_actor(r);
    if (store_contribution_tag(r->ctx->store, &by, &r->scope, cid, item, web_field(r, "theme"), err) < 0)
        return web_page_fail(r, w, err);
    return web_campaign_redirect(r, w, cid, "/moderate");
}

static int moderation_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    json_int_t item;
    const char *decision, *reason = "";
    if (web_jint(r, "item", true, 1, STORE_ID_MAX, &item, err) < 0 || web_jstr(r, "decision", true, &decision, err) < 0 ||
        web_jstr(r, "reason", false, &reason, err) < 0)
        return web_api_fail(w, err);
    int64_t cid = 0;
    int rc = decide(r, w, item, decision, reason ? reason : "", &cid, err);
    if (rc > 0)
        return 0;
    if (rc < 0)
        return web_api_fail(w, err);
    struct store_contribution x;
    if (store_contribution_get(r->ctx->store, &r->scope, cid, item, &x, err) < 0)
        return -1;
    web_json(w, 200, web_contribution_json(&x));
    store_contribution_release(&x);
    return 0;
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
