/* Measures at every level: where a measure belongs (a project, one of the organisation's ambitions,
 * or the organisation as a whole), chosen when a strategy measure is added and changed by moving it
 * (its points, rebases and chart go with it). The form's choice and the API's members both end in a
 * store_measure_owner; the rules (each of the organisation, never two) are the store's alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/action.h"
#include "web/improve.h"
#include "core/banned.h"

#define B (&w->body)

const char *web_measure_level(const struct store_measure *m)
{
    if (m->programme_id)
        return m->aim_id ? "aim" : "programme";
    return m->project_id ? "project" : m->ambition_id ? "ambition" : "organisation";
}

int web_measure_owner_parse(const char *v, struct store_measure_owner *to, struct purpose_err *err)
{
    memset(to, 0, sizeof *to);
    if (!v || !v[0] || strcmp(v, "organisation") == 0)
        return 0;
    const char *id = NULL;
    int64_t *into = NULL;
    if (strncmp(v, "ambition:", 9) == 0) {
        id = v + 9;
        into = &to->ambition_id;
    } else if (strncmp(v, "project:", 8) == 0) {
        id = v + 8;
        into = &to->project_id;
    }
    long n;
    if (!id || web_parse_long(id, "owner", 1, STORE_ID_MAX, &n, err) < 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "owner",
                            "owner: choose the organisation, one of its ambitions or one of its projects");
    *into = n;
    return 0;
}

int web_measure_owner_in(const struct web_req *r, const struct web_action_in *in, struct store_measure_owner *to,
                         struct purpose_err *err)
{
    if (!r->is_api)
        return web_measure_owner_parse(web_in_s(in, "owner"), to, err);
    *to = (struct store_measure_owner){web_in_i(in, "project_id"), web_in_i(in, "ambition_id"), web_in_i(in, "aim_id")};
    return 0;
}

int web_measure_owners_load(struct web_req *r, bool projects, struct web_measure_owners *o, struct purpose_err *err)
{
    memset(o, 0, sizeof *o);
    if (store_load_themes(r->ctx->store, STORE_ORG_SCOPE(r->org.id), &o->themes, &o->ambitions, err) < 0)
        return -1;
    if (projects && store_project_list(r->ctx->store, STORE_ORG_SCOPE(r->org.id), NULL, &o->projects, err) < 0) {
        web_measure_owners_release(o);
        return -1;
    }
    return 0;
}

void web_measure_owners_release(struct web_measure_owners *o)
{
    store_theme_list_release(&o->themes);
    store_ambition_list_release(&o->ambitions);
    store_project_list_release(&o->projects);
}

void web_measure_owner_select(struct web_resp *w, const struct purpose_err *fe, const struct web_measure_owners *o,
                              const struct store_measure_owner *cur)
{
    kit_select_open(w, fe && strcmp(fe->field, "owner") == 0 ? fe : NULL,
                    &(struct kit_field){.name = "owner", .label = "Belongs to",
                                        .hint = "An ambition's measures are the strategy's own; a project's measure "
                                                "shows how its changes work"});
    kit_select_option(w, "organisation", "The organisation as a whole", !cur->project_id && !cur->ambition_id);
    char value[48], label[STORE_TITLE_MAX + 32];
    for (size_t i = 0; i < o->ambitions.n; i++) {
        snprintf(value, sizeof value, "ambition:%lld", (long long)o->ambitions.items[i].id);
        snprintf(label, sizeof label, "Ambition: %s", o->ambitions.items[i].title);
        kit_select_option(w, value, label, cur->ambition_id == o->ambitions.items[i].id);
    }
    for (size_t i = 0; i < o->projects.n; i++) {
        snprintf(value, sizeof value, "project:%lld", (long long)o->projects.items[i].id);
        snprintf(label, sizeof label, "Project: %s", o->projects.items[i].title);
        kit_select_option(w, value, label, cur->project_id == o->projects.items[i].id);
    }
    kit_select_close(w);
}

bool web_measure_may_move(struct web_req *r, int64_t id)
{
    char action[64];
    snprintf(action, sizeof action, "/measures/%lld/move", (long long)id);
    return web_may(r, "POST", action);
}

void web_measure_move_form(struct web_req *r, struct web_resp *w, const struct store_measure *m,
                           const struct web_measure_owners *o, const struct purpose_err *fe)
{
    char action[64];
    snprintf(action, sizeof action, "/measures/%lld/move", (long long)m->id);
    buf_puts(B, "<h2 id=\"move\">Move this measure</h2><p>To another project, one of our ambitions or the "
                "organisation as a whole. Its points, rebases and chart go with it.</p>");
    kit_form_open(r, w, action);
    struct store_measure_owner cur = {m->project_id, m->ambition_id, 0};
    web_measure_owner_select(w, fe, o, &cur);
    kit_button(w, "Move", true);
    kit_form_close(w);
}
