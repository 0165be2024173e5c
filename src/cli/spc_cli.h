#ifndef PURPOSE_CLI_SPC_H
#define PURPOSE_CLI_SPC_H

/* Internals of `purpose spc`: options, per-series accumulation, output writers. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"
#include "cli/input.h"
#include "core/xval.h"
#include "purpose/spc.h"

enum spc_format { SPC_FORMAT_CSV, SPC_FORMAT_JSON, SPC_FORMAT_SUMMARY, SPC_FORMAT_SVG };

struct spc_args {
    const char *file;
    const char *x_col, *y_col, *series_col;
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

/* One series as read: values in input order until spc_series_finish puts them in chart order.
 * Only y is kept per point while reading; off and key are built from the input when needed. */
struct spc_series {
    char *name; /* NULL without --series */
    size_t n, cap;
    double *y;     /* NaN = missing */
    double *key;   /* x as a number or date (seconds); NULL until needed, unused for labels */
    uint32_t *off; /* where each x field starts, as an offset from base; NULL until needed */
    bool keep_offsets; /* rows not contiguous (interleaved series): record off while reading */
    size_t x_col;      /* x's column, to find it again */
    size_t base, end;  /* from the first row's start to the last row's end */
    enum xval_type type;
    bool increasing; /* keys strictly increasing in input order so far */
    double last_key;
    size_t *breaks;  /* group starts found from --rebase, after finish */
    size_t n_breaks;
    struct buf warnings; /* one warning per line */
};

void spc_series_init(struct spc_series *s);
void spc_series_reset(struct spc_series *s); /* empty it, keep the memory */
void spc_series_release(struct spc_series *s);

/* Appends one point. */
int spc_series_push(struct spc_series *s, double y, const struct spc_row *row, struct purpose_err *err);

/* Types and orders the series, rejects duplicate x values, and maps --rebase to group starts.
 * data/len is the whole input (for x texts and line numbers in messages). */
int spc_series_finish(struct spc_series *s, const char *data, size_t len, const char *file,
                      const struct spc_args *a, struct purpose_err *err);

/* The x of point i as given in the input (unescaped into scratch when needed). */
const char *spc_series_x(const struct spc_series *s, const char *data, size_t len, size_t i,
                         struct buf *scratch, size_t *out_len);

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
