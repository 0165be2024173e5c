/* The shared edit pages and API writes of values and themes (named.h). */
#include <stdio.h>
#include <stdlib.h>

#include "web/action.h"
#include "web/confirm.h"
#include "web/kit.h"
#include "web/named.h"
#include "core/banned.h"

#define B (&w->body)

static void named_form(struct web_req *r, struct web_resp *w, const struct web_named *k, int64_t id,
                       const char *text, const char *desc, const struct purpose_err *fe)
{
    char title[64], action[96];
    snprintf(title, sizeof title, id ? "Edit a %s" : "Add a %s", k->noun);
    if (id)
        snprintf(action, sizeof action, "%s/%lld/edit", k->base, (long long)id);
    else
        snprintf(action, sizeof action, "%s/new", k->base);
    html_begin(r, w, title);
    kit_narrow_open(w);
    kit_back_link(w, "/strategy", "Back to strategy");
    kit_error_summary(w, fe);
    buf_puts(B, "<h1>");
    html_esc(B, title);
    buf_puts(B, "</h1>");
    kit_form_open(r, w, action);
    kit_input(w, fe, &(struct kit_field){.name = k->field, .label = k->label, .value = text});
    kit_textarea(w, fe, &(struct kit_field){.name = "description", .label = "Description", .value = desc, .rows = 4});
    kit_button(w, "Save", false);
    kit_form_close(w);
    if (id) {
        snprintf(action, sizeof action, "%s/%lld/delete", k->base, (long long)id);
        char label[64];
        snprintf(label, sizeof label, "Delete this %s", k->noun);
        buf_puts(B, "<p>");
        kit_link(w, action, label, NULL);
        buf_puts(B, "</p>");
    }
    kit_narrow_close(w);
    html_end(r, w);
}

int web_named_new_page(struct web_req *r, struct web_resp *w, const struct web_named *k)
{
    named_form(r, w, k, 0, "", "", NULL);
    return 0;
}

int web_named_edit_page(struct web_req *r, struct web_resp *w, const struct web_named *k, struct purpose_err *err)
{
    char *text, *desc;
    if (k->read(r, r->id, &text, &desc, err) < 0)
        return web_page_fail(r, w, err);
    named_form(r, w, k, r->id, text, desc, NULL);
    free(text);
    free(desc);
    return 0;
}

static int named_run(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                     struct purpose_err *err)
{
    const struct web_named *k = in->a->ctx;
    const char *text = web_in_s(in, k->field), *desc = web_in_s(in, "description");
    struct store_actor by = web_actor(r);
    return r->id ? k->update(r->ctx->store, &by, &r->scope, r->id, text, desc, err)
                 : k->add(r->ctx->store, &by, &r->scope, text, desc, &out->id, err);
}

static int named_form_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                            const struct purpose_err *fe, struct purpose_err *err)
{
    (void)err;
    const struct web_named *k = in->a->ctx;
    named_form(r, w, k, r->id, web_in_s(in, k->field), web_in_s(in, "description"), fe);
    return 0;
}

/* The action of adding (create) or changing a record of kind k: its text field and description. */
static int named_action(struct web_req *r, struct web_resp *w, const struct web_named *k, bool create,
                        struct purpose_err *err)
{
    const struct web_afield fields[] = {{.name = k->field, .required = true}, {.name = "description"}};
    const struct web_action a = {.fields = fields, .nfields = 2, .run = named_run, .form = named_form_again,
                                 .next = "/strategy", .done = create ? "strategy-added" : "strategy-saved",
                                 .answer = k->answer, .api_status = create ? 201 : 200, .ctx = k};
    return r->is_api ? web_action_api(r, w, &a, err) : web_action_page(r, w, &a, err);
}

int web_named_post_page(struct web_req *r, struct web_resp *w, const struct web_named *k, bool create,
                        struct purpose_err *err)
{
    return named_action(r, w, k, create, err);
}

int web_named_confirm_page(struct web_req *r, struct web_resp *w, const struct web_named *k, struct purpose_err *err)
{
    char *text, *desc;
    if (k->read(r, r->id, &text, &desc, err) < 0)
        return web_page_fail(r, w, err);
    char title[300], what[300], action[96], button[64];
    snprintf(title, sizeof title, "Delete the %s %s?", k->noun, text);
    snprintf(what, sizeof what, "the %s %s and its description", k->noun, text);
    snprintf(action, sizeof action, "%s/%lld/delete", k->base, (long long)r->id);
    snprintf(button, sizeof button, "Delete the %s", k->noun);
    const char *const lines[] = {what, k->also};
    web_confirm_page(r, w, &(struct web_confirm){.title = title, .action = action, .button = button,
                                                 .cancel = "/strategy", .goes = lines, .ngoes = k->also ? 2 : 1});
    free(text);
    free(desc);
    return 0;
}

/* Deleting a record of kind k, by page (after its confirmation) or API. */
static int named_delete(struct web_req *r, struct web_resp *w, const struct web_named *k, struct purpose_err *err)
{
    const struct web_action a = {.on_scoped = k->remove, .next = "/strategy", .done = "strategy-deleted"};
    return r->is_api ? web_action_api(r, w, &a, err) : web_action_page(r, w, &a, err);
}

int web_named_delete_page(struct web_req *r, struct web_resp *w, const struct web_named *k, struct purpose_err *err)
{
    return named_delete(r, w, k, err);
}

int web_named_write_api(struct web_req *r, struct web_resp *w, const struct web_named *k, bool create,
                        struct purpose_err *err)
{
    return named_action(r, w, k, create, err);
}

int web_named_delete_api(struct web_req *r, struct web_resp *w, const struct web_named *k, struct purpose_err *err)
{
    return named_delete(r, w, k, err);
}
