/* The figures of a conversation's summary that no other store feature gives: published totals and
 * the statement versions its contributions shaped. Only published contributions count, so a hidden
 * or withdrawn one leaves the summary as it leaves every other page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

static int row_totals(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    struct store_conversation_totals *t = item;
    t->ideas = db_col_i64(st, 0);
    t->comments = db_col_i64(st, 1);
    t->votes = db_col_i64(st, 2);
    t->from_events = db_col_i64(st, 3);
    return 0;
}

int store_conversation_totals(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                              struct store_conversation_totals *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    return store_get(s, out, row_totals, "campaign", err,
                     "WITH cv(id) AS (SELECT " STORE_CAMPAIGN_OF ")"
                     " SELECT (SELECT COUNT(*) FROM contributions WHERE campaign_id = (SELECT id FROM cv) AND"
                     " state = 'published' AND kind = 'idea'),"
                     " (SELECT COUNT(*) FROM contributions WHERE campaign_id = (SELECT id FROM cv) AND"
                     " state = 'published' AND kind = 'comment'),"
                     " (SELECT COUNT(*) FROM votes v JOIN contributions c ON c.id = v.contribution_id "
                     "WHERE c.campaign_id = (SELECT id FROM cv) AND c.state = 'published'),"
                     " (SELECT COUNT(*) FROM event_outputs o JOIN contributions c ON c.id = o.contribution_id "
                     "WHERE c.campaign_id = (SELECT id FROM cv) AND c.state = 'published')",
                     "ii", campaign_id, STORE_SCOPE_KEY(scope));
}

void store_conversation_change_list_release(struct store_conversation_change_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].kind);
        free(l->items[i].text);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

static int row_change(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_conversation_change *c = item;
    bool oom = false;
    c->statement_id = db_col_i64(st, 0);
    c->kind = db_col_dup(st, 1, &oom);
    c->text = db_col_dup(st, 2, &oom);
    c->created_at = db_col_i64(st, 3);
    c->contributions = db_col_i64(st, 4);
    c->current = db_col_i64(st, 5) != 0;
    if (oom) {
        free(c->kind);
        free(c->text);
        return store_oom(err);
    }
    return 0;
}

int store_conversation_changes(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                               struct store_conversation_change_list *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_change, err,
                        "SELECT st.id, st.kind, st.text, st.created_at, COUNT(*),"
                        " CASE WHEN st.id = (SELECT MAX(n.id) FROM statements n WHERE n.kind = st.kind AND"
                        " COALESCE(n.org_id, 0) = COALESCE(st.org_id, 0) AND"
                        " COALESCE(n.programme_id, 0) = COALESCE(st.programme_id, 0)) THEN 1 ELSE 0 END"
                        " FROM statements st JOIN statement_sources ss ON ss.statement_id = st.id"
                        " JOIN contributions c ON c.id = ss.contribution_id"
                        " WHERE c.campaign_id = " STORE_CAMPAIGN_OF " AND c.state = 'published'"
                        " GROUP BY st.id, st.kind, st.text, st.created_at, st.org_id, st.programme_id ORDER BY st.id",
                        "ii", campaign_id, STORE_SCOPE_KEY(scope));
    if (rc < 0)
        store_conversation_change_list_release(out);
    return rc;
}
