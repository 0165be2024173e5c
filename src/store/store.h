#ifndef PURPOSE_STORE_H
#define PURPOSE_STORE_H

/* The storage contract. Callers see plain C structs and a struct of function pointers; each backend
 * (store_sqlite.c now, PostgreSQL later) is one file that fills a struct store_ops. No backend type
 * leaves this folder.
 *
 * Ownership: a struct store is created by store_open and freed by store_close. Every list a
 * function fills (struct store_*_list) is owned by the caller and released with its _release
 * function. Strings inside records are owned by the record.
 *
 * Every write runs in one transaction together with its audit entry: it either all happens or
 * nothing does. Functions return 0, or -1 with err filled; a lookup that finds nothing returns
 * STORE_NOT_FOUND (a positive value, not an error). A store may be used from many threads: each
 * call is serialised by the backend. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "purpose/err.h"

#define STORE_NOT_FOUND 1

/* Bounds on every text field, checked by store_check_* before any write (and by the backends). */
#define STORE_USERNAME_MAX 64
#define STORE_NAME_MAX 200
#define STORE_TITLE_MAX 200
#define STORE_TEXT_MAX 4000
#define STORE_YEAR_MIN 2000
#define STORE_YEAR_MAX 2100

/* Roles, lowest first: each has everything of the roles below it (issue 4). */
enum store_role {
    ROLE_ANON = 0,
    ROLE_CONTRIBUTOR = 1,
    ROLE_MEMBER = 2,
    ROLE_LEAD = 3,
    ROLE_ADMIN = 4,
};
const char *store_role_name(enum store_role r);
/* Parses "contributor", "member", "lead" or "admin"; -1 if none. */
int store_role_parse(const char *s);

/* Who is making a change, recorded in the audit log. id 0 with name "cli" is the command line. */
struct store_actor {
    int64_t id;
    const char *name;
};

struct store_user {
    int64_t id;
    char *username;
    char *display_name;
    enum store_role role;
    bool disabled;
    char *password_hash; /* argon2id string (libsodium); NULL in lists */
    int64_t created_at;  /* unix seconds */
};

struct store_statement { /* one version of the vision or the purpose */
    int64_t id;
    char *kind; /* "vision" or "purpose" */
    char *text;
    char *author; /* username, or "cli" */
    int64_t created_at;
};

struct store_value {
    int64_t id;
    int position;
    char *name;
    char *description;
};

struct store_theme {
    int64_t id;
    int position;
    char *title;
    char *description;
};

struct store_ambition {
    int64_t id;
    int64_t theme_id;
    int position;
    char *title;
    char *description;
    int target_year;
};

struct store_token {
    int64_t id;
    int64_t user_id;
    char *username;
    char *name;
    char *prefix; /* first characters of the token, to recognise it; not secret */
    int64_t created_at;
    int64_t revoked_at; /* 0 when live */
};

struct store_audit {
    int64_t id;
    int64_t at;
    char *actor;
    char *action; /* "create", "update", "delete", "revoke", ... */
    char *entity; /* "user", "value", "theme", ... */
    int64_t entity_id;
    char *before; /* JSON or NULL */
    char *after;  /* JSON or NULL */
};

struct store_session {
    int64_t user_id;
    char *csrf;
    int64_t expires_at;
};

#define STORE_LIST(name, type)                                                                   \
    struct name {                                                                                \
        type *items;                                                                             \
        size_t n;                                                                                \
    }
STORE_LIST(store_user_list, struct store_user);
STORE_LIST(store_statement_list, struct store_statement);
STORE_LIST(store_value_list, struct store_value);
STORE_LIST(store_theme_list, struct store_theme);
STORE_LIST(store_ambition_list, struct store_ambition);
STORE_LIST(store_token_list, struct store_token);
STORE_LIST(store_audit_list, struct store_audit);

void store_user_release(struct store_user *u);
void store_statement_release(struct store_statement *s);
void store_value_release(struct store_value *v);
void store_theme_release(struct store_theme *t);
void store_ambition_release(struct store_ambition *a);
void store_token_release(struct store_token *t);
void store_audit_release(struct store_audit *a);
void store_session_release(struct store_session *s);
void store_user_list_release(struct store_user_list *l);
void store_statement_list_release(struct store_statement_list *l);
void store_value_list_release(struct store_value_list *l);
void store_theme_list_release(struct store_theme_list *l);
void store_ambition_list_release(struct store_ambition_list *l);
void store_token_list_release(struct store_token_list *l);
void store_audit_list_release(struct store_audit_list *l);

struct store;

/* The backend contract. `s` is the backend's own struct store. */
struct store_ops {
    void (*close)(struct store *s);
    /* A number that changes whenever any connection commits a change; for caches. */
    int (*generation)(struct store *s, uint64_t *gen, struct purpose_err *err);
    /* A random secret kept in the database, created on first open; key for keyed hashes. */
    int (*secret_key)(struct store *s, unsigned char key[32], struct purpose_err *err);

    int (*user_add)(struct store *s, const struct store_actor *by, const char *username,
                    const char *display_name, enum store_role role, const char *password_hash,
                    int64_t *id, struct purpose_err *err);
    int (*user_get)(struct store *s, int64_t id, struct store_user *out, struct purpose_err *err);
    int (*user_find)(struct store *s, const char *username, struct store_user *out,
                     struct purpose_err *err);
    int (*user_list)(struct store *s, struct store_user_list *out, struct purpose_err *err);
    int (*user_set_password)(struct store *s, const struct store_actor *by, int64_t id,
                             const char *password_hash, struct purpose_err *err);
    int (*user_update)(struct store *s, const struct store_actor *by, int64_t id,
                       enum store_role role, bool disabled, struct purpose_err *err);

    int (*session_create)(struct store *s, const char *id_hash, int64_t user_id, const char *csrf,
                          int64_t expires_at, struct purpose_err *err);
    int (*session_get)(struct store *s, const char *id_hash, int64_t now, struct store_session *out,
                       struct purpose_err *err);
    int (*session_delete)(struct store *s, const char *id_hash, struct purpose_err *err);

    int (*token_create)(struct store *s, const struct store_actor *by, int64_t user_id,
                        const char *name, const char *prefix, const char *hash, int64_t *id,
                        struct purpose_err *err);
    /* The enabled user holding the live token with this hash (without the password hash). */
    int (*token_find)(struct store *s, const char *hash, struct store_user *out,
                      struct purpose_err *err);
    int (*token_list)(struct store *s, struct store_token_list *out, struct purpose_err *err);
    int (*token_revoke)(struct store *s, const struct store_actor *by, int64_t id,
                        struct purpose_err *err);

    /* kind is "vision" or "purpose"; the current one is the newest. */
    int (*statement_set)(struct store *s, const struct store_actor *by, const char *kind,
                         const char *text, struct purpose_err *err);
    int (*statement_current)(struct store *s, const char *kind, struct store_statement *out,
                             struct purpose_err *err);
    int (*statement_history)(struct store *s, const char *kind, struct store_statement_list *out,
                             struct purpose_err *err);

    int (*value_list)(struct store *s, struct store_value_list *out, struct purpose_err *err);
    int (*value_get)(struct store *s, int64_t id, struct store_value *out, struct purpose_err *err);
    int (*value_add)(struct store *s, const struct store_actor *by, const char *name,
                     const char *description, int64_t *id, struct purpose_err *err);
    int (*value_update)(struct store *s, const struct store_actor *by, int64_t id, const char *name,
                        const char *description, struct purpose_err *err);
    int (*value_delete)(struct store *s, const struct store_actor *by, int64_t id,
                        struct purpose_err *err);

    int (*theme_list)(struct store *s, struct store_theme_list *out, struct purpose_err *err);
    int (*theme_get)(struct store *s, int64_t id, struct store_theme *out, struct purpose_err *err);
    int (*theme_add)(struct store *s, const struct store_actor *by, const char *title,
                     const char *description, int64_t *id, struct purpose_err *err);
    int (*theme_update)(struct store *s, const struct store_actor *by, int64_t id, const char *title,
                        const char *description, struct purpose_err *err);
    /* Deletes the theme and its ambitions. */
    int (*theme_delete)(struct store *s, const struct store_actor *by, int64_t id,
                        struct purpose_err *err);

    /* theme_id 0 lists every ambition, ordered by theme then position. */
    int (*ambition_list)(struct store *s, int64_t theme_id, struct store_ambition_list *out,
                         struct purpose_err *err);
    int (*ambition_get)(struct store *s, int64_t id, struct store_ambition *out,
                        struct purpose_err *err);
    int (*ambition_add)(struct store *s, const struct store_actor *by, int64_t theme_id,
                        const char *title, const char *description, int target_year, int64_t *id,
                        struct purpose_err *err);
    int (*ambition_update)(struct store *s, const struct store_actor *by, int64_t id,
                           const char *title, const char *description, int target_year,
                           struct purpose_err *err);
    int (*ambition_delete)(struct store *s, const struct store_actor *by, int64_t id,
                           struct purpose_err *err);

    /* Newest first; at most `limit` entries older than `before_id` (0: from the newest). */
    int (*audit_list)(struct store *s, int64_t before_id, size_t limit, struct store_audit_list *out,
                      struct purpose_err *err);

    /* Tests only: make the n-th database step from now fail (0 turns it off). */
    void (*fail_after)(struct store *s, int n);
};

/* Every backend's struct starts with this. */
struct store {
    const struct store_ops *ops;
};

/* Opens (creating if needed) the store at `location`: a file path for SQLite; a postgresql:// URL
 * is refused until that backend exists. Applies pending schema migrations. */
int store_open(const char *location, struct store **out, struct purpose_err *err);
void store_close(struct store **s);

/* The database location per docs/cli.md: --db, else PURPOSE_DB, else ./data/purpose.db. */
const char *store_default_location(const char *db_option);

/* Field checks shared by every caller: 0, or -1 with a message naming the field. */
int store_check_text(const char *field, const char *s, size_t max, bool required,
                     struct purpose_err *err);
int store_check_username(const char *s, struct purpose_err *err);
int store_check_year(int year, struct purpose_err *err);

/* Every theme, and every ambition in theme order (one list, theme_id says whose). On success the
 * caller releases both lists; on failure neither needs releasing. */
int store_load_themes(struct store *s, struct store_theme_list *themes, struct store_ambition_list *ambitions,
                      struct purpose_err *err);

/* Fills a new database with the demo organisation (issue 4) and one user per role. Passwords are
 * generated; `creds` (size `n`) receives "role username password" lines. */
int store_demo(struct store *s, char *creds, size_t n, struct purpose_err *err);

/* The six values of the NHS Constitution, used as defaults by `purpose init`. */
int store_default_values(struct store *s, struct purpose_err *err);

#endif
