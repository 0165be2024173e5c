/* The HTML pages. Each handler reads the store, writes the page through html_esc, and answers a
 * form with a redirect (303) on success or the same form with an NHS error summary (400). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_int.h"
#include "core/banned.h"

#define B (&w->body)

/* ---- small helpers ---------------------------------------------------------------------------- */

/* The field an error message names ("title: is required" -> "title"). */
static void err_field(const char *msg, char *out, size_t n)
{
    const char *colon = strchr(msg, ':'), *space = strchr(msg, ' ');
    size_t len = colon ? (size_t)(colon - msg) : 0;
    if (len >= n || (space && space < colon))
        len = 0;
    memcpy(out, msg, len);
    out[len] = '\0';
}

/* "target_year: must be ..." -> "Target year must be ..." for people. */
static void err_words(const char *msg, char *out, size_t n)
{
    char field[64];
    err_field(msg, field, sizeof field);
    if (!field[0]) {
        snprintf(out, n, "%s", msg);
        return;
    }
    for (char *p = field; *p; p++)
        if (*p == '_')
            *p = ' ';
    if (field[0] >= 'a' && field[0] <= 'z')
        field[0] = (char)(field[0] - 'a' + 'A');
    const char *rest = msg + strlen(field) + 1;
    while (*rest == ' ')
        rest++;
    snprintf(out, n, "%s %s", field, rest);
}

struct form_err {
    char field[64];
    char words[600];
};

static void form_err_set(struct form_err *fe, const char *msg)
{
    err_field(msg, fe->field, sizeof fe->field);
    err_words(msg, fe->words, sizeof fe->words);
}

static void error_summary(struct web_resp *w, const struct form_err *fe)
{
    if (fe && fe->words[0])
        html_error_summary(B, fe->words, fe->field[0] ? fe->field : NULL);
}

static void field_open(struct web_resp *w, const struct form_err *fe, const char *id,
                       const char *label, const char *hint)
{
    bool bad = fe && strcmp(fe->field, id) == 0;
    buf_puts(B, bad ? "<div class=\"nhsuk-form-group nhsuk-form-group--error\">"
                    : "<div class=\"nhsuk-form-group\">");
    buf_printf(B, "<label class=\"nhsuk-label\" for=\"%s\">", id);
    html_esc(B, label);
    buf_puts(B, "</label>");
    if (hint) {
        buf_printf(B, "<div class=\"nhsuk-hint\" id=\"%s-hint\">", id);
        html_esc(B, hint);
        buf_puts(B, "</div>");
    }
    if (bad) {
        buf_printf(B, "<span class=\"nhsuk-error-message\" id=\"%s-error\">"
                      "<span class=\"nhsuk-u-visually-hidden\">Error:</span> ", id);
        html_esc(B, fe->words);
        buf_puts(B, "</span>");
    }
}

static void described_by(struct web_resp *w, const struct form_err *fe, const char *id, bool hint)
{
    bool bad = fe && strcmp(fe->field, id) == 0;
    if (!hint && !bad)
        return;
    buf_puts(B, " aria-describedby=\"");
    if (hint)
        buf_printf(B, "%s-hint", id);
    if (bad)
        buf_printf(B, "%s%s-error", hint ? " " : "", id);
    buf_puts(B, "\"");
}

static void input(struct web_resp *w, const struct form_err *fe, const char *id, const char *label,
                  const char *value, const char *type, const char *autocomplete, const char *hint)
{
    field_open(w, fe, id, label, hint);
    bool bad = fe && strcmp(fe->field, id) == 0;
    buf_printf(B, "<input class=\"nhsuk-input%s\" id=\"%s\" name=\"%s\" type=\"%s\"",
               bad ? " nhsuk-input--error" : "", id, id, type);
    if (autocomplete)
        buf_printf(B, " autocomplete=\"%s\"", autocomplete);
    described_by(w, fe, id, hint != NULL);
    if (value) {
        buf_puts(B, " value=\"");
        html_esc(B, value);
        buf_puts(B, "\"");
    }
    buf_puts(B, "></div>");
}

static void textarea(struct web_resp *w, const struct form_err *fe, const char *id,
                     const char *label, const char *value, int rows, const char *hint)
{
    field_open(w, fe, id, label, hint);
    bool bad = fe && strcmp(fe->field, id) == 0;
    buf_printf(B, "<textarea class=\"nhsuk-textarea%s\" id=\"%s\" name=\"%s\" rows=\"%d\"",
               bad ? " nhsuk-textarea--error" : "", id, id, rows);
    described_by(w, fe, id, hint != NULL);
    buf_puts(B, ">");
    html_esc(B, value);
    buf_puts(B, "</textarea></div>");
}

static void role_select(struct web_resp *w, const struct form_err *fe, enum store_role current)
{
    field_open(w, fe, "role", "Role", NULL);
    buf_puts(B, "<select class=\"nhsuk-select\" id=\"role\" name=\"role\">");
    for (int i = ROLE_CONTRIBUTOR; i <= ROLE_ADMIN; i++) {
        buf_printf(B, "<option value=\"%s\"%s>%s</option>", store_role_name((enum store_role)i),
                   (int)current == i ? " selected" : "", store_role_name((enum store_role)i));
    }
    buf_puts(B, "</select></div>");
}

static void form_open(struct web_req *r, struct web_resp *w, const char *action)
{
    buf_puts(B, "<form method=\"post\" action=\"");
    html_esc(B, action);
    buf_puts(B, "\" novalidate>");
    html_csrf(r, w);
}

static void button(struct web_resp *w, const char *label, const char *extra_class)
{
    buf_printf(B, "<button class=\"nhsuk-button%s%s\" data-module=\"nhsuk-button\" type=\"submit\">",
               extra_class ? " " : "", extra_class ? extra_class : "");
    html_esc(B, label);
    buf_puts(B, "</button>");
}

static void back_link(struct web_resp *w, const char *href, const char *label)
{
    buf_puts(B, "<p><a href=\"");
    html_esc(B, href);
    buf_puts(B, "\">");
    html_esc(B, label);
    buf_puts(B, "</a></p>");
}

static const char *field(struct web_req *r, const char *name)
{
    const char *v = web_form_get(&r->form, name);
    return v ? v : "";
}

/* A whole decimal number in [min, max]; -1 if it is not one. */
static int parse_int(const char *s, long min, long max, long *out)
{
    if (!s || !*s)
        return -1;
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static void not_found(struct web_req *r, struct web_resp *w)
{
    html_error_page(r, w, 404, NULL);
}

/* ---- public pages ----------------------------------------------------------------------------- */

static int statement_text(struct web_req *r, const char *kind, char **out, struct purpose_err *err)
{
    struct store_statement s;
    *out = NULL;
    int rc = store_statement_current(r->ctx->store, kind, &s, err);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        *out = s.text;
        s.text = NULL;
        store_statement_release(&s);
    }
    return 0;
}

static void paragraphs(struct web_resp *w, const char *text, const char *cls)
{
    /* Blank lines separate paragraphs. */
    const char *p = text;
    while (p && *p) {
        const char *end = strstr(p, "\n\n");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char *part = malloc(n + 1);
        if (!part) {
            w->body.failed = true;
            return;
        }
        memcpy(part, p, n);
        part[n] = '\0';
        buf_printf(B, "<p%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
        html_esc(B, part);
        buf_puts(B, "</p>");
        free(part);
        p = end ? end + 2 : NULL;
    }
}

static int render_values(struct web_req *r, struct web_resp *w, const char *heading_tag,
                         struct purpose_err *err)
{
    struct store_value_list vl;
    if (store_value_list(r->ctx->store, &vl, err) < 0)
        return -1;
    if (vl.n == 0)
        buf_puts(B, "<p>No values have been written yet.</p>");
    buf_puts(B, "<ul class=\"nhsuk-list app-values\">");
    for (size_t i = 0; i < vl.n; i++) {
        buf_printf(B, "<li><%s class=\"nhsuk-heading-s\">", heading_tag);
        html_esc(B, vl.items[i].name);
        buf_printf(B, "</%s><p>", heading_tag);
        html_esc(B, vl.items[i].description);
        buf_puts(B, "</p></li>");
    }
    buf_puts(B, "</ul>");
    store_value_list_release(&vl);
    return 0;
}

static int render_themes(struct web_req *r, struct web_resp *w, const char *htag, bool edit,
                         struct purpose_err *err)
{
    struct store_theme_list tl;
    struct store_ambition_list al;
    if (store_load_themes(r->ctx->store, &tl, &al, err) < 0)
        return -1;
    if (tl.n == 0)
        buf_puts(B, "<p>No strategic themes have been written yet.</p>");
    for (size_t i = 0; i < tl.n; i++) {
        const struct store_theme *t = &tl.items[i];
        buf_printf(B, "<div class=\"nhsuk-card\"><div class=\"nhsuk-card__content\"><%s class=\"nhsuk-card__heading\">", htag);
        html_esc(B, t->title);
        buf_printf(B, "</%s><p class=\"nhsuk-card__description\">", htag);
        html_esc(B, t->description);
        buf_puts(B, "</p>");
        bool any = false;
        for (size_t j = 0; j < al.n; j++) {
            const struct store_ambition *a = &al.items[j];
            if (a->theme_id != t->id)
                continue;
            if (!any)
                buf_puts(B, "<ul class=\"nhsuk-list nhsuk-list--bullet\">");
            any = true;
            buf_puts(B, "<li><strong>");
            html_esc(B, a->title);
            buf_printf(B, "</strong> (by %d)", a->target_year);
            if (a->description && *a->description) {
                buf_puts(B, ": ");
                html_esc(B, a->description);
            }
            if (edit) {
                buf_printf(B, " <a href=\"/strategy/ambitions/%lld/edit\">Edit<span class=\"nhsuk-u-visually-hidden\"> ambition: ",
                           (long long)a->id);
                html_esc(B, a->title);
                buf_puts(B, "</span></a>");
            }
            buf_puts(B, "</li>");
        }
        if (any)
            buf_puts(B, "</ul>");
        if (edit) {
            buf_printf(B, "<p><a href=\"/strategy/themes/%lld/edit\">Edit theme<span class=\"nhsuk-u-visually-hidden\">: ",
                       (long long)t->id);
            html_esc(B, t->title);
            buf_printf(B, "</span></a> | <a href=\"/strategy/themes/%lld/ambitions/new\">Add an ambition<span class=\"nhsuk-u-visually-hidden\"> to ",
                       (long long)t->id);
            html_esc(B, t->title);
            buf_puts(B, "</span></a></p>");
        }
        buf_puts(B, "</div></div>");
    }
    store_theme_list_release(&tl);
    store_ambition_list_release(&al);
    return 0;
}

int page_home(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char *vision = NULL, *purpose = NULL;
    if (statement_text(r, "vision", &vision, err) < 0 || statement_text(r, "purpose", &purpose, err) < 0) {
        free(vision);
        return -1;
    }
    html_begin(r, w, "Our purpose");
    buf_puts(B, "<h1>Our purpose</h1><h2>Our vision</h2>");
    if (vision)
        paragraphs(w, vision, "nhsuk-body-l app-vision");
    else
        buf_puts(B, "<p>Our vision has not been written yet.</p>");
    buf_puts(B, "<h2>Why we exist</h2>");
    if (purpose)
        paragraphs(w, purpose, "app-purpose");
    else
        buf_puts(B, "<p>Our purpose has not been written yet.</p>");
    free(vision);
    free(purpose);
    buf_puts(B, "<h2>Our values</h2>");
    if (render_values(r, w, "h3", err) < 0)
        return -1;
    buf_puts(B, "<h2>Our strategic themes</h2>");
    if (render_themes(r, w, "h3", false, err) < 0)
        return -1;
    html_end(r, w);
    w->cacheable = r->role == ROLE_ANON;
    return 0;
}

int page_values(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    html_begin(r, w, "Our values");
    buf_puts(B, "<h1>Our values</h1><p class=\"nhsuk-lede-text\">What we stand for, and how we "
                "treat each other and the people we care for.</p>");
    if (render_values(r, w, "h2", err) < 0)
        return -1;
    html_end(r, w);
    w->cacheable = r->role == ROLE_ANON;
    return 0;
}

int page_themes(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    html_begin(r, w, "Our strategic themes");
    buf_puts(B, "<h1>Our strategic themes</h1><p class=\"nhsuk-lede-text\">Where we will focus, "
                "and the ambitions by which we will know we have succeeded.</p>");
    if (render_themes(r, w, "h2", false, err) < 0)
        return -1;
    html_end(r, w);
    w->cacheable = r->role == ROLE_ANON;
    return 0;
}

/* ---- signing in and out ----------------------------------------------------------------------- */

/* Only a local path may follow sign-in: no scheme, no "//host". */
static const char *safe_next(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > 300)
        return "/";
    for (const char *p = next; *p; p++)
        if ((unsigned char)*p < 0x20)
            return "/";
    return next;
}

static void sign_in_form(struct web_req *r, struct web_resp *w, const char *username,
                         const char *next, const struct form_err *fe)
{
    web_auth_presession(r);
    html_begin(r, w, "Sign in");
    buf_puts(B, "<div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-two-thirds\">");
    error_summary(w, fe);
    buf_puts(B, "<h1>Sign in</h1><p>Sign in with the username and password your administrator gave you.</p>");
    form_open(r, w, "/sign-in");
    buf_puts(B, "<input type=\"hidden\" name=\"next\" value=\"");
    html_esc(B, safe_next(next));
    buf_puts(B, "\">");
    input(w, fe, "username", "Username", username, "text", "username", NULL);
    input(w, fe, "password", "Password", NULL, "password", "current-password", NULL);
    button(w, "Sign in", NULL);
    buf_puts(B, "</form></div></div>");
    html_end(r, w);
}

int page_sign_in(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    (void)err;
    char next[320];
    if (web_query_get(r, "next", next, sizeof next) < 0)
        next[0] = '\0';
    if (r->role >= ROLE_CONTRIBUTOR) {
        web_redirect(w, safe_next(next));
        return 0;
    }
    sign_in_form(r, w, NULL, next, NULL);
    return 0;
}

int page_sign_in_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const char *username = field(r, "username"), *password = field(r, "password");
    const char *next = safe_next(web_form_get(&r->form, "next"));
    struct form_err fe = {{0}, {0}};
    if (!*username)
        form_err_set(&fe, "username: Enter your username");
    else if (!*password)
        form_err_set(&fe, "password: Enter your password");
    else if (strlen(username) > STORE_USERNAME_MAX || strlen(password) > SECRET_PASSWORD_MAX)
        form_err_set(&fe, "username: The username or password is not right");
    if (fe.words[0]) {
        sign_in_form(r, w, username, next, &fe);
        w->status = 400;
        return 0;
    }
    int rc = web_auth_sign_in(r, w, username, password, err);
    if (rc < 0)
        return -1;
    if (rc == 2) {
        html_error_page(r, w, 429, "There have been too many attempts to sign in.");
        return 0;
    }
    if (rc == 1) {
        snprintf(fe.field, sizeof fe.field, "username");
        snprintf(fe.words, sizeof fe.words, "The username or password is not right");
        sign_in_form(r, w, username, next, &fe);
        w->status = 401;
        return 0;
    }
    web_redirect(w, next);
    return 0;
}

int page_sign_out(struct web_req *r, struct web_resp *w, struct purpose_err *err)
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

static void summary_row(struct web_resp *w, const char *key, const char *value)
{
    buf_puts(B, "<div class=\"nhsuk-summary-list__row\"><dt class=\"nhsuk-summary-list__key\">");
    html_esc(B, key);
    buf_puts(B, "</dt><dd class=\"nhsuk-summary-list__value\">");
    html_esc(B, value);
    buf_puts(B, "</dd></div>");
}

int page_account(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    (void)err;
    html_begin(r, w, "Your account");
    buf_puts(B, "<h1>Your account</h1><dl class=\"nhsuk-summary-list\">");
    summary_row(w, "Name", r->user.display_name);
    summary_row(w, "Username", r->user.username);
    summary_row(w, "Role", store_role_name(r->role));
    summary_row(w, "What you can do", role_can(r->role));
    buf_puts(B, "</dl>");
    html_end(r, w);
    return 0;
}

/* ---- the strategy (members read, leads edit) -------------------------------------------------- */

static int render_statement_history(struct web_req *r, struct web_resp *w, const char *kind,
                                    const char *label, struct purpose_err *err)
{
    struct store_statement_list h;
    if (store_statement_history(r->ctx->store, kind, &h, err) < 0)
        return -1;
    buf_printf(B, "<h2>%s</h2>", label);
    if (h.n == 0)
        buf_puts(B, "<p>Not written yet.</p>");
    else
        paragraphs(w, h.items[0].text, "nhsuk-body-l");
    if (r->role >= ROLE_LEAD)
        buf_printf(B, "<p><a href=\"/strategy/%s/edit\">Edit the %s</a></p>", kind, kind);
    if (h.n > 1) {
        buf_printf(B, "<details class=\"nhsuk-details\"><summary class=\"nhsuk-details__summary\">"
                      "<span class=\"nhsuk-details__summary-text\">Earlier versions of the %s (%zu)</span>"
                      "</summary><div class=\"nhsuk-details__text\"><ol class=\"nhsuk-list\">", kind, h.n - 1);
        for (size_t i = 1; i < h.n; i++) {
            buf_puts(B, "<li><p>");
            html_esc(B, h.items[i].text);
            buf_puts(B, "</p><p class=\"nhsuk-body-s\">");
            html_esc(B, h.items[i].author);
            buf_puts(B, ", ");
            html_date(B, h.items[i].created_at);
            buf_puts(B, "</p></li>");
        }
        buf_puts(B, "</ol></div></details>");
    }
    store_statement_list_release(&h);
    return 0;
}

int page_strategy(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    html_begin(r, w, "Strategy");
    buf_puts(B, "<h1>Strategy</h1>");
    if (render_statement_history(r, w, "vision", "Vision", err) < 0 ||
        render_statement_history(r, w, "purpose", "Purpose", err) < 0)
        return -1;
    buf_puts(B, "<h2>Values</h2>");
    struct store_value_list vl;
    if (store_value_list(r->ctx->store, &vl, err) < 0)
        return -1;
    buf_puts(B, "<dl class=\"nhsuk-summary-list\">");
    for (size_t i = 0; i < vl.n; i++) {
        buf_puts(B, "<div class=\"nhsuk-summary-list__row\"><dt class=\"nhsuk-summary-list__key\">");
        html_esc(B, vl.items[i].name);
        buf_puts(B, "</dt><dd class=\"nhsuk-summary-list__value\">");
        html_esc(B, vl.items[i].description);
        buf_puts(B, "</dd>");
        if (r->role >= ROLE_LEAD) {
            buf_printf(B, "<dd class=\"nhsuk-summary-list__actions\"><a href=\"/strategy/values/%lld/edit\">"
                          "Change<span class=\"nhsuk-u-visually-hidden\"> ", (long long)vl.items[i].id);
            html_esc(B, vl.items[i].name);
            buf_puts(B, "</span></a></dd>");
        } else {
            buf_puts(B, "<dd class=\"nhsuk-summary-list__actions\"></dd>");
        }
        buf_puts(B, "</div>");
    }
    buf_puts(B, "</dl>");
    store_value_list_release(&vl);
    if (r->role >= ROLE_LEAD)
        buf_puts(B, "<p><a href=\"/strategy/values/new\">Add a value</a></p>");
    buf_puts(B, "<h2>Strategic themes and ambitions</h2>");
    if (render_themes(r, w, "h3", r->role >= ROLE_LEAD, err) < 0)
        return -1;
    if (r->role >= ROLE_LEAD)
        buf_puts(B, "<p><a href=\"/strategy/themes/new\">Add a theme</a></p>");
    html_end(r, w);
    return 0;
}

static void statement_form(struct web_req *r, struct web_resp *w, const char *text,
                           const struct form_err *fe)
{
    char title[64], action[64];
    snprintf(title, sizeof title, "Edit the %s", r->kind);
    snprintf(action, sizeof action, "/strategy/%s/edit", r->kind);
    html_begin(r, w, title);
    buf_puts(B, "<div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-two-thirds\">");
    error_summary(w, fe);
    buf_printf(B, "<h1>%s</h1>", title);
    form_open(r, w, action);
    textarea(w, fe, "text", strcmp(r->kind, "vision") == 0 ? "Vision statement" : "Purpose statement",
             text, 6, "Earlier versions are kept. Leave a blank line between paragraphs.");
    button(w, "Save", NULL);
    buf_puts(B, "</form>");
    back_link(w, "/strategy", "Back to strategy");
    buf_puts(B, "</div></div>");
    html_end(r, w);
}

int page_statement_edit(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char *text = NULL;
    if (statement_text(r, r->kind, &text, err) < 0)
        return -1;
    statement_form(r, w, text ? text : "", NULL);
    free(text);
    return 0;
}

int page_statement_save(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    const char *text = field(r, "text");
    if (store_statement_set(r->ctx->store, &by, r->kind, text, err) < 0) {
        if (!web_input_error(err->msg))
            return -1;
        struct form_err fe;
        form_err_set(&fe, err->msg);
        statement_form(r, w, text, &fe);
        w->status = 400;
        return 0;
    }
    web_redirect(w, "/strategy");
    return 0;
}

/* Values and themes share a form: a name (or title) and a description. */
struct named_page {
    const char *noun;       /* "value" */
    const char *name_field; /* "name" or "title" */
    const char *name_label;
    const char *base;       /* "/strategy/values" */
};
static const struct named_page value_page = {"value", "name", "Name", "/strategy/values"};
static const struct named_page theme_page = {"theme", "title", "Title", "/strategy/themes"};

static void named_form(struct web_req *r, struct web_resp *w, const struct named_page *np,
                       int64_t id, const char *name, const char *desc, const struct form_err *fe)
{
    char title[64], action[96];
    snprintf(title, sizeof title, id ? "Edit a %s" : "Add a %s", np->noun);
    if (id)
        snprintf(action, sizeof action, "%s/%lld/edit", np->base, (long long)id);
    else
        snprintf(action, sizeof action, "%s/new", np->base);
    html_begin(r, w, title);
    buf_puts(B, "<div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-two-thirds\">");
    error_summary(w, fe);
    buf_printf(B, "<h1>%s</h1>", title);
    form_open(r, w, action);
    input(w, fe, np->name_field, np->name_label, name, "text", NULL, NULL);
    textarea(w, fe, "description", "Description", desc, 4, NULL);
    button(w, "Save", NULL);
    buf_puts(B, "</form>");
    if (id) {
        snprintf(action, sizeof action, "%s/%lld/delete", np->base, (long long)id);
        form_open(r, w, action);
        char label[64];
        snprintf(label, sizeof label, "Delete this %s", np->noun);
        button(w, label, "nhsuk-button--secondary");
        buf_puts(B, "</form>");
    }
    back_link(w, "/strategy", "Back to strategy");
    buf_puts(B, "</div></div>");
    html_end(r, w);
}

static int named_new(struct web_req *r, struct web_resp *w, const struct named_page *np)
{
    named_form(r, w, np, 0, "", "", NULL);
    return 0;
}

static int named_post(struct web_req *r, struct web_resp *w, const struct named_page *np, bool create,
                      struct purpose_err *err)
{
    struct store *s = r->ctx->store;
    struct store_actor by = web_actor(r);
    const char *name = field(r, np->name_field), *desc = field(r, "description");
    bool is_value = np == &value_page;
    int rc;
    if (create)
        rc = is_value ? store_value_add(s, &by, name, desc, NULL, err)
                      : store_theme_add(s, &by, name, desc, NULL, err);
    else
        rc = is_value ? store_value_update(s, &by, r->id, name, desc, err)
                      : store_theme_update(s, &by, r->id, name, desc, err);
    if ((rc < 0 && err->kind == PURPOSE_ERR_NOT_FOUND)) {
        not_found(r, w);
        return 0;
    }
    if (rc < 0) {
        if (!web_input_error(err->msg))
            return -1;
        struct form_err fe;
        form_err_set(&fe, err->msg);
        named_form(r, w, np, create ? 0 : r->id, name, desc, &fe);
        w->status = 400;
        return 0;
    }
    web_redirect(w, "/strategy");
    return 0;
}

static int named_delete(struct web_req *r, struct web_resp *w, const struct named_page *np,
                        struct purpose_err *err)
{
    struct store *s = r->ctx->store;
    struct store_actor by = web_actor(r);
    int rc = np == &value_page ? store_value_delete(s, &by, r->id, err)
                               : store_theme_delete(s, &by, r->id, err);
    if ((rc < 0 && err->kind == PURPOSE_ERR_NOT_FOUND)) {
        not_found(r, w);
        return 0;
    }
    if (rc < 0)
        return -1;
    web_redirect(w, "/strategy");
    return 0;
}

static int named_edit(struct web_req *r, struct web_resp *w, const struct named_page *np,
                      struct purpose_err *err)
{
    struct store *s = r->ctx->store;
    struct store_value v = {0};
    struct store_theme t = {0};
    int rc = np == &value_page ? store_value_get(s, r->id, &v, err) : store_theme_get(s, r->id, &t, err);
    if (rc < 0 && err->kind != PURPOSE_ERR_NOT_FOUND)
        return -1;
    if (rc < 0) {
        not_found(r, w);
        return 0;
    }
    if (np == &value_page)
        named_form(r, w, np, v.id, v.name, v.description, NULL);
    else
        named_form(r, w, np, t.id, t.title, t.description, NULL);
    store_value_release(&v);
    store_theme_release(&t);
    return 0;
}

int page_value_new(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    (void)err;
    return named_new(r, w, &value_page);
}
int page_value_create(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return named_post(r, w, &value_page, true, err);
}
int page_value_edit(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return named_edit(r, w, &value_page, err);
}
int page_value_save(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return named_post(r, w, &value_page, false, err);
}
int page_value_delete(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return named_delete(r, w, &value_page, err);
}
int page_theme_new(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    (void)err;
    return named_new(r, w, &theme_page);
}
int page_theme_create(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return named_post(r, w, &theme_page, true, err);
}
int page_theme_edit(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return named_edit(r, w, &theme_page, err);
}
int page_theme_save(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return named_post(r, w, &theme_page, false, err);
}
int page_theme_delete(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return named_delete(r, w, &theme_page, err);
}

/* ---- ambitions -------------------------------------------------------------------------------- */

static void ambition_form(struct web_req *r, struct web_resp *w, int64_t theme_id, int64_t id,
                          const char *title, const char *desc, const char *year,
                          const struct form_err *fe)
{
    char action[96];
    if (id)
        snprintf(action, sizeof action, "/strategy/ambitions/%lld/edit", (long long)id);
    else
        snprintf(action, sizeof action, "/strategy/themes/%lld/ambitions/new", (long long)theme_id);
    const char *heading = id ? "Edit an ambition" : "Add an ambition";
    html_begin(r, w, heading);
    buf_puts(B, "<div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-two-thirds\">");
    error_summary(w, fe);
    buf_printf(B, "<h1>%s</h1>", heading);
    form_open(r, w, action);
    input(w, fe, "title", "Title", title, "text", NULL, NULL);
    textarea(w, fe, "description", "Description", desc, 3, NULL);
    buf_puts(B, "<div class=\"app-year\">");
    input(w, fe, "target_year", "Target year", year, "text", NULL, "For example, 2028");
    buf_puts(B, "</div>");
    button(w, "Save", NULL);
    buf_puts(B, "</form>");
    if (id) {
        snprintf(action, sizeof action, "/strategy/ambitions/%lld/delete", (long long)id);
        form_open(r, w, action);
        button(w, "Delete this ambition", "nhsuk-button--secondary");
        buf_puts(B, "</form>");
    }
    back_link(w, "/strategy", "Back to strategy");
    buf_puts(B, "</div></div>");
    html_end(r, w);
}

int page_ambition_new(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_theme t;
    int rc = store_theme_get(r->ctx->store, r->id, &t, err);
    if (rc < 0 && err->kind != PURPOSE_ERR_NOT_FOUND)
        return -1;
    if (rc < 0) {
        not_found(r, w);
        return 0;
    }
    store_theme_release(&t);
    ambition_form(r, w, r->id, 0, "", "", "", NULL);
    return 0;
}

static int ambition_post(struct web_req *r, struct web_resp *w, bool create, struct purpose_err *err)
{
    struct store *s = r->ctx->store;
    struct store_actor by = web_actor(r);
    const char *title = field(r, "title"), *desc = field(r, "description"), *year_s = field(r, "target_year");
    long year = 0;
    int rc;
    if (parse_int(year_s, STORE_YEAR_MIN, STORE_YEAR_MAX, &year) < 0)
        rc = store_check_year(0, err);
    else if (create)
        rc = store_ambition_add(s, &by, r->id, title, desc, (int)year, NULL, err);
    else
        rc = store_ambition_update(s, &by, r->id, title, desc, (int)year, err);
    if ((rc < 0 && err->kind == PURPOSE_ERR_NOT_FOUND)) {
        not_found(r, w);
        return 0;
    }
    if (rc < 0) {
        if (strncmp(err->msg, "theme_id:", 9) == 0) {
            not_found(r, w);
            return 0;
        }
        if (!web_input_error(err->msg))
            return -1;
        struct form_err fe;
        form_err_set(&fe, err->msg);
        ambition_form(r, w, create ? r->id : 0, create ? 0 : r->id, title, desc, year_s, &fe);
        w->status = 400;
        return 0;
    }
    web_redirect(w, "/strategy");
    return 0;
}

int page_ambition_create(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return ambition_post(r, w, true, err);
}

int page_ambition_edit(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_ambition a;
    int rc = store_ambition_get(r->ctx->store, r->id, &a, err);
    if (rc < 0 && err->kind != PURPOSE_ERR_NOT_FOUND)
        return -1;
    if (rc < 0) {
        not_found(r, w);
        return 0;
    }
    char year[16];
    snprintf(year, sizeof year, "%d", a.target_year);
    ambition_form(r, w, a.theme_id, a.id, a.title, a.description, year, NULL);
    store_ambition_release(&a);
    return 0;
}

int page_ambition_save(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return ambition_post(r, w, false, err);
}

int page_ambition_delete(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    int rc = store_ambition_delete(r->ctx->store, &by, r->id, err);
    if ((rc < 0 && err->kind == PURPOSE_ERR_NOT_FOUND)) {
        not_found(r, w);
        return 0;
    }
    if (rc < 0)
        return -1;
    web_redirect(w, "/strategy");
    return 0;
}

/* ---- administration --------------------------------------------------------------------------- */

static int users_page(struct web_req *r, struct web_resp *w, const struct form_err *fe,
                      const char *created, const char *password, struct purpose_err *err)
{
    struct store_user_list ul;
    if (store_user_list(r->ctx->store, &ul, err) < 0)
        return -1;
    html_begin(r, w, "Users");
    error_summary(w, fe);
    buf_puts(B, "<h1>Users</h1>");
    if (created) {
        buf_puts(B, "<div class=\"nhsuk-inset-text\"><span class=\"nhsuk-u-visually-hidden\">Information: </span>"
                    "<p>Added ");
        html_esc(B, created);
        if (password) {
            buf_puts(B, ". Their password is <code class=\"app-secret\">");
            html_esc(B, password);
            buf_puts(B, "</code>. It is shown only this once.");
        }
        buf_puts(B, "</p></div>");
    }
    buf_puts(B, "<table class=\"nhsuk-table\"><caption class=\"nhsuk-table__caption\">People who can sign in</caption>"
                "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
                "<th class=\"nhsuk-table__header\" scope=\"col\">Username</th>"
                "<th class=\"nhsuk-table__header\" scope=\"col\">Name</th>"
                "<th class=\"nhsuk-table__header\" scope=\"col\">Role</th>"
                "<th class=\"nhsuk-table__header\" scope=\"col\">Status</th>"
                "<th class=\"nhsuk-table__header\" scope=\"col\">Action</th></tr></thead><tbody class=\"nhsuk-table__body\">");
    for (size_t i = 0; i < ul.n; i++) {
        const struct store_user *u = &ul.items[i];
        buf_puts(B, "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\">");
        html_esc(B, u->username);
        buf_puts(B, "</td><td class=\"nhsuk-table__cell\">");
        html_esc(B, u->display_name);
        buf_printf(B, "</td><td class=\"nhsuk-table__cell\">%s</td><td class=\"nhsuk-table__cell\">%s</td>"
                      "<td class=\"nhsuk-table__cell\"><a href=\"/admin/users/%lld/edit\">Change"
                      "<span class=\"nhsuk-u-visually-hidden\"> ",
                   store_role_name(u->role), u->disabled ? "Disabled" : "Active", (long long)u->id);
        html_esc(B, u->username);
        buf_puts(B, "</span></a></td></tr>");
    }
    buf_puts(B, "</tbody></table>");
    store_user_list_release(&ul);
    buf_puts(B, "<h2>Add a user</h2>");
    form_open(r, w, "/admin/users");
    input(w, fe, "username", "Username", fe ? field(r, "username") : NULL, "text", "off",
          "Letters, digits and . - _ @");
    input(w, fe, "display_name", "Full name", fe ? field(r, "display_name") : NULL, "text", "off", NULL);
    role_select(w, fe, ROLE_MEMBER);
    input(w, fe, "password", "Password (optional)", NULL, "password", "new-password",
          "Leave empty to generate one. At least 10 characters.");
    button(w, "Add user", NULL);
    buf_puts(B, "</form>");
    html_end(r, w);
    return 0;
}

int page_users(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return users_page(r, w, NULL, NULL, NULL, err);
}

int page_user_create(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const char *username = field(r, "username"), *name = field(r, "display_name");
    const char *password = field(r, "password");
    int role = store_role_parse(field(r, "role"));
    char generated[20], hash[SECRET_HASH_MAX];
    struct purpose_err e2 = {0};
    int rc = 0;
    if (role < 0)
        rc = purpose_errf(&e2, "role: choose contributor, member, lead or admin");
    else if (store_check_username(username, &e2) < 0 ||
             store_check_text("display_name", name, STORE_NAME_MAX, true, &e2) < 0)
        rc = -1;
    else if (*password && secret_check_password(password, &e2) < 0)
        rc = -1;
    if (rc == 0) {
        if (!*password) {
            secret_random_password(generated, 16);
            password = generated;
        }
        if (secret_hash_password(password, hash, err) < 0)
            return -1;
        struct store_actor by = web_actor(r);
        rc = store_user_add(r->ctx->store, &by, username, name, (enum store_role)role,
                                          hash, NULL, &e2);
    }
    if (rc < 0) {
        if (!web_input_error(e2.msg)) {
            *err = e2;
            return -1;
        }
        struct form_err fe;
        form_err_set(&fe, e2.msg);
        if (users_page(r, w, &fe, NULL, NULL, err) < 0)
            return -1;
        w->status = 400;
        return 0;
    }
    return users_page(r, w, NULL, username, password == generated ? generated : NULL, err);
}

static void user_form(struct web_req *r, struct web_resp *w, const struct store_user *u,
                      const struct form_err *fe)
{
    html_begin(r, w, "Change a user");
    buf_puts(B, "<div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-two-thirds\">");
    error_summary(w, fe);
    buf_puts(B, "<h1>Change ");
    html_esc(B, u->display_name);
    buf_puts(B, "</h1>");
    char action[64];
    snprintf(action, sizeof action, "/admin/users/%lld/edit", (long long)u->id);
    form_open(r, w, action);
    role_select(w, fe, u->role);
    buf_printf(B, "<div class=\"nhsuk-form-group\"><div class=\"nhsuk-checkboxes\"><div class=\"nhsuk-checkboxes__item\">"
                  "<input class=\"nhsuk-checkboxes__input\" id=\"disabled\" name=\"disabled\" type=\"checkbox\" value=\"yes\"%s>"
                  "<label class=\"nhsuk-label nhsuk-checkboxes__label\" for=\"disabled\">Disabled: cannot sign in, "
                  "and their API tokens are revoked</label></div></div></div>",
               u->disabled ? " checked" : "");
    button(w, "Save", NULL);
    buf_puts(B, "</form>");
    back_link(w, "/admin/users", "Back to users");
    buf_puts(B, "</div></div>");
    html_end(r, w);
}

int page_user_edit(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_user u;
    int rc = store_user_get(r->ctx->store, r->id, &u, err);
    if (rc < 0 && err->kind != PURPOSE_ERR_NOT_FOUND)
        return -1;
    if (rc < 0) {
        not_found(r, w);
        return 0;
    }
    user_form(r, w, &u, NULL);
    store_user_release(&u);
    return 0;
}

int page_user_save(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_user u;
    int rc = store_user_get(r->ctx->store, r->id, &u, err);
    if (rc < 0 && err->kind != PURPOSE_ERR_NOT_FOUND)
        return -1;
    if (rc < 0) {
        not_found(r, w);
        return 0;
    }
    int role = store_role_parse(field(r, "role"));
    bool disabled = strcmp(field(r, "disabled"), "yes") == 0;
    struct purpose_err e2 = {0};
    if (role < 0)
        rc = purpose_errf(&e2, "role: choose contributor, member, lead or admin");
    else if (u.id == r->user.id && (role != ROLE_ADMIN || disabled))
        rc = purpose_errf(&e2, "role: you cannot remove your own admin role or disable yourself");
    else {
        struct store_actor by = web_actor(r);
        rc = store_user_update(r->ctx->store, &by, u.id, (enum store_role)role, disabled, &e2);
    }
    bool internal = rc != 0 && !web_input_error(e2.msg);
    if (internal)
        *err = e2;
    else if (rc != 0) {
        struct form_err fe;
        form_err_set(&fe, e2.msg);
        user_form(r, w, &u, &fe);
        w->status = 400;
    } else {
        web_redirect(w, "/admin/users");
    }
    store_user_release(&u);
    return internal ? -1 : 0;
}

static int tokens_page(struct web_req *r, struct web_resp *w, const struct form_err *fe,
                       const char *new_token, struct purpose_err *err)
{
    struct store *s = r->ctx->store;
    struct store_token_list tl;
    struct store_user_list ul;
    if (store_token_list(s, &tl, err) < 0)
        return -1;
    if (store_user_list(s, &ul, err) < 0) {
        store_token_list_release(&tl);
        return -1;
    }
    html_begin(r, w, "API tokens");
    error_summary(w, fe);
    buf_puts(B, "<h1>API tokens</h1><p>A token lets a program use the JSON API as a user. "
                "Send it as <code>Authorization: Bearer TOKEN</code>.</p>");
    if (new_token) {
        buf_puts(B, "<div class=\"nhsuk-inset-text\"><span class=\"nhsuk-u-visually-hidden\">Information: </span>"
                    "<p>New token: <code class=\"app-secret\" id=\"new-token\">");
        html_esc(B, new_token);
        buf_puts(B, "</code></p><p>Copy it now: it is shown only this once.</p></div>");
    }
    buf_puts(B, "<table class=\"nhsuk-table\"><caption class=\"nhsuk-table__caption\">Tokens</caption>"
                "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
                "<th class=\"nhsuk-table__header\" scope=\"col\">Name</th>"
                "<th class=\"nhsuk-table__header\" scope=\"col\">User</th>"
                "<th class=\"nhsuk-table__header\" scope=\"col\">Starts with</th>"
                "<th class=\"nhsuk-table__header\" scope=\"col\">Created</th>"
                "<th class=\"nhsuk-table__header\" scope=\"col\">Status</th></tr></thead><tbody class=\"nhsuk-table__body\">");
    for (size_t i = 0; i < tl.n; i++) {
        const struct store_token *t = &tl.items[i];
        buf_puts(B, "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\">");
        html_esc(B, t->name);
        buf_puts(B, "</td><td class=\"nhsuk-table__cell\">");
        html_esc(B, t->username);
        buf_puts(B, "</td><td class=\"nhsuk-table__cell\"><code>");
        html_esc(B, t->prefix);
        buf_puts(B, "</code></td><td class=\"nhsuk-table__cell\">");
        html_date(B, t->created_at);
        buf_puts(B, "</td><td class=\"nhsuk-table__cell\">");
        if (t->revoked_at)
            buf_puts(B, "Revoked");
        else {
            char action[64];
            snprintf(action, sizeof action, "/admin/tokens/%lld/revoke", (long long)t->id);
            form_open(r, w, action);
            buf_puts(B, "<button class=\"app-link-button\" type=\"submit\">Revoke<span class=\"nhsuk-u-visually-hidden\"> ");
            html_esc(B, t->name);
            buf_puts(B, "</span></button></form>");
        }
        buf_puts(B, "</td></tr>");
    }
    buf_puts(B, "</tbody></table><h2>Create a token</h2>");
    form_open(r, w, "/admin/tokens");
    input(w, fe, "name", "Name", fe ? field(r, "name") : NULL, "text", "off", "What will use it, for example: board report");
    field_open(w, fe, "user_id", "Acts as", NULL);
    buf_puts(B, "<select class=\"nhsuk-select\" id=\"user_id\" name=\"user_id\">");
    for (size_t i = 0; i < ul.n; i++) {
        if (ul.items[i].disabled)
            continue;
        buf_printf(B, "<option value=\"%lld\"%s>", (long long)ul.items[i].id,
                   ul.items[i].id == r->user.id ? " selected" : "");
        html_esc(B, ul.items[i].username);
        buf_printf(B, " (%s)</option>", store_role_name(ul.items[i].role));
    }
    buf_puts(B, "</select></div>");
    button(w, "Create token", NULL);
    buf_puts(B, "</form>");
    html_end(r, w);
    store_token_list_release(&tl);
    store_user_list_release(&ul);
    return 0;
}

int page_tokens(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return tokens_page(r, w, NULL, NULL, err);
}

int page_token_create(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    long uid = 0;
    char token[SECRET_TOKEN_LEN + 8];
    struct purpose_err e2 = {0};
    int rc;
    if (parse_int(field(r, "user_id"), 1, 1L << 30, &uid) < 0)
        rc = purpose_errf(&e2, "user_id: choose a user");
    else
        rc = web_auth_token_create(r, uid, field(r, "name"), token, NULL, &e2);
    if (rc < 0 && !web_input_error(e2.msg)) {
        *err = e2;
        return -1;
    }
    if (rc != 0) {
        struct form_err fe;
        form_err_set(&fe, e2.kind == PURPOSE_ERR_NOT_FOUND ? "user_id: choose a user" : e2.msg);
        if (tokens_page(r, w, &fe, NULL, err) < 0)
            return -1;
        w->status = 400;
        return 0;
    }
    return tokens_page(r, w, NULL, token, err);
}

int page_token_revoke(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    int rc = store_token_revoke(r->ctx->store, &by, r->id, err);
    if ((rc < 0 && err->kind == PURPOSE_ERR_NOT_FOUND)) {
        not_found(r, w);
        return 0;
    }
    if (rc < 0 && !web_input_error(err->msg)) /* revoked already: nothing to do */
        return -1;
    web_redirect(w, "/admin/tokens");
    return 0;
}

int page_audit(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char before_s[24];
    long before = 0;
    if (web_query_get(r, "before", before_s, sizeof before_s) == 0 &&
        parse_int(before_s, 1, 1L << 62, &before) < 0) {
        html_error_page(r, w, 400, "before: must be a whole number");
        return 0;
    }
    struct store_audit_list al;
    if (store_audit_list(r->ctx->store, before, 50, &al, err) < 0)
        return -1;
    html_begin(r, w, "Audit log");
    buf_puts(B, "<h1>Audit log</h1><p>Every change, newest first. The log cannot be edited.</p>"
                "<table class=\"nhsuk-table app-audit\"><caption class=\"nhsuk-table__caption\">Changes</caption>"
                "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
                "<th class=\"nhsuk-table__header\" scope=\"col\">When</th>"
                "<th class=\"nhsuk-table__header\" scope=\"col\">Who</th>"
                "<th class=\"nhsuk-table__header\" scope=\"col\">What</th>"
                "<th class=\"nhsuk-table__header\" scope=\"col\">Before</th>"
                "<th class=\"nhsuk-table__header\" scope=\"col\">After</th></tr></thead><tbody class=\"nhsuk-table__body\">");
    for (size_t i = 0; i < al.n; i++) {
        const struct store_audit *a = &al.items[i];
        buf_puts(B, "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\">");
        html_date(B, a->at);
        buf_puts(B, "</td><td class=\"nhsuk-table__cell\">");
        html_esc(B, a->actor);
        buf_puts(B, "</td><td class=\"nhsuk-table__cell\">");
        html_esc(B, a->action);
        buf_puts(B, " ");
        html_esc(B, a->entity);
        buf_printf(B, " %lld</td><td class=\"nhsuk-table__cell\"><code>", (long long)a->entity_id);
        html_esc(B, a->before ? a->before : "");
        buf_puts(B, "</code></td><td class=\"nhsuk-table__cell\"><code>");
        html_esc(B, a->after ? a->after : "");
        buf_puts(B, "</code></td></tr>");
    }
    buf_puts(B, "</tbody></table>");
    if (al.n == 50)
        buf_printf(B, "<p><a href=\"/admin/audit?before=%lld\">Older changes</a></p>",
                   (long long)al.items[al.n - 1].id);
    store_audit_list_release(&al);
    html_end(r, w);
    return 0;
}
