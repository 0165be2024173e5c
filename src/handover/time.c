/* Dates and times in Europe/London, written from the UK rule (Summer Time Order 2002, which
 * follows EU Directive 2000/84/EC: BST from 01:00 UTC on the last Sunday of March to 01:00 UTC on
 * the last Sunday of October). */
#include "handover/handover.h"
#include "core/banned.h"

/* Civil date <-> day count: the era/year-of-era arithmetic published by Howard Hinnant
 * ("chrono-compatible low-level date algorithms"). */
int32_t ho_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void ho_civil_from_days(int32_t day, int *y, int *m, int *d)
{
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

int ho_weekday(int32_t day)
{
    int w = (int)((day + 3) % 7); /* 1970-01-01 was a Thursday */
    return w < 0 ? w + 7 : w;
}

static int32_t last_sunday(int y, int m)
{
    int32_t last = ho_days_from_civil(y, m, 31); /* March and October have 31 days */
    return last - (ho_weekday(last) + 1) % 7;
}

/* BST as [start, end) instants for year y. */
static void bst_bounds(int y, int64_t *start, int64_t *end)
{
    *start = (int64_t)last_sunday(y, 3) * HO_DAY_MS + HO_HOUR_MS;
    *end = (int64_t)last_sunday(y, 10) * HO_DAY_MS + HO_HOUR_MS;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return q - (a % b != 0 && (a < 0) != (b < 0));
}

int64_t ho_london_offset(int64_t utc_ms)
{
    int y, m, d;
    ho_civil_from_days((int32_t)floor_div(utc_ms, HO_DAY_MS), &y, &m, &d);
    if (m < 3 || m > 10)
        return 0;
    int64_t start, end;
    bst_bounds(y, &start, &end);
    return utc_ms >= start && utc_ms < end ? HO_HOUR_MS : 0;
}

void ho_local(int64_t utc_ms, int32_t *day, int *hour)
{
    int64_t local = utc_ms + ho_london_offset(utc_ms);
    int64_t dd = floor_div(local, HO_DAY_MS);
    *day = (int32_t)dd;
    *hour = (int)((local - dd * HO_DAY_MS) / HO_HOUR_MS);
}

static int days_in_month(int y, int m)
{
    static const unsigned char n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) ? 29 : n[m - 1];
}

static bool digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i] - '0';
        if (c > 9)
            return false;
        v = v * 10 + (int)c;
    }
    *out = v;
    return true;
}

int ho_date_parse(const char *s, size_t len, int32_t *day)
{
    int y, m, d;
    if (len != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &m) ||
        !digits(s + 8, 2, &d) || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;
    *day = ho_days_from_civil(y, m, d);
    return 0;
}

void ho_date_format(int32_t day, char out[11])
{
    int y, m, d;
    ho_civil_from_days(day, &y, &m, &d);
    if (y < 0 || y > 9999)
        y = 0; /* never for a parsed date: years are 1996..2099 */
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

/* Wall time w (local fields read as if UTC) to an instant. March: wall [01:00, 02:00) on the
 * change day does not exist. October: wall [01:00, 02:00) happens twice; the first (BST) wins. */
static enum ho_time_status london_wall(int y, int m, int64_t w, int64_t *ms)
{
    if (m < 3 || m > 10) {
        *ms = w;
        return HO_TIME_OK;
    }
    int64_t start, end;
    bst_bounds(y, &start, &end);
    if (w < start) { /* start is 01:00 UTC = 01:00 GMT wall */
        *ms = w;
        return HO_TIME_OK;
    }
    if (w < start + HO_HOUR_MS)
        return HO_TIME_NONEXISTENT;
    if (w < end + HO_HOUR_MS) { /* end is 01:00 UTC = 02:00 BST wall */
        *ms = w - HO_HOUR_MS;
        return HO_TIME_OK;
    }
    *ms = w;
    return HO_TIME_OK;
}

enum ho_time_status ho_time_parse(const char *s, size_t len, int64_t *ms)
{
    int y, mo, d, h, mi, sec = 0, frac = 0;
    if (len < 16 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' ||
        !digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) || !digits(s + 11, 2, &h) ||
        !digits(s + 14, 2, &mi))
        return HO_TIME_SYNTAX;
    size_t i = 16;
    if (i < len && s[i] == ':') {
        if (len - i < 3 || !digits(s + i + 1, 2, &sec))
            return HO_TIME_SYNTAX;
        i += 3;
        if (i < len && s[i] == '.') {
            size_t nd = 0;
            i++;
            while (i + nd < len && nd < 4 && (unsigned)((unsigned char)s[i + nd] - 0x30) <= 9u)
                nd++;
            if (nd == 0 || nd > 3 || !digits(s + i, nd, &frac))
                return HO_TIME_SYNTAX;
            for (size_t k = nd; k < 3; k++)
                frac *= 10;
            i += nd;
        }
    }
    bool has_offset = false;
    int64_t offset = 0;
    if (i < len && s[i] == 'Z') {
        has_offset = true;
        i++;
    } else if (i < len && (s[i] == '+' || s[i] == '-')) {
        int oh, om;
        int sign = s[i] == '-' ? -1 : 1;
        if (len - i == 6 && s[i + 3] == ':' && digits(s + i + 1, 2, &oh) && digits(s + i + 4, 2, &om))
            i += 6;
        else if (len - i == 5 && digits(s + i + 1, 2, &oh) && digits(s + i + 3, 2, &om))
            i += 5;
        else
            return HO_TIME_SYNTAX;
        if (oh > 23 || om > 59)
            return HO_TIME_RANGE;
        has_offset = true;
        offset = sign * ((int64_t)oh * HO_HOUR_MS + (int64_t)om * HO_MINUTE_MS);
    }
    if (i != len)
        return HO_TIME_SYNTAX;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59)
        return HO_TIME_RANGE;
    if (y < 1995 || y > 2100) /* a day's margin for offsets; the instant is checked below */
        return HO_TIME_YEARS;
    int64_t w = (int64_t)ho_days_from_civil(y, mo, d) * HO_DAY_MS + h * HO_HOUR_MS + mi * HO_MINUTE_MS +
                sec * INT64_C(1000) + frac;
    int64_t t;
    if (has_offset) {
        t = w - offset;
    } else {
        enum ho_time_status st = london_wall(y, mo, w, &t);
        if (st != HO_TIME_OK)
            return st;
    }
    if (t < HO_MS_MIN || t >= HO_MS_END)
        return HO_TIME_YEARS;
    *ms = t;
    return HO_TIME_OK;
}
