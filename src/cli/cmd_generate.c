/* purpose generate national: a synthetic national installation (store/national.h) written into a
 * new database, with progress on stderr and what was made on stdout. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "store/national.h"
#include "core/banned.h"

void cmd_generate_help(void)
{
    printf("usage: purpose generate national --scale F [--seed N] [--db PATH|URL] [--key-file PATH]\n\n"
           "Writes a synthetic national installation into a database that has no organisation yet\n"
           "(it is created, as purpose init does, when missing). At scale 1: about 210 trusts and 10\n"
           "ambulance services with made-up names and ODS-like codes, 42 integrated care boards as\n"
           "programmes and a handover collaborative of ten partners, 15,000 staff, 2,000 conversations\n"
           "with a million contributions and ten million votes, 20,000 projects, 100,000 measures with a\n"
           "year of weekly points, and 50 million ambulance handovers. F (e.g. 0.01 or 1/100, from\n"
           "0.0001 to 1) scales every total, and the organisations with it (at least ten trusts, one\n"
           "ambulance service and one integrated care board). The same F and seed (default 1) make the\n"
           "same data. Nothing in it is real. The staff's password is random and shown to nobody: add a\n"
           "user with purpose user add to sign in. Progress goes to stderr; the counts made to stdout.\n");
}

static int parse_scale(const char *s, double *out)
{
    char *end;
    errno = 0;
    double a = strtod(s, &end);
    if (end == s || errno)
        return -1;
    if (*end == '/') {
        const char *q = end + 1;
        double b = strtod(q, &end);
        if (end == q || errno || !(b > 0))
            return -1;
        a /= b;
    }
    if (*end || !(a >= STORE_NATIONAL_SCALE_MIN) || a > 1)
        return -1;
    *out = a;
    return 0;
}

struct progress {
    const char *what;
    struct timespec last;
};

static double since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* A line at each step's start and end, and at most one a second between. */
static void on_progress(void *ctx, const char *what, uint64_t done, uint64_t total)
{
    struct progress *p = ctx;
    bool fresh = p->what != what;
    if (!fresh && done != total && since(&p->last) < 1.0)
        return;
    p->what = what;
    clock_gettime(CLOCK_MONOTONIC, &p->last);
    fprintf(stderr, "purpose generate: %s %llu/%llu\n", what, (unsigned long long)done, (unsigned long long)total);
}

static void print_sizes(const struct store_national_sizes *z)
{
    printf("trusts %llu\nambulance_services %llu\nintegrated_care_boards %llu\nstaff %llu\n"
           "conversations %llu\nparticipants %llu\ncontributions %llu\nvotes %llu\n"
           "projects %llu\nmeasures %llu\npoints %llu\nhandover_rows %llu\n",
           (unsigned long long)z->trusts, (unsigned long long)z->ambulance, (unsigned long long)z->icbs,
           (unsigned long long)z->staff, (unsigned long long)z->conversations, (unsigned long long)z->participants,
           (unsigned long long)z->contributions, (unsigned long long)z->votes, (unsigned long long)z->projects,
           (unsigned long long)z->measures, (unsigned long long)z->points, (unsigned long long)z->handover_rows);
}

int cmd_generate(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "national") != 0) {
        fprintf(stderr, "purpose generate: say what to generate: purpose generate national --scale F\n");
        return CLI_USAGE;
    }
    const char *db_opt = NULL, *key_opt = NULL, *scale_opt = NULL;
    uint64_t seed = 1;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!next) {
            fprintf(stderr, "purpose generate: unknown option or missing value: '%s'\n", a);
            return CLI_USAGE;
        }
        if (strcmp(a, "--db") == 0)
            db_opt = next;
        else if (strcmp(a, "--key-file") == 0)
            key_opt = next;
        else if (strcmp(a, "--scale") == 0)
            scale_opt = next;
        else if (strcmp(a, "--seed") == 0) {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(next, &end, 10);
            if (end == next || *end || errno || next[0] == '-') {
                fprintf(stderr, "purpose generate: --seed: '%s' is not a whole number\n", next);
                return CLI_USAGE;
            }
            seed = v;
        } else {
            fprintf(stderr, "purpose generate: unknown option '%s'\n", a);
            return CLI_USAGE;
        }
        i++;
    }
    double scale = 0;
    if (!scale_opt || parse_scale(scale_opt, &scale) < 0) {
        fprintf(stderr, "purpose generate: --scale: give a fraction from 0.0001 to 1, e.g. 0.01 or 1/100%s%s%s\n",
                scale_opt ? " (not '" : "", scale_opt ? scale_opt : "", scale_opt ? "')" : "");
        return CLI_USAGE;
    }
    struct store_national_sizes plan;
    store_national_plan(scale, &plan);
    fprintf(stderr, "purpose generate: national at scale %g (seed %llu): %llu organisations, %llu contributions, "
                    "%llu votes, %llu measures, %llu handovers\n",
            scale, (unsigned long long)seed, (unsigned long long)(plan.trusts + plan.ambulance),
            (unsigned long long)plan.contributions, (unsigned long long)plan.votes,
            (unsigned long long)plan.measures, (unsigned long long)plan.handover_rows);
    struct purpose_err err = {0};
    struct store *s = NULL;
    if (cli_store_open(db_opt, key_opt, true, &s, NULL, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return CLI_FAILED;
    }
    struct progress p = {0};
    clock_gettime(CLOCK_MONOTONIC, &p.last);
    struct timespec t0 = p.last;
    const struct store_national_opts o = {.scale = scale, .seed = seed, .progress = on_progress, .ctx = &p};
    struct store_national_sizes made;
    int rc = store_national(s, &o, &made, &err);
    store_close(&s);
    if (rc < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return CLI_FAILED;
    }
    print_sizes(&made);
    printf("seconds %.1f\n", since(&t0));
    return CLI_OK;
}
