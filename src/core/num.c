#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/num.h"
#include "core/banned.h"

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Powers of ten that doubles hold exactly. */
static const double exact_pow10[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static bool names_non_finite(const char *s, size_t len)
{
    if (len && (*s == '+' || *s == '-')) {
        s++;
        len--;
    }
    static const char *const names[] = {"inf", "infinity", "nan"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (len == strlen(names[i]) && strncasecmp(s, names[i], len) == 0)
            return true;
    return false;
}

/* The shape of nearly every CSV value, [-]digits[.digits] with at most 19 digits, parsed in one
 * tight loop. It computes exactly what the general path below computes for such text (the same
 * mantissa and power of ten), so results are identical; anything else returns false. */
static bool parse_plain(const char *s, size_t len, double *out)
{
    const char *p = s, *end = s + len;
    bool negative = p < end && *p == '-';
    p += negative;
    if (end - p == 0 || end - p > 20)
        return false;
    uint64_t mantissa = 0;
    const char *int_start = p;
    while (p < end && (unsigned char)(*p - '0') <= 9)
        mantissa = mantissa * 10 + (uint64_t)(*p++ - '0');
    size_t digits = (size_t)(p - int_start), frac_digits = 0;
    if (p < end) {
        if (*p != '.')
            return false;
        const char *frac_start = ++p;
        while (p < end && (unsigned char)(*p - '0') <= 9)
            mantissa = mantissa * 10 + (uint64_t)(*p++ - '0');
        if (p != end)
            return false;
        frac_digits = (size_t)(p - frac_start);
        digits += frac_digits;
    }
    if (digits == 0 || digits > 19 || mantissa > (UINT64_C(1) << 53))
        return false;
    double v = (double)mantissa;
    v = frac_digits ? v / exact_pow10[frac_digits] : v;
    *out = negative ? -v : v;
    return true;
}

enum num_status num_parse(const char *s, size_t len, double *out)
{
    if (parse_plain(s, len, out))
        return NUM_OK;
    size_t i = 0;
    bool negative = false;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        negative = s[i++] == '-';

    /* Clinger's fast path: up to 19 significant digits in a uint64 and a small power of ten
     * give a correctly rounded result with one IEEE operation; anything else goes to strtod. */
    uint64_t mantissa = 0;
    int sig_digits = 0, dropped = 0, frac_digits = 0, digits = 0;
    bool dropped_fraction = false;
    for (; i < len && is_digit(s[i]); i++, digits++) {
        if (sig_digits < 19) {
            mantissa = mantissa * 10 + (uint64_t)(s[i] - '0');
            sig_digits += mantissa != 0;
        } else {
            dropped++;
        }
    }
    if (i < len && s[i] == '.') {
        for (i++; i < len && is_digit(s[i]); i++, digits++) {
            if (sig_digits < 19) {
                mantissa = mantissa * 10 + (uint64_t)(s[i] - '0');
                sig_digits += mantissa != 0;
                frac_digits++;
            } else {
                dropped_fraction = true;
            }
        }
    }
    if (digits == 0)
        return names_non_finite(s, len) ? NUM_NOT_FINITE : NUM_NOT_A_NUMBER;
    long exponent = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool exp_negative = false;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            exp_negative = s[i++] == '-';
        if (i >= len || !is_digit(s[i]))
            return NUM_NOT_A_NUMBER;
        for (; i < len && is_digit(s[i]); i++)
            if (exponent < 100000)
                exponent = exponent * 10 + (s[i] - '0');
        if (exp_negative)
            exponent = -exponent;
    }
    if (i != len)
        return NUM_NOT_A_NUMBER;

    long e10 = exponent + dropped - frac_digits;
    double v;
    if (dropped == 0 && !dropped_fraction && mantissa <= (UINT64_C(1) << 53) && e10 >= -22 && e10 <= 22) {
        v = (double)mantissa;
        v = e10 < 0 ? v / exact_pow10[-e10] : v * exact_pow10[e10];
    } else {
        char small[64], *copy = len < sizeof small ? small : malloc(len + 1);
        if (!copy)
            return NUM_NOT_A_NUMBER;
        memcpy(copy, s, len);
        copy[len] = '\0';
        v = strtod(copy, NULL);
        if (copy != small)
            free(copy);
        if (!isfinite(v))
            return NUM_NOT_FINITE;
        *out = v;
        return NUM_OK;
    }
    *out = negative ? -v : v;
    return NUM_OK;
}

/* Shortest digits that read back as v, exactly, for 1e-4 <= v < 1e14 (where %g writes v
 * without an exponent): v = m / 2^s with m < 2^53, so v x 10^k = N / 2^s with N = m x 10^k held
 * exactly in 128 bits. For k = 0, 1, 2... fractional digits, the nearest decimal c / 10^k is
 * tried; the first that lies within v's rounding interval (half the gap to each neighbour, ends
 * included when m is even, as strtod rounds half to even) is the shortest, and has the digits
 * %.Pg would print for the least P that reads back. Returns its length, or 0 outside the range. */
static size_t format_shortest(double v, char *out)
{
    if (!(v >= 1e-4 && v < 1e14))
        return 0;
    typedef unsigned __int128 u128;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint64_t m = (bits & ((UINT64_C(1) << 52) - 1)) | (UINT64_C(1) << 52);
    int s = 1075 - (int)(bits >> 52); /* v = m / 2^s; 6 <= s <= 66 in this range */
    bool even = (m & 1) == 0, lower_closer = m == UINT64_C(1) << 52; /* below a power of 2 the gap halves */
    u128 pow10 = 1;
    for (int k = 0; k <= 21; k++, pow10 *= 10) {
        u128 n = (u128)m * pow10, c = n >> s, rem = n - (c << s), half = (u128)1 << (s - 1);
        c += rem > half || (rem == half && (c & 1));
        /* |c / 10^k - v| against half the gap, all times 10^k x 2^(s + 2) */
        u128 cs = c << (s + 2), n4 = n << 2;
        u128 dist = cs >= n4 ? cs - n4 : n4 - cs, lim = cs < n4 && lower_closer ? pow10 : 2 * pow10;
        if (!(dist < lim || (even && dist == lim)))
            continue;
        char digits[24];
        int len = 0;
        for (uint64_t d = (uint64_t)c; d || len <= k; d /= 10) /* c < 10^17: fits 64 bits */
            digits[len++] = (char)('0' + d % 10);
        size_t at = 0;
        for (int i = len - 1; i >= k; i--)
            out[at++] = digits[i];
        if (k > 0) {
            out[at++] = '.';
            for (int i = k - 1; i >= 0; i--)
                out[at++] = digits[i];
        }
        out[at] = '\0';
        return at;
    }
    return 0;
}

size_t num_format(double v, char *out)
{
    if (isnan(v)) {
        out[0] = '\0';
        return 0;
    }
    if (v == 0)
        v = 0; /* print -0 as 0 */
    size_t fast = format_shortest(fabs(v), out + (v < 0));
    if (fast > 0) {
        out[0] = v < 0 ? '-' : out[0];
        return fast + (v < 0);
    }
    int n = 0;
    for (int precision = 15; precision <= 17; precision++) {
        n = snprintf(out, NUM_TEXT_MAX, "%.*g", precision, v);
        if (precision == 17 || strtod(out, NULL) == v)
            break;
    }
    return n > 0 ? (size_t)n : 0;
}
