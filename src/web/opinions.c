/* Opinion groups on a conversation (issue 21): a lead turns them on; everyone sees the map, the
 * groups, what each thinks and what unites them, at most OPINIONS_LAG_MS behind the votes; leads
 * download the votes in pol.is's format (docs/opinions.md, docs/privacy.md). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "web/action.h"
#include "web/cache.h"
#include "web/events.h"
#include "web/opinions_int.h"
#include "core/banned.h"

#define B (&w->body)

/* ---- the page ---------------------------------------------------------------------------------- */

static const char *const colours[] = {"#005eb8", "#da291c", "#007f3b", "#7c2855", "#ed8b00"};

/* A marker of group g at (x, y): a shape as well as a colour, so that the groups can be told apart
 * without colour. */
static void marker(struct buf *b, size_t g, double x, double y, double r)
{
    const char *c = colours[g % 5];
    switch (g % 5) {
    case 0:
        buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>", x, y, r, c);
        break;
    case 1:
        buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>", x - r, y - r, 2 * r, 2 * r, c);
        break;
    case 2:
        buf_printf(b, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"%s\"/>", x, y - r * 1.2, x + r * 1.2, y + r,
                   x - r * 1.2, y + r, c);
        break;
    case 3:
        buf_printf(b, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"%s\"/>", x, y - r * 1.3, x + r * 1.3, y,
                   x, y + r * 1.3, x - r * 1.3, y, c);
        break;
    default:
        buf_printf(b, "<path d=\"M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f\" stroke=\"%s\" stroke-width=\"2.5\"/>", x - r, y - r,
                   x + r, y + r, x - r, y + r, x + r, y - r, c);
    }
}

/* The map: every grouped participant a marker of their group, and each group's letter at its
 * centre. It is described by its caption and by the table that follows it. */
static void map_svg(struct web_resp *w, const struct web_opview *v)
{
    const struct op_result *r = v->r;
    double lo_x = INFINITY, hi_x = -INFINITY, lo_y = INFINITY, hi_y = -INFINITY;
    for (size_t i = 0; i < r->n_participants; i++)
        if (r->group[i] >= 0 && isfinite(r->x[i]) && isfinite(r->y[i])) {
            lo_x = fmin(lo_x, r->x[i]), hi_x = fmax(hi_x, r->x[i]);
            lo_y = fmin(lo_y, r->y[i]), hi_y = fmax(hi_y, r->y[i]);
        }
    double sx = hi_x > lo_x ? 380.0 / (hi_x - lo_x) : 1, sy = hi_y > lo_y ? 280.0 / (hi_y - lo_y) : 1;
    buf_puts(B, "<figure class=\"app-opinion-map\"><svg viewBox=\"0 0 400 300\" width=\"100%\" role=\"img\" "
                "aria-labelledby=\"opinion-map-title\" xmlns=\"http://www.w3.org/2000/svg\">"
                "<title id=\"opinion-map-title\">Opinion map: each mark is a person, placed by how they voted; "
                "people close together voted alike. The table below gives the same groups.</title>"
                "<rect x=\"0\" y=\"0\" width=\"400\" height=\"300\" fill=\"#f0f4f5\"/>");
    for (size_t i = 0; i < r->n_participants; i++)
        if (r->group[i] >= 0 && isfinite(r->x[i]) && isfinite(r->y[i]))
            marker(B, (size_t)r->group[i], 10 + (r->x[i] - lo_x) * sx, 10 + (r->y[i] - lo_y) * sy, 3.5);
    for (size_t g = 0; g < r->k; g++) {
        double x = 10 + (r->groups[g].cx - lo_x) * sx, y = 10 + (r->groups[g].cy - lo_y) * sy;
        buf_printf(B, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"18\" font-weight=\"bold\" fill=\"#212b32\" "
                      "stroke=\"#ffffff\" stroke-width=\"4\" paint-order=\"stroke\" text-anchor=\"middle\">%c</text>",
                   x, y + 6, web_opview_letter(g));
    }
    buf_puts(B, "</svg><figcaption class=\"nhsuk-body-s\">");
    for (size_t g = 0; g < r->k; g++) {
        buf_printf(B, "%s<svg width=\"14\" height=\"14\" viewBox=\"0 0 14 14\" aria-hidden=\"true\" focusable=\"false\">",
                   g ? " &middot; " : "");
        marker(B, g, 7, 7, 5);
        buf_printf(B, "</svg> Group %c", web_opview_letter(g));
    }
    buf_puts(B, "</figcaption></figure>");
}

static void groups_table(struct web_resp *w, const struct web_opview *v)
{
    const struct op_result *r = v->r;
    size_t S = r->n_statements;
    static const char *const heads[] = {"Group", "People", "What sets it apart"};
    kit_table_open(w, "The groups", heads, 3, NULL);
    for (size_t g = 0; g < r->k; g++) {
        char name[16], n[32];
        snprintf(name, sizeof name, "Group %c", web_opview_letter(g));
        kit_row_open(w);
        kit_cell(w, name);
        kit_cell(w, store_count_text(r->groups[g].size, n, sizeof n));
        kit_cell_open(w);
        if (r->groups[g].n_reps == 0)
            buf_puts(B, "Nothing stands out.");
        buf_puts(B, "<ul class=\"nhsuk-list\">");
        for (size_t i = 0; i < r->groups[g].n_reps; i++) {
            const struct op_rep *p = &r->groups[g].reps[i];
            buf_printf(B, "<li><strong>%d%% %s</strong>: ", web_opview_percent(p->n_success, p->n_trials),
                       p->agree ? "agree" : "disagree");
            html_esc(B, web_opview_text(v, p->statement));
            (void)S;
            buf_puts(B, "</li>");
        }
        buf_puts(B, "</ul>");
        kit_cell_close(w);
        kit_row_close(w);
    }
    kit_table_close(w);
}

static void uniting_table(struct web_resp *w, const struct web_opview *v, const struct web_opranked *u, size_t nu)
{
    const struct op_result *r = v->r;
    size_t S = r->n_statements;
    buf_puts(B, "<h2 id=\"uniting\">What unites all groups</h2>");
    if (!nu) {
        buf_puts(B, "<p>No statement is agreed by more than half of every group yet.</p>");
        return;
    }
    buf_puts(B, "<p>Statements that more than half of every group agrees with, highest group-informed consensus "
                "first: the natural ones to quote in the purpose.</p>");
    const char *heads[2 + 26];
    char names[26][16];
    heads[0] = "Statement";
    for (size_t g = 0; g < r->k && g < 26; g++) {
        snprintf(names[g], sizeof names[g], "Group %c agrees", web_opview_letter(g));
        heads[1 + g] = names[g];
    }
    kit_table_open(w, "Statements that unite all groups", heads, 1 + r->k, NULL);
    for (size_t i = 0; i < nu; i++) {
        kit_row_open(w);
        kit_cell(w, web_opview_text(v, u[i].j));
        for (size_t g = 0; g < r->k; g++) {
            char pc[16];
            snprintf(pc, sizeof pc, "%d%%", web_opview_percent(r->agrees[g * S + u[i].j], r->seen[g * S + u[i].j]));
            kit_cell(w, pc);
        }
        kit_row_close(w);
    }
    kit_table_close(w);
}

/* The part of the page everyone sees alike (kept as a fragment for OPINIONS_LAG_MS). 1 when an
 * error page was written. */
static int opinions_content(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign c;
    bool answered;
    if (web_campaign_load(r, w, &c, &answered, err) < 0)
        return answered ? 1 : -1;
    struct web_opview v;
    int rc = web_opview_build(r, c.id, &v, err);
    if (rc < 0) {
        web_opview_release(&v);
        store_campaign_release(&c);
        return -1;
    }
    web_campaign_heading(r, w, &c);
    buf_puts(B, "<h2>Opinion groups</h2>");
    char day[64];
    if (!v.since) {
        buf_puts(B, "<p id=\"opinions-state\">Opinion groups are off for this conversation.</p>");
    } else if (!v.r) {
        web_long_day(day, sizeof day, v.since);
        buf_printf(B, "<p id=\"opinions-state\">Opinion groups are on (since %s). No groups are shown yet, as too few "
                      "people have voted: ", day);
        html_esc(B, v.why);
        buf_puts(B, ".</p>");
    } else {
        web_long_day(day, sizeof day, v.since);
        char n[32];
        buf_printf(B, "<p id=\"opinions-state\">People who voted on at least 7 statements since %s, grouped by how they "
                      "voted: %s people in %zu groups. Groups of fewer than 5 are merged into the nearest, never shown "
                      "alone. Hidden and withdrawn statements count nowhere. Updated within 5 seconds of each vote.</p>",
                   day, store_count_text((int64_t)v.r->n_grouped, n, sizeof n), v.r->k);
        map_svg(w, &v);
        groups_table(w, &v);
        struct web_opranked u[UNITING_MAX];
        size_t nu = web_opview_uniting(&v, u);
        uniting_table(w, &v, u, nu);
    }
    web_opview_release(&v);
    store_campaign_release(&c);
    return 0;
}

static void key_of(struct web_req *r, char *key, size_t n)
{
    snprintf(key, n, "opinions:%s:%lld:%lld:%s", r->programme.id ? "programme" : "org",
             (long long)(r->programme.id ? r->programme.id : r->org.id), (long long)r->id, r->base);
}

/* For a lead: each statement that unites the groups, with a form that marks it as shaping the
 * current purpose or vision (store_provenance_link, as the statement form's ticks do). */
static int shape_forms(struct web_req *r, struct web_resp *w, int64_t id, struct purpose_err *err)
{
    char href[200];
    web_campaign_href(r, id, "/opinions/shape", href, sizeof href);
    if (!web_may(r, "POST", href))
        return 0;
    struct web_opview v;
    int rc = web_opview_build(r, id, &v, err);
    if (rc < 0 || !v.r) {
        web_opview_release(&v);
        return rc;
    }
    struct web_opranked u[UNITING_MAX];
    size_t nu = web_opview_uniting(&v, u);
    if (nu)
        buf_puts(B, "<h1>Quote what unites them</h1><p>Mark a statement that unites all groups as one that shaped "
                    "the current purpose or vision: it is linked to that version, as if ticked on its form.</p>");
    for (size_t i = 0; i < nu; i++) {
        char item[24], lid[40];
        snprintf(item, sizeof item, "%llu", (unsigned long long)v.e.statement_id[u[i].j]);
        snprintf(lid, sizeof lid, "shape-kind-%zu", i);
        kit_form_open(r, w, href);
        kit_hidden(w, "item", item);
        buf_puts(B, "<p class=\"nhsuk-body\">");
        html_esc(B, web_opview_text(&v, u[i].j));
        buf_printf(B, "</p><div class=\"nhsuk-form-group\"><label class=\"nhsuk-label\" for=\"%s\">Shaped the</label>"
                      "<select class=\"nhsuk-select\" id=\"%s\" name=\"kind\"><option value=\"purpose\">purpose</option>"
                      "<option value=\"vision\">vision</option></select></div>",
                   lid, lid);
        kit_button(w, "Mark as shaping it", true);
        kit_form_close(w);
    }
    web_opview_release(&v);
    return 0;
}

/* The lead's switch, outside the shared fragment (it carries the lead's CSRF token). */
static int lead_form(struct web_req *r, struct web_resp *w, int64_t id, struct purpose_err *err)
{
    char href[200];
    web_campaign_href(r, id, "/opinions", href, sizeof href);
    if (!web_may(r, "POST", href))
        return 0;
    int64_t since = 0;
    struct store_scope sc = web_scope(r);
    if (store_opinions_since(r->ctx->store, &sc, id, &since, err) < 0)
        return -1;
    kit_form_open(r, w, href);
    kit_hidden(w, "on", since ? "0" : "1");
    if (since) {
        buf_puts(B, "<p>Turning opinion groups off deletes the pseudonyms that link each person's votes; the votes "
                    "stay counted.</p>");
        kit_button(w, "Turn opinion groups off", true);
    } else {
        buf_puts(B, "<p>Turning opinion groups on links each person's votes in this conversation under a pseudonym for "
                    "this conversation alone (the privacy notice says so), so that people who vote alike can be "
                    "grouped. Votes cast before are not grouped.</p>");
        kit_button(w, "Turn opinion groups on", false);
    }
    kit_form_close(w);
    char shape[200];
    web_campaign_href(r, id, "/opinions/shape", shape, sizeof shape);
    if (since && web_may(r, "GET", shape)) {
        buf_puts(B, "<p>");
        kit_link(w, shape, "Mark what unites the groups as shaping the purpose or vision", NULL);
        buf_puts(B, "</p>");
    }
    char csv[200];
    if (since) {
        web_campaign_href(r, id, "/opinions/votes.csv", csv, sizeof csv);
        if (web_may(r, "GET", csv)) {
            buf_puts(B, "<p>Download in pol.is's format: ");
            kit_link(w, csv, "votes.csv", NULL);
            buf_puts(B, ", ");
            web_campaign_href(r, id, "/opinions/comments.csv", csv, sizeof csv);
            kit_link(w, csv, "comments.csv", NULL);
            buf_puts(B, ", ");
            web_campaign_href(r, id, "/opinions/participants-votes.csv", csv, sizeof csv);
            kit_link(w, csv, "participants-votes.csv", NULL);
            buf_puts(B, ".</p>");
        }
    }
    return 0;
}

static int opinions_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    /* The lead's part first, into its own buffer: a failure there is the request's, before any
     * of the page is written. */
    struct web_resp mine = {.status = 200, .base = w->base};
    buf_init(&mine.body, WEB_PAGE_LIMIT);
    if (lead_form(r, &mine, r->id, err) < 0) {
        buf_release(&mine.body);
        if (err->kind != PURPOSE_ERR_NOT_FOUND)
            return -1;
        *err = (struct purpose_err){0}; /* no such conversation here: the content answers 404 */
        buf_init(&mine.body, WEB_PAGE_LIMIT);
    }
    char key[192];
    key_of(r, key, sizeof key);
    struct web_frag *f = web_frag_get(r, key);
    if (!f) {
        struct web_resp part = {.status = 200, .base = w->base};
        buf_init(&part.body, WEB_PAGE_LIMIT);
        int rc = opinions_content(r, &part, err);
        if (rc != 0 || part.body.failed) {
            web_frag_abandon(r, key);
            buf_release(&mine.body);
            if (rc == 1) {
                buf_release(&w->body);
                *w = part;
                return 0;
            }
            buf_release(&part.body);
            return rc < 0 ? -1 : purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "opinion groups: out of memory");
        }
        f = web_frag_put(r, key, part.body.data, part.body.len);
        if (!f) {
            html_begin(r, w, "Opinion groups");
            buf_append(B, part.body.data, part.body.len);
            buf_release(&part.body);
            if (mine.body.len)
                buf_append(B, mine.body.data, mine.body.len);
            buf_release(&mine.body);
            html_end(r, w);
            return 0;
        }
        buf_release(&part.body);
    }
    html_begin(r, w, "Opinion groups");
    web_frag_emit(w, f);
    if (mine.body.len)
        buf_append(B, mine.body.data, mine.body.len);
    buf_release(&mine.body);
    html_end(r, w);
    return 0;
}

/* GET: the statements that unite the groups, each with the form that marks it (leads). */
static int shape_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct web_resp mine = {.status = 200, .base = w->base};
    buf_init(&mine.body, WEB_PAGE_LIMIT);
    if (shape_forms(r, &mine, r->id, err) < 0) {
        buf_release(&mine.body);
        return -1;
    }
    html_begin(r, w, "Quote what unites them");
    char back[200];
    web_campaign_href(r, r->id, "/opinions", back, sizeof back);
    kit_back_link(w, back, "Back to the opinion groups");
    if (mine.body.len)
        buf_append(B, mine.body.data, mine.body.len);
    else
        buf_puts(B, "<h1>Quote what unites them</h1><p>No statement unites every group yet.</p>");
    buf_release(&mine.body);
    html_end(r, w);
    return 0;
}

/* ---- the API -------------------------------------------------------------------------------- */

/* Answers the view of conversation id, known to be of the request's scope. */
static int answer_view(struct web_req *r, struct web_resp *w, int64_t id, struct purpose_err *err)
{
    struct web_opview v;
    if (web_opview_build(r, id, &v, err) < 0) {
        web_opview_release(&v);
        return -1;
    }
    web_json(w, 200, web_opview_json(&v, id));
    web_opview_release(&v);
    return 0;
}

/* Not loaded by the router (it may answer from lagging data): the conversation is read here. */
static int opinions_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign c;
    bool answered;
    if (web_campaign_load(r, w, &c, &answered, err) < 0)
        return answered ? 0 : -1;
    int64_t id = c.id;
    store_campaign_release(&c);
    return answer_view(r, w, id, err);
}

/* ---- the actions (action.h): {id} is the conversation, loaded in scope by the router ---------------- */

static int on_check(const char *name, const char *s, struct purpose_err *err)
{
    if (strcmp(s, "1") == 0 || strcmp(s, "0") == 0)
        return 0;
    return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s: must be 1 (on) or 0 (off)", name);
}

/* Turns them on or off: a page's "on" is 1 or 0, the API's (PUT) true or false. */
static int turn(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                struct purpose_err *err)
{
    long long on = r->is_api ? web_in_i(in, "on") : web_in_s(in, "on")[0] == '1';
    if (on < 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "on", "on: must be true or false");
    struct store_scope sc = web_scope(r);
    struct store_actor by = web_actor(r);
    web_campaign_href(r, r->id, "/opinions", out->next, sizeof out->next);
    return store_opinions_set(r->ctx->store, &by, &sc, r->id, on == 1, (int64_t)time(NULL), err);
}

/* The API answers as GET. */
static int turned_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    (void)status;
    return answer_view(r, w, id, err);
}

static const struct web_afield turn_page_fields[] = {{.name = "on", .required = true, .check = on_check}};
static const struct web_afield turn_api_fields[] = {{.name = "on", .kind = WEB_F_BOOL}};
static const struct web_action opinions_turn_page = {.fields = turn_page_fields, .nfields = 1, .run = turn};
static const struct web_action opinions_turn = {.fields = turn_api_fields, .nfields = 1, .run = turn,
                                                .answer = turned_answer};

static int kind_check(const char *name, const char *s, struct purpose_err *err)
{
    if (strcmp(s, "purpose") == 0 || strcmp(s, "vision") == 0)
        return 0;
    return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s: must be purpose or vision", name);
}

/* A lead marks a statement (item, a published idea or comment of the conversation: the store checks
 * it is one of the scope's) as shaping the current version of the scope's purpose or vision (kind). */
static int shape(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                 struct purpose_err *err)
{
    int64_t ids[1] = {web_in_i(in, "item")};
    struct store_contribution x;
    struct store_scope sc = web_scope(r);
    if (store_contribution_get(r->ctx->store, &sc, r->id, ids[0], &x, err) < 0)
        return -1;
    store_contribution_release(&x);
    struct store_actor by = web_actor(r);
    web_campaign_href(r, r->id, "/opinions/shape", out->next, sizeof out->next);
    return store_provenance_link(r->ctx->store, &by, sc, web_in_s(in, "kind"), ids, 1, err);
}

static const struct web_afield shape_fields[] = {
    {.name = "item", .kind = WEB_F_INT, .required = true, .min = 1, .max = STORE_ID_MAX},
    {.name = "kind", .required = true, .check = kind_check},
};
static const struct web_action opinions_shape = {.fields = shape_fields, .nfields = 2, .run = shape};

static int opinions_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &opinions_turn_page, err);
}

static int opinions_put(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &opinions_turn, err);
}

static int shape_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &opinions_shape, err);
}

/* ---- pol.is's format, for leads --------------------------------------------------------------- */

static int polis_csv(struct web_req *r, struct web_resp *w, int which, struct purpose_err *err)
{
    int64_t id = r->id; /* loaded in scope by the router */
    struct web_opview v;
    if (web_opview_build(r, id, &v, err) < 0) {
        web_opview_release(&v);
        return -1;
    }
    if (!v.since) {
        web_opview_release(&v);
        purpose_errk(err, PURPOSE_ERR_NOT_FOUND, NULL, "opinion groups are off for this conversation");
        return web_page_fail(r, w, err);
    }
    if (which == 0)
        buf_append(B, v.comments.data, v.comments.len);
    else if (which == 1)
        buf_append(B, v.votes.data, v.votes.len);
    else
        op_participants_votes_csv(B, &v.e, v.r);
    web_opview_release(&v);
    w->content_type = "text/csv; charset=utf-8";
    return B->failed ? purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "opinion groups: the export is too large") : 0;
}

static int comments_csv(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return polis_csv(r, w, 0, err);
}
static int votes_csv(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return polis_csv(r, w, 1, err);
}
static int participants_csv(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return polis_csv(r, w, 2, err);
}

/* ---- on the conversation's page --------------------------------------------------------------- */

int web_opinions_notice(struct web_req *r, struct web_resp *w, int64_t campaign_id, struct purpose_err *err)
{
    int64_t since = 0;
    struct store_scope sc = web_scope(r);
    if (store_opinions_since(r->ctx->store, &sc, campaign_id, &since, err) < 0)
        return -1;
    if (since)
        buf_puts(B, "<p id=\"opinion-groups-notice\">This conversation shows opinion groups: your votes in it are "
                    "linked to each other under a pseudonym made for this conversation alone, so that people who vote "
                    "alike can be grouped. The pseudonym is never linked to your name, your account or your votes in "
                    "any other conversation.</p>");
    return 0;
}

/* A conversation API route with a cache policy and a lag (WEB_CONVERSATION_API has neither). */
int web_opinions_results_link(struct web_req *r, struct web_resp *w, int64_t campaign_id, struct purpose_err *err)
{
    int64_t since = 0;
    struct store_scope sc = web_scope(r);
    if (store_opinions_since(r->ctx->store, &sc, campaign_id, &since, err) < 0)
        return -1;
    char href[200];
    web_campaign_href(r, campaign_id, "/opinions", href, sizeof href);
    if (!since) {
        /* Off: only its lead, who may turn them on, is shown the way there. */
        if (href[0] && web_may(r, "POST", href)) {
            buf_puts(B, "<h2>Opinion groups</h2><p>Opinion groups are off for this conversation. ");
            kit_link(w, href, "Turn on opinion groups", NULL);
            buf_puts(B, "</p>");
        }
        return 0;
    }
    buf_puts(B, "<h2>Opinion groups</h2><p>");
    kit_link(w, href, "See the opinion map: who votes like whom, what sets each group apart and what unites them all",
             NULL);
    buf_puts(B, "</p>");
    return 0;
}

#define OPINIONS_API(m, p, rl, h, c, lag)                                                                         \
    {.method = m, .path = "/api/v1/conversations" p, .role = rl, .scope = WEB_ORG, .kind = WEB_API, .handler = h,  \
     .cache = c, .lag_ms = lag, .load = WEB_CONVERSATION_LOAD(p, lag)},                                            \
    {.method = m, .path = "/api/v1/programmes/{programme}/conversations" p, .role = rl, .scope = WEB_PROGRAMME,    \
     .kind = WEB_API, .handler = h, .cache = c, .lag_ms = lag, .load = WEB_CONVERSATION_LOAD(p, lag)}

static const struct web_route routes[] = {
    WEB_CONVERSATION_PAGE_LAG("GET", "/{id}/opinions", ROLE_ANON, opinions_page, OPINIONS_LAG_MS),
    WEB_CONVERSATION_PAGE("POST", "/{id}/opinions", ROLE_LEAD, opinions_post),
    WEB_CONVERSATION_PAGE("GET", "/{id}/opinions/shape", ROLE_LEAD, shape_page),
    WEB_CONVERSATION_PAGE("POST", "/{id}/opinions/shape", ROLE_LEAD, shape_post),
    WEB_CONVERSATION_PAGE("GET", "/{id}/opinions/comments.csv", ROLE_LEAD, comments_csv),
    WEB_CONVERSATION_PAGE("GET", "/{id}/opinions/votes.csv", ROLE_LEAD, votes_csv),
    WEB_CONVERSATION_PAGE("GET", "/{id}/opinions/participants-votes.csv", ROLE_LEAD, participants_csv),
    OPINIONS_API("GET", "/{id}/opinions", ROLE_ANON, opinions_api, WEB_CACHE_DATA, OPINIONS_LAG_MS),
    OPINIONS_API("PUT", "/{id}/opinions", ROLE_LEAD, opinions_put, WEB_CACHE_NONE, 0),
};

WEB_FEATURE_ROUTES(web_opinions, routes);
