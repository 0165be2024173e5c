/* The engagement events API (store/events.h), for an organisation's conversations and a
 * programme's: list and add a conversation's events, read, change and delete one, enter its
 * outputs. Counts in answers pass through store_count_text ("fewer than 5"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/action.h"
#include "web/events.h"
#include "core/banned.h"

static int list_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign c;
    bool answered;
    if (web_campaign_load(r, w, &c, &answered, err) < 0)
        return answered ? 0 : -1;
    struct store_event_list l;
    int rc = store_event_list(r->ctx->store, &r->scope, c.id, &l, err);
    store_campaign_release(&c);
    if (rc < 0)
        return -1;
    json_t *a = json_array();
    for (size_t i = 0; i < l.n; i++)
        web_jpush(&a, web_event_json(&l.items[i]));
    store_event_list_release(&l);
    web_json(w, 200, json_pack("{s:o*}", "events", a));
    return 0;
}

int web_event_attendance_json(struct web_req *r, struct store_event_input *in, struct store_attendance *att,
                              size_t cap, struct purpose_err *err)
{
    in->attendance = att;
    in->nattendance = 0;
    json_t *a = json_object_get(r->json, "attendance");
    if (a && !json_is_object(a))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "attendance", "attendance: must be an object of group: count");
    const char *k;
    json_t *v;
    json_object_foreach(a, k, v) {
        if (in->nattendance == cap)
            return purpose_errk(err, PURPOSE_ERR_INPUT, "attendance", "attendance: too many groups");
        if (!json_is_integer(v))
            return purpose_errk(err, PURPOSE_ERR_INPUT, "attendance", "attendance: %.40s: must be a whole number", k);
        att[in->nattendance++] = (struct store_attendance){k, NULL, (int64_t)json_integer_value(v)};
    }
    return 0;
}

static int answer_event(struct web_req *r, struct web_resp *w, int status, int64_t id, struct purpose_err *err)
{
    struct store_event e;
    if (store_event_get(r->ctx->store, &r->scope, id, &e, err) < 0)
        return err->kind == PURPOSE_ERR_INTERNAL ? -1 : web_api_fail(w, err);
    struct store_contribution_list out;
    if (store_event_outputs(r->ctx->store, &r->scope, &e, &out, err) < 0) {
        store_event_release(&e);
        return -1;
    }
    json_t *j = web_event_json(&e), *a = json_array();
    for (size_t i = 0; i < out.n; i++)
        web_jpush(&a, web_contribution_json(&out.items[i]));
    web_jset(&j, "outputs", a);
    web_json(w, status, j);
    store_contribution_list_release(&out);
    store_event_release(&e);
    return 0;
}

int web_event_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    return answer_event(r, w, status, id, err);
}

static int post_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_event_add, err);
}

static int get_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return answer_event(r, w, 200, r->id, err);
}

static int put_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_event_change, err);
}

static int delete_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_event_delete, err);
}

int web_event_output_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct store_event e;
    if (web_event_take(r, &e, err) < 0)
        return -1;
    struct store_contribution x;
    int rc = store_contribution_get(r->ctx->store, &r->scope, e.campaign_id, id, &x, err);
    store_event_release(&e);
    if (rc < 0)
        return -1;
    json_t *j = web_contribution_json(&x);
    web_jset(&j, "event_id", json_integer((json_int_t)r->id));
    web_json(w, status, j);
    store_contribution_release(&x);
    return 0;
}

static int output_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_event_output, err);
}

static const struct web_route routes[] = {
    WEB_CONVERSATION_API("GET", "/{id}/events", ROLE_ANON, list_api),
    WEB_CONVERSATION_API("POST", "/{id}/events", ROLE_LEAD, post_api),
    WEB_CONVERSATION_API("GET", "/events/{id}", ROLE_ANON, get_api),
    WEB_CONVERSATION_API("PUT", "/events/{id}", ROLE_LEAD, put_api),
    WEB_CONVERSATION_API("DELETE", "/events/{id}", ROLE_LEAD, delete_api),
    WEB_CONVERSATION_API("POST", "/events/{id}/outputs", ROLE_LEAD, output_api),
};

WEB_FEATURE_ROUTES(web_events_api, routes);
