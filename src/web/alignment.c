/* Alignment and line of sight: the leaders' page that questions work serving no ambition (the
 * unaligned projects, a themes x projects matrix, ambitions no project serves, measures per
 * ambition), and the page any member of staff reads from the purpose down to the work: vision,
 * themes, ambitions, the projects serving each, and their measures with their current icons. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/improve.h"
#include "core/banned.h"

#define B (&w->body)

struct picture {
    struct store_theme_list themes;
    struct store_ambition_list ambitions;
    struct store_project_list projects;
    struct web_org_measures measures;
};

static void picture_release(struct picture *p)
{
    store_theme_list_release(&p->themes);
    store_ambition_list_release(&p->ambitions);
    store_project_list_release(&p->projects);
    web_org_measures_release(&p->measures);
}

static int picture_load(struct web_req *r, struct picture *p, bool measures, struct purpose_err *err)
{
    memset(p, 0, sizeof *p);
    if (store_load_themes(r->ctx->store, &r->scope, &p->themes, &p->ambitions, err) < 0)
        return -1;
    if (store_project_list(r->ctx->store, &r->scope, NULL, &p->projects, err) < 0 ||
        (measures && web_org_measures_load(r, &p->measures, err) < 0)) {
        picture_release(p);
        return -1;
    }
    return 0;
}

static bool serves(const struct store_project *p, int64_t ambition)
{
    for (size_t i = 0; i < p->n_ambitions; i++)
        if (p->ambition_ids[i] == ambition)
            return true;
    return false;
}

static void project_link(struct web_resp *w, const struct store_project *p)
{
    char href[48];
    snprintf(href, sizeof href, "/projects/%lld", (long long)p->id);
    kit_link(w, href, p->title, NULL);
}

static size_t measures_of(const struct picture *pic, int64_t project)
{
    size_t n = 0;
    for (size_t i = 0; i < pic->measures.n; i++)
        n += pic->measures.items[i].m.project_id == project;
    return n;
}

/* A table of which themes each project serves, through its ambitions. */
static void theme_matrix(struct web_resp *w, const struct picture *pic)
{
    buf_puts(B, "<h2>Projects by theme</h2>");
    buf_puts(B, "<div class=\"app-matrix\"><table class=\"nhsuk-table\"><caption class=\"nhsuk-table__caption "
                "nhsuk-u-visually-hidden\">Which themes each project serves</caption><thead class=\"nhsuk-table__head\">"
                "<tr class=\"nhsuk-table__row\"><th class=\"nhsuk-table__header\" scope=\"col\">Project</th>");
    for (size_t t = 0; t < pic->themes.n; t++) {
        buf_puts(B, "<th class=\"nhsuk-table__header\" scope=\"col\">");
        html_esc(B, pic->themes.items[t].title);
        buf_puts(B, "</th>");
    }
    buf_puts(B, "</tr></thead><tbody class=\"nhsuk-table__body\">");
    for (size_t i = 0; i < pic->projects.n; i++) {
        const struct store_project *p = &pic->projects.items[i];
        int64_t ids[64];
        size_t k = web_project_themes(p, &pic->ambitions, ids, 64);
        buf_puts(B, "<tr class=\"nhsuk-table__row\"><th class=\"nhsuk-table__cell\" scope=\"row\">");
        project_link(w, p);
        buf_puts(B, "</th>");
        for (size_t t = 0; t < pic->themes.n; t++) {
            bool yes = false;
            for (size_t q = 0; q < k; q++)
                yes |= ids[q] == pic->themes.items[t].id;
            buf_puts(B, yes ? "<td class=\"nhsuk-table__cell\">Serves</td>" : "<td class=\"nhsuk-table__cell\">-</td>");
        }
        buf_puts(B, "</tr>");
    }
    buf_puts(B, "</tbody></table></div>");
}

static int alignment_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct picture pic;
    if (picture_load(r, &pic, true, err) < 0)
        return -1;
    html_begin(r, w, "Alignment");
    buf_puts(B, "<h1>Alignment</h1><p class=\"nhsuk-lede-text\">Is all our improvement work focused on our purpose "
                "and vision? Question the work that is not.</p><h2>Projects that serve no ambition or aim</h2>");
    size_t n = 0;
    for (size_t i = 0; i < pic.projects.n; i++) {
        const struct store_project *p = &pic.projects.items[i];
        if (p->n_ambitions + p->n_aims)
            continue;
        if (n++ == 0)
            buf_puts(B, "<ul class=\"nhsuk-list app-unaligned\">");
        buf_puts(B, "<li>");
        project_link(w, p);
        buf_puts(B, ": ");
        html_esc(B, p->why_unaligned);
        buf_puts(B, "</li>");
    }
    buf_puts(B, n ? "</ul>" : "<p>Every project serves an ambition or a programme aim.</p>");

    theme_matrix(w, &pic);

    buf_puts(B, "<h2>Ambitions</h2>");
    static const char *const heads[] = {"Ambition", "Projects", "Measures"};
    kit_table_open(w, "Projects and measures serving each ambition", heads, 3, NULL);
    size_t unserved = 0;
    for (size_t a = 0; a < pic.ambitions.n; a++) {
        size_t np = 0, nm = 0;
        for (size_t i = 0; i < pic.projects.n; i++)
            if (serves(&pic.projects.items[i], pic.ambitions.items[a].id)) {
                np++;
                nm += measures_of(&pic, pic.projects.items[i].id);
            }
        for (size_t i = 0; i < pic.measures.n; i++) /* and the ambition's own */
            nm += pic.measures.items[i].m.ambition_id == pic.ambitions.items[a].id;
        char c1[24], c2[24];
        snprintf(c1, sizeof c1, "%zu", np);
        snprintf(c2, sizeof c2, "%zu", nm);
        kit_row_open(w);
        kit_cell_open(w);
        html_esc(B, pic.ambitions.items[a].title);
        if (np == 0) {
            buf_puts(B, " ");
            kit_tag(w, "No project serves it", "orange");
            unserved++;
        }
        kit_cell_close(w);
        kit_cell(w, c1);
        kit_cell(w, c2);
        kit_row_close(w);
    }
    kit_table_close(w);
    buf_printf(B, "<p>%zu of %zu ambitions have no project serving them.</p>", unserved, pic.ambitions.n);
    html_end(r, w);
    picture_release(&pic);
    return 0;
}

/* The measures of a project, or (project 0) of an ambition, or (both 0) of the organisation itself,
 * each with its icons. */
static void measure_items(struct web_resp *w, const struct picture *pic, int64_t project, int64_t ambition)
{
    size_t n = 0;
    for (size_t i = 0; i < pic->measures.n; i++) {
        const struct web_mseries *ms = &pic->measures.items[i];
        if (ms->m.project_id != project || (!project && ms->m.ambition_id != ambition))
            continue;
        if (n++ == 0)
            buf_puts(B, "<ul class=\"app-measures\">");
        char href[48];
        snprintf(href, sizeof href, "/measures/%lld", (long long)ms->m.id);
        buf_puts(B, "<li>");
        if (ms->computed) {
            web_icon_variation(w, ms->res.variation);
            web_icon_assurance(w, ms->res.assurance);
        }
        kit_link(w, href, ms->m.name, NULL);
        buf_puts(B, "</li>");
    }
    if (n)
        buf_puts(B, "</ul>");
}

static void project_items(struct web_resp *w, const struct picture *pic, int64_t ambition, int64_t aim)
{
    size_t n = 0;
    for (size_t i = 0; i < pic->projects.n; i++) {
        const struct store_project *p = &pic->projects.items[i];
        bool yes = ambition ? serves(p, ambition) : false;
        for (size_t k = 0; aim && k < p->n_aims; k++)
            yes |= p->aim_ids[k] == aim;
        if (!yes)
            continue;
        if (n++ == 0)
            buf_puts(B, "<ul class=\"app-projects\">");
        buf_puts(B, "<li>");
        project_link(w, p);
        measure_items(w, pic, p->id, 0);
        buf_puts(B, "</li>");
    }
    if (n)
        buf_puts(B, "</ul>");
}

static int sight_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct picture pic;
    if (picture_load(r, &pic, true, err) < 0)
        return -1;
    struct store_statement vision = {0};
    bool has_vision = store_statement_current(r->ctx->store, (struct store_scope){STORE_SCOPE_ORG, r->org.id},
                                              "vision", &vision, err) == 0;
    if (!has_vision && err->kind != PURPOSE_ERR_NOT_FOUND) {
        picture_release(&pic);
        return -1;
    }
    struct store_programme_list gl = {0};
    if (store_programme_list(r->ctx->store, &r->scope, &gl, err) < 0) {
        store_statement_release(&vision);
        picture_release(&pic);
        return -1;
    }
    html_begin(r, w, "Line of sight");
    buf_puts(B, "<h1>Line of sight</h1><p class=\"nhsuk-lede-text\">From our vision to the work: how each project "
                "serves it, and what its measures say now.</p><div class=\"app-sight\"><h2>Our vision</h2>");
    if (has_vision)
        kit_paragraphs(w, vision.text, "nhsuk-body-l");
    else
        buf_puts(B, "<p>Not written yet.</p>");
    measure_items(w, &pic, 0, 0);
    for (size_t t = 0; t < pic.themes.n; t++) {
        buf_puts(B, "<h2>");
        html_esc(B, pic.themes.items[t].title);
        buf_puts(B, "</h2><ul class=\"app-ambitions\">");
        for (size_t a = 0; a < pic.ambitions.n; a++) {
            if (pic.ambitions.items[a].theme_id != pic.themes.items[t].id)
                continue;
            buf_puts(B, "<li><h3>");
            html_esc(B, pic.ambitions.items[a].title);
            buf_puts(B, "</h3>");
            measure_items(w, &pic, 0, pic.ambitions.items[a].id); /* the ambition's own, the strategy's KPIs */
            project_items(w, &pic, pic.ambitions.items[a].id, 0);
            buf_puts(B, "</li>");
        }
        buf_puts(B, "</ul>");
    }
    int rc = 0;
    for (size_t g = 0; g < gl.n && rc == 0; g++) {
        struct store_aim_list al;
        if ((rc = store_aim_list(r->ctx->store, gl.items[g].id, &al, err)) < 0)
            break;
        buf_puts(B, "<h2>");
        html_esc(B, gl.items[g].name);
        buf_puts(B, " <span class=\"nhsuk-caption-m\">Partnership programme</span></h2><p>");
        char href[96];
        web_href(r, href, sizeof href, "/programmes/{programme}/line-of-sight", gl.items[g].slug);
        kit_link(w, href, "How every partner's work serves the shared purpose", NULL);
        buf_puts(B, "</p><ul class=\"app-ambitions\">");
        for (size_t a = 0; a < al.n; a++) {
            buf_puts(B, "<li><h3>");
            html_esc(B, al.items[a].title);
            buf_puts(B, "</h3>");
            project_items(w, &pic, 0, al.items[a].id);
            buf_puts(B, "</li>");
        }
        buf_puts(B, "</ul>");
        store_aim_list_release(&al);
    }
    buf_puts(B, "</div>");
    html_end(r, w);
    store_programme_list_release(&gl);
    store_statement_release(&vision);
    picture_release(&pic);
    return rc;
}

static int alignment_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct picture pic;
    if (picture_load(r, &pic, false, err) < 0)
        return -1;
    json_t *unaligned = json_array(), *unserved = json_array();
    for (size_t i = 0; i < pic.projects.n; i++)
        if (pic.projects.items[i].n_ambitions + pic.projects.items[i].n_aims == 0)
            json_array_append_new(unaligned, web_project_json(&pic.projects.items[i]));
    for (size_t a = 0; a < pic.ambitions.n; a++) {
        bool any = false;
        for (size_t i = 0; i < pic.projects.n; i++)
            any |= serves(&pic.projects.items[i], pic.ambitions.items[a].id);
        if (!any)
            json_array_append_new(unserved, web_ambition_json(&pic.ambitions.items[a]));
    }
    picture_release(&pic);
    web_json(w, 200, json_pack("{s:o, s:o}", "unaligned_projects", unaligned, "unserved_ambitions", unserved));
    return 0;
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/alignment", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = alignment_page},
    {.method = "GET", .path = "/line-of-sight", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG, .handler = sight_page},
    {.method = "GET", .path = "/api/v1/alignment", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = alignment_api},
};

static const struct web_nav nav[] = {
    {.href = "/line-of-sight", .label = "Line of sight", .rank = 41},
    {.href = "/alignment", .label = "Alignment", .rank = 43},
};

WEB_FEATURE(web_alignment, routes, nav);
