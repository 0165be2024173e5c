/* A pulse's results (store/pulses.h): per statement the share agreeing per closed wave as a P chart
 * (denominator: the wave's answers), drawn by src/chart as `purpose spc --chart p --per 100` draws
 * it, with the Making Data Count icons and the chart's reading in words, for everyone or one group
 * (?group=CODE); a table of every group's latest share; the response rate per wave; and the CSV of
 * the wave counts the charts are computed from. A figure the disclosure rule holds back is "fewer
 * than 5" or left out; a wave still open is never shown. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/reading.h"
#include "core/csv.h"
#include "core/num.h"
#include "core/xval.h"
#include "web/action.h"
#include "web/pulses.h"
#include "core/banned.h"

#define B (&w->body)

/* The chart series of a computed pulse chart; x arrays sized r->waves.n, owned by the caller. */
static void series_of(const struct store_pulse_results *r, const struct store_pulse_chart *ch, const char *title,
                      double *x, const char **xt, struct chart_series *cs)
{
    /* By the day each wave opened; by wave number when two opened on one day. */
    bool by_day = true;
    for (size_t i = 0; i < r->waves.n; i++) {
        xt[i] = r->waves.items[i].day;
        xval_classify(xt[i], strlen(xt[i]), &x[i]);
        by_day &= i == 0 || strcmp(xt[i - 1], xt[i]) < 0;
    }
    for (size_t i = 0; !by_day && i < r->waves.n; i++)
        x[i] = (double)r->waves.items[i].number;
    *cs = (struct chart_series){.title = title, .y_label = "% agreeing", .n = ch->n,
                                .y = spc_result_values(&ch->res, ch->y),
                                .x_kind = by_day ? CHART_X_DATE : CHART_X_NUMBER, .x_value = x,
                                .x_text = xt, .res = &ch->res, .opt = &ch->opt};
}

static size_t group_param(struct web_req *r, const struct store_pulse_results *res, bool *bad)
{
    char code[24] = "";
    *bad = false;
    if (web_query_get(r, "group", code, sizeof code) != 0 || !code[0])
        return 0;
    for (size_t g = 1; g < res->ngroups; g++)
        if (strcmp(res->groups[g], code) == 0)
            return g;
    *bad = true;
    return 0;
}

static void rate_text(char *out, size_t n, const struct store_pulse_wave *v)
{
    char pct[KIT_NUMBER_MAX];
    if (store_count_suppressed(v->answers) || v->audience <= 0)
        snprintf(out, n, "-");
    else
        snprintf(out, n, "%s%%", kit_number(pct, 100.0 * (double)v->answers / (double)v->audience, 0));
}

/* A lead's form to follow statement st as a measure of one of the organisation's ambitions. */
static void follow_form(struct web_req *r, struct web_resp *w, const struct store_pulse *p, size_t st,
                        const struct store_ambition_list *al)
{
    char action[200], id[24], sel[40];
    if (web_scope(r).kind != STORE_SCOPE_ORG) /* measures belong to an organisation */
        return;
    web_href(r, action, sizeof action, "/pulses/{id}/follow", p->id);
    if (!web_may(r, "POST", action))
        return;
    buf_puts(B, "<details class=\"nhsuk-details\"><summary class=\"nhsuk-details__summary\">"
                "<span class=\"nhsuk-details__summary-text\">Follow as a measure</span></summary>"
                "<div class=\"nhsuk-details__text\"><p>A P chart of this statement's share agreeing, kept up to date "
                "as waves close, in the summary and the board pack.</p>");
    kit_form_open(r, w, action);
    snprintf(id, sizeof id, "%lld", (long long)p->statements[st].id);
    kit_hidden(w, "statement", id);
    snprintf(sel, sizeof sel, "ambition-%zu", st);
    kit_select_open(w, NULL, &(struct kit_field){.name = sel, .label = "A measure of"});
    kit_select_option(w, "", "The organisation as a whole", true);
    for (size_t i = 0; i < al->n; i++) {
        char v[24];
        snprintf(v, sizeof v, "%lld", (long long)al->items[i].id);
        kit_select_option(w, v, al->items[i].title, false);
    }
    kit_select_close(w);
    snprintf(sel, sizeof sel, "target-%zu", st);
    kit_input(w, NULL, &(struct kit_field){.name = sel, .label = "Target (% agreeing, optional)",
                                           .width = "nhsuk-input--width-4"});
    kit_button(w, "Follow as a measure", true);
    kit_form_close(w);
    buf_puts(B, "</div></details>");
}

static int statement_section(struct web_resp *w, const struct store_pulse *p, const struct store_pulse_results *res,
                             size_t st, size_t g, struct purpose_err *err)
{
    buf_puts(B, "<h2>");
    html_esc(B, p->statements[st].text);
    buf_puts(B, "</h2>");
    struct store_pulse_chart ch;
    if (store_pulse_chart(res, st, g, &ch, err) < 0)
        return -1;
    if (!ch.computed) {
        buf_puts(B, "<p>Not enough closed waves with 5 or more answers to chart yet.</p>");
        store_pulse_chart_release(&ch);
        return 0;
    }
    double *x = malloc(res->waves.n * sizeof *x);
    const char **xt = malloc(res->waves.n * sizeof *xt);
    int rc = x && xt ? 0 : purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory drawing a pulse chart");
    struct chart_series cs;
    if (rc == 0) {
        series_of(res, &ch, p->statements[st].text, x, xt, &cs);
        buf_puts(B, "<p>");
        web_icon_variation(w, ch.res.variation);
        buf_puts(B, " ");
        chart_reading(B, &cs, "%");
        buf_puts(B, "</p><div class=\"app-chart\">");
        rc = chart_svg(B, &cs, err);
        buf_puts(B, "</div>");
    }
    free(x);
    free(xt);
    store_pulse_chart_release(&ch);
    return rc;
}

/* Every group's latest shown share of each statement, with its variation icon. */
static int groups_table(struct web_req *r, struct web_resp *w, const struct store_pulse *p,
                        const struct store_pulse_results *res, struct purpose_err *err)
{
    buf_puts(B, "<h2>By group</h2><p>Each group's share agreeing in the latest wave where it had 5 or more answers "
                "(and where the rest had 5 or more, so that no subtraction gives a small group away).</p>");
    const char *heads[1 + STORE_PULSE_STATEMENTS_MAX];
    heads[0] = "Group";
    for (size_t st = 0; st < p->nstatements; st++)
        heads[st + 1] = p->statements[st].text;
    kit_table_open(w, "Share agreeing by group", heads, 1 + p->nstatements, NULL);
    for (size_t g = 0; g < res->ngroups; g++) {
        kit_row_open(w);
        kit_cell_open(w);
        char href[300], pattern[80];
        snprintf(pattern, sizeof pattern, "/pulses/{id}/results%s%s", g ? "?group=" : "", g ? res->groups[g] : "");
        web_href(r, href, sizeof href, pattern, p->id);
        kit_link(w, href, web_pulse_group_label(res->groups[g]), NULL);
        kit_cell_close(w);
        for (size_t st = 0; st < p->nstatements; st++) {
            size_t last = res->waves.n;
            for (size_t k = 0; k < res->waves.n; k++)
                if (res->shown[k * res->ngroups + g] && store_pulse_group_answers(res, k, g) > 0)
                    last = k;
            kit_cell_open(w);
            if (last == res->waves.n) {
                buf_puts(B, "Fewer than 5");
            } else {
                char pct[KIT_NUMBER_MAX];
                int64_t n = store_pulse_group_answers(res, last, g);
                buf_printf(B, "%s%%", kit_number(pct, 100.0 * (double)store_pulse_agree(res, last, st, g) / (double)n, 0));
                struct store_pulse_chart ch;
                if (store_pulse_chart(res, st, g, &ch, err) < 0)
                    return -1;
                if (ch.computed) {
                    buf_puts(B, " ");
                    web_icon_variation(w, ch.res.variation);
                }
                store_pulse_chart_release(&ch);
            }
            kit_cell_close(w);
        }
        kit_row_close(w);
    }
    kit_table_close(w);
    return 0;
}

static int results_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_pulse p;
    int rc;
    if (web_pulse_load(r, w, &p, &rc, err) < 0)
        return rc;
    struct store_pulse_results res;
    if (store_pulse_results(r->ctx->store, &p, &res, err) < 0) {
        store_pulse_release(&p);
        return -1;
    }
    rc = 0;
    bool bad = false;
    size_t g = group_param(r, &res, &bad);
    char back[200], title[STORE_TITLE_MAX + 40];
    web_href(r, back, sizeof back, "/pulses/{id}", p.id);
    snprintf(title, sizeof title, "%s: results", p.title);
    html_begin(r, w, title);
    kit_back_link(w, back, "Back to the pulse");
    buf_puts(B, "<h1>");
    html_esc(B, p.title);
    buf_puts(B, ": results</h1>");
    if (bad)
        kit_inset(w, "No answers from that group have been counted: showing everyone.", NULL, NULL, NULL);
    buf_puts(B, "<p>The share of answers that agree or strongly agree with each statement, wave by wave, as a P "
                "chart: the middle line is the average share, and the limits show how far it moves by chance alone "
                "given each wave's number of answers. Results appear when a wave closes.</p>");
    if (res.waves.n == 0) {
        buf_puts(B, "<p>No wave has closed yet.</p>");
    } else {
        buf_puts(B, "<p><strong>");
        html_esc(B, web_pulse_group_label(res.groups[g]));
        buf_puts(B, "</strong></p>");
        struct store_ambition_list al = {0};
        char follow[200];
        web_href(r, follow, sizeof follow, "/pulses/{id}/follow", p.id);
        if (web_scope(r).kind == STORE_SCOPE_ORG && web_may(r, "POST", follow))
            rc = store_ambition_list(r->ctx->store, &r->scope, 0, &al, err);
        for (size_t st = 0; rc == 0 && st < p.nstatements; st++) {
            rc = statement_section(w, &p, &res, st, g, err);
            if (rc == 0)
                follow_form(r, w, &p, st, &al);
        }
        store_ambition_list_release(&al);
        if (rc == 0)
            rc = groups_table(r, w, &p, &res, err);
        if (rc == 0) {
            buf_puts(B, "<h2>Response rate</h2>");
            static const char *const heads[] = {"Wave", "Opened", "Answers", "Sent to", "Response rate"};
            kit_table_open(w, "Answers per wave", heads, 5, NULL);
            for (size_t i = res.waves.n; i-- > 0;) {
                const struct store_pulse_wave *v = &res.waves.items[i];
                char num[16], ans[32], aud[24], rate[24];
                snprintf(num, sizeof num, "%d", v->number);
                snprintf(aud, sizeof aud, "%lld", (long long)v->audience);
                rate_text(rate, sizeof rate, v);
                kit_row_open(w);
                kit_cell(w, num);
                char day[KIT_DAY_MAX];
                kit_cell(w, kit_day_words(day, sizeof day, v->day));
                kit_cell(w, store_count_text(v->answers, ans, sizeof ans));
                kit_cell(w, aud);
                kit_cell(w, rate);
                kit_row_close(w);
            }
            kit_table_close(w);
        }
    }
    if (rc == 0)
        html_end(r, w);
    store_pulse_results_release(&res);
    store_pulse_release(&p);
    return rc;
}

static int export_csv(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_pulse p;
    int rc;
    if (web_pulse_load(r, w, &p, &rc, err) < 0)
        return rc;
    struct store_pulse_results res;
    if (store_pulse_results(r->ctx->store, &p, &res, err) < 0) {
        store_pulse_release(&p);
        return -1;
    }
    /* One row per statement, group and closed wave; a figure held back by the disclosure rule is
     * empty, which purpose spc reads as a missing point. series names the chart. */
    buf_puts(B, "series,statement_id,statement,group,wave,day,answers,agree,strongly_disagree,disagree,neither,agree_only,"
                "strongly_agree\n");
    for (size_t st = 0; st < p.nstatements; st++)
        for (size_t g = 0; g < res.ngroups; g++)
            for (size_t k = 0; k < res.waves.n; k++) {
                const char *code = res.groups[g][0] ? res.groups[g] : "everyone";
                buf_printf(B, "s%lld %s,%lld,", (long long)p.statements[st].id, code, (long long)p.statements[st].id);
                csv_write_cell(B, p.statements[st].text);
                buf_printf(B, ",%s,%d,%s,", code, res.waves.items[k].number, res.waves.items[k].day);
                int64_t n = store_pulse_group_answers(&res, k, g);
                if (res.shown[k * res.ngroups + g] && n > 0) {
                    const int64_t *c = store_pulse_cell(&res, k, st, g);
                    buf_printf(B, "%lld,%lld,%lld,%lld,%lld,%lld,%lld\n", (long long)n,
                               (long long)store_pulse_agree(&res, k, st, g), (long long)c[0], (long long)c[1],
                               (long long)c[2], (long long)c[3], (long long)c[4]);
                } else {
                    buf_puts(B, ",,,,,,\n");
                }
            }
    w->content_type = "text/csv; charset=utf-8";
    store_pulse_results_release(&res);
    store_pulse_release(&p);
    return 0;
}

/* ---- following a statement as a measure (action.h) ----
 * The page's form names its fields by the statement's place (statement, ambition-N, target-N: one
 * radio picks the statement, each has its own ambition and target); the API's body is
 * {"statement_id", "ambition_id"?: id or null (the organisation as a whole), "target"?: 0 to 100
 * or null}. Two declarations share one run. */

static int target_check(const char *name, const char *s, struct purpose_err *err)
{
    double v;
    if (num_parse(s, strlen(s), &v) != NUM_OK || v < 0 || v > 100)
        return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s: a share agreeing from 0 to 100", name);
    return 0;
}

static int follow_save(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                       struct purpose_err *err)
{
    int64_t statement = web_in_i(in, "statement_id"), ambition = web_in_i(in, "ambition_id");
    const char *t = web_in_s(in, "target");
    if (!r->is_api) {
        statement = web_in_i(in, "statement");
        size_t place = 0;
        for (size_t i = 0; i < r->form.n; i++)
            if (strncmp(r->form.f[i].name, "ambition-", 9) == 0)
                place = (size_t)strtoul(r->form.f[i].name + 9, NULL, 10);
        char name[40];
        snprintf(name, sizeof name, "ambition-%zu", place);
        const char *a = web_field(r, name);
        long id = 0;
        if (a[0] && web_parse_long(a, "ambition", 1, STORE_ID_MAX, &id, err) < 0)
            return -1;
        ambition = id;
        snprintf(name, sizeof name, "target-%zu", place);
        t = web_field(r, name);
    }
    double target = 0;
    bool has_target = t && t[0];
    if (has_target && (target_check("target", t, err) < 0 || num_parse(t, strlen(t), &target) != NUM_OK))
        return -1;
    struct store_actor by = web_actor(r);
    return store_pulse_follow(r->ctx->store, &by, &r->scope, r->id, statement, ambition, has_target, target,
                              &out->id, err);
}

/* 201 {"measure_id", "statement_id"}. */
static int follow_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    (void)err;
    web_json(w, status, json_pack("{s:I, s:I}", "measure_id", (json_int_t)id, "statement_id",
                                  json_integer_value(json_object_get(r->json, "statement_id"))));
    return 0;
}

static const struct web_afield follow_form_fields[] = {
    {.name = "statement", .kind = WEB_F_INT, .required = true, .min = 1, .max = STORE_ID_MAX},
};
static const struct web_afield follow_api_fields[] = {
    {.name = "statement_id", .kind = WEB_F_INT, .required = true, .min = 1, .max = STORE_ID_MAX},
    {.name = "ambition_id", .kind = WEB_F_INT, .min = 1, .max = STORE_ID_MAX},
    {.name = "target", .number = true, .check = target_check},
};
static const struct web_action pulse_follow = {.fields = follow_form_fields, .nfields = 1, .run = follow_save,
                                               .next = "/measures/{id}"};
const struct web_action web_pulse_follow = {.fields = follow_api_fields, .nfields = 3, .run = follow_save,
                                            .answer = follow_answer, .api_status = 201};

static int follow_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &pulse_follow, err);
}

static const struct web_route routes[] = {
    {.method = "POST", .path = "/pulses/{id}/follow", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = follow_post},
    WEB_PULSE_PAGE("GET", "/{id}/results", ROLE_MEMBER, results_page),
    WEB_PULSE_PAGE("GET", "/{id}/export.csv", ROLE_MEMBER, export_csv),
};

WEB_FEATURE_ROUTES(web_pulses_results, routes);
