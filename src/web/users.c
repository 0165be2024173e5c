/* Users (admins): the list with the add form, changing a role or disabling, and the API. */
#include <stdio.h>
#include <string.h>

#include "web/confirm.h"
#include "web/kit.h"
#include "core/banned.h"

#define B (&w->body)

/* Four choices: radios, as the design system advises for a short list. */
static void role_radios(struct web_resp *w, const struct purpose_err *fe, enum store_role current)
{
    struct kit_option opt[ROLE_ADMIN];
    size_t n = 0;
    for (int i = ROLE_CONTRIBUTOR; i <= ROLE_ADMIN; i++, n++)
        opt[n] = (struct kit_option){store_role_name((enum store_role)i), store_role_name((enum store_role)i),
                                     (int)current == i};
    kit_radios(w, fe, &(struct kit_field){.name = "role", .label = "Role"}, opt, n);
}

/* Each role of u with where it is held ("lead in Northgate Ambulance Service"): the home
 * organisation's, then each grant (web_places; an administrator's page, one read per person). */
static int roles_cell(struct web_req *r, struct web_resp *w, const struct store_user *u, struct purpose_err *err)
{
    struct web_place p[WEB_PLACES_MAX];
    int n = web_places(r, u, p, WEB_PLACES_MAX, err);
    if (n < 0)
        return -1;
    kit_cell_open(w);
    for (int i = 0; i < n; i++) {
        buf_puts(B, i ? "<br>" : "");
        html_esc(B, store_role_name(p[i].role));
        buf_puts(B, " in ");
        html_esc(B, p[i].name);
        buf_puts(B, p[i].programme ? " (programme)" : "");
    }
    kit_cell_close(w);
    return 0;
}

/* The list and the add form; after an add, `created` names the new user and `password` is the
 * generated password (shown once), if one was generated. */
static int users_page(struct web_req *r, struct web_resp *w, const struct purpose_err *fe, const char *created,
                      const char *password, struct purpose_err *err)
{
    struct store_user_list ul;
    if (store_user_list(r->ctx->store, &ul, err) < 0)
        return -1;
    html_begin(r, w, "Users");
    kit_error_summary(w, fe);
    buf_puts(B, "<h1>Users</h1>");
    if (created) {
        char text[STORE_USERNAME_MAX + 64];
        snprintf(text, sizeof text, password ? "Added %s. Their password is " : "Added %s", created);
        kit_inset(w, text, password, NULL, password ? ". It is shown only this once." : NULL);
    }
    static const char *const heads[] = {"Username", "Name", "Roles", "Status", "Action"};
    kit_table_open(w, "People who can sign in", heads, 5, NULL);
    for (size_t i = 0; i < ul.n; i++) {
        const struct store_user *u = &ul.items[i];
        char href[64], hidden[STORE_USERNAME_MAX + 2];
        snprintf(href, sizeof href, "/admin/users/%lld/edit", (long long)u->id);
        snprintf(hidden, sizeof hidden, " %s", u->username);
        kit_row_open(w);
        kit_cell(w, u->username);
        kit_cell(w, u->display_name);
        if (roles_cell(r, w, u, err) < 0) {
            store_user_list_release(&ul);
            return -1;
        }
        kit_cell_open(w);
        kit_tag(w, u->disabled ? "Disabled" : "Active", u->disabled ? "grey" : "green");
        kit_cell_close(w);
        kit_cell_open(w);
        kit_link(w, href, "Change", hidden);
        kit_cell_close(w);
        kit_row_close(w);
    }
    kit_table_close(w);
    store_user_list_release(&ul);
    buf_puts(B, "<h2>Add a user</h2>");
    kit_form_open(r, w, "/admin/users");
    kit_input(w, fe, &(struct kit_field){.name = "username", .label = "Username", .autocomplete = "off",
                                         .value = fe ? web_field(r, "username") : NULL,
                                         .hint = "Letters, digits and . - _ @"});
    kit_input(w, fe, &(struct kit_field){.name = "display_name", .label = "Full name", .autocomplete = "off",
                                         .value = fe ? web_field(r, "display_name") : NULL});
    role_radios(w, fe, ROLE_MEMBER);
    kit_input(w, fe, &(struct kit_field){.name = "password", .label = "Password (optional)", .type = "password",
                                         .autocomplete = "new-password",
                                         .hint = "Leave empty to generate one. At least 10 characters."});
    kit_button(w, "Add user", false);
    kit_form_close(w);
    html_end(r, w);
    return 0;
}

static int list_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return users_page(r, w, NULL, NULL, NULL, err);
}

/* Checks done here rather than by the store: they come before hashing the password, which is
 * slow on purpose. The field is the one this code passes, not read from the message. */
static int check(int rc, const char *field, struct purpose_err *err)
{
    if (rc < 0 && !err->field[0])
        snprintf(err->field, sizeof err->field, "%s", field);
    return rc;
}

/* Adds a user; `generated` receives the password when none was given. */
static int add_user(struct web_req *r, const char *username, const char *name, const char *role_s,
                    const char *password, char generated[20], int64_t *id, struct purpose_err *err)
{
    char hash[SECRET_HASH_MAX];
    int role = store_role_parse(role_s ? role_s : "");
    generated[0] = '\0';
    if (role < 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "role", "role: must be contributor, member, lead or admin");
    if (check(store_check_username(username, err), "username", err) < 0 ||
        check(store_check_text("display_name", name, STORE_NAME_MAX, true, err), "display_name", err) < 0 ||
        (password && *password && check(secret_check_password(password, err), "password", err) < 0))
        return -1;
    if (!password || !*password) {
        secret_random_password(generated, 16);
        password = generated;
    }
    if (secret_hash_password(password, hash, err) < 0) {
        err->kind = PURPOSE_ERR_INTERNAL;
        return -1;
    }
    struct store_actor by = web_actor(r);
    return store_user_add(r->ctx->store, &by, r->org.id, username, name, (enum store_role)role, hash, id, err);
}

static int create_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const char *username = web_field(r, "username");
    char generated[20];
    if (add_user(r, username, web_field(r, "display_name"), web_field(r, "role"), web_field(r, "password"),
                 generated, NULL, err) < 0) {
        if (!web_err_in_form(err))
            return web_page_fail(r, w, err);
        struct purpose_err fe = *err;
        if (users_page(r, w, &fe, NULL, NULL, err) < 0)
            return -1;
        w->status = web_err_status(fe.kind);
        return 0;
    }
    return users_page(r, w, NULL, username, generated[0] ? generated : NULL, err);
}

static void user_form(struct web_req *r, struct web_resp *w, const struct store_user *u, const struct purpose_err *fe)
{
    char action[64];
    snprintf(action, sizeof action, "/admin/users/%lld/edit", (long long)u->id);
    html_begin(r, w, "Change a user");
    kit_narrow_open(w);
    kit_back_link(w, "/admin/users", "Back to users");
    kit_error_summary(w, fe);
    buf_puts(B, "<h1>Change ");
    html_esc(B, u->display_name);
    buf_puts(B, "</h1>");
    kit_form_open(r, w, action);
    role_radios(w, fe, u->role);
    kit_checkbox(w, "disabled", "yes", "Disabled: cannot sign in, and their API tokens are revoked", u->disabled);
    kit_button(w, "Save", false);
    kit_form_close(w);
    snprintf(action, sizeof action, "/admin/users/%lld/roles", (long long)u->id);
    buf_puts(B, "<p>");
    kit_link(w, action, "Roles in other organisations and programmes", NULL);
    buf_puts(B, "</p>");
    kit_narrow_close(w);
    html_end(r, w);
}

static int edit_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_user u;
    if (store_user_get(r->ctx->store, r->id, &u, err) < 0)
        return web_page_fail(r, w, err);
    user_form(r, w, &u, NULL);
    store_user_release(&u);
    return 0;
}

/* Changes user u; an admin may not take away their own admin role or disable themselves. */
static int update_user(struct web_req *r, const struct store_user *u, enum store_role role, bool disabled,
                       struct purpose_err *err)
{
    if (u->id == r->user.id && (role != ROLE_ADMIN || disabled))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "role",
                            "role: you cannot remove your own admin role or disable yourself");
    struct store_actor by = web_actor(r);
    return store_user_update(r->ctx->store, &by, u->id, role, disabled, err);
}

/* Disabling a user, the first step: what it does, and the form's fields posted again with confirm=yes. */
static void disable_confirm(struct web_req *r, struct web_resp *w, const struct store_user *u)
{
    char title[STORE_NAME_MAX + 40], action[64], cancel[64];
    snprintf(title, sizeof title, "Disable %s?", u->display_name);
    snprintf(action, sizeof action, "/admin/users/%lld/edit", (long long)u->id);
    snprintf(cancel, sizeof cancel, "/admin/users/%lld/edit", (long long)u->id);
    const char *const lines[] = {"stops them signing in", "ends their sessions at once", "revokes their API tokens"};
    const char *const hidden[] = {"role", web_field(r, "role"), "disabled", "yes", "confirm", "yes"};
    web_confirm_page(r, w, &(struct web_confirm){.title = title, .action = action, .button = "Disable the user",
                                                 .cancel = cancel, .intro = "Disabling them:", .goes = lines,
                                                 .ngoes = 3, .hidden = hidden, .nhidden = 3,
                                                 .undo = "An admin can enable them again; their tokens stay revoked."});
}

static int save_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_user u;
    if (store_user_get(r->ctx->store, r->id, &u, err) < 0)
        return web_page_fail(r, w, err);
    int role = store_role_parse(web_field(r, "role"));
    bool disable = strcmp(web_field(r, "disabled"), "yes") == 0;
    if (role >= 0 && disable && !u.disabled && u.id != r->user.id && strcmp(web_field(r, "confirm"), "yes") != 0) {
        disable_confirm(r, w, &u);
        store_user_release(&u);
        return 0;
    }
    int rc = role < 0 ? purpose_errk(err, PURPOSE_ERR_INPUT, "role", "role: choose contributor, member, lead or admin")
                      : update_user(r, &u, (enum store_role)role, disable, err);
    if (rc == 0)
        web_redirect(w, disable && !u.disabled ? "/admin/users?done=user-disabled" : "/admin/users");
    else if (web_err_in_form(err)) {
        user_form(r, w, &u, err);
        w->status = web_err_status(err->kind);
        rc = 0;
    } else
        rc = web_page_fail(r, w, err);
    store_user_release(&u);
    return rc;
}

/* ---- API ---------------------------------------------------------------------------------------- */

json_t *web_user_json(const struct store_user *u)
{
    return json_pack("{s:I, s:s, s:s, s:I, s:s, s:b, s:I}", "id", (json_int_t)u->id, "username", u->username,
                     "display_name", u->display_name, "home_org_id", (json_int_t)u->home_org_id, "role",
                     store_role_name(u->role), "disabled", u->disabled, "created_at", (json_int_t)u->created_at);
}

static int user_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, const char *password,
                       struct purpose_err *err)
{
    struct store_user u;
    if (store_user_get(r->ctx->store, id, &u, err) < 0)
        return web_api_fail(w, err);
    json_t *j = web_user_json(&u);
    store_user_release(&u);
    if (j && password)
        web_jset(&j, "password", json_string(password));
    web_json(w, status, j);
    return 0;
}

static int users_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_user_list ul;
    if (store_user_list(r->ctx->store, &ul, err) < 0)
        return -1;
    json_t *a = json_array();
    for (size_t i = 0; i < ul.n; i++)
        web_jpush(&a, web_user_json(&ul.items[i]));
    store_user_list_release(&ul);
    web_json(w, 200, json_pack("{s:o}", "users", a));
    return 0;
}

static int create_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const char *username, *name, *role_s, *password;
    char generated[20];
    int64_t id;
    if (web_jstr(r, "username", true, &username, err) < 0 || web_jstr(r, "display_name", true, &name, err) < 0 ||
        web_jstr(r, "role", true, &role_s, err) < 0 || web_jstr(r, "password", false, &password, err) < 0 ||
        add_user(r, username, name, role_s, password, generated, &id, err) < 0)
        return web_api_fail(w, err);
    return user_answer(r, w, id, 201, generated[0] ? generated : NULL, err);
}

static int patch_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const char *role_s;
    struct store_user u;
    if (web_jstr(r, "role", false, &role_s, err) < 0)
        return web_api_fail(w, err);
    json_t *dis = r->json ? json_object_get(r->json, "disabled") : NULL;
    if (dis && !json_is_boolean(dis)) {
        purpose_errk(err, PURPOSE_ERR_INPUT, "disabled", "disabled: must be true or false");
        return web_api_fail(w, err);
    }
    int role = role_s ? store_role_parse(role_s) : 0;
    if (role < 0) {
        purpose_errk(err, PURPOSE_ERR_INPUT, "role", "role: must be contributor, member, lead or admin");
        return web_api_fail(w, err);
    }
    if (store_user_get(r->ctx->store, r->id, &u, err) < 0)
        return web_api_fail(w, err);
    int rc = update_user(r, &u, role_s ? (enum store_role)role : u.role, dis ? json_is_true(dis) : u.disabled, err);
    store_user_release(&u);
    if (rc < 0)
        return web_api_fail(w, err);
    return user_answer(r, w, r->id, 200, NULL, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/admin/users", .role = ROLE_ADMIN, .handler = list_page},
    {.method = "POST", .path = "/admin/users", .role = ROLE_ADMIN, .handler = create_page},
    {.method = "GET", .path = "/admin/users/{id}/edit", .role = ROLE_ADMIN, .handler = edit_page},
    {.method = "POST", .path = "/admin/users/{id}/edit", .role = ROLE_ADMIN, .handler = save_page},
    {.method = "GET", .path = "/api/v1/users", .role = ROLE_ADMIN, .kind = WEB_API, .handler = users_api},
    {.method = "POST", .path = "/api/v1/users", .role = ROLE_ADMIN, .kind = WEB_API, .handler = create_api},
    {.method = "PATCH", .path = "/api/v1/users/{id}", .role = ROLE_ADMIN, .kind = WEB_API, .handler = patch_api},
};

static const struct web_nav nav[] = {
    {.href = "/admin/users", .label = "Users", .rank = 50},
};

WEB_FEATURE(web_users, routes, nav);
