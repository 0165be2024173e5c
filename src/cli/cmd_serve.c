#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/secret.h"
#include "store/store.h"
#include "web/web.h"
#include "core/banned.h"

void cmd_serve_help(void)
{
    printf("usage: purpose serve [OPTIONS]\n\n"
           "Runs the web app and the JSON API until SIGINT or SIGTERM.\n"
           "  --db PATH          the database (default: $PURPOSE_DB, else data/purpose.db)\n"
           "  --db-read URL      a hot standby of the PostgreSQL --db (postgresql://): pages and API\n"
           "                     reads that write nothing are read there once it has replayed the\n"
           "                     primary's latest change (docs/deployment.md); else from --db\n"
           "  --key-file PATH    the database's key file (default: $PURPOSE_KEY_FILE, else the\n"
           "                     database's path with .key added; needed for PostgreSQL)\n"
           "  --listen HOST:PORT where to listen (default 127.0.0.1:8080; port 0 picks one)\n"
           "  --public-url URL   the address people use; https:// makes cookies Secure\n"
           "  --trusted-proxy IP the TLS proxy in front: its X-Forwarded-For names the client\n"
           "                     (for the per-address sign-in limit); otherwise it is ignored\n"
           "  --static DIR       the built assets (default web/static)\n"
           "  --threads N        worker threads (default: one per core; four per core on PostgreSQL)\n"
           "  --workers N        threads that run writes, off the request threads (0 to 64;\n"
           "                     default: as many as --threads on PostgreSQL, none on SQLite)\n"
           "  --max-body BYTES   largest request body (default 1048576)\n"
           "  --timeout SECONDS  idle connection timeout (default 30)\n"
           "  --quiet            no access log (it goes to standard error)\n"
           "  --access-log FILE  append the access log to FILE instead; SIGHUP reopens it\n"
           "  --max-per-address N  connections at once from one address (default 128;\n"
           "                     with --trusted-proxy, 0: no limit); 0 turns the limit off\n"
           "  --routes           print the route table and exit (--routes --format json: as JSON)\n");
}

static int parse_num(const char *opt, const char *s, long min, long max, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < min || v > max) {
        fprintf(stderr, "purpose serve: %s: \"%s\" must be a number from %ld to %ld\n", opt, s, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

/* Where the store is, from the command line. */
struct serve_args {
    const char *db, *key, *db_read;
};

/* Reads the options into o and a: SERVE_RUN to go on serving, else the command's exit code (after
 * --routes, or a usage error). A flat option parser: each option and its bounds, read in order. */
#define SERVE_RUN (-1)
static int serve_options(int argc, char **argv, struct web_options *o, struct serve_args *sa)
{
    long v;
    bool per_address_set = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--routes") == 0) {
            bool json = next && strcmp(next, "--format") == 0 && i + 2 < argc && strcmp(argv[i + 2], "json") == 0;
            if (next && strcmp(next, "--format") == 0 && !json) {
                fprintf(stderr, "purpose serve: --format: only json is known\n");
                return CLI_USAGE;
            }
            web_print_routes(stdout, json);
            return CLI_OK;
        } else if (strcmp(a, "--quiet") == 0) {
            o->access_log = NULL;
            continue;
        }
        if (!next) {
            fprintf(stderr, "purpose serve: unknown option or missing value: '%s'\n", a);
            return CLI_USAGE;
        }
        if (strcmp(a, "--db") == 0)
            sa->db = next;
        else if (strcmp(a, "--db-read") == 0)
            sa->db_read = next;
        else if (strcmp(a, "--key-file") == 0)
            sa->key = next;
        else if (strcmp(a, "--listen") == 0)
            o->listen = next;
        else if (strcmp(a, "--public-url") == 0)
            o->public_url = next;
        else if (strcmp(a, "--trusted-proxy") == 0) {
            unsigned char bin[16];
            if (inet_pton(AF_INET, next, bin) != 1 && inet_pton(AF_INET6, next, bin) != 1) {
                fprintf(stderr, "purpose serve: --trusted-proxy: \"%s\" is not an IP address\n", next);
                return CLI_USAGE;
            }
            o->trusted_proxy = next;
        }
        else if (strcmp(a, "--static") == 0)
            o->static_dir = next;
        else if (strcmp(a, "--access-log") == 0)
            o->access_log_path = next;
        else if (strcmp(a, "--max-per-address") == 0) {
            if (parse_num(a, next, 0, 1024, &v) < 0)
                return CLI_USAGE;
            o->per_address = (unsigned)v;
            per_address_set = true;
        }
        else if (strcmp(a, "--threads") == 0) {
            if (parse_num(a, next, 1, 256, &v) < 0)
                return CLI_USAGE;
            o->threads = (unsigned)v;
        } else if (strcmp(a, "--workers") == 0) {
            if (parse_num(a, next, 0, 64, &v) < 0)
                return CLI_USAGE;
            o->workers = (int)v;
        } else if (strcmp(a, "--max-body") == 0) {
            if (parse_num(a, next, 1024, 64L << 20, &v) < 0)
                return CLI_USAGE;
            o->max_body = (size_t)v;
        } else if (strcmp(a, "--timeout") == 0) {
            if (parse_num(a, next, 1, 3600, &v) < 0)
                return CLI_USAGE;
            o->timeout = (unsigned)v;
        } else {
            fprintf(stderr, "purpose serve: unknown option '%s'\n", a);
            return CLI_USAGE;
        }
        i++;
    }
    /* Behind the proxy every connection comes from it: the proxy limits per client instead. */
    if (!per_address_set)
        o->per_address = o->trusted_proxy ? 0 : 128;
    return SERVE_RUN;
}

/* Tests only: PURPOSE_FAULT_AFTER=N makes the N-th database step fail, to show the 500 page;
 * PURPOSE_FAULT_HEADER=1 lets a request fail its own N-th database step ("X-Purpose-Fault: N"), for
 * the fault sweep (tests/http/faults.test.mjs); PURPOSE_TEST=1 adds the test headers. */
static void test_hooks(struct store *s, struct web_options *o)
{
    long v;
    const char *fault = getenv("PURPOSE_FAULT_AFTER");
    if (fault && *fault && parse_num("PURPOSE_FAULT_AFTER", fault, 1, 1000000, &v) == 0)
        store_fault_after(s, (int)v);
    const char *fault_header = getenv("PURPOSE_FAULT_HEADER");
    if (fault_header && strcmp(fault_header, "1") == 0) {
        store_fault_armable(s);
        o->fault_header = true;
    }
    const char *test = getenv("PURPOSE_TEST");
    o->test_headers = test && strcmp(test, "1") == 0;
}

int cmd_serve(int argc, char **argv)
{
    struct web_options opt = {
        .listen = "127.0.0.1:8080",
        .static_dir = "web/static",
        .max_body = 1u << 20,
        .timeout = 30,
        .access_log = stderr,
        .workers = -1,
    };
    struct serve_args a = {0};
    int code = serve_options(argc, argv, &opt, &a);
    if (code != SERVE_RUN)
        return code;
    if (opt.access_log)
        setvbuf(stderr, NULL, _IOLBF, 0);
    const char *loc = store_default_location(a.db);
    if (a.db_read && strncmp(loc, "postgresql://", 13) != 0 && strncmp(loc, "postgres://", 11) != 0) {
        fprintf(stderr, "purpose serve: --db-read: reads from a replica need a PostgreSQL database (--db is "
                        "SQLite, which has none)\n");
        return CLI_USAGE;
    }
    struct purpose_err err = {0};
    struct store *s = NULL;
    if (cli_store_open(a.db, a.key, false, &s, NULL, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return CLI_FAILED;
    }
    if (a.db_read && store_read_replica(s, a.db_read, &err) < 0) {
        store_close(&s);
        fprintf(stderr, "purpose serve: %s\n", err.msg);
        return err.kind == PURPOSE_ERR_INPUT ? CLI_USAGE : CLI_FAILED;
    }
    test_hooks(s, &opt);
    int rc = web_serve(s, &opt, &err);
    store_close(&s);
    if (rc < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return CLI_FAILED;
    }
    return CLI_OK;
}
