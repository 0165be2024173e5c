#ifndef PURPOSE_STORE_TALLIES_H
#define PURPOSE_STORE_TALLIES_H
/* Loading many votes at once (tallies.c), for data gathered elsewhere and known to be good: the
 * demo's thousands of votes. The same rules as store_vote for what is stored (campaigns.h: one row
 * per person per item, keyed by the voter hash; no time, no audit), in one bulk load (PostgreSQL:
 * COPY) inside the caller's transaction, or its own. */

struct store_vote_in {
    int64_t item;       /* a published contribution of the campaign */
    const char *secret; /* the contributor secret */
    const char *vote;   /* agree, disagree or unsure */
};

/* Stores the votes in order: a later vote by the same secret on the same item replaces an earlier
 * one, as store_vote does; a vote replacing one already stored is refused (CONFLICT): use store_vote
 * for those. The voters must already be participants of the campaign (store_participant_set).
 * All or nothing. */
int store_votes_load(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                     const struct store_vote_in *votes, size_t n, struct purpose_err *err);

#endif
