/* Fuzzer for the JSON API's handlers and their failure paths (issue 16): any API route of the route
 * table, with a JSON body, as the demo's admin (API token) or lead (session and CSRF token), through
 * web_dispatch on the demo database, with the fault-injecting driver failing the n-th database step
 * of the request. Input: route, fault step, {id}, flags, then the body. Every answer is well formed
 * (fuzz_web.h: a known status, JSON with a non-empty "error" when it is an error) and after a fault
 * the same process answers the next request. */
#include "fuzz_web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct web_route *api[512];
static size_t n_api;

static void collect(void)
{
    for (size_t f = 0; f < web_nfeatures; f++)
        for (size_t i = 0; i < web_features[f]->nroutes && n_api < sizeof api / sizeof api[0]; i++)
            if (web_features[f]->routes[i].kind == WEB_API)
                api[n_api++] = &web_features[f]->routes[i];
}

/* The route's path with its placeholders filled from the input. */
static void fill(const char *pat, unsigned id, unsigned flags, char *out, size_t n)
{
    static const char *const slugs[] = {"chronic-pain", "handovers", "nope", "northgate-th"};
    size_t o = 0;
    for (const char *p = pat; *p && o + 24 < n;) {
        if (strncmp(p, "{id}", 4) == 0) {
            o += (size_t)snprintf(out + o, n - o, "%u", id);
            p += 4;
        } else if (strncmp(p, "{kind}", 6) == 0) {
            o += (size_t)snprintf(out + o, n - o, "%s", flags & 2 ? "purpose" : "vision");
            p += 6;
        } else if (strncmp(p, "{programme}", 11) == 0 || strncmp(p, "{org}", 5) == 0) {
            o += (size_t)snprintf(out + o, n - o, "%s", slugs[(flags >> 2) & 3]);
            p += p[1] == 'p' ? 11 : 5;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fw.s) {
        fw_setup("api");
        collect();
    }
    if (size < 4 || size > 1 << 16 || n_api == 0)
        return 0;
    const struct web_route *rt = api[data[0] % n_api];
    char path[256];
    fill(rt->path, (unsigned)data[2] % 40 + 1, data[3], path, sizeof path);
    struct fuzz_call c = {.method = rt->method, .path = path, .body = (const char *)data + 4, .body_len = size - 4,
                          .content_type = data[3] & 16 ? "text/plain" : "application/json",
                          .who = data[3] & 1 ? FUZZ_LEAD : FUZZ_ADMIN, .fault = data[1] & 0x80 ? 0 : data[1] & 63,
                          .query = data[3] & 32 ? "by=week&from=2023-01-01&to=2023-03-31&limit=5&q=a" : NULL};
    fw_run(&c, NULL);
    return 0;
}
