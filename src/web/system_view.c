/* The system view (system_view.h): a set of organisations' own measures side by side, matched by
 * name (measures x organisations, each cell the latest value with its variation and assurance icons,
 * a link to the organisation's measure and its chart drawn small; an organisation with two measures
 * of one name shows the first, in the store's order), and a funnel plot of one proportion measure (P
 * or P' chart) across them: each one's latest point as numerator over denominator against the
 * pooled proportion, with the 95% and 99.8% limits of spc_funnel (the same as purpose funnel
 * prints), drawn by the chart code (chart/funnel.h) as SVG and PNG. For a programme, its partners (/programmes/{programme}/system); for the installation,
 * every organisation (/system). As a page (system_view_page.c), an SVG and in the API. Who may read
 * it: anyone signed in, as a programme's summary (docs/api.md, "System view"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/funnel.h"
#include "core/num.h"
#include "web/system_view.h"
#include "core/banned.h"

void sys_release(struct sys_view *v)
{
    for (size_t i = 0; v->measures && i < v->orgs.n; i++)
        web_org_measures_release(&v->measures[i]);
    free(v->measures);
    free(v->names);
    store_org_list_release(&v->orgs);
    memset(v, 0, sizeof *v);
}

int sys_load(struct web_req *r, struct sys_view *v, struct purpose_err *err)
{
    memset(v, 0, sizeof *v);
    struct store_org def = {0};
    if (store_org_default(r->ctx->store, &def, err) < 0)
        return -1;
    v->def_id = def.id;
    store_org_release(&def);
    v->programme = r->programme.id != 0;
    if ((v->programme ? store_programme_partners(r->ctx->store, r->programme.id, &v->orgs, err)
                      : store_org_list(r->ctx->store, &v->orgs, err)) < 0)
        return -1;
    v->measures = calloc(v->orgs.n ? v->orgs.n : 1, sizeof *v->measures);
    v->names = calloc(SYS_NAMES_MAX, sizeof *v->names);
    if (!v->measures || !v->names) {
        sys_release(v);
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory loading the system view");
    }
    for (size_t i = 0; i < v->orgs.n; i++) {
        struct store_measure_list ml;
        struct store_measure_data_list dl;
        int64_t org = v->orgs.items[i].id;
        if (store_measure_list(r->ctx->store, STORE_ORG_SCOPE(org), 0, &ml, err) < 0) {
            sys_release(v);
            return -1;
        }
        if (store_points_all(r->ctx->store, STORE_ORG_SCOPE(org), &dl, err) < 0) {
            store_measure_list_release(&ml);
            sys_release(v);
            return -1;
        }
        if (web_org_measures_build(&ml, &dl, &v->measures[i], err) < 0) {
            sys_release(v);
            return -1;
        }
        for (size_t m = 0; m < v->measures[i].n; m++) {
            const char *name = v->measures[i].items[m].m.name;
            size_t k = 0;
            while (k < v->n_names && strcmp(v->names[k], name) != 0)
                k++;
            if (k == v->n_names && v->n_names < SYS_NAMES_MAX)
                v->names[v->n_names++] = name;
        }
    }
    return 0;
}

const struct web_mseries *sys_find(const struct sys_view *v, size_t i, const char *name)
{
    for (size_t m = 0; m < v->measures[i].n; m++)
        if (strcmp(v->measures[i].items[m].m.name, name) == 0)
            return &v->measures[i].items[m];
    return NULL;
}

static bool is_proportion(const struct web_mseries *ms)
{
    return ms && (ms->m.chart == SPC_CHART_P || ms->m.chart == SPC_CHART_PP);
}

bool sys_is_proportion(const struct sys_view *v, const char *name)
{
    for (size_t i = 0; i < v->orgs.n; i++)
        if (is_proportion(sys_find(v, i, name)))
            return true;
    return false;
}

void sys_measure_href(const struct sys_view *v, size_t i, int64_t id, char *out, size_t n)
{
    const struct store_org *o = &v->orgs.items[i];
    if (o->id == v->def_id)
        snprintf(out, n, "/measures/%lld", (long long)id);
    else
        snprintf(out, n, "/organisations/%s/measures/%lld", o->slug, (long long)id);
}

const char *sys_who(const struct sys_view *v)
{
    return v->programme ? "partner of this programme" : "organisation";
}

/* ---- the funnel -------------------------------------------------------------------------------- */

void sys_funnel_release(struct sys_funnel *f)
{
    free(f->org);
    free(f->day);
    free(f->num);
    free(f->den);
    free(f->pt);
    memset(f, 0, sizeof *f);
}

int sys_funnel_build(struct web_req *r, const struct sys_view *v, const char *name, struct sys_funnel *f,
                     struct purpose_err *err)
{
    memset(f, 0, sizeof *f);
    /* ?period=DATE: each organisation's point of that day, in place of its latest. */
    char given[32] = "", period[11] = "";
    if (r->arg && r->arg(r->conn, "period") &&
        (web_query_get(r, "period", given, sizeof given) < 0 || store_day_parse(given, strlen(given), period) < 0))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "period", "period: is not a date (YYYY-MM-DD or dd/mm/yyyy)");
    size_t cap = v->orgs.n ? v->orgs.n : 1;
    f->org = calloc(cap, sizeof *f->org);
    f->day = calloc(cap, sizeof *f->day);
    f->num = calloc(cap, sizeof *f->num);
    f->den = calloc(cap, sizeof *f->den);
    f->pt = calloc(cap, sizeof *f->pt);
    if (!f->org || !f->day || !f->num || !f->den || !f->pt) {
        sys_funnel_release(f);
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory building a funnel");
    }
    for (size_t i = 0; i < v->orgs.n; i++) {
        const struct web_mseries *ms = sys_find(v, i, name);
        if (!is_proportion(ms) || ms->pts.n == 0)
            continue;
        const struct store_point *p = &ms->pts.items[ms->pts.n - 1];
        if (period[0]) {
            size_t k = 0;
            while (k < ms->pts.n && strcmp(ms->pts.items[k].day, period) != 0)
                k++;
            if (k == ms->pts.n)
                continue;
            p = &ms->pts.items[k];
        }
        /* Counts: a stored P-chart point is a whole number of a whole denominator. */
        if (!p->has_den || p->den < 0 || p->value < 0 || p->value > p->den || p->den > 9e15)
            continue;
        f->org[f->n] = i;
        f->day[f->n] = p->day;
        f->num[f->n] = (uint64_t)llround(p->value);
        f->den[f->n] = (uint64_t)llround(p->den);
        f->n++;
    }
    if (f->n == 0) {
        sys_funnel_release(f);
        return purpose_errk(err, PURPOSE_ERR_NOT_FOUND, "measure",
                            "measure: no %s has a proportion (P or P' chart) measure called \"%s\" with points%s%s",
                            sys_who(v), name, period[0] ? " on " : "", period);
    }
    if (spc_funnel(f->num, f->den, f->n, NULL, &f->theta, f->pt, err) < 0) {
        sys_funnel_release(f);
        return -1;
    }
    return 0;
}

static json_t *num_or_null(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

static json_t *funnel_json(const struct sys_view *v, const char *name, const struct sys_funnel *f)
{
    json_t *units = json_array();
    for (size_t k = 0; k < f->n; k++) {
        const struct spc_funnel_point *q = &f->pt[k];
        const struct store_org *o = &v->orgs.items[f->org[k]];
        json_array_append_new(
            units, json_pack("{s:s,s:s,s:s,s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:s}", "organisation", o->slug, "ods_code",
                             o->ods_code ? o->ods_code : "", "day", f->day[k], "numerator", (json_int_t)f->num[k],
                             "denominator", (json_int_t)f->den[k], "proportion", num_or_null(q->proportion),
                             "lower_998", num_or_null(q->lim.lo998), "lower_95", num_or_null(q->lim.lo95), "upper_95",
                             num_or_null(q->lim.hi95), "upper_998", num_or_null(q->lim.hi998), "place",
                             spc_funnel_place_name(q->place)));
    }
    return json_pack("{s:s,s:f,s:o}", "measure", name, "target", f->theta, "units", units);
}

/* The funnel drawn by the chart code (chart/funnel.h) as SVG or PNG into b: each organisation a
 * dot labelled with its ODS code (or its slug), its name in the tooltip. */
static int funnel_draw(struct buf *b, const struct sys_view *v, const char *name, const struct sys_funnel *f, bool png,
                       struct purpose_err *err)
{
    const char **label = calloc(f->n ? f->n : 1, sizeof *label), **full = calloc(f->n ? f->n : 1, sizeof *full);
    int rc = label && full ? 0 : purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory drawing a funnel");
    for (size_t k = 0; rc == 0 && k < f->n; k++) {
        const struct store_org *o = &v->orgs.items[f->org[k]];
        label[k] = o->ods_code && o->ods_code[0] ? o->ods_code : o->slug;
        full[k] = o->name;
    }
    const struct chart_funnel cf = {.title = name, .n = f->n, .label = label, .name = full, .num = f->num,
                                    .den = f->den, .pt = f->pt, .theta = f->theta};
    if (rc == 0)
        rc = png ? chart_funnel_png(b, &cf, err) : chart_funnel_svg(b, &cf, err);
    free(label);
    free(full);
    return rc;
}

/* A query value percent-encoded (RFC 3986 unreserved bytes kept). */
static void url_esc(struct buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~", c))
            buf_putc(b, (char)c);
        else
            buf_printf(b, "%%%02X", c);
    }
}

void sys_href(struct web_req *r, struct buf *b, const char *tail, const char *measure)
{
    /* The installation's routes are not an organisation's, so the reverse router does not move
     * them under a programme: the programme's own is named. */
    char pattern[80], path[160];
    snprintf(pattern, sizeof pattern, "%s/system%s", r->programme.id ? "/programmes/{programme}" : "", tail);
    buf_puts(b, web_href(r, path, sizeof path, pattern, r->programme.slug));
    buf_puts(b, "?measure=");
    url_esc(b, measure);
}

/* ?measure=: 0 with the name in out ("" when not given), or -1 with a not-found error when it is
 * longer than any measure's name can be. */
static int measure_param(struct web_req *r, char *out, size_t n, struct purpose_err *err)
{
    out[0] = '\0';
    if (web_query_get(r, "measure", out, n) < 0 && r->arg && r->arg(r->conn, "measure"))
        return purpose_errk(err, PURPOSE_ERR_NOT_FOUND, "measure", "measure: no measure has a name that long");
    return 0;
}

/* ---- the image and the API ---------------------------------------------------------------------- */

/* funnel.svg and funnel.png: the same drawing. */
static int funnel_image(struct web_req *r, struct web_resp *w, bool png, struct purpose_err *err)
{
    char measure[STORE_TITLE_MAX + 1];
    if (measure_param(r, measure, sizeof measure, err) < 0)
        return web_fail(r, w, err);
    struct sys_view v;
    if (sys_load(r, &v, err) < 0)
        return -1;
    struct sys_funnel f;
    int rc = measure[0] ? sys_funnel_build(r, &v, measure, &f, err)
                        : purpose_errk(err, PURPOSE_ERR_INPUT, "measure", "measure: is missing: name a proportion measure");
    if (rc == 0) {
        rc = funnel_draw(&w->body, &v, measure, &f, png, err);
        sys_funnel_release(&f);
        if (rc < 0) { /* drawing failed (cairo missing, out of memory): an internal error */
            sys_release(&v);
            return -1;
        }
        w->content_type = png ? "image/png" : "image/svg+xml";
    }
    sys_release(&v);
    return rc < 0 ? web_fail(r, w, err) : 0;
}

static int funnel_svg_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return funnel_image(r, w, false, err);
}

static int funnel_png_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return funnel_image(r, w, true, err);
}

static int system_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char measure[STORE_TITLE_MAX + 1];
    if (measure_param(r, measure, sizeof measure, err) < 0)
        return web_fail(r, w, err);
    struct sys_view v;
    if (sys_load(r, &v, err) < 0)
        return -1;
    json_t *orgs = json_array();
    for (size_t i = 0; i < v.orgs.n; i++) {
        const struct store_org *o = &v.orgs.items[i];
        json_array_append_new(orgs, json_pack("{s:s,s:s,s:s}", "slug", o->slug, "name", o->name, "ods_code",
                                              o->ods_code ? o->ods_code : ""));
    }
    json_t *rows = json_array();
    for (size_t k = 0; k < v.n_names; k++) {
        json_t *cells = json_object();
        for (size_t i = 0; i < v.orgs.n; i++) {
            const struct web_mseries *ms = sys_find(&v, i, v.names[k]);
            if (ms)
                json_object_set_new(cells, v.orgs.items[i].slug, web_mseries_json(ms, false));
        }
        json_array_append_new(rows, json_pack("{s:s,s:o}", "name", v.names[k], "organisations", cells));
    }
    json_t *out = json_pack("{s:o,s:o}", "organisations", orgs, "measures", rows);
    int rc = 0;
    if (measure[0]) {
        struct sys_funnel f;
        if ((rc = sys_funnel_build(r, &v, measure, &f, err)) == 0) {
            json_object_set_new(out, "funnel", funnel_json(&v, measure, &f));
            sys_funnel_release(&f);
        }
    }
    sys_release(&v);
    if (rc < 0) {
        json_decref(out);
        return web_fail(r, w, err);
    }
    web_json(w, 200, out);
    return 0;
}

/* The same handlers answer a programme (its partners) and the installation (every organisation). */
static const struct web_route routes[] = {
    {.method = "GET", .path = "/system", .role = ROLE_CONTRIBUTOR, .handler = sys_page},
    {.method = "GET", .path = "/system/funnel.svg", .role = ROLE_CONTRIBUTOR, .handler = funnel_svg_page},
    {.method = "GET", .path = "/system/funnel.png", .role = ROLE_CONTRIBUTOR, .handler = funnel_png_page},
    {.method = "GET", .path = "/api/v1/system", .role = ROLE_CONTRIBUTOR, .kind = WEB_API, .handler = system_api},
    {.method = "GET", .path = "/programmes/{programme}/system", .role = ROLE_CONTRIBUTOR, .scope = WEB_PROGRAMME, .handler = sys_page},
    {.method = "GET", .path = "/programmes/{programme}/system/funnel.svg", .role = ROLE_CONTRIBUTOR, .scope = WEB_PROGRAMME, .handler = funnel_svg_page},
    {.method = "GET", .path = "/programmes/{programme}/system/funnel.png", .role = ROLE_CONTRIBUTOR, .scope = WEB_PROGRAMME, .handler = funnel_png_page},
    {.method = "GET", .path = "/api/v1/programmes/{programme}/system", .role = ROLE_CONTRIBUTOR, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = system_api},
};

WEB_FEATURE_ROUTES(web_system_view, routes);
