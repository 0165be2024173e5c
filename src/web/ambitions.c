/* Ambitions: what a theme aims for by a target year. Their edit pages and API; they are shown
 * inside their theme's card (themes.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/confirm.h"
#include "web/kit.h"
#include "core/banned.h"

#define B (&w->body)

/* The theme is named by the URL when an ambition is added: a theme that does not exist is a
 * missing page, whichever kind the store gives it. */
static void theme_in_path(struct purpose_err *err)
{
    if (strcmp(err->field, "theme_id") == 0)
        purpose_errk(err, PURPOSE_ERR_NOT_FOUND, "theme_id", "theme: not found");
}

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
    if (store_theme_get(r->ctx->store, r->org.id, r->id, &t, err) < 0)
        return web_page_fail(r, w, err);
    store_theme_release(&t);
    ambition_form(r, w, r->id, 0, "", "", "", NULL);
    return 0;
}

/* POST a new ambition for theme r->id, or changes to ambition r->id. */
static int post_page(struct web_req *r, struct web_resp *w, bool create, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    const char *title = web_field(r, "title"), *desc = web_field(r, "description");
    const char *year_s = web_field(r, "target_year");
    long year = 0;
    int rc = web_parse_long(year_s, "target_year", STORE_YEAR_MIN, STORE_YEAR_MAX, &year, err);
    if (rc == 0 && create) {
        rc = store_ambition_add(r->ctx->store, &by, r->org.id, r->id, title, desc, (int)year, NULL, err);
        if (rc < 0)
            theme_in_path(err);
    } else if (rc == 0) {
        rc = store_ambition_update(r->ctx->store, &by, r->org.id, r->id, title, desc, (int)year, err);
    }
    if (rc < 0) {
        if (!web_err_in_form(err))
            return web_page_fail(r, w, err);
        ambition_form(r, w, create ? r->id : 0, create ? 0 : r->id, title, desc, year_s, err);
        w->status = web_err_status(err->kind);
        return 0;
    }
    web_redirect(w, "/strategy");
    return 0;
}

static int create_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return post_page(r, w, true, err);
}

static int save_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return post_page(r, w, false, err);
}

static int edit_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_ambition a;
    if (store_ambition_get(r->ctx->store, r->org.id, r->id, &a, err) < 0)
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
    if (store_ambition_get(r->ctx->store, r->org.id, r->id, &a, err) < 0)
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
    struct store_actor by = web_actor(r);
    if (store_ambition_delete(r->ctx->store, &by, r->org.id, r->id, err) < 0)
        return web_page_fail(r, w, err);
    web_redirect(w, "/strategy?done=strategy-deleted");
    return 0;
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
    if (store_ambition_get(r->ctx->store, r->org.id, id, &a, err) < 0)
        return web_api_fail(w, err);
    web_json(w, status, web_ambition_json(&a));
    store_ambition_release(&a);
    return 0;
}

static int ambition_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return ambition_answer(r, w, r->id, 200, err);
}

/* The body of a POST or PUT: {title, description?, target_year}. */
static int read_body(struct web_req *r, const char **title, const char **desc, json_int_t *year,
                     struct purpose_err *err)
{
    if (web_jstr(r, "title", true, title, err) < 0 || web_jstr(r, "description", false, desc, err) < 0 ||
        web_jint(r, "target_year", true, STORE_YEAR_MIN, STORE_YEAR_MAX, year, err) < 0)
        return -1;
    return 0;
}

static int create_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const char *title, *desc;
    json_int_t year;
    int64_t id;
    struct store_actor by = web_actor(r);
    if (read_body(r, &title, &desc, &year, err) < 0)
        return web_api_fail(w, err);
    if (store_ambition_add(r->ctx->store, &by, r->org.id, r->id, title, desc, (int)year, &id, err) < 0) {
        theme_in_path(err);
        return web_api_fail(w, err);
    }
    return ambition_answer(r, w, id, 201, err);
}

static int put_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const char *title, *desc;
    json_int_t year;
    struct store_actor by = web_actor(r);
    if (read_body(r, &title, &desc, &year, err) < 0 ||
        store_ambition_update(r->ctx->store, &by, r->org.id, r->id, title, desc, (int)year, err) < 0)
        return web_api_fail(w, err);
    return ambition_answer(r, w, r->id, 200, err);
}

static int delete_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    if (store_ambition_delete(r->ctx->store, &by, r->org.id, r->id, err) < 0)
        return web_api_fail(w, err);
    web_no_content(w);
    return 0;
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/strategy/themes/{id}/ambitions/new", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = new_page},
    {.method = "POST", .path = "/strategy/themes/{id}/ambitions/new", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = create_page},
    {.method = "GET", .path = "/strategy/ambitions/{id}/edit", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = edit_page},
    {.method = "POST", .path = "/strategy/ambitions/{id}/edit", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = save_page},
    {.method = "GET", .path = "/strategy/ambitions/{id}/delete", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = confirm_page},
    {.method = "POST", .path = "/strategy/ambitions/{id}/delete", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = delete_page},
    {.method = "POST", .path = "/api/v1/themes/{id}/ambitions", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = create_api},
    {.method = "GET", .path = "/api/v1/ambitions/{id}", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = ambition_api, .cache = WEB_CACHE_DATA},
    {.method = "PUT", .path = "/api/v1/ambitions/{id}", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = put_api},
    {.method = "DELETE", .path = "/api/v1/ambitions/{id}", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = delete_api},
};

WEB_FEATURE_ROUTES(web_ambitions, routes);
