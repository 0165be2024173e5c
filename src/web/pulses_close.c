/* Closing a pulse's open wave, the page form: a confirmation first (web_route.confirm), then the
 * action (pulses_api.c's web_pulse_close), then the pulse's page with its banner.
 *
 * Closing is destructive though nothing is deleted: it cannot be undone (a closed wave never opens
 * again; the next wave is a new one), it ends everyone's chance to answer that wave, and it publishes
 * the wave's results at once. One click on the pulse's page must not do that by mistake. */
#include <stdio.h>

#include "web/action.h"
#include "web/confirm.h"
#include "web/pulses.h"
#include "core/banned.h"

/* The confirmation: which wave, and what closing it does. No open wave: the action says so. */
static int close_confirm(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_pulse p;
    struct store_pulse_wave_list waves;
    int rc;
    if (web_pulse_load_waves(r, w, &p, &waves, &rc, err) < 0)
        return rc;
    const struct store_pulse_wave *open = web_pulse_open_wave(&waves);
    rc = 1;
    if (open) {
        char title[STORE_NAME_MAX + 60], stops[96], action[200], cancel[200];
        snprintf(title, sizeof title, "Close wave %d of %s?", open->number, p.title);
        snprintf(stops, sizeof stops, "no one can answer wave %d any more, by the link or signed in", open->number);
        web_href(r, action, sizeof action, "/pulses/{id}/close", p.id);
        web_href(r, cancel, sizeof cancel, "/pulses/{id}", p.id);
        const char *const lines[] = {stops, "its results are published at once (a group too small to show stays hidden)"};
        web_confirm_page(r, w, &(struct web_confirm){.title = title, .action = action, .button = "Close the wave",
                                                     .cancel = cancel, .intro = "Closing it:", .goes = lines,
                                                     .ngoes = 2});
        rc = 0;
    }
    store_pulse_wave_list_release(&waves);
    store_pulse_release(&p);
    return rc;
}

static int close_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &web_pulse_close, err);
}

static const struct web_route routes[] = {
    {.method = "POST", .path = "/pulses/{id}/close", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = close_post,
     .confirm = close_confirm},
    {.method = "POST", .path = "/programmes/{programme}/pulses/{id}/close", .role = WEB_PULSE_PROGRAMME_ROLE(ROLE_LEAD),
     .scope = WEB_PROGRAMME, .handler = close_post, .confirm = close_confirm},
};

WEB_FEATURE_ROUTES(web_pulses_close, routes);
