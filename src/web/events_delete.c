/* Deleting an engagement event: a page that says what will go, then the delete, then the
 * conversation page with a success banner (confirm.h). */
#include <stdio.h>

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

static int delete_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_event e;
    if (web_event_take(r, &e, err) < 0)
        return web_fail(r, w, err) == 0 ? 0 : -1;
    struct store_actor by = web_actor(r);
    int64_t cid = e.campaign_id;
    store_event_release(&e);
    if (store_event_delete(r->ctx->store, &by, &r->scope, r->id, err) < 0)
        return web_page_fail(r, w, err);
    return web_campaign_redirect(r, w, cid, "?done=event-deleted");
}

static const struct web_route routes[] = {
    WEB_CONVERSATION_PAGE("GET", "/events/{id}/delete", ROLE_LEAD, confirm_page),
    WEB_CONVERSATION_PAGE("POST", "/events/{id}/delete", ROLE_LEAD, delete_post),
};

WEB_FEATURE_ROUTES(web_events_delete, routes);
