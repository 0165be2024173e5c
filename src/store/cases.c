/* Good practice: case studies of completed or sustaining projects, shared across the installation,
 * and the colleagues trying the same thing (to connect the teams). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_int.h"
#include "core/banned.h"

static void interest_release(struct store_case_interest_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].name);
        free(l->items[i].org_name);
        free(l->items[i].note);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void store_case_release(struct store_case *c)
{
    free(c->org_slug);
    free(c->org_name);
    free(c->title);
    free(c->problem);
    free(c->change_made);
    free(c->data_shows);
    free(c->contact);
    interest_release(&c->interest);
    memset(c, 0, sizeof *c);
}

void store_case_list_release(struct store_case_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        store_case_release(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

#define CASE_COLS                                                                                             \
    "c.id, c.project_id, p.org_id, o.slug, o.name, p.title, c.problem, c.change_made, c.data_shows, c.contact," \
    " c.published_at"
#define CASE_FROM " FROM case_studies c JOIN projects p ON p.id = c.project_id JOIN organisations o ON o.id = p.org_id"

static int row_case(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_case *c = item;
    bool oom = false;
    c->id = db_col_i64(st, 0);
    c->project_id = db_col_i64(st, 1);
    c->org_id = db_col_i64(st, 2);
    c->org_slug = db_col_dup(st, 3, &oom);
    c->org_name = db_col_dup(st, 4, &oom);
    c->title = db_col_dup(st, 5, &oom);
    c->problem = db_col_dup(st, 6, &oom);
    c->change_made = db_col_dup(st, 7, &oom);
    c->data_shows = db_col_dup(st, 8, &oom);
    c->contact = db_col_dup(st, 9, &oom);
    c->published_at = db_col_i64(st, 10);
    if (oom) {
        store_case_release(c);
        return store_oom(err);
    }
    return 0;
}

static int row_interest(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_case_interest *i = item;
    bool oom = false;
    i->name = db_col_dup(st, 0, &oom);
    i->org_name = db_col_dup(st, 1, &oom);
    i->note = db_col_dup(st, 2, &oom);
    i->at = db_col_i64(st, 3);
    if (oom) {
        free(i->name);
        free(i->org_name);
        free(i->note);
        return store_oom(err);
    }
    return 0;
}

static json_t *case_json(int64_t project_id, const struct store_case_input *in)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s}", "project_id", (json_int_t)project_id, "problem", in->problem,
                     "change_made", in->change_made, "data_shows", in->data_shows, "contact", in->contact);
}

int store_case_publish(struct store *s, const struct store_actor *by, const struct store_scope *scope,
                       int64_t project_id, const struct store_case_input *in, int64_t *id, struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    if (store_check_text("problem", in->problem, STORE_TEXT_MAX, true, err) < 0 ||
        store_check_text("change_made", in->change_made, STORE_TEXT_MAX, true, err) < 0 ||
        store_check_text("data_shows", in->data_shows, STORE_TEXT_MAX, true, err) < 0 ||
        store_check_text("contact", in->contact, STORE_NAME_MAX, true, err) < 0)
        return -1;
    struct store_project p = {0};
    if (store_project_get(s, scope, project_id, &p, err) < 0)
        return -1;
    bool ready = strcmp(p.status, "complete") == 0 || strcmp(p.status, "sustaining") == 0;
    store_project_release(&p);
    if (!ready)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "status",
                            "status: only a complete or sustaining project can be published as a case study");
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t old = 0, new_id = 0;
    int rc = db_run_i64(c, &old, err, "SELECT c.id FROM case_studies c JOIN projects p ON p.id = c.project_id "
                        "WHERE p.org_id = ? AND c.project_id = ?", "ii", org_id, project_id);
    if (rc == 0 && old)
        rc = db_run(c, err, "UPDATE case_studies SET problem = ?, change_made = ?, data_shows = ?, contact = ? WHERE id = ?",
                    "tttti", in->problem, in->change_made, in->data_shows, in->contact, old);
    else if (rc == 0)
        rc = db_run_i64(c, &new_id, err,
                        "INSERT INTO case_studies(project_id, problem, change_made, data_shows, contact, published_at) "
                        "VALUES(?,?,?,?,?,?) RETURNING id",
                        "itttti", project_id, in->problem, in->change_made, in->data_shows,
                        in->contact, (int64_t)time(NULL));
    if (rc == 0)
        rc = store_audit(c, by, old ? "update" : "publish", "case_study", old ? old : new_id, NULL,
                         case_json(project_id, in), false, true, err);
    rc = store_write_end(s, rc, err);
    if (rc == 0 && id)
        *id = old ? old : new_id;
    return rc;
}

int store_case_unpublish(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                         struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t found = 0;
    int rc = db_run_i64(c, &found, err, "SELECT c.id FROM case_studies c JOIN projects p ON p.id = c.project_id "
                        "WHERE p.org_id = ? AND c.id = ?", "ii", org_id, id);
    if (rc == 0 && !found)
        rc = store_not_found(err, "case study");
    if (rc == 0)
        rc = db_run(c, err, "DELETE FROM case_studies WHERE id = ?", "i", id);
    if (rc == 0)
        rc = store_audit(c, by, "unpublish", "case_study", id, NULL, NULL, false, false, err);
    return store_write_end(s, rc, err);
}

static int case_one(struct store *s, const char *sql, int64_t a, int64_t b, struct store_case *out,
                    struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, sql, "ii", a, b);
    rc = store_read_one(st, rc, out, row_case, "case study", err);
    if (rc == 0) {
        rc = db_query(c, &st, err,
                      "SELECT u.display_name, o.name, i.note, i.at FROM case_interest i JOIN users u ON u.id = i.user_id "
                      "JOIN organisations o ON o.id = u.home_org_id WHERE i.case_id = ? ORDER BY i.at, u.id",
                      "i", out->id);
        rc = store_read_all(st, rc, (void **)&out->interest.items, &out->interest.n, sizeof *out->interest.items,
                            row_interest, err);
        if (rc < 0)
            store_case_release(out);
    }
    store_read_end(s, c);
    return rc;
}

int store_case_get(struct store *s, int64_t id, struct store_case *out, struct purpose_err *err)
{
    return case_one(s, "SELECT " CASE_COLS CASE_FROM " WHERE c.id = ? AND ? = 0", id, 0, out, err);
}

int store_case_of_project(struct store *s, const struct store_scope *scope, int64_t project_id, struct store_case *out,
                          struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    return case_one(s, "SELECT " CASE_COLS CASE_FROM " WHERE p.org_id = ? AND c.project_id = ?", org_id, project_id,
                    out, err);
}

/* A project serves a theme when it serves one of the theme's ambitions. */
#define CASE_THEME_OF                                                                                     \
    "SELECT 1 FROM project_links l JOIN ambitions a ON a.id = l.ambition_id JOIN themes t ON t.id = a.theme_id" \
    " WHERE l.project_id = c.project_id AND lower(t.title) = lower(?)"

int store_case_find(struct store *s, const struct store_case_filter *f, struct store_case_list *out,
                    struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    char like[STORE_TITLE_MAX * 2 + 8] = "";
    const char *q = f->q ? f->q : "", *theme = f->theme ? f->theme : "";
    if (store_check_text("q", q, STORE_TITLE_MAX, false, err) < 0 ||
        store_check_text("theme", theme, STORE_TITLE_MAX, false, err) < 0)
        return -1;
    if (q[0]) {
        size_t o = 0;
        like[o++] = '%';
        for (const char *p = q; *p && o + 4 < sizeof like; p++) {
            char ch = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
            if (ch == '%' || ch == '_' || ch == '\\')
                like[o++] = '\\';
            like[o++] = ch;
        }
        like[o++] = '%';
        like[o] = '\0';
    }
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_case, err,
                        "SELECT " CASE_COLS CASE_FROM " WHERE (? = 0 OR p.org_id = ?) AND (? = '' OR "
                        "lower(p.title || ' ' || c.problem || ' ' || c.change_made || ' ' || c.data_shows) LIKE ? "
                        "ESCAPE '\\') AND (? = '' OR EXISTS (" CASE_THEME_OF ")) ORDER BY c.published_at DESC, c.id DESC",
                        "iitttt", f->org_id, f->org_id, like, like, theme, theme);
    if (rc < 0)
        store_case_list_release(out);
    return rc;
}

/* The organisation a library read is of: 0 for every one (NULL), -1 (none) for a programme. */
static int64_t library_org(const struct store_scope *scope)
{
    return !scope ? 0 : scope->kind == STORE_SCOPE_ORG ? scope->id : -1;
}

int store_case_list(struct store *s, const struct store_scope *scope, const char *q, struct store_case_list *out,
                    struct purpose_err *err)
{
    return store_case_find(s, &(struct store_case_filter){.org_id = library_org(scope), .q = q}, out, err);
}

static int row_text(struct db_stmt *st, void *item, struct purpose_err *err)
{
    bool oom = false;
    *(char **)item = db_col_dup(st, 0, &oom);
    return oom ? store_oom(err) : 0;
}

void store_case_theme_list_release(struct store_case_theme_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

int store_case_themes(struct store *s, const struct store_scope *scope, struct store_case_theme_list *out,
                      struct purpose_err *err)
{
    const int64_t org_id = library_org(scope);
    memset(out, 0, sizeof *out);
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_text, err,
                        "SELECT MIN(t.title) FROM case_studies c JOIN projects p ON p.id = c.project_id"
                        " JOIN project_links l ON l.project_id = p.id JOIN ambitions a ON a.id = l.ambition_id"
                        " JOIN themes t ON t.id = a.theme_id WHERE (? = 0 OR p.org_id = ?)"
                        " GROUP BY lower(t.title) ORDER BY lower(t.title)",
                        "ii", org_id, org_id);
    if (rc < 0)
        store_case_theme_list_release(out);
    return rc;
}

int store_case_interest_add(struct store *s, const struct store_actor *by, int64_t case_id, int64_t user_id,
                            const char *note, struct purpose_err *err)
{
    if (!note)
        note = "";
    if (store_check_text("note", note, STORE_TEXT_MAX, false, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t found = 0;
    int rc = db_run_i64(c, &found, err, "SELECT id FROM case_studies WHERE id = ?", "i", case_id);
    if (rc == 0 && !found)
        rc = store_not_found(err, "case study");
    if (rc == 0)
        rc = db_run(c, err,
                    "INSERT INTO case_interest(case_id, user_id, note, at) VALUES(?,?,?,?) "
                    "ON CONFLICT(case_id, user_id) DO UPDATE SET note = excluded.note",
                    "iiti", case_id, user_id, note, (int64_t)time(NULL));
    if (rc == 0)
        rc = store_audit(c, by, "trying too", "case_study", case_id, NULL, json_pack("{s:s}", "note", note), false,
                         true, err);
    return store_write_end(s, rc, err);
}
