/* The integrated performance summary: every measure of the organisation as one row (latest value,
 * mean, process limits, target, variation and assurance icons), grouped by the theme its project
 * serves, filterable by theme and type, exported as CSV and in the API; each row opens its chart. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/num.h"
#include "web/cache.h"
#include "web/improve.h"
#include "core/banned.h"

#define B (&w->body)

/* The summary's content (the page between its frame, or the API's JSON) is a shared fragment
 * (cache.h) per organisation, filter and store generation: recomputed only when the data changes
 * (any commit changes the generation; issue 10's benchmark), and gzipped once. */
static void frag_key_of(struct web_req *r, bool api, char *key, size_t n)
{
    int64_t theme_id = 0;
    char theme[24] = "", kind[16] = "";
    long v;
    struct purpose_err ignored = {0};
    if (web_query_get(r, "theme", theme, sizeof theme) == 0 && theme[0] &&
        web_parse_long(theme, "theme", 1, INT64_MAX / 2, &v, &ignored) == 0)
        theme_id = v;
    if (web_query_get(r, "kind", kind, sizeof kind) < 0 || strcspn(kind, ":") != strlen(kind))
        kind[0] = '\0';
    /* a page's links carry the prefix it is shown under (the first organisation has two) */
    snprintf(key, n, "summary:%s:%lld:%lld:%s:%s", api ? "api" : "page", (long long)r->org.id, (long long)theme_id, kind,
             api ? "" : r->base);
}

/* Emits the fragment of key, or renders it with content and keeps it. */
static int frag_emit(struct web_req *r, struct web_resp *w, const char *key,
                     int (*content)(struct web_req *, struct web_resp *, struct purpose_err *), struct purpose_err *err)
{
    struct web_frag *f = web_frag_get(r, key);
    if (f) {
        web_frag_emit(w, f);
        return 0;
    }
    size_t from = w->body.len;
    if (content(r, w, err) < 0) {
        web_frag_abandon(r, key);
        return -1;
    }
    if (w->body.failed || w->status != 200 || !(f = web_frag_put(r, key, w->body.data + from, w->body.len - from))) {
        web_frag_abandon(r, key);
        return 0;
    }
    w->body.len = from;
    web_frag_emit(w, f);
    return 0;
}

void web_org_measures_release(struct web_org_measures *m)
{
    for (size_t i = 0; i < m->n; i++)
        web_mseries_release(&m->items[i]);
    free(m->items);
    m->items = NULL;
    m->n = 0;
}

static int cmp_data(const void *key, const void *item)
{
    int64_t x = *(const int64_t *)key, y = ((const struct store_measure_data *)item)->measure_id;
    return (x > y) - (x < y);
}

int web_org_measures_build(struct store_measure_list *ml, struct store_measure_data_list *dl,
                           struct web_org_measures *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = 0;
    out->items = calloc(ml->n ? ml->n : 1, sizeof *out->items);
    if (!out->items)
        rc = purpose_errf(err, "out of memory reading %zu measures", ml->n);
    for (size_t i = 0; i < ml->n && rc == 0; i++) {
        struct store_measure_data *d = bsearch(&ml->items[i].id, dl->items, dl->n, sizeof *dl->items, cmp_data);
        struct store_point_list none_p = {0};
        struct store_rebase_list none_r = {0};
        if ((rc = web_mseries_from(&ml->items[i], d ? &d->pts : &none_p, d ? &d->rebases : &none_r, &out->items[i],
                                   err)) == 0)
            out->n++;
        else
            web_mseries_release(&out->items[i]);
    }
    store_measure_list_release(ml);
    store_measure_data_list_release(dl);
    if (rc < 0)
        web_org_measures_release(out);
    return rc;
}

int web_org_measures_load(struct web_req *r, struct web_org_measures *out, struct purpose_err *err)
{
    struct store_measure_list ml;
    struct store_measure_data_list dl;
    memset(out, 0, sizeof *out);
    if (store_measure_list(r->ctx->store, STORE_ORG_SCOPE(r->org.id), 0, &ml, err) < 0)
        return -1;
    if (store_points_all(r->ctx->store, STORE_ORG_SCOPE(r->org.id), &dl, err) < 0) {
        store_measure_list_release(&ml);
        return -1;
    }
    return web_org_measures_build(&ml, &dl, out, err);
}

size_t web_project_themes(const struct store_project *p, const struct store_ambition_list *al, int64_t *ids, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < p->n_ambitions; i++)
        for (size_t j = 0; j < al->n; j++)
            if (al->items[j].id == p->ambition_ids[i]) {
                bool seen = false;
                for (size_t q = 0; q < k; q++)
                    seen |= ids[q] == al->items[j].theme_id;
                if (!seen && k < n)
                    ids[k++] = al->items[j].theme_id;
            }
    return k;
}

/* What the summary shows: the organisation's themes, projects and measures. */
struct summary {
    struct store_theme_list themes;
    struct store_ambition_list ambitions;
    struct store_project_list projects;
    struct web_org_measures measures;
    int64_t theme_filter;
    char kind_filter[16];
};

static void summary_release(struct summary *s)
{
    store_theme_list_release(&s->themes);
    store_ambition_list_release(&s->ambitions);
    store_project_list_release(&s->projects);
    web_org_measures_release(&s->measures);
}

static int summary_load(struct web_req *r, struct summary *s, struct purpose_err *err)
{
    memset(s, 0, sizeof *s);
    char theme[24] = "";
    long v;
    struct purpose_err ignored = {0};
    if (web_query_get(r, "theme", theme, sizeof theme) == 0 && theme[0] &&
        web_parse_long(theme, "theme", 1, INT64_MAX / 2, &v, &ignored) == 0)
        s->theme_filter = v;
    if (web_query_get(r, "kind", s->kind_filter, sizeof s->kind_filter) < 0)
        s->kind_filter[0] = '\0';
    if (store_load_themes(r->ctx->store, &r->scope, &s->themes, &s->ambitions, err) < 0)
        return -1;
    if (store_project_list(r->ctx->store, STORE_ORG_SCOPE(r->org.id), NULL, &s->projects, err) < 0 ||
        web_org_measures_load(r, &s->measures, err) < 0) {
        summary_release(s);
        return -1;
    }
    return 0;
}

static const struct store_project *project_of(const struct summary *s, int64_t id)
{
    for (size_t i = 0; i < s->projects.n; i++)
        if (s->projects.items[i].id == id)
            return &s->projects.items[i];
    return NULL;
}

int64_t web_measure_ambition(const struct store_measure *m, const struct store_project *p,
                             const struct store_ambition_list *al)
{
    if (m->ambition_id)
        return m->ambition_id;
    for (size_t i = 0; p && i < p->n_ambitions; i++) /* the project's first that is the organisation's */
        for (size_t j = 0; j < al->n; j++)
            if (al->items[j].id == p->ambition_ids[i])
                return al->items[j].id;
    return 0;
}

int64_t web_measure_theme(const struct store_measure *m, const struct store_project *p,
                          const struct store_ambition_list *al)
{
    int64_t a = web_measure_ambition(m, p, al);
    for (size_t j = 0; a && j < al->n; j++)
        if (al->items[j].id == a)
            return al->items[j].theme_id;
    return 0;
}

/* The theme a measure is shown in: its ambition's (its own, or its project's first), else 0
 * (the organisation's own, programme aims or none). */
static int64_t group_of(const struct summary *s, const struct web_mseries *ms)
{
    return web_measure_theme(&ms->m, project_of(s, ms->m.project_id), &s->ambitions);
}

static int64_t ambition_of(const struct summary *s, const struct web_mseries *ms)
{
    return web_measure_ambition(&ms->m, project_of(s, ms->m.project_id), &s->ambitions);
}

static bool shown(const struct summary *s, const struct web_mseries *ms)
{
    return (!s->kind_filter[0] || strcmp(s->kind_filter, ms->m.kind) == 0) &&
           (!s->theme_filter || group_of(s, ms) == s->theme_filter);
}

void web_summary_table_open(struct web_resp *w, const char *title)
{
    static const char *const heads[] = {"Measure", "Latest", "Data to", "Mean", "Lower limit", "Upper limit", "Target",
                                        "Variation", "Assurance"};
    kit_table_open(w, title, heads, 9, "app-summary");
}

void web_summary_row(struct web_resp *w, const struct web_mseries *ms, const char *href, const char *project)
{
    double latest, mean, lpl, upl;
    web_mseries_figures(ms, &latest, &mean, &lpl, &upl);
    kit_row_open(w);
    kit_cell_open(w);
    kit_link(w, href, ms->m.name, NULL);
    if (project) {
        buf_puts(B, "<br><span class=\"nhsuk-body-s\">");
        html_esc(B, project);
        buf_puts(B, "</span>");
    }
    kit_cell_close(w);
    double vals[] = {latest, mean, lpl, upl, ms->m.has_target ? ms->m.target : NAN};
    char t[64];
    for (size_t k = 0; k < 5; k++) {
        web_value_text(t, sizeof t, vals[k], ms->m.unit);
        kit_cell(w, t);
        if (k == 0) { /* how recent the latest is: the board reads a stale measure as one */
            char day[KIT_DAY_MAX];
            kit_cell(w, ms->pts.n ? kit_day_words(day, sizeof day, ms->pts.items[ms->pts.n - 1].day) : "No points yet");
        }
    }
    kit_cell_open(w);
    if (ms->computed)
        web_icon_variation(w, ms->res.variation);
    else
        buf_puts(B, ms->problem[0] ? "Cannot be charted" : "Too few points");
    kit_cell_close(w);
    kit_cell_open(w);
    if (ms->computed)
        web_icon_assurance(w, ms->res.assurance);
    kit_cell_close(w);
    kit_row_close(w);
}

/* Whether measure ms is in the table of theme group and ambition (0 with group 0: the organisation's
 * own measures; -1 with group 0: the projects' that serve no ambition of ours). */
static bool in_table(const struct summary *s, const struct web_mseries *ms, int64_t group, int64_t ambition)
{
    if (group_of(s, ms) != group || !shown(s, ms))
        return false;
    if (group)
        return ambition_of(s, ms) == ambition;
    return ambition == 0 ? !ms->m.project_id : ms->m.project_id != 0;
}

static size_t table_size(const struct summary *s, int64_t group, int64_t ambition)
{
    size_t n = 0;
    for (size_t i = 0; i < s->measures.n; i++)
        n += in_table(s, &s->measures.items[i], group, ambition);
    return n;
}

/* A table of the summary: a theme's measures of one ambition (their own and their projects'). */
static void group_table(struct web_req *r, struct web_resp *w, const struct summary *s, int64_t group,
                        int64_t ambition, const char *title)
{
    (void)r;
    if (table_size(s, group, ambition) == 0)
        return;
    web_summary_table_open(w, title);
    for (size_t i = 0; i < s->measures.n; i++) {
        const struct web_mseries *ms = &s->measures.items[i];
        if (!in_table(s, ms, group, ambition))
            continue;
        char href[48];
        snprintf(href, sizeof href, "/measures/%lld", (long long)ms->m.id);
        const struct store_project *p = project_of(s, ms->m.project_id);
        web_summary_row(w, ms, href, p ? p->title : NULL);
    }
    kit_table_close(w);
}

static int summary_content(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct summary s;
    if (summary_load(r, &s, err) < 0)
        return -1;
    buf_puts(B, "<h1>Integrated performance summary</h1><p class=\"nhsuk-lede-text\">Every measure of our improvement "
                "work, with what its chart says: variation (is it changing?) and assurance (will it meet its "
                "target?).</p>");
    buf_puts(B, "<form method=\"get\" action=\"");
    web_href_esc(w, "/summary");
    buf_puts(B, "\" class=\"app-filters\">");
    kit_select_open(w, NULL, &(struct kit_field){.name = "theme", .label = "Theme"});
    kit_select_option(w, "", "Every theme", s.theme_filter == 0);
    for (size_t i = 0; i < s.themes.n; i++) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)s.themes.items[i].id);
        kit_select_option(w, id, s.themes.items[i].title, s.theme_filter == s.themes.items[i].id);
    }
    kit_select_close(w);
    kit_select_open(w, NULL, &(struct kit_field){.name = "kind", .label = "Type of measure"});
    kit_select_option(w, "", "Every type", !s.kind_filter[0]);
    static const char *const kinds[] = {"outcome", "process", "balancing"};
    for (size_t i = 0; i < 3; i++)
        kit_select_option(w, kinds[i], kinds[i], strcmp(s.kind_filter, kinds[i]) == 0);
    kit_select_close(w);
    kit_button(w, "Apply filters", true);
    buf_puts(B, "</form><p class=\"app-no-print\">");
    char csv[128];
    snprintf(csv, sizeof csv, "/summary.csv?theme=%lld&kind=%s", (long long)s.theme_filter, s.kind_filter);
    kit_link(w, csv, "Download as CSV", NULL);
    buf_puts(B, " \xC2\xB7 ");
    kit_link(w, "/summary.pdf", "Download the board pack (PDF)", NULL);
    buf_puts(B, "</p>");
    /* By theme, then by ambition: each ambition's own measures (the strategy's KPIs) and its projects'. */
    for (size_t i = 0; i < s.themes.n; i++) {
        int64_t t = s.themes.items[i].id;
        size_t n = 0;
        for (size_t a = 0; a < s.ambitions.n; a++)
            n += s.ambitions.items[a].theme_id == t ? table_size(&s, t, s.ambitions.items[a].id) : 0;
        if (n == 0)
            continue;
        buf_puts(B, "<h2 class=\"app-summary-theme\">");
        html_esc(B, s.themes.items[i].title);
        buf_puts(B, "</h2>");
        for (size_t a = 0; a < s.ambitions.n; a++)
            if (s.ambitions.items[a].theme_id == t)
                group_table(r, w, &s, t, s.ambitions.items[a].id, s.ambitions.items[a].title);
    }
    group_table(r, w, &s, 0, 0, "The organisation as a whole");
    group_table(r, w, &s, 0, -1, "Programme aims and other work");
    if (s.measures.n == 0)
        buf_puts(B, "<p>No measures yet.</p>");
    summary_release(&s);
    return 0;
}

static int summary_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char key[200];
    frag_key_of(r, false, key, sizeof key);
    html_begin(r, w, "Integrated performance summary");
    if (frag_emit(r, w, key, summary_content, err) < 0)
        return -1;
    if (web_may(r, "POST", "/measures/new")) { /* outside the shared fragment: not every reader may */
        buf_puts(B, "<p class=\"app-no-print\">");
        kit_link(w, "/measures/new", "Add a measure of the organisation or of an ambition", NULL);
        buf_puts(B, "</p>");
    }
    html_end(r, w);
    return 0;
}

static void csv_num(struct buf *b, double v)
{
    char t[NUM_TEXT_MAX];
    num_format(v, t); /* NaN writes "" */
    buf_puts(b, t);
}

void web_summary_csv_head(struct buf *b, const char *group)
{
    buf_printf(b, "%s,project,measure,kind,unit,points,latest,mean,lpl,upl,target,variation,assurance,data_to\n", group);
}

void web_summary_csv_row(struct buf *b, const char *group, const char *project, const struct web_mseries *ms)
{
    double latest, mean, lpl, upl;
    web_mseries_figures(ms, &latest, &mean, &lpl, &upl);
    const char *text[] = {group, project, ms->m.name, ms->m.kind, ms->m.unit};
    for (size_t i = 0; i < 5; i++) {
        csv_write_field(b, text[i], strlen(text[i]));
        buf_putc(b, ',');
    }
    buf_printf(b, "%zu,", ms->pts.n);
    double vals[] = {latest, mean, lpl, upl, ms->m.has_target ? ms->m.target : NAN};
    for (size_t i = 0; i < 5; i++) {
        csv_num(b, vals[i]);
        buf_putc(b, ',');
    }
    buf_printf(b, "%s,%s,%s\n", ms->computed ? spc_variation_name(ms->res.variation) : "",
               ms->computed ? spc_assurance_name(ms->res.assurance) : "", ms->pts.n ? ms->pts.items[ms->pts.n - 1].day : "");
}

static int summary_csv(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct summary s;
    if (summary_load(r, &s, err) < 0)
        return -1;
    w->content_type = "text/csv; charset=utf-8";
    web_summary_csv_head(B, "theme");
    for (size_t i = 0; i < s.measures.n; i++) {
        const struct web_mseries *ms = &s.measures.items[i];
        if (!shown(&s, ms))
            continue;
        int64_t g = group_of(&s, ms);
        const char *theme = "";
        for (size_t k = 0; k < s.themes.n; k++)
            if (s.themes.items[k].id == g)
                theme = s.themes.items[k].title;
        const struct store_project *p = project_of(&s, ms->m.project_id);
        web_summary_csv_row(B, theme, p ? p->title : "", ms);
    }
    summary_release(&s);
    return 0;
}

static int summary_json(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct summary s;
    if (summary_load(r, &s, err) < 0)
        return -1;
    json_t *a = json_array();
    for (size_t i = 0; i < s.measures.n; i++) {
        if (!shown(&s, &s.measures.items[i]))
            continue;
        json_t *j = web_mseries_json(&s.measures.items[i], false);
        int64_t g = group_of(&s, &s.measures.items[i]);
        json_object_set_new(j, "theme_id", g ? json_integer((json_int_t)g) : json_null());
        json_array_append_new(a, j);
    }
    summary_release(&s);
    web_json(w, 200, json_pack("{s:o}", "measures", a));
    return 0;
}

static int summary_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char key[200];
    frag_key_of(r, true, key, sizeof key);
    w->status = 200;
    w->content_type = "application/json";
    return frag_emit(r, w, key, summary_json, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/summary", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG, .handler = summary_page},
    {.method = "GET", .path = "/summary.csv", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG, .handler = summary_csv},
    {.method = "GET", .path = "/api/v1/summary", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG, .kind = WEB_API, .handler = summary_api},
};

static const struct web_nav nav[] = {
    {.href = "/summary", .label = "Performance", .rank = 42},
};

WEB_FEATURE(web_summary, routes, nav);
