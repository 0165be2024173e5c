/* The well-led self-assessment's evidence (wellled.h): each kind the platform holds, gathered for
 * one organisation by its own function (this file: the strategy, its conversations, alignment and
 * the audit log; wellled_work.c: the improvement work; wellled_pulses.c: the purpose pulse), and
 * which quality statements it speaks to (docs/wellled.md says why each goes where). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/wellled_int.h"
#include "core/banned.h"

#define S(n) (1u << ((n) - 1)) /* quality statement n */
#define YEAR_SECONDS (365 * 86400)

/* CQC's evidence categories: people's experience, feedback from staff and leaders, feedback from
 * partners, observation, processes, outcomes (CQC, "Evidence categories"). */
static const struct {
    const char *key, *title, *category;
    unsigned statements;
    wl_gather_fn gather;
} kinds[STORE_WL_KINDS] = {
    [STORE_WL_KIND_STATEMENTS] = {"statements", "Vision and purpose: versions and provenance", "Processes",
                                  S(1), wl_statements},
    [STORE_WL_KIND_HEARD] = {"heard", "Who has been heard", "People's experience and feedback from staff",
                             S(1) | S(3) | S(6), wl_heard},
    [STORE_WL_KIND_RESPONSES] = {"responses", "You said, we did", "Feedback from staff and leaders",
                                 S(3) | S(7), wl_responses},
    [STORE_WL_KIND_ALIGNMENT] = {"alignment", "Alignment of improvement work", "Processes", S(1) | S(5),
                                 wl_alignment},
    [STORE_WL_KIND_IMPROVEMENT] = {"improvement", "Improvement signals and PDSA activity", "Outcomes", S(5) | S(7),
                                   wl_improvement},
    [STORE_WL_KIND_CASES] = {"cases", "Case studies", "Outcomes", S(7), wl_cases},
    [STORE_WL_KIND_PARTNERSHIPS] = {"partnerships", "Partnership programmes and shared measures",
                                    "Feedback from partners", S(6), wl_partnerships},
    [STORE_WL_KIND_AUDIT] = {"audit", "The audit log", "Processes", S(5), wl_audit},
    [STORE_WL_KIND_NETZERO] = {"netzero", "Measures on net zero", "Outcomes", S(8), wl_netzero},
    [STORE_WL_KIND_PULSES] = {"pulses", "Purpose pulse results", "Feedback from staff and leaders", S(1) | S(2),
                              wl_pulses},
};

void store_wl_evidence_list_release(struct store_wl_evidence_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct store_wl_evidence *e = &l->items[i];
        free(e->text);
        for (size_t k = 0; k < e->n_links; k++)
            free(e->links[k].label);
        free(e->links);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

int store_wl_evidence(struct store *s, const struct store_scope *scope, int64_t now,
                      struct store_wl_evidence_list *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    if (!org_id)
        return store_not_found(err, "organisation");
    if (!(out->items = calloc(STORE_WL_KINDS, sizeof *out->items)))
        return store_oom(err);
    struct buf text;
    buf_init(&text, 1 << 16);
    int rc = 0;
    for (size_t k = 0; k < STORE_WL_KINDS && rc == 0; k++) {
        struct store_wl_evidence *e = &out->items[out->n++];
        *e = (struct store_wl_evidence){.kind = (enum store_wl_kind)k, .key = kinds[k].key, .title = kinds[k].title,
                                        .category = kinds[k].category, .statements = kinds[k].statements};
        buf_reset(&text);
        rc = kinds[k].gather(s, org_id, now, e, &text, err);
        if (rc == 0 && (text.failed || !(e->text = strdup(text.len ? text.data : ""))))
            rc = store_oom(err);
    }
    buf_release(&text);
    if (rc < 0)
        store_wl_evidence_list_release(out);
    return rc;
}

bool store_wl_has_evidence(const struct store_wl_evidence_list *l, int statement)
{
    for (size_t i = 0; statement >= 1 && statement <= STORE_WL_STATEMENTS && i < l->n; i++)
        if ((l->items[i].statements & S(statement)) && l->items[i].count > 0)
            return true;
    return false;
}

/* ---- helpers ------------------------------------------------------------------------------------ */

int wl_link(struct store_wl_evidence *e, enum store_wl_target to, int64_t id, const char *word, const char *label,
            struct purpose_err *err)
{
    struct store_wl_link *grown = realloc(e->links, (e->n_links + 1) * sizeof *grown);
    if (!grown)
        return store_oom(err);
    e->links = grown;
    struct store_wl_link *l = &e->links[e->n_links];
    *l = (struct store_wl_link){.to = to, .id = id};
    snprintf(l->word, sizeof l->word, "%s", word ? word : "");
    if (!(l->label = strdup(label)))
        return store_oom(err);
    e->n_links++;
    return 0;
}

int wl_row_read(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct wl_row *r = item;
    bool oom = false;
    r->id = db_col_i64(st, 0);
    r->n = db_col_i64(st, 1);
    r->a = db_col_dup(st, 2, &oom);
    r->b = db_col_dup(st, 3, &oom);
    if (oom) {
        free(r->a);
        free(r->b);
        return store_oom(err);
    }
    return 0;
}

void wl_row_list_release(struct wl_row_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].a);
        free(l->items[i].b);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

int wl_rows(struct store *s, struct wl_row_list *out, struct purpose_err *err, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    int rc = store_vlist(s, (void **)&out->items, &out->n, sizeof *out->items, wl_row_read, err, sql, types, ap);
    va_end(ap);
    if (rc < 0)
        wl_row_list_release(out);
    return rc;
}

const char *wl_day(int64_t t, char out[32])
{
    static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
                                         "July",    "August",   "September", "October", "November", "December"};
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm))
        snprintf(out, 32, "an unknown day");
    else
        snprintf(out, 32, "%d %s %d", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900);
    return out;
}

int wl_percent(int64_t p, int64_t n)
{
    return n > 0 ? (int)((p * 100 + n / 2) / n) : 0;
}

static const char *plural(int64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* ---- the vision and purpose --------------------------------------------------------------------- */

int wl_statements(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e, struct buf *text,
                  struct purpose_err *err)
{
    (void)now;
    static const char *const kinds_of[] = {"vision", "purpose"};
    for (size_t k = 0; k < 2; k++) {
        const char *kind = kinds_of[k];
        int64_t versions = 0, newest = 0, at = 0, contributions = 0, people = 0, groups = 0;
        if (store_count(s, &versions, err, "SELECT COUNT(*) FROM statements WHERE org_id = ? AND kind = ?", "it", org_id,
                     kind) < 0 ||
            store_count(s, &newest, err, "SELECT COALESCE(MAX(id), 0) FROM statements WHERE org_id = ? AND kind = ?",
                     "it", org_id, kind) < 0)
            return -1;
        if (!versions)
            continue;
        if (store_count(s, &at, err, "SELECT created_at FROM statements WHERE id = ?", "i", newest) < 0 ||
            store_count(s, &contributions, err, "SELECT contributions FROM statement_counts WHERE statement_id = ?", "i",
                     newest) < 0 ||
            store_count(s, &people, err, "SELECT people FROM statement_counts WHERE statement_id = ?", "i", newest) < 0 ||
            store_count(s, &groups, err, "SELECT groups FROM statement_counts WHERE statement_id = ?", "i", newest) < 0)
            return -1;
        char day[32], c1[32], c2[32], c3[32];
        buf_printf(text, "%sThe %s has %lld %s, the newest written on %s.", text->len ? " " : "", kind,
                   (long long)versions, plural(versions, "version", "versions"), wl_day(at, day));
        if (contributions)
            buf_printf(text, " It was shaped by %s %s from %s %s in %s %s.", store_count_text(contributions, c1, 32),
                       plural(contributions, "contribution", "contributions"), store_count_text(people, c2, 32),
                       plural(people, "person", "people"), store_count_text(groups, c3, 32),
                       plural(groups, "group", "groups"));
        char label[64];
        snprintf(label, sizeof label, "Versions of the %s", kind);
        if (wl_link(e, STORE_WL_TO_HISTORY, 0, kind, label, err) < 0)
            return -1;
        snprintf(label, sizeof label, "What shaped the %s", kind);
        if (contributions && wl_link(e, STORE_WL_TO_SHAPED, 0, kind, label, err) < 0)
            return -1;
        e->count += versions;
    }
    if (!e->count)
        buf_puts(text, "No vision or purpose has been written yet.");
    return 0;
}

/* ---- conversations ------------------------------------------------------------------------------ */

int wl_heard(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e, struct buf *text,
             struct purpose_err *err)
{
    struct store_campaign_list cl;
    const struct store_scope scope = {STORE_SCOPE_ORG, org_id};
    if (store_campaign_list(s, &scope, &cl, err) < 0)
        return -1;
    int rc = 0;
    size_t open = 0;
    for (size_t i = 0; i < cl.n && rc == 0; i++) {
        struct store_heard_list h;
        int64_t participants = 0, contributions = 0;
        if ((rc = store_campaign_heard(s, &scope, cl.items[i].id, &h, &participants, &contributions, err)) < 0)
            break;
        /* The total as the conversation's own pages show it beside its groups (disclose.h). */
        struct store_shown shown;
        store_heard_total(&h, participants, false, &shown);
        store_heard_list_release(&h);
        open += store_campaign_open(&cl.items[i], now);
        if (!participants)
            continue;
        char label[STORE_TEXT_MAX + 80];
        snprintf(label, sizeof label, "%s: %s %s took part", cl.items[i].question, shown.text,
                 plural(participants, "person", "people"));
        rc = wl_link(e, STORE_WL_TO_CONVERSATION, cl.items[i].id, NULL, label, err);
        e->count++;
    }
    if (rc == 0 && cl.n)
        buf_printf(text, "%zu %s held (%zu open now); people took part in %lld of them, each describing their own "
                         "groups if they chose to.",
                   cl.n, cl.n == 1 ? "conversation has been" : "conversations have been", open, (long long)e->count);
    else if (rc == 0)
        buf_puts(text, "No conversation has been held yet.");
    store_campaign_list_release(&cl);
    return rc;
}

int wl_responses(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e, struct buf *text,
                 struct purpose_err *err)
{
    (void)now;
    int64_t ideas = 0, by_state[3] = {0};
    static const char *const states[] = {"adopted", "in_progress", "not_taken_forward"};
    if (store_count(s, &ideas, err,
                 "SELECT COUNT(*) FROM contributions c JOIN campaigns k ON k.id = c.campaign_id "
                 "WHERE k.org_id = ? AND c.kind = 'idea' AND c.state = 'published'",
                 "i", org_id) < 0)
        return -1;
    for (size_t i = 0; i < 3; i++)
        if (store_count(s, &by_state[i], err,
                     "SELECT COUNT(*) FROM idea_responses r JOIN campaigns k ON k.id = r.campaign_id "
                     "JOIN contributions c ON c.id = r.contribution_id "
                     "WHERE k.org_id = ? AND r.state = ? AND c.state = 'published'",
                     "it", org_id, states[i]) < 0)
            return -1;
    e->count = by_state[0] + by_state[1] + by_state[2];
    if (!ideas) {
        buf_puts(text, "No idea has been published in a conversation yet.");
        return 0;
    }
    buf_printf(text, "%lld of %lld published ideas (%d%%) have had a response: %lld adopted, %lld in progress, %lld "
                     "not taken forward.",
               (long long)e->count, (long long)ideas, wl_percent(e->count, ideas), (long long)by_state[0],
               (long long)by_state[1], (long long)by_state[2]);
    struct wl_row_list rows;
    if (wl_rows(s, &rows, err,
                "SELECT k.id, COUNT(*), k.question, '' FROM idea_responses r JOIN campaigns k ON k.id = r.campaign_id "
                "JOIN contributions c ON c.id = r.contribution_id WHERE k.org_id = ? AND c.state = 'published' "
                "GROUP BY k.id, k.question ORDER BY k.id",
                "i", org_id) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < rows.n && rc == 0; i++) {
        char label[STORE_TEXT_MAX + 64];
        snprintf(label, sizeof label, "%s: %lld %s", rows.items[i].a, (long long)rows.items[i].n,
                 plural(rows.items[i].n, "response", "responses"));
        rc = wl_link(e, STORE_WL_TO_CONVERSATION, rows.items[i].id, NULL, label, err);
    }
    wl_row_list_release(&rows);
    return rc;
}

/* ---- alignment ---------------------------------------------------------------------------------- */

#define UNALIGNED_SHOWN 10

int wl_alignment(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e, struct buf *text,
                 struct purpose_err *err)
{
    (void)now;
    int64_t projects = 0, aligned = 0;
    if (store_count(s, &projects, err, "SELECT COUNT(*) FROM projects WHERE org_id = ?", "i", org_id) < 0 ||
        store_count(s, &aligned, err,
                 "SELECT COUNT(*) FROM projects p WHERE p.org_id = ? "
                 "AND EXISTS (SELECT 1 FROM project_links l WHERE l.project_id = p.id)",
                 "i", org_id) < 0)
        return -1;
    e->count = projects;
    if (!projects) {
        buf_puts(text, "No improvement project has been registered yet.");
        return 0;
    }
    buf_printf(text, "%lld of %lld projects (%d%%) serve an ambition or a programme aim; %lld %s none, each saying why.",
               (long long)aligned, (long long)projects, wl_percent(aligned, projects), (long long)(projects - aligned),
               projects - aligned == 1 ? "serves" : "serve");
    if (wl_link(e, STORE_WL_TO_ALIGNMENT, 0, NULL, "Alignment", err) < 0 ||
        wl_link(e, STORE_WL_TO_LINE_OF_SIGHT, 0, NULL, "Line of sight", err) < 0)
        return -1;
    struct wl_row_list rows;
    if (wl_rows(s, &rows, err,
                "SELECT p.id, 0, p.title, p.why_unaligned FROM projects p WHERE p.org_id = ? "
                "AND NOT EXISTS (SELECT 1 FROM project_links l WHERE l.project_id = p.id) ORDER BY p.id",
                "i", org_id) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < rows.n && i < UNALIGNED_SHOWN && rc == 0; i++) {
        char label[2 * STORE_TEXT_MAX];
        snprintf(label, sizeof label, "%s (unaligned: %s)", rows.items[i].a, rows.items[i].b);
        rc = wl_link(e, STORE_WL_TO_PROJECT, rows.items[i].id, NULL, label, err);
    }
    wl_row_list_release(&rows);
    return rc;
}

/* ---- the audit log ------------------------------------------------------------------------------ */

int wl_audit(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e, struct buf *text,
             struct purpose_err *err)
{
    /* The changes to what belongs to the organisation: itself, its statements, values, themes,
     * projects, measures, conversations and self-assessment. */
    if (store_count(s, &e->count, err,
                 "SELECT COUNT(*) FROM audit a WHERE a.at >= ? AND ("
                 "(a.entity = 'organisation' AND a.entity_id = ?)"
                 " OR (a.entity IN ('vision', 'purpose') AND a.entity_id IN (SELECT id FROM statements WHERE org_id = ?))"
                 " OR (a.entity = 'value' AND a.entity_id IN (SELECT id FROM org_values WHERE org_id = ?))"
                 " OR (a.entity = 'theme' AND a.entity_id IN (SELECT id FROM themes WHERE org_id = ?))"
                 " OR (a.entity = 'project' AND a.entity_id IN (SELECT id FROM projects WHERE org_id = ?))"
                 " OR (a.entity = 'measure' AND a.entity_id IN (SELECT id FROM measures WHERE org_id = ?))"
                 " OR (a.entity = 'campaign' AND a.entity_id IN (SELECT id FROM campaigns WHERE org_id = ?))"
                 " OR (a.entity = 'wellled_rating' AND a.entity_id IN (SELECT id FROM wellled_ratings WHERE org_id = ?)))",
                 "iiiiiiiii", now - YEAR_SECONDS, org_id, org_id, org_id, org_id, org_id, org_id, org_id, org_id) < 0)
        return -1;
    if (!e->count) {
        buf_puts(text, "No change to this organisation's strategy or work was recorded in the last 12 months.");
        return 0;
    }
    buf_printf(text, "%lld %s to this organisation's strategy, projects, measures, conversations and self-assessment "
                     "%s recorded in the audit log in the last 12 months, each with who made it, when, and what was "
                     "there before and after. The log cannot be edited.",
               (long long)e->count, plural(e->count, "change", "changes"), plural(e->count, "was", "were"));
    return wl_link(e, STORE_WL_TO_AUDIT, 0, NULL, "The audit log", err);
}
