/* Fuzzer for the route matcher: any path (as libmicrohttpd hands it over, after our unescaper) must
 * find a route or none, and what a route captures must be what its placeholder allows. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool slug_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *path = malloc(size + 1);
    if (!path)
        return 0;
    memcpy(path, data, size);
    path[size] = '\0';
    size_t n = web_path_unescape(path);
    if (n != strlen(path) || n > size)
        __builtin_trap();
    static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"};
    for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++) {
        struct web_req r = {0};
        r.method = methods[m];
        bool known = false;
        const struct web_route *rt = web_route_find(&r, path, -1, &known);
        if (rt && !known)
            __builtin_trap();
        if (rt && strstr(rt->path, "{id}") && r.id <= 0)
            __builtin_trap();
        if (rt && strstr(rt->path, "{kind}") && strcmp(r.kind, "vision") != 0 && strcmp(r.kind, "purpose") != 0)
            __builtin_trap();
        if (rt && (strstr(rt->path, "{programme}") || strstr(rt->path, "{org}")) && !slug_ok(r.slug))
            __builtin_trap();
    }
    char slug[64];
    const char *rest;
    if (web_org_prefix(path, slug, sizeof slug, &rest) &&
        (!*slug || strchr(slug, '/') || rest < path || rest > path + n || (*rest && *rest != '/')))
        __builtin_trap();
    free(path);
    return 0;
}
