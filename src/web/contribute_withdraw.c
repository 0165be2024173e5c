/* Withdrawing one's own contribution: a page that shows it and asks, then the withdrawal, then "my
 * contributions" with a success banner (confirm.h). Only the browser that made it finds it. */
#include <stdio.h>

#include "web/action.h"
#include "web/confirm.h"
#include "web/campaigns.h"
#include "core/banned.h"

/* GET /{id}/withdraw?item=N (or a POST's item): the contribution, found through this browser's secret, or 404. */
static int confirm_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char item_b[24];
    long item = 0;
    const char *item_s = web_confirm_arg(r, "item", item_b, sizeof item_b);
    if (web_parse_long(item_s, "item", 1, STORE_ID_MAX, &item, err) < 0)
        return web_page_fail(r, w, err);
    struct store_campaign c;
    bool answered;
    if (web_campaign_load(r, w, &c, &answered, err) < 0)
        return answered ? 0 : -1;
    struct web_contributor me;
    const char *secret = me.secret;
    web_contributor(r, w, WEB_CONTRIBUTOR_PEEK, &me, err);
    struct store_contribution_list l = {0};
    int rc = secret[0] ? store_contribution_mine(r->ctx->store, &r->scope, c.id, secret, &l, err) : 0;
    const struct store_contribution *x = NULL;
    for (size_t i = 0; rc == 0 && i < l.n && !x; i++)
        if (l.items[i].id == item && l.items[i].state != CONTRIB_WITHDRAWN)
            x = &l.items[i];
    if (rc == 0 && !x) {
        purpose_errk(err, PURPOSE_ERR_NOT_FOUND, "item", "contribution: not found");
        rc = web_page_fail(r, w, err);
    } else if (rc == 0) {
        char action[200], cancel[200];
        web_campaign_href(r, c.id, "/withdraw", action, sizeof action);
        web_campaign_href(r, c.id, "/mine", cancel, sizeof cancel);
        const char *const lines[] = {x->body};
        const char *const hidden[] = {"item", item_s};
        web_confirm_page(r, w, &(struct web_confirm){.title = "Withdraw your contribution?", .action = action,
                                                     .button = "Withdraw it", .cancel = cancel,
                                                     .intro = "It stops showing anywhere and counting in the results:",
                                                     .goes = lines, .ngoes = 1, .hidden = hidden, .nhidden = 1});
    }
    store_contribution_list_release(&l);
    store_campaign_release(&c);
    return rc;
}

/* The item, found through this browser's session (none: not found), and "my contributions" after. */
static int withdraw(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                    struct purpose_err *err)
{
    out->id = web_in_i(in, "item");
    web_campaign_href(r, r->id, "/mine", out->next, sizeof out->next);
    if (!out->me.secret[0])
        return purpose_errk(err, PURPOSE_ERR_NOT_FOUND, NULL, "contribution: not found");
    return store_contribution_withdraw(r->ctx->store, &r->scope, r->id, out->id, out->me.secret, err);
}

static const struct web_afield withdraw_fields[] = {
    {.name = "item", .kind = WEB_F_INT, .required = true, .min = 1, .max = STORE_ID_MAX},
};
static const struct web_action contribution_withdraw = {.fields = withdraw_fields, .nfields = 1, .run = withdraw,
                                                        .done = "withdrawn", .who = WEB_WHO_OWN_CONTRIBUTOR};

static int withdraw_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &contribution_withdraw, err);
}

static const struct web_route routes[] = {
    WEB_CONVERSATION_PAGE("GET", "/{id}/withdraw", ROLE_ANON, confirm_page),
    WEB_CONVERSATION_CONFIRMED("/{id}/withdraw", ROLE_ANON, withdraw_post, confirm_page),
};

WEB_FEATURE_ROUTES(web_contribute_withdraw, routes);
