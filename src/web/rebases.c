/* Rebases and points on the measure page: a rebase is chosen from the measure's points (the store's
 * rule, which is purpose spc --rebase X's: a rebase names a point, not the first), the rebases
 * listed with their reasons and what they do to the chart, and deleting a rebase or a point, each
 * after a confirmation (confirm.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/action.h"
#include "web/confirm.h"
#include "web/improve.h"
#include "core/banned.h"

#define B (&w->body)

void web_rebase_date_select(struct web_req *r, struct web_resp *w, const struct purpose_err *fe)
{
    struct store_point_list pts = {0};
    struct purpose_err ignored = {0};
    if (store_points_list(r->ctx->store, &r->scope, r->id, &pts, &ignored) < 0)
        pts.n = 0; /* the select offers no point; adding then names the field */
    const char *chosen = fe ? web_field(r, "date") : "";
    kit_select_open(w, fe, &(struct kit_field){.name = "date", .label = "From the point of",
                                                .hint = "New limits start at this point. The first point cannot start them."});
    kit_select_option(w, "", pts.n > 1 ? "Choose a date" : "No point after the first yet", !chosen[0]);
    char day[KIT_DAY_MAX];
    for (size_t i = pts.n; i-- > 1;) /* the value the ISO day, the words as people write it */
        kit_select_option(w, pts.items[i].day, kit_day_words(day, sizeof day, pts.items[i].day),
                          strcmp(chosen, pts.items[i].day) == 0);
    kit_select_close(w);
    store_point_list_release(&pts);
}

void web_rebases_section(struct web_req *r, struct web_resp *w, const struct web_mseries *ms)
{
    char action[64];
    if (ms->rebases.n) {
        buf_puts(B, "<h2 id=\"rebases\">Rebases</h2><ul class=\"nhsuk-list\">");
        for (size_t i = 0; i < ms->rebases.n; i++) {
            const struct store_rebase *b = &ms->rebases.items[i];
            buf_puts(B, "<li>");
            html_esc(B, b->day);
            buf_puts(B, ": ");
            html_esc(B, b->reason);
            if (ms->computed && !web_rebase_starts(ms, i))
                buf_puts(B, " <strong class=\"nhsuk-tag nhsuk-tag--orange\">No point on this date, so no new limits "
                            "start here</strong>");
            snprintf(action, sizeof action, "/rebases/%lld/delete", (long long)b->id);
            if (web_may(r, "GET", action)) {
                char href[96], hidden[24];
                snprintf(href, sizeof href, "%s?measure=%lld", action, (long long)ms->m.id);
                snprintf(hidden, sizeof hidden, " of %s", b->day);
                buf_puts(B, " ");
                kit_link(w, href, "Delete", hidden);
            }
            buf_puts(B, "</li>");
        }
        buf_puts(B, "</ul>");
    }
    snprintf(action, sizeof action, "/measures/%lld/points/delete", (long long)ms->m.id);
    if (!web_may(r, "POST", action) || ms->pts.n == 0)
        return;
    buf_puts(B, "<h2 id=\"delete-point\">Delete a point</h2>");
    kit_form_open(r, w, action);
    kit_select_open(w, NULL, &(struct kit_field){.name = "day", .label = "The point of"}); /* "date" is the rebase's */
    for (size_t i = ms->pts.n; i-- > 0;)
        kit_select_option(w, ms->pts.items[i].day, ms->pts.items[i].day, i + 1 == ms->pts.n);
    kit_select_close(w);
    kit_button(w, "Delete this point", true);
    kit_form_close(w);
}

/* GET /rebases/{id}/delete?measure=M (or a POST's measure_id): the confirmation, naming the rebase and what its
 * chart loses. */
static int rebase_confirm(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char qb[24] = "";
    long measure = 0;
    struct store_rebase_list l = {0};
    const char *q = web_query_get(r, "measure", qb, sizeof qb) == 0 ? qb : web_field(r, "measure_id");
    if ((q[0] && web_parse_long(q, "measure", 1, INT64_MAX / 2, &measure, err) < 0) || /* none: 0, no rebase */
        store_rebase_list(r->ctx->store, &r->scope, measure, &l, err) < 0)
        return web_page_fail(r, w, err);
    const struct store_rebase *b = NULL;
    for (size_t i = 0; i < l.n && !b; i++)
        if (l.items[i].id == r->id)
            b = &l.items[i];
    if (!b) {
        store_rebase_list_release(&l);
        return web_page_fail(r, w, &(struct purpose_err){.kind = PURPOSE_ERR_NOT_FOUND, .msg = "rebase: not found"});
    }
    char title[80], goes[STORE_TEXT_MAX + 80], action[64], cancel[64], id[24], day[KIT_DAY_MAX];
    kit_day_words(day, sizeof day, b->day);
    snprintf(title, sizeof title, "Delete the rebase of %s?", day);
    snprintf(goes, sizeof goes, "the new limits that start on %s (\"%s\"): the chart's limits run on from before",
             day, b->reason ? b->reason : "");
    snprintf(action, sizeof action, "/rebases/%lld/delete", (long long)r->id);
    snprintf(cancel, sizeof cancel, "/measures/%ld#rebases", measure);
    snprintf(id, sizeof id, "%ld", measure);
    const char *const lines[] = {goes};
    const char *const hidden[] = {"measure_id", id};
    web_confirm_page(r, w, &(struct web_confirm){.title = title, .action = action, .button = "Delete the rebase",
                                                 .cancel = cancel, .goes = lines, .ngoes = 1, .hidden = hidden,
                                                 .nhidden = 1, .undo = "The points stay; a rebase can be added again."});
    store_rebase_list_release(&l);
    return 0;
}

/* The page names the rebase's measure (measure_id) to go back to; the API needs none. */
static int remove_rebase(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                         struct purpose_err *err)
{
    (void)in;
    long measure = 0;
    if (!r->is_api &&
        web_parse_long(web_field(r, "measure_id"), "measure_id", 1, INT64_MAX / 2, &measure, err) < 0)
        return -1;
    snprintf(out->next, sizeof out->next, "/measures/%ld#rebases", measure);
    struct store_actor by = web_actor(r);
    return store_rebase_delete(r->ctx->store, &by, &r->scope, r->id, err);
}

static const struct web_action rebase_delete = {.run = remove_rebase, .done = "rebase-deleted"};

static int rebase_delete_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &rebase_delete, err);
}

static int rebase_delete_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &rebase_delete, err);
}

/* Deleting a point asks first (web_route.confirm): the form's day is posted again with confirm=yes. */
static int point_confirm(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const char *day = web_field(r, "day");
    if (store_check_date("day", day, err) < 0)
        return web_page_fail(r, w, err);
    char title[64], goes[80], action[64], cancel[64], words[KIT_DAY_MAX];
    kit_day_words(words, sizeof words, day);
    snprintf(title, sizeof title, "Delete the point of %s?", words);
    snprintf(goes, sizeof goes, "the point of %s, from the chart and its limits", words);
    snprintf(action, sizeof action, "/measures/%lld/points/delete", (long long)r->id);
    snprintf(cancel, sizeof cancel, "/measures/%lld#delete-point", (long long)r->id);
    const char *const lines[] = {goes};
    const char *const hidden[] = {"day", day};
    web_confirm_page(r, w, &(struct web_confirm){.title = title, .action = action, .button = "Delete the point",
                                                 .cancel = cancel, .goes = lines, .ngoes = 1, .hidden = hidden,
                                                 .nhidden = 1});
    return 0;
}

/* The page's "day" (posted again by its confirmation), the API's ?date=YYYY-MM-DD. */
static int remove_point(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                        struct purpose_err *err)
{
    (void)in, (void)out;
    char day[16] = "";
    if (!r->is_api) {
        if (store_check_date("day", web_field(r, "day"), err) < 0)
            return -1;
        snprintf(day, sizeof day, "%s", web_field(r, "day"));
    } else if (web_query_get(r, "date", day, sizeof day) < 0 || !day[0]) {
        return purpose_errk(err, PURPOSE_ERR_INPUT, "date", "date: name the point to delete: ?date=YYYY-MM-DD");
    }
    struct store_actor by = web_actor(r);
    return store_point_delete(r->ctx->store, &by, &r->scope, r->id, day, err);
}

static const struct web_action point_delete = {.run = remove_point, .next = "/measures/{id}", .done = "point-deleted"};

static int point_delete_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &point_delete, err);
}

static int point_delete_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &point_delete, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/rebases/{id}/delete", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = rebase_confirm},
    {.method = "POST", .path = "/rebases/{id}/delete", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = rebase_delete_page,
     .confirm = rebase_confirm},
    {.method = "POST", .path = "/measures/{id}/points/delete", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = point_delete_page, .load = WEB_LOAD_MEASURE,
     .confirm = point_confirm},
    {.method = "DELETE", .path = "/api/v1/measures/{id}/points", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = point_delete_api, .load = WEB_LOAD_MEASURE},
    {.method = "DELETE", .path = "/api/v1/rebases/{id}", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = rebase_delete_api},
};

WEB_FEATURE_ROUTES(web_rebases, routes);
