/* Measures on the web: the list on a project page, the measure page (the SPC chart the engine
 * draws, with PDSA cycles marked, the icons and the plain-English reading; the points; forms to
 * paste or upload points, to rebase and to move it), and the API. The form that adds and changes a
 * measure is measures_form.c's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/action.h"
#include "web/improve.h"
#include "web/handover_measures.h"
#include "web/points_upload.h"
#include "core/banned.h"

#define B (&w->body)

int web_measures_section(struct web_req *r, struct web_resp *w, const struct store_project *p, struct purpose_err *err);

int web_measures_section(struct web_req *r, struct web_resp *w, const struct store_project *p, struct purpose_err *err)
{
    struct store_measure_list ml;
    if (store_measure_list(r->ctx->store, STORE_ORG_SCOPE(r->org.id), p->id, &ml, err) < 0)
        return -1;
    buf_puts(B, "<h2 id=\"measures\">Measures</h2>");
    static const char *const heads[] = {"Measure", "Type", "Latest", "Variation", "Assurance"};
    kit_table_open(w, "The project's measures", heads, 5, NULL);
    int rc = 0;
    for (size_t i = 0; i < ml.n && rc == 0; i++) {
        struct web_mseries ms;
        if ((rc = web_mseries_load(r, ml.items[i].id, &ms, err)) < 0)
            break;
        char href[48], latest[64];
        double l, mean, lo, hi;
        web_mseries_figures(&ms, &l, &mean, &lo, &hi);
        web_value_text(latest, sizeof latest, l, ms.m.unit);
        snprintf(href, sizeof href, "/measures/%lld", (long long)ms.m.id);
        kit_row_open(w);
        kit_cell_open(w);
        kit_link(w, href, ms.m.name, NULL);
        kit_cell_close(w);
        kit_cell(w, ms.m.kind);
        kit_cell(w, latest);
        kit_cell_open(w);
        if (ms.computed)
            web_icon_variation(w, ms.res.variation);
        else
            buf_puts(B, ms.problem[0] ? "Cannot be charted" : "Too few points");
        kit_cell_close(w);
        kit_cell_open(w);
        if (ms.computed)
            web_icon_assurance(w, ms.res.assurance);
        kit_cell_close(w);
        kit_row_close(w);
        web_mseries_release(&ms);
    }
    kit_table_close(w);
    store_measure_list_release(&ml);
    char href[64];
    snprintf(href, sizeof href, "/projects/%lld/measures/new", (long long)p->id);
    if (rc == 0 && web_may(r, "POST", href)) {
        buf_puts(B, "<p>");
        kit_link(w, href, "Add a measure", NULL);
        buf_puts(B, "</p>");
    }
    return rc;
}

/* ---- the measure page ------------------------------------------------------------------------------ */

static void points_forms(struct web_req *r, struct web_resp *w, const struct purpose_err *fe, const char *data)
{
    char action[64];
    snprintf(action, sizeof action, "/measures/%lld/points", (long long)r->id);
    if (!web_may(r, "POST", action))
        return;
    buf_puts(B, "<h2 id=\"add-points\">Add points</h2>");
    kit_form_open_upload(r, w, action);
    kit_file_upload(w, fe && strcmp(fe->field, "file") == 0 ? fe : NULL,
                    &(struct kit_field){.name = "file", .label = "Upload a CSV file of points",
                                        .hint = "Columns date and value, a header row first if you like. A file you "
                                                "choose is added instead of the box below."},
                    ".csv,text/csv");
    kit_textarea(w, fe && strcmp(fe->field, "data") == 0 ? fe : NULL,
                 &(struct kit_field){.name = "data", .label = "Paste or type points, one per line: date, value",
                                     .hint = "For example 2025-04-07, 12.5. Dates may be written 07/04/2025. A point "
                                             "on a date that has one replaces it. If any line is wrong, none is added.",
                                     .value = data, .rows = 6});
    kit_button(w, "Add points", false);
    kit_form_close(w);
    snprintf(action, sizeof action, "/measures/%lld/rebases", (long long)r->id);
    buf_puts(B, "<h2>Rebase</h2><p>New limits from a date on, after a change that moved the process.</p>");
    kit_form_open(r, w, action);
    const struct purpose_err *rf = fe && (strcmp(fe->field, "date") == 0 || strcmp(fe->field, "reason") == 0) ? fe : NULL;
    web_rebase_date_select(r, w, rf);
    kit_input(w, rf, &(struct kit_field){.name = "reason", .label = "Reason"});
    kit_button(w, "Rebase", true);
    kit_form_close(w);
}

/* An upload's bad rows, listed under title in the error summary instead of fe (which still marks
 * the field), with the link to their rejects.csv ("" for none). */
struct bad_upload {
    const struct web_bad_rows *rows;
    const char *title, *download;
};

/* The project's PDSA cycles, as the chart numbers them (P1, P2...). */
static void pdsa_list(struct web_resp *w, const struct store_pdsa_list *cl)
{
    if (!cl->n)
        return;
    buf_puts(B, "<h2>PDSA cycles on the chart</h2><ul class=\"nhsuk-list\">");
    for (size_t i = 0; i < cl->n; i++) {
        char day[KIT_DAY_MAX];
        buf_printf(B, "<li><strong>P%zu</strong> from ", i + 1);
        html_esc(B, kit_day_words(day, sizeof day, cl->items[i].start_date));
        buf_puts(B, ": ");
        html_esc(B, cl->items[i].title);
        buf_puts(B, "</li>");
    }
    buf_puts(B, "</ul>");
}

/* The measure's points, newest first, each with its type on the chart. */
static void points_table(struct web_resp *w, const struct web_mseries *ms)
{
    /* A P, P', U or U' chart shows each point's parts and the value charted from them. */
    bool den = spc_chart_needs_denominator(ms->m.chart);
    static const char *const heads[] = {"Date", "Value", "Point"}, *const den_heads[] = {"Date", "Value", "Denominator",
                                                                                         "Charted", "Point"};
    kit_table_open(w, "Points", den ? den_heads : heads, den ? 5 : 3, NULL);
    for (size_t i = ms->pts.n; i-- > 0;) {
        char v[40];
        web_value_text(v, sizeof v, den ? ms->pts.items[i].value : web_mseries_value(ms, i), den ? "" : ms->m.unit);
        kit_row_open(w);
        kit_cell(w, ms->pts.items[i].day);
        kit_cell(w, v);
        if (den) {
            web_value_text(v, sizeof v, ms->pts.items[i].has_den ? ms->pts.items[i].den : NAN, "");
            kit_cell(w, v);
            web_value_text(v, sizeof v, web_mseries_value(ms, i), ms->m.unit);
            kit_cell(w, v);
        }
        static const char *const words[] = {"Common cause", "Special cause: improvement", "Special cause: concern",
                                            "Special cause: high", "Special cause: low"};
        unsigned t = ms->computed ? ms->res.point_type[i] : 0;
        kit_cell(w, ms->computed && t < 5 ? words[t] : "");
        kit_row_close(w);
    }
    kit_table_close(w);
}

static int measure_render(struct web_req *r, struct web_resp *w, const struct purpose_err *fe, const char *data,
                          const struct bad_upload *bad, struct purpose_err *err)
{
    struct web_mseries ms;
    if (web_mseries_load(r, r->id, &ms, err) < 0)
        return web_page_fail(r, w, err);
    struct store_pdsa_list cl = {0};
    struct store_project p = {0};
    struct web_measure_owners owners = {0};
    bool may_move = web_measure_may_move(r, ms.m.id);
    int rc = may_move ? web_measure_owners_load(r, true, &owners, err) : 0;
    if (rc == 0 && ms.m.project_id) { /* a project's measure shows its PDSA cycles; an ambition's or the organisation's none */
        rc = store_pdsa_list(r->ctx->store, &r->scope, ms.m.project_id, &cl, err);
        if (rc == 0)
            rc = store_project_get(r->ctx->store, &r->scope, ms.m.project_id, &p, err);
    }
    if (rc == 0) {
        char back[48];
        snprintf(back, sizeof back, "/projects/%lld", (long long)p.id);
        html_begin(r, w, ms.m.name);
        if (ms.m.project_id)
            kit_back_link(w, back, p.title);
        else
            kit_back_link(w, "/summary", "Integrated performance summary");
        if (bad)
            web_bad_rows_summary(w, bad->rows, bad->title, bad->download[0] ? bad->download : NULL);
        else
            kit_error_summary(w, fe);
        buf_puts(B, "<span class=\"nhsuk-caption-l\">");
        html_esc(B, ms.m.kind);
        buf_puts(B, " measure</span><h1>");
        html_esc(B, ms.m.name);
        buf_puts(B, "</h1>");
        rc = web_mseries_show(w, &ms, &cl, err);
        pdsa_list(w, &cl);
        int bridged = rc == 0 ? web_ho_measure_source(r, w, ms.m.id, err) : 0; /* points from the handovers */
        if (bridged < 0)
            rc = -1;
        else if (!bridged)
            points_forms(r, w, fe, data);
        points_table(w, &ms);
        web_rebases_section(r, w, &ms);
        web_annotations_section(r, w, &ms);
        char href[48];
        snprintf(href, sizeof href, "/measures/%lld/edit", (long long)ms.m.id);
        if (web_may(r, "POST", href)) {
            buf_puts(B, "<p>");
            kit_link(w, href, "Change this measure", NULL);
            buf_puts(B, "</p>");
        }
        if (may_move)
            web_measure_move_form(r, w, &ms.m, &owners, fe);
        html_end(r, w);
    }
    web_measure_owners_release(&owners);
    store_project_release(&p);
    store_pdsa_list_release(&cl);
    web_mseries_release(&ms);
    return rc;
}

static int measure_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return measure_render(r, w, NULL, "", NULL, err);
}

static int points_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const char *data = "", *file = NULL; /* a chosen file wins over the box */
    size_t n;
    struct web_bad_rows bad;
    web_bad_rows_init(&bad, "data");
    int up = web_upload_text(r, "file", "data", &data, &file, err);
    bad.anchor = up < 0 || file ? "file" : "data";
    if (up == 0 && web_points_upload(r, data, &bad, NULL, &n, err) == 0) {
        web_bad_rows_release(&bad);
        char href[64];
        snprintf(href, sizeof href, "/measures/%lld", (long long)r->id);
        web_redirect(w, href);
        return 0;
    }
    if (!web_err_in_form(err)) {
        web_bad_rows_release(&bad);
        return web_page_fail(r, w, err);
    }
    struct purpose_err fe = *err;
    snprintf(fe.field, sizeof fe.field, "%s", bad.anchor);
    if (up == 0 && file && snprintf(fe.msg, sizeof fe.msg, "%s: %s", file, err->msg) < 0)
        fe = *err; /* the file's name leads the store's message ("points.csv: row 6: value: ...") */
    /* Every bad row is listed in the summary, its title counting them; the field keeps the first. */
    char download[120] = "", title[400];
    snprintf(title, sizeof title, "Nothing was stored: %llu bad row%s%s%s", (unsigned long long)bad.n,
             bad.n == 1 ? "" : "s", file ? " in " : "", file ? file : "");
    if (bad.n)
        web_bad_rows_keep(r, &bad, download, sizeof download);
    struct bad_upload bu = {&bad, title, download};
    int rc = measure_render(r, w, &fe, web_field(r, "data"), bad.n ? &bu : NULL, err);
    w->status = web_err_status(fe.kind);
    web_bad_rows_release(&bad);
    return rc;
}

/* The measure page again, with a refused form's errors (the action skeleton's form). */
static int measure_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in, const struct purpose_err *fe,
                         struct purpose_err *err)
{
    (void)in;
    return measure_render(r, w, fe, "", NULL, err);
}

/* The new rebase is out->id; the page goes back to its measure. */
static int rebase_run(struct web_req *r, const struct web_action_in *in, struct web_action_out *out, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    snprintf(out->next, sizeof out->next, "/measures/%lld", (long long)r->id);
    return store_rebase_add(r->ctx->store, &by, &r->scope, r->id, web_in_s(in, "date"), web_in_s(in, "reason"), &out->id,
                            err);
}

/* The API's answer: the new rebase {id, measure_id, date, reason}. */
static int rebase_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct store_rebase_list l;
    if (store_rebase_list(r->ctx->store, &r->scope, r->id, &l, err) < 0)
        return -1;
    for (size_t i = 0; i < l.n; i++)
        if (l.items[i].id == id)
            web_json(w, status, json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)id, "measure_id", (json_int_t)r->id,
                                          "date", l.items[i].day, "reason", l.items[i].reason ? l.items[i].reason : ""));
    store_rebase_list_release(&l);
    return 0;
}

/* The store checks both fields (a rebase starts at one of the measure's points). */
static const struct web_afield rebase_fields[] = {{.name = "date"}, {.name = "reason"}};
static const struct web_action rebase_action = {.fields = rebase_fields, .nfields = 2, .run = rebase_run,
                                                .form = measure_again, .answer = rebase_answer, .api_status = 201};

static int rebase_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &rebase_action, err);
}

static int rebase_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &rebase_action, err);
}

static int chart_svg_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct web_mseries ms;
    if (web_mseries_load(r, r->id, &ms, err) < 0)
        return web_page_fail(r, w, err);
    int rc = 0;
    if (!ms.computed) {
        web_mseries_need(&ms, err);
        rc = web_page_fail(r, w, err);
    } else {
        w->content_type = "image/svg+xml";
        rc = web_mseries_svg(&w->body, &ms, NULL, err);
    }
    web_mseries_release(&ms);
    return rc;
}

/* The page's owner: "organisation", "ambition:ID" or "project:ID" (web_measure_owner_parse); the
 * API's project_id, ambition_id or aim_id (none: the organisation or programme as a whole). Its
 * points, rebases and chart go with it. */
static int move_run(struct web_req *r, const struct web_action_in *in, struct web_action_out *out, struct purpose_err *err)
{
    (void)out;
    struct store_measure_owner to;
    struct store_actor by = web_actor(r);
    return web_measure_owner_in(r, in, &to, err) < 0 ? -1 : store_measure_move(r->ctx->store, &by, &r->scope, r->id, &to, err);
}

static const struct web_afield move_fields[] = {{.name = "owner"}, WEB_MEASURE_OWNER_FIELDS};
static const struct web_action move_action = {.fields = move_fields, .nfields = 4, .run = move_run,
                                              .form = measure_again, .next = "/measures/{id}",
                                              .answer = web_measure_answer};

static int measure_move_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &move_action, err);
}

static int measure_move_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &move_action, err);
}

/* ---- API ---------------------------------------------------------------------------------------- */

int web_measure_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct web_mseries ms;
    if (web_mseries_load_in(r, &r->scope, id, &ms, err) < 0)
        return web_api_fail(w, err);
    web_json(w, status, web_mseries_json(&ms, true));
    web_mseries_release(&ms);
    return 0;
}

static int measure_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_measure_answer(r, w, r->id, 200, err);
}

/* {"measures": [...]}: the scope's measures of project_id (0: all of them, at every level). */
static int measures_json(struct web_req *r, struct web_resp *w, int64_t project_id, struct purpose_err *err)
{
    struct store_measure_list ml;
    if (store_measure_list(r->ctx->store, &r->scope, project_id, &ml, err) < 0)
        return -1;
    json_t *a = json_array();
    int rc = 0;
    for (size_t i = 0; i < ml.n && rc == 0; i++) {
        struct web_mseries ms;
        if ((rc = web_mseries_load_in(r, &r->scope, ml.items[i].id, &ms, err)) == 0) {
            web_jpush(&a, web_mseries_json(&ms, false));
            web_mseries_release(&ms);
        }
    }
    store_measure_list_release(&ml);
    if (rc < 0 || !a) {
        json_decref(a);
        return -1;
    }
    web_json(w, 200, json_pack("{s:o}", "measures", a));
    return 0;
}

static int project_measures_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_project p;
    if (web_project_take(r, &p, err) < 0)
        return web_api_fail(w, err);
    store_project_release(&p);
    return measures_json(r, w, r->id, err);
}

/* A programme's own measures, at every level. */
static int programme_measures_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return measures_json(r, w, 0, err);
}

/* A bad point of a JSON body into "errors". */
static void json_bad(void *ctx, size_t index, const char *field, const char *reason, const char *row, size_t row_len)
{
    (void)row, (void)row_len;
    char msg[600];
    snprintf(msg, sizeof msg, "points[%zu]: %s", index, reason);
    web_jpush(ctx, json_pack("{s:s, s:I, s:s}", "field", field, "index", (json_int_t)index, "error", msg));
}

/* POST .../points's JSON body ("csv" for an organisation's measure, or "points") into measure r->id of
 * sc: 0 when stored, 1 when w holds the answer that lists every bad row or point, -1 with err. */
static int points_post(struct web_req *r, struct web_resp *w, const struct store_scope *sc, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    const char *csv = NULL;
    if (web_jstr(r, "csv", false, &csv, err) < 0)
        return -1;
    if (csv && sc->kind != STORE_SCOPE_ORG)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "csv", "csv: a programme's measure takes its points as \"points\"");
    json_t *errors = json_array();
    size_t n;
    int rc = csv ? web_points_upload(r, csv, NULL, &errors, &n, err)
                 : store_points_json_each(r->ctx->store, &by, sc, r->id,
                                          r->json ? json_object_get(r->json, "points") : NULL, &n, json_bad, &errors,
                                          NULL, err);
    if (rc < 0 && errors && json_array_size(errors) && web_err_status(err->kind) < 500) {
        web_json(w, web_err_status(err->kind), json_pack("{s:s, s:o}", "error", err->msg, "errors", errors));
        return 1;
    }
    json_decref(errors);
    if (rc < 0 && !csv && err->kind == PURPOSE_ERR_INPUT && strcmp(err->field, "points") == 0)
        purpose_errk(err, PURPOSE_ERR_INPUT, "points", "points: send \"csv\" or an array \"points\" of {date, value, denominator}");
    return rc < 0 ? -1 : 0;
}

/* {"csv": "date,value[,denominator]\n..."} or {"points": [{"date", "value", "denominator"}, ...]} (the
 * denominator for P, P', U and U' charts only): all or none; every bad row ("line") or point ("index")
 * in "errors", the first also as "error". */
static int points_post_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    int rc = points_post(r, w, &r->scope, err);
    return rc < 0 ? web_api_fail(w, err) : rc > 0 ? 0 : measure_api(r, w, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/measures/{id}", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG, .handler = measure_page, .load = WEB_LOAD_MEASURE},
    {.method = "GET", .path = "/measures/{id}/chart.svg", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG, .handler = chart_svg_page, .load = WEB_LOAD_MEASURE},
    {.method = "POST", .path = "/measures/{id}/points", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = points_page, .load = WEB_LOAD_MEASURE},
    {.method = "POST", .path = "/measures/{id}/rebases", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = rebase_page, .load = WEB_LOAD_MEASURE},
    {.method = "POST", .path = "/measures/{id}/move", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = measure_move_page, .load = WEB_LOAD_MEASURE},
    {.method = "GET", .path = "/api/v1/measures/{id}", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG, .kind = WEB_API, .handler = measure_api, .load = WEB_LOAD_MEASURE},
    {.method = "POST", .path = "/api/v1/measures/{id}/points", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = points_post_api, .load = WEB_LOAD_MEASURE},
    {.method = "GET", .path = "/api/v1/projects/{id}/measures", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG, .kind = WEB_API, .handler = project_measures_api, .load = WEB_LOAD_PROJECT},
    {.method = "POST", .path = "/api/v1/measures/{id}/move", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = measure_move_api, .load = WEB_LOAD_MEASURE},
    {.method = "POST", .path = "/api/v1/measures/{id}/rebases", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = rebase_api, .load = WEB_LOAD_MEASURE},
    /* A programme's own measures: the same answers in the programme's scope (the store's rules: an aim of
     * the programme, no CSV, none moved to or from an organisation). */
    {.method = "GET", .path = "/api/v1/programmes/{programme}/measures", .role = ROLE_CONTRIBUTOR, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = programme_measures_api},
    {.method = "GET", .path = "/api/v1/programmes/{programme}/measures/{id}", .role = ROLE_CONTRIBUTOR, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = measure_api, .load = WEB_LOAD_MEASURE},
    {.method = "POST", .path = "/api/v1/programmes/{programme}/measures/{id}/move", .role = ROLE_MEMBER, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = measure_move_api, .load = WEB_LOAD_MEASURE},
    {.method = "POST", .path = "/api/v1/programmes/{programme}/measures/{id}/points", .role = ROLE_MEMBER, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = points_post_api, .load = WEB_LOAD_MEASURE},
};

WEB_FEATURE_ROUTES(web_measures, routes);
