#ifndef PURPOSE_STORE_PROVENANCE_H
#define PURPOSE_STORE_PROVENANCE_H
/* Vision provenance, the lead's side (provenance.c): finding the contributions that shaped a new
 * version of a vision or purpose, and publishing the version with them. Included by store/campaigns.h;
 * the same ownership and error rules apply. (Linking to the current version and reading it back:
 * campaigns.h.) */

#define STORE_CANDIDATES_MAX 200 /* contributions listed for a lead to choose from */
#define STORE_SOURCES_MAX 1000     /* contributions linked to one version */

/* Published contributions of the scope's own conversations whose text contains q (any case; "" or
 * NULL: any) and whose theme is theme ("" or NULL: any), newest first, at most STORE_CANDIDATES_MAX;
 * *more is set when there were more. */
int store_provenance_candidates(struct store *s, struct store_scope scope, const char *q, const char *theme,
                                struct store_contribution_list *out, bool *more, struct purpose_err *err);
/* The themes leads gave those contributions, sorted: up to max into out (each at most
 * STORE_TITLE_MAX bytes), their number into *n. */
int store_provenance_themes(struct store *s, struct store_scope scope, char (*out)[STORE_TITLE_MAX + 1], size_t max,
                            size_t *n, struct purpose_err *err);
/* Publishes a new version of the scope's vision or purpose and links the n contributions that shaped
 * it (n may be 0), in one transaction: both happen or neither. Each must be a published contribution
 * of the scope's own conversations (INPUT, field "contribution_ids", naming it). Audited as the two
 * writes are. */
int store_statement_publish(struct store *s, const struct store_actor *by, struct store_scope scope, const char *kind,
                            const char *text, const int64_t *ids, size_t n, struct purpose_err *err);

#endif
