#ifndef PURPOSE_WEB_FRAMING_H
#define PURPOSE_WEB_FRAMING_H
/* What server_request.c checks of a request before reading its body: that its length can be told one way
 * only (RFC 9112 section 6), and that its request line held no NUL byte. */
#include <stdbool.h>
#include <stddef.h>

#include <microhttpd.h>

/* 0 when the request's framing is sound; else 400 (its length is ambiguous: both Content-Length
 * and Transfer-Encoding, two Content-Lengths that differ, or a last transfer coding that is not
 * chunked, or chunked twice) or 501 (a transfer coding besides chunked), with *msg saying why. */
int web_framing_check(struct MHD_Connection *c, const char **msg);

/* True when the request line's URI held a NUL byte: uri and uri_len are the URI as libmicrohttpd
 * logged it (MHD_OPTION_URI_LOG_CALLBACK), version the version it passed to the handler. */
bool web_uri_cut(const char *uri, size_t uri_len, const char *version);

#endif
