/* Improvement projects: the register (filters and search), the project form (with the progress
 * scale's definitions where the score is chosen, and the ambitions and aims it serves), the project
 * page (details, score history, driver diagram, PDSA cycles, measures), a lead's approval, and the
 * API. The driver diagram and cycles are drivers.c's; the measures are measures.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/action.h"
#include "web/improve.h"
#include "core/banned.h"

#define B (&w->body)

/* Implemented in drivers.c: the diagram and the cycles on the project page. */
int web_drivers_section(struct web_req *r, struct web_resp *w, const struct store_project *p, struct purpose_err *err);
int web_pdsa_section(struct web_req *r, struct web_resp *w, const struct store_project *p, struct purpose_err *err);
/* measures.c */
int web_measures_section(struct web_req *r, struct web_resp *w, const struct store_project *p, struct purpose_err *err);

static void score_text(char *out, size_t n, int x10)
{
    snprintf(out, n, "%d.%d", x10 / 10 % 100, abs(x10 % 10));
}

const char *web_status_colour(const char *status)
{
    return strcmp(status, "active") == 0       ? "blue"
           : strcmp(status, "sustaining") == 0 ? "green"
           : strcmp(status, "complete") == 0   ? "purple"
           : strcmp(status, "stopped") == 0    ? "grey"
                                               : "yellow";
}

/* ---- the register ------------------------------------------------------------------------------ */

static void filter_select(struct web_resp *w, const char *name, const char *label, const char *current,
                          const char *const *values, const char *const *labels, size_t n)
{
    kit_select_open(w, NULL, &(struct kit_field){.name = name, .label = label});
    kit_select_option(w, "", "Any", !current[0]);
    for (size_t i = 0; i < n; i++)
        kit_select_option(w, values[i], labels[i], strcmp(current, values[i]) == 0);
    kit_select_close(w);
}

/* The register's filters as the query string gives them. */
struct register_query {
    char theme[24], status[24], score[8], prog[24], q[STORE_TITLE_MAX + 1];
};

/* The register's filters, as a GET form holding the values given. */
static void register_filters(struct web_resp *w, const struct register_query *rq, const struct store_theme_list *tl,
                             const struct store_programme_list *gl)
{
    buf_puts(B, "<form method=\"get\" action=\"");
    web_href_esc(w, "/projects");
    buf_puts(B, "\" class=\"app-filters\">");
    kit_input(w, NULL, &(struct kit_field){.name = "q", .label = "Search", .value = rq->q});
    const char *vals[64], *labs[64];
    char ids[64][24];
    size_t n = 0;
    for (size_t i = 0; i < tl->n && n < 64; i++, n++) {
        snprintf(ids[n], sizeof ids[n], "%lld", (long long)tl->items[i].id);
        vals[n] = ids[n];
        labs[n] = tl->items[i].title;
    }
    filter_select(w, "theme", "Theme", rq->theme, vals, labs, n);
    filter_select(w, "status", "Status", rq->status, store_project_statuses, store_project_statuses, 5);
    static const char *const scores[] = {"0.5", "1.0", "1.5", "2.0", "2.5", "3.0", "3.5", "4.0", "4.5", "5.0"};
    filter_select(w, "score", "Progress score", rq->score, scores, scores, 10);
    n = 0;
    for (size_t i = 0; i < gl->n && n < 64; i++, n++) {
        snprintf(ids[n], sizeof ids[n], "%lld", (long long)gl->items[i].id);
        vals[n] = ids[n];
        labs[n] = gl->items[i].name;
    }
    filter_select(w, "programme", "Programme", rq->prog, vals, labs, n);
    kit_button(w, "Apply filters", true);
    buf_puts(B, "</form>");
}

/* A project's row in the register: title, status, progress score, what it serves, approval. */
static void register_row(struct web_resp *w, const struct store_project *p)
{
    char href[48], s[8], serves[64];
    snprintf(href, sizeof href, "/projects/%lld", (long long)p->id);
    kit_row_open(w);
    kit_cell_open(w);
    kit_link(w, href, p->title, NULL);
    kit_cell_close(w);
    kit_cell_open(w);
    kit_tag(w, p->status, web_status_colour(p->status));
    kit_cell_close(w);
    score_text(s, sizeof s, p->score_x10);
    kit_cell(w, s);
    kit_cell_open(w);
    if (p->n_ambitions + p->n_aims == 0) {
        kit_tag(w, "Unaligned", "orange");
    } else {
        snprintf(serves, sizeof serves, "%zu ambition%s, %zu aim%s", p->n_ambitions, p->n_ambitions == 1 ? "" : "s",
                 p->n_aims, p->n_aims == 1 ? "" : "s");
        html_esc(B, serves);
    }
    kit_cell_close(w);
    kit_cell(w, p->approved_by ? "Yes" : "Not yet");
    kit_row_close(w);
}

static int register_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct register_query rq = {0};
    web_query_get(r, "theme", rq.theme, sizeof rq.theme);
    web_query_get(r, "status", rq.status, sizeof rq.status);
    web_query_get(r, "score", rq.score, sizeof rq.score);
    web_query_get(r, "programme", rq.prog, sizeof rq.prog);
    web_query_get(r, "q", rq.q, sizeof rq.q);
    struct store_project_filter f = {.q = rq.q};
    long v;
    struct purpose_err ignored = {0};
    if (rq.theme[0] && web_parse_long(rq.theme, "theme", 1, INT64_MAX / 2, &v, &ignored) == 0)
        f.theme_id = v;
    if (rq.prog[0] && web_parse_long(rq.prog, "programme", 1, INT64_MAX / 2, &v, &ignored) == 0)
        f.programme_id = v;
    int x10;
    if (rq.score[0] && store_score_parse("score", rq.score, &x10, &ignored) == 0)
        f.score_x10 = x10;
    for (size_t i = 0; rq.status[0] && store_project_statuses[i]; i++)
        if (strcmp(rq.status, store_project_statuses[i]) == 0)
            f.status = store_project_statuses[i];
    struct store_project_list pl = {0};
    struct store_theme_list tl = {0};
    struct store_programme_list gl = {0};
    if (store_project_list(r->ctx->store, &r->scope, &f, &pl, err) < 0 ||
        store_theme_list(r->ctx->store, &r->scope, &tl, err) < 0 ||
        store_programme_list(r->ctx->store, &r->scope, &gl, err) < 0) {
        store_project_list_release(&pl);
        store_theme_list_release(&tl);
        return err->kind == PURPOSE_ERR_INPUT ? web_page_fail(r, w, err) : -1;
    }
    html_begin(r, w, "Improvement projects");
    buf_puts(B, "<h1>Improvement projects</h1><p class=\"nhsuk-lede-text\">The improvement work of ");
    html_esc(B, r->org.name);
    buf_puts(B, ", and the ambitions each project serves.</p>");
    if (web_may(r, "POST", "/projects/new")) {
        buf_puts(B, "<p><a class=\"nhsuk-button\" href=\"");
        web_href_esc(w, "/projects/new");
        buf_puts(B, "\">Register a project</a></p>");
    }
    register_filters(w, &rq, &tl, &gl);
    static const char *const heads[] = {"Project", "Status", "Progress", "Serves", "Approved"};
    char caption[64];
    snprintf(caption, sizeof caption, "%zu project%s", pl.n, pl.n == 1 ? "" : "s");
    kit_table_open(w, caption, heads, 5, NULL);
    for (size_t i = 0; i < pl.n; i++)
        register_row(w, &pl.items[i]);
    kit_table_close(w);
    html_end(r, w);
    store_project_list_release(&pl);
    store_theme_list_release(&tl);
    store_programme_list_release(&gl);
    return 0;
}

/* ---- the form ---------------------------------------------------------------------------------- */

static bool has_id(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

static void checkbox(struct web_resp *w, const char *name, int64_t id, const char *label, bool checked)
{
    buf_printf(B, "<div class=\"nhsuk-checkboxes__item\"><input class=\"nhsuk-checkboxes__input\" id=\"%s-%lld\" "
                  "name=\"%s\" type=\"checkbox\" value=\"%lld\"%s><label class=\"nhsuk-label nhsuk-checkboxes__label\" "
                  "for=\"%s-%lld\">",
               name, (long long)id, name, (long long)id, checked ? " checked" : "", name, (long long)id);
    html_esc(B, label);
    buf_puts(B, "</label></div>");
}

static void error_line(struct web_resp *w, const struct purpose_err *fe, const char *field)
{
    const struct purpose_err *e = kit_fault(w, fe, field);
    if (!e)
        return;
    buf_puts(B, "<span class=\"nhsuk-error-message\"><span class=\"nhsuk-u-visually-hidden\">Error:</span> ");
    kit_error_text(B, e);
    buf_puts(B, "</span>");
}

static int links_fieldset(struct web_req *r, struct web_resp *w, const struct store_project_input *l,
                          const struct purpose_err *fe, struct purpose_err *err)
{
    struct store_theme_list tl;
    struct store_ambition_list al;
    struct store_programme_list gl;
    if (store_load_themes(r->ctx->store, &r->scope, &tl, &al, err) < 0)
        return -1;
    if (store_programme_list(r->ctx->store, &r->scope, &gl, err) < 0) {
        store_theme_list_release(&tl);
        store_ambition_list_release(&al);
        return -1;
    }
    bool bad = kit_fault(w, fe, "ambitions") || kit_fault(w, fe, "aims");
    buf_printf(B, "<div class=\"nhsuk-form-group%s\" id=\"ambitions\"><fieldset class=\"nhsuk-fieldset\">"
                  "<legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">What this project serves</legend>"
                  "<div class=\"nhsuk-hint\">Choose the ambitions and programme aims it moves towards.</div>",
               bad ? " nhsuk-form-group--error" : "");
    error_line(w, fe, "ambitions");
    error_line(w, fe, "aims");
    buf_puts(B, "<div class=\"nhsuk-checkboxes\">");
    for (size_t t = 0; t < tl.n; t++)
        for (size_t i = 0; i < al.n; i++)
            if (al.items[i].theme_id == tl.items[t].id) {
                char label[STORE_TITLE_MAX * 2 + 8];
                snprintf(label, sizeof label, "%s: %s", tl.items[t].title, al.items[i].title);
                checkbox(w, "ambition", al.items[i].id, label, has_id(l->ambition_ids, l->n_ambitions, al.items[i].id));
            }
    int rc = 0;
    for (size_t g = 0; g < gl.n && rc == 0; g++) {
        struct store_aim_list ml;
        if ((rc = store_aim_list(r->ctx->store, gl.items[g].id, &ml, err)) < 0)
            break;
        for (size_t i = 0; i < ml.n; i++) {
            char label[STORE_NAME_MAX + STORE_TITLE_MAX + 8];
            snprintf(label, sizeof label, "%s: %s", gl.items[g].name, ml.items[i].title);
            checkbox(w, "aim", ml.items[i].id, label, has_id(l->aim_ids, l->n_aims, ml.items[i].id));
        }
        store_aim_list_release(&ml);
    }
    buf_puts(B, "</div></fieldset></div>");
    store_theme_list_release(&tl);
    store_ambition_list_release(&al);
    store_programme_list_release(&gl);
    return rc;
}

static int score_radios(struct web_req *r, struct web_resp *w, int current, const struct purpose_err *fe,
                        struct purpose_err *err)
{
    struct store_progress_level_list lv;
    if (store_progress_levels(r->ctx->store, &lv, err) < 0)
        return -1;
    bool bad = kit_fault(w, fe, "score") != NULL;
    buf_printf(B, "<div class=\"nhsuk-form-group%s\" id=\"score\"><fieldset class=\"nhsuk-fieldset\">"
                  "<legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">Progress score (IHI scale)</legend>",
               bad ? " nhsuk-form-group--error" : "");
    error_line(w, fe, "score");
    buf_puts(B, "<div class=\"nhsuk-radios\">");
    for (size_t i = 0; i < lv.n; i++) {
        char s[8];
        score_text(s, sizeof s, lv.items[i].score_x10);
        buf_printf(B, "<div class=\"nhsuk-radios__item\"><input class=\"nhsuk-radios__input\" id=\"score-%s\" "
                      "name=\"score\" type=\"radio\" value=\"%s\" aria-describedby=\"score-%s-hint\"%s>"
                      "<label class=\"nhsuk-label nhsuk-radios__label\" for=\"score-%s\">%s ",
                   s, s, s, lv.items[i].score_x10 == current ? " checked" : "", s, s);
        html_esc(B, lv.items[i].label);
        buf_printf(B, "</label><div class=\"nhsuk-hint nhsuk-radios__hint\" id=\"score-%s-hint\">", s);
        html_esc(B, lv.items[i].definition);
        buf_puts(B, "</div></div>");
    }
    buf_puts(B, "</div></fieldset></div>");
    store_progress_level_list_release(&lv);
    return 0;
}

static int project_form(struct web_req *r, struct web_resp *w, bool create, const struct store_project_input *in,
                        const struct purpose_err *fe, struct purpose_err *err)
{
    char action[64], back[64];
    snprintf(action, sizeof action, create ? "/projects/new" : "/projects/%lld/edit", (long long)r->id);
    snprintf(back, sizeof back, create ? "/projects" : "/projects/%lld", (long long)r->id);
    html_begin(r, w, create ? "Register a project" : "Change a project");
    kit_narrow_open(w);
    kit_back_link(w, back, create ? "Back to the projects" : "Back to the project");
    kit_error_summary(w, fe);
    buf_puts(B, create ? "<h1>Register a project</h1>" : "<h1>Change a project</h1>");
    kit_form_open(r, w, action);
    kit_input(w, fe, &(struct kit_field){.name = "title", .label = "Title", .value = in->title});
    kit_textarea(w, fe, &(struct kit_field){.name = "aim", .label = "Aim", .rows = 3, .value = in->aim,
                                            .hint = "A SMART aim: how much, by when, for whom. For example, "
                                                    "\"Halve falls on our care of the elderly wards by March 2027\"."});
    kit_input(w, fe, &(struct kit_field){.name = "team", .label = "Team", .value = in->team,
                                         .hint = "Who is doing the work"});
    kit_input(w, fe, &(struct kit_field){.name = "sponsor", .label = "Sponsor", .value = in->sponsor});
    struct kit_option st[5];
    for (size_t i = 0; i < 5; i++)
        st[i] = (struct kit_option){store_project_statuses[i], store_project_statuses[i],
                                    in->status && strcmp(in->status, store_project_statuses[i]) == 0};
    kit_radios(w, fe, &(struct kit_field){.name = "status", .label = "Status"}, st, 5);
    if (score_radios(r, w, in->score_x10, fe, err) < 0)
        return -1;
    kit_date_input(w, fe, &(struct kit_field){.name = "start_date", .label = "Start date", .hint = "For example, 1 4 2025",
                                              .value = in->start_date});
    struct store_programme_list gl;
    if (store_programme_list(r->ctx->store, &r->scope, &gl, err) < 0)
        return -1;
    kit_select_open(w, fe, &(struct kit_field){.name = "programme_id", .label = "Part of a programme"});
    kit_select_option(w, "0", "None", in->programme_id == 0);
    for (size_t i = 0; i < gl.n; i++) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)gl.items[i].id);
        kit_select_option(w, id, gl.items[i].name, in->programme_id == gl.items[i].id);
    }
    kit_select_close(w);
    store_programme_list_release(&gl);
    if (links_fieldset(r, w, in, fe, err) < 0)
        return -1;
    kit_textarea(w, fe, &(struct kit_field){.name = "why_unaligned", .label = "If it serves none of them, why do it?",
                                            .rows = 3, .value = in->why_unaligned,
                                            .hint = "Required when no ambition or aim is chosen"});
    kit_button(w, "Save", false);
    kit_form_close(w);
    kit_narrow_close(w);
    html_end(r, w);
    return 0;
}

int web_project_form(struct web_req *r, struct web_resp *w, const struct web_action_in *in, const struct purpose_err *fe,
                     struct purpose_err *err)
{
    struct store_project_input p;
    web_project_input(in, &p);
    return project_form(r, w, r->id == 0, &p, fe, err);
}

static int new_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_project_input in = {.status = "idea", .score_x10 = 5};
    return project_form(r, w, true, &in, NULL, err);
}

static int create_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &web_project_add, err);
}

static int edit_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_project p;
    if (web_project_take(r, &p, err) < 0)
        return web_page_fail(r, w, err);
    struct store_project_input in = {p.title,      p.aim,         p.team,        p.sponsor,
                                     p.status,     p.start_date,  p.why_unaligned, p.programme_id,
                                     p.score_x10,  p.ambition_ids, p.n_ambitions, p.aim_ids,
                                     p.n_aims};
    int rc = project_form(r, w, false, &in, NULL, err);
    store_project_release(&p);
    return rc;
}

static int update_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &web_project_change, err);
}

/* ---- the project page -------------------------------------------------------------------------- */

static int serves_rows(struct web_req *r, struct web_resp *w, const struct store_project *p, struct purpose_err *err)
{
    struct buf v;
    buf_init(&v, 1 << 16);
    for (size_t i = 0; i < p->n_ambitions; i++) {
        struct store_ambition a;
        if (store_ambition_get(r->ctx->store, &r->scope, p->ambition_ids[i], &a, err) == 0) {
            buf_printf(&v, "%s%s", v.len ? "; " : "", a.title);
            store_ambition_release(&a);
        }
    }
    if (p->n_aims) {
        struct store_programme_list gl;
        if (store_programme_list(r->ctx->store, &r->scope, &gl, err) < 0) {
            buf_release(&v);
            return -1;
        }
        for (size_t g = 0; g < gl.n; g++) {
            struct store_aim_list al;
            if (store_aim_list(r->ctx->store, gl.items[g].id, &al, err) < 0)
                continue;
            for (size_t i = 0; i < al.n; i++)
                if (has_id(p->aim_ids, p->n_aims, al.items[i].id))
                    buf_printf(&v, "%s%s: %s", v.len ? "; " : "", gl.items[g].name, al.items[i].title);
            store_aim_list_release(&al);
        }
        store_programme_list_release(&gl);
    }
    if (v.len == 0)
        buf_printf(&v, "No ambition or aim. Why: %s", p->why_unaligned);
    kit_summary_row(w, "Serves", v.data ? v.data : "", NULL, NULL, NULL);
    buf_release(&v);
    return 0;
}

/* A link to the project's case study when it has one, and to publishing one when it is complete or
 * sustaining and the caller may; -1 when the store fails. */
static int case_study_links(struct web_req *r, struct web_resp *w, const struct store_project *p,
                            struct purpose_err *err)
{
    int rc = 0;
    struct store_case cs;
    if (store_case_of_project(r->ctx->store, &r->scope, p->id, &cs, err) == 0) {
        char href[48];
        snprintf(href, sizeof href, "/good-practice/%lld", (long long)cs.id);
        buf_puts(B, "<p>");
        kit_link(w, href, "Read its case study", NULL);
        buf_puts(B, "</p>");
        store_case_release(&cs);
    } else if (err->kind != PURPOSE_ERR_NOT_FOUND) {
        rc = -1;
    }
    char study[64];
    snprintf(study, sizeof study, "/projects/%lld/case-study", (long long)p->id);
    if ((strcmp(p->status, "complete") == 0 || strcmp(p->status, "sustaining") == 0) && web_may(r, "POST", study)) {
        buf_puts(B, "<p>");
        kit_link(w, study, "Publish or change its case study", NULL);
        buf_puts(B, "</p>");
    }
    return rc;
}

/* The project's progress scores, each with when and by whom. */
static void progress_list(struct web_resp *w, const struct store_score_list *sl)
{
    char s[8];
    buf_puts(B, "<h2>Progress</h2><ol class=\"nhsuk-list\">");
    for (size_t i = 0; i < sl->n; i++) {
        score_text(s, sizeof s, sl->items[i].score_x10);
        buf_puts(B, "<li>");
        html_esc(B, s);
        buf_puts(B, " on ");
        html_date(B, sl->items[i].at);
        buf_puts(B, " by ");
        html_esc(B, sl->items[i].actor);
        buf_puts(B, "</li>");
    }
    buf_puts(B, "</ol>");
}

static int project_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_project p;
    if (web_project_take(r, &p, err) < 0)
        return web_page_fail(r, w, err);
    struct store_score_list sl = {0};
    int rc = store_project_scores(r->ctx->store, &r->scope, p.id, &sl, err);
    if (rc == 0) {
        html_begin(r, w, p.title);
        kit_back_link(w, "/projects", "All projects");
        buf_puts(B, "<span class=\"nhsuk-caption-l\">Improvement project</span><h1>");
        html_esc(B, p.title);
        buf_puts(B, "</h1><p class=\"nhsuk-lede-text\">");
        html_esc(B, p.aim);
        buf_puts(B, "</p>");
        char s[8], edit[48];
        score_text(s, sizeof s, p.score_x10);
        snprintf(edit, sizeof edit, "/projects/%lld/edit", (long long)p.id);
        kit_summary_open(w);
        kit_summary_row(w, "Status", p.status, web_may(r, "POST", edit) ? edit : NULL, "Change", " the project");
        kit_summary_row(w, "Progress score", s, NULL, NULL, NULL);
        kit_summary_row(w, "Team", p.team, NULL, NULL, NULL);
        kit_summary_row(w, "Sponsor", p.sponsor, NULL, NULL, NULL);
        char started[KIT_DAY_MAX];
        kit_summary_row(w, "Started", kit_day_words(started, sizeof started, p.start_date), NULL, NULL, NULL);
        rc = serves_rows(r, w, &p, err);
        kit_summary_row(w, "Approved", p.approved_by ? p.approved_by : "Not yet", NULL, NULL, NULL);
        kit_summary_close(w);
        if (rc == 0)
            rc = web_project_ideas_line(r, w, p.id, err);
        if (case_study_links(r, w, &p, err) < 0)
            rc = -1;
        char approve[48];
        snprintf(approve, sizeof approve, "/projects/%lld/approve", (long long)p.id);
        if (!p.approved_by && web_may(r, "POST", approve)) {
            kit_form_open(r, w, approve);
            kit_button(w, "Approve this project", false);
            kit_form_close(w);
        }
        progress_list(w, &sl);
        if (rc == 0)
            rc = web_drivers_section(r, w, &p, err);
        if (rc == 0)
            rc = web_pdsa_section(r, w, &p, err);
        if (rc == 0)
            rc = web_measures_section(r, w, &p, err);
        char action[48];
        snprintf(action, sizeof action, "/projects/%lld/delete", (long long)p.id);
        if (rc == 0 && web_may(r, "GET", action)) {
            buf_puts(B, "<h2>Delete</h2><p>Deleting the project deletes its diagram, cycles and measures. "
                        "The audit log keeps a record of them.</p><p>");
            kit_link(w, action, "Delete this project", NULL);
            buf_puts(B, "</p>");
        }
        html_end(r, w);
    }
    store_score_list_release(&sl);
    store_project_release(&p);
    return rc;
}

static int approve_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &web_project_approve, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/projects", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG, .handler = register_page},
    {.method = "GET", .path = "/projects/new", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = new_page},
    {.method = "POST", .path = "/projects/new", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = create_page},
    {.method = "GET", .path = "/projects/{id}", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG, .handler = project_page, .load = WEB_LOAD_PROJECT},
    {.method = "GET", .path = "/projects/{id}/edit", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = edit_page, .load = WEB_LOAD_PROJECT},
    {.method = "POST", .path = "/projects/{id}/edit", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = update_page},
    {.method = "POST", .path = "/projects/{id}/approve", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = approve_page},
};

static const struct web_nav nav[] = {
    {.href = "/projects", .label = "Projects", .rank = 40},
};

WEB_FEATURE(web_projects, routes, nav);
