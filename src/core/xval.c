#include <stdbool.h>

#include "core/num.h"
#include "core/xval.h"
#include "core/banned.h"

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Reads exactly n digits at s[*i]. */
static bool digits(const char *s, size_t len, size_t *i, int n, long *out)
{
    long v = 0;
    for (int k = 0; k < n; k++, (*i)++) {
        if (*i >= len || !is_digit(s[*i]))
            return false;
        v = v * 10 + (s[*i] - '0');
    }
    *out = v;
    return true;
}

/* Reads 1 or 2 digits. */
static bool short_digits(const char *s, size_t len, size_t *i, long *out)
{
    if (!digits(s, len, i, 1, out))
        return false;
    long more;
    size_t j = *i;
    if (digits(s, len, &j, 1, &more)) {
        *out = *out * 10 + more;
        *i = j;
    }
    return true;
}

static bool leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static bool valid_date(long y, long m, long d)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    return d <= days[m - 1] + (m == 2 && leap(y));
}

long xval_days_from_civil(long y, unsigned m, unsigned d)
{
    /* Howard Hinnant's days_from_civil algorithm (public-domain arithmetic). */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

/* hh:mm[:ss[.fraction]] then Z, +hh:mm, +hhmm, +hh or nothing. */
static bool parse_time(const char *s, size_t len, size_t i, double *seconds)
{
    long h, mi, sec = 0, oh = 0, om = 0;
    double frac = 0;
    if (!digits(s, len, &i, 2, &h) || i >= len || s[i++] != ':' || !digits(s, len, &i, 2, &mi))
        return false;
    if (i < len && s[i] == ':') {
        i++;
        if (!digits(s, len, &i, 2, &sec))
            return false;
        if (i < len && s[i] == '.') {
            size_t start = i;
            for (i++; i < len && is_digit(s[i]); i++)
                ;
            if (i == start + 1 || num_parse(s + start, i - start, &frac) != NUM_OK)
                return false;
        }
    }
    if (h > 23 || mi > 59 || sec > 60)
        return false;
    int sign = 0;
    if (i < len && s[i] == 'Z') {
        i++;
    } else if (i < len && (s[i] == '+' || s[i] == '-')) {
        sign = s[i++] == '-' ? -1 : 1;
        if (!digits(s, len, &i, 2, &oh))
            return false;
        if (i < len && s[i] == ':')
            i++;
        if (i < len && !digits(s, len, &i, 2, &om))
            return false;
        if (oh > 23 || om > 59)
            return false;
    }
    if (i != len)
        return false;
    *seconds = (double)(h * 3600 + mi * 60 + sec) + frac - sign * (double)(oh * 3600 + om * 60);
    return true;
}

static bool parse_date(const char *s, size_t len, double *key)
{
    long y, m, d;
    size_t i = 0;
    if (len >= 10 && s[4] == '-') { /* ISO: 2023-01-31[T...] */
        if (!digits(s, len, &i, 4, &y) || s[i++] != '-' || !digits(s, len, &i, 2, &m) ||
            s[i++] != '-' || !digits(s, len, &i, 2, &d))
            return false;
    } else { /* UK: 31/1/2023 */
        if (!short_digits(s, len, &i, &d) || i >= len || s[i++] != '/' ||
            !short_digits(s, len, &i, &m) || i >= len || s[i++] != '/' || !digits(s, len, &i, 4, &y) || i != len)
            return false;
    }
    if (!valid_date(y, m, d))
        return false;
    double seconds = 0;
    if (i < len) {
        if (s[i] != 'T' && s[i] != ' ')
            return false;
        if (!parse_time(s, len, i + 1, &seconds))
            return false;
    }
    *key = (double)xval_days_from_civil(y, (unsigned)m, (unsigned)d) * 86400.0 + seconds;
    return true;
}

const char *xval_trim(const char *s, size_t *len)
{
    size_t n = *len;
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    *len = n;
    return s;
}

enum xval_type xval_classify(const char *s, size_t len, double *key)
{
    s = xval_trim(s, &len);
    if (len == 0)
        return XVAL_LABEL;
    /* Dates first when the shape says so: the number parser would read "2023" before failing. */
    bool date_shape = len >= 8 && is_digit(s[0]) && (s[4] == '-' || s[1] == '/' || s[2] == '/');
    if (date_shape && parse_date(s, len, key))
        return XVAL_DATE;
    if (num_parse(s, len, key) == NUM_OK)
        return XVAL_NUMBER;
    return XVAL_LABEL;
}
