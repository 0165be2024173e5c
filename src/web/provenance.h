#ifndef PURPOSE_WEB_PROVENANCE_H
#define PURPOSE_WEB_PROVENANCE_H
/* Vision provenance on other features' pages (provenance.c): the line under a statement on a public
 * page, and the lead's choice of contributions in a statement's form. */
#include "web/kit.h"

/* "Shaped by N contributions from M people in K groups", as a link to the page that lists them, for
 * the current version of the scope's statement; nothing when none is linked or there is no version. */
int web_provenance_line(struct web_req *r, struct web_resp *w, const char *kind, struct purpose_err *err);
/* Inside a statement's form: find the scope's published contributions by words and theme (the
 * "Filter" button, name "action" value "filter", keeps what was typed and ticked) and tick those that
 * shaped this version (fields "contribution"). fe: the form's error, shown when it is about them. */
int web_provenance_picker(struct web_req *r, struct web_resp *w, const struct purpose_err *fe, struct purpose_err *err);
/* The ticked ids of the form, into a new array (*ids NULL when none). An input error names
 * "contribution_ids". */
int web_provenance_ticked(const struct web_req *r, int64_t **ids, size_t *n, struct purpose_err *err);
/* The ids of a JSON array ("contribution_ids"): 1 to STORE_SOURCES_MAX positive integers, or with
 * optional set, a missing one is none. */
int web_provenance_json_ids(const struct web_req *r, bool optional, int64_t **ids, size_t *n, struct purpose_err *err);

#endif
