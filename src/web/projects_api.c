/* The projects API: the register, one project, registering, changing, approving and deleting
 * (the rules are the store's, as for the pages in projects.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    if (store_project_list(r->ctx->store, r->org.id, NULL, &pl, err) < 0)
        return -1;
    json_t *a = json_array();
    for (size_t i = 0; i < pl.n; i++)
        json_array_append_new(a, web_project_json(&pl.items[i]));
    store_project_list_release(&pl);
    web_json(w, 200, json_pack("{s:o}", "projects", a));
    return 0;
}

static int answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct store_project p;
    if (store_project_get(r->ctx->store, r->org.id, id, &p, err) < 0)
        return web_api_fail(w, err);
    web_json(w, status, web_project_json(&p));
    store_project_release(&p);
    return 0;
}

static int json_ids(const struct web_req *r, const char *name, int64_t *ids, size_t *n, struct purpose_err *err)
{
    json_t *a = r->json ? json_object_get(r->json, name) : NULL;
    *n = 0;
    if (!a)
        return 0;
    if (!json_is_array(a) || json_array_size(a) > STORE_LINKS_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s: must be an array of at most %d ids", name, STORE_LINKS_MAX);
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *v = json_array_get(a, i);
        if (!json_is_integer(v) || json_integer_value(v) < 1)
            return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s: must be an array of ids", name);
        ids[(*n)++] = json_integer_value(v);
    }
    return 0;
}

static int write_api(struct web_req *r, struct web_resp *w, bool create, struct purpose_err *err)
{
    struct store_project_input in = {0};
    int64_t amb[STORE_LINKS_MAX], aims[STORE_LINKS_MAX];
    size_t n_amb = 0, n_aims = 0;
    json_int_t prog = 0;
    const char *score = NULL;
    json_t *sc = r->json ? json_object_get(r->json, "score") : NULL;
    char score_buf[16] = "";
    if (sc && json_is_number(sc))
        snprintf(score_buf, sizeof score_buf, "%.1f", json_number_value(sc));
    score = score_buf;
    struct store_actor by = web_actor(r);
    int64_t id = r->id;
    if (web_jstr(r, "title", true, &in.title, err) < 0 || web_jstr(r, "aim", true, &in.aim, err) < 0 ||
        web_jstr(r, "team", false, &in.team, err) < 0 || web_jstr(r, "sponsor", false, &in.sponsor, err) < 0 ||
        web_jstr(r, "status", true, &in.status, err) < 0 || web_jstr(r, "start_date", true, &in.start_date, err) < 0 ||
        web_jstr(r, "why_unaligned", false, &in.why_unaligned, err) < 0 ||
        (!json_is_null(json_object_get(r->json, "programme_id")) && /* null: none, as GET answers */
         web_jint(r, "programme_id", false, 0, INT64_MAX / 2, &prog, err) < 0) ||
        store_score_parse("score", score, &in.score_x10, err) < 0 || json_ids(r, "ambitions", amb, &n_amb, err) < 0 ||
        json_ids(r, "aims", aims, &n_aims, err) < 0)
        return web_api_fail(w, err);
    in.programme_id = prog;
    in.ambition_ids = amb;
    in.n_ambitions = n_amb;
    in.aim_ids = aims;
    in.n_aims = n_aims;
    int rc = create ? store_project_add(r->ctx->store, &by, r->org.id, &in, &id, err)
                    : store_project_update(r->ctx->store, &by, r->org.id, id, &in, err);
    if (rc < 0)
        return web_api_fail(w, err);
    return answer(r, w, id, create ? 201 : 200, err);
}

static int post_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return write_api(r, w, true, err);
}

static int put_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return write_api(r, w, false, err);
}

static int get_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return answer(r, w, r->id, 200, err);
}

static int approve_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    if (store_project_approve(r->ctx->store, &by, r->org.id, r->id, err) < 0)
        return web_api_fail(w, err);
    return answer(r, w, r->id, 200, err);
}

static int delete_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    if (store_project_delete(r->ctx->store, &by, r->org.id, r->id, err) < 0)
        return web_api_fail(w, err);
    web_no_content(w);
    return 0;
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
