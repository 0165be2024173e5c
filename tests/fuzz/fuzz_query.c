/* Fuzzer for query strings and the sign-in `next` check: the query is split and unescaped as
 * libmicrohttpd does with our unescaper, read with web_query_get and web_parse_long, and `next`
 * must come out as a local path or "/". Form-encoded values go through web_url_decode. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ARGS 16
struct args {
    char *name[ARGS], *value[ARGS];
    size_t n;
};

static const char *arg_of(void *conn, const char *name)
{
    const struct args *a = conn;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->name[i], name) == 0)
            return a->value[i];
    return NULL;
}

static void check_next(const char *next)
{
    const char *to = web_safe_next(next);
    if (strcmp(to, "/") == 0)
        return;
    if (to[0] != '/' || to[1] == '/' || to[1] == '\\' || strlen(to) > 300)
        __builtin_trap();
    for (const char *p = to; *p; p++)
        if ((unsigned char)*p < 0x20)
            __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    char *q = malloc(size + 1), *form = malloc(size + 1);
    if (!q || !form) {
        free(q);
        free(form);
        return 0;
    }
    memcpy(q, data, size);
    q[size] = '\0';
    memcpy(form, data, size);
    form[size] = '\0';
    struct args a = {0};
    for (char *p = q; p && *p && a.n < ARGS;) {
        char *amp = strchr(p, '&');
        if (amp)
            *amp = '\0';
        char *eq = strchr(p, '=');
        if (eq)
            *eq = '\0';
        for (char *c = p; *c; c++)
            if (*c == '+')
                *c = ' ';
        char *v = eq ? eq + 1 : p + strlen(p);
        for (char *c = v; *c; c++)
            if (*c == '+')
                *c = ' ';
        web_path_unescape(p);
        web_path_unescape(v);
        a.name[a.n] = p;
        a.value[a.n++] = v;
        p = amp ? amp + 1 : NULL;
    }
    struct web_req r = {0};
    r.conn = &a;
    r.arg = arg_of;
    char out[320];
    struct purpose_err err = {0};
    long v;
    if (web_query_get(&r, "next", out, sizeof out) == 0) {
        if (strlen(out) >= sizeof out)
            __builtin_trap();
        check_next(out);
    }
    static const char *const nums[] = {"limit", "before"};
    for (size_t i = 0; i < 2; i++)
        if (web_query_get(&r, nums[i], out, sizeof out) == 0 && web_parse_long(out, nums[i], 1, 1000, &v, &err) == 0 &&
            (v < 1 || v > 1000))
            __builtin_trap();
    check_next(q);
    size_t len = size;
    if (web_url_decode(form, &len) == 0) {
        if (len > size || strlen(form) != len)
            __builtin_trap();
        check_next(form);
    }
    free(q);
    free(form);
    return 0;
}
