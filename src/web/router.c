/* The list of features (whose route tables together say what exists and who may use it), and
 * the dispatcher that identifies the caller, finds the route, checks the role and the CSRF token,
 * parses the body and runs the handler. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/badrows.h"
#include "web/cache.h"
#include "web/campaigns.h"
#include "web/opinions.h"
#include "web/events.h"
#include "web/improve.h"
#include "web/pulses.h"
#include "web/web_int.h"
#include "core/banned.h"

/* Every feature, once. A feature's file declares its routes and navigation beside its handlers;
 * adding a feature adds one line here. */
const struct web_feature *const web_features[] = {
    &web_strategy, &web_values, &web_themes, &web_ambitions, &web_organisations, &web_programmes,
    &web_account, &web_users, &web_grants, &web_tokens, &web_audit,
    &web_projects, &web_projects_delete, &web_projects_api, &web_drivers, &web_drivers_delete, &web_drivers_api, &web_measures, &web_measures_delete, &web_measures_api, &web_measures_programme, &web_measures_form, &web_rebases, &web_icons, &web_summary, &web_summary_pdf, &web_annotations, &web_celebrate, &web_alignment,
    &web_cases, &web_programme_sight, &web_system_view, &web_programme_work, &web_handovers, &web_handovers_import, &web_handover_sites,
    &web_campaigns, &web_campaign_results, &web_contribute, &web_contribute_withdraw, &web_moderate, &web_provenance, &web_events, &web_events_form, &web_events_delete, &web_events_api,
    &web_conversation_summary, &web_ideas, &web_responses, &web_opinions,
    &web_bad_rows_download,
    &web_pulses, &web_pulses_results, &web_pulses_api, &web_pulses_close,
    &web_wellled,
};
const size_t web_nfeatures = sizeof web_features / sizeof web_features[0];

const char *web_cache_name(enum web_cache_policy c)
{
    switch (c) {
    case WEB_CACHE_DATA: return "data";
    case WEB_CACHE_ANON: return "anonymous";
    case WEB_CACHE_PUBLIC: return "public";
    default: return "none";
    }
}

static void print_params(FILE *f, const struct web_route *rt);

static const char *scope_name(enum web_scope sc)
{
    return sc == WEB_ORG ? "organisation" : sc == WEB_PROGRAMME ? "programme" : "installation";
}

/* A route's deps as ', "depends_on": [...]': topic names, "conversation:{id}" for the one its
 * {id} names; ["all"] when it declares none (every change). */
static void print_deps(FILE *f, unsigned deps)
{
    fputs(", \"depends_on\": [", f);
    const char *sep = "";
    if (!deps)
        fputs("\"all\"", f);
    if (deps & WEB_DEP_CONVERSATION_ID) {
        fputs("\"conversation:{id}\"", f);
        sep = ", ";
    }
    for (int t = 1; t < STORE_TOPIC_N; t++)
        if (deps & WEB_DEP(t)) {
            fprintf(f, "%s\"%s\"", sep, store_topic_name((enum store_topic)t));
            sep = ", ";
        }
    fputs("]", f);
}

void web_print_routes(FILE *f, bool json)
{
    const char *sep = "";
    if (json)
        fputs("[\n", f);
    for (size_t i = 0; i < web_nfeatures; i++)
        for (size_t j = 0; j < web_features[i]->nroutes; j++) {
            const struct web_route *rt = &web_features[i]->routes[j];
            const char *kind = rt->kind == WEB_API ? "api" : "page";
            if (!json) {
                fprintf(f, "%s %s %s %s %s\n", rt->method, rt->path, store_role_name(rt->role), kind, scope_name(rt->scope));
                continue;
            }
            /* Paths and names are ASCII without quotes or backslashes: no escaping needed. */
            fprintf(f, "%s  {\"method\": \"%s\", \"path\": \"%s\", \"role\": \"%s\", \"kind\": \"%s\", "
                       "\"scope\": \"%s\", \"cache\": \"%s\", \"lag_ms\": %d, \"load\": \"%s\", \"paths\": [\"%s\"",
                    sep, rt->method, rt->path, store_role_name(rt->role), kind, scope_name(rt->scope),
                    web_cache_name(rt->cache), rt->lag_ms, web_load_name(rt->load),
                    rt->path);
            /* An organisation's route exists for the installation's first organisation as declared,
             * and for every organisation under its prefix (resolve). */
            if (rt->scope == WEB_ORG && rt->kind == WEB_API)
                fprintf(f, ", \"/api/v1/organisations/{org}%s\"", rt->path + 7);
            else if (rt->scope == WEB_ORG)
                fprintf(f, ", \"/organisations/{org}%s\"", strcmp(rt->path, "/") == 0 ? "" : rt->path);
            fputs("], \"params\": [", f);
            print_params(f, rt);
            fputs("]", f);
            print_deps(f, rt->deps);
            if (rt->confirm)
                fputs(", \"confirm\": true", f);
            fputs("}", f);
            sep = ",\n";
        }
    if (json)
        fputs("\n]\n", f);
}

/* The parameters a route path may declare, each with its type: what it matches and where the
 * router puts it. A new parameter is a line here; the matcher knows only the types. */
static const char *const statement_kinds[] = {"vision", "purpose", NULL};
const struct web_param web_params[] = {
    {"{id}", WEB_PARAM_ID, NULL},                 /* a positive integer, up to STORE_ID_MAX: r->id */
    {"{kind}", WEB_PARAM_WORD, statement_kinds},  /* a statement: r->kind */
    {"{programme}", WEB_PARAM_SLUG, NULL},        /* a programme's slug: r->slug */
    {"{org}", WEB_PARAM_SLUG, NULL},              /* an organisation's slug: r->slug */
};
const size_t web_nparams = sizeof web_params / sizeof web_params[0];

/* The declared parameter pat starts with, or NULL. */
static const struct web_param *param_at(const char *pat)
{
    for (size_t i = 0; i < web_nparams; i++)
        if (strncmp(pat, web_params[i].name, strlen(web_params[i].name)) == 0)
            return &web_params[i];
    return NULL;
}

/* Matches a parameter of type p at the start of path into r: the bytes matched, or 0. */
static size_t param_match(const struct web_param *p, const char *path, struct web_req *r)
{
    size_t n = 0;
    switch (p->type) {
    case WEB_PARAM_ID:
    case WEB_PARAM_SECRET_ID: {
        int64_t v = 0;
        for (; path[n] >= '0' && path[n] <= '9'; n++) {
            if (n >= 16) /* up to STORE_ID_MAX, a random contribution id */
                return 0;
            v = v * 10 + (path[n] - '0');
        }
        if (v == 0)
            return 0;
        r->id = v;
        return n;
    }
    case WEB_PARAM_SLUG:
        while ((path[n] >= 'a' && path[n] <= 'z') || (path[n] >= '0' && path[n] <= '9') || path[n] == '-')
            n++;
        if (n == 0 || n >= sizeof r->slug)
            return 0;
        memcpy(r->slug, path, n);
        r->slug[n] = '\0';
        return n;
    case WEB_PARAM_WORD:
        for (const char *const *w = p->words; *w; w++) {
            n = strlen(*w);
            if (strncmp(path, *w, n) == 0 && (path[n] == '/' || path[n] == '\0')) {
                snprintf(r->kind, sizeof r->kind, "%s", *w);
                return n;
            }
        }
        return 0;
    }
    return 0;
}

/* The parameters of a route's path, with their types, as JSON array members ({id} is "secret_id"
 * when the route declares it so). */
static void print_params(FILE *f, const struct web_route *rt)
{
    static const char *const type_names[] = {"id", "slug", "word", "secret_id"};
    const char *path = rt->path;
    const char *sep = "";
    for (const char *p = strchr(path, '{'); p; p = strchr(p + 1, '{')) {
        const struct web_param *d = param_at(p);
        if (!d)
            continue;
        fprintf(f, "%s{\"name\": \"%.*s\", \"type\": \"%s\"", sep, (int)strlen(d->name) - 2, d->name + 1,
                type_names[d->type == WEB_PARAM_ID ? rt->id_type : d->type]);
        if (d->words) {
            fputs(", \"words\": [", f);
            for (const char *const *w = d->words; *w; w++)
                fprintf(f, "%s\"%s\"", w == d->words ? "" : ", ", *w);
            fputs("]", f);
        }
        fputs("}", f);
        sep = ", ";
    }
}

/* Matches path against pattern, filling the parameters it declares into r. */
bool web_route_match(const char *pat, const char *path, struct web_req *r)
{
    while (*pat && *path) {
        const struct web_param *p = *pat == '{' ? param_at(pat) : NULL;
        if (p) {
            size_t n = param_match(p, path, r);
            if (n == 0)
                return false;
            path += n;
            pat += strlen(p->name);
        } else if (*pat++ != *path++) {
            return false;
        }
    }
    return *pat == '\0' && *path == '\0';
}

static void fail(struct web_req *r, struct web_resp *w, int status, const char *msg)
{
    if (r->is_api)
        web_json_error(w, status, msg);
    else
        html_error_page(r, w, status, status == 500 ? NULL : msg);
}

/* Percent-encodes everything but unreserved characters and '/'. */
static void url_encode(char *out, size_t n, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (; *s && o + 4 < n; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~' || c == '/')
            out[o++] = (char)c;
        else {
            out[o++] = '%';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    out[o] = '\0';
}

struct store_scope web_scope(const struct web_req *r)
{
    if (r->programme.id)
        return (struct store_scope){STORE_SCOPE_PROGRAMME, r->programme.id};
    return (struct store_scope){STORE_SCOPE_ORG, r->org.id};
}

/* Finds the route for method and path among routes of scope `only` (or any scope when only is
 * negative); *known tells whether the path exists for another method. */
const struct web_route *web_route_find(struct web_req *r, const char *path, int only, bool *known)
{
    for (size_t i = 0; i < web_nfeatures; i++) {
        const struct web_feature *f = web_features[i];
        for (size_t j = 0; j < f->nroutes; j++) {
            const struct web_route *rt = &f->routes[j];
            if ((only >= 0 && (int)rt->scope != only) || !web_route_match(rt->path, path, r))
                continue;
            *known = true;
            if (strcmp(rt->method, r->method) == 0 || (strcmp(r->method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0))
                return rt;
        }
    }
    return NULL;
}

/* The organisation prefix: "/organisations/{slug}" on pages, "/api/v1/organisations/{slug}" in the
 * API. Copies the slug and points *rest at what follows ("" for the organisation's own home). */
bool web_org_prefix(const char *path, char *slug, size_t n, const char **rest)
{
    const char *p = strncmp(path, "/organisations/", 15) == 0          ? path + 15
                    : strncmp(path, "/api/v1/organisations/", 22) == 0 ? path + 22
                                                                       : NULL;
    if (!p)
        return false;
    size_t len = strcspn(p, "/");
    if (len == 0 || len >= n)
        return false;
    memcpy(slug, p, len);
    slug[len] = '\0';
    *rest = p + len;
    return true;
}

static int org_lookup(struct web_req *r, const char *slug, struct purpose_err *err)
{
    return web_org_get(r, slug, &r->org, err);
}

int web_route_lag(const char *method, const char *path)
{
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return 0;
    struct web_req scratch = {.method = method};
    bool known = false;
    const struct web_route *rt = web_route_find(&scratch, path, -1, &known);
    char slug[64], rest[300];
    const char *tail;
    if (!rt && !known && web_org_prefix(path, slug, sizeof slug, &tail)) {
        bool api = strncmp(path, "/api/", 5) == 0;
        snprintf(rest, sizeof rest, "%s%s", api ? "/api/v1" : "", *tail ? tail : (api ? "" : "/"));
        rt = web_route_find(&scratch, rest, WEB_ORG, &known);
    }
    return rt ? rt->lag_ms : 0;
}

/* The route for the request: an unprefixed path first (organisation routes then act for the
 * installation's first organisation), then an organisation's own pages under its prefix. Loads
 * the organisation and programme the route names. Returns the route, or NULL with *status 404 or
 * 405 (or -1 on a store failure). */
static const struct web_route *resolve(struct web_req *r, char *rest_buf, size_t n, int *status,
                                       struct purpose_err *err)
{
    bool known = false;
    r->route_path = r->path;
    const struct web_route *rt = web_route_find(r, r->path, -1, &known);
    char slug[64];
    const char *rest;
    if (!rt && !known && web_org_prefix(r->path, slug, sizeof slug, &rest)) {
        snprintf(rest_buf, n, "%s%s", r->is_api ? "/api/v1" : "", *rest ? rest : (r->is_api ? "" : "/"));
        rt = web_route_find(r, rest_buf, WEB_ORG, &known);
        if (rt || known) {
            if (org_lookup(r, slug, err) < 0) {
                *status = err->kind == PURPOSE_ERR_NOT_FOUND ? 404 : -1;
                return NULL;
            }
            r->route_path = rest_buf;
            snprintf(r->base, sizeof r->base, "/organisations/%s", slug);
        }
    }
    if (!rt) {
        *status = known ? 405 : 404;
        return NULL;
    }
    if (rt->scope == WEB_ORG && !r->org.id && org_lookup(r, "", err) < 0) {
        *status = err->kind == PURPOSE_ERR_NOT_FOUND ? 404 : -1;
        return NULL;
    }
    if (rt->scope == WEB_PROGRAMME && store_programme_find(r->ctx->store, r->slug, &r->programme, err) < 0) {
        *status = err->kind == PURPOSE_ERR_NOT_FOUND ? 404 : -1;
        return NULL;
    }
    return rt;
}

/* The request's scope (every store call of an organisation's or a programme's route is made in it,
 * signed in or not) and the caller's role there (store_role_in decides); anonymous stays
 * anonymous. */
static int scoped_role(struct web_req *r, const struct web_route *rt, struct purpose_err *err)
{
    if (rt->scope == WEB_INSTALLATION)
        return 0;
    r->scope = web_scope(r);
    if (!r->user.id)
        return 0;
    return store_role_in(r->ctx->store, &r->user, r->scope, &r->role, err);
}

static bool is_write(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

int web_parse_body(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const char *ct = r->header(r->conn, "Content-Type");
    if (r->is_api) {
        if (r->body_len == 0)
            return 0;
        if (!ct || strncmp(ct, "application/json", 16) != 0) {
            web_json_error(w, 415, "Content-Type: must be application/json");
            return -1;
        }
        json_error_t je;
        r->json = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
        if (!r->json || !json_is_object(r->json)) {
            char msg[300];
            if (!r->json)
                snprintf(msg, sizeof msg, "body: is not valid JSON (line %d: %s)", je.line, je.text);
            else
                snprintf(msg, sizeof msg, "body: must be a JSON object");
            web_json_error(w, 400, msg);
            return -1;
        }
        return 0;
    }
    bool multipart = r->body_len && web_is_multipart(ct);
    if (r->body_len && !multipart && (!ct || strncmp(ct, "application/x-www-form-urlencoded", 33) != 0)) {
        html_error_page(r, w, 400, "The form was not sent as a web form.");
        return -1;
    }
    if ((multipart ? web_multipart_parse(r->conn, r->body, r->body_len, &r->form, err)
                   : web_form_parse(r->body, r->body_len, &r->form, err)) < 0) {
        html_error_page(r, w, 400, err->msg);
        return -1;
    }
    return 0;
}

/* A request the server could not answer, on stderr for the operator: its path as the access log
 * keeps it, so that an anonymous idea's id is not written beside the time (docs/privacy.md). */
static void log_failure(const struct web_req *r, const char *msg, const char *suffix)
{
    char path[512];
    web_path_for_log(path, sizeof path, r->path);
    fprintf(stderr, "purpose serve: %s %s: %s%s\n", r->method, path, msg, suffix);
}

/* Loads the object the route declares (web_route.load) in the request's scope: 0, or 1 when the
 * request is answered (404 for none there, or the server failure). */
static int load(struct web_req *r, struct web_resp *w, const struct web_route *rt)
{
    struct purpose_err err = {0};
    int rc = 0;
    if (rt->load == WEB_LOAD_CONVERSATION)
        rc = store_campaign_get(r->ctx->store, &r->scope, r->id, &r->conversation, &err);
    else if (rt->load == WEB_LOAD_PROJECT)
        rc = store_project_get(r->ctx->store, &r->scope, r->id, &r->project, &err);
    else if (rt->load == WEB_LOAD_EVENT)
        rc = store_event_get(r->ctx->store, &r->scope, r->id, &r->event, &err);
    else if (rt->load == WEB_LOAD_MEASURE)
        rc = store_measure_get(r->ctx->store, &r->scope, r->id, &r->measure, &err);
    else if (rt->load == WEB_LOAD_DRIVER)
        rc = store_driver_get(r->ctx->store, &r->scope, r->id, &r->driver, &err);
    if (rc == 0)
        return 0;
    if (web_fail(r, w, &err) < 0) {
        log_failure(r, err.msg, "");
        web_fail_server(r, w, &err);
    }
    return 1;
}

/* A destructive form's confirmation (web_route.confirm) is answered before its handler runs,
 * unless the form is the confirmation's own (confirm=yes): true when it was. */
static bool confirm_first(struct web_req *r, struct web_resp *w, const struct web_route *route)
{
    if (!route->confirm || r->is_api || strcmp(r->method, "POST") != 0)
        return false;
    const char *yes = web_form_get(&r->form, "confirm");
    if (yes && strcmp(yes, "yes") == 0)
        return false;
    struct purpose_err err = {0};
    int rc = route->confirm(r, w, &err);
    if (rc < 0) {
        log_failure(r, err.msg, "");
        web_fail_server(r, w, &err);
    }
    return rc <= 0;
}

static bool csrf_ok(struct web_req *r)
{
    if (r->via_token)
        return true; /* a bearer token is not sent by browsers on their own */
    const char *got = r->is_api ? r->header(r->conn, "X-CSRF-Token") : web_form_get(&r->form, "csrf");
    return r->csrf[0] && got && secret_equal(r->csrf, got);
}

/* The answer to a caller whose role in the route's scope is below the one it needs: sign in first
 * (a page) or 401 (the API) when anonymous, else 403 saying which role, where. */
static void refuse_role(struct web_req *r, struct web_resp *w, const struct web_route *route)
{
    if (r->role == ROLE_ANON && !r->is_api) {
        char next[300], loc[400];
        url_encode(next, sizeof next, r->path);
        snprintf(loc, sizeof loc, "/sign-in?next=%s", next);
        web_redirect(w, loc);
    } else if (r->role == ROLE_ANON) {
        fail(r, w, 401, "sign in or send an API token (Authorization: Bearer ...)");
    } else if (r->is_api) {
        web_json_error(w, 403, "your role does not allow this");
    } else {
        char who[STORE_NAME_MAX + 160];
        snprintf(who, sizeof who, "Only people with the %s role or above in %s can do this. Your role there is %s.",
                 store_role_name(route->role), r->programme.id ? r->programme.name : r->org.name,
                 store_role_name(r->role));
        html_error_page(r, w, 403, who);
    }
}

static void dispatch(struct web_req *r, struct web_resp *w)
{
    struct purpose_err err = {0};
    w->status = 200;
    r->is_api = strncmp(r->path, "/api/", 5) == 0;
    if (!r->gen_ok && !r->faulted) /* the server reads it once per request; read it here when it could not */
        r->gen_ok = store_generation(r->ctx->store, &r->gen, NULL) == 0;
    if (web_auth_identify(r, &err) < 0) {
        fprintf(stderr, "purpose serve: %s\n", err.msg);
        web_fail_server(r, w, &err);
        return;
    }
    char rest[300];
    int status = 0;
    const struct web_route *route = resolve(r, rest, sizeof rest, &status, &err);
    w->base = r->base; /* the kit puts it on every link to one of the organisation's own pages */
    if (!route && status > 0) {
        fail(r, w, status, status == 405 ? "method not allowed" : "not found");
        return;
    }
    if (!route || scoped_role(r, route, &err) < 0) {
        log_failure(r, err.msg, "");
        web_fail_server(r, w, &err);
        return;
    }
    if (r->role < route->role) {
        refuse_role(r, w, route);
        return;
    }
    if (is_write(r->method)) {
        if (web_parse_body(r, w, &err) < 0)
            return;
        if (!csrf_ok(r)) {
            fail(r, w, 403, r->is_api ? "X-CSRF-Token: missing or wrong"
                                      : "The form has expired. Go back, reload the page and try again.");
            return;
        }
    }
    if (r->faulted) /* the calls so far were identity and scope, every route's */
        r->fault_route = store_fault_calls();
    if (route->load && load(r, w, route) != 0)
        return;
    if (confirm_first(r, w, route))
        return;
    bool get = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
    bool cacheable = route->cache == WEB_CACHE_DATA && r->gen_ok && r->ctx->cache && strcmp(r->method, "GET") == 0;
    if (cacheable && web_body_cache_get(r, w))
        return;
    /* What the answer is made from, read before it is made (route_cache.c): every cache keeps it. */
    r->stamp = (struct web_stamp){.gen = r->gen};
    if (get && web_stamp_make(r, route->deps, r->id, &r->stamp, &err) < 0) {
        log_failure(r, err.msg, "");
        web_fail_server(r, w, &err);
        return;
    }
    w->render = web_render_next();
    struct store_writes before = store_thread_writes();
    if (route->handler(r, w, &err) < 0) {
        struct store_writes after = store_thread_writes();
        /* Every write committed and then something failed: the change is stored whole. */
        bool saved = after.committed != before.committed && after.failed == before.failed;
        log_failure(r, err.msg, saved ? " (after its change was saved)" : "");
        if (saved)
            web_fail_saved(r, w);
        else
            web_fail_server(r, w, &err);
        return;
    }
    if (is_write(r->method) && store_thread_writes().committed != before.committed)
        web_generation_forget(r->ctx);
    if (w->status == 200 && !is_write(r->method))
        w->cacheable = route->cache == WEB_CACHE_PUBLIC || (route->cache == WEB_CACHE_ANON && r->role == ROLE_ANON);
    if (cacheable && w->status == 200)
        web_body_cache_put(r, w);
}

/* Tests only: a server started with PURPOSE_FAULT_HEADER=1 (web_options.fault_header) fails the N-th
 * database step of a request that sends "X-Purpose-Fault: N", and only of that request, so that a
 * sweep proves every failure path of every route in one process. Such a request is answered from
 * no cache (every cache is keyed on the generation: without one none is read or filled), so that
 * its database steps run even where a request before it filled a cache. */
void web_dispatch(struct web_req *r, struct web_resp *w)
{
    const char *h = r->ctx->opt && r->ctx->opt->fault_header && r->header ? r->header(r->conn, "X-Purpose-Fault") : NULL;
    char *end = NULL;
    long n = h ? strtol(h, &end, 10) : 0;
    bool armed = h && *h && !*end && n > 0 && n <= 1000000;
    if (armed) {
        r->faulted = true;
        r->fault_route = -1;
        r->gen_ok = false;
        store_fault_arm((int)n);
    }
    dispatch(r, w);
    if (armed) {
        /* "... route=K": the route's own database calls began after the K-th (-1: never reached). */
        char note[sizeof w->fault_note - 16];
        store_fault_note(note, sizeof note);
        snprintf(w->fault_note, sizeof w->fault_note, "%s route=%d", note, r->fault_route);
        store_fault_arm(0);
    }
}

void web_req_release(struct web_req *r)
{
    store_user_release(&r->user);
    store_org_release(&r->org);
    store_programme_release(&r->programme);
    store_campaign_release(&r->conversation);
    store_project_release(&r->project);
    store_event_release(&r->event);
    store_measure_release(&r->measure);
    store_driver_release(&r->driver);
    web_form_release(&r->form);
    json_decref(r->json);
    r->json = NULL;
}
