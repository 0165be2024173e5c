/* The NHS design system kit, what a page shows (kit.h): summary lists, tables, tags, the inset
 * text, paragraphs, the narrow column, and numbers as pages write them (thousands separated,
 * small counts suppressed). Forms, buttons and links are in kit.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/kit.h"
#include "core/banned.h"

#define B (&w->body)

void kit_summary_open(struct web_resp *w)
{
    buf_puts(B, "<dl class=\"nhsuk-summary-list\">");
}

void kit_summary_row(struct web_resp *w, const char *key, const char *value, const char *action_href,
                     const char *action_label, const char *action_hidden)
{
    buf_puts(B, "<div class=\"nhsuk-summary-list__row\"><dt class=\"nhsuk-summary-list__key\">");
    html_esc(B, key);
    buf_puts(B, "</dt><dd class=\"nhsuk-summary-list__value\">");
    html_esc(B, value);
    buf_puts(B, "</dd><dd class=\"nhsuk-summary-list__actions\">");
    if (action_href)
        kit_link(w, action_href, action_label, action_hidden);
    buf_puts(B, "</dd></div>");
}

void kit_summary_close(struct web_resp *w)
{
    buf_puts(B, "</dl>");
}

void kit_table_open(struct web_resp *w, const char *caption, const char *const *heads, size_t n,
                    const char *extra_class)
{
    buf_printf(B, "<table class=\"nhsuk-table%s%s\"><caption class=\"nhsuk-table__caption\">",
               extra_class ? " " : "", extra_class ? extra_class : "");
    html_esc(B, caption);
    buf_puts(B, "</caption><thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">");
    for (size_t i = 0; i < n; i++) {
        buf_puts(B, "<th class=\"nhsuk-table__header\" scope=\"col\">");
        html_esc(B, heads[i]);
        buf_puts(B, "</th>");
    }
    buf_puts(B, "</tr></thead><tbody class=\"nhsuk-table__body\">");
}

void kit_row_open(struct web_resp *w)
{
    buf_puts(B, "<tr class=\"nhsuk-table__row\">");
}

void kit_row_close(struct web_resp *w)
{
    buf_puts(B, "</tr>");
}

void kit_cell_open(struct web_resp *w)
{
    buf_puts(B, "<td class=\"nhsuk-table__cell\">");
}

void kit_cell_close(struct web_resp *w)
{
    buf_puts(B, "</td>");
}

void kit_cell_class(struct web_resp *w, const char *text, const char *cls)
{
    buf_puts(B, "<td class=\"nhsuk-table__cell ");
    html_esc(B, cls);
    buf_puts(B, "\">");
    html_esc(B, text);
    buf_puts(B, "</td>");
}

void kit_cell(struct web_resp *w, const char *text)
{
    kit_cell_open(w);
    html_esc(B, text);
    kit_cell_close(w);
}

void kit_cell_code(struct web_resp *w, const char *text)
{
    kit_cell_open(w);
    buf_puts(B, "<code>");
    html_esc(B, text);
    buf_puts(B, "</code>");
    kit_cell_close(w);
}

void kit_table_close(struct web_resp *w)
{
    buf_puts(B, "</tbody></table>");
}

void kit_tag(struct web_resp *w, const char *text, const char *colour)
{
    buf_puts(B, "<strong class=\"nhsuk-tag");
    if (colour) {
        buf_puts(B, " nhsuk-tag--");
        html_esc(B, colour);
    }
    buf_puts(B, "\">");
    html_esc(B, text);
    buf_puts(B, "</strong>");
}

void kit_inset(struct web_resp *w, const char *text, const char *secret, const char *secret_id, const char *after)
{
    buf_puts(B, "<div class=\"nhsuk-inset-text\"><span class=\"nhsuk-u-visually-hidden\">Information: </span><p>");
    html_esc(B, text);
    if (secret) {
        buf_puts(B, "<code class=\"app-secret\"");
        if (secret_id) {
            buf_puts(B, " id=\"");
            html_esc(B, secret_id);
            buf_puts(B, "\"");
        }
        buf_puts(B, ">");
        html_esc(B, secret);
        buf_puts(B, "</code>");
    }
    html_esc(B, after);
    buf_puts(B, "</p></div>");
}

void kit_paragraphs(struct web_resp *w, const char *text, const char *cls)
{
    const char *p = text;
    while (p && *p) {
        const char *end = strstr(p, "\n\n");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char *part = malloc(n + 1);
        if (!part) {
            w->body.failed = true;
            return;
        }
        memcpy(part, p, n);
        part[n] = '\0';
        buf_puts(B, "<p");
        if (cls) {
            buf_puts(B, " class=\"");
            html_esc(B, cls);
            buf_puts(B, "\"");
        }
        buf_puts(B, ">");
        html_esc(B, part);
        buf_puts(B, "</p>");
        free(part);
        p = end ? end + 2 : NULL;
    }
}

void kit_narrow_open(struct web_resp *w)
{
    buf_puts(B, "<div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-two-thirds\">");
}

void kit_narrow_close(struct web_resp *w)
{
    buf_puts(B, "</div></div>");
}

const char *kit_number(char out[KIT_NUMBER_MAX], double v, int decimals)
{
    char plain[KIT_NUMBER_MAX];
    if (decimals < 0 || decimals > 3)
        decimals = 0;
    if (!isfinite(v) || fabs(v) >= 1e15) { /* beyond any count a page shows: as printf writes it */
        snprintf(out, KIT_NUMBER_MAX, "%g", v);
        return out;
    }
    snprintf(plain, sizeof plain, "%.*f", decimals, v);
    const char *p = plain;
    size_t o = 0;
    if (*p == '-')
        out[o++] = *p++;
    size_t digits = strspn(p, "0123456789");
    for (size_t i = 0; i < digits && o + 2 < KIT_NUMBER_MAX; i++) {
        if (i > 0 && (digits - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = p[i];
    }
    snprintf(out + o, KIT_NUMBER_MAX - o, "%s", p + digits);
    return out;
}

const char *kit_count(char out[KIT_NUMBER_MAX], int64_t n)
{
    if (store_count_suppressed(n))
        return store_count_text(n, out, KIT_NUMBER_MAX);
    return kit_number(out, (double)n, 0);
}

const char *kit_shown(char out[KIT_NUMBER_MAX], const struct store_shown *s)
{
    char n[KIT_NUMBER_MAX];
    if (s->form == STORE_TOTAL_FEWER)
        return store_count_text(s->n, out, KIT_NUMBER_MAX);
    snprintf(out, KIT_NUMBER_MAX, "%s%s", s->form == STORE_TOTAL_ABOUT ? "about " : "", kit_number(n, (double)s->n, 0));
    return out;
}
