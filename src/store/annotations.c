/* A measure's annotations (contract in annotations.h). Each row keeps its organisation, checked
 * against the measure's when it is written, so that reading them needs no join. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/annotations.h"
#include "store/store_int.h"
#include "core/banned.h"

void store_annotation_list_release(struct store_annotation_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i].label);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

/* Columns from 0: id, measure_id, day, label. */
static int row_annotation(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_annotation *a = item;
    bool oom = false;
    a->id = db_col_i64(st, 0);
    a->measure_id = db_col_i64(st, 1);
    const char *d = db_col_text(st, 2);
    snprintf(a->day, sizeof a->day, "%s", d ? d : "");
    a->label = db_col_dup(st, 3, &oom);
    return oom ? store_oom(err) : 0;
}

int store_annotation_list(struct store *s, const struct store_scope *scope, int64_t measure_id,
                          struct store_annotation_list *out, struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    memset(out, 0, sizeof *out);
    int rc = measure_id
                 ? store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_annotation, err,
                              "SELECT id, measure_id, day, label FROM measure_annotations WHERE org_id = ? AND measure_id = ?"
                              " ORDER BY day, id",
                              "ii", org_id, measure_id)
                 : store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_annotation, err,
                              "SELECT id, measure_id, day, label FROM measure_annotations WHERE org_id = ?"
                              " ORDER BY measure_id, day, id",
                              "i", org_id);
    if (rc < 0)
        store_annotation_list_release(out);
    return rc;
}

int store_annotation_add(struct store *s, const struct store_actor *by, const struct store_scope *scope,
                         int64_t measure_id, const char *day, const char *label, int64_t *id, struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    if (store_check_date("date", day, err) < 0 ||
        store_check_text("label", label, STORE_ANNOTATION_LABEL_MAX, true, err) < 0)
        return -1;
    if (strchr(label, '\n') || strchr(label, '\r'))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "label", "label: one line, drawn on the chart");
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    struct store_measure m = {0};
    int64_t new_id = 0, n = 0;
    int rc = store_measure_get_in(c, scope, measure_id, &m, err);
    if (rc == 0)
        rc = db_run_i64(c, &n, err, "SELECT COUNT(*) FROM measure_annotations WHERE measure_id = ?", "i", measure_id);
    if (rc == 0 && n >= STORE_ANNOTATIONS_MAX)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "label", "label: the measure has %d annotations, the most it may hold",
                          STORE_ANNOTATIONS_MAX);
    if (rc == 0)
        rc = db_run_i64(c, &new_id, err,
                        "INSERT INTO measure_annotations(org_id, measure_id, day, label) VALUES(?,?,?,?) RETURNING id",
                        "iitt", org_id, measure_id, day, label);
    if (rc == 0)
        rc = store_audit(c, by, "create", "annotation", new_id, NULL,
                         json_pack("{s:I, s:s, s:s}", "measure_id", (json_int_t)measure_id, "date", day, "label", label),
                         false, true, err);
    rc = store_write_end(s, rc, err);
    store_measure_release(&m);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_annotation_get(struct store *s, const struct store_scope *scope, int64_t id, struct store_annotation *out,
                         struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    return store_get(s, out, row_annotation, "annotation", err,
                     "SELECT id, measure_id, day, label FROM measure_annotations WHERE org_id = ? AND id = ?", "ii",
                     STORE_SCOPE_ORG_ID(scope), id);
}

void store_annotation_release(struct store_annotation *a)
{
    free(a->label);
    a->label = NULL;
}

int store_annotation_delete(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                            int64_t *measure_id, struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    struct store_annotation a = {0};
    int rc = db_query(c, &st, err,
                      "SELECT id, measure_id, day, label FROM measure_annotations WHERE org_id = ? AND id = ?", "ii",
                      org_id, id);
    rc = store_read_one(st, rc, &a, row_annotation, "annotation", err);
    if (rc == 0)
        rc = db_run(c, err, "DELETE FROM measure_annotations WHERE id = ?", "i", id);
    if (rc == 0)
        rc = store_audit(c, by, "delete", "annotation", id,
                         json_pack("{s:I, s:s, s:s}", "measure_id", (json_int_t)a.measure_id, "date", a.day, "label",
                                   a.label ? a.label : ""),
                         NULL, true, false, err);
    rc = store_write_end(s, rc, err);
    if (rc == 0 && measure_id)
        *measure_id = a.measure_id;
    free(a.label);
    return rc;
}
