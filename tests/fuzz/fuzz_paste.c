/* Fuzzer for the handover paste box and its site names (issue 16): CSV bytes pasted into the lead's
 * import form (POST /handovers/import, url-encoded as a browser sends it, "store the good rows" by
 * a flag) through web_dispatch on the demo database, with the fault-injecting driver failing the
 * n-th database step when asked. Input: fault step, flags, then the CSV. Besides fuzz_web.h's rules:
 * with no fault the answer is never a 500; a refused import leaves the sites as they were; every
 * stored site name passes the one text rule (core/utf8.h) as one line. */
#include "core/utf8.h"
#include "fuzz_web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int64_t org;

/* The organisation's sites: their count, each name checked. */
static size_t sites(void)
{
    struct store_ho_site_list l;
    struct purpose_err err = {0};
    if (store_ho_sites(fw.s, (struct store_scope){STORE_SCOPE_ORG, org}, &l, &err) < 0)
        __builtin_trap();
    for (size_t i = 0; i < l.n; i++)
        if (utf8_text_check(l.items[i].name, strlen(l.items[i].name), 200, false, NULL) != UTF8_OK)
            __builtin_trap();
    size_t n = l.n;
    store_ho_site_list_release(&l);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fw.s) {
        fw_setup("paste");
        struct store_org o;
        struct purpose_err err = {0};
        if (store_org_default(fw.s, &o, &err) < 0)
            abort();
        org = o.id;
        store_org_release(&o);
    }
    if (size < 2 || size > 1 << 15)
        return 0;
    /* csrf=...&csv=<every byte but the unreserved ones as %XX>[&skip_bad=1] */
    static const char hex[] = "0123456789ABCDEF";
    size_t cap = 3 * size + 200;
    char *body = malloc(cap);
    if (!body)
        return 0;
    size_t n = (size_t)snprintf(body, cap, "csrf=%s&csv=", fw.csrf);
    for (size_t i = 2; i < size; i++) {
        unsigned char ch = data[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.') {
            body[n++] = (char)ch;
        } else {
            body[n++] = '%';
            body[n++] = hex[ch >> 4];
            body[n++] = hex[ch & 15];
        }
    }
    if (data[1] & 1)
        n += (size_t)snprintf(body + n, cap - n, "&skip_bad=1");
    body[n] = '\0';
    size_t before = sites();
    struct fuzz_call c = {.method = "POST", .path = "/handovers/import", .body = body, .body_len = n,
                          .content_type = "application/x-www-form-urlencoded", .who = FUZZ_LEAD,
                          .fault = data[0] & 0x80 ? 0 : data[0] & 31};
    int status = fw_run(&c, NULL);
    size_t after = sites();
    if (!c.fault && status >= 500)
        __builtin_trap(); /* a paste is answered, never failed */
    if (status >= 400 && after != before)
        __builtin_trap(); /* a refused import stored a site */
    free(body);
    return 0;
}
