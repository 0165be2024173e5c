#ifndef PURPOSE_STORE_OPINIONS_H
#define PURPOSE_STORE_OPINIONS_H
/* Opinion groups on a conversation (issue 21; the method in docs/opinions.md, what is kept in
 * docs/privacy.md). Off until a lead of the conversation's scope turns them on. While on, each vote
 * cast in the conversation also keeps its voter's pseudonym for it,
 *     opinion = BLAKE2b(key file's key, "opinion:" conversation ":" contributor session secret),
 * one value for all of one contributor session's votes in that conversation, another in every
 * other conversation, derived from no account (a signed-in person's vote is still keyed by the
 * account for "one vote per person", and its pseudonym by their session, as anyone else's). The
 * secret is only in the voter's cookie, so nothing in the database joins a pseudonym to a person
 * or to another conversation's. Votes cast before the groups were turned on keep none and are not
 * grouped; turning them off clears every pseudonym of the conversation. Included by store/store.h. */
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"

/* Each function takes the scope the conversation must belong to (another scope's is NOT_FOUND,
 * "campaign", nothing changed), as the other co-design functions do. */

/* Turns opinion groups on or off for the conversation (audited as the lead's: "opinions_on",
 * "opinions_off"). Turning on what is on, or off what is off, changes nothing. */
int store_opinions_set(struct store *s, const struct store_actor *by, const struct store_scope *scope,
                       int64_t campaign_id, bool on, int64_t now, struct purpose_err *err);
/* *since: when they were turned on (unix seconds), or 0 when they are off. */
int store_opinions_since(struct store *s, const struct store_scope *scope, int64_t campaign_id, int64_t *since,
                         struct purpose_err *err);
/* The scope conversation campaign_id belongs to, for purpose opinions --conversation, which names
 * a conversation by its id alone (NOT_FOUND when there is none). */
int store_opinions_scope(struct store *s, int64_t campaign_id, struct store_scope *out, struct purpose_err *err);

/* The conversation's grouped votes as a pol.is export (docs/opinions.md, "Exports"), appended to
 * comments (comments.csv: comment-id, moderated, comment-body) and votes (votes.csv: comment-id,
 * voter-id, vote): every published idea and comment (moderated 1), and every other one that holds
 * a grouped vote (moderated -1, its text left out); a vote is 1 agree, -1 disagree, 0 unsure. A
 * voter-id numbers a pseudonym in the order of the pseudonyms, which is a hash's: it says nothing
 * of who voted first. No time and no author is written. Only votes with a pseudonym are in it. */
int store_opinions_polis(struct store *s, const struct store_scope *scope, int64_t campaign_id, struct buf *comments,
                         struct buf *votes, struct purpose_err *err);

#endif
