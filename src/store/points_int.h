#ifndef PURPOSE_STORE_POINTS_INT_H
#define PURPOSE_STORE_POINTS_INT_H

#include "store/store_int.h"

/* Between points.c (the check and the write every way in passes) and points_csv.c (uploads). */

/* Where an upload's bad rows go (NULL: the first one refuses at once): each is told to fn with the
 * row's text (csv[off[i]..off[i]+len[i]) for point i), counted, and the first kept for err. */
struct store_bad_sink {
    store_points_bad_fn fn;
    void *ctx;
    const char *csv; /* NULL: a JSON body's points, named by index ("points[3]") and with no text */
    const size_t *off, *len;
    size_t n;
    struct purpose_err first;
};

/* A bad row: err's message is "row LINE: what", the sink's fn gets "what" with the row's text. 0 to
 * go on (a sink), else -1 with err (no sink: the first bad row refuses at once). */
int store_bad_row(struct store_bad_sink *b, size_t line, const char *row, size_t row_len, struct purpose_err *err);
/* After every row was seen: -1 with the first bad row's message when there was one, else rc. */
int store_bad_end(struct store_bad_sink *b, int rc, struct purpose_err *err);
/* Each point's day and value, and no day twice; row[i] names where point i came from (NULL:
 * "point N"); with a sink every bad row is told, not only the first. */
int store_points_check(const struct store_point *p, size_t n, const size_t *row, struct store_bad_sink *sink,
                       struct purpose_err *err);
/* Writes p[0..n) (checked by store_points_check; row as there) to measure_id of scope sc once each
 * fits the measure's chart type, in one transaction with its audit entry named how. */
int store_points_write(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t measure_id,
                       const struct store_point *p, size_t n, const size_t *row, const char *how,
                       struct store_bad_sink *sink, struct purpose_err *err);

#endif
