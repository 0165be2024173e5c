#ifndef PURPOSE_WEB_ANSWERS_H
#define PURPOSE_WEB_ANSWERS_H
/* Whole answers kept by the server (answers.c): the response to an anonymous GET of a route whose
 * cache policy says every such request of the path gets the same bytes (WEB_CACHE_ANON or
 * WEB_CACHE_PUBLIC: web_resp.cacheable), for one store generation, sent again without parsing or
 * dispatching anything. Slots are taken by path in turn; the set owns one reference to each kept
 * libmicrohttpd response. Thread-safe. */
#include <stdbool.h>
#include <stdint.h>

#include <microhttpd.h>

struct web_answers;

/* A new empty set, or NULL when out of memory. */
struct web_answers *web_answers_new(void);
void web_answers_free(struct web_answers **a);
/* Queues path's kept answer on c when it is of generation gen: true with *status and *ret. */
bool web_answers_serve(struct web_answers *a, struct MHD_Connection *c, const char *path, uint64_t gen, int *status,
                       enum MHD_Result *ret);
/* Keeps resp (taking the caller's reference) as path's answer for gen; false when the path is too
 * long to keep, and the caller still owns resp. */
bool web_answers_keep(struct web_answers *a, const char *path, uint64_t gen, int status, struct MHD_Response *resp);

#endif
