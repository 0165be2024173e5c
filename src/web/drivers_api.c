/* The driver diagram and PDSA cycle API: the diagram with its cycles, and adding, changing,
 * moving and deleting nodes and cycles. Each route has the role and scope of its page in
 * drivers.c and calls the same store function, so the rules are the store's alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/action.h"
#include "web/improve.h"
#include "core/banned.h"

static json_t *driver_json(const struct store_driver *d)
{
    return json_pack("{s:I, s:o, s:s, s:s}", "id", (json_int_t)d->id, "parent_id",
                     d->parent_id ? json_integer((json_int_t)d->parent_id) : json_null(), "kind",
                     store_driver_kind_name(d->kind), "text", d->text);
}

static json_t *pdsa_json(const struct store_pdsa *c)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)c->id, "change_id",
                     (json_int_t)c->change_id, "title", c->title, "plan", c->plan, "prediction", c->prediction,
                     "do_notes", c->do_notes, "study", c->study, "act", c->act, "start_date", c->start_date,
                     "end_date", c->end_date);
}

/* The project's diagram (depth first, siblings in their order) and its cycles. */
static int diagram_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_project p;
    if (web_project_take(r, &p, err) < 0)
        return web_api_fail(w, err);
    struct store_driver_list dl = {0};
    struct store_pdsa_list cl = {0};
    int rc = store_driver_list(r->ctx->store, &r->scope, p.id, &dl, err);
    if (rc == 0)
        rc = store_pdsa_list(r->ctx->store, &r->scope, p.id, &cl, err);
    if (rc == 0) {
        json_t *d = json_array(), *c = json_array();
        for (size_t i = 0; i < dl.n; i++)
            web_jpush(&d, driver_json(&dl.items[i]));
        for (size_t i = 0; i < cl.n; i++)
            web_jpush(&c, pdsa_json(&cl.items[i]));
        web_json(w, 200, json_pack("{s:s, s:o, s:o}", "aim", p.aim, "drivers", d, "pdsa_cycles", c));
    }
    store_pdsa_list_release(&cl);
    store_driver_list_release(&dl);
    store_project_release(&p);
    return rc;
}

int web_diagram_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    (void)status;
    r->id = id;
    return diagram_api(r, w, err);
}

int web_driver_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct store_driver d;
    if (store_driver_get(r->ctx->store, &r->scope, id, &d, err) < 0)
        return web_api_fail(w, err);
    web_json(w, status, driver_json(&d));
    store_driver_release(&d);
    return 0;
}

/* {"parent_id"?: id, "text"}: no parent adds a primary driver. */
static int driver_post_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_driver_add, err);
}

/* {"text"}: new wording; where the node hangs does not change. */
static int driver_put_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_driver_change, err);
}

/* Deletes the node and everything below it, as the page does. */
static int driver_delete_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_driver_delete, err);
}

/* {"direction": "up" | "down"}: the node moves among its siblings; answers the project's diagram. */
static int driver_move_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_driver_move, err);
}

int web_pdsa_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct store_pdsa c;
    if (store_pdsa_get(r->ctx->store, &r->scope, id, &c, err) < 0)
        return web_api_fail(w, err);
    web_json(w, status, pdsa_json(&c));
    store_pdsa_release(&c);
    return 0;
}

static int pdsa_post_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_pdsa_add, err);
}

/* The whole cycle, as the edit form sends it: a member left out is empty. */
static int pdsa_put_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_pdsa_change, err);
}

static int pdsa_delete_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_pdsa_delete, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/api/v1/projects/{id}/drivers", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG, .kind = WEB_API, .handler = diagram_api, .load = WEB_LOAD_PROJECT},
    {.method = "POST", .path = "/api/v1/projects/{id}/drivers", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = driver_post_api},
    {.method = "PUT", .path = "/api/v1/drivers/{id}", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = driver_put_api, .load = WEB_LOAD_DRIVER},
    {.method = "DELETE", .path = "/api/v1/drivers/{id}", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = driver_delete_api, .load = WEB_LOAD_DRIVER},
    {.method = "POST", .path = "/api/v1/drivers/{id}/move", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = driver_move_api, .load = WEB_LOAD_DRIVER},
    {.method = "POST", .path = "/api/v1/drivers/{id}/pdsa", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = pdsa_post_api, .load = WEB_LOAD_DRIVER},
    {.method = "PUT", .path = "/api/v1/pdsa/{id}", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = pdsa_put_api},
    {.method = "DELETE", .path = "/api/v1/pdsa/{id}", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = pdsa_delete_api},
};

WEB_FEATURE_ROUTES(web_drivers_api, routes);
