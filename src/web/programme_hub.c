/* A programme's page as the hub of its work: its shared handover dashboard, project register,
 * summary and line of sight, and its conversations (open ones first), each shown to whoever may
 * follow it (web_may). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "web/campaigns.h"
#include "web/kit.h"
#include "core/banned.h"

#define B (&w->body)

static void hub_link(struct web_req *r, struct web_resp *w, const char *href, const char *label, const char *what)
{
    if (!href[0] || !web_may(r, "GET", href))
        return;
    buf_puts(B, "<li>");
    kit_link(w, href, label, NULL);
    buf_puts(B, "<br><span class=\"nhsuk-body-s\">");
    html_esc(B, what);
    buf_puts(B, "</span></li>");
}

/* The conversations, open ones first; returns how many were listed. */
static size_t conversations(struct web_req *r, struct web_resp *w, const struct store_campaign_list *l, bool open)
{
    int64_t now = (int64_t)time(NULL);
    size_t shown = 0;
    for (size_t i = 0; i < l->n; i++) {
        web_stamp_until_open(r, l->items[i].opens_at, l->items[i].closes_at); /* the page lasts until then */
        if (store_campaign_open(&l->items[i], now) != open)
            continue;
        char href[200];
        web_campaign_href(r, l->items[i].id, "", href, sizeof href);
        if (!href[0] || !web_may(r, "GET", href))
            continue;
        buf_puts(B, "<li>");
        kit_link(w, href, l->items[i].question, NULL);
        buf_puts(B, " ");
        kit_tag(w, open ? "Open" : "Closed", open ? "green" : "grey");
        buf_puts(B, "</li>");
        shown++;
    }
    return shown;
}

int web_programme_hub(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign_list l;
    if (store_campaign_list(r->ctx->store, &r->scope, &l, err) < 0)
        return -1;
    char href[200];
    buf_puts(B, "<h2>Our work together</h2><ul class=\"nhsuk-list\">");
    hub_link(r, w, web_href(r, href, sizeof href, "/handovers"), "Shared handover dashboard",
             "Handover times at the front door, from every partner's data.");
    hub_link(r, w, web_href(r, href, sizeof href, "/projects"), "Project register",
             "The improvement projects of this programme.");
    hub_link(r, w, web_href(r, href, sizeof href, "/summary"), "Summary",
             "Where each project and measure stands.");
    hub_link(r, w, web_href(r, href, sizeof href, "/programmes/{programme}/line-of-sight", r->programme.slug),
             "Line of sight", "How each project serves the programme's aims.");
    hub_link(r, w, web_href(r, href, sizeof href, "/programmes/{programme}/system", r->programme.slug),
             "System view", "Every partner's measures side by side, and funnel plots.");
    hub_link(r, w, web_href(r, href, sizeof href, "/pulses"), "Purpose pulses",
             "How the partners' staff say the shared purpose is lived, wave by wave.");
    buf_puts(B, "</ul><h2>Conversations</h2><ul class=\"nhsuk-list\">");
    size_t n = conversations(r, w, &l, true);
    n += conversations(r, w, &l, false);
    buf_puts(B, "</ul>");
    if (n == 0)
        buf_puts(B, "<p>There are no conversations yet.</p>");
    web_conversations_href(r, "", href, sizeof href);
    if (n > 0 && href[0] && web_may(r, "GET", href)) {
        buf_puts(B, "<p>");
        kit_link(w, href, "All conversations", NULL);
        buf_puts(B, "</p>");
    }
    store_campaign_list_release(&l);
    return 0;
}
