/* Signing in and out, and your own account (page and GET /api/v1/me). */
#include <stdio.h>
#include <string.h>

#include "web/kit.h"
#include "core/banned.h"

#define B (&w->body)

/* Only a local path may follow sign-in: no scheme, no "//host". */
const char *web_safe_next(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > 300)
        return "/";
    for (const char *p = next; *p; p++)
        if ((unsigned char)*p < 0x20)
            return "/";
    return next;
}

static void sign_in_form(struct web_req *r, struct web_resp *w, const char *username, const char *next,
                         const struct purpose_err *fe)
{
    web_auth_presession(r);
    html_begin(r, w, "Sign in");
    kit_narrow_open(w);
    kit_error_summary(w, fe);
    buf_puts(B, "<h1>Sign in</h1><p>Sign in with the username and password your administrator gave you.</p>");
    kit_form_open(r, w, "/sign-in");
    kit_hidden(w, "next", web_safe_next(next));
    kit_input(w, fe, &(struct kit_field){.name = "username", .label = "Username", .value = username,
                                         .autocomplete = "username"});
    kit_input(w, fe, &(struct kit_field){.name = "password", .label = "Password", .type = "password",
                                         .autocomplete = "current-password"});
    kit_button(w, "Sign in", false);
    kit_form_close(w);
    kit_narrow_close(w);
    html_end(r, w);
}

static int sign_in_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    (void)err;
    char next[320];
    if (web_query_get(r, "next", next, sizeof next) < 0)
        next[0] = '\0';
    if (r->role >= ROLE_CONTRIBUTOR) {
        web_redirect(w, web_safe_next(next));
        return 0;
    }
    sign_in_form(r, w, NULL, next, NULL);
    return 0;
}

/* After signing in: where the person was going, else where their work is (web_home_href), so that
 * someone of another organisation never lands on the first organisation's home as a contributor. */
static int land(struct web_req *r, struct web_resp *w, const char *username, const char *next,
                struct purpose_err *err)
{
    char home[160];
    struct store_user u;
    if (strcmp(next, "/") != 0 || store_user_find(r->ctx->store, username, &u, err) < 0) {
        web_redirect(w, next);
        return 0; /* the session is made: a lookup failing here only loses the better landing */
    }
    int rc = web_home_href(r, &u, home, sizeof home, err);
    store_user_release(&u);
    web_redirect(w, rc == 0 ? home : next);
    return 0;
}

/* Not an action of the skeleton (action.h), on purpose: what it does is the session, set as cookies
 * on the answer (run has no answer to set them on); a wrong password is 401 and a throttled one 429,
 * statuses no error kind gives; it stops at the first missing field and then says only "the username
 * or password is not right", never which (someone guessing learns no more); and it refuses a
 * cross-site POST before anything (login CSRF). Signing out below, likewise, is the cookies only. */
static int sign_in_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const char *username = web_field(r, "username"), *password = web_field(r, "password");
    const char *next = web_safe_next(web_form_get(&r->form, "next"));
    struct purpose_err fe = {0};
    if (web_cross_site_post(r)) { /* login CSRF with a cookie fetched from /sign-in and planted */
        html_error_page(r, w, 403, "Sign in from this site's own sign-in page.");
        return 0;
    }
    if (!*username)
        purpose_errk(&fe, PURPOSE_ERR_INPUT, "username", "Enter your username");
    else if (!*password)
        purpose_errk(&fe, PURPOSE_ERR_INPUT, "password", "Enter your password");
    else if (strlen(username) > STORE_USERNAME_MAX || strlen(password) > SECRET_PASSWORD_MAX)
        purpose_errk(&fe, PURPOSE_ERR_INPUT, "username", "The username or password is not right");
    if (fe.msg[0]) {
        sign_in_form(r, w, username, next, &fe);
        w->status = 400;
        return 0;
    }
    switch (web_auth_sign_in(r, w, username, password, err)) {
    case 0:
        return land(r, w, username, next, err);
    case 1:
        purpose_errk(&fe, PURPOSE_ERR_INPUT, "username", "The username or password is not right");
        sign_in_form(r, w, username, next, &fe);
        w->status = 401;
        return 0;
    case 2:
        html_error_page(r, w, 429, "There have been too many attempts to sign in.");
        return 0;
    default:
        return -1;
    }
}

static int sign_out_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    if (web_auth_sign_out(r, w, err) < 0)
        return -1;
    web_redirect(w, "/");
    return 0;
}

static const char *role_can(enum store_role role)
{
    switch (role) {
    case ROLE_ADMIN: return "Manage users and API tokens, read the audit log, and everything a lead can do.";
    case ROLE_LEAD: return "Edit the vision, purpose, values, themes and ambitions, and everything a member can do.";
    case ROLE_MEMBER: return "Read the internal strategy pages and the API.";
    default: return "Contribute where you are invited, and see your own account.";
    }
}

static int account_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    html_begin(r, w, "Your account");
    buf_puts(B, "<h1>Your account</h1>");
    kit_summary_open(w);
    kit_summary_row(w, "Name", r->user.display_name, NULL, NULL, NULL);
    kit_summary_row(w, "Username", r->user.username, NULL, NULL, NULL);
    kit_summary_row(w, "What you can do", role_can(r->role), NULL, NULL, NULL);
    kit_summary_close(w);
    /* where each role is held: "Role lead" alone does not say in which organisation */
    struct web_place p[WEB_PLACES_MAX];
    int n = web_places(r, &r->user, p, WEB_PLACES_MAX, err);
    if (n < 0)
        return -1;
    buf_puts(B, "<h2>Your roles</h2>");
    kit_summary_open(w);
    for (int i = 0; i < n; i++) {
        char where[STORE_NAME_MAX + 24];
        snprintf(where, sizeof where, "%s%s", p[i].name, p[i].programme ? " (programme)" : "");
        kit_summary_row(w, where, store_role_name(p[i].role), NULL, NULL, NULL);
    }
    kit_summary_close(w);
    html_end(r, w);
    return 0;
}

static int me_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    (void)err;
    json_t *j = web_user_json(&r->user);
    if (!r->via_token)
        web_jset(&j, "csrf_token", json_string(r->csrf));
    web_json(w, 200, j);
    return 0;
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/sign-in", .role = ROLE_ANON, .handler = sign_in_page},
    {.method = "POST", .path = "/sign-in", .role = ROLE_ANON, .handler = sign_in_post},
    {.method = "POST", .path = "/sign-out", .role = ROLE_CONTRIBUTOR, .handler = sign_out_post},
    {.method = "GET", .path = "/account", .role = ROLE_CONTRIBUTOR, .handler = account_page},
    {.method = "GET", .path = "/api/v1/me", .role = ROLE_CONTRIBUTOR, .kind = WEB_API, .handler = me_api},
};

static const struct web_nav nav[] = {
    {.href = "/account", .label = "Your account", .rank = 90},
    {.href = "/sign-in", .label = "Sign in", .rank = 90, .anonymous_only = true},
};

WEB_FEATURE(web_account, routes, nav);
