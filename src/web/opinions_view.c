/* Opinion groups' view (opinions_int.h): a conversation's grouped votes, what sets each group apart
 * and what unites them all, as the page draws them and as the API's JSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/opinions_int.h"
#include "core/banned.h"

void web_opview_release(struct web_opview *v)
{
    op_result_free(&v->r);
    if (v->have_export)
        op_export_release(&v->e);
    buf_release(&v->comments);
    buf_release(&v->votes);
}

int web_opview_build(struct web_req *r, int64_t campaign_id, struct web_opview *v, struct purpose_err *err)
{
    memset(v, 0, sizeof *v);
    buf_init(&v->comments, (size_t)1 << 30);
    buf_init(&v->votes, (size_t)1 << 30);
    struct store *s = r->ctx->store;
    struct store_scope sc = web_scope(r);
    if (store_opinions_since(s, &sc, campaign_id, &v->since, err) < 0)
        return -1;
    if (!v->since)
        return 0;
    if (store_opinions_polis(s, &sc, campaign_id, &v->comments, &v->votes, err) < 0)
        return -1;
    struct purpose_err e2 = {0};
    if (op_export_read(&v->e, "comments.csv", v->comments.data ? v->comments.data : "", v->comments.len, "votes.csv",
                       v->votes.data ? v->votes.data : "", v->votes.len, &e2) < 0)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "opinion groups: %s", e2.msg);
    v->have_export = true;
    struct op_opts o;
    op_opts_default(&o);
    o.min_group = MIN_GROUP;
    if (op_group_votes(&v->e.input, &o, &v->r, &e2) < 0) {
        if (e2.kind != PURPOSE_ERR_INPUT)
            return purpose_errk(err, e2.kind, NULL, "opinion groups: %s", e2.msg);
        snprintf(v->why, sizeof v->why, "%s", e2.msg);
    }
    return 0;
}

char web_opview_letter(size_t g)
{
    return (char)('A' + (g < 26 ? g : 25));
}

/* Statement j's text (moderated-out ones never reach here: they are not counted). */
const char *web_opview_text(const struct web_opview *v, uint32_t j)
{
    return v->e.text[j];
}

int web_opview_percent(uint32_t part, uint32_t whole)
{
    return whole ? (int)lround(100.0 * part / whole) : 0;
}

static int by_consensus(const void *a, const void *b)
{
    const struct web_opranked *x = a, *y = b;
    if (x->c != y->c)
        return x->c > y->c ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

/* The statements that unite the groups: the highest group-informed consensus, each agreed by more
 * than half of every group. n: how many found (at most UNITING_MAX). */
size_t web_opview_uniting(const struct web_opview *v, struct web_opranked out[UNITING_MAX])
{
    const struct op_result *r = v->r;
    size_t S = r->n_statements, n = 0;
    struct web_opranked *all = malloc((S ? S : 1) * sizeof *all);
    if (!all)
        return 0;
    size_t m = 0;
    for (size_t j = 0; j < S; j++) {
        if (v->e.excluded[j] || isnan(r->consensus[j]))
            continue;
        bool every = true;
        for (size_t g = 0; g < r->k && every; g++)
            every = 2 * r->agrees[g * S + j] > r->seen[g * S + j];
        if (every)
            all[m++] = (struct web_opranked){r->consensus[j], (uint32_t)j};
    }
    qsort(all, m, sizeof *all, by_consensus);
    for (size_t i = 0; i < m && n < UNITING_MAX; i++)
        out[n++] = all[i];
    free(all);
    return n;
}
/* ---- the API's JSON ---------------------------------------------------------------------------- */

static json_t *statement_json(const struct web_opview *v, uint32_t j)
{
    return json_pack("{s:I, s:s}", "id", (json_int_t)v->e.statement_id[j], "body", web_opview_text(v, j));
}

json_t *web_opview_json(const struct web_opview *v, int64_t id)
{
    json_t *j = json_pack("{s:I, s:b}", "conversation", (json_int_t)id, "on", v->since != 0);
    web_jset(&j, "since", v->since ? json_integer(v->since) : json_null());
    if (!v->r) {
        web_jset(&j, "too_few", v->since ? json_string(v->why) : json_null());
        web_jset(&j, "groups", json_array());
        web_jset(&j, "uniting", json_array());
        return j;
    }
    const struct op_result *r = v->r;
    size_t S = r->n_statements;
    web_jset(&j, "too_few", json_null());
    web_jset(&j, "grouped", web_count_json((int64_t)r->n_grouped));
    json_t *gs = json_array();
    for (size_t g = 0; g < r->k; g++) {
        char name[2] = {web_opview_letter(g), 0};
        json_t *x = json_pack("{s:s, s:f, s:f}", "group", name, "x", r->groups[g].cx, "y", r->groups[g].cy);
        web_jset(&x, "size", web_count_json(r->groups[g].size));
        json_t *reps = json_array();
        for (size_t i = 0; i < r->groups[g].n_reps; i++) {
            const struct op_rep *p = &r->groups[g].reps[i];
            json_t *s = statement_json(v, p->statement);
            web_jset(&s, "direction", json_string(p->agree ? "agree" : "disagree"));
            web_jset(&s, "percent", json_integer(web_opview_percent(p->n_success, p->n_trials)));
            web_jset(&s, "ratio", json_real(round(1000 * p->ratio) / 1000));
            web_jpush(&reps, s);
        }
        web_jset(&x, "representative", reps);
        web_jpush(&gs, x);
    }
    web_jset(&j, "groups", gs);
    struct web_opranked u[UNITING_MAX];
    size_t nu = web_opview_uniting(v, u);
    json_t *us = json_array();
    for (size_t i = 0; i < nu; i++) {
        json_t *s = statement_json(v, u[i].j);
        web_jset(&s, "consensus", json_real(round(1e4 * u[i].c) / 1e4));
        json_t *pc = json_array();
        for (size_t g = 0; g < r->k; g++)
            web_jpush(&pc, json_integer(web_opview_percent(r->agrees[g * S + u[i].j], r->seen[g * S + u[i].j])));
        web_jset(&s, "agree_percent", pc);
        web_jpush(&us, s);
    }
    web_jset(&j, "uniting", us);
    return j;
}
