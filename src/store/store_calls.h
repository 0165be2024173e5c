#ifndef PURPOSE_STORE_CALLS_H
#define PURPOSE_STORE_CALLS_H

/* Plain functions over today's struct store_ops, one per member, named store_<member> with the
 * member's arguments, so that src/web and src/cli are written against the store that replaces
 * struct store_ops (issue 7). Delete this file and store_calls.c when that store lands.
 *
 * Each returns 0, or -1 with err filled and err->kind set: a lookup that finds nothing is
 * PURPOSE_ERR_NOT_FOUND ("user: not found"); a message that names a field of the request
 * ("username: ...") is PURPOSE_ERR_INPUT with err->field set, or PURPOSE_ERR_CONFLICT when it says
 * the thing is already so ("already taken", "already revoked"); anything else (the database,
 * memory) is PURPOSE_ERR_INTERNAL. err may be NULL. */

#include "store/store.h"

int store_generation(struct store *s, uint64_t *gen, struct purpose_err *err);
int store_secret_key(struct store *s, unsigned char key[32], struct purpose_err *err);
/* Tests only: make the n-th database step from now fail (0 turns it off). */
void store_fail_after(struct store *s, int n);

int store_user_add(struct store *s, const struct store_actor *by, const char *username,
                   const char *display_name, enum store_role role, const char *password_hash, int64_t *id,
                   struct purpose_err *err);
int store_user_get(struct store *s, int64_t id, struct store_user *out, struct purpose_err *err);
int store_user_find(struct store *s, const char *username, struct store_user *out, struct purpose_err *err);
int store_user_list(struct store *s, struct store_user_list *out, struct purpose_err *err);
int store_user_set_password(struct store *s, const struct store_actor *by, int64_t id,
                            const char *password_hash, struct purpose_err *err);
int store_user_update(struct store *s, const struct store_actor *by, int64_t id, enum store_role role,
                      bool disabled, struct purpose_err *err);

int store_session_create(struct store *s, const char *id_hash, int64_t user_id, const char *csrf,
                         int64_t expires_at, struct purpose_err *err);
int store_session_get(struct store *s, const char *id_hash, int64_t now, struct store_session *out,
                      struct purpose_err *err);
int store_session_delete(struct store *s, const char *id_hash, struct purpose_err *err);

int store_token_create(struct store *s, const struct store_actor *by, int64_t user_id, const char *name,
                       const char *prefix, const char *hash, int64_t *id, struct purpose_err *err);
int store_token_find(struct store *s, const char *hash, struct store_user *out, struct purpose_err *err);
int store_token_list(struct store *s, struct store_token_list *out, struct purpose_err *err);
int store_token_revoke(struct store *s, const struct store_actor *by, int64_t id, struct purpose_err *err);

int store_statement_set(struct store *s, const struct store_actor *by, const char *kind, const char *text,
                        struct purpose_err *err);
int store_statement_current(struct store *s, const char *kind, struct store_statement *out,
                            struct purpose_err *err);
int store_statement_history(struct store *s, const char *kind, struct store_statement_list *out,
                            struct purpose_err *err);

int store_value_list(struct store *s, struct store_value_list *out, struct purpose_err *err);
int store_value_get(struct store *s, int64_t id, struct store_value *out, struct purpose_err *err);
int store_value_add(struct store *s, const struct store_actor *by, const char *name, const char *description,
                    int64_t *id, struct purpose_err *err);
int store_value_update(struct store *s, const struct store_actor *by, int64_t id, const char *name,
                       const char *description, struct purpose_err *err);
int store_value_delete(struct store *s, const struct store_actor *by, int64_t id, struct purpose_err *err);

int store_theme_list(struct store *s, struct store_theme_list *out, struct purpose_err *err);
int store_theme_get(struct store *s, int64_t id, struct store_theme *out, struct purpose_err *err);
int store_theme_add(struct store *s, const struct store_actor *by, const char *title, const char *description,
                    int64_t *id, struct purpose_err *err);
int store_theme_update(struct store *s, const struct store_actor *by, int64_t id, const char *title,
                       const char *description, struct purpose_err *err);
int store_theme_delete(struct store *s, const struct store_actor *by, int64_t id, struct purpose_err *err);

int store_ambition_list(struct store *s, int64_t theme_id, struct store_ambition_list *out,
                        struct purpose_err *err);
int store_ambition_get(struct store *s, int64_t id, struct store_ambition *out, struct purpose_err *err);
int store_ambition_add(struct store *s, const struct store_actor *by, int64_t theme_id, const char *title,
                       const char *description, int target_year, int64_t *id, struct purpose_err *err);
int store_ambition_update(struct store *s, const struct store_actor *by, int64_t id, const char *title,
                          const char *description, int target_year, struct purpose_err *err);
int store_ambition_delete(struct store *s, const struct store_actor *by, int64_t id, struct purpose_err *err);

int store_audit_list(struct store *s, int64_t before_id, size_t limit, struct store_audit_list *out,
                     struct purpose_err *err);

#endif
