/* Vision provenance: which published contributions shaped the current version of a vision or
 * purpose, and "shaped by N contributions from M people in K groups". People are the authors of
 * the linked contributions: each contribution keeps its author only masked (heard.c: the
 * participant token of its conversation XOR a pad of the key and its id, so no two rows share a
 * value), and linking unmasks them to count the distinct ones, keeping only the number. Groups are
 * those the contributions count under (heard.c), together. The numbers are counted when
 * contributions are linked (at publishing) and kept with the version (statement_counts), so they
 * hold still: a later visitor, or a contribution later withdrawn, does not move them. A lead finds contributions to link by text and
 * theme, and publishes a version with them in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/secret.h"
#include "store/heard_int.h"
#include "core/banned.h"

#define SCOPE_ARGS(sc) ((sc).kind == STORE_SCOPE_ORG ? (sc).id : 0), ((sc).kind == STORE_SCOPE_ORG ? 0 : (sc).id)

struct author_row {
    int64_t id, user_id;
    char tally[65], author[65];
};

static int row_author(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    struct author_row *a = item;
    a->id = db_col_i64(st, 0);
    a->user_id = db_col_i64(st, 1);
    snprintf(a->tally, sizeof a->tally, "%s", db_col_text(st, 2) ? db_col_text(st, 2) : "");
    snprintf(a->author, sizeof a->author, "%s", db_col_text(st, 3) ? db_col_text(st, 3) : "");
    return 0;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Counts the statement's published contributions, their distinct authors and their groups inside
 * c's transaction, and keeps the numbers with the statement. An author is the unmasked participant
 * token; a row from before the mask counts by its user id, else as one person of its own. */
static int count_authors(struct store *s, struct db_conn *c, int64_t sid, struct purpose_err *err)
{
    struct author_row *rows = NULL;
    size_t n = 0;
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err,
                      "SELECT c.id, COALESCE(c.user_id, 0), c.tally, c.author_mask FROM statement_sources ss JOIN "
                      "contributions c ON c.id = ss.contribution_id WHERE ss.statement_id = ? AND c.state = "
                      "'published'",
                      "i", sid);
    size_t cap = 0;
    int r = 0;
    while (rc == 0 && (r = db_step(st, err)) == 1) {
        if (n == cap) {
            struct author_row *p = realloc(rows, (cap ? cap * 2 : 64) * sizeof *p);
            if (!p) {
                rc = store_oom(err);
                break;
            }
            rows = p;
            cap = cap ? cap * 2 : 64;
        }
        row_author(st, &rows[n++], err);
    }
    if (st)
        db_reset(st);
    if (rc == 0 && r < 0)
        rc = -1;
    char (*keys)[72] = rc == 0 ? calloc(n ? n : 1, sizeof *keys) : NULL;
    const char **sorted = keys ? calloc(n ? n : 1, sizeof *sorted) : NULL;
    if (rc == 0 && !sorted)
        rc = store_oom(err);
    struct heard_bits all = {{0}}, one;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char token[65];
        heard_author_unmask(s, rows[i].id, rows[i].author, token);
        if (token[0])
            snprintf(keys[i], sizeof keys[i], "t:%s", token);
        else if (rows[i].user_id)
            snprintf(keys[i], sizeof keys[i], "u:%lld", (long long)rows[i].user_id);
        else
            snprintf(keys[i], sizeof keys[i], "c:%lld", (long long)rows[i].id);
        sorted[i] = keys[i];
        heard_unmask(s, rows[i].id, rows[i].tally, &one);
        for (size_t b = 0; b < sizeof all.b; b++)
            all.b[b] |= one.b[b];
    }
    int64_t people = 0, groups = 0;
    if (rc == 0) {
        qsort(sorted, n, sizeof *sorted, by_string);
        for (size_t i = 0; i < n; i++)
            people += i == 0 || strcmp(sorted[i], sorted[i - 1]) != 0;
        for (size_t i = 0; store_groups[i][0] && i < 8 * sizeof all.b; i++)
            groups += (all.b[i / 8] >> (i % 8)) & 1;
        rc = db_run(c, err,
                    "INSERT INTO statement_counts(statement_id, contributions, people, groups, counted_at) "
                    "VALUES(?,?,?,?,?) ON CONFLICT(statement_id) DO UPDATE SET contributions = "
                    "excluded.contributions, people = excluded.people, groups = excluded.groups, counted_at = "
                    "excluded.counted_at",
                    "iiiii", sid, (int64_t)n, people, groups, (int64_t)time(NULL));
    }
    if (keys)
        secret_random_bytes((unsigned char *)keys, (n ? n : 1) * sizeof *keys); /* no tokens left behind */
    free(keys);
    free(sorted);
    free(rows);
    return rc;
}

int store_provenance_link(struct store *s, const struct store_actor *by, struct store_scope scope, const char *kind,
                          const int64_t *ids, size_t n, struct purpose_err *err)
{
    if (n == 0 || n > STORE_SOURCES_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "contribution_ids", "contribution_ids: give 1 to %d",
                            STORE_SOURCES_MAX);
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
        rc = db_run_i64(c, &ok, err,
                        "SELECT 1 FROM contributions c JOIN campaigns k ON k.id = c.campaign_id WHERE c.id = ? AND "
                        "c.state = 'published' AND COALESCE(k.org_id, 0) = ? AND COALESCE(k.programme_id, 0) = ?",
                        "iii", ids[i], SCOPE_ARGS(scope));
        if (rc == 0 && !ok)
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, "contribution_ids",
                              "contribution_ids: %lld is not a published contribution to these conversations",
                              (long long)ids[i]);
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
        rc = count_authors(s, c, sid, err);
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

struct masked_row {
    int64_t id;
    char tally[65];
};

static int row_masked(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    struct masked_row *m = item;
    m->id = db_col_i64(st, 0);
    snprintf(m->tally, sizeof m->tally, "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
    return 0;
}

/* The number of groups the statement's published contributions count under, together. */
static int groups_of(struct store *s, int64_t statement_id, int64_t *n, struct purpose_err *err)
{
    struct masked_row *rows = NULL;
    size_t nrows = 0;
    int rc = store_list(s, (void **)&rows, &nrows, sizeof *rows, row_masked, err,
                        "SELECT c.id, c.tally FROM statement_sources ss JOIN contributions c ON c.id = "
                        "ss.contribution_id WHERE ss.statement_id = ? AND c.state = 'published'",
                        "i", statement_id);
    struct heard_bits all = {{0}}, one;
    for (size_t i = 0; rc == 0 && i < nrows; i++) {
        heard_unmask(s, rows[i].id, rows[i].tally, &one);
        for (size_t b = 0; b < sizeof all.b; b++)
            all.b[b] |= one.b[b];
    }
    free(rows);
    *n = 0;
    for (size_t i = 0; store_groups[i][0] && i < 8 * sizeof all.b; i++)
        *n += (all.b[i / 8] >> (i % 8)) & 1;
    return rc;
}

/* The numbers kept when the version was published, into p when there are any (versions linked
 * before they were kept keep the count p has). */
static int kept_counts(struct store *s, struct store_provenance *p, struct purpose_err *err)
{
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err,
                      "SELECT contributions, people, groups, counted_at FROM statement_counts WHERE statement_id = ?",
                      "i", p->statement_id);
    int r = rc == 0 ? db_step(st, err) : -1;
    if (r > 0) {
        p->contributions = db_col_i64(st, 0);
        p->people = db_col_i64(st, 1);
        p->groups = db_col_i64(st, 2);
        p->counted_at = db_col_i64(st, 3);
    }
    if (st)
        db_reset(st);
    store_read_end(s, c);
    return r < 0 ? -1 : 0;
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
            rc = store_contribution_get(s, &scope, campaign, ids[i], &out->items[out->n], err);
        if (rc == 0)
            out->n++;
    }
    free(ids);
    int64_t counts[2] = {0, 0};
    for (int k = 0; rc == 0 && k < 1; k++) {
        struct db_conn *c;
        if (store_read(s, &c, err) < 0) {
            rc = -1;
            break;
        }
        rc = db_run_i64(c, &counts[k], err,
                        "SELECT COUNT(*) FROM participants WHERE campaign_id IN (SELECT DISTINCT "
                        "c.campaign_id FROM statement_sources ss JOIN contributions c ON c.id = "
                        "ss.contribution_id WHERE ss.statement_id = ? AND c.state = 'published')",
                        "i", p->statement_id);
        store_read_end(s, c);
    }
    if (rc == 0)
        rc = groups_of(s, p->statement_id, &counts[1], err);
    if (rc < 0) {
        store_contribution_list_release(out);
        return -1;
    }
    p->contributions = (int64_t)out->n;
    p->people = counts[0];
    p->groups = counts[1];
    if (kept_counts(s, p, err) < 0) {
        store_contribution_list_release(out);
        return -1;
    }
    return 0;
}

/* ---- the lead's side ------------------------------------------------------------------------- */

/* A LIKE pattern matching q anywhere, ASCII lower-cased, with % _ and \ escaped. */
static void like_pattern(const char *q, char *out, size_t n)
{
    size_t o = 0;
    out[o++] = '%';
    for (const char *p = q; *p && o + 4 < n; p++) {
        char ch = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
        if (ch == '%' || ch == '_' || ch == '\\')
            out[o++] = '\\';
        out[o++] = ch;
    }
    out[o++] = '%';
    out[o] = '\0';
}

struct two_ids {
    int64_t id, campaign;
};

static int row_two_ids(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    struct two_ids *t = item;
    t->id = db_col_i64(st, 0);
    t->campaign = db_col_i64(st, 1);
    return 0;
}

#define SCOPE_PUBLISHED                                                                                \
    "FROM contributions c JOIN campaigns k ON k.id = c.campaign_id WHERE COALESCE(k.org_id, 0) = ? AND "   \
    "COALESCE(k.programme_id, 0) = ? AND c.state = 'published'"

int store_provenance_candidates(struct store *s, struct store_scope scope, const char *q, const char *theme,
                                struct store_contribution_list *out, bool *more, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    *more = false;
    q = q ? q : "";
    theme = theme ? theme : "";
    if (store_check_text("q", q, STORE_TITLE_MAX, false, err) < 0 ||
        store_check_text("theme", theme, STORE_TITLE_MAX, false, err) < 0)
        return -1;
    char like[2 * STORE_TITLE_MAX + 8];
    like_pattern(q, like, sizeof like);
    struct two_ids *ids = NULL;
    size_t n = 0;
    int rc = store_list(s, (void **)&ids, &n, sizeof *ids, row_two_ids, err,
                        "SELECT c.id, c.campaign_id " SCOPE_PUBLISHED " AND (? = '' OR lower(c.body) LIKE ? "
                        "ESCAPE '\\') AND (? = '' OR c.theme = ?) ORDER BY c.id DESC LIMIT ?",
                        "iittttn", SCOPE_ARGS(scope), q, like, theme, theme, STORE_CANDIDATES_MAX + 1);
    if (rc == 0 && n > STORE_CANDIDATES_MAX) {
        *more = true;
        n = STORE_CANDIDATES_MAX;
    }
    if (rc == 0 && n && !(out->items = calloc(n, sizeof *out->items)))
        rc = store_oom(err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if ((rc = store_contribution_get(s, &scope, ids[i].campaign, ids[i].id, &out->items[out->n], err)) == 0)
            out->n++;
    free(ids);
    if (rc < 0)
        store_contribution_list_release(out);
    return rc;
}

struct theme_row {
    char *name;
};

static int row_theme(struct db_stmt *st, void *item, struct purpose_err *err)
{
    bool oom = false;
    ((struct theme_row *)item)->name = db_col_dup(st, 0, &oom);
    return oom ? store_oom(err) : 0;
}

int store_provenance_themes(struct store *s, struct store_scope scope, char (*out)[STORE_TITLE_MAX + 1], size_t max,
                            size_t *n, struct purpose_err *err)
{
    *n = 0;
    struct theme_row *rows = NULL;
    size_t nrows = 0;
    int rc = store_list(s, (void **)&rows, &nrows, sizeof *rows, row_theme, err,
                        "SELECT DISTINCT c.theme " SCOPE_PUBLISHED " AND c.theme <> '' ORDER BY c.theme", "ii",
                        SCOPE_ARGS(scope));
    for (size_t i = 0; i < nrows; i++) {
        if (rc == 0 && *n < max && rows[i].name)
            snprintf(out[(*n)++], STORE_TITLE_MAX + 1, "%s", rows[i].name);
        free(rows[i].name);
    }
    free(rows);
    return rc;
}

int store_statement_publish(struct store *s, const struct store_actor *by, struct store_scope scope, const char *kind,
                            const char *text, const int64_t *ids, size_t n, struct purpose_err *err)
{
    if (n > STORE_SOURCES_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "contribution_ids", "contribution_ids: give at most %d",
                            STORE_SOURCES_MAX);
    if (store_tx_begin(s, err) < 0)
        return -1;
    int rc = store_statement_set(s, by, scope, kind, text, err);
    if (rc == 0 && n)
        rc = store_provenance_link(s, by, scope, kind, ids, n, err);
    struct purpose_err ignored = {0};
    if (store_tx_end(s, rc == 0, rc == 0 ? err : &ignored) < 0)
        rc = -1;
    return rc;
}
