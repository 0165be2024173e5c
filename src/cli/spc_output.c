/* The output formats of `purpose spc` (cli.md): csv, summary, json, and charts as svg, png or pdf. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart.h"
#include "cli/spc_cli.h"
#include "core/csv.h"
#include "core/json.h"
#include "core/num.h"
#include "core/banned.h"

#define FLUSH_AT ((size_t)1 << 20)

static int maybe_flush(struct spc_output *o)
{
    if (o->b->failed)
        return purpose_errf(o->err, "out of memory writing output");
    return o->b->len >= FLUSH_AT ? o->flush(o) : 0;
}

static void put_number(struct buf *b, double v)
{
    char text[NUM_TEXT_MAX];
    buf_append(b, text, num_format(v, text));
}

static const char *series_name(const struct ingest_series *s) { return s->name ? s->name : ""; }

bool spc_format_is_chart(enum spc_format f)
{
    return f == SPC_FORMAT_SVG || f == SPC_FORMAT_PNG || f == SPC_FORMAT_PDF;
}

const char *spc_format_ext(enum spc_format f)
{
    return f == SPC_FORMAT_PNG ? ".png" : f == SPC_FORMAT_PDF ? ".pdf" : ".svg";
}

int spc_output_begin(struct spc_output *o)
{
    buf_init(&o->scratch, INGEST_FIELD_SCRATCH_MAX);
    o->series_written = 0;
    const struct spc_args *a = o->a;
    switch (a->format) {
    case SPC_FORMAT_CSV:
        buf_puts(o->b, a->series_col ? "series," : "");
        buf_puts(o->b, a->den_col ? "x,numerator,denominator,y," : "x,y,");
        buf_puts(o->b, "group,mean,lpl,upl,near_lpl,near_upl,point_type,rule\n");
        break;
    case SPC_FORMAT_SUMMARY:
        buf_puts(o->b, "series,n,mean,lpl,upl,variation,assurance\n");
        break;
    case SPC_FORMAT_JSON:
        buf_printf(o->b, "{\"chart\": \"%s\", \"improvement\": \"%s\", \"per\": ", spc_chart_name(a->opt.chart),
                   spc_improvement_name(a->opt.improvement));
        json_write_number(o->b, a->opt.per);
        buf_puts(o->b, ", \"target\": ");
        json_write_number(o->b, a->opt.has_target ? a->opt.target : NAN);
        buf_puts(o->b, ",\n \"series\": [");
        break;
    case SPC_FORMAT_SVG:
    case SPC_FORMAT_PNG:
    case SPC_FORMAT_PDF:
        break;
    }
    return maybe_flush(o);
}

static int write_summary(struct spc_output *o, const struct ingest_series *s, const struct spc_result *r)
{
    csv_write_field(o->b, series_name(s), strlen(series_name(s)));
    const struct spc_group *g = r->n_groups ? &r->groups[r->n_groups - 1] : NULL;
    buf_printf(o->b, ",%zu,", g ? g->n : 0);
    put_number(o->b, g ? g->mean : NAN);
    buf_putc(o->b, ',');
    put_number(o->b, g ? g->lpl : NAN);
    buf_putc(o->b, ',');
    put_number(o->b, g ? g->upl : NAN);
    buf_printf(o->b, ",%s,%s\n", spc_variation_name(r->variation), spc_assurance_name(r->assurance));
    return maybe_flush(o);
}

static void json_key_string(struct buf *b, const char *key, const char *value)
{
    buf_printf(b, "\"%s\": ", key);
    if (value && *value)
        json_write_string(b, value, strlen(value));
    else
        buf_puts(b, "null");
}

static int write_json(struct spc_output *o, const struct ingest_series *s, const struct spc_result *r)
{
    struct buf *b = o->b;
    buf_puts(b, o->series_written ? ",\n  {" : "\n  {");
    json_key_string(b, "name", s->name);
    buf_puts(b, ", ");
    json_key_string(b, "variation", spc_variation_name(r->variation));
    buf_puts(b, ", ");
    json_key_string(b, "assurance", spc_assurance_name(r->assurance));
    buf_puts(b, ",\n   \"warnings\": [");
    const char *w = s->warnings.data;
    for (size_t k = 0; w && *w; k++) {
        const char *nl = strchr(w, '\n');
        size_t n = nl ? (size_t)(nl - w) : strlen(w);
        buf_puts(b, k ? ", " : "");
        json_write_string(b, w, n);
        w += n + (nl != NULL);
    }
    buf_puts(b, "],\n   \"groups\": [");
    for (size_t gi = 0; gi < r->n_groups; gi++) {
        const struct spc_group *g = &r->groups[gi];
        buf_printf(b, "%s{\"group\": %zu, \"n\": %zu, \"trial\": %s, \"mean\": ", gi ? ", " : "", gi + 1, g->n,
                   g->trial ? "true" : "false");
        const char *names[] = {"lpl", "upl", "near_lpl", "near_upl"};
        const double values[] = {g->lpl, g->upl, g->near_lpl, g->near_upl};
        json_write_number(b, g->mean);
        for (size_t k = 0; k < 4; k++) {
            buf_printf(b, ", \"%s\": ", names[k]);
            json_write_number(b, values[k]);
        }
        const struct spc_runs *u = &g->runs;
        buf_printf(b, ", \"runs\": {\"useful\": %zu, \"longest_run\": %zu, \"longest_run_max\": %zu, "
                   "\"crossings\": %zu, \"crossings_min\": %zu, \"signal\": %s}}",
                   u->useful, u->longest_run, u->longest_run_max, u->crossings, u->crossings_min,
                   u->signal ? "true" : "false");
    }
    buf_puts(b, "],\n   \"points\": [");
    int rc = 0;
    const double *value = spc_result_values(r, s->y);
    for (size_t gi = 0; gi < r->n_groups && rc == 0; gi++) {
        const struct spc_group *g = &r->groups[gi];
        for (size_t i = g->start; i < g->end && rc == 0; i++) {
            size_t xn;
            const char *x = ingest_series_x(s, o->in->data, o->in->len, i, &o->scratch, &xn);
            buf_puts(b, i ? ",\n    {\"x\": " : "\n    {\"x\": ");
            json_write_string(b, x, xn);
            if (s->den) {
                buf_puts(b, ", \"numerator\": ");
                json_write_number(b, s->y[i]);
                buf_puts(b, ", \"denominator\": ");
                json_write_number(b, s->den[i]);
            }
            buf_puts(b, ", \"y\": ");
            json_write_number(b, value[i]);
            if (r->chart != SPC_CHART_XMR) { /* spec: each point's own lines on the other types */
                struct spc_lines l;
                spc_point_lines(r, i, &l);
                const char *names[] = {"mean", "lpl", "upl", "near_lpl", "near_upl"};
                const double values[] = {l.centre, l.lpl, l.upl, l.near_lpl, l.near_upl};
                for (size_t k = 0; k < 5; k++) {
                    buf_printf(b, ", \"%s\": ", names[k]);
                    json_write_number(b, values[k]);
                }
            }
            buf_printf(b, ", \"group\": %zu, \"point_type\": \"%s\", \"rule\": \"%s\"}", gi + 1,
                       spc_point_type_name(r->point_type[i]), spc_rule_name(r->rule[i]));
            rc = maybe_flush(o);
        }
    }
    buf_puts(b, "]}");
    return rc ? rc : maybe_flush(o);
}

static int write_chart(struct spc_output *o, const struct ingest_series *s, const struct spc_result *r)
{
    const char **texts = calloc(s->n ? s->n : 1, sizeof *texts);
    if (!texts)
        return purpose_errf(o->err, "out of memory drawing %zu points", s->n);
    int rc = 0;
    for (size_t i = 0; i < s->n && rc == 0; i++) {
        size_t xn;
        const char *x = ingest_series_x(s, o->in->data, o->in->len, i, &o->scratch, &xn);
        char *copy = malloc(xn + 1);
        if (!copy) {
            rc = purpose_errf(o->err, "out of memory drawing %zu points", s->n);
            break;
        }
        memcpy(copy, x, xn);
        copy[xn] = '\0';
        texts[i] = copy;
    }
    static const enum chart_x_kind kinds[] = {
        [XVAL_LABEL] = CHART_X_LABEL, [XVAL_NUMBER] = CHART_X_NUMBER, [XVAL_DATE] = CHART_X_DATE};
    /* --title names the chart; with --series each chart also names its series. */
    struct buf title;
    buf_init(&title, 1 << 16);
    if (o->a->title && s->name)
        buf_printf(&title, "%s: %s", o->a->title, s->name);
    else
        buf_puts(&title, o->a->title ? o->a->title : s->name ? s->name : o->a->y_col);
    if (title.failed && rc == 0)
        rc = purpose_errf(o->err, "out of memory");
    struct chart_note *notes = NULL;
    size_t n_notes = 0;
    if (rc == 0)
        rc = notes_for(o->notes, s->name, kinds[s->xs.type], texts, s->n, &notes, &n_notes, o->err);
    struct chart_series c = {
        .notes = notes,
        .n_notes = n_notes,
        .title = title.data ? title.data : "",
        .y_label = o->a->y_col,
        .n = s->n,
        .y = spc_result_values(r, s->y),
        .x_kind = kinds[s->xs.type],
        .x_value = s->key,
        .x_text = texts,
        .res = r,
        .opt = &o->a->opt,
    };
    if (rc == 0) {
        enum spc_format f = o->a->format;
        rc = f == SPC_FORMAT_PNG ? chart_png(o->b, &c, o->err)
           : f == SPC_FORMAT_PDF ? chart_pdf(o->b, &c, o->err)
                                 : chart_svg(o->b, &c, o->err);
    }
    buf_release(&title);
    free(notes);
    for (size_t i = 0; i < s->n; i++)
        free((char *)texts[i]);
    free(texts);
    return rc;
}

int spc_output_series(struct spc_output *o, const struct ingest_series *s, const struct spc_result *r)
{
    int rc = 0;
    switch (o->a->format) {
    case SPC_FORMAT_CSV:
        rc = spc_output_csv(o, s, r);
        break;
    case SPC_FORMAT_SUMMARY:
        rc = write_summary(o, s, r);
        break;
    case SPC_FORMAT_JSON:
        rc = write_json(o, s, r);
        break;
    case SPC_FORMAT_SVG:
    case SPC_FORMAT_PNG:
    case SPC_FORMAT_PDF:
        rc = write_chart(o, s, r);
        break;
    }
    o->series_written++;
    return rc;
}

int spc_output_end(struct spc_output *o)
{
    if (o->a->format == SPC_FORMAT_JSON)
        buf_puts(o->b, o->series_written ? "\n ]}\n" : "]}\n");
    if (o->b->failed)
        return purpose_errf(o->err, "out of memory writing output");
    return o->flush(o);
}

void spc_output_release(struct spc_output *o)
{
    buf_release(&o->scratch);
}
