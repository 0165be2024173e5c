/* The measure API beyond reading and adding (measures.c): changing and deleting a measure, deleting
 * a point, and adding and deleting rebases. Each route has the role and scope of its page and calls
 * the same store function, so the rules (a rebase starts at one of the measure's points, after the
 * first) are the store's alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/improve.h"
#include "core/banned.h"

int web_measure_json_input(const struct web_req *r, struct store_measure_input *in, struct purpose_err *err)
{
    memset(in, 0, sizeof *in);
    json_t *t = r->json ? json_object_get(r->json, "target") : NULL;
    if (t && !json_is_null(t)) {
        if (!json_is_number(t))
            return purpose_errk(err, PURPOSE_ERR_INPUT, "target", "target: must be a number or null");
        in->has_target = true;
        in->target = json_number_value(t);
    }
    json_t *per = r->json ? json_object_get(r->json, "per") : NULL;
    if (per && !json_is_null(per)) {
        if (!json_is_number(per) || !(json_number_value(per) > 0))
            return purpose_errk(err, PURPOSE_ERR_INPUT, "per", "per: must be a number above 0, or null for 1");
        in->per = json_number_value(per);
    }
    if (web_jstr(r, "chart", false, &in->chart, err) < 0)
        return -1;
    return web_jstr(r, "name", true, &in->name, err) < 0 || web_jstr(r, "kind", true, &in->kind, err) < 0 ||
                   web_jstr(r, "unit", false, &in->unit, err) < 0 ||
                   web_jstr(r, "direction", true, &in->direction, err) < 0
               ? -1
               : 0;
}

static int measure_answer(struct web_req *r, struct web_resp *w, int status, struct purpose_err *err)
{
    struct web_mseries ms;
    if (web_mseries_load(r, r->id, &ms, err) < 0)
        return web_api_fail(w, err);
    web_json(w, status, web_mseries_json(&ms, true));
    web_mseries_release(&ms);
    return 0;
}

/* The whole measure, as the edit form sends it (target null or left out: none). */
static int measure_put_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_measure_input in;
    struct store_actor by = web_actor(r);
    if (web_measure_json_input(r, &in, err) < 0 ||
        store_measure_update(r->ctx->store, &by, STORE_ORG_SCOPE(r->org.id), r->id, &in, err) < 0)
        return web_api_fail(w, err);
    return measure_answer(r, w, 200, err);
}

/* Deletes the measure with its points and rebases; the audit log keeps them. */
static int measure_delete_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    if (store_measure_delete(r->ctx->store, &by, STORE_ORG_SCOPE(r->org.id), r->id, err) < 0)
        return web_api_fail(w, err);
    web_no_content(w);
    return 0;
}

/* The points as "date,value[,denominator]" rows by day, the file an upload takes back and purpose spc
 * --x date --y value [--denominator denominator] reads (the measure's chart is the same). */
static int points_csv(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_measure m;
    struct store_point_list pts;
    if (web_measure_take(r, &m, err) < 0)
        return web_page_fail(r, w, err);
    if (store_points_list(r->ctx->store, STORE_ORG_SCOPE(r->org.id), r->id, &pts, err) < 0) {
        store_measure_release(&m);
        return web_page_fail(r, w, err);
    }
    bool den = spc_chart_needs_denominator(m.chart);
    w->content_type = "text/csv; charset=utf-8";
    buf_puts(&w->body, den ? "date,value,denominator\n" : "date,value\n");
    for (size_t i = 0; i < pts.n; i++) {
        const struct store_point *p = &pts.items[i];
        buf_printf(&w->body, "%s,%.17g", p->day, p->value);
        if (den && p->has_den)
            buf_printf(&w->body, ",%.17g", p->den);
        else if (den)
            buf_putc(&w->body, ',');
        buf_putc(&w->body, '\n');
    }
    store_point_list_release(&pts);
    store_measure_release(&m);
    return 0;
}

/* DELETE .../points?date=YYYY-MM-DD: the point of that day. */
static int point_delete_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char day[16] = "";
    struct store_actor by = web_actor(r);
    if (web_query_get(r, "date", day, sizeof day) < 0 || !day[0])
        purpose_errk(err, PURPOSE_ERR_INPUT, "date", "date: name the point to delete: ?date=YYYY-MM-DD");
    else if (store_point_delete(r->ctx->store, &by, STORE_ORG_SCOPE(r->org.id), r->id, day, err) == 0) {
        web_no_content(w);
        return 0;
    }
    return web_api_fail(w, err);
}

static json_t *rebase_json(int64_t id, int64_t measure_id, const char *day, const char *reason)
{
    return json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)id, "measure_id", (json_int_t)measure_id, "date", day,
                     "reason", reason);
}

/* {"date", "reason"}: new limits from the point of that date on. */
static int rebase_post_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const char *day, *reason;
    int64_t id;
    struct store_actor by = web_actor(r);
    if (web_jstr(r, "date", true, &day, err) < 0 || web_jstr(r, "reason", true, &reason, err) < 0 ||
        store_rebase_add(r->ctx->store, &by, &r->scope, r->id, day, reason, &id, err) < 0)
        return web_api_fail(w, err);
    web_json(w, 201, rebase_json(id, r->id, day, reason));
    return 0;
}

static int rebase_delete_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    if (store_rebase_delete(r->ctx->store, &by, &r->scope, r->id, err) < 0)
        return web_api_fail(w, err);
    web_no_content(w);
    return 0;
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/measures/{id}/points.csv", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG, .handler = points_csv, .load = WEB_LOAD_MEASURE},
    {.method = "PUT", .path = "/api/v1/measures/{id}", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = measure_put_api, .load = WEB_LOAD_MEASURE},
    {.method = "DELETE", .path = "/api/v1/measures/{id}", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = measure_delete_api, .load = WEB_LOAD_MEASURE},
    {.method = "DELETE", .path = "/api/v1/measures/{id}/points", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = point_delete_api, .load = WEB_LOAD_MEASURE},
    {.method = "POST", .path = "/api/v1/measures/{id}/rebases", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = rebase_post_api, .load = WEB_LOAD_MEASURE},
    {.method = "DELETE", .path = "/api/v1/rebases/{id}", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = rebase_delete_api},
};

WEB_FEATURE_ROUTES(web_measures_api, routes);
