#ifndef PURPOSE_WEB_INT_H
#define PURPOSE_WEB_INT_H

/* Private to src/web: the request and response every handler sees, the route table, and the
 * helpers shared by pages and the API. Handlers never see libmicrohttpd types. */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/secret.h"
#include "store/store.h"
#include "web/web.h"

#define WEB_PAGE_LIMIT (4u << 20) /* largest response body a handler may build */
#define WEB_FORM_FIELDS 32
#define WEB_SESSION_SECONDS (8 * 3600)
#define WEB_SESSION_COOKIE "purpose_session"
#define WEB_PRESESSION_COOKIE "purpose_csrf" /* guards the sign-in form before a session exists */

struct web_ratelimit; /* auth.c */
struct web_cache;     /* router.c */

/* Server-wide state, shared by every thread. */
struct web_ctx {
    struct store *store;
    const struct web_options *opt;
    bool secure_cookies;
    unsigned char key[32];
    struct web_ratelimit *rl;
    struct web_cache *cache;
};

struct web_field {
    char *name;
    char *value;
};

struct web_form {
    struct web_field f[WEB_FORM_FIELDS];
    size_t n;
};

/* Returns a header's value or NULL; implemented by the server. */
typedef const char *(*web_header_fn)(void *conn, const char *name);

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
    bool new_presession;             /* csrf was just made: set the pre-session cookie */
    int64_t id;                      /* the {id} in the route */
    char kind[16];                   /* the {kind} in the route */
    struct web_form form;            /* a parsed form body */
    json_t *json;                    /* a parsed JSON body */
    uint64_t gen;                    /* the store generation at the start of the request */
    bool gen_ok;
};

struct web_resp {
    int status;
    const char *content_type;
    struct buf body;
    char location[600];
    char cookies[2][300];
    int ncookies;
    bool cacheable; /* the same bytes for every anonymous request of this path */
};

/* A handler fills resp (status defaults to 200) and returns 0; -1 means an internal error,
 * answered with the 500 page (err has the detail for the log). */
typedef int (*web_handler)(struct web_req *r, struct web_resp *w, struct purpose_err *err);

enum { ROUTE_PAGE = 0, ROUTE_API = 1 };

struct web_route {
    const char *method;
    const char *pattern; /* "{id}" matches a positive integer, "{kind}" vision or purpose */
    enum store_role min_role;
    int kind;
    web_handler handler;
    bool cache; /* a GET whose body depends only on the stored data: cached per generation */
};

extern const struct web_route web_routes[];
extern const size_t web_nroutes;

/* router.c: the response cache, and running the request through authentication, the route table and the handler. */
int web_cache_init(struct web_ctx *c, struct purpose_err *err);
void web_cache_release(struct web_ctx *c);
void web_dispatch(struct web_req *r, struct web_resp *w);
void web_req_release(struct web_req *r);

/* form.c */
int web_form_parse(const char *body, size_t len, struct web_form *f, struct purpose_err *err);
const char *web_form_get(const struct web_form *f, const char *name);
void web_form_release(struct web_form *f);
/* Finds cookie `name` in a Cookie header; copies at most n-1 bytes. Returns 0 if found. */
int web_cookie_get(const char *header, const char *name, char *out, size_t n);
/* Decodes %XX and '+' in place; -1 if malformed. */
int web_url_decode(char *s, size_t *len);
/* Copies query parameter `name` into out. Returns 0 if present and it fits. */
int web_query_get(struct web_req *r, const char *name, char *out, size_t n);

/* html.c: the one escaping writer, and the page frame. */
void html_esc(struct buf *b, const char *s);
void html_begin(struct web_req *r, struct web_resp *w, const char *title);
void html_end(struct web_req *r, struct web_resp *w);
void html_csrf(struct web_req *r, struct web_resp *w);
/* An NHS-style error page: 400, 403, 404, 405, 413, 429, 500. */
void html_error_page(struct web_req *r, struct web_resp *w, int status, const char *detail);
/* The NHS error summary for one field error (err is "field: message"). */
void html_error_summary(struct buf *b, const char *msg, const char *field_id);
void html_date(struct buf *b, int64_t t);

/* True when a store error is one the caller can fix: it names a field of the request
 * ("title: is required"). Anything else, such as a database failure, is internal (500). */
bool web_input_error(const char *msg);

/* Sends a 303 redirect. */
void web_redirect(struct web_resp *w, const char *location);
/* JSON responses; take ownership of j. */
void web_json(struct web_resp *w, int status, json_t *j);
void web_json_error(struct web_resp *w, int status, const char *message);

/* auth.c */
int web_auth_init(struct web_ctx *c, struct purpose_err *err);
void web_auth_release(struct web_ctx *c);
/* Identifies the caller from the session cookie or the bearer token. */
int web_auth_identify(struct web_req *r, struct purpose_err *err);
/* Ensures r->csrf holds a pre-session token for the sign-in form. */
void web_auth_presession(struct web_req *r);
/* Checks a password sign-in with the rate limit; on success starts a session and sets the
 * cookie. Returns 0 signed in, 1 wrong credentials, 2 rate limited, -1 error. */
int web_auth_sign_in(struct web_req *r, struct web_resp *w, const char *username,
                     const char *password, struct purpose_err *err);
int web_auth_sign_out(struct web_req *r, struct web_resp *w, struct purpose_err *err);
/* A new API token for user_id: `token` receives the secret (shown once). */
int web_auth_token_create(struct web_req *r, int64_t user_id, const char *name,
                          char token[SECRET_TOKEN_LEN + 8], int64_t *id, struct purpose_err *err);
/* The actor recorded in the audit log for this request. */
struct store_actor web_actor(const struct web_req *r);

/* pages.c and api.c handlers are listed in router.c through these declarations. */
#define PAGE(name) int name(struct web_req *r, struct web_resp *w, struct purpose_err *err)
PAGE(page_home);
PAGE(page_values);
PAGE(page_themes);
PAGE(page_sign_in);
PAGE(page_sign_in_post);
PAGE(page_sign_out);
PAGE(page_account);
PAGE(page_strategy);
PAGE(page_statement_edit);
PAGE(page_statement_save);
PAGE(page_value_new);
PAGE(page_value_create);
PAGE(page_value_edit);
PAGE(page_value_save);
PAGE(page_value_delete);
PAGE(page_theme_new);
PAGE(page_theme_create);
PAGE(page_theme_edit);
PAGE(page_theme_save);
PAGE(page_theme_delete);
PAGE(page_ambition_new);
PAGE(page_ambition_create);
PAGE(page_ambition_edit);
PAGE(page_ambition_save);
PAGE(page_ambition_delete);
PAGE(page_users);
PAGE(page_user_create);
PAGE(page_user_edit);
PAGE(page_user_save);
PAGE(page_tokens);
PAGE(page_token_create);
PAGE(page_token_revoke);
PAGE(page_audit);

PAGE(api_purpose);
PAGE(api_me);
PAGE(api_statement_get);
PAGE(api_statement_put);
PAGE(api_values);
PAGE(api_value_create);
PAGE(api_value_get);
PAGE(api_value_put);
PAGE(api_value_delete);
PAGE(api_themes);
PAGE(api_theme_create);
PAGE(api_theme_get);
PAGE(api_theme_put);
PAGE(api_theme_delete);
PAGE(api_ambition_create);
PAGE(api_ambition_get);
PAGE(api_ambition_put);
PAGE(api_ambition_delete);
PAGE(api_users);
PAGE(api_user_create);
PAGE(api_user_patch);
PAGE(api_tokens);
PAGE(api_token_create);
PAGE(api_token_delete);
PAGE(api_audit);

#endif
