#ifndef PURPOSE_STORE_HEARD_INT_H
#define PURPOSE_STORE_HEARD_INT_H
/* Private to src/store (heard.c): the groups a contribution is counted under, kept on its row in a
 * form that links nothing, so that a hidden or withdrawn one leaves the per-group counts of the
 * who-has-been-heard report. docs/architecture.md ("Co-design") gives the reasoning. */
#include "store/store_int.h"

/* A set of groups: bit i is store_groups[i] (which is why that list is append-only). */
struct heard_bits {
    unsigned char b[32];
};

/* The codes of a comma-separated list (as participants.groups holds them) as bits. */
void heard_bits_from_list(const char *list, struct heard_bits *out);
/* bits XOR BLAKE2b(store key, "tally:" id), as 64 hex digits: a fresh-looking value per
 * contribution, whatever its groups, so two of one person's contributions never share it. */
void heard_mask(const struct store *s, int64_t id, const struct heard_bits *bits, char out[65]);
/* The inverse; a value that is not 64 hex digits (a row from before the column) is no groups. */
void heard_unmask(const struct store *s, int64_t id, const char *masked, struct heard_bits *out);
/* The author of contribution id as the participant token of its conversation (64 hex digits)
 * XOR BLAKE2b(store key, "author:" id): like the groups, a fresh-looking value per row, read back
 * only with the key, to count the authors of linked contributions (provenance.c). */
void heard_author_mask(const struct store *s, int64_t id, const char token[65], char out[65]);
/* The inverse into out ("" when masked is not 64 hex digits: a row from before the column). */
void heard_author_unmask(const struct store *s, int64_t id, const char *masked, char out[65]);
/* Adds dc to the contribution count of every group in bits, in c's transaction. */
int heard_count(struct db_conn *c, int64_t campaign_id, const struct heard_bits *bits, int64_t dc,
                struct purpose_err *err);

#endif
