/* What the router reads for a route before its handler (web_route.load), as the handler takes it
 * over (web_*_take), and the secret ids a route declares (web_route.id_type), masked wherever a
 * request is logged (web_route_mask). Split from router.c, which runs them. */
#include <stdio.h>
#include <string.h>

#include "web/web_int.h"
#include "core/banned.h"

int web_project_take(struct web_req *r, struct store_project *p, struct purpose_err *err)
{
    if (r->project.id && r->project.id == r->id) {
        *p = r->project;
        r->project = (struct store_project){0};
        return 0;
    }
    return store_project_get(r->ctx->store, &r->scope, r->id, p, err);
}

int web_event_take(struct web_req *r, struct store_event *e, struct purpose_err *err)
{
    if (r->event.id && r->event.id == r->id) {
        *e = r->event;
        r->event = (struct store_event){0};
        return 0;
    }
    return store_event_get(r->ctx->store, &r->scope, r->id, e, err);
}

int web_measure_take(struct web_req *r, struct store_measure *m, struct purpose_err *err)
{
    if (r->measure.id && r->measure.id == r->id) {
        *m = r->measure;
        r->measure = (struct store_measure){0};
        return 0;
    }
    return store_measure_get(r->ctx->store, &r->scope, r->id, m, err);
}

int web_driver_take(struct web_req *r, struct store_driver *d, struct purpose_err *err)
{
    if (r->driver.id && r->driver.id == r->id) {
        *d = r->driver;
        r->driver = (struct store_driver){0};
        return 0;
    }
    return store_driver_get(r->ctx->store, &r->scope, r->id, d, err);
}

const char *web_load_name(enum web_load l)
{
    static const char *const names[] = {"none", "conversation", "project", "event", "measure", "driver"};
    return (unsigned)l < sizeof names / sizeof names[0] ? names[l] : "none";
}

/* Whether path starts as pat does up to and including its {id} (pat's segments up to it, matched
 * as the router would); if so, *at is where that {id} segment starts in path and *end where it ends. */
static bool secret_prefix(const char *pat, const char *path, const char **at, const char **end)
{
    const char *id = strstr(pat, "{id}");
    if (!id)
        return false;
    char head[300];
    size_t hl = (size_t)(id - pat) + 4;
    if (hl >= sizeof head)
        return false;
    memcpy(head, pat, hl);
    head[hl] = '\0';
    size_t segs = 0;
    for (size_t i = 0; i < hl; i++)
        segs += head[i] == '/';
    const char *e = path;
    for (size_t k = 0; k < segs && *e == '/'; k++) /* the same number of segments of path */
        e += 1 + strcspn(e + 1, "/");
    char probe[300];
    if ((size_t)(e - path) >= sizeof probe)
        return false;
    memcpy(probe, path, (size_t)(e - path));
    probe[e - path] = '\0';
    struct web_req scratch = {0};
    if (!web_route_match(head, probe, &scratch))
        return false;
    *end = e;
    *at = e;
    while (*at > path && (*at)[-1] != '/')
        (*at)--;
    return true;
}

void web_route_mask(char *out, size_t n, const char *path)
{
    /* Under an organisation's prefix the routes are matched as declared: "/organisations/{slug}"
     * dropped, "/api/v1/organisations/{slug}" read as "/api/v1"; base and shift map back. */
    char slug[64], probe[300];
    const char *tail, *p = path;
    size_t base = 0, shift = 0;
    if (web_org_prefix(path, slug, sizeof slug, &tail)) {
        shift = strncmp(path, "/api/", 5) == 0 ? 7 : 0;
        snprintf(probe, sizeof probe, "%s%s", shift ? "/api/v1" : "", tail);
        p = probe;
        base = (size_t)(tail - path);
    }
    for (size_t f = 0; f < web_nfeatures; f++)
        for (size_t i = 0; i < web_features[f]->nroutes; i++) {
            const struct web_route *rt = &web_features[f]->routes[i];
            const char *at, *end;
            if (rt->id_type != WEB_PARAM_SECRET_ID || !secret_prefix(rt->path, p, &at, &end))
                continue;
            size_t from = base + (size_t)(at - p) - shift, to = base + (size_t)(end - p) - shift;
            snprintf(out, n, "%.*s{id}%s", (int)from, path, path + to);
            return;
        }
    snprintf(out, n, "%s", path);
}

