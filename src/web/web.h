#ifndef PURPOSE_WEB_H
#define PURPOSE_WEB_H

/* The web app and JSON API: `purpose serve`. web_serve runs until SIGINT or SIGTERM, then stops
 * accepting connections, lets in-flight requests finish, and returns. The store is borrowed. */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "purpose/err.h"
#include "store/store.h"

struct web_options {
    const char *listen;     /* "HOST:PORT"; port 0 picks a free one */
    const char *public_url; /* e.g. https://purpose.example.nhs.uk; https makes cookies Secure */
    const char *trusted_proxy; /* the TLS proxy's address: its X-Forwarded-For names the client */
    const char *static_dir; /* built assets (web/static) */
    unsigned threads;       /* 0: one per core */
    /* Threads that run writes and renders off the request threads (server.c): -1 for the engine's
     * default (PostgreSQL: as many as threads; SQLite: none), 0 for none. */
    int workers;
    size_t max_body;        /* bytes */
    unsigned timeout;       /* seconds a connection may idle */
    FILE *access_log;       /* one line per request; NULL for none */
    /* When set, the server appends the access log to this file instead (access_log is ignored), and
     * opens it again on SIGHUP, for log rotation. */
    const char *access_log_path;
    unsigned per_address;   /* connections at once from one address; 0: no limit */
    /* Tests only (PURPOSE_FAULT_HEADER=1, with a store made fault-armable): the request header
     * "X-Purpose-Fault: N" fails the N-th database step of that request. */
    bool fault_header;
    /* Tests only (PURPOSE_TEST=1): each answer says which rendering it is (X-Purpose-Render), the
     * same number while it comes from a cache (tests/http/cache.test.mjs). */
    bool test_headers;
};

int web_serve(struct store *s, const struct web_options *opt, struct purpose_err *err);

/* Prints the route table for tests and docs: a line per route (method, path, minimum role, kind,
 * scope), or with json a JSON array of the whole declarations (also the cache policy and every
 * path the route answers, with the prefixes the router makes). */
void web_print_routes(FILE *f, bool json);

#endif
