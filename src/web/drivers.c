/* Driver diagrams and PDSA cycles on the web: the diagram drawn as an accessible SVG on the project
 * page (aim, primary drivers, secondary drivers, change ideas, left to right), edited as a tree of
 * plain forms (no JavaScript), and the cycles that test each change idea. The API is drivers_api.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/action.h"
#include "web/improve.h"
#include "core/banned.h"

#define B (&w->body)

int web_drivers_section(struct web_req *r, struct web_resp *w, const struct store_project *p, struct purpose_err *err);
int web_pdsa_section(struct web_req *r, struct web_resp *w, const struct store_project *p, struct purpose_err *err);

/* ---- the diagram as SVG ------------------------------------------------------------------------- */

#define COL_W 230.0
#define COL_GAP 40.0
#define BOX_H 64.0
#define ROW_H 76.0
#define LINE_CHARS 30

/* Writes s into the box as up to 3 lines of about LINE_CHARS characters (cut at spaces). */
static void box_text(struct web_resp *w, double x, double y, const char *s, const char *colour)
{
    size_t n = strlen(s), at = 0;
    for (int line = 0; line < 3 && at < n; line++) {
        size_t len = n - at;
        if (len > LINE_CHARS) {
            len = LINE_CHARS;
            while (len > 10 && s[at + len] != ' ')
                len--;
            if (line == 2 && at + len < n)
                len = len > 3 ? len - 1 : len;
        }
        while (len > 0 && at + len < n && (s[at + len] & 0xc0) == 0x80) /* never cut a UTF-8 sequence */
            len--;
        char piece[LINE_CHARS * 4 + 8];
        snprintf(piece, sizeof piece, "%.*s%s", (int)len, s + at, line == 2 && at + len < n ? "..." : "");
        buf_printf(B, "<text x=\"%.0f\" y=\"%.0f\" font-family=\"Arial, sans-serif\" font-size=\"14\" fill=\"%s\">",
                   x + 8, y + 20 + line * 17, colour);
        html_esc(B, piece);
        buf_puts(B, "</text>");
        at += len;
        while (at < n && s[at] == ' ')
            at++;
    }
}

/* Styles are attributes: the Content-Security-Policy refuses inline style elements. */
static void box(struct web_resp *w, double x, double y, const char *cls, const char *fill, const char *ink,
                const char *s)
{
    buf_printf(B, "<g class=\"%s\"><rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" rx=\"4\" fill=\"%s\" "
                  "stroke=\"#425563\" stroke-width=\"1.5\"/>",
               cls, x, y, COL_W, BOX_H, fill);
    box_text(w, x, y, s, ink);
    buf_puts(B, "</g>");
}

/* Rows a node spans: its leaves, at least one. */
static size_t leaves(const struct store_driver_list *dl, size_t i, size_t *next)
{
    size_t n = 0, j = i + 1;
    while (j < dl->n && dl->items[j].kind > dl->items[i].kind) {
        if (dl->items[j].parent_id == dl->items[i].id) {
            size_t after;
            n += leaves(dl, j, &after);
            j = after;
        } else {
            j++;
        }
    }
    *next = j;
    return n ? n : 1;
}

static void svg_node(struct web_resp *w, const struct store_driver_list *dl, size_t i, double row, double px, double py)
{
    size_t next;
    double span = (double)leaves(dl, i, &next);
    int col = (int)dl->items[i].kind + 1;
    double x = col * (COL_W + COL_GAP), y = (row + (span - 1) / 2) * ROW_H + 10;
    buf_printf(B, "<path d=\"M%.0f %.0f H%.0f V%.0f H%.0f\" fill=\"none\" stroke=\"#768692\" stroke-width=\"1.5\"/>", px,
               py, x - COL_GAP / 2, y + BOX_H / 2, x);
    static const char *const cls[] = {"primary", "secondary", "change"}, *const fills[] = {"#e8edee", "#ffffff", "#fff9c4"};
    box(w, x, y, cls[dl->items[i].kind], fills[dl->items[i].kind], "#212b32", dl->items[i].text);
    double r = row;
    for (size_t j = i + 1; j < next; j++)
        if (dl->items[j].parent_id == dl->items[i].id) {
            size_t after;
            double s = (double)leaves(dl, j, &after);
            svg_node(w, dl, j, r, x + COL_W, y + BOX_H / 2);
            r += s;
        }
}

static void diagram_svg(struct web_resp *w, const struct store_project *p, const struct store_driver_list *dl)
{
    size_t rows = 0, n_prim = 0;
    for (size_t i = 0; i < dl->n; i++)
        if (dl->items[i].kind == STORE_DRIVER_PRIMARY) {
            size_t next;
            rows += leaves(dl, i, &next);
            n_prim++;
        }
    if (rows == 0)
        rows = 1;
    double h = (double)rows * ROW_H + 20, wd = 4 * COL_W + 3 * COL_GAP + 10;
    buf_printf(B, "<div class=\"app-diagram\"><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"app-driver-diagram\" "
                  "viewBox=\"0 0 %.0f %.0f\" width=\"100%%\" role=\"img\" aria-labelledby=\"dd-title dd-desc\">"
                  "<title id=\"dd-title\">Driver diagram</title><desc id=\"dd-desc\">",
               wd, h);
    buf_printf(B, "The aim, %zu primary driver%s, their secondary drivers and change ideas, left to right. "
                  "The same tree is listed below the diagram.</desc>",
               n_prim, n_prim == 1 ? "" : "s");
    double ay = ((double)rows - 1) / 2 * ROW_H + 10;
    box(w, 5, ay, "aim", "#005eb8", "#ffffff", p->aim);
    double r = 0;
    for (size_t i = 0; i < dl->n; i++)
        if (dl->items[i].kind == STORE_DRIVER_PRIMARY) {
            size_t next;
            double s = (double)leaves(dl, i, &next);
            svg_node(w, dl, i, r, 5 + COL_W, ay + BOX_H / 2);
            r += s;
        }
    buf_puts(B, "</svg></div>");
}

/* ---- the tree as forms ---------------------------------------------------------------------------- */

static const char *kind_label(enum store_driver_kind k)
{
    return k == STORE_DRIVER_PRIMARY ? "Primary driver" : k == STORE_DRIVER_SECONDARY ? "Secondary driver" : "Change idea";
}

/* "Move up" and "Move down" among the node's siblings, as small forms (no JavaScript needed). */
static void move_buttons(struct web_req *r, struct web_resp *w, const struct store_driver_list *dl, size_t i)
{
    bool before = false, after = false;
    for (size_t j = 0; j < dl->n; j++)
        if (j != i && dl->items[j].parent_id == dl->items[i].parent_id)
            *(j < i ? &before : &after) = true;
    static const char *const dirs[] = {"up", "down"}, *const labels[] = {"Move up", "Move down"};
    for (int k = 0; k < 2; k++) {
        if (!(k == 0 ? before : after))
            continue;
        char action[48];
        snprintf(action, sizeof action, "/drivers/%lld/move", (long long)dl->items[i].id);
        buf_puts(B, "<span class=\"app-inline-form\">");
        kit_form_open(r, w, action);
        kit_hidden(w, "direction", dirs[k]);
        kit_link_button(w, labels[k], dl->items[i].text);
        kit_form_close(w);
        buf_puts(B, "</span>");
    }
}

int web_drivers_section(struct web_req *r, struct web_resp *w, const struct store_project *p, struct purpose_err *err)
{
    struct store_driver_list dl;
    if (store_driver_list(r->ctx->store, &r->scope, p->id, &dl, err) < 0)
        return -1;
    buf_puts(B, "<h2 id=\"driver-diagram\">Driver diagram</h2>");
    diagram_svg(w, p, &dl);
    buf_puts(B, "<ul class=\"app-tree\"><li><strong>Aim:</strong> ");
    html_esc(B, p->aim);
    int depth = 0;
    for (size_t i = 0; i < dl.n; i++) {
        int d = (int)dl.items[i].kind + 1;
        if (d > depth)
            buf_puts(B, "<ul>");
        else
            for (buf_puts(B, "</li>"); depth > d; depth--)
                buf_puts(B, "</ul></li>");
        depth = d;
        buf_puts(B, "<li><strong>");
        html_esc(B, kind_label(dl.items[i].kind));
        buf_puts(B, ":</strong> ");
        html_esc(B, dl.items[i].text);
        char href[48];
        snprintf(href, sizeof href, "/drivers/%lld/edit", (long long)dl.items[i].id);
        if (web_may(r, "POST", href)) {
            buf_puts(B, " ");
            kit_link(w, href, "Change or add below", dl.items[i].text);
            move_buttons(r, w, &dl, i);
        }
    }
    for (; depth > 0; depth--)
        buf_puts(B, "</li></ul>");
    buf_puts(B, "</li></ul>");
    char action[64];
    snprintf(action, sizeof action, "/projects/%lld/drivers", (long long)p->id);
    if (web_may(r, "POST", action)) {
        kit_form_open(r, w, action);
        kit_hidden(w, "parent_id", "0");
        kit_input(w, NULL, &(struct kit_field){.name = "text", .label = "Add a primary driver"});
        kit_button(w, "Add", true);
        kit_form_close(w);
    }
    store_driver_list_release(&dl);
    return 0;
}

int web_driver_form(struct web_req *r, struct web_resp *w, const struct store_driver *d, const char *text,
                    const char *child, const struct purpose_err *fe)
{
    char back[48], action[64];
    snprintf(back, sizeof back, "/projects/%lld", (long long)d->project_id);
    html_begin(r, w, kind_label(d->kind));
    kit_narrow_open(w);
    kit_back_link(w, back, "Back to the project");
    kit_error_summary(w, fe);
    buf_printf(B, "<h1>%s</h1>", kind_label(d->kind));
    snprintf(action, sizeof action, "/drivers/%lld/edit", (long long)d->id);
    kit_form_open(r, w, action);
    kit_textarea(w, kit_fault(w, fe, "text"),
                 &(struct kit_field){.name = "text", .label = "Wording", .value = text, .rows = 2});
    kit_button(w, "Save", false);
    kit_form_close(w);
    if (d->kind != STORE_DRIVER_CHANGE) {
        snprintf(action, sizeof action, "/projects/%lld/drivers", (long long)d->project_id);
        char parent[24];
        snprintf(parent, sizeof parent, "%lld", (long long)d->id);
        kit_form_open(r, w, action);
        kit_hidden(w, "parent_id", parent);
        kit_input(w, kit_fault(w, fe, "child"),
                  &(struct kit_field){.name = "child", .value = child,
                                      .label = d->kind == STORE_DRIVER_PRIMARY ? "Add a secondary driver below it"
                                                                              : "Add a change idea below it"});
        kit_button(w, "Add", true);
        kit_form_close(w);
    } else {
        char href[64];
        snprintf(href, sizeof href, "/drivers/%lld/pdsa/new", (long long)d->id);
        buf_puts(B, "<p>");
        kit_link(w, href, "Log a PDSA cycle testing this change idea", NULL);
        buf_puts(B, "</p>");
    }
    snprintf(action, sizeof action, "/drivers/%lld/delete", (long long)d->id);
    buf_puts(B, "<p>");
    kit_link(w, action, "Delete it and everything below it", NULL);
    buf_puts(B, "</p>");
    kit_narrow_close(w);
    html_end(r, w);
    return 0;
}

static int driver_edit_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_driver d;
    if (web_driver_take(r, &d, err) < 0)
        return web_page_fail(r, w, err);
    web_driver_form(r, w, &d, d.text, "", NULL);
    store_driver_release(&d);
    return 0;
}

static int driver_update_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &web_driver_change, err);
}

/* POST /projects/{id}/drivers: parent_id 0 adds a primary driver (field text), else a child (field child). */
static int driver_add_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &web_driver_add, err);
}

/* POST /drivers/{id}/move, direction up or down: back to the diagram, drawn in the new order. */
static int driver_move_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &web_driver_move, err);
}

/* ---- PDSA cycles ---------------------------------------------------------------------------------- */

int web_pdsa_section(struct web_req *r, struct web_resp *w, const struct store_project *p, struct purpose_err *err)
{
    struct store_pdsa_list cl;
    if (store_pdsa_list(r->ctx->store, &r->scope, p->id, &cl, err) < 0)
        return -1;
    buf_puts(B, "<h2 id=\"pdsa\">PDSA cycles</h2>");
    if (cl.n == 0)
        buf_puts(B, "<p>No cycles yet. Log one from a change idea in the driver diagram.</p>");
    for (size_t i = 0; i < cl.n; i++) {
        const struct store_pdsa *c = &cl.items[i];
        char head[STORE_TITLE_MAX + 32], dates[2 * KIT_DAY_MAX + 8], from[KIT_DAY_MAX], to[KIT_DAY_MAX];
        snprintf(head, sizeof head, "P%zu: %s", i + 1, c->title);
        snprintf(dates, sizeof dates, "%s to %s", kit_day_words(from, sizeof from, c->start_date),
                 c->end_date[0] ? kit_day_words(to, sizeof to, c->end_date) : "now");
        buf_puts(B, "<div class=\"nhsuk-card\"><div class=\"nhsuk-card__content\"><h3 class=\"nhsuk-card__heading\">");
        html_esc(B, head);
        buf_puts(B, "</h3>");
        kit_summary_open(w);
        kit_summary_row(w, "Dates", dates, NULL, NULL, NULL);
        kit_summary_row(w, "Plan", c->plan, NULL, NULL, NULL);
        kit_summary_row(w, "Prediction", c->prediction, NULL, NULL, NULL);
        kit_summary_row(w, "Do", c->do_notes, NULL, NULL, NULL);
        kit_summary_row(w, "Study", c->study, NULL, NULL, NULL);
        kit_summary_row(w, "Act", c->act[0] ? c->act : "Not decided", NULL, NULL, NULL);
        kit_summary_close(w);
        char href[48];
        snprintf(href, sizeof href, "/pdsa/%lld/edit", (long long)c->id);
        if (web_may(r, "POST", href)) {
            kit_link(w, href, "Change", c->title);
        }
        buf_puts(B, "</div></div>");
    }
    store_pdsa_list_release(&cl);
    return 0;
}

static int pdsa_form(struct web_req *r, struct web_resp *w, bool create, int64_t project_id,
                     const struct store_pdsa_input *in, const struct purpose_err *fe)
{
    char back[48], action[64];
    snprintf(back, sizeof back, "/projects/%lld", (long long)project_id);
    snprintf(action, sizeof action, create ? "/drivers/%lld/pdsa/new" : "/pdsa/%lld/edit", (long long)r->id);
    html_begin(r, w, create ? "Log a PDSA cycle" : "Change a PDSA cycle");
    kit_narrow_open(w);
    kit_back_link(w, back, "Back to the project");
    kit_error_summary(w, fe);
    buf_puts(B, create ? "<h1>Log a PDSA cycle</h1>" : "<h1>Change a PDSA cycle</h1>");
    kit_form_open(r, w, action);
    kit_input(w, fe, &(struct kit_field){.name = "title", .label = "What is being tested", .value = in->title});
    kit_textarea(w, fe, &(struct kit_field){.name = "plan", .label = "Plan", .value = in->plan, .rows = 3});
    kit_textarea(w, fe, &(struct kit_field){.name = "prediction", .label = "Prediction", .value = in->prediction,
                                            .rows = 2, .hint = "What you expect to happen"});
    kit_textarea(w, fe, &(struct kit_field){.name = "do_notes", .label = "Do", .value = in->do_notes, .rows = 3,
                                            .hint = "What happened when it was tried"});
    kit_textarea(w, fe, &(struct kit_field){.name = "study", .label = "Study", .value = in->study, .rows = 3,
                                            .hint = "What the data showed, against the prediction"});
    static const char *const acts[] = {"", "adopt", "adapt", "abandon"};
    static const char *const labels[] = {"Not decided yet", "Adopt", "Adapt", "Abandon"};
    struct kit_option opt[4];
    for (size_t i = 0; i < 4; i++)
        opt[i] = (struct kit_option){acts[i], labels[i], strcmp(in->act ? in->act : "", acts[i]) == 0};
    kit_radios(w, fe, &(struct kit_field){.name = "act", .label = "Act"}, opt, 4);
    kit_date_input(w, fe, &(struct kit_field){.name = "start_date", .label = "Start date", .hint = "For example, 1 5 2025",
                                              .value = in->start_date});
    kit_date_input(w, fe, &(struct kit_field){.name = "end_date", .label = "End date",
                                              .hint = "Leave empty while it runs. For example, 31 5 2025", .value = in->end_date});
    kit_button(w, "Save", false);
    kit_form_close(w);
    if (!create) {
        snprintf(action, sizeof action, "/pdsa/%lld/delete", (long long)r->id);
        buf_puts(B, "<p>");
        kit_link(w, action, "Delete this cycle", NULL);
        buf_puts(B, "</p>");
    }
    kit_narrow_close(w);
    html_end(r, w);
    return 0;
}

int web_pdsa_form_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                        const struct purpose_err *fe, struct purpose_err *err)
{
    bool create = in->a == &web_pdsa_add;
    struct store_pdsa_input c;
    web_pdsa_input(in, &c);
    int64_t project;
    if (create) {
        struct store_driver d;
        if (web_driver_take(r, &d, err) < 0)
            return web_page_fail(r, w, err);
        project = d.project_id;
        store_driver_release(&d);
    } else {
        struct store_pdsa p;
        if (store_pdsa_get(r->ctx->store, &r->scope, r->id, &p, err) < 0)
            return web_page_fail(r, w, err);
        project = p.project_id;
        store_pdsa_release(&p);
    }
    return pdsa_form(r, w, create, project, &c, fe);
}

static int pdsa_new_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_driver d;
    if (web_driver_take(r, &d, err) < 0)
        return web_page_fail(r, w, err);
    struct store_pdsa_input in = {"", "", "", "", "", "", "", ""};
    pdsa_form(r, w, true, d.project_id, &in, NULL);
    store_driver_release(&d);
    return 0;
}

static int pdsa_create_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &web_pdsa_add, err);
}

static int pdsa_edit_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_pdsa c;
    if (store_pdsa_get(r->ctx->store, &r->scope, r->id, &c, err) < 0)
        return web_page_fail(r, w, err);
    struct store_pdsa_input in = {c.title, c.plan, c.prediction, c.do_notes, c.study, c.act, c.start_date, c.end_date};
    pdsa_form(r, w, false, c.project_id, &in, NULL);
    store_pdsa_release(&c);
    return 0;
}

static int pdsa_update_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &web_pdsa_change, err);
}

static const struct web_route routes[] = {
    {.method = "POST", .path = "/projects/{id}/drivers", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = driver_add_page},
    {.method = "GET", .path = "/drivers/{id}/edit", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = driver_edit_page, .load = WEB_LOAD_DRIVER},
    {.method = "POST", .path = "/drivers/{id}/edit", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = driver_update_page, .load = WEB_LOAD_DRIVER},
    {.method = "POST", .path = "/drivers/{id}/move", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = driver_move_page, .load = WEB_LOAD_DRIVER},
    {.method = "GET", .path = "/drivers/{id}/pdsa/new", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = pdsa_new_page, .load = WEB_LOAD_DRIVER},
    {.method = "POST", .path = "/drivers/{id}/pdsa/new", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = pdsa_create_page, .load = WEB_LOAD_DRIVER},
    {.method = "GET", .path = "/pdsa/{id}/edit", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = pdsa_edit_page},
    {.method = "POST", .path = "/pdsa/{id}/edit", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = pdsa_update_page},
};

WEB_FEATURE_ROUTES(web_drivers, routes);
