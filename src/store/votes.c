/* Votes and participant groups (votes.c): a vote is kept under a keyed hash of its voter, a
 * participant's groups under a keyed hash of their contributor secret (campaigns.h says what is
 * stored about a contributor, and what never is). */
#include <stdio.h>
#include <string.h>

#include "core/secret.h"
#include "core/utf8.h"
#include "store/contributions_int.h"
#include "store/heard_int.h"
#include "store/opinions_int.h"
#include "core/banned.h"

static int check_vote(const char *vote, struct purpose_err *err)
{
    if (vote && (strcmp(vote, "agree") == 0 || strcmp(vote, "disagree") == 0 || strcmp(vote, "unsure") == 0))
        return 0;
    return purpose_errk(err, PURPOSE_ERR_INPUT, "vote", "vote: must be agree, disagree or unsure");
}

/* The voter hash: per account when signed in (one vote per person per item, whatever their
 * contributor sessions), else per contributor secret. */
void store_voter_of(const struct store *s, int64_t item, const char *secret, int64_t account,
                    char out[SECRET_HEX_LEN + 1])
{
    char a[24];
    snprintf(a, sizeof a, "%lld", (long long)account);
    if (account)
        store_secret_keyed(s, "vote-account", item, a, out);
    else
        store_voter_hash(s, item, secret, out);
}

/* Votes are not written to the audit log: an entry per vote would give each one a time. */
int store_vote_by(struct store *s, const struct store_scope *scope, int64_t campaign_id, int64_t id, const char *secret,
                  int64_t account, const char *vote, int64_t now, struct purpose_err *err)
{
    if (check_vote(vote, err) < 0 || store_check_contributor(secret, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    struct store_campaign_state cs = {0};
    int rc = store_campaign_state(c, scope, campaign_id, now, true, &cs, err);
    char state[16], owner[SECRET_HEX_LEN + 1], voter[SECRET_HEX_LEN + 1], groups[400];
    struct heard_bits bits;
    if (rc == 0) {
        rc = store_contribution_state_read(s, c, scope, campaign_id, id, state, owner, &bits, err);
        if ((rc < 0 && err->kind == PURPOSE_ERR_NOT_FOUND) || (rc == 0 && strcmp(state, "published") != 0))
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, "item", "item: no published idea or comment %lld in this conversation",
                          (long long)id);
    }
    int64_t had = 0;
    char opinion[SECRET_HEX_LEN + 1] = "";
    if (rc == 0) {
        store_voter_of(s, id, secret, account, voter);
        rc = db_run_i64(c, &had, err, "SELECT 1 FROM votes WHERE contribution_id = ? AND voter = ?", "it", id, voter);
    }
    if (rc == 0)
        rc = store_opinion_of(s, c, campaign_id, secret, opinion, err); /* opinion groups: opinions.h */
    if (rc == 0)
        rc = db_run(c, err,
                    "INSERT INTO votes(contribution_id, voter, vote, opinion) VALUES(?,?,?,?) "
                    "ON CONFLICT(contribution_id, voter) DO UPDATE SET vote = excluded.vote, opinion = excluded.opinion",
                    "ittt", id, voter, vote, opinion);
    if (rc == 0 && !had && !account) /* results say how many came from people without an account */
        rc = db_run(c, err, "UPDATE vote_tally SET no_account = no_account + 1 WHERE contribution_id = ?", "i", id);
    if (rc == 0)
        rc = store_participant_join(s, c, campaign_id, secret, groups, sizeof groups, true, err);
    if (rc == 0)
        rc = store_topic_bump(c, STORE_TOPIC_CONVERSATION, campaign_id, err);
    return store_write_end(s, rc, err);
}

int store_vote(struct store *s, const struct store_scope *scope, int64_t campaign_id, int64_t id, const char *secret,
               const char *vote, int64_t now, struct purpose_err *err)
{
    return store_vote_by(s, scope, campaign_id, id, secret, 0, vote, now, err);
}

int store_vote_get_by(struct store *s, const struct store_scope *scope, int64_t campaign_id, int64_t id,
                      const char *secret, int64_t account, char out[16], struct purpose_err *err)
{
    out[0] = '\0';
    if (!account && store_check_contributor(secret, err) < 0)
        return -1;
    char voter[SECRET_HEX_LEN + 1];
    store_voter_of(s, id, secret, account, voter);
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err,
                      "SELECT v.vote FROM votes v JOIN contributions c ON c.id = v.contribution_id"
                      " WHERE v.contribution_id = ? AND v.voter = ? AND c.campaign_id = " STORE_CAMPAIGN_OF,
                      "itii", id, voter, campaign_id, STORE_SCOPE_KEY(scope));
    if (rc == 0) {
        int r = db_step(st, err);
        if (r > 0)
            snprintf(out, 16, "%s", db_col_text(st, 0) ? db_col_text(st, 0) : "");
        db_reset(st);
        rc = r < 0 ? -1 : 0;
    }
    store_read_end(s, c);
    return rc;
}

int store_vote_get(struct store *s, const struct store_scope *scope, int64_t campaign_id, int64_t id,
                   const char *secret, char out[16], struct purpose_err *err)
{
    return store_vote_get_by(s, scope, campaign_id, id, secret, 0, out, err);
}

int store_participant_set(struct store *s, const struct store_scope *scope, int64_t campaign_id, const char *secret,
                          const char *const *groups, size_t ngroups, struct purpose_err *err)
{
    if (store_check_contributor(secret, err) < 0)
        return -1;
    if (ngroups > STORE_GROUPS_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "groups", "groups: choose at most %d", STORE_GROUPS_MAX);
    char list[400] = "";
    size_t used = 0;
    for (size_t i = 0; i < ngroups; i++) {
        if (groups[i] && !utf8_valid(groups[i], strlen(groups[i])))
            return purpose_errk(err, PURPOSE_ERR_INPUT, "groups", "groups: group %zu is not valid UTF-8 text", i + 1);
        if (!groups[i] || !store_group_label(groups[i]))
            return purpose_errk(err, PURPOSE_ERR_INPUT, "groups", "groups: \"%.40s\" is not one of the groups",
                                groups[i] ? groups[i] : "");
        for (size_t j = 0; j < i; j++)
            if (strcmp(groups[i], groups[j]) == 0)
                return purpose_errk(err, PURPOSE_ERR_INPUT, "groups", "groups: \"%s\" is given twice", groups[i]);
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? "," : "", groups[i]);
    }
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    struct store_campaign_state cs = {0};
    char old[400], token[SECRET_HEX_LEN + 1];
    int rc = store_campaign_state(c, scope, campaign_id, 0, false, &cs, err);
    if (rc == 0)
        rc = store_participant_join(s, c, campaign_id, secret, old, sizeof old, true, err);
    if (rc == 0)
        rc = store_group_tally(c, campaign_id, old, -1, err);
    if (rc == 0)
        rc = store_group_tally(c, campaign_id, list, 1, err);
    if (rc == 0) {
        store_secret_keyed(s, "part", campaign_id, secret, token);
        rc = db_run(c, err, "UPDATE participants SET groups = ? WHERE campaign_id = ? AND token = ?", "tit", list,
                    campaign_id, token);
    }
    if (rc == 0)
        rc = store_topic_bump(c, STORE_TOPIC_CONVERSATION, campaign_id, err);
    return store_write_end(s, rc, err);
}

int store_participant_groups(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                             const char *secret, char *out, size_t cap, struct purpose_err *err)
{
    out[0] = '\0';
    if (store_check_contributor(secret, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct store_campaign_state cs = {0};
    int rc = store_campaign_state(c, scope, campaign_id, 0, false, &cs, err);
    if (rc == 0)
        rc = store_participant_join(s, c, campaign_id, secret, out, cap, false, err);
    store_read_end(s, c);
    return rc;
}
