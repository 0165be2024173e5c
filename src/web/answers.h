#ifndef PURPOSE_WEB_ANSWERS_H
#define PURPOSE_WEB_ANSWERS_H
/* Whole answers kept by the server (answers.c): the response to an anonymous GET of a route whose
 * cache policy says every such request of the path gets the same bytes (WEB_CACHE_ANON or
 * WEB_CACHE_PUBLIC: web_resp.cacheable), kept with its stamp and sent again without parsing or
 * dispatching anything while the stamp holds (route_cache.c's rule: the same generation, or none
 * of the route's topics moved). Slots are taken by path in turn; the set owns one reference to each
 * kept libmicrohttpd response. Thread-safe. */
#include <stdbool.h>
#include <stdint.h>

#include <microhttpd.h>

#include "web/web_int.h"

struct web_answers;

/* A new empty set, or NULL when out of memory. */
struct web_answers *web_answers_new(void);
void web_answers_free(struct web_answers **a);
/* Queues path's kept answer on c when its stamp holds at generation gen: true with *status and *ret. */
bool web_answers_serve(struct web_answers *a, struct web_ctx *ctx, struct MHD_Connection *c, const char *path,
                       uint64_t gen, int *status, enum MHD_Result *ret);
/* Keeps resp (taking the caller's reference) as path's answer with stamp; false when the path is
 * too long to keep, and the caller still owns resp. */
bool web_answers_keep(struct web_answers *a, const char *path, const struct web_stamp *stamp, int status,
                      struct MHD_Response *resp);

#endif
