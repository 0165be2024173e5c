#ifndef PURPOSE_WEB_POINTS_UPLOAD_H
#define PURPOSE_WEB_POINTS_UPLOAD_H
/* A measure's points as CSV, from the page (pasted or a file) or the API (points_upload.c): all or
 * nothing (store_points_csv_each), and every bad row told, not only the first: into bad (the page's
 * list and its rejects.csv, web/badrows.h) and into *errors (the API's "errors" array: {field, line, error}),
 * either NULL when not wanted. */
#include <jansson.h>
#include <stddef.h>

#include "web/badrows.h"
#include "web/web_int.h"

int web_points_upload(struct web_req *r, const char *csv, struct web_bad_rows *bad, json_t **errors, size_t *n,
                      struct purpose_err *err);

#endif
