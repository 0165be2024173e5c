/* Ambulance handovers read from the store: an organisation's or a programme's sites, and the stored
 * days' aggregates (contract in handovers.h; the import is handovers.c's). */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

void store_ho_site_list_release(struct store_ho_site_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].name);
        free(l->items[i].org_slug);
        free(l->items[i].code);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

int store_ho_row_site(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_ho_site *x = item;
    bool oom = false;
    x->id = db_col_i64(st, 0);
    x->org_id = db_col_i64(st, 1);
    x->name = db_col_dup(st, 2, &oom);
    x->org_slug = db_col_dup(st, 3, &oom);
    x->code = db_col_dup(st, 4, &oom);
    if (oom) {
        free(x->name);
        free(x->org_slug);
        free(x->code);
        memset(x, 0, sizeof *x);
        return store_oom(err);
    }
    return 0;
}

int store_ho_sites(struct store *s, struct store_scope scope, struct store_ho_site_list *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    int rc = scope.kind == STORE_SCOPE_ORG
                 ? db_query(c, &st, err,
                            "SELECT s.id, s.org_id, s.name, o.slug, COALESCE(s.code, '') FROM ho_sites s JOIN organisations o"
                            " ON o.id = s.org_id WHERE s.org_id = ? ORDER BY s.name",
                            "i", scope.id)
                 : db_query(c, &st, err,
                            "SELECT s.id, s.org_id, s.name, o.slug, COALESCE(s.code, '') FROM ho_sites s JOIN organisations o"
                            " ON o.id = s.org_id JOIN programme_partners p ON p.org_id = s.org_id"
                            " WHERE p.programme_id = ? ORDER BY o.slug, s.name",
                            "i", scope.id);
    rc = store_read_all(st, rc, (void **)&out->items, &out->n, sizeof *out->items, store_ho_row_site, err);
    store_read_end(s, c);
    if (rc < 0)
        store_ho_site_list_release(out);
    return rc;
}

int store_ho_load(struct store *s, struct store_scope scope, int32_t from, int32_t to, struct ho_agg *agg,
                  struct purpose_err *err)
{
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    if (scope.kind == STORE_SCOPE_PROGRAMME) {
        int r = store_ho_load_programme(c, scope.id, from, to, agg, err);
        store_read_end(s, c);
        return r;
    }
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err,
                      "SELECT s.name, d.day, d.blob FROM ho_days d JOIN ho_sites s ON s.id = d.site_id"
                      " WHERE s.org_id = ? AND d.day >= ? AND d.day <= ?",
                      "inn", scope.id, from, to);
    if (rc == 0) {
        db_stream(st);
        int r;
        while (rc == 0 && (r = db_step(st, err)) == 1) {
            const char *name = db_col_text(st, 0);
            size_t bl = 0;
            const void *blob = db_col_blob(st, 2, &bl);
            struct ho_day d;
            ho_day_init(&d, (int32_t)db_col_i64(st, 1));
            rc = ho_day_deserialise(&d, blob, bl, err);
            if (rc == 0)
                rc = ho_agg_take_day(agg, name ? name : "", name ? strlen(name) : 0, &d, err);
            ho_day_release(&d);
        }
        if (rc == 0 && r < 0)
            rc = -1;
        db_reset(st);
    }
    store_read_end(s, c);
    return rc;
}
