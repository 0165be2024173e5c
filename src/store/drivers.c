/* Driver diagrams (the project's aim, its primary drivers, their secondary drivers and the change
 * ideas under those) and the PDSA cycles that test change ideas. Every node and cycle is reached
 * through its project's organisation. */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

#define DRIVER_TEXT_MAX 500

static const char *const kind_names[] = {"primary", "secondary", "change"};

const char *store_driver_kind_name(enum store_driver_kind k)
{
    return (unsigned)k < 3 ? kind_names[k] : "";
}

void store_driver_release(struct store_driver *d)
{
    free(d->text);
    memset(d, 0, sizeof *d);
}

void store_driver_list_release(struct store_driver_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        store_driver_release(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void store_pdsa_release(struct store_pdsa *p)
{
    free(p->title);
    free(p->plan);
    free(p->prediction);
    free(p->do_notes);
    free(p->study);
    free(p->act);
    free(p->start_date);
    free(p->end_date);
    memset(p, 0, sizeof *p);
}

void store_pdsa_list_release(struct store_pdsa_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        store_pdsa_release(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

#define DRIVER_COLS "d.id, d.project_id, COALESCE(d.parent_id, 0), d.kind, d.position, d.text"

static int row_driver(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_driver *d = item;
    bool oom = false;
    d->id = db_col_i64(st, 0);
    d->project_id = db_col_i64(st, 1);
    d->parent_id = db_col_i64(st, 2);
    const char *k = db_col_text(st, 3);
    d->kind = k && strcmp(k, "primary") == 0 ? STORE_DRIVER_PRIMARY
              : k && strcmp(k, "secondary") == 0 ? STORE_DRIVER_SECONDARY : STORE_DRIVER_CHANGE;
    d->position = (int)db_col_i64(st, 4);
    d->text = db_col_dup(st, 5, &oom);
    return oom ? store_oom(err) : 0;
}

static int driver_get_in(struct db_conn *c, int64_t org_id, int64_t id, struct store_driver *out,
                         struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err,
                      "SELECT " DRIVER_COLS " FROM drivers d JOIN projects p ON p.id = d.project_id "
                      "WHERE p.org_id = ? AND d.id = ?",
                      "ii", org_id, id);
    return store_read_one(st, rc, out, row_driver, "driver", err);
}

int store_driver_get(struct store *s, const struct store_scope *scope, int64_t id, struct store_driver *out,
                     struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    memset(out, 0, sizeof *out);
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    int rc = driver_get_in(c, org_id, id, out, err);
    store_read_end(s, c);
    return rc;
}

/* Appends the children of parent (from all[0..n), in position order) depth first into out. */
static void tree_order(struct store_driver *all, size_t n, int64_t parent, struct store_driver *out, size_t *o,
                       int depth)
{
    for (size_t i = 0; i < n && depth < 3; i++)
        if (all[i].parent_id == parent && all[i].id) {
            out[(*o)++] = all[i];
            int64_t id = all[i].id;
            all[i].id = 0; /* taken */
            tree_order(all, n, id, out, o, depth + 1);
        }
}

int store_driver_list(struct store *s, const struct store_scope *scope, int64_t project_id,
                      struct store_driver_list *out, struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    memset(out, 0, sizeof *out);
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_driver, err,
                        "SELECT " DRIVER_COLS " FROM drivers d JOIN projects p ON p.id = d.project_id "
                        "WHERE p.org_id = ? AND d.project_id = ? ORDER BY d.position, d.id",
                        "ii", org_id, project_id);
    if (rc < 0) {
        store_driver_list_release(out);
        return -1;
    }
    if (out->n == 0)
        return 0;
    struct store_driver *sorted = calloc(out->n, sizeof *sorted);
    if (!sorted) {
        store_driver_list_release(out);
        return store_oom(err);
    }
    size_t o = 0;
    tree_order(out->items, out->n, 0, sorted, &o, 0);
    for (size_t i = 0; i < out->n; i++)
        if (out->items[i].id) /* not reached from the root: cannot happen, but never leak it */
            store_driver_release(&out->items[i]);
    free(out->items);
    out->items = sorted;
    out->n = o;
    return 0;
}

static json_t *driver_json(int64_t project_id, int64_t parent_id, const char *kind, const char *text)
{
    return json_pack("{s:I, s:I, s:s, s:s}", "project_id", (json_int_t)project_id, "parent_id", (json_int_t)parent_id,
                     "kind", kind, "text", text);
}

int store_driver_add(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t project_id,
                     int64_t parent_id, const char *text, int64_t *id, struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    if (store_check_text("text", text, DRIVER_TEXT_MAX, true, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    struct store_driver parent = {0};
    int64_t found = 0, new_id = 0;
    const char *kind = "primary";
    int rc = db_run_i64(c, &found, err, "SELECT id FROM projects WHERE org_id = ? AND id = ?", "ii", org_id, project_id);
    if (rc == 0 && !found)
        rc = store_not_found(err, "project");
    if (rc == 0 && parent_id) {
        rc = driver_get_in(c, org_id, parent_id, &parent, err);
        if (rc < 0 && err->kind == PURPOSE_ERR_NOT_FOUND)
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, "parent_id", "parent_id: driver %lld does not exist",
                              (long long)parent_id);
        else if (rc == 0 && parent.project_id != project_id)
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, "parent_id", "parent_id: driver %lld is in another project",
                              (long long)parent_id);
        else if (rc == 0 && parent.kind == STORE_DRIVER_CHANGE)
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, "parent_id",
                              "parent_id: a change idea is the end of the diagram; add to a driver");
        else if (rc == 0)
            kind = parent.kind == STORE_DRIVER_PRIMARY ? "secondary" : "change";
    }
    if (rc == 0)
        rc = db_run_i64(c, &new_id, err,
                        "INSERT INTO drivers(project_id, parent_id, kind, position, text) VALUES(?, NULLIF(?, 0), ?,"
                        " (SELECT COALESCE(MAX(position), 0) + 1 FROM drivers WHERE project_id = ?), ?) RETURNING id",
                        "iitit", project_id, parent_id, kind, project_id, text);
    if (rc == 0)
        rc = store_audit(c, by, "create", "driver", new_id, NULL, driver_json(project_id, parent_id, kind, text), false,
                         true, err);
    rc = store_write_end(s, rc, err);
    store_driver_release(&parent);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_driver_update(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                        const char *text, struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    if (store_check_text("text", text, DRIVER_TEXT_MAX, true, err) < 0)
        return -1;
    struct store_driver old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = driver_get_in(c, org_id, id, &old, err);
    if (rc == 0)
        rc = db_run(c, err, "UPDATE drivers SET text = ? WHERE id = ?", "ti", text, id);
    if (rc == 0) {
        const char *k = store_driver_kind_name(old.kind);
        rc = store_audit(c, by, "update", "driver", id, driver_json(old.project_id, old.parent_id, k, old.text),
                         driver_json(old.project_id, old.parent_id, k, text), true, true, err);
    }
    rc = store_write_end(s, rc, err);
    store_driver_release(&old);
    return rc;
}

int store_driver_delete(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                        struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    struct store_driver old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = driver_get_in(c, org_id, id, &old, err);
    if (rc == 0)
        rc = db_run(c, err, "DELETE FROM drivers WHERE id = ?", "i", id);
    if (rc == 0)
        rc = store_audit(c, by, "delete", "driver", id,
                         driver_json(old.project_id, old.parent_id, store_driver_kind_name(old.kind), old.text), NULL,
                         true, false, err);
    rc = store_write_end(s, rc, err);
    store_driver_release(&old);
    return rc;
}

static int row_id(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    *(int64_t *)item = db_col_i64(st, 0);
    return 0;
}

int store_driver_move(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                      const char *direction, struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    int step = direction && strcmp(direction, "up") == 0 ? -1 : direction && strcmp(direction, "down") == 0 ? 1 : 0;
    if (!step)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "direction", "direction: must be up or down");
    struct store_driver d = {0};
    int64_t *sib = NULL;
    size_t n = 0, at = 0;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = driver_get_in(c, org_id, id, &d, err);
    if (rc == 0) {
        struct db_stmt *st = NULL;
        rc = db_query(c, &st, err,
                      "SELECT id FROM drivers WHERE project_id = ? AND COALESCE(parent_id, 0) = ? ORDER BY position, id",
                      "ii", d.project_id, d.parent_id);
        rc = store_read_all(st, rc, (void **)&sib, &n, sizeof *sib, row_id, err);
    }
    while (rc == 0 && at < n && sib[at] != id)
        at++;
    if (rc == 0 && (at == n || (step < 0 && at == 0) || (step > 0 && at + 1 == n)))
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "direction", "direction: it is the %s of its siblings already",
                          step < 0 ? "first" : "last");
    if (rc == 0) {
        int64_t other = sib[at + step];
        sib[at + step] = id;
        sib[at] = other;
    }
    /* Positions order siblings only: renumbered 1..n in the new order. */
    for (size_t k = 0; rc == 0 && k < n; k++)
        rc = db_run(c, err, "UPDATE drivers SET position = ? WHERE id = ?", "ii", (int64_t)k + 1, sib[k]);
    if (rc == 0)
        rc = store_audit(c, by, "move", "driver", id,
                         json_pack("{s:s, s:I, s:I}", "text", d.text, "position", (json_int_t)at + 1, "of", (json_int_t)n),
                         json_pack("{s:s, s:I, s:I}", "text", d.text, "position", (json_int_t)(at + step) + 1, "of",
                                   (json_int_t)n),
                         true, true, err);
    rc = store_write_end(s, rc, err);
    free(sib);
    store_driver_release(&d);
    return rc;
}

/* ---- PDSA cycles ------------------------------------------------------------------------------- */

#define PDSA_COLS                                                                                             \
    "c.id, c.change_id, d.project_id, c.title, c.plan, c.prediction, c.do_notes, c.study, c.act, c.start_date," \
    " c.end_date"

static int row_pdsa(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_pdsa *p = item;
    bool oom = false;
    p->id = db_col_i64(st, 0);
    p->change_id = db_col_i64(st, 1);
    p->project_id = db_col_i64(st, 2);
    p->title = db_col_dup(st, 3, &oom);
    p->plan = db_col_dup(st, 4, &oom);
    p->prediction = db_col_dup(st, 5, &oom);
    p->do_notes = db_col_dup(st, 6, &oom);
    p->study = db_col_dup(st, 7, &oom);
    p->act = db_col_dup(st, 8, &oom);
    p->start_date = db_col_dup(st, 9, &oom);
    p->end_date = db_col_dup(st, 10, &oom);
    if (oom) {
        store_pdsa_release(p);
        return store_oom(err);
    }
    return 0;
}

static int pdsa_check(const struct store_pdsa_input *in, struct purpose_err *err)
{
    const char *act = in->act ? in->act : "";
    if (store_check_text("title", in->title, STORE_TITLE_MAX, true, err) < 0 ||
        store_check_text("plan", in->plan, STORE_TEXT_MAX, false, err) < 0 ||
        store_check_text("prediction", in->prediction, STORE_TEXT_MAX, false, err) < 0 ||
        store_check_text("do_notes", in->do_notes, STORE_TEXT_MAX, false, err) < 0 ||
        store_check_text("study", in->study, STORE_TEXT_MAX, false, err) < 0 ||
        store_check_date("start_date", in->start_date, err) < 0)
        return -1;
    if (strcmp(act, "") != 0 && strcmp(act, "adopt") != 0 && strcmp(act, "adapt") != 0 && strcmp(act, "abandon") != 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "act", "act: must be adopt, adapt or abandon (or empty until decided)");
    if (in->end_date && in->end_date[0]) {
        if (store_check_date("end_date", in->end_date, err) < 0)
            return -1;
        if (strcmp(in->end_date, in->start_date) < 0)
            return purpose_errk(err, PURPOSE_ERR_INPUT, "end_date", "end_date: %s is before the start date %s",
                                in->end_date, in->start_date);
    }
    return 0;
}

static json_t *pdsa_json(int64_t change_id, const struct store_pdsa_input *in)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "change_id", (json_int_t)change_id, "title",
                     in->title, "plan", in->plan ? in->plan : "", "prediction", in->prediction ? in->prediction : "",
                     "do_notes", in->do_notes ? in->do_notes : "", "study", in->study ? in->study : "", "act",
                     in->act ? in->act : "", "start_date", in->start_date, "end_date", in->end_date ? in->end_date : "");
}

static int pdsa_get_in(struct db_conn *c, int64_t org_id, int64_t id, struct store_pdsa *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err,
                      "SELECT " PDSA_COLS " FROM pdsa_cycles c JOIN drivers d ON d.id = c.change_id "
                      "JOIN projects p ON p.id = d.project_id WHERE p.org_id = ? AND c.id = ?",
                      "ii", org_id, id);
    return store_read_one(st, rc, out, row_pdsa, "PDSA cycle", err);
}

int store_pdsa_get(struct store *s, const struct store_scope *scope, int64_t id, struct store_pdsa *out,
                   struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    memset(out, 0, sizeof *out);
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    int rc = pdsa_get_in(c, org_id, id, out, err);
    store_read_end(s, c);
    return rc;
}

int store_pdsa_list(struct store *s, const struct store_scope *scope, int64_t project_id, struct store_pdsa_list *out,
                    struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    memset(out, 0, sizeof *out);
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_pdsa, err,
                        "SELECT " PDSA_COLS " FROM pdsa_cycles c JOIN drivers d ON d.id = c.change_id "
                        "JOIN projects p ON p.id = d.project_id WHERE p.org_id = ? AND p.id = ? "
                        "ORDER BY c.start_date, c.id",
                        "ii", org_id, project_id);
    if (rc < 0)
        store_pdsa_list_release(out);
    return rc;
}

int store_pdsa_add(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t change_id,
                   const struct store_pdsa_input *in, int64_t *id, struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    if (pdsa_check(in, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    struct store_driver d = {0};
    int64_t new_id = 0;
    /* A change idea of another scope is not found, as every object of another scope is. */
    int rc = driver_get_in(c, org_id, change_id, &d, err);
    if (rc == 0 && d.kind != STORE_DRIVER_CHANGE)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "change_id", "change_id: PDSA cycles test change ideas, not drivers");
    if (rc == 0)
        rc = db_run_i64(c, &new_id, err,
                        "INSERT INTO pdsa_cycles(change_id, title, plan, prediction, do_notes, study, act, start_date,"
                        " end_date) VALUES(?,?,?,?,?,?,?,?,?) RETURNING id",
                        "itttttttt", change_id, in->title, in->plan ? in->plan : "",
                        in->prediction ? in->prediction : "", in->do_notes ? in->do_notes : "",
                        in->study ? in->study : "", in->act ? in->act : "", in->start_date,
                        in->end_date ? in->end_date : "");
    if (rc == 0)
        rc = store_audit(c, by, "create", "pdsa", new_id, NULL, pdsa_json(change_id, in), false, true, err);
    rc = store_write_end(s, rc, err);
    store_driver_release(&d);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_pdsa_update(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                      const struct store_pdsa_input *in, struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    if (pdsa_check(in, err) < 0)
        return -1;
    struct store_pdsa old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = pdsa_get_in(c, org_id, id, &old, err);
    if (rc == 0)
        rc = db_run(c, err,
                    "UPDATE pdsa_cycles SET title = ?, plan = ?, prediction = ?, do_notes = ?, study = ?, act = ?,"
                    " start_date = ?, end_date = ? WHERE id = ?",
                    "tttttttti", in->title, in->plan ? in->plan : "", in->prediction ? in->prediction : "",
                    in->do_notes ? in->do_notes : "", in->study ? in->study : "", in->act ? in->act : "",
                    in->start_date, in->end_date ? in->end_date : "", id);
    if (rc == 0) {
        struct store_pdsa_input was = {old.title, old.plan, old.prediction, old.do_notes,
                                       old.study, old.act,  old.start_date, old.end_date};
        rc = store_audit(c, by, "update", "pdsa", id, pdsa_json(old.change_id, &was), pdsa_json(old.change_id, in),
                         true, true, err);
    }
    rc = store_write_end(s, rc, err);
    store_pdsa_release(&old);
    return rc;
}

int store_pdsa_delete(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                      struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    struct store_pdsa old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = pdsa_get_in(c, org_id, id, &old, err);
    if (rc == 0)
        rc = db_run(c, err, "DELETE FROM pdsa_cycles WHERE id = ?", "i", id);
    if (rc == 0) {
        struct store_pdsa_input was = {old.title, old.plan, old.prediction, old.do_notes,
                                       old.study, old.act,  old.start_date, old.end_date};
        rc = store_audit(c, by, "delete", "pdsa", id, pdsa_json(old.change_id, &was), NULL, true, false, err);
    }
    rc = store_write_end(s, rc, err);
    store_pdsa_release(&old);
    return rc;
}
