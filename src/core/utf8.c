#include "core/utf8.h"
#include "core/banned.h"

size_t utf8_seq_len(const unsigned char *s, size_t len)
{
    if (len == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t need;
    /* RFC 3629 section 4: the second byte's range excludes overlongs (E0, F0), surrogates (ED)
     * and code points above U+10FFFF (F4); C0, C1 and F5..FF never start a sequence. */
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        need = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        need = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4)
        need = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else
        return 0;
    if (len < need || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t k = 2; k < need; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    return need;
}

bool utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = utf8_seq_len(p + i, len - i);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

enum utf8_fault utf8_text_check(const char *s, size_t len, size_t max, bool multiline, size_t *at)
{
    if (len > max)
        return UTF8_TOO_LONG;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        if (c < 0x80) {
            bool line_end = c == '\t' || c == '\n' || c == '\r';
            if ((c < 0x20 && !(multiline && line_end)) || c == 0x7f) {
                if (at)
                    *at = i;
                return UTF8_CONTROL;
            }
            i++;
            continue;
        }
        size_t k = utf8_seq_len(p + i, len - i);
        if (!k) {
            if (at)
                *at = i;
            return UTF8_MALFORMED;
        }
        i += k;
    }
    return UTF8_OK;
}

size_t utf8_prefix(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) /* s[n] continues the character before it */
        n--;
    return n;
}
