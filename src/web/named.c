/* The shared edit pages and API writes of values and themes (named.h). */
#include <stdio.h>
#include <stdlib.h>

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

int web_named_post_page(struct web_req *r, struct web_resp *w, const struct web_named *k, bool create,
                        struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    const char *text = web_field(r, k->field), *desc = web_field(r, "description");
    int rc = create ? k->add(r->ctx->store, &by, r->org.id, text, desc, NULL, err)
                    : k->update(r->ctx->store, &by, r->org.id, r->id, text, desc, err);
    if (rc < 0) {
        if (!web_err_in_form(err))
            return web_page_fail(r, w, err);
        named_form(r, w, k, create ? 0 : r->id, text, desc, err);
        w->status = web_err_status(err->kind);
        return 0;
    }
    web_redirect(w, "/strategy");
    return 0;
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

int web_named_delete_page(struct web_req *r, struct web_resp *w, const struct web_named *k, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    if (k->remove(r->ctx->store, &by, r->org.id, r->id, err) < 0)
        return web_page_fail(r, w, err);
    web_redirect(w, "/strategy?done=strategy-deleted");
    return 0;
}

int web_named_write_api(struct web_req *r, struct web_resp *w, const struct web_named *k, bool create,
                        struct purpose_err *err)
{
    const char *text, *desc;
    struct store_actor by = web_actor(r);
    int64_t id = r->id;
    if (web_jstr(r, k->field, true, &text, err) < 0 || web_jstr(r, "description", false, &desc, err) < 0)
        return web_api_fail(w, err);
    int rc = create ? k->add(r->ctx->store, &by, r->org.id, text, desc, &id, err)
                    : k->update(r->ctx->store, &by, r->org.id, id, text, desc, err);
    if (rc < 0)
        return web_api_fail(w, err);
    return k->answer(r, w, id, create ? 201 : 200, err);
}

int web_named_delete_api(struct web_req *r, struct web_resp *w, const struct web_named *k, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    if (k->remove(r->ctx->store, &by, r->org.id, r->id, err) < 0)
        return web_api_fail(w, err);
    web_no_content(w);
    return 0;
}
