/* The web in-process for the fuzzers that reach the request handlers (fuzz_api.c, fuzz_paste.c,
 * fuzz_request.c): the demo database on a temporary SQLite file, made once per process, and a web
 * context as `purpose serve` makes it. A request goes through web_dispatch as the server hands it
 * over, anonymous, as the demo's admin (an API token) or as its lead (a session cookie and that
 * session's CSRF token), with the n-th database step of the request made to fail when asked (the
 * fault-injecting driver, armed per thread as the server's X-Purpose-Fault does). Every answer is
 * checked: a known status; JSON with a non-empty "error" for an API error; an HTML page for a page
 * error; and after an injected fault the same process answers the next request. Included by one
 * fuzzer each. */
#ifndef PURPOSE_FUZZ_WEB_H
#define PURPOSE_FUZZ_WEB_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/secret.h"
#include "store/store.h"
#include "web/cache.h"
#include "web/web.h"
#include "web/web_int.h"

enum fuzz_who { FUZZ_ANON, FUZZ_ADMIN, FUZZ_LEAD };

struct fuzz_call {
    const char *method, *path, *query; /* query: "a=1&b=2" or NULL */
    const char *body;
    size_t body_len;
    const char *content_type;
    enum fuzz_who who;
    int fault; /* fail the request's n-th database step (0: none) */
};

static struct {
    struct store *s;
    struct web_ctx ctx;
    struct web_options opt;
    char path[80], key[96];
    char token[SECRET_TOKEN_LEN + 8];
    char cookie[SECRET_TOKEN_LEN + 32];
    char csrf[SECRET_TOKEN_LEN + 1];
    char authz[SECRET_TOKEN_LEN + 16];
} fw;

/* The headers of the call in flight (the request's conn). */
static const char *fw_header(void *conn, const char *name)
{
    const struct fuzz_call *c = conn;
    if (strcasecmp(name, "Content-Type") == 0)
        return c->content_type;
    if (strcasecmp(name, "Authorization") == 0)
        return c->who == FUZZ_ADMIN ? fw.authz : NULL;
    if (strcasecmp(name, "Cookie") == 0)
        return c->who == FUZZ_LEAD ? fw.cookie : NULL;
    if (strcasecmp(name, "X-CSRF-Token") == 0)
        return c->who == FUZZ_LEAD ? fw.csrf : NULL;
    return NULL;
}

/* A query argument, unescaped as libmicrohttpd does with our unescaper (the last one wins). */
static const char *fw_arg(void *conn, const char *name)
{
    const struct fuzz_call *c = conn;
    static char value[1024];
    const char *q = c->query, *found = NULL;
    size_t nl = strlen(name);
    while (q && *q) {
        const char *end = strchr(q, '&');
        size_t len = end ? (size_t)(end - q) : strlen(q);
        char item[1024];
        if (len < sizeof item) {
            memcpy(item, q, len);
            item[len] = '\0';
            char *eq = strchr(item, '=');
            if (eq)
                *eq = '\0';
            web_path_unescape(item);
            if (strlen(item) == nl && memcmp(item, name, nl) == 0) {
                snprintf(value, sizeof value, "%s", eq ? eq + 1 : "");
                web_path_unescape(value);
                found = value;
            }
        }
        q = end ? end + 1 : NULL;
    }
    return found;
}

static void fw_cleanup(void)
{
    web_cache_release(&fw.ctx);
    web_auth_release(&fw.ctx);
    store_close(&fw.s);
    static const char *const ext[] = {"", "-wal", "-shm"};
    char p[120];
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", fw.path, ext[i]);
        unlink(p);
    }
    unlink(fw.key);
}

static void fw_setup(const char *name)
{
    struct purpose_err err = {0};
    snprintf(fw.path, sizeof fw.path, "/tmp/purpose-fuzz-%s-%ld.db", name, (long)getpid());
    snprintf(fw.key, sizeof fw.key, "%s.key", fw.path);
    unlink(fw.path);
    unlink(fw.key);
    struct store_keyfile kf = {.path = fw.key, .create = true};
    char creds[2048];
    struct store_user admin = {0}, lead = {0};
    if (secret_init(&err) < 0 || store_open(fw.path, &kf, &fw.s, &err) < 0 || store_demo(fw.s, creds, sizeof creds, &err) < 0)
        goto fail;
    atexit(fw_cleanup);
    store_fault_armable(fw.s);
    fw.opt.max_body = 1 << 20;
    fw.ctx.store = fw.s;
    fw.ctx.opt = &fw.opt;
    if (web_auth_init(&fw.ctx, &err) < 0 || web_cache_init(&fw.ctx, &err) < 0 ||
        store_user_find(fw.s, "admin", &admin, &err) < 0 || store_user_find(fw.s, "lead", &lead, &err) < 0)
        goto fail;
    /* The admin's API token and the lead's session, stored as the server stores them. */
    char raw[SECRET_TOKEN_LEN + 1], h[SECRET_HEX_LEN + 1];
    secret_random_token(raw);
    snprintf(fw.token, sizeof fw.token, "pur_%s", raw);
    snprintf(fw.authz, sizeof fw.authz, "Bearer %s", fw.token);
    secret_keyed_hash(fw.ctx.key, fw.token, h);
    struct store_actor by = {admin.id, "fuzz"};
    if (store_token_create(fw.s, &by, admin.id, "fuzz", "pur_fuzz", h, NULL, &err) < 0)
        goto fail;
    secret_random_token(raw);
    secret_random_token(fw.csrf);
    snprintf(fw.cookie, sizeof fw.cookie, "%s=%s", WEB_SESSION_COOKIE, raw);
    secret_keyed_hash(fw.ctx.key, raw, h);
    if (store_session_create(fw.s, h, lead.id, fw.csrf, (int64_t)time(NULL) + 86400, &err) < 0)
        goto fail;
    store_user_release(&admin);
    store_user_release(&lead);
    return;
fail:
    fprintf(stderr, "fuzz (%s): %s\n", name, err.msg);
    abort();
}

/* Whether a body ends its HTML page. */
static bool fw_ends_page(const char *b, size_t n)
{
    static const char tail[] = "</html>";
    while (n && (b[n - 1] == '\n' || b[n - 1] == ' '))
        n--;
    return b && n >= sizeof tail - 1 && memcmp(b + n - (sizeof tail - 1), tail, sizeof tail - 1) == 0;
}

/* One request through web_dispatch; the status, and the answer's bytes into body (NUL-terminated,
 * malloc'd, may be NULL when none). Traps on an answer that breaks the rules above. */
static int fw_run(const struct fuzz_call *c, char **body)
{
    if (!fw.s)
        abort();
    struct web_req r = {0};
    struct web_resp w = {0};
    r.ctx = &fw.ctx;
    r.method = c->method;
    r.path = c->path;
    r.ip = "192.0.2.7";
    r.conn = (void *)c;
    r.header = fw_header;
    r.arg = fw_arg;
    r.body = c->body ? c->body : "";
    r.body_len = c->body ? c->body_len : 0;
    r.lag_ms = 0;
    r.gen_ok = web_generation(&fw.ctx, 0, &r.gen);
    buf_init(&w.body, WEB_PAGE_LIMIT);
    store_fault_arm(c->fault);
    web_dispatch(&r, &w);
    store_fault_arm(0);
    web_frag_drop(&w);
    int status = w.status ? w.status : 200;
    static const int known[] = {200, 201, 204, 303, 400, 401, 403, 404, 405, 409, 413, 415, 429, 500, 503};
    bool ok = false;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        ok = ok || status == known[i];
    if (!ok || w.body.failed)
        __builtin_trap();
    /* An /api/ path answers JSON; any JSON error says what is wrong; any other error is a page. */
    bool json = w.content_type && strstr(w.content_type, "json");
    if (strncmp(c->path, "/api/", 5) == 0 && !json && status != 204 && status != 303)
        __builtin_trap();
    if (json && status >= 400) {
        json_error_t je;
        json_t *j = json_loadb(w.body.data ? w.body.data : "", w.body.len, 0, &je);
        const char *e = json_string_value(json_object_get(j, "error"));
        if (!e || !*e)
            __builtin_trap();
        json_decref(j);
    } else if (!json && status >= 400 && status != 405 && !fw_ends_page(w.body.data, w.body.len)) {
        __builtin_trap(); /* an error page is a whole page */
    }
    if (body) {
        *body = malloc(w.body.len + 1);
        if (*body) {
            if (w.body.len)
                memcpy(*body, w.body.data, w.body.len);
            (*body)[w.body.len] = '\0';
        }
    }
    buf_release(&w.body);
    web_req_release(&r);
    if (c->fault) { /* the same process answers the next request */
        struct fuzz_call next = {.method = "GET", .path = "/api/v1/purpose", .who = FUZZ_ADMIN};
        if (fw_run(&next, NULL) != 200)
            __builtin_trap();
    }
    return status;
}

#endif
