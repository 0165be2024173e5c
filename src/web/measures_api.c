/* A measure's points as CSV (the file an upload takes back). The measure API's writes are actions
 * (action.h) beside their pages: measures_form.c (add, change), measures.c (move, points, rebases),
 * measures_delete.c and rebases.c (deleting a measure, a point, a rebase). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/improve.h"
#include "core/banned.h"

/* The points as "date,value[,denominator]" rows by day, the file an upload takes back and purpose spc
 * --x date --y value [--denominator denominator] reads (the measure's chart is the same). */
static int points_csv(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_measure m;
    struct store_point_list pts;
    if (web_measure_take(r, &m, err) < 0)
        return web_page_fail(r, w, err);
    if (store_points_list(r->ctx->store, &r->scope, r->id, &pts, err) < 0) {
        store_measure_release(&m);
        return web_page_fail(r, w, err);
    }
    bool den = spc_chart_needs_denominator(m.chart);
    w->content_type = "text/csv; charset=utf-8";
    buf_puts(&w->body, den ? "date,value,denominator\n" : "date,value\n");
    for (size_t i = 0; i < pts.n; i++) {
        const struct store_point *p = &pts.items[i];
        buf_printf(&w->body, "%s,%.17g", p->day, p->value);
        if (den && p->has_den)
            buf_printf(&w->body, ",%.17g", p->den);
        else if (den)
            buf_putc(&w->body, ',');
        buf_putc(&w->body, '\n');
    }
    store_point_list_release(&pts);
    store_measure_release(&m);
    return 0;
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/measures/{id}/points.csv", .role = ROLE_CONTRIBUTOR, .scope = WEB_ORG, .handler = points_csv, .load = WEB_LOAD_MEASURE},
};

WEB_FEATURE_ROUTES(web_measures_api, routes);
