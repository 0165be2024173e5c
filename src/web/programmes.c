/* Partnership programmes: the public page of each (its vision, shared purpose, aims and partners),
 * the aims' edit pages for the programme's leads, and the API. The vision and shared purpose are
 * edited through strategy.c's statement pages, in the programme's scope. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/action.h"
#include "web/confirm.h"
#include "web/kit.h"
#include "web/provenance.h"
#include "core/banned.h"

#define B (&w->body)

int web_programme_links(struct web_req *r, struct web_resp *w, const struct store_scope *scope, const char *heading, const char *none,
                        struct purpose_err *err)
{
    struct store_programme_list pl;
    if (store_programme_list(r->ctx->store, scope, &pl, err) < 0)
        return -1;
    if (pl.n > 0 || none) {
        buf_puts(B, "<h2>");
        html_esc(B, heading);
        buf_puts(B, "</h2>");
    }
    if (pl.n == 0 && none) {
        buf_puts(B, "<p>");
        html_esc(B, none);
        buf_puts(B, "</p>");
    }
    if (pl.n > 0)
        buf_puts(B, "<ul class=\"nhsuk-list nhsuk-list--bullet\">");
    for (size_t i = 0; i < pl.n; i++) {
        char href[96];
        web_href(r, href, sizeof href, "/programmes/{programme}", pl.items[i].slug);
        buf_puts(B, "<li>");
        kit_link(w, href, pl.items[i].name, NULL);
        buf_puts(B, "</li>");
    }
    if (pl.n > 0)
        buf_puts(B, "</ul>");
    store_programme_list_release(&pl);
    return 0;
}

/* The programme's route rest ("/aims/{id}/edit"; id fills its {id}), for this programme. */
static void href_of(const struct web_req *r, char *out, size_t n, const char *rest, int64_t id)
{
    char pattern[96];
    snprintf(pattern, sizeof pattern, "/programmes/{programme}%s", rest);
    web_href(r, out, n, pattern, r->programme.slug, id);
}

static int statement_block(struct web_req *r, struct web_resp *w, const char *heading, const char *text,
                           const char *kind, struct purpose_err *err)
{
    buf_puts(B, "<h2>");
    html_esc(B, heading);
    buf_puts(B, "</h2>");
    if (text)
        kit_paragraphs(w, text, strcmp(kind, "vision") == 0 ? "nhsuk-body-l app-vision" : "app-purpose");
    else
        buf_puts(B, "<p>Not written yet.</p>");
    if (text && web_provenance_line(r, w, kind, err) < 0)
        return -1;
    if (text) {
        char href[160], hidden[64];
        snprintf(hidden, sizeof hidden, " (%s)", heading);
        web_href(r, href, sizeof href, "/programmes/{programme}/{kind}/history", r->programme.slug, kind);
        buf_puts(B, "<p>");
        kit_link(w, href, "How it has changed", hidden);
        buf_puts(B, "</p>");
    }
    char edit[160];
    web_href(r, edit, sizeof edit, "/programmes/{programme}/{kind}/edit", r->programme.slug, kind);
    if (web_may(r, "POST", edit)) {
        char hidden[64];
        const char *href = edit;
        snprintf(hidden, sizeof hidden, " the %s", heading);
        buf_puts(B, "<p>");
        kit_link(w, href, "Change", hidden);
        buf_puts(B, "</p>");
    }
    return 0;
}

static int aims_section(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_aim_list al;
    if (store_aim_list(r->ctx->store, r->programme.id, &al, err) < 0)
        return -1;
    buf_puts(B, "<h2>Our aims</h2>");
    if (al.n == 0)
        buf_puts(B, "<p>No aims have been set yet.</p>");
    kit_summary_open(w);
    for (size_t i = 0; i < al.n; i++) {
        char value[STORE_TEXT_MAX + 32], href[160];
        snprintf(value, sizeof value, "%s (by %d)", al.items[i].description, al.items[i].target_year);
        href_of(r, href, sizeof href, "/aims/{id}/edit", al.items[i].id);
        kit_summary_row(w, al.items[i].title, value, web_may(r, "POST", href) ? href : NULL, "Change", al.items[i].title);
    }
    kit_summary_close(w);
    store_aim_list_release(&al);
    char href[160];
    href_of(r, href, sizeof href, "/aims/new", 0);
    if (web_may(r, "POST", href)) {
        buf_puts(B, "<p>");
        kit_link(w, href, "Add an aim", NULL);
        buf_puts(B, "</p>");
    }
    return 0;
}

static int partners_section(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_org_list ol;
    if (store_programme_partners(r->ctx->store, r->programme.id, &ol, err) < 0)
        return -1;
    buf_puts(B, "<h2>Partners</h2><ul class=\"nhsuk-list nhsuk-list--bullet\">");
    for (size_t i = 0; i < ol.n; i++) {
        char href[96];
        snprintf(href, sizeof href, "/organisations/%s", ol.items[i].slug);
        buf_puts(B, "<li>");
        kit_link(w, href, ol.items[i].name, NULL);
        buf_puts(B, " <span class=\"nhsuk-body-s\">");
        html_esc(B, store_org_type_label(ol.items[i].type));
        buf_puts(B, "</span></li>");
    }
    buf_puts(B, "</ul>");
    store_org_list_release(&ol);
    return 0;
}

static int programme_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char *vision = NULL, *purpose = NULL;
    if (web_statement_text(r, "vision", &vision, err) < 0 || web_statement_text(r, "purpose", &purpose, err) < 0) {
        free(vision);
        return -1;
    }
    html_begin(r, w, r->programme.name);
    buf_puts(B, "<span class=\"nhsuk-caption-l\">Partnership programme</span><h1>");
    html_esc(B, r->programme.name);
    buf_puts(B, "</h1>");
    if (r->programme.description[0]) {
        buf_puts(B, "<p class=\"nhsuk-lede-text\">");
        html_esc(B, r->programme.description);
        buf_puts(B, "</p>");
    }
    int rc = statement_block(r, w, "Our shared vision", vision, "vision", err);
    if (rc == 0)
        rc = statement_block(r, w, "Our shared purpose", purpose, "purpose", err);
    free(vision);
    free(purpose);
    if (rc < 0)
        return -1;
    if (web_programme_hub(r, w, err) < 0 || aims_section(r, w, err) < 0 || partners_section(r, w, err) < 0)
        return -1;
    html_end(r, w);
    return 0;
}

/* ---- aims: the edit pages ------------------------------------------------------------------------ */

static void aim_form(struct web_req *r, struct web_resp *w, bool create, const char *title, const char *desc,
                     const char *year, const struct purpose_err *fe)
{
    char back[160], action[160];
    href_of(r, back, sizeof back, "", 0);
    href_of(r, action, sizeof action, create ? "/aims/new" : "/aims/{id}/edit", r->id);
    html_begin(r, w, create ? "Add an aim" : "Change an aim");
    kit_narrow_open(w);
    kit_back_link(w, back, "Back to the programme");
    kit_error_summary(w, fe);
    buf_puts(B, create ? "<h1>Add an aim</h1>" : "<h1>Change an aim</h1>");
    kit_form_open(r, w, action);
    kit_input(w, fe, &(struct kit_field){.name = "title", .label = "Aim", .value = title});
    kit_textarea(w, fe, &(struct kit_field){.name = "description", .label = "Description", .value = desc, .rows = 3});
    kit_input(w, fe, &(struct kit_field){.name = "target_year", .label = "Target year", .hint = "For example, 2027",
                                         .value = year, .width = "nhsuk-input--width-4"});
    kit_button(w, "Save", false);
    kit_form_close(w);
    if (!create) {
        href_of(r, action, sizeof action, "/aims/{id}/delete", r->id);
        buf_puts(B, "<p>");
        kit_link(w, action, "Delete this aim", NULL);
        buf_puts(B, "</p>");
    }
    kit_narrow_close(w);
    html_end(r, w);
}

static int aim_new_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    (void)err;
    aim_form(r, w, true, "", "", "", NULL);
    return 0;
}

static int aim_edit_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_aim a;
    if (store_aim_get(r->ctx->store, r->programme.id, r->id, &a, err) < 0)
        return web_page_fail(r, w, err);
    char year[16];
    snprintf(year, sizeof year, "%d", a.target_year);
    aim_form(r, w, false, a.title, a.description, year, NULL);
    store_aim_release(&a);
    return 0;
}

/* GET: the confirmation of an aim's delete; the projects that serve it stay. */
static int aim_delete_confirm(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_aim a;
    if (store_aim_get(r->ctx->store, r->programme.id, r->id, &a, err) < 0)
        return web_page_fail(r, w, err);
    char title[STORE_TITLE_MAX + 40], action[200], cancel[200];
    snprintf(title, sizeof title, "Delete the aim %s?", a.title);
    href_of(r, action, sizeof action, "/aims/{id}/delete", r->id);
    href_of(r, cancel, sizeof cancel, "/aims/{id}/edit", r->id);
    const char *const lines[] = {"the aim, from the programme's page and its line of sight",
                                 "each project's link to it (the projects stay)"};
    web_confirm_page(r, w, &(struct web_confirm){.title = title, .action = action, .button = "Delete the aim",
                                                 .cancel = cancel, .goes = lines, .ngoes = 2});
    store_aim_release(&a);
    return 0;
}

/* ---- a programme's aims, and adding a programme: actions for page and API (action.h) ----------- */

static const struct web_action aim_add, aim_change, aim_delete;
static int aim_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err);
static int programme_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err);

/* Adds an aim to the programme, or changes or deletes aim {id}; a page goes back to the programme. */
static int aim_run(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                   struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    href_of(r, out->next, sizeof out->next, "", 0);
    if (in->a == &aim_delete)
        return store_aim_delete(r->ctx->store, &by, r->programme.id, r->id, err);
    const char *title = web_in_s(in, "title"), *desc = web_in_s(in, "description");
    int year = (int)web_in_i(in, "target_year");
    return in->a == &aim_add ? store_aim_add(r->ctx->store, &by, r->programme.id, title, desc, year, &out->id, err)
                             : store_aim_update(r->ctx->store, &by, r->programme.id, r->id, title, desc, year, err);
}

static int aim_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                     const struct purpose_err *fe, struct purpose_err *err)
{
    (void)err;
    aim_form(r, w, in->a == &aim_add, web_in_s(in, "title"), web_in_s(in, "description"),
             web_in_s(in, "target_year"), fe);
    return 0;
}

static const struct web_afield aim_fields[] = {
    {.name = "title", .required = true},
    {.name = "description"},
    {.name = "target_year", .kind = WEB_F_INT, .required = true, .min = STORE_YEAR_MIN, .max = STORE_YEAR_MAX},
};

static const struct web_action aim_add = {.fields = aim_fields, .nfields = 3, .run = aim_run, .form = aim_again,
                                          .answer = aim_answer, .api_status = 201};
static const struct web_action aim_change = {.fields = aim_fields, .nfields = 3, .run = aim_run, .form = aim_again,
                                             .answer = aim_answer};
static const struct web_action aim_delete = {.run = aim_run, .done = "aim-deleted"};

/* {"slug", "name", "description"?, "partners"?: [organisation ids]} (the page's "partner" boxes): the
 * programme and its partners commit together (store_programme_add_partners). */
static int programme_add(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                         struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    const struct web_aval *partners = web_in(in, "partners");
    if (store_programme_add_partners(r->ctx->store, &by, web_in_s(in, "slug"), web_in_s(in, "name"),
                                     web_in_s(in, "description"), partners->ids, partners->n, &out->id, err) < 0)
        return -1;
    web_href(r, out->next, sizeof out->next, "/programmes/{programme}", web_in_s(in, "slug"));
    return 0;
}

static const struct web_afield programme_fields[] = {
    {.name = "slug", .required = true},
    {.name = "name", .required = true},
    {.name = "description"},
    {.name = "partners", .kind = WEB_F_IDS, .form = "partner", .max = STORE_PARTNERS_MAX},
};

const struct web_action web_programme_add = {.fields = programme_fields, .nfields = 4, .run = programme_add,
                                             .form = web_programme_form_again, .answer = programme_answer,
                                             .api_status = 201};

static int aim_create_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &aim_add, err);
}

static int aim_update_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &aim_change, err);
}

static int aim_delete_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &aim_delete, err);
}

/* ---- API ---------------------------------------------------------------------------------------- */

static json_t *aim_json(const struct store_aim *a)
{
    return json_pack("{s:I, s:i, s:s, s:s, s:i}", "id", (json_int_t)a->id, "position", a->position, "title", a->title,
                     "description", a->description, "target_year", a->target_year);
}

json_t *web_org_json(const struct store_org *o)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)o->id, "slug", o->slug, "name", o->name, "type",
                     o->type, "ods_code", o->ods_code);
}

static json_t *programme_json(const struct store_programme *p)
{
    return json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)p->id, "slug", p->slug, "name", p->name,
                     "description", p->description);
}

/* The programme with its statements, aims and partners. */
static int programme_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char *vision = NULL, *purpose = NULL;
    struct store_aim_list al = {0};
    struct store_org_list ol = {0};
    if (web_statement_text(r, "vision", &vision, err) < 0 || web_statement_text(r, "purpose", &purpose, err) < 0 ||
        store_aim_list(r->ctx->store, r->programme.id, &al, err) < 0 ||
        store_programme_partners(r->ctx->store, r->programme.id, &ol, err) < 0) {
        free(vision);
        free(purpose);
        store_aim_list_release(&al);
        return -1;
    }
    json_t *aims = json_array(), *partners = json_array();
    for (size_t i = 0; i < al.n; i++)
        web_jpush(&aims, aim_json(&al.items[i]));
    for (size_t i = 0; i < ol.n; i++)
        web_jpush(&partners, web_org_json(&ol.items[i]));
    json_t *j = programme_json(&r->programme);
    web_jset(&j, "vision", vision ? json_string(vision) : json_null());
    web_jset(&j, "purpose", purpose ? json_string(purpose) : json_null());
    web_jset(&j, "aims", aims);
    web_jset(&j, "partners", partners);
    web_json(w, 200, j);
    free(vision);
    free(purpose);
    store_aim_list_release(&al);
    store_org_list_release(&ol);
    return 0;
}

static int aims_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_aim_list al;
    if (store_aim_list(r->ctx->store, r->programme.id, &al, err) < 0)
        return -1;
    json_t *aims = json_array();
    for (size_t i = 0; i < al.n; i++)
        web_jpush(&aims, aim_json(&al.items[i]));
    store_aim_list_release(&al);
    web_json(w, 200, json_pack("{s:o}", "aims", aims));
    return 0;
}

static int aim_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct store_aim a;
    if (store_aim_get(r->ctx->store, r->programme.id, id, &a, err) < 0)
        return web_api_fail(w, err);
    web_json(w, status, aim_json(&a));
    store_aim_release(&a);
    return 0;
}

static int aim_post_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &aim_add, err);
}

static int aim_put_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &aim_change, err);
}

static int aim_get_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return aim_answer(r, w, r->id, 200, err);
}

static int aim_delete_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &aim_delete, err);
}

/* PUT or DELETE /api/v1/programmes/{programme}/partners/{id}: the organisation with that id. */
static int partner_api(struct web_req *r, struct web_resp *w, bool partner, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    if (store_programme_partner_set(r->ctx->store, &by, r->programme.id, r->id, partner, err) < 0) {
        if (strcmp(err->field, "org_id") == 0)
            err->kind = PURPOSE_ERR_NOT_FOUND; /* the organisation named in the URL */
        return web_api_fail(w, err);
    }
    web_no_content(w);
    return 0;
}

static int partner_put_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return partner_api(r, w, true, err);
}

static int partner_delete_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return partner_api(r, w, false, err);
}

static int programmes_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_programme_list pl;
    if (store_programme_list(r->ctx->store, NULL, &pl, err) < 0)
        return -1;
    json_t *list = json_array();
    for (size_t i = 0; i < pl.n; i++)
        web_jpush(&list, programme_json(&pl.items[i]));
    store_programme_list_release(&pl);
    web_json(w, 200, json_pack("{s:o}", "programmes", list));
    return 0;
}

static int programme_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct store_programme p;
    if (store_programme_get(r->ctx->store, id, &p, err) < 0)
        return -1;
    web_json(w, status, programme_json(&p));
    store_programme_release(&p);
    return 0;
}

static int programme_post_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &web_programme_add, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/programmes/{programme}", .role = ROLE_ANON, .scope = WEB_PROGRAMME, .handler = programme_page, .cache = WEB_CACHE_ANON, .deps = WEB_DEPS_STRATEGY},
    {.method = "GET", .path = "/programmes/{programme}/aims/new", .role = ROLE_LEAD, .scope = WEB_PROGRAMME, .handler = aim_new_page},
    {.method = "POST", .path = "/programmes/{programme}/aims/new", .role = ROLE_LEAD, .scope = WEB_PROGRAMME, .handler = aim_create_page},
    {.method = "GET", .path = "/programmes/{programme}/aims/{id}/edit", .role = ROLE_LEAD, .scope = WEB_PROGRAMME, .handler = aim_edit_page},
    {.method = "POST", .path = "/programmes/{programme}/aims/{id}/edit", .role = ROLE_LEAD, .scope = WEB_PROGRAMME, .handler = aim_update_page},
    {.method = "GET", .path = "/programmes/{programme}/aims/{id}/delete", .role = ROLE_LEAD, .scope = WEB_PROGRAMME, .handler = aim_delete_confirm},
    {.method = "POST", .path = "/programmes/{programme}/aims/{id}/delete", .role = ROLE_LEAD, .scope = WEB_PROGRAMME, .handler = aim_delete_page,
     .confirm = aim_delete_confirm},
    {.method = "GET", .path = "/api/v1/programmes", .role = ROLE_ANON, .kind = WEB_API, .handler = programmes_api, .cache = WEB_CACHE_PUBLIC, .deps = WEB_DEPS_STRATEGY},
    {.method = "POST", .path = "/api/v1/programmes", .role = ROLE_ADMIN, .kind = WEB_API, .handler = programme_post_api},
    {.method = "GET", .path = "/api/v1/programmes/{programme}", .role = ROLE_ANON, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = programme_api, .cache = WEB_CACHE_PUBLIC, .deps = WEB_DEPS_STRATEGY},
    {.method = "GET", .path = "/api/v1/programmes/{programme}/aims", .role = ROLE_ANON, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = aims_api, .cache = WEB_CACHE_DATA, .deps = WEB_DEPS_STRATEGY},
    {.method = "POST", .path = "/api/v1/programmes/{programme}/aims", .role = ROLE_LEAD, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = aim_post_api},
    {.method = "GET", .path = "/api/v1/programmes/{programme}/aims/{id}", .role = ROLE_ANON, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = aim_get_api, .cache = WEB_CACHE_DATA, .deps = WEB_DEPS_STRATEGY},
    {.method = "PUT", .path = "/api/v1/programmes/{programme}/aims/{id}", .role = ROLE_LEAD, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = aim_put_api},
    {.method = "DELETE", .path = "/api/v1/programmes/{programme}/aims/{id}", .role = ROLE_LEAD, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = aim_delete_api},
    {.method = "PUT", .path = "/api/v1/programmes/{programme}/partners/{id}", .role = ROLE_ADMIN, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = partner_put_api},
    {.method = "DELETE", .path = "/api/v1/programmes/{programme}/partners/{id}", .role = ROLE_ADMIN, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = partner_delete_api},
};

WEB_FEATURE_ROUTES(web_programmes, routes);
