/* `purpose spc --format csv`: a row per point. A long series is formatted on every core, a block
 * of rows at a time: each thread formats its slice of the block into its own buffer, and the
 * buffers are written in order, so the output is the same bytes as on one thread. */
#include <math.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "cli/spc_cli.h"
#include "core/csv.h"
#include "core/num.h"
#include "core/banned.h"

#define FLUSH_AT ((size_t)1 << 20)
#define CSV_MAX_THREADS 8
#define CSV_SLICE_ROWS ((size_t)1 << 16) /* rows per thread per block: ~8 MB of text each */
#define CSV_PART_CAP ((size_t)1 << 30)

/* What every slice shares: the series, its result and the constant parts of a row. */
struct csv_job {
    const struct spc_output *o;
    const struct ingest_series *s;
    const struct spc_result *r;
    const double *value;
    const char *name; /* "series," with --series, else "" */
    size_t name_len;
    size_t type_len[SPC_SPECIAL_NEUTRAL_LOW + 1], rule_len[SPC_RULE_COUNT];
};

/* One thread's slice of a block: rows [from, to) into out. */
struct csv_slice {
    _Alignas(64) const struct csv_job *job;
    size_t from, to;
    struct buf out, cols, scratch;
};

static void put_number(struct buf *b, double v)
{
    char text[NUM_TEXT_MAX];
    buf_append(b, text, num_format(v, text));
}

/* The per-group columns are the same on every row of a group: format them once. Where the
 * limits vary point by point, they are formatted per row from that point's lines. */
static void line_columns(struct buf *cols, const struct spc_lines *l, size_t number)
{
    buf_reset(cols);
    buf_printf(cols, ",%zu,", number);
    put_number(cols, l->centre);
    const double limits[] = {l->lpl, l->upl, l->near_lpl, l->near_upl};
    for (size_t k = 0; k < 4; k++) {
        buf_putc(cols, ',');
        put_number(cols, limits[k]);
    }
    buf_putc(cols, ',');
}

static void group_columns(struct buf *cols, const struct spc_group *g, size_t number)
{
    struct spc_lines l = {g->mean, g->lpl, g->upl, g->near_lpl, g->near_upl};
    line_columns(cols, &l, number);
}

/* A row is assembled in a local array and appended once (most rows are short); a row that does
 * not fit, or whose x needs quoting, is written field by field. */
#define ROW_MAX 512

static bool needs_quotes(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            return true;
    return false;
}

static size_t put_text(char *row, size_t at, const char *s, size_t n)
{
    if (n) /* s may be NULL then (an empty buffer) */
        memcpy(row + at, s, n);
    return at + n;
}

static size_t put_row_number(char *row, size_t at, double v, char sep)
{
    at += num_format(v, row + at);
    row[at] = sep;
    return at + 1;
}

/* The group holding point i: groups are in order and cover every point. */
static size_t group_of(const struct spc_result *r, size_t i)
{
    size_t lo = 0, hi = r->n_groups;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->groups[mid].start <= i)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static void format_rows(const struct csv_job *j, size_t from, size_t to, struct buf *out, struct buf *cols,
                        struct buf *scratch)
{
    const struct ingest_series *s = j->s;
    const struct spc_result *r = j->r;
    const struct ingest_input *in = j->o->in;
    char row[ROW_MAX];
    size_t gi = group_of(r, from);
    group_columns(cols, &r->groups[gi], gi + 1);
    for (size_t i = from; i < to; i++) {
        if (i >= r->groups[gi].end) {
            while (i >= r->groups[gi].end)
                gi++;
            group_columns(cols, &r->groups[gi], gi + 1);
        }
        size_t xn;
        const char *x = ingest_series_x(s, in->data, in->len, i, scratch, &xn);
        if (r->limits_vary) {
            struct spc_lines l;
            spc_point_lines(r, i, &l);
            line_columns(cols, &l, gi + 1);
        }
        uint8_t type = r->point_type[i], rule = r->rule[i];
        size_t fixed = j->name_len + cols->len + j->type_len[type] + j->rule_len[rule] + 3 * NUM_TEXT_MAX + 8;
        if (xn < ROW_MAX && fixed < ROW_MAX - xn && !needs_quotes(x, xn)) {
            size_t at = put_text(row, 0, j->name, j->name_len);
            at = put_text(row, at, x, xn);
            row[at++] = ',';
            if (s->den) {
                at = put_row_number(row, at, s->y[i], ',');
                at = put_row_number(row, at, s->den[i], ',');
            }
            at += num_format(j->value[i], row + at);
            at = put_text(row, at, cols->data, cols->len);
            at = put_text(row, at, spc_point_type_name(type), j->type_len[type]);
            row[at++] = ',';
            at = put_text(row, at, spc_rule_name(rule), j->rule_len[rule]);
            row[at++] = '\n';
            buf_append(out, row, at);
        } else {
            buf_append(out, j->name, j->name_len);
            csv_write_field(out, x, xn);
            buf_putc(out, ',');
            if (s->den) {
                put_number(out, s->y[i]);
                buf_putc(out, ',');
                put_number(out, s->den[i]);
                buf_putc(out, ',');
            }
            put_number(out, j->value[i]);
            buf_append(out, cols->data, cols->len);
            buf_puts(out, spc_point_type_name(type));
            buf_putc(out, ',');
            buf_puts(out, spc_rule_name(rule));
            buf_putc(out, '\n');
        }
    }
}

static void *format_slice(void *arg)
{
    struct csv_slice *sl = arg;
    buf_reset(&sl->out);
    if (sl->from < sl->to)
        format_rows(sl->job, sl->from, sl->to, &sl->out, &sl->cols, &sl->scratch);
    return NULL;
}

static size_t csv_threads(size_t n)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 2 * CSV_SLICE_ROWS || cpus < 2)
        return 1;
    return cpus > CSV_MAX_THREADS ? CSV_MAX_THREADS : (size_t)cpus;
}

static int write_flush(struct spc_output *o)
{
    if (o->b->failed)
        return purpose_errf(o->err, "out of memory writing output");
    return o->b->len >= FLUSH_AT ? o->flush(o) : 0;
}

int spc_output_csv(struct spc_output *o, const struct ingest_series *s, const struct spc_result *r)
{
    struct buf name;
    buf_init(&name, INGEST_FIELD_SCRATCH_MAX);
    if (s->name)
        csv_write_field(&name, s->name, strlen(s->name)), buf_putc(&name, ',');
    struct csv_job j = {.o = o, .s = s, .r = r, .value = spc_result_values(r, s->y), .name = name.data ? name.data : "",
                        .name_len = name.len};
    for (int k = 0; k <= SPC_SPECIAL_NEUTRAL_LOW; k++)
        j.type_len[k] = strlen(spc_point_type_name((enum spc_point_type)k));
    for (int k = 0; k < SPC_RULE_COUNT; k++)
        j.rule_len[k] = strlen(spc_rule_name((enum spc_rule)k));

    size_t n = r->n_groups ? r->groups[r->n_groups - 1].end : 0, t = csv_threads(n);
    struct csv_slice sl[CSV_MAX_THREADS];
    for (size_t k = 0; k < t; k++) {
        sl[k] = (struct csv_slice){.job = &j};
        buf_init(&sl[k].out, CSV_PART_CAP);
        buf_init(&sl[k].cols, 4096);
        buf_init(&sl[k].scratch, INGEST_FIELD_SCRATCH_MAX);
    }
    int rc = 0;
    if (t == 1) { /* straight into the output, flushed as it grows */
        for (size_t from = 0; from < n && rc == 0; from += CSV_SLICE_ROWS) {
            size_t to = n - from < CSV_SLICE_ROWS ? n : from + CSV_SLICE_ROWS;
            format_rows(&j, from, to, o->b, &sl[0].cols, &sl[0].scratch);
            rc = write_flush(o);
            if (rc == 0 && s->off)
                ingest_input_release(o->in, s->base + s->off[to - 1]);
        }
    }
    for (size_t from = 0; t > 1 && from < n && rc == 0; from += t * CSV_SLICE_ROWS) {
        pthread_t threads[CSV_MAX_THREADS];
        bool started[CSV_MAX_THREADS] = {false};
        for (size_t k = 0; k < t; k++) {
            size_t a = from + k * CSV_SLICE_ROWS;
            sl[k].from = a < n ? a : n;
            sl[k].to = n - sl[k].from < CSV_SLICE_ROWS ? n : sl[k].from + CSV_SLICE_ROWS;
        }
        for (size_t k = 1; k < t; k++)
            started[k] = pthread_create(&threads[k], NULL, format_slice, &sl[k]) == 0;
        format_slice(&sl[0]);
        for (size_t k = 1; k < t; k++) {
            if (started[k])
                pthread_join(threads[k], NULL);
            else
                format_slice(&sl[k]);
        }
        /* Each slice's text goes out as it is, not copied into o->b first. */
        if (o->b->len)
            rc = o->flush(o);
        struct buf *b = o->b;
        for (size_t k = 0; k < t && rc == 0; k++) {
            o->b = &sl[k].out;
            rc = write_flush(o) < 0 ? -1 : sl[k].out.len ? o->flush(o) : 0;
        }
        o->b = b;
        size_t last = sl[t - 1].to;
        if (rc == 0 && s->off && last > 0)
            ingest_input_release(o->in, s->base + s->off[last - 1]);
    }
    for (size_t k = 0; k < t; k++) {
        buf_release(&sl[k].out);
        buf_release(&sl[k].cols);
        buf_release(&sl[k].scratch);
    }
    buf_release(&name);
    return rc;
}
