/* The audit log (admins): every change, newest first, a page at a time; and the API. */
#include <stdio.h>
#include <stdlib.h>

#include "web/kit.h"
#include "core/banned.h"

#define B (&w->body)
#define PAGE_ROWS 50

static int audit_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char before_s[24];
    long before = 0;
    struct store_audit_list al;
    if (web_query_get(r, "before", before_s, sizeof before_s) == 0 &&
        web_parse_long(before_s, "before", 1, 1L << 62, &before, err) < 0)
        return web_page_fail(r, w, err);
    if (store_audit_list(r->ctx->store, before, PAGE_ROWS, &al, err) < 0)
        return -1;
    html_begin(r, w, "Audit log");
    buf_puts(B, "<h1>Audit log</h1><p>Every change, newest first. The log cannot be edited.</p>");
    static const char *const heads[] = {"When", "Who", "What", "Before", "After"};
    kit_table_open(w, "Changes", heads, 5, "app-audit");
    for (size_t i = 0; i < al.n; i++) {
        const struct store_audit *a = &al.items[i];
        kit_row_open(w);
        kit_cell_open(w);
        html_date(B, a->at);
        kit_cell_close(w);
        kit_cell(w, a->actor);
        kit_cell_open(w);
        html_esc(B, a->action);
        buf_puts(B, " ");
        html_esc(B, a->entity);
        buf_printf(B, " %lld", (long long)a->entity_id);
        kit_cell_close(w);
        kit_cell_code(w, a->before ? a->before : "");
        kit_cell_code(w, a->after ? a->after : "");
        kit_row_close(w);
    }
    kit_table_close(w);
    char next[64];
    if (al.n == PAGE_ROWS)
        snprintf(next, sizeof next, "/admin/audit?before=%lld", (long long)al.items[al.n - 1].id);
    kit_pagination(w, before ? "/admin/audit" : NULL, "Newest changes", al.n == PAGE_ROWS ? next : NULL,
                   "Older changes");
    store_audit_list_release(&al);
    html_end(r, w);
    return 0;
}

static json_t *maybe_json(const char *s)
{
    if (!s)
        return json_null();
    json_t *j = json_loads(s, 0, NULL);
    return j ? j : json_string(s);
}

static json_t *audit_json(const struct store_audit *a)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:o, s:o}", "id", (json_int_t)a->id, "at", (json_int_t)a->at,
                     "actor", a->actor, "action", a->action, "entity", a->entity, "entity_id",
                     (json_int_t)a->entity_id, "before", maybe_json(a->before), "after", maybe_json(a->after));
}

static int audit_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char s[24];
    long before = 0, limit = 100;
    struct store_audit_list al;
    if ((web_query_get(r, "before", s, sizeof s) == 0 && web_parse_long(s, "before", 1, 1L << 62, &before, err) < 0) ||
        (web_query_get(r, "limit", s, sizeof s) == 0 && web_parse_long(s, "limit", 1, 1000, &limit, err) < 0))
        return web_api_fail(w, err);
    if (store_audit_list(r->ctx->store, before, (size_t)limit, &al, err) < 0)
        return -1;
    json_t *a = json_array();
    for (size_t i = 0; i < al.n; i++)
        web_jpush(&a, audit_json(&al.items[i]));
    json_t *next = al.n == (size_t)limit ? json_integer(al.items[al.n - 1].id) : json_null();
    store_audit_list_release(&al);
    web_json(w, 200, json_pack("{s:o, s:o}", "entries", a, "next_before", next));
    return 0;
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/admin/audit", .role = ROLE_ADMIN, .handler = audit_page},
    {.method = "GET", .path = "/api/v1/audit", .role = ROLE_ADMIN, .kind = WEB_API, .handler = audit_api},
};

static const struct web_nav nav[] = {
    {.href = "/admin/audit", .label = "Audit log", .rank = 70},
};

WEB_FEATURE(web_audit, routes, nav);
