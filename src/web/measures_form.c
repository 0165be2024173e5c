/* The measure form: adding a measure to a project (/projects/{id}/measures/new), adding one of the
 * organisation or of one of its ambitions (/measures/new, where it belongs chosen on the form), and
 * changing one (/measures/{id}/edit), each an action on the skeleton (action.h). The store checks
 * every field (the form only that target and per are numbers); a refused form is shown again with
 * what was entered and every error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/num.h"
#include "web/action.h"
#include "web/improve.h"
#include "core/banned.h"

#define B (&w->body)

/* ---- the measure form -------------------------------------------------------------------------------- */

/* The chart types as purpose spc --chart names them, in the words of the form. */
static const struct kit_option chart_types[] = {
    {"xmr", "XmR: individual values (the usual choice)", false},
    {"run", "Run chart: the median, no limits", false},
    {"p", "P chart: a proportion, each value out of its denominator", false},
    {"pp", "P\u2032 chart (Laney): a proportion with large denominators", false},
    {"u", "U chart: a rate, events per denominator", false},
    {"up", "U\u2032 chart (Laney): a rate with large denominators", false},
    {"c", "C chart: counts of events", false},
    {"g", "G chart: opportunities between rare events", false},
    {"t", "T chart: time between rare events", false},
};

/* owner: where a new strategy measure belongs (its select is shown; the form posts to /measures/new),
 * or NULL for a project's new measure and for a change. */
static int measure_form(struct web_req *r, struct web_resp *w, bool create, const struct store_measure_input *in,
                        const char *target, const char *per, const struct web_measure_owners *owners,
                        const struct store_measure_owner *owner, const struct purpose_err *fe)
{
    char action[64];
    snprintf(action, sizeof action, create ? "/projects/%lld/measures/new" : "/measures/%lld/edit", (long long)r->id);
    if (owners)
        snprintf(action, sizeof action, "/measures/new");
    html_begin(r, w, create ? "Add a measure" : "Change a measure");
    kit_narrow_open(w);
    kit_error_summary(w, fe);
    buf_puts(B, create ? "<h1>Add a measure</h1>" : "<h1>Change a measure</h1>");
    kit_form_open(r, w, action);
    if (owners)
        web_measure_owner_select(w, fe, owners, owner);
    kit_input(w, fe, &(struct kit_field){.name = "name", .label = "Name", .value = in->name});
    static const char *const kinds[] = {"outcome", "process", "balancing"}, *const dirs[] = {"increase", "decrease",
                                                                                             "neutral"};
    static const char *const dir_labels[] = {"Higher is better", "Lower is better", "Neither"};
    struct kit_option ko[3], dop[3];
    for (size_t i = 0; i < 3; i++) {
        ko[i] = (struct kit_option){kinds[i], kinds[i], in->kind && strcmp(in->kind, kinds[i]) == 0};
        dop[i] = (struct kit_option){dirs[i], dir_labels[i], in->direction && strcmp(in->direction, dirs[i]) == 0};
    }
    kit_radios(w, fe, &(struct kit_field){.name = "kind", .label = "Type"}, ko, 3);
    kit_input(w, fe, &(struct kit_field){.name = "unit", .label = "Unit", .hint = "For example %, minutes or falls",
                                         .value = in->unit, .width = "nhsuk-input--width-10"});
    kit_radios(w, fe, &(struct kit_field){.name = "direction", .label = "Improvement"}, dop, 3);
    kit_input(w, fe, &(struct kit_field){.name = "target", .label = "Target", .hint = "Leave empty for none",
                                         .value = target, .width = "nhsuk-input--width-10"});
    kit_select_open(w, fe, &(struct kit_field){.name = "chart", .label = "Chart",
                                               .hint = "P, P\u2032, U and U\u2032 charts need a denominator with every "
                                                       "point; changing the chart re-charts the points"});
    const char *chart = in->chart && in->chart[0] ? in->chart : "xmr";
    for (size_t i = 0; i < sizeof chart_types / sizeof chart_types[0]; i++)
        kit_select_option(w, chart_types[i].value, chart_types[i].label, strcmp(chart, chart_types[i].value) == 0);
    kit_select_close(w);
    kit_input(w, fe, &(struct kit_field){.name = "per", .label = "Per",
                                         .hint = "Multiplies the values: 100 for a percentage, 1000 for a rate per "
                                                 "1,000 bed days. Leave empty for 1",
                                         .value = per, .width = "nhsuk-input--width-10"});
    kit_button(w, "Save", false);
    kit_form_close(w);
    if (!create) {
        snprintf(action, sizeof action, "/measures/%lld/delete", (long long)r->id);
        buf_puts(B, "<p>");
        kit_link(w, action, "Delete this measure", NULL);
        buf_puts(B, "</p>");
    }
    kit_narrow_close(w);
    html_end(r, w);
    return 0;
}

static int measure_new_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_project p;
    if (web_project_take(r, &p, err) < 0)
        return web_page_fail(r, w, err);
    store_project_release(&p);
    struct store_measure_input in = {.name = "", .kind = "outcome", .unit = "", .direction = "increase", .chart = "xmr"};
    return measure_form(r, w, true, &in, "", "", NULL, NULL, NULL);
}

/* A measure of the organisation or of one of its ambitions (?ambition=ID chooses it). */
static int measure_org_new_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char owner[48] = "", ambition[24] = "";
    if (web_query_get(r, "ambition", ambition, sizeof ambition) == 0 && ambition[0])
        snprintf(owner, sizeof owner, "ambition:%s", ambition);
    struct store_measure_owner to;
    struct purpose_err ignored = {0};
    if (web_measure_owner_parse(owner, &to, &ignored) < 0)
        memset(&to, 0, sizeof to);
    struct store_measure_input in = {.name = "", .kind = "outcome", .unit = "", .direction = "increase", .chart = "xmr"};
    struct web_measure_owners owners;
    if (web_measure_owners_load(r, false, &owners, err) < 0)
        return web_page_fail(r, w, err);
    int rc = measure_form(r, w, true, &in, "", "", &owners, &to, NULL);
    web_measure_owners_release(&owners);
    return rc;
}

/* ---- the actions (action.h): adding to a project, adding at a level, changing --------------------- */

static int target_check(const char *name, const char *s, struct purpose_err *err)
{
    double v;
    return num_parse(s, strlen(s), &v) == NUM_OK ? 0
           : purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s: \"%.40s\" is not a number", name, s);
}

static int per_check(const char *name, const char *s, struct purpose_err *err)
{
    double v;
    return num_parse(s, strlen(s), &v) == NUM_OK && v != 0
               ? 0
               : purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s: \"%.40s\" is not a number above 0", name, s);
}

/* The store checks the rest (store_measure_check), naming each field. Where a new measure goes is
 * the form's "owner" (web_measure_owner_parse), the API's ids (none: the organisation or programme
 * as a whole). */
static const struct web_afield fields[] = {
    {.name = "owner"}, {.name = "name"}, {.name = "kind"}, {.name = "unit"}, {.name = "direction"},
    {.name = "target", .number = true, .check = target_check}, {.name = "chart"},
    {.name = "per", .number = true, .check = per_check},
    WEB_MEASURE_OWNER_FIELDS,
};

/* The measure the form gave (its target and per checked as numbers already). */
static struct store_measure_input input_of(const struct web_action_in *in)
{
    struct store_measure_input m = {web_in_s(in, "name"), web_in_s(in, "kind"), web_in_s(in, "unit"),
                                    web_in_s(in, "direction"), false, 0, web_in_s(in, "chart"), 0};
    const char *target = web_in_s(in, "target"), *per = web_in_s(in, "per"); /* NULL: absent from JSON */
    m.has_target = target && target[0] && num_parse(target, strlen(target), &m.target) == NUM_OK;
    if (per && per[0] && num_parse(per, strlen(per), &m.per) != NUM_OK)
        m.per = 0;
    return m;
}

/* Which of the three the request is: the route's {id} a project's (a new measure of it), a measure's
 * (a change), or none (/measures/new: a new one where the owner field says). */
enum save_kind { SAVE_PROJECT, SAVE_LEVEL, SAVE_CHANGE };

/* The API takes a target and a per as JSON numbers (or null), not as text. */
static int json_numbers(const struct web_req *r, struct purpose_err *err)
{
    static const char *const names[] = {"target", "per"};
    for (size_t k = 0; r->is_api && r->json && k < 2; k++) {
        json_t *v = json_object_get(r->json, names[k]);
        if (v && !json_is_null(v) && !json_is_number(v))
            return purpose_errk(err, PURPOSE_ERR_INPUT, names[k], "%s: must be a number or null", names[k]);
    }
    return 0;
}

static int save(struct web_req *r, const struct web_action_in *in, struct web_action_out *out, enum save_kind k,
                struct purpose_err *err)
{
    if (json_numbers(r, err) < 0)
        return -1;
    struct store_measure_input m = input_of(in);
    struct store_actor by = web_actor(r);
    struct store_measure_owner to;
    if (k == SAVE_PROJECT)
        return store_measure_add(r->ctx->store, &by, &r->scope, r->id, &m, &out->id, err);
    if (k == SAVE_CHANGE)
        return store_measure_update(r->ctx->store, &by, &r->scope, r->id, &m, err);
    return web_measure_owner_in(r, in, &to, err) < 0
               ? -1
               : store_measure_add_to(r->ctx->store, &by, &r->scope, &to, &m, &out->id, err);
}

static int form_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in, const struct purpose_err *fe,
                      enum save_kind k, struct purpose_err *err)
{
    struct store_measure_input m = input_of(in);
    struct store_measure_owner to = {0};
    struct web_measure_owners owners;
    if (k == SAVE_LEVEL && web_measure_owner_parse(web_in_s(in, "owner"), &to, &(struct purpose_err){0}) < 0)
        memset(&to, 0, sizeof to);
    if (k == SAVE_LEVEL && web_measure_owners_load(r, false, &owners, err) < 0)
        return web_page_fail(r, w, err);
    int rc = measure_form(r, w, k != SAVE_CHANGE, &m, web_in_s(in, "target"), web_in_s(in, "per"),
                          k == SAVE_LEVEL ? &owners : NULL, &to, fe);
    if (k == SAVE_LEVEL)
        web_measure_owners_release(&owners);
    return rc;
}

#define SAVE_AS(k, run_, form_)                                                                              \
    static int run_(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,           \
                    struct purpose_err *err)                                                                 \
    {                                                                                                        \
        return save(r, in, out, k, err);                                                                     \
    }                                                                                                        \
    static int form_(struct web_req *r, struct web_resp *w, const struct web_action_in *in,                  \
                     const struct purpose_err *fe, struct purpose_err *err)                                  \
    {                                                                                                        \
        return form_again(r, w, in, fe, k, err);                                                             \
    }
SAVE_AS(SAVE_PROJECT, run_project, form_project)
SAVE_AS(SAVE_LEVEL, run_level, form_level)
SAVE_AS(SAVE_CHANGE, run_change, form_change)

#define FIELDS                                                                                       \
    .fields = fields, .nfields = sizeof fields / sizeof fields[0], .next = "/measures/{id}",            \
    .answer = web_measure_answer
static const struct web_action add_project = {FIELDS, .run = run_project, .form = form_project, .api_status = 201};
static const struct web_action add_level = {FIELDS, .run = run_level, .form = form_level, .api_status = 201};
static const struct web_action change = {FIELDS, .run = run_change, .form = form_change};

static int add_project_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &add_project, err);
}

static int add_level_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &add_level, err);
}

static int change_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &change, err);
}

static int measure_create_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &add_project, err);
}

static int measure_org_create_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &add_level, err);
}

static int measure_edit_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_measure m;
    if (web_measure_take(r, &m, err) < 0)
        return web_page_fail(r, w, err);
    char target[40] = "", per[40] = "";
    if (m.has_target)
        snprintf(target, sizeof target, "%g", m.target);
    if (m.per != 1)
        snprintf(per, sizeof per, "%g", m.per);
    struct store_measure_input in = {m.name,   m.kind,   m.unit, m.direction, m.has_target,
                                     m.target, spc_chart_name(m.chart), m.per};
    int rc = measure_form(r, w, false, &in, target, per, NULL, NULL, NULL);
    store_measure_release(&m);
    return rc;
}

static int measure_update_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &change, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/measures/new", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = measure_org_new_page},
    {.method = "POST", .path = "/measures/new", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = measure_org_create_page},
    {.method = "GET", .path = "/projects/{id}/measures/new", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = measure_new_page, .load = WEB_LOAD_PROJECT},
    {.method = "POST", .path = "/projects/{id}/measures/new", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = measure_create_page},
    {.method = "GET", .path = "/measures/{id}/edit", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = measure_edit_page, .load = WEB_LOAD_MEASURE},
    {.method = "POST", .path = "/measures/{id}/edit", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = measure_update_page, .load = WEB_LOAD_MEASURE},
    {.method = "POST", .path = "/api/v1/projects/{id}/measures", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = add_project_api},
    {.method = "POST", .path = "/api/v1/measures", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = add_level_api},
    {.method = "POST", .path = "/api/v1/programmes/{programme}/measures", .role = ROLE_MEMBER, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = add_level_api},
    {.method = "PUT", .path = "/api/v1/measures/{id}", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = change_api, .load = WEB_LOAD_MEASURE},
};

WEB_FEATURE_ROUTES(web_measures_form, routes);
