/* The reverse router (web_href): every link a page shows is built from a declared route, with the
 * scope of the request it is shown on, so that no handler formats a scoped path by hand. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "web/web_int.h"
#include "core/banned.h"

/* The route path (len bytes, no query) answers for any method, or NULL. */
static const struct web_route *route_of(const char *path, size_t len)
{
    char p[300];
    if (len >= sizeof p)
        return NULL;
    memcpy(p, path, len);
    p[len] = '\0';
    struct web_req scratch = {0};
    for (size_t i = 0; i < web_nfeatures; i++)
        for (size_t j = 0; j < web_features[i]->nroutes; j++)
            if (web_route_match(web_features[i]->routes[j].path, p, &scratch))
                return &web_features[i]->routes[j];
    return NULL;
}

/* Writes pattern with its parameters filled in order ({id} an int64_t, the others a string). */
static void fill(struct buf *b, const char *pat, va_list *ap)
{
    while (*pat) {
        size_t run = strcspn(pat, "{");
        buf_append(b, pat, run);
        pat += run;
        if (!*pat)
            break;
        if (strncmp(pat, "{id}", 4) == 0)
            buf_printf(b, "%lld", (long long)va_arg(*ap, int64_t));
        else
            buf_puts(b, va_arg(*ap, const char *));
        pat += strcspn(pat, "}");
        if (*pat)
            pat++;
    }
}

const char *web_href(const struct web_req *r, char *out, size_t n, const char *pattern, ...)
{
    char path[300], scoped[400];
    struct buf b;
    buf_init(&b, sizeof path - 1);
    va_list ap;
    va_start(ap, pattern);
    fill(&b, pattern, &ap);
    va_end(ap);
    bool ok = !b.failed;
    if (ok) {
        memcpy(path, b.data ? b.data : "", b.len);
        path[b.len] = '\0';
    }
    buf_release(&b);
    size_t len = ok ? strcspn(path, "?#") : 0;
    const struct web_route *rt = ok ? route_of(path, len) : NULL;
    bool api = strncmp(path, "/api/v1/", 8) == 0;
    const char *rest = api ? path + 7 : path;
    int m = -1;
    if (rt && rt->scope == WEB_ORG && r->programme.id) {
        /* the same feature's route under the request's programme, when it declares one */
        m = snprintf(scoped, sizeof scoped, "%s/programmes/%s%s", api ? "/api/v1" : "", r->programme.slug, rest);
        if (m < 0 || (size_t)m >= sizeof scoped || !route_of(scoped, strcspn(scoped, "?#")))
            m = -1;
    }
    if (m < 0 && rt && rt->scope == WEB_ORG && r->base[0]) /* an organisation's page stays in it */
        m = snprintf(scoped, sizeof scoped, "%s%s%s", api ? "/api/v1" : "", r->base, rest);
    if (m < 0 && rt)
        m = snprintf(scoped, sizeof scoped, "%s", path);
    if (m < 0 || (size_t)m >= n || (size_t)m >= sizeof scoped)
        out[0] = '\0';
    else
        memcpy(out, scoped, (size_t)m + 1);
    return out;
}

/* True when path (len bytes, no query) is one of an organisation's own pages. */
static bool org_page(const char *path, size_t len)
{
    char p[300];
    if (len >= sizeof p)
        return false;
    memcpy(p, path, len);
    p[len] = '\0';
    struct web_req scratch = {0};
    for (size_t i = 0; i < web_nfeatures; i++)
        for (size_t j = 0; j < web_features[i]->nroutes; j++) {
            const struct web_route *rt = &web_features[i]->routes[j];
            if (rt->scope == WEB_ORG && web_route_match(rt->path, p, &scratch))
                return true;
        }
    return false;
}

/* href as w's page links to it: with its organisation's prefix (web_resp.base) when it is one of
 * that organisation's pages or API routes ("/api/v1" + prefix + the rest for the API). */
static void scoped(const struct web_resp *w, const char *href, char *out, size_t n)
{
    bool api = strncmp(href, "/api/v1/", 8) == 0;
    if (!w->base || !w->base[0] || href[0] != '/' || !org_page(href, strcspn(href, "?#")))
        snprintf(out, n, "%s", href);
    else
        snprintf(out, n, "%s%s%s", api ? "/api/v1" : "", w->base, api ? href + 7 : href);
}

void web_href_esc(struct web_resp *w, const char *href)
{
    char out[600];
    scoped(w, href, out, sizeof out);
    html_esc(&w->body, out);
}

void web_location(struct web_resp *w, const char *location)
{
    scoped(w, location, w->location, sizeof w->location);
}
