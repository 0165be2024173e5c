/* The NHS date input (service-manual.nhs.uk/design-system/components/date-input): a day, a month
 * and a year in three fields, instead of a free-text ISO date, and reading them back as one. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/kit.h"
#include "core/banned.h"

#define B (&w->body)

/* The part-th ('-' separated) piece of an ISO-shaped value into out: "2026-3-" gives "2026", "3", "". */
static void part_of(const char *value, int part, char *out, size_t n)
{
    const char *p = value ? value : "";
    for (int i = 0; i < part && p; i++) {
        p = strchr(p, '-');
        p = p ? p + 1 : NULL;
    }
    size_t len = p ? strcspn(p, "-") : 0;
    snprintf(out, n, "%.*s", (int)(len < n ? len : n - 1), p ? p : "");
}

static void date_part(struct web_resp *w, const char *name, const char *id_suffix, const char *label,
                      const char *value, bool bad, bool wide, bool first)
{
    buf_puts(B, "<div class=\"nhsuk-date-input__item\"><div class=\"nhsuk-form-group\">"
                "<label class=\"nhsuk-label nhsuk-date-input__label\" for=\"");
    html_esc(B, name);
    buf_puts(B, first ? "" : id_suffix);
    buf_puts(B, "\">");
    html_esc(B, label);
    buf_printf(B, "</label><input class=\"nhsuk-input nhsuk-date-input__input nhsuk-input--width-%d%s\" id=\"",
               wide ? 4 : 2, bad ? " nhsuk-input--error" : "");
    /* the day's id is the field's own name, so that the error summary's link lands on it */
    html_esc(B, name);
    buf_puts(B, first ? "" : id_suffix);
    buf_puts(B, "\" name=\"");
    html_esc(B, name);
    buf_puts(B, id_suffix);
    buf_puts(B, "\" type=\"text\" inputmode=\"numeric\" value=\"");
    html_esc(B, value);
    buf_puts(B, "\"></div></div>");
}

void kit_date_input(struct web_resp *w, const struct purpose_err *fe, const struct kit_field *f)
{
    const struct purpose_err *e = kit_fault(w, fe, f->name);
    bool bad = e != NULL;
    buf_puts(B, bad ? "<div class=\"nhsuk-form-group nhsuk-form-group--error\">" : "<div class=\"nhsuk-form-group\">");
    buf_puts(B, "<fieldset class=\"nhsuk-fieldset\" role=\"group\" aria-describedby=\"");
    html_esc(B, f->name);
    buf_puts(B, "-hint");
    if (bad) {
        buf_puts(B, " ");
        html_esc(B, f->name);
        buf_puts(B, "-error");
    }
    buf_puts(B, "\"><legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">");
    html_esc(B, f->label);
    buf_puts(B, "</legend><div class=\"nhsuk-hint\" id=\"");
    html_esc(B, f->name);
    buf_puts(B, "-hint\">");
    html_esc(B, f->hint ? f->hint : "For example, 15 3 2026");
    buf_puts(B, "</div>");
    if (bad) {
        buf_puts(B, "<span class=\"nhsuk-error-message\" id=\"");
        html_esc(B, f->name);
        buf_puts(B, "-error\"><span class=\"nhsuk-u-visually-hidden\">Error:</span> ");
        kit_error_text(B, e);
        buf_puts(B, "</span>");
    }
    char y[16], m[16], d[16];
    part_of(f->value, 0, y, sizeof y);
    part_of(f->value, 1, m, sizeof m);
    part_of(f->value, 2, d, sizeof d);
    /* a stored day reads as people write it: 7 4 2025, not 07 04 2025 */
    char *dm[] = {d, m};
    for (size_t i = 0; i < 2; i++)
        if (dm[i][0] == '0' && dm[i][1] >= '1' && dm[i][1] <= '9' && !dm[i][2])
            memmove(dm[i], dm[i] + 1, 2);
    buf_puts(B, "<div class=\"nhsuk-date-input\">");
    date_part(w, f->name, "-day", "Day", d, bad, false, true);
    date_part(w, f->name, "-month", "Month", m, bad, false, false);
    date_part(w, f->name, "-year", "Year", y, bad, true, false);
    buf_puts(B, "</div></fieldset></div>");
}

/* A field of up to max digits, as a number; -1 when it is not one. */
static long digits(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return -1;
    return strtol(s, NULL, 10);
}

static int days_in(long y, long m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; /* Gregorian */
    return m == 2 && leap ? 29 : days[m - 1];
}

static void trimmed(const struct web_req *r, const char *name, const char *suffix, char *out, size_t n)
{
    char key[WEB_FORM_NAME_MAX + 8];
    snprintf(key, sizeof key, "%s%s", name, suffix);
    const char *v = web_field(r, key);
    if (!*v && r->arg && r->method && strcmp(r->method, "GET") == 0) { /* a GET form's fields are its query */
        const char *q = r->arg(r->conn, key);
        v = q ? q : "";
    }
    while (*v == ' ')
        v++;
    size_t len = strlen(v);
    while (len && v[len - 1] == ' ')
        len--;
    snprintf(out, n, "%.*s", (int)(len < n ? len : n - 1), v);
}

int web_date_field(const struct web_req *r, const char *name, const char *label, char out[WEB_DATE_MAX],
                   struct purpose_err *err)
{
    char d[12], m[12], y[12];
    trimmed(r, name, "-day", d, sizeof d);
    trimmed(r, name, "-month", m, sizeof m);
    trimmed(r, name, "-year", y, sizeof y);
    if (!d[0] && !m[0] && !y[0]) { /* none sent: the one ISO field, as the API and scripts send it */
        trimmed(r, name, "", out, WEB_DATE_MAX);
        return 0;
    }
    snprintf(out, WEB_DATE_MAX, "%s-%s-%s", y, m, d);
    const char *missing = !d[0] ? (!m[0] ? "a day and month" : !y[0] ? "a day and year" : "a day")
                        : !m[0] ? (!y[0] ? "a month and year" : "a month")
                        : !y[0] ? "a year" : NULL;
    if (missing)
        return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s must include %s", label, missing);
    long dd = digits(d, 2), mm = digits(m, 2), yy = digits(y, 4);
    if (yy >= 0 && strlen(y) != 4)
        return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s must include a year with 4 numbers", label);
    if (dd < 1 || mm < 1 || mm > 12 || yy < STORE_YEAR_MIN || yy > STORE_YEAR_MAX || dd > days_in(yy, mm))
        return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s must be a real date", label);
    snprintf(out, WEB_DATE_MAX, "%04ld-%02ld-%02ld", yy, mm, dd);
    return 0;
}

const char *kit_day_words(char *out, size_t n, const char *iso)
{
    static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
                                         "July",    "August",   "September", "October", "November", "December"};
    char y[5] = "", m[3] = "", d[3] = "";
    long yy = -1, mm = -1, dd = -1;
    if (iso && strlen(iso) == 10 && iso[4] == '-' && iso[7] == '-') {
        memcpy(y, iso, 4);
        memcpy(m, iso + 5, 2);
        memcpy(d, iso + 8, 2);
        yy = digits(y, 4), mm = digits(m, 2), dd = digits(d, 2);
    }
    if (yy >= 0 && mm >= 1 && mm <= 12 && dd >= 1 && dd <= days_in(yy, mm))
        snprintf(out, n, "%ld %s %04ld", dd, months[mm - 1], yy);
    else /* not a day: as it is */
        snprintf(out, n, "%s", iso ? iso : "");
    return out;
}
