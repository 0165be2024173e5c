/* purpose report: a board report (one A4 landscape PDF) or its readings (JSON), from a CSV of
 * series and a measures file. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/reading.h"
#include "chart/report.h"
#include "cli/cli.h"
#include "cli/report_cli.h"
#include "cli/spc_dest.h"
#include "core/json.h"
#include "core/strmap.h"
#include "core/banned.h"

#define REPORT_OUTPUT_CAP ((size_t)1 << 30)

struct report_args {
    const char *file, *measures, *series_col, *x_col, *y_col, *title, *out, *annotations;
    const char *db, *key_file, *org, *programme; /* the board pack from the database */
    bool json, title_given;
};

void cmd_report_help(void)
{
    printf("usage: purpose report --measures FILE [OPTIONS] DATA\n"
           "       purpose report --db LOC [--org SLUG | --programme SLUG] [OPTIONS]\n"
           "\n"
           "A board report: one A4 landscape PDF with a cover, the integrated performance summary\n"
           "table (grouped by the measures' group) and a page per measure with its chart and a\n"
           "plain-English reading of what it shows. DATA is a CSV of series (- for standard input).\n"
           "\n"
           "options:\n"
           "  --measures FILE   one row per measure: series,title,unit,chart,improvement,target,\n"
           "                    y,denominator,per,rebase,group (series and title required)\n"
           "  --series COL      the series column in DATA (default series)\n"
           "  --x COL           the x column (default x)\n"
           "  --y COL           the value column of a measure that names none (default y)\n"
           "  --annotations FILE  notes drawn on the charts (date,label,series: series as in\n"
           "                    the measures file; empty for every measure)\n"
           "  --title TEXT      the report's title (default Integrated performance report;\n"
           "                    from the database, NAME: integrated performance report)\n"
           "  --db LOC          the board pack of stored measures, as the web's summary.pdf:\n"
           "                    no DATA or --measures (LOC: a SQLite file or postgresql:// URL)\n"
           "  --key-file FILE   the database's key file (docs/cli.md)\n"
           "  --org SLUG        with --db: this organisation (default the first)\n"
           "  --programme SLUG  with --db: this programme's measures, across its partners\n"
           "  --format FMT      pdf (default) or json (the same figures and readings)\n"
           "  -o FILE           write to FILE\n"
           "\n"
           "Exit status: 0 done, 1 bad input (FILE:LINE: what is wrong), 2 bad usage.\n"
           "See docs/cli.md for the measures file.\n");
}

__attribute__((format(printf, 1, 2))) static int report_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "purpose report: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'purpose help report')\n");
    return CLI_USAGE;
}

static int parse_args(int argc, char **argv, struct report_args *a)
{
    *a = (struct report_args){.series_col = "series", .x_col = "x", .y_col = "y",
                              .title = "Integrated performance report"};
    static const struct {
        const char *name;
        size_t at;
    } opts[] = {
        {"--measures", offsetof(struct report_args, measures)}, {"--series", offsetof(struct report_args, series_col)},
        {"--x", offsetof(struct report_args, x_col)},           {"--y", offsetof(struct report_args, y_col)},
        {"--title", offsetof(struct report_args, title)},       {"-o", offsetof(struct report_args, out)},
        {"--output", offsetof(struct report_args, out)},       {"--db", offsetof(struct report_args, db)},
        {"--key-file", offsetof(struct report_args, key_file)}, {"--org", offsetof(struct report_args, org)},
        {"--programme", offsetof(struct report_args, programme)}, {"--annotations", offsetof(struct report_args, annotations)},
    };
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (arg[0] != '-' || arg[1] == '\0') {
            if (a->file)
                return report_usage("one DATA file only (also got '%s')", arg);
            a->file = arg;
            continue;
        }
        const char *eq = arg[1] == '-' ? strchr(arg, '=') : NULL;
        size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
        const char *value = eq ? eq + 1 : NULL;
        bool format = name_len == strlen("--format") && strncmp(arg, "--format", name_len) == 0;
        size_t opt = sizeof opts / sizeof opts[0];
        for (size_t k = 0; k < sizeof opts / sizeof opts[0] && !format && opt == sizeof opts / sizeof opts[0]; k++)
            if (strlen(opts[k].name) == name_len && strncmp(arg, opts[k].name, name_len) == 0)
                opt = k;
        if (!format && opt == sizeof opts / sizeof opts[0])
            return report_usage("unknown option '%s'", arg);
        if (!value) {
            if (i + 1 >= argc)
                return report_usage("%.*s needs a value", (int)name_len, arg);
            value = argv[++i];
        }
        if (format) {
            if (strcmp(value, "json") != 0 && strcmp(value, "pdf") != 0)
                return report_usage("--format: \"%s\" is not one of pdf, json", value);
            a->json = strcmp(value, "json") == 0;
        } else {
            *(const char **)((char *)a + opts[opt].at) = value;
            a->title_given |= opts[opt].at == offsetof(struct report_args, title);
        }
    }
    if (a->db || a->org || a->programme || a->key_file) {
        if (a->file || a->measures)
            return report_usage("%s", "--db builds the report from the database: no DATA or --measures");
        if (a->org && a->programme)
            return report_usage("%s", "--org or --programme, not both");
        if (a->json)
            return report_usage("%s", "--format json needs DATA and --measures (from the database, the API "
                                      "gives the figures: GET /api/v1/summary)");
        if (a->annotations)
            return report_usage("%s", "--annotations is for DATA and --measures: the database holds each "
                                      "measure's own annotations");
        return CLI_OK;
    }
    if (!a->file)
        return report_usage("%s", "no DATA file (use - for standard input)");
    if (!a->measures)
        return report_usage("%s", "no --measures FILE");
    if (strcmp(a->file, "-") == 0 && strcmp(a->measures, "-") == 0)
        return report_usage("%s", "DATA and --measures cannot both be standard input");
    if (a->annotations && strcmp(a->annotations, "-") == 0 && (strcmp(a->file, "-") == 0 || strcmp(a->measures, "-") == 0))
        return report_usage("%s", "--annotations cannot be standard input with DATA or --measures");
    return CLI_OK;
}

static int compute_measure(struct measure *m, const struct ingest_input *in, const struct notes_file *notes,
                           struct buf *scratch, struct purpose_err *err)
{
    size_t n = m->num.n;
    m->y = malloc((n ? n : 1) * sizeof *m->y);
    m->x_text = calloc(n ? n : 1, sizeof *m->x_text);
    if (!m->y || !m->x_text)
        return purpose_errf(err, "out of memory");
    /* Every chart type as `purpose spc` computes it: the numerator over its denominator where the
     * measure has one, times per (spc.md). */
    m->opt.chart = (enum spc_chart)m->chart;
    m->opt.per = m->per;
    if (spc_compute(m->num.y, m->num.has_den ? m->num.den : NULL, n, m->num.breaks, m->num.n_breaks, &m->opt,
                    &m->res, err) < 0)
        return -1;
    const double *values = spc_result_values(&m->res, m->num.y);
    for (size_t i = 0; i < n; i++) {
        m->y[i] = values[i];
        size_t xn;
        const char *x = ingest_series_x(&m->num, in->data, in->len, i, scratch, &xn);
        if (!(m->x_text[i] = strndup(x, xn)))
            return purpose_errf(err, "out of memory");
    }
    static const enum chart_x_kind kinds[] = {
        [XVAL_LABEL] = CHART_X_LABEL, [XVAL_NUMBER] = CHART_X_NUMBER, [XVAL_DATE] = CHART_X_DATE};
    if (notes_for(notes, m->series, kinds[m->num.xs.type], (const char *const *)m->x_text, n, &m->notes, &m->n_notes,
                  err) < 0)
        return -1;
    m->s = (struct chart_series){.title = m->title, .y_label = m->unit[0] ? m->unit : m->y_col, .n = n, .y = m->y,
                                 .x_kind = kinds[m->num.xs.type], .x_value = m->num.key,
                                 .x_text = (const char *const *)m->x_text, .res = &m->res, .opt = &m->opt,
                                 .notes = m->notes, .n_notes = m->n_notes};
    struct buf words;
    buf_init(&words, 1 << 16);
    chart_reading(&words, &m->s, m->unit);
    m->reading = words.failed || !words.data ? NULL : strdup(words.data);
    buf_release(&words);
    return m->reading ? 0 : purpose_errf(err, "out of memory");
}

/* As spc's: a rebase at an x the series lacks. Trial limits are in the reading instead. */
static void print_warnings(const struct measures *ms, const struct measure *m)
{
    const char *w = m->num.warnings.data;
    while (w && *w) {
        const char *nl = strchr(w, '\n');
        int n = (int)(nl ? nl - w : (ptrdiff_t)strlen(w));
        fprintf(stderr, "%s:%zu: warning: series \"%s\": %.*s\n", ms->file, m->line, m->series, n, w);
        w += n + (nl != NULL);
    }
}

/* Measures in report order: grouped, groups in order of first appearance, measures in file
 * order within a group. */
static int report_order(const struct measures *ms, size_t *order, struct purpose_err *err)
{
    struct strmap groups;
    strmap_init(&groups);
    size_t *gid = malloc(ms->n * sizeof *gid), k = 0;
    int rc = gid ? 0 : purpose_errf(err, "out of memory");
    for (size_t i = 0; i < ms->n && rc == 0; i++)
        if ((gid[i] = strmap_get(&groups, ms->m[i].group, strlen(ms->m[i].group), 1)) == (size_t)-1)
            rc = purpose_errf(err, "out of memory");
    for (size_t g = 0; g < groups.count && rc == 0; g++)
        for (size_t i = 0; i < ms->n; i++)
            if (gid[i] == g)
                order[k++] = i;
    free(gid);
    strmap_release(&groups);
    return rc;
}

static void json_field(struct buf *b, const char *key, const char *v, bool comma)
{
    buf_printf(b, "%s\"%s\": ", comma ? ", " : "", key);
    json_write_string(b, v, strlen(v));
}

static void json_number_field(struct buf *b, const char *key, double v)
{
    buf_printf(b, ", \"%s\": ", key);
    json_write_number(b, v);
}

static void write_json(struct buf *b, const struct report_args *a, const struct measures *ms, const size_t *order)
{
    buf_puts(b, "{");
    json_field(b, "title", a->title, false);
    buf_puts(b, ",\n \"measures\": [");
    for (size_t k = 0; k < ms->n; k++) {
        const struct measure *m = &ms->m[order[k]];
        const struct spc_group *g = m->res.n_groups ? &m->res.groups[m->res.n_groups - 1] : NULL;
        buf_puts(b, k ? ",\n  {" : "\n  {");
        json_field(b, "series", m->series, false);
        json_field(b, "title", m->title, true);
        json_field(b, "group", m->group, true);
        json_field(b, "unit", m->unit, true);
        json_field(b, "chart", report_chart_names[m->chart], true);
        json_field(b, "improvement", spc_improvement_name(m->opt.improvement), true);
        json_number_field(b, "target", m->opt.has_target ? m->opt.target : NAN);
        size_t last = m->s.n;
        while (last > 0 && !isfinite(m->y[last - 1]))
            last--;
        buf_puts(b, ", \"latest\": ");
        if (last) {
            buf_puts(b, "{\"x\": ");
            json_write_string(b, m->x_text[last - 1], strlen(m->x_text[last - 1]));
            json_number_field(b, "y", m->y[last - 1]);
            buf_puts(b, "}");
        } else {
            buf_puts(b, "null");
        }
        /* The lines in force at the latest value: its own limits on P and U charts. */
        double centre = g ? g->mean : NAN, lpl = NAN, upl = NAN;
        if (last)
            chart_point_lines(&m->s, last - 1, &centre, &lpl, &upl);
        buf_printf(b, ", \"n\": %zu", g ? g->n : 0);
        json_number_field(b, "mean", centre);
        json_number_field(b, "lpl", lpl);
        json_number_field(b, "upl", upl);
        buf_puts(b, ",\n   ");
        json_field(b, "variation", spc_variation_name(m->res.variation), false);
        buf_puts(b, ", \"assurance\": ");
        const char *as = spc_assurance_name(m->res.assurance);
        if (as[0])
            json_write_string(b, as, strlen(as));
        else
            buf_puts(b, "null");
        buf_puts(b, ",\n   ");
        json_field(b, "reading", m->reading, false);
        buf_puts(b, "}");
    }
    buf_puts(b, "\n ]}\n");
}

/* "ae.csv · 8 measures · data to Mar 2019": where the figures come from, and how recent. */
static void subtitle(struct buf *b, const char *data_name, const struct measures *ms)
{
    const char *base = strrchr(data_name, '/');
    buf_printf(b, "%s \xC2\xB7 %zu measure%s", base ? base + 1 : data_name, ms->n, ms->n == 1 ? "" : "s");
    double latest = -INFINITY;
    size_t at = 0, who = 0;
    for (size_t i = 0; i < ms->n; i++) {
        const struct measure *m = &ms->m[i];
        if (m->s.x_kind != CHART_X_DATE || m->s.n == 0)
            return; /* only dates compare across measures */
        if (m->s.x_value[m->s.n - 1] > latest)
            latest = m->s.x_value[m->s.n - 1], at = m->s.n - 1, who = i;
    }
    char x[64];
    chart_x_words(x, sizeof x, &ms->m[who].s, at);
    buf_printf(b, " \xC2\xB7 data to %s", x);
}

static int run_report(const struct report_args *a, struct measures *ms, struct notes_file *notes, struct buf *out,
                      struct purpose_err *err)
{
    if (measures_read(ms, a->measures, a->y_col, err) < 0)
        return -1;
    if (a->annotations && notes_read(notes, a->annotations, err) < 0)
        return -1;
    struct ingest_input in = {0};
    if (ingest_input_open(&in, a->file, err) < 0)
        return -1;
    struct buf scratch, sub;
    buf_init(&scratch, SIZE_MAX);
    buf_init(&sub, 4096);
    size_t *order = malloc(ms->n * sizeof *order);
    struct report_measure *rm = calloc(ms->n, sizeof *rm);
    int rc = order && rm ? report_data_read(ms, &in, a->series_col, a->x_col, err) : purpose_errf(err, "out of memory");
    for (size_t i = 0; i < ms->n && rc == 0; i++)
        rc = compute_measure(&ms->m[i], &in, a->annotations ? notes : NULL, &scratch, err);
    for (size_t i = 0; i < ms->n && rc == 0; i++)
        print_warnings(ms, &ms->m[i]);
    if (rc == 0)
        rc = report_order(ms, order, err);
    if (rc == 0 && a->json) {
        write_json(out, a, ms, order);
    } else if (rc == 0) {
        for (size_t k = 0; k < ms->n; k++) {
            const struct measure *m = &ms->m[order[k]];
            rm[k] = (struct report_measure){.title = m->title, .group = m->group, .unit = m->unit,
                                            .chart = report_chart_names[m->chart], .s = &m->s, .reading = m->reading};
        }
        subtitle(&sub, in.name, ms);
        struct report r = {.title = a->title, .subtitle = sub.data && !sub.failed ? sub.data : "", .m = rm, .n = ms->n};
        rc = report_pdf(out, &r, err);
    }
    if (rc == 0 && out->failed)
        rc = purpose_errf(err, "out of memory writing the report");
    free(order);
    free(rm);
    buf_release(&sub);
    buf_release(&scratch);
    ingest_input_close(&in);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    struct report_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc != CLI_OK)
        return rc;
    struct measures ms = {0};
    struct notes_file notes = {0};
    struct buf out;
    buf_init(&out, REPORT_OUTPUT_CAP);
    struct purpose_err err = {0};
    struct dest d = {0};
    /* Everything is computed before the destination is opened: bad input writes nothing. */
    int made = a.db || a.org || a.programme || a.key_file
                   ? report_stored(a.db, a.key_file, a.org, a.programme, a.title_given ? a.title : NULL, &out, &err)
                   : run_report(&a, &ms, &notes, &out, &err);
    if (made < 0 || dest_open(&d, a.out, &err) < 0) {
        rc = CLI_FAILED;
    } else if (dest_write(&d, &out, &err) < 0 || dest_commit(&d, &err) < 0) {
        dest_abort(&d);
        rc = CLI_FAILED;
    }
    if (rc != CLI_OK)
        fprintf(stderr, "%s\n", err.msg);
    measures_release(&ms);
    notes_release(&notes);
    buf_release(&out);
    return rc;
}
