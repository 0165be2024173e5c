/* Ambulance handovers: the dashboard of an organisation's sites, or of a programme's partners'
 * sites (tiles for each standard over a chosen period, the sites, the worst days, the hour-of-day
 * by day-of-week table of mean handover time), and the report as JSON. Everything is read from the
 * stored per-site-day aggregates (store/handovers.h), so the figures are the CLI report's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart.h"
#include "web/handover_measures.h"
#include "web/kit.h"
#include "web/web_int.h"
#include "core/banned.h"

#define B (&w->body)
#define WORST_DAYS 10

/* The period asked for: ?from= and ?to= (local dates, inclusive; the page's NHS date inputs send each
 * as three fields, from-day, from-month, from-year), open when absent. */
static int period(struct web_req *r, int32_t *from, int32_t *to, char from_s[WEB_DATE_MAX], char to_s[WEB_DATE_MAX],
                  struct purpose_err *err)
{
    *from = INT32_MIN;
    *to = INT32_MAX;
    from_s[0] = to_s[0] = '\0';
    if (web_date_field(r, "from", "From", from_s, err) < 0 || web_date_field(r, "to", "To", to_s, err) < 0)
        return -1;
    if (from_s[0] && ho_date_parse(from_s, strlen(from_s), from) < 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "from", "from: \"%s\" is not a date (YYYY-MM-DD)", from_s);
    if (to_s[0] && ho_date_parse(to_s, strlen(to_s), to) < 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "to", "to: \"%s\" is not a date (YYYY-MM-DD)", to_s);
    if (*from > *to)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "from", "from: is after to");
    return 0;
}

static int load(struct web_req *r, int32_t from, int32_t to, struct ho_agg **agg, struct purpose_err *err)
{
    if (ho_agg_new(agg, err) < 0)
        return -1;
    if (store_ho_load(r->ctx->store, r->scope, from, to, *agg, err) < 0) {
        ho_agg_free(agg);
        return -1;
    }
    return 0;
}

/* Every metric of site i (SIZE_MAX: all sites) over the loaded period. */
static int totals(struct ho_agg *a, size_t site, struct ho_metrics *m, struct purpose_err *err)
{
    size_t lo = site == SIZE_MAX ? 0 : site, hi = site == SIZE_MAX ? ho_agg_site_count(a) : site + 1;
    uint64_t arrivals = 0, clear_n = 0, clear_15 = 0;
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        uint32_t *ms = NULL;
        if (pass == 1 && !(ms = malloc(n ? n * sizeof *ms : 1)))
            return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
        size_t k = 0;
        for (size_t i = lo; i < hi; i++) {
            struct ho_day *const *days;
            size_t nd = ho_agg_days(a, i, &days);
            if (!nd && !days) {
                free(ms);
                return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
            }
            for (size_t j = 0; j < nd; j++) {
                const struct ho_day *d = days[j];
                if (pass == 0) {
                    n += d->n;
                    for (int h = 0; h < 24; h++) {
                        arrivals += d->hour[h].arrivals;
                        clear_n += d->hour[h].clear_n;
                        clear_15 += d->hour[h].clear_15;
                    }
                    continue;
                }
                for (uint32_t x = 0; x < d->n; x++)
                    ms[k++] = d->dur[x] & HO_DUR_MASK;
            }
        }
        if (pass == 1) {
            ho_metrics_compute(m, ms, n, arrivals, clear_n, clear_15);
            free(ms);
        }
    }
    return 0;
}

static void number(struct buf *b, double v, const char *unit)
{
    if (isnan(v)) {
        buf_puts(b, "no handovers");
        return;
    }
    buf_printf(b, "%.1f%s", v, unit);
}

/* One standard: the figure, the standard, and whether it is met. */
static void tile(struct web_resp *w, const char *title, double pct, double standard)
{
    buf_puts(B, "<div class=\"nhsuk-card\"><div class=\"nhsuk-card__content\"><h3 class=\"nhsuk-card__heading\">");
    html_esc(B, title);
    buf_puts(B, "</h3><p class=\"nhsuk-heading-l\">");
    number(B, pct, "%");
    buf_printf(B, "</p><p>Standard: %g%%. ", standard);
    if (isnan(pct))
        kit_tag(w, "No data", "grey");
    else
        kit_tag(w, pct >= standard ? "Met" : "Not met", pct >= standard ? "green" : "red");
    buf_puts(B, "</p></div></div>");
}

struct day_row {
    char period[17];
    double pct60, lost;
    uint64_t arrivals;
};

struct days {
    struct day_row *rows;
    size_t n, cap;
};

static int collect_all_days(void *ctx, const struct ho_metrics *m, struct purpose_err *err)
{
    struct days *d = ctx;
    if (m->site_len != 3 || memcmp(m->site, "all", 3) != 0)
        return 0;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        struct day_row *p = realloc(d->rows, cap * sizeof *p);
        if (!p)
            return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
        d->rows = p;
        d->cap = cap;
    }
    struct day_row *x = &d->rows[d->n++];
    memcpy(x->period, m->period, sizeof x->period);
    x->pct60 = m->pct_within_60;
    x->lost = m->hours_lost_15;
    x->arrivals = m->arrivals;
    return 0;
}

/* Worst first: the lowest % within 60 minutes, then the most hours lost; days without handovers last. */
static int cmp_worst(const void *pa, const void *pb)
{
    const struct day_row *a = pa, *b = pb;
    bool an = isnan(a->pct60), bn = isnan(b->pct60);
    if (an != bn)
        return an ? 1 : -1;
    if (!an && a->pct60 != b->pct60)
        return a->pct60 < b->pct60 ? -1 : 1;
    return a->lost > b->lost ? -1 : a->lost < b->lost;
}

static void sites_table(struct web_resp *w, struct ho_agg *a, struct purpose_err *err, int *rc)
{
    static const char *const heads[] = {"Site", "Arrivals", "Within 15 min", "Within 30 min", "Within 60 min",
                                        "Held over 45 min", "Hours lost (over 15 min)"};
    kit_table_open(w, "Sites", heads, 7, NULL);
    for (size_t i = 0; i < ho_agg_site_count(a) && *rc == 0; i++) {
        struct ho_metrics m;
        if ((*rc = totals(a, i, &m, err)) < 0)
            break;
        size_t len;
        const char *name = ho_agg_site(a, i, &len);
        char site[256], cell[64];
        snprintf(site, sizeof site, "%.*s", (int)(len < 255 ? len : 255), name ? name : "");
        kit_row_open(w);
        kit_cell(w, site);
        kit_cell(w, kit_number(cell, (double)m.arrivals, 0));
        const double pct[] = {m.pct_within_15, m.pct_within_30, m.pct_within_60};
        for (int k = 0; k < 3; k++) {
            if (isnan(pct[k]))
                snprintf(cell, sizeof cell, "-");
            else
                snprintf(cell, sizeof cell, "%.1f%%", pct[k]);
            kit_cell(w, cell);
        }
        kit_cell(w, kit_number(cell, (double)m.over_45, 0));
        kit_cell(w, kit_number(cell, m.hours_lost_15, 1));
        kit_row_close(w);
    }
    kit_table_close(w);
}

/* The `all` rows of the daily report over the period, in date order. */
static int daily(struct ho_agg *a, int32_t from, int32_t to, struct days *d, struct purpose_err *err)
{
    struct ho_report_opts o = {.by = HO_BY_DAY, .from = from, .to = to};
    memset(d, 0, sizeof *d);
    if (ho_report_run(a, &o, collect_all_days, d, err) < 0) {
        free(d->rows);
        d->rows = NULL;
        return -1;
    }
    return 0;
}

static void worst_days(struct web_resp *w, struct days *d)
{
    qsort(d->rows, d->n, sizeof *d->rows, cmp_worst);
    static const char *const heads[] = {"Day", "Arrivals", "Within 60 min", "Hours lost (over 15 min)"};
    kit_table_open(w, "The worst days (lowest share within 60 minutes)", heads, 4, NULL);
    for (size_t i = 0; i < d->n && i < WORST_DAYS; i++) {
        char cell[64];
        kit_row_open(w);
        kit_cell(w, kit_day_words(cell, sizeof cell, d->rows[i].period));
        kit_cell(w, kit_number(cell, (double)d->rows[i].arrivals, 0));
        if (isnan(d->rows[i].pct60))
            snprintf(cell, sizeof cell, "-");
        else
            snprintf(cell, sizeof cell, "%.1f%%", d->rows[i].pct60);
        kit_cell(w, cell);
        kit_cell(w, kit_number(cell, d->rows[i].lost, 1));
        kit_row_close(w);
    }
    kit_table_close(w);
}

/* An XmR chart (Making Data Count) of one daily metric, inline: the chart's SVG with its title and
 * description ids made unique on the page (n). */
static int spc_chart(struct web_resp *w, const struct days *d, bool pct, int n, struct purpose_err *err)
{
    double *y = malloc((d->n ? d->n : 1) * sizeof *y), *x = malloc((d->n ? d->n : 1) * sizeof *x);
    const char **xt = malloc((d->n ? d->n : 1) * sizeof *xt);
    struct spc_result res;
    spc_result_init(&res);
    struct buf svg;
    buf_init(&svg, (size_t)8 << 20);
    int rc = y && x && xt ? 0 : purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
    for (size_t i = 0; rc == 0 && i < d->n; i++) {
        int32_t day = 0;
        ho_date_parse(d->rows[i].period, 10, &day);
        x[i] = (double)day * 86400.0;
        xt[i] = d->rows[i].period;
        y[i] = pct ? d->rows[i].pct60 : d->rows[i].lost;
    }
    struct spc_options opt;
    spc_options_default(&opt);
    opt.improvement = pct ? SPC_INCREASE : SPC_DECREASE;
    if (pct) {
        opt.has_target = true;
        opt.target = 100;
    }
    if (rc == 0)
        rc = spc_xmr(y, d->n, NULL, 0, &opt, &res, err);
    struct chart_series cs = {
        .title = pct ? "Daily % of handovers within 60 minutes" : "Daily hours lost (handovers beyond 15 minutes)",
        .y_label = pct ? "% within 60 minutes" : "hours lost",
        .n = d->n, .y = y, .x_kind = CHART_X_DATE, .x_value = x, .x_text = xt, .res = &res, .opt = &opt};
    if (rc == 0)
        rc = chart_svg(&svg, &cs, err);
    if (rc == 0 && svg.failed)
        rc = purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "the chart is too large");
    if (rc == 0) {
        buf_puts(B, "<div class=\"purpose-chart\">");
        for (size_t i = 0; i < svg.len;) {
            static const char id[] = "purpose-chart-";
            if (svg.len - i >= sizeof id - 1 && memcmp(svg.data + i, id, sizeof id - 1) == 0) {
                buf_printf(B, "handovers-chart-%d-", n);
                i += sizeof id - 1;
            } else {
                buf_putc(B, svg.data[i++]);
            }
        }
        buf_puts(B, "</div>");
    }
    buf_release(&svg);
    spc_result_release(&res);
    free(y);
    free(x);
    free(xt);
    return rc;
}

/* The heatmap's bands, in minutes, against the standards (15, 30, 45 and 60 minutes): each cell is
 * shaded by its band and says its number, so the colour is never the only way to read it. */
static const struct {
    double upto;
    const char *label;
} heat_bands[] = {
    {15, "15 minutes or less"}, {30, "16 to 30"}, {45, "31 to 45"}, {60, "46 to 60"}, {90, "61 to 90"},
    {INFINITY, "over 90"},
};
#define N_HEAT_BANDS (sizeof heat_bands / sizeof heat_bands[0])

static size_t heat_band(double minutes)
{
    size_t b = 0;
    while (b + 1 < N_HEAT_BANDS && minutes > heat_bands[b].upto)
        b++;
    return b;
}

static int heatmap_table(struct web_resp *w, struct ho_agg *a, int32_t from, int32_t to, struct purpose_err *err)
{
    double m[7][24];
    uint64_t c[7][24];
    if (ho_heatmap(a, NULL, 0, from, to, m, c) < 0)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
    buf_puts(B, "<p class=\"app-heat-key\">Shading:");
    for (size_t b = 0; b < N_HEAT_BANDS; b++)
        buf_printf(B, " <span class=\"app-heat-%zu\">%s</span>", b, heat_bands[b].label);
    buf_puts(B, "</p>");
    static const char *const heads[] = {"Hour", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                                        "Sunday"};
    kit_table_open(w, "Mean handover time in minutes, by hour of arrival and day of the week", heads, 8,
                   "app-heatmap");
    for (int h = 0; h < 24; h++) {
        char cell[32];
        kit_row_open(w);
        snprintf(cell, sizeof cell, "%02d:00", h);
        kit_cell(w, cell);
        for (int wd = 0; wd < 7; wd++) {
            if (c[wd][h] == 0) {
                kit_cell(w, "-");
                continue;
            }
            char cls[16];
            snprintf(cell, sizeof cell, "%.1f", m[wd][h]);
            snprintf(cls, sizeof cls, "app-heat-%zu", heat_band(m[wd][h]));
            kit_cell_class(w, cell, cls);
        }
        kit_row_close(w);
    }
    kit_table_close(w);
    return 0;
}

/* The period's form, folded away (the figures come first) unless a period was chosen. */
static void period_form(struct web_resp *w, const char *from_s, const char *to_s)
{
    buf_puts(B, from_s[0] || to_s[0] ? "<details class=\"nhsuk-details\" open>" : "<details class=\"nhsuk-details\">");
    buf_puts(B, "<summary class=\"nhsuk-details__summary\"><span class=\"nhsuk-details__summary-text\">"
                "Choose a period</span></summary><div class=\"nhsuk-details__text\">");
    buf_puts(B, "<p>Every day stored is shown unless you choose the first and last day.</p>");
    buf_puts(B, "<form method=\"get\" novalidate>");
    kit_date_input(w, NULL, &(struct kit_field){.name = "from", .label = "From", .value = from_s,
                                                .hint = "The first day. For example, 1 4 2025"});
    kit_date_input(w, NULL, &(struct kit_field){.name = "to", .label = "To", .value = to_s,
                                                .hint = "The last day. For example, 30 4 2025"});
    kit_button(w, "Show this period", false);
    buf_puts(B, "</form></div></details>");
}

static int dashboard_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    int32_t from, to;
    char from_s[WEB_DATE_MAX], to_s[WEB_DATE_MAX];
    if (period(r, &from, &to, from_s, to_s, err) < 0)
        return web_page_fail(r, w, err);
    struct ho_agg *a = NULL;
    if (load(r, from, to, &a, err) < 0)
        return -1;
    const char *who = r->scope.kind == STORE_SCOPE_PROGRAMME ? r->programme.name : r->org.name;
    html_begin(r, w, "Ambulance handovers");
    buf_puts(B, "<span class=\"nhsuk-caption-l\">");
    html_esc(B, who);
    buf_puts(B, "</span><h1>Ambulance handovers</h1>");
    char href[120];
    web_href(r, href, sizeof href, "/handovers/import");
    if (r->scope.kind == STORE_SCOPE_ORG && web_may(r, "POST", href)) {
        buf_puts(B, "<p>");
        kit_link(w, href, "Import handovers", NULL);
        buf_puts(B, "</p>");
    }
    period_form(w, from_s, to_s);
    int rc = 0;
    if (ho_agg_site_count(a) == 0) {
        kit_inset(w, "No handovers are stored for this period. A lead imports a file with "
                     "purpose handovers import.", NULL, NULL, NULL);
    } else {
        struct ho_metrics m;
        rc = totals(a, SIZE_MAX, &m, err);
        if (rc == 0) {
            buf_puts(B, "<h2>The standards</h2><div class=\"nhsuk-grid-row nhsuk-card-group\">");
            tile(w, "Handed over within 15 minutes", m.pct_within_15, 65);
            tile(w, "Handed over within 30 minutes", m.pct_within_30, 95);
            tile(w, "Handed over within 60 minutes", m.pct_within_60, 100);
            buf_puts(B, "<div class=\"nhsuk-card\"><div class=\"nhsuk-card__content\">"
                        "<h3 class=\"nhsuk-card__heading\">No crew held over 45 minutes</h3><p class=\"nhsuk-heading-l\">");
            char n1[KIT_NUMBER_MAX], n2[KIT_NUMBER_MAX], n3[KIT_NUMBER_MAX], n4[KIT_NUMBER_MAX];
            buf_puts(B, kit_number(n1, (double)m.over_45, 0));
            buf_puts(B, "</p><p>held over 45 minutes. ");
            kit_tag(w, m.over_45 == 0 ? "Met" : "Not met", m.over_45 == 0 ? "green" : "red");
            buf_puts(B, "</p></div></div></div>");
            buf_printf(B, "<p>%s arrivals, %s handed over; %s hours lost beyond 15 minutes, %s beyond 60.</p>",
                       kit_number(n1, (double)m.arrivals, 0), kit_number(n2, (double)m.handovers, 0),
                       kit_number(n3, m.hours_lost_15, 1), kit_number(n4, m.hours_lost_60, 1));
            sites_table(w, a, err, &rc);
        }
        struct days d = {0};
        if (rc == 0)
            rc = daily(a, from, to, &d, err);
        if (rc == 0 && d.n > 1) {
            buf_puts(B, "<h2>Day by day</h2>");
            rc = spc_chart(w, &d, true, 1, err);
            if (rc == 0)
                rc = spc_chart(w, &d, false, 2, err);
        }
        if (rc == 0)
            worst_days(w, &d);
        free(d.rows);
        if (rc == 0)
            rc = heatmap_table(w, a, from, to, err);
        if (rc == 0 && r->scope.kind == STORE_SCOPE_ORG)
            rc = web_ho_measure_form(r, w, NULL, err);
    }
    if (rc == 0 && r->scope.kind == STORE_SCOPE_ORG)
        rc = web_ho_sites_section(r, w, err);
    if (rc == 0 && r->scope.kind == STORE_SCOPE_PROGRAMME) {
        web_href(r, href, sizeof href, "/programmes/{programme}/handovers/reconcile", r->programme.slug);
        buf_puts(B, "<h2>One hospital, two partners</h2><p>Sites that share a site code are one site here, each "
                    "handover recorded by both partners counted once. ");
        kit_link(w, href, "Where the partners' records differ", NULL);
        buf_puts(B, "</p>");
    }
    ho_agg_free(&a);
    if (rc < 0)
        return -1;
    html_end(r, w);
    return 0;
}

struct json_ctx {
    struct buf *b;
    bool first;
};

static int emit_json(void *ctx, const struct ho_metrics *m, struct purpose_err *err)
{
    struct json_ctx *c = ctx;
    buf_puts(c->b, c->first ? "" : ",");
    c->first = false;
    ho_report_json_row(c->b, m);
    return c->b->failed ? purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "the report is too large") : 0;
}

/* The report (as `purpose handovers report --format json`): ?by=hour|day|week|month, ?from, ?to, ?site. */
static int report_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct ho_report_opts o = {.by = HO_BY_DAY};
    char from_s[WEB_DATE_MAX], to_s[WEB_DATE_MAX], by[8] = "day", site[256] = "";
    if (period(r, &o.from, &o.to, from_s, to_s, err) < 0)
        return web_api_fail(w, err);
    if (web_query_get(r, "by", by, sizeof by) == 0 && ho_by_parse(by, &o.by) < 0) {
        purpose_errk(err, PURPOSE_ERR_INPUT, "by", "by: must be hour, day, week or month");
        return web_api_fail(w, err);
    }
    if (web_query_get(r, "site", site, sizeof site) == 0 && site[0]) {
        o.site = site;
        o.site_len = strlen(site);
    }
    struct ho_agg *a = NULL;
    if (load(r, o.from, o.to, &a, err) < 0)
        return -1;
    buf_puts(B, "{\"rows\":[");
    struct json_ctx c = {B, true};
    int rc = ho_report_run(a, &o, emit_json, &c, err);
    ho_agg_free(&a);
    if (rc < 0) {
        buf_reset(B);
        return web_api_fail(w, err);
    }
    buf_puts(B, "]}\n");
    w->status = 200;
    w->content_type = "application/json";
    return 0;
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/handovers", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = dashboard_page},
    /* A programme's figures are for everyone signed in (its partners' staff hold no role in it). */
    {.method = "GET", .path = "/programmes/{programme}/handovers", .role = ROLE_CONTRIBUTOR, .scope = WEB_PROGRAMME, .handler = dashboard_page},
    {.method = "POST", .path = "/handovers/measures", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = web_ho_measure_create},
    {.method = "POST", .path = "/api/v1/handovers/measures", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = web_ho_measure_create_api},
    {.method = "GET", .path = "/api/v1/handovers", .role = ROLE_MEMBER, .scope = WEB_ORG, .kind = WEB_API, .handler = report_api},
    {.method = "GET", .path = "/api/v1/programmes/{programme}/handovers", .role = ROLE_CONTRIBUTOR, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = report_api},
};

WEB_FEATURE_ROUTES(web_handovers, routes);
