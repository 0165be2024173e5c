/* "You said, we did": a lead's response to an idea (ideas.h). The row names the idea, its
 * conversation and what became of it; it copies nothing about the idea's author (no user id, name,
 * owner hash or group mask), so an anonymous idea linked to a project stays as unlinkable as it
 * was. The decision is the lead's, audited under their name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/contributions_int.h"
#include "core/banned.h"

static const char *const response_states[][2] = {
    {"adopted", "Adopted"}, {"in_progress", "In progress"}, {"not_taken_forward", "Not taken forward"}};

const char *store_response_label(const char *state)
{
    for (size_t i = 0; i < 3; i++)
        if (state && strcmp(state, response_states[i][0]) == 0)
            return response_states[i][1];
    return "";
}

static int check_input(const struct store_response_input *in, struct purpose_err *err)
{
    const char *state = in->state ? in->state : "", *reason = in->reason ? in->reason : "";
    if (!store_response_label(state)[0])
        return purpose_errk(err, PURPOSE_ERR_INPUT, "state", "state: must be adopted, in_progress or not_taken_forward");
    bool declined = strcmp(state, "not_taken_forward") == 0, adopted = strcmp(state, "adopted") == 0;
    if (store_check_text("reason", reason, STORE_REASON_MAX, declined, err) < 0)
        return -1;
    if (in->project_id < 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "project_id", "project_id: not a project");
    if (in->statement_id < 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "statement_id", "statement_id: not a version of a statement");
    if (declined && (in->project_id || in->statement_id))
        return purpose_errk(err, PURPOSE_ERR_INPUT, in->project_id ? "project_id" : "statement_id",
                            "%s: an idea not taken forward links to nothing",
                            in->project_id ? "project_id" : "statement_id");
    if (!adopted && in->statement_id)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "statement_id",
                            "statement_id: only an adopted idea links to a version of a statement");
    if (adopted && !in->project_id && !in->statement_id)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "project_id",
                            "project_id: an adopted idea names the project it became or the statement version it shaped");
    return 0;
}

/* 1 in *ok when sql (bound with types) finds a row, inside c's transaction. */
#define EXISTS(ok, sql, ...) db_run_i64(c, ok, err, "SELECT COUNT(*) FROM (" sql ") x", __VA_ARGS__)

int store_response_set(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t campaign_id,
                       int64_t idea, const struct store_response_input *in, int64_t now, struct purpose_err *err)
{
    if (check_input(in, err) < 0)
        return -1;
    const char *reason = in->reason ? in->reason : "";
    int64_t org = STORE_SCOPE_ORG_ID(scope), prog = STORE_SCOPE_PROGRAMME_ID(scope);
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t ok = 0;
    int rc = EXISTS(&ok,
                    "SELECT 1 FROM contributions c WHERE c.id = ? AND c.campaign_id = " STORE_CAMPAIGN_OF
                    " AND c.kind = 'idea' AND c.state = 'published'",
                    "iii", idea, campaign_id, STORE_SCOPE_KEY(scope));
    if (rc == 0 && !ok)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "idea", "idea: %lld is not a published idea of this conversation",
                          (long long)idea);
    /* An organisation's own projects; for a programme's conversation, its partners' projects that
     * name the programme. */
    if (rc == 0 && in->project_id) {
        rc = EXISTS(&ok,
                    "SELECT 1 FROM projects WHERE id = ? AND ((? <> 0 AND org_id = ?) OR (? <> 0 AND programme_id = ?))",
                    "iiiii", in->project_id, org, org, prog, prog);
        if (rc == 0 && !ok)
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, "project_id",
                              "project_id: %lld is not a project of this conversation's %s", (long long)in->project_id,
                              org ? "organisation" : "programme");
    }
    if (rc == 0 && in->statement_id) {
        rc = EXISTS(&ok, "SELECT 1 FROM statements WHERE id = ? AND COALESCE(org_id, 0) = ? AND COALESCE(programme_id, 0) = ?",
                    "iii", in->statement_id, org, prog);
        if (rc == 0 && !ok)
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, "statement_id",
                              "statement_id: %lld is not a version of this %s's vision or purpose",
                              (long long)in->statement_id, org ? "organisation" : "programme");
    }
    json_t *before = NULL;
    if (rc == 0) {
        struct db_stmt *st = NULL;
        rc = db_query(c, &st, err,
                      "SELECT state, reason, COALESCE(project_id, 0), COALESCE(statement_id, 0) FROM idea_responses"
                      " WHERE contribution_id = ?",
                      "i", idea);
        int r = rc == 0 ? db_step(st, err) : -1;
        if (r > 0)
            before = json_pack("{s:s, s:s, s:I, s:I}", "state", db_col_text(st, 0) ? db_col_text(st, 0) : "",
                               "reason", db_col_text(st, 1) ? db_col_text(st, 1) : "", "project_id",
                               (json_int_t)db_col_i64(st, 2), "statement_id", (json_int_t)db_col_i64(st, 3));
        if (st)
            db_reset(st);
        rc = r < 0 ? -1 : 0;
        if (rc == 0 && r > 0 && !before)
            rc = store_oom(err);
    }
    if (rc == 0)
        rc = db_run(c, err,
                    "INSERT INTO idea_responses(contribution_id, campaign_id, state, reason, project_id, statement_id,"
                    " responded_at) VALUES(?,?,?,?,NULLIF(?,0),NULLIF(?,0),?) ON CONFLICT(contribution_id) DO UPDATE"
                    " SET state = excluded.state, reason = excluded.reason, project_id = excluded.project_id,"
                    " statement_id = excluded.statement_id, responded_at = excluded.responded_at",
                    "iittiii", idea, campaign_id, in->state, reason, in->project_id, in->statement_id, now);
    if (rc == 0)
        rc = store_audit(c, by, "respond", "idea", idea, before,
                         json_pack("{s:I, s:s, s:s, s:I, s:I}", "campaign_id", (json_int_t)campaign_id, "state",
                                   in->state, "reason", reason, "project_id", (json_int_t)in->project_id,
                                   "statement_id", (json_int_t)in->statement_id),
                         false, true, err);
    else
        json_decref(before);
    return store_write_end(s, rc, err);
}

struct two_counts {
    int64_t responded, ideas;
};

static int row_two(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    struct two_counts *t = item;
    t->responded = db_col_i64(st, 0);
    t->ideas = db_col_i64(st, 1);
    return 0;
}

int store_response_counts(struct store *s, const struct store_scope *scope, int64_t campaign_id, int64_t *responded,
                          int64_t *ideas, struct purpose_err *err)
{
    struct two_counts t = {0};
    int rc = store_get(s, &t, row_two, "campaign", err,
                       "WITH cv(id) AS (SELECT " STORE_CAMPAIGN_OF ")"
                       " SELECT (SELECT COUNT(*) FROM idea_responses r JOIN contributions c ON c.id = r.contribution_id"
                       " WHERE r.campaign_id = (SELECT id FROM cv) AND c.state = 'published'),"
                       " (SELECT COUNT(*) FROM contributions WHERE campaign_id = (SELECT id FROM cv) AND kind = 'idea'"
                       " AND state = 'published')",
                       "ii", campaign_id, STORE_SCOPE_KEY(scope));
    *responded = t.responded;
    *ideas = t.ideas;
    return rc;
}

struct project_idea {
    int64_t id, campaign_id;
    struct store_scope scope; /* its conversation's */
    char programme[64];
};

static int row_project_idea(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    struct project_idea *p = item;
    p->id = db_col_i64(st, 0);
    p->campaign_id = db_col_i64(st, 1);
    snprintf(p->programme, sizeof p->programme, "%s", db_col_text(st, 2) ? db_col_text(st, 2) : "");
    int64_t key = db_col_i64(st, 3); /* STORE_SCOPE_OF */
    p->scope = key > 0 ? (struct store_scope){STORE_SCOPE_ORG, key} : (struct store_scope){STORE_SCOPE_PROGRAMME, -key};
    return 0;
}

#define PROJECT_IDEAS                                                                                    \
    " FROM idea_responses r JOIN contributions c ON c.id = r.contribution_id JOIN campaigns k ON k.id ="   \
    " c.campaign_id LEFT JOIN programmes p ON p.id = k.programme_id WHERE r.project_id = ? AND"            \
    " r.state IN ('adopted', 'in_progress') AND c.state = 'published'"

int store_project_ideas(struct store *s, int64_t project_id, struct store_contribution_list *out,
                        char (**programmes)[64], struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    *programmes = NULL;
    struct project_idea *rows = NULL;
    size_t n = 0;
    int rc = store_list(s, (void **)&rows, &n, sizeof *rows, row_project_idea, err,
                        "SELECT c.id, c.campaign_id, COALESCE(p.slug, ''), " STORE_SCOPE_OF("k") PROJECT_IDEAS
                        " ORDER BY r.responded_at, c.id LIMIT 500",
                        "i", project_id);
    if (rc == 0 && n && (!(out->items = calloc(n, sizeof *out->items)) || !(*programmes = calloc(n, sizeof **programmes))))
        rc = store_oom(err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = store_contribution_get(s, &rows[i].scope, rows[i].campaign_id, rows[i].id, &out->items[i], err);
        if (rc == 0) {
            memcpy((*programmes)[i], rows[i].programme, sizeof rows[i].programme);
            out->n++;
        }
    }
    free(rows);
    if (rc < 0) {
        store_contribution_list_release(out);
        free(*programmes);
        *programmes = NULL;
    }
    return rc;
}

int store_project_ideas_count(struct store *s, int64_t project_id, int64_t *n, struct purpose_err *err)
{
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    int rc = db_run_i64(c, n, err, "SELECT COUNT(*)" PROJECT_IDEAS, "i", project_id);
    store_read_end(s, c);
    return rc;
}
