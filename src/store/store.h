#ifndef PURPOSE_STORE_H
#define PURPOSE_STORE_H

/* The store: every domain rule and every read and write Purpose makes, written once over the thin
 * SQL driver (src/db/db.h), so SQLite and PostgreSQL run the same code. One file per feature:
 * users.c (users, sessions, API tokens), strategy.c (vision, purpose, values), themes.c (themes and
 * ambitions), audit.c; store.c opens, migrates (schema.c) and runs transactions.
 *
 * Ownership: a struct store is created by store_open and freed by store_close. Every list a
 * function fills (struct store_*_list) is owned by the caller and released with its _release
 * function. Strings inside records are owned by the record.
 *
 * Every write runs in one transaction together with its audit entry: it either all happens or
 * nothing does. A caller can span several writes with store_tx_begin/store_tx_end. Functions return
 * 0, or -1 with err filled; err->kind says why (a lookup that finds nothing is
 * PURPOSE_ERR_NOT_FOUND; a duplicate PURPOSE_ERR_CONFLICT; bad input PURPOSE_ERR_INPUT with
 * err->field; a database failure PURPOSE_ERR_INTERNAL). A store may be used from many threads:
 * reads run beside writes (SQLite WAL reader connections; a PostgreSQL pool). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "purpose/err.h"

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

/* Where a thing belongs: an organisation, or a partnership programme of several. */
enum store_scope_kind { STORE_SCOPE_ORG = 0, STORE_SCOPE_PROGRAMME = 1 };
struct store_scope {
    enum store_scope_kind kind;
    int64_t id;
};
/* Organisation org_id's scope, for a call made outside a request (the CLI, the demo, tests). */
#define STORE_ORG_SCOPE(org_id) (&(const struct store_scope){STORE_SCOPE_ORG, (org_id)})

struct store_user {
    int64_t id;
    char *username;
    char *display_name;
    int64_t home_org_id; /* the organisation the user belongs to */
    enum store_role role; /* in the home organisation; ROLE_ADMIN: administers the installation */
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
    int64_t org_id;
    int position;
    char *name;
    char *description;
};

struct store_theme {
    int64_t id;
    int64_t org_id;
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

/* Contributions have random ids up to 2^53 - 1 (docs/privacy.md: no order of arrival), which
 * JavaScript reads exactly; every parser of a contribution id accepts up to this. */
#define STORE_ID_MAX ((INT64_C(1) << 53) - 1)

/* An open store: a database (SQLite file or PostgreSQL) with the schema applied. Opaque. */
struct store;

/* A number that changes whenever any connection commits a change; for caches. */
int store_generation(struct store *s, uint64_t *gen, struct purpose_err *err);
/* Reads from a PostgreSQL hot standby at url (purpose serve --db-read; src/db/db.h,
 * db_replica_attach): call before any thread uses s. INPUT error for SQLite or a server that is not
 * a standby. store_replica_reads(true) lets the calling thread's next reads go to the standby
 * (never older than the generation it last read, nor than its own writes; off after any write);
 * store_replica_taken counts the standby connections it took since. */
int store_read_replica(struct store *s, const char *url, struct purpose_err *err);
void store_replica_reads(bool on);
int store_replica_taken(void);
/* The store's key, from its key file (store_open): the key for keyed hashes. */
int store_secret_key(struct store *s, unsigned char key[32], struct purpose_err *err);
/* home_org_id 0: the installation's first organisation. */
int store_user_add(struct store *s, const struct store_actor *by, int64_t home_org_id, const char *username,
                    const char *display_name, enum store_role role, const char *password_hash,
                    int64_t *id, struct purpose_err *err);
int store_user_get(struct store *s, int64_t id, struct store_user *out, struct purpose_err *err);
int store_user_find(struct store *s, const char *username, struct store_user *out,
                     struct purpose_err *err);
int store_user_list(struct store *s, struct store_user_list *out, struct purpose_err *err);
int store_user_set_password(struct store *s, const struct store_actor *by, int64_t id,
                             const char *password_hash, struct purpose_err *err);
int store_user_update(struct store *s, const struct store_actor *by, int64_t id,
                       enum store_role role, bool disabled, struct purpose_err *err);
int store_session_create(struct store *s, const char *id_hash, int64_t user_id, const char *csrf,
                          int64_t expires_at, struct purpose_err *err);
int store_session_get(struct store *s, const char *id_hash, int64_t now, struct store_session *out,
                       struct purpose_err *err);
int store_session_delete(struct store *s, const char *id_hash, struct purpose_err *err);
int store_token_create(struct store *s, const struct store_actor *by, int64_t user_id,
                        const char *name, const char *prefix, const char *hash, int64_t *id,
                        struct purpose_err *err);
/* The enabled user holding the live token with this hash (without the password hash). */
int store_token_find(struct store *s, const char *hash, struct store_user *out,
                      struct purpose_err *err);
int store_token_list(struct store *s, struct store_token_list *out, struct purpose_err *err);
int store_token_revoke(struct store *s, const struct store_actor *by, int64_t id,
                        struct purpose_err *err);
/* kind is "vision" or "purpose"; the current one is the newest. */
int store_statement_set(struct store *s, const struct store_actor *by, struct store_scope scope, const char *kind,
                         const char *text, struct purpose_err *err);
int store_statement_current(struct store *s, struct store_scope scope, const char *kind, struct store_statement *out,
                             struct purpose_err *err);
int store_statement_history(struct store *s, struct store_scope scope, const char *kind, struct store_statement_list *out,
                             struct purpose_err *err);
int store_value_list(struct store *s, const struct store_scope *scope, struct store_value_list *out, struct purpose_err *err);
int store_value_get(struct store *s, const struct store_scope *scope, int64_t id, struct store_value *out, struct purpose_err *err);
int store_value_add(struct store *s, const struct store_actor *by, const struct store_scope *scope, const char *name,
                     const char *description, int64_t *id, struct purpose_err *err);
int store_value_update(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id, const char *name,
                        const char *description, struct purpose_err *err);
int store_value_delete(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                        struct purpose_err *err);
int store_theme_list(struct store *s, const struct store_scope *scope, struct store_theme_list *out, struct purpose_err *err);
int store_theme_get(struct store *s, const struct store_scope *scope, int64_t id, struct store_theme *out, struct purpose_err *err);
int store_theme_add(struct store *s, const struct store_actor *by, const struct store_scope *scope, const char *title,
                     const char *description, int64_t *id, struct purpose_err *err);
int store_theme_update(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id, const char *title,
                        const char *description, struct purpose_err *err);
/* Deletes the theme and its ambitions. */
int store_theme_delete(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                        struct purpose_err *err);
/* Values, themes and ambitions belong to an organisation: a call with another organisation's scope,
 * or a programme's, finds nothing (PURPOSE_ERR_NOT_FOUND) and changes nothing, so a role in one
 * organisation reaches only its own. Adding an ambition to a theme not in the scope is NOT_FOUND
 * (field "theme_id").
 * theme_id 0 lists every ambition of the organisation, ordered by theme then position. */
int store_ambition_list(struct store *s, const struct store_scope *scope, int64_t theme_id, struct store_ambition_list *out,
                         struct purpose_err *err);
int store_ambition_get(struct store *s, const struct store_scope *scope, int64_t id, struct store_ambition *out,
                        struct purpose_err *err);
int store_ambition_add(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t theme_id,
                        const char *title, const char *description, int target_year, int64_t *id,
                        struct purpose_err *err);
int store_ambition_update(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                           const char *title, const char *description, int target_year,
                           struct purpose_err *err);
int store_ambition_delete(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                           struct purpose_err *err);
/* Newest first; at most `limit` entries older than `before_id` (0: from the newest). */
int store_audit_list(struct store *s, int64_t before_id, size_t limit, struct store_audit_list *out,
                      struct purpose_err *err);

/* The key file (docs/privacy.md): the store's key lives outside the database, which keeps only its
 * fingerprint. path comes from store_key_location; create (purpose init only) makes the file when
 * the database has no key yet, or moves out the key a database made before key files kept in meta. */
enum store_key_event {
    STORE_KEY_LOADED,  /* the file was there and is the database's key */
    STORE_KEY_CREATED, /* a new key was written to the file */
    STORE_KEY_MOVED,   /* the database's own key was moved out to the file */
};
struct store_keyfile {
    const char *path;
    bool create;
    enum store_key_event event; /* set by store_open */
};
/* Where the key file is: key_option (--key-file), else $PURPOSE_KEY_FILE, else "<db>.key" beside a
 * SQLite file; a PostgreSQL URL has no default (an error names the options). */
int store_key_location(const char *location, const char *key_option, char *out, size_t n,
                       struct purpose_err *err);

/* Rotates the key (purpose key rotate): writes a new key to path ".new", re-masks what it protects
 * that can be re-masked, ends sign-in sessions and revokes API tokens, then moves the new file over
 * path. On failure nothing in the database changes and the old file stays. docs/privacy.md says
 * what a rotation loses. */
int store_key_rotate(struct store *s, const struct store_actor *by, const char *path, struct purpose_err *err);

/* Erases the order of arrival the engine keeps on its own (purpose db scrub; docs/privacy.md):
 * SQLite checkpoints its WAL and rewrites the file; PostgreSQL rewrites every row of the tables
 * anonymous writes touch in one transaction, then each table in its primary key's order. */
int store_scrub(struct store *s, struct purpose_err *err);

/* Opens (creating if needed) the store at `location`: a SQLite file path, or a postgresql:// URL.
 * Applies pending schema migrations and loads the key from kf->path: a missing file, or one that is
 * not the database's key, is an error naming it (field "key-file"), and nothing is changed. */
int store_open(const char *location, struct store_keyfile *kf, struct store **out, struct purpose_err *err);
void store_close(struct store **s);
/* "sqlite" or "postgresql". */
const char *store_engine_name(const struct store *s);

/* A transaction spanning several calls from this thread: every write between begin and end
 * commits together when end is given ok=true and every write succeeded, else none does. Nests. */
int store_tx_begin(struct store *s, struct purpose_err *err);
int store_tx_end(struct store *s, bool ok, struct purpose_err *err);
/* How many write transactions the calling thread has committed, and ended without committing, so
 * far. A caller compares two readings to tell a failure after its change was stored (reading it
 * back for the answer) from a failure that stored nothing. */
struct store_writes {
    uint64_t committed, failed;
};
struct store_writes store_thread_writes(void);

/* Tests: from now, the n-th database call fails (0 turns it off); see src/db/db_fault.c. */
void store_fault_after(struct store *s, int n);
/* Tests: makes the store's database fail on demand per thread (before any request); then
 * store_fault_arm(n) fails the calling thread's n-th database call from now (0 disarms). */
void store_fault_armable(struct store *s);
void store_fault_arm(int n);
/* Tests: what the calling thread's armed fault did, as "fired=0|1 committed=K in-write=0|1 writer=0|1"
 * (the write transactions committed before it fired; whether it hit one; whether a write connection
 * was taken before it), for the fault sweep. */
void store_fault_note(char *out, size_t n);
/* Tests: the calling thread's database calls since store_fault_arm (up to the one that failed). */
int store_fault_calls(void);

/* The database location per docs/cli.md: --db, else PURPOSE_DB, else ./data/purpose.db. */
const char *store_default_location(const char *db_option);

/* Field checks shared by every caller: 0, or -1 with a message naming the field. */
int store_check_text(const char *field, const char *s, size_t max, bool required,
                     struct purpose_err *err);
int store_check_username(const char *s, struct purpose_err *err);
int store_check_year(int year, struct purpose_err *err);

/* Every theme, and every ambition in theme order (one list, theme_id says whose). On success the
 * caller releases both lists; on failure neither needs releasing. */
int store_load_themes(struct store *s, const struct store_scope *scope, struct store_theme_list *themes, struct store_ambition_list *ambitions,
                      struct purpose_err *err);

/* Fills a new database with the demo: a trust, its partners and two partnership programmes, and one
 * user per role. Passwords are generated; `creds` (size `n`) receives "role username password" lines. */
int store_demo(struct store *s, char *creds, size_t n, struct purpose_err *err);

/* The six values of the NHS Constitution, the defaults of every new organisation. */
int store_default_values(struct store *s, int64_t org_id, struct purpose_err *err);

#include "store/orgs.h"
#include "store/projects.h"
#include "store/handovers.h"
#include "store/handover_measures.h"
#include "store/campaigns.h"
#include "store/events.h"
#include "store/conversation_summary.h"
#include "store/tallies.h"
#include "store/pulses.h"
#include "store/wellled.h"
#include "store/opinions.h"
#include "store/topics.h"

#endif
