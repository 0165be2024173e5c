/* A measure's annotations on the web (store/annotations.h): listed on the measure page with a form
 * to add one and a link to delete each after a confirmation (members of the organisation), in the API, and drawn on
 * the chart as `purpose spc --annotations` draws a file's (the same bytes: tests/http/annotations).
 * The writes are actions (action.h), declared once for the page and the API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xval.h"
#include "web/action.h"
#include "web/confirm.h"
#include "web/improve.h"
#include "core/banned.h"

#define B (&w->body)

int web_mseries_annotate(struct web_mseries *ms, struct store_annotation_list *al, struct purpose_err *err)
{
    store_annotation_list_release(&ms->notes_src);
    free(ms->notes);
    ms->notes = NULL;
    ms->notes_src = *al;
    memset(al, 0, sizeof *al);
    if (ms->notes_src.n == 0)
        return 0;
    ms->notes = malloc(ms->notes_src.n * sizeof *ms->notes);
    if (!ms->notes)
        return purpose_errf(err, "out of memory drawing %zu annotations", ms->notes_src.n);
    size_t k = 0;
    for (size_t i = 0; i < ms->notes_src.n; i++) {
        double t;
        const char *day = ms->notes_src.items[i].day;
        if (xval_classify(day, strlen(day), &t) == XVAL_DATE) /* the store keeps ISO dates only */
            ms->notes[k++] = (struct chart_note){.x = t, .label = ms->notes_src.items[i].label};
    }
    ms->cs.notes = ms->notes;
    ms->cs.n_notes = k;
    return 0;
}

int web_org_measures_annotate(struct store *s, int64_t org_id, struct web_org_measures *m, struct purpose_err *err)
{
    struct store_annotation_list all;
    if (store_annotation_list(s, STORE_ORG_SCOPE(org_id), 0, &all, err) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < m->n && rc == 0; i++) {
        struct web_mseries *ms = &m->items[i];
        size_t n = 0;
        for (size_t k = 0; k < all.n; k++)
            n += all.items[k].measure_id == ms->m.id;
        if (n == 0)
            continue;
        struct store_annotation_list mine = {.items = calloc(n, sizeof *mine.items)};
        if (!mine.items) {
            rc = purpose_errf(err, "out of memory reading annotations");
            break;
        }
        for (size_t k = 0; k < all.n; k++)
            if (all.items[k].measure_id == ms->m.id) {
                mine.items[mine.n++] = all.items[k];
                all.items[k].label = NULL; /* moved */
            }
        rc = web_mseries_annotate(ms, &mine, err);
        store_annotation_list_release(&mine);
    }
    store_annotation_list_release(&all);
    return rc;
}

/* ---- the measure page's section ------------------------------------------------------------------ */

static void add_form(struct web_req *r, struct web_resp *w, int64_t measure, const struct web_action_in *in,
                     const struct purpose_err *fe)
{
    char action[64];
    snprintf(action, sizeof action, "/measures/%lld/annotations", (long long)measure);
    kit_form_open(r, w, action);
    kit_date_input(w, fe, &(struct kit_field){.name = "date", .label = "Date", .hint = "When it happened. For example, 4 3 2025",
                                              .value = in ? web_in_s(in, "date") : NULL});
    kit_input(w, fe, &(struct kit_field){.name = "label", .label = "What happened",
                                         .hint = "A few words drawn on the chart, for example New triage model",
                                         .value = in ? web_in_s(in, "label") : NULL});
    kit_button(w, "Add the annotation", true);
    kit_form_close(w);
}

void web_annotations_section(struct web_req *r, struct web_resp *w, const struct web_mseries *ms)
{
    char action[64];
    snprintf(action, sizeof action, "/measures/%lld/annotations", (long long)ms->m.id);
    bool may_add = web_may(r, "POST", action);
    if (!ms->notes_src.n && !may_add)
        return;
    buf_puts(B, "<h2 id=\"annotations\">Annotations</h2>");
    if (ms->notes_src.n) {
        buf_puts(B, "<ul class=\"nhsuk-list app-annotations\">");
        for (size_t i = 0; i < ms->notes_src.n; i++) {
            const struct store_annotation *a = &ms->notes_src.items[i];
            buf_puts(B, "<li>");
            html_esc(B, a->day);
            buf_puts(B, ": ");
            html_esc(B, a->label);
            snprintf(action, sizeof action, "/annotations/%lld/delete", (long long)a->id);
            if (web_may(r, "GET", action)) {
                char hidden[STORE_ANNOTATION_LABEL_MAX + 8];
                snprintf(hidden, sizeof hidden, " %s", a->label);
                buf_puts(B, " ");
                kit_link(w, action, "Delete", hidden);
            }
            buf_puts(B, "</li>");
        }
        buf_puts(B, "</ul>");
    } else {
        buf_puts(B, "<p>None yet. An annotation marks what happened and when (a new way of working, a "
                    "staffing change) as a labelled line on the chart.</p>");
    }
    if (may_add)
        add_form(r, w, ms->m.id, NULL, NULL);
}

/* ---- the actions --------------------------------------------------------------------------------- */

static const struct web_afield fields[] = {
    {.name = "date", .kind = WEB_F_DATE, .required = true, .label = "Date"},
    {.name = "label", .required = true, .max = STORE_ANNOTATION_LABEL_MAX},
};

/* {id} is the measure. */
static int add(struct web_req *r, const struct web_action_in *in, struct web_action_out *out, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    snprintf(out->next, sizeof out->next, "/measures/%lld#annotations", (long long)r->id);
    return store_annotation_add(r->ctx->store, &by, &r->scope, r->id, web_in_s(in, "date"), web_in_s(in, "label"),
                                &out->id, err);
}

static int form_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in, const struct purpose_err *fe,
                      struct purpose_err *err)
{
    struct store_measure m;
    if (web_measure_take(r, &m, err) < 0)
        return web_page_fail(r, w, err);
    char back[48];
    snprintf(back, sizeof back, "/measures/%lld", (long long)r->id);
    html_begin(r, w, "Add an annotation");
    kit_narrow_open(w);
    kit_back_link(w, back, "Back to the measure");
    kit_error_summary(w, fe);
    buf_puts(B, "<h1>Add an annotation</h1><p>To the chart of ");
    html_esc(B, m.name);
    buf_puts(B, ".</p>");
    add_form(r, w, r->id, in, fe);
    kit_narrow_close(w);
    html_end(r, w);
    store_measure_release(&m);
    return 0;
}

static json_t *annotation_json(const struct store_annotation *a)
{
    return json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)a->id, "measure_id", (json_int_t)a->measure_id, "date",
                     a->day, "label", a->label ? a->label : "");
}

/* The annotation just added: found among its measure's (r->id). */
static int answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct store_annotation_list l;
    if (store_annotation_list(r->ctx->store, &r->scope, r->id, &l, err) < 0)
        return -1;
    json_t *j = NULL;
    for (size_t i = 0; i < l.n && !j; i++)
        if (l.items[i].id == id)
            j = annotation_json(&l.items[i]);
    store_annotation_list_release(&l);
    if (!j)
        return purpose_errk(err, PURPOSE_ERR_NOT_FOUND, NULL, "annotation %lld: not found", (long long)id);
    web_json(w, status, j);
    return 0;
}

/* {id} is the annotation; the page goes back to its measure. */
static int remove_one(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                      struct purpose_err *err)
{
    (void)in;
    struct store_actor by = web_actor(r);
    int64_t measure = 0;
    if (store_annotation_delete(r->ctx->store, &by, &r->scope, r->id, &measure, err) < 0)
        return -1;
    snprintf(out->next, sizeof out->next, "/measures/%lld#annotations", (long long)measure);
    return 0;
}

static const struct web_action annotation_add = {.fields = fields, .nfields = sizeof fields / sizeof fields[0],
                                                 .run = add, .form = form_again, .answer = answer, .api_status = 201};
static const struct web_action annotation_delete = {.run = remove_one, .done = "annotation-deleted"};

static int add_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &annotation_add, err);
}

static int add_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &annotation_add, err);
}

/* GET: the confirmation, naming the annotation and its measure. */
static int delete_confirm(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_annotation a;
    if (store_annotation_get(r->ctx->store, &r->scope, r->id, &a, err) < 0)
        return web_page_fail(r, w, err);
    struct store_measure m;
    if (store_measure_get(r->ctx->store, STORE_ORG_SCOPE(r->org.id), a.measure_id, &m, err) < 0) {
        store_annotation_release(&a);
        return web_page_fail(r, w, err);
    }
    char title[STORE_ANNOTATION_LABEL_MAX + 40], goes[STORE_ANNOTATION_LABEL_MAX + STORE_NAME_MAX + 80];
    char action[64], cancel[80], day[KIT_DAY_MAX];
    snprintf(title, sizeof title, "Delete the annotation %s?", a.label);
    snprintf(goes, sizeof goes, "the line of %s on the chart of %s", kit_day_words(day, sizeof day, a.day), m.name);
    snprintf(action, sizeof action, "/annotations/%lld/delete", (long long)a.id);
    snprintf(cancel, sizeof cancel, "/measures/%lld#annotations", (long long)a.measure_id);
    const char *const lines[] = {goes};
    web_confirm_page(r, w, &(struct web_confirm){.title = title, .action = action, .button = "Delete the annotation",
                                                 .cancel = cancel, .goes = lines, .ngoes = 1,
                                                 .undo = "The measure and its points stay."});
    store_measure_release(&m);
    store_annotation_release(&a);
    return 0;
}

static int delete_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &annotation_delete, err);
}

static int delete_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &annotation_delete, err);
}

static int list_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_measure m;
    if (web_measure_take(r, &m, err) < 0)
        return web_api_fail(w, err);
    store_measure_release(&m);
    struct store_annotation_list l;
    if (store_annotation_list(r->ctx->store, &r->scope, r->id, &l, err) < 0)
        return -1;
    json_t *a = json_array();
    for (size_t i = 0; i < l.n; i++)
        json_array_append_new(a, annotation_json(&l.items[i]));
    store_annotation_list_release(&l);
    web_json(w, 200, json_pack("{s:o}", "annotations", a));
    return 0;
}

static const struct web_route routes[] = {
    {.method = "POST", .path = "/measures/{id}/annotations", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = add_page, .load = WEB_LOAD_MEASURE},
    {.method = "GET", .path = "/annotations/{id}/delete", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = delete_confirm},
    {.method = "POST", .path = "/annotations/{id}/delete", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = delete_page,
     .confirm = delete_confirm},
    {.method = "GET", .path = "/api/v1/measures/{id}/annotations", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG, .kind = WEB_API, .handler = list_api, .load = WEB_LOAD_MEASURE},
    {.method = "POST", .path = "/api/v1/measures/{id}/annotations", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = add_api, .load = WEB_LOAD_MEASURE},
    {.method = "DELETE", .path = "/api/v1/annotations/{id}", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = delete_api},
};

WEB_FEATURE_ROUTES(web_annotations, routes);
