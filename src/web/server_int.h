#ifndef PURPOSE_WEB_SERVER_INT_H
#define PURPOSE_WEB_SERVER_INT_H
/* Private to the HTTP server: its state (server.c starts and stops it) and the request cycle
 * libmicrohttpd calls (server_request.c). A request's state is made when its headers arrive and
 * freed by web_server_completed. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

#include <microhttpd.h>

#include "web/answers.h"
#include "web/web_int.h"
#include "web/workers.h"

struct asset {
    const char *file;
    const char *type;
    struct MHD_Response *resp;
};

struct server {
    struct web_ctx ctx;
    struct asset assets[4];
    struct web_answers *answers; /* whole anonymous answers (answers.h) */
    struct web_workers *workers; /* writes off the request threads, or NULL (workers.h) */
    atomic_int inflight;
    pthread_mutex_t log_mu; /* guards log, which SIGHUP replaces */
    FILE *log;
    bool log_owned;         /* opened from access_log_path: closed by the server */
};

/* A write a worker answers (workers.h): its connection is suspended from the moment it is queued
 * until the worker has made the answer and resumed it; libmicrohttpd then calls web_server_request again,
 * which queues resp. */
struct deferred {
    struct web_job job; /* first: the worker's job is the state */
    struct server *srv;
    struct MHD_Connection *c;
    const char *method, *url;  /* libmicrohttpd's, valid while the connection lives */
    struct MHD_Response *resp; /* the answer, or NULL when none could be made (the connection closes) */
    bool ready;                /* the worker is done */
};

struct conn_state {
    struct deferred d;  /* first: a job is found from its state */
    struct timespec start;
    struct buf body;
    bool started;        /* web_server_request has seen the request's headers */
    bool too_big;
    bool close;          /* the answer ends the connection (a body that cannot be framed) */
    int status;
    const char *uri;     /* the request line's URI as libmicrohttpd logged it (web_server_uri_logged) */
    size_t uri_len;
    char method[8];
    char path[160];
};

/* server.c: the static asset at url ("/assets/..."), or NULL; the server keeps it. */
struct MHD_Response *web_server_asset(struct server *srv, const char *url);

/* server_request.c: the headers every answer carries (CSP, nosniff, no framing). */
void web_server_headers(struct MHD_Response *r);
/* libmicrohttpd's callbacks (MHD_AccessHandlerCallback, MHD_OPTION_URI_LOG_CALLBACK,
 * MHD_OPTION_UNESCAPE_CALLBACK, MHD_OPTION_NOTIFY_COMPLETED), cls being the server. */
enum MHD_Result web_server_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                   const char *version, const char *upload, size_t *upload_size, void **con_cls);
void *web_server_uri_logged(void *cls, const char *uri, struct MHD_Connection *c);
size_t web_server_unescape(void *cls, struct MHD_Connection *c, char *s);
void web_server_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe);
/* A worker's job (workers.h): a deferred write answered, then its connection resumed. */
void web_server_run_deferred(struct web_job *job, void *arg);

#endif
