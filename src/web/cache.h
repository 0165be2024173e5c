#ifndef PURPOSE_WEB_CACHE_H
#define PURPOSE_WEB_CACHE_H
/* Shared fragments: the part of a page (or an API body) that is the same for everyone who may see
 * it, rendered once per store generation and kept with its gzip form, so that a request renders
 * only what is its own (the frame: navigation, the signed-in bar, the CSRF token) and, when the
 * client accepts gzip, sends the fragment's compressed bytes as they are (cache.c).
 *
 * A fragment is reference-counted and immutable once made: web_frag_get and web_frag_put return a
 * reference the caller passes to web_frag_emit (which hands it to the response) or drops with
 * web_frag_unref. */
#include "web/web_int.h"

struct web_frag;

/* The fragment of key for r's generation, or NULL: then the caller renders it and calls
 * web_frag_put (or web_frag_abandon on failure) with the same key. A route that declares lag_ms
 * (its cache policy, web_route) is also served a fragment of another generation up to that old: a
 * page whose data streams in (votes) is then rendered a few times a second, not once per commit;
 * while one request renders it again, others are served the previous one for up to 4x lag_ms. */
struct web_frag *web_frag_get(struct web_req *r, const char *key);
/* Keeps data as key's fragment for generation r->gen (compressing it once) and returns a reference
 * to it, or NULL when out of memory (the caller then writes data itself). */
struct web_frag *web_frag_put(struct web_req *r, const char *key, const char *data, size_t len);
void web_frag_abandon(struct web_req *r, const char *key);
void web_frag_unref(struct web_frag **f);

/* Puts the fragment at the end of w's body and gives w the reference. The bytes are copied only
 * when needed (web_frag_materialize), so a gzipped answer never copies them; a second fragment
 * in one response is copied at once. */
void web_frag_emit(struct web_resp *w, struct web_frag *f);
/* Copies w's fragment into its body where it belongs, keeping the reference (for gzip); anything
 * that reads or rewrites a body calls it first. */
void web_frag_materialize(struct web_resp *w);
/* The response w is answered with, gzip-encoded (RFC 1952): the bytes around the fragment are
 * compressed now, the fragment's own compressed bytes are spliced between them. 0 with *out
 * (malloc'd) and *len, or -1 when w holds no intact fragment, is under 32 KB (compressing the
 * frame would cost more than the bytes saved) or on failure: then it is sent plain. */
int web_frag_gzip(const struct web_resp *w, char **out, size_t *len);
/* Makes w's body what is sent: gzip-encoded when accept_encoding (the header, or NULL) accepts it
 * and web_frag_gzip succeeds (returns true), else plain with the fragment's bytes in it; either
 * way w keeps no fragment. */
bool web_frag_finish(struct web_resp *w, const char *accept_encoding);
/* Drops w's fragment reference, its bytes copied first unless w is an error (status not 200). */
void web_frag_drop(struct web_resp *w);
/* True when the Accept-Encoding header value accepts gzip. */
bool web_accepts_gzip(const char *accept_encoding);

#endif
