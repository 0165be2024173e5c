/* Reading y and x out of CSV rows, on one thread or, for one large series, on every core. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ingest/ingest_int.h"
#include "core/mem.h"
#include "core/num.h"
#include "core/banned.h"

/* Reads a number from field col: NaN when empty or NA. */
static int read_number(struct ingest_row_reader *rr, const struct csv_reader *c, size_t col, const char *name,
                       double *v)
{
    size_t n;
    const char *t = csv_field_text(&c->fields[col], &rr->scratch, &n);
    *v = NAN;
    enum num_status st = num_parse(t, n, v); /* the usual case: a plain number */
    if (st != NUM_OK) {
        t = xval_trim(t, &n);
        bool missing = n == 0 || (n == 2 && memcmp(t, "NA", 2) == 0);
        st = missing ? NUM_OK : num_parse(t, n, v);
        if (st != NUM_OK)
            return purpose_errf(rr->err, "%s:%zu: column \"%s\": \"%.*s\" is not a %snumber", rr->file, c->row_line,
                                name, (int)(n > 60 ? 60 : n), t, st == NUM_NOT_FINITE ? "finite " : "");
    }
    return 0;
}

/* The chart types' input rules (spc.md), checked here so that an error names the line. */
static int check_values(const struct ingest_row_reader *rr, const struct csv_reader *c, double y, double den)
{
    const enum spc_chart chart = rr->chart;
    const char *at = rr->file;
    size_t line = c->row_line;
    if (rr->den_col != SIZE_MAX) {
        if (!isnan(den) && !(den > 0))
            return purpose_errf(rr->err, "%s:%zu: column \"%s\": denominator %g is not above 0", at, line,
                                rr->den_name, den);
        if (y < 0)
            return purpose_errf(rr->err, "%s:%zu: column \"%s\": numerator %g is negative", at, line, rr->y_name, y);
        if ((chart == SPC_CHART_P || chart == SPC_CHART_PP) && y > den)
            return purpose_errf(rr->err, "%s:%zu: column \"%s\": numerator %g is above its denominator %g (a %s chart "
                                "needs a proportion)", at, line, rr->y_name, y, den, spc_chart_name(chart));
    }
    if ((chart == SPC_CHART_C || chart == SPC_CHART_G) && y < 0)
        return purpose_errf(rr->err, "%s:%zu: column \"%s\": %g is negative (a %s chart counts)", at, line, rr->y_name,
                            y, spc_chart_name(chart));
    if (chart == SPC_CHART_T && !(y > 0) && !isnan(y))
        return purpose_errf(rr->err, "%s:%zu: column \"%s\": time %g is not above 0 (a t chart needs the time "
                            "between events)", at, line, rr->y_name, y);
    return 0;
}

int ingest_read_row(struct ingest_row_reader *rr, const struct csv_reader *c, double *y, double *den,
                 struct ingest_row *row)
{
    const struct csv_field *xf = &c->fields[rr->x_col];
    size_t xn;
    double d = NAN;
    if (read_number(rr, c, rr->y_col, rr->y_name, y) < 0 ||
        (rr->den_col != SIZE_MAX && read_number(rr, c, rr->den_col, rr->den_name, &d) < 0))
        return -1;
    if ((rr->chart != SPC_CHART_XMR || rr->den_col != SIZE_MAX) && check_values(rr, c, *y, d) < 0)
        return -1;
    if (den)
        *den = d;
    const char *xt = csv_field_text(xf, &rr->scratch, &xn);
    size_t trimmed = xn;
    xval_trim(xt, &trimmed);
    if (trimmed == 0)
        return purpose_errf(rr->err, "%s:%zu: column \"%s\": empty x value", rr->file, c->row_line, rr->x_name);
    *row = (struct ingest_row){.start = c->row_offset, .end = c->pos, .x_pos = (size_t)(xf->p - rr->data) - xf->quoted,
                            .x = xt, .x_len = xn};
    return 0;
}

/* ---- parallel reading -------------------------------------------------------------------- */

#define PARALLEL_MIN_BYTES ((size_t)32 << 20) /* below this, threads cost more than they save */

struct chunk {
    const char *data;
    size_t start, end;   /* bytes of whole rows: [start, end) */
    size_t rows_max;     /* line ends in the chunk: no more rows than this */
    bool quote;          /* the chunk holds a quote character */
    double *y;           /* this chunk's slice of the series' y */
    double *den;         /* and of its denominators, or NULL */
    uint32_t *off;       /* and where each x starts, from `origin`; NULL unless wanted */
    size_t origin;
    bool far;            /* an x lies 4 GiB or more past origin: off is unusable */
    size_t n;            /* rows read */
    struct ingest_xstate xs;
    const struct ingest_row_reader *proto;
    size_t n_fields;
    bool failed;
};

size_t ingest_threads(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus < 2 ? 1 : cpus > INGEST_MAX_THREADS ? INGEST_MAX_THREADS : (size_t)cpus;
}

void ingest_split_rows(const char *data, size_t from, size_t to, size_t n, size_t *bounds)
{
    bounds[0] = from;
    for (size_t k = 1; k <= n; k++) {
        size_t at = k == n ? to : from + (to - from) / n * k;
        const char *nl = at < to ? memchr(data + at, '\n', to - at) : NULL;
        at = k == n || !nl ? to : (size_t)(nl - data) + 1;
        bounds[k] = at < bounds[k - 1] ? bounds[k - 1] : at;
    }
}

/* Counts the chunk's line ends and looks for a quote, a block at a time, releasing each block. */
static void *count_rows(void *arg)
{
    struct chunk *c = arg;
    size_t lines = 0;
    for (size_t from = c->start; from < c->end && !c->quote; from += INGEST_RELEASE_EVERY) {
        size_t to = c->end - from < INGEST_RELEASE_EVERY ? c->end : from + INGEST_RELEASE_EVERY;
        const char *e = c->data + to;
        c->quote = memchr(c->data + from, '"', to - from) != NULL;
        for (const char *p = c->data + from; (p = memchr(p, '\n', (size_t)(e - p))); p++)
            lines++;
        ingest_release_range(c->data, from, to);
    }
    c->rows_max = lines + (c->end > c->start && c->data[c->end - 1] != '\n');
    return NULL;
}

static void *read_chunk(void *arg)
{
    struct chunk *c = arg;
    struct purpose_err err;
    struct ingest_row_reader rr = *c->proto;
    rr.err = &err;
    buf_init(&rr.scratch, INGEST_FIELD_SCRATCH_MAX);
    struct csv_reader csv;
    csv_reader_init(&csv, rr.file, c->data + c->start, c->end - c->start);
    csv.pos = 0; /* mid-file: never a byte order mark */
    csv.expect_fields = c->n_fields;
    size_t released = 0;
    int rc;
    while ((rc = csv_next(&csv, &err)) == 1) {
        struct ingest_row row;
        if (c->n == c->rows_max || ingest_read_row(&rr, &csv, &c->y[c->n], c->den ? &c->den[c->n] : NULL, &row) < 0) {
            rc = -1;
            break;
        }
        if (c->off) {
            c->far |= row.x_pos - c->origin > UINT32_MAX;
            c->off[c->n] = (uint32_t)(row.x_pos - c->origin);
        }
        c->n++;
        ingest_xstate_add(&c->xs, row.x, row.x_len);
        if (csv.pos - released >= INGEST_RELEASE_EVERY) {
            ingest_release_range(c->data, c->start + released, c->start + csv.pos);
            released = csv.pos;
        }
    }
    c->failed = rc < 0;
    csv_reader_release(&csv);
    buf_release(&rr.scratch);
    return NULL;
}

void ingest_run_threads(void *args, size_t size, size_t n, void *(*fn)(void *))
{
    pthread_t threads[INGEST_MAX_THREADS];
    bool started[INGEST_MAX_THREADS];
    for (size_t i = 0; i < n; i++)
        started[i] = pthread_create(&threads[i], NULL, fn, (char *)args + i * size) == 0;
    for (size_t i = 0; i < n; i++) {
        if (started[i])
            pthread_join(threads[i], NULL);
        else
            fn((char *)args + i * size);
    }
}

/* The chunks' rows one after another in y, den and *off (blank lines leave gaps between them),
 * their x states joined; *got rows, the first from chunk *first. False when a chunk failed. */
static bool join_chunks(const struct chunk *chunks, size_t n, double *y, double *den, uint32_t **off,
                        struct ingest_xstate *xs, size_t *got, size_t *first)
{
    for (size_t k = 0; k < n; k++) {
        if (chunks[k].failed)
            return false;
        if (chunks[k].y != y + *got) {
            memmove(y + *got, chunks[k].y, chunks[k].n * sizeof *y);
            if (den)
                memmove(den + *got, chunks[k].den, chunks[k].n * sizeof *den);
            if (*off)
                memmove(*off + *got, chunks[k].off, chunks[k].n * sizeof **off);
        }
        if (chunks[k].far) { /* finishing the series finds them again, and says why it cannot */
            free(*off);
            *off = NULL;
        }
        *got += chunks[k].n;
        ingest_xstate_join(xs, &chunks[k].xs);
        if (chunks[k].n && *first == n)
            *first = k;
    }
    return true;
}

int ingest_read_parallel(struct ingest_row_reader *proto, const struct csv_reader *header, size_t start,
                         bool need_off, struct ingest_series *s, struct purpose_err *err)
{
    const char *data = header->data;
    size_t len = header->len;
    size_t n = ingest_threads();
    /* Only when every line end is a row end: no quoted field can hold one. */
    if (n < 2 || len - start < PARALLEL_MIN_BYTES)
        return 0;

    struct chunk chunks[INGEST_MAX_THREADS];
    size_t bounds[INGEST_MAX_THREADS + 1];
    ingest_split_rows(data, start, len, n, bounds);
    for (size_t k = 0; k < n; k++)
        chunks[k] = (struct chunk){.data = data, .start = bounds[k], .end = bounds[k + 1], .proto = proto,
                                   .n_fields = header->expect_fields};
    ingest_run_threads(chunks, sizeof *chunks, n, count_rows);
    size_t total = 0;
    for (size_t k = 0; k < n; k++) {
        if (chunks[k].quote)
            return 0;
        total += chunks[k].rows_max;
    }
    bool with_den = proto->den_col != SIZE_MAX;
    double *y = malloc((total ? total : 1) * sizeof *y), *den = with_den ? malloc((total ? total : 1) * sizeof *den) : NULL;
    uint32_t *off = need_off ? malloc((total ? total : 1) * sizeof *off) : NULL;
    if (!y || (with_den && !den) || (need_off && !off)) {
        free(y);
        free(den);
        free(off);
        return purpose_errf(err, "out of memory for a series of %zu points", total);
    }
    mem_hint_huge(y, total * sizeof *y);
    for (size_t k = 0, at = 0; k < n; at += chunks[k].rows_max, k++) {
        chunks[k].y = y + at;
        chunks[k].den = den ? den + at : NULL;
        chunks[k].off = off ? off + at : NULL;
        chunks[k].origin = start;
    }
    ingest_run_threads(chunks, sizeof *chunks, n, read_chunk);
    struct ingest_xstate xs = {0};
    size_t got = 0, first = n;
    if (!join_chunks(chunks, n, y, den, &off, &xs, &got, &first)) {
        free(y); /* the usual reader will find the bad row again and name its line */
        free(den);
        free(off);
        return 0;
    }
    if (got == 0) {
        free(y);
        free(den);
        free(off);
        return 0;
    }
    free(s->y);
    s->y = y;
    free(s->den);
    s->den = den;
    /* Offsets are from the series' first row, not from the first chunk's start. */
    for (size_t i = 0, shift = chunks[first].start - start; off && shift && i < got; i++)
        off[i] -= (uint32_t)shift;
    free(s->off);
    s->off = off;
    s->n = got;
    s->cap = total;
    s->xs = xs;
    s->x_col = proto->x_col;
    s->base = chunks[first].start;
    s->end = len;
    return 1;
}

/* ---- --series on every core: a segment at a time ------------------------------------------ */

/* Makes room for one more point and one more run; false when out of memory. */
static bool piece_room(struct ingest_piece *p)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 4096;
        double *y = realloc(p->y, cap * sizeof *y);
        if (!y)
            return false;
        p->y = y;
        if (p->seg->proto->den_col != SIZE_MAX) {
            double *den = realloc(p->den, cap * sizeof *den);
            if (!den)
                return false;
            p->den = den;
        }
        p->cap = cap;
    }
    if (p->n_runs == p->cap_runs) {
        size_t cap = p->cap_runs ? p->cap_runs * 2 : 64;
        struct ingest_run *runs = realloc(p->runs, cap * sizeof *runs);
        if (!runs)
            return false;
        p->runs = runs;
        p->cap_runs = cap;
    }
    return true;
}

static void *read_piece(void *arg)
{
    struct ingest_piece *p = arg;
    const struct ingest_segment *g = p->seg;
    struct purpose_err err;
    struct ingest_row_reader rr = *g->proto;
    rr.err = &err;
    buf_init(&rr.scratch, INGEST_FIELD_SCRATCH_MAX);
    struct csv_reader csv;
    csv_reader_init(&csv, rr.file, rr.data, p->end); /* the whole input's offsets, for base and end */
    csv.pos = p->start;
    csv.expect_fields = g->n_fields;
    p->n = p->n_runs = 0;
    int rc;
    while ((rc = csv_next(&csv, &err)) == 1) {
        const struct csv_field *name = &csv.fields[g->series_col];
        if (!piece_room(p) || name->len == 0) { /* an empty name: the usual reader reports it */
            rc = -1;
            break;
        }
        struct ingest_run *run = p->n_runs ? &p->runs[p->n_runs - 1] : NULL;
        if (!run || run->name_len != name->len || memcmp(run->name, name->p, name->len) != 0) {
            run = &p->runs[p->n_runs++];
            *run = (struct ingest_run){.name = name->p, .name_len = name->len, .first = p->n, .base = csv.row_offset};
        }
        struct ingest_row row;
        if (ingest_read_row(&rr, &csv, &p->y[p->n], p->den ? &p->den[p->n] : NULL, &row) < 0) {
            rc = -1;
            break;
        }
        p->n++;
        run->n++;
        run->end = row.end;
        ingest_xstate_add(&run->xs, row.x, row.x_len);
    }
    p->lines = csv.line - 1;
    p->failed = rc < 0;
    csv_reader_release(&csv);
    buf_release(&rr.scratch);
    return NULL;
}

void ingest_segment_start(struct ingest_segment *g, const struct ingest_row_reader *proto, size_t n_fields,
                       size_t series_col, size_t start, size_t end)
{
    g->proto = proto;
    g->n_fields = n_fields;
    g->series_col = series_col;
    g->start = start;
    g->end = end;
    g->n_pieces = ingest_threads();
    size_t bounds[INGEST_MAX_THREADS + 1];
    ingest_split_rows(proto->data, start, end, g->n_pieces, bounds);
    for (size_t k = 0; k < g->n_pieces; k++) {
        struct ingest_piece *p = &g->pieces[k];
        p->seg = g;
        p->start = bounds[k];
        p->end = bounds[k + 1];
        g->started[k] = pthread_create(&g->threads[k], NULL, read_piece, p) == 0;
        if (!g->started[k])
            read_piece(p);
    }
}

bool ingest_segment_wait(struct ingest_segment *g)
{
    bool ok = true;
    g->lines = 0;
    for (size_t k = 0; k < g->n_pieces; k++) {
        if (g->started[k])
            pthread_join(g->threads[k], NULL);
        g->started[k] = false;
        ok = ok && !g->pieces[k].failed;
        g->lines += g->pieces[k].lines;
    }
    return ok;
}

void ingest_segment_release(struct ingest_segment *g)
{
    for (size_t k = 0; k < INGEST_MAX_THREADS; k++) {
        free(g->pieces[k].y);
        free(g->pieces[k].den);
        free(g->pieces[k].runs);
    }
    *g = (struct ingest_segment){0};
}
