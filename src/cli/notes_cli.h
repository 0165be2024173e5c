#ifndef PURPOSE_CLI_NOTES_H
#define PURPOSE_CLI_NOTES_H

/* The annotations file of `purpose spc --annotations FILE` and `purpose report --annotations FILE`
 * (notes_file.c): a CSV with a header row naming its columns, date and label required, series
 * optional ("date,label[,series]"); one row per note: when something happened and what, drawn on
 * the chart as a labelled marker (chart.h's struct chart_note). Owns every string. */

#include <stddef.h>

#include "chart/chart.h"
#include "purpose/err.h"

#define NOTES_MAX 10000     /* rows in one file */
#define NOTES_LABEL_MAX 200 /* bytes of a label */

struct notes_row {
    size_t line;
    char *x;      /* the date (or the x value, for a chart whose x is numbers or labels), trimmed */
    char *label;
    char *series; /* "" applies to every series */
};

struct notes_file {
    char *name; /* for messages */
    struct notes_row *rows;
    size_t n;
};

/* Reads and checks path (- for standard input): the header (date and label, optionally series, in
 * any order; anything else refused), then every row: a date (or x) and a label of 1 to
 * NOTES_LABEL_MAX bytes, both required; at most NOTES_MAX rows. Returns 0, or -1 with err as
 * FILE:LINE: column "...": what is wrong. */
int notes_read(struct notes_file *nf, const char *path, struct purpose_err *err);
void notes_release(struct notes_file *nf);

/* The notes of one chart, for struct chart_series's notes: the rows for series (NULL or "" for a
 * chart of no --series: then a row may not name one) and those for every series, each x read as
 * the chart's x is: a date or a number as kind says, or for labels one of the n x_text values
 * (its index). An x the chart cannot place is an error naming the row's line. *out (n_out
 * entries, labels borrowed from nf) is the caller's to free. */
int notes_for(const struct notes_file *nf, const char *series, enum chart_x_kind kind, const char *const *x_text,
              size_t n, struct chart_note **out, size_t *n_out, struct purpose_err *err);

#endif
