#ifndef PURPOSE_WEB_NAMED_H
#define PURPOSE_WEB_NAMED_H

/* Values and themes have one shape: a first text field ("name" or "title") and a description.
 * Their edit pages and API writes are written once here; values.c and themes.c each describe
 * theirs with a struct web_named and declare the routes. */

#include "web/web_int.h"

struct web_named {
    const char *noun;  /* "value": in titles, buttons and messages */
    const char *field; /* "name" or "title" */
    const char *label; /* "Name" or "Title" */
    const char *base;  /* "/strategy/values": pages live at base/new, base/{id}/edit, base/{id}/delete */
    const char *also;  /* what deleting one deletes too, e.g. "its ambitions", or NULL */
    /* The store's functions, called with the request's scope. */
    int (*add)(struct store *s, const struct store_actor *by, const struct store_scope *scope, const char *text,
               const char *description, int64_t *id, struct purpose_err *err);
    int (*update)(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                  const char *text, const char *description, struct purpose_err *err);
    int (*remove)(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                  struct purpose_err *err);
    /* Reads one record's text and description; the caller frees both. */
    int (*read)(struct web_req *r, int64_t id, char **text, char **description, struct purpose_err *err);
    /* Answers one record as JSON with this status. */
    int (*answer)(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err);
};

int web_named_new_page(struct web_req *r, struct web_resp *w, const struct web_named *k);
int web_named_edit_page(struct web_req *r, struct web_resp *w, const struct web_named *k, struct purpose_err *err);
/* POST base/new (create) or base/{id}/edit. */
int web_named_post_page(struct web_req *r, struct web_resp *w, const struct web_named *k, bool create,
                        struct purpose_err *err);
/* GET base/{id}/delete: what will go, then POST base/{id}/delete (confirm.h). */
int web_named_confirm_page(struct web_req *r, struct web_resp *w, const struct web_named *k, struct purpose_err *err);
int web_named_delete_page(struct web_req *r, struct web_resp *w, const struct web_named *k, struct purpose_err *err);
/* POST (create) or PUT {field, description}. */
int web_named_write_api(struct web_req *r, struct web_resp *w, const struct web_named *k, bool create,
                        struct purpose_err *err);
int web_named_delete_api(struct web_req *r, struct web_resp *w, const struct web_named *k, struct purpose_err *err);

#endif
