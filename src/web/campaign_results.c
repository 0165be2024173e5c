/* A conversation's results per theme (ranked by agreement and by division), the who-has-been-heard
 * report (page, CSV and API) and the CSV export of its contributions. Pages write counts through
 * kit_count and kit_shown; exports and the API through store_count_text ("fewer than 5"), plain. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/cache.h"
#include "web/campaigns.h"
#include "web/events.h"
#include "web/opinions.h"
#include "core/csv.h"
#include "core/banned.h"

#define B (&w->body)

/* ---- results and the report ----------------------------------------------------------------- */

static int by_agreement(const void *a, const void *b)
{
    double x = store_agreement(a), y = store_agreement(b);
    return x < y ? 1 : x > y ? -1 : 0;
}

static int by_division(const void *a, const void *b)
{
    double x = store_division(a), y = store_division(b);
    return x < y ? 1 : x > y ? -1 : 0;
}

static void results_table(struct web_resp *w, const char *caption, struct store_contribution *items, size_t n)
{
    static const char *const heads[] = {"Idea", "Theme", "Agree", "Disagree", "Unsure"};
    kit_table_open(w, caption, heads, 5, NULL);
    for (size_t i = 0; i < n && i < 10; i++) {
        char t[KIT_NUMBER_MAX];
        kit_row_open(w);
        kit_cell(w, items[i].body);
        kit_cell(w, items[i].theme[0] ? items[i].theme : "Not tagged");
        kit_cell(w, kit_count(t, items[i].agree));
        kit_cell(w, kit_count(t, items[i].disagree));
        kit_cell(w, kit_count(t, items[i].unsure));
        kit_row_close(w);
    }
    kit_table_close(w);
}

/* The results as everyone sees them (the page between its frame). */
static int results_content(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign c;
    bool answered;
    if (web_campaign_load(r, w, &c, &answered, err) < 0)
        return answered ? 1 : -1;
    struct store_contribution_list l;
    if (store_contribution_list(r->ctx->store, &r->scope, c.id, true, 0, &l, err) < 0) {
        store_campaign_release(&c);
        return -1;
    }
    web_campaign_heading(r, w, &c);
    char n[KIT_NUMBER_MAX], tvs[KIT_NUMBER_MAX];
    /* Ideas are public, each on the conversation page: their number is not suppressed. */
    char shown[KIT_NUMBER_MAX];
    buf_printf(B, "<p>%s published %s. Ideas with fewer than 5 votes are left out of the rankings.</p>",
               kit_number(shown, (double)l.n, 0), l.n == 1 ? "idea" : "ideas");
    int64_t votes = 0, no_account = 0;
    for (size_t i = 0; i < l.n; i++) {
        votes += l.items[i].agree + l.items[i].disagree + l.items[i].unsure;
        no_account += l.items[i].no_account;
    }
    int64_t parts[2] = {no_account, votes - no_account};
    struct store_shown tv;
    store_total(votes, parts, 2, &tv);
    buf_printf(B, "<p id=\"votes\">Votes on them: %s, of which %s from people without an account (checked "
                  "only against a browser, so one person may have voted from more than one).</p>",
               kit_shown(tvs, &tv), kit_count(n, no_account));
    size_t k = 0;
    for (size_t i = 0; i < l.n; i++)
        if (l.items[i].agree + l.items[i].disagree + l.items[i].unsure >= STORE_SUPPRESS_BELOW) {
            struct store_contribution t = l.items[k];
            l.items[k++] = l.items[i];
            l.items[i] = t;
        }
    buf_puts(B, "<h2>Where people agree</h2>");
    if (k)
        qsort(l.items, k, sizeof *l.items, by_agreement);
    results_table(w, "Ideas with the most agreement", l.items, k);
    buf_puts(B, "<h2>Where opinion is divided</h2>");
    if (k)
        qsort(l.items, k, sizeof *l.items, by_division);
    results_table(w, "Ideas that divide opinion most", l.items, k);
    store_contribution_list_release(&l);
    store_campaign_release(&c);
    return 0;
}

/* Votes stream in while a conversation is open, each a commit: the results are rendered again at
 * most every RESULTS_STALE_MS (cache.h), so they trail the votes by that and a render, and
 * never by a second (issue 9). Everyone sees the same results; the frame is each person's. */
#define RESULTS_STALE_MS 250

/* After the shared results, each person's own part: the way to the opinion groups, which only the
 * conversation's lead is shown while they are off (so it is never inside the shared fragment). */
static int results_end(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    if (web_opinions_results_link(r, w, r->id, err) < 0)
        return -1;
    html_end(r, w);
    return 0;
}

static int results_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char key[192];
    snprintf(key, sizeof key, "results:%s:%lld:%lld:%s", r->programme.id ? "programme" : "org",
             (long long)(r->programme.id ? r->programme.id : r->org.id), (long long)r->id, r->base);
    struct web_frag *f = web_frag_get(r, key);
    if (f) {
        html_begin(r, w, "Results");
        web_frag_emit(w, f);
        return results_end(r, w, err);
    }
    struct web_resp part = {.status = 200, .base = w->base}; /* its links in the page's scope */
    buf_init(&part.body, WEB_PAGE_LIMIT);
    int rc = results_content(r, &part, err);
    if (rc != 0 || part.body.failed) {
        web_frag_abandon(r, key);
        if (rc == 1) { /* answered: not found */
            buf_release(&w->body);
            *w = part;
            return 0;
        }
        buf_release(&part.body);
        return rc < 0 ? -1 : purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "results: out of memory");
    }
    html_begin(r, w, "Results");
    f = web_frag_put(r, key, part.body.data, part.body.len);
    if (f)
        web_frag_emit(w, f);
    else
        buf_append(B, part.body.data, part.body.len);
    buf_release(&part.body);
    return results_end(r, w, err);
}

static int report_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign c;
    bool answered;
    if (web_campaign_load(r, w, &c, &answered, err) < 0)
        return answered ? 0 : -1;
    struct store_heard_list h;
    int64_t np, nc;
    if (store_campaign_heard(r->ctx->store, &r->scope, c.id, &h, &np, &nc, err) < 0) {
        store_campaign_release(&c);
        return -1;
    }
    html_begin(r, w, "Who has been heard");
    web_campaign_heading(r, w, &c);
    char a[KIT_NUMBER_MAX], b[KIT_NUMBER_MAX];
    struct store_shown tp, tc;
    store_heard_total(&h, np, false, &tp);
    store_heard_total(&h, nc, true, &tc);
    kit_shown(a, &tp);
    a[0] = (char)toupper((unsigned char)a[0]); /* it starts a sentence */
    buf_printf(B, "<h2>Who has been heard</h2><p>%s people took part and %s contributions are published. "
                  "People describe themselves only if they choose to; counts of 1 to 4 are shown as "
                  "\"fewer than 5\", and a total that would let one be worked out by subtraction is given to "
                  "the nearest 10.</p>",
               a, kit_shown(b, &tc));
    char csv[200];
    web_campaign_href(r, c.id, "/report.csv", csv, sizeof csv);
    buf_puts(B, "<p>");
    kit_link(w, csv, "Download this report as CSV", NULL);
    buf_puts(B, "</p>");
    static const char *const heads[] = {"Group", "Participants", "Contributions", "Intended audience"};
    kit_table_open(w, "Participants and contributions by self-described group", heads, 4, NULL);
    for (size_t i = 0; i < h.n; i++) {
        kit_row_open(w);
        kit_cell(w, h.items[i].label);
        kit_cell(w, kit_count(a, h.items[i].participants));
        kit_cell(w, kit_count(b, h.items[i].contributions));
        kit_cell_open(w);
        if (h.items[i].in_audience && h.items[i].participants == 0)
            kit_tag(w, "Not yet heard", "red");
        else
            buf_puts(B, h.items[i].in_audience ? "Yes" : "No");
        kit_cell_close(w);
        kit_row_close(w);
    }
    kit_table_close(w);
    store_heard_list_release(&h);
    int rc = web_events_heard(r, w, c.id, err);
    store_campaign_release(&c);
    html_end(r, w);
    return rc;
}

/* Published contributions, anonymised (no names; the day only), counts suppressed. */
static int export_csv(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign c;
    bool answered;
    if (web_campaign_load(r, w, &c, &answered, err) < 0)
        return answered ? 0 : -1;
    struct store_contribution_list l;
    int rc = store_contribution_list(r->ctx->store, &r->scope, c.id, true, -1, &l, err);
    store_campaign_release(&c);
    if (rc < 0)
        return -1;
    w->content_type = "text/csv; charset=utf-8";
    buf_puts(B, "id,kind,on,theme,text,staff,agree,disagree,unsure,day,event\r\n");
    for (size_t i = 0; i < l.n; i++) {
        const struct store_contribution *x = &l.items[i];
        char a[32], d[32], u[32], dd[16];
        web_iso_day(dd, sizeof dd, x->created_at);
        buf_printf(B, "%lld,%s,%lld,", (long long)x->id, x->kind, (long long)x->parent_id);
        csv_write_cell(B, x->theme);
        buf_putc(B, ',');
        csv_write_cell(B, x->body);
        buf_printf(B, ",%s,%s,%s,%s,%s,", x->staff ? "yes" : "no", store_count_text(x->agree, a, sizeof a),
                   store_count_text(x->disagree, d, sizeof d), store_count_text(x->unsure, u, sizeof u), dd);
        csv_write_cell(B, x->event); /* the engagement event it was said at, or "" */
        buf_puts(B, "\r\n");
    }
    store_contribution_list_release(&l);
    return 0;
}

/* The who-has-been-heard report as CSV: the same rows and the same suppression as the page. */
static int report_csv(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign c;
    bool answered;
    if (web_campaign_load(r, w, &c, &answered, err) < 0)
        return answered ? 0 : -1;
    struct store_heard_list h;
    int64_t np, nc;
    int rc = store_campaign_heard(r->ctx->store, &r->scope, c.id, &h, &np, &nc, err);
    store_campaign_release(&c);
    if (rc < 0)
        return -1;
    w->content_type = "text/csv; charset=utf-8";
    char a[32], b[32];
    buf_puts(B, "group,label,category,in_audience,participants,contributions\r\n");
    struct store_shown tp, tc;
    store_heard_total(&h, np, false, &tp);
    store_heard_total(&h, nc, true, &tc);
    buf_printf(B, "all,\"Everyone\",,,%s,%s\r\n", tp.text, tc.text);
    for (size_t i = 0; i < h.n; i++) {
        buf_printf(B, "%s,", h.items[i].code);
        csv_write_cell(B, h.items[i].label);
        buf_printf(B, ",%s,%s,%s,%s\r\n", h.items[i].category, h.items[i].in_audience ? "yes" : "no",
                   store_count_text(h.items[i].participants, a, sizeof a),
                   store_count_text(h.items[i].contributions, b, sizeof b));
    }
    store_heard_list_release(&h);
    return 0;
}

static int report_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign c;
    bool answered;
    if (web_campaign_load(r, w, &c, &answered, err) < 0)
        return answered ? 0 : -1;
    struct store_heard_list h;
    int64_t np, nc;
    json_t *events = NULL;
    int rc = store_campaign_heard(r->ctx->store, &r->scope, c.id, &h, &np, &nc, err);
    if (rc == 0 && (rc = web_events_heard_json(r, c.id, &events, err)) < 0)
        store_heard_list_release(&h);
    store_campaign_release(&c);
    if (rc < 0)
        return -1;
    json_t *groups = json_array();
    for (size_t i = 0; i < h.n; i++) {
        json_t *g = json_pack("{s:s, s:s, s:s, s:b}", "code", h.items[i].code, "label", h.items[i].label, "category",
                              h.items[i].category, "in_audience", h.items[i].in_audience);
        json_object_set_new(g, "participants", web_count_json(h.items[i].participants));
        json_object_set_new(g, "contributions", web_count_json(h.items[i].contributions));
        json_array_append_new(groups, g);
    }
    struct store_shown tp, tc;
    store_heard_total(&h, np, false, &tp);
    store_heard_total(&h, nc, true, &tc);
    store_heard_list_release(&h);
    json_t *j = json_pack("{s:o}", "groups", groups);
    json_object_set_new(j, "participants", web_shown_json(&tp));
    json_object_set_new(j, "contributions", web_shown_json(&tc));
    web_jset(&j, "events", events);
    web_json(w, 200, j);
    return 0;
}

static const struct web_route routes[] = {
    /* read while votes stream in: may trail the store as its fragment does */
    WEB_CONVERSATION_PAGE_LAG("GET", "/{id}/results", ROLE_ANON, results_page, RESULTS_STALE_MS),
    WEB_CONVERSATION_PAGE("GET", "/{id}/report.csv", ROLE_LEAD, report_csv),
    WEB_CONVERSATION_PAGE("GET", "/{id}/report", ROLE_LEAD, report_page),
    WEB_CONVERSATION_PAGE("GET", "/{id}/export.csv", ROLE_LEAD, export_csv),
    WEB_CONVERSATION_API("GET", "/{id}/report", ROLE_LEAD, report_api),
};

WEB_FEATURE_ROUTES(web_campaign_results, routes);
