/* A measure's SPC chart on the web: the series read from the store and computed by the engine,
 * laid out by src/chart exactly as `purpose spc --format svg` lays out the same data (the test in
 * tests/http/projects.test.mjs compares the bytes), with PDSA cycles added as annotations. The
 * variation and assurance icons are served as small images (the same drawings as on the chart). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/reading.h"
#include "core/xval.h"
#include "web/improve.h"
#include "core/banned.h"

#define B (&w->body)

void web_mseries_release(struct web_mseries *ms)
{
    store_measure_release(&ms->m);
    store_point_list_release(&ms->pts);
    store_rebase_list_release(&ms->rebases);
    free(ms->y);
    free(ms->den);
    free(ms->x);
    free(ms->xt);
    free(ms->breaks);
    spc_result_release(&ms->res);
    store_annotation_list_release(&ms->notes_src);
    free(ms->notes);
    memset(ms, 0, sizeof *ms);
}

int web_mseries_need(const struct web_mseries *ms, struct purpose_err *err)
{
    if (ms->computed)
        return 0;
    if (ms->problem[0])
        return purpose_errk(err, PURPOSE_ERR_INPUT, "points", "points: this measure's points cannot be charted: %s",
                            ms->problem);
    return purpose_errk(err, PURPOSE_ERR_INPUT, "points",
                        "points: a chart needs at least 2 points; this measure has %zu", ms->pts.n);
}

static int cmp_point_day(const void *key, const void *item)
{
    return strcmp(key, ((const struct store_point *)item)->day);
}

size_t web_rebase_point(const struct web_mseries *ms, size_t k)
{
    const struct store_point *p =
        bsearch(ms->rebases.items[k].day, ms->pts.items, ms->pts.n, sizeof *ms->pts.items, cmp_point_day);
    return p ? (size_t)(p - ms->pts.items) : SIZE_MAX;
}

int web_mseries_from(struct store_measure *m, struct store_point_list *pts, struct store_rebase_list *rebases,
                     struct web_mseries *ms, struct purpose_err *err)
{
    memset(ms, 0, sizeof *ms);
    spc_result_init(&ms->res);
    ms->m = *m;
    ms->pts = *pts;
    ms->rebases = *rebases;
    memset(m, 0, sizeof *m);
    memset(pts, 0, sizeof *pts);
    memset(rebases, 0, sizeof *rebases);
    spc_options_default(&ms->opt);
    if (spc_improvement_parse(ms->m.direction, &ms->opt.improvement) < 0)
        ms->opt.improvement = SPC_NEUTRAL;
    ms->opt.has_target = ms->m.has_target;
    ms->opt.target = ms->m.target;
    ms->opt.chart = ms->m.chart;
    ms->opt.per = ms->m.per;
    snprintf(ms->y_label, sizeof ms->y_label, "%s", ms->m.unit[0] ? ms->m.unit : "value");
    size_t n = ms->pts.n;
    if (n < 2)
        return 0;
    ms->y = malloc(n * sizeof *ms->y);
    ms->x = malloc(n * sizeof *ms->x);
    ms->xt = malloc(n * sizeof *ms->xt);
    ms->breaks = malloc((ms->rebases.n + 1) * sizeof *ms->breaks);
    bool with_den = spc_chart_needs_denominator(ms->m.chart);
    ms->den = with_den ? malloc(n * sizeof *ms->den) : NULL;
    if (!ms->y || !ms->x || !ms->xt || !ms->breaks || (with_den && !ms->den))
        return purpose_errf(err, "out of memory charting %zu points", n);
    for (size_t i = 0; i < n; i++) {
        ms->y[i] = ms->pts.items[i].value;
        if (ms->den) /* a point stored without one is a missing point, as purpose spc reads it */
            ms->den[i] = ms->pts.items[i].has_den ? ms->pts.items[i].den : NAN;
        ms->xt[i] = ms->pts.items[i].day;
        xval_classify(ms->pts.items[i].day, strlen(ms->pts.items[i].day), &ms->x[i]);
    }
    for (size_t k = 0; k < ms->rebases.n; k++) { /* rebases are by day, so the breaks ascend */
        size_t at = web_rebase_point(ms, k);
        if (at != SIZE_MAX && at > 0)
            ms->breaks[ms->n_breaks++] = at;
    }
    /* The store refuses points the engine cannot chart; a series that still cannot be (stored before
     * that check, or behind it) is shown as such, never a failed page. */
    struct purpose_err why = {0};
    if (spc_compute(ms->y, ms->den, n, ms->breaks, ms->n_breaks, &ms->opt, &ms->res, &why) < 0) {
        snprintf(ms->problem, sizeof ms->problem, "%.*s", (int)sizeof ms->problem - 1, why.msg);
        return 0;
    }
    ms->cs = (struct chart_series){
        .title = ms->m.name,
        .y_label = ms->y_label,
        .n = n,
        .y = spc_result_values(&ms->res, ms->y),
        .x_kind = CHART_X_DATE,
        .x_value = ms->x,
        .x_text = ms->xt,
        .res = &ms->res,
        .opt = &ms->opt,
    };
    ms->computed = true;
    return 0;
}

int web_mseries_load(struct web_req *r, int64_t id, struct web_mseries *ms, struct purpose_err *err)
{
    return web_mseries_load_in(r, STORE_ORG_SCOPE(r->org.id), id, ms, err);
}

int web_mseries_load_in(struct web_req *r, const struct store_scope *sc, int64_t id, struct web_mseries *ms, struct purpose_err *err)
{
    struct store_measure m;
    struct store_point_list pts;
    struct store_rebase_list rb;
    memset(ms, 0, sizeof *ms);
    if (store_measure_series(r->ctx->store, sc, id, &m, &pts, &rb, err) < 0)
        return -1;
    int rc = web_mseries_from(&m, &pts, &rb, ms, err);
    struct store_annotation_list al = {0};
    if (rc == 0 && (rc = store_annotation_list(r->ctx->store, sc, id, &al, err)) == 0)
        rc = web_mseries_annotate(ms, &al, err);
    if (rc < 0)
        web_mseries_release(ms);
    return rc;
}

double web_mseries_value(const struct web_mseries *ms, size_t i)
{
    if (ms->computed)
        return spc_result_values(&ms->res, ms->y)[i];
    const struct store_point *p = &ms->pts.items[i];
    if (!spc_chart_needs_denominator(ms->m.chart))
        return p->value;
    return p->has_den && p->den > 0 ? p->value / p->den * ms->m.per : NAN;
}

void web_mseries_figures(const struct web_mseries *ms, double *latest, double *mean, double *lpl, double *upl)
{
    *latest = *mean = *lpl = *upl = NAN;
    if (ms->pts.n)
        *latest = web_mseries_value(ms, ms->pts.n - 1);
    if (!ms->computed || ms->res.n_groups == 0)
        return;
    const struct spc_group *g = &ms->res.groups[ms->res.n_groups - 1];
    *mean = g->mean;
    if (g->has_limits) {
        *lpl = g->lpl;
        *upl = g->upl;
    }
}

/* The x of date key t on the drawn chart, from where the first and last points were drawn. */
static bool annotation_x(const struct chart_layout *l, const struct web_mseries *ms, double t, double *x)
{
    double first = NAN, last = NAN;
    for (size_t i = 0; i < l->n_shapes; i++) {
        const struct chart_shape *sh = &l->shapes[i];
        if (sh->kind == CHART_CIRCLE && sh->cls && strncmp(sh->cls, "pt", 2) == 0) {
            if (isnan(first))
                first = sh->x;
            last = sh->x;
        }
    }
    double x0 = ms->x[0], x1 = ms->x[ms->cs.n - 1];
    if (isnan(first) || x1 <= x0 || t < x0 || t > x1)
        return false;
    *x = first + (t - x0) / (x1 - x0) * (last - first);
    return true;
}

int web_mseries_svg(struct buf *out, const struct web_mseries *ms, const struct store_pdsa_list *pdsa,
                    struct purpose_err *err)
{
    if (web_mseries_need(ms, err) < 0)
        return -1;
    if (!pdsa || pdsa->n == 0)
        return chart_svg(out, &ms->cs, err);
    struct chart_layout l;
    chart_layout_init(&l, 0, 0);
    int rc = chart_layout_build(&l, &ms->cs, err);
    const struct chart_style dash = {.stroke = "#330072", .stroke_w = 1.5, .dash = "6 4"};
    const struct chart_font label = {.size = 13, .colour = "#330072", .anchor = CHART_ANCHOR_MIDDLE, .bold = true};
    for (size_t i = 0; rc == 0 && i < pdsa->n; i++) {
        double t, x;
        if (xval_classify(pdsa->items[i].start_date, strlen(pdsa->items[i].start_date), &t) != XVAL_DATE ||
            !annotation_x(&l, ms, t, &x))
            continue;
        char tip[STORE_TITLE_MAX + 64], num[24];
        snprintf(tip, sizeof tip, "PDSA %zu from %s: %s", i + 1, pdsa->items[i].start_date, pdsa->items[i].title);
        snprintf(num, sizeof num, "P%zu", i + 1);
        chart_group(&l, "pdsa", tip);
        chart_line(&l, "pdsa-line", &dash);
        chart_pt(&l, x, l.top);
        chart_pt(&l, x, l.bottom);
        chart_text(&l, "pdsa-label", x, l.top - 4, num, 0, &label);
        chart_group_end(&l);
    }
    if (rc == 0 && l.failed)
        rc = purpose_errf(err, "out of memory drawing the chart");
    if (rc == 0)
        rc = chart_layout_svg(out, &l, NULL, err);
    chart_layout_release(&l);
    return rc;
}

/* ---- icons --------------------------------------------------------------------------------------- */

const char *web_variation_words(enum spc_variation v)
{
    switch (v) {
    case SPC_VAR_IMPROVEMENT_HIGH: return "Special cause improvement (high)";
    case SPC_VAR_IMPROVEMENT_LOW: return "Special cause improvement (low)";
    case SPC_VAR_CONCERN_HIGH: return "Special cause concern (high)";
    case SPC_VAR_CONCERN_LOW: return "Special cause concern (low)";
    case SPC_VAR_NEUTRAL_HIGH: return "Special cause variation (high)";
    case SPC_VAR_NEUTRAL_LOW: return "Special cause variation (low)";
    default: return "Common cause variation";
    }
}

const char *web_assurance_words(enum spc_assurance a)
{
    switch (a) {
    case SPC_ASSURANCE_CONSISTENT_PASS: return "Consistently meets the target";
    case SPC_ASSURANCE_CONSISTENT_FAIL: return "Consistently misses the target";
    case SPC_ASSURANCE_INCONSISTENT: return "May or may not meet the target";
    default: return "No target";
    }
}

void web_icon_variation(struct web_resp *w, enum spc_variation v)
{
    buf_printf(B, "<img class=\"app-icon\" src=\"/icons/variation/%d.svg\" width=\"40\" height=\"40\" alt=\"", (int)v + 1);
    html_esc(B, web_variation_words(v));
    buf_puts(B, "\">");
}

void web_icon_assurance(struct web_resp *w, enum spc_assurance a)
{
    if (a == SPC_ASSURANCE_NONE) {
        buf_puts(B, "<span class=\"nhsuk-u-visually-hidden\">No target</span>");
        return;
    }
    buf_printf(B, "<img class=\"app-icon\" src=\"/icons/assurance/%d.svg\" width=\"40\" height=\"40\" alt=\"", (int)a);
    html_esc(B, web_assurance_words(a));
    buf_puts(B, "\">");
}

void web_value_text(char *out, size_t n, double v, const char *unit)
{
    if (isnan(v))
        snprintf(out, n, "-");
    else
        chart_value_text(out, n, v, unit);
}

static int icon_answer(struct web_req *r, struct web_resp *w, bool variation, struct purpose_err *err)
{
    if ((variation && r->id > SPC_VAR_NEUTRAL_LOW + 1) || (!variation && r->id > SPC_ASSURANCE_INCONSISTENT)) {
        html_error_page(r, w, 404, NULL);
        return 0;
    }
    struct chart_layout l;
    chart_layout_init(&l, 40, 40);
    if (variation)
        chart_icon_variation(&l, 20, 20, 18, (enum spc_variation)(r->id - 1), false);
    else
        chart_icon_assurance(&l, 20, 20, 18, (enum spc_assurance)r->id, false);
    w->content_type = "image/svg+xml";
    int rc = l.failed ? purpose_errf(err, "out of memory drawing an icon") : chart_layout_svg(&w->body, &l, NULL, err);
    chart_layout_release(&l);
    return rc;
}

static int variation_icon(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return icon_answer(r, w, true, err);
}

static int assurance_icon(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return icon_answer(r, w, false, err);
}

/* ---- JSON ------------------------------------------------------------------------------------- */

static json_t *num_or_null(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

json_t *web_mseries_json(const struct web_mseries *ms, bool with_points)
{
    double latest, mean, lpl, upl;
    web_mseries_figures(ms, &latest, &mean, &lpl, &upl);
    json_t *j = json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:o, s:I, s:o, s:o, s:o, s:o}", "id", (json_int_t)ms->m.id,
                          "project_id", ms->m.project_id ? json_integer((json_int_t)ms->m.project_id) : json_null(), "name", ms->m.name, "kind", ms->m.kind, "unit",
                          ms->m.unit, "direction", ms->m.direction, "target",
                          ms->m.has_target ? json_real(ms->m.target) : json_null(), "n_points", (json_int_t)ms->pts.n,
                          "latest", num_or_null(latest), "mean", num_or_null(mean), "lpl", num_or_null(lpl), "upl",
                          num_or_null(upl));
    if (!j)
        return NULL;
    json_object_set_new(j, "level", json_string(web_measure_level(&ms->m)));
    json_object_set_new(j, "ambition_id", ms->m.ambition_id ? json_integer((json_int_t)ms->m.ambition_id) : json_null());
    if (ms->m.programme_id) { /* a programme's own measure */
        json_object_set_new(j, "programme_id", json_integer((json_int_t)ms->m.programme_id));
        json_object_set_new(j, "aim_id", ms->m.aim_id ? json_integer((json_int_t)ms->m.aim_id) : json_null());
    }
    json_object_set_new(j, "chart", json_string(spc_chart_name(ms->m.chart)));
    json_object_set_new(j, "per", json_real(ms->m.per));
    json_object_set_new(j, "variation", ms->computed ? json_string(spc_variation_name(ms->res.variation)) : json_null());
    json_object_set_new(j, "assurance",
                        ms->computed && ms->res.assurance != SPC_ASSURANCE_NONE
                            ? json_string(spc_assurance_name(ms->res.assurance))
                            : json_null());
    if (with_points) {
        json_t *pts = json_array(), *rb = json_array();
        for (size_t i = 0; i < ms->pts.n; i++) {
            const struct store_point *p = &ms->pts.items[i];
            /* Each point's own lines, as purpose spc --format json names them (they step on P and U). */
            struct spc_lines l = {NAN, NAN, NAN, NAN, NAN};
            if (ms->computed)
                spc_point_lines(&ms->res, i, &l);
            json_t *o = json_pack("{s:s, s:f, s:o, s:o, s:o, s:o, s:o, s:s?}", "date", p->day, "value", p->value,
                                  "denominator", p->has_den ? json_real(p->den) : json_null(), "y",
                                  num_or_null(web_mseries_value(ms, i)), "mean", num_or_null(l.centre), "lpl",
                                  num_or_null(l.lpl), "upl", num_or_null(l.upl), "point_type",
                                  ms->computed ? spc_point_type_name(ms->res.point_type[i]) : NULL);
            json_array_append_new(pts, o);
        }
        for (size_t i = 0; i < ms->rebases.n; i++)
            json_array_append_new(rb, json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)ms->rebases.items[i].id, "date",
                                                ms->rebases.items[i].day, "reason", ms->rebases.items[i].reason,
                                                "starts_group", web_rebase_starts(ms, i)));
        json_object_set_new(j, "points", pts);
        json_object_set_new(j, "rebases", rb);
        json_t *an = json_array(); /* annotations.c's, as GET .../annotations lists them */
        for (size_t i = 0; i < ms->notes_src.n; i++)
            json_array_append_new(an, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)ms->notes_src.items[i].id, "date",
                                                ms->notes_src.items[i].day, "label", ms->notes_src.items[i].label));
        json_object_set_new(j, "annotations", an);
    }
    return j;
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/icons/variation/{id}.svg", .role = ROLE_ANON, .handler = variation_icon, .cache = WEB_CACHE_PUBLIC},
    {.method = "GET", .path = "/icons/assurance/{id}.svg", .role = ROLE_ANON, .handler = assurance_icon, .cache = WEB_CACHE_PUBLIC},
};

WEB_FEATURE_ROUTES(web_icons, routes);

int web_mseries_show(struct web_resp *w, const struct web_mseries *ms, const struct store_pdsa_list *pdsa,
                     struct purpose_err *err)
{
    if (!ms->computed) {
        struct purpose_err need = {0};
        web_mseries_need(ms, &need);
        kit_inset(w, need.msg, NULL, NULL, NULL);
        return 0;
    }
    buf_puts(&w->body, "<div class=\"app-icons\">");
    web_icon_variation(w, ms->res.variation);
    web_icon_assurance(w, ms->res.assurance);
    buf_puts(&w->body, "</div><div class=\"app-chart\">");
    int rc = web_mseries_svg(&w->body, ms, pdsa, err);
    buf_puts(&w->body, "</div><h2>What the chart says</h2><p class=\"app-reading\">");
    struct buf reading;
    buf_init(&reading, 1 << 16);
    chart_reading(&reading, &ms->cs, ms->m.unit);
    html_esc(&w->body, reading.data ? reading.data : "");
    buf_release(&reading);
    buf_puts(&w->body, "</p>");
    return rc;
}

void web_mseries_item(struct web_resp *w, const struct web_mseries *ms, const char *href)
{
    buf_puts(&w->body, "<li>");
    if (ms->computed) {
        web_icon_variation(w, ms->res.variation);
        web_icon_assurance(w, ms->res.assurance);
    }
    kit_link(w, href, ms->m.name, NULL);
    buf_puts(&w->body, "</li>");
}
