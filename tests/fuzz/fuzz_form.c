/* Fuzzer for the web input parsers: form bodies, Cookie headers, the HTML escaper and the store's
 * text check. Any bytes must give a result or a clean error, never a crash or a leak. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "web/web_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct web_form f = {0};
    struct purpose_err err;
    if (web_form_parse((const char *)data, size, &f, &err) == 0) {
        for (size_t i = 0; i < f.n; i++)
            if (strstr(f.f[i].value, "\r\n") || strlen(f.f[i].name) > size)
                __builtin_trap();
        web_form_release(&f);
    }
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    char out[64];
    if (web_cookie_get(s, WEB_SESSION_COOKIE, out, sizeof out) == 0 && strlen(out) >= sizeof out)
        __builtin_trap();
    struct buf b;
    buf_init(&b, 1u << 24);
    html_esc(&b, s);
    if (b.failed || (b.data && strpbrk(b.data, "<>\"'")))
        __builtin_trap();
    buf_release(&b);
    store_check_text("text", s, STORE_TEXT_MAX, true, &err);
    free(s);
    return 0;
}
