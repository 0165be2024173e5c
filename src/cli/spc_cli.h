#ifndef PURPOSE_CLI_SPC_H
#define PURPOSE_CLI_SPC_H

/* Internals of `purpose spc`: options, per-series accumulation, output writers. */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/csv.h"
#include "cli/input.h"
#include "core/xval.h"
#include "purpose/spc.h"

/* The cap of a buffer that holds one unescaped CSV field. None beyond the input itself: an
 * unescaped field is never longer than its text in the input, and a cap would turn a long field
 * into an empty one (a y that is no number would read as a missing value). */
#define SPC_FIELD_SCRATCH_MAX SIZE_MAX

enum spc_format { SPC_FORMAT_CSV, SPC_FORMAT_JSON, SPC_FORMAT_SUMMARY, SPC_FORMAT_SVG };

struct spc_args {
    const char *file;
    const char *x_col, *y_col, *series_col, *den_col; /* den_col NULL without --denominator */
    struct spc_options opt;
    char *rebase_list; /* owned copy of --rebase, split in place at commas */
    const char **rebase;
    size_t n_rebase;
    enum spc_format format;
    const char *out;
};

/* Parses argv (argv[0] is "spc"). Returns CLI_OK, or CLI_USAGE after printing why. */
int spc_args_parse(int argc, char **argv, struct spc_args *a);
void spc_args_release(struct spc_args *a);

/* One row's place in the input, as spc_series_push needs it. */
struct spc_row {
    size_t start, end; /* the row's bytes */
    size_t x_pos;      /* where its x field starts (at the opening quote if quoted) */
    const char *x;     /* x's value (unescaped) */
    size_t x_len;
};

/* What the x values of a run of rows have shown so far: their shared type and whether they
 * strictly increase. Runs read apart (on several threads) join into one. */
struct spc_xstate {
    size_t n;
    enum xval_type type;
    bool increasing;
    double first_key, last_key;
};

void spc_xstate_add(struct spc_xstate *st, const char *x, size_t len);
void spc_xstate_join(struct spc_xstate *a, const struct spc_xstate *b); /* a, then b */

/* Reads y and x out of CSV rows; one per thread. */
struct spc_row_reader {
    const char *file, *data; /* the input's name and bytes */
    size_t x_col, y_col, den_col; /* den_col SIZE_MAX without a denominator */
    const char *x_name, *y_name, *den_name; /* column names, for messages */
    enum spc_chart chart; /* for the input rules checked on each row */
    struct buf scratch;
    struct purpose_err *err;
};

/* Reads the current row of c: its y (NaN when missing), its denominator when rr has one (NaN
 * when missing; den may be NULL otherwise) and its x, and checks them against the chart type's
 * input rules. Returns 0 or -1 with err. */
int spc_read_row(struct spc_row_reader *rr, const struct csv_reader *c, double *y, double *den,
                 struct spc_row *row);

/* One series as read: values in input order until spc_series_finish puts them in chart order.
 * Only y is kept per point while reading; off and key are built from the input when needed. */
struct spc_series {
    char *name; /* NULL without --series */
    size_t n, cap;
    double *y;     /* NaN = missing */
    double *den;   /* denominators (NaN = missing); NULL without --denominator */
    bool has_den;  /* set before the first push: keep den */
    double *key;   /* x as a number or date (seconds); NULL until needed, unused for labels */
    uint32_t *off; /* where each x field starts, as an offset from base; NULL until needed */
    bool keep_offsets; /* rows not contiguous (interleaved series): record off while reading */
    size_t x_col;      /* x's column, to find it again */
    size_t base, end;  /* from the first row's start to the last row's end */
    struct spc_xstate xs; /* x's type, and whether input order is chart order */
    size_t *breaks;  /* group starts found from --rebase, after finish */
    size_t n_breaks;
    struct buf warnings; /* one warning per line */
};

void spc_series_init(struct spc_series *s);
void spc_series_reset(struct spc_series *s); /* empty it, keep the memory */
void spc_series_release(struct spc_series *s);

/* Appends one point. */
int spc_series_push(struct spc_series *s, double y, double den, const struct spc_row *row, struct purpose_err *err);

/* Types and orders the series, rejects duplicate x values, and maps --rebase to group starts.
 * data/len is the whole input (for x texts and line numbers in messages). */
int spc_series_finish(struct spc_series *s, const char *data, size_t len, const char *file,
                      const struct spc_args *a, struct purpose_err *err);

/* The x of point i as given in the input (unescaped into scratch when needed). */
const char *spc_series_x(const struct spc_series *s, const char *data, size_t len, size_t i,
                         struct buf *scratch, size_t *out_len);

/* Reads a large one-series input (no --series) on every core. Returns 1 when s holds its rows,
 * 0 when the input does not qualify or has a bad row (read it the usual way, which reports the
 * error with its line), -1 on failure with err filled. start is the offset after the header. */
int spc_read_parallel(struct spc_row_reader *proto, const struct csv_reader *header, size_t start,
                      struct spc_series *s, struct purpose_err *err);

/* Reading on every core: at most this many threads. */
#define SPC_MAX_THREADS 8

/* How many threads reading on every core uses; 1 on a single core. */
size_t spc_threads(void);

/* Splits rows [from, to) of data at line ends into n parts of about equal size: part k is
 * [bounds[k], bounds[k + 1]). Only for rows whose every line end ends a row. */
void spc_split_rows(const char *data, size_t from, size_t to, size_t n, size_t *bounds);

/* Runs fn on n arguments (size bytes apart from args), one thread each, and waits for them. An
 * argument whose thread does not start is run on this thread. */
void spc_run_threads(void *args, size_t size, size_t n, void *(*fn)(void *));

/* Reads a --series input on every core, a segment of it at a time, for series that are
 * contiguous: each thread reads a piece of the segment (split at line ends) into runs of rows of
 * one series, and the caller joins the runs of a series that crosses a piece or a segment. Only
 * for rows with no quote character and no lone CR: then every line end is a row end. */

/* Consecutive rows of one series within a piece. */
struct spc_run {
    const char *name; /* the series field, in the input (no quotes: nothing to unescape) */
    size_t name_len;
    size_t first, n;  /* its y values: the piece's y[first .. first + n) */
    struct spc_xstate xs;
    size_t base, end; /* from the first row's start to the last row's end */
};

struct spc_piece {
    _Alignas(64) const struct spc_segment *seg; /* own cache lines: each thread writes its piece per row */
    size_t start, end; /* whole rows: [start, end) */
    double *y;
    size_t n, cap;
    struct spc_run *runs; /* in input order */
    size_t n_runs, cap_runs;
    size_t lines; /* line ends read */
    bool failed;
};

/* The pieces' memory is kept from one segment to the next: start, wait, start, wait... */
struct spc_segment {
    const struct spc_row_reader *proto;
    size_t n_fields, series_col;
    size_t start, end, lines;
    struct spc_piece pieces[SPC_MAX_THREADS];
    pthread_t threads[SPC_MAX_THREADS];
    bool started[SPC_MAX_THREADS]; /* else the piece was read on the caller's thread */
    size_t n_pieces;
};

/* Starts reading rows [start, end) on spc_threads() threads; end is a line end or the input's end.
 * proto's data is the whole input. Always follow with spc_segment_wait. */
void spc_segment_start(struct spc_segment *g, const struct spc_row_reader *proto, size_t n_fields,
                       size_t series_col, size_t start, size_t end);

/* Waits for the threads. Returns true when every row was read into runs; false when a row was
 * bad: read the segment the usual way, which reports the error with its line. */
bool spc_segment_wait(struct spc_segment *g);
void spc_segment_release(struct spc_segment *g); /* after spc_segment_wait, or never started */

/* Appends a run of n points read elsewhere (by spc_segment) to s. */
int spc_series_append(struct spc_series *s, const double *y, size_t n, const struct spc_xstate *xs,
                      size_t base, size_t end, struct purpose_err *err);

/* Output: a writer per format; begin once, one call per series, end once. Writes go to b, which
 * the caller flushes to the destination as it grows. */
struct spc_output {
    const struct spc_args *a;
    struct input *in; /* the input, for x texts */
    struct buf *b;
    struct buf scratch;
    size_t series_written;
    int (*flush)(struct spc_output *o); /* empties b; returns 0 or -1 */
    void *flush_ctx;
    struct purpose_err *err;
};

int spc_output_begin(struct spc_output *o);
int spc_output_series(struct spc_output *o, const struct spc_series *s, const struct spc_result *r);
int spc_output_end(struct spc_output *o);
void spc_output_release(struct spc_output *o); /* safe after a failure, and twice */

#endif
