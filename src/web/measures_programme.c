/* A programme's own measures (issue 19): of the programme as a whole or of one of its aims
 * (store/measures.h: the same calls with the programme's scope): a page each, the line of sight's
 * lists and the summary's tables. The API under /api/v1/programmes/{programme}/measures is an
 * organisation's measures' own answers in the programme's scope (measures.c, measures_form.c).
 * Who may read, add, move and put points is the programme's roles, declared once in the route
 * table (WEB_PROGRAMME): a member of a partner organisation holds none there unless granted one. A
 * measure of another programme, or of an organisation, is not found there (the router's load: 404). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/improve.h"
#include "core/banned.h"

#define B (&w->body)

/* ---- pages -------------------------------------------------------------------------------------- */

/* The measure's chart, icons, reading and points; its programme's line of sight is the way back. */
static int measure_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct web_mseries ms;
    if (web_mseries_load_in(r, &r->scope, r->id, &ms, err) < 0)
        return web_page_fail(r, w, err);
    struct store_aim aim = {0};
    int rc = ms.m.aim_id ? store_aim_get(r->ctx->store, r->programme.id, ms.m.aim_id, &aim, err) : 0;
    if (rc == 0) {
        char back[160];
        web_href(r, back, sizeof back, "/programmes/{programme}/line-of-sight", r->programme.slug);
        html_begin(r, w, ms.m.name);
        kit_back_link(w, back, "Line of sight");
        buf_puts(B, "<span class=\"nhsuk-caption-l\">");
        html_esc(B, r->programme.name);
        buf_puts(B, ": ");
        html_esc(B, ms.m.aim_id ? aim.title : "the programme as a whole");
        buf_puts(B, "</span><h1>");
        html_esc(B, ms.m.name);
        buf_puts(B, "</h1>");
        rc = web_mseries_show(w, &ms, NULL, err);
        static const char *const heads[] = {"Date", "Value"};
        kit_table_open(w, "Points", heads, 2, NULL);
        for (size_t i = ms.pts.n; i-- > 0;) {
            char v[40];
            web_value_text(v, sizeof v, web_mseries_value(&ms, i), ms.m.unit);
            kit_row_open(w);
            kit_cell(w, ms.pts.items[i].day);
            kit_cell(w, v);
            kit_row_close(w);
        }
        kit_table_close(w);
        html_end(r, w);
    }
    store_aim_release(&aim);
    web_mseries_release(&ms);
    return rc;
}

int web_programme_aim_measures(struct web_req *r, struct web_resp *w, const struct store_measure_list *ml,
                               int64_t aim, struct purpose_err *err)
{
    size_t shown = 0;
    for (size_t i = 0; i < ml->n; i++) {
        if (ml->items[i].aim_id != aim)
            continue;
        struct web_mseries ms;
        if (web_mseries_load_in(r, &r->scope, ml->items[i].id, &ms, err) < 0)
            return -1;
        if (shown++ == 0)
            buf_puts(B, "<ul class=\"app-measures\">");
        char href[160];
        web_href(r, href, sizeof href, "/programmes/{programme}/measures/{id}", r->programme.slug, ms.m.id);
        web_mseries_item(w, &ms, href);
        web_mseries_release(&ms);
    }
    if (shown)
        buf_puts(B, "</ul>");
    return 0;
}

/* ---- the programme's summary -------------------------------------------------------------------- */

/* One table of the programme's own measures of aim (0: the whole programme), of kind ("": any). */
static int own_table(struct web_req *r, struct web_resp *w, const struct store_measure_list *ml, int64_t aim,
                     const char *title, const char *kind, struct purpose_err *err)
{
    size_t n = 0;
    for (size_t i = 0; i < ml->n; i++)
        n += ml->items[i].aim_id == aim && (!kind[0] || strcmp(kind, ml->items[i].kind) == 0);
    if (n == 0)
        return 0;
    web_summary_table_open(w, title);
    int rc = 0;
    for (size_t i = 0; i < ml->n && rc == 0; i++) {
        if (ml->items[i].aim_id != aim || (kind[0] && strcmp(kind, ml->items[i].kind) != 0))
            continue;
        struct web_mseries ms;
        if ((rc = web_mseries_load_in(r, &r->scope, ml->items[i].id, &ms, err)) < 0)
            break;
        char href[160];
        web_href(r, href, sizeof href, "/programmes/{programme}/measures/{id}", r->programme.slug, ms.m.id);
        web_summary_row(w, &ms, href, NULL);
        web_mseries_release(&ms);
    }
    kit_table_close(w);
    return rc;
}

int web_programme_own_summary(struct web_req *r, struct web_resp *w, const struct store_aim_list *aims,
                              const char *kind, struct purpose_err *err)
{
    struct store_measure_list ml;
    if (store_measure_list(r->ctx->store, &r->scope, 0, &ml, err) < 0)
        return -1;
    int rc = own_table(r, w, &ml, 0, "The programme as a whole", kind, err);
    for (size_t a = 0; a < aims->n && rc == 0; a++) {
        char title[STORE_TITLE_MAX + 8];
        snprintf(title, sizeof title, "Aim: %s", aims->items[a].title);
        rc = own_table(r, w, &ml, aims->items[a].id, title, kind, err);
    }
    store_measure_list_release(&ml);
    return rc;
}

int web_programme_own_json(struct web_req *r, json_t **a, const char *kind, struct purpose_err *err)
{
    struct store_measure_list ml;
    if (store_measure_list(r->ctx->store, &r->scope, 0, &ml, err) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < ml.n && rc == 0; i++) {
        struct web_mseries ms;
        if ((kind[0] && strcmp(kind, ml.items[i].kind) != 0) ||
            (rc = web_mseries_load_in(r, &r->scope, ml.items[i].id, &ms, err)) < 0)
            continue;
        json_t *j = web_mseries_json(&ms, false);
        web_jset(&j, "organisation", json_string("")); /* a partner's measure names its organisation and project */
        web_jset(&j, "project", json_string(""));
        web_jpush(a, j);
        web_mseries_release(&ms);
    }
    store_measure_list_release(&ml);
    return rc;
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/programmes/{programme}/measures/{id}", .role = ROLE_CONTRIBUTOR, .scope = WEB_PROGRAMME, .handler = measure_page, .load = WEB_LOAD_MEASURE},
};

WEB_FEATURE_ROUTES(web_measures_programme, routes);
