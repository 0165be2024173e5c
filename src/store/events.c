/* Engagement events of a conversation and their outputs (events.h). An output is a contribution
 * row like any other (so results, exports and counts take it in), published, with no user id and
 * no name, and a row in event_outputs naming its event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/secret.h"
#include "store/store_int.h"
#include "core/banned.h"

const char *const store_event_formats[][2] = {
    {"workshop", "Workshop"},
    {"listening", "Listening event"},
    {"huddle", "Staff huddle"},
    {"online", "Online session"},
    {"drop-in", "Drop-in"},
    {"other", "Another kind of event"},
    {NULL, NULL},
};

const char *store_event_format_label(const char *code)
{
    for (size_t i = 0; code && store_event_formats[i][0]; i++)
        if (strcmp(store_event_formats[i][0], code) == 0)
            return store_event_formats[i][1];
    return NULL;
}

void store_event_release(struct store_event *e)
{
    free(e->title);
    free(e->format);
    free(e->place);
    free(e->notes);
    free(e->attendance);
    memset(e, 0, sizeof *e);
}

void store_event_list_release(struct store_event_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        store_event_release(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void store_events_heard_release(struct store_events_heard *h)
{
    free(h->groups);
    memset(h, 0, sizeof *h);
}

/* The static code and label of a group code, or false. */
static bool group_static(const char *code, const char **c, const char **label)
{
    for (size_t i = 0; code && store_groups[i][0]; i++)
        if (strcmp(store_groups[i][0], code) == 0) {
            *c = store_groups[i][0];
            *label = store_groups[i][1];
            return true;
        }
    return false;
}

static int event_check(const struct store_event_input *in, struct purpose_err *err)
{
    if (store_check_text("title", in->title, STORE_TITLE_MAX, true, err) < 0 ||
        store_check_text("place", in->place, STORE_TITLE_MAX, true, err) < 0 ||
        store_check_text("notes", in->notes ? in->notes : "", STORE_TEXT_MAX, false, err) < 0)
        return -1;
    if (!store_event_format_label(in->format))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "format",
                            "format: must be workshop, listening, huddle, online, drop-in or other");
    if (in->held_on <= 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "held_on", "held_on: give the date it was held");
    if (in->attendees < 0 || in->attendees > STORE_EVENT_ATTENDANCE_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "attendees", "attendees: give a number from 0 to %d",
                            STORE_EVENT_ATTENDANCE_MAX);
    for (size_t i = 0; i < in->nattendance; i++) {
        const struct store_attendance *a = &in->attendance[i];
        const char *code, *label;
        if (!group_static(a->code, &code, &label))
            return purpose_errk(err, PURPOSE_ERR_INPUT, "attendance", "attendance: \"%.40s\" is not one of the groups",
                                a->code ? a->code : "");
        if (a->count < 0 || a->count > in->attendees)
            return purpose_errk(err, PURPOSE_ERR_INPUT, "attendance",
                                "attendance: %s: give a number from 0 to the %lld who attended", label,
                                (long long)in->attendees);
        for (size_t j = 0; j < i; j++)
            if (strcmp(in->attendance[j].code, a->code) == 0)
                return purpose_errk(err, PURPOSE_ERR_INPUT, "attendance", "attendance: %s is given twice", label);
    }
    return 0;
}

static json_t *event_json(const struct store_event_input *in, int64_t campaign_id)
{
    json_t *att = json_object();
    for (size_t i = 0; att && i < in->nattendance; i++)
        if (in->attendance[i].count > 0 &&
            json_object_set_new(att, in->attendance[i].code, json_integer((json_int_t)in->attendance[i].count)) < 0) {
            json_decref(att);
            att = NULL;
        }
    if (!att)
        return NULL;
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:o}", "campaign_id", (json_int_t)campaign_id, "title",
                     in->title, "format", in->format, "place", in->place, "notes", in->notes ? in->notes : "",
                     "held_on", (json_int_t)in->held_on, "attendees", (json_int_t)in->attendees, "attendance", att);
}

static int write_attendance(struct db_conn *c, int64_t id, const struct store_event_input *in, struct purpose_err *err)
{
    int rc = db_run(c, err, "DELETE FROM event_attendance WHERE event_id = ?", "i", id);
    for (size_t i = 0; rc == 0 && i < in->nattendance; i++)
        if (in->attendance[i].count > 0)
            rc = db_run(c, err, "INSERT INTO event_attendance(event_id, grp, attended) VALUES(?,?,?)", "iti", id,
                        in->attendance[i].code, in->attendance[i].count);
    return rc;
}

#define SCOPE_WHERE "COALESCE(k.org_id, 0) = ? AND COALESCE(k.programme_id, 0) = ?"
#define SCOPE_ARGS(sc) STORE_SCOPE_ORG_ID(sc), STORE_SCOPE_PROGRAMME_ID(sc)

int store_event_add(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t campaign_id,
                    const struct store_event_input *in, int64_t *id, struct purpose_err *err)
{
    if (event_check(in, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t ok = 0, new_id = 0;
    int rc = db_run_i64(c, &ok, err, "SELECT 1 FROM campaigns k WHERE k.id = ? AND " SCOPE_WHERE, "iii", campaign_id,
                        SCOPE_ARGS(scope));
    if (rc == 0 && !ok)
        rc = store_not_found(err, "campaign");
    if (rc == 0)
        rc = db_run_i64(c, &new_id, err,
                        "INSERT INTO engagement_events(campaign_id, title, format, place, notes, held_on, attendees, "
                        "created_at) VALUES(?,?,?,?,?,?,?,?) RETURNING id",
                        "ittttiii", campaign_id, in->title, in->format, in->place, in->notes ? in->notes : "",
                        in->held_on - in->held_on % 86400, in->attendees, (int64_t)time(NULL));
    if (rc == 0)
        rc = write_attendance(c, new_id, in, err);
    if (rc == 0)
        rc = store_audit(c, by, "create", "event", new_id, NULL, event_json(in, campaign_id), false, true, err);
    rc = store_write_end(s, rc, err);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

#define EVENT_COLS                                                                                       \
    "e.id, e.campaign_id, e.title, e.format, e.place, e.notes, e.held_on, e.attendees, "                  \
    "(SELECT COUNT(*) FROM event_outputs o JOIN contributions c ON c.id = o.contribution_id "             \
    "WHERE o.event_id = e.id AND c.state = 'published')"

static int row_event(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_event *e = item;
    bool oom = false;
    e->id = db_col_i64(st, 0);
    e->campaign_id = db_col_i64(st, 1);
    e->title = db_col_dup(st, 2, &oom);
    e->format = db_col_dup(st, 3, &oom);
    e->place = db_col_dup(st, 4, &oom);
    e->notes = db_col_dup(st, 5, &oom);
    e->held_on = db_col_i64(st, 6);
    e->attendees = db_col_i64(st, 7);
    e->outputs = db_col_i64(st, 8);
    if (oom) {
        store_event_release(e);
        return store_oom(err);
    }
    return 0;
}

struct att_row {
    int64_t event_id;
    const char *code, *label;
    int64_t count;
};

static int row_att(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    struct att_row *a = item;
    a->event_id = db_col_i64(st, 0);
    if (!group_static(db_col_text(st, 1), &a->code, &a->label))
        a->code = a->label = NULL; /* a group no longer offered: left out */
    a->count = db_col_i64(st, 2);
    return 0;
}

static int group_rank(const char *code)
{
    for (int i = 0; store_groups[i][0]; i++)
        if (strcmp(store_groups[i][0], code) == 0)
            return i;
    return 1 << 20;
}

static int by_group(const void *a, const void *b)
{
    return group_rank(((const struct store_attendance *)a)->code) -
           group_rank(((const struct store_attendance *)b)->code);
}

/* Fills the attendance of each event in events[0..n) from the rows of the conversation's events. */
static int attach_attendance(struct store *s, int64_t campaign_id, struct store_event *events, size_t n,
                             struct purpose_err *err)
{
    struct att_row *rows = NULL;
    size_t nrows = 0;
    int rc = store_list(s, (void **)&rows, &nrows, sizeof *rows, row_att, err,
                        "SELECT a.event_id, a.grp, a.attended FROM event_attendance a JOIN engagement_events e "
                        "ON e.id = a.event_id WHERE e.campaign_id = ?",
                        "i", campaign_id);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct store_event *e = &events[i];
        size_t k = 0;
        for (size_t j = 0; j < nrows; j++)
            k += rows[j].event_id == e->id && rows[j].code;
        if (k && !(e->attendance = calloc(k, sizeof *e->attendance))) {
            rc = store_oom(err);
            break;
        }
        for (size_t j = 0; j < nrows; j++)
            if (rows[j].event_id == e->id && rows[j].code)
                e->attendance[e->nattendance++] =
                    (struct store_attendance){rows[j].code, rows[j].label, rows[j].count};
        if (e->nattendance > 1)
            qsort(e->attendance, e->nattendance, sizeof *e->attendance, by_group);
    }
    free(rows);
    return rc;
}

int store_event_get(struct store *s, const struct store_scope *scope, int64_t id, struct store_event *out,
                    struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    if (store_get(s, out, row_event, "event", err,
                  "SELECT " EVENT_COLS " FROM engagement_events e JOIN campaigns k ON k.id = e.campaign_id "
                  "WHERE e.id = ? AND " SCOPE_WHERE,
                  "iii", id, SCOPE_ARGS(scope)) < 0)
        return -1;
    if (attach_attendance(s, out->campaign_id, out, 1, err) < 0) {
        store_event_release(out);
        return -1;
    }
    return 0;
}

int store_event_list(struct store *s, const struct store_scope *scope, int64_t campaign_id, struct store_event_list *out,
                     struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_event, err,
                        "SELECT " EVENT_COLS " FROM engagement_events e WHERE e.campaign_id = " STORE_CAMPAIGN_OF
                        " ORDER BY e.held_on, e.id", "ii", campaign_id, STORE_SCOPE_KEY(scope));
    if (rc == 0)
        rc = attach_attendance(s, campaign_id, out->items, out->n, err);
    if (rc < 0)
        store_event_list_release(out);
    return rc;
}

/* The event's conversation, and its title before the change, inside c's transaction (NOT_FOUND
 * outside scope). */
static int event_owner(struct db_conn *c, const struct store_scope *scope, int64_t id, struct store_event *old,
                       struct purpose_err *err)
{
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err,
                      "SELECT " EVENT_COLS " FROM engagement_events e JOIN campaigns k ON k.id = e.campaign_id "
                      "WHERE e.id = ? AND " SCOPE_WHERE,
                      "iii", id, SCOPE_ARGS(scope));
    return store_read_one(st, rc, old, row_event, "event", err);
}

static json_t *old_json(const struct store_event *e)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:I, s:I}", "campaign_id", (json_int_t)e->campaign_id, "title", e->title,
                     "format", e->format, "place", e->place, "held_on", (json_int_t)e->held_on, "attendees",
                     (json_int_t)e->attendees);
}

int store_event_update(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                       const struct store_event_input *in, struct purpose_err *err)
{
    if (event_check(in, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    struct store_event old = {0};
    int rc = event_owner(c, scope, id, &old, err);
    if (rc == 0)
        rc = db_run(c, err,
                    "UPDATE engagement_events SET title = ?, format = ?, place = ?, notes = ?, held_on = ?, "
                    "attendees = ? WHERE id = ?",
                    "ttttiii", in->title, in->format, in->place, in->notes ? in->notes : "",
                    in->held_on - in->held_on % 86400, in->attendees, id);
    if (rc == 0)
        rc = write_attendance(c, id, in, err);
    if (rc == 0) /* its outputs say "from" the event by name */
        rc = db_run(c, err,
                    "UPDATE contributions SET event = ? WHERE id IN (SELECT contribution_id FROM event_outputs "
                    "WHERE event_id = ?)",
                    "ti", in->title, id);
    if (rc == 0)
        rc = store_audit(c, by, "update", "event", id, old_json(&old), event_json(in, old.campaign_id), true, true,
                         err);
    store_event_release(&old);
    return store_write_end(s, rc, err);
}

static int row_id(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    *(int64_t *)item = db_col_i64(st, 0);
    return 0;
}

int store_event_delete(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                       struct purpose_err *err)
{
    static const char *const reason = "Its event was deleted";
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    struct store_event old = {0};
    int rc = event_owner(c, scope, id, &old, err);
    int64_t *ids = NULL;
    size_t n = 0;
    if (rc == 0) {
        struct db_stmt *st = NULL;
        /* Outputs are published when entered, so they are never queued; hidden ones stay as they are. */
        rc = db_query(c, &st, err,
                      "SELECT c.id FROM event_outputs o JOIN contributions c ON c.id = o.contribution_id "
                      "WHERE o.event_id = ? AND c.state = 'published' ORDER BY c.created_at, c.id",
                      "i", id);
        rc = store_read_all(st, rc, (void **)&ids, &n, sizeof *ids, row_id, err);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = db_run(c, err, "UPDATE contributions SET state = 'hidden', reason = ? WHERE id = ?", "ti", reason,
                    ids[i]);
        if (rc == 0)
            rc = store_audit(c, by, "hide", "contribution", ids[i], json_pack("{s:s}", "state", "published"),
                             json_pack("{s:s, s:s}", "state", "hidden", "reason", reason), true, true, err);
    }
    free(ids);
    if (rc == 0)
        rc = db_run(c, err, "DELETE FROM event_outputs WHERE event_id = ?", "i", id);
    if (rc == 0)
        rc = db_run(c, err, "DELETE FROM event_attendance WHERE event_id = ?", "i", id);
    if (rc == 0)
        rc = db_run(c, err, "DELETE FROM engagement_events WHERE id = ?", "i", id);
    if (rc == 0)
        rc = store_audit(c, by, "delete", "event", id, old_json(&old), NULL, true, false, err);
    store_event_release(&old);
    return store_write_end(s, rc, err);
}

int store_event_output_add(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                           int64_t parent_id, const char *body, const char *theme, int64_t *out_id,
                           struct purpose_err *err)
{
    if (!theme)
        theme = "";
    if (store_check_text("body", body, STORE_CONTRIBUTION_MAX, true, err) < 0 ||
        store_check_text("theme", theme, STORE_TITLE_MAX, false, err) < 0)
        return -1;
    if (parent_id < 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "parent_id", "parent_id: no published idea %lld here",
                            (long long)parent_id);
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    struct store_event e = {0};
    int rc = event_owner(c, scope, id, &e, err);
    if (rc == 0 && parent_id) {
        int64_t ok = 0;
        rc = db_run_i64(c, &ok, err,
                        "SELECT 1 FROM contributions WHERE id = ? AND campaign_id = ? AND kind = 'idea' "
                        "AND state = 'published'",
                        "ii", parent_id, e.campaign_id);
        if (rc == 0 && !ok)
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, "parent_id", "parent_id: no published idea %lld here",
                              (long long)parent_id);
    }
    /* Nobody holds a secret for it, so nobody can withdraw it as theirs: its owner is a keyed hash of
     * a random token that is not kept. */
    char tok[SECRET_TOKEN_LEN + 1], msg[SECRET_TOKEN_LEN + 16], owner[SECRET_HEX_LEN + 1];
    secret_random_token(tok);
    snprintf(msg, sizeof msg, "event:%s", tok);
    secret_keyed_hash(s->key, msg, owner);
    /* A random id, as every contribution has (store_random_id). */
    int64_t new_id = 0;
    for (int tries = 0; rc == 0 && new_id == 0 && tries < 4; tries++)
        rc = db_run_i64(c, &new_id, err,
                        "INSERT INTO contributions(id, campaign_id, parent_id, kind, body, user_id, author, staff, "
                        "owner, state, reason, theme, event, created_at) "
                        "VALUES(?,?,NULLIF(CAST(? AS BIGINT),0),?,?,NULL,'',0,?,'published','',?,?,?) ON CONFLICT(id) DO NOTHING "
                        "RETURNING id",
                        "iiittttti", store_random_id(), e.campaign_id, parent_id, parent_id ? "comment" : "idea",
                        body, owner, parent_id ? "" : theme, e.title, e.held_on);
    if (rc == 0 && new_id == 0)
        rc = purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "contribution: no free id found");
    if (rc == 0)
        rc = db_run(c, err, "INSERT INTO event_outputs(contribution_id, event_id) VALUES(?,?)", "ii", new_id, id);
    if (rc == 0)
        rc = store_audit(c, by, "create", "contribution", new_id, NULL,
                         json_pack("{s:I, s:I, s:s, s:s}", "campaign_id", (json_int_t)e.campaign_id, "event_id",
                                   (json_int_t)id, "state", "published", "body", body),
                         false, true, err);
    store_event_release(&e);
    rc = store_write_end(s, rc, err);
    if (rc == 0 && out_id)
        *out_id = new_id;
    return rc;
}

int store_event_outputs(struct store *s, const struct store_scope *scope, const struct store_event *e,
                        struct store_contribution_list *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int64_t *ids = NULL;
    size_t n = 0;
    /* One read per output (by key, with its own votes) rather than the conversation's whole list: an
     * event has a handful of outputs, its conversation hundreds of ideas and thousands of votes. */
    int rc = store_list(s, (void **)&ids, &n, sizeof *ids, row_id, err,
                        "SELECT o.contribution_id FROM event_outputs o JOIN contributions c ON c.id = o.contribution_id "
                        "WHERE o.event_id = ? AND c.state = 'published' ORDER BY o.contribution_id",
                        "i", e->id);
    if (rc == 0 && n && !(out->items = calloc(n, sizeof *out->items)))
        rc = store_oom(err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = store_contribution_get(s, scope, e->campaign_id, ids[i], &out->items[out->n], err);
        if (rc == 0)
            out->n++;
    }
    free(ids);
    if (rc < 0)
        store_contribution_list_release(out);
    return rc;
}

int store_events_heard(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                       struct store_events_heard *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    struct store_event_list l;
    if (store_event_list(s, scope, campaign_id, &l, err) < 0)
        return -1;
    size_t ngroups = 0;
    while (store_groups[ngroups][0])
        ngroups++;
    if (!(out->groups = calloc(ngroups, sizeof *out->groups))) {
        store_event_list_release(&l);
        return store_oom(err);
    }
    out->events = (int64_t)l.n;
    for (size_t i = 0; i < l.n; i++) {
        out->attendees += l.items[i].attendees;
        out->outputs += l.items[i].outputs;
    }
    for (size_t g = 0; g < ngroups; g++) {
        int64_t sum = 0;
        for (size_t i = 0; i < l.n; i++)
            for (size_t k = 0; k < l.items[i].nattendance; k++)
                if (strcmp(l.items[i].attendance[k].code, store_groups[g][0]) == 0)
                    sum += l.items[i].attendance[k].count;
        if (sum)
            out->groups[out->ngroups++] = (struct store_attendance){store_groups[g][0], store_groups[g][1], sum};
    }
    store_event_list_release(&l);
    return 0;
}
