/* Vision provenance: "shaped by N contributions from M people in K groups" for the current vision
 * or purpose of an organisation or programme, with the contributions to browse (anonymity kept:
 * anonymous ones show no name), and the API a lead links contributions with. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/campaigns.h"
#include "core/banned.h"

#define B (&w->body)

static int shaped_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_provenance p;
    struct store_contribution_list l;
    if (store_provenance_get(r->ctx->store, web_scope(r), r->kind, &p, &l, err) < 0)
        return err->kind == PURPOSE_ERR_INTERNAL ? -1 : web_page_fail(r, w, err);
    char title[64], a[32], b[32], c[32];
    snprintf(title, sizeof title, "How our %s was shaped", r->kind);
    html_begin(r, w, title);
    buf_puts(B, "<h1>");
    html_esc(B, title);
    buf_puts(B, "</h1>");
    buf_printf(B, "<p class=\"nhsuk-lede-text\">Shaped by %s contributions from %s people in %s groups.</p>",
               store_count_text(p.contributions, a, sizeof a), store_count_text(p.people, b, sizeof b),
               store_count_text(p.groups, c, sizeof c));
    buf_puts(B, "<p>People are counted from the conversations these contributions came from; who wrote an "
                "anonymous contribution is not recorded.</p>");
    if (l.n == 0)
        buf_puts(B, "<p>No contributions have been linked to this version yet.</p>");
    buf_puts(B, "<ul class=\"nhsuk-list nhsuk-list--bullet\">");
    for (size_t i = 0; i < l.n; i++) {
        buf_puts(B, "<li>");
        html_esc(B, l.items[i].body);
        buf_puts(B, " <span class=\"nhsuk-body-s\">(");
        html_esc(B, l.items[i].anonymous ? "Anonymous" : l.items[i].author);
        if (l.items[i].theme[0]) {
            buf_puts(B, "; ");
            html_esc(B, l.items[i].theme);
        }
        buf_puts(B, ")</span></li>");
    }
    buf_puts(B, "</ul>");
    html_end(r, w);
    store_contribution_list_release(&l);
    return 0;
}

static int shaped_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_provenance p;
    struct store_contribution_list l;
    if (store_provenance_get(r->ctx->store, web_scope(r), r->kind, &p, &l, err) < 0)
        return web_api_fail(w, err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.n; i++)
        json_array_append_new(items, web_contribution_json(&l.items[i]));
    store_contribution_list_release(&l);
    json_t *j = json_pack("{s:I, s:o}", "statement_id", (json_int_t)p.statement_id, "items", items);
    json_object_set_new(j, "contributions", web_count_json(p.contributions));
    json_object_set_new(j, "people", web_count_json(p.people));
    json_object_set_new(j, "groups", web_count_json(p.groups));
    web_json(w, 200, j);
    return 0;
}

static int link_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    json_t *a = json_object_get(r->json, "contribution_ids");
    size_t n = json_array_size(a);
    if (!json_is_array(a) || n == 0 || n > 1000) {
        purpose_errk(err, PURPOSE_ERR_INPUT, "contribution_ids", "contribution_ids: give a list of 1 to 1000 ids");
        return web_api_fail(w, err);
    }
    int64_t *ids = calloc(n, sizeof *ids);
    if (!ids)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(a, i);
        if (!json_is_integer(v) || json_integer_value(v) < 1) {
            free(ids);
            purpose_errk(err, PURPOSE_ERR_INPUT, "contribution_ids", "contribution_ids: each must be a positive id");
            return web_api_fail(w, err);
        }
        ids[i] = (int64_t)json_integer_value(v);
    }
    struct store_actor by = web_actor(r);
    int rc = store_provenance_link(r->ctx->store, &by, web_scope(r), r->kind, ids, n, err);
    free(ids);
    if (rc < 0)
        return web_api_fail(w, err);
    return shaped_api(r, w, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/shaped/{kind}", .role = ROLE_ANON, .scope = WEB_ORG, .handler = shaped_page},
    {.method = "GET", .path = "/programmes/{programme}/shaped/{kind}", .role = ROLE_ANON, .scope = WEB_PROGRAMME, .handler = shaped_page},
    {.method = "GET", .path = "/api/v1/statements/{kind}/provenance", .role = ROLE_ANON, .scope = WEB_ORG, .kind = WEB_API, .handler = shaped_api},
    {.method = "POST", .path = "/api/v1/statements/{kind}/provenance", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = link_api},
};

WEB_FEATURE_ROUTES(web_provenance, routes);
