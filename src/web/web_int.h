#ifndef PURPOSE_WEB_INT_H
#define PURPOSE_WEB_INT_H

/* Private to src/web: the request and response every handler sees, the route, navigation and
 * feature declarations, and the helpers every feature shares. Handlers never see libmicrohttpd
 * types. Each feature file (strategy.c, values.c, themes.c, ambitions.c, account.c, users.c,
 * tokens.c, audit.c) declares its routes and navigation entries beside its handlers, renders
 * pages with the design-system kit (kit.h) and answers errors by their kind (respond.c). */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/secret.h"
#include "store/store.h"
#include "web/web.h"

#define WEB_PAGE_LIMIT (4u << 20) /* largest response body a handler may build */
#define WEB_INTERNAL_ERROR "the server could not complete the request" /* an API 500's words */
#define WEB_FORM_FIELDS 32  /* fields (or multipart parts) of one form */
#define WEB_FORM_NAME_MAX 64 /* bytes of a multipart part's field name */
#define WEB_FILE_NAME_MAX 255 /* bytes of an uploaded file's name */
#define WEB_SESSION_SECONDS (8 * 3600)
#define WEB_SESSION_COOKIE "purpose_session"
#define WEB_PRESESSION_COOKIE "purpose_csrf" /* guards the sign-in form before a session exists */
#define WEB_CONTRIBUTOR_COOKIE "purpose_contributor" /* a contributor session (web/campaigns.h) */
#define WEB_CONTRIBUTOR_TOKEN_MAX 100
#define WEB_DEVICE_COOKIE "purpose_device" /* a browser the account signed in from (auth.c) */
#define WEB_COOKIES_MAX 5 /* Set-Cookie headers of one answer */
#define WEB_PRESESSION_MAX 100 /* the pre-session cookie's value (csrf.c) */

/* What a cached answer was made from (route_cache.c): the store generation it is known to be true
 * at, and the counters of the topics it depends on (store/topics.h) as they were read before it was
 * made. At another generation it is still true when those counters have not moved. n 0: it
 * depends on every change (a route that declares no deps), true at gen only. */
#define WEB_STAMP_MAX 10
struct web_stamp {
    uint64_t gen;
    int64_t until; /* the time (s) from which it is no longer true whatever the store (a conversation it
                      shows as open or closed opens or closes then); 0: none */
    unsigned n;
    struct store_topic_key key[WEB_STAMP_MAX];
    int64_t value[WEB_STAMP_MAX];
};

struct web_ratelimit; /* auth.c */
struct web_errors;    /* below: every error of a form */
struct web_cache;     /* router.c */
struct web_frag;      /* cache.h */

/* Server-wide state, shared by every thread. */
struct web_ctx {
    struct store *store;
    const struct web_options *opt;
    bool secure_cookies;
    unsigned char key[32];
    struct web_ratelimit *rl;
    struct web_cache *cache;
};

/* A form field. A file of a multipart form (an <input type="file">) is a field too: value is its
 * text, filename its name ("" when no file was chosen); problem, when set, says why the file was
 * not kept as text (a NUL byte, not UTF-8), and value is then "". The form owns all four strings;
 * filename and problem are NULL for other fields. */
struct web_field {
    char *name;
    char *value;
    char *filename;
    char *problem;
};

struct web_form {
    struct web_field f[WEB_FORM_FIELDS];
    size_t n;
};

/* Returns a header's value or NULL; implemented by the server. */
typedef const char *(*web_header_fn)(void *conn, const char *name);

/* A role web_may read for a scope, kept for the rest of the request. */
struct web_may_memo {
    struct store_scope scope;
    enum store_role role;
};

struct web_req {
    struct web_ctx *ctx;
    const char *method;
    const char *path;  /* decoded by the server, without the query */
    const char *ip;
    void *conn;
    web_header_fn header;
    web_header_fn arg; /* a decoded query-string argument, or NULL */
    const char *body;
    size_t body_len;

    /* Set by the router. */
    bool is_api;
    struct store_user user; /* id 0 when nobody is signed in */
    enum store_role role;
    bool via_token;
    char session_hash[SECRET_HEX_LEN + 1];
    char csrf[SECRET_TOKEN_LEN + 1]; /* the session's CSRF token, or the pre-session one */
    bool new_presession;             /* csrf was just made: set the pre-session cookie to presession */
    char presession[WEB_PRESESSION_MAX + 1];
    int64_t id;                      /* the {id} in the route */
    char kind[16];                   /* the {kind} in the route */
    char slug[64];                   /* the {programme} or {org} in the route */
    const char *route_path;          /* path without the organisation prefix (see base) */
    /* The organisation whose pages and data these are: the one named by an /organisations/{slug}
     * prefix, else the installation's first; base is that prefix ("" for the first). A programme
     * route's {programme}. scope is what the route's role is checked in. */
    struct store_org org;
    struct store_programme programme;
    char base[80];
    struct store_scope scope;
    struct web_form form;            /* a parsed form body */
    json_t *json;                    /* a parsed JSON body */
    uint64_t gen;                    /* the store generation at the start of the request (or, for a
                                        route with lag_ms, one read at most lag_ms before) */
    bool gen_ok;
    bool faulted;                    /* tests only: X-Purpose-Fault armed for it; no cache (web_dispatch) */
    int fault_route;                 /* tests only: its database calls before the route's own (-1: not reached) */
    int lag_ms;                      /* the route's lag_ms (web_route_lag) */
    struct web_stamp stamp;          /* what a GET's answer is made from (web_route.deps), read by the
                                        dispatcher before the handler; every cache keeps it */
    struct store_campaign conversation; /* loaded by the router (web_route.load); a handler may take
                                           it over (web_campaign_load), leaving it zeroed */
    struct store_project project;    /* likewise (web_project_take) */
    struct store_event event;        /* likewise (web_event_take) */
    struct store_measure measure;    /* likewise (web_measure_take) */
    struct store_driver driver;      /* likewise (web_driver_take) */
    struct web_may_memo may[4];      /* roles web_may read for other scopes */
    unsigned nmay;
};

struct web_resp {
    int status;
    const char *content_type;
    struct buf body;
    char location[600];
    char cookies[WEB_COOKIES_MAX][300];
    int ncookies;
    bool cacheable; /* the same bytes for every anonymous request of this path: set by the dispatcher
                       from the route's cache policy after a 200 answer */
    const char *base; /* the request's organisation prefix (web_req.base), set by the dispatcher */
    struct web_frag *frag; /* a shared fragment that belongs at body[frag_at] (cache.h), or NULL */
    size_t frag_at;
    bool frag_in_body;     /* its bytes are in body already (else web_frag_materialize puts them) */
    char fault_note[96];   /* tests only: what an injected fault did (X-Purpose-Fault), or "" */
    uint64_t render;       /* which rendering this answer is (a cache hit keeps the one it was made by):
                              sent as X-Purpose-Render under PURPOSE_TEST=1, for tests/http/cache */
    /* Every error of the form this page shows again (action.h), or NULL: the kit then reads each
     * field's error and the error summary from it, not from the single error it is passed. */
    const struct web_errors *errs;
};

/* The caller's contributor session (contribute.c): issued and signed by the server, sent back in
 * the purpose_contributor cookie (pages) or the X-Contributor header (API), bound to the account
 * it was issued to (none when nobody was signed in) and unexpired. */
struct web_contributor {
    char secret[SECRET_TOKEN_LEN + 1];          /* what the store is given; "" when none */
    char token[WEB_CONTRIBUTOR_TOKEN_MAX + 1]; /* what the client holds */
    bool issued;                                /* new in this answer (its cookie is set) */
};
enum web_contributor_use {
    WEB_CONTRIBUTOR_PEEK,  /* reading a page: one that is not valid is forgotten and taken as none */
    WEB_CONTRIBUTOR_NEED,  /* acting on one's own: one that is not valid is an error; none is "" */
    WEB_CONTRIBUTOR_WRITE, /* writing: as NEED, and a new one is issued when none was sent */
};

/* A handler parses the request, calls the store and renders: it fills resp (status defaults to
 * 200) and returns 0; -1 means an internal error, answered with the 500 page (err has the detail
 * for the log). */
typedef int (*web_handler)(struct web_req *r, struct web_resp *w, struct purpose_err *err);

enum web_route_kind { WEB_PAGE = 0, WEB_API = 1 };

/* A GET route's cache policy: who shares its answer, declared once in the route and read by the
 * dispatcher (router.c) and the server (server.c), which name no path of their own. What the
 * answer depends on is the route's deps: a cached answer is used again while the store is at the
 * same generation, and after other commits while none of its topics moved (route_cache.c); a route
 * with lag_ms may also be answered from data up to that old (also by the shared fragments of
 * cache.h). */
enum web_cache_policy {
    WEB_CACHE_NONE = 0,   /* rendered per request; Cache-Control: no-store */
    WEB_CACHE_DATA = 1,   /* only the stored data, the same for everyone the role check lets in: the
                             dispatcher keeps the body per path after the role check */
    WEB_CACHE_ANON = 2,   /* the same bytes for every anonymous request of the path (the page frame
                             differs for people signed in): the server keeps anonymous answers whole,
                             before any parsing (Cache-Control: no-cache) */
    WEB_CACHE_PUBLIC = 3, /* the same bytes for everyone: likewise, and no-cache for everyone */
};
/* The policy's name in `serve --routes --format json`. */
const char *web_cache_name(enum web_cache_policy c);

/* What a route's role is checked in: the installation (the user's own role: administrators, one's
 * own account), an organisation (its strategy; also reachable under /organisations/{slug}), or the
 * programme named by the route's {programme}. */
enum web_scope { WEB_INSTALLATION = 0, WEB_ORG = 1, WEB_PROGRAMME = 2 };

/* The object a route loads before its handler runs (web_route.load): the one its {id} names, read
 * in the request's scope (web_scope), so that one of another organisation or programme, or none,
 * is answered 404 by the router and the handler starts from an object it may act on. */
enum web_load {
    WEB_LOAD_NONE = 0,
    WEB_LOAD_CONVERSATION, /* web_req.conversation */
    WEB_LOAD_PROJECT,      /* web_req.project, of the request's organisation */
    WEB_LOAD_EVENT,        /* web_req.event, of the request's organisation or programme */
    WEB_LOAD_MEASURE,      /* web_req.measure, of the request's organisation (any level) or programme (its own) */
    WEB_LOAD_DRIVER,       /* web_req.driver (a node of a driver diagram), of the request's organisation */
};

/* A route parameter's type (router.c's web_params declares each "{name}" once): a positive
 * integer, a slug (a-z, 0-9 and -), or one of a list of words. */
enum web_param_type { WEB_PARAM_ID, WEB_PARAM_SLUG, WEB_PARAM_WORD, WEB_PARAM_SECRET_ID };
struct web_param {
    const char *name;         /* as written in a path: "{id}" */
    enum web_param_type type;
    const char *const *words; /* WEB_PARAM_WORD: the words, NULL-terminated */
};
extern const struct web_param web_params[];
extern const size_t web_nparams;

/* One route, declared beside its handler with designated initialisers, one line each, so that a
 * new field (with a zero default) changes only the routes that use it. */
struct web_route {
    const char *method;
    const char *path;         /* its parameters, "{id}", "{kind}", "{programme}" and "{org}", as
                                 router.c's web_params declares them */
    enum store_role role;     /* the lowest role that may use it */
    enum web_route_kind kind; /* WEB_PAGE (HTML) or WEB_API (JSON) */
    web_handler handler;
    enum web_cache_policy cache; /* its cache policy (GET only) */
    enum web_load load;       /* what the router loads for it */
    /* Its {id}'s type: WEB_PARAM_ID (the default), or WEB_PARAM_SECRET_ID, an anonymous row's id
     * (an idea's), matched alike but written "{id}" wherever the request is logged (the access log,
     * error lines: web_route_mask), so that no log line ties it to the time or to the lines around
     * it (docs/privacy.md). No path is named for this anywhere else. */
    enum web_param_type id_type;
    enum web_scope scope;
    /* What its answer depends on (GET only): WEB_DEP bits of store/topics.h's topics, each of id 0
     * (any organisation's strategy, ...), and WEB_DEP_CONVERSATION_ID, the conversation its {id}
     * names (its contributions and votes). 0: every change, as a route that declares nothing. A
     * route declares what every part of its answer reads, for everyone its cache policy shares it
     * with; a narrower list than the truth serves stale pages, so when in doubt declare none. */
    unsigned deps;
    /* A GET that may answer from data up to this many milliseconds old (0: the store as it is now).
     * For such a route the generation and the organisation are reused for that long instead of
     * read per request (up to twice that while one request reads them again), which is what lets a page read while every vote commits (the conversation
     * results) avoid a database round trip per request. Any other route sees the previous commit,
     * by this server or another, at once (docs/architecture.md, "Scale-out"). */
    int lag_ms;
    /* A destructive form (a POST page: a delete, withdrawal, revocation, removal, disable or close):
     * the confirmation that comes first (confirm.h), declared here and nowhere else. The dispatcher
     * calls it instead of the handler for a POST without confirm=yes, the field every confirmation
     * page posts, so that no form of the route changes anything before its confirmation was shown.
     * It answers the page saying what will go (or an error page) and returns 0; or returns 1 when
     * what this form asks for destroys nothing (a user's edit that does not disable them), and the
     * handler runs; -1 an internal error. The API stays one call. `serve --routes` lists it
     * ("confirm": true), and tests/http/confirm_routes.test.mjs submits every such route. */
    web_handler confirm;
};

#define WEB_DEP(topic) (1u << (topic))
#define WEB_DEP_CONVERSATION_ID (1u << 31)
/* The topics of a page about an organisation's or a programme's strategy: its statements, values,
 * themes, ambitions and aims, the organisations and programmes it names, and conversations' names
 * and states (not their contributions or votes, which bump only their own conversation). */
#define WEB_DEPS_STRATEGY (WEB_DEP(STORE_TOPIC_STRATEGY) | WEB_DEP(STORE_TOPIC_ORGS) | WEB_DEP(STORE_TOPIC_CONVERSATION))

/* One entry of the header navigation, shown to whoever may follow it (web_may, from its route's
 * declaration), or, with anonymous_only, to people not signed in. Entries from every feature are
 * shown in rank order. */
struct web_nav {
    const char *href;
    const char *label;
    int rank;
    bool anonymous_only;
};

/* A feature: its routes and its navigation entries. router.c lists every feature once. */
struct web_feature {
    const struct web_route *routes;
    size_t nroutes;
    const struct web_nav *nav;
    size_t nnav;
};
#define WEB_FEATURE(var, routes_, nav_)                                                            \
    const struct web_feature var = {routes_, sizeof routes_ / sizeof routes_[0], nav_,             \
                                    sizeof nav_ / sizeof nav_[0]}

/* A feature with routes and no navigation entry. */
#define WEB_FEATURE_ROUTES(var, routes_)                                                            \
    const struct web_feature var = {routes_, sizeof routes_ / sizeof routes_[0], NULL, 0}

extern const struct web_feature web_strategy, web_values, web_themes, web_ambitions, web_account,
    web_users, web_tokens, web_audit, web_organisations, web_programmes, web_grants, web_handovers,
    web_handovers_import, web_handover_sites;
extern const struct web_feature web_wellled; /* wellled.c */

/* router.c: the features, the response cache, and running a request through authentication,
 * the routes, the role check and the handler. */
extern const struct web_feature *const web_features[];
extern const size_t web_nfeatures;
int web_cache_init(struct web_ctx *c, struct purpose_err *err);
void web_cache_release(struct web_ctx *c);
void web_dispatch(struct web_req *r, struct web_resp *w);
void web_req_release(struct web_req *r);
/* The project {id} names, of the request's organisation, into *p (the caller releases it): the one
 * the router loaded (WEB_LOAD_PROJECT), taken over, else read now. 0, or -1 with err. */
int web_project_take(struct web_req *r, struct store_project *p, struct purpose_err *err);
/* Likewise the event (of the request's scope), the measure and the driver-diagram node (of its
 * organisation) that {id} names: the router's (WEB_LOAD_EVENT, _MEASURE, _DRIVER), taken over, else
 * read now. 0, or -1 with err (NOT_FOUND for another scope's). */
int web_event_take(struct web_req *r, struct store_event *e, struct purpose_err *err);
int web_measure_take(struct web_req *r, struct store_measure *m, struct purpose_err *err);
int web_driver_take(struct web_req *r, struct store_driver *d, struct purpose_err *err);
/* The name of a route's load in `serve --routes --format json`. */
const char *web_load_name(enum web_load l);

/* route_cache.c: the one rule every cache follows. web_stamp_make reads into *out what an answer
 * made now for r depends on (deps as web_route.deps; conversation the id WEB_DEP_CONVERSATION_ID
 * names), before it is made; web_stamp_fresh tells whether an answer with stamp s is still true at
 * generation gen, and if so records gen in s (the topics are read at most once per generation,
 * shared by every request). web_stamp_make returns 0, or -1 with err when the store cannot be read
 * (the request then fails as any read would). */
int web_stamp_make(struct web_req *r, unsigned deps, int64_t conversation, struct web_stamp *out,
                   struct purpose_err *err);
bool web_stamp_fresh(struct web_ctx *ctx, struct web_stamp *s, uint64_t gen);
/* Whether s has passed its until (then no cache uses it again, even at its own generation). */
bool web_stamp_expired(const struct web_stamp *s);
/* r's answer shows whether a conversation open from opens_at to closes_at is open now: it is no
 * longer true from the next of those times (r->stamp.until), with no write to bump a topic. */
void web_stamp_until_open(struct web_req *r, int64_t opens_at, int64_t closes_at);
/* A new rendering's number (web_resp.render). */
uint64_t web_render_next(void);

/* The body of a WEB_CACHE_DATA route kept for r->path while its stamp holds: true with it in w; and
 * keeping w's body (a 200) with r->stamp. */
bool web_body_cache_get(struct web_req *r, struct web_resp *w);
void web_body_cache_put(struct web_req *r, struct web_resp *w);
/* The lag_ms of the GET (or HEAD) route for path, 0 for any other request. */
int web_route_lag(const char *method, const char *path);
/* The store generation for a request whose route accepts lag_ms of lag: the last one read (by any
 * request) if it was read at most lag_ms ago, else a new read. false when it cannot be read. */
bool web_generation(struct web_ctx *ctx, int lag_ms, uint64_t *gen);
/* Forgets the last generation read, so that the next request reads it afresh: after this server
 * committed a change, whoever made it sees it on their next request, lagging routes too. */
void web_generation_forget(struct web_ctx *ctx);
/* The parsers under web_dispatch, exposed for the fuzzers (tests/fuzz/): whether path matches a
 * route pattern (filling r->id, r->kind, r->slug); the route for r->method and path among routes of
 * scope `only` (any when negative), *known telling whether the path exists for another method; the
 * organisation prefix of a path; and the body as JSON (API) or a form (pages): 0, or -1 with w
 * holding the 400 or 415 answer. */
bool web_route_match(const char *pat, const char *path, struct web_req *r);
const struct web_route *web_route_find(struct web_req *r, const char *path, int only, bool *known);
bool web_org_prefix(const char *path, char *slug, size_t n, const char **rest);
int web_parse_body(struct web_req *r, struct web_resp *w, struct purpose_err *err);
/* The organisation with this slug ("": the installation's first) into *out (the caller releases
 * it), from the router's cache while the store is unchanged. */
int web_org_get(struct web_req *r, const char *slug, struct store_org *out, struct purpose_err *err);

/* href.c: the reverse router. Writes into out (n bytes) the path of the route declared with the
 * path `pattern` (as in its table, e.g. "/projects/{id}/edit", optionally followed by a query
 * string kept as given), its parameters filled in order from the arguments ({id} an int64_t; {kind},
 * {programme} and {org} a string), in the request's scope: on a programme's page, the programme's
 * own route of that feature when it declares one ("/programmes/{programme}" + pattern, filled with
 * the request's programme); on an organisation's prefixed page, its organisation routes under that
 * prefix. Returns out, "" for a pattern no route declares (or a path longer than n). */
const char *web_href(const struct web_req *r, char *out, size_t n, const char *pattern, ...);

/* Writes href into w's body (escaped), with the page's organisation prefix (web_resp.base) when it
 * leads to one of that organisation's own pages: the kit and the frame write every link and form
 * action through it, so that a page of an organisation links to its own pages without any HTML
 * being rewritten after it is rendered. web_location does the same for a redirect's Location. */
void web_href_esc(struct web_resp *w, const char *href);
void web_location(struct web_resp *w, const char *location);

/* may.c: the one permission question. Whether the caller may send `method` to href (a path as a
 * link or a form shows it; an organisation's unprefixed page on a prefixed page means that
 * organisation, as its links do): the route the dispatcher would find, the role it declares, and
 * the caller's role in the scope it is checked in. Every link and button a page shows only when
 * the route would not refuse it asks this; an unknown path, or a role that cannot be read, is
 * false. */
bool web_may(struct web_req *r, const char *method, const char *href);

/* wayfind.c: the places a person holds a role in, their home organisation first (its role
 * users.role) and then each grant; a place's href is its home page as a link on r's page. */
#define WEB_PLACES_MAX 16
struct web_place {
    char href[160];
    char name[STORE_NAME_MAX + 1];
    enum store_role role;
    bool programme;
    bool first; /* the installation's first organisation, whose home is "/" */
};
/* Fills out with at most max places of u; returns how many, or -1 with err set. */
int web_places(struct web_req *r, const struct store_user *u, struct web_place *out, size_t max,
               struct purpose_err *err);
/* Which of n places is where u's work is: home, unless their role there is only contributor and
 * they hold more in a programme or another organisation (the first such). */
size_t web_home_place(const struct web_place *p, size_t n);
/* The home page of where u's work is (web_home_place) into out: where signing in lands. */
int web_home_href(struct web_req *r, const struct store_user *u, char *out, size_t n, struct purpose_err *err);
/* The header's switcher between a signed-in person's places, when they have more than one. */
void web_switcher(struct web_req *r, struct web_resp *w);

/* form.c */
int web_form_parse(const char *body, size_t len, struct web_form *f, struct purpose_err *err);
const char *web_form_get(const struct web_form *f, const char *name);
/* The first field called name, or NULL. */
const struct web_field *web_form_field(const struct web_form *f, const char *name);
void web_form_release(struct web_form *f);
/* A form field's value, "" when absent. */
const char *web_field(const struct web_req *r, const char *name);

/* multipart.c: a multipart/form-data body (a form with a file input), read by libmicrohttpd's post
 * processor from the request on conn (its Content-Type gives the boundary) over the whole body
 * (already bounded by --max-body), into the same form a url-encoded body gives: at most
 * WEB_FORM_FIELDS parts, names up to WEB_FORM_NAME_MAX bytes, CR LF and lone CR read as LF. A file
 * part with a NUL byte or bytes that are not UTF-8 is kept as a field with a problem; a text part
 * with a NUL byte refuses the form. 0, or -1 with an input error (f is then empty). */
int web_multipart_parse(void *conn, const char *body, size_t len, struct web_form *f, struct purpose_err *err);
/* Whether a Content-Type header names multipart/form-data. */
bool web_is_multipart(const char *content_type);
/* The CSV text of a form that offers a file input (file_field) beside a paste box (paste_field): the
 * file when one was chosen, else the pasted text. 0 with *text (borrowed from the form, "" when
 * neither was sent) and *filename (the file's name, or NULL when the text was pasted), or -1 with an
 * input error naming file_field when the chosen file is not text. */
int web_upload_text(const struct web_req *r, const char *file_field, const char *paste_field, const char **text,
                    const char **filename, struct purpose_err *err);
/* Finds cookie `name` in a Cookie header; copies at most n-1 bytes. Returns 0 if found. */
int web_cookie_get(const char *header, const char *name, char *out, size_t n);
/* Decodes %XX and '+' in place; -1 if malformed. */
int web_url_decode(char *s, size_t *len);
/* Decodes %XX in a path or query argument in place, except %00, which stays as it is; returns
 * the new length. libmicrohttpd calls it for every request. */
size_t web_path_unescape(char *s);
/* The client named last in an X-Forwarded-For header: 0 with its address in ip (n bytes), or -1
 * when the header does not end in an IPv4 or IPv6 address. */
int web_forwarded_client(const char *xff, char *ip, size_t n);
/* Copies query parameter `name` into out. Returns 0 if present and it fits. */
int web_query_get(struct web_req *r, const char *name, char *out, size_t n);
/* A whole decimal number in [min, max]: 0, or -1 with an input error naming `field`. */
int web_parse_long(const char *s, const char *field, long min, long max, long *out, struct purpose_err *err);

/* html.c: the one escaping writer, and the page frame with the navigation of every feature. */
void html_esc(struct buf *b, const char *s);
void html_begin(struct web_req *r, struct web_resp *w, const char *title);
void html_end(struct web_req *r, struct web_resp *w);
void html_csrf(struct web_req *r, struct web_resp *w);
/* Seconds a client waits before trying again after a 503 (the database away or locked). */
#define WEB_RETRY_AFTER "5"

/* An NHS-style error page: 400, 403, 404, 405, 409, 413, 429, 500, 503. */
void html_error_page(struct web_req *r, struct web_resp *w, int status, const char *detail);
/* The 500 page of a change that was saved although the page could not be shown. */
void html_saved_error_page(struct web_req *r, struct web_resp *w);
void html_date(struct buf *b, int64_t t);

/* respond.c: answers. The one mapping of error kinds to HTTP statuses: input 400, not found 404,
 * conflict 409, forbidden 403, internal 500, unavailable 503 (the server adds Retry-After). */
int web_err_status(enum purpose_err_kind kind);
/* Answers err as JSON ({"error": msg}) with its status and returns 0; a server-side error (internal
 * or unavailable) is not answered and returns -1, for the dispatcher to log and answer with
 * web_fail_server. */
int web_api_fail(struct web_resp *w, const struct purpose_err *err);
/* The same for pages: the NHS error page of err's status. */
int web_page_fail(struct web_req *r, struct web_resp *w, const struct purpose_err *err);
/* The one or the other, as the route is an API route or a page. */
int web_fail(struct web_req *r, struct web_resp *w, const struct purpose_err *err);
/* Answers a server-side failure by its kind: 503 when the database is unavailable for now, else
 * 500; JSON with "error" for the API, the NHS error page (with a way back) for pages. */
void web_fail_server(struct web_req *r, struct web_resp *w, const struct purpose_err *err);
/* The path as logs may show it (access log and error lines): a secret id (web_route.id_type)
 * becomes {id} (web_route_mask), control characters '?' (docs/privacy.md). */
void web_path_for_log(char *out, size_t n, const char *url);
/* router.c: path with the {id} of a route whose id_type is WEB_PARAM_SECRET_ID written "{id}",
 * when path starts as that route does (under any organisation prefix, and whatever follows, so
 * that a mistyped address carrying one is masked too); else path as it is. Into out. */
void web_route_mask(char *out, size_t n, const char *path);
/* Answers a failure that came after the request's change was stored (reading it back for the
 * answer): 500, saying the change was saved so that it is not sent again. */
void web_fail_saved(struct web_req *r, struct web_resp *w);
/* Every error of one form, one per field, in the order found (action.c): a form reports them all
 * at once. WEB_ERRORS_MAX is more than any form has fields. */
#define WEB_ERRORS_MAX 24
struct web_errors {
    struct purpose_err e[WEB_ERRORS_MAX];
    size_t n;
};
/* Adds err to l, unless l holds an error on its field already (the first one found stays). */
void web_errors_add(struct web_errors *l, const struct purpose_err *err);
/* The error on field name, or NULL. */
const struct purpose_err *web_errors_find(const struct web_errors *l, const char *name);
/* True when err is one a person fixes in the form they sent (input or conflict). */
bool web_err_in_form(const struct purpose_err *err);
/* Sends a 303 redirect. */
void web_redirect(struct web_resp *w, const char *location);
/* JSON responses; take ownership of j. */
void web_json(struct web_resp *w, int status, json_t *j);
/* {"error": message} with status; a NULL or empty message answers standard words
 * (WEB_INTERNAL_ERROR for a 5xx), never an empty error. */
void web_json_error(struct web_resp *w, int status, const char *message);
void web_no_content(struct web_resp *w);
/* Builders that never drop a row: web_jpush appends item to *list and web_jset sets key of *obj,
 * taking ownership of item; when item is NULL (a value jansson refused, or no memory) or the append
 * fails, *list (*obj) is freed and set to NULL, so that the answer becomes an error (web_json
 * answers NULL with a 500) instead of a list that silently lacks a row. NULL stays NULL. */
void web_jpush(json_t **list, json_t *item);
void web_jset(json_t **obj, const char *key, json_t *item);
/* JSON body members: 0 (NULL or untouched when absent and optional), or -1 with an input error
 * naming the member. */
int web_jstr(const struct web_req *r, const char *name, bool required, const char **out, struct purpose_err *err);
int web_jint(const struct web_req *r, const char *name, bool required, json_int_t min, json_int_t max,
             json_int_t *out, struct purpose_err *err);

/* auth.c */
int web_auth_init(struct web_ctx *c, struct purpose_err *err);
void web_auth_release(struct web_ctx *c);
/* Identifies the caller from the session cookie or the bearer token. */
int web_auth_identify(struct web_req *r, struct purpose_err *err);
/* The token of an "Authorization: Bearer pur_..." header when it has the right form, else NULL. */
const char *web_bearer_token(const char *authz);
/* csrf.c: the pre-session CSRF token, in a cookie the server signs. web_auth_presession ensures
 * r->csrf holds one for a form (a new one sets r->presession, the cookie, and new_presession);
 * web_presession_read takes the one the cookie holds into r->csrf, if this server issued it and it
 * has not expired (true). */
void web_auth_presession(struct web_req *r);
bool web_presession_read(struct web_req *r, const char *cookie);
/* The pre-session cookie's name: with the __Host- prefix when cookies are Secure, so that no sibling
 * subdomain or plain-http page can set it. */
const char *web_presession_cookie(const struct web_ctx *ctx);
/* Whether a form POST comes from another site: "Sec-Fetch-Site: cross-site", or an Origin header that
 * is not this server's own (--public-url, else the request's Host). A request without either (curl,
 * old browsers) is not. The sign-in form refuses such a POST: a cookie an attacker fetched from
 * /sign-in and planted would otherwise pass the pre-session check (login CSRF). */
bool web_cross_site_post(const struct web_req *r);
/* Checks a password sign-in with the rate limit; on success starts a session and sets the
 * cookie. Returns 0 signed in, 1 wrong credentials, 2 rate limited, -1 error. */
int web_auth_sign_in(struct web_req *r, struct web_resp *w, const char *username,
                     const char *password, struct purpose_err *err);
int web_auth_sign_out(struct web_req *r, struct web_resp *w, struct purpose_err *err);
/* A new API token for user_id: `token` receives the secret (shown once). */
int web_auth_token_create(struct web_req *r, int64_t user_id, const char *name,
                          char token[SECRET_TOKEN_LEN + 8], int64_t *id, struct purpose_err *err);
/* account.c: the path to go to after signing in: `next` when it is a local path, else "/". */
const char *web_safe_next(const char *next);
/* The actor recorded in the audit log for this request. */
struct store_actor web_actor(const struct web_req *r);

/* The scope the request's statements belong to: its programme on programme routes, else its
 * organisation. */
struct store_scope web_scope(const struct web_req *r);

/* The current text of the scope's vision or purpose (web_scope), or NULL when none is written. */
int web_statement_text(struct web_req *r, const char *kind, char **out, struct purpose_err *err);
/* programme_hub.c: the programme page's links to its work and its conversations (open first). */
int web_programme_hub(struct web_req *r, struct web_resp *w, struct purpose_err *err);
/* A heading and a list of links to the programmes the scope's organisation is a partner in (NULL:
 * every one); when there are none, the heading and `none` (or nothing at all when none is NULL). */
int web_programme_links(struct web_req *r, struct web_resp *w, const struct store_scope *scope, const char *heading, const char *none,
                        struct purpose_err *err);

/* Shared between features: the parts of the purpose page that values.c and themes.c render. */
int web_values_render(struct web_req *r, struct web_resp *w, const char *heading_tag, struct purpose_err *err);
int web_values_json(struct web_req *r, json_t **out, struct purpose_err *err);
/* The values as a summary list, with change links for leads (the strategy page). */
int web_values_summary(struct web_req *r, struct web_resp *w, struct purpose_err *err);
int web_themes_render(struct web_req *r, struct web_resp *w, const char *heading_tag, bool edit,
                      struct purpose_err *err);
int web_themes_json(struct web_req *r, json_t **out, struct purpose_err *err);
json_t *web_ambition_json(const struct store_ambition *a);
json_t *web_user_json(const struct store_user *u);
json_t *web_org_json(const struct store_org *o);
/* Adding a programme with its partners, one action for the admin page (organisations.c, whose form
 * web_programme_form_again shows again) and the API (programmes.c); action.h. */
struct web_action;
struct web_action_in;
extern const struct web_action web_programme_add;
int web_programme_form_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                             const struct purpose_err *fe, struct purpose_err *err);

#endif
