/* Ambulance handovers: a lead imports rows on the web, from a handover CSV file uploaded or pasted
 * (header first; a chosen file wins over the box). The same rules as `purpose handovers import`
 * (store/handovers_run.h, one rule for both): all or nothing, or (skip bad rows) the good ones
 * stored; every bad row counted, the first 100 listed with line, column and reason, and all of them
 * (with the file's header and a reason column) offered as a CSV to download (web/badrows.h); a row
 * stored before is not counted again. Bounded by the server's body limit (--max-body). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/handovers_run.h"
#include "web/badrows.h"
#include "web/kit.h"
#include "web/web_int.h"
#include "core/banned.h"

#define B (&w->body)
/* Pasted rows shown again in the box after an error: escaped, text grows at most 6 times ("&quot;"),
 * so this much always fits the page (WEB_PAGE_LIMIT) with the form and the listed rows. */
#define ECHO_MAX ((size_t)512 << 10)

static int on_bad(void *ctx, const struct ho_bad *bad, struct purpose_err *err)
{
    (void)err;
    web_bad_rows_add(ctx, bad->line, bad->field == HO_N_COLS ? NULL : ho_col_name(bad->field), bad->reason, bad->text,
                     bad->text_len);
    return 0;
}

static void import_form(struct web_req *r, struct web_resp *w, const char *csv, bool skip_bad, const char *problem,
                        const struct web_bad_rows *rows, const char *download)
{
    char action[120];
    web_href(r, action, sizeof action, "/handovers/import");
    html_begin(r, w, "Import handovers");
    kit_narrow_open(w);
    if (problem)
        web_bad_rows_summary(w, rows, problem, download);
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
    import_form(r, w, "", false, NULL, NULL, NULL);
    return 0;
}

/* Not on the action skeleton (action.h), on purpose: its input is a file or a pasted box (one
 * chosen by web_upload_text, not a declared field), its errors are rows of a file (each listed with
 * line, column and reason, and kept for download, web/badrows.h) rather than fields, and its success
 * is a page of counts and left-out rows drawn at once, which web_action_out cannot carry. The
 * status still comes from the error kind: 400 for bad input, the error page for the rest. */
static int import_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const char *csv, *file; /* a chosen file wins over the box */
    bool skip_bad = web_field(r, "skip_bad")[0] != '\0';
    struct purpose_err up = {0};
    struct web_bad_rows rows;
    web_bad_rows_init(&rows, "csv");
    if (web_upload_text(r, "file", "csv", &csv, &file, &up) < 0 || !csv[0]) {
        char problem[800] = "Choose a handover file, or paste its rows, its header first";
        if (up.msg[0])
            snprintf(problem, sizeof problem, "Nothing was stored: %s", up.msg);
        const char *again = pasted_again(r, problem, sizeof problem);
        import_form(r, w, again, skip_bad, problem, &rows, NULL);
        w->status = 400;
        web_bad_rows_release(&rows);
        return 0;
    }
    rows.anchor = file ? "file" : "csv";
    web_bad_rows_header(&rows, csv, web_first_line(csv));
    struct store_actor by = web_actor(r);
    struct store_ho_summary sum = {0};
    struct ho_stream *st = NULL;
    struct store_ho_run run = {.skip_bad = skip_bad, .on_bad = on_bad, .ctx = &rows};
    int rc = store_ho_run_begin(&run, r->ctx->store, &by, &r->scope, "web upload", err);
    if (rc == 0)
        rc = ho_stream_new(&st, file ? file : "upload", &run.sink, err);
    if (rc == 0)
        rc = ho_stream_feed(st, csv, strlen(csv), err);
    if (rc == 0)
        rc = ho_stream_finish(st, err);
    ho_stream_free(&st);
    bool refused = store_ho_run_refused(&run, rc);
    rc = store_ho_run_end(&run, rc, &sum, err);
    if (rc < 0 && err->kind != PURPOSE_ERR_INPUT) {
        web_bad_rows_release(&rows);
        return web_page_fail(r, w, err);
    }
    char download[120];
    web_bad_rows_keep(r, &rows, download, sizeof download);
    if (rc < 0 || refused) {
        char problem[800];
        if (rc < 0)
            snprintf(problem, sizeof problem, "Nothing was stored: %s", err->msg);
        else
            snprintf(problem, sizeof problem, "Nothing was stored: %llu bad row%s", (unsigned long long)run.bad,
                     run.bad == 1 ? "" : "s");
        const char *again = pasted_again(r, problem, sizeof problem);
        import_form(r, w, again, skip_bad, problem, &rows, download);
        w->status = 400;
        web_bad_rows_release(&rows);
        return 0;
    }
    char dash[120], text[400], from[11] = "", to[11] = "";
    web_href(r, dash, sizeof dash, "/handovers");
    if (sum.first_day <= sum.last_day) {
        ho_date_format(sum.first_day, from);
        ho_date_format(sum.last_day, to);
    }
    snprintf(text, sizeof text, "Stored %llu rows, skipped %llu seen before, left out %llu bad; %llu sites (%llu new)%s%s%s%s.",
             (unsigned long long)sum.stored, (unsigned long long)sum.duplicates, (unsigned long long)run.bad,
             (unsigned long long)sum.sites, (unsigned long long)sum.sites_new, from[0] ? "; " : "", from,
             from[0] ? " to " : "", to);
    html_begin(r, w, "Handovers imported");
    buf_puts(B, "<h1>Handovers imported</h1>");
    kit_inset(w, text, NULL, NULL, NULL);
    web_bad_rows_left_out(w, &rows, download);
    buf_puts(B, "<p>");
    kit_link(w, dash, "See the dashboard", NULL);
    buf_puts(B, "</p>");
    html_end(r, w);
    web_bad_rows_release(&rows);
    return 0;
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/handovers/import", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = import_page},
    {.method = "POST", .path = "/handovers/import", .role = ROLE_LEAD, .scope = WEB_ORG, .handler = import_post},
};

WEB_FEATURE_ROUTES(web_handovers_import, routes);
