/* Wayfinding: the places a person holds a role in (their home organisation, then each grant), where
 * their work is (signing in lands there, a 403 links to it) and the header's switcher between them. */
#include <stdio.h>
#include <string.h>

#include "web/web_int.h"
#include "core/banned.h"

#define B (&w->body)

/* The home page of an organisation: the unprefixed "/" for the installation's first. On another
 * organisation's page "/" would mean that one, so the first is named by its prefix there (first). */
static void org_home(struct web_req *r, int64_t id, const char *slug, struct web_place *p)
{
    struct store_org first;
    struct purpose_err e = {0};
    p->first = web_org_get(r, "", &first, &e) == 0;
    if (p->first) {
        p->first = first.id == id;
        store_org_release(&first);
    }
    if (p->first && !r->base[0])
        snprintf(p->href, sizeof p->href, "/");
    else
        snprintf(p->href, sizeof p->href, "/organisations/%s", slug);
}

static void place_set(struct web_place *p, const char *name, enum store_role role, bool programme)
{
    snprintf(p->name, sizeof p->name, "%s", name);
    p->role = role;
    p->programme = programme;
}

int web_places(struct web_req *r, const struct store_user *u, struct web_place *out, size_t max,
               struct purpose_err *err)
{
    if (max == 0)
        return 0;
    struct store_org home;
    int rc = u->home_org_id ? store_org_get(r->ctx->store, u->home_org_id, &home, err)
                            : web_org_get(r, "", &home, err);
    if (rc < 0)
        return -1;
    org_home(r, home.id, home.slug, &out[0]);
    place_set(&out[0], home.name, u->role, false);
    store_org_release(&home);
    size_t n = 1;
    struct store_grant_list gl;
    if (store_grant_list(r->ctx->store, u->id, &gl, err) < 0)
        return -1;
    for (size_t i = 0; i < gl.n && n < max; i++) {
        const struct store_grant *g = &gl.items[i];
        if (!g->scope_slug || !g->scope_name)
            continue;
        bool prog = g->scope == STORE_SCOPE_PROGRAMME;
        out[n].first = false;
        if (prog)
            web_href(r, out[n].href, sizeof out[n].href, "/programmes/{programme}", g->scope_slug);
        else
            org_home(r, g->scope_id, g->scope_slug, &out[n]);
        if (!out[n].href[0])
            continue;
        place_set(&out[n], g->scope_name, g->role, prog);
        n++;
    }
    store_grant_list_release(&gl);
    return (int)n;
}

size_t web_home_place(const struct web_place *p, size_t n)
{
    /* Someone whose only role at home is contributor works where they hold more: the first such
     * programme (or organisation). */
    if (n == 0 || p[0].role > ROLE_CONTRIBUTOR)
        return 0;
    for (size_t i = 1; i < n; i++)
        if (p[i].role > ROLE_CONTRIBUTOR)
            return i;
    return 0;
}

int web_home_href(struct web_req *r, const struct store_user *u, char *out, size_t n, struct purpose_err *err)
{
    struct web_place p[WEB_PLACES_MAX];
    int np = web_places(r, u, p, WEB_PLACES_MAX, err);
    if (np < 0)
        return -1;
    snprintf(out, n, "%s", np > 0 ? p[web_home_place(p, (size_t)np)].href : "/");
    return 0;
}

/* The place the page is in: a programme's page is its programme's, a prefixed page its
 * organisation's, any other the installation's first organisation's. */
static bool place_current(const struct web_req *r, const struct web_place *p)
{
    char here[160];
    if (r->programme.id)
        web_href(r, here, sizeof here, "/programmes/{programme}", r->programme.slug);
    else
        snprintf(here, sizeof here, "%s", r->base[0] ? r->base : "/");
    return strcmp(here, p->href) == 0;
}

void web_switcher(struct web_req *r, struct web_resp *w)
{
    struct web_place p[WEB_PLACES_MAX];
    struct purpose_err e = {0};
    int n = r->role >= ROLE_CONTRIBUTOR && r->user.id ? web_places(r, &r->user, p, WEB_PLACES_MAX, &e) : 0;
    if (n < 2)
        return; /* one place (or none readable): nothing to switch between */
    buf_puts(B, "<nav class=\"app-switcher\" aria-label=\"Your organisations and programmes\">"
                "<span class=\"app-switcher__label\">Your places:</span><ul class=\"app-switcher__list\">");
    for (int i = 0; i < n; i++) {
        bool cur = place_current(r, &p[i]);
        buf_puts(B, "<li class=\"app-switcher__item\"><a href=\"");
        /* another organisation's home is not this page's: written as it is, not prefixed */
        html_esc(B, p[i].href);
        buf_puts(B, cur ? "\" aria-current=\"page\">" : "\">");
        html_esc(B, p[i].name);
        buf_printf(B, "</a> <span class=\"app-switcher__role\">(%s%s)</span></li>",
                   p[i].programme ? "programme, " : "", store_role_name(p[i].role));
    }
    buf_puts(B, "</ul></nav>");
}
