/* purpose handovers import: a handover CSV file into the store, streamed, all or nothing by
 * default, with progress on a terminal and a closing summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/handovers_cli.h"
#include "cli/spc_dest.h"
#include "store/handovers_run.h"
#include "store/store.h"
#include "core/banned.h"

#define REJECT_FLUSH ((size_t)1 << 20)

struct import_ctx {
    const char *name;
    struct store_ho_run run; /* the rule, shared with the web (store/handovers_run.h) */
    bool skip_bad;
    struct dest *rejects; /* with --skip-bad */
    struct buf rej;
    bool tty;
    double start, last_shown;
    bool shown;
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int on_bad(void *ctx, const struct ho_bad *bad, struct purpose_err *err)
{
    struct import_ctx *c = ctx;
    if (!c->skip_bad) {
        if (c->shown) {
            fputs("\r\033[K", stderr);
            c->shown = false;
        }
        if (bad->field == HO_N_COLS)
            fprintf(stderr, "%s:%zu: %s\n", c->name, bad->line, bad->reason);
        else
            fprintf(stderr, "%s:%zu: column \"%s\": %s\n", c->name, bad->line, ho_col_name(bad->field), bad->reason);
        return 0;
    }
    ho_reject_csv_row(&c->rej, bad);
    if (c->rej.failed)
        return purpose_errf(err, "%s: out of memory", c->name);
    if (c->rej.len >= REJECT_FLUSH) {
        if (dest_write(c->rejects, &c->rej, err) < 0)
            return -1;
        buf_reset(&c->rej);
    }
    return 0;
}

/* rows/s, percentage and time left, twice a second, on a terminal only. */
static void progress(void *ctx, uint64_t bytes, uint64_t total, uint64_t rows)
{
    struct import_ctx *c = ctx;
    if (!c->tty)
        return;
    double t = now();
    if (t - c->last_shown < 0.5)
        return;
    c->last_shown = t;
    double rate = rows / (t - c->start > 1e-3 ? t - c->start : 1e-3);
    if (total > 0 && bytes <= total) {
        double frac = (double)bytes / (double)total;
        double left = frac > 0 ? (t - c->start) * (1 - frac) / frac : 0;
        fprintf(stderr, "\r\033[K%s: %llu rows, %.0f rows/s, %.0f%%, about %.0f s left", c->name,
                (unsigned long long)rows, rate, 100 * frac, left);
    } else {
        fprintf(stderr, "\r\033[K%s: %llu rows, %.0f rows/s", c->name, (unsigned long long)rows, rate);
    }
    c->shown = true;
}

static int find_org(struct store *s, const char *slug, int64_t *id, struct purpose_err *err)
{
    struct store_org o = {0};
    int rc = slug ? store_org_find(s, slug, &o, err) : store_org_default(s, &o, err);
    *id = o.id;
    store_org_release(&o);
    if (rc < 0 && !slug && err->kind == PURPOSE_ERR_NOT_FOUND)
        return purpose_errf(err, "the database has no organisation yet: create one with purpose init");
    return rc;
}

static void summary(const struct import_ctx *c, const struct store_ho_summary *m, const char *rejects)
{
    char from[11] = "", to[11] = "";
    printf("%s: stored %llu row%s, skipped %llu duplicate%s; %llu site%s (%llu new)", c->name,
           (unsigned long long)m->stored, m->stored == 1 ? "" : "s", (unsigned long long)m->duplicates,
           m->duplicates == 1 ? "" : "s", (unsigned long long)m->sites, m->sites == 1 ? "" : "s",
           (unsigned long long)m->sites_new);
    if (m->first_day <= m->last_day) {
        ho_date_format(m->first_day, from);
        ho_date_format(m->last_day, to);
        printf("; %s to %s", from, to);
    }
    printf("; %llu rejected", (unsigned long long)c->run.bad);
    if (c->run.bad)
        printf(" (see %s)", rejects);
    printf("\n");
}

int ho_cli_import(int argc, char **argv)
{
    const char *input = NULL, *db = NULL, *key = NULL, *org = NULL, *rejects = NULL;
    struct import_ctx c = {0};
    for (int i = 1; i < argc; i++) {
        int missing = 0;
        const char *v;
        if ((v = ho_cli_opt(argc, argv, &i, "--db", &missing)))
            db = v;
        else if ((v = ho_cli_opt(argc, argv, &i, "--key-file", &missing)))
            key = v;
        else if ((v = ho_cli_opt(argc, argv, &i, "--org", &missing)))
            org = v;
        else if ((v = ho_cli_opt(argc, argv, &i, "--rejects", &missing)))
            rejects = v;
        else if (strcmp(argv[i], "--skip-bad") == 0)
            c.skip_bad = true;
        else if (!missing && !input && (argv[i][0] != '-' || strcmp(argv[i], "-") == 0))
            input = argv[i];
        else
            return ho_cli_usage(missing ? "%s needs a value" : "unknown option '%s'", argv[i]);
    }
    if (!input)
        return ho_cli_usage("import needs a FILE (- for standard input)%s", "");
    if (rejects && !c.skip_bad)
        return ho_cli_usage("--rejects goes with --skip-bad%s", "");
    if (!rejects)
        rejects = "rejects.csv";
    c.name = strcmp(input, "-") == 0 ? "stdin" : input;
    c.tty = isatty(STDERR_FILENO) == 1;
    c.start = now();
    buf_init(&c.rej, (size_t)1 << 26);

    struct purpose_err err = {0};
    struct store *s = NULL;
    struct dest d = {0};
    struct store_ho_summary sum = {0};
    int64_t org_id = 0;
    int rc = cli_store_open(db, key, false, &s, NULL, &err);
    if (rc == 0)
        rc = find_org(s, org, &org_id, &err);
    if (rc == 0 && c.skip_bad) {
        rc = dest_open(&d, rejects, &err);
        c.rejects = &d;
        buf_puts(&c.rej, ho_reject_csv_header);
    }
    const struct store_actor cli = {0, "cli"};
    c.run = (struct store_ho_run){.skip_bad = c.skip_bad, .on_bad = on_bad, .ctx = &c};
    if (rc == 0)
        rc = store_ho_run_begin(&c.run, s, &cli, STORE_ORG_SCOPE(org_id), c.name, &err);
    if (rc == 0)
        rc = ho_cli_read(input, c.name, &c.run.sink, progress, &c, &err);
    if (c.shown)
        fputs("\r\033[K", stderr);
    bool refused = store_ho_run_refused(&c.run, rc);
    if (rc == 0 && c.rejects)
        rc = dest_write(&d, &c.rej, &err); /* before the import commits: a failure stores nothing */
    rc = store_ho_run_end(&c.run, rc, &sum, &err);
    if (c.rejects) {
        if (rc == 0 && !refused)
            rc = dest_commit(&d, &err);
        else
            dest_abort(&d);
    }
    store_close(&s);
    buf_release(&c.rej);
    if (rc < 0) {
        fprintf(stderr, "purpose handovers import: %s: nothing stored\n", err.msg);
        return CLI_FAILED;
    }
    if (refused) {
        fprintf(stderr, "%s: %llu bad row%s: nothing stored (--skip-bad stores the good rows)\n", c.name,
                (unsigned long long)c.run.bad, c.run.bad == 1 ? "" : "s");
        return CLI_FAILED;
    }
    summary(&c, &sum, rejects);
    return CLI_OK;
}
