/* Purpose pulses: pulses, their statements and waves, and answers kept as counts (pulses.h says
 * what an answer leaves, and what it never does). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/secret.h"
#include "store/store_int.h"
#include "core/banned.h"

const char *const store_pulse_defaults[4] = {
    "I know our purpose",
    "I can see how my work contributes to it",
    "Our purpose guides the decisions made here",
    "I am able to make improvements happen in my area of work",
};

const char *const store_pulse_scale[STORE_PULSE_VALUES] = {
    "Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree",
};

#define SCOPE_WHERE "COALESCE(org_id, 0) = ? AND COALESCE(programme_id, 0) = ?"
#define SCOPE_ARGS(sc) ((sc).kind == STORE_SCOPE_ORG ? (sc).id : 0), ((sc).kind == STORE_SCOPE_ORG ? 0 : (sc).id)
#define PULSE_COLS "id, org_id, programme_id, title, cadence, audience, link_key, created_at"
#define WAVE_COLS                                                                                      \
    "id, pulse_id, number, opened_at, closed_at, audience, answers, no_account"

void store_pulse_release(struct store_pulse *p)
{
    free(p->title);
    free(p->cadence);
    free(p->link_key);
    for (size_t i = 0; i < p->nstatements; i++)
        free(p->statements[i].text);
    memset(p, 0, sizeof *p);
}

void store_pulse_list_release(struct store_pulse_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        store_pulse_release(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void store_pulse_wave_list_release(struct store_pulse_wave_list *l)
{
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

static int row_pulse(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_pulse *p = item;
    bool oom = false;
    p->id = db_col_i64(st, 0);
    p->scope = db_col_null(st, 1) ? (struct store_scope){STORE_SCOPE_PROGRAMME, db_col_i64(st, 2)}
                                  : (struct store_scope){STORE_SCOPE_ORG, db_col_i64(st, 1)};
    p->title = db_col_dup(st, 3, &oom);
    p->cadence = db_col_dup(st, 4, &oom);
    p->audience = db_col_i64(st, 5);
    p->link_key = db_col_dup(st, 6, &oom);
    p->created_at = db_col_i64(st, 7);
    if (oom) {
        store_pulse_release(p);
        return store_oom(err);
    }
    return 0;
}

static int row_wave(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    struct store_pulse_wave *w = item;
    w->id = db_col_i64(st, 0);
    w->pulse_id = db_col_i64(st, 1);
    w->number = (int)db_col_i64(st, 2);
    w->opened_at = db_col_i64(st, 3);
    w->closed_at = db_col_i64(st, 4);
    w->audience = db_col_i64(st, 5);
    w->answers = db_col_i64(st, 6);
    w->no_account = db_col_i64(st, 7);
    time_t t = (time_t)w->opened_at;
    struct tm tm;
    if (gmtime_r(&t, &tm))
        strftime(w->day, sizeof w->day, "%Y-%m-%d", &tm);
    return 0;
}

struct stmt_row {
    int64_t pulse_id, id;
    char *text;
};

static int row_stmt(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct stmt_row *r = item;
    bool oom = false;
    r->pulse_id = db_col_i64(st, 0);
    r->id = db_col_i64(st, 1);
    r->text = db_col_dup(st, 2, &oom);
    return oom ? store_oom(err) : 0;
}

/* Gives each pulse of ps[0..n) its statements, read in one statement. */
static int attach_statements(struct store *s, struct store_pulse *ps, size_t n, struct store_scope *scope,
                             int64_t one, struct purpose_err *err)
{
    struct stmt_row *rows = NULL;
    size_t nr = 0;
    int rc = scope ? store_list(s, (void **)&rows, &nr, sizeof *rows, row_stmt, err,
                                "SELECT t.pulse_id, t.id, t.text FROM pulse_statements t JOIN pulses p ON p.id = t.pulse_id "
                                "WHERE COALESCE(p.org_id, 0) = ? AND COALESCE(p.programme_id, 0) = ? "
                                "ORDER BY t.pulse_id, t.position",
                                "ii", SCOPE_ARGS(*scope))
                   : store_list(s, (void **)&rows, &nr, sizeof *rows, row_stmt, err,
                                "SELECT pulse_id, id, text FROM pulse_statements WHERE pulse_id = ? ORDER BY position",
                                "i", one);
    for (size_t i = 0; i < nr; i++) {
        struct store_pulse *p = NULL;
        for (size_t j = 0; j < n && !p; j++)
            if (ps[j].id == rows[i].pulse_id)
                p = &ps[j];
        if (rc == 0 && p && p->nstatements < STORE_PULSE_STATEMENTS_MAX) {
            p->statements[p->nstatements].id = rows[i].id;
            p->statements[p->nstatements++].text = rows[i].text;
        } else {
            free(rows[i].text);
        }
    }
    free(rows);
    return rc;
}

static int pulse_check(const struct store_pulse_input *in, struct purpose_err *err)
{
    if (store_check_text("title", in->title, STORE_TITLE_MAX, true, err) < 0)
        return -1;
    const char *c = in->cadence && in->cadence[0] ? in->cadence : "monthly";
    if (strcmp(c, "monthly") != 0 && strcmp(c, "quarterly") != 0 && strcmp(c, "weekly") != 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "cadence", "cadence: must be monthly, quarterly or weekly");
    if (in->audience < 1 || in->audience > STORE_PULSE_AUDIENCE_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "audience",
                            "audience: give the number of people it is sent to, 1 to %d", STORE_PULSE_AUDIENCE_MAX);
    if (in->nstatements < STORE_PULSE_STATEMENTS_MIN || in->nstatements > STORE_PULSE_STATEMENTS_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "statements", "statements: a pulse has %d to %d statements, not %zu",
                            STORE_PULSE_STATEMENTS_MIN, STORE_PULSE_STATEMENTS_MAX, in->nstatements);
    for (size_t i = 0; i < in->nstatements; i++) {
        char field[40];
        snprintf(field, sizeof field, "statement%zu", i + 1);
        if (store_check_text(field, in->statements[i], STORE_PULSE_STATEMENT_MAX, true, err) < 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(in->statements[i], in->statements[j]) == 0)
                return purpose_errk(err, PURPOSE_ERR_INPUT, field, "%s: the same as statement %zu", field, j + 1);
    }
    return 0;
}

int store_pulse_add(struct store *s, const struct store_actor *by, struct store_scope scope,
                    const struct store_pulse_input *in, int64_t *id, struct purpose_err *err)
{
    if (pulse_check(in, err) < 0)
        return -1;
    const char *cadence = in->cadence && in->cadence[0] ? in->cadence : "monthly";
    char link[SECRET_TOKEN_LEN + 1];
    secret_random_token(link);
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t new_id = 0;
    bool org = scope.kind == STORE_SCOPE_ORG;
    int rc = db_run_i64(c, &new_id, err,
                        "INSERT INTO pulses(org_id, programme_id, title, cadence, audience, link_key, created_at) "
                        "VALUES(NULLIF(?,0),NULLIF(?,0),?,?,?,?,?) RETURNING id",
                        "iittiti", org ? scope.id : 0, org ? 0 : scope.id, in->title, cadence, in->audience, link,
                        (int64_t)time(NULL));
    json_t *texts = json_array();
    for (size_t i = 0; rc == 0 && i < in->nstatements; i++) {
        rc = db_run(c, err, "INSERT INTO pulse_statements(pulse_id, position, text) VALUES(?,?,?)", "int", new_id,
                    (int)i, in->statements[i]);
        if (texts && json_array_append_new(texts, json_string(in->statements[i])) < 0) {
            json_decref(texts);
            texts = NULL;
        }
    }
    if (rc == 0)
        rc = store_audit(c, by, "create", "pulse", new_id, NULL,
                         texts ? json_pack("{s:s, s:s, s:I, s:O}", "title", in->title, "cadence", cadence, "audience",
                                           (json_int_t)in->audience, "statements", texts)
                               : NULL,
                         false, true, err);
    json_decref(texts);
    rc = store_write_end(s, rc, err);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_pulse_get(struct store *s, struct store_scope scope, int64_t id, struct store_pulse *out,
                    struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = store_get(s, out, row_pulse, "pulse", err, "SELECT " PULSE_COLS " FROM pulses WHERE id = ? AND " SCOPE_WHERE,
                       "iii", id, SCOPE_ARGS(scope));
    if (rc == 0 && attach_statements(s, out, 1, NULL, id, err) < 0) {
        store_pulse_release(out);
        return -1;
    }
    return rc;
}

int store_pulse_find(struct store *s, int64_t id, struct store_pulse *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = store_get(s, out, row_pulse, "pulse", err, "SELECT " PULSE_COLS " FROM pulses WHERE id = ?", "i", id);
    if (rc == 0 && attach_statements(s, out, 1, NULL, id, err) < 0) {
        store_pulse_release(out);
        return -1;
    }
    return rc;
}

int store_pulse_list(struct store *s, struct store_scope scope, struct store_pulse_list *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_pulse, err,
                        "SELECT " PULSE_COLS " FROM pulses WHERE " SCOPE_WHERE " ORDER BY id", "ii", SCOPE_ARGS(scope));
    if (rc == 0)
        rc = attach_statements(s, out->items, out->n, &scope, 0, err);
    if (rc < 0)
        store_pulse_list_release(out);
    return rc;
}

int store_pulse_waves(struct store *s, int64_t pulse_id, struct store_pulse_wave_list *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_wave, err,
                        "SELECT " WAVE_COLS " FROM pulse_waves WHERE pulse_id = ? ORDER BY number", "i", pulse_id);
    if (rc < 0)
        store_pulse_wave_list_release(out);
    return rc;
}

/* The pulse's audience if it is of scope, in c's transaction; NOT_FOUND otherwise. */
static int pulse_in_scope(struct db_conn *c, struct store_scope scope, int64_t pulse_id, int64_t *audience,
                          struct purpose_err *err)
{
    *audience = 0;
    if (db_run_i64(c, audience, err, "SELECT audience FROM pulses WHERE id = ? AND " SCOPE_WHERE, "iii", pulse_id,
                   SCOPE_ARGS(scope)) < 0)
        return -1;
    return *audience ? 0 : store_not_found(err, "pulse");
}

/* The pulse's next wave (numbered after the last), in c's transaction; a conflict while one is open. */
static int wave_insert(struct db_conn *c, int64_t pulse_id, int64_t opened_at, int64_t closed_at, int64_t audience,
                       int64_t answers, int64_t no_account, int64_t *number, int64_t *id, struct purpose_err *err)
{
    int64_t open = 0;
    int rc = db_run_i64(c, &open, err, "SELECT COUNT(*) FROM pulse_waves WHERE pulse_id = ? AND closed_at = 0", "i",
                        pulse_id);
    if (rc == 0 && open)
        rc = purpose_errk(err, PURPOSE_ERR_CONFLICT, "wave", "wave: close the open wave before opening the next");
    if (rc == 0)
        rc = db_run_i64(c, number, err, "SELECT COALESCE(MAX(number), 0) + 1 FROM pulse_waves WHERE pulse_id = ?", "i",
                        pulse_id);
    if (rc == 0)
        rc = db_run_i64(c, id, err,
                        "INSERT INTO pulse_waves(pulse_id, number, opened_at, closed_at, audience, answers, no_account) "
                        "VALUES(?,?,?,?,?,?,?) RETURNING id",
                        "iiiiiii", pulse_id, *number, opened_at, closed_at, audience, answers, no_account);
    return rc;
}

int store_pulse_open(struct store *s, const struct store_actor *by, struct store_scope scope, int64_t pulse_id,
                     int64_t audience, int64_t now, int64_t *wave_id, struct purpose_err *err)
{
    if (audience < 0 || audience > STORE_PULSE_AUDIENCE_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "audience", "audience: 1 to %d people, or blank for the pulse's",
                            STORE_PULSE_AUDIENCE_MAX);
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t dflt = 0, number = 0, id = 0;
    int rc = pulse_in_scope(c, scope, pulse_id, &dflt, err);
    if (rc == 0)
        rc = wave_insert(c, pulse_id, now, 0, audience ? audience : dflt, 0, 0, &number, &id, err);
    /* Every count the wave can have, made now at 0: answers then only add to rows made before any
     * of them, so no row is made in the order people answer (the first answer's values and groups
     * would otherwise be the first rows made; docs/privacy.md, "Pulses"). */
    for (size_t g = 0; rc == 0 && (g == 0 || store_groups[g - 1][0]); g++)
        rc = db_run(c, err,
                    "INSERT INTO pulse_counts(wave_id, statement_id, grp, value, n) "
                    "SELECT CAST(? AS BIGINT), s.id, CAST(? AS TEXT), v.value, 0 FROM pulse_statements s, (SELECT 1 AS value "
                    "UNION ALL SELECT 2 "
                    "UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5) v WHERE s.pulse_id = ? "
                    "ORDER BY s.id, v.value",
                    "iti", id, g ? store_groups[g - 1][0] : "", pulse_id);
    if (rc == 0)
        rc = store_audit(c, by, "open", "pulse", pulse_id, NULL,
                         json_pack("{s:I, s:I, s:I}", "wave", (json_int_t)number, "wave_id", (json_int_t)id, "audience",
                                   (json_int_t)(audience ? audience : dflt)),
                         false, true, err);
    rc = store_write_end(s, rc, err);
    if (rc == 0 && wave_id)
        *wave_id = id;
    return rc;
}

static int close_wave(struct store *s, const struct store_actor *by, struct store_scope scope, int64_t pulse_id,
                      int64_t now, struct purpose_err *err)
{
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t dflt = 0, id = 0, answers = 0;
    int rc = pulse_in_scope(c, scope, pulse_id, &dflt, err);
    if (rc == 0)
        rc = db_run_i64(c, &id, err, "SELECT id FROM pulse_waves WHERE pulse_id = ? AND closed_at = 0", "i", pulse_id);
    if (rc == 0 && !id)
        rc = purpose_errk(err, PURPOSE_ERR_CONFLICT, "wave", "wave: this pulse has no open wave to close");
    if (rc == 0)
        rc = db_run_i64(c, &answers, err, "SELECT answers FROM pulse_waves WHERE id = ?", "i", id);
    /* A wave closed at the second it opened still reads as closed (closed_at > 0). */
    if (rc == 0)
        rc = db_run(c, err, "UPDATE pulse_waves SET closed_at = ? WHERE id = ?", "ii", now > 0 ? now : 1, id);
    if (rc == 0) /* who answered is kept only while the wave is open */
        rc = db_run(c, err, "DELETE FROM pulse_tokens WHERE wave_id = ?", "i", id);
    if (rc == 0)
        rc = store_audit(c, by, "close", "pulse", pulse_id, NULL,
                         json_pack("{s:I, s:I}", "wave_id", (json_int_t)id, "answers", (json_int_t)answers), false,
                         true, err);
    return store_write_end(s, rc, err);
}

int store_pulse_close(struct store *s, const struct store_actor *by, struct store_scope scope, int64_t pulse_id,
                      int64_t now, struct purpose_err *err)
{
    /* The close and the points of the measures that follow the pulse, together or not at all. */
    if (store_tx_begin(s, err) < 0)
        return -1;
    int rc = close_wave(s, by, scope, pulse_id, now, err);
    struct store_pulse p;
    if (rc == 0 && (rc = store_pulse_get(s, scope, pulse_id, &p, err)) == 0) {
        rc = store_pulse_refresh(s, by, &p, err);
        store_pulse_release(&p);
    }
    struct purpose_err end = {0};
    if (store_tx_end(s, rc == 0, rc == 0 ? err : &end) < 0)
        return -1;
    return rc;
}

/* The person's token for the wave: the only form in which who answered reaches the database. */
static void pulse_token(const struct store *s, int64_t wave_id, int64_t account, const char *secret,
                        char out[SECRET_HEX_LEN + 1])
{
    char msg[160];
    if (account)
        snprintf(msg, sizeof msg, "pulse:%lld:account:%lld", (long long)wave_id, (long long)account);
    else
        snprintf(msg, sizeof msg, "pulse:%lld:%s", (long long)wave_id, secret);
    secret_keyed_hash(s->key, msg, out);
    secret_random_bytes((unsigned char *)msg, sizeof msg); /* leave no copy of the secret behind */
}

/* Checks an answer against the pulse's statements before anything is written. */
static int answer_check(const struct store_pulse *p, const struct store_pulse_answer *a, struct purpose_err *err)
{
    if (!a->account && store_check_contributor(a->secret, err) < 0)
        return -1;
    if (a->ngroups > STORE_GROUPS_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "group", "group: choose at most %d groups", STORE_GROUPS_MAX);
    for (size_t i = 0; i < a->ngroups; i++) {
        if (!a->groups[i] || !store_group_label(a->groups[i]))
            return purpose_errk(err, PURPOSE_ERR_INPUT, "group", "group: \"%.40s\" is not one of the groups",
                                a->groups[i] ? a->groups[i] : "");
        for (size_t j = 0; j < i; j++)
            if (strcmp(a->groups[i], a->groups[j]) == 0)
                return purpose_errk(err, PURPOSE_ERR_INPUT, "group", "group: \"%s\" given twice", a->groups[i]);
    }
    for (size_t i = 0; i < a->nvalues; i++) {
        bool known = false;
        for (size_t k = 0; k < p->nstatements; k++)
            known |= p->statements[k].id == a->values[i].statement_id;
        if (!known)
            return purpose_errk(err, PURPOSE_ERR_INPUT, "statement", "statement: %lld is not a statement of this pulse",
                                (long long)a->values[i].statement_id);
    }
    for (size_t k = 0; k < p->nstatements; k++) {
        char field[32];
        snprintf(field, sizeof field, "s%lld", (long long)p->statements[k].id);
        size_t seen = 0;
        int v = 0;
        for (size_t i = 0; i < a->nvalues; i++)
            if (a->values[i].statement_id == p->statements[k].id) {
                seen++;
                v = a->values[i].value;
            }
        if (seen == 0)
            return purpose_errk(err, PURPOSE_ERR_INPUT, field, "%s: choose an answer for \"%s\"", field,
                                p->statements[k].text);
        if (seen > 1)
            return purpose_errk(err, PURPOSE_ERR_INPUT, field, "%s: answered more than once", field);
        if (v < 1 || v > STORE_PULSE_VALUES)
            return purpose_errk(err, PURPOSE_ERR_INPUT, field, "%s: an answer is 1 (strongly disagree) to 5 (strongly agree)",
                                field);
    }
    return 0;
}

static int count_add(struct db_conn *c, int64_t wave, int64_t statement, const char *grp, int value, int64_t n,
                     struct purpose_err *err)
{
    return db_run(c, err,
                  "INSERT INTO pulse_counts(wave_id, statement_id, grp, value, n) VALUES(?,?,?,?,?) "
                  "ON CONFLICT(wave_id, statement_id, grp, value) DO UPDATE SET n = pulse_counts.n + excluded.n",
                  "iitni", wave, statement, grp, value, n);
}

int store_pulse_answer(struct store *s, int64_t pulse_id, const struct store_pulse_answer *a, struct purpose_err *err)
{
    struct store_pulse p;
    if (store_pulse_find(s, pulse_id, &p, err) < 0)
        return -1;
    int rc = answer_check(&p, a, err);
    struct db_conn *c = NULL;
    if (rc == 0)
        rc = store_write(s, &c, err);
    if (rc < 0) {
        store_pulse_release(&p);
        return -1;
    }
    int64_t open = 0;
    rc = db_run_i64(c, &open, err, "SELECT id FROM pulse_waves WHERE id = ? AND pulse_id = ? AND closed_at = 0", "ii",
                    a->wave_id, pulse_id);
    if (rc == 0 && !open)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "wave", "wave: this wave of the pulse has closed and takes no more answers");
    char token[SECRET_HEX_LEN + 1];
    int64_t added = 0;
    if (rc == 0) {
        pulse_token(s, a->wave_id, a->account, a->secret, token);
        rc = db_run_i64(c, &added, err,
                        "INSERT INTO pulse_tokens(wave_id, token) VALUES(?,?) ON CONFLICT(wave_id, token) DO NOTHING "
                        "RETURNING 1",
                        "it", a->wave_id, token);
    }
    if (rc == 0 && !added)
        rc = purpose_errk(err, PURPOSE_ERR_CONFLICT, "wave", "wave: you have already answered this wave");
    for (size_t i = 0; rc == 0 && i < a->nvalues; i++) {
        rc = count_add(c, a->wave_id, a->values[i].statement_id, "", a->values[i].value, 1, err);
        for (size_t g = 0; rc == 0 && g < a->ngroups; g++)
            rc = count_add(c, a->wave_id, a->values[i].statement_id, a->groups[g], a->values[i].value, 1, err);
    }
    /* No audit row and no arrival count: the wave's answers are the count, and an audit row's time
     * would tie an answer to a sign-in. */
    if (rc == 0)
        rc = db_run(c, err, "UPDATE pulse_waves SET answers = answers + 1, no_account = no_account + ? WHERE id = ?", "ii",
                    (int64_t)(a->account == 0), a->wave_id);
    if (rc == 0)
        rc = store_topic_bump(c, STORE_TOPIC_PULSES, pulse_id, err);
    store_pulse_release(&p);
    return store_write_end(s, rc, err);
}

int store_pulse_answered(struct store *s, int64_t wave_id, int64_t account, const char *secret, bool *out,
                         struct purpose_err *err)
{
    *out = false;
    if (!account && (!secret || !secret[0]))
        return 0;
    char token[SECRET_HEX_LEN + 1];
    pulse_token(s, wave_id, account, secret, token);
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    int64_t n = 0;
    int rc = db_run_i64(c, &n, err, "SELECT COUNT(*) FROM pulse_tokens WHERE wave_id = ? AND token = ?", "it", wave_id,
                        token);
    store_read_end(s, c);
    *out = n > 0;
    return rc;
}

int store_pulse_load_wave(struct store *s, const struct store_actor *by, struct store_scope scope, int64_t pulse_id,
                          int64_t opened_at, int64_t closed_at, int64_t audience, int64_t no_account,
                          const char *const *groups, size_t ngroups, const int64_t *counts, struct purpose_err *err)
{
    struct store_pulse p;
    if (store_pulse_get(s, scope, pulse_id, &p, err) < 0)
        return -1;
    int rc = closed_at > opened_at ? 0
                                   : purpose_errk(err, PURPOSE_ERR_INPUT, "closed_at", "closed_at: must be after it opened");
    for (size_t g = 0; rc == 0 && g < ngroups; g++)
        if (g ? !store_group_label(groups[g]) : groups[0][0] != '\0')
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, "group", "group: \"%.40s\" is not one of the groups", groups[g]);
    int64_t answers = 0;
    for (int v = 0; rc == 0 && v < STORE_PULSE_VALUES; v++)
        answers += counts[v]; /* everyone's answers to the first statement */
    struct db_conn *c = NULL;
    if (rc == 0)
        rc = store_write(s, &c, err);
    if (rc < 0) {
        store_pulse_release(&p);
        return -1;
    }
    int64_t number = 0, id = 0;
    rc = wave_insert(c, pulse_id, opened_at, closed_at, audience ? audience : p.audience, answers, no_account, &number,
                     &id, err);
    for (size_t st = 0; rc == 0 && st < p.nstatements; st++)
        for (size_t g = 0; rc == 0 && g < ngroups; g++)
            for (int v = 0; rc == 0 && v < STORE_PULSE_VALUES; v++) {
                int64_t n = counts[(st * ngroups + g) * STORE_PULSE_VALUES + (size_t)v];
                if (n > 0)
                    rc = count_add(c, id, p.statements[st].id, groups[g], v + 1, n, err);
            }
    if (rc == 0)
        rc = store_audit(c, by, "load", "pulse", pulse_id, NULL,
                         json_pack("{s:I, s:I}", "wave_id", (json_int_t)id, "answers", (json_int_t)answers), false, true,
                         err);
    store_pulse_release(&p);
    return store_write_end(s, rc, err);
}
