/* A conversation's published ideas, paged, searched, filtered and sorted in SQL (ideas.h), so a page
 * of a 50,000-idea conversation reads one page of ids and then each idea by its key, never the
 * conversation's whole list. The SQL is one text per sort (the drivers cache statements by their
 * text), each optional filter written as "(? = '' OR ...)" so that an absent one costs nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/contributions_int.h"
#include "core/banned.h"

static const char *const sorts[] = {"newest", "agreed", "divided"};
static const char *const groups[] = {"staff", "public", "event"};
static const char *const states[] = {"open", "responded", "adopted", "in_progress", "not_taken_forward"};

static bool one_of(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

#define OR_EMPTY(s) ((s) ? (s) : "")

int store_idea_query_check(const struct store_idea_query *q, struct purpose_err *err)
{
    const char *sort = OR_EMPTY(q->sort), *group = OR_EMPTY(q->group), *state = OR_EMPTY(q->state);
    if (store_check_text("q", OR_EMPTY(q->q), STORE_SEARCH_MAX, false, err) < 0 ||
        store_check_text("theme", OR_EMPTY(q->theme), STORE_TITLE_MAX, false, err) < 0)
        return -1;
    if (sort[0] && !one_of(sort, sorts, 3))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "sort", "sort: must be newest, agreed or divided");
    if (group[0] && !one_of(group, groups, 3))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "group", "group: must be staff, public or event");
    if (state[0] && !one_of(state, states, 5))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "state",
                            "state: must be open, responded, adopted, in_progress or not_taken_forward");
    if (q->page < 0 || q->page > STORE_IDEAS_PAGE_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "page", "page: must be a whole number from 1 to %d",
                            STORE_IDEAS_PAGE_MAX);
    if (q->per_page < 0 || q->per_page > STORE_IDEAS_PER_PAGE_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "per_page", "per_page: must be a whole number from 1 to %d",
                            STORE_IDEAS_PER_PAGE_MAX);
    return 0;
}

/* The words of q as LIKE patterns ("%word%", lower-case ASCII, with % _ and \ escaped), at most
 * STORE_SEARCH_WORDS; the rest are "". Non-ASCII letters match as they are written. */
static void words(const char *q, char pat[STORE_SEARCH_WORDS][2 * STORE_SEARCH_MAX + 4], size_t *n)
{
    *n = 0;
    for (size_t i = 0; i < STORE_SEARCH_WORDS; i++)
        pat[i][0] = '\0';
    const char *p = OR_EMPTY(q);
    while (*p && *n < STORE_SEARCH_WORDS) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        char *o = pat[*n];
        size_t k = 0;
        o[k++] = '%';
        for (; *p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r'; p++) {
            char ch = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
            if (ch == '%' || ch == '_' || ch == '\\')
                o[k++] = '\\';
            o[k++] = ch;
        }
        o[k++] = '%';
        o[k] = '\0';
        (*n)++;
    }
}

/* The WHERE of every listing, over contributions c: the conversation's published ideas, then the
 * filters. No join: a response is looked for only when the response filter asks (CASE evaluates
 * one branch), and the vote totals are joined only by the rankings that need them. */
#define IDEAS_WHERE                                                                                     \
    " WHERE c.campaign_id = " STORE_CAMPAIGN_OF " AND c.kind = 'idea' AND c.state = 'published'"          \
    " AND (? = '' OR lower(c.body) LIKE ? ESCAPE '\\') AND (? = '' OR lower(c.body) LIKE ? ESCAPE '\\')"  \
    " AND (? = '' OR lower(c.body) LIKE ? ESCAPE '\\') AND (? = '' OR lower(c.body) LIKE ? ESCAPE '\\')"  \
    " AND (? = '' OR c.theme = ?)"                                                                        \
    " AND CASE ? WHEN '' THEN 1 = 1"                                                                      \
    " WHEN 'open' THEN NOT EXISTS (SELECT 1 FROM idea_responses x WHERE x.contribution_id = c.id)"        \
    " WHEN 'responded' THEN EXISTS (SELECT 1 FROM idea_responses x WHERE x.contribution_id = c.id)"       \
    " WHEN 'adopted' THEN EXISTS (SELECT 1 FROM idea_responses x WHERE x.contribution_id = c.id AND"      \
    " x.state = 'adopted') WHEN 'in_progress' THEN EXISTS (SELECT 1 FROM idea_responses x WHERE"          \
    " x.contribution_id = c.id AND x.state = 'in_progress') ELSE EXISTS (SELECT 1 FROM idea_responses x"  \
    " WHERE x.contribution_id = c.id AND x.state = 'not_taken_forward') END"                              \
    " AND CASE ? WHEN 'staff' THEN c.staff = 1 WHEN 'public' THEN c.staff = 0 AND c.event = ''"           \
    " WHEN 'event' THEN c.staff = 0 AND c.event <> '' ELSE 1 = 1 END"
/* 14 parameters (the conversation and its scope's key first), so that with LIMIT and OFFSET a
 * listing stays within the drivers' 16. */
#define IDEAS_TYPES "iitttttttttttt"
#define IDEAS_ARGS(cid, scope, w, theme, state, group)                                                   \
    cid, STORE_SCOPE_KEY(scope), w[0], w[0], w[1], w[1], w[2], w[2], w[3], w[3], theme, theme, state, group

/* The rankings of store_agreement and store_division, in SQL; ideas under the suppression threshold
 * come last, as the results page leaves them out. Ties go to the newer day, then the id (so an
 * anonymous idea's place says nothing of when in its day it came). */
#define VOTES "(COALESCE(t.agree, 0) + COALESCE(t.disagree, 0) + COALESCE(t.unsure, 0))"
#define RANKED "CASE WHEN " VOTES " >= 5 THEN 0 ELSE 1 END"
#define AGREEMENT "CASE WHEN " VOTES " > 0 THEN 1.0 * COALESCE(t.agree, 0) / " VOTES " ELSE 0 END"
#define AD "(COALESCE(t.agree, 0) + COALESCE(t.disagree, 0))"
#define DIVISION                                                                                        \
    "CASE WHEN " AD " > 0 THEN 4.0 * COALESCE(t.agree, 0) * COALESCE(t.disagree, 0) / (1.0 * " AD " * " AD \
    ") ELSE 0 END"
/* One page, read whole in one statement: the page's ids and sort keys (p) in a subquery, which
 * alone sees every matching idea; then each of them by its key, with its totals and response. */
#define PAGE_OF(keys, from, order)                                                                       \
    "SELECT " CONTRIB_COLS TALLY_COLS TALLY_JOIN "JOIN (SELECT c.id AS pid, " keys " FROM contributions c" from \
    IDEAS_WHERE " ORDER BY " order " LIMIT ? OFFSET ?) p ON p.pid = c.id ORDER BY " order
#define RANKED_BY(measure)                                                                               \
    PAGE_OF(RANKED " AS k1, " measure " AS k2, " VOTES " AS k3, c.created_at AS k4",                    \
            " LEFT JOIN vote_tally t ON t.contribution_id = c.id", "k1, k2 DESC, k3 DESC, k4 DESC, pid DESC")

static const char *const page_sql[] = {
    PAGE_OF("c.created_at AS k4", "", "k4 DESC, pid DESC"),
    RANKED_BY(AGREEMENT),
    RANKED_BY(DIVISION),
};

static int row_id(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    *(int64_t *)item = db_col_i64(st, 0);
    return 0;
}

static int row_count(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    *(int64_t *)item = db_col_i64(st, 0);
    return 0;
}

void store_idea_page_release(struct store_idea_page *p)
{
    store_contribution_list_release(&p->ideas);
    store_contribution_list_release(&p->comments);
    p->total = 0;
    p->more = p->many = false;
}

/* The newest STORE_IDEA_COMMENTS published comments of each idea of the page, in one statement:
 * the ideas' ids go in as one list, which the engines spell differently. */
/* A list of ids as one parameter: a JSON array for SQLite's json_each, an array literal for
 * PostgreSQL's ANY. */
#define ID_LIST_MAX (STORE_IDEAS_PER_PAGE_MAX * 21 + 4)
static void id_list(bool pg, const int64_t *ids, size_t n, char list[ID_LIST_MAX])
{
    size_t used = 0;
    list[used++] = pg ? '{' : '[';
    for (size_t i = 0; i < n && i < STORE_IDEAS_PER_PAGE_MAX; i++)
        used += (size_t)snprintf(list + used, ID_LIST_MAX - used, "%s%lld", i ? "," : "", (long long)ids[i]);
    snprintf(list + used, ID_LIST_MAX - used, "%c", pg ? '}' : ']');
}

static int page_comments(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                         const struct store_contribution_list *ideas, struct store_contribution_list *out,
                         struct purpose_err *err)
{
    bool pg = db_engine(s->db) == DB_POSTGRES;
    int64_t ids[STORE_IDEAS_PER_PAGE_MAX];
    size_t n = 0;
    for (size_t i = 0; i < ideas->n && n < STORE_IDEAS_PER_PAGE_MAX; i++)
        ids[n++] = ideas->items[i].id;
    char list[ID_LIST_MAX];
    id_list(pg, ids, n, list);
#define NEWEST_OF(in)                                                                                    \
    "SELECT * FROM (SELECT " CONTRIB_COLS TALLY_COLS ", ROW_NUMBER() OVER (PARTITION BY c.parent_id ORDER BY"  \
    " c.created_at DESC, c.id DESC) AS rn" TALLY_JOIN "WHERE c.campaign_id = " STORE_CAMPAIGN_OF        \
    " AND c.state = 'published' AND"                                                                       \
    " c.parent_id " in ") k WHERE rn <= ? ORDER BY 3, 12 DESC, 1 DESC" /* the idea, then newest first */
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, store_row_contribution, err,
                        pg ? NEWEST_OF("= ANY (CAST(? AS BIGINT[]))") : NEWEST_OF("IN (SELECT value FROM json_each(?))"),
                        "iiti", campaign_id, STORE_SCOPE_KEY(scope), list, (int64_t)STORE_IDEA_COMMENTS);
#undef NEWEST_OF
    if (rc < 0)
        store_contribution_list_release(out);
    return rc;
}

int store_ideas_page(struct store *s, const struct store_scope *scope, int64_t campaign_id, const struct store_idea_query *q,
                     struct store_idea_page *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    if (store_idea_query_check(q, err) < 0)
        return -1;
    char w[STORE_SEARCH_WORDS][2 * STORE_SEARCH_MAX + 4];
    size_t nw;
    words(q->q, w, &nw);
    const char *theme = OR_EMPTY(q->theme), *state = OR_EMPTY(q->state), *group = OR_EMPTY(q->group);
    const char *sort = OR_EMPTY(q->sort);
    size_t which = strcmp(sort, "agreed") == 0 ? 1 : strcmp(sort, "divided") == 0 ? 2 : 0;
    int64_t per = q->per_page ? q->per_page : STORE_IDEAS_PER_PAGE, page = q->page ? q->page : 1;
    int64_t *count = NULL;
    size_t nc = 0;
    int rc = store_list(s, (void **)&count, &nc, sizeof *count, row_count, err,
                        "SELECT COUNT(*) FROM (SELECT 1 FROM contributions c" IDEAS_WHERE " LIMIT ?) x",
                        IDEAS_TYPES "i", IDEAS_ARGS(campaign_id, scope, w, theme, state, group),
                        (int64_t)STORE_IDEAS_COUNT_MAX + 1);
    if (rc == 0) {
        out->total = nc ? count[0] : 0;
        out->many = out->total > STORE_IDEAS_COUNT_MAX;
        if (out->many)
            out->total = STORE_IDEAS_COUNT_MAX;
    }
    /* Nothing matches, or the page is past the last: no need to look for the page's ideas. */
    if (rc == 0 && (out->many || out->total > (page - 1) * per)) {
        rc = store_list(s, (void **)&out->ideas.items, &out->ideas.n, sizeof *out->ideas.items,
                        store_row_contribution, err, page_sql[which], IDEAS_TYPES "ii",
                        IDEAS_ARGS(campaign_id, scope, w, theme, state, group), per + 1, (page - 1) * per);
    }
    free(count);
    if (rc == 0 && (int64_t)out->ideas.n > per) {
        out->more = true;
        store_contribution_release(&out->ideas.items[--out->ideas.n]);
    }
    if (rc == 0 && out->ideas.n)
        rc = page_comments(s, scope, campaign_id, &out->ideas, &out->comments, err);
    if (rc < 0)
        store_idea_page_release(out);
    return rc;
}

int store_idea_comments(struct store *s, const struct store_scope *scope, int64_t campaign_id, int64_t idea,
                        size_t max, struct store_contribution_list *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, store_row_contribution, err,
                        "SELECT " CONTRIB_COLS TALLY_COLS TALLY_JOIN "WHERE c.parent_id = ? AND c.campaign_id = "
                        STORE_CAMPAIGN_OF " AND c.state = 'published' ORDER BY c.created_at DESC, c.id DESC LIMIT ?",
                        "iiii", idea, campaign_id, STORE_SCOPE_KEY(scope), (int64_t)max);
    if (rc < 0)
        store_contribution_list_release(out);
    return rc;
}

static int row_theme(struct db_stmt *st, void *item, struct purpose_err *err)
{
    bool oom = false;
    *(char **)item = db_col_dup(st, 0, &oom);
    return oom ? store_oom(err) : 0;
}

void store_idea_themes_release(struct store_idea_themes *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->items[i]);
    free(t->items);
    t->items = NULL;
    t->n = 0;
}

/* The distinct themes by one index seek each (a loose index scan, written as a recursive query
 * for both engines), not by reading every idea: a Big Conversation has 50,000 ideas and a few themes. */
int store_idea_themes(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                      struct store_idea_themes *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_theme, err,
                        "WITH RECURSIVE cv(id) AS (SELECT " STORE_CAMPAIGN_OF "),"
                        " th(theme) AS (SELECT MIN(theme) FROM contributions WHERE campaign_id = (SELECT id FROM cv)"
                        " AND kind = 'idea' AND state = 'published' AND theme > '' UNION ALL SELECT (SELECT MIN(theme)"
                        " FROM contributions WHERE campaign_id = (SELECT id FROM cv) AND kind = 'idea' AND"
                        " state = 'published' AND theme > th.theme) FROM th WHERE th.theme IS NOT NULL)"
                        " SELECT theme FROM th WHERE theme IS NOT NULL LIMIT 200",
                        "ii", campaign_id, STORE_SCOPE_KEY(scope));
    if (rc < 0)
        store_idea_themes_release(out);
    return rc;
}

int store_idea_campaign(struct store *s, const struct store_scope *scope, int64_t idea, int64_t *campaign_id,
                        struct purpose_err *err)
{
    int64_t *ids = NULL;
    size_t n = 0;
    int rc = store_list(s, (void **)&ids, &n, sizeof *ids, row_id, err,
                        "SELECT c.campaign_id FROM contributions c JOIN campaigns k ON k.id = c.campaign_id"
                        " WHERE c.id = ? AND c.kind = 'idea' AND c.state = 'published'"
                        " AND " STORE_SCOPE_OF("k") " = ?",
                        "ii", idea, STORE_SCOPE_KEY(scope));
    if (rc == 0 && n == 0)
        rc = store_not_found(err, "idea");
    if (rc == 0)
        *campaign_id = ids[0];
    free(ids);
    return rc;
}

int store_contributions_first(struct store *s, const struct store_scope *scope, int64_t campaign_id, size_t max,
                              struct store_contribution_list *out, bool *more, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    *more = false;
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, store_row_contribution, err,
                        "SELECT " CONTRIB_COLS TALLY_COLS TALLY_JOIN "WHERE c.campaign_id = " STORE_CAMPAIGN_OF
                        " AND c.state = 'published' ORDER BY c.created_at, c.id LIMIT ?",
                        "iii", campaign_id, STORE_SCOPE_KEY(scope), (int64_t)max + 1);
    if (rc == 0 && out->n > max) {
        *more = true;
        store_contribution_release(&out->items[--out->n]);
    }
    if (rc < 0)
        store_contribution_list_release(out);
    return rc;
}

int store_ideas_get(struct store *s, const struct store_scope *scope, int64_t campaign_id, const int64_t *ids, size_t n,
                    struct store_idea_page *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    if (n > STORE_IDEAS_PER_PAGE_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "ids", "ids: at most %d", STORE_IDEAS_PER_PAGE_MAX);
    if (n == 0)
        return 0;
    bool pg = db_engine(s->db) == DB_POSTGRES;
    char list[ID_LIST_MAX];
    id_list(pg, ids, n, list);
#define BY_IDS(in)                                                                                       \
    "SELECT " CONTRIB_COLS TALLY_COLS TALLY_JOIN "WHERE c.campaign_id = " STORE_CAMPAIGN_OF                 \
    " AND c.kind = 'idea' AND"                                                                            \
    " c.state = 'published' AND c.id " in
    struct store_contribution_list got;
    memset(&got, 0, sizeof got);
    int rc = store_list(s, (void **)&got.items, &got.n, sizeof *got.items, store_row_contribution, err,
                        pg ? BY_IDS("= ANY (CAST(? AS BIGINT[]))") : BY_IDS("IN (SELECT value FROM json_each(?))"),
                        "iit", campaign_id, STORE_SCOPE_KEY(scope), list);
#undef BY_IDS
    /* In the order asked for; one hidden since is left out. */
    if (rc == 0 && got.n && !(out->ideas.items = calloc(got.n, sizeof *out->ideas.items)))
        rc = store_oom(err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        for (size_t k = 0; k < got.n; k++)
            if (got.items[k].id == ids[i] && got.items[k].kind) {
                out->ideas.items[out->ideas.n++] = got.items[k];
                memset(&got.items[k], 0, sizeof got.items[k]);
                break;
            }
    store_contribution_list_release(&got);
    if (rc == 0 && out->ideas.n)
        rc = page_comments(s, scope, campaign_id, &out->ideas, &out->comments, err);
    if (rc < 0)
        store_idea_page_release(out);
    return rc;
}

int store_votes_of(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                   const struct store_contribution_list *items, const char *secret, int64_t account, char (*out)[16],
                   struct purpose_err *err)
{
    for (size_t i = 0; i < items->n; i++)
        out[i][0] = '\0';
    if (items->n == 0 || (!account && (!secret || !secret[0])))
        return 0;
    if (!account && store_check_contributor(secret, err) < 0)
        return -1;
    if (items->n > STORE_IDEAS_PER_PAGE_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "ids", "ids: at most %d", STORE_IDEAS_PER_PAGE_MAX);
    /* One voter hash per item (each is keyed with its item), all in one list. */
    bool pg = db_engine(s->db) == DB_POSTGRES;
    char list[STORE_IDEAS_PER_PAGE_MAX * (SECRET_HEX_LEN + 3) + 4];
    size_t used = 0;
    list[used++] = pg ? '{' : '[';
    for (size_t i = 0; i < items->n; i++) {
        char voter[SECRET_HEX_LEN + 1];
        store_voter_of(s, items->items[i].id, secret, account, voter);
        used += (size_t)snprintf(list + used, sizeof list - used, pg ? "%s%s" : "%s\"%s\"", i ? "," : "", voter);
    }
    snprintf(list + used, sizeof list - used, "%c", pg ? '}' : ']');
    int64_t ids[STORE_IDEAS_PER_PAGE_MAX];
    for (size_t i = 0; i < items->n; i++)
        ids[i] = items->items[i].id;
    char idl[ID_LIST_MAX];
    id_list(pg, ids, items->n, idl);
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    /* By the items (the key's first column), then the visitor's hashes among their votes. */
    int rc = db_query(c, &st, err,
                      pg ? "SELECT v.contribution_id, v.vote FROM votes v JOIN contributions c ON c.id = v.contribution_id"
                           " WHERE v.contribution_id = ANY (CAST(? AS BIGINT[])) AND v.voter = ANY (CAST(? AS TEXT[]))"
                           " AND c.campaign_id = " STORE_CAMPAIGN_OF
                         : "SELECT v.contribution_id, v.vote FROM votes v JOIN contributions c ON c.id = v.contribution_id"
                           " WHERE v.contribution_id IN (SELECT value FROM json_each(?)) AND v.voter IN (SELECT value"
                           " FROM json_each(?)) AND c.campaign_id = " STORE_CAMPAIGN_OF,
                      "ttii", idl, list, campaign_id, STORE_SCOPE_KEY(scope));
    int r = 0;
    while (rc == 0 && (r = db_step(st, err)) > 0)
        for (size_t i = 0; i < items->n; i++)
            if (items->items[i].id == db_col_i64(st, 0))
                snprintf(out[i], 16, "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
    if (st)
        db_reset(st);
    store_read_end(s, c);
    secret_random_bytes((unsigned char *)list, sizeof list); /* the hashes of this visitor's votes */
    return rc < 0 || r < 0 ? -1 : 0;
}
