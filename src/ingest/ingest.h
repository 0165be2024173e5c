#ifndef PURPOSE_INGEST_H
#define PURPOSE_INGEST_H

/* Large inputs for the SPC engine: a CSV file mapped read-only, its x column typed (dates,
 * numbers, labels), its rows assembled into series in chart order, read on every core when the
 * input is large. Prints nothing: every failure fills a struct purpose_err in the compiler
 * convention ("data.csv:14: column "y": "n/a" is not a number"). The CLI, the web app and imports
 * call it; what to do with each series is theirs (a callback). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/xval.h"
#include "purpose/err.h"
#include "purpose/spc.h"

/* An input file mapped into memory read-only. Standard input that is not a regular file (a pipe)
 * is first spooled to an unlinked temporary file, so every input can be mapped and memory stays
 * bounded by what is being worked on, not by the file. */
struct ingest_input {
    const char *name; /* for messages: the path, or "stdin" */
    const char *data;
    size_t len;
    size_t released; /* offset of the last release (see ingest_input_release) */
};

/* path "-" is standard input. Returns 0, or -1 with err filled. */
int ingest_input_open(struct ingest_input *in, const char *path, struct purpose_err *err);
void ingest_input_close(struct ingest_input *in);

/* Tells the kernel the bytes before offset are not needed soon: their pages leave the resident
 * set but stay readable (they fault back in from the page cache). Keeps a 10-million-row file
 * from counting whole against the process's memory. */
void ingest_input_release(struct ingest_input *in, size_t offset);

/* The cap of a buffer that holds one unescaped CSV field. None beyond the input itself: an
 * unescaped field is never longer than its text in the input, and a cap would turn a long field
 * into an empty one (a y that is no number would read as a missing value). */
#define INGEST_FIELD_SCRATCH_MAX SIZE_MAX

/* What to read. The strings are borrowed for the duration of ingest_read. */
struct ingest_spec {
    const char *x_col, *y_col; /* column names */
    const char *series_col;    /* one series per value of this column, or NULL: one series */
    const char *den_col;       /* denominators, or NULL */
    enum spc_chart chart;      /* its input rules (spc.md) are checked on every row */
    const char *const *rebase; /* x values at which a new group starts, matched as typed values */
    size_t n_rebase;
    bool need_x;    /* the caller reads each x's text (ingest_series_x); else only y is kept */
    bool need_keys; /* the caller reads x as values (key); numbers and dates only */
};

/* What the x values of a run of rows have shown so far: their shared type and whether they
 * strictly increase. Runs read apart (on several threads) join into one. */
struct ingest_xstate {
    size_t n;
    enum xval_type type;
    bool increasing;
    double first_key, last_key;
};

/* One series, in chart order once finished (as the callback receives it). Only y (and the
 * denominator) is kept per point while reading; off and key are built from the input when
 * needed. */
struct ingest_series {
    char *name; /* NULL without a series column */
    size_t n, cap;
    double *y;     /* NaN = missing */
    double *den;   /* denominators (NaN = missing); NULL without a denominator column */
    bool has_den;  /* set before the first push: keep den */
    double *key;   /* x as a number or date (seconds); NULL unless needed; unused for labels */
    uint32_t *off; /* where each x field starts, as an offset from base; NULL unless needed */
    bool keep_offsets; /* rows not contiguous (interleaved series): record off while reading */
    size_t x_col;      /* x's column, to find it again */
    size_t base, end;  /* from the first row's start to the last row's end */
    struct ingest_xstate xs; /* x's type, and whether input order is chart order */
    size_t *breaks;  /* group starts found from the rebase list */
    size_t n_breaks;
    struct buf warnings; /* one warning per line, e.g. a rebase at an x the series lacks */
};

/* The x of point i as given in the input (unescaped into scratch when needed). Needs off: the
 * spec's need_x, or a series whose x was sorted, labelled or rebased. */
const char *ingest_series_x(const struct ingest_series *s, const char *data, size_t len, size_t i,
                            struct buf *scratch, size_t *out_len);

/* The caller's side of ingest_read. begin runs once the header is checked, before any series;
 * series runs once per finished series, in order of first appearance (the series and its arrays
 * are valid only during the call); done is the offset before which the input is no longer needed.
 * Each returns 0, or -1 with err filled, which stops the reading. begin may be NULL. */
struct ingest_handler {
    int (*begin)(void *ctx, struct purpose_err *err);
    int (*series)(void *ctx, struct ingest_series *s, size_t done, struct purpose_err *err);
    void *ctx;
};

/* Reads the CSV in `in` (header row, columns found by name) as spec says, handing each series to
 * h. Series whose rows are contiguous are handed over as soon as they end (memory bounded by the
 * largest); interleaved ones are held whole. A header without data rows is an error. Returns 0,
 * or -1 with err filled. */
int ingest_read(struct ingest_input *in, const struct ingest_spec *spec, const struct ingest_handler *h,
                struct purpose_err *err);

/* ---- The pieces, for a reader that picks its own rows (purpose report reads several series, each
 * with its own columns, out of one file): read a row's values with ingest_read_row, push them onto
 * a series, and finish the series once its rows are read. ---- */

/* One row's place in the input, as ingest_series_push needs it. */
struct ingest_row {
    size_t start, end; /* the row's bytes */
    size_t x_pos;      /* where its x field starts (at the opening quote if quoted) */
    const char *x;     /* x's value (unescaped) */
    size_t x_len;
};


/* Reads y and x out of CSV rows; one per thread (it holds a scratch buffer). */
struct ingest_row_reader {
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
int ingest_read_row(struct ingest_row_reader *rr, const struct csv_reader *c, double *y, double *den,
                 struct ingest_row *row);

void ingest_series_init(struct ingest_series *s);
void ingest_series_reset(struct ingest_series *s); /* empty it, keep the memory */
void ingest_series_release(struct ingest_series *s);

/* Appends one point. */
int ingest_series_push(struct ingest_series *s, double y, double den, const struct ingest_row *row, struct purpose_err *err);

/* Types and orders the series, rejects duplicate x values, and maps --rebase to group starts.
 * data/len is the whole input (for x texts and line numbers in messages). */
int ingest_series_finish(struct ingest_series *s, const char *data, size_t len, const char *file,
                         const struct ingest_spec *spec, struct purpose_err *err);

#endif
