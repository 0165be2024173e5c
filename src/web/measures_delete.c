/* Deleting a measure: a page that says what will go (its points), then the delete, then the
 * project page with a success banner (confirm.h). */
#include <stdio.h>

#include "web/confirm.h"
#include "web/improve.h"
#include "core/banned.h"

static int confirm_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_measure m;
    if (web_measure_take(r, &m, err) < 0)
        return web_page_fail(r, w, err);
    struct store_point_list pl = {0};
    int rc = store_points_list(r->ctx->store, STORE_ORG_SCOPE(r->org.id), m.id, &pl, err);
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

static int delete_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_measure m;
    if (web_measure_take(r, &m, err) < 0)
        return web_page_fail(r, w, err);
    int64_t project = m.project_id;
    store_measure_release(&m);
    struct store_actor by = web_actor(r);
    if (store_measure_delete(r->ctx->store, &by, STORE_ORG_SCOPE(r->org.id), r->id, err) < 0)
        return web_page_fail(r, w, err);
    char href[80];
    if (project)
        snprintf(href, sizeof href, "/projects/%lld?done=measure-deleted", (long long)project);
    else /* the organisation's or an ambition's: they are listed in the summary */
        snprintf(href, sizeof href, "/summary");
    web_redirect(w, href);
    return 0;
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/measures/{id}/delete", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = confirm_page, .load = WEB_LOAD_MEASURE},
    {.method = "POST", .path = "/measures/{id}/delete", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = delete_page, .load = WEB_LOAD_MEASURE,
     .confirm = confirm_page},
};

WEB_FEATURE_ROUTES(web_measures_delete, routes);
