/* Many votes in one bulk load (tallies.h). The running totals follow by the triggers on votes
 * (schema.c: vote_tally), as for store_vote. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "store/opinions_int.h"
#include "core/banned.h"

struct keyed_vote {
    int64_t item;
    size_t order;
    const char *vote;
    char voter[SECRET_HEX_LEN + 1];
    char opinion[SECRET_HEX_LEN + 1]; /* opinions.h: "" when the groups are off */
};

static int by_item_voter_order(const void *a, const void *b)
{
    const struct keyed_vote *x = a, *y = b;
    if (x->item != y->item)
        return x->item < y->item ? -1 : 1;
    int c = strcmp(x->voter, y->voter);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The published items of the campaign, sorted. */
static int published_items(struct db_conn *c, int64_t campaign_id, int64_t **ids, size_t *n, struct purpose_err *err)
{
    struct db_stmt *st = NULL;
    *ids = NULL;
    *n = 0;
    if (db_query(c, &st, err, "SELECT id FROM contributions WHERE campaign_id = ? AND state = 'published' ORDER BY id",
                 "i", campaign_id) < 0)
        return -1;
    size_t cap = 0;
    int r;
    while ((r = db_step(st, err)) == 1) {
        if (*n == cap) {
            int64_t *p = realloc(*ids, (cap ? cap * 2 : 256) * sizeof *p);
            if (!p) {
                db_reset(st);
                return store_oom(err);
            }
            *ids = p;
            cap = cap ? cap * 2 : 256;
        }
        (*ids)[(*n)++] = db_col_i64(st, 0);
    }
    db_reset(st);
    return r < 0 ? -1 : 0;
}

int store_votes_load(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                     const struct store_vote_in *votes, size_t n, struct purpose_err *err)
{
    struct keyed_vote *k = calloc(n ? n : 1, sizeof *k);
    if (!k)
        return store_oom(err);
    for (size_t i = 0; i < n; i++) {
        const char *v = votes[i].vote;
        if (!v || (strcmp(v, "agree") != 0 && strcmp(v, "disagree") != 0 && strcmp(v, "unsure") != 0)) {
            free(k);
            return purpose_errk(err, PURPOSE_ERR_INPUT, "vote", "vote %zu: must be agree, disagree or unsure", i + 1);
        }
        if (store_check_contributor(votes[i].secret, err) < 0) {
            free(k);
            return -1;
        }
        store_voter_hash(s, votes[i].item, votes[i].secret, k[i].voter);
        k[i].item = votes[i].item;
        k[i].order = i;
        k[i].vote = v;
    }
    qsort(k, n, sizeof *k, by_item_voter_order);
    struct db_conn *c;
    if (store_write(s, &c, err) < 0) {
        free(k);
        return -1;
    }
    int64_t *ids = NULL;
    size_t nids = 0;
    int64_t on = 0;
    int rc = store_campaign_in(c, scope, campaign_id, err);
    if (rc == 0)
        rc = store_topic_bump(c, STORE_TOPIC_CONVERSATION, campaign_id, err);
    if (rc == 0)
        rc = published_items(c, campaign_id, &ids, &nids, err);
    if (rc == 0)
        rc = db_run_i64(c, &on, err, "SELECT 1 FROM campaign_opinions WHERE campaign_id = ?", "i", campaign_id);
    for (size_t i = 0; rc == 0 && on && i < n; i++)
        store_opinion_hash(s, campaign_id, votes[k[i].order].secret, k[i].opinion);
    struct db_bulk *b = NULL;
    static const char *const cols[] = {"contribution_id", "voter", "vote", "opinion"};
    if (rc == 0)
        rc = db_bulk_begin(c, "votes", cols, 4, &b, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (i + 1 < n && k[i + 1].item == k[i].item && strcmp(k[i + 1].voter, k[i].voter) == 0)
            continue; /* a later vote of the same person on the same item replaces it */
        if (!bsearch(&k[i].item, ids, nids, sizeof *ids, cmp_i64)) {
            rc = store_not_found(err, "contribution");
            break;
        }
        char item[24];
        snprintf(item, sizeof item, "%lld", (long long)k[i].item);
        const char *vals[] = {item, k[i].voter, k[i].vote, k[i].opinion};
        rc = db_bulk_row(b, vals, err);
    }
    if (b) {
        struct purpose_err ignored = {0};
        if (db_bulk_end(b, rc == 0, rc == 0 ? err : &ignored) < 0 && rc == 0)
            rc = -1;
    }
    /* Every vote loaded is new and has no account: each item's count of those follows. */
    for (size_t i = 0, run = 0; rc == 0 && i < n; i++) {
        bool last_of_pair = !(i + 1 < n && k[i + 1].item == k[i].item && strcmp(k[i + 1].voter, k[i].voter) == 0);
        run += last_of_pair;
        if (i + 1 == n || k[i + 1].item != k[i].item) {
            rc = db_run(c, err, "UPDATE vote_tally SET no_account = no_account + ? WHERE contribution_id = ?", "ii",
                        (int64_t)run, k[i].item);
            run = 0;
        }
    }
    free(ids);
    free(k);
    return store_write_end(s, rc, err);
}
