/* Request framing (framing.h). libmicrohttpd frames a body by Content-Length or by a lone
 * "Transfer-Encoding: chunked"; anything else it would read until the connection's timeout, and a
 * proxy in front may frame it another way (request smuggling). */
#include <string.h>
#include <strings.h>

#include "web/framing.h"
#include "core/banned.h"

struct framing {
    int lengths;          /* Content-Length headers */
    const char *length;   /* the first one */
    bool differ;          /* two that are not the same */
    int codings;          /* transfer codings named, over every Transfer-Encoding header */
    int chunked;          /* how many of them are chunked */
    bool chunked_last;    /* the last one named is chunked */
};

/* Counts the transfer codings of one Transfer-Encoding value ("gzip, chunked"); an empty value
 * counts as one that is not chunked. */
static void framing_codings(struct framing *f, const char *v)
{
    int before = f->codings;
    for (const char *p = v; *p;) {
        p += strspn(p, " \t,");
        size_t n = strcspn(p, ",");
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        if (n) {
            f->codings++;
            f->chunked_last = n == 7 && strncasecmp(p, "chunked", 7) == 0;
            f->chunked += f->chunked_last;
        }
        p += strcspn(p, ",");
    }
    if (f->codings == before) {
        f->codings++;
        f->chunked_last = false;
    }
}

static enum MHD_Result framing_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    struct framing *f = cls;
    if (strcasecmp(key, "Content-Length") == 0) {
        if (f->lengths++ && strcmp(f->length, value ? value : "") != 0)
            f->differ = true;
        if (f->lengths == 1)
            f->length = value ? value : "";
    } else if (strcasecmp(key, "Transfer-Encoding") == 0) {
        framing_codings(f, value ? value : "");
    }
    return MHD_YES;
}

/* RFC 9112 section 6.3: a message with both Transfer-Encoding and Content-Length, with
 * Content-Length values that differ, or whose last transfer coding is not chunked, has no reliable
 * length: 400, and the connection is closed. Section 6.1: a transfer coding the server does not
 * know (it knows only chunked) is 501. */
int web_framing_check(struct MHD_Connection *c, const char **msg)
{
    struct framing f = {0};
    MHD_get_connection_values(c, MHD_HEADER_KIND, framing_header, &f);
    if (f.differ) {
        *msg = "Content-Length: two values that differ";
        return 400;
    }
    if (!f.codings)
        return 0;
    if (f.lengths) {
        *msg = "Transfer-Encoding and Content-Length: send only one";
        return 400;
    }
    if (!f.chunked_last || f.chunked > 1) {
        *msg = "Transfer-Encoding: chunked must be the last coding, once";
        return 400;
    }
    if (f.codings > 1) {
        *msg = "Transfer-Encoding: only chunked is supported";
        return 501;
    }
    return 0;
}

/* libmicrohttpd hands the URI on as a C string, so a NUL byte in it cuts the path short ("GET
 * /values\0x" would be served as /values). It keeps the request line in its read buffer, the
 * version right after the URI (0.9.x: the URI, a NUL where the space was, the version), and logs
 * the URI from there: a logged URI that ends before the byte ahead of the version held a NUL. Only
 * pointers are compared; a version further away than the request buffer (64 KiB) says nothing. */
bool web_uri_cut(const char *uri, size_t uri_len, const char *version)
{
    if (!uri || !version || !*version || version <= uri + uri_len)
        return false;
    size_t span = (size_t)(version - 1 - uri);
    return span < 64 * 1024 && span != uri_len;
}
