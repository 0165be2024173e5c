/* The strategy: the vision and purpose statements with their history (an organisation's, and a
 * programme's vision and shared purpose), the public purpose page that brings an organisation's
 * strategy together, and the members' strategy page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/wdiff.h"
#include "web/action.h"
#include "web/improve.h"
#include "web/kit.h"
#include "web/provenance.h"
#include "core/banned.h"

#define B (&w->body)

int web_statement_text(struct web_req *r, const char *kind, char **out, struct purpose_err *err)
{
    struct store_statement s;
    *out = NULL;
    if (store_statement_current(r->ctx->store, web_scope(r), kind, &s, err) < 0)
        return err->kind == PURPOSE_ERR_NOT_FOUND ? 0 : -1;
    *out = s.text;
    s.text = NULL;
    store_statement_release(&s);
    return 0;
}

static int purpose_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char *vision = NULL, *purpose = NULL;
    if (web_statement_text(r, "vision", &vision, err) < 0 || web_statement_text(r, "purpose", &purpose, err) < 0) {
        free(vision);
        return -1;
    }
    html_begin(r, w, "Our purpose");
    buf_puts(B, "<span class=\"nhsuk-caption-l\">");
    html_esc(B, r->org.name);
    buf_puts(B, "</span><h1>Our purpose</h1>");
    if (web_celebrations_home(r, w, err) < 0) { /* the leads' own: a measure that improved */
        free(vision);
        free(purpose);
        return -1;
    }
    buf_puts(B, "<h2>Our vision</h2>");
    if (vision)
        kit_paragraphs(w, vision, "nhsuk-body-l app-vision");
    else
        buf_puts(B, "<p>Our vision has not been written yet.</p>");
    int rc = vision ? web_provenance_line(r, w, "vision", err) : 0;
    buf_puts(B, "<h2>Why we exist</h2>");
    if (purpose)
        kit_paragraphs(w, purpose, "app-purpose");
    else
        buf_puts(B, "<p>Our purpose has not been written yet.</p>");
    if (rc == 0 && purpose)
        rc = web_provenance_line(r, w, "purpose", err);
    free(vision);
    free(purpose);
    if (rc < 0)
        return -1;
    buf_puts(B, "<h2>Our values</h2>");
    if (web_values_render(r, w, "h3", err) < 0)
        return -1;
    buf_puts(B, "<h2>Our strategic themes</h2>");
    if (web_themes_render(r, w, "h3", false, err) < 0 ||
        web_programme_links(r, w, &r->scope, "Our partnerships", NULL, err) < 0)
        return -1;
    html_end(r, w);
    return 0;
}

static int statement_section(struct web_req *r, struct web_resp *w, const char *kind, const char *label,
                             struct purpose_err *err)
{
    struct store_statement_list h;
    if (store_statement_history(r->ctx->store, web_scope(r), kind, &h, err) < 0)
        return -1;
    buf_printf(B, "<h2>%s</h2>", label);
    if (h.n == 0)
        buf_puts(B, "<p>Not written yet.</p>");
    else
        kit_paragraphs(w, h.items[0].text, "nhsuk-body-l");
    char href[64];
    snprintf(href, sizeof href, "/strategy/%s/edit", kind);
    if (web_may(r, "POST", href)) {
        char words[64];
        snprintf(words, sizeof words, "Edit the %s", kind);
        buf_puts(B, "<p>");
        kit_link(w, href, words, NULL);
        buf_puts(B, "</p>");
    }
    if (h.n > 1) {
        char words[64];
        snprintf(href, sizeof href, "/strategy/%s/history", kind);
        snprintf(words, sizeof words, "See how the %s has changed", kind);
        buf_puts(B, "<p>");
        kit_link(w, href, words, NULL);
        buf_puts(B, "</p>");
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

static void statement_home(const struct web_req *r, char *out, size_t n);

/* ---- history: each version against the one before, word by word ---------------------------------- */

/* Writes the words gathered in run (plain text) as op marks them, and empties it. Insertions and
 * deletions are <ins> and <del> (underlined, struck through: not colour alone) and say "added:" or
 * "removed:" to screen readers, which do not announce the elements themselves. */
static void diff_flush(struct web_resp *w, struct buf *run, enum wdiff_op op)
{
    if (!run->len)
        return;
    static const char *const open[] = {"", "<del><span class=\"nhsuk-u-visually-hidden\">removed: </span>",
                                       "<ins><span class=\"nhsuk-u-visually-hidden\">added: </span>"};
    static const char *const close[] = {"", "<span class=\"nhsuk-u-visually-hidden\"> (end of removed)</span></del>",
                                        "<span class=\"nhsuk-u-visually-hidden\"> (end of added)</span></ins>"};
    buf_puts(B, open[op]);
    html_esc(B, run->data);
    buf_puts(B, close[op]);
    buf_reset(run);
}

/* The difference from old to new as paragraphs; a paragraph break that came or went is a pilcrow. */
static void diff_html(struct web_resp *w, const char *old, const char *new_)
{
    struct wdiff d;
    struct purpose_err err = {0};
    if (wdiff_words(old, new_, &d, &err) < 0) {
        buf_puts(B, "<p>");
        html_esc(B, err.kind == PURPOSE_ERR_INPUT ? "This version is too different from the one before to "
                                                    "compare word by word." : "The comparison is not available.");
        buf_puts(B, "</p>");
        kit_paragraphs(w, new_, "app-version");
        return;
    }
    struct buf run;
    buf_init(&run, 3 * STORE_TEXT_MAX);
    enum wdiff_op at = WDIFF_SAME;
    bool space = false; /* a word is already in this paragraph */
    buf_puts(B, "<p class=\"app-diff\">");
    for (size_t i = 0; i < d.n; i++) {
        const struct wdiff_piece *p = &d.p[i];
        if (p->op != at || (!p->s && p->op == WDIFF_SAME)) {
            diff_flush(w, &run, at);
            at = p->op;
        }
        if (!p->s && p->op == WDIFF_SAME) {
            buf_puts(B, "</p><p class=\"app-diff\">");
            space = false;
            continue;
        }
        if (space) /* inside a run of one kind, else before it */
            buf_putc(run.len ? &run : B, ' ');
        if (p->s)
            buf_append(&run, p->s, p->len);
        else
            buf_puts(&run, "\xc2\xb6 (paragraph break)");
        space = true;
        if (!p->s && p->op == WDIFF_ADD) {
            diff_flush(w, &run, at);
            buf_puts(B, "</p><p class=\"app-diff\">");
            space = false;
        }
    }
    diff_flush(w, &run, at);
    buf_puts(B, "</p>");
    buf_release(&run);
    wdiff_release(&d);
}

static int history_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_statement_list h;
    if (store_statement_history(r->ctx->store, web_scope(r), r->kind, &h, err) < 0)
        return -1;
    bool shared = r->programme.id != 0;
    char title[80], home[128];
    snprintf(title, sizeof title, "How the %s%s has changed", shared && strcmp(r->kind, "purpose") == 0 ? "shared " : "",
             r->kind);
    statement_home(r, home, sizeof home);
    html_begin(r, w, title);
    kit_back_link(w, home, shared ? "Back to the programme" : "Back to strategy");
    buf_puts(B, "<h1>");
    html_esc(B, title);
    buf_puts(B, "</h1>");
    if (h.n == 0)
        buf_puts(B, "<p>Not written yet.</p>");
    else
        buf_puts(B, "<p>Each version is shown against the one before it: added words are underlined, removed "
                    "words are struck through.</p>");
    for (size_t i = 0; i < h.n; i++) {
        const struct store_statement *v = &h.items[i];
        buf_printf(B, "<section class=\"app-version\" aria-labelledby=\"v%zu\"><h2 id=\"v%zu\">Version %zu%s</h2>"
                      "<p class=\"nhsuk-body-s\">",
                   h.n - i, h.n - i, h.n - i, i == 0 ? " (current)" : "");
        html_esc(B, v->author);
        buf_puts(B, ", ");
        html_date(B, v->created_at);
        buf_puts(B, "</p>");
        if (i + 1 < h.n)
            diff_html(w, h.items[i + 1].text, v->text);
        else
            kit_paragraphs(w, v->text, "app-version");
        buf_puts(B, "</section>");
    }
    store_statement_list_release(&h);
    html_end(r, w);
    return 0;
}

static int strategy_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    bool lead = web_may(r, "POST", "/strategy/themes/new");
    html_begin(r, w, "Strategy");
    buf_puts(B, "<h1>Strategy</h1>");
    if (statement_section(r, w, "vision", "Vision", err) < 0 || statement_section(r, w, "purpose", "Purpose", err) < 0)
        return -1;
    buf_puts(B, "<h2>Values</h2>");
    if (web_values_summary(r, w, err) < 0)
        return -1;
    if (web_may(r, "POST", "/strategy/values/new")) {
        buf_puts(B, "<p>");
        kit_link(w, "/strategy/values/new", "Add a value", NULL);
        buf_puts(B, "</p>");
    }
    buf_puts(B, "<h2>Strategic themes and ambitions</h2>");
    if (web_themes_render(r, w, "h3", lead, err) < 0)
        return -1;
    if (lead) {
        buf_puts(B, "<p>");
        kit_link(w, "/strategy/themes/new", "Add a theme", NULL);
        buf_puts(B, "</p>");
    }
    html_end(r, w);
    return 0;
}

/* Where a statement's edit page belongs: the strategy page, or the programme's page. */
static void statement_home(const struct web_req *r, char *out, size_t n)
{
    if (r->programme.id)
        web_href(r, out, n, "/programmes/{programme}", r->programme.slug);
    else
        web_href(r, out, n, "/strategy");
}

static int statement_form(struct web_req *r, struct web_resp *w, const char *text, const struct purpose_err *fe,
                          struct purpose_err *err)
{
    char title[64], action[160], home[128];
    bool shared = r->programme.id != 0;
    statement_home(r, home, sizeof home);
    snprintf(title, sizeof title, "Edit the %s%s", shared && strcmp(r->kind, "purpose") == 0 ? "shared " : "", r->kind);
    snprintf(action, sizeof action, "%s/%s/edit", home, r->kind);
    html_begin(r, w, title);
    kit_narrow_open(w);
    kit_back_link(w, home, shared ? "Back to the programme" : "Back to strategy");
    kit_error_summary(w, fe);
    buf_puts(B, "<h1>");
    html_esc(B, title);
    buf_puts(B, "</h1>");
    kit_form_open(r, w, action);
    kit_textarea(w, fe, &(struct kit_field){
        .name = "text", .rows = 6, .value = text,
        .label = strcmp(r->kind, "vision") == 0 ? "Vision statement" : "Purpose statement",
        .hint = "Earlier versions are kept. Leave a blank line between paragraphs."});
    if (web_provenance_picker(r, w, fe, err) < 0)
        return -1;
    kit_button(w, "Save", false);
    kit_form_close(w);
    kit_narrow_close(w);
    html_end(r, w);
    return 0;
}

static int statement_edit_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char *text = NULL;
    if (web_statement_text(r, r->kind, &text, err) < 0)
        return -1;
    int rc = statement_form(r, w, text ? text : "", NULL, err);
    free(text);
    return rc;
}

/* ---- publishing a version (action.h), with the contributions it was shaped by -------------------- */

/* The ticked contributions (a page's "contribution" boxes, the API's contribution_ids) are read here,
 * not as a declared field: a version may link up to STORE_SOURCES_MAX of them. */
static int publish(struct web_req *r, const struct web_action_in *in, struct web_action_out *out, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    int64_t *ids = NULL;
    size_t n = 0;
    int rc = r->is_api ? web_provenance_json_ids(r, true, &ids, &n, err) : web_provenance_ticked(r, &ids, &n, err);
    if (rc == 0)
        rc = store_statement_publish(r->ctx->store, &by, web_scope(r), r->kind, web_in_s(in, "text"), ids, n, err);
    free(ids);
    statement_home(r, out->next, sizeof out->next);
    return rc;
}

static int form_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                      const struct purpose_err *fe, struct purpose_err *err)
{
    return statement_form(r, w, web_in_s(in, "text"), fe, err);
}

static int answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err);

static const struct web_afield statement_fields[] = {{.name = "text", .required = true}};
static const struct web_action statement_publish = {.fields = statement_fields, .nfields = 1, .run = publish,
                                                    .form = form_again, .answer = answer};

static int statement_save_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    if (strcmp(web_field(r, "action"), "filter") == 0) /* find contributions; nothing is saved */
        return statement_form(r, w, web_field(r, "text"), NULL, err);
    return web_action_page(r, w, &statement_publish, err);
}

/* ---- API ---------------------------------------------------------------------------------------- */

static json_t *statement_json(const struct store_statement *s)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:I}", "id", (json_int_t)s->id, "kind", s->kind, "text", s->text,
                     "author", s->author, "created_at", (json_int_t)s->created_at);
}

static int purpose_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char *vision = NULL, *purpose = NULL;
    json_t *values = NULL, *themes = NULL;
    if (web_statement_text(r, "vision", &vision, err) < 0 || web_statement_text(r, "purpose", &purpose, err) < 0 ||
        web_values_json(r, &values, err) < 0 || web_themes_json(r, &themes, err) < 0) {
        free(vision);
        free(purpose);
        json_decref(values);
        return -1;
    }
    web_json(w, 200, json_pack("{s:o, s:o, s:o, s:o}", "vision", vision ? json_string(vision) : json_null(),
                               "purpose", purpose ? json_string(purpose) : json_null(), "values", values,
                               "themes", themes));
    free(vision);
    free(purpose);
    return 0;
}

static int statement_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_statement_list h;
    if (store_statement_history(r->ctx->store, web_scope(r), r->kind, &h, err) < 0)
        return web_api_fail(w, err);
    json_t *hist = json_array();
    for (size_t i = 0; i < h.n; i++)
        json_array_append_new(hist, statement_json(&h.items[i]));
    json_t *cur = h.n ? json_string(h.items[0].text) : json_null();
    store_statement_list_release(&h);
    web_json(w, 200, json_pack("{s:s, s:o, s:o}", "kind", r->kind, "text", cur, "history", hist));
    return 0;
}

/* The statement as GET answers it, after a new version. */
static int answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    (void)id;
    (void)status;
    return statement_api(r, w, err);
}

static int statement_put_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &statement_publish, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/", .role = ROLE_ANON, .scope = WEB_ORG, .handler = purpose_page, .cache = WEB_CACHE_ANON, .deps = WEB_DEPS_STRATEGY},
    {.method = "GET", .path = "/strategy", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = strategy_page},
    {.method = "GET", .path = "/strategy/{kind}/edit", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = statement_edit_page},
    {.method = "GET", .path = "/strategy/{kind}/history", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = history_page},
    {.method = "POST", .path = "/strategy/{kind}/edit", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = statement_save_page},
    {.method = "GET", .path = "/api/v1/purpose", .role = ROLE_ANON, .scope = WEB_ORG, .kind = WEB_API, .handler = purpose_api, .cache = WEB_CACHE_PUBLIC, .deps = WEB_DEPS_STRATEGY},
    {.method = "GET", .path = "/api/v1/statements/{kind}", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = statement_api, .cache = WEB_CACHE_DATA, .deps = WEB_DEPS_STRATEGY},
    {.method = "PUT", .path = "/api/v1/statements/{kind}", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = statement_put_api},
    /* A programme's vision and shared purpose: the same pages and API, in the programme's scope. */
    {.method = "GET", .path = "/programmes/{programme}/{kind}/edit", .role = ROLE_LEAD, .scope = WEB_PROGRAMME, .handler = statement_edit_page},
    {.method = "GET", .path = "/programmes/{programme}/{kind}/history", .role = ROLE_ANON, .scope = WEB_PROGRAMME, .handler = history_page},
    {.method = "POST", .path = "/programmes/{programme}/{kind}/edit", .role = ROLE_LEAD, .scope = WEB_PROGRAMME, .handler = statement_save_page},
    {.method = "GET", .path = "/api/v1/programmes/{programme}/statements/{kind}", .role = ROLE_ANON, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = statement_api, .cache = WEB_CACHE_DATA, .deps = WEB_DEPS_STRATEGY},
    {.method = "PUT", .path = "/api/v1/programmes/{programme}/statements/{kind}", .role = ROLE_LEAD, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = statement_put_api},
};

static const struct web_nav nav[] = {
    {.href = "/", .label = "Our purpose", .rank = 10},
    {.href = "/strategy", .label = "Strategy", .rank = 40},
};

WEB_FEATURE(web_strategy, routes, nav);
