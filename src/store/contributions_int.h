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

#endif
