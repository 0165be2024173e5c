/* The NHS design system kit (kit.h): error messages and summary, form controls, buttons, links,
 * pagination. Markup follows nhsuk-frontend 9's templates; what a page shows is in kit_content.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/kit.h"
#include "core/banned.h"

#define B (&w->body)

const struct purpose_err *kit_fault(const struct web_resp *w, const struct purpose_err *fe, const char *name)
{
    if (w->errs)
        return web_errors_find(w->errs, name);
    return fe && fe->msg[0] && strcmp(fe->field, name) == 0 ? fe : NULL;
}

/* The message for people: "target_year: must be ..." reads "Target year must be ...". */
static void words(struct buf *b, const struct purpose_err *fe)
{
    size_t n = strlen(fe->field);
    if (!n || strncmp(fe->msg, fe->field, n) != 0 || fe->msg[n] != ':') {
        html_esc(b, fe->msg);
        return;
    }
    char head[sizeof fe->field];
    for (size_t i = 0; i <= n; i++)
        head[i] = fe->field[i] == '_' ? ' ' : fe->field[i];
    if (head[0] >= 'a' && head[0] <= 'z')
        head[0] = (char)(head[0] - 'a' + 'A');
    const char *rest = fe->msg + n + 1;
    while (*rest == ' ')
        rest++;
    html_esc(b, head);
    buf_putc(b, ' ');
    html_esc(b, rest);
}

void kit_error_text(struct buf *b, const struct purpose_err *fe)
{
    words(b, fe);
}

void kit_form_open(struct web_req *r, struct web_resp *w, const char *action)
{
    buf_puts(B, "<form method=\"post\" action=\"");
    web_href_esc(w, action);
    buf_puts(B, "\" novalidate>");
    html_csrf(r, w);
}

void kit_form_close(struct web_resp *w)
{
    buf_puts(B, "</form>");
}

void kit_form_open_upload(struct web_req *r, struct web_resp *w, const char *action)
{
    buf_puts(B, "<form method=\"post\" enctype=\"multipart/form-data\" action=\"");
    web_href_esc(w, action);
    buf_puts(B, "\" novalidate>");
    html_csrf(r, w);
}

/* One line of the error summary, linking to its field when it names one. */
static void summary_item(struct web_resp *w, const struct purpose_err *fe)
{
    buf_puts(B, "<li>");
    if (fe->field[0]) {
        buf_puts(B, "<a href=\"#");
        html_esc(B, fe->field);
        buf_puts(B, "\">");
    }
    words(B, fe);
    if (fe->field[0])
        buf_puts(B, "</a>");
    buf_puts(B, "</li>");
}

void kit_error_summary(struct web_resp *w, const struct purpose_err *fe)
{
    size_t n = w->errs ? w->errs->n : fe && fe->msg[0] ? 1 : 0;
    if (!n)
        return;
    buf_puts(B, "<div class=\"nhsuk-error-summary\" aria-labelledby=\"error-summary-title\" "
                "role=\"alert\" tabindex=\"-1\"><h2 class=\"nhsuk-error-summary__title\" "
                "id=\"error-summary-title\">There is a problem</h2><div class=\"nhsuk-error-summary__body\">"
                "<ul class=\"nhsuk-list nhsuk-error-summary__list\">");
    for (size_t i = 0; i < n; i++)
        summary_item(w, w->errs ? &w->errs->e[i] : fe);
    buf_puts(B, "</ul></div></div>");
}

/* The group, label, hint and error message before a control. */
static void group_open(struct web_resp *w, const struct purpose_err *fe, const struct kit_field *f, bool legend)
{
    const struct purpose_err *e = kit_fault(w, fe, f->name);
    bool bad = e != NULL;
    buf_puts(B, bad ? "<div class=\"nhsuk-form-group nhsuk-form-group--error\">" : "<div class=\"nhsuk-form-group\">");
    if (legend) {
        buf_puts(B, "<fieldset class=\"nhsuk-fieldset\"><legend class=\"nhsuk-fieldset__legend\">");
        html_esc(B, f->label);
        buf_puts(B, "</legend>");
    } else {
        buf_puts(B, "<label class=\"nhsuk-label\" for=\"");
        html_esc(B, f->name);
        buf_puts(B, "\">");
        html_esc(B, f->label);
        buf_puts(B, "</label>");
    }
    if (f->hint) {
        buf_puts(B, "<div class=\"nhsuk-hint\" id=\"");
        html_esc(B, f->name);
        buf_puts(B, "-hint\">");
        html_esc(B, f->hint);
        buf_puts(B, "</div>");
    }
    if (bad) {
        buf_puts(B, "<span class=\"nhsuk-error-message\" id=\"");
        html_esc(B, f->name);
        buf_puts(B, "-error\"><span class=\"nhsuk-u-visually-hidden\">Error:</span> ");
        words(B, e);
        buf_puts(B, "</span>");
    }
}

/* class (with the error modifier when at fault), id, name and aria-describedby for a control. */
static void control_attrs(struct web_resp *w, const struct purpose_err *fe, const struct kit_field *f,
                          const char *cls, const char *extra)
{
    bool bad = kit_fault(w, fe, f->name) != NULL;
    buf_printf(B, " class=\"%s", cls);
    if (extra)
        buf_printf(B, " %s", extra);
    if (bad)
        buf_printf(B, " %s--error", cls);
    buf_puts(B, "\" id=\"");
    html_esc(B, f->name);
    buf_puts(B, "\" name=\"");
    html_esc(B, f->name);
    buf_puts(B, "\"");
    if (f->hint || bad) {
        buf_puts(B, " aria-describedby=\"");
        if (f->hint) {
            html_esc(B, f->name);
            buf_puts(B, "-hint");
        }
        if (bad) {
            buf_puts(B, f->hint ? " " : "");
            html_esc(B, f->name);
            buf_puts(B, "-error");
        }
        buf_puts(B, "\"");
    }
}

void kit_input(struct web_resp *w, const struct purpose_err *fe, const struct kit_field *f)
{
    group_open(w, fe, f, false);
    buf_puts(B, "<input");
    control_attrs(w, fe, f, "nhsuk-input", f->width);
    buf_puts(B, " type=\"");
    html_esc(B, f->type ? f->type : "text");
    buf_puts(B, "\"");
    if (f->autocomplete) {
        buf_puts(B, " autocomplete=\"");
        html_esc(B, f->autocomplete);
        buf_puts(B, "\"");
    }
    if (f->value) {
        buf_puts(B, " value=\"");
        html_esc(B, f->value);
        buf_puts(B, "\"");
    }
    buf_puts(B, "></div>");
}

void kit_textarea(struct web_resp *w, const struct purpose_err *fe, const struct kit_field *f)
{
    group_open(w, fe, f, false);
    buf_puts(B, "<textarea");
    control_attrs(w, fe, f, "nhsuk-textarea", NULL);
    buf_printf(B, " rows=\"%d\">", f->rows > 0 ? f->rows : 5);
    html_esc(B, f->value);
    buf_puts(B, "</textarea></div>");
}

/* nhsuk-frontend 10's file upload markup; version 9 (ours) has no style for it, so it is the
 * browser's own control, which is accessible as it is. */
void kit_file_upload(struct web_resp *w, const struct purpose_err *fe, const struct kit_field *f, const char *accept)
{
    group_open(w, fe, f, false);
    buf_puts(B, "<input");
    control_attrs(w, fe, f, "nhsuk-file-upload__input", NULL);
    buf_puts(B, " type=\"file\"");
    if (accept) {
        buf_puts(B, " accept=\"");
        html_esc(B, accept);
        buf_puts(B, "\"");
    }
    buf_puts(B, "></div>");
}

void kit_select_open(struct web_resp *w, const struct purpose_err *fe, const struct kit_field *f)
{
    group_open(w, fe, f, false);
    buf_puts(B, "<select");
    control_attrs(w, fe, f, "nhsuk-select", NULL);
    buf_puts(B, ">");
}

void kit_select_option(struct web_resp *w, const char *value, const char *label, bool selected)
{
    buf_puts(B, "<option value=\"");
    html_esc(B, value);
    buf_puts(B, selected ? "\" selected>" : "\">");
    html_esc(B, label);
    buf_puts(B, "</option>");
}

void kit_select_close(struct web_resp *w)
{
    buf_puts(B, "</select></div>");
}

/* The first radio's id is the field's name, so that the error summary's link lands on it. */
static void radio_id(struct web_resp *w, const char *name, size_t i)
{
    html_esc(B, name);
    if (i > 0)
        buf_printf(B, "-%zu", i + 1);
}

void kit_radios(struct web_resp *w, const struct purpose_err *fe, const struct kit_field *f,
                const struct kit_option *opt, size_t n)
{
    group_open(w, fe, f, true);
    buf_puts(B, "<div class=\"nhsuk-radios\">");
    for (size_t i = 0; i < n; i++) {
        buf_puts(B, "<div class=\"nhsuk-radios__item\"><input class=\"nhsuk-radios__input\" id=\"");
        radio_id(w, f->name, i);
        buf_puts(B, "\" name=\"");
        html_esc(B, f->name);
        buf_puts(B, "\" type=\"radio\" value=\"");
        html_esc(B, opt[i].value);
        buf_puts(B, opt[i].selected ? "\" checked>" : "\">");
        buf_puts(B, "<label class=\"nhsuk-label nhsuk-radios__label\" for=\"");
        radio_id(w, f->name, i);
        buf_puts(B, "\">");
        html_esc(B, opt[i].label);
        buf_puts(B, "</label></div>");
    }
    buf_puts(B, "</div></fieldset></div>");
}

void kit_checkbox_id(struct web_resp *w, const char *id, const char *name, const char *value, const char *label,
                     bool checked)
{
    buf_puts(B, "<div class=\"nhsuk-form-group\"><div class=\"nhsuk-checkboxes\"><div class=\"nhsuk-checkboxes__item\">"
                "<input class=\"nhsuk-checkboxes__input\" id=\"");
    html_esc(B, id);
    buf_puts(B, "\" name=\"");
    html_esc(B, name);
    buf_puts(B, "\" type=\"checkbox\" value=\"");
    html_esc(B, value);
    buf_puts(B, checked ? "\" checked>" : "\">");
    buf_puts(B, "<label class=\"nhsuk-label nhsuk-checkboxes__label\" for=\"");
    html_esc(B, id);
    buf_puts(B, "\">");
    html_esc(B, label);
    buf_puts(B, "</label></div></div></div>");
}

void kit_radio_item(struct web_resp *w, const char *id, const char *name, const char *value, const char *label,
                    bool checked)
{
    buf_puts(B, "<div class=\"nhsuk-radios__item\"><input class=\"nhsuk-radios__input\" id=\"");
    html_esc(B, id);
    buf_puts(B, "\" name=\"");
    html_esc(B, name);
    buf_puts(B, "\" type=\"radio\" value=\"");
    html_esc(B, value);
    buf_puts(B, checked ? "\" checked>" : "\">");
    buf_puts(B, "<label class=\"nhsuk-label nhsuk-radios__label\" for=\"");
    html_esc(B, id);
    buf_puts(B, "\">");
    html_esc(B, label);
    buf_puts(B, "</label></div>");
}

void kit_checkbox(struct web_resp *w, const char *name, const char *value, const char *label, bool checked)
{
    /* name-value: boxes sharing a name (a set of choices) each get their own id, so that each label
     * ticks its own box. Characters other than letters, digits, - and _ become -. */
    char id[128];
    snprintf(id, sizeof id, "%s-%s", name, value);
    for (char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
            *p = '-';
    kit_checkbox_id(w, id, name, value, label, checked);
}

void kit_hidden(struct web_resp *w, const char *name, const char *value)
{
    buf_puts(B, "<input type=\"hidden\" name=\"");
    html_esc(B, name);
    buf_puts(B, "\" value=\"");
    html_esc(B, value);
    buf_puts(B, "\">");
}

void kit_button(struct web_resp *w, const char *label, bool secondary)
{
    buf_puts(B, secondary ? "<button class=\"nhsuk-button nhsuk-button--secondary\"" : "<button class=\"nhsuk-button\"");
    buf_puts(B, " data-module=\"nhsuk-button\" type=\"submit\">");
    html_esc(B, label);
    buf_puts(B, "</button>");
}

void kit_warning_button(struct web_resp *w, const char *label)
{
    buf_puts(B, "<button class=\"nhsuk-button nhsuk-button--warning\" data-module=\"nhsuk-button\" type=\"submit\">");
    html_esc(B, label);
    buf_puts(B, "</button>");
}

void kit_banner_success(struct web_resp *w, const char *text)
{
    buf_puts(B, "<div class=\"nhsuk-notification-banner nhsuk-notification-banner--success\" role=\"alert\" "
                "aria-labelledby=\"nhsuk-notification-banner-title\" data-module=\"nhsuk-notification-banner\">"
                "<div class=\"nhsuk-notification-banner__header\"><h2 class=\"nhsuk-notification-banner__title\" "
                "id=\"nhsuk-notification-banner-title\">Success</h2></div>"
                "<div class=\"nhsuk-notification-banner__content\"><p class=\"nhsuk-notification-banner__heading\">");
    html_esc(B, text);
    buf_puts(B, "</p></div></div>");
}

static void hidden_words(struct web_resp *w, const char *hidden)
{
    if (!hidden)
        return;
    buf_puts(B, "<span class=\"nhsuk-u-visually-hidden\">");
    html_esc(B, hidden);
    buf_puts(B, "</span>");
}

void kit_link_button(struct web_resp *w, const char *label, const char *hidden)
{
    buf_puts(B, "<button class=\"app-link-button\" type=\"submit\">");
    html_esc(B, label);
    hidden_words(w, hidden);
    buf_puts(B, "</button>");
}

void kit_link(struct web_resp *w, const char *href, const char *label, const char *hidden)
{
    buf_puts(B, "<a href=\"");
    web_href_esc(w, href);
    buf_puts(B, "\">");
    html_esc(B, label);
    hidden_words(w, hidden);
    buf_puts(B, "</a>");
}

static const char chevron_left[] =
    "<svg class=\"nhsuk-icon nhsuk-icon__chevron-left\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\" "
    "aria-hidden=\"true\" height=\"24\" width=\"24\"><path d=\"M8.5 12c0-.3.1-.5.3-.7l5-5c.4-.4 1-.4 1.4 0s.4 1 0 "
    "1.4L10.9 12l4.3 4.3c.4.4.4 1 0 1.4s-1 .4-1.4 0l-5-5c-.2-.2-.3-.4-.3-.7z\"></path></svg>";

void kit_back_link(struct web_resp *w, const char *href, const char *label)
{
    buf_puts(B, "<div class=\"nhsuk-back-link\"><a class=\"nhsuk-back-link__link\" href=\"");
    web_href_esc(w, href);
    buf_puts(B, "\">");
    buf_puts(B, chevron_left);
    html_esc(B, label);
    buf_puts(B, "</a></div>");
}

static void page_link(struct web_resp *w, bool next, const char *href, const char *label)
{
    static const char arrow_left[] = "M4.1 12.3l2.7 3c.2.2.5.2.7 0 .1-.1.1-.2.1-.3v-2h11c.6 0 1-.4 1-1s-.4-1-1-1h-11V9c0-.2-.1-.4-.3-.5h-.2c-.1 0-.3.1-.4.2l-2.7 3c0 .2 0 .4.1.6z";
    static const char arrow_right[] = "M19.6 11.66l-2.73-3A.51.51 0 0 0 16 9v2H5a1 1 0 0 0 0 2h11v2a.5.5 0 0 0 .32.46.39.39 0 0 0 .18 0 .52.52 0 0 0 .37-.16l2.73-3a.5.5 0 0 0 0-.64z";
    buf_printf(B, "<li class=\"nhsuk-pagination-item--%s\"><a class=\"nhsuk-pagination__link nhsuk-pagination__link--%s\" href=\"",
               next ? "next" : "previous", next ? "next" : "prev");
    web_href_esc(w, href);
    buf_printf(B, "\"><span class=\"nhsuk-pagination__title\">%s</span><span class=\"nhsuk-u-visually-hidden\">:</span>"
                  "<span class=\"nhsuk-pagination__page\">", next ? "Next" : "Previous");
    html_esc(B, label);
    buf_printf(B, "</span><svg class=\"nhsuk-icon nhsuk-icon__arrow-%s\" xmlns=\"http://www.w3.org/2000/svg\" "
                  "viewBox=\"0 0 24 24\" aria-hidden=\"true\" width=\"34\" height=\"34\"><path d=\"%s\"></path></svg></a></li>",
               next ? "right" : "left", next ? arrow_right : arrow_left);
}

void kit_pagination(struct web_resp *w, const char *prev_href, const char *prev_label, const char *next_href,
                    const char *next_label)
{
    if (!prev_href && !next_href)
        return;
    buf_puts(B, "<nav class=\"nhsuk-pagination\" role=\"navigation\" aria-label=\"Pagination\">"
                "<ul class=\"nhsuk-list nhsuk-pagination__list\">");
    if (prev_href)
        page_link(w, false, prev_href, prev_label);
    if (next_href)
        page_link(w, true, next_href, next_label);
    buf_puts(B, "</ul></nav>");
}
