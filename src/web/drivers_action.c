/* The actions of a driver diagram and its PDSA cycles, declared once for the pages (drivers.c,
 * drivers_delete.c) and the API (drivers_api.c): adding, changing, moving and deleting a node;
 * logging, changing and deleting a cycle (action.h). A page goes back to the node's or cycle's
 * project. */
#include <stdio.h>
#include <string.h>

#include "web/action.h"
#include "web/improve.h"
#include "core/banned.h"

/* The project node (or cycle) id belongs to, into out->next as its page at `anchor`. */
static int node_next(struct web_req *r, int64_t id, bool cycle, struct web_action_out *out, struct purpose_err *err)
{
    int64_t project;
    if (cycle) {
        struct store_pdsa c;
        if (store_pdsa_get(r->ctx->store, &r->scope, id, &c, err) < 0)
            return -1;
        project = c.project_id;
        store_pdsa_release(&c);
    } else {
        struct store_driver d;
        if (store_driver_get(r->ctx->store, &r->scope, id, &d, err) < 0)
            return -1;
        project = d.project_id;
        store_driver_release(&d);
    }
    snprintf(out->next, sizeof out->next, "/projects/%lld#%s", (long long)project, cycle ? "pdsa" : "driver-diagram");
    return 0;
}

/* ---- nodes -------------------------------------------------------------------------------------- */

static const struct web_afield add_fields[] = {
    {.name = "parent_id", .kind = WEB_F_INT, .min = 0, .max = INT64_MAX / 2},
    {.name = "text"},
    {.name = "child"}, /* a page's "add below it" input (its wording is "text" in the API) */
};

/* {id} is the project; parent_id 0 adds a primary driver, else a child of that node. */
static int add(struct web_req *r, const struct web_action_in *in, struct web_action_out *out, struct purpose_err *err)
{
    int64_t parent = web_in_i(in, "parent_id");
    bool child = parent && !r->is_api;
    struct store_actor by = web_actor(r);
    if (store_driver_add(r->ctx->store, &by, &r->scope, r->id, parent, web_in_s(in, child ? "child" : "text"),
                         &out->id, err) < 0) {
        if (child && err->field[0])
            snprintf(err->field, sizeof err->field, "child");
        return -1;
    }
    snprintf(out->next, sizeof out->next, "/projects/%lld#driver-diagram", (long long)r->id);
    return 0;
}

/* A primary driver is added from the project page, which has no form to show again. */
static int add_form(struct web_req *r, struct web_resp *w, const struct web_action_in *in, const struct purpose_err *fe,
                    struct purpose_err *err)
{
    struct store_driver d;
    int64_t parent = web_in_i(in, "parent_id");
    if (!parent || web_errors_find(w->errs, "parent_id"))
        return web_page_fail(r, w, fe);
    if (store_driver_get(r->ctx->store, &r->scope, parent, &d, err) < 0)
        return web_page_fail(r, w, err);
    int rc = web_driver_form(r, w, &d, d.text, web_in_s(in, "child"), fe);
    store_driver_release(&d);
    return rc;
}

static const struct web_afield text_field[] = {{.name = "text"}};

static int change(struct web_req *r, const struct web_action_in *in, struct web_action_out *out, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    if (node_next(r, r->id, false, out, err) < 0)
        return -1;
    return store_driver_update(r->ctx->store, &by, &r->scope, r->id, web_in_s(in, "text"), err);
}

static int change_form(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                       const struct purpose_err *fe, struct purpose_err *err)
{
    struct store_driver d;
    if (web_driver_take(r, &d, err) < 0)
        return web_page_fail(r, w, err);
    int rc = web_driver_form(r, w, &d, web_in_s(in, "text"), "", fe);
    store_driver_release(&d);
    return rc;
}

static const struct web_afield move_fields[] = {{.name = "direction", .required = true}};

/* Among its siblings, "up" or "down"; the API answers the project's diagram. */
static int move(struct web_req *r, const struct web_action_in *in, struct web_action_out *out, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    struct store_driver d;
    if (web_driver_take(r, &d, err) < 0)
        return -1;
    out->id = d.project_id;
    store_driver_release(&d);
    snprintf(out->next, sizeof out->next, "/projects/%lld#driver-diagram", (long long)out->id);
    return store_driver_move(r->ctx->store, &by, &r->scope, r->id, web_in_s(in, "direction"), err);
}

/* A node and everything below it, or a cycle. */
static int remove_one(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                      struct purpose_err *err)
{
    bool cycle = in->a == &web_pdsa_delete;
    struct store_actor by = web_actor(r);
    if (node_next(r, r->id, cycle, out, err) < 0)
        return -1;
    return (cycle ? store_pdsa_delete : store_driver_delete)(r->ctx->store, &by, &r->scope, r->id, err);
}

#define FIELDS(f) .fields = f, .nfields = sizeof f / sizeof f[0]

const struct web_action web_driver_add = {FIELDS(add_fields), .run = add, .form = add_form,
                                          .answer = web_driver_answer, .api_status = 201};
const struct web_action web_driver_change = {FIELDS(text_field), .run = change, .form = change_form,
                                             .answer = web_driver_answer};
const struct web_action web_driver_move = {FIELDS(move_fields), .run = move, .answer = web_diagram_answer};
const struct web_action web_driver_delete = {.run = remove_one, .done = "driver-deleted"};

/* ---- PDSA cycles -------------------------------------------------------------------------------- */

static const struct web_afield pdsa_fields[] = {
    {.name = "title", .required = true, .max = STORE_TITLE_MAX},
    {.name = "plan", .max = STORE_TEXT_MAX},
    {.name = "prediction", .max = STORE_TEXT_MAX},
    {.name = "do_notes", .max = STORE_TEXT_MAX},
    {.name = "study", .max = STORE_TEXT_MAX},
    {.name = "act"},
    {.name = "start_date", .kind = WEB_F_DATE, .required = true, .label = "Start date"},
    {.name = "end_date", .kind = WEB_F_DATE, .label = "End date"},
};

void web_pdsa_input(const struct web_action_in *in, struct store_pdsa_input *c)
{
    *c = (struct store_pdsa_input){web_in_s(in, "title"),    web_in_s(in, "plan"),  web_in_s(in, "prediction"),
                                   web_in_s(in, "do_notes"), web_in_s(in, "study"), web_in_s(in, "act"),
                                   web_in_s(in, "start_date"), web_in_s(in, "end_date")};
}

/* {id} is the change idea a new cycle tests, or the cycle changed. */
static int pdsa_save(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                     struct purpose_err *err)
{
    struct store_pdsa_input c;
    web_pdsa_input(in, &c);
    struct store_actor by = web_actor(r);
    bool create = in->a == &web_pdsa_add;
    if (create && node_next(r, r->id, false, out, err) < 0)
        return -1;
    if (!create && node_next(r, r->id, true, out, err) < 0)
        return -1;
    if (create) {
        size_t at = strcspn(out->next, "#");
        snprintf(out->next + at, sizeof out->next - at, "#pdsa");
        return store_pdsa_add(r->ctx->store, &by, &r->scope, r->id, &c, &out->id, err);
    }
    return store_pdsa_update(r->ctx->store, &by, &r->scope, r->id, &c, err);
}

const struct web_action web_pdsa_add = {FIELDS(pdsa_fields), .run = pdsa_save, .form = web_pdsa_form_again,
                                        .answer = web_pdsa_answer, .api_status = 201};
const struct web_action web_pdsa_change = {FIELDS(pdsa_fields), .run = pdsa_save, .form = web_pdsa_form_again,
                                           .answer = web_pdsa_answer};
const struct web_action web_pdsa_delete = {.run = remove_one, .done = "pdsa-deleted"};
