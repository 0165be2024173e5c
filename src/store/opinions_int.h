#ifndef PURPOSE_STORE_OPINIONS_INT_H
#define PURPOSE_STORE_OPINIONS_INT_H
/* Private to src/store: the pseudonym a vote keeps (opinions.h), for store_vote_by. */
#include "core/secret.h"
#include "store/store_int.h"

/* The voter's pseudonym for the conversation in out, or "" when its opinion groups are off; read
 * in c's transaction. */
/* The pseudonym itself, whether the groups are on or not. */
void store_opinion_hash(const struct store *s, int64_t campaign_id, const char *secret, char out[SECRET_HEX_LEN + 1]);
int store_opinion_of(struct store *s, struct db_conn *c, int64_t campaign_id, const char *secret,
                     char out[SECRET_HEX_LEN + 1], struct purpose_err *err);

#endif
