/* A programme's line of sight: its shared purpose, its aims with the programme's own measures of each
 * (and of the whole programme), and each partner organisation's projects serving each aim with their
 * measures' current icons, so every partner sees how its work serves the shared purpose. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/improve.h"
#include "core/banned.h"

#define B (&w->body)

/* The link prefix of an organisation's pages: "" for the installation's first. */
static void org_prefix(int64_t def_id, const struct store_org *o, char *out, size_t n)
{
    if (o->id == def_id)
        out[0] = '\0';
    else
        snprintf(out, n, "/organisations/%s", o->slug);
}

static int partner_work(struct web_req *r, struct web_resp *w, const struct store_org *o, const char *prefix,
                        int64_t aim, struct purpose_err *err)
{
    struct store_project_list pl;
    if (store_project_list(r->ctx->store, STORE_ORG_SCOPE(o->id), NULL, &pl, err) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < pl.n && rc == 0; i++) {
        const struct store_project *p = &pl.items[i];
        bool serves = false;
        for (size_t k = 0; k < p->n_aims; k++)
            serves |= p->aim_ids[k] == aim;
        if (!serves)
            continue;
        char href[160];
        snprintf(href, sizeof href, "%s/projects/%lld", prefix, (long long)p->id);
        buf_puts(B, "<li>");
        kit_link(w, href, p->title, NULL);
        buf_puts(B, " <span class=\"nhsuk-body-s\">");
        html_esc(B, o->name);
        buf_puts(B, "</span>");
        struct store_measure_list ml;
        if ((rc = store_measure_list(r->ctx->store, STORE_ORG_SCOPE(o->id), p->id, &ml, err)) < 0)
            break;
        if (ml.n)
            buf_puts(B, "<ul class=\"app-measures\">");
        for (size_t m = 0; m < ml.n && rc == 0; m++) {
            struct web_mseries ms;
            if ((rc = web_mseries_load_in(r, STORE_ORG_SCOPE(o->id), ml.items[m].id, &ms, err)) < 0)
                break;
            snprintf(href, sizeof href, "%s/measures/%lld", prefix, (long long)ms.m.id);
            web_mseries_item(w, &ms, href);
            web_mseries_release(&ms);
        }
        if (ml.n)
            buf_puts(B, "</ul>");
        store_measure_list_release(&ml);
        buf_puts(B, "</li>");
    }
    store_project_list_release(&pl);
    return rc;
}

static int sight_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_statement purpose = {0};
    bool has = store_statement_current(r->ctx->store, web_scope(r), "purpose", &purpose, err) == 0;
    if (!has && err->kind != PURPOSE_ERR_NOT_FOUND)
        return -1;
    struct store_aim_list al = {0};
    struct store_org_list ol = {0};
    struct store_org def = {0};
    struct store_measure_list own = {0}; /* the programme's own measures, shown under their aims */
    int rc = store_aim_list(r->ctx->store, r->programme.id, &al, err);
    if (rc == 0)
        rc = store_measure_list(r->ctx->store, &(struct store_scope){STORE_SCOPE_PROGRAMME, r->programme.id}, 0, &own, err);
    if (rc == 0)
        rc = store_programme_partners(r->ctx->store, r->programme.id, &ol, err);
    if (rc == 0)
        rc = store_org_default(r->ctx->store, &def, err);
    if (rc == 0) {
        char back[96];
        web_href(r, back, sizeof back, "/programmes/{programme}", r->programme.slug);
        html_begin(r, w, "Line of sight");
        kit_back_link(w, back, r->programme.name);
        buf_puts(B, "<span class=\"nhsuk-caption-l\">");
        html_esc(B, r->programme.name);
        buf_puts(B, "</span><h1>Line of sight</h1><p>");
        web_href(r, back, sizeof back, "/programmes/{programme}/projects", r->programme.slug);
        kit_link(w, back, "Improvement projects", NULL);
        buf_puts(B, " &middot; ");
        web_href(r, back, sizeof back, "/programmes/{programme}/summary", r->programme.slug);
        kit_link(w, back, "Performance summary", NULL);
        buf_puts(B, "</p><h2>Our shared purpose</h2>");
        if (has)
            kit_paragraphs(w, purpose.text, "nhsuk-body-l");
        else
            buf_puts(B, "<p>Not written yet.</p>");
        bool whole = false; /* a measure of the whole programme: a heading of its own */
        for (size_t i = 0; i < own.n; i++)
            whole |= own.items[i].aim_id == 0;
        if (whole) {
            buf_puts(B, "<h2>The programme as a whole</h2>");
            rc = web_programme_aim_measures(r, w, &own, 0, err);
        }
        for (size_t a = 0; a < al.n && rc == 0; a++) {
            buf_puts(B, "<h2>");
            html_esc(B, al.items[a].title);
            buf_puts(B, "</h2>");
            if ((rc = web_programme_aim_measures(r, w, &own, al.items[a].id, err)) < 0)
                break;
            buf_puts(B, "<ul class=\"app-projects\">");
            size_t mark = w->body.len;
            for (size_t o = 0; o < ol.n && rc == 0; o++) {
                char prefix[96];
                org_prefix(def.id, &ol.items[o], prefix, sizeof prefix);
                rc = partner_work(r, w, &ol.items[o], prefix, al.items[a].id, err);
            }
            if (w->body.len == mark)
                buf_puts(B, "<li>No partner's project serves this aim yet.</li>");
            buf_puts(B, "</ul>");
        }
        html_end(r, w);
    }
    store_measure_list_release(&own);
    store_org_release(&def);
    store_org_list_release(&ol);
    store_aim_list_release(&al);
    store_statement_release(&purpose);
    return rc;
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/programmes/{programme}/line-of-sight", .role = ROLE_CONTRIBUTOR, .scope = WEB_PROGRAMME, .handler = sight_page},
};

WEB_FEATURE_ROUTES(web_programme_sight, routes);
