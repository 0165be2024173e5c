/* Deleting a project: a page that says what will go (its diagram, cycles, measures and their
 * points), then the delete, then the register with a success banner (confirm.h). */
#include <stdio.h>

#include "web/action.h"
#include "web/confirm.h"
#include "web/improve.h"
#include "core/banned.h"

/* What deleting project p takes with it, one line each into goes[0..2]. */
static int what_goes(struct web_req *r, const struct store_project *p, char goes[3][96], struct purpose_err *err)
{
    struct store_driver_list dl = {0};
    struct store_pdsa_list cl = {0};
    struct store_measure_list ml = {0};
    size_t points = 0;
    int rc = store_driver_list(r->ctx->store, &r->scope, p->id, &dl, err);
    if (rc == 0)
        rc = store_pdsa_list(r->ctx->store, &r->scope, p->id, &cl, err);
    if (rc == 0)
        rc = store_measure_list(r->ctx->store, STORE_ORG_SCOPE(r->org.id), p->id, &ml, err);
    for (size_t i = 0; rc == 0 && i < ml.n; i++) {
        struct store_point_list pl = {0};
        rc = store_points_list(r->ctx->store, STORE_ORG_SCOPE(r->org.id), ml.items[i].id, &pl, err);
        points += pl.n;
        store_point_list_release(&pl);
    }
    if (rc == 0) {
        snprintf(goes[0], sizeof goes[0], "its driver diagram (%zu %s)", dl.n, dl.n == 1 ? "node" : "nodes");
        snprintf(goes[1], sizeof goes[1], "%zu PDSA %s", cl.n, cl.n == 1 ? "cycle" : "cycles");
        char n[KIT_NUMBER_MAX];
        snprintf(goes[2], sizeof goes[2], "%zu %s and their %s %s", ml.n, ml.n == 1 ? "measure" : "measures",
                 kit_number(n, (double)points, 0), points == 1 ? "point" : "points");
    }
    store_driver_list_release(&dl);
    store_pdsa_list_release(&cl);
    store_measure_list_release(&ml);
    return rc;
}

static int confirm_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_project p;
    if (web_project_take(r, &p, err) < 0)
        return web_page_fail(r, w, err);
    char goes[3][96], title[300], action[48], cancel[48];
    int rc = what_goes(r, &p, goes, err);
    if (rc == 0) {
        snprintf(title, sizeof title, "Delete the project %s?", p.title);
        snprintf(action, sizeof action, "/projects/%lld/delete", (long long)p.id);
        snprintf(cancel, sizeof cancel, "/projects/%lld", (long long)p.id);
        const char *const lines[] = {goes[0], goes[1], goes[2]};
        web_confirm_page(r, w, &(struct web_confirm){.title = title, .action = action, .button = "Delete the project",
                                                     .cancel = cancel, .goes = lines, .ngoes = 3});
    }
    store_project_release(&p);
    return rc;
}

static int delete_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &web_project_delete, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/projects/{id}/delete", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = confirm_page, .load = WEB_LOAD_PROJECT},
    {.method = "POST", .path = "/projects/{id}/delete", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = delete_page,
     .load = WEB_LOAD_PROJECT, .confirm = confirm_page},
};

WEB_FEATURE_ROUTES(web_projects_delete, routes);
