/* Improvement projects: the register of an organisation's work, each project tied to the
 * ambitions or programme aims it serves (or saying why it serves none), its IHI progress score and
 * that score's history, and a lead's approval. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xval.h"
#include "store/store_int.h"
#include "core/banned.h"

const char *const store_project_statuses[] = {"idea", "active", "sustaining", "complete", "stopped", NULL};

/* ---- field checks ------------------------------------------------------------------------------ */

int store_score_parse(const char *field, const char *s, int *x10, struct purpose_err *err)
{
    /* "3", "3.0" or "3.5": a whole number and at most one decimal, 0 or 5. */
    int whole = 0, tenth = 0;
    size_t i = 0, n = s ? strlen(s) : 0;
    bool ok = n > 0 && n <= 4 && s[0] >= '0' && s[0] <= '9';
    for (; ok && i < n && s[i] >= '0' && s[i] <= '9'; i++)
        whole = whole * 10 + (s[i] - '0');
    if (ok && i < n) {
        ok = s[i] == '.' && i + 2 == n && s[i + 1] >= '0' && s[i + 1] <= '9';
        if (ok)
            tenth = s[i + 1] - '0';
    }
    int v = whole * 10 + tenth;
    if (!ok || (tenth != 0 && tenth != 5) || v < STORE_SCORE_MIN || v > STORE_SCORE_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, field,
                            "%s: \"%s\" is not on the progress scale: use 0.5 to 5.0 in steps of 0.5", field,
                            s && n <= 40 ? s : "");
    *x10 = v;
    return 0;
}

static int check_score(int x10, struct purpose_err *err)
{
    if (x10 < STORE_SCORE_MIN || x10 > STORE_SCORE_MAX || x10 % 5 != 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "score",
                            "score: %d.%d is not on the progress scale: use 0.5 to 5.0 in steps of 0.5", x10 / 10,
                            abs(x10 % 10));
    return 0;
}

int store_check_date(const char *field, const char *s, struct purpose_err *err)
{
    bool ok = s && strlen(s) == 10 && s[4] == '-' && s[7] == '-';
    for (int i = 0; ok && i < 10; i++)
        ok = i == 4 || i == 7 || (s[i] >= '0' && s[i] <= '9');
    if (ok) {
        int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
        int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
        static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        ok = y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] && (m != 2 || d < 29 || leap);
    }
    if (!ok)
        return purpose_errk(err, PURPOSE_ERR_INPUT, field, "%s: \"%s\" is not a date: use YYYY-MM-DD, e.g. 2025-04-01",
                            field, s && strlen(s) <= 40 ? s : "");
    return 0;
}

static int check_status(const char *status, struct purpose_err *err)
{
    for (size_t i = 0; status && store_project_statuses[i]; i++)
        if (strcmp(status, store_project_statuses[i]) == 0)
            return 0;
    return purpose_errk(err, PURPOSE_ERR_INPUT, "status",
                        "status: must be one of idea, active, sustaining, complete, stopped");
}

/* Everything about the input that needs no database. */
static int input_check(const struct store_project_input *in, struct purpose_err *err)
{
    if (store_check_text("title", in->title, STORE_TITLE_MAX, true, err) < 0 ||
        store_check_text("aim", in->aim, STORE_TEXT_MAX, true, err) < 0 ||
        store_check_text("team", in->team, STORE_TEXT_MAX, false, err) < 0 ||
        store_check_text("sponsor", in->sponsor, STORE_NAME_MAX, false, err) < 0 || check_status(in->status, err) < 0 ||
        check_score(in->score_x10, err) < 0 || store_check_date("start_date", in->start_date, err) < 0 ||
        store_check_text("why_unaligned", in->why_unaligned, STORE_TEXT_MAX, false, err) < 0)
        return -1;
    if (in->n_ambitions + in->n_aims > STORE_LINKS_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "ambitions", "ambitions: link at most %d ambitions and aims",
                            STORE_LINKS_MAX);
    if (in->n_ambitions + in->n_aims == 0 &&
        store_check_text("why_unaligned", in->why_unaligned, STORE_TEXT_MAX, true, err) < 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "why_unaligned",
                            "why_unaligned: a project that serves no ambition or aim must say why");
    return 0;
}

/* The links and programme must be the organisation's own: its ambitions, and the aims of the
 * programmes it is a partner in. */
static int input_check_links(struct db_conn *c, int64_t org_id, const struct store_project_input *in,
                             struct purpose_err *err)
{
    int64_t found = 0;
    if (in->programme_id) {
        if (db_run_i64(c, &found, err, "SELECT programme_id FROM programme_partners WHERE programme_id = ? AND org_id = ?",
                       "ii", in->programme_id, org_id) < 0)
            return -1;
        if (!found)
            return purpose_errk(err, PURPOSE_ERR_INPUT, "programme_id",
                                "programme_id: the organisation is not a partner in programme %lld",
                                (long long)in->programme_id);
    }
    for (size_t i = 0; i < in->n_ambitions; i++) {
        found = 0;
        if (db_run_i64(c, &found, err,
                       "SELECT a.id FROM ambitions a JOIN themes t ON t.id = a.theme_id WHERE t.org_id = ? AND a.id = ?",
                       "ii", org_id, in->ambition_ids[i]) < 0)
            return -1;
        if (!found)
            return purpose_errk(err, PURPOSE_ERR_INPUT, "ambitions", "ambitions: ambition %lld does not exist",
                                (long long)in->ambition_ids[i]);
    }
    for (size_t i = 0; i < in->n_aims; i++) {
        found = 0;
        if (db_run_i64(c, &found, err,
                       "SELECT a.id FROM aims a JOIN programme_partners pp ON pp.programme_id = a.programme_id "
                       "WHERE pp.org_id = ? AND a.id = ?",
                       "ii", org_id, in->aim_ids[i]) < 0)
            return -1;
        if (!found)
            return purpose_errk(err, PURPOSE_ERR_INPUT, "aims", "aims: aim %lld is not an aim of a programme the "
                                "organisation is a partner in", (long long)in->aim_ids[i]);
    }
    return 0;
}

static int links_write(struct db_conn *c, int64_t id, const struct store_project_input *in, struct purpose_err *err)
{
    int rc = db_run(c, err, "DELETE FROM project_links WHERE project_id = ?", "i", id);
    for (size_t i = 0; rc == 0 && i < in->n_ambitions; i++)
        rc = db_run(c, err, "INSERT INTO project_links(project_id, ambition_id) VALUES(?, ?)", "ii", id,
                    in->ambition_ids[i]);
    for (size_t i = 0; rc == 0 && i < in->n_aims; i++)
        rc = db_run(c, err, "INSERT INTO project_links(project_id, aim_id) VALUES(?, ?)", "ii", id, in->aim_ids[i]);
    return rc;
}

static json_t *ids_json(const int64_t *ids, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_integer((json_int_t)ids[i])) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *input_json(const struct store_project_input *in)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:I, s:o*, s:o*}", "title", in->title, "aim", in->aim,
                     "team", in->team ? in->team : "", "sponsor", in->sponsor ? in->sponsor : "", "status", in->status,
                     "score_x10", in->score_x10, "start_date", in->start_date, "why_unaligned",
                     in->why_unaligned ? in->why_unaligned : "", "programme_id", (json_int_t)in->programme_id,
                     "ambitions", ids_json(in->ambition_ids, in->n_ambitions), "aims", ids_json(in->aim_ids, in->n_aims));
}

static struct store_project_input as_input(const struct store_project *p)
{
    return (struct store_project_input){p->title, p->aim, p->team, p->sponsor, p->status, p->start_date,
                                        p->why_unaligned, p->programme_id, p->score_x10, p->ambition_ids,
                                        p->n_ambitions, p->aim_ids, p->n_aims};
}

/* ---- records ----------------------------------------------------------------------------------- */

void store_project_release(struct store_project *p)
{
    free(p->title);
    free(p->aim);
    free(p->team);
    free(p->sponsor);
    free(p->status);
    free(p->start_date);
    free(p->why_unaligned);
    free(p->approved_by);
    free(p->ambition_ids);
    free(p->aim_ids);
    memset(p, 0, sizeof *p);
}

void store_project_list_release(struct store_project_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        store_project_release(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void store_progress_level_list_release(struct store_progress_level_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].label);
        free(l->items[i].definition);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void store_score_list_release(struct store_score_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i].actor);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

#define PROJECT_COLS                                                                                          \
    "p.id, p.org_id, COALESCE(p.programme_id, 0), p.title, p.aim, p.team, p.sponsor, p.status, p.score_x10,"  \
    " p.start_date, p.why_unaligned, p.approved_by, COALESCE(p.approved_at, 0), p.created_at"

static int row_project(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_project *p = item;
    bool oom = false;
    p->id = db_col_i64(st, 0);
    p->org_id = db_col_i64(st, 1);
    p->programme_id = db_col_i64(st, 2);
    p->title = db_col_dup(st, 3, &oom);
    p->aim = db_col_dup(st, 4, &oom);
    p->team = db_col_dup(st, 5, &oom);
    p->sponsor = db_col_dup(st, 6, &oom);
    p->status = db_col_dup(st, 7, &oom);
    p->score_x10 = (int)db_col_i64(st, 8);
    p->start_date = db_col_dup(st, 9, &oom);
    p->why_unaligned = db_col_dup(st, 10, &oom);
    p->approved_by = db_col_null(st, 11) ? NULL : db_col_dup(st, 11, &oom);
    p->approved_at = db_col_i64(st, 12);
    p->created_at = db_col_i64(st, 13);
    if (oom) {
        store_project_release(p);
        return store_oom(err);
    }
    return 0;
}

static int push_id(int64_t **ids, size_t *n, int64_t v)
{
    int64_t *p = realloc(*ids, (*n + 1) * sizeof *p);
    if (!p)
        return -1;
    p[(*n)++] = v;
    *ids = p;
    return 0;
}

/* Fills the links of projects[0..n) (sorted by id) from one query over the organisation (org_id 0:
 * over the projects of programme). */
static int read_links(struct db_conn *c, int64_t org_id, int64_t programme, int64_t only, struct store_project *projects,
                      size_t n, struct purpose_err *err)
{
    struct db_stmt *st = NULL;
    if (db_query(c, &st, err,
                 "SELECT l.project_id, COALESCE(l.ambition_id, 0), COALESCE(l.aim_id, 0) FROM project_links l "
                 "JOIN projects p ON p.id = l.project_id WHERE (? = 0 OR p.org_id = ?) AND (? = 0 OR p.programme_id = ?)"
                 " AND (? = 0 OR p.id = ?) ORDER BY l.project_id, l.ambition_id, l.aim_id",
                 "iiiiii", org_id, org_id, org_id ? 0 : programme, org_id ? 0 : programme, only, only) < 0)
        return -1;
    int r;
    size_t j = 0;
    while ((r = db_step(st, err)) == 1) {
        int64_t pid = db_col_i64(st, 0), amb = db_col_i64(st, 1), aim = db_col_i64(st, 2);
        while (j < n && projects[j].id < pid)
            j++;
        if (j == n || projects[j].id != pid)
            continue;
        struct store_project *p = &projects[j];
        if (amb ? push_id(&p->ambition_ids, &p->n_ambitions, amb) : push_id(&p->aim_ids, &p->n_aims, aim)) {
            db_reset(st);
            return store_oom(err);
        }
    }
    db_reset(st);
    return r < 0 ? -1 : 0;
}

static int project_get_in(struct db_conn *c, int64_t org_id, int64_t id, struct store_project *out,
                          struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, "SELECT " PROJECT_COLS " FROM projects p WHERE p.org_id = ? AND p.id = ?", "ii",
                      org_id, id);
    rc = store_read_one(st, rc, out, row_project, "project", err);
    if (rc == 0 && read_links(c, org_id, 0, id, out, 1, err) < 0) {
        store_project_release(out);
        rc = -1;
    }
    return rc;
}

int store_project_get(struct store *s, const struct store_scope *scope, int64_t id, struct store_project *out,
                      struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    int rc = project_get_in(c, STORE_SCOPE_ORG_ID(scope), id, out, err);
    store_read_end(s, c);
    return rc;
}

/* A LIKE pattern matching q anywhere, lower-cased, with % _ and \ escaped. */
static void like_pattern(const char *q, char *out, size_t n)
{
    size_t o = 0;
    out[o++] = '%';
    for (const char *p = q; *p && o + 4 < n; p++) {
        char ch = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
        if (ch == '%' || ch == '_' || ch == '\\')
            out[o++] = '\\';
        out[o++] = ch;
    }
    out[o++] = '%';
    out[o] = '\0';
}

int store_project_list(struct store *s, const struct store_scope *scope, const struct store_project_filter *f,
                       struct store_project_list *out, struct purpose_err *err)
{
    static const struct store_project_filter none = {0};
    memset(out, 0, sizeof *out);
    if (!f)
        f = &none;
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    /* A programme's scope: its own projects only (a filter naming another programme finds none). */
    const int64_t programme = scope->kind == STORE_SCOPE_PROGRAMME ? scope->id : f->programme_id;
    if (scope->kind == STORE_SCOPE_PROGRAMME && f->programme_id && f->programme_id != scope->id)
        return 0;
    char like[STORE_TITLE_MAX * 2 + 8] = "";
    if (f->q && f->q[0]) {
        if (store_check_text("q", f->q, STORE_TITLE_MAX, false, err) < 0)
            return -1;
        like_pattern(f->q, like, sizeof like);
    }
    const char *status = f->status ? f->status : "";
    if (!org_id && !programme)
        return 0;
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    /* Every partner's: a project stays its programme's only while its organisation is a partner. */
    int rc = db_query(c, &st, err,
                      "SELECT " PROJECT_COLS " FROM projects p WHERE (? = 0 OR p.org_id = ?)"
                      " AND (? <> 0 OR EXISTS (SELECT 1 FROM programme_partners pp"
                      " WHERE pp.programme_id = p.programme_id AND pp.org_id = p.org_id))"
                      " AND (? = 0 OR p.programme_id = ?) AND (? = '' OR p.status = ?)"
                      " AND (? = 0 OR p.score_x10 = ?)"
                      " AND (? = 0 OR EXISTS (SELECT 1 FROM project_links l JOIN ambitions a ON a.id = l.ambition_id"
                      " WHERE l.project_id = p.id AND a.theme_id = ?))"
                      " AND (? = '' OR lower(p.title || ' ' || p.aim || ' ' || p.team || ' ' || p.sponsor)"
                      " LIKE ? ESCAPE '\\') ORDER BY p.id",
                      "iiiiittnniitt", org_id, org_id, org_id, programme, programme, status, status,
                      f->score_x10, f->score_x10, f->theme_id, f->theme_id, like, like);
    rc = store_read_all(st, rc, (void **)&out->items, &out->n, sizeof *out->items, row_project, err);
    if (rc == 0 && out->n)
        rc = read_links(c, org_id, programme, 0, out->items, out->n, err);
    store_read_end(s, c);
    if (rc < 0)
        store_project_list_release(out);
    return rc;
}

static int row_level(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_progress_level *l = item;
    bool oom = false;
    l->score_x10 = (int)db_col_i64(st, 0);
    l->label = db_col_dup(st, 1, &oom);
    l->definition = db_col_dup(st, 2, &oom);
    if (oom) {
        free(l->label);
        free(l->definition);
        return store_oom(err);
    }
    return 0;
}

int store_progress_levels(struct store *s, struct store_progress_level_list *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_level, err,
                        "SELECT score_x10, label, definition FROM progress_levels ORDER BY score_x10", "");
    if (rc < 0)
        store_progress_level_list_release(out);
    return rc;
}

static int row_score(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_score_entry *e = item;
    bool oom = false;
    e->score_x10 = (int)db_col_i64(st, 0);
    e->at = db_col_i64(st, 1);
    e->actor = db_col_dup(st, 2, &oom);
    return oom ? store_oom(err) : 0;
}

int store_project_scores(struct store *s, const struct store_scope *scope, int64_t id, struct store_score_list *out,
                         struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_score, err,
                        "SELECT h.score_x10, h.at, h.actor FROM project_scores h JOIN projects p ON p.id = h.project_id "
                        "WHERE p.org_id = ? AND p.id = ? ORDER BY h.id",
                        "ii", STORE_SCOPE_ORG_ID(scope), id);
    if (rc < 0)
        store_score_list_release(out);
    return rc;
}

/* ---- writes ------------------------------------------------------------------------------------ */

static int score_step(struct db_conn *c, const struct store_actor *by, int64_t id, int x10, struct purpose_err *err)
{
    return db_run(c, err, "INSERT INTO project_scores(project_id, score_x10, at, actor) VALUES(?,?,?,?)", "init", id, x10, (int64_t)time(NULL), by && by->name ? by->name : "cli");
}

int store_project_add(struct store *s, const struct store_actor *by, const struct store_scope *scope,
                      const struct store_project_input *in, int64_t *id, struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    if (!org_id)
        return purpose_errk(err, PURPOSE_ERR_NOT_FOUND, "organisation",
                            "organisation: a project belongs to an organisation, not a programme");
    if (input_check(in, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t new_id = 0;
    int rc = input_check_links(c, org_id, in, err);
    if (rc == 0)
        rc = db_run_i64(c, &new_id, err,
                        "INSERT INTO projects(org_id, programme_id, title, aim, team, sponsor, status, score_x10,"
                        " start_date, why_unaligned, created_at) VALUES(?,NULLIF(?, 0),?,?,?,?,?,?,?,?,?) RETURNING id",
                        "iitttttntti", org_id, in->programme_id, in->title, in->aim, in->team ? in->team : "", in->sponsor ? in->sponsor : "", in->status,
                        in->score_x10, in->start_date, in->n_ambitions + in->n_aims ? "" : in->why_unaligned,
                        (int64_t)time(NULL));
    if (rc == 0)
        rc = links_write(c, new_id, in, err);
    if (rc == 0)
        rc = score_step(c, by, new_id, in->score_x10, err);
    if (rc == 0)
        rc = store_audit(c, by, "create", "project", new_id, NULL, input_json(in), false, true, err);
    rc = store_write_end(s, rc, err);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_project_update(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                         const struct store_project_input *in, struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    if (input_check(in, err) < 0)
        return -1;
    struct store_project old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = project_get_in(c, org_id, id, &old, err);
    if (rc == 0)
        rc = input_check_links(c, org_id, in, err);
    if (rc == 0)
        rc = db_run(c, err,
                    "UPDATE projects SET programme_id = NULLIF(?, 0), title = ?, aim = ?, team = ?, sponsor = ?,"
                    " status = ?, score_x10 = ?, start_date = ?, why_unaligned = ? WHERE id = ?",
                    "itttttntti", in->programme_id, in->title, in->aim,
                    in->team ? in->team : "", in->sponsor ? in->sponsor : "", in->status, in->score_x10,
                    in->start_date, in->n_ambitions + in->n_aims ? "" : in->why_unaligned, id);
    if (rc == 0)
        rc = links_write(c, id, in, err);
    if (rc == 0 && old.score_x10 != in->score_x10)
        rc = score_step(c, by, id, in->score_x10, err);
    if (rc == 0) {
        struct store_project_input was = as_input(&old);
        rc = store_audit(c, by, "update", "project", id, input_json(&was), input_json(in), true, true, err);
    }
    rc = store_write_end(s, rc, err);
    store_project_release(&old);
    return rc;
}

int store_project_approve(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                          struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    struct store_project old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    const char *who = by && by->name ? by->name : "cli";
    int rc = project_get_in(c, org_id, id, &old, err);
    if (rc == 0 && old.approved_by)
        rc = purpose_errk(err, PURPOSE_ERR_CONFLICT, "approved", "approved: the project was approved by %s already",
                          old.approved_by);
    if (rc == 0)
        rc = db_run(c, err, "UPDATE projects SET approved_by = ?, approved_at = ? WHERE id = ?", "tii", who,
                    (int64_t)time(NULL), id);
    if (rc == 0)
        rc = store_audit(c, by, "approve", "project", id, NULL, json_pack("{s:s}", "approved_by", who), false, true,
                         err);
    rc = store_write_end(s, rc, err);
    store_project_release(&old);
    return rc;
}

int store_project_delete(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                         struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    struct store_project old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = project_get_in(c, org_id, id, &old, err);
    /* Its drivers hang from one another: the cascade from the project removes them all. */
    if (rc == 0)
        rc = db_run(c, err, "DELETE FROM projects WHERE id = ?", "i", id);
    if (rc == 0) {
        struct store_project_input was = as_input(&old);
        rc = store_audit(c, by, "delete", "project", id, input_json(&was), NULL, true, false, err);
    }
    rc = store_write_end(s, rc, err);
    store_project_release(&old);
    return rc;
}
