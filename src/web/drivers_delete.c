/* Deleting a node of a driver diagram or a PDSA cycle: a page that says what will go, then the
 * delete, then the project page with a success banner (confirm.h). */
#include <stdio.h>
#include <stdlib.h>

#include "web/action.h"
#include "web/confirm.h"
#include "web/improve.h"
#include "core/banned.h"

/* Marks in below[] the node top and every node that hangs from it (l is depth-first, so a parent
 * comes before its children); answers how many hang from it, and in *cycles how many of cl test them. */
static size_t count_below(const struct store_driver_list *l, int64_t top, bool *below, const struct store_pdsa_list *cl,
                          size_t *cycles)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++) {
        below[i] = l->items[i].id == top;
        for (size_t j = 0; j < i && !below[i]; j++)
            below[i] = below[j] && l->items[j].id == l->items[i].parent_id;
        if (below[i] && l->items[i].id != top)
            n++;
    }
    *cycles = 0;
    for (size_t k = 0; k < cl->n; k++)
        for (size_t i = 0; i < l->n; i++)
            if (below[i] && l->items[i].id == cl->items[k].change_id)
                ++*cycles;
    return n;
}

static int driver_confirm(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_driver d;
    if (web_driver_take(r, &d, err) < 0)
        return web_page_fail(r, w, err);
    struct store_driver_list dl = {0};
    struct store_pdsa_list cl = {0};
    int rc = store_driver_list(r->ctx->store, &r->scope, d.project_id, &dl, err);
    if (rc == 0)
        rc = store_pdsa_list(r->ctx->store, &r->scope, d.project_id, &cl, err);
    bool *below = rc == 0 ? calloc(dl.n ? dl.n : 1, sizeof *below) : NULL;
    if (rc == 0 && !below)
        rc = purpose_errf(err, "out of memory");
    if (rc == 0) {
        size_t cycles, n = count_below(&dl, d.id, below, &cl, &cycles);
        char title[300], nodes[96], cyc[96], action[48], cancel[64];
        snprintf(title, sizeof title, "Delete \"%s\" from the driver diagram?", d.text);
        snprintf(nodes, sizeof nodes, "%zu %s below it", n, n == 1 ? "node" : "nodes");
        snprintf(cyc, sizeof cyc, "%zu PDSA %s testing its change ideas", cycles, cycles == 1 ? "cycle" : "cycles");
        snprintf(action, sizeof action, "/drivers/%lld/delete", (long long)d.id);
        snprintf(cancel, sizeof cancel, "/projects/%lld#driver-diagram", (long long)d.project_id);
        const char *const lines[] = {"this node", nodes, cyc};
        web_confirm_page(r, w, &(struct web_confirm){.title = title, .action = action, .button = "Delete it",
                                                     .cancel = cancel, .goes = lines, .ngoes = 3});
    }
    free(below);
    store_driver_list_release(&dl);
    store_pdsa_list_release(&cl);
    store_driver_release(&d);
    return rc;
}

static int driver_delete(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &web_driver_delete, err);
}

static int pdsa_confirm(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_pdsa c;
    if (store_pdsa_get(r->ctx->store, &r->scope, r->id, &c, err) < 0)
        return web_page_fail(r, w, err);
    char title[300], action[48], cancel[48];
    snprintf(title, sizeof title, "Delete the PDSA cycle \"%s\"?", c.title);
    snprintf(action, sizeof action, "/pdsa/%lld/delete", (long long)c.id);
    snprintf(cancel, sizeof cancel, "/pdsa/%lld/edit", (long long)c.id);
    const char *const lines[] = {"the cycle with its plan, prediction, what was done and what was learnt"};
    web_confirm_page(r, w, &(struct web_confirm){.title = title, .action = action, .button = "Delete the cycle",
                                                 .cancel = cancel, .goes = lines, .ngoes = 1});
    store_pdsa_release(&c);
    return 0;
}

static int pdsa_delete(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &web_pdsa_delete, err);
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/drivers/{id}/delete", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = driver_confirm, .load = WEB_LOAD_DRIVER},
    {.method = "POST", .path = "/drivers/{id}/delete", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = driver_delete, .load = WEB_LOAD_DRIVER,
     .confirm = driver_confirm},
    {.method = "GET", .path = "/pdsa/{id}/delete", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = pdsa_confirm},
    {.method = "POST", .path = "/pdsa/{id}/delete", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = pdsa_delete,
     .confirm = pdsa_confirm},
};

WEB_FEATURE_ROUTES(web_drivers_delete, routes);
