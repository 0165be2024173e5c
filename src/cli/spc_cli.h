#ifndef PURPOSE_CLI_SPC_H
#define PURPOSE_CLI_SPC_H

/* Internals of `purpose spc`: options and output writers. Reading is src/ingest's. */

#include <stdbool.h>
#include <stdio.h>

#include "core/buf.h"
#include "ingest/ingest.h"
#include "cli/notes_cli.h"
#include "purpose/spc.h"

enum spc_format { SPC_FORMAT_CSV, SPC_FORMAT_JSON, SPC_FORMAT_SUMMARY, SPC_FORMAT_SVG, SPC_FORMAT_PNG, SPC_FORMAT_PDF };

/* Chart formats (svg, png, pdf) write one document per series: with --series, -o names a
 * directory and each series gets NAME.EXT in it. */
bool spc_format_is_chart(enum spc_format f);
const char *spc_format_ext(enum spc_format f); /* ".svg", ".png", ".pdf" */

struct spc_args {
    const char *file;
    const char *x_col, *y_col, *series_col, *den_col; /* den_col NULL without --denominator */
    struct spc_options opt;
    char *rebase_list; /* owned copy of --rebase, split in place at commas */
    const char **rebase;
    size_t n_rebase;
    enum spc_format format;
    const char *out;
    const char *title; /* --title; NULL: the series name, else the y column */
    const char *annotations; /* --annotations FILE (notes_cli.h), or NULL */
};

/* Parses argv (argv[0] is "spc"). Returns CLI_OK, or CLI_USAGE after printing why. */
int spc_args_parse(int argc, char **argv, struct spc_args *a);
void spc_args_release(struct spc_args *a);

/* Output: a writer per format; begin once, one call per series, end once. Writes go to b, which
 * the caller flushes to the destination as it grows. */
struct spc_output {
    const struct spc_args *a;
    struct ingest_input *in; /* the input, for x texts */
    const struct notes_file *notes; /* --annotations, or NULL */
    struct buf *b;
    struct buf scratch;
    size_t series_written;
    int (*flush)(struct spc_output *o); /* empties b; returns 0 or -1 */
    void *flush_ctx;
    struct purpose_err *err;
};

int spc_output_begin(struct spc_output *o);
int spc_output_series(struct spc_output *o, const struct ingest_series *s, const struct spc_result *r);
int spc_output_end(struct spc_output *o);
/* The csv format's rows of one series (spc_csv.c): a long series is formatted on every core. */
int spc_output_csv(struct spc_output *o, const struct ingest_series *s, const struct spc_result *r);
void spc_output_release(struct spc_output *o); /* safe after a failure, and twice */

#endif
