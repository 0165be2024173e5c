/* Deleting a measure: a page that says what will go (its points), then the delete, then the
 * project page (or the summary, for a measure of no project) with a success banner (confirm.h); the
 * delete is one action for the page and the API (action.h). */
#include <stdio.h>

#include "web/action.h"
#include "web/confirm.h"
#include "web/improve.h"
#include "core/banned.h"

static int confirm_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_measure m;
    if (web_measure_take(r, &m, err) < 0)
        return web_page_fail(r, w, err);
    struct store_point_list pl = {0};
    int rc = store_points_list(r->ctx->store, &r->scope, m.id, &pl, err);
    if (rc == 0) {
        char title[300], points[96], action[48], cancel[48];
        snprintf(title, sizeof title, "Delete the measure %s?", m.name);
        char n[KIT_NUMBER_MAX];
        snprintf(points, sizeof points, "its %s %s, its chart and its rebases", kit_number(n, (double)pl.n, 0),
                 pl.n == 1 ? "point" : "points");
        snprintf(action, sizeof action, "/measures/%lld/delete", (long long)m.id);
        snprintf(cancel, sizeof cancel, "/measures/%lld", (long long)m.id);
        const char *const lines[] = {points};
        web_confirm_page(r, w, &(struct web_confirm){.title = title, .action = action, .button = "Delete the measure",
                                                     .cancel = cancel, .goes = lines, .ngoes = 1});
    }
    store_point_list_release(&pl);
    store_measure_release(&m);
    return rc;
}

/* With its points and rebases; the audit log keeps them. */
static int remove_measure(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                          struct purpose_err *err)
{
    (void)in;
    struct store_measure m;
    if (web_measure_take(r, &m, err) < 0)
        return -1;
    if (m.project_id)
        snprintf(out->next, sizeof out->next, "/projects/%lld", (long long)m.project_id);
    else /* the organisation's or an ambition's: they are listed in the summary */
        snprintf(out->next, sizeof out->next, "/summary");
    store_measure_release(&m);
    struct store_actor by = web_actor(r);
    return store_measure_delete(r->ctx->store, &by, &r->scope, r->id, err);
}

static const struct web_action delete_action = {.run = remove_measure, .done = "measure-deleted"};

static int delete_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &delete_action, err);
}

static int delete_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &delete_action, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/measures/{id}/delete", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = confirm_page, .load = WEB_LOAD_MEASURE},
    {.method = "POST", .path = "/measures/{id}/delete", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = delete_page, .load = WEB_LOAD_MEASURE,
     .confirm = confirm_page},
    {.method = "DELETE", .path = "/api/v1/measures/{id}", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = delete_api, .load = WEB_LOAD_MEASURE},
};

WEB_FEATURE_ROUTES(web_measures_delete, routes);
