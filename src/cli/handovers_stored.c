/* purpose handovers report without --input: the stored aggregates (the store's side of the
 * command, kept apart so that the report from a file links no database). */
#include "cli/cli.h"
#include "cli/handovers_cli.h"
#include "store/store.h"
#include "core/banned.h"

int ho_cli_load_stored(const char *db, const char *key, const char *org, const char *programme,
                       const struct ho_report_opts *o, struct ho_agg *agg, struct purpose_err *err)
{
    struct store *s = NULL;
    if (cli_store_open(db, key, false, &s, NULL, err) < 0)
        return -1;
    struct store_scope scope = {STORE_SCOPE_ORG, 0};
    int rc;
    if (programme) {
        struct store_programme p = {0};
        rc = store_programme_find(s, programme, &p, err);
        scope = (struct store_scope){STORE_SCOPE_PROGRAMME, p.id};
        store_programme_release(&p);
    } else {
        struct store_org g = {0};
        rc = org ? store_org_find(s, org, &g, err) : store_org_default(s, &g, err);
        scope.id = g.id;
        store_org_release(&g);
    }
    if (rc == 0)
        rc = store_ho_load(s, scope, o->from, o->to, agg, err);
    store_close(&s);
    return rc;
}
