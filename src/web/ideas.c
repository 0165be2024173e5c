/* A conversation's ideas at any size (issue 17): on its public page a page of ideas at a time,
 * searched, filtered and sorted by GET parameters (store/ideas.h does it in SQL), with the NHS
 * pagination; each idea's own page with all its comments; the same list in the API. Votes are
 * plain form posts that come back to the same page and idea, so nothing needs JavaScript. A bad
 * parameter on a page is set aside with a message saying which and why; the API answers 400 naming
 * it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/campaigns.h"
#include "core/banned.h"

#define B (&w->body)

/* ---- the parameters ------------------------------------------------------------------------- */

/* Appends "&name=value" (no & first) to b, value percent-encoded; nothing when value is "". */
static void qs_add(struct buf *b, const char *name, const char *value)
{
    if (!value || !value[0])
        return;
    buf_printf(b, "%s%s=", b->len ? "&" : "", name);
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
            *p == '_' || *p == '.')
            buf_putc(b, (char)*p);
        else
            buf_printf(b, "%%%02X", *p);
    }
}

/* The query string of q (without "?"), with page `page` (0 or 1: none). */
static void query_string(const struct web_idea_params *p, int64_t page, struct buf *b)
{
    qs_add(b, "q", p->q);
    qs_add(b, "theme", p->theme);
    qs_add(b, "state", p->state);
    qs_add(b, "group", p->group);
    qs_add(b, "sort", strcmp(p->sort, "newest") == 0 ? "" : p->sort);
    char n[24] = "";
    if (page > 1)
        snprintf(n, sizeof n, "%lld", (long long)page);
    qs_add(b, "page", n);
    if (p->per_page != STORE_IDEAS_PER_PAGE) {
        snprintf(n, sizeof n, "%lld", (long long)p->per_page);
        qs_add(b, "per_page", n);
    }
}

/* One parameter: its text when present and valid by the store's rule, else "" (and, for a bad one,
 * err filled and *bad set). */
static void param_text(struct web_req *r, const char *name, char *out, size_t cap, bool *bad, struct purpose_err *err)
{
    const char *v = r->arg ? r->arg(r->conn, name) : NULL;
    out[0] = '\0';
    if (!v || !v[0])
        return;
    if (strlen(v) >= cap) {
        if (!*bad)
            purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s: too long (at most %zu characters)", name, cap - 1);
        *bad = true;
        return;
    }
    snprintf(out, cap, "%s", v);
}

static void param_number(struct web_req *r, const char *name, long max, int64_t *out, bool *bad,
                         struct purpose_err *err)
{
    const char *v = r->arg ? r->arg(r->conn, name) : NULL;
    long n;
    struct purpose_err e = {0};
    if (!v || !v[0])
        return;
    if (web_parse_long(v, name, 1, max, &n, &e) < 0) {
        if (!*bad)
            *err = e;
        *bad = true;
        return;
    }
    *out = n;
}

int web_idea_params(struct web_req *r, struct web_idea_params *p, struct purpose_err *err)
{
    memset(p, 0, sizeof *p);
    snprintf(p->sort, sizeof p->sort, "newest");
    p->page = 1;
    p->per_page = STORE_IDEAS_PER_PAGE;
    bool bad = false;
    param_text(r, "q", p->q, sizeof p->q, &bad, err);
    param_text(r, "theme", p->theme, sizeof p->theme, &bad, err);
    param_text(r, "state", p->state, sizeof p->state, &bad, err);
    param_text(r, "group", p->group, sizeof p->group, &bad, err);
    char sort[sizeof p->sort];
    param_text(r, "sort", sort, sizeof sort, &bad, err);
    if (sort[0])
        snprintf(p->sort, sizeof p->sort, "%s", sort);
    param_number(r, "page", STORE_IDEAS_PAGE_MAX, &p->page, &bad, err);
    param_number(r, "per_page", STORE_IDEAS_PER_PAGE_MAX, &p->per_page, &bad, err);
    /* Then the store's own rule, member by member, so that each bad one is named and set aside. */
    static const char *const names[] = {"q", "theme", "state", "group", "sort"};
    char *texts[] = {p->q, p->theme, p->state, p->group, p->sort};
    for (size_t tries = 0; tries < 5; tries++) {
        struct purpose_err e = {0};
        struct store_idea_query q = web_idea_query(p);
        if (store_idea_query_check(&q, &e) == 0)
            break;
        bool reset = false;
        for (size_t k = 0; k < 5; k++)
            if (strcmp(e.field, names[k]) == 0) {
                snprintf(texts[k], 2 + (k == 4) * 8, "%s", k == 4 ? "newest" : "");
                reset = true;
            }
        if (!bad)
            *err = e;
        bad = true;
        if (!reset)
            break;
    }
    return bad ? -1 : 0;
}

struct store_idea_query web_idea_query(const struct web_idea_params *p)
{
    return (struct store_idea_query){.q = p->q, .theme = p->theme, .state = p->state, .group = p->group,
                                     .sort = p->sort, .page = p->page, .per_page = p->per_page};
}

/* Where a vote (on idea `item` of conversation `campaign`) sends the voter back to: the page they
 * voted on, as its form's "back" field names it, when that is this conversation's page (with a
 * query of safe characters) or the idea's own page; else the conversation's page. With voted=item
 * for the thank-you beside the idea, and the idea's anchor. Nothing else is followed, so no address is open to a
 * redirect elsewhere. */
void web_vote_back(struct web_req *r, int64_t campaign, int64_t item, char *out, size_t n)
{
    char page[200], idea[200], rest[40];
    web_campaign_href(r, campaign, "", page, sizeof page);
    snprintf(rest, sizeof rest, "/ideas/%lld", (long long)item);
    web_conversations_href(r, rest, idea, sizeof idea);
    const char *back = web_field(r, "back");
    size_t pl = strlen(page);
    bool ok = strcmp(back, idea) == 0 ||
              (strncmp(back, page, pl) == 0 && (back[pl] == '\0' || back[pl] == '?') && strlen(back) < 500);
    for (const char *p = back; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("/?&=%-_.", *p);
    const char *to = ok && back[0] ? back : page;
    snprintf(out, n, "%s%svoted=%lld#idea-%lld", to, strchr(to, '?') ? "&" : "?", (long long)item, (long long)item);
}

/* ---- an idea, as a card --------------------------------------------------------------------- */

static void counts(struct web_resp *w, const struct store_contribution *x)
{
    char a[KIT_NUMBER_MAX], d[KIT_NUMBER_MAX], u[KIT_NUMBER_MAX];
    buf_printf(B, "<p class=\"nhsuk-body-s\">Agree %s &middot; Disagree %s &middot; Unsure %s",
               kit_count(a, x->agree), kit_count(d, x->disagree), kit_count(u, x->unsure));
    if (x->theme[0]) {
        buf_puts(B, " &middot; Theme: ");
        html_esc(B, x->theme);
    }
    buf_puts(B, "</p>");
}

void web_idea_byline(struct web_resp *w, const struct store_contribution *x)
{
    buf_puts(B, "<p class=\"nhsuk-body-s\">");
    if (x->event[0] && x->anonymous && !x->staff) { /* said at an engagement event */
        buf_puts(B, "From ");
        html_esc(B, x->event);
        buf_puts(B, "</p>");
        return;
    }
    html_esc(B, x->anonymous ? "Anonymous" : x->author);
    if (x->staff)
        buf_puts(B, " (staff)");
    if (x->event[0]) {
        buf_puts(B, ", from ");
        html_esc(B, x->event);
    }
    buf_puts(B, "</p>");
}

/* "You said, we did": the lead's response under the idea. */
void web_idea_response(struct web_req *r, struct web_resp *w, const struct store_contribution *x)
{
    const struct store_idea_response *p = &x->response;
    if (!p->state[0])
        return;
    static const char *const colours[][2] = {
        {"adopted", "green"}, {"in_progress", "blue"}, {"not_taken_forward", "grey"}};
    const char *colour = NULL;
    for (size_t i = 0; i < 3; i++)
        if (strcmp(p->state, colours[i][0]) == 0)
            colour = strcmp(colours[i][1], "blue") == 0 ? NULL : colours[i][1];
    buf_puts(B, "<div class=\"app-response\"><p><strong>You said, we did:</strong> ");
    kit_tag(w, store_response_label(p->state), colour);
    if (p->reason[0]) {
        buf_puts(B, " ");
        html_esc(B, p->reason);
    }
    buf_puts(B, "</p>");
    if (p->project_id && !r->programme.id) {
        char href[120];
        web_href(r, href, sizeof href, "/projects/{id}", p->project_id);
        buf_puts(B, "<p class=\"nhsuk-body-s\">");
        kit_link(w, href, "See the project it became", NULL);
        buf_puts(B, "</p>");
    } else if (p->project_id) {
        buf_printf(B, "<p class=\"nhsuk-body-s\">Taken up by project %lld of a partner organisation.</p>",
                   (long long)p->project_id);
    }
    if (p->statement_id)
        buf_puts(B, "<p class=\"nhsuk-body-s\">It shaped a new version of our vision or purpose.</p>");
    buf_puts(B, "</div>");
}

void web_idea_vote_form(struct web_req *r, struct web_resp *w, int64_t campaign, const struct store_contribution *x,
                        const char *mine, const char *back)
{
    char action[200], item[24];
    web_campaign_href(r, campaign, "/vote", action, sizeof action);
    snprintf(item, sizeof item, "%lld", (long long)x->id);
    kit_form_open(r, w, action);
    kit_hidden(w, "item", item);
    if (back && back[0])
        kit_hidden(w, "back", back);
    static const char *const votes[][2] = {{"agree", "Agree"}, {"disagree", "Disagree"}, {"unsure", "Unsure"}};
    buf_puts(B, "<div class=\"app-votes\">");
    for (int i = 0; i < 3; i++) {
        bool chosen = strcmp(mine, votes[i][0]) == 0;
        buf_printf(B, "<button class=\"nhsuk-button%s\" type=\"submit\" name=\"vote\" value=\"%s\" "
                      "aria-pressed=\"%s\">%s<span class=\"nhsuk-u-visually-hidden\"> with idea %lld</span>"
                      "</button> ",
                   chosen ? "" : " nhsuk-button--secondary", votes[i][0], chosen ? "true" : "false", votes[i][1],
                   (long long)x->id);
    }
    buf_puts(B, "</div>");
    kit_form_close(w);
}

/* The idea's card: text, byline, counts, response, the visitor's vote, its newest comments (all of
 * them on its own page) and the comment form. */
/* The idea's card. comments: the page's newest comments (those of this idea are shown), or NULL
 * on the idea's own page, which reads all of them; vote: the visitor's vote on it, read with the
 * page's (NULL: read it here). */
static int idea_card(struct web_req *r, struct web_resp *w, const struct store_campaign *c,
                     const struct store_contribution *x, bool open, const char *secret, const char *back,
                     const struct store_contribution_list *comments, const char *vote, struct purpose_err *err)
{
    char mine[16] = "", href[200], rest[48], voted[24] = "";
    bool all_comments = !comments;
    if (vote)
        snprintf(mine, sizeof mine, "%s", vote);
    else if ((secret[0] || r->user.id) && store_vote_get_by(r->ctx->store, &r->scope, c->id, x->id, secret, r->user.id, mine, err) < 0)
        return -1;
    struct store_contribution_list own = {0};
    if (all_comments && store_idea_comments(r->ctx->store, &r->scope, c->id, x->id, 500, &own, err) < 0)
        return -1;
    const struct store_contribution_list *cl = all_comments ? &own : comments;
    size_t shown = 0;
    buf_printf(B, "<div class=\"nhsuk-card\" id=\"idea-%lld\"><div class=\"nhsuk-card__content\">"
                  "<p class=\"nhsuk-card__description\">",
               (long long)x->id);
    html_esc(B, x->body);
    buf_puts(B, "</p>");
    web_idea_byline(w, x);
    counts(w, x);
    web_idea_response(r, w, x);
    if (open)
        web_idea_vote_form(r, w, c->id, x, mine, back);
    /* Back from voting on this idea (the browser is at its anchor): say so here, not only at the top. */
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%lld", (long long)x->id);
    if (web_query_get(r, "voted", voted, sizeof voted) == 0 && strcmp(voted, idtext) == 0)
        buf_puts(B, "<p class=\"nhsuk-body-s\" role=\"status\"><strong>Thank you: your vote is counted.</strong></p>");
    for (size_t k = 0; k < cl->n; k++) {
        if (cl->items[k].parent_id != x->id)
            continue;
        buf_puts(B, "<div class=\"app-comment\"><p>");
        html_esc(B, cl->items[k].body);
        buf_puts(B, "</p>");
        web_idea_byline(w, &cl->items[k]);
        buf_puts(B, "</div>");
        shown++;
    }
    snprintf(rest, sizeof rest, "/ideas/%lld", (long long)x->id);
    web_conversations_href(r, rest, href, sizeof href);
    if (!all_comments) {
        char label[64], hidden[48];
        char n[KIT_NUMBER_MAX];
        if (x->comments > (int64_t)shown)
            snprintf(label, sizeof label, "See all %s comments", kit_number(n, (double)x->comments, 0));
        else
            snprintf(label, sizeof label, "%s", "See this idea on its own");
        snprintf(hidden, sizeof hidden, " on idea %lld", (long long)x->id);
        buf_puts(B, "<p class=\"nhsuk-body-s\">");
        kit_link(w, href, label, hidden);
        buf_puts(B, "</p>");
    }
    store_contribution_list_release(&own);
    if (open)
        web_contribute_form(r, w, c, x->id, NULL);
    char respond[220];
    snprintf(respond, sizeof respond, "%s/respond", href);
    if (web_may(r, "POST", respond)) {
        buf_puts(B, "<p class=\"nhsuk-body-s\">");
        char hidden[48];
        snprintf(hidden, sizeof hidden, " to idea %lld", (long long)x->id);
        kit_link(w, respond, x->response.state[0] ? "Change the response" : "Respond", hidden);
        buf_puts(B, "</p>");
    }
    buf_puts(B, "</div></div>");
    return 0;
}

/* ---- the list on the conversation's page ------------------------------------------------------ */

static void filter_form(struct web_req *r, struct web_resp *w, const struct store_campaign *c,
                        const struct web_idea_params *p, const struct store_idea_themes *themes)
{
    char action[200];
    web_campaign_href(r, c->id, "", action, sizeof action);
    buf_puts(B, "<form method=\"get\" action=\"");
    html_esc(B, action);
    buf_puts(B, "#ideas\" class=\"app-idea-filters\" role=\"search\">");
    kit_input(w, NULL, &(struct kit_field){.name = "q", .label = "Search the ideas", .value = p->q,
                                           .hint = "Words that must all appear", .type = "search"});
    kit_select_open(w, NULL, &(struct kit_field){.name = "theme", .label = "Theme"});
    kit_select_option(w, "", "Any theme", !p->theme[0]);
    for (size_t i = 0; i < themes->n; i++)
        kit_select_option(w, themes->items[i], themes->items[i], strcmp(p->theme, themes->items[i]) == 0);
    kit_select_close(w);
    static const char *const states[][2] = {{"", "Any"}, {"open", "No response yet"}, {"responded", "Has a response"},
                                            {"adopted", "Adopted"}, {"in_progress", "In progress"},
                                            {"not_taken_forward", "Not taken forward"}};
    kit_select_open(w, NULL, &(struct kit_field){.name = "state", .label = "Response"});
    for (size_t i = 0; i < 6; i++)
        kit_select_option(w, states[i][0], states[i][1], strcmp(p->state, states[i][0]) == 0);
    kit_select_close(w);
    static const char *const groups[][2] = {
        {"", "Everyone"}, {"staff", "Staff"}, {"public", "The public"}, {"event", "Said at an event"}};
    kit_select_open(w, NULL, &(struct kit_field){.name = "group", .label = "From"});
    for (size_t i = 0; i < 4; i++)
        kit_select_option(w, groups[i][0], groups[i][1], strcmp(p->group, groups[i][0]) == 0);
    kit_select_close(w);
    static const char *const sorts[][2] = {
        {"newest", "Newest"}, {"agreed", "Most agreed"}, {"divided", "Most divided"}};
    kit_select_open(w, NULL, &(struct kit_field){.name = "sort", .label = "Sort by"});
    for (size_t i = 0; i < 3; i++)
        kit_select_option(w, sorts[i][0], sorts[i][1], strcmp(p->sort, sorts[i][0]) == 0);
    kit_select_close(w);
    kit_button(w, "Show ideas", true);
    buf_puts(B, "</form>");
}

/* Links to the page before and after this one of the ideas at base, with the same filters. */
static void ideas_pagination(struct web_resp *w, const struct web_idea_params *p, const struct store_idea_page *pg,
                             const char *base)
{
    char prev[600] = "", next[600] = "", pl[128], nl[128];
    int64_t pages = (pg->total + p->per_page - 1) / p->per_page;
    for (int k = 0; k < 2; k++) {
        int64_t to = k ? p->page + 1 : p->page - 1;
        if (to < 1 || (k && !pg->more))
            continue;
        struct buf b;
        buf_init(&b, 600);
        query_string(p, to, &b);
        snprintf(k ? next : prev, 600, "%s%s%s#ideas", base, b.len ? "?" : "", b.len ? b.data : "");
        buf_release(&b);
        char n1[KIT_NUMBER_MAX], n2[KIT_NUMBER_MAX];
        kit_number(n1, (double)to, 0);
        if (pg->many)
            snprintf(k ? nl : pl, 128, "Page %s", n1);
        else
            snprintf(k ? nl : pl, 128, "Page %s of %s", n1, kit_number(n2, (double)(pages ? pages : 1), 0));
    }
    kit_pagination(w, prev[0] ? prev : NULL, pl, next[0] ? next : NULL, nl);
}

int web_ideas_section(struct web_req *r, struct web_resp *w, const struct store_campaign *c, bool open,
                      const char *secret, struct purpose_err *err)
{
    struct web_idea_params p;
    struct purpose_err bad = {0};
    bool set_aside = web_idea_params(r, &p, &bad) < 0;
    struct store_idea_page pg;
    struct store_idea_themes themes;
    int64_t responded = 0, all = 0;
    if (web_ideas_overview(r, c->id, &themes, &responded, &all, err) < 0)
        return -1;
    if (web_ideas_find(r, c->id, &p, &pg, err) < 0) {
        store_idea_themes_release(&themes);
        return -1;
    }
    buf_puts(B, "<h2 id=\"ideas\">Ideas</h2>");
    if (responded) {
        char href[240];
        web_campaign_href(r, c->id, "?state=responded#ideas", href, sizeof href);
        char n1[KIT_NUMBER_MAX], n2[KIT_NUMBER_MAX];
        buf_printf(B, "<p>You said, we did: %s of %s ideas have had a response. ",
                   kit_number(n1, (double)responded, 0), kit_number(n2, (double)all, 0));
        kit_link(w, href, "See what became of them", NULL);
        buf_puts(B, "</p>");
    }
    if (pg.many && !p.q[0] && !p.theme[0] && !p.state[0] && !p.group[0]) { /* unfiltered: every idea, counted */
        pg.total = all;
        pg.many = false;
    }
    if (set_aside) {
        buf_puts(B, "<div class=\"nhsuk-error-summary\" aria-labelledby=\"filter-error\" role=\"alert\" tabindex=\"-1\">"
                    "<h2 class=\"nhsuk-error-summary__title\" id=\"filter-error\">One of the choices was set aside</h2>"
                    "<div class=\"nhsuk-error-summary__body\"><p>");
        html_esc(B, bad.msg);
        buf_puts(B, "</p></div></div>");
    }
    filter_form(r, w, c, &p, &themes);
    store_idea_themes_release(&themes);
    char base[200];
    web_campaign_href(r, c->id, "", base, sizeof base);
    struct buf qs, here; /* this page's address, for the vote buttons to come back to */
    buf_init(&qs, 1024);
    buf_init(&here, 1400);
    query_string(&p, p.page, &qs);
    buf_printf(&here, "%s%s%s", base, qs.len ? "?" : "", qs.len ? qs.data : "");
    buf_release(&qs);
    const char *back = here.failed || !here.data ? "" : here.data;
    int64_t first = (p.page - 1) * p.per_page + 1;
    if (pg.ideas.n == 0)
        buf_puts(B, pg.total ? "<p>There are no ideas on this page.</p>"
                             : (p.q[0] || p.theme[0] || p.state[0] || p.group[0]) ? "<p>No ideas match.</p>"
                                                                                  : "<p>There are no ideas yet.</p>");
    else {
        char n1[KIT_NUMBER_MAX], n2[KIT_NUMBER_MAX], n3[KIT_NUMBER_MAX];
        buf_printf(B, "<p>Showing ideas %s to %s of %s%s.</p>", kit_number(n1, (double)first, 0),
                   kit_number(n2, (double)(first + (int64_t)pg.ideas.n - 1), 0), pg.many ? "more than " : "",
                   kit_number(n3, (double)pg.total, 0));
    }
    char votes[STORE_IDEAS_PER_PAGE_MAX][16];
    int rc = store_votes_of(r->ctx->store, &r->scope, c->id, &pg.ideas, secret, r->user.id, votes, err);
    for (size_t i = 0; rc == 0 && i < pg.ideas.n; i++)
        rc = idea_card(r, w, c, &pg.ideas.items[i], open, secret, back, &pg.comments, votes[i], err);
    if (rc == 0)
        ideas_pagination(w, &p, &pg, base);
    buf_release(&here);
    store_idea_page_release(&pg);
    return rc;
}

/* ---- an idea's own page ----------------------------------------------------------------------- */

/* The idea r->id of a conversation of the request's scope, with its conversation; on failure the
 * error is answered (*answered) or, when internal, left to the caller. */
int web_idea_load(struct web_req *r, struct web_resp *w, struct store_campaign *c, struct store_contribution *x,
                  bool *answered, struct purpose_err *err)
{
    *answered = false;
    int64_t cid = 0;
    if (store_idea_campaign(r->ctx->store, &r->scope, r->id, &cid, err) < 0 ||
        store_campaign_get(r->ctx->store, &r->scope, cid, c, err) < 0) {
        *answered = web_fail(r, w, err) == 0;
        return -1;
    }
    if (store_contribution_get(r->ctx->store, &r->scope, cid, r->id, x, err) < 0) {
        store_campaign_release(c);
        *answered = web_fail(r, w, err) == 0;
        return -1;
    }
    return 0;
}

static int idea_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign c;
    struct store_contribution x;
    bool answered;
    if (web_idea_load(r, w, &c, &x, &answered, err) < 0)
        return answered ? 0 : -1;
    struct web_contributor me;
    char back[200], here[200], title[64], rest[40];
    web_contributor(r, w, WEB_CONTRIBUTOR_PEEK, &me, err);
    web_auth_presession(r);
    snprintf(title, sizeof title, "Idea %lld", (long long)x.id);
    html_begin(r, w, title);
    web_campaign_href(r, c.id, "", back, sizeof back);
    kit_back_link(w, back, "Back to the conversation");
    buf_puts(B, "<span class=\"nhsuk-caption-l\">");
    html_esc(B, c.question);
    buf_puts(B, "</span><h1>");
    html_esc(B, title);
    buf_puts(B, "</h1>");
    char voted[16] = "";
    if (web_query_get(r, "voted", voted, sizeof voted) == 0)
        kit_inset(w, "Thank you: your vote is counted.", NULL, NULL, NULL);
    if (web_query_get(r, "responded", voted, sizeof voted) == 0)
        kit_inset(w, "The response is saved.", NULL, NULL, NULL);
    snprintf(rest, sizeof rest, "/ideas/%lld", (long long)x.id);
    web_conversations_href(r, rest, here, sizeof here);
    web_stamp_until_open(r, c.opens_at, c.closes_at);
    int rc = idea_card(r, w, &c, &x, store_campaign_open(&c, (int64_t)time(NULL)), me.secret, here, NULL, NULL, err);
    html_end(r, w);
    store_contribution_release(&x);
    store_campaign_release(&c);
    return rc;
}

/* ---- API -------------------------------------------------------------------------------------- */

static int ideas_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct web_idea_params p;
    if (web_idea_params(r, &p, err) < 0)
        return web_api_fail(w, err);
    struct store_campaign c;
    bool answered;
    if (web_campaign_load(r, w, &c, &answered, err) < 0)
        return answered ? 0 : -1;
    struct store_idea_page pg;
    int rc = web_ideas_find(r, c.id, &p, &pg, err);
    store_campaign_release(&c);
    if (rc < 0)
        return web_api_fail(w, err);
    json_t *j = json_pack("{s:I, s:b, s:I, s:I, s:b}", "total", (json_int_t)pg.total, "total_more", pg.many, "page",
                          (json_int_t)p.page, "per_page", (json_int_t)p.per_page, "more", pg.more);
    web_jset(&j, "ideas", web_contributions_json(&pg.ideas));
    store_idea_page_release(&pg);
    web_json(w, 200, j);
    return 0;
}

static int idea_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign c;
    struct store_contribution x;
    bool answered;
    if (web_idea_load(r, w, &c, &x, &answered, err) < 0)
        return answered ? 0 : -1;
    struct store_contribution_list cl;
    int rc = store_idea_comments(r->ctx->store, &r->scope, c.id, x.id, 500, &cl, err);
    if (rc == 0) {
        json_t *j = web_contribution_json(&x);
        web_jset(&j, "conversation_id", json_integer((json_int_t)c.id));
        web_jset(&j, "comments", web_contributions_json(&cl));
        web_json(w, 200, j);
        store_contribution_list_release(&cl);
    }
    store_contribution_release(&x);
    store_campaign_release(&c);
    return rc;
}

static const struct web_route routes[] = {
    WEB_IDEA_PAGE("GET", "", ROLE_ANON, idea_page),
    WEB_CONVERSATION_API("GET", "/{id}/ideas", ROLE_ANON, ideas_api),
    WEB_IDEA_API("GET", "", ROLE_ANON, idea_api),
};

WEB_FEATURE_ROUTES(web_ideas, routes);
