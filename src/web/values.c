/* The organisation's values: the public values page, the parts of the purpose and strategy pages
 * that list them, their edit pages (named.c) and the API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/kit.h"
#include "web/named.h"
#include "core/banned.h"

#define B (&w->body)

int web_values_render(struct web_req *r, struct web_resp *w, const char *heading_tag, struct purpose_err *err)
{
    struct store_value_list vl;
    if (store_value_list(r->ctx->store, &r->scope, &vl, err) < 0)
        return -1;
    if (vl.n == 0)
        buf_puts(B, "<p>No values have been written yet.</p>");
    buf_puts(B, "<ul class=\"nhsuk-list app-values\">");
    for (size_t i = 0; i < vl.n; i++) {
        buf_printf(B, "<li><%s class=\"nhsuk-heading-s\">", heading_tag);
        html_esc(B, vl.items[i].name);
        buf_printf(B, "</%s><p>", heading_tag);
        html_esc(B, vl.items[i].description);
        buf_puts(B, "</p></li>");
    }
    buf_puts(B, "</ul>");
    store_value_list_release(&vl);
    return 0;
}

int web_values_summary(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_value_list vl;
    if (store_value_list(r->ctx->store, &r->scope, &vl, err) < 0)
        return -1;
    kit_summary_open(w);
    for (size_t i = 0; i < vl.n; i++) {
        char href[64], hidden[STORE_NAME_MAX + 2];
        snprintf(href, sizeof href, "/strategy/values/%lld/edit", (long long)vl.items[i].id);
        snprintf(hidden, sizeof hidden, " %s", vl.items[i].name);
        kit_summary_row(w, vl.items[i].name, vl.items[i].description, web_may(r, "POST", href) ? href : NULL, "Change",
                        hidden);
    }
    kit_summary_close(w);
    store_value_list_release(&vl);
    return 0;
}

static int values_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    html_begin(r, w, "Our values");
    buf_puts(B, "<h1>Our values</h1><p class=\"nhsuk-lede-text\">What we stand for, and how we "
                "treat each other and the people we care for.</p>");
    if (web_values_render(r, w, "h2", err) < 0)
        return -1;
    html_end(r, w);
    return 0;
}

/* ---- API ---------------------------------------------------------------------------------------- */

static json_t *value_json(const struct store_value *v)
{
    return json_pack("{s:I, s:i, s:s, s:s}", "id", (json_int_t)v->id, "position", v->position, "name", v->name,
                     "description", v->description);
}

int web_values_json(struct web_req *r, json_t **out, struct purpose_err *err)
{
    struct store_value_list vl;
    if (store_value_list(r->ctx->store, &r->scope, &vl, err) < 0)
        return -1;
    *out = json_array();
    for (size_t i = 0; i < vl.n; i++)
        web_jpush(out, value_json(&vl.items[i]));
    store_value_list_release(&vl);
    return 0;
}

static int values_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    json_t *values;
    if (web_values_json(r, &values, err) < 0)
        return -1;
    web_json(w, 200, json_pack("{s:o}", "values", values));
    return 0;
}

static int value_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct store_value v;
    if (store_value_get(r->ctx->store, &r->scope, id, &v, err) < 0)
        return web_api_fail(w, err);
    web_json(w, status, value_json(&v));
    store_value_release(&v);
    return 0;
}

static int value_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return value_answer(r, w, r->id, 200, err);
}

/* ---- edit pages and writes, shared with themes --------------------------------------------------- */

static int value_read(struct web_req *r, int64_t id, char **text, char **desc, struct purpose_err *err)
{
    struct store_value v;
    if (store_value_get(r->ctx->store, &r->scope, id, &v, err) < 0)
        return -1;
    *text = v.name;
    *desc = v.description;
    v.name = v.description = NULL;
    store_value_release(&v);
    return 0;
}

static const struct web_named value_kind = {
    .noun = "value", .field = "name", .label = "Name", .base = "/strategy/values",
    .add = store_value_add, .update = store_value_update, .remove = store_value_delete,
    .read = value_read, .answer = value_answer,
};

static int new_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    (void)err;
    return web_named_new_page(r, w, &value_kind);
}
static int create_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_named_post_page(r, w, &value_kind, true, err);
}
static int edit_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_named_edit_page(r, w, &value_kind, err);
}
static int save_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_named_post_page(r, w, &value_kind, false, err);
}
static int confirm_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_named_confirm_page(r, w, &value_kind, err);
}

static int delete_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_named_delete_page(r, w, &value_kind, err);
}
static int create_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_named_write_api(r, w, &value_kind, true, err);
}
static int put_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_named_write_api(r, w, &value_kind, false, err);
}
static int delete_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_named_delete_api(r, w, &value_kind, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/values", .role = ROLE_ANON, .scope = WEB_ORG, .handler = values_page, .cache = WEB_CACHE_ANON, .deps = WEB_DEPS_STRATEGY},
    {.method = "GET", .path = "/strategy/values/new", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = new_page},
    {.method = "POST", .path = "/strategy/values/new", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = create_page},
    {.method = "GET", .path = "/strategy/values/{id}/edit", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = edit_page},
    {.method = "POST", .path = "/strategy/values/{id}/edit", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = save_page},
    {.method = "GET", .path = "/strategy/values/{id}/delete", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = confirm_page},
    {.method = "POST", .path = "/strategy/values/{id}/delete", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = delete_page,
     .confirm = confirm_page},
    {.method = "GET", .path = "/api/v1/values", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = values_api, .cache = WEB_CACHE_DATA, .deps = WEB_DEPS_STRATEGY},
    {.method = "POST", .path = "/api/v1/values", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = create_api},
    {.method = "GET", .path = "/api/v1/values/{id}", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = value_api, .cache = WEB_CACHE_DATA, .deps = WEB_DEPS_STRATEGY},
    {.method = "PUT", .path = "/api/v1/values/{id}", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = put_api},
    {.method = "DELETE", .path = "/api/v1/values/{id}", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = delete_api},
};

static const struct web_nav nav[] = {
    {.href = "/values", .label = "Values", .rank = 20},
};

WEB_FEATURE(web_values, routes, nav);
