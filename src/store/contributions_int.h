#ifndef PURPOSE_STORE_CONTRIBUTIONS_INT_H
#define PURPOSE_STORE_CONTRIBUTIONS_INT_H
/* Private to src/store: how a contribution is read, written once for contributions.c (lists, the
 * queue, "mine") and ideas.c (the paged list and the idea page): its columns, its vote totals
 * (vote_tally, kept by triggers on votes) and its lead's response (idea_responses), and the row
 * reader that fills a struct store_contribution from them in that order. */
#include "store/store_int.h"

#define CONTRIB_COLS                                                                                  \
    "c.id, c.campaign_id, COALESCE(c.parent_id, 0), c.kind, c.body, c.author, c.staff, c.state, c.reason, " \
    "c.theme, c.event, c.created_at, c.user_id IS NULL AND c.author = ''"
#define TALLY_COLS                                                                                     \
    ", COALESCE(t.agree, 0), COALESCE(t.disagree, 0), COALESCE(t.unsure, 0),"                            \
    " (SELECT COUNT(*) FROM contributions k WHERE k.parent_id = c.id AND k.state = 'published'),"        \
    " COALESCE(t.no_account, 0),"                                                                        \
    " COALESCE(r.state, ''), COALESCE(r.reason, ''), COALESCE(r.project_id, 0), COALESCE(r.statement_id, 0)," \
    " COALESCE(r.responded_at, 0)"
#define TALLY_JOIN                                                                                     \
    " FROM contributions c LEFT JOIN vote_tally t ON t.contribution_id = c.id"                           \
    " LEFT JOIN idea_responses r ON r.contribution_id = c.id "

/* Reads one row of "SELECT " CONTRIB_COLS TALLY_COLS TALLY_JOIN ... into a zeroed contribution. */
int store_row_contribution(struct db_stmt *st, void *item, struct purpose_err *err);

/* Shared by contributions.c and votes.c, inside a write's or read's transaction c. */
struct heard_bits;
/* BLAKE2b(store key, domain ":" a ":" secret): the only form in which a secret reaches the database. */
void store_secret_keyed(const struct store *s, const char *domain, int64_t a, const char *secret,
                        char out[SECRET_HEX_LEN + 1]);
/* Adds dp participants to each group in the comma-separated list (contributions: heard.c). */
int store_group_tally(struct db_conn *c, int64_t campaign_id, const char *groups, int64_t dp, struct purpose_err *err);
/* The participant's groups (into out), making them a participant (create) if they are not yet one. */
int store_participant_join(struct store *s, struct db_conn *c, int64_t campaign_id, const char *secret, char *out,
                           size_t cap, bool create, struct purpose_err *err);
struct store_campaign_state {
    int64_t opens_at, closes_at;
    bool queue_public;
};
/* The conversation campaign_id of scope (else NOT_FOUND), and, with need_open, an INPUT error
 * unless it is open at now. */
int store_campaign_state(struct db_conn *c, const struct store_scope *scope, int64_t campaign_id, int64_t now,
                         bool need_open, struct store_campaign_state *cs, struct purpose_err *err);
/* The contribution's state, owner and groups: NOT_FOUND unless it is of conversation campaign_id
 * of scope. */
int store_contribution_state_read(struct store *s, struct db_conn *c, const struct store_scope *scope,
                                  int64_t campaign_id, int64_t id, char *state, char *owner, struct heard_bits *groups,
                                  struct purpose_err *err);

#endif
