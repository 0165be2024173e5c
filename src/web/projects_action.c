/* A project's actions, declared once for the page (projects.c, projects_delete.c) and the API
 * (projects_api.c): registering and changing a project (its fields and the store's checks),
 * approving it, and deleting it (action.h). */
#include <stdio.h>

#include "web/action.h"
#include "web/improve.h"
#include "core/banned.h"

static int score_check(const char *name, const char *s, struct purpose_err *err)
{
    int x10;
    return store_score_parse(name, s, &x10, err);
}

static const struct web_afield fields[] = {
    {.name = "title", .required = true, .max = STORE_TITLE_MAX},
    {.name = "aim", .required = true, .max = STORE_TEXT_MAX},
    {.name = "team", .max = STORE_TEXT_MAX},
    {.name = "sponsor", .max = STORE_NAME_MAX},
    {.name = "status", .required = true},
    {.name = "score", .required = true, .number = true, .check = score_check},
    {.name = "start_date", .kind = WEB_F_DATE, .required = true, .label = "Start date"},
    {.name = "why_unaligned", .max = STORE_TEXT_MAX},
    {.name = "programme_id", .kind = WEB_F_INT, .min = 0, .max = INT64_MAX / 2},
    {.name = "ambitions", .kind = WEB_F_IDS, .form = "ambition", .max = STORE_LINKS_MAX},
    {.name = "aims", .kind = WEB_F_IDS, .form = "aim", .max = STORE_LINKS_MAX},
};

void web_project_input(const struct web_action_in *in, struct store_project_input *p)
{
    const struct web_aval *amb = web_in(in, "ambitions"), *aims = web_in(in, "aims");
    struct purpose_err ignored;
    *p = (struct store_project_input){
        .title = web_in_s(in, "title"), .aim = web_in_s(in, "aim"), .team = web_in_s(in, "team"),
        .sponsor = web_in_s(in, "sponsor"), .status = web_in_s(in, "status"),
        .start_date = web_in_s(in, "start_date"), .why_unaligned = web_in_s(in, "why_unaligned"),
        .programme_id = web_in_i(in, "programme_id"), .ambition_ids = amb->ids, .n_ambitions = amb->n,
        .aim_ids = aims->ids, .n_aims = aims->n};
    if (store_score_parse("score", web_in_s(in, "score"), &p->score_x10, &ignored) < 0)
        p->score_x10 = 0; /* shown again with no score chosen */
}

static int save(struct web_req *r, const struct web_action_in *in, struct web_action_out *out, struct purpose_err *err)
{
    struct store_project_input p;
    web_project_input(in, &p);
    struct store_actor by = web_actor(r);
    return r->id ? store_project_update(r->ctx->store, &by, &r->scope, r->id, &p, err)
                 : store_project_add(r->ctx->store, &by, &r->scope, &p, &out->id, err);
}

#define FIELDS .fields = fields, .nfields = sizeof fields / sizeof fields[0]

const struct web_action web_project_add = {FIELDS, .run = save, .form = web_project_form, .next = "/projects/{id}",
                                           .answer = web_project_answer, .api_status = 201};
const struct web_action web_project_change = {FIELDS, .run = save, .form = web_project_form,
                                              .next = "/projects/{id}", .done = "project-saved",
                                              .answer = web_project_answer};
const struct web_action web_project_approve = {.on_scoped = store_project_approve, .next = "/projects/{id}",
                                               .done = "project-approved",
                                               .answer = web_project_answer};
const struct web_action web_project_delete = {.on_scoped = store_project_delete, .next = "/projects", .done = "project-deleted"};
