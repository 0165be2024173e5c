/* The request cycle libmicrohttpd calls (server_int.h): a request's framing and size checked, its
 * body read up to --max-body, an asset or a whole kept answer served, a write deferred to a worker,
 * else dispatched (router.c), its answer made with the security headers, and one access log line.
 * With server.c, the only code that knows libmicrohttpd's request cycle. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "web/answers.h"
#include "web/cache.h"
#include "web/framing.h"
#include "web/server_int.h"
#include "web/workers.h"
#include "core/banned.h"

/* Content-Security-Policy: nothing but our own origin (issue 4), no framing. */
#define CSP "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

static const char *header_of(void *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

static const char *arg_of(void *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, name);
}

void web_server_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "Content-Security-Policy", CSP);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
}

/* ---- requests ---------------------------------------------------------------------------------- */

/* The libmicrohttpd response for w (which it empties), or NULL when out of memory; *keep: the
 * answer may be kept whole for the next anonymous request (web_answers_keep). */
static struct MHD_Response *make_resp(struct server *srv, struct web_req *r, struct web_resp *w,
                                      struct conn_state *st, bool anonymous, bool gen_ok, bool *keep)
{
    *keep = false;
    if (w->body.failed) {
        web_frag_drop(w);
        buf_reset(&w->body);
        if (r->is_api) /* an API answers JSON, whatever failed */
            web_json_error(w, 500, NULL);
        else
            html_error_page(r, w, 500, NULL);
        if (w->body.failed)
            return NULL;
    }
    /* A response holding a shared fragment goes out gzip-encoded when the client accepts it. */
    bool vary = w->frag != NULL;
    bool gzipped = vary && web_frag_finish(w, r->conn ? header_of(r->conn, "Accept-Encoding") : NULL);
    size_t len = w->body.len;
    char *data = w->body.data;
    w->body.data = NULL; /* the response owns it now */
    buf_release(&w->body);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, len ? data : (void *)"", len ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(data);
        return NULL;
    }
    if (!len)
        free(data);
    web_server_headers(resp);
    if (w->content_type)
        MHD_add_response_header(resp, "Content-Type", w->content_type);
    if (w->location[0])
        MHD_add_response_header(resp, "Location", w->location);
    /* The database is away or locked by another writer: a client may try again shortly. */
    if (w->status == 503)
        MHD_add_response_header(resp, "Retry-After", WEB_RETRY_AFTER);
    if (w->fault_note[0])
        MHD_add_response_header(resp, "X-Purpose-Fault", w->fault_note);
    if (srv->ctx.opt->test_headers && w->render) {
        char n[24];
        snprintf(n, sizeof n, "%llu", (unsigned long long)w->render);
        MHD_add_response_header(resp, "X-Purpose-Render", n);
    }
    if (vary)
        MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    if (gzipped)
        MHD_add_response_header(resp, "Content-Encoding", "gzip");
    for (int i = 0; i < w->ncookies; i++)
        MHD_add_response_header(resp, "Set-Cookie", w->cookies[i]);
    if (st->close)
        MHD_add_response_header(resp, "Connection", "close");
    if (r->new_presession) {
        char cookie[WEB_PRESESSION_MAX + 120];
        snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600%s",
                 web_presession_cookie(&srv->ctx), r->presession, srv->ctx.secure_cookies ? "; Secure" : "");
        MHD_add_response_header(resp, "Set-Cookie", cookie);
    }
    bool cache = w->cacheable && !vary && anonymous && gen_ok && w->status == 200 && !r->new_presession &&
                 w->ncookies == 0 && strcmp(r->method, "GET") == 0;
    MHD_add_response_header(resp, "Cache-Control", cache || w->cacheable ? "no-cache" : "no-store");
    st->status = w->status;
    *keep = cache;
    return resp;
}

/* Queues resp (made for st) and gives up our reference: to the whole-answer cache with stamp when
 * keep. */
static enum MHD_Result send_resp(struct server *srv, struct MHD_Connection *c, const char *url,
                                 struct conn_state *st, struct MHD_Response *resp, bool keep,
                                 const struct web_stamp *stamp)
{
    if (!resp)
        return MHD_NO;
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)st->status, resp);
    if (!keep || !web_answers_keep(srv->answers, url, stamp, st->status, resp)) /* it keeps our reference */
        MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result queue_resp(struct server *srv, struct MHD_Connection *c, struct web_req *r,
                                  struct web_resp *w, struct conn_state *st, bool anonymous,
                                  bool gen_ok)
{
    bool keep;
    struct MHD_Response *resp = make_resp(srv, r, w, st, anonymous, gen_ok, &keep);
    return send_resp(srv, c, r->path, st, resp, keep, &r->stamp);
}

/* An answer made before the request is dispatched: status, with msg (or the standard words) in
 * the API's JSON; a page says the standard words. */
static enum MHD_Result simple_status(struct server *srv, struct MHD_Connection *c, const char *url,
                                     const char *method, int status, const char *msg, struct conn_state *st)
{
    struct web_req r = {0};
    struct web_resp w = {0};
    r.ctx = &srv->ctx;
    r.method = method;
    r.path = url;
    r.is_api = strncmp(url, "/api/", 5) == 0;
    buf_init(&w.body, WEB_PAGE_LIMIT);
    w.status = status;
    if (r.is_api)
        web_json_error(&w, status, msg ? msg : status == 413 ? "body: is too large" : "bad request");
    else
        html_error_page(&r, &w, status, NULL);
    enum MHD_Result ret = queue_resp(srv, c, &r, &w, st, false, false);
    return ret;
}

/* The state of a request, made once per request: here, or by web_server_uri_logged. */
static struct conn_state *conn_begin(struct server *srv)
{
    struct conn_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, &st->start);
    buf_init(&st->body, srv->ctx.opt->max_body);
    atomic_fetch_add(&srv->inflight, 1); /* web_server_completed ends it, whatever happens next */
    return st;
}

/* Where libmicrohttpd's request line put the URI, for web_uri_cut (a NUL byte in it) once the
 * headers are in (web_server_request). */
void *web_server_uri_logged(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)c;
    struct conn_state *st = conn_begin(cls);
    if (st) {
        st->uri = uri;
        st->uri_len = strlen(uri);
    }
    return st;
}

/* libmicrohttpd's unescaper for the path and query arguments: ours, which never decodes %00. */
size_t web_server_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return web_path_unescape(s);
}

static void copy_for_log(char *out, size_t n, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < n; i++)
        out[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
    out[i] = '\0';
}

/* The path as the access log keeps it: a secret id, as its route declares one (web_route.id_type),
 * becomes {id}, so that no line names an anonymous contribution for the lines around it, a
 * person's own, to tie it to them (docs/privacy.md). Other paths are kept whole (they never carry
 * a query string). The server's error lines on stderr name the path the same way. */
void web_path_for_log(char *out, size_t n, const char *url)
{
    char tmp[1100];
    web_route_mask(tmp, sizeof tmp, url);
    copy_for_log(out, n, tmp);
}

/* The address a request comes from, for the sign-in rate limit. Behind the TLS proxy every
 * connection comes from the proxy, so when the peer is the --trusted-proxy, the client is the
 * last address in X-Forwarded-For (the one that proxy added; earlier ones are the client's
 * word). A header that does not end in an address leaves the proxy's own. */
static void client_address(const struct server *srv, struct MHD_Connection *c, char ip[INET6_ADDRSTRLEN])
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, ip, INET6_ADDRSTRLEN);
    else if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, ip, INET6_ADDRSTRLEN);
    const char *proxy = srv->ctx.opt->trusted_proxy, *xff;
    if (!proxy || strcmp(ip, proxy) != 0 || !(xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For")))
        return;
    char client[INET6_ADDRSTRLEN];
    if (web_forwarded_client(xff, client, sizeof client) == 0)
        memcpy(ip, client, strlen(client) + 1);
}

/* Dispatches a request and makes its answer (NULL when out of memory); *keep as make_resp's, with
 * the stamp the answer is kept with. */
static struct MHD_Response *answer(struct server *srv, struct MHD_Connection *c, struct conn_state *st,
                                   const char *method, const char *url, uint64_t gen, bool gen_ok,
                                   bool anonymous, bool *keep, struct web_stamp *stamp)
{
    char ip[INET6_ADDRSTRLEN] = "?";
    client_address(srv, c, ip);
    struct web_req r = {0};
    struct web_resp w = {0};
    r.ctx = &srv->ctx;
    r.method = method;
    r.path = url;
    r.ip = ip;
    r.conn = c;
    r.header = header_of;
    r.arg = arg_of;
    r.gen = gen;
    r.gen_ok = gen_ok;
    bool is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    r.lag_ms = is_get ? web_route_lag(method, url) : 0;
    r.body = st->body.data ? st->body.data : "";
    r.body_len = st->body.len;
    buf_init(&w.body, WEB_PAGE_LIMIT);
    /* With purpose serve --db-read, a GET or HEAD may read from the standby (store_read_replica). */
    store_replica_reads(is_get);
    if (strlen(url) > 1024)
        html_error_page(&r, &w, 404, NULL);
    else
        web_dispatch(&r, &w);
    store_replica_reads(false);
    struct MHD_Response *resp = make_resp(srv, &r, &w, st, anonymous, gen_ok && !r.faulted, keep);
    *stamp = r.stamp;
    web_req_release(&r);
    return resp;
}

/* Suspends the connection and queues its request for a worker. */
static enum MHD_Result defer(struct server *srv, struct MHD_Connection *c, struct conn_state *st,
                             const char *method, const char *url)
{
    st->d = (struct deferred){.srv = srv, .c = c, .method = method, .url = url};
    MHD_suspend_connection(c);
    web_workers_push(srv->workers, &st->d.job);
    return MHD_YES;
}

/* A worker's job: the request answered as web_server_request would, then its connection resumed (after
 * which the connection and its state are libmicrohttpd's again: nothing here touches them). */
void web_server_run_deferred(struct web_job *job, void *arg)
{
    (void)arg;
    struct deferred *d = (struct deferred *)job;
    struct conn_state *st = (struct conn_state *)d;
    uint64_t gen = 0;
    bool gen_ok = web_generation(&d->srv->ctx, 0, &gen), keep;
    struct web_stamp stamp;
    d->resp = answer(d->srv, d->c, st, d->method, d->url, gen, gen_ok, false, &keep, &stamp); /* a write: never kept */
    d->ready = true;
    MHD_resume_connection(d->c);
}

/* The request's headers are in: its log names, its framing, its request line and its declared
 * length checked before any of its body is read. */
static enum MHD_Result request_headers(struct server *srv, struct MHD_Connection *c, struct conn_state *st,
                                       const char *url, const char *method, const char *version)
{
    st->started = true;
    copy_for_log(st->method, sizeof st->method, method);
    if (srv->log) /* masking a secret id looks at every route: only for a log that shows it */
        web_path_for_log(st->path, sizeof st->path, url);
    const char *why = NULL;
    int bad = web_framing_check(c, &why);
    if (bad) {
        st->close = true;
        return simple_status(srv, c, url, method, bad, why, st);
    }
    if (web_uri_cut(st->uri, st->uri_len, version)) {
        st->close = true;
        return simple_status(srv, c, url, method, 400, "the request line: the path holds a NUL byte", st);
    }
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(cl, &end, 10);
        if (errno || *end || n > srv->ctx.opt->max_body) {
            st->too_big = true;
            /* Far too large: answer now and drop the connection. Otherwise read and discard
             * the body first, so that the client is surely able to read the 413. */
            if (errno || *end || n / 16 > srv->ctx.opt->max_body)
                return simple_status(srv, c, url, method, 413, NULL, st);
        }
    }
    return MHD_YES;
}

enum MHD_Result web_server_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                   const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    struct server *srv = cls;
    struct conn_state *st = *con_cls;
    if (!st || !st->started) {
        if (!st && !(st = conn_begin(srv)))
            return MHD_NO;
        *con_cls = st;
        return request_headers(srv, c, st, url, method, version);
    }
    if (st->d.ready) { /* a worker has answered it (defer) */
        st->d.ready = false;
        struct MHD_Response *resp = st->d.resp;
        st->d.resp = NULL;
        return send_resp(srv, c, url, st, resp, false, NULL);
    }
    if (*upload_size) {
        if (!st->too_big && buf_append(&st->body, upload, *upload_size) < 0)
            st->too_big = true;
        *upload_size = 0;
        return MHD_YES;
    }
    if (st->too_big)
        return simple_status(srv, c, url, method, 413, NULL, st);

    bool is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (is_get) {
        struct MHD_Response *asset = web_server_asset(srv, url);
        if (asset) {
            st->status = 200;
            return MHD_queue_response(c, MHD_HTTP_OK, asset);
        }
    }
    /* Answers kept whole are shared by requests that send nothing of their own: no cookie, no
     * token, no query string (a query argument may change the page). */
    bool anonymous = !header_of(c, "Cookie") && !header_of(c, "Authorization") &&
                     MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, NULL, NULL) == 0;
    /* A write waits on the database (its round trips, its commit): a worker runs it, so that the
     * connections that share this thread are not held up (workers.h). */
    if (!is_get && srv->workers)
        return defer(srv, c, st, method, url);
    enum MHD_Result ret;
    /* The change generation, read once per request (every cache below is keyed on it), or reused
     * for a route that accepts answering from slightly older data (web_route.lag_ms). */
    uint64_t gen = 0;
    int lag_ms = is_get ? web_route_lag(method, url) : 0;
    bool gen_ok = web_generation(&srv->ctx, lag_ms, &gen);
    /* Tests only: a request whose database steps are failed (X-Purpose-Fault) is answered from no
     * cache (web_dispatch). */
    bool faulted = srv->ctx.opt && srv->ctx.opt->fault_header && header_of(c, "X-Purpose-Fault");
    if (is_get && anonymous && gen_ok && !faulted && web_answers_serve(srv->answers, &srv->ctx, c, url, gen, &st->status, &ret))
        return ret;
    bool keep;
    struct web_stamp stamp;
    struct MHD_Response *resp = answer(srv, c, st, method, url, gen, gen_ok, anonymous, &keep, &stamp);
    return send_resp(srv, c, url, st, resp, keep, &stamp);
}

void web_server_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)c;
    (void)toe;
    struct server *srv = cls;
    struct conn_state *st = *con_cls;
    if (!st)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double ms = (double)(now.tv_sec - st->start.tv_sec) * 1e3 + (double)(now.tv_nsec - st->start.tv_nsec) / 1e6;
    pthread_mutex_lock(&srv->log_mu);
    if (srv->log)
        fprintf(srv->log, "%s %s %d %.1fms\n", st->method, st->path, st->status ? st->status : 0, ms);
    pthread_mutex_unlock(&srv->log_mu);
    buf_release(&st->body);
    free(st);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->inflight, 1);
}
