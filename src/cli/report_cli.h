#ifndef PURPOSE_CLI_REPORT_H
#define PURPOSE_CLI_REPORT_H

/* Internals of `purpose report`: the measures file (report_measures.c), reading each measure's
 * series out of the data (report_data.c), and the command (cmd_report.c). */

#include <stdbool.h>
#include <stddef.h>

#include "chart/chart.h"
#include "cli/notes_cli.h"
#include "ingest/ingest.h"
#include "purpose/err.h"
#include "purpose/spc.h"

/* The chart types a measure may name (spc.md); report_chart_names[] gives their names. */
enum report_chart { REPORT_XMR, REPORT_RUN, REPORT_P, REPORT_PP, REPORT_U, REPORT_UP, REPORT_C, REPORT_G, REPORT_T };
extern const char *const report_chart_names[];
#define REPORT_N_CHARTS 9

/* One row of the measures file, and then its data and chart. Owns every pointer. */
struct measure {
    size_t line; /* in the measures file */
    char *series, *title, *unit, *group, *y_col, *den_col; /* den_col NULL: no denominator */
    enum report_chart chart;
    struct spc_options opt;
    char *rebase_list;   /* the rebase column, split in place at commas */
    const char **rebase; /* x values at which a new group starts, as --rebase */
    size_t n_rebase;
    double per; /* 1 unless given */
    /* Read from the data: */
    size_t y_at, den_at; /* column indices */
    struct ingest_row_reader rr;
    struct ingest_series num; /* y (the numerator) and its denominators, in chart order after finish */
    /* Computed: */
    double *y;                  /* the charted values: num / den * per, or num * per */
    char **x_text;
    struct spc_result res;
    struct chart_series s;
    struct chart_note *notes; /* the annotations file's for this series (labels borrowed from it) */
    size_t n_notes;
    char *reading;
};

struct measures {
    const char *file;
    struct measure *m;
    size_t n;
};

/* Reads and checks the measures file (columns series, title, unit, chart, improvement, target,
 * y, denominator, per, rebase, group; series and title required). default_y is the y column of a
 * measure that names none. Returns 0, or -1 with err as FILE:LINE: column "...": ... */
int measures_read(struct measures *ms, const char *path, const char *default_y, struct purpose_err *err);
void measures_release(struct measures *ms);

/* Reads every measure's series out of the data CSV in one pass: checks that each measure's
 * columns and series exist (errors name the measures file's line), reads each value as strictly
 * as `purpose spc` does, and puts each series in chart order. */
int report_data_read(struct measures *ms, const struct ingest_input *in, const char *series_col, const char *x_col,
                     struct purpose_err *err);

/* The board pack of the stored measures of an organisation (org's slug; NULL: the first) or of a
 * programme (its slug), as /summary.pdf serves it (web/pack.h), appended to out. title NULL: the
 * pack's own. In `purpose`, src/cli/lean/server_exec.c's hands the command to purpose-server. */
int report_stored(const char *db, const char *key_file, const char *org, const char *programme, const char *title,
                  struct buf *out, struct purpose_err *err);

#endif
