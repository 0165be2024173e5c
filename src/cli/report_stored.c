/* purpose report --db: the board pack of stored measures (the store's side of the command, kept
 * apart so that the report from CSV files links no database). */
#include "cli/cli.h"
#include "cli/report_cli.h"
#include "store/store.h"
#include "web/pack.h"
#include "core/banned.h"

int report_stored(const char *db, const char *key_file, const char *org, const char *programme, const char *title,
                  struct buf *out, struct purpose_err *err)
{
    struct store *s = NULL;
    if (cli_store_open(db, key_file, false, &s, NULL, err) < 0)
        return -1;
    struct store_scope scope = {STORE_SCOPE_ORG, 0};
    int rc;
    if (programme) {
        struct store_programme p = {0};
        if ((rc = store_programme_find(s, programme, &p, err)) < 0 && err->kind == PURPOSE_ERR_NOT_FOUND)
            purpose_errk(err, PURPOSE_ERR_NOT_FOUND, "programme", "--programme: no programme \"%s\"", programme);
        scope = (struct store_scope){STORE_SCOPE_PROGRAMME, p.id};
        store_programme_release(&p);
    } else {
        struct store_org g = {0};
        rc = org ? store_org_find(s, org, &g, err) : store_org_default(s, &g, err);
        if (rc < 0 && org && err->kind == PURPOSE_ERR_NOT_FOUND)
            purpose_errk(err, PURPOSE_ERR_NOT_FOUND, "org", "--org: no organisation \"%s\"", org);
        scope.id = g.id;
        store_org_release(&g);
    }
    if (rc == 0)
        rc = web_board_pack(s, scope, title, out, err);
    store_close(&s);
    return rc;
}
