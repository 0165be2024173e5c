/* Destructive actions: the confirmation page and the success banner shown after (confirm.h). */
#include <string.h>

#include "web/confirm.h"
#include "web/kit.h"
#include "core/banned.h"

#define B (&w->body)

/* What each destructive action says once it is done; a redirect names the key. */
static const struct {
    const char *key, *text;
} done[] = {
    {"project-deleted", "The project was deleted. The audit log keeps a record of it."},
    {"project-saved", "The project was saved."},
    {"project-approved", "The project was approved."},
    {"driver-deleted", "The node and everything below it were deleted."},
    {"pdsa-deleted", "The PDSA cycle was deleted."},
    {"case-unpublished", "The case study was unpublished. The project stays."},
    {"rebase-deleted", "The rebase was deleted. The chart's limits run on from before it."},
    {"point-deleted", "The point was deleted."},
    {"measure-deleted", "The measure and its points were deleted."},
    {"aim-deleted", "The aim was deleted. The projects that served it stay."},
    {"annotation-deleted", "The annotation was deleted."},
    {"event-deleted", "The event was deleted."},
    {"strategy-deleted", "It was deleted from the strategy. The audit log keeps a record of it."},
    {"strategy-added", "It was added to the strategy."},
    {"organisation-added", "The organisation was added."},
    {"strategy-saved", "The change to the strategy was saved."},
    {"token-revoked", "The token was revoked. Programs using it can no longer sign in with it."},
    {"role-removed", "The role was removed."},
    {"user-disabled", "The user was disabled: they cannot sign in, and their API tokens are revoked."},
    {"withdrawn", "Your contribution was withdrawn. It no longer shows anywhere or counts in the results."},
};

void web_done_banner(struct web_req *r, struct web_resp *w)
{
    char key[32];
    if (web_query_get(r, "done", key, sizeof key) != 0)
        return;
    for (size_t i = 0; i < sizeof done / sizeof done[0]; i++)
        if (strcmp(key, done[i].key) == 0)
            kit_banner_success(w, done[i].text);
}

const char *web_confirm_arg(struct web_req *r, const char *name, char *buf, size_t size)
{
    if (web_query_get(r, name, buf, size) == 0)
        return buf;
    return web_field(r, name);
}

void web_confirm_page(struct web_req *r, struct web_resp *w, const struct web_confirm *c)
{
    html_begin(r, w, c->title);
    kit_back_link(w, c->cancel, "Go back");
    buf_puts(B, "<h1>");
    html_esc(B, c->title);
    buf_puts(B, "</h1>");
    if (c->ngoes) {
        buf_puts(B, "<p>");
        html_esc(B, c->intro ? c->intro : "This deletes:");
        buf_puts(B, "</p><ul class=\"nhsuk-list nhsuk-list--bullet\">");
        for (size_t i = 0; i < c->ngoes; i++) {
            buf_puts(B, "<li>");
            html_esc(B, c->goes[i]);
            buf_puts(B, "</li>");
        }
        buf_puts(B, "</ul>");
    }
    if (c->undo) {
        buf_puts(B, "<p>");
        html_esc(B, c->undo);
        buf_puts(B, "</p>");
    } else {
        buf_puts(B, "<div class=\"nhsuk-warning-callout\"><h2 class=\"nhsuk-warning-callout__label\">"
                    "<span role=\"text\"><span class=\"nhsuk-u-visually-hidden\">Important: </span>"
                    "This cannot be undone</span></h2><p>The audit log keeps a record of it.</p></div>");
    }
    kit_form_open(r, w, c->action);
    for (size_t i = 0; i < c->nhidden; i++)
        kit_hidden(w, c->hidden[2 * i], c->hidden[2 * i + 1]);
    kit_hidden(w, "confirm", "yes"); /* what lets the dispatcher pass it to the action (web_route.confirm) */
    kit_warning_button(w, c->button);
    kit_form_close(w);
    buf_puts(B, "<p>");
    kit_link(w, c->cancel, "No, go back", NULL);
    buf_puts(B, "</p>");
    html_end(r, w);
}
