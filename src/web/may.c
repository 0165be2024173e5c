/* The one permission question (web_may): may the caller follow this link or press this button? It
 * is answered from the route table, as the dispatcher answers the request itself (router.c), so a
 * page never shows a link or a button that answers 403 or a sign-in to the person reading it. */
#include <string.h>

#include "web/web_int.h"
#include "core/banned.h"

/* The caller's role in scope, read once per request and scope. */
static int role_in(struct web_req *r, struct store_scope scope, enum store_role *role)
{
    if (r->scope.id && r->scope.kind == scope.kind && r->scope.id == scope.id) {
        *role = r->role; /* the scope the router checked this request in */
        return 0;
    }
    for (unsigned i = 0; i < r->nmay; i++)
        if (r->may[i].scope.kind == scope.kind && r->may[i].scope.id == scope.id) {
            *role = r->may[i].role;
            return 0;
        }
    struct purpose_err err = {0};
    if (store_role_in(r->ctx->store, &r->user, scope, role, &err) < 0)
        return -1;
    if (r->nmay < sizeof r->may / sizeof r->may[0])
        r->may[r->nmay++] = (struct web_may_memo){scope, *role};
    return 0;
}

/* The scope the route found for path is checked in: the organisation of its prefix (slug), of the
 * request (an unprefixed organisation page under a prefixed one is that organisation's, as its
 * links are), or the installation's first; or the programme the path names. */
static int target_scope(struct web_req *r, const struct web_route *rt, const char *prefix_slug,
                        const char *programme_slug, struct store_scope *scope)
{
    struct purpose_err err = {0};
    if (rt->scope == WEB_PROGRAMME) {
        if (r->programme.id && strcmp(r->programme.slug, programme_slug) == 0) {
            *scope = (struct store_scope){STORE_SCOPE_PROGRAMME, r->programme.id};
            return 0;
        }
        struct store_programme p = {0};
        if (store_programme_find(r->ctx->store, programme_slug, &p, &err) < 0)
            return -1;
        *scope = (struct store_scope){STORE_SCOPE_PROGRAMME, p.id};
        store_programme_release(&p);
        return 0;
    }
    if (!prefix_slug && r->org.id && (r->base[0] || r->scope.kind == STORE_SCOPE_ORG)) {
        *scope = (struct store_scope){STORE_SCOPE_ORG, r->org.id};
        return 0;
    }
    struct store_org o = {0};
    if (web_org_get(r, prefix_slug ? prefix_slug : "", &o, &err) < 0)
        return -1;
    *scope = (struct store_scope){STORE_SCOPE_ORG, o.id};
    store_org_release(&o);
    return 0;
}

bool web_may(struct web_req *r, const char *method, const char *href)
{
    char path[300];
    size_t len = strcspn(href, "?#");
    if (len >= sizeof path)
        return false;
    memcpy(path, href, len);
    path[len] = '\0';
    struct web_req scratch = {.method = method};
    bool known = false;
    const char *slug = NULL;
    char prefix[64], rest[300];
    const char *tail;
    const struct web_route *rt = web_route_find(&scratch, path, -1, &known);
    if (!rt && !known && web_org_prefix(path, prefix, sizeof prefix, &tail)) {
        bool api = strncmp(path, "/api/", 5) == 0;
        snprintf(rest, sizeof rest, "%s%s", api ? "/api/v1" : "", *tail ? tail : (api ? "" : "/"));
        rt = web_route_find(&scratch, rest, WEB_ORG, &known);
        slug = prefix;
    }
    if (!rt)
        return false;
    if (rt->role == ROLE_ANON)
        return true;
    if (!r->user.id)
        return false;
    if (rt->scope == WEB_INSTALLATION)
        return r->user.role >= rt->role;
    struct store_scope scope;
    enum store_role role;
    if (target_scope(r, rt, slug, scratch.slug, &scope) < 0 || role_in(r, scope, &role) < 0)
        return false;
    return role >= rt->role;
}
