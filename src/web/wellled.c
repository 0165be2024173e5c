/* The well-led self-assessment (issue 20; docs/wellled.md): CQC's eight well-led quality statements
 * for an organisation, each with the live evidence the store gathers (grouped by CQC's evidence
 * categories, with links), the statements with no evidence yet, and the leads' ratings with their
 * history; members read it, leads rate. The API is wellled_api.c, the PDF wellled_pdf.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/action.h"
#include "web/kit.h"
#include "web/wellled.h"
#include "core/banned.h"

#define B (&w->body)

int web_wl_load(struct web_req *r, int statement, struct web_wl *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    if (store_wl_evidence(r->ctx->store, &r->scope, (int64_t)time(NULL), &out->ev, err) < 0)
        return -1;
    if (store_wl_ratings(r->ctx->store, &r->scope, statement, &out->ratings, err) < 0) {
        store_wl_evidence_list_release(&out->ev);
        return -1;
    }
    return 0;
}

void web_wl_release(struct web_wl *a)
{
    store_wl_evidence_list_release(&a->ev);
    store_wl_rating_list_release(&a->ratings);
}

const struct store_wl_rating *web_wl_current(const struct web_wl *a, int n)
{
    for (size_t i = 0; i < a->ratings.n; i++)
        if (a->ratings.items[i].statement == n)
            return &a->ratings.items[i]; /* newest first */
    return NULL;
}

const char *web_wl_href(const struct web_req *r, const struct store_wl_link *l, char *out, size_t n)
{
    switch (l->to) {
    case STORE_WL_TO_HISTORY: return web_href(r, out, n, "/strategy/{kind}/history", l->word);
    case STORE_WL_TO_SHAPED: return web_href(r, out, n, "/shaped/{kind}", l->word);
    case STORE_WL_TO_ALIGNMENT: return web_href(r, out, n, "/alignment");
    case STORE_WL_TO_LINE_OF_SIGHT: return web_href(r, out, n, "/line-of-sight");
    case STORE_WL_TO_CONVERSATION: return web_href(r, out, n, "/conversations/{id}/summary", l->id);
    case STORE_WL_TO_SUMMARY: return web_href(r, out, n, "/summary");
    case STORE_WL_TO_CASE: return web_href(r, out, n, "/good-practice/{id}", l->id);
    case STORE_WL_TO_CASES: return web_href(r, out, n, "/case-studies");
    case STORE_WL_TO_PROGRAMME: return web_href(r, out, n, "/programmes/{programme}", l->word);
    case STORE_WL_TO_AUDIT: return web_href(r, out, n, "/admin/audit");
    case STORE_WL_TO_PROJECT: return web_href(r, out, n, "/projects/{id}", l->id);
    case STORE_WL_TO_MEASURE: return web_href(r, out, n, "/measures/{id}", l->id);
    case STORE_WL_TO_PULSE: return web_href(r, out, n, "/pulses/{id}/results", l->id);
    }
    out[0] = '\0';
    return out;
}

static const char *rating_colour(const char *rating)
{
    return strcmp(rating, "outstanding") == 0 ? "green" : strcmp(rating, "good") == 0 ? "blue"
           : strcmp(rating, "requires_improvement") == 0                           ? "orange"
                                                                                   : "red";
}

static void rating_tag(struct web_resp *w, const char *rating)
{
    const char *colour = rating_colour(rating);
    kit_tag(w, store_wl_rating_label(rating), strcmp(colour, "blue") == 0 ? NULL : colour);
}

/* An evidence item: its title, what it shows and its links (each shown as a link only when the
 * reader may follow it; the audit log is for administrators). */
static void evidence_item(struct web_req *r, struct web_resp *w, const struct store_wl_evidence *e, const char *tag)
{
    buf_printf(B, "<%s class=\"nhsuk-heading-s\">", tag);
    html_esc(B, e->title);
    buf_printf(B, "</%s><p>", tag);
    html_esc(B, e->text);
    buf_puts(B, "</p>");
    if (!e->n_links)
        return;
    buf_puts(B, "<ul class=\"nhsuk-list nhsuk-list--bullet app-evidence-links\">");
    for (size_t i = 0; i < e->n_links; i++) {
        char href[400];
        web_wl_href(r, &e->links[i], href, sizeof href);
        buf_puts(B, "<li>");
        if (href[0] && web_may(r, "GET", href))
            kit_link(w, href, e->links[i].label, NULL);
        else
            html_esc(B, e->links[i].label);
        buf_puts(B, "</li>");
    }
    buf_puts(B, "</ul>");
}

/* Statement n's evidence, grouped by CQC evidence category in the order the kinds first name them. */
static void statement_evidence(struct web_req *r, struct web_resp *w, const struct web_wl *a, int n)
{
    if (!store_wl_has_evidence(&a->ev, n)) {
        buf_puts(B, "<p class=\"app-no-evidence\"><strong>No evidence yet.</strong> Purpose holds nothing for this "
                    "statement so far.</p>");
        return;
    }
    unsigned bit = 1u << (n - 1);
    for (size_t i = 0; i < a->ev.n; i++) {
        const struct store_wl_evidence *e = &a->ev.items[i];
        if (!(e->statements & bit) || !e->count)
            continue;
        bool first = true; /* the category's first item with evidence here */
        for (size_t k = 0; k < i; k++)
            if ((a->ev.items[k].statements & bit) && a->ev.items[k].count &&
                strcmp(a->ev.items[k].category, e->category) == 0)
                first = false;
        if (!first)
            continue;
        buf_puts(B, "<h4 class=\"nhsuk-heading-xs app-category\">");
        html_esc(B, e->category);
        buf_puts(B, "</h4>");
        for (size_t k = i; k < a->ev.n; k++) {
            const struct store_wl_evidence *x = &a->ev.items[k];
            if ((x->statements & bit) && x->count && strcmp(x->category, e->category) == 0)
                evidence_item(r, w, x, "h5");
        }
    }
}

static void rating_body(struct web_req *r, struct web_resp *w, const struct store_wl_rating *rt)
{
    buf_puts(B, "<p>");
    rating_tag(w, rt->rating);
    buf_puts(B, " <span class=\"nhsuk-body-s\">by ");
    html_esc(B, rt->actor);
    buf_puts(B, ", ");
    html_date(B, rt->at);
    buf_puts(B, "</span></p>");
    kit_paragraphs(w, rt->narrative, NULL);
    if (rt->actions[0]) {
        buf_puts(B, "<p><strong>Actions:</strong> ");
        html_esc(B, rt->actions);
        buf_puts(B, "</p>");
    }
    if (rt->n_projects) {
        buf_puts(B, "<p>Linked projects:</p><ul class=\"nhsuk-list nhsuk-list--bullet\">");
        for (size_t i = 0; i < rt->n_projects; i++) {
            char href[200];
            buf_puts(B, "<li>");
            kit_link(w, web_href(r, href, sizeof href, "/projects/{id}", rt->project_ids[i]), rt->project_titles[i],
                     NULL);
            buf_puts(B, "</li>");
        }
        buf_puts(B, "</ul>");
    }
}

/* One statement: its words, its rating (with a way to rate it for leads) and its evidence. */
static void statement_section(struct web_req *r, struct web_resp *w, const struct web_wl *a,
                              const struct store_wl_statement *st, bool own_page)
{
    char href[200];
    buf_printf(B, "<section class=\"app-wellled-statement\" id=\"%s\">", st->slug);
    if (!own_page) {
        buf_printf(B, "<h2>%d. ", st->number);
        kit_link(w, web_href(r, href, sizeof href, "/well-led/{id}", (int64_t)st->number), st->title, NULL);
        buf_puts(B, "</h2>");
    }
    buf_puts(B, "<p class=\"nhsuk-body-s\">");
    html_esc(B, st->we);
    buf_puts(B, "</p>");
    const char *tag = own_page ? "h2" : "h3";
    buf_printf(B, "<%s>Our rating</%s>", tag, tag);
    const struct store_wl_rating *rt = web_wl_current(a, st->number);
    if (rt)
        rating_body(r, w, rt);
    else
        buf_puts(B, "<p class=\"app-not-rated\">Not rated yet.</p>");
    web_href(r, href, sizeof href, "/well-led/{id}/rate", (int64_t)st->number);
    if (web_may(r, "POST", href)) {
        buf_puts(B, "<p>");
        kit_link(w, href, rt ? "Rate it again" : "Rate this statement", st->title);
        buf_puts(B, "</p>");
    }
    buf_printf(B, "<%s>Evidence</%s>", tag, tag);
    statement_evidence(r, w, a, st->number);
    buf_puts(B, "</section>");
}

/* The statements with no evidence yet, and those not rated yet, named. */
static void gaps(struct web_req *r, struct web_resp *w, const struct web_wl *a)
{
    size_t none = 0, unrated = 0;
    for (int n = 1; n <= STORE_WL_STATEMENTS; n++) {
        none += !store_wl_has_evidence(&a->ev, n);
        unrated += !web_wl_current(a, n);
    }
    if (!none && !unrated)
        return;
    buf_puts(B, "<div class=\"nhsuk-warning-callout app-gaps\"><h2 class=\"nhsuk-warning-callout__label\">"
                "<span role=\"text\"><span class=\"nhsuk-u-visually-hidden\">Important: </span>Gaps</span></h2>");
    for (int pass = 0; pass < 2; pass++) {
        size_t k = pass ? unrated : none;
        if (!k)
            continue;
        buf_printf(B, "<p>%s</p><ul class=\"nhsuk-list nhsuk-list--bullet %s\">",
                   pass ? "Not rated yet:" : "No evidence yet:", pass ? "app-gaps-unrated" : "app-gaps-evidence");
        for (int n = 1; n <= STORE_WL_STATEMENTS; n++)
            if (pass ? !web_wl_current(a, n) : !store_wl_has_evidence(&a->ev, n)) {
                char href[200];
                buf_puts(B, "<li>");
                kit_link(w, web_href(r, href, sizeof href, "/well-led/{id}", (int64_t)n), store_wl_statement(n)->title,
                         NULL);
                buf_puts(B, "</li>");
            }
        buf_puts(B, "</ul>");
    }
    buf_puts(B, "</div>");
}

static int wellled_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct web_wl a;
    if (web_wl_load(r, 0, &a, err) < 0)
        return -1;
    html_begin(r, w, "Well-led self-assessment");
    buf_puts(B, "<h1>Well-led self-assessment</h1><p class=\"nhsuk-lede-text\">CQC's eight well-led quality statements "
                "for ");
    html_esc(B, r->org.name);
    buf_puts(B, ", each with the evidence Purpose holds today and our own rating.</p><p>");
    char href[200];
    kit_link(w, web_href(r, href, sizeof href, "/well-led.pdf"), "Download it as a PDF", NULL);
    buf_puts(B, " (one page per statement)</p>");
    gaps(r, w, &a);
    static const char *const heads[] = {"Quality statement", "Evidence", "Our rating"};
    kit_table_open(w, "The eight statements", heads, 3, "app-wellled-table");
    for (int n = 1; n <= STORE_WL_STATEMENTS; n++) {
        const struct store_wl_statement *st = store_wl_statement(n);
        const struct store_wl_rating *rt = web_wl_current(&a, n);
        kit_row_open(w);
        kit_cell_open(w);
        kit_link(w, web_href(r, href, sizeof href, "/well-led/{id}", (int64_t)n), st->title, NULL);
        kit_cell_close(w);
        size_t kinds = 0;
        for (size_t i = 0; i < a.ev.n; i++)
            kinds += (a.ev.items[i].statements & (1u << (n - 1))) && a.ev.items[i].count;
        char t[48];
        snprintf(t, sizeof t, kinds ? "%zu kind%s" : "None yet", kinds, kinds == 1 ? "" : "s");
        kit_cell(w, t);
        kit_cell_open(w);
        if (rt)
            rating_tag(w, rt->rating);
        else
            buf_puts(B, "Not rated yet");
        kit_cell_close(w);
        kit_row_close(w);
    }
    kit_table_close(w);
    for (int n = 1; n <= STORE_WL_STATEMENTS; n++)
        statement_section(r, w, &a, store_wl_statement(n), false);
    html_end(r, w);
    web_wl_release(&a);
    return 0;
}

static int statement_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const struct store_wl_statement *st = store_wl_statement(r->id);
    if (!st)
        return web_page_fail(r, w, &(struct purpose_err){.kind = PURPOSE_ERR_NOT_FOUND, .msg = "quality statement: not found"});
    struct web_wl a;
    if (web_wl_load(r, st->number, &a, err) < 0)
        return -1;
    html_begin(r, w, st->title);
    kit_back_link(w, "/well-led", "Well-led self-assessment");
    buf_printf(B, "<span class=\"nhsuk-caption-l\">Well-led quality statement %d</span><h1>", st->number);
    html_esc(B, st->title);
    buf_puts(B, "</h1>");
    statement_section(r, w, &a, st, true);
    buf_puts(B, "<h2>Rating history</h2>");
    if (!a.ratings.n)
        buf_puts(B, "<p>Not rated yet.</p>");
    else {
        static const char *const heads[] = {"When", "Rating", "By", "Narrative"};
        kit_table_open(w, "Every rating of this statement, newest first", heads, 4, "app-rating-history");
        for (size_t i = 0; i < a.ratings.n; i++) {
            const struct store_wl_rating *rt = &a.ratings.items[i];
            kit_row_open(w);
            kit_cell_open(w);
            html_date(B, rt->at);
            kit_cell_close(w);
            kit_cell(w, store_wl_rating_label(rt->rating));
            kit_cell(w, rt->actor);
            kit_cell(w, rt->narrative);
            kit_row_close(w);
        }
        kit_table_close(w);
    }
    html_end(r, w);
    web_wl_release(&a);
    return 0;
}

/* ---- rating ------------------------------------------------------------------------------------- */

static int rate_form(struct web_req *r, struct web_resp *w, const struct store_wl_statement *st,
                     const struct store_wl_rating_input *in, const struct purpose_err *fe, struct purpose_err *err)
{
    struct store_project_list pl;
    if (store_project_list(r->ctx->store, &r->scope, NULL, &pl, err) < 0)
        return -1;
    char back[200], action[200], title[STORE_TITLE_MAX + 16];
    web_href(r, back, sizeof back, "/well-led/{id}", (int64_t)st->number);
    web_href(r, action, sizeof action, "/well-led/{id}/rate", (int64_t)st->number);
    snprintf(title, sizeof title, "Rate: %s", st->title);
    html_begin(r, w, title);
    kit_narrow_open(w);
    kit_back_link(w, back, st->title);
    kit_error_summary(w, fe);
    buf_printf(B, "<span class=\"nhsuk-caption-l\">Well-led quality statement %d</span><h1>", st->number);
    html_esc(B, st->title);
    buf_puts(B, "</h1><p>Your rating is added to the statement's history; the earlier ones stay.</p>");
    kit_form_open(r, w, action);
    struct kit_option opt[STORE_WL_RATINGS];
    for (size_t i = 0; i < STORE_WL_RATINGS; i++)
        opt[i] = (struct kit_option){store_wl_rating_names[i], store_wl_rating_label(store_wl_rating_names[i]),
                                     in->rating && strcmp(in->rating, store_wl_rating_names[i]) == 0};
    kit_radios(w, fe, &(struct kit_field){.name = "rating", .label = "Rating"}, opt, STORE_WL_RATINGS);
    kit_textarea(w, fe, &(struct kit_field){.name = "narrative", .label = "Narrative",
                                            .hint = "What the evidence shows, and what it does not", .value = in->narrative,
                                            .rows = 6});
    kit_textarea(w, fe, &(struct kit_field){.name = "actions", .label = "Actions", .hint = "Optional: what we will do next",
                                            .value = in->actions, .rows = 3});
    const struct purpose_err *pe = kit_fault(w, fe, "projects");
    bool bad = pe != NULL;
    buf_printf(B, "<div class=\"nhsuk-form-group%s\" id=\"projects\"><fieldset class=\"nhsuk-fieldset\">"
                  "<legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">Projects the actions are linked to"
                  "</legend><div class=\"nhsuk-hint\">Optional: up to %d</div>",
               bad ? " nhsuk-form-group--error" : "", STORE_WL_PROJECTS_MAX);
    if (bad) {
        buf_puts(B, "<span class=\"nhsuk-error-message\"><span class=\"nhsuk-u-visually-hidden\">Error:</span> ");
        kit_error_text(B, pe);
        buf_puts(B, "</span>");
    }
    buf_puts(B, "<div class=\"nhsuk-checkboxes\">");
    for (size_t i = 0; i < pl.n; i++) {
        bool on = false;
        for (size_t k = 0; k < in->n_projects; k++)
            on |= in->project_ids[k] == pl.items[i].id;
        char v[24];
        snprintf(v, sizeof v, "%lld", (long long)pl.items[i].id);
        kit_checkbox(w, "project", v, pl.items[i].title, on);
    }
    buf_puts(B, "</div></fieldset></div>");
    kit_button(w, "Save the rating", false);
    kit_form_close(w);
    kit_narrow_close(w);
    html_end(r, w);
    store_project_list_release(&pl);
    return 0;
}

const struct store_wl_statement *web_wl_statement(struct web_req *r, struct web_resp *w, int *rc)
{
    const struct store_wl_statement *st = store_wl_statement(r->id);
    if (!st)
        *rc = web_fail(r, w, &(struct purpose_err){.kind = PURPOSE_ERR_NOT_FOUND, .msg = "quality statement: not found"});
    return st;
}

static int rate_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    int rc = 0;
    const struct store_wl_statement *st = web_wl_statement(r, w, &rc);
    if (!st)
        return rc;
    struct store_wl_rating_list l;
    if (store_wl_ratings(r->ctx->store, &r->scope, st->number, &l, err) < 0)
        return -1;
    struct store_wl_rating_input in = {0};
    if (l.n) /* start from the current rating */
        in = (struct store_wl_rating_input){l.items[0].rating, l.items[0].narrative, l.items[0].actions,
                                            l.items[0].project_ids, l.items[0].n_projects};
    rc = rate_form(r, w, st, &in, NULL, err);
    store_wl_rating_list_release(&l);
    return rc;
}

/* ---- a rating (action.h): one declaration, the form and POST /api/v1/well-led/{id}/ratings ---- */

static int rate_run(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                    struct purpose_err *err)
{
    const struct web_aval *p = web_in(in, "projects");
    struct store_wl_rating_input ri = {web_in_s(in, "rating"), web_in_s(in, "narrative"), web_in_s(in, "actions"),
                                       p->ids, p->n};
    struct store_actor by = web_actor(r);
    snprintf(out->next, sizeof out->next, "/well-led/%lld", (long long)r->id); /* the statement's page */
    return store_wl_rate(r->ctx->store, &by, &r->scope, (int)r->id, &ri, &out->id, err);
}

static int rate_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                      const struct purpose_err *fe, struct purpose_err *err)
{
    const struct web_aval *p = web_in(in, "projects");
    struct store_wl_rating_input ri = {web_in_s(in, "rating"), web_in_s(in, "narrative"), web_in_s(in, "actions"),
                                       p->ids, p->n};
    return rate_form(r, w, store_wl_statement(r->id), &ri, fe, err);
}

/* The store's own rules, so that every bad field is named at once. */
static const struct web_afield rate_fields[] = {
    {.name = "rating", .required = true, .check = store_wl_check_rating},
    {.name = "narrative", .required = true, .max = STORE_TEXT_MAX},
    {.name = "actions", .max = STORE_TEXT_MAX},
    {.name = "projects", .kind = WEB_F_IDS, .max = STORE_WL_PROJECTS_MAX, .form = "project"},
};
const struct web_action web_wl_rate = {.fields = rate_fields, .nfields = 4, .run = rate_run, .form = rate_again,
                                       .next = "/well-led", .answer = web_wl_rating_answer,
                                       .api_status = 201};

/* The statement {id} names is checked first: the form is drawn around it. */
static int rate_save(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    int rc = 0;
    if (!web_wl_statement(r, w, &rc))
        return rc;
    return web_action_page(r, w, &web_wl_rate, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/well-led", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = wellled_page},
    {.method = "GET", .path = "/well-led.pdf", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = web_wl_pdf},
    {.method = "GET", .path = "/well-led/{id}", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = statement_page},
    {.method = "GET", .path = "/well-led/{id}/rate", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = rate_page},
    {.method = "POST", .path = "/well-led/{id}/rate", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = rate_save},
    {.method = "GET", .path = "/api/v1/well-led", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = web_wl_api},
    {.method = "GET", .path = "/api/v1/well-led/{id}/ratings", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = web_wl_ratings_api},
    {.method = "POST", .path = "/api/v1/well-led/{id}/ratings", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = web_wl_rate_api},
};

static const struct web_nav nav[] = {
    {.href = "/well-led", .label = "Well-led", .rank = 45},
};

WEB_FEATURE(web_wellled, routes, nav);
