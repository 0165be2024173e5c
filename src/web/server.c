/* The HTTP server started and stopped: libmicrohttpd with a thread pool and its limits, static
 * assets from memory, the access log (reopened on SIGHUP), and a graceful stop on SIGINT/SIGTERM.
 * The request cycle is server_request.c's. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "web/answers.h"
#include "web/cache.h"
#include "web/server_int.h"
#include "web/workers.h"
#include "core/banned.h"

/* ---- static assets ------------------------------------------------------------------------- */

static int load_assets(struct server *srv, const char *dir, struct purpose_err *err)
{
    static const struct {
        const char *file, *type;
    } files[] = {
        {"nhsuk.min.css", "text/css; charset=utf-8"},
        {"nhsuk.min.js", "text/javascript; charset=utf-8"},
        {"app.css", "text/css; charset=utf-8"},
        {"favicon.ico", "image/x-icon"},
    };
    for (size_t i = 0; i < 4; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, files[i].file);
        FILE *f = fopen(path, "rb");
        if (!f)
            return purpose_errf(err, "%s: cannot read: %s (run make to build the assets)", path,
                                strerror(errno));
        struct buf b;
        buf_init(&b, 8u << 20);
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            buf_append(&b, chunk, n);
        int bad = ferror(f) || b.failed;
        fclose(f);
        if (bad) {
            buf_release(&b);
            return purpose_errf(err, "%s: cannot read", path);
        }
        struct MHD_Response *r = MHD_create_response_from_buffer(b.len, b.data, MHD_RESPMEM_MUST_FREE);
        if (!r) {
            buf_release(&b);
            return purpose_errf(err, "%s: out of memory", path);
        }
        web_server_headers(r);
        MHD_add_response_header(r, "Content-Type", files[i].type);
        MHD_add_response_header(r, "Cache-Control", "public, max-age=3600");
        srv->assets[i].file = files[i].file;
        srv->assets[i].type = files[i].type;
        srv->assets[i].resp = r;
    }
    return 0;
}

struct MHD_Response *web_server_asset(struct server *srv, const char *url)
{
    if (strncmp(url, "/assets/", 8) != 0)
        return NULL;
    for (size_t i = 0; i < 4; i++)
        if (srv->assets[i].resp && strcmp(url + 8, srv->assets[i].file) == 0)
            return srv->assets[i].resp;
    return NULL;
}

/* ---- start and stop ------------------------------------------------------------------------ */

static int parse_listen(const char *s, struct sockaddr_in *sa, struct purpose_err *err)
{
    const char *colon = strrchr(s, ':');
    char host[64];
    if (!colon || (size_t)(colon - s) >= sizeof host)
        return purpose_errf(err, "--listen: \"%s\" is not HOST:PORT", s);
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || port < 0 || port > 65535)
        return purpose_errf(err, "--listen: \"%s\" has no valid port", s);
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0)
        snprintf(host, sizeof host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return purpose_errf(err, "--listen: \"%s\" is not an IPv4 address", host);
    return 0;
}

static FILE *open_log(const char *path, struct purpose_err *err)
{
    FILE *f = fopen(path, "a");
    if (!f) {
        purpose_errf(err, "--access-log: cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    return f;
}

/* SIGHUP: the log file was moved away (logrotate); start a new one at the same path. On failure
 * the old file is kept and the reason goes to stderr. */
static void reopen_log(struct server *srv)
{
    const char *path = srv->ctx.opt->access_log_path;
    if (!path)
        return;
    struct purpose_err err = {0};
    FILE *f = open_log(path, &err);
    if (!f) {
        fprintf(stderr, "purpose: SIGHUP: %s\n", err.msg);
        return;
    }
    pthread_mutex_lock(&srv->log_mu);
    FILE *old = srv->log;
    srv->log = f;
    pthread_mutex_unlock(&srv->log_mu);
    if (old)
        fclose(old);
}

static void server_release(struct server *srv)
{
    for (size_t i = 0; i < 4; i++)
        if (srv->assets[i].resp)
            MHD_destroy_response(srv->assets[i].resp);
    web_workers_free(&srv->workers);
    web_answers_free(&srv->answers);
    pthread_mutex_destroy(&srv->log_mu);
    if (srv->log_owned && srv->log)
        fclose(srv->log);
    web_auth_release(&srv->ctx);
    web_cache_release(&srv->ctx);
}

/* The server's state for s and opt, its log open and its assets loaded; NULL with err filled. */
static struct server *server_new(struct store *s, const struct web_options *opt, struct purpose_err *err)
{
    struct server *srv = calloc(1, sizeof *srv);
    if (!srv) {
        purpose_errf(err, "purpose serve: out of memory");
        return NULL;
    }
    srv->ctx.store = s;
    srv->ctx.opt = opt;
    srv->ctx.secure_cookies = opt->public_url && strncmp(opt->public_url, "https://", 8) == 0;
    atomic_init(&srv->inflight, 0);
    if (!(srv->answers = web_answers_new())) {
        free(srv);
        purpose_errf(err, "purpose serve: out of memory");
        return NULL;
    }
    if (pthread_mutex_init(&srv->log_mu, NULL) != 0) {
        web_answers_free(&srv->answers);
        free(srv);
        purpose_errf(err, "purpose serve: cannot create a mutex");
        return NULL;
    }
    srv->log = opt->access_log;
    if (opt->access_log_path) {
        srv->log = open_log(opt->access_log_path, err);
        srv->log_owned = srv->log != NULL;
        if (!srv->log)
            goto fail;
    }
    if (web_auth_init(&srv->ctx, err) < 0 || web_cache_init(&srv->ctx, err) < 0 || load_assets(srv, opt->static_dir, err) < 0)
        goto fail;
    return srv;
fail:
    server_release(srv);
    free(srv);
    return NULL;
}

/* --threads, or by default: a thread waiting on PostgreSQL (a network round trip, a commit's flush)
 * holds up every connection it serves, so there are more threads than cores; SQLite's reads and
 * writes are local calls and one thread per core keeps them busy. */
static unsigned thread_count(const struct server *srv)
{
    if (srv->ctx.opt->threads)
        return srv->ctx.opt->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = n > 0 && n < 64 ? (unsigned)n : 2;
    if (strcmp(store_engine_name(srv->ctx.store), "postgresql") == 0)
        threads *= 4;
    return threads;
}

static struct MHD_Daemon *start_daemon(struct server *srv, struct sockaddr_in *sa, unsigned threads)
{
    const struct web_options *opt = srv->ctx.opt;
    return MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME |
            MHD_USE_ERROR_LOG, 0, NULL,
        NULL, web_server_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)sa,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT, opt->timeout,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)1024,
        /* One address may not hold every connection (slowloris); behind a proxy, size it for it. */
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, opt->per_address,
        MHD_OPTION_UNESCAPE_CALLBACK, web_server_unescape, NULL, MHD_OPTION_URI_LOG_CALLBACK, web_server_uri_logged, srv,
        /* Request line and headers must fit in this; more is answered 431 by libmicrohttpd. */
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_NOTIFY_COMPLETED, web_server_completed,
        srv, MHD_OPTION_END);
}

/* Serves until SIGINT or SIGTERM (reopening the log on SIGHUP), then stops accepting, lets
 * requests in flight finish (up to 10 s) and stops the daemon. */
static void serve_until_stopped(struct server *srv, struct MHD_Daemon *d, sigset_t *stop)
{
    int sig = 0;
    while (sigwait(stop, &sig) == 0 && sig == SIGHUP)
        reopen_log(srv);
    fprintf(stderr, "purpose: %s received, finishing requests in flight\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    MHD_socket ls = MHD_quiesce_daemon(d);
    for (int i = 0; i < 1000 && atomic_load(&srv->inflight) > 0; i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    /* A worker resumes the connection it answers: they finish before the connections go. */
    web_workers_free(&srv->workers);
    MHD_stop_daemon(d);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
}

int web_serve(struct store *s, const struct web_options *opt, struct purpose_err *err)
{
    struct sockaddr_in sa;
    if (parse_listen(opt->listen, &sa, err) < 0)
        return -1;
    /* jansson seeds its hash function on first use; do it before there are threads. */
    json_object_seed(0);
    struct server *srv = server_new(s, opt, err);
    if (!srv)
        return -1;
    unsigned threads = thread_count(srv);

    /* Block the stop signals in every thread; this one waits for them with sigwait. */
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    signal(SIGPIPE, SIG_IGN);

    /* Writes run on workers, so that a request thread never waits on the database for them
     * (workers.h); PostgreSQL's round trips make that worth it, SQLite's local calls do not. */
    int nworkers = opt->workers >= 0 ? opt->workers
                   : strcmp(store_engine_name(srv->ctx.store), "postgresql") == 0 ? (int)threads : 0;
    if (nworkers > 0 && !(srv->workers = web_workers_new((unsigned)nworkers, web_server_run_deferred, NULL))) {
        server_release(srv);
        free(srv);
        return purpose_errf(err, "purpose serve: cannot start %d workers", nworkers);
    }
    struct MHD_Daemon *d = start_daemon(srv, &sa, threads);
    if (!d) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        server_release(srv);
        free(srv);
        return purpose_errf(err, "--listen: cannot listen on %s (in use, or not allowed)", opt->listen);
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char host[64];
    inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
    printf("purpose: serving http://%s:%u/ with %u threads and %d workers (Ctrl-C stops)\n", host,
           di ? di->port : ntohs(sa.sin_port), threads, nworkers);
    fflush(stdout);

    serve_until_stopped(srv, d, &stop);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    server_release(srv);
    free(srv);
    fprintf(stderr, "purpose: stopped\n");
    return 0;
}
