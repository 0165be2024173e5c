/* Vision provenance: "shaped by N contributions from M people in K groups" for the current vision
 * or purpose of an organisation or programme, with the contributions to browse (anonymity kept:
 * anonymous ones show no name), the line public pages show, the lead's choice of contributions when
 * publishing a version, and the API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/campaigns.h"
#include "web/action.h"
#include "web/provenance.h"
#include "web/events.h"
#include "core/banned.h"

#define B (&w->body)
#define THEMES_MAX 64 /* themes offered as a filter */

/* "Shaped by N contributions from M people in K groups", with the day they were counted. */
static void shaped_words(const struct store_provenance *p, char *out, size_t cap)
{
    char a[KIT_NUMBER_MAX], b[KIT_NUMBER_MAX], c[KIT_NUMBER_MAX], d[40] = "";
    if (p->counted_at)
        web_long_day(d, sizeof d, p->counted_at);
    snprintf(out, cap, "Shaped by %s contributions from %s people in %s groups%s%s",
             kit_count(a, p->contributions), kit_count(b, p->people), kit_count(c, p->groups),
             p->counted_at ? ", counted on " : "", d);
}

static int shaped_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_provenance p;
    struct store_contribution_list l;
    if (store_provenance_get(r->ctx->store, web_scope(r), r->kind, &p, &l, err) < 0)
        return err->kind == PURPOSE_ERR_INTERNAL ? -1 : web_page_fail(r, w, err);
    char title[64], words[200];
    snprintf(title, sizeof title, "How our %s was shaped", r->kind);
    html_begin(r, w, title);
    buf_puts(B, "<h1>");
    html_esc(B, title);
    buf_puts(B, "</h1>");
    shaped_words(&p, words, sizeof words);
    buf_puts(B, "<p class=\"nhsuk-lede-text\">");
    html_esc(B, words);
    buf_puts(B, ".</p><p>People are the authors of these contributions, each counted once, when this version "
                "was published; the numbers then stay as they were. Nothing kept links two anonymous "
                "contributions to one person, or either to a name.</p>");
    if (l.n == 0)
        buf_puts(B, "<p>No contributions have been linked to this version yet.</p>");
    buf_puts(B, "<ul class=\"nhsuk-list nhsuk-list--bullet\">");
    for (size_t i = 0; i < l.n; i++) {
        buf_puts(B, "<li>");
        html_esc(B, l.items[i].body);
        buf_puts(B, " <span class=\"nhsuk-body-s\">(");
        html_esc(B, l.items[i].anonymous ? "Anonymous" : l.items[i].author);
        if (l.items[i].theme[0]) {
            buf_puts(B, "; ");
            html_esc(B, l.items[i].theme);
        }
        buf_puts(B, ")</span></li>");
    }
    buf_puts(B, "</ul>");
    html_end(r, w);
    store_contribution_list_release(&l);
    return 0;
}

static int shaped_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_provenance p;
    struct store_contribution_list l;
    if (store_provenance_get(r->ctx->store, web_scope(r), r->kind, &p, &l, err) < 0)
        return web_api_fail(w, err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.n; i++)
        json_array_append_new(items, web_contribution_json(&l.items[i]));
    store_contribution_list_release(&l);
    json_t *j = json_pack("{s:I, s:o}", "statement_id", (json_int_t)p.statement_id, "items", items);
    json_object_set_new(j, "contributions", web_count_json(p.contributions));
    json_object_set_new(j, "people", web_count_json(p.people));
    json_object_set_new(j, "groups", web_count_json(p.groups));
    char d[16] = "";
    if (p.counted_at) {
        time_t t = (time_t)p.counted_at;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(d, sizeof d, "%Y-%m-%d", &tm);
    }
    json_object_set_new(j, "counted_on", p.counted_at ? json_string(d) : json_null());
    web_json(w, 200, j);
    return 0;
}

int web_provenance_json_ids(const struct web_req *r, bool optional, int64_t **ids, size_t *n, struct purpose_err *err)
{
    *ids = NULL;
    *n = 0;
    json_t *a = json_object_get(r->json, "contribution_ids");
    if (!a && optional)
        return 0;
    size_t k = json_array_size(a);
    if (!json_is_array(a) || (k == 0 && !optional) || k > STORE_SOURCES_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "contribution_ids",
                            "contribution_ids: give a list of %d to %d ids", optional ? 0 : 1, STORE_SOURCES_MAX);
    if (k && !(*ids = calloc(k, sizeof **ids)))
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
    for (size_t i = 0; i < k; i++) {
        json_t *v = json_array_get(a, i);
        if (!json_is_integer(v) || json_integer_value(v) < 1) {
            free(*ids);
            *ids = NULL;
            return purpose_errk(err, PURPOSE_ERR_INPUT, "contribution_ids", "contribution_ids: each must be a positive id");
        }
        (*ids)[i] = (int64_t)json_integer_value(v);
    }
    *n = k;
    return 0;
}

/* Linking contributions to the current version (action.h): {"contribution_ids": [1 to
 * STORE_SOURCES_MAX ids]}, more than a declared field holds, so the run reads them. Answered with
 * the statement's provenance. */
static int link_run(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                    struct purpose_err *err)
{
    (void)in;
    (void)out;
    int64_t *ids;
    size_t n;
    if (web_provenance_json_ids(r, false, &ids, &n, err) < 0)
        return -1;
    struct store_actor by = web_actor(r);
    int rc = store_provenance_link(r->ctx->store, &by, web_scope(r), r->kind, ids, n, err);
    free(ids);
    return rc;
}

static int link_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err)
{
    (void)id;
    (void)status;
    return shaped_api(r, w, err);
}

static const struct web_action link_action = {.run = link_run, .answer = link_answer};

static int link_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &link_action, err);
}

/* Contributions a lead may link, found by ?q= and ?theme=, with the themes to filter by. */
static int candidates_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    /* room for more than the store allows, so that it refuses a long one with its message */
    char q[4 * STORE_TITLE_MAX] = "", theme[4 * STORE_TITLE_MAX] = "";
    if (web_query_get(r, "q", q, sizeof q) < 0)
        q[0] = '\0';
    if (web_query_get(r, "theme", theme, sizeof theme) < 0)
        theme[0] = '\0';
    struct store_contribution_list l;
    bool more;
    if (store_provenance_candidates(r->ctx->store, web_scope(r), q, theme, &l, &more, err) < 0)
        return web_api_fail(w, err);
    char(*names)[STORE_TITLE_MAX + 1] = calloc(THEMES_MAX, sizeof *names);
    size_t nt = 0;
    int rc = names ? store_provenance_themes(r->ctx->store, web_scope(r), names, THEMES_MAX, &nt, err)
                   : purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
    if (rc < 0) {
        free(names);
        store_contribution_list_release(&l);
        return web_api_fail(w, err);
    }
    json_t *items = json_array(), *ts = json_array();
    for (size_t i = 0; i < l.n; i++)
        json_array_append_new(items, web_contribution_json(&l.items[i]));
    for (size_t i = 0; i < nt; i++)
        json_array_append_new(ts, json_string(names[i]));
    free(names);
    store_contribution_list_release(&l);
    web_json(w, 200, json_pack("{s:o, s:b, s:o}", "items", items, "more", more, "themes", ts));
    return 0;
}

/* ---- on other features' pages ------------------------------------------------------------------ */

int web_provenance_line(struct web_req *r, struct web_resp *w, const char *kind, struct purpose_err *err)
{
    struct store_provenance p;
    struct store_contribution_list l;
    if (store_provenance_get(r->ctx->store, web_scope(r), kind, &p, &l, err) < 0)
        return err->kind == PURPOSE_ERR_NOT_FOUND ? 0 : -1;
    store_contribution_list_release(&l);
    if (p.contributions == 0)
        return 0;
    char href[200], words[200];
    web_href(r, href, sizeof href, "/shaped/{kind}", kind);
    shaped_words(&p, words, sizeof words);
    buf_puts(B, "<p class=\"app-shaped\">");
    kit_link(w, href, words, NULL);
    buf_puts(B, "</p>");
    return 0;
}

int web_provenance_ticked(const struct web_req *r, int64_t **ids, size_t *n, struct purpose_err *err)
{
    *ids = NULL;
    *n = 0;
    size_t k = 0;
    for (size_t i = 0; i < r->form.n; i++)
        k += strcmp(r->form.f[i].name, "contribution") == 0;
    if (k > STORE_SOURCES_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "contribution_ids", "contribution_ids: tick at most %d",
                            STORE_SOURCES_MAX);
    if (k && !(*ids = calloc(k, sizeof **ids)))
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
    for (size_t i = 0; i < r->form.n; i++) {
        if (strcmp(r->form.f[i].name, "contribution") != 0)
            continue;
        long v;
        if (web_parse_long(r->form.f[i].value, "contribution_ids", 1, STORE_ID_MAX,
                           &v, err) < 0) {
            free(*ids);
            *ids = NULL;
            *n = 0;
            return -1;
        }
        (*ids)[(*n)++] = v;
    }
    return 0;
}

static bool ticked(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

/* The contributions found, each a checkbox (ticked when it was), and those ticked under another
 * filter kept as hidden fields. */
static void picker_list(struct web_resp *w, const struct store_contribution_list *l, bool more, const int64_t *ids,
                        size_t nids)
{
    if (l->n == 0)
        buf_puts(B, "<p>No published contributions match.</p>");
    else
        buf_printf(B, "<p>%zu%s contributions, newest first.</p>", l->n, more ? " most recent" : "");
    buf_puts(B, "<div class=\"nhsuk-checkboxes\">");
    for (size_t i = 0; i < l->n; i++) {
        const struct store_contribution *x = &l->items[i];
        char agree[KIT_NUMBER_MAX];
        buf_printf(B, "<div class=\"nhsuk-checkboxes__item\"><input class=\"nhsuk-checkboxes__input\" "
                      "id=\"contribution-%lld\" name=\"contribution\" type=\"checkbox\" value=\"%lld\"%s>"
                      "<label class=\"nhsuk-label nhsuk-checkboxes__label\" for=\"contribution-%lld\">",
                   (long long)x->id, (long long)x->id, ticked(ids, nids, x->id) ? " checked" : "", (long long)x->id);
        html_esc(B, x->body);
        buf_puts(B, "</label><div class=\"nhsuk-hint nhsuk-checkboxes__hint\">");
        html_esc(B, x->theme[0] ? x->theme : "No theme");
        buf_printf(B, "; %s agree</div></div>", kit_count(agree, x->agree));
    }
    buf_puts(B, "</div>");
    /* what was ticked under another filter stays ticked */
    for (size_t i = 0; i < nids; i++) {
        bool shown = false;
        for (size_t j = 0; j < l->n && !shown; j++)
            shown = l->items[j].id == ids[i];
        if (!shown) {
            char v[24];
            snprintf(v, sizeof v, "%lld", (long long)ids[i]);
            kit_hidden(w, "contribution", v);
        }
    }
    if (nids)
        buf_printf(B, "<p>%zu ticked.</p>", nids);
}

int web_provenance_picker(struct web_req *r, struct web_resp *w, const struct purpose_err *fe, struct purpose_err *err)
{
    const char *q = web_field(r, "q"), *theme = web_field(r, "theme");
    q = q ? q : "";
    theme = theme ? theme : "";
    struct purpose_err ignored = {0};
    int64_t *ids = NULL;
    size_t nids = 0;
    web_provenance_ticked(r, &ids, &nids, &ignored); /* a bad one was reported by the caller */
    struct store_contribution_list l;
    bool more;
    char(*names)[STORE_TITLE_MAX + 1] = calloc(THEMES_MAX, sizeof *names);
    size_t nt = 0;
    if (!names) {
        free(ids);
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
    }
    struct purpose_err qe = {0};
    if (store_provenance_candidates(r->ctx->store, web_scope(r), q, theme, &l, &more, &qe) < 0) {
        if (qe.kind == PURPOSE_ERR_INTERNAL) {
            *err = qe;
            free(ids);
            free(names);
            return -1;
        }
        q = theme = ""; /* a search too long: show the latest */
        if (store_provenance_candidates(r->ctx->store, web_scope(r), q, theme, &l, &more, err) < 0) {
            free(ids);
            free(names);
            return -1;
        }
    }
    if (store_provenance_themes(r->ctx->store, web_scope(r), names, THEMES_MAX, &nt, err) < 0) {
        store_contribution_list_release(&l);
        free(ids);
        free(names);
        return -1;
    }
    bool bad = fe && strcmp(fe->field, "contribution_ids") == 0;
    buf_printf(B, "<div class=\"nhsuk-form-group%s\"><fieldset class=\"nhsuk-fieldset\" id=\"contribution_ids\" "
                  "aria-describedby=\"contribution_ids-hint\"><legend class=\"nhsuk-fieldset__legend "
                  "nhsuk-fieldset__legend--m\"><h2 class=\"nhsuk-fieldset__heading\">Contributions that shaped this "
                  "version</h2></legend><div class=\"nhsuk-hint\" id=\"contribution_ids-hint\">Tick the contributions "
                  "from your conversations that shaped it. The public page says how many, from how many people and "
                  "groups, and lists them (anonymous ones without a name).</div>",
               bad ? " nhsuk-form-group--error" : "");
    if (bad) {
        buf_puts(B, "<span class=\"nhsuk-error-message\"><span class=\"nhsuk-u-visually-hidden\">Error:</span> ");
        html_esc(B, fe->msg);
        buf_puts(B, "</span>");
    }
    kit_input(w, NULL, &(struct kit_field){.name = "q", .label = "Words in the contribution", .value = q});
    kit_select_open(w, NULL, &(struct kit_field){.name = "theme", .label = "Theme"});
    kit_select_option(w, "", "Any theme", !theme[0]);
    for (size_t i = 0; i < nt; i++)
        kit_select_option(w, names[i], names[i], strcmp(names[i], theme) == 0);
    kit_select_close(w);
    buf_puts(B, "<button class=\"nhsuk-button nhsuk-button--secondary\" type=\"submit\" name=\"action\" "
                "value=\"filter\">Filter contributions</button>");
    picker_list(w, &l, more, ids, nids);
    buf_puts(B, "</fieldset></div>");
    store_contribution_list_release(&l);
    free(ids);
    free(names);
    return 0;
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/shaped/{kind}", .role = ROLE_ANON, .scope = WEB_ORG, .handler = shaped_page},
    {.method = "GET", .path = "/programmes/{programme}/shaped/{kind}", .role = ROLE_ANON, .scope = WEB_PROGRAMME, .handler = shaped_page},
    {.method = "GET", .path = "/api/v1/statements/{kind}/provenance", .role = ROLE_ANON, .scope = WEB_ORG, .kind = WEB_API, .handler = shaped_api},
    {.method = "POST", .path = "/api/v1/statements/{kind}/provenance", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = link_api},
    {.method = "GET", .path = "/api/v1/statements/{kind}/candidates", .role = ROLE_LEAD, .scope = WEB_ORG, .kind = WEB_API, .handler = candidates_api},
    {.method = "GET", .path = "/api/v1/programmes/{programme}/statements/{kind}/provenance", .role = ROLE_ANON, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = shaped_api},
    {.method = "POST", .path = "/api/v1/programmes/{programme}/statements/{kind}/provenance", .role = ROLE_LEAD, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = link_api},
    {.method = "GET", .path = "/api/v1/programmes/{programme}/statements/{kind}/candidates", .role = ROLE_LEAD, .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = candidates_api},
};

WEB_FEATURE_ROUTES(web_provenance, routes);
