#ifndef PURPOSE_WEB_KIT_H
#define PURPOSE_WEB_KIT_H

/* The NHS design system (service-manual.nhs.uk/design-system) as C calls, used by every page: form
 * fields with their error messages and the error summary, buttons, summary lists, tables, tags,
 * pagination and back links (breadcrumbs are left out: nhsuk-frontend draws their separators with
 * data: images, which the Content-Security-Policy refuses). Everything is written into the response body, and every
 * piece of text passes through html_esc.
 *
 * A form error is a struct purpose_err: its field (the input's name and id) says where the
 * message goes; fe NULL (or an empty message) means no error. */

#include <stdbool.h>
#include <stddef.h>

#include "web/web_int.h"

/* The error the page shows on field name: from the form's list (web_resp.errs) when it has one,
 * else fe when it is on that field; NULL for none. Custom fieldsets ask it as the kit does. */
const struct purpose_err *kit_fault(const struct web_resp *w, const struct purpose_err *fe, const char *name);

/* One form field. name is both the name and the id; the rest may be NULL (or 0). */
struct kit_field {
    const char *name;
    const char *label;
    const char *hint;
    const char *value;
    const char *type;         /* input: "text" when NULL, "password", ... */
    const char *autocomplete; /* input */
    const char *width;        /* input: a class such as "nhsuk-input--width-4" */
    int rows;                 /* textarea */
};

struct kit_option {
    const char *value;
    const char *label;
    bool selected;
};

/* Forms. kit_form_open writes the CSRF field; kit_form_close ends the form. */
void kit_form_open(struct web_req *r, struct web_resp *w, const char *action);
void kit_form_close(struct web_resp *w);
/* The same for a form with a file input (multipart/form-data; multipart.c reads it). */
void kit_form_open_upload(struct web_req *r, struct web_resp *w, const char *action);
/* The NHS file upload: label, hint, error message and <input type="file">; `accept` (may be NULL)
 * suggests the file types, e.g. ".csv,text/csv". */
void kit_file_upload(struct web_resp *w, const struct purpose_err *fe, const struct kit_field *f, const char *accept);
/* The error summary that opens a form page, linking to the field at fault. */
void kit_error_summary(struct web_resp *w, const struct purpose_err *fe);
void kit_input(struct web_resp *w, const struct purpose_err *fe, const struct kit_field *f);
void kit_textarea(struct web_resp *w, const struct purpose_err *fe, const struct kit_field *f);
/* A select, written option by option (lists read from the store). */
void kit_select_open(struct web_resp *w, const struct purpose_err *fe, const struct kit_field *f);
void kit_select_option(struct web_resp *w, const char *value, const char *label, bool selected);
void kit_select_close(struct web_resp *w);
void kit_radios(struct web_resp *w, const struct purpose_err *fe, const struct kit_field *f,
                const struct kit_option *opt, size_t n);
/* A checkbox whose id is name-value (unique among boxes sharing a name); kit_checkbox_id gives the id,
 * for a box repeated in several forms of one page. */
void kit_checkbox(struct web_resp *w, const char *name, const char *value, const char *label, bool checked);
void kit_checkbox_id(struct web_resp *w, const char *id, const char *name, const char *value, const char *label,
                     bool checked);
/* One radio of a set the caller opens with <div class="nhsuk-radios"> inside its fieldset (for a
 * set whose items come from a table, such as a category of groups); id unique on the page. */
void kit_radio_item(struct web_resp *w, const char *id, const char *name, const char *value, const char *label,
                    bool checked);
void kit_hidden(struct web_resp *w, const char *name, const char *value);
/* A submit button; secondary for the grey one. */
void kit_button(struct web_resp *w, const char *label, bool secondary);
/* The red button of an action that cannot be undone (the NHS warning button). */
void kit_warning_button(struct web_resp *w, const char *label);
/* The NHS notification banner, success style: what an action just did. */
void kit_banner_success(struct web_resp *w, const char *text);
/* A submit button that looks like a link; `hidden` is read only by screen readers (may be NULL). */
void kit_link_button(struct web_resp *w, const char *label, const char *hidden);

/* A link with words read only by screen readers after the visible ones ("Change" + " alice"). */
void kit_link(struct web_resp *w, const char *href, const char *label, const char *hidden);
void kit_back_link(struct web_resp *w, const char *href, const char *label);
/* nhsuk-pagination: either link may be NULL. */
void kit_pagination(struct web_resp *w, const char *prev_href, const char *prev_label, const char *next_href,
                    const char *next_label);

/* Summary lists: rows of key, value and an optional action link. */
void kit_summary_open(struct web_resp *w);
void kit_summary_row(struct web_resp *w, const char *key, const char *value, const char *action_href,
                     const char *action_label, const char *action_hidden);
void kit_summary_close(struct web_resp *w);

/* Tables: open with a caption and the column headings, then rows of cells. kit_cell escapes
 * text; kit_cell_open/kit_cell_close bracket a cell written with other kit calls. */
void kit_table_open(struct web_resp *w, const char *caption, const char *const *heads, size_t n,
                    const char *extra_class);
void kit_row_open(struct web_resp *w);
void kit_row_close(struct web_resp *w);
void kit_cell(struct web_resp *w, const char *text);
void kit_cell_code(struct web_resp *w, const char *text);
/* A cell with an extra class (a shade, say). */
void kit_cell_class(struct web_resp *w, const char *text, const char *cls);
void kit_cell_open(struct web_resp *w);
void kit_cell_close(struct web_resp *w);
void kit_table_close(struct web_resp *w);

/* A tag (nhsuk-tag); colour is "grey", "green", "red", ... or NULL for blue. */
void kit_tag(struct web_resp *w, const char *text, const char *colour);
/* Inset text. `secret` is shown in a code element after text (may be NULL), with an id when
 * secret_id is not NULL. */
void kit_inset(struct web_resp *w, const char *text, const char *secret, const char *secret_id, const char *after);
/* Text as paragraphs: a blank line separates them. */
void kit_paragraphs(struct web_resp *w, const char *text, const char *cls);
/* An error's message as a form shows it ("end_date: ..." reads "End date ..."). */
void kit_error_text(struct buf *b, const struct purpose_err *fe);
/* kit_date.c: the NHS date input, three fields <name>-day, <name>-month and <name>-year under the
 * legend f->label (the day's id is name, for the error summary's link); f->value an ISO-shaped day
 * "YYYY-MM-DD" (parts may be empty or wrong, as web_date_field gives them back). */
#define WEB_DATE_MAX 40
void kit_date_input(struct web_resp *w, const struct purpose_err *fe, const struct kit_field *f);
/* The day a date input sent, as "YYYY-MM-DD" into out: "" when nothing was entered; the single
 * field `name` as given when the three were not sent (the ISO form scripts post); a GET reads them from
 * its query (a filter form: method="get"). Returns 0, or -1
 * with err naming the field in the NHS pattern ("Start date must include a month", "... must be a
 * real date"), out then holding what was typed, to show it again. */
int web_date_field(const struct web_req *r, const char *name, const char *label, char out[WEB_DATE_MAX],
                   struct purpose_err *err);
/* An ISO day ("2024-06-03") as the NHS style guide writes dates on pages ("3 June 2024"), into out
 * (n bytes, KIT_DAY_MAX is enough), which it returns; anything else is copied as it is. */
#define KIT_DAY_MAX 24
const char *kit_day_words(char *out, size_t n, const char *iso);
/* v with `decimals` places (0 to 3) and a comma between thousands, as the NHS style guide writes
 * numbers on pages ("17,184", "1,234.5"); into out (KIT_NUMBER_MAX bytes), which it returns. */
#define KIT_NUMBER_MAX 48
const char *kit_number(char out[KIT_NUMBER_MAX], double v, int decimals);
/* A count of people as a page shows it: store_count_text's rule ("fewer than 5" for 1 to 4), the
 * number with kit_number's commas ("1,234"); and a total decided by the disclosure rule
 * (store_total: "fewer than 5", "about 1,230" or "17,184"). Exports and the API keep the plain
 * numbers. Into out, which they return. */
const char *kit_count(char out[KIT_NUMBER_MAX], int64_t n);
const char *kit_shown(char out[KIT_NUMBER_MAX], const struct store_shown *s);
/* The two-thirds column that form pages use. */
void kit_narrow_open(struct web_resp *w);
void kit_narrow_close(struct web_resp *w);

#endif
