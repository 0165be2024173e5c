/* The organisations of the installation and the partnership programmes they share: the public list,
 * the administrators' pages that add them, and the API. Each organisation's own pages are the
 * strategy features under /organisations/{slug} (router.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/action.h"
#include "web/kit.h"
#include "core/banned.h"

#define B (&w->body)

static int organisations_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_org_list ol;
    if (store_org_list(r->ctx->store, &ol, err) < 0)
        return -1;
    html_begin(r, w, "Organisations and partnerships");
    buf_puts(B, "<h1>Organisations and partnerships</h1><p class=\"nhsuk-lede-text\">The organisations that "
                "share this site, and the partnership programmes they work on together.</p>");
    if (web_programme_links(r, w, NULL, "Partnership programmes", "There are no partnership programmes yet.", err) < 0) {
        store_org_list_release(&ol);
        return -1;
    }
    const char *heads[] = {"Organisation", "Type"};
    kit_table_open(w, "Organisations", heads, 2, NULL);
    for (size_t i = 0; i < ol.n; i++) {
        char href[96];
        snprintf(href, sizeof href, "/organisations/%s", ol.items[i].slug);
        kit_row_open(w);
        kit_cell_open(w);
        kit_link(w, href, ol.items[i].name, NULL);
        kit_cell_close(w);
        kit_cell(w, store_org_type_label(ol.items[i].type));
        kit_row_close(w);
    }
    kit_table_close(w);
    if (web_may(r, "GET", "/system")) {
        buf_puts(B, "<p>");
        kit_link(w, "/system", "System view: every organisation's measures side by side", NULL);
        buf_puts(B, "</p>");
    }
    if (web_may(r, "POST", "/admin/organisations/new")) {
        buf_puts(B, "<p>");
        kit_link(w, "/admin/organisations/new", "Add an organisation", NULL);
        buf_puts(B, "</p>");
    }
    if (web_may(r, "POST", "/admin/programmes/new")) {
        buf_puts(B, "<p>");
        kit_link(w, "/admin/programmes/new", "Add a partnership programme", NULL);
        buf_puts(B, "</p>");
    }
    html_end(r, w);
    store_org_list_release(&ol);
    return 0;
}

/* ---- administrators add organisations and programmes --------------------------------------------- */

static void org_form(struct web_req *r, struct web_resp *w, const struct purpose_err *fe)
{
    html_begin(r, w, "Add an organisation");
    kit_narrow_open(w);
    kit_back_link(w, "/organisations", "Back to organisations");
    kit_error_summary(w, fe);
    buf_puts(B, "<h1>Add an organisation</h1>");
    kit_form_open(r, w, "/admin/organisations/new");
    kit_input(w, fe, &(struct kit_field){.name = "name", .label = "Name", .value = web_field(r, "name")});
    kit_input(w, fe, &(struct kit_field){.name = "slug", .label = "Short name for web addresses",
                                         .hint = "Lower-case letters, digits and hyphens, for example leeds-th",
                                         .value = web_field(r, "slug"), .width = "nhsuk-input--width-20"});
    struct kit_option types[8];
    size_t n = 0;
    for (; store_org_types[n][0] && n < 8; n++)
        types[n] = (struct kit_option){store_org_types[n][0], store_org_types[n][1],
                                       strcmp(web_field(r, "type"), store_org_types[n][0]) == 0};
    kit_radios(w, fe, &(struct kit_field){.name = "type", .label = "Type of organisation"}, types, n);
    kit_input(w, fe, &(struct kit_field){.name = "ods_code", .label = "ODS code (optional)",
                                         .hint = "The NHS Organisation Data Service code, for example RR8",
                                         .value = web_field(r, "ods_code"), .width = "nhsuk-input--width-5"});
    kit_button(w, "Add organisation", false);
    kit_form_close(w);
    kit_narrow_close(w);
    html_end(r, w);
}

static int org_new_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    (void)err;
    org_form(r, w, NULL);
    return 0;
}

/* ---- adding an organisation: one action for the page and the API (action.h) ------------------- */

static const struct web_afield org_fields[] = {
    {.name = "slug", .required = true}, {.name = "name", .required = true},
    {.name = "type", .required = true}, {.name = "ods_code"},
};

static int org_add(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                   struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    return store_org_add(r->ctx->store, &by, web_in_s(in, "slug"), web_in_s(in, "name"), web_in_s(in, "type"),
                         web_in_s(in, "ods_code"), &out->id, err);
}

static int org_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                     const struct purpose_err *fe, struct purpose_err *err)
{
    (void)in;
    (void)err;
    org_form(r, w, fe);
    return 0;
}

static int org_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct store_org o;
    if (store_org_get(r->ctx->store, id, &o, err) < 0)
        return -1;
    web_json(w, status, web_org_json(&o));
    store_org_release(&o);
    return 0;
}

static const struct web_action org_add_action = {.fields = org_fields, .nfields = 4, .run = org_add,
                                                 .form = org_again, .next = "/organisations",
                                                 .done = "organisation-added", .answer = org_answer,
                                                 .api_status = 201};

static int org_create_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &org_add_action, err);
}

static int programme_form(struct web_req *r, struct web_resp *w, const struct purpose_err *fe, struct purpose_err *err)
{
    struct store_org_list ol;
    if (store_org_list(r->ctx->store, &ol, err) < 0)
        return -1;
    html_begin(r, w, "Add a partnership programme");
    kit_narrow_open(w);
    kit_back_link(w, "/organisations", "Back to organisations");
    kit_error_summary(w, fe);
    buf_puts(B, "<h1>Add a partnership programme</h1>");
    kit_form_open(r, w, "/admin/programmes/new");
    kit_input(w, fe, &(struct kit_field){.name = "name", .label = "Name", .value = web_field(r, "name")});
    kit_input(w, fe, &(struct kit_field){.name = "slug", .label = "Short name for web addresses",
                                         .hint = "Lower-case letters, digits and hyphens, for example handovers",
                                         .value = web_field(r, "slug"), .width = "nhsuk-input--width-20"});
    kit_textarea(w, fe, &(struct kit_field){.name = "description", .label = "Description", .rows = 3,
                                            .value = web_field(r, "description")});
    const struct purpose_err *pe = kit_fault(w, fe, "partners");
    bool bad = pe != NULL;
    buf_printf(B, "<div class=\"nhsuk-form-group%s\"><fieldset class=\"nhsuk-fieldset\" id=\"partners\"><legend "
                  "class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">Partners</legend>",
               bad ? " nhsuk-form-group--error" : "");
    if (bad) {
        buf_puts(B, "<span class=\"nhsuk-error-message\"><span class=\"nhsuk-u-visually-hidden\">Error:</span> ");
        kit_error_text(B, pe);
        buf_puts(B, "</span>");
    }
    buf_puts(B, "<div class=\"nhsuk-checkboxes\">");
    for (size_t i = 0; i < ol.n; i++) {
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)ol.items[i].id);
        kit_checkbox(w, "partner", id, ol.items[i].name, false);
    }
    buf_puts(B, "</div></fieldset></div>");
    kit_button(w, "Add programme", false);
    kit_form_close(w);
    kit_narrow_close(w);
    html_end(r, w);
    store_org_list_release(&ol);
    return 0;
}

static int programme_new_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return programme_form(r, w, NULL, err);
}

int web_programme_form_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                             const struct purpose_err *fe, struct purpose_err *err)
{
    (void)in;
    return programme_form(r, w, fe, err);
}

/* The programme and its partners commit together: the store's rule (store_programme_add_partners). */
static int programme_create_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &web_programme_add, err);
}

/* ---- API ---------------------------------------------------------------------------------------- */

static int organisations_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_org_list ol;
    if (store_org_list(r->ctx->store, &ol, err) < 0)
        return -1;
    json_t *list = json_array();
    for (size_t i = 0; i < ol.n; i++)
        web_jpush(&list, web_org_json(&ol.items[i]));
    store_org_list_release(&ol);
    web_json(w, 200, json_pack("{s:o}", "organisations", list));
    return 0;
}

static int organisation_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_org o;
    if (store_org_find(r->ctx->store, r->slug, &o, err) < 0)
        return web_api_fail(w, err);
    struct store_programme_list pl;
    if (store_programme_list(r->ctx->store, STORE_ORG_SCOPE(o.id), &pl, err) < 0) {
        store_org_release(&o);
        return -1;
    }
    json_t *j = web_org_json(&o), *progs = json_array();
    for (size_t i = 0; i < pl.n; i++)
        web_jpush(&progs, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)pl.items[i].id, "slug",
                                               pl.items[i].slug, "name", pl.items[i].name));
    web_jset(&j, "programmes", progs);
    web_json(w, 200, j);
    store_org_release(&o);
    store_programme_list_release(&pl);
    return 0;
}

static int organisation_post_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &org_add_action, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/organisations", .role = ROLE_ANON, .handler = organisations_page, .cache = WEB_CACHE_ANON, .deps = WEB_DEP(STORE_TOPIC_ORGS)},
    {.method = "GET", .path = "/admin/organisations/new", .role = ROLE_ADMIN, .handler = org_new_page},
    {.method = "POST", .path = "/admin/organisations/new", .role = ROLE_ADMIN, .handler = org_create_page},
    {.method = "GET", .path = "/admin/programmes/new", .role = ROLE_ADMIN, .handler = programme_new_page},
    {.method = "POST", .path = "/admin/programmes/new", .role = ROLE_ADMIN, .handler = programme_create_page},
    {.method = "GET", .path = "/api/v1/organisations", .role = ROLE_ANON, .kind = WEB_API, .handler = organisations_api, .cache = WEB_CACHE_PUBLIC, .deps = WEB_DEP(STORE_TOPIC_ORGS)},
    {.method = "POST", .path = "/api/v1/organisations", .role = ROLE_ADMIN, .kind = WEB_API, .handler = organisation_post_api},
    {.method = "GET", .path = "/api/v1/organisations/{org}", .role = ROLE_ANON, .kind = WEB_API, .handler = organisation_api, .cache = WEB_CACHE_PUBLIC, .deps = WEB_DEP(STORE_TOPIC_ORGS)},
};

static const struct web_nav nav[] = {
    {.href = "/organisations", .label = "Partners", .rank = 15},
};

WEB_FEATURE(web_organisations, routes, nav);
