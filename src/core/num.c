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

/* Is c / 10^k (c < 2^64) within v's rounding interval, so that strtod reads it as v? v = m / 2^s
 * with m < 2^53, so v x 10^k = m x 10^k / 2^s is held exactly in 128 bits; the interval is half
 * the gap to each neighbour, its ends included when m is even (strtod rounds half to even). The
 * test is |c / 10^k - v| < half the gap, all times 10^k x 2^(s + 2). */
typedef unsigned __int128 num_u128;

/* 10^k for k <= 20 (the most digits format_shortest asks for is 16 + 4). */
static num_u128 u128_pow10(int k)
{
    static const uint64_t p[] = {
        UINT64_C(1), UINT64_C(10), UINT64_C(100), UINT64_C(1000), UINT64_C(10000), UINT64_C(100000),
        UINT64_C(1000000), UINT64_C(10000000), UINT64_C(100000000), UINT64_C(1000000000),
        UINT64_C(10000000000), UINT64_C(100000000000), UINT64_C(1000000000000), UINT64_C(10000000000000),
        UINT64_C(100000000000000), UINT64_C(1000000000000000), UINT64_C(10000000000000000),
        UINT64_C(100000000000000000), UINT64_C(1000000000000000000), UINT64_C(10000000000000000000),
    };
    return k < 20 ? p[k] : (num_u128)p[19] * 10;
}

static bool reads_back(uint64_t m, int s, uint64_t c, int k)
{
    num_u128 pow10 = u128_pow10(k);
    bool even = (m & 1) == 0, lower_closer = m == UINT64_C(1) << 52; /* below a power of 2 the gap halves */
    num_u128 n4 = ((num_u128)m * pow10) << 2, cs = (num_u128)c << (s + 2);
    num_u128 dist = cs >= n4 ? cs - n4 : n4 - cs, lim = cs < n4 && lower_closer ? pow10 : 2 * pow10;
    return dist < lim || (even && dist == lim);
}

/* c rounded to nearest (half to even) from v x 10^k, exactly. */
static uint64_t scaled_nearest(uint64_t m, int s, int k)
{
    num_u128 n = (num_u128)m * u128_pow10(k);
    num_u128 c = n >> s, rem = n - (c << s), half = (num_u128)1 << (s - 1);
    return (uint64_t)(c + (rem > half || (rem == half && (c & 1))));
}

/* Shortest digits that read back as v, for 1e-4 <= v < 1e14 (where %g writes v without an
 * exponent). With e = floor(log10 v), the digits are those of v rounded to 15 significant
 * digits if that reads back, else to 16, else 17 (the least that reads back, as %.Pg would
 * print them), trailing zeros dropped. 15 digits are tried in doubles: v x 10^k < 1e15 there, so
 * a decimal that reads back as v lies within 1e-16 of the product, far from a half, and
 * rounding the product finds it; c and 10^k are exact, so c / 10^k == v exactly when strtod
 * reads c e-k as v. 16 and 17 digits are checked in 128-bit integers. Returns the length, or 0
 * outside the range. */
static size_t format_shortest(double v, char *out)
{
    if (!(v >= 1e-4 && v < 1e14))
        return 0;
    static const double below_one[] = {1e-1, 1e-2, 1e-3, 1e-4};
    int e = 0;
    if (v >= 1) {
        while (e < 13 && v >= exact_pow10[e + 1])
            e++;
    } else {
        e = -1;
        while (e > -4 && v < below_one[-e - 1])
            e--;
    }
    /* Input values mostly have a few decimals: 0 to 3 are tried first (as below, in doubles),
     * then 15 significant digits at once. */
    int k = 14 - e; /* fractional digits for 15 significant ones: 1 to 18 */
    uint64_t c = 0;
    for (int few = 0; few <= 3 && few < k; few++) {
        double cd = nearbyint(v * exact_pow10[few]);
        if (cd / exact_pow10[few] == v) {
            c = (uint64_t)cd;
            k = few;
            goto write;
        }
    }
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint64_t m = (bits & ((UINT64_C(1) << 52) - 1)) | (UINT64_C(1) << 52);
    int s = 1075 - (int)(bits >> 52); /* v = m / 2^s; 6 <= s <= 66 in this range */
    double cd = nearbyint(v * exact_pow10[k]);
    c = (uint64_t)cd;
    if (cd / exact_pow10[k] != v) {
        c = scaled_nearest(m, s, ++k);
        if (!reads_back(m, s, c, k)) {
            c = scaled_nearest(m, s, ++k);
            if (!reads_back(m, s, c, k))
                return 0; /* not expected: the caller's route decides */
        }
    }
    while (k > 0 && c % 10 == 0) {
        c /= 10;
        k--;
    }
write:;
    char digits[24];
    int len = 0;
    for (uint64_t d = c; d || len <= k; d /= 10)
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
