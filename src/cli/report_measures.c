/* The measures file of `purpose report`: one row per measure, checked as strictly as the data. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report_cli.h"
#include "core/csv.h"
#include "core/num.h"
#include "core/strmap.h"
#include "core/xval.h"
#include "core/banned.h"

const char *const report_chart_names[REPORT_N_CHARTS] = {"xmr", "run", "p", "pp", "u", "up", "c", "g", "t"};

enum mcol { MC_SERIES, MC_TITLE, MC_UNIT, MC_CHART, MC_IMPROVEMENT, MC_TARGET, MC_Y, MC_DENOMINATOR, MC_PER, MC_REBASE,
            MC_GROUP, MC_N };
static const char *const mcol_names[MC_N] = {"series", "title", "unit", "chart", "improvement", "target", "y",
                                             "denominator", "per", "rebase", "group"};

struct mreader {
    const char *file;
    struct csv_reader csv;
    size_t at[MC_N]; /* field index of each column, or (size_t)-1 when absent */
    struct buf scratch;
    struct purpose_err *err;
};

/* Column c's trimmed text in the current row, as an owned string ("" when the column is absent). */
static char *field(struct mreader *r, enum mcol c)
{
    size_t n = 0;
    const char *t = "";
    if (r->at[c] != (size_t)-1) {
        t = csv_field_text(&r->csv.fields[r->at[c]], &r->scratch, &n);
        t = xval_trim(t, &n);
    }
    char *s = strndup(t, n);
    if (!s)
        purpose_errf(r->err, "out of memory");
    return s;
}

static int bad(struct mreader *r, enum mcol c, const char *value, const char *what)
{
    return purpose_errf(r->err, "%s:%zu: column \"%s\": \"%.60s\" %s", r->file, r->csv.row_line, mcol_names[c], value,
                        what);
}

static int read_header(struct mreader *r)
{
    for (int c = 0; c < MC_N; c++)
        r->at[c] = (size_t)-1;
    for (size_t i = 0; i < r->csv.n_fields; i++) {
        size_t n;
        const char *h = csv_field_text(&r->csv.fields[i], &r->scratch, &n);
        h = xval_trim(h, &n);
        int found = -1;
        for (int c = 0; c < MC_N && found < 0; c++)
            if (strlen(mcol_names[c]) == n && memcmp(mcol_names[c], h, n) == 0)
                found = c;
        if (found < 0)
            return purpose_errf(r->err, "%s:%zu: column \"%.*s\": not a measures column (series, title, unit, chart, "
                                "improvement, target, y, denominator, per, rebase, group)", r->file, r->csv.row_line,
                                (int)(n > 60 ? 60 : n), h);
        if (r->at[found] != (size_t)-1)
            return purpose_errf(r->err, "%s:%zu: column \"%s\" appears twice in the header", r->file, r->csv.row_line,
                                mcol_names[found]);
        r->at[found] = i;
    }
    for (int c = MC_SERIES; c <= MC_TITLE; c++)
        if (r->at[c] == (size_t)-1)
            return purpose_errf(r->err, "%s:%zu: no column \"%s\" in the header (a measures file needs series and "
                                "title)", r->file, r->csv.row_line, mcol_names[c]);
    return 0;
}

/* "2018-04-01,2019-01-01": where new groups start, as --rebase takes them. */
static int parse_rebase(struct mreader *r, struct measure *m)
{
    if (!(m->rebase_list = field(r, MC_REBASE)))
        return -1;
    if (!m->rebase_list[0])
        return 0;
    size_t n = 1;
    for (const char *p = m->rebase_list; *p; p++)
        n += *p == ',';
    if (!(m->rebase = calloc(n, sizeof *m->rebase)))
        return purpose_errf(r->err, "out of memory");
    for (char *tok = m->rebase_list, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next)
            *next++ = '\0';
        size_t len = strlen(tok);
        const char *t = xval_trim(tok, &len);
        if (len == 0)
            return purpose_errf(r->err, "%s:%zu: column \"rebase\": an empty x in the list", r->file, m->line);
        tok[t - tok + (ptrdiff_t)len] = '\0';
        m->rebase[m->n_rebase++] = t;
    }
    return 0;
}

static int parse_row(struct mreader *r, struct measure *m, const char *default_y)
{
    char *t = NULL;
    int rc = 0;
    m->line = r->csv.row_line;
    spc_options_default(&m->opt);
    m->per = 1;
    if (!(m->series = field(r, MC_SERIES)) || !(m->title = field(r, MC_TITLE)) || !(m->unit = field(r, MC_UNIT)) ||
        !(m->group = field(r, MC_GROUP)) || !(m->y_col = field(r, MC_Y)) || !(m->den_col = field(r, MC_DENOMINATOR)))
        return -1;
    if (!m->series[0])
        return bad(r, MC_SERIES, "", "is empty: every measure names its series");
    if (!m->title[0]) { /* the series' own name is the best title there is */
        free(m->title);
        if (!(m->title = strdup(m->series)))
            return purpose_errf(r->err, "out of memory");
    }
    if (!m->y_col[0]) {
        free(m->y_col);
        if (!(m->y_col = strdup(default_y)))
            return purpose_errf(r->err, "out of memory");
    }
    if (!m->den_col[0]) {
        free(m->den_col);
        m->den_col = NULL;
    }
    if (!(t = field(r, MC_CHART)))
        return -1;
    m->chart = REPORT_XMR;
    if (t[0]) {
        int found = -1;
        for (int k = 0; k < REPORT_N_CHARTS && found < 0; k++)
            if (strcmp(t, report_chart_names[k]) == 0)
                found = k;
        if (found < 0)
            rc = bad(r, MC_CHART, t, "is not a chart type (xmr, run, p, pp, u, up, c, g, t)");
        m->chart = (enum report_chart)(found < 0 ? 0 : found);
    }
    free(t);
    bool needs_den = m->chart == REPORT_P || m->chart == REPORT_PP || m->chart == REPORT_U || m->chart == REPORT_UP;
    if (rc == 0 && needs_den && !m->den_col)
        rc = purpose_errf(r->err, "%s:%zu: column \"denominator\": a %s chart needs a denominator column", r->file,
                          m->line, report_chart_names[m->chart]);
    bool counts = m->chart == REPORT_C || m->chart == REPORT_G || m->chart == REPORT_T;
    if (rc == 0 && counts && m->den_col)
        rc = purpose_errf(r->err, "%s:%zu: column \"denominator\": a %s chart takes the value as it is: no "
                          "denominator", r->file, m->line, report_chart_names[m->chart]);
    if (rc == 0 && !(t = field(r, MC_IMPROVEMENT)))
        return -1;
    if (rc == 0) {
        if (t[0] && spc_improvement_parse(t, &m->opt.improvement) < 0)
            rc = bad(r, MC_IMPROVEMENT, t, "is not one of increase, decrease, neutral");
        free(t);
    }
    if (rc == 0 && !(t = field(r, MC_TARGET)))
        return -1;
    if (rc == 0) {
        if (t[0]) {
            enum num_status st = num_parse(t, strlen(t), &m->opt.target);
            if (st != NUM_OK)
                rc = bad(r, MC_TARGET, t, st == NUM_NOT_FINITE ? "is not a finite number" : "is not a number");
            m->opt.has_target = st == NUM_OK;
        }
        free(t);
    }
    if (rc == 0 && !(t = field(r, MC_PER)))
        return -1;
    if (rc == 0) {
        if (t[0] && (num_parse(t, strlen(t), &m->per) != NUM_OK || !(m->per > 0)))
            rc = bad(r, MC_PER, t, "is not a positive number");
        free(t);
    }
    return rc == 0 ? parse_rebase(r, m) : rc;
}

static void measure_release(struct measure *m)
{
    free(m->series);
    free(m->title);
    free(m->unit);
    free(m->group);
    free(m->y_col);
    free(m->den_col);
    free(m->rebase_list);
    free(m->rebase);
    free(m->notes);
    buf_release(&m->rr.scratch);
    for (size_t i = 0; m->x_text && i < m->num.n; i++) /* before num: it holds their count */
        free(m->x_text[i]);
    free(m->x_text);
    ingest_series_release(&m->num);
    free(m->y);
    spc_result_release(&m->res);
    free(m->reading);
}

void measures_release(struct measures *ms)
{
    for (size_t i = 0; i < ms->n; i++)
        measure_release(&ms->m[i]);
    free(ms->m);
    ms->m = NULL;
    ms->n = 0;
}

/* Two rows measuring the same column of the same series are a mistake, not two measures. */
static int check_unique(const struct measures *ms, struct purpose_err *err)
{
    struct strmap seen;
    strmap_init(&seen);
    struct buf key;
    buf_init(&key, 1 << 20);
    int rc = 0;
    for (size_t i = 0; i < ms->n && rc == 0; i++) {
        const struct measure *m = &ms->m[i];
        buf_reset(&key);
        buf_printf(&key, "%s%c%s%c%s", m->series, 0, m->y_col, 0, m->den_col ? m->den_col : "");
        size_t before = seen.count, id = strmap_get(&seen, key.data, key.len, 1);
        if (id == (size_t)-1 || key.failed)
            rc = purpose_errf(err, "out of memory");
        else if (seen.count == before)
            rc = purpose_errf(err, "%s:%zu: column \"series\": \"%.60s\" (y \"%.60s\") is measured already on line %zu",
                              ms->file, m->line, m->series, m->y_col, ms->m[id].line);
    }
    buf_release(&key);
    strmap_release(&seen);
    return rc;
}

int measures_read(struct measures *ms, const char *path, const char *default_y, struct purpose_err *err)
{
    *ms = (struct measures){.file = path};
    struct ingest_input in = {0};
    if (ingest_input_open(&in, path, err) < 0)
        return -1;
    ms->file = in.name;
    struct mreader r = {.file = in.name, .err = err};
    csv_reader_init(&r.csv, in.name, in.data, in.len);
    buf_init(&r.scratch, SIZE_MAX);
    size_t cap = 0;
    int rc = csv_next(&r.csv, err);
    if (rc == 0)
        rc = purpose_errf(err, "%s: empty file: no header row", in.name);
    else if (rc > 0)
        rc = read_header(&r);
    while (rc == 0 && (rc = csv_next(&r.csv, err)) == 1) {
        if (ms->n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct measure *m = realloc(ms->m, ncap * sizeof *m);
            if (!m) {
                rc = purpose_errf(err, "out of memory");
                break;
            }
            ms->m = m;
            cap = ncap;
        }
        struct measure *m = &ms->m[ms->n++];
        *m = (struct measure){0};
        ingest_series_init(&m->num);
        spc_result_init(&m->res);
        rc = parse_row(&r, m, default_y);
    }
    if (rc == 0 && ms->n == 0)
        rc = purpose_errf(err, "%s: no measures after the header", in.name);
    if (rc == 0)
        rc = check_unique(ms, err);
    buf_release(&r.scratch);
    csv_reader_release(&r.csv);
    /* The names were copied: the file can go. ms->file keeps the caller's path for messages. */
    ms->file = path && strcmp(path, "-") != 0 ? path : "stdin";
    ingest_input_close(&in);
    if (rc != 0)
        measures_release(ms);
    return rc < 0 ? -1 : 0;
}
