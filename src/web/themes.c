/* Strategic themes: the public themes page, the theme cards (with their ambitions) on the
 * purpose and strategy pages, the edit pages (named.c) and the API. Ambitions are in ambitions.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/kit.h"
#include "web/named.h"
#include "core/banned.h"

#define B (&w->body)

static void ambition_item(struct web_resp *w, const struct store_ambition *a, bool edit)
{
    buf_puts(B, "<li><strong>");
    html_esc(B, a->title);
    buf_printf(B, "</strong> (by %d)", a->target_year);
    if (a->description && *a->description) {
        buf_puts(B, ": ");
        html_esc(B, a->description);
    }
    if (edit) {
        char href[64], hidden[STORE_TITLE_MAX + 16];
        snprintf(href, sizeof href, "/strategy/ambitions/%lld/edit", (long long)a->id);
        snprintf(hidden, sizeof hidden, " ambition: %s", a->title);
        buf_putc(B, ' ');
        kit_link(w, href, "Edit", hidden);
    }
    buf_puts(B, "</li>");
}

static void theme_card(struct web_resp *w, const struct store_theme *t, const struct store_ambition_list *al,
                       const char *htag, bool edit)
{
    buf_printf(B, "<div class=\"nhsuk-card\"><div class=\"nhsuk-card__content\"><%s class=\"nhsuk-card__heading\">", htag);
    html_esc(B, t->title);
    buf_printf(B, "</%s><p class=\"nhsuk-card__description\">", htag);
    html_esc(B, t->description);
    buf_puts(B, "</p>");
    bool any = false;
    for (size_t j = 0; j < al->n; j++) {
        if (al->items[j].theme_id != t->id)
            continue;
        if (!any)
            buf_puts(B, "<ul class=\"nhsuk-list nhsuk-list--bullet\">");
        any = true;
        ambition_item(w, &al->items[j], edit);
    }
    if (any)
        buf_puts(B, "</ul>");
    if (edit) {
        char href[96], hidden[STORE_TITLE_MAX + 8];
        snprintf(hidden, sizeof hidden, ": %s", t->title);
        snprintf(href, sizeof href, "/strategy/themes/%lld/edit", (long long)t->id);
        buf_puts(B, "<p>");
        kit_link(w, href, "Edit theme", hidden);
        buf_puts(B, " | ");
        snprintf(hidden, sizeof hidden, " to %s", t->title);
        snprintf(href, sizeof href, "/strategy/themes/%lld/ambitions/new", (long long)t->id);
        kit_link(w, href, "Add an ambition", hidden);
        buf_puts(B, "</p>");
    }
    buf_puts(B, "</div></div>");
}

int web_themes_render(struct web_req *r, struct web_resp *w, const char *htag, bool edit, struct purpose_err *err)
{
    struct store_theme_list tl;
    struct store_ambition_list al;
    if (store_load_themes(r->ctx->store, &r->scope, &tl, &al, err) < 0)
        return -1;
    if (tl.n == 0)
        buf_puts(B, "<p>No strategic themes have been written yet.</p>");
    for (size_t i = 0; i < tl.n; i++)
        theme_card(w, &tl.items[i], &al, htag, edit);
    store_theme_list_release(&tl);
    store_ambition_list_release(&al);
    return 0;
}

static int themes_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    html_begin(r, w, "Our strategic themes");
    buf_puts(B, "<h1>Our strategic themes</h1><p class=\"nhsuk-lede-text\">Where we will focus, "
                "and the ambitions by which we will know we have succeeded.</p>");
    if (web_themes_render(r, w, "h2", false, err) < 0)
        return -1;
    html_end(r, w);
    return 0;
}

/* ---- API ---------------------------------------------------------------------------------------- */

static json_t *theme_json(const struct store_theme *t, const struct store_ambition_list *al)
{
    json_t *amb = json_array();
    for (size_t i = 0; i < al->n; i++)
        if (al->items[i].theme_id == t->id)
            web_jpush(&amb, web_ambition_json(&al->items[i]));
    return json_pack("{s:I, s:i, s:s, s:s, s:o}", "id", (json_int_t)t->id, "position", t->position, "title",
                     t->title, "description", t->description, "ambitions", amb);
}

int web_themes_json(struct web_req *r, json_t **out, struct purpose_err *err)
{
    struct store_theme_list tl;
    struct store_ambition_list al;
    if (store_load_themes(r->ctx->store, &r->scope, &tl, &al, err) < 0)
        return -1;
    *out = json_array();
    for (size_t i = 0; i < tl.n; i++)
        web_jpush(out, theme_json(&tl.items[i], &al));
    store_theme_list_release(&tl);
    store_ambition_list_release(&al);
    return 0;
}

static int themes_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    json_t *themes;
    if (web_themes_json(r, &themes, err) < 0)
        return -1;
    web_json(w, 200, json_pack("{s:o}", "themes", themes));
    return 0;
}

static int theme_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct store_theme t;
    struct store_ambition_list al;
    if (store_theme_get(r->ctx->store, &r->scope, id, &t, err) < 0)
        return web_api_fail(w, err);
    if (store_ambition_list(r->ctx->store, &r->scope, id, &al, err) < 0) {
        store_theme_release(&t);
        return -1;
    }
    web_json(w, status, theme_json(&t, &al));
    store_theme_release(&t);
    store_ambition_list_release(&al);
    return 0;
}

static int theme_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return theme_answer(r, w, r->id, 200, err);
}

/* ---- edit pages and writes, shared with values --------------------------------------------------- */

static int theme_read(struct web_req *r, int64_t id, char **text, char **desc, struct purpose_err *err)
{
    struct store_theme t;
    if (store_theme_get(r->ctx->store, &r->scope, id, &t, err) < 0)
        return -1;
    *text = t.title;
    *desc = t.description;
    t.title = t.description = NULL;
    store_theme_release(&t);
    return 0;
}

static const struct web_named theme_kind = {
    .noun = "theme", .field = "title", .label = "Title", .base = "/strategy/themes", .also = "its ambitions",
    .add = store_theme_add, .update = store_theme_update, .remove = store_theme_delete,
    .read = theme_read, .answer = theme_answer,
};

static int new_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    (void)err;
    return web_named_new_page(r, w, &theme_kind);
}
static int create_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_named_post_page(r, w, &theme_kind, true, err);
}
static int edit_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_named_edit_page(r, w, &theme_kind, err);
}
static int save_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_named_post_page(r, w, &theme_kind, false, err);
}
static int confirm_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_named_confirm_page(r, w, &theme_kind, err);
}

static int delete_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_named_delete_page(r, w, &theme_kind, err);
}
static int create_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_named_write_api(r, w, &theme_kind, true, err);
}
static int put_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_named_write_api(r, w, &theme_kind, false, err);
}
static int delete_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_named_delete_api(r, w, &theme_kind, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/themes", .role = ROLE_ANON, .scope = WEB_ORG, .handler = themes_page, .cache = WEB_CACHE_ANON, .deps = WEB_DEPS_STRATEGY},
    {.method = "GET", .path = "/strategy/themes/new", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = new_page},
    {.method = "POST", .path = "/strategy/themes/new", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = create_page},
    {.method = "GET", .path = "/strategy/themes/{id}/edit", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = edit_page},
    {.method = "POST", .path = "/strategy/themes/{id}/edit", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = save_page},
    {.method = "GET", .path = "/strategy/themes/{id}/delete", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = confirm_page},
    {.method = "POST", .path = "/strategy/themes/{id}/delete", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = delete_page,
     .confirm = confirm_page},
    {.method = "GET", .path = "/api/v1/themes", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = themes_api, .cache = WEB_CACHE_DATA, .deps = WEB_DEPS_STRATEGY},
    {.method = "POST", .path = "/api/v1/themes", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = create_api},
    {.method = "GET", .path = "/api/v1/themes/{id}", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = theme_api, .cache = WEB_CACHE_DATA, .deps = WEB_DEPS_STRATEGY},
    {.method = "PUT", .path = "/api/v1/themes/{id}", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = put_api},
    {.method = "DELETE", .path = "/api/v1/themes/{id}", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = delete_api},
};

static const struct web_nav nav[] = {
    {.href = "/themes", .label = "Themes", .rank = 30},
};

WEB_FEATURE(web_themes, routes, nav);
