/* Ambulance handovers: a lead imports rows on the web, from a handover CSV file uploaded or pasted
 * (header first; a chosen file wins over the box). The same rules as `purpose handovers import`
 * (store/handovers.h): all or nothing, every bad row listed with its line, column and reason, or
 * (skip bad rows) the good ones stored; a row stored before is not counted again. Bounded by the
 * server's body limit (--max-body). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/kit.h"
#include "web/web_int.h"
#include "core/banned.h"

#define B (&w->body)
#define LISTED_MAX 200 /* bad rows named on the page; the count says how many there were */
/* Pasted rows shown again in the box after an error: escaped, text grows at most 6 times ("&quot;"),
 * so this much always fits the page (WEB_PAGE_LIMIT) with the form and the listed rows. */
#define ECHO_MAX ((size_t)512 << 10)

struct upload {
    struct store_ho_import *im;
    bool skip_bad;
    uint64_t bad;
    size_t listed;
    struct buf list; /* <li> items, escaped */
    const char *anchor; /* where the error summary's links lead: the file input or the box */
};

static int on_row(void *ctx, const struct ho_row *row, struct purpose_err *err)
{
    struct upload *u = ctx;
    if (u->bad && !u->skip_bad)
        return 0; /* refused anyway: only keep listing the bad rows */
    return store_ho_import_row(u->im, row, err);
}

static int on_bad(void *ctx, const struct ho_bad *bad, struct purpose_err *err)
{
    (void)err;
    struct upload *u = ctx;
    u->bad++;
    if (u->listed++ >= LISTED_MAX)
        return 0;
    char line[320];
    if (bad->field == HO_N_COLS)
        snprintf(line, sizeof line, "Line %zu: %s", bad->line, bad->reason);
    else
        snprintf(line, sizeof line, "Line %zu, column \"%s\": %s", bad->line, ho_col_name(bad->field), bad->reason);
    buf_printf(&u->list, "<li><a href=\"#%s\">", u->anchor);
    html_esc(&u->list, line);
    buf_puts(&u->list, "</a></li>");
    return 0;
}

static void import_form(struct web_req *r, struct web_resp *w, const char *csv, bool skip_bad, const char *problem,
                        const struct buf *list)
{
    char action[120];
    web_href(r, action, sizeof action, "/handovers/import");
    html_begin(r, w, "Import handovers");
    kit_narrow_open(w);
    if (problem) {
        buf_puts(B, "<div class=\"nhsuk-error-summary\" aria-labelledby=\"error-summary-title\" role=\"alert\" "
                    "tabindex=\"-1\"><h2 class=\"nhsuk-error-summary__title\" id=\"error-summary-title\">");
        html_esc(B, problem);
        buf_puts(B, "</h2><div class=\"nhsuk-error-summary__body\"><ul class=\"nhsuk-list nhsuk-error-summary__list\">");
        if (list && list->len && !list->failed)
            buf_append(B, list->data, list->len);
        buf_puts(B, "</ul></div></div>");
    }
    buf_puts(B, "<span class=\"nhsuk-caption-l\">");
    html_esc(B, r->org.name);
    buf_puts(B, "</span><h1>Import handovers</h1><p>Upload a handover file, or paste its rows, its header first: columns "
                "<code>site</code>, <code>arrival</code>, <code>handover</code>, <code>clear</code> and "
                "<code>ref</code> (a pseudonymous incident reference, never a patient identifier). Rows already "
                "stored are skipped. Larger files: <code>purpose handovers import</code>.</p>");
    kit_form_open_upload(r, w, action);
    kit_file_upload(w, NULL,
                    &(struct kit_field){.name = "file", .label = "Upload a handover file (CSV)",
                                        .hint = "A file you choose is imported instead of the rows below."},
                    ".csv,text/csv");
    kit_textarea(w, NULL, &(struct kit_field){.name = "csv", .label = "Or paste its rows (CSV)", .value = csv, .rows = 12});
    kit_checkbox(w, "skip_bad", "1", "Store the good rows and leave out bad ones (else any bad row stops the import)",
                 skip_bad);
    kit_button(w, "Import", false);
    kit_form_close(w);
    kit_narrow_close(w);
    html_end(r, w);
}

/* The pasted rows to show again, or "" when they are too long to (problem then says so). */
static const char *pasted_again(struct web_req *r, char *problem, size_t n)
{
    const char *csv = web_field(r, "csv");
    if (strlen(csv) <= ECHO_MAX)
        return csv;
    size_t len = strlen(problem);
    snprintf(problem + len, n - len, ". The pasted rows are too long to show again: correct them where you "
                                     "copied them from, then paste or upload them again");
    return "";
}

static int import_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    (void)err;
    import_form(r, w, "", false, NULL, NULL);
    return 0;
}

static int import_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const char *csv, *file; /* a chosen file wins over the box */
    struct upload u = {.skip_bad = web_field(r, "skip_bad")[0] != '\0'};
    struct purpose_err up = {0};
    if (web_upload_text(r, "file", "csv", &csv, &file, &up) < 0 || !csv[0]) {
        char problem[800] = "Choose a handover file, or paste its rows, its header first";
        if (up.msg[0])
            snprintf(problem, sizeof problem, "Nothing was stored: %s", up.msg);
        const char *again = pasted_again(r, problem, sizeof problem);
        import_form(r, w, again, u.skip_bad, problem, NULL);
        w->status = 400;
        return 0;
    }
    buf_init(&u.list, (size_t)1 << 20);
    u.anchor = file ? "file" : "csv";
    struct store_actor by = web_actor(r);
    struct store_ho_summary sum = {0};
    struct ho_stream *st = NULL;
    struct ho_sink sink = {on_row, on_bad, &u};
    int rc = store_ho_import_begin(r->ctx->store, &by, r->scope.id, "web upload", &u.im, err);
    if (rc == 0)
        rc = ho_stream_new(&st, file ? file : "upload", &sink, err);
    if (rc == 0)
        rc = ho_stream_feed(st, csv, strlen(csv), err);
    if (rc == 0)
        rc = ho_stream_finish(st, err);
    ho_stream_free(&st);
    bool refused = rc == 0 && u.bad && !u.skip_bad;
    if (u.im) {
        struct purpose_err end_err = {0};
        if (store_ho_import_end(&u.im, rc == 0 && !refused, u.bad, &sum, &end_err) < 0 && rc == 0) {
            *err = end_err;
            rc = -1;
        }
    }
    if (rc < 0 && err->kind != PURPOSE_ERR_INPUT) {
        buf_release(&u.list);
        return web_page_fail(r, w, err);
    }
    if (rc < 0 || refused) {
        char problem[800];
        if (rc < 0)
            snprintf(problem, sizeof problem, "Nothing was stored: %s", err->msg);
        else
            snprintf(problem, sizeof problem, "Nothing was stored: %llu bad row%s", (unsigned long long)u.bad,
                     u.bad == 1 ? "" : "s");
        const char *again = pasted_again(r, problem, sizeof problem);
        import_form(r, w, again, u.skip_bad, problem, rc < 0 ? NULL : &u.list);
        w->status = 400;
        buf_release(&u.list);
        return 0;
    }
    buf_release(&u.list);
    char dash[120], text[400], from[11] = "", to[11] = "";
    web_href(r, dash, sizeof dash, "/handovers");
    if (sum.first_day <= sum.last_day) {
        ho_date_format(sum.first_day, from);
        ho_date_format(sum.last_day, to);
    }
    snprintf(text, sizeof text, "Stored %llu rows, skipped %llu seen before, left out %llu bad; %llu sites (%llu new)%s%s%s%s.",
             (unsigned long long)sum.stored, (unsigned long long)sum.duplicates, (unsigned long long)u.bad,
             (unsigned long long)sum.sites, (unsigned long long)sum.sites_new, from[0] ? "; " : "", from,
             from[0] ? " to " : "", to);
    html_begin(r, w, "Handovers imported");
    buf_puts(B, "<h1>Handovers imported</h1>");
    kit_inset(w, text, NULL, NULL, NULL);
    buf_puts(B, "<p>");
    kit_link(w, dash, "See the dashboard", NULL);
    buf_puts(B, "</p>");
    html_end(r, w);
    return 0;
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/handovers/import", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = import_page},
    {.method = "POST", .path = "/handovers/import", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = import_post},
};

WEB_FEATURE_ROUTES(web_handovers_import, routes);
