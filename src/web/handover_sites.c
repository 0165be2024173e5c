/* One hospital, two organisations (store/handovers.h): an organisation's sites and their codes
 * (the dashboard's list, a lead's form and the API), and a programme's reconciliation of two
 * partners' records of the same site, as a page, CSV and JSON. The rules are the store's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/action.h"
#include "web/handover_measures.h"
#include "web/kit.h"
#include "web/web_int.h"
#include "core/banned.h"

#define B (&w->body)
#define APART_DEFAULT 10

/* An instant as Europe/London wall time, YYYY-MM-DD HH:MM:SS; "" for none. */
static const char *local_time(int64_t ms, char out[24])
{
    if (ms == HO_NONE) {
        out[0] = '\0';
        return out;
    }
    int64_t local = ms + ho_london_offset(ms);
    int64_t day = local >= 0 ? local / HO_DAY_MS : -((-local + HO_DAY_MS - 1) / HO_DAY_MS);
    int64_t in_day = (local - day * HO_DAY_MS) / 1000;
    int y, m, d;
    ho_civil_from_days((int32_t)day, &y, &m, &d);
    snprintf(out, 24, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, (int)(in_day / 3600), (int)(in_day / 60 % 60),
             (int)(in_day % 60));
    return out;
}

/* ---- an organisation's sites ---- */

int web_ho_sites_section(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_ho_site_list l;
    if (store_ho_sites(r->ctx->store, r->scope, &l, err) < 0)
        return -1;
    buf_puts(B, "<h2>Site codes</h2><p>A site's code (as ODS codes are: 3 to 10 capital letters and digits) "
                "makes it one site with a partner's site of the same code in a programme's figures, each handover "
                "both of you recorded counted once. An import may carry it in a <code>site_code</code> column.</p>");
    static const char *const heads[] = {"Site", "Code"};
    kit_table_open(w, "Sites", heads, 2, NULL);
    for (size_t i = 0; i < l.n; i++) {
        kit_row_open(w);
        kit_cell(w, l.items[i].name);
        kit_cell(w, l.items[i].code[0] ? l.items[i].code : "-");
        kit_row_close(w);
    }
    kit_table_close(w);
    for (size_t i = 0; i < l.n; i++) {
        char href[120];
        web_href(r, href, sizeof href, "/handovers/sites/{id}", l.items[i].id);
        if (!web_may(r, "POST", href))
            break;
        char label[300];
        snprintf(label, sizeof label, "Code of %.250s", l.items[i].name);
        kit_form_open(r, w, href);
        char name[32]; /* one field id per site: the page holds a form for each */
        snprintf(name, sizeof name, "code-%lld", (long long)l.items[i].id);
        kit_input(w, NULL, &(struct kit_field){.name = name, .label = label, .value = l.items[i].code,
                                               .width = "nhsuk-input--width-10"});
        kit_button(w, "Save the code", true);
        kit_form_close(w);
    }
    store_ho_site_list_release(&l);
    return 0;
}

static json_t *site_json(const struct store_ho_site *x)
{
    return json_pack("{s:I, s:s, s:s?}", "id", (json_int_t)x->id, "name", x->name, "code",
                     x->code[0] ? x->code : NULL);
}

static int sites_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_ho_site_list l;
    if (store_ho_sites(r->ctx->store, r->scope, &l, err) < 0)
        return web_api_fail(w, err);
    json_t *a = json_array();
    for (size_t i = 0; a && i < l.n; i++)
        if (json_array_append_new(a, site_json(&l.items[i])) < 0) {
            json_decref(a);
            a = NULL;
        }
    store_ho_site_list_release(&l);
    if (!a)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
    web_json(w, 200, json_pack("{s:o}", "sites", a));
    return 0;
}

/* ---- a site's code (action.h): one declaration, the dashboard's form and PUT {"code"} ---- */

/* The dashboard holds a form per site, each field its own id (code-{id}); "code" as the API names
 * it. The API's code is required, a string, or null (or "") for none. */
static int code_save(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                     struct purpose_err *err)
{
    (void)out;
    const char *code = web_in_s(in, "code");
    if (r->is_api && !json_object_get(r->json, "code"))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "code", "code: required (a site code, or null for none)");
    if (!r->is_api) {
        char name[32];
        snprintf(name, sizeof name, "code-%lld", (long long)r->id);
        const char *own = web_form_get(&r->form, name);
        if (own)
            code = own;
    }
    struct store_actor by = web_actor(r);
    return store_ho_site_code_set(r->ctx->store, &by, &r->scope, r->id, code ? code : "", err);
}

static int code_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    struct store_ho_site_list l;
    if (store_ho_sites(r->ctx->store, r->scope, &l, err) < 0)
        return web_api_fail(w, err);
    for (size_t i = 0; i < l.n; i++)
        if (l.items[i].id == id)
            web_json(w, status, site_json(&l.items[i]));
    store_ho_site_list_release(&l);
    return 0;
}

/* The store checks the code itself (ho_site_code_valid), so no length is declared here. */
static const struct web_afield code_fields[] = {{.name = "code"}};
static const struct web_action site_code = {.fields = code_fields, .nfields = 1, .run = code_save,
                                            .next = "/handovers", .answer = code_answer};

static int site_code_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &site_code, err);
}

static int site_code_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &site_code, err);
}

/* ---- a programme's reconciliation ---- */

/* ?from, ?to (local dates) and ?apart (minutes, default APART_DEFAULT). */
static int recon_load(struct web_req *r, struct store_ho_recon *out, int *apart, struct purpose_err *err)
{
    char from_s[11] = "", to_s[11] = "", apart_s[8] = "";
    int32_t from = INT32_MIN, to = INT32_MAX;
    long a = APART_DEFAULT;
    if (web_query_get(r, "from", from_s, sizeof from_s) == 0 && from_s[0] &&
        ho_date_parse(from_s, strlen(from_s), &from) < 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "from", "from: \"%s\" is not a date (YYYY-MM-DD)", from_s);
    if (web_query_get(r, "to", to_s, sizeof to_s) == 0 && to_s[0] && ho_date_parse(to_s, strlen(to_s), &to) < 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "to", "to: \"%s\" is not a date (YYYY-MM-DD)", to_s);
    if (from > to)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "from", "from: is after to");
    if (web_query_get(r, "apart", apart_s, sizeof apart_s) == 0 && apart_s[0] &&
        web_parse_long(apart_s, "apart", 0, 1440, &a, err) < 0)
        return -1;
    *apart = (int)a;
    return store_ho_reconcile(r->ctx->store, r->programme.id, from, to, (int)a, out, err);
}

static const char *site_label(const struct store_ho_recon *x, size_t i, char *out, size_t n)
{
    const struct store_ho_site *s = &x->sites.items[i];
    snprintf(out, n, "%s/%s", s->org_slug, s->name);
    return out;
}

static const char *kind_words(enum store_ho_diff_kind k)
{
    static const char *const words[] = {"recorded by one partner only", "handover times apart",
                                        "handover time in one record only"};
    return words[k];
}

static int recon_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_ho_recon x;
    int apart;
    if (recon_load(r, &x, &apart, err) < 0)
        return web_page_fail(r, w, err);
    html_begin(r, w, "Reconciling partners' handover records");
    buf_puts(B, "<span class=\"nhsuk-caption-l\">");
    html_esc(B, r->programme.name);
    buf_puts(B, "</span><h1>Reconciling partners' handover records</h1>");
    char n1[KIT_NUMBER_MAX], n2[KIT_NUMBER_MAX];
    buf_printf(B, "<p>Where two partners recorded the same hospital (sites sharing a site code), each handover is "
                  "matched across their records: arrivals at most %d minutes apart, with the same reference where "
                  "both have one. %s handovers were recorded by both; %s differences are listed below: a handover "
                  "one partner has no record of (on a day it has records of the site), handover times more than "
                  "%d minutes apart, or a handover time in one record only.</p>",
               STORE_HO_MATCH_MIN, kit_number(n1, (double)x.matched, 0), kit_number(n2, (double)x.n, 0), apart);
    char href[160];
    web_href(r, href, sizeof href, "/programmes/{programme}/handovers/reconcile.csv", r->programme.slug);
    buf_puts(B, "<p>");
    kit_link(w, href, "Download the differences (CSV)", NULL);
    buf_puts(B, "</p>");
    if (x.n == 0) {
        kit_inset(w, x.sites.n ? "The partners' records agree." : "No two partners' sites share a site code.", NULL,
                  NULL, NULL);
    } else {
        static const char *const heads[] = {"Arrival", "Site code", "Difference", "Recorded by", "Handover",
                                            "Other partner", "Their arrival", "Their handover"};
        kit_table_open(w, "Differences, in order of arrival", heads, 8, NULL);
        for (size_t i = 0; i < x.n; i++) {
            const struct store_ho_diff *d = &x.items[i];
            char t[24], a[300], b[300];
            kit_row_open(w);
            kit_cell(w, local_time(d->arrival, t));
            kit_cell(w, x.sites.items[d->site].code);
            kit_cell(w, kind_words(d->kind));
            kit_cell(w, site_label(&x, d->site, a, sizeof a));
            kit_cell(w, d->handover == HO_NONE ? "-" : local_time(d->handover, t));
            kit_cell(w, site_label(&x, d->other, b, sizeof b));
            kit_cell(w, d->other_arrival == HO_NONE ? "no record" : local_time(d->other_arrival, t));
            kit_cell(w, d->other_handover == HO_NONE ? "-" : local_time(d->other_handover, t));
            kit_row_close(w);
        }
        kit_table_close(w);
    }
    store_ho_recon_release(&x);
    html_end(r, w);
    return 0;
}

static int recon_csv(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_ho_recon x;
    int apart;
    if (recon_load(r, &x, &apart, err) < 0)
        return web_page_fail(r, w, err);
    w->content_type = "text/csv; charset=utf-8";
    buf_puts(B, "site_code,kind,arrival,site,handover,other_site,other_arrival,other_handover,minutes_apart\n");
    for (size_t i = 0; i < x.n; i++) {
        const struct store_ho_diff *d = &x.items[i];
        char t[24], s[300];
        csv_write_field(B, x.sites.items[d->site].code, strlen(x.sites.items[d->site].code));
        buf_printf(B, ",%s,%s,", store_ho_diff_kind_name(d->kind), local_time(d->arrival, t));
        site_label(&x, d->site, s, sizeof s);
        csv_write_field(B, s, strlen(s));
        buf_printf(B, ",%s,", local_time(d->handover, t));
        site_label(&x, d->other, s, sizeof s);
        csv_write_field(B, s, strlen(s));
        buf_printf(B, ",%s,", local_time(d->other_arrival, t));
        buf_printf(B, "%s,", local_time(d->other_handover, t));
        if (d->kind == STORE_HO_DIFF_APART)
            buf_printf(B, "%.1f", (double)(d->other_handover - d->handover) / (double)HO_MINUTE_MS);
        buf_putc(B, '\n');
    }
    store_ho_recon_release(&x);
    return 0;
}

static int recon_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_ho_recon x;
    int apart;
    if (recon_load(r, &x, &apart, err) < 0)
        return web_api_fail(w, err);
    json_t *a = json_array();
    for (size_t i = 0; a && i < x.n; i++) {
        const struct store_ho_diff *d = &x.items[i];
        char t1[24], t2[24], t3[24], t4[24], s1[300], s2[300];
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s, s:s?, s:s?}", "site_code",
                              x.sites.items[d->site].code, "kind", store_ho_diff_kind_name(d->kind), "arrival",
                              local_time(d->arrival, t1), "site", site_label(&x, d->site, s1, sizeof s1), "handover",
                              d->handover == HO_NONE ? NULL : local_time(d->handover, t2), "other_site",
                              site_label(&x, d->other, s2, sizeof s2), "other_arrival",
                              d->other_arrival == HO_NONE ? NULL : local_time(d->other_arrival, t3), "other_handover",
                              d->other_handover == HO_NONE ? NULL : local_time(d->other_handover, t4));
        if (!o || json_array_append_new(a, o) < 0) {
            json_decref(a);
            a = NULL;
        }
    }
    json_int_t matched = (json_int_t)x.matched;
    store_ho_recon_release(&x);
    if (!a)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
    web_json(w, 200, json_pack("{s:I, s:i, s:i, s:o}", "matched", matched, "tolerance_minutes", STORE_HO_MATCH_MIN,
                               "apart_minutes", apart, "differences", a));
    return 0;
}

static const struct web_route routes[] = {
    {.method = "POST", .path = "/handovers/sites/{id}", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = site_code_page},
    {.method = "GET", .path = "/api/v1/handovers/sites", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = sites_api},
    {.method = "PUT", .path = "/api/v1/handovers/sites/{id}", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = site_code_api},
    /* Everyone signed in, as the programme's figures are. */
    {.method = "GET", .path = "/programmes/{programme}/handovers/reconcile", .role = ROLE_CONTRIBUTOR, .scope = WEB_PROGRAMME, .handler = recon_page},
    {.method = "GET", .path = "/programmes/{programme}/handovers/reconcile.csv", .role = ROLE_CONTRIBUTOR, .scope = WEB_PROGRAMME, .handler = recon_csv},
    {.method = "GET", .path = "/api/v1/programmes/{programme}/handovers/reconcile", .role = ROLE_CONTRIBUTOR, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = recon_api},
};

WEB_FEATURE_ROUTES(web_handover_sites, routes);
