/* Contributions and their moderation (votes and participant groups: votes.c). campaigns.h says what is stored about a
 * contributor, and what never is: no user id or name for an anonymous contribution, no session id,
 * nothing two of one person's anonymous contributions share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/secret.h"
#include "core/utf8.h"
#include "store/contributions_int.h"
#include "store/heard_int.h"
#include "store/opinions_int.h"
#include "core/banned.h"

static const struct store_actor anonymous_actor = {0, "anonymous"};

static const char *const state_names[] = {"queued", "published", "hidden", "withdrawn"};

const char *store_contribution_state_name(enum store_contribution_state st)
{
    return (unsigned)st < 4 ? state_names[st] : "queued";
}

static enum store_contribution_state state_parse(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (s && strcmp(s, state_names[i]) == 0)
            return (enum store_contribution_state)i;
    return CONTRIB_QUEUED;
}

void store_contribution_release(struct store_contribution *c)
{
    free(c->kind);
    free(c->body);
    free(c->author);
    free(c->reason);
    free(c->theme);
    free(c->event);
    free(c->response.reason);
    memset(c, 0, sizeof *c);
}

void store_contribution_list_release(struct store_contribution_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        store_contribution_release(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

int store_check_contributor(const char *secret, struct purpose_err *err)
{
    size_t n = secret ? strlen(secret) : 0;
    bool ok = n >= 20 && n <= 100;
    for (size_t i = 0; ok && i < n; i++) {
        char c = secret[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
    return ok ? 0 : purpose_errk(err, PURPOSE_ERR_INPUT, "contributor", "contributor: not a contributor session");
}

/* BLAKE2b(store key, domain ":" a ":" secret): the only form in which a secret reaches the database. */
void store_secret_keyed(const struct store *s, const char *domain, int64_t a, const char *secret,
                  char out[SECRET_HEX_LEN + 1])
{
    char msg[160];
    snprintf(msg, sizeof msg, "%s:%lld:%s", domain, (long long)a, secret);
    secret_keyed_hash(s->key, msg, out);
    secret_random_bytes((unsigned char *)msg, sizeof msg); /* leave no copy of the secret behind */
}

void store_voter_hash(const struct store *s, int64_t item, const char *secret, char out[SECRET_HEX_LEN + 1])
{
    store_secret_keyed(s, "vote", item, secret, out);
}

int store_row_contribution(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_contribution *c = item;
    bool oom = false;
    c->id = db_col_i64(st, 0);
    c->campaign_id = db_col_i64(st, 1);
    c->parent_id = db_col_i64(st, 2);
    c->kind = db_col_dup(st, 3, &oom);
    c->body = db_col_dup(st, 4, &oom);
    c->author = db_col_dup(st, 5, &oom);
    c->staff = db_col_i64(st, 6) != 0;
    c->state = state_parse(db_col_text(st, 7));
    c->reason = db_col_dup(st, 8, &oom);
    c->theme = db_col_dup(st, 9, &oom);
    c->event = db_col_dup(st, 10, &oom);
    c->created_at = db_col_i64(st, 11);
    c->anonymous = db_col_i64(st, 12) != 0;
    c->agree = db_col_i64(st, 13);
    c->disagree = db_col_i64(st, 14);
    c->unsure = db_col_i64(st, 15);
    c->comments = db_col_i64(st, 16);
    c->no_account = db_col_i64(st, 17);
    snprintf(c->response.state, sizeof c->response.state, "%s", db_col_text(st, 18) ? db_col_text(st, 18) : "");
    c->response.reason = db_col_dup(st, 19, &oom);
    c->response.project_id = db_col_i64(st, 20);
    c->response.statement_id = db_col_i64(st, 21);
    c->response.at = db_col_i64(st, 22);
    if (oom) {
        store_contribution_release(c);
        return store_oom(err);
    }
    return 0;
}

/* Adds dp participants to each group in the comma-separated list (contributions: heard.c). */
int store_group_tally(struct db_conn *c, int64_t campaign_id, const char *groups, int64_t dp, struct purpose_err *err)
{
    char buf[400];
    snprintf(buf, sizeof buf, "%s", groups);
    char *save = NULL;
    for (char *g = strtok_r(buf, ",", &save); g; g = strtok_r(NULL, ",", &save))
        if (db_run(c, err,
                   "INSERT INTO campaign_tally(campaign_id, grp, participants, contributions) VALUES(?,?,?,0) "
                   "ON CONFLICT(campaign_id, grp) DO UPDATE SET participants = campaign_tally.participants + "
                   "excluded.participants",
                   "iti", campaign_id, g, dp) < 0)
            return -1;
    return 0;
}

/* The participant's groups (into out), making them a participant if they are not yet one. */
int store_participant_join(struct store *s, struct db_conn *c, int64_t campaign_id, const char *secret, char *out,
                       size_t cap, bool create, struct purpose_err *err)
{
    char token[SECRET_HEX_LEN + 1];
    store_secret_keyed(s, "part", campaign_id, secret, token);
    out[0] = '\0';
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, "SELECT groups FROM participants WHERE campaign_id = ? AND token = ?", "it",
                      campaign_id, token);
    if (rc < 0)
        return -1;
    int r = db_step(st, err);
    if (r > 0)
        snprintf(out, cap, "%s", db_col_text(st, 0) ? db_col_text(st, 0) : "");
    db_reset(st);
    if (r < 0)
        return -1;
    /* Two requests of one contributor may both find no row: the second insert then does nothing,
     * rather than failing on the key (a 409 the contributor did nothing to cause). */
    if (r == 0 && create)
        return db_run(c, err,
                      "INSERT INTO participants(campaign_id, token, groups) VALUES(?,?,'')"
                      " ON CONFLICT(campaign_id, token) DO NOTHING",
                      "it", campaign_id, token);
    return 0;
}

/* The conversation campaign_id of scope (else NOT_FOUND), and whether it is open. */
int store_campaign_state(struct db_conn *c, const struct store_scope *scope, int64_t campaign_id, int64_t now,
                          bool need_open, struct store_campaign_state *cs, struct purpose_err *err)
{
    struct db_stmt *st = NULL;
    if (db_query(c, &st, err, "SELECT opens_at, closes_at, queue_public FROM campaigns WHERE id = " STORE_CAMPAIGN_OF,
                 "ii", campaign_id, STORE_SCOPE_KEY(scope)) < 0)
        return -1;
    int r = db_step(st, err);
    if (r > 0) {
        cs->opens_at = db_col_i64(st, 0);
        cs->closes_at = db_col_i64(st, 1);
        cs->queue_public = db_col_i64(st, 2) != 0;
    }
    db_reset(st);
    if (r < 0)
        return -1;
    if (r == 0)
        return store_not_found(err, "campaign");
    if (need_open && now < cs->opens_at)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "campaign", "campaign: this conversation has not opened yet");
    if (need_open && now >= cs->closes_at)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "campaign",
                            "campaign: this conversation has closed and takes no more contributions or votes");
    return 0;
}

int store_contribution_add(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                           const struct store_contribution_input *in,
                           int64_t now, int64_t *id, enum store_contribution_state *state, struct purpose_err *err)
{
    const char *event = in->event ? in->event : "";
    if (store_check_text("body", in->body, STORE_CONTRIBUTION_MAX, true, err) < 0 ||
        store_check_text("event", event, STORE_TITLE_MAX, false, err) < 0 ||
        store_check_contributor(in->secret, err) < 0)
        return -1;
    bool anonymous = in->anonymous || !in->user;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    struct store_campaign_state cs = {0};
    int rc = store_campaign_state(c, scope, campaign_id, now, true, &cs, err);
    if (rc == 0 && in->parent_id) {
        int64_t ok = 0;
        rc = db_run_i64(c, &ok, err,
                        "SELECT 1 FROM contributions WHERE id = ? AND campaign_id = ? AND kind = 'idea' "
                        "AND state = 'published'",
                        "ii", in->parent_id, campaign_id);
        if (rc == 0 && !ok)
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, "parent_id", "parent_id: no published idea %lld here",
                              (long long)in->parent_id);
    }
    enum store_contribution_state st = in->staff || !cs.queue_public ? CONTRIB_PUBLISHED : CONTRIB_QUEUED;
    int64_t at = anonymous ? now - now % 86400 : now; /* the day only: no linking by time */
    const char *author = anonymous ? "" : (in->user->display_name ? in->user->display_name : "");
    /* A random id (store_random_id), so that ids keep no order of arrival; a clash tries again. */
    int64_t new_id = 0;
    for (int tries = 0; rc == 0 && new_id == 0 && tries < 4; tries++)
        rc = db_run_i64(c, &new_id, err,
                        "INSERT INTO contributions(id, campaign_id, parent_id, kind, body, user_id, author, staff, "
                        "owner, state, reason, theme, event, created_at) "
                        "VALUES(?,?,NULLIF(CAST(? AS BIGINT),0),?,?,NULLIF(?,0),?,?,'',?,'','',?,?) ON CONFLICT(id) DO NOTHING "
                        "RETURNING id",
                        "iiittitntti", store_random_id(), campaign_id, in->parent_id,
                        in->parent_id ? "comment" : "idea", in->body, anonymous ? (int64_t)0 : in->user->id, author,
                        (int)in->staff, store_contribution_state_name(st), event, at);
    if (rc == 0 && new_id == 0)
        rc = purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "contribution: no free id found");
    char owner[SECRET_HEX_LEN + 1], groups[400], masked[65], token[SECRET_HEX_LEN + 1], author_mask[65];
    struct heard_bits bits;
    if (rc == 0)
        rc = store_participant_join(s, c, campaign_id, in->secret, groups, sizeof groups, true, err);
    if (rc == 0) {
        store_secret_keyed(s, "own", new_id, in->secret, owner);
        heard_bits_from_list(groups, &bits);
        heard_mask(s, new_id, &bits, masked);
        store_secret_keyed(s, "part", campaign_id, in->secret, token);
        heard_author_mask(s, new_id, token, author_mask);
        rc = db_run(c, err, "UPDATE contributions SET owner = ?, tally = ?, author_mask = ? WHERE id = ?", "ttti",
                    owner, masked, author_mask, new_id);
    }
    if (rc == 0 && st == CONTRIB_PUBLISHED) /* the groups count what the public can see */
        rc = heard_count(c, campaign_id, &bits, 1, err);
    if (rc == 0) /* before the audit entry, which then bumps nothing wider (topics.h) */
        rc = store_topic_bump(c, STORE_TOPIC_CONVERSATION, campaign_id, err);
    /* The audit log names who did what and when: an anonymous arrival is only counted, by day
     * (store_arrival), since a row with its time and id would undo the anonymity. */
    if (rc == 0 && anonymous)
        rc = store_arrival(c, campaign_id, in->parent_id ? "comment" : "idea", now, err);
    else if (rc == 0)
        rc = store_audit(c, &(struct store_actor){in->user->id, in->user->username}, "create", "contribution",
                         new_id, NULL,
                         json_pack("{s:I, s:s, s:s}", "campaign_id", (json_int_t)campaign_id, "state",
                                   store_contribution_state_name(st), "body", in->body),
                         false, true, err);
    rc = store_write_end(s, rc, err);
    if (rc == 0 && id)
        *id = new_id;
    if (rc == 0 && state)
        *state = st;
    return rc;
}

int store_contribution_list(struct store *s, const struct store_scope *scope, int64_t campaign_id, bool published_only,
                            int64_t parent_id, struct store_contribution_list *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, store_row_contribution, err,
                        "SELECT " CONTRIB_COLS TALLY_COLS TALLY_JOIN
                        "WHERE c.campaign_id = " STORE_CAMPAIGN_OF " AND (? = 0 OR c.state = 'published') "
                        "AND (CAST(? AS BIGINT) < 0 OR COALESCE(c.parent_id, 0) = ?) ORDER BY c.created_at, c.id",
                        "iiiii", campaign_id, STORE_SCOPE_KEY(scope), (int64_t)published_only, parent_id, parent_id);
    if (rc < 0)
        store_contribution_list_release(out);
    return rc;
}

int store_contribution_queue(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                             struct store_contribution_list *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, store_row_contribution, err,
                        "SELECT " CONTRIB_COLS TALLY_COLS TALLY_JOIN
                        "WHERE c.campaign_id = " STORE_CAMPAIGN_OF " AND c.state = 'queued' ORDER BY c.created_at, c.id",
                        "ii", campaign_id, STORE_SCOPE_KEY(scope));
    if (rc < 0)
        store_contribution_list_release(out);
    return rc;
}

int store_contribution_get(struct store *s, const struct store_scope *scope, int64_t campaign_id, int64_t id,
                           struct store_contribution *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    return store_get(s, out, store_row_contribution, "contribution", err,
                     "SELECT " CONTRIB_COLS TALLY_COLS TALLY_JOIN
                     "WHERE c.campaign_id = " STORE_CAMPAIGN_OF " AND c.id = ?",
                     "iii", campaign_id, STORE_SCOPE_KEY(scope), id);
}

struct owner_row {
    int64_t id;
    char owner[SECRET_HEX_LEN + 1];
};

static int row_owner(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    struct owner_row *o = item;
    o->id = db_col_i64(st, 0);
    snprintf(o->owner, sizeof o->owner, "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
    return 0;
}

int store_contribution_mine(struct store *s, const struct store_scope *scope, int64_t campaign_id, const char *secret,
                            struct store_contribution_list *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    if (store_check_contributor(secret, err) < 0)
        return -1;
    struct owner_row *owners = NULL;
    size_t n = 0;
    int rc = store_list(s, (void **)&owners, &n, sizeof *owners, row_owner, err,
                        "SELECT c.id, c.owner FROM contributions c WHERE c.campaign_id = " STORE_CAMPAIGN_OF
                        " ORDER BY c.id", "ii", campaign_id, STORE_SCOPE_KEY(scope));
    if (rc == 0)
        rc = store_contribution_list(s, scope, campaign_id, false, -1, out, err);
    if (rc == 0) {
        size_t keep = 0;
        for (size_t i = 0; i < out->n; i++) {
            bool mine = false;
            for (size_t j = 0; j < n && !mine; j++)
                if (owners[j].id == out->items[i].id) {
                    char h[SECRET_HEX_LEN + 1];
                    store_secret_keyed(s, "own", owners[j].id, secret, h);
                    mine = secret_equal(h, owners[j].owner);
                }
            if (mine)
                out->items[keep++] = out->items[i];
            else
                store_contribution_release(&out->items[i]);
        }
        out->n = keep;
    }
    free(owners);
    return rc;
}

/* Reads the contribution's state, owner and groups inside c's transaction: NOT_FOUND unless it is
 * of conversation campaign_id of scope. */
int store_contribution_state_read(struct store *s, struct db_conn *c, const struct store_scope *scope, int64_t campaign_id,
                      int64_t id, char *state, char *owner, struct heard_bits *groups, struct purpose_err *err)
{
    struct db_stmt *st = NULL;
    if (db_query(c, &st, err,
                 "SELECT c.state, c.owner, c.tally FROM contributions c WHERE c.id = ? AND c.campaign_id = "
                 STORE_CAMPAIGN_OF, "iii", id, campaign_id, STORE_SCOPE_KEY(scope)) < 0)
        return -1;
    int r = db_step(st, err);
    if (r > 0) {
        snprintf(state, 16, "%s", db_col_text(st, 0) ? db_col_text(st, 0) : "");
        snprintf(owner, SECRET_HEX_LEN + 1, "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
        heard_unmask(s, id, db_col_text(st, 2), groups);
    }
    db_reset(st);
    if (r < 0)
        return -1;
    return r == 0 ? store_not_found(err, "contribution") : 0;
}

int store_contribution_moderate(struct store *s, const struct store_actor *by, const struct store_scope *scope,
                                int64_t campaign_id, int64_t id, bool approve, const char *reason,
                                struct purpose_err *err)
{
    if (!reason)
        reason = "";
    if (store_check_text("reason", reason, STORE_REASON_MAX, !approve, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    char state[16], owner[SECRET_HEX_LEN + 1];
    struct heard_bits groups;
    int rc = store_contribution_state_read(s, c, scope, campaign_id, id, state, owner, &groups, err);
    if (rc == 0 && strcmp(state, "withdrawn") == 0)
        rc = purpose_errk(err, PURPOSE_ERR_CONFLICT, NULL, "contribution: withdrawn by the person who wrote it");
    const char *to = approve ? "published" : "hidden";
    if (rc == 0)
        rc = db_run(c, err, "UPDATE contributions SET state = ?, reason = ? WHERE id = ?", "tti", to,
                    approve ? "" : reason, id);
    bool was = rc == 0 && strcmp(state, "published") == 0;
    if (rc == 0 && was != approve) /* into or out of what the public sees: the groups' counts follow */
        rc = heard_count(c, campaign_id, &groups, approve ? 1 : -1, err);
    if (rc == 0)
        rc = store_audit(c, by, approve ? "approve" : "hide", "contribution", id, json_pack("{s:s}", "state", state),
                         json_pack("{s:s, s:s}", "state", to, "reason", approve ? "" : reason), true, true, err);
    return store_write_end(s, rc, err);
}

int store_contribution_withdraw(struct store *s, const struct store_scope *scope, int64_t campaign_id, int64_t id,
                                const char *secret, struct purpose_err *err)
{
    if (store_check_contributor(secret, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    char state[16], owner[SECRET_HEX_LEN + 1], mine[SECRET_HEX_LEN + 1];
    struct heard_bits groups;
    int rc = store_contribution_state_read(s, c, scope, campaign_id, id, state, owner, &groups, err);
    if (rc == 0) {
        store_secret_keyed(s, "own", id, secret, mine);
        if (!secret_equal(mine, owner))
            rc = store_not_found(err, "contribution");
    }
    bool change = rc == 0 && strcmp(state, "withdrawn") != 0;
    int64_t anonymous = 0;
    if (change)
        rc = db_run_i64(c, &anonymous, err, "SELECT user_id IS NULL FROM contributions WHERE id = ?", "i", id);
    if (change && rc == 0)
        rc = db_run(c, err, "UPDATE contributions SET state = 'withdrawn', reason = '' WHERE id = ?", "i", id);
    if (change && rc == 0 && strcmp(state, "published") == 0)
        rc = heard_count(c, campaign_id, &groups, -1, err);
    if (change && rc == 0)
        rc = store_topic_bump(c, STORE_TOPIC_CONVERSATION, campaign_id, err);
    if (change && rc == 0 && anonymous)
        rc = store_arrival(c, campaign_id, "withdrawal", (int64_t)time(NULL), err);
    else if (change && rc == 0)
        rc = store_audit(c, &anonymous_actor, "withdraw", "contribution", id, json_pack("{s:s}", "state", state),
                         json_pack("{s:s}", "state", "withdrawn"), true, true, err);
    return store_write_end(s, rc, err);
}

int store_contribution_tag(struct store *s, const struct store_actor *by, const struct store_scope *scope,
                           int64_t campaign_id, int64_t id, const char *theme, struct purpose_err *err)
{
    if (!theme)
        theme = "";
    if (store_check_text("theme", theme, STORE_TITLE_MAX, false, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    char state[16], owner[SECRET_HEX_LEN + 1];
    struct heard_bits groups;
    int rc = store_contribution_state_read(s, c, scope, campaign_id, id, state, owner, &groups, err);
    if (rc == 0)
        rc = db_run(c, err, "UPDATE contributions SET theme = ? WHERE id = ?", "ti", theme, id);
    if (rc == 0)
        rc = store_audit(c, by, "tag", "contribution", id, NULL, json_pack("{s:s}", "theme", theme), false, true,
                         err);
    return store_write_end(s, rc, err);
}
