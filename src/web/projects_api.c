/* The projects API: the register, one project, registering, changing, approving and deleting
 * (the rules are the store's, as for the pages in projects.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/action.h"
#include "web/improve.h"
#include "core/banned.h"

json_t *web_project_json(const struct store_project *p)
{
    json_t *amb = json_array(), *aims = json_array();
    for (size_t i = 0; i < p->n_ambitions; i++)
        json_array_append_new(amb, json_integer((json_int_t)p->ambition_ids[i]));
    for (size_t i = 0; i < p->n_aims; i++)
        json_array_append_new(aims, json_integer((json_int_t)p->aim_ids[i]));
    return json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:s, s:f, s:s, s:s, s:o, s:o, s:s?, s:o}", "id", (json_int_t)p->id,
                     "programme_id", p->programme_id ? json_integer((json_int_t)p->programme_id) : json_null(), "title",
                     p->title, "aim", p->aim, "team", p->team, "sponsor", p->sponsor, "status", p->status, "score",
                     p->score_x10 / 10.0, "start_date", p->start_date, "why_unaligned", p->why_unaligned, "ambitions",
                     amb, "aims", aims, "approved_by", p->approved_by, "approved", json_boolean(p->approved_by != NULL));
}

static int list_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_project_list pl;
    if (store_project_list(r->ctx->store, &r->scope, NULL, &pl, err) < 0)
        return -1;
    json_t *a = json_array();
    for (size_t i = 0; i < pl.n; i++)
        json_array_append_new(a, web_project_json(&pl.items[i]));
    store_project_list_release(&pl);
    web_json(w, 200, json_pack("{s:o}", "projects", a));
    return 0;
}

int web_project_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct store_project p;
    if (store_project_get(r->ctx->store, &r->scope, id, &p, err) < 0)
        return web_api_fail(w, err);
    web_json(w, status, web_project_json(&p));
    store_project_release(&p);
    return 0;
}

static int post_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_project_add, err);
}

static int put_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_project_change, err);
}

static int get_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_project_answer(r, w, r->id, 200, err);
}

static int approve_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_project_approve, err);
}

static int delete_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_project_delete, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/api/v1/projects", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG, .kind = WEB_API, .handler = list_api},
    {.method = "POST", .path = "/api/v1/projects", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = post_api},
    {.method = "GET", .path = "/api/v1/projects/{id}", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG, .kind = WEB_API, .handler = get_api},
    {.method = "PUT", .path = "/api/v1/projects/{id}", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = put_api},
    {.method = "DELETE", .path = "/api/v1/projects/{id}", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = delete_api},
    {.method = "POST", .path = "/api/v1/projects/{id}/approve", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = approve_api},
};

WEB_FEATURE_ROUTES(web_projects_api, routes);
