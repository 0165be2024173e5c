/* The system view's page (system_view.h): for a few organisations (a programme's partners), a
 * table of measures x organisations; for more (an installation's hundreds of A&E providers), one
 * measure at a time with the organisations as rows, 50 to a page. Then the funnel of a proportion
 * measure, as an image and its table alternative. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/system_view.h"
#include "core/banned.h"

#define B (&w->body)

/* Up to this many organisations the page is one table, a column each; above it, one measure with
 * a row per organisation. */
#define SYS_GRID_MAX 8
#define SYS_PAGE_ROWS 50

/* One cell: organisation i's measure: its icons, its latest value linked to it, its chart small. */
static void measure_cell(struct web_resp *w, const struct sys_view *v, size_t i, const struct web_mseries *ms)
{
    if (!ms) {
        kit_cell(w, "Not measured"); /* words, not a dash a reader has to guess at */
        return;
    }
    char href[200], t[64];
    double latest, mean, lpl, upl;
    web_mseries_figures(ms, &latest, &mean, &lpl, &upl);
    web_value_text(t, sizeof t, latest, ms->m.unit);
    sys_measure_href(v, i, ms->m.id, href, sizeof href);
    kit_cell_open(w);
    if (ms->computed) {
        web_icon_variation(w, ms->res.variation);
        web_icon_assurance(w, ms->res.assurance);
    }
    kit_link(w, href, t, NULL);
    if (ms->pts.n >= 2) { /* the small multiple: the organisation's own chart, its words beside it */
        buf_puts(B, "<br><img class=\"app-small-multiple\" width=\"240\" loading=\"lazy\" alt=\"\" src=\"");
        html_esc(B, href);
        buf_puts(B, "/chart.svg\">");
    }
    kit_cell_close(w);
}

static void grid(struct web_resp *w, const struct sys_view *v)
{
    size_t nh = v->orgs.n + 1;
    const char **heads = calloc(nh, sizeof *heads);
    if (!heads) {
        w->body.failed = true;
        return;
    }
    heads[0] = "Measure";
    for (size_t i = 0; i < v->orgs.n; i++)
        heads[i + 1] = v->orgs.items[i].name;
    kit_table_open(w, v->programme ? "Measures by partner organisation" : "Measures by organisation", heads, nh, NULL);
    free(heads);
    for (size_t k = 0; k < v->n_names; k++) {
        kit_row_open(w);
        kit_cell(w, v->names[k]);
        for (size_t i = 0; i < v->orgs.n; i++)
            measure_cell(w, v, i, sys_find(v, i, v->names[k]));
        kit_row_close(w);
    }
    kit_table_close(w);
}

/* The page's own link with ?measure= and ?page=. */
static void page_href(struct web_req *r, struct buf *b, const char *measure, long page)
{
    sys_href(r, b, "", measure);
    buf_printf(b, "&page=%ld", page);
}

/* One measure, an organisation a row (those that have it), page `page` of them. */
static void rows(struct web_req *r, struct web_resp *w, const struct sys_view *v, const char *measure, long page)
{
    size_t have = 0;
    for (size_t i = 0; i < v->orgs.n; i++)
        have += sys_find(v, i, measure) != NULL;
    long pages = have ? (long)((have + SYS_PAGE_ROWS - 1) / SYS_PAGE_ROWS) : 1;
    if (page > pages)
        page = pages;
    buf_printf(B, "<p>%zu of %zu organisations have a measure of this name", have, v->orgs.n);
    if (pages > 1)
        buf_printf(B, " (page %ld of %ld)", page, pages);
    buf_puts(B, ".</p>");
    static const char *const heads[] = {"Organisation", "ODS code", "Latest"};
    kit_table_open(w, measure, heads, 3, NULL);
    size_t seen = 0, from = (size_t)(page - 1) * SYS_PAGE_ROWS;
    for (size_t i = 0; i < v->orgs.n && seen < from + SYS_PAGE_ROWS; i++) {
        const struct web_mseries *ms = sys_find(v, i, measure);
        if (!ms || seen++ < from)
            continue;
        const struct store_org *o = &v->orgs.items[i];
        char href[96];
        snprintf(href, sizeof href, "/organisations/%s", o->slug);
        kit_row_open(w);
        kit_cell_open(w);
        kit_link(w, href, o->name, NULL);
        kit_cell_close(w);
        kit_cell(w, o->ods_code ? o->ods_code : "");
        measure_cell(w, v, i, ms);
        kit_row_close(w);
    }
    kit_table_close(w);
    if (pages > 1) {
        struct buf prev, next;
        buf_init(&prev, 1024);
        buf_init(&next, 1024);
        if (page > 1)
            page_href(r, &prev, measure, page - 1);
        if (page < pages)
            page_href(r, &next, measure, page + 1);
        kit_pagination(w, page > 1 && !prev.failed ? prev.data : NULL, "Previous organisations",
                       page < pages && !next.failed ? next.data : NULL, "More organisations");
        buf_release(&prev);
        buf_release(&next);
    }
}

static void funnel_table(struct web_resp *w, const struct sys_view *v, const struct sys_funnel *f)
{
    static const char *const heads[] = {"Organisation", "Period", "Numerator", "Denominator", "Proportion",
                                        "95% limits", "99.8% limits", "Where"};
    kit_table_open(w, "Funnel plot figures", heads, 8, NULL);
    for (size_t k = 0; k < f->n; k++) {
        const struct spc_funnel_point *q = &f->pt[k];
        char t[96];
        kit_row_open(w);
        kit_cell(w, v->orgs.items[f->org[k]].name);
        kit_cell(w, f->day[k]);
        snprintf(t, sizeof t, "%llu", (unsigned long long)f->num[k]);
        kit_cell(w, t);
        snprintf(t, sizeof t, "%llu", (unsigned long long)f->den[k]);
        kit_cell(w, t);
        snprintf(t, sizeof t, "%.2f%%", q->proportion * 100);
        kit_cell(w, t);
        snprintf(t, sizeof t, "%.2f%% to %.2f%%", q->lim.lo95 * 100, q->lim.hi95 * 100);
        kit_cell(w, t);
        snprintf(t, sizeof t, "%.2f%% to %.2f%%", q->lim.lo998 * 100, q->lim.hi998 * 100);
        kit_cell(w, t);
        kit_cell(w, spc_funnel_place_name(q->place));
        kit_row_close(w);
    }
    kit_table_close(w);
}

/* The funnel of measure: its image and its figures, or why there is none. -1 only on an internal
 * error. */
static int funnel_section(struct web_req *r, struct web_resp *w, const struct sys_view *v, const char *measure,
                          struct purpose_err *err)
{
    struct sys_funnel f;
    struct purpose_err why = {0};
    if (sys_funnel_build(r, v, measure, &f, &why) < 0) {
        if (why.kind != PURPOSE_ERR_NOT_FOUND && why.kind != PURPOSE_ERR_INPUT) {
            *err = why;
            return -1;
        }
        buf_puts(B, "<p>");
        html_esc(B, why.msg);
        buf_puts(B, "</p>");
        return 0;
    }
    struct buf src;
    buf_init(&src, 1024);
    sys_href(r, &src, "/funnel.svg", measure);
    buf_printf(B, "<p>Each %s's latest period (or the ?period= day) against the pooled proportion (%.2f%%), with "
                  "95%% (dashed) and 99.8%% (solid) limits from the binomial.</p><img class=\"app-funnel\" alt=\"Funnel plot of ",
               v->programme ? "partner" : "organisation", f.theta * 100);
    html_esc(B, measure);
    buf_puts(B, "; the table below gives its figures\" src=\"");
    html_esc(B, src.failed ? "" : src.data);
    buf_puts(B, "\"><p>");
    buf_reset(&src);
    sys_href(r, &src, "/funnel.png", measure);
    kit_link(w, src.failed ? "" : src.data, "Download the funnel plot as a PNG image", NULL);
    buf_puts(B, "</p>");
    buf_release(&src);
    funnel_table(w, v, &f);
    sys_funnel_release(&f);
    return 0;
}

static void measure_form(struct web_resp *w, const struct sys_view *v, const char *measure, bool proportions_only,
                         const char *label, const char *button)
{
    buf_puts(B, "<form method=\"get\">");
    kit_select_open(w, NULL, &(struct kit_field){.name = "measure", .label = label});
    for (size_t k = 0; k < v->n_names; k++)
        if (!proportions_only || sys_is_proportion(v, v->names[k]))
            kit_select_option(w, v->names[k], v->names[k], strcmp(v->names[k], measure) == 0);
    kit_select_close(w);
    buf_printf(B, "<button class=\"nhsuk-button\" type=\"submit\">%s</button></form>", button);
}

int sys_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char measure[STORE_TITLE_MAX + 1] = "", given[24] = "";
    web_query_get(r, "measure", measure, sizeof measure);
    long page = 1;
    if (web_query_get(r, "page", given, sizeof given) == 0 && web_parse_long(given, "page", 1, 1000000, &page, err) < 0)
        return web_fail(r, w, err);
    struct sys_view v;
    if (sys_load(r, &v, err) < 0)
        return -1;
    html_begin(r, w, "System view");
    if (v.programme) {
        char back[96];
        web_href(r, back, sizeof back, "/programmes/{programme}", r->programme.slug);
        kit_back_link(w, back, r->programme.name);
        buf_puts(B, "<span class=\"nhsuk-caption-l\">");
        html_esc(B, r->programme.name);
        buf_puts(B, "</span><h1>System view</h1><p>Each partner organisation's own measures side by side, "
                    "matched by name: the latest value with its variation and assurance icons.</p>");
    } else {
        kit_back_link(w, "/organisations", "Organisations and partnerships");
        buf_puts(B, "<h1>System view</h1><p>Every organisation's own measures side by side, matched by name: "
                    "the latest value with its variation and assurance icons.</p>");
    }
    int rc = 0;
    if (v.n_names == 0) {
        buf_printf(B, "<p>No %s has a measure yet.</p>", v.programme ? "partner" : "organisation");
    } else if (v.orgs.n <= SYS_GRID_MAX) {
        grid(w, &v);
        buf_puts(B, "<h2>Funnel plot</h2>");
        measure_form(w, &v, measure, true, "Proportion measure", "Show the funnel");
        if (measure[0])
            rc = funnel_section(r, w, &v, measure, err);
    } else {
        /* Many organisations: one measure at a time, the one asked for or the first. */
        const char *shown = v.names[0];
        for (size_t k = 0; k < v.n_names; k++)
            if (strcmp(v.names[k], measure) == 0)
                shown = v.names[k];
        measure_form(w, &v, shown, false, "Measure", "Show");
        buf_puts(B, "<h2>");
        html_esc(B, shown);
        buf_puts(B, "</h2>");
        rows(r, w, &v, shown, page);
        if (sys_is_proportion(&v, shown)) {
            buf_puts(B, "<h2>Funnel plot</h2>");
            rc = funnel_section(r, w, &v, shown, err);
        }
    }
    html_end(r, w);
    sys_release(&v);
    return rc;
}
