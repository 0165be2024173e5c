/* Roles people hold outside their home organisation: in another organisation, or in a partnership
 * programme (an ambulance service's lead leading the shared handover programme). Administrators
 * grant them and remove them (after a confirmation), one action for the page and the API (action.h);
 * store_role_in applies them on every route. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/action.h"
#include "web/confirm.h"
#include "web/kit.h"
#include "core/banned.h"

#define B (&w->body)

/* Parses "organisation:SLUG" or "programme:SLUG" (the form's select, the API's scope and slug) into
 * a scope; an input error names `field`. */
static int scope_of(struct web_req *r, const char *kind, const char *slug, const char *field, struct store_scope *out,
                    struct purpose_err *err)
{
    if (strcmp(kind, "organisation") == 0) {
        struct store_org o;
        if (store_org_find(r->ctx->store, slug, &o, err) < 0)
            goto unknown;
        *out = (struct store_scope){STORE_SCOPE_ORG, o.id};
        store_org_release(&o);
        return 0;
    }
    if (strcmp(kind, "programme") == 0) {
        struct store_programme p;
        if (store_programme_find(r->ctx->store, slug, &p, err) < 0)
            goto unknown;
        *out = (struct store_scope){STORE_SCOPE_PROGRAMME, p.id};
        store_programme_release(&p);
        return 0;
    }
    return purpose_errk(err, PURPOSE_ERR_INPUT, field, "%s: must be an organisation or a programme", field);
unknown:
    if (err->kind != PURPOSE_ERR_NOT_FOUND)
        return -1;
    return purpose_errk(err, PURPOSE_ERR_INPUT, field, "%s: no %s \"%s\"", field, kind, slug);
}

/* "contributor", "member", "lead", or "none" (removes the role). */
static int role_of(const char *s, enum store_role *out, struct purpose_err *err)
{
    int r = strcmp(s, "none") == 0 ? ROLE_ANON : store_role_parse(s);
    if (r < 0 || r == ROLE_ADMIN)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "role", "role: must be contributor, member, lead or none");
    *out = (enum store_role)r;
    return 0;
}

static json_t *grants_json(const struct store_grant_list *gl)
{
    json_t *a = json_array();
    for (size_t i = 0; i < gl->n; i++)
        web_jpush(&a, json_pack("{s:s, s:s, s:s, s:s}", "scope",
                                           gl->items[i].scope == STORE_SCOPE_PROGRAMME ? "programme" : "organisation",
                                           "slug", gl->items[i].scope_slug ? gl->items[i].scope_slug : "", "name",
                                           gl->items[i].scope_name ? gl->items[i].scope_name : "", "role",
                                           store_role_name(gl->items[i].role)));
    return a;
}

static int grants_answer(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_user u;
    if (store_user_get(r->ctx->store, r->id, &u, err) < 0)
        return web_api_fail(w, err);
    store_user_release(&u);
    struct store_grant_list gl;
    if (store_grant_list(r->ctx->store, r->id, &gl, err) < 0)
        return -1;
    web_json(w, 200, json_pack("{s:o}", "roles", grants_json(&gl)));
    store_grant_list_release(&gl);
    return 0;
}

static int grants_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return grants_answer(r, w, err);
}

/* ---- the action (action.h): the page's "where" is the API's scope and slug in one ----------------- */

static int role_check(const char *name, const char *s, struct purpose_err *err)
{
    enum store_role role;
    (void)name;
    return role_of(s, &role, err);
}

/* "organisation:SLUG" or "programme:SLUG" (whether it exists is the run's to say). */
static int where_check(const char *name, const char *s, struct purpose_err *err)
{
    if (strncmp(s, "organisation:", 13) == 0 || strncmp(s, "programme:", 10) == 0)
        return 0;
    return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s: must be an organisation or a programme", name);
}

static const struct web_afield page_fields[] = {
    {.name = "where", .required = true, .check = where_check},
    {.name = "role", .required = true, .check = role_check},
};
static const struct web_afield api_fields[] = {
    {.name = "scope", .required = true},
    {.name = "slug", .required = true},
    {.name = "role", .required = true, .check = role_check},
};

/* The scope the request names: the page's "organisation:SLUG" or "programme:SLUG", the API's two. */
static int scope_in(struct web_req *r, const struct web_action_in *in, struct store_scope *scope,
                    struct purpose_err *err)
{
    if (r->is_api)
        return scope_of(r, web_in_s(in, "scope"), web_in_s(in, "slug"), "slug", scope, err);
    char kind[16] = "";
    const char *where = web_in_s(in, "where"), *colon = strchr(where, ':');
    if (colon && (size_t)(colon - where) < sizeof kind)
        memcpy(kind, where, (size_t)(colon - where));
    return scope_of(r, kind, colon ? colon + 1 : "", "where", scope, err);
}

static int grant(struct web_req *r, const struct web_action_in *in, struct web_action_out *out, struct purpose_err *err)
{
    struct store_scope scope;
    enum store_role role = ROLE_CONTRIBUTOR;
    struct store_actor by = web_actor(r);
    if (scope_in(r, in, &scope, err) < 0 || role_of(web_in_s(in, "role"), &role, err) < 0)
        return -1;
    if (store_role_grant(r->ctx->store, &by, r->id, scope, role, err) < 0) {
        if (strcmp(err->field, "user_id") == 0)
            err->kind = PURPOSE_ERR_NOT_FOUND; /* the user named in the URL */
        return -1;
    }
    snprintf(out->next, sizeof out->next, "/admin/users/%lld/roles%s", (long long)r->id,
             role == ROLE_ANON ? "?done=role-removed" : "");
    return 0;
}

static int grants_form(struct web_req *r, struct web_resp *w, const struct purpose_err *fe, struct purpose_err *err);

static int grant_form(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                      const struct purpose_err *fe, struct purpose_err *err)
{
    (void)in;
    return grants_form(r, w, fe, err);
}

static int grant_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    (void)id;
    (void)status;
    return grants_answer(r, w, err);
}

static const struct web_action grant_page = {.fields = page_fields, .nfields = 2, .run = grant, .form = grant_form};
static const struct web_action grant_api = {.fields = api_fields, .nfields = 3, .run = grant, .answer = grant_answer};

/* PUT {scope: organisation|programme, slug, role: contributor|member|lead|none}. */
static int grant_put_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &grant_api, err);
}

/* ---- the page ---------------------------------------------------------------------------------- */

static int grants_form(struct web_req *r, struct web_resp *w, const struct purpose_err *fe, struct purpose_err *err)
{
    struct store_user u;
    if (store_user_get(r->ctx->store, r->id, &u, err) < 0)
        return web_page_fail(r, w, err);
    struct store_grant_list gl = {0};
    struct store_org_list ol = {0};
    struct store_programme_list pl = {0};
    if (store_grant_list(r->ctx->store, r->id, &gl, err) < 0 || store_org_list(r->ctx->store, &ol, err) < 0 ||
        store_programme_list(r->ctx->store, NULL, &pl, err) < 0) {
        store_user_release(&u);
        store_grant_list_release(&gl);
        store_org_list_release(&ol);
        return -1;
    }
    char title[STORE_NAME_MAX + 32], action[64];
    snprintf(title, sizeof title, "Roles of %s", u.display_name);
    snprintf(action, sizeof action, "/admin/users/%lld/roles", (long long)r->id);
    html_begin(r, w, title);
    kit_back_link(w, "/admin/users", "Back to users");
    kit_error_summary(w, fe);
    buf_puts(B, "<h1>");
    html_esc(B, title);
    buf_puts(B, "</h1><p>A role in their own organisation is set on the users page. Here are their roles in "
                "other organisations and in partnership programmes.</p>");
    const char *heads[] = {"Where", "Role"};
    kit_table_open(w, "Roles elsewhere", heads, 2, NULL);
    for (size_t i = 0; i < gl.n; i++) {
        kit_row_open(w);
        kit_cell(w, gl.items[i].scope_name ? gl.items[i].scope_name : "");
        kit_cell(w, store_role_name(gl.items[i].role));
        kit_row_close(w);
    }
    kit_table_close(w);
    if (gl.n == 0)
        buf_puts(B, "<p>None.</p>");
    buf_puts(B, "<h2>Give or change a role</h2>");
    kit_form_open(r, w, action);
    kit_select_open(w, fe, &(struct kit_field){.name = "where", .label = "Organisation or programme"});
    for (size_t i = 0; i < pl.n; i++) {
        char v[96];
        snprintf(v, sizeof v, "programme:%s", pl.items[i].slug);
        kit_select_option(w, v, pl.items[i].name, false);
    }
    for (size_t i = 0; i < ol.n; i++) {
        char v[96];
        snprintf(v, sizeof v, "organisation:%s", ol.items[i].slug);
        if (ol.items[i].id != u.home_org_id)
            kit_select_option(w, v, ol.items[i].name, false);
    }
    kit_select_close(w);
    static const struct kit_option roles[] = {
        {"contributor", "Contributor", false}, {"member", "Member", false}, {"lead", "Lead", false},
        {"none", "No role (remove)", false}};
    kit_radios(w, fe, &(struct kit_field){.name = "role", .label = "Role"}, roles, 4);
    kit_button(w, "Save role", false);
    kit_form_close(w);
    html_end(r, w);
    store_user_release(&u);
    store_grant_list_release(&gl);
    store_org_list_release(&ol);
    store_programme_list_release(&pl);
    return 0;
}

static int grants_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return grants_form(r, w, NULL, err);
}

/* Removing a role asks first: who loses what, where. Done when it is removed or there is none. */
static int remove_confirm(struct web_req *r, struct web_resp *w, bool *asked, struct purpose_err *err)
{
    *asked = false;
    char kind[16] = "";
    const char *where = web_field(r, "where"), *colon = strchr(where, ':');
    if (!colon || (size_t)(colon - where) >= sizeof kind)
        return 0; /* the action names the field */
    memcpy(kind, where, (size_t)(colon - where));
    struct store_user u;
    struct store_grant_list gl;
    if (store_user_get(r->ctx->store, r->id, &u, err) < 0)
        return 0; /* the action answers it */
    if (store_grant_list(r->ctx->store, r->id, &gl, err) < 0) {
        store_user_release(&u);
        return -1;
    }
    bool programme = strcmp(kind, "programme") == 0;
    for (size_t i = 0; i < gl.n && !*asked; i++) {
        const struct store_grant *g = &gl.items[i];
        if ((g->scope == STORE_SCOPE_PROGRAMME) != programme || !g->scope_slug || strcmp(g->scope_slug, colon + 1) != 0)
            continue;
        char title[2 * STORE_NAME_MAX + 40], loses[STORE_NAME_MAX + 80], action[64];
        snprintf(title, sizeof title, "Remove the role of %s in %s?", u.display_name, g->scope_name ? g->scope_name : "");
        snprintf(loses, sizeof loses, "%s loses the %s role there at once", u.display_name, store_role_name(g->role));
        snprintf(action, sizeof action, "/admin/users/%lld/roles", (long long)r->id);
        const char *const lines[] = {loses, "their home organisation's role stays"};
        const char *const hidden[] = {"where", where, "role", "none"};
        web_confirm_page(r, w, &(struct web_confirm){.title = title, .action = action, .button = "Remove the role",
                                                     .cancel = action, .intro = "Removing it:", .goes = lines,
                                                     .ngoes = 2, .hidden = hidden, .nhidden = 2,
                                                     .undo = "An admin can give the role again."});
        *asked = true;
    }
    store_grant_list_release(&gl);
    store_user_release(&u);
    return 0;
}

/* The route's confirmation (web_route.confirm): "No role" for a role held asks first; giving one
 * does not. */
static int remove_ask(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    bool asked = false;
    if (strcmp(web_field(r, "role"), "none") != 0)
        return 1;
    if (remove_confirm(r, w, &asked, err) < 0)
        return -1;
    return asked ? 0 : 1;
}

static int grant_save_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &grant_page, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/admin/users/{id}/roles", .role = ROLE_ADMIN, .handler = grants_page},
    {.method = "POST", .path = "/admin/users/{id}/roles", .role = ROLE_ADMIN, .handler = grant_save_page, .confirm = remove_ask},
    {.method = "GET", .path = "/api/v1/users/{id}/roles", .role = ROLE_ADMIN, .kind = WEB_API, .handler = grants_api},
    {.method = "PUT", .path = "/api/v1/users/{id}/roles", .role = ROLE_ADMIN, .kind = WEB_API, .handler = grant_put_api},
};

WEB_FEATURE_ROUTES(web_grants, routes);
