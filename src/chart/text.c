#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "chart/chart_int.h"
#include "core/banned.h"

#define TEXT_REPLACEMENT 0xFFFDu

/* Decodes one UTF-8 sequence at s (len > 0 bytes left). Overlong forms, surrogates and code
 * points XML 1.0 forbids come back as U+FFFD, so the document stays well-formed whatever the CSV
 * held. Returns the bytes consumed. */
static size_t text_utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t need;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        need = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        need = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        need = 4, v = c & 0x07, min = 0x10000;
    } else {
        *cp = TEXT_REPLACEMENT;
        return 1;
    }
    if (len < need) {
        *cp = TEXT_REPLACEMENT;
        return 1;
    }
    for (size_t k = 1; k < need; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            *cp = TEXT_REPLACEMENT;
            return 1;
        }
        v = (v << 6) | (s[k] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || v == 0xFFFE || v == 0xFFFF)
        v = TEXT_REPLACEMENT;
    *cp = v;
    return need;
}

/* XML 1.0 allows tab, LF and CR among the C0 controls; we drop them all, and C1 too, since none
 * belongs in a one-line label. */
static int text_is_control(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

static size_t text_count_chars(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += text_utf8_next(p + i, len - i, &cp);
        if (!text_is_control(cp))
            n++;
    }
    return n;
}

static void text_put(struct buf *b, const char *s, size_t max_chars, int xml)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);
    size_t total = max_chars ? text_count_chars(s) : 0;
    size_t keep = max_chars && total > max_chars ? max_chars - 1 : (size_t)-1; /* room for "…" */
    size_t done = 0, i = 0;
    while (i < len && done < keep) {
        uint32_t cp;
        size_t k = text_utf8_next(p + i, len - i, &cp);
        if (text_is_control(cp)) {
            i += k;
            continue;
        }
        switch (xml ? cp : 0) {
        case '&': buf_puts(b, "&amp;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        case '\'': buf_puts(b, "&#39;"); break;
        default:
            if (cp == TEXT_REPLACEMENT)
                buf_puts(b, "\xEF\xBF\xBD");
            else
                buf_append(b, p + i, k);
        }
        i += k;
        done++;
    }
    if (keep != (size_t)-1)
        buf_puts(b, "\xE2\x80\xA6");
}

void chart_text_xml(struct buf *b, const char *s, size_t max_chars) { text_put(b, s, max_chars, 1); }

void chart_text_plain(struct buf *b, const char *s, size_t max_chars) { text_put(b, s, max_chars, 0); }

/* Per-character widths in em, at or above Liberation Sans (Arial's metrics) and DejaVu Sans. */
static double text_char_em(uint32_t cp)
{
    if (cp >= 0x80)
        return 1.0; /* accented Latin is narrower, CJK is a full em: assume the worst */
    if (strchr(" .,;:'|!ilI", (int)cp))
        return 0.40;
    if (strchr("ftjr()[]-", (int)cp))
        return 0.48;
    if (strchr("mwMW@%", (int)cp))
        return 1.0;
    if (cp >= 'A' && cp <= 'Z')
        return 0.78;
    return 0.66; /* digits, lower case, most punctuation */
}

double chart_text_width(const char *s, double fs)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);
    double w = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += text_utf8_next(p + i, len - i, &cp);
        if (!text_is_control(cp))
            w += text_char_em(cp);
    }
    return w * fs;
}

size_t chart_text_fit(const char *s, double fs, double max_w)
{
    if (chart_text_width(s, fs) <= max_w)
        return 0;
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), n = 0;
    double w = 1.0 * fs; /* the ellipsis */
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += text_utf8_next(p + i, len - i, &cp);
        if (text_is_control(cp))
            continue;
        w += text_char_em(cp) * fs;
        if (w > max_w)
            break;
        n++;
    }
    return n + 1; /* chart_text_xml counts the ellipsis in max_chars */
}

void chart_group_digits(char *out, size_t n)
{
    size_t sign = out[0] == '-', digits = strspn(out + sign, "0123456789");
    size_t len = strlen(out), commas = (digits - 1) / 3;
    if (digits < 5 || len + commas + 1 > n) /* "2016" stays as it is */
        return;
    memmove(out + sign + digits + commas, out + sign + digits, len - sign - digits + 1);
    size_t src = sign + digits, dst = sign + digits + commas;
    for (size_t k = 0; k < digits; k++) {
        out[--dst] = out[--src];
        if (k % 3 == 2 && dst > sign && dst > src)
            out[--dst] = ',';
    }
}

void chart_num(char *out, size_t n, double v)
{
    if (!isfinite(v)) {
        snprintf(out, n, "n/a");
        return;
    }
    int dec = 0;
    if (v != 0) {
        int mag = (int)floor(log10(fabs(v)));
        /* A tenth from 100 to 1,000: a limit of 100.6% must not read as 101%. */
        dec = mag == 2 ? 1 : 2 - mag;
        dec = dec < 0 ? 0 : dec > 6 ? 6 : dec;
    }
    snprintf(out, n, "%.*f", dec, v);
    if (strchr(out, '.')) {
        size_t len = strlen(out);
        while (len > 0 && out[len - 1] == '0')
            out[--len] = '\0';
        if (len > 0 && out[len - 1] == '.')
            out[--len] = '\0';
    }
    if (strcmp(out, "-0") == 0)
        snprintf(out, n, "0");
    chart_group_digits(out, n);
}

/* Civil date from days since 1970-01-01 (H. Hinnant, "chrono-compatible low-level date
 * algorithms"): exact over any range a double holds, unlike gmtime's time_t. */
static void text_civil(long long z, long long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (long long)yoe + era * 400 + (*m <= 2);
}

long long chart_month_of(double secs)
{
    long long y;
    unsigned m, d;
    text_civil((long long)floor(secs / 86400.0), &y, &m, &d);
    return y * 12 + (m - 1);
}

/* The inverse of text_civil, for the 1st of a month (same source). */
double chart_month_start(long long month)
{
    long long y = (month >= 0 ? month : month - 11) / 12;
    unsigned m = (unsigned)(month - y * 12) + 1;
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (double)(era * 146097 + (long long)doe - 719468) * 86400.0;
}

void chart_date(char *out, size_t n, double secs, enum chart_date_style style)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    /* Beyond ±1e15 s (30 million years) a date means nothing; keep the arithmetic in range. */
    if (!isfinite(secs) || fabs(secs) > 1e15) {
        snprintf(out, n, "n/a");
        return;
    }
    long long y;
    unsigned m, d;
    text_civil((long long)floor(secs / 86400.0), &y, &m, &d);
    if (style == CHART_DATE_YEAR)
        snprintf(out, n, "%lld", y);
    else if (style == CHART_DATE_MONTH)
        snprintf(out, n, "%s %lld", months[m - 1], y);
    else
        snprintf(out, n, "%u %s %lld", d, months[m - 1], y);
}
