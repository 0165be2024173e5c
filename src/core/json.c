#include <string.h>

#include "core/json.h"
#include "core/num.h"
#include "core/utf8.h"
#include "core/banned.h"

void json_write_string(struct buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    buf_putc(b, '"');
    size_t run = 0; /* bytes waiting to be copied as they are */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\')
            continue;
        if (c >= 0x80) {
            /* JSON text is UTF-8 (RFC 8259 section 8.1): a CSV may hold Latin-1 or stray bytes,
             * each of which becomes U+FFFD so that the document still parses. */
            size_t k = utf8_seq_len((const unsigned char *)s + i, len - i);
            if (k) {
                i += k - 1;
                continue;
            }
            buf_append(b, s + run, i - run);
            run = i + 1;
            buf_puts(b, "\\ufffd");
            continue;
        }
        buf_append(b, s + run, i - run);
        run = i + 1;
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            buf_append(b, esc, 2);
        } else if (c == '\n') {
            buf_puts(b, "\\n");
        } else if (c == '\t') {
            buf_puts(b, "\\t");
        } else if (c == '\r') {
            buf_puts(b, "\\r");
        } else {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            buf_append(b, esc, 6);
        }
    }
    buf_append(b, s + run, len - run);
    buf_putc(b, '"');
}

void json_write_number(struct buf *b, double v)
{
    char text[NUM_TEXT_MAX];
    size_t n = num_format(v, text);
    if (n == 0)
        buf_puts(b, "null");
    else
        buf_append(b, text, n);
}
