/* Vision provenance: which published contributions shaped the current version of a vision or
 * purpose, and "shaped by N contributions from M people in K groups". People are counted as the
 * participants of the conversations those contributions came from: anonymous contributions keep no
 * link to a person, so who wrote which cannot be (and is not) counted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

int store_provenance_link(struct store *s, const struct store_actor *by, struct store_scope scope, const char *kind,
                          const int64_t *ids, size_t n, struct purpose_err *err)
{
    if (n == 0 || n > 1000)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "contribution_ids", "contribution_ids: give 1 to 1000");
    struct store_statement cur;
    if (store_statement_current(s, scope, kind, &cur, err) < 0)
        return -1;
    int64_t sid = cur.id;
    store_statement_release(&cur);
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int rc = 0;
    json_t *linked = json_array();
    if (!linked)
        rc = store_oom(err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int64_t ok = 0, had = 0;
        rc = db_run_i64(c, &ok, err, "SELECT 1 FROM contributions WHERE id = ? AND state = 'published'", "i", ids[i]);
        if (rc == 0 && !ok)
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, "contribution_ids",
                              "contribution_ids: %lld is not a published contribution", (long long)ids[i]);
        if (rc == 0)
            rc = db_run_i64(c, &had, err,
                            "SELECT 1 FROM statement_sources WHERE statement_id = ? AND contribution_id = ?", "ii",
                            sid, ids[i]);
        if (rc == 0 && !had) {
            rc = db_run(c, err, "INSERT INTO statement_sources(statement_id, contribution_id) VALUES(?,?)", "ii", sid,
                        ids[i]);
            if (rc == 0 && json_array_append_new(linked, json_integer((json_int_t)ids[i])) < 0)
                rc = store_oom(err);
        }
    }
    if (rc == 0)
        rc = store_audit(c, by, "link", "statement", sid, NULL, json_pack("{s:s, s:O}", "kind", kind, "contributions", linked),
                         false, true, err);
    json_decref(linked);
    return store_write_end(s, rc, err);
}

static int row_id(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    *(int64_t *)item = db_col_i64(st, 0);
    return 0;
}

int store_provenance_get(struct store *s, struct store_scope scope, const char *kind, struct store_provenance *p,
                         struct store_contribution_list *out, struct purpose_err *err)
{
    memset(p, 0, sizeof *p);
    memset(out, 0, sizeof *out);
    struct store_statement cur;
    if (store_statement_current(s, scope, kind, &cur, err) < 0)
        return -1;
    p->statement_id = cur.id;
    store_statement_release(&cur);
    int64_t *ids = NULL;
    size_t n = 0;
    int rc = store_list(s, (void **)&ids, &n, sizeof *ids, row_id, err,
                        "SELECT ss.contribution_id FROM statement_sources ss JOIN contributions c ON c.id = "
                        "ss.contribution_id WHERE ss.statement_id = ? AND c.state = 'published' ORDER BY c.id",
                        "i", p->statement_id);
    if (rc == 0 && n && !(out->items = calloc(n, sizeof *out->items)))
        rc = store_oom(err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int64_t campaign = 0;
        struct db_conn *c;
        if (store_read(s, &c, err) < 0) {
            rc = -1;
            break;
        }
        rc = db_run_i64(c, &campaign, err, "SELECT campaign_id FROM contributions WHERE id = ?", "i", ids[i]);
        store_read_end(s, c);
        if (rc == 0)
            rc = store_contribution_get(s, campaign, ids[i], &out->items[out->n], err);
        if (rc == 0)
            out->n++;
    }
    free(ids);
    int64_t counts[2] = {0, 0};
    for (int k = 0; rc == 0 && k < 2; k++) {
        struct db_conn *c;
        if (store_read(s, &c, err) < 0) {
            rc = -1;
            break;
        }
        rc = db_run_i64(c, &counts[k], err,
                        k == 0 ? "SELECT COUNT(*) FROM participants WHERE campaign_id IN (SELECT DISTINCT "
                                 "c.campaign_id FROM statement_sources ss JOIN contributions c ON c.id = "
                                 "ss.contribution_id WHERE ss.statement_id = ? AND c.state = 'published')"
                               : "SELECT COUNT(DISTINCT grp) FROM campaign_tally WHERE participants > 0 AND "
                                 "campaign_id IN (SELECT DISTINCT c.campaign_id FROM statement_sources ss JOIN "
                                 "contributions c ON c.id = ss.contribution_id WHERE ss.statement_id = ? AND "
                                 "c.state = 'published')",
                        "i", p->statement_id);
        store_read_end(s, c);
    }
    if (rc < 0) {
        store_contribution_list_release(out);
        return -1;
    }
    p->contributions = (int64_t)out->n;
    p->people = counts[0];
    p->groups = counts[1];
    return 0;
}
