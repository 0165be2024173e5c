/* API tokens (admins): the list, creating one (the secret is shown once), revoking it after a
 * confirmation; both actions declared once for the page and the API (action.h). */
#include <stdio.h>
#include <string.h>

#include "web/action.h"
#include "web/confirm.h"
#include "web/kit.h"
#include "core/banned.h"

#define B (&w->body)

/* user_id is a field of the request: a user that does not exist is the caller's input to fix,
 * whichever kind the store gives it. */
static int user_in_body(struct purpose_err *err)
{
    if (strcmp(err->field, "user_id") == 0 && err->kind == PURPOSE_ERR_NOT_FOUND)
        err->kind = PURPOSE_ERR_INPUT;
    return -1;
}

static void token_row(struct web_resp *w, const struct store_token *t)
{
    kit_row_open(w);
    kit_cell(w, t->name);
    kit_cell(w, t->username);
    kit_cell_code(w, t->prefix);
    kit_cell_open(w);
    html_date(B, t->created_at);
    kit_cell_close(w);
    kit_cell_open(w);
    if (t->revoked_at) {
        kit_tag(w, "Revoked", "grey");
    } else {
        char action[64], hidden[STORE_NAME_MAX + 2];
        snprintf(action, sizeof action, "/admin/tokens/%lld/revoke", (long long)t->id);
        snprintf(hidden, sizeof hidden, " %s", t->name);
        kit_link(w, action, "Revoke", hidden);
    }
    kit_cell_close(w);
    kit_row_close(w);
}

/* chosen: the user picked before (0: the admin themself). */
static void user_select(struct web_req *r, struct web_resp *w, const struct purpose_err *fe,
                        const struct store_user_list *ul, int64_t chosen)
{
    kit_select_open(w, fe, &(struct kit_field){.name = "user_id", .label = "Acts as"});
    for (size_t i = 0; i < ul->n; i++) {
        const struct store_user *u = &ul->items[i];
        char value[24], label[STORE_USERNAME_MAX + 16];
        if (u->disabled)
            continue;
        snprintf(value, sizeof value, "%lld", (long long)u->id);
        snprintf(label, sizeof label, "%s (%s)", u->username, store_role_name(u->role));
        kit_select_option(w, value, label, u->id == (chosen ? chosen : r->user.id));
    }
    kit_select_close(w);
}

static int tokens_page(struct web_req *r, struct web_resp *w, const struct purpose_err *fe, const char *new_token,
                       int64_t chosen, struct purpose_err *err)
{
    struct store_token_list tl;
    struct store_user_list ul;
    if (store_token_list(r->ctx->store, &tl, err) < 0)
        return -1;
    if (store_user_list(r->ctx->store, &ul, err) < 0) {
        store_token_list_release(&tl);
        return -1;
    }
    html_begin(r, w, "API tokens");
    kit_error_summary(w, fe);
    buf_puts(B, "<h1>API tokens</h1><p>A token lets a program use the JSON API as a user. "
                "Send it as <code>Authorization: Bearer TOKEN</code>.</p>");
    if (new_token)
        kit_inset(w, "New token: ", new_token, "new-token", " Copy it now: it is shown only this once.");
    static const char *const heads[] = {"Name", "User", "Starts with", "Created", "Status"};
    kit_table_open(w, "Tokens", heads, 5, NULL);
    for (size_t i = 0; i < tl.n; i++)
        token_row(w, &tl.items[i]);
    kit_table_close(w);
    buf_puts(B, "<h2>Create a token</h2>");
    kit_form_open(r, w, "/admin/tokens");
    kit_input(w, fe, &(struct kit_field){.name = "name", .label = "Name", .autocomplete = "off",
                                         .value = fe ? web_field(r, "name") : NULL,
                                         .hint = "What will use it, for example: board report"});
    user_select(r, w, fe, &ul, chosen);
    kit_button(w, "Create token", false);
    kit_form_close(w);
    html_end(r, w);
    store_token_list_release(&tl);
    store_user_list_release(&ul);
    return 0;
}

static int list_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return tokens_page(r, w, NULL, NULL, 0, err);
}

/* GET /admin/tokens/{id}/revoke: who the token acts as, and that programs using it stop working. */
static int revoke_confirm(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_token_list tl;
    if (store_token_list(r->ctx->store, &tl, err) < 0)
        return -1;
    const struct store_token *t = NULL;
    for (size_t i = 0; i < tl.n && !t; i++)
        if (tl.items[i].id == r->id && !tl.items[i].revoked_at)
            t = &tl.items[i];
    if (!t) {
        store_token_list_release(&tl);
        purpose_errk(err, PURPOSE_ERR_NOT_FOUND, "id", "no such token, or it is revoked already");
        return web_page_fail(r, w, err);
    }
    char title[STORE_NAME_MAX + 40], acts[STORE_USERNAME_MAX + 80], action[64];
    snprintf(title, sizeof title, "Revoke the token %s?", t->name);
    snprintf(acts, sizeof acts, "ends the token starting %s, which acts as %s", t->prefix, t->username);
    snprintf(action, sizeof action, "/admin/tokens/%lld/revoke", (long long)t->id);
    const char *const lines[] = {acts, "stops every program using it at once"};
    web_confirm_page(r, w, &(struct web_confirm){.title = title, .action = action, .button = "Revoke the token",
                                                 .cancel = "/admin/tokens", .intro = "Revoking it:", .goes = lines,
                                                 .ngoes = 2});
    store_token_list_release(&tl);
    return 0;
}

static json_t *token_json(const struct store_token *t)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:b}", "id", (json_int_t)t->id, "user_id", (json_int_t)t->user_id,
                     "username", t->username, "name", t->name, "prefix", t->prefix, "created_at",
                     (json_int_t)t->created_at, "revoked", t->revoked_at != 0);
}

/* ---- the actions (action.h) --------------------------------------------------------------------- */

static const struct web_afield create_fields[] = {
    {.name = "name", .required = true, .max = STORE_NAME_MAX},
    {.name = "user_id", .kind = WEB_F_INT, .min = 0, .max = INT64_MAX / 2}, /* 0: the admin themself */
};

static int create(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                  struct purpose_err *err)
{
    int64_t uid = web_in_i(in, "user_id");
    if (web_auth_token_create(r, uid ? uid : r->user.id, web_in_s(in, "name"), out->secret, &out->id, err) < 0)
        return user_in_body(err);
    return 0;
}

static int create_form(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                       const struct purpose_err *fe, struct purpose_err *err)
{
    return tokens_page(r, w, fe, NULL, web_in_i(in, "user_id"), err);
}

/* The list again, with the new token shown this once. */
static int created_page(struct web_req *r, struct web_resp *w, const struct web_action_out *out,
                        struct purpose_err *err)
{
    return tokens_page(r, w, NULL, out->secret, 0, err);
}

/* The new token as the list shows it, with the token itself this once. */
static int created_json(struct web_req *r, struct web_resp *w, const struct web_action_out *out, int status,
                        struct purpose_err *err)
{
    struct store_token_list tl;
    if (store_token_list(r->ctx->store, &tl, err) < 0)
        return -1;
    json_t *j = NULL;
    for (size_t i = 0; i < tl.n && !j; i++)
        if (tl.items[i].id == out->id)
            j = token_json(&tl.items[i]);
    store_token_list_release(&tl);
    if (!j)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "tokens: the new token is not listed");
    web_jset(&j, "token", json_string(out->secret));
    web_json(w, status, j);
    return 0;
}

static const struct web_action token_create = {.fields = create_fields, .nfields = 2, .run = create,
                                               .form = create_form, .made = created_page,
                                               .answer_made = created_json, .api_status = 201};

static int revoke(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                  struct purpose_err *err)
{
    (void)in;
    (void)out;
    struct store_actor by = web_actor(r);
    if (store_token_revoke(r->ctx->store, &by, r->id, err) == 0)
        return 0;
    /* A page pressed twice finds it revoked already: nothing is left to do. The API says 409. */
    return !r->is_api && err->kind == PURPOSE_ERR_CONFLICT ? 0 : -1;
}

static const struct web_action token_revoke = {.run = revoke, .next = "/admin/tokens", .done = "token-revoked"};

static int create_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &token_create, err);
}

static int revoke_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &token_revoke, err);
}

/* ---- API ---------------------------------------------------------------------------------------- */

static int tokens_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_token_list tl;
    if (store_token_list(r->ctx->store, &tl, err) < 0)
        return -1;
    json_t *a = json_array();
    for (size_t i = 0; i < tl.n; i++)
        web_jpush(&a, token_json(&tl.items[i]));
    store_token_list_release(&tl);
    web_json(w, 200, json_pack("{s:o}", "tokens", a));
    return 0;
}

static int create_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &token_create, err);
}

static int delete_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &token_revoke, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/admin/tokens", .role = ROLE_ADMIN, .handler = list_page},
    {.method = "POST", .path = "/admin/tokens", .role = ROLE_ADMIN, .handler = create_page},
    {.method = "GET", .path = "/admin/tokens/{id}/revoke", .role = ROLE_ADMIN, .handler = revoke_confirm},
    {.method = "POST", .path = "/admin/tokens/{id}/revoke", .role = ROLE_ADMIN, .handler = revoke_page, .confirm = revoke_confirm},
    {.method = "GET", .path = "/api/v1/tokens", .role = ROLE_ADMIN, .kind = WEB_API, .handler = tokens_api},
    {.method = "POST", .path = "/api/v1/tokens", .role = ROLE_ADMIN, .kind = WEB_API, .handler = create_api},
    {.method = "DELETE", .path = "/api/v1/tokens/{id}", .role = ROLE_ADMIN, .kind = WEB_API, .handler = delete_api},
};

static const struct web_nav nav[] = {
    {.href = "/admin/tokens", .label = "API tokens", .rank = 60},
};

WEB_FEATURE(web_tokens, routes, nav);
