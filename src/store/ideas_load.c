/* Many published ideas (and comments on them) in one bulk load (ideas.h), for data known to be
 * good: the Big Conversation benchmark's 50,000. The same rows store_contribution_add makes for an
 * anonymous contribution (a random id, no user, no name, the day only, an owner hash under a
 * secret nobody keeps, no groups), without an audit row each: the load is one audited event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "store/store_int.h"
#include "core/banned.h"

int store_ideas_load(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t campaign_id,
                     const struct store_idea_in *ideas, size_t n, struct purpose_err *err)
{
    for (size_t i = 0; i < n; i++) {
        if (store_check_text("body", ideas[i].body, STORE_CONTRIBUTION_MAX, true, err) < 0 ||
            store_check_text("theme", ideas[i].theme ? ideas[i].theme : "", STORE_TITLE_MAX, false, err) < 0)
            return -1;
        if (ideas[i].parent > i || (ideas[i].parent && ideas[ideas[i].parent - 1].parent))
            return purpose_errk(err, PURPOSE_ERR_INPUT, "parent", "contribution %zu: parent: not an idea before it",
                                i + 1);
    }
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = store_campaign_in(c, scope, campaign_id, err);
    /* Random ids, as every contribution has (store_random_id: no order of arrival); ideas first,
     * then the comments naming them. */
    int64_t *ids = rc == 0 ? calloc(n ? n : 1, sizeof *ids) : NULL;
    if (rc == 0 && !ids)
        rc = store_oom(err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        ids[i] = store_random_id();
    static const char *const cols[] = {"id", "campaign_id", "parent_id", "kind", "body", "author", "staff", "owner",
                                       "state", "reason", "theme", "event", "created_at", "tally"};
    for (int pass = 0; rc == 0 && pass < 2; pass++) {
        struct db_bulk *b = NULL;
        rc = db_bulk_begin(c, "contributions", cols, 14, &b, err);
        for (size_t i = 0; rc == 0 && i < n; i++) {
            if ((ideas[i].parent != 0) != (pass == 1))
                continue;
            char id[24], cid[24], parent[24], day[24], owner[SECRET_HEX_LEN + 1];
            unsigned char r[SECRET_HEX_LEN / 2];
            secret_random_bytes(r, sizeof r);
            for (size_t k = 0; k < sizeof r; k++)
                snprintf(owner + 2 * k, 3, "%02x", r[k]);
            snprintf(id, sizeof id, "%lld", (long long)ids[i]);
            snprintf(cid, sizeof cid, "%lld", (long long)campaign_id);
            if (ideas[i].parent)
                snprintf(parent, sizeof parent, "%lld", (long long)ids[ideas[i].parent - 1]);
            snprintf(day, sizeof day, "%lld", (long long)(ideas[i].day - ideas[i].day % 86400));
            const char *vals[] = {id, cid, ideas[i].parent ? parent : NULL, ideas[i].parent ? "comment" : "idea",
                                  ideas[i].body, "", ideas[i].staff ? "1" : "0", owner, "published", "",
                                  ideas[i].theme ? ideas[i].theme : "", "", day, ""};
            rc = db_bulk_row(b, vals, err);
        }
        if (b) {
            struct purpose_err ignored = {0};
            if (db_bulk_end(b, rc == 0, rc == 0 ? err : &ignored) < 0 && rc == 0)
                rc = -1;
        }
    }
    free(ids);
    if (rc == 0)
        rc = store_audit(c, by, "load", "campaign", campaign_id, NULL, json_pack("{s:I}", "contributions", (json_int_t)n),
                         false, true, err);
    return store_write_end(s, rc, err);
}
