/* The pulses API (store/pulses.h): list and start pulses, read one with its waves, open and close
 * waves, answer (signed in, or with the link's key and an X-Contributor session), and the results:
 * per statement and group, the P chart's points as `purpose spc --chart p --per 100 --format json`
 * gives them, with the icons and the reading. Counts pass through the disclosure rule. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chart/reading.h"
#include "core/xval.h"
#include "web/action.h"
#include "web/pulses.h"
#include "core/banned.h"

static json_t *wave_json(const struct store_pulse_wave *v)
{
    bool closed = v->closed_at > 0;
    json_t *j = json_pack("{s:I, s:i, s:s, s:I, s:I, s:I}", "id", (json_int_t)v->id, "number", v->number, "day", v->day,
                          "opened_at", (json_int_t)v->opened_at, "closed_at", (json_int_t)v->closed_at, "audience",
                          (json_int_t)v->audience);
    /* While a wave runs nothing about its answers is given: no tracking of early answers. */
    web_jset(&j, "answers", closed ? web_count_json(v->answers) : json_null());
    web_jset(&j, "response_rate", closed && !store_count_suppressed(v->answers) && v->audience > 0
                                      ? json_real(100.0 * (double)v->answers / (double)v->audience)
                                      : json_null());
    return j;
}

static json_t *pulse_json(struct web_req *r, const struct store_pulse *p, const struct store_pulse_wave_list *waves)
{
    json_t *st = json_array();
    for (size_t i = 0; i < p->nstatements; i++)
        web_jpush(&st, json_pack("{s:I, s:s}", "id", (json_int_t)p->statements[i].id, "text", p->statements[i].text));
    json_t *j = json_pack("{s:I, s:s, s:s, s:I, s:o*}", "id", (json_int_t)p->id, "title", p->title, "cadence",
                          p->cadence, "audience", (json_int_t)p->audience, "statements", st);
    char href[200];
    web_href(r, href, sizeof href, "/pulses/new");
    if (j && web_may(r, "POST", href)) /* the link's key only to those who run pulses */
        web_jset(&j, "link_key", json_string(p->link_key));
    if (waves) {
        json_t *a = json_array();
        for (size_t i = 0; i < waves->n; i++)
            web_jpush(&a, wave_json(&waves->items[i]));
        web_jset(&j, "waves", a);
    }
    return j;
}

static int list_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_pulse_list l;
    if (store_pulse_list(r->ctx->store, web_scope(r), &l, err) < 0)
        return -1;
    json_t *a = json_array();
    for (size_t i = 0; i < l.n; i++)
        web_jpush(&a, pulse_json(r, &l.items[i], NULL));
    store_pulse_list_release(&l);
    web_json(w, 200, json_pack("{s:o*}", "pulses", a));
    return 0;
}

static int answer_pulse(struct web_req *r, struct web_resp *w, int status, int64_t id, struct purpose_err *err)
{
    struct store_pulse p;
    if (store_pulse_get(r->ctx->store, web_scope(r), id, &p, err) < 0)
        return web_fail(r, w, err);
    struct store_pulse_wave_list waves;
    if (store_pulse_waves(r->ctx->store, p.id, &waves, err) < 0) {
        store_pulse_release(&p);
        return -1;
    }
    web_json(w, status, pulse_json(r, &p, &waves));
    store_pulse_wave_list_release(&waves);
    store_pulse_release(&p);
    return 0;
}

static int create_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_pulse_add, err);
}

static int get_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return answer_pulse(r, w, 200, r->id, err);
}

/* ---- opening and closing a wave: actions (action.h) for the page (pulses.c) and the API -------------- */

static const struct web_afield open_fields[] = {
    {.name = "audience", .kind = WEB_F_INT, .min = 1, .max = STORE_PULSE_AUDIENCE_MAX}, /* absent: as before */
};

static int wave_open(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                     struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    web_href(r, out->next, sizeof out->next, "/pulses/{id}?done=opened", r->id);
    return store_pulse_open(r->ctx->store, &by, web_scope(r), r->id, web_in_i(in, "audience"), (int64_t)time(NULL),
                            NULL, err);
}

static int wave_close(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                      struct purpose_err *err)
{
    (void)in;
    struct store_actor by = web_actor(r);
    web_href(r, out->next, sizeof out->next, "/pulses/{id}?done=closed", r->id);
    return store_pulse_close(r->ctx->store, &by, web_scope(r), r->id, (int64_t)time(NULL), err);
}

int web_pulse_json_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    return answer_pulse(r, w, status, id, err);
}

const struct web_action web_pulse_open = {.fields = open_fields, .nfields = 1, .run = wave_open,
                                          .answer = web_pulse_json_answer, .api_status = 201};
const struct web_action web_pulse_close = {.run = wave_close, .answer = web_pulse_json_answer};

static int open_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_pulse_open, err);
}

static int close_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_pulse_close, err);
}

/* {"wave_id": N, "answers": {"<statement id>": 1..5, ...}, "groups": ["sg-nursing", ...], "key": "..."} */
static int answer_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct web_pulse_answer a = {0};
    json_int_t wave = 0;
    if (web_jint(r, "wave_id", true, 1, STORE_ID_MAX, &wave, err) < 0 || web_jstr(r, "key", false, &a.key, err) < 0)
        return web_fail(r, w, err);
    a.wave_id = wave;
    json_t *ans = json_object_get(r->json, "answers"), *groups = json_object_get(r->json, "groups");
    struct purpose_err bad = {.kind = PURPOSE_ERR_INPUT};
    if (!json_is_object(ans)) {
        snprintf(bad.field, sizeof bad.field, "answers");
        snprintf(bad.msg, sizeof bad.msg, "answers: an object of statement id: 1 to 5");
        return web_fail(r, w, &bad);
    }
    const char *k;
    json_t *v;
    json_object_foreach(ans, k, v) {
        long id = 0;
        if (a.nvalues == sizeof a.values / sizeof a.values[0] ||
            web_parse_long(k, "statement", 1, STORE_ID_MAX, &id, err) < 0)
            return web_fail(r, w, a.nvalues == sizeof a.values / sizeof a.values[0]
                                      ? &(struct purpose_err){.kind = PURPOSE_ERR_INPUT, .field = "statement",
                                                              .msg = "statement: more answers than statements"}
                                      : err);
        /* a value that is not a whole number reads as 0, which the store refuses naming the statement */
        a.values[a.nvalues++] = (struct store_pulse_value){id, json_is_integer(v) && json_integer_value(v) >= 0 &&
                                                                       json_integer_value(v) <= 9
                                                                   ? (int)json_integer_value(v)
                                                                   : 0};
    }
    if (groups && !json_is_array(groups)) {
        snprintf(bad.field, sizeof bad.field, "groups");
        snprintf(bad.msg, sizeof bad.msg, "groups: an array of group codes");
        return web_fail(r, w, &bad);
    }
    for (size_t i = 0; groups && i < json_array_size(groups); i++) {
        const char *g = json_string_value(json_array_get(groups, i));
        if (!g || a.ngroups == STORE_GROUPS_MAX) {
            snprintf(bad.field, sizeof bad.field, "groups");
            snprintf(bad.msg, sizeof bad.msg, "groups: at most %d group codes", STORE_GROUPS_MAX);
            return web_fail(r, w, &bad);
        }
        a.groups[a.ngroups++] = g;
    }
    struct store_pulse p;
    if (store_pulse_get(r->ctx->store, web_scope(r), r->id, &p, err) < 0)
        return web_fail(r, w, err);
    bool limited = false;
    int rc = web_pulse_answer(r, w, &p, &a, &limited, err);
    store_pulse_release(&p);
    if (rc < 0 && limited) {
        web_json_error(w, 429, "too many in a short time: wait a few minutes and try again");
        return 0;
    }
    if (rc < 0)
        return web_fail(r, w, err);
    web_json(w, 201, json_pack("{s:b}", "counted", 1));
    return 0;
}

static json_t *num_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* One chart's JSON: variation, assurance, reading and points, as purpose spc's JSON names them. */
static json_t *chart_json(const struct store_pulse_results *res, size_t st, size_t g, const char *title,
                          struct purpose_err *err)
{
    struct store_pulse_chart ch;
    if (store_pulse_chart(res, st, g, &ch, err) < 0)
        return NULL;
    json_t *points = json_array();
    for (size_t k = 0; k < res->waves.n; k++) {
        bool has = isfinite(ch.y[k]);
        json_t *pt = json_pack("{s:s, s:i}", "x", res->waves.items[k].day, "wave", res->waves.items[k].number);
        web_jset(&pt, "numerator", has ? json_integer((json_int_t)ch.y[k]) : json_null());
        web_jset(&pt, "denominator", has ? json_integer((json_int_t)ch.den[k]) : json_null());
        if (ch.computed) {
            struct spc_lines l;
            spc_point_lines(&ch.res, k, &l);
            web_jset(&pt, "y", num_or_null(has ? spc_result_values(&ch.res, ch.y)[k] : NAN));
            web_jset(&pt, "mean", num_or_null(l.centre));
            web_jset(&pt, "lpl", num_or_null(l.lpl));
            web_jset(&pt, "upl", num_or_null(l.upl));
            web_jset(&pt, "point_type", json_string(spc_point_type_name((enum spc_point_type)ch.res.point_type[k])));
            web_jset(&pt, "rule", json_string(spc_rule_name((enum spc_rule)ch.res.rule[k])));
        }
        web_jpush(&points, pt);
    }
    json_t *j = json_pack("{s:s, s:s, s:o*}", "group", res->groups[g][0] ? res->groups[g] : "everyone", "label",
                          web_pulse_group_label(res->groups[g]), "points", points);
    if (ch.computed) {
        double *x = malloc(res->waves.n * sizeof *x);
        const char **xt = malloc(res->waves.n * sizeof *xt);
        struct buf reading;
        buf_init(&reading, 4096);
        if (x && xt) {
            for (size_t k = 0; k < res->waves.n; k++) {
                xt[k] = res->waves.items[k].day;
                xval_classify(xt[k], strlen(xt[k]), &x[k]);
            }
            struct chart_series cs = {.title = title, .y_label = "% agreeing", .n = ch.n,
                                      .y = spc_result_values(&ch.res, ch.y), .x_kind = CHART_X_DATE, .x_value = x,
                                      .x_text = xt, .res = &ch.res, .opt = &ch.opt};
            chart_reading(&reading, &cs, "%");
        }
        web_jset(&j, "variation", json_string(spc_variation_name(ch.res.variation)));
        web_jset(&j, "reading", reading.data && !reading.failed ? json_string(reading.data) : json_null());
        buf_release(&reading);
        free(x);
        free(xt);
    } else {
        web_jset(&j, "variation", json_null());
        web_jset(&j, "reading", json_null());
    }
    store_pulse_chart_release(&ch);
    return j;
}

static int results_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_pulse p;
    if (store_pulse_get(r->ctx->store, web_scope(r), r->id, &p, err) < 0)
        return web_fail(r, w, err);
    struct store_pulse_results res;
    if (store_pulse_results(r->ctx->store, &p, &res, err) < 0) {
        store_pulse_release(&p);
        return -1;
    }
    json_t *waves = json_array(), *sts = json_array();
    for (size_t k = 0; k < res.waves.n; k++)
        web_jpush(&waves, wave_json(&res.waves.items[k]));
    int rc = 0;
    for (size_t st = 0; rc == 0 && st < p.nstatements; st++) {
        json_t *charts = json_array();
        for (size_t g = 0; rc == 0 && g < res.ngroups; g++) {
            json_t *c = chart_json(&res, st, g, p.statements[st].text, err);
            if (!c && err->msg[0])
                rc = -1;
            web_jpush(&charts, c);
        }
        web_jpush(&sts, json_pack("{s:I, s:s, s:o*}", "id", (json_int_t)p.statements[st].id, "text",
                                  p.statements[st].text, "charts", charts));
    }
    if (rc == 0)
        web_json(w, 200, json_pack("{s:I, s:s, s:s, s:o*, s:o*}", "id", (json_int_t)p.id, "title", p.title, "chart",
                                   "p", "waves", waves, "statements", sts));
    else {
        json_decref(waves);
        json_decref(sts);
    }
    store_pulse_results_release(&res);
    store_pulse_release(&p);
    return rc;
}

/* {"statement_id", "ambition_id"?, "target"?}: web_pulse_follow (pulses_results.c). */
static int follow_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_pulse_follow, err);
}

static const struct web_route routes[] = {
    {.method = "POST", .path = "/api/v1/pulses/{id}/follow", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API,
     .handler = follow_api},
    WEB_PULSE_API("GET", "", ROLE_MEMBER, list_api),
    WEB_PULSE_API("POST", "", ROLE_LEAD, create_api),
    WEB_PULSE_API("GET", "/{id}", ROLE_MEMBER, get_api),
    WEB_PULSE_API("POST", "/{id}/open", ROLE_LEAD, open_api),
    WEB_PULSE_API("POST", "/{id}/close", ROLE_LEAD, close_api),
    WEB_PULSE_API("POST", "/{id}/answers", ROLE_ANON, answer_api),
    WEB_PULSE_API("GET", "/{id}/results", ROLE_MEMBER, results_api),
};

WEB_FEATURE_ROUTES(web_pulses_api, routes);
