/* Users (admins): the list with the add form, changing a role or disabling (after a confirmation),
 * and the API; adding and changing are actions declared once for the page and the API (action.h). */
#include <stdio.h>
#include <string.h>

#include "web/action.h"
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

/* ---- the actions (action.h) --------------------------------------------------------------------- */

/* Checked before the password is hashed (slow on purpose), each on its own field. */
static int username_check(const char *name, const char *s, struct purpose_err *err)
{
    if (store_check_username(s, err) == 0)
        return 0;
    snprintf(err->field, sizeof err->field, "%s", name);
    return -1;
}

static int role_check(const char *name, const char *s, struct purpose_err *err)
{
    if (store_role_parse(s) >= 0)
        return 0;
    return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s: must be contributor, member, lead or admin", name);
}

static int password_check(const char *name, const char *s, struct purpose_err *err)
{
    if (secret_check_password(s, err) == 0)
        return 0;
    snprintf(err->field, sizeof err->field, "%s", name);
    return -1;
}

static const struct web_afield add_fields[] = {
    {.name = "username", .required = true, .check = username_check},
    {.name = "display_name", .required = true, .max = STORE_NAME_MAX},
    {.name = "role", .required = true, .check = role_check},
    {.name = "password", .check = password_check}, /* empty: one is generated, shown once */
};

static int add(struct web_req *r, const struct web_action_in *in, struct web_action_out *out, struct purpose_err *err)
{
    char hash[SECRET_HASH_MAX];
    const char *password = web_in_s(in, "password");
    if (!password || !*password) {
        secret_random_password(out->secret, 16);
        password = out->secret;
    }
    if (secret_hash_password(password, hash, err) < 0) {
        err->kind = PURPOSE_ERR_INTERNAL;
        return -1;
    }
    struct store_actor by = web_actor(r);
    return store_user_add(r->ctx->store, &by, r->org.id, web_in_s(in, "username"), web_in_s(in, "display_name"),
                          (enum store_role)store_role_parse(web_in_s(in, "role")), hash, &out->id, err);
}

static int add_form(struct web_req *r, struct web_resp *w, const struct web_action_in *in, const struct purpose_err *fe,
                    struct purpose_err *err)
{
    (void)in;
    return users_page(r, w, fe, NULL, NULL, err);
}

/* The list again, saying who was added and the generated password, this once. */
static int added_page(struct web_req *r, struct web_resp *w, const struct web_action_out *out, struct purpose_err *err)
{
    struct store_user u;
    if (store_user_get(r->ctx->store, out->id, &u, err) < 0)
        return -1;
    int rc = users_page(r, w, NULL, u.username, out->secret[0] ? out->secret : NULL, err);
    store_user_release(&u);
    return rc;
}

static int user_answer(struct web_req *r, struct web_resp *w, const struct web_action_out *out, int status,
                       struct purpose_err *err);

static const struct web_action user_add = {.fields = add_fields, .nfields = 4, .run = add, .form = add_form,
                                           .made = added_page, .answer_made = user_answer, .api_status = 201};

static int create_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &user_add, err);
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


static const struct web_afield change_fields[] = {
    {.name = "role", .check = role_check}, /* absent from JSON: as it is */
    {.name = "disabled", .kind = WEB_F_BOOL},
};

/* Changes user {id}; an admin may not take away their own admin role or disable themselves. */
static int change(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                  struct purpose_err *err)
{
    struct store_user u;
    if (store_user_get(r->ctx->store, r->id, &u, err) < 0)
        return -1;
    const char *role_s = web_in_s(in, "role");
    enum store_role role = role_s && role_s[0] ? (enum store_role)store_role_parse(role_s) : u.role;
    long long dis = web_in_i(in, "disabled");
    bool disabled = dis < 0 ? u.disabled : dis == 1, was = u.disabled, self = u.id == r->user.id;
    store_user_release(&u);
    if (self && (role != ROLE_ADMIN || disabled))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "role",
                            "role: you cannot remove your own admin role or disable yourself");
    if (disabled && !was)
        snprintf(out->next, sizeof out->next, "/admin/users?done=user-disabled");
    struct store_actor by = web_actor(r);
    return store_user_update(r->ctx->store, &by, r->id, role, disabled, err);
}

static int change_form(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                       const struct purpose_err *fe, struct purpose_err *err)
{
    (void)in;
    struct store_user u;
    if (store_user_get(r->ctx->store, r->id, &u, err) < 0)
        return web_page_fail(r, w, err);
    user_form(r, w, &u, fe);
    store_user_release(&u);
    return 0;
}

static int edit_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return change_form(r, w, NULL, NULL, err);
}

static int user_answer_id(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err);

static const struct web_action user_change = {.fields = change_fields, .nfields = 2, .run = change,
                                              .form = change_form, .next = "/admin/users",
                                              .answer = user_answer_id};

/* Disabling a user, the first step: what it does, and the form's fields posted again with confirm=yes. */
static void disable_confirm(struct web_req *r, struct web_resp *w, const struct store_user *u)
{
    char title[STORE_NAME_MAX + 40], action[64], cancel[64];
    snprintf(title, sizeof title, "Disable %s?", u->display_name);
    snprintf(action, sizeof action, "/admin/users/%lld/edit", (long long)u->id);
    snprintf(cancel, sizeof cancel, "/admin/users/%lld/edit", (long long)u->id);
    const char *const lines[] = {"stops them signing in", "ends their sessions at once", "revokes their API tokens"};
    const char *const hidden[] = {"role", web_field(r, "role"), "disabled", "yes"};
    web_confirm_page(r, w, &(struct web_confirm){.title = title, .action = action, .button = "Disable the user",
                                                 .cancel = cancel, .intro = "Disabling them:", .goes = lines,
                                                 .ngoes = 3, .hidden = hidden, .nhidden = 2,
                                                 .undo = "An admin can enable them again; their tokens stay revoked."});
}

/* The route's confirmation (web_route.confirm): disabling someone else asks first; any other change
 * is the action's at once. */
static int disable_ask(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    if (store_role_parse(web_field(r, "role")) < 0 || !web_field(r, "disabled")[0] || r->id == r->user.id)
        return 1;
    struct store_user u;
    if (store_user_get(r->ctx->store, r->id, &u, err) < 0)
        return web_page_fail(r, w, err);
    bool ask = !u.disabled;
    if (ask)
        disable_confirm(r, w, &u);
    store_user_release(&u);
    return ask ? 0 : 1;
}

static int save_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &user_change, err);
}

/* ---- API ---------------------------------------------------------------------------------------- */

json_t *web_user_json(const struct store_user *u)
{
    return json_pack("{s:I, s:s, s:s, s:I, s:s, s:b, s:I}", "id", (json_int_t)u->id, "username", u->username,
                     "display_name", u->display_name, "home_org_id", (json_int_t)u->home_org_id, "role",
                     store_role_name(u->role), "disabled", u->disabled, "created_at", (json_int_t)u->created_at);
}

/* User id as the API shows it, with the generated password when there is one (shown once). */
static int user_json_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, const char *password,
                            struct purpose_err *err)
{
    struct store_user u;
    if (store_user_get(r->ctx->store, id, &u, err) < 0)
        return -1;
    json_t *j = web_user_json(&u);
    store_user_release(&u);
    if (j && password)
        web_jset(&j, "password", json_string(password));
    web_json(w, status, j);
    return 0;
}

static int user_answer(struct web_req *r, struct web_resp *w, const struct web_action_out *out, int status,
                       struct purpose_err *err)
{
    return user_json_answer(r, w, out->id, status, out->secret[0] ? out->secret : NULL, err);
}

static int user_answer_id(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    return user_json_answer(r, w, id, status, NULL, err);
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
    return web_action_api(r, w, &user_add, err);
}

static int patch_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &user_change, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/admin/users", .role = ROLE_ADMIN, .handler = list_page},
    {.method = "POST", .path = "/admin/users", .role = ROLE_ADMIN, .handler = create_page},
    {.method = "GET", .path = "/admin/users/{id}/edit", .role = ROLE_ADMIN, .handler = edit_page},
    {.method = "POST", .path = "/admin/users/{id}/edit", .role = ROLE_ADMIN, .handler = save_page, .confirm = disable_ask},
    {.method = "GET", .path = "/api/v1/users", .role = ROLE_ADMIN, .kind = WEB_API, .handler = users_api},
    {.method = "POST", .path = "/api/v1/users", .role = ROLE_ADMIN, .kind = WEB_API, .handler = create_api},
    {.method = "PATCH", .path = "/api/v1/users/{id}", .role = ROLE_ADMIN, .kind = WEB_API, .handler = patch_api},
};

static const struct web_nav nav[] = {
    {.href = "/admin/users", .label = "Users", .rank = 50},
};

WEB_FEATURE(web_users, routes, nav);
