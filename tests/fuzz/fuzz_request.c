/* Fuzzer for the request line as our code receives it (issue 16): "METHOD TARGET VERSION" split as
 * HTTP/1.1 does (RFC 9112 section 3), the target's path unescaped as the server has libmicrohttpd do
 * it (web_path_unescape) and its query given as arguments, then the whole request through
 * web_dispatch on the demo database, anonymous or as the demo's lead (a session), bodiless. Input:
 * who, then the line. Besides fuzz_web.h's rules: a path holding a NUL (%00 stays escaped) or a
 * control character never finds a page (no 2xx), and an unknown method is refused. */
#include "fuzz_web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fw.s)
        fw_setup("request");
    if (size < 2 || size > 4096)
        return 0;
    char *line = malloc(size);
    if (!line)
        return 0;
    memcpy(line, data + 1, size - 1);
    line[size - 1] = '\0';
    if (strlen(line) != size - 1) { /* a raw NUL never reaches us: libmicrohttpd refuses the line */
        free(line);
        return 0;
    }
    char *sp1 = strchr(line, ' '), *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    if (!sp1 || !sp2 || sp1 == line || sp2 == sp1 + 1 || strchr(sp2 + 1, ' ')) {
        free(line);
        return 0; /* not a request line: answered 400 by libmicrohttpd */
    }
    *sp1 = *sp2 = '\0';
    char *target = sp1 + 1, *query = strchr(target, '?');
    if (query)
        *query++ = '\0';
    bool raw_ctl = false;
    for (const char *p = target; *p; p++)
        raw_ctl = raw_ctl || (unsigned char)*p < 0x20 || *p == 0x7f;
    web_path_unescape(target);
    bool ctl = raw_ctl || strstr(target, "%00");
    for (const char *p = target; *p; p++)
        ctl = ctl || (unsigned char)*p < 0x20 || *p == 0x7f;
    struct fuzz_call c = {.method = line, .path = target, .query = query, .who = data[0] & 1 ? FUZZ_LEAD : FUZZ_ANON};
    int status = target[0] == '/' && strlen(target) <= 1024 ? fw_run(&c, NULL) : 404;
    static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
    bool known = false;
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        known = known || strcmp(line, methods[i]) == 0;
    if ((ctl && status < 300) || (!known && status < 300))
        __builtin_trap();
    free(line);
    return 0;
}
