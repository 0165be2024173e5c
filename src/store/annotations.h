#ifndef PURPOSE_STORE_ANNOTATIONS_H
#define PURPOSE_STORE_ANNOTATIONS_H

/* A measure's annotations (annotations.c): what happened on a day ("new triage model"), drawn on
 * its chart as a labelled marker (chart.h's struct chart_note), as `purpose spc --annotations`
 * draws a file's, and named by the reading near a shift. Beyond PDSA cycles: anything a team wants
 * the chart read with. Every call takes the scope it is used in and enforces it in its SQL: another
 * organisation's annotation or measure, or any with a programme's scope, is not found (NOT_FOUND) and
 * nothing changes. Writes are audited. */

#include "store/store.h"

#define STORE_ANNOTATION_LABEL_MAX 200 /* characters, as the CLI's annotations file */
#define STORE_ANNOTATIONS_MAX 200      /* per measure */

struct store_annotation {
    int64_t id;
    int64_t measure_id;
    char day[11]; /* YYYY-MM-DD */
    char *label;
};
STORE_LIST(store_annotation_list, struct store_annotation);
void store_annotation_list_release(struct store_annotation_list *l);

/* Adds one: day an ISO date that exists ("date"), label 1 to STORE_ANNOTATION_LABEL_MAX characters
 * of one line ("label"), at most STORE_ANNOTATIONS_MAX on a measure; the measure must be the
 * organisation's (not found otherwise). Input errors name the field; nothing is stored on error. */
int store_annotation_add(struct store *s, const struct store_actor *by, const struct store_scope *scope,
                         int64_t measure_id, const char *day, const char *label, int64_t *id, struct purpose_err *err);
/* Annotation id of the scope's organisation (not found otherwise) into *out; release its label with
 * store_annotation_release. */
int store_annotation_get(struct store *s, const struct store_scope *scope, int64_t id, struct store_annotation *out,
                         struct purpose_err *err);
void store_annotation_release(struct store_annotation *a);
/* Deletes annotation id (not found unless it is the organisation's); *measure_id (may be NULL)
 * receives its measure's id. */
int store_annotation_delete(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                            int64_t *measure_id, struct purpose_err *err);
/* measure_id's, by day then id; measure_id 0: every measure's of the organisation, by measure then
 * day (the board pack reads them in one query). */
int store_annotation_list(struct store *s, const struct store_scope *scope, int64_t measure_id,
                          struct store_annotation_list *out, struct purpose_err *err);

/* The demo's (demo_annotations.c): one on the trust's falls measure. */
int store_demo_annotations(struct store *s, int64_t org_id, struct purpose_err *err);

#endif
