#ifndef PURPOSE_INGEST_INT_H
#define PURPOSE_INGEST_INT_H

/* Internals of src/ingest: x state joins and reading on every core (the row reader and series
 * assembly are in ingest.h). */

#include <pthread.h>

#include "core/csv.h"
#include "ingest/ingest.h"

void ingest_xstate_add(struct ingest_xstate *st, const char *x, size_t len);
void ingest_xstate_join(struct ingest_xstate *a, const struct ingest_xstate *b); /* a, then b */

/* Reads a large one-series input (no --series) on every core. Returns 1 when s holds its rows,
 * 0 when the input does not qualify or has a bad row (read it the usual way, which reports the
 * error with its line), -1 on failure with err filled. start is the offset after the header.
 * need_off: record where each x starts as well (s->off), saving a pass to find them again. */
int ingest_read_parallel(struct ingest_row_reader *proto, const struct csv_reader *header, size_t start,
                         bool need_off, struct ingest_series *s, struct purpose_err *err);

/* Gives back the pages of data[from, to) that lie wholly inside it (see ingest_input_release).
 * Every pass over the mapped input calls it behind itself every INGEST_RELEASE_EVERY bytes (per
 * thread), so the input holds about that much in memory, not the file. */
void ingest_release_range(const char *data, size_t from, size_t to);
#define INGEST_RELEASE_EVERY ((size_t)4 << 20)

/* Reading on every core: at most this many threads. */
#define INGEST_MAX_THREADS 8

/* How many threads reading on every core uses; 1 on a single core. */
size_t ingest_threads(void);

/* Splits rows [from, to) of data at line ends into n parts of about equal size: part k is
 * [bounds[k], bounds[k + 1]). Only for rows whose every line end ends a row. */
void ingest_split_rows(const char *data, size_t from, size_t to, size_t n, size_t *bounds);

/* Runs fn on n arguments (size bytes apart from args), one thread each, and waits for them. An
 * argument whose thread does not start is run on this thread. */
void ingest_run_threads(void *args, size_t size, size_t n, void *(*fn)(void *));

/* Reads a --series input on every core, a segment of it at a time, for series that are
 * contiguous: each thread reads a piece of the segment (split at line ends) into runs of rows of
 * one series, and the caller joins the runs of a series that crosses a piece or a segment. Only
 * for rows with no quote character and no lone CR: then every line end is a row end. */

/* Consecutive rows of one series within a piece. */
struct ingest_run {
    const char *name; /* the series field, in the input (no quotes: nothing to unescape) */
    size_t name_len;
    size_t first, n;  /* its y values: the piece's y[first .. first + n) */
    struct ingest_xstate xs;
    size_t base, end; /* from the first row's start to the last row's end */
};

struct ingest_piece {
    _Alignas(64) const struct ingest_segment *seg; /* own cache lines: each thread writes its piece per row */
    size_t start, end; /* whole rows: [start, end) */
    double *y;
    double *den; /* with a denominator column, else NULL */
    size_t n, cap;
    struct ingest_run *runs; /* in input order */
    size_t n_runs, cap_runs;
    size_t lines; /* line ends read */
    bool failed;
};

/* The pieces' memory is kept from one segment to the next: start, wait, start, wait... */
struct ingest_segment {
    const struct ingest_row_reader *proto;
    size_t n_fields, series_col;
    size_t start, end, lines;
    struct ingest_piece pieces[INGEST_MAX_THREADS];
    pthread_t threads[INGEST_MAX_THREADS];
    bool started[INGEST_MAX_THREADS]; /* else the piece was read on the caller's thread */
    size_t n_pieces;
};

/* Starts reading rows [start, end) on ingest_threads() threads; end is a line end or the input's end.
 * proto's data is the whole input. Always follow with ingest_segment_wait. */
void ingest_segment_start(struct ingest_segment *g, const struct ingest_row_reader *proto, size_t n_fields,
                       size_t series_col, size_t start, size_t end);

/* Waits for the threads. Returns true when every row was read into runs; false when a row was
 * bad: read the segment the usual way, which reports the error with its line. */
bool ingest_segment_wait(struct ingest_segment *g);
void ingest_segment_release(struct ingest_segment *g); /* after ingest_segment_wait, or never started */

/* Appends a run of n points read elsewhere (by ingest_segment) to s; den is NULL unless s->has_den. */
int ingest_series_append(struct ingest_series *s, const double *y, const double *den, size_t n,
                         const struct ingest_xstate *xs, size_t base, size_t end, struct purpose_err *err);

#endif
