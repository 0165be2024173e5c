/* The well-led self-assessment as JSON (docs/api.md): the eight statements with their evidence,
 * current rating and gaps; a statement's rating history; and a lead's new rating. */
#include <stdio.h>
#include <string.h>

#include "web/action.h"
#include "web/wellled.h"
#include "core/banned.h"

static json_t *rating_json(const struct store_wl_rating *rt)
{
    json_t *projects = json_array();
    for (size_t i = 0; i < rt->n_projects; i++)
        web_jpush(&projects, json_pack("{s:I, s:s}", "id", (json_int_t)rt->project_ids[i], "title",
                                       rt->project_titles[i]));
    return json_pack("{s:I, s:i, s:s, s:s, s:s, s:s, s:s, s:I, s:o}", "id", (json_int_t)rt->id, "statement",
                     rt->statement, "rating", rt->rating, "label", store_wl_rating_label(rt->rating), "narrative",
                     rt->narrative, "actions", rt->actions, "by", rt->actor, "at", (json_int_t)rt->at, "projects",
                     projects);
}

static json_t *evidence_json(const struct web_req *r, const struct store_wl_evidence *e)
{
    json_t *links = json_array();
    for (size_t i = 0; i < e->n_links; i++) {
        char href[400];
        web_wl_href(r, &e->links[i], href, sizeof href);
        web_jpush(&links, json_pack("{s:s, s:s}", "label", e->links[i].label, "href", href));
    }
    return json_pack("{s:s, s:s, s:s, s:I, s:s, s:o}", "kind", e->key, "title", e->title, "category", e->category,
                     "count", (json_int_t)e->count, "text", e->text, "links", links);
}

int web_wl_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct web_wl a;
    if (web_wl_load(r, 0, &a, err) < 0)
        return -1;
    json_t *statements = json_array(), *none = json_array(), *unrated = json_array();
    for (int n = 1; n <= STORE_WL_STATEMENTS; n++) {
        const struct store_wl_statement *st = store_wl_statement(n);
        const struct store_wl_rating *rt = web_wl_current(&a, n);
        bool has = store_wl_has_evidence(&a.ev, n);
        json_t *ev = json_array();
        for (size_t i = 0; i < a.ev.n; i++)
            if ((a.ev.items[i].statements & (1u << (n - 1))) && a.ev.items[i].count)
                web_jpush(&ev, evidence_json(r, &a.ev.items[i]));
        web_jpush(&statements, json_pack("{s:i, s:s, s:s, s:s, s:b, s:o, s:o}", "number", n, "slug", st->slug, "title",
                                         st->title, "we_statement", st->we, "has_evidence", has, "evidence", ev,
                                         "rating", rt ? rating_json(rt) : json_null()));
        if (!has)
            web_jpush(&none, json_string(st->title));
        if (!rt)
            web_jpush(&unrated, json_string(st->title));
    }
    web_wl_release(&a);
    web_json(w, 200, json_pack("{s:s, s:s, s:o, s:o, s:o}", "organisation", r->org.slug, "name", r->org.name,
                               "statements", statements, "no_evidence", none, "not_rated", unrated));
    return 0;
}

int web_wl_ratings_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    int rc = 0;
    const struct store_wl_statement *st = web_wl_statement(r, w, &rc);
    if (!st)
        return rc;
    struct store_wl_rating_list l;
    if (store_wl_ratings(r->ctx->store, &r->scope, st->number, &l, err) < 0)
        return web_api_fail(w, err);
    json_t *a = json_array();
    for (size_t i = 0; i < l.n; i++)
        web_jpush(&a, rating_json(&l.items[i]));
    store_wl_rating_list_release(&l);
    web_json(w, 200, json_pack("{s:i, s:s, s:o}", "statement", st->number, "title", st->title, "ratings", a));
    return 0;
}

/* Rating id of statement {id}, as the API shows it. */
int web_wl_rating_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct store_wl_rating_list l;
    if (store_wl_ratings(r->ctx->store, &r->scope, (int)r->id, &l, err) < 0)
        return web_api_fail(w, err);
    size_t i = 0;
    while (i < l.n && l.items[i].id != id)
        i++;
    if (i < l.n)
        web_json(w, status, rating_json(&l.items[i]));
    else
        web_fail_saved(r, w);
    store_wl_rating_list_release(&l);
    return 0;
}

/* {"rating", "narrative", "actions"?, "projects"?: [ids]}: a new rating of the statement, 201 with it
 * (web_wl_rate). */
int web_wl_rate_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    int rc = 0;
    if (!web_wl_statement(r, w, &rc))
        return rc;
    return web_action_api(r, w, &web_wl_rate, err);
}
