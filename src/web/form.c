/* application/x-www-form-urlencoded bodies, paths and query strings, Cookie and X-Forwarded-For
 * headers: the parsers of what arrives from outside (each one fuzzed in tests/fuzz/). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_int.h"
#include "core/banned.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int web_url_decode(char *s, size_t *len)
{
    size_t i = 0, o = 0, n = *len;
    while (i < n) {
        char c = s[i];
        if (c == '+') {
            s[o++] = ' ';
            i++;
        } else if (c == '%') {
            if (i + 2 >= n)
                return -1;
            int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
            if (h < 0 || l < 0)
                return -1;
            char d = (char)(h * 16 + l);
            if (d == '\0')
                return -1; /* a NUL would cut the value short: refuse it */
            s[o++] = d;
            i += 3;
        } else if (c == '\0') {
            return -1; /* a raw NUL, which no browser sends, would cut the value short too */
        } else {
            s[o++] = c;
            i++;
        }
    }
    s[o] = '\0';
    *len = o;
    return 0;
}

size_t web_path_unescape(char *s)
{
    char *o = s;
    for (const char *p = s; *p;) {
        int hi, lo;
        /* %00 stays as it is: a C string cannot hold a NUL, and decoding it would cut
         * "/assets/app.css%00.js" down to "/assets/app.css". */
        if (p[0] == '%' && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0 && (hi | lo)) {
            *o++ = (char)(hi * 16 + lo);
            p += 3;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return (size_t)(o - s);
}

int web_forwarded_client(const char *xff, char *ip, size_t n)
{
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ' || *last == '\t')
        last++;
    size_t len = strcspn(last, " \t");
    char text[INET6_ADDRSTRLEN];
    unsigned char bin[sizeof(struct in6_addr)];
    if (len == 0 || len >= sizeof text || len >= n)
        return -1;
    memcpy(text, last, len);
    text[len] = '\0';
    if (inet_pton(AF_INET, text, bin) != 1 && inet_pton(AF_INET6, text, bin) != 1)
        return -1;
    memcpy(ip, text, len + 1);
    return 0;
}

static char *dup_n(const char *p, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, p, n);
        d[n] = '\0';
    }
    return d;
}

int web_form_parse(const char *body, size_t len, struct web_form *f, struct purpose_err *err)
{
    f->n = 0;
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && body[j] != '&')
            j++;
        if (j > i) {
            if (f->n == WEB_FORM_FIELDS) {
                web_form_release(f);
                return purpose_errf(err, "form: too many fields");
            }
            const char *eq = memchr(body + i, '=', j - i);
            size_t nlen = eq ? (size_t)(eq - (body + i)) : j - i;
            size_t vlen = eq ? j - i - nlen - 1 : 0;
            char *name = dup_n(body + i, nlen), *value = dup_n(eq ? eq + 1 : "", vlen);
            if (!name || !value) {
                free(name);
                free(value);
                web_form_release(f);
                return purpose_errf(err, "form: out of memory");
            }
            if (web_url_decode(name, &nlen) < 0 || web_url_decode(value, &vlen) < 0 ||
                memchr(body + i, '\0', j - i)) {
                int r = purpose_errf(err, "%s: is not correctly encoded", name);
                free(name);
                free(value);
                web_form_release(f);
                return r;
            }
            /* Browsers send CRLF in textareas; keep LF only (a lone CR becomes LF). */
            size_t o = 0;
            for (size_t k = 0; k < vlen; k++) {
                if (value[k] == '\r' && value[k + 1] == '\n')
                    continue;
                value[o++] = value[k] == '\r' ? '\n' : value[k];
            }
            value[o] = '\0';
            f->f[f->n] = (struct web_field){.name = name, .value = value};
            f->n++;
        }
        i = j + 1;
    }
    return 0;
}

const struct web_field *web_form_field(const struct web_form *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->f[i].name, name) == 0)
            return &f->f[i];
    return NULL;
}

const char *web_form_get(const struct web_form *f, const char *name)
{
    const struct web_field *fl = web_form_field(f, name);
    return fl ? fl->value : NULL;
}

void web_form_release(struct web_form *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->f[i].name);
        free(f->f[i].value);
        free(f->f[i].filename);
        free(f->f[i].problem);
    }
    f->n = 0;
}

int web_cookie_get(const char *header, const char *name, char *out, size_t n)
{
    if (!header)
        return -1;
    size_t nl = strlen(name);
    const char *p = header;
    while (*p) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
            size_t vlen = len - nl - 1;
            if (vlen >= n)
                return -1;
            memcpy(out, p + nl + 1, vlen);
            out[vlen] = '\0';
            return 0;
        }
        p += len;
    }
    return -1;
}

int web_query_get(struct web_req *r, const char *name, char *out, size_t n)
{
    const char *v = r->arg ? r->arg(r->conn, name) : NULL;
    if (!v || strlen(v) >= n)
        return -1;
    memcpy(out, v, strlen(v) + 1);
    return 0;
}

const char *web_field(const struct web_req *r, const char *name)
{
    const char *v = web_form_get(&r->form, name);
    return v ? v : "";
}

int web_parse_long(const char *s, const char *field, long min, long max, long *out, struct purpose_err *err)
{
    char *end;
    long v = s && *s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || v < min || v > max)
        return purpose_errk(err, PURPOSE_ERR_INPUT, field, "%s: must be a whole number from %ld to %ld", field,
                            min, max);
    *out = v;
    return 0;
}
