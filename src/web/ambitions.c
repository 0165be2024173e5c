/* Ambitions: what a theme aims for by a target year. Their edit pages and API; they are shown
 * inside their theme's card (themes.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/action.h"
#include "web/confirm.h"
#include "web/kit.h"
#include "core/banned.h"

#define B (&w->body)

/* The theme is named by the URL when an ambition is added: a theme that does not exist is a
 * missing page, whichever kind the store gives it. */
static void ambition_form(struct web_req *r, struct web_resp *w, int64_t theme_id, int64_t id, const char *title,
                          const char *desc, const char *year, const struct purpose_err *fe)
{
    char action[96];
    if (id)
        snprintf(action, sizeof action, "/strategy/ambitions/%lld/edit", (long long)id);
    else
        snprintf(action, sizeof action, "/strategy/themes/%lld/ambitions/new", (long long)theme_id);
    const char *heading = id ? "Edit an ambition" : "Add an ambition";
    html_begin(r, w, heading);
    kit_narrow_open(w);
    kit_back_link(w, "/strategy", "Back to strategy");
    kit_error_summary(w, fe);
    buf_puts(B, "<h1>");
    html_esc(B, heading);
    buf_puts(B, "</h1>");
    kit_form_open(r, w, action);
    kit_input(w, fe, &(struct kit_field){.name = "title", .label = "Title", .value = title});
    kit_textarea(w, fe, &(struct kit_field){.name = "description", .label = "Description", .value = desc, .rows = 3});
    kit_input(w, fe, &(struct kit_field){.name = "target_year", .label = "Target year", .value = year,
                                         .hint = "For example, 2028", .width = "nhsuk-input--width-4",
                                         .type = "text"});
    kit_button(w, "Save", false);
    kit_form_close(w);
    if (id) {
        snprintf(action, sizeof action, "/strategy/ambitions/%lld/delete", (long long)id);
        buf_puts(B, "<p>");
        kit_link(w, action, "Delete this ambition", NULL);
        buf_puts(B, "</p>");
    }
    kit_narrow_close(w);
    html_end(r, w);
}

static int new_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_theme t;
    if (store_theme_get(r->ctx->store, &r->scope, r->id, &t, err) < 0)
        return web_page_fail(r, w, err);
    store_theme_release(&t);
    ambition_form(r, w, r->id, 0, "", "", "", NULL);
    return 0;
}

/* ---- the actions (action.h): adding one to theme {id}, changing ambition {id}, deleting it ------ */

static const struct web_action ambition_add, ambition_change;

static int save(struct web_req *r, const struct web_action_in *in, struct web_action_out *out, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    const char *title = web_in_s(in, "title"), *desc = web_in_s(in, "description");
    int year = (int)web_in_i(in, "target_year");
    if (in->a == &ambition_change)
        return store_ambition_update(r->ctx->store, &by, &r->scope, r->id, title, desc, year, err);
    return store_ambition_add(r->ctx->store, &by, &r->scope, r->id, title, desc, year, &out->id, err);
}

static int form_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                      const struct purpose_err *fe, struct purpose_err *err)
{
    (void)err;
    bool create = in->a == &ambition_add;
    ambition_form(r, w, create ? r->id : 0, create ? 0 : r->id, web_in_s(in, "title"), web_in_s(in, "description"),
                  web_in_s(in, "target_year"), fe);
    return 0;
}

static int ambition_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err);

static const struct web_afield fields[] = {
    {.name = "title", .required = true},
    {.name = "description"},
    {.name = "target_year", .kind = WEB_F_INT, .required = true, .min = STORE_YEAR_MIN, .max = STORE_YEAR_MAX},
};

static const struct web_action ambition_add = {.fields = fields, .nfields = 3, .run = save, .form = form_again,
                                               .next = "/strategy", .done = "strategy-added",
                                               .answer = ambition_answer, .api_status = 201};
static const struct web_action ambition_change = {.fields = fields, .nfields = 3, .run = save, .form = form_again,
                                                  .next = "/strategy", .done = "strategy-saved",
                                                  .answer = ambition_answer};
static const struct web_action ambition_delete = {.on_scoped = store_ambition_delete, .next = "/strategy",
                                                  .done = "strategy-deleted"};

static int create_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &ambition_add, err);
}

static int save_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &ambition_change, err);
}

static int edit_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_ambition a;
    if (store_ambition_get(r->ctx->store, &r->scope, r->id, &a, err) < 0)
        return web_page_fail(r, w, err);
    char year[16];
    snprintf(year, sizeof year, "%d", a.target_year);
    ambition_form(r, w, a.theme_id, a.id, a.title, a.description, year, NULL);
    store_ambition_release(&a);
    return 0;
}

static int confirm_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_ambition a;
    if (store_ambition_get(r->ctx->store, &r->scope, r->id, &a, err) < 0)
        return web_page_fail(r, w, err);
    char title[300], action[64];
    snprintf(title, sizeof title, "Delete the ambition %s?", a.title);
    snprintf(action, sizeof action, "/strategy/ambitions/%lld/delete", (long long)a.id);
    const char *const lines[] = {"the ambition, its description and target year",
                                 "its links to the projects that serve it (the projects stay)"};
    web_confirm_page(r, w, &(struct web_confirm){.title = title, .action = action, .button = "Delete the ambition",
                                                 .cancel = "/strategy", .goes = lines, .ngoes = 2});
    store_ambition_release(&a);
    return 0;
}

static int delete_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &ambition_delete, err);
}

/* ---- API ---------------------------------------------------------------------------------------- */

json_t *web_ambition_json(const struct store_ambition *a)
{
    return json_pack("{s:I, s:I, s:i, s:s, s:s, s:i}", "id", (json_int_t)a->id, "theme_id", (json_int_t)a->theme_id,
                     "position", a->position, "title", a->title, "description", a->description, "target_year",
                     a->target_year);
}

static int ambition_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct store_ambition a;
    if (store_ambition_get(r->ctx->store, &r->scope, id, &a, err) < 0)
        return web_api_fail(w, err);
    web_json(w, status, web_ambition_json(&a));
    store_ambition_release(&a);
    return 0;
}

static int ambition_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return ambition_answer(r, w, r->id, 200, err);
}

/* {title, description?, target_year}. */
static int create_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &ambition_add, err);
}

static int put_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &ambition_change, err);
}

static int delete_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &ambition_delete, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/strategy/themes/{id}/ambitions/new", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = new_page},
    {.method = "POST", .path = "/strategy/themes/{id}/ambitions/new", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = create_page},
    {.method = "GET", .path = "/strategy/ambitions/{id}/edit", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = edit_page},
    {.method = "POST", .path = "/strategy/ambitions/{id}/edit", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = save_page},
    {.method = "GET", .path = "/strategy/ambitions/{id}/delete", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = confirm_page},
    {.method = "POST", .path = "/strategy/ambitions/{id}/delete", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = delete_page,
     .confirm = confirm_page},
    {.method = "POST", .path = "/api/v1/themes/{id}/ambitions", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = create_api},
    {.method = "GET", .path = "/api/v1/ambitions/{id}", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = ambition_api, .cache = WEB_CACHE_DATA, .deps = WEB_DEPS_STRATEGY},
    {.method = "PUT", .path = "/api/v1/ambitions/{id}", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = put_api},
    {.method = "DELETE", .path = "/api/v1/ambitions/{id}", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = delete_api},
};

WEB_FEATURE_ROUTES(web_ambitions, routes);
