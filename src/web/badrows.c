/* A file's bad rows: listed on the page, and kept as a CSV to download (badrows.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/csv.h"
#include "core/secret.h"
#include "web/badrows.h"
#include "web/kit.h"
#include "core/banned.h"

#define B (&w->body)
#define LIST_MAX ((size_t)256 << 10) /* the listed lines: 100 of at most about 400 bytes, and then some */

void web_bad_rows_init(struct web_bad_rows *b, const char *anchor)
{
    *b = (struct web_bad_rows){.anchor = anchor};
    buf_init(&b->list, LIST_MAX);
    buf_init(&b->csv, WEB_BAD_ROWS_CSV_MAX);
}

void web_bad_rows_release(struct web_bad_rows *b)
{
    buf_release(&b->list);
    buf_release(&b->csv);
}

size_t web_first_line(const char *text)
{
    size_t n = strcspn(text, "\n");
    return n && text[n - 1] == '\r' ? n - 1 : n;
}

/* Adds s (n bytes) and its line end to the CSV if it fits the cap, else marks it cut. */
static void csv_line(struct web_bad_rows *b, const char *row, size_t row_len, const char *reason)
{
    if (b->csv_cut)
        return;
    size_t need = row_len + 2 * strlen(reason) + 8;
    if (b->csv.len + need > WEB_BAD_ROWS_CSV_MAX) {
        b->csv_cut = true;
        return;
    }
    buf_append(&b->csv, row, row_len);
    buf_putc(&b->csv, ',');
    csv_write_field(&b->csv, reason, strlen(reason));
    buf_putc(&b->csv, '\n');
}

void web_bad_rows_header(struct web_bad_rows *b, const char *header, size_t len)
{
    if (b->have_header)
        return;
    b->have_header = true;
    csv_line(b, header, len, "reason");
}

void web_bad_rows_add(struct web_bad_rows *b, size_t line, const char *column, const char *reason, const char *row,
                      size_t row_len)
{
    b->n++;
    char text[400];
    if (column)
        snprintf(text, sizeof text, "Line %zu, column \"%s\": %s", line, column, reason);
    else
        snprintf(text, sizeof text, "Line %zu: %s", line, reason);
    for (char *p = text; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' '; /* one line each in the list */
    if (b->n <= WEB_BAD_ROWS_LISTED) {
        buf_puts(&b->list, text);
        buf_putc(&b->list, '\n');
    }
    if (row)
        csv_line(b, row, row_len, text);
}

/* The listed rows as <li> items, each a link to the input when link; then "and N more". */
static void items(struct web_resp *w, const struct web_bad_rows *b, bool link)
{
    const char *p = b->list.failed || !b->list.data ? "" : b->list.data;
    const char *end = p + (b->list.failed ? 0 : b->list.len);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char text[400];
        snprintf(text, sizeof text, "%.*s", (int)n, p);
        buf_puts(B, "<li>");
        if (link) {
            buf_puts(B, "<a href=\"#");
            html_esc(B, b->anchor);
            buf_puts(B, "\">");
        }
        html_esc(B, text);
        buf_puts(B, link ? "</a></li>" : "</li>");
        p += n + 1;
    }
    if (b->n > WEB_BAD_ROWS_LISTED)
        buf_printf(B, "<li>and %llu more</li>", (unsigned long long)(b->n - WEB_BAD_ROWS_LISTED));
}

static void download(struct web_resp *w, const struct web_bad_rows *b, const char *href)
{
    if (!href || !href[0])
        return;
    buf_puts(B, "<p>");
    kit_link(w, href, "Download the bad rows with their reasons (CSV)", NULL);
    buf_puts(B, "</p>");
    if (b->csv_cut)
        buf_puts(B, "<p>The download holds the first rows only: the file has more bad rows than it can keep.</p>");
}

void web_bad_rows_summary(struct web_resp *w, const struct web_bad_rows *b, const char *title, const char *download_href)
{
    buf_puts(B, "<div class=\"nhsuk-error-summary\" aria-labelledby=\"error-summary-title\" role=\"alert\" "
                "tabindex=\"-1\"><h2 class=\"nhsuk-error-summary__title\" id=\"error-summary-title\">");
    html_esc(B, title);
    buf_puts(B, "</h2><div class=\"nhsuk-error-summary__body\"><ul class=\"nhsuk-list nhsuk-error-summary__list\">");
    items(w, b, true);
    buf_puts(B, "</ul>");
    download(w, b, download_href);
    buf_puts(B, "</div></div>");
}

void web_bad_rows_left_out(struct web_resp *w, const struct web_bad_rows *b, const char *download_href)
{
    if (!b->n)
        return;
    buf_printf(B, "<h2>%llu row%s left out</h2><ul class=\"nhsuk-list nhsuk-list--bullet\">", (unsigned long long)b->n,
               b->n == 1 ? "" : "s");
    items(w, b, false);
    buf_puts(B, "</ul>");
    download(w, b, download_href);
}

/* ---- kept for download ------------------------------------------------------------------------- */

static struct kept {
    char key[SECRET_TOKEN_LEN + 1];
    int64_t user;
    time_t at;
    char *data;
    size_t len;
} kept[WEB_BAD_ROWS_KEPT];
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

/* Frees the files past their time. Under kept_lock. */
static void expire(time_t now)
{
    for (size_t i = 0; i < WEB_BAD_ROWS_KEPT; i++)
        if (kept[i].data && now - kept[i].at > WEB_BAD_ROWS_SECONDS) {
            free(kept[i].data);
            kept[i] = (struct kept){0};
        }
}

void web_bad_rows_keep(struct web_req *r, const struct web_bad_rows *b, char *href, size_t n)
{
    href[0] = '\0';
    if (!b->n || b->csv.failed || !b->csv.len || !r->user.id)
        return;
    char *copy = malloc(b->csv.len);
    if (!copy)
        return;
    memcpy(copy, b->csv.data, b->csv.len);
    time_t now = time(NULL);
    pthread_mutex_lock(&kept_lock);
    expire(now);
    size_t slot = 0;
    for (size_t i = 0; i < WEB_BAD_ROWS_KEPT; i++) {
        if (!kept[i].data) {
            slot = i;
            break;
        }
        if (kept[i].at < kept[slot].at)
            slot = i; /* all in use: the oldest goes */
    }
    free(kept[slot].data);
    kept[slot] = (struct kept){.user = r->user.id, .at = now, .data = copy, .len = b->csv.len};
    secret_random_token(kept[slot].key);
    snprintf(href, n, "/rejects.csv?k=%s", kept[slot].key);
    pthread_mutex_unlock(&kept_lock);
}

static int download_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    (void)err;
    char key[SECRET_TOKEN_LEN + 1];
    bool found = false;
    if (web_query_get(r, "k", key, sizeof key) == 0) {
        pthread_mutex_lock(&kept_lock);
        expire(time(NULL));
        for (size_t i = 0; i < WEB_BAD_ROWS_KEPT && !found; i++)
            if (kept[i].data && kept[i].user == r->user.id && secret_equal(kept[i].key, key)) {
                buf_reset(B);
                buf_append(B, kept[i].data, kept[i].len);
                found = true;
            }
        pthread_mutex_unlock(&kept_lock);
    }
    if (!found) {
        html_error_page(r, w, 404, "That list of bad rows is no longer kept (it is kept for 30 minutes, for "
                                   "whoever uploaded the file): upload the file again to see it.");
        return 0;
    }
    w->content_type = "text/csv; charset=utf-8";
    return 0;
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/rejects.csv", .role = ROLE_MEMBER, .scope = WEB_ORG, .handler = download_page},
};

WEB_FEATURE_ROUTES(web_bad_rows_download, routes);
