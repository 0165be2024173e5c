/* Organisations and partnership programmes, and which organisations are partners in which
 * programme. Slugs name them in URLs and never change once made. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/utf8.h"
#include "store/store_int.h"
#include "core/banned.h"

const char *const store_org_types[][2] = {
    {"nhs_trust", "NHS trust"},
    {"ambulance_service", "Ambulance service"},
    {"integrated_care_board", "Integrated care board"},
    {"local_authority", "Local authority"},
    {"primary_care", "Primary care"},
    {"healthwatch", "Healthwatch"},
    {"voluntary_sector", "Voluntary sector"},
    {NULL, NULL},
};

const char *store_org_type_label(const char *code)
{
    for (size_t i = 0; store_org_types[i][0]; i++)
        if (strcmp(store_org_types[i][0], code) == 0)
            return store_org_types[i][1];
    return code;
}

static int check_type(const char *type, struct purpose_err *err)
{
    for (size_t i = 0; type && store_org_types[i][0]; i++)
        if (strcmp(store_org_types[i][0], type) == 0)
            return 0;
    return purpose_errk(err, PURPOSE_ERR_INPUT, "type",
                        "type: must be one of nhs_trust, ambulance_service, integrated_care_board, "
                        "local_authority, primary_care, healthwatch, voluntary_sector");
}

int store_check_slug(const char *field, const char *slug, struct purpose_err *err)
{
    size_t n = slug ? strlen(slug) : 0;
    bool ok = n >= 2 && n <= 60 && slug[0] != '-' && slug[n - 1] != '-';
    for (size_t i = 0; ok && i < n; i++) {
        char c = slug[i];
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && slug[i + 1] != '-');
    }
    if (!ok)
        return purpose_errk(err, PURPOSE_ERR_INPUT, field,
                            "%s: use 2 to 60 lower-case letters, digits and single hyphens, e.g. \"leeds-th\"",
                            field);
    return 0;
}

void store_slug_from(const char *name, char *out, size_t n)
{
    size_t o = 0;
    bool hyphen = false;
    for (const char *p = name; *p && o + 2 < n && o < 60; p++) {
        char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (hyphen && o > 0)
                out[o++] = '-';
            out[o++] = c;
            hyphen = false;
        } else {
            hyphen = true;
        }
    }
    if (o < 2)
        o = (size_t)snprintf(out, n, "org");
    out[o < n ? o : n - 1] = '\0';
}

/* An ODS code: up to 10 capital letters and digits, or empty. */
static int check_ods(const char *ods, struct purpose_err *err)
{
    size_t n = strlen(ods);
    bool ok = n <= 10;
    for (size_t i = 0; ok && i < n; i++)
        ok = (ods[i] >= 'A' && ods[i] <= 'Z') || (ods[i] >= '0' && ods[i] <= '9');
    return ok ? 0 : purpose_errk(err, PURPOSE_ERR_INPUT, "ods_code", "ods_code: use up to 10 capital letters and digits, e.g. \"RR8\"");
}

/* ---- organisations -------------------------------------------------------------------------- */

#define ORG_COLS "id, slug, name, type, ods_code, created_at"

static int row_org(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_org *o = item;
    bool oom = false;
    o->id = db_col_i64(st, 0);
    o->slug = db_col_dup(st, 1, &oom);
    o->name = db_col_dup(st, 2, &oom);
    o->type = db_col_dup(st, 3, &oom);
    o->ods_code = db_col_dup(st, 4, &oom);
    o->created_at = db_col_i64(st, 5);
    if (oom) {
        store_org_release(o);
        return store_oom(err);
    }
    return 0;
}

static json_t *org_json(const char *slug, const char *name, const char *type, const char *ods)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "slug", slug, "name", name, "type", type, "ods_code", ods);
}

static int org_check(const char *name, const char *type, const char *ods, struct purpose_err *err)
{
    if (store_check_text("name", name, STORE_NAME_MAX, true, err) < 0 || check_type(type, err) < 0 ||
        check_ods(ods, err) < 0)
        return -1;
    return 0;
}

int store_org_add(struct store *s, const struct store_actor *by, const char *slug, const char *name,
                  const char *type, const char *ods_code, int64_t *id, struct purpose_err *err)
{
    if (!ods_code)
        ods_code = "";
    if (store_check_slug("slug", slug, err) < 0 || org_check(name, type, ods_code, err) < 0)
        return -1;
    /* The organisation and its default values commit together. */
    if (store_tx_begin(s, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0) {
        store_tx_end(s, false, err);
        return -1;
    }
    int64_t new_id = 0;
    int rc = db_run_i64(c, &new_id, err,
                        "INSERT INTO organisations(slug, name, type, ods_code, created_at) VALUES(?,?,?,?,?) "
                        "RETURNING id",
                        "tttti", slug, name, type, ods_code, (int64_t)time(NULL));
    if (rc < 0 && err->kind == PURPOSE_ERR_CONFLICT)
        purpose_errk(err, PURPOSE_ERR_CONFLICT, "slug", "slug: \"%s\" is already used", slug);
    if (rc == 0)
        rc = store_audit(c, by, "create", "organisation", new_id, NULL, org_json(slug, name, type, ods_code), false,
                         true, err);
    rc = store_write_end(s, rc, err);
    /* Every organisation starts with the NHS values (its own to edit). */
    if (rc == 0)
        rc = store_default_values(s, new_id, err);
    struct purpose_err ignored;
    if (store_tx_end(s, rc == 0, rc == 0 ? err : &ignored) < 0)
        rc = -1;
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_org_get(struct store *s, int64_t id, struct store_org *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    return store_get(s, out, row_org, "organisation", err, "SELECT " ORG_COLS " FROM organisations WHERE id = ?",
                     "i", id);
}

int store_org_find(struct store *s, const char *slug, struct store_org *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    /* A slug from a URL may be any bytes: no organisation has one that is not UTF-8 (and
     * PostgreSQL would refuse it as a parameter). */
    if (!utf8_valid(slug, strlen(slug)))
        return store_not_found(err, "organisation");
    return store_get(s, out, row_org, "organisation", err, "SELECT " ORG_COLS " FROM organisations WHERE slug = ?",
                     "t", slug);
}

int store_org_find_ods(struct store *s, const char *ods_code, struct store_org *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    if (!ods_code || !ods_code[0])
        return store_not_found(err, "organisation");
    return store_get(s, out, row_org, "organisation", err,
                     "SELECT " ORG_COLS " FROM organisations WHERE ods_code = ? ORDER BY id LIMIT 1", "t", ods_code);
}

int store_org_default(struct store *s, struct store_org *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    return store_get(s, out, row_org, "organisation", err,
                     "SELECT " ORG_COLS " FROM organisations ORDER BY id LIMIT 1", "");
}

int store_org_list(struct store *s, struct store_org_list *out, struct purpose_err *err)
{
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_org, err,
                        "SELECT " ORG_COLS " FROM organisations ORDER BY id", "");
    if (rc < 0)
        store_org_list_release(out);
    return rc;
}

int store_org_update(struct store *s, const struct store_actor *by, int64_t id, const char *name, const char *type,
                     const char *ods_code, struct purpose_err *err)
{
    if (!ods_code)
        ods_code = "";
    if (org_check(name, type, ods_code, err) < 0)
        return -1;
    struct store_org old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, "SELECT " ORG_COLS " FROM organisations WHERE id = ?", "i", id);
    rc = store_read_one(st, rc, &old, row_org, "organisation", err);
    if (rc == 0)
        rc = db_run(c, err, "UPDATE organisations SET name = ?, type = ?, ods_code = ? WHERE id = ?", "ttti", name,
                    type, ods_code, id);
    if (rc == 0)
        rc = store_audit(c, by, "update", "organisation", id, org_json(old.slug, old.name, old.type, old.ods_code),
                         org_json(old.slug, name, type, ods_code), true, true, err);
    rc = store_write_end(s, rc, err);
    store_org_release(&old);
    return rc;
}

/* ---- programmes ----------------------------------------------------------------------------- */

#define PROG_COLS "p.id, p.slug, p.name, p.description, p.created_at"

static int row_programme(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_programme *p = item;
    bool oom = false;
    p->id = db_col_i64(st, 0);
    p->slug = db_col_dup(st, 1, &oom);
    p->name = db_col_dup(st, 2, &oom);
    p->description = db_col_dup(st, 3, &oom);
    p->created_at = db_col_i64(st, 4);
    if (oom) {
        store_programme_release(p);
        return store_oom(err);
    }
    return 0;
}

static json_t *programme_json(const char *slug, const char *name, const char *description)
{
    return json_pack("{s:s, s:s, s:s}", "slug", slug, "name", name, "description", description);
}

int store_programme_add(struct store *s, const struct store_actor *by, const char *slug, const char *name,
                        const char *description, int64_t *id, struct purpose_err *err)
{
    return store_programme_add_partners(s, by, slug, name, description, NULL, 0, id, err);
}

/* Makes org a partner of the programme inside c's transaction (a second time does nothing). */
static int partner_add(struct db_conn *c, const struct store_actor *by, int64_t programme_id, int64_t org_id,
                       struct purpose_err *err)
{
    int64_t o = 0, was = 0;
    int rc = db_run_i64(c, &o, err, "SELECT id FROM organisations WHERE id = ?", "i", org_id);
    if (rc == 0 && !o)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "partners", "partners: organisation %lld does not exist",
                          (long long)org_id);
    if (rc == 0)
        rc = db_run_i64(c, &was, err, "SELECT 1 FROM programme_partners WHERE programme_id = ? AND org_id = ?", "ii",
                        programme_id, org_id);
    if (rc == 0 && !was)
        rc = db_run(c, err, "INSERT INTO programme_partners(programme_id, org_id) VALUES(?,?)", "ii", programme_id,
                    org_id);
    if (rc == 0 && !was)
        rc = store_audit(c, by, "create", "partner", programme_id, NULL,
                         json_pack("{s:I}", "org_id", (json_int_t)org_id), false, true, err);
    return rc;
}

int store_programme_add_partners(struct store *s, const struct store_actor *by, const char *slug, const char *name,
                                 const char *description, const int64_t *partners, size_t npartners, int64_t *id,
                                 struct purpose_err *err)
{
    if (!description)
        description = "";
    if (store_check_slug("slug", slug, err) < 0 || store_check_text("name", name, STORE_NAME_MAX, true, err) < 0 ||
        store_check_text("description", description, STORE_TEXT_MAX, false, err) < 0)
        return -1;
    if (npartners > STORE_PARTNERS_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "partners", "partners: at most %d", STORE_PARTNERS_MAX);
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t new_id = 0;
    int rc = db_run_i64(c, &new_id, err,
                        "INSERT INTO programmes(slug, name, description, created_at) VALUES(?,?,?,?) RETURNING id",
                        "ttti", slug, name, description, (int64_t)time(NULL));
    if (rc < 0 && err->kind == PURPOSE_ERR_CONFLICT)
        purpose_errk(err, PURPOSE_ERR_CONFLICT, "slug", "slug: \"%s\" is already used", slug);
    if (rc == 0)
        rc = store_audit(c, by, "create", "programme", new_id, NULL, programme_json(slug, name, description), false,
                         true, err);
    for (size_t i = 0; rc == 0 && i < npartners; i++)
        rc = partner_add(c, by, new_id, partners[i], err);
    rc = store_write_end(s, rc, err);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_programme_get(struct store *s, int64_t id, struct store_programme *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    return store_get(s, out, row_programme, "programme", err, "SELECT " PROG_COLS " FROM programmes p WHERE p.id = ?",
                     "i", id);
}

int store_programme_find(struct store *s, const char *slug, struct store_programme *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    if (!utf8_valid(slug, strlen(slug)))
        return store_not_found(err, "programme");
    return store_get(s, out, row_programme, "programme", err,
                     "SELECT " PROG_COLS " FROM programmes p WHERE p.slug = ?", "t", slug);
}

int store_programme_list(struct store *s, const struct store_scope *scope, struct store_programme_list *out,
                         struct purpose_err *err)
{
    /* A programme's scope: -1, no organisation, so none. */
    const int64_t org_id = !scope ? 0 : scope->kind == STORE_SCOPE_ORG ? scope->id : -1;
    int rc = org_id ? store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_programme, err,
                                 "SELECT " PROG_COLS " FROM programmes p JOIN programme_partners pp "
                                 "ON pp.programme_id = p.id WHERE pp.org_id = ? ORDER BY p.id",
                                 "i", org_id)
                    : store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_programme, err,
                                 "SELECT " PROG_COLS " FROM programmes p ORDER BY p.id", "");
    if (rc < 0)
        store_programme_list_release(out);
    return rc;
}

int store_programme_update(struct store *s, const struct store_actor *by, int64_t id, const char *name,
                           const char *description, struct purpose_err *err)
{
    if (!description)
        description = "";
    if (store_check_text("name", name, STORE_NAME_MAX, true, err) < 0 ||
        store_check_text("description", description, STORE_TEXT_MAX, false, err) < 0)
        return -1;
    struct store_programme old = {0};
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, "SELECT " PROG_COLS " FROM programmes p WHERE p.id = ?", "i", id);
    rc = store_read_one(st, rc, &old, row_programme, "programme", err);
    if (rc == 0)
        rc = db_run(c, err, "UPDATE programmes SET name = ?, description = ? WHERE id = ?", "tti", name, description,
                    id);
    if (rc == 0)
        rc = store_audit(c, by, "update", "programme", id, programme_json(old.slug, old.name, old.description),
                         programme_json(old.slug, name, description), true, true, err);
    rc = store_write_end(s, rc, err);
    store_programme_release(&old);
    return rc;
}

int store_programme_partner_set(struct store *s, const struct store_actor *by, int64_t programme_id, int64_t org_id,
                                bool partner, struct purpose_err *err)
{
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t p = 0, o = 0, was = 0;
    int rc = db_run_i64(c, &p, err, "SELECT id FROM programmes WHERE id = ?", "i", programme_id);
    if (rc == 0 && !p)
        rc = store_not_found(err, "programme");
    if (rc == 0)
        rc = db_run_i64(c, &o, err, "SELECT id FROM organisations WHERE id = ?", "i", org_id);
    if (rc == 0 && !o)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "org_id", "org_id: organisation %lld does not exist",
                          (long long)org_id);
    if (rc == 0)
        rc = db_run_i64(c, &was, err, "SELECT 1 FROM programme_partners WHERE programme_id = ? AND org_id = ?", "ii",
                        programme_id, org_id);
    if (rc == 0 && partner && !was)
        rc = db_run(c, err, "INSERT INTO programme_partners(programme_id, org_id) VALUES(?,?)", "ii", programme_id,
                    org_id);
    if (rc == 0 && !partner && was)
        rc = db_run(c, err, "DELETE FROM programme_partners WHERE programme_id = ? AND org_id = ?", "ii",
                    programme_id, org_id);
    if (rc == 0 && (partner != (was != 0)))
        rc = store_audit(c, by, partner ? "create" : "delete", "partner", programme_id,
                         was ? json_pack("{s:I}", "org_id", (json_int_t)org_id) : NULL,
                         partner ? json_pack("{s:I}", "org_id", (json_int_t)org_id) : NULL, was != 0, partner, err);
    return store_write_end(s, rc, err);
}

int store_programme_partners(struct store *s, int64_t programme_id, struct store_org_list *out,
                             struct purpose_err *err)
{
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_org, err,
                        "SELECT o.id, o.slug, o.name, o.type, o.ods_code, o.created_at FROM organisations o "
                        "JOIN programme_partners pp ON pp.org_id = o.id WHERE pp.programme_id = ? ORDER BY o.id",
                        "i", programme_id);
    if (rc < 0)
        store_org_list_release(out);
    return rc;
}
