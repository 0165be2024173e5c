/* purpose spc: read a CSV, compute one chart per series, write csv/json/summary or a chart (svg/png/pdf). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/spc_cli.h"
#include "cli/spc_dest.h"
#include "core/strmap.h"
#include "core/banned.h"

#define OUTPUT_CAP ((size_t)1 << 30)

struct run {
    struct spc_args a;
    struct ingest_input in;
    struct dest dest;
    struct buf out;
    struct spc_output output;
    struct spc_result result;
    struct strmap svg_names; /* files written, with --series and a chart format */
    struct notes_file notes; /* --annotations */
    struct purpose_err err;
};

static int flush_to_dest(struct spc_output *o)
{
    struct run *r = o->flush_ctx;
    if (spc_format_is_chart(r->a.format) && r->a.series_col)
        return 0; /* one file per series, written in finish_series */
    int rc = dest_write(&r->dest, o->b, o->err);
    buf_reset(o->b);
    return rc;
}

/* "a/b c" -> "a_b_c": a file name that is safe anywhere, and short enough for any file system
 * (NAME_MAX is 255 bytes) with room for a "-N" suffix and ".svg". */
#define SVG_NAME_MAX 200

static void safe_file_name(struct buf *b, const char *name)
{
    for (const char *p = name; *p && p - name < SVG_NAME_MAX; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                  c == '_' || (c == '.' && p != name);
        buf_putc(b, ok ? c : '_');
    }
}

static void print_warnings(const struct run *r, const struct ingest_series *s)
{
    const char *w = s->warnings.data;
    while (w && *w) {
        const char *nl = strchr(w, '\n');
        int n = (int)(nl ? nl - w : (ptrdiff_t)strlen(w));
        if (s->name)
            fprintf(stderr, "%s: warning: series \"%s\": %.*s\n", r->in.name, s->name, n, w);
        else
            fprintf(stderr, "%s: warning: %.*s\n", r->in.name, n, w);
        w += n + (nl != NULL);
    }
}

/* Appends ext (".svg", ".png", ".pdf") to the cleaned name in path, first numbering it ("-2", "-3"...) if an earlier
 * series of this run already took that file: two names may clean up to the same one, and a
 * number must not take the name of a later series either ("a/b", "a_b", "a_b-2"). */
static int unique_chart_path(struct buf *path, const char *ext, struct strmap *taken, struct purpose_err *err)
{
    size_t stem = path->len;
    for (size_t k = 2;; k++) {
        buf_puts(path, ext);
        if (path->failed)
            return purpose_errf(err, "output path too long");
        size_t before = taken->count;
        if (strmap_get(taken, path->data, path->len, 1) == (size_t)-1)
            return purpose_errf(err, "out of memory");
        if (taken->count > before)
            return 0;
        path->len = stem;
        buf_printf(path, "-%zu", k);
    }
}

/* Charts and writes one series (ingest's callback). */
static int chart_series(void *ctx, struct ingest_series *s, size_t done, struct purpose_err *err)
{
    (void)done; /* ingest gives the pages back */
    (void)err;  /* the same as r->err */
    struct run *r = ctx;
    if (spc_compute(s->y, s->den, s->n, s->breaks, s->n_breaks, &r->a.opt, &r->result, &r->err) < 0) {
        char msg[sizeof r->err.msg];
        snprintf(msg, sizeof msg, "%s", r->err.msg);
        if (s->name)
            return purpose_errf(&r->err, "%s: series \"%s\": %s", r->in.name, s->name, msg);
        return purpose_errf(&r->err, "%s: %s", r->in.name, msg);
    }
    for (size_t g = 0; g < r->result.n_groups && r->a.opt.chart != SPC_CHART_RUN; g++) {
        const struct spc_group *grp = &r->result.groups[g];
        if (!grp->has_limits)
            buf_printf(&s->warnings, "group %zu has %zu point%s with a value: too few for limits\n", g + 1, grp->n,
                       grp->n == 1 ? "" : "s");
        else if (grp->trial)
            buf_printf(&s->warnings, "group %zu has %zu points: trial limits\n", g + 1, grp->n);
    }
    print_warnings(r, s);
    if (spc_output_series(&r->output, s, &r->result) < 0)
        return -1;
    if (spc_format_is_chart(r->a.format) && r->a.series_col) {
        struct buf path;
        buf_init(&path, 8192);
        buf_printf(&path, "%s/", r->a.out);
        safe_file_name(&path, s->name);
        int rc = unique_chart_path(&path, spc_format_ext(r->a.format), &r->svg_names, &r->err);
        if (rc == 0)
            rc = dest_write_file(path.data, &r->out, &r->err);
        buf_release(&path);
        buf_reset(&r->out);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* Once the header is checked: open the destination and start the output (ingest's callback). */
static int open_destination(void *ctx, struct purpose_err *err)
{
    (void)err; /* the same as r->err */
    struct run *r = ctx;
    r->output = (struct spc_output){.a = &r->a, .in = &r->in, .b = &r->out, .flush = flush_to_dest,
                                    .flush_ctx = r, .err = &r->err, .notes = r->a.annotations ? &r->notes : NULL};
    if (spc_format_is_chart(r->a.format) && r->a.series_col) {
        if (mkdir(r->a.out, 0777) != 0 && errno != EEXIST)
            return purpose_errf(&r->err, "%s: cannot create the directory: %s", r->a.out, strerror(errno));
        struct stat st;
        if (stat(r->a.out, &st) != 0 || !S_ISDIR(st.st_mode))
            return purpose_errf(&r->err, "%s: with --series, -o must name a directory", r->a.out);
        r->dest = (struct dest){0};
    } else if (dest_open(&r->dest, r->a.out, &r->err) < 0) {
        return -1;
    }
    return spc_output_begin(&r->output);
}

static int process(struct run *r)
{
    /* Before the data: a bad annotations file writes nothing. */
    if (r->a.annotations && notes_read(&r->notes, r->a.annotations, &r->err) < 0)
        return -1;
    if (ingest_input_open(&r->in, r->a.file, &r->err) < 0)
        return -1;
    const struct spc_args *a = &r->a;
    struct ingest_spec spec = {
        .x_col = a->x_col, .y_col = a->y_col, .series_col = a->series_col, .den_col = a->den_col,
        .chart = a->opt.chart, .rebase = a->rebase, .n_rebase = a->n_rebase,
        .need_x = a->format != SPC_FORMAT_SUMMARY, .need_keys = spc_format_is_chart(a->format),
    };
    struct ingest_handler h = {.begin = open_destination, .series = chart_series, .ctx = r};
    r->a.opt.runs = a->format == SPC_FORMAT_JSON; /* the only format that shows it */
    r->a.opt.last_only = a->format == SPC_FORMAT_SUMMARY; /* shows only the last point's type */
    if (ingest_read(&r->in, &spec, &h, &r->err) < 0 || spc_output_end(&r->output) < 0)
        return -1;
    return r->dest.f ? dest_commit(&r->dest, &r->err) : 0;
}

int cmd_spc(int argc, char **argv)
{
    struct run r = {0};
    int rc = spc_args_parse(argc, argv, &r.a);
    if (rc != CLI_OK) {
        spc_args_release(&r.a);
        return rc;
    }
    buf_init(&r.out, OUTPUT_CAP);
    strmap_init(&r.svg_names);
    spc_result_init(&r.result);
    rc = process(&r) == 0 ? CLI_OK : CLI_FAILED;
    if (rc != CLI_OK) {
        fprintf(stderr, "%s\n", r.err.msg);
        if (r.dest.f)
            dest_abort(&r.dest);
    }
    spc_output_release(&r.output);
    spc_result_release(&r.result);
    buf_release(&r.out);
    strmap_release(&r.svg_names);
    notes_release(&r.notes);
    ingest_input_close(&r.in);
    spc_args_release(&r.a);
    return rc;
}
