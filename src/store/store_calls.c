/* store_<member> over today's struct store_ops: STORE_NOT_FOUND becomes -1 with kind NOT_FOUND,
 * and a backend's message is given its kind (see store_calls.h). Temporary: issue 7's store
 * sets the kind where the error arises, and this file goes. */
#include <stdio.h>
#include <string.h>

#include "store/store_calls.h"
#include "core/banned.h"

/* The fields today's backends and store_check_* name at the start of a message. A database
 * failure starts with the database's path instead, whatever it is called. */
static const char *const fields[] = {"name",     "title",       "description", "text",    "username",
                                     "display_name", "role",     "password",    "target_year",
                                     "theme_id", "user_id",     "kind",        "id"};

static int classify(int rc, const char *entity, struct purpose_err *err)
{
    if (rc == 0)
        return 0;
    if (rc > 0) /* STORE_NOT_FOUND */
        return purpose_errk(err, PURPOSE_ERR_NOT_FOUND, NULL, "%s: not found", entity);
    if (!err)
        return -1;
    size_t n = strcspn(err->msg, ":");
    err->kind = PURPOSE_ERR_INTERNAL;
    err->field[0] = '\0';
    if (err->msg[n] != ':')
        return -1;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (strlen(fields[i]) == n && strncmp(err->msg, fields[i], n) == 0) {
            err->kind = strstr(err->msg, "already") ? PURPOSE_ERR_CONFLICT : PURPOSE_ERR_INPUT;
            snprintf(err->field, sizeof err->field, "%s", fields[i]);
            break;
        }
    }
    return -1;
}

#define CALL(entity, member, ...) classify(s->ops->member(s, __VA_ARGS__), entity, err)

int store_generation(struct store *s, uint64_t *gen, struct purpose_err *err)
{
    return CALL("generation", generation, gen, err);
}
int store_secret_key(struct store *s, unsigned char key[32], struct purpose_err *err)
{
    return CALL("secret key", secret_key, key, err);
}
void store_fail_after(struct store *s, int n)
{
    s->ops->fail_after(s, n);
}

int store_user_add(struct store *s, const struct store_actor *by, const char *username,
                   const char *display_name, enum store_role role, const char *password_hash, int64_t *id,
                   struct purpose_err *err)
{
    return CALL("user", user_add, by, username, display_name, role, password_hash, id, err);
}
int store_user_get(struct store *s, int64_t id, struct store_user *out, struct purpose_err *err)
{
    return CALL("user", user_get, id, out, err);
}
int store_user_find(struct store *s, const char *username, struct store_user *out, struct purpose_err *err)
{
    return CALL("user", user_find, username, out, err);
}
int store_user_list(struct store *s, struct store_user_list *out, struct purpose_err *err)
{
    return CALL("users", user_list, out, err);
}
int store_user_set_password(struct store *s, const struct store_actor *by, int64_t id,
                            const char *password_hash, struct purpose_err *err)
{
    return CALL("user", user_set_password, by, id, password_hash, err);
}
int store_user_update(struct store *s, const struct store_actor *by, int64_t id, enum store_role role,
                      bool disabled, struct purpose_err *err)
{
    return CALL("user", user_update, by, id, role, disabled, err);
}

int store_session_create(struct store *s, const char *id_hash, int64_t user_id, const char *csrf,
                         int64_t expires_at, struct purpose_err *err)
{
    return CALL("session", session_create, id_hash, user_id, csrf, expires_at, err);
}
int store_session_get(struct store *s, const char *id_hash, int64_t now, struct store_session *out,
                      struct purpose_err *err)
{
    return CALL("session", session_get, id_hash, now, out, err);
}
int store_session_delete(struct store *s, const char *id_hash, struct purpose_err *err)
{
    return CALL("session", session_delete, id_hash, err);
}

int store_token_create(struct store *s, const struct store_actor *by, int64_t user_id, const char *name,
                       const char *prefix, const char *hash, int64_t *id, struct purpose_err *err)
{
    return CALL("token", token_create, by, user_id, name, prefix, hash, id, err);
}
int store_token_find(struct store *s, const char *hash, struct store_user *out, struct purpose_err *err)
{
    return CALL("token", token_find, hash, out, err);
}
int store_token_list(struct store *s, struct store_token_list *out, struct purpose_err *err)
{
    return CALL("tokens", token_list, out, err);
}
int store_token_revoke(struct store *s, const struct store_actor *by, int64_t id, struct purpose_err *err)
{
    return CALL("token", token_revoke, by, id, err);
}

int store_statement_set(struct store *s, const struct store_actor *by, const char *kind, const char *text,
                        struct purpose_err *err)
{
    return CALL("statement", statement_set, by, kind, text, err);
}
int store_statement_current(struct store *s, const char *kind, struct store_statement *out,
                            struct purpose_err *err)
{
    return CALL(kind, statement_current, kind, out, err);
}
int store_statement_history(struct store *s, const char *kind, struct store_statement_list *out,
                            struct purpose_err *err)
{
    return CALL(kind, statement_history, kind, out, err);
}

int store_value_list(struct store *s, struct store_value_list *out, struct purpose_err *err)
{
    return CALL("values", value_list, out, err);
}
int store_value_get(struct store *s, int64_t id, struct store_value *out, struct purpose_err *err)
{
    return CALL("value", value_get, id, out, err);
}
int store_value_add(struct store *s, const struct store_actor *by, const char *name, const char *description,
                    int64_t *id, struct purpose_err *err)
{
    return CALL("value", value_add, by, name, description, id, err);
}
int store_value_update(struct store *s, const struct store_actor *by, int64_t id, const char *name,
                       const char *description, struct purpose_err *err)
{
    return CALL("value", value_update, by, id, name, description, err);
}
int store_value_delete(struct store *s, const struct store_actor *by, int64_t id, struct purpose_err *err)
{
    return CALL("value", value_delete, by, id, err);
}

int store_theme_list(struct store *s, struct store_theme_list *out, struct purpose_err *err)
{
    return CALL("themes", theme_list, out, err);
}
int store_theme_get(struct store *s, int64_t id, struct store_theme *out, struct purpose_err *err)
{
    return CALL("theme", theme_get, id, out, err);
}
int store_theme_add(struct store *s, const struct store_actor *by, const char *title, const char *description,
                    int64_t *id, struct purpose_err *err)
{
    return CALL("theme", theme_add, by, title, description, id, err);
}
int store_theme_update(struct store *s, const struct store_actor *by, int64_t id, const char *title,
                       const char *description, struct purpose_err *err)
{
    return CALL("theme", theme_update, by, id, title, description, err);
}
int store_theme_delete(struct store *s, const struct store_actor *by, int64_t id, struct purpose_err *err)
{
    return CALL("theme", theme_delete, by, id, err);
}

int store_ambition_list(struct store *s, int64_t theme_id, struct store_ambition_list *out,
                        struct purpose_err *err)
{
    return CALL("ambitions", ambition_list, theme_id, out, err);
}
int store_ambition_get(struct store *s, int64_t id, struct store_ambition *out, struct purpose_err *err)
{
    return CALL("ambition", ambition_get, id, out, err);
}
int store_ambition_add(struct store *s, const struct store_actor *by, int64_t theme_id, const char *title,
                       const char *description, int target_year, int64_t *id, struct purpose_err *err)
{
    return CALL("ambition", ambition_add, by, theme_id, title, description, target_year, id, err);
}
int store_ambition_update(struct store *s, const struct store_actor *by, int64_t id, const char *title,
                          const char *description, int target_year, struct purpose_err *err)
{
    return CALL("ambition", ambition_update, by, id, title, description, target_year, err);
}
int store_ambition_delete(struct store *s, const struct store_actor *by, int64_t id, struct purpose_err *err)
{
    return CALL("ambition", ambition_delete, by, id, err);
}

int store_audit_list(struct store *s, int64_t before_id, size_t limit, struct store_audit_list *out,
                     struct purpose_err *err)
{
    return CALL("audit", audit_list, before_id, limit, out, err);
}
