/* Opinion groups on a conversation: the opt-in, the pseudonym each vote keeps while it is on, and
 * the grouped votes read back as a pol.is export (opinions.h). */
#include <stdio.h>
#include <string.h>

#include "core/csv.h"
#include "store/opinions_int.h"
#include "core/banned.h"

int store_opinion_of(struct store *s, struct db_conn *c, int64_t campaign_id, const char *secret,
                     char out[SECRET_HEX_LEN + 1], struct purpose_err *err)
{
    out[0] = '\0';
    int64_t on = 0;
    if (db_run_i64(c, &on, err, "SELECT 1 FROM campaign_opinions WHERE campaign_id = ?", "i", campaign_id) < 0)
        return -1;
    if (on)
        store_opinion_hash(s, campaign_id, secret, out);
    return 0;
}

void store_opinion_hash(const struct store *s, int64_t campaign_id, const char *secret, char out[SECRET_HEX_LEN + 1])
{
    char msg[160];
    snprintf(msg, sizeof msg, "opinion:%lld:%s", (long long)campaign_id, secret);
    secret_keyed_hash(s->key, msg, out);
    secret_random_bytes((unsigned char *)msg, sizeof msg); /* leave no copy of the secret behind */
}

int store_opinions_set(struct store *s, const struct store_actor *by, const struct store_scope *scope,
                       int64_t campaign_id, bool on, int64_t now, struct purpose_err *err)
{
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t since = 0;
    int rc = store_campaign_in(c, scope, campaign_id, err);
    if (rc == 0)
        rc = db_run_i64(c, &since, err, "SELECT since FROM campaign_opinions WHERE campaign_id = ?", "i", campaign_id);
    if (rc == 0 && on && !since) {
        rc = db_run(c, err, "INSERT INTO campaign_opinions(campaign_id, since) VALUES(?, ?)", "ii", campaign_id, now);
        if (rc == 0)
            rc = store_audit(c, by, "opinions_on", "campaign", campaign_id, NULL, json_pack("{s:I}", "since", (json_int_t)now),
                             false, true, err);
    } else if (rc == 0 && !on && since) {
        /* Off erases the links: no vote of the conversation keeps its pseudonym. */
        rc = db_run(c, err, "DELETE FROM campaign_opinions WHERE campaign_id = ?", "i", campaign_id);
        if (rc == 0)
            rc = db_run(c, err,
                        "UPDATE votes SET opinion = '' WHERE opinion <> '' AND contribution_id IN "
                        "(SELECT id FROM contributions WHERE campaign_id = ?)",
                        "i", campaign_id);
        if (rc == 0)
            rc = store_audit(c, by, "opinions_off", "campaign", campaign_id, json_pack("{s:I}", "since", (json_int_t)since),
                             NULL, true, false, err);
    }
    return store_write_end(s, rc, err);
}

int store_opinions_since(struct store *s, const struct store_scope *scope, int64_t campaign_id, int64_t *since,
                         struct purpose_err *err)
{
    *since = 0;
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    int rc = store_campaign_in(c, scope, campaign_id, err);
    if (rc == 0)
        rc = db_run_i64(c, since, err, "SELECT since FROM campaign_opinions WHERE campaign_id = ?", "i", campaign_id);
    store_read_end(s, c);
    return rc;
}

int store_opinions_scope(struct store *s, int64_t campaign_id, struct store_scope *out, struct purpose_err *err)
{
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, "SELECT COALESCE(org_id, 0), COALESCE(programme_id, 0) FROM campaigns WHERE id = ?", "i",
                      campaign_id);
    if (rc == 0) {
        int r = db_step(st, err);
        if (r > 0) {
            int64_t org = db_col_i64(st, 0), prog = db_col_i64(st, 1);
            *out = org ? (struct store_scope){STORE_SCOPE_ORG, org} : (struct store_scope){STORE_SCOPE_PROGRAMME, prog};
        }
        db_reset(st);
        rc = r < 0 ? -1 : r == 0 ? store_not_found(err, "campaign") : 0;
    }
    store_read_end(s, c);
    return rc;
}

static int polis_comments(struct db_conn *c, int64_t campaign_id, struct buf *out, struct purpose_err *err)
{
    struct db_stmt *st = NULL;
    if (db_query(c, &st, err,
                 "SELECT c.id, c.state, c.body FROM contributions c WHERE c.campaign_id = ? AND (c.state = 'published'"
                 " OR EXISTS (SELECT 1 FROM votes v WHERE v.contribution_id = c.id AND v.opinion <> '')) ORDER BY c.id",
                 "i", campaign_id) < 0)
        return -1;
    buf_puts(out, "comment-id,moderated,comment-body\n");
    int r;
    while ((r = db_step(st, err)) == 1) {
        const char *state = db_col_text(st, 1), *body = db_col_text(st, 2);
        bool published = state && strcmp(state, "published") == 0;
        buf_printf(out, "%lld,%d,", (long long)db_col_i64(st, 0), published ? 1 : -1);
        if (published && body)
            csv_write_field(out, body, strlen(body));
        buf_putc(out, '\n');
    }
    db_reset(st);
    return r < 0 ? -1 : 0;
}

static int polis_votes(struct db_conn *c, int64_t campaign_id, struct buf *out, struct purpose_err *err)
{
    struct db_stmt *st = NULL;
    if (db_query(c, &st, err,
                 "SELECT v.opinion, v.contribution_id, v.vote FROM votes v JOIN contributions c ON c.id = v.contribution_id"
                 " WHERE c.campaign_id = ? AND v.opinion <> '' ORDER BY v.opinion, v.contribution_id",
                 "i", campaign_id) < 0)
        return -1;
    buf_puts(out, "comment-id,voter-id,vote\n");
    char last[SECRET_HEX_LEN + 1] = "";
    long long voter = -1;
    int r;
    while ((r = db_step(st, err)) == 1) {
        const char *who = db_col_text(st, 0), *vote = db_col_text(st, 2);
        if (!who || !vote)
            continue;
        if (strcmp(who, last) != 0) {
            snprintf(last, sizeof last, "%s", who);
            voter++;
        }
        int v = strcmp(vote, "agree") == 0 ? 1 : strcmp(vote, "disagree") == 0 ? -1 : 0;
        buf_printf(out, "%lld,%lld,%d\n", (long long)db_col_i64(st, 1), voter, v);
    }
    db_reset(st);
    return r < 0 ? -1 : 0;
}

int store_opinions_polis(struct store *s, const struct store_scope *scope, int64_t campaign_id, struct buf *comments,
                         struct buf *votes, struct purpose_err *err)
{
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    /* One snapshot for both files, so that every vote names a statement of comments.csv. */
    int rc = db_begin(c, false, err);
    if (rc == 0 && db_engine(s->db) == DB_POSTGRES &&
        (rc = db_exec(c, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", err)) < 0)
        db_rollback(c);
    if (rc == 0) {
        rc = store_campaign_in(c, scope, campaign_id, err);
        if (rc == 0)
            rc = polis_comments(c, campaign_id, comments, err);
        if (rc == 0)
            rc = polis_votes(c, campaign_id, votes, err);
        db_rollback(c);
    }
    store_read_end(s, c);
    if (rc == 0 && (comments->failed || votes->failed))
        rc = purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "opinion groups: the export is too large");
    return rc;
}
