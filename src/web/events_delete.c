/* Deleting an engagement event: a page that says what will go, then the delete, then the
 * conversation page with a success banner (confirm.h); the delete is one action for the page and the
 * API (events_api.c). */
#include <stdio.h>

#include "web/action.h"
#include "web/confirm.h"
#include "web/events.h"
#include "core/banned.h"

static int confirm_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_event e;
    if (web_event_take(r, &e, err) < 0)
        return web_fail(r, w, err);
    char title[300], day[40], when[120], action[220], cancel[220];
    web_long_day(day, sizeof day, e.held_on);
    snprintf(title, sizeof title, "Delete the event %s?", e.title);
    snprintf(when, sizeof when, "the event of %s, its notes and its attendance", day);
    web_event_href(r, e.id, "/delete", action, sizeof action);
    web_event_href(r, e.id, "", cancel, sizeof cancel);
    const char *const lines[] = {when, "what was said there: it is hidden everywhere, results included"};
    web_confirm_page(r, w, &(struct web_confirm){.title = title, .action = action, .button = "Delete the event",
                                                 .cancel = cancel, .goes = lines, .ngoes = 2});
    store_event_release(&e);
    return 0;
}

/* The action, for the page and the API (action.h): a page goes back to the event's conversation. */
static int remove_event(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                        struct purpose_err *err)
{
    (void)in;
    struct store_event e;
    if (web_event_take(r, &e, err) < 0)
        return -1;
    web_campaign_href(r, e.campaign_id, "", out->next, sizeof out->next);
    store_event_release(&e);
    struct store_actor by = web_actor(r);
    return store_event_delete(r->ctx->store, &by, &r->scope, r->id, err);
}

const struct web_action web_event_delete = {.run = remove_event, .done = "event-deleted"};

static int delete_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &web_event_delete, err);
}

static const struct web_route routes[] = {
    WEB_CONVERSATION_PAGE("GET", "/events/{id}/delete", ROLE_LEAD, confirm_page),
    WEB_CONVERSATION_CONFIRMED("/events/{id}/delete", ROLE_LEAD, delete_post, confirm_page),
};

WEB_FEATURE_ROUTES(web_events_delete, routes);
