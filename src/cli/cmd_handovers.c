/* purpose handovers generate|report: synthetic data, and the report straight from a CSV file
 * (the stored report and import arrive with the store). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/spc_dest.h"
#include "cli/handovers_cli.h"
#include "handover/handover.h"
#include "core/banned.h"

#define FLUSH_AT ((size_t)1 << 20)

void cmd_handovers_help(void)
{
    printf("usage: purpose handovers generate [--sites N] [--days D] [--seed S] [--bad K] [--start DATE]\n"
           "                                  [--improve DATE] [-o FILE]\n"
           "       purpose handovers import FILE|- [--org SLUG] [--skip-bad [--rejects FILE]] [--db LOC]\n"
           "                                [--key-file PATH]\n"
           "       purpose handovers report [--input FILE | [--org SLUG | --programme SLUG] [--db LOC]\n"
           "                                [--key-file PATH]]\n"
           "                                [--site S] [--by hour|day|week|month] [--from DATE] [--to DATE]\n"
           "                                [--format csv|json] [--skip-bad] [-o FILE]\n\n"
           "Ambulance handovers (arrival, handover, clear) against the 15/30/60-minute standards.\n\n"
           "generate writes synthetic data (never real patients): N sites (default 2) for D days (default\n"
           "365) from DATE (default 2023-01-01), arrivals by hour and weekday, winter pressure, quicker\n"
           "handovers from --improve (default half way), and K bad rows covering every kind. The same\n"
           "seed (default 1) gives the same file.\n\n"
           "import stores FILE (- for standard input) for the organisation SLUG (default the\n"
           "installation's first), making its sites on first sight. It is all or nothing: any bad row is\n"
           "listed on stderr and nothing is stored (exit 1), unless --skip-bad, which stores the good rows\n"
           "and writes the bad ones with their reasons to --rejects (default rejects.csv). A row already\n"
           "stored (same site, arrival and ref) is skipped. On a terminal it shows progress.\n\n"
           "report prints every metric per site and period, then for all sites; periods are Europe/London\n"
           "local hours, days, ISO weeks (by their Monday) or months of arrival. --from and --to are\n"
           "local dates, inclusive. With --input it reads FILE (columns site, arrival, handover, clear,\n"
           "ref): any bad row is listed on stderr and nothing is reported (exit 1) unless --skip-bad.\n"
           "Without it, it reads the stored aggregates of the organisation (--org, default the first)\n"
           "or of a programme's partners (--programme; sites named org-slug/site). --key-file is the\n"
           "database's key file, as for purpose serve.\n");
}

int ho_cli_usage(const char *fmt, const char *arg)
{
    fputs("purpose handovers: ", stderr);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    fprintf(stderr, fmt, arg);
#pragma GCC diagnostic pop
    fputc('\n', stderr);
    return CLI_USAGE;
}

/* A whole decimal number in [lo, hi]. */
static int parse_count(const char *s, unsigned long long lo, unsigned long long hi, unsigned long long *out)
{
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

const char *ho_cli_opt(int argc, char **argv, int *i, const char *opt, int *missing)
{
    size_t n = strlen(opt);
    if (strncmp(argv[*i], opt, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*i];
}

static int generate(int argc, char **argv)
{
    unsigned long long sites = 2, days = 365, seed = 1, bad = 0;
    const char *out = NULL, *start_s = "2023-01-01", *improve_s = NULL;
    for (int i = 1; i < argc; i++) {
        int missing = 0;
        const char *v;
        if ((v = ho_cli_opt(argc, argv, &i, "--sites", &missing))) {
            if (parse_count(v, 1, 100000, &sites) < 0)
                return ho_cli_usage("--sites: \"%s\" is not a whole number from 1 to 100000", v);
        } else if ((v = ho_cli_opt(argc, argv, &i, "--days", &missing))) {
            if (parse_count(v, 1, 36500, &days) < 0)
                return ho_cli_usage("--days: \"%s\" is not a whole number from 1 to 36500", v);
        } else if ((v = ho_cli_opt(argc, argv, &i, "--seed", &missing))) {
            if (parse_count(v, 0, UINT64_MAX, &seed) < 0)
                return ho_cli_usage("--seed: \"%s\" is not a whole number", v);
        } else if ((v = ho_cli_opt(argc, argv, &i, "--bad", &missing))) {
            if (parse_count(v, 0, 1000000000, &bad) < 0)
                return ho_cli_usage("--bad: \"%s\" is not a whole number up to 1000000000", v);
        } else if ((v = ho_cli_opt(argc, argv, &i, "--start", &missing))) {
            start_s = v;
        } else if ((v = ho_cli_opt(argc, argv, &i, "--improve", &missing))) {
            improve_s = v;
        } else if ((v = ho_cli_opt(argc, argv, &i, "-o", &missing))) {
            out = v;
        } else {
            return ho_cli_usage(missing ? "%s needs a value" : "unknown option '%s'", argv[i]);
        }
    }
    struct ho_gen_opts o = {.sites = (unsigned)sites, .days = (unsigned)days, .seed = seed, .bad = bad};
    if (ho_date_parse(start_s, strlen(start_s), &o.start) < 0)
        return ho_cli_usage("--start: \"%s\" is not a date (YYYY-MM-DD)", start_s);
    o.improve = o.start + (int32_t)(days / 2);
    if (improve_s && ho_date_parse(improve_s, strlen(improve_s), &o.improve) < 0)
        return ho_cli_usage("--improve: \"%s\" is not a date (YYYY-MM-DD)", improve_s);
    if (o.start < ho_days_from_civil(1996, 1, 1) || o.start + (int64_t)days - 1 > ho_days_from_civil(2099, 12, 30))
        return ho_cli_usage("--start, --days: the dates must lie within 1996 to 2099%s", "");

    struct purpose_err err = {0};
    struct ho_gen *g = NULL;
    struct dest d;
    struct buf b;
    buf_init(&b, (size_t)1 << 30);
    if (ho_gen_new(&g, &o, &err) < 0 || dest_open(&d, out, &err) < 0) {
        ho_gen_free(&g);
        buf_release(&b);
        fprintf(stderr, "purpose handovers generate: %s\n", err.msg);
        return CLI_FAILED;
    }
    int more, rc = 0;
    do {
        more = ho_gen_next(g, &b);
        if (b.failed) {
            rc = purpose_errf(&err, "out of memory");
            break;
        }
        if (b.len >= FLUSH_AT || !more) {
            rc = dest_write(&d, &b, &err);
            buf_reset(&b);
        }
    } while (more && rc == 0);
    if (rc == 0)
        rc = dest_commit(&d, &err);
    else
        dest_abort(&d);
    ho_gen_free(&g);
    buf_release(&b);
    if (rc < 0) {
        fprintf(stderr, "purpose handovers generate: %s\n", err.msg);
        return CLI_FAILED;
    }
    return CLI_OK;
}

/* ---- report --input ---- */
struct report_ctx {
    const char *name;
    struct ho_agg *agg;
    bool skip_bad, json, first;
    uint64_t bad;
    struct dest *d;
    struct buf out;
};

static int on_row(void *ctx, const struct ho_row *row, struct purpose_err *err)
{
    struct report_ctx *c = ctx;
    if (c->bad && !c->skip_bad)
        return 0; /* refused anyway: only keep listing the bad rows */
    return ho_agg_add(c->agg, row, err);
}

static int on_bad(void *ctx, const struct ho_bad *bad, struct purpose_err *err)
{
    (void)err;
    struct report_ctx *c = ctx;
    c->bad++;
    if (!c->skip_bad) {
        if (bad->field == HO_N_COLS)
            fprintf(stderr, "%s:%zu: %s\n", c->name, bad->line, bad->reason);
        else
            fprintf(stderr, "%s:%zu: column \"%s\": %s\n", c->name, bad->line, ho_col_name(bad->field), bad->reason);
    }
    return 0;
}

static int emit_row(void *ctx, const struct ho_metrics *m, struct purpose_err *err)
{
    struct report_ctx *c = ctx;
    if (c->json) {
        buf_puts(&c->out, c->first ? "[\n" : ",\n");
        ho_report_json_row(&c->out, m);
    } else {
        ho_report_csv_row(&c->out, m);
    }
    c->first = false;
    if (c->out.failed)
        return purpose_errf(err, "out of memory");
    if (c->out.len >= FLUSH_AT) {
        if (dest_write(c->d, &c->out, err) < 0)
            return -1;
        buf_reset(&c->out);
    }
    return 0;
}

int ho_cli_read(const char *path, const char *name, const struct ho_sink *sink, ho_cli_progress progress,
                void *ctx, struct purpose_err *err)
{
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return purpose_errf(err, "%s: cannot open: %s", path, strerror(errno));
    struct stat sb;
    uint64_t total = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
    struct ho_stream *s = NULL;
    int rc = ho_stream_new(&s, name, sink, err);
    uint64_t next = 0;
    while (rc == 0) {
        size_t room;
        char *at = ho_stream_space(s, &room);
        if (!at) {
            rc = purpose_errf(err, "%s: out of memory", name);
            break;
        }
        ssize_t n = read(fd, at, room);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = purpose_errf(err, "%s: read failed: %s", name, strerror(errno));
        else if (n == 0)
            break;
        else
            rc = ho_stream_commit(s, (size_t)n, err);
        struct ho_stream_stats st = ho_stream_stats(s);
        if (progress && st.rows + st.bad >= next) {
            progress(ctx, st.bytes, total, st.rows + st.bad);
            next = st.rows + st.bad + 65536;
        }
    }
    if (rc == 0)
        rc = ho_stream_finish(s, err);
    ho_stream_free(&s);
    if (fd != STDIN_FILENO)
        close(fd);
    return rc;
}

/* The rows of input (a file, or "-" for stdin) into c's aggregates, bad ones counted. */
static int report_read(struct report_ctx *c, const char *input, struct purpose_err *err)
{
    struct ho_sink sink = {on_row, on_bad, c};
    return ho_cli_read(input, c->name, &sink, NULL, NULL, err);
}

/* The report of c's aggregates, as CSV or JSON, to out (a file written whole, or stdout). */
static int report_write(struct report_ctx *c, const struct ho_report_opts *o, const char *out, struct purpose_err *err)
{
    if (dest_open(c->d, out, err) < 0)
        return -1;
    if (!c->json)
        buf_puts(&c->out, ho_report_csv_header);
    int rc = ho_report_run(c->agg, o, emit_row, c, err);
    if (rc == 0 && c->json)
        buf_puts(&c->out, c->first ? "[]\n" : "\n]\n");
    if (rc == 0)
        rc = dest_write(c->d, &c->out, err);
    if (rc == 0)
        rc = dest_commit(c->d, err);
    else
        dest_abort(c->d);
    return rc;
}

static int report(int argc, char **argv)
{
    const char *input = NULL, *out = NULL, *from_s = NULL, *to_s = NULL, *format = "csv", *by_s = "day";
    const char *db = NULL, *key = NULL, *org = NULL, *programme = NULL;
    struct ho_report_opts o = {.by = HO_BY_DAY, .from = INT32_MIN, .to = INT32_MAX};
    struct report_ctx c = {.first = true};
    for (int i = 1; i < argc; i++) {
        int missing = 0;
        const char *v;
        if ((v = ho_cli_opt(argc, argv, &i, "--input", &missing)))
            input = v;
        else if ((v = ho_cli_opt(argc, argv, &i, "--site", &missing)))
            o.site = v, o.site_len = strlen(v);
        else if ((v = ho_cli_opt(argc, argv, &i, "--by", &missing)))
            by_s = v;
        else if ((v = ho_cli_opt(argc, argv, &i, "--from", &missing)))
            from_s = v;
        else if ((v = ho_cli_opt(argc, argv, &i, "--to", &missing)))
            to_s = v;
        else if ((v = ho_cli_opt(argc, argv, &i, "--format", &missing)))
            format = v;
        else if ((v = ho_cli_opt(argc, argv, &i, "-o", &missing)))
            out = v;
        else if ((v = ho_cli_opt(argc, argv, &i, "--db", &missing)))
            db = v;
        else if ((v = ho_cli_opt(argc, argv, &i, "--key-file", &missing)))
            key = v;
        else if ((v = ho_cli_opt(argc, argv, &i, "--org", &missing)))
            org = v;
        else if ((v = ho_cli_opt(argc, argv, &i, "--programme", &missing)))
            programme = v;
        else if (strcmp(argv[i], "--skip-bad") == 0)
            c.skip_bad = true;
        else
            return ho_cli_usage(missing ? "%s needs a value" : "unknown option '%s'", argv[i]);
    }
    if (input && (db || key || org || programme))
        return ho_cli_usage("--input reads a file: --db, --org and --programme are for the stored report%s", "");
    if (org && programme)
        return ho_cli_usage("choose --org or --programme, not both%s", "");
    if (ho_by_parse(by_s, &o.by) < 0)
        return ho_cli_usage("--by: \"%s\" is not hour, day, week or month", by_s);
    if (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
        return ho_cli_usage("--format: \"%s\" is not csv or json", format);
    c.json = strcmp(format, "json") == 0;
    if (from_s && ho_date_parse(from_s, strlen(from_s), &o.from) < 0)
        return ho_cli_usage("--from: \"%s\" is not a date (YYYY-MM-DD)", from_s);
    if (to_s && ho_date_parse(to_s, strlen(to_s), &o.to) < 0)
        return ho_cli_usage("--to: \"%s\" is not a date (YYYY-MM-DD)", to_s);
    if (o.from > o.to)
        return ho_cli_usage("--from is after --to%s", "");

    struct purpose_err err = {0};
    c.name = !input ? "store" : strcmp(input, "-") == 0 ? "stdin" : input;
    buf_init(&c.out, (size_t)1 << 26);
    struct dest d = {0};
    c.d = &d;
    int rc = ho_agg_new(&c.agg, &err);
    if (rc == 0)
        rc = input ? report_read(&c, input, &err) : ho_cli_load_stored(db, key, org, programme, &o, c.agg, &err);
    if (rc == 0 && c.bad && !c.skip_bad) {
        fprintf(stderr, "%s: %llu bad row%s: nothing reported (--skip-bad reports the good rows)\n", c.name,
                (unsigned long long)c.bad, c.bad == 1 ? "" : "s");
        ho_agg_free(&c.agg);
        buf_release(&c.out);
        return CLI_FAILED;
    }
    if (rc == 0 && c.bad)
        fprintf(stderr, "%s: skipped %llu bad row%s\n", c.name, (unsigned long long)c.bad, c.bad == 1 ? "" : "s");
    if (rc == 0)
        rc = report_write(&c, &o, out, &err);
    ho_agg_free(&c.agg);
    buf_release(&c.out);
    if (rc < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return CLI_FAILED;
    }
    return CLI_OK;
}

int cmd_handovers(int argc, char **argv)
{
    if (argc < 2) {
        cmd_handovers_help();
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "generate") == 0)
        return generate(argc - 1, argv + 1);
    if (strcmp(argv[1], "report") == 0)
        return report(argc - 1, argv + 1);
    if (strcmp(argv[1], "import") == 0)
        return ho_cli_import(argc - 1, argv + 1);
    fprintf(stderr, "purpose handovers: no subcommand '%s' (generate, import, report)\n", argv[1]);
    return CLI_USAGE;
}
