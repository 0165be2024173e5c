/* Backend-independent parts of the store: records, field checks, opening by location. */
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_int.h"
#include "core/banned.h"

static const char *const role_names[] = {"anonymous", "contributor", "member", "lead", "admin"};

const char *store_role_name(enum store_role r)
{
    if ((int)r < 0 || (size_t)r >= sizeof role_names / sizeof role_names[0])
        return "unknown";
    return role_names[r];
}

int store_role_parse(const char *s)
{
    for (int r = ROLE_CONTRIBUTOR; r <= ROLE_ADMIN; r++)
        if (strcmp(s, role_names[r]) == 0)
            return r;
    return -1;
}

const char *store_default_location(const char *db_option)
{
    if (db_option && *db_option)
        return db_option;
    const char *env = getenv("PURPOSE_DB");
    if (env && *env)
        return env;
    return "data/purpose.db";
}

int store_open(const char *location, struct store **out, struct purpose_err *err)
{
    *out = NULL;
    if (strncmp(location, "postgresql://", 13) == 0 || strncmp(location, "postgres://", 11) == 0)
        return purpose_errf(err, "%s: the PostgreSQL backend is not available yet", "--db");
    return store_sqlite_open(location, out, err);
}

void store_close(struct store **s)
{
    if (*s) {
        (*s)->ops->close(*s);
        *s = NULL;
    }
}

/* Valid UTF-8 without control characters other than newline and tab. */
static bool text_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        if (c < 0x80) {
            if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f)
                return false;
            p++;
            continue;
        }
        int n = (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
        if (n < 0 || c == 0xc0 || c == 0xc1 || c > 0xf4)
            return false;
        for (int i = 1; i <= n; i++)
            if ((p[i] & 0xc0) != 0x80)
                return false;
        p += n + 1;
    }
    return true;
}

int store_check_text(const char *field, const char *s, size_t max, bool required,
                     struct purpose_err *err)
{
    if (!s)
        return required ? purpose_errf(err, "%s: is required", field) : 0;
    size_t n = strlen(s);
    if (required) {
        size_t i = 0;
        while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
            i++;
        if (i == n)
            return purpose_errf(err, "%s: is required", field);
    }
    if (n > max)
        return purpose_errf(err, "%s: must be at most %zu characters", field, max);
    if (!text_ok(s))
        return purpose_errf(err, "%s: contains characters that are not allowed", field);
    return 0;
}

int store_check_username(const char *s, struct purpose_err *err)
{
    size_t n = strlen(s);
    if (n < 2 || n > STORE_USERNAME_MAX)
        return purpose_errf(err, "username: must be 2 to %d characters", STORE_USERNAME_MAX);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '-' || c == '_' || c == '@';
        if (!ok)
            return purpose_errf(err, "username: use letters, digits and . - _ @ only");
    }
    return 0;
}

int store_check_year(int year, struct purpose_err *err)
{
    if (year < STORE_YEAR_MIN || year > STORE_YEAR_MAX)
        return purpose_errf(err, "target_year: must be a year from %d to %d", STORE_YEAR_MIN,
                            STORE_YEAR_MAX);
    return 0;
}

int store_load_themes(struct store *s, struct store_theme_list *themes, struct store_ambition_list *ambitions,
                      struct purpose_err *err)
{
    if (s->ops->theme_list(s, themes, err) < 0)
        return -1;
    if (s->ops->ambition_list(s, 0, ambitions, err) < 0) {
        store_theme_list_release(themes);
        return -1;
    }
    return 0;
}

void store_user_release(struct store_user *u)
{
    free(u->username);
    free(u->display_name);
    free(u->password_hash);
    memset(u, 0, sizeof *u);
}
void store_statement_release(struct store_statement *s)
{
    free(s->kind);
    free(s->text);
    free(s->author);
    memset(s, 0, sizeof *s);
}
void store_value_release(struct store_value *v)
{
    free(v->name);
    free(v->description);
    memset(v, 0, sizeof *v);
}
void store_theme_release(struct store_theme *t)
{
    free(t->title);
    free(t->description);
    memset(t, 0, sizeof *t);
}
void store_ambition_release(struct store_ambition *a)
{
    free(a->title);
    free(a->description);
    memset(a, 0, sizeof *a);
}
void store_token_release(struct store_token *t)
{
    free(t->username);
    free(t->name);
    free(t->prefix);
    memset(t, 0, sizeof *t);
}
void store_audit_release(struct store_audit *a)
{
    free(a->actor);
    free(a->action);
    free(a->entity);
    free(a->before);
    free(a->after);
    memset(a, 0, sizeof *a);
}
void store_session_release(struct store_session *s)
{
    free(s->csrf);
    memset(s, 0, sizeof *s);
}

#define LIST_RELEASE(fn, list, item_release)                                                      \
    void fn(struct list *l)                                                                      \
    {                                                                                            \
        for (size_t i = 0; i < l->n; i++)                                                        \
            item_release(&l->items[i]);                                                          \
        free(l->items);                                                                          \
        l->items = NULL;                                                                         \
        l->n = 0;                                                                                \
    }
LIST_RELEASE(store_user_list_release, store_user_list, store_user_release)
LIST_RELEASE(store_statement_list_release, store_statement_list, store_statement_release)
LIST_RELEASE(store_value_list_release, store_value_list, store_value_release)
LIST_RELEASE(store_theme_list_release, store_theme_list, store_theme_release)
LIST_RELEASE(store_ambition_list_release, store_ambition_list, store_ambition_release)
LIST_RELEASE(store_token_list_release, store_token_list, store_token_release)
LIST_RELEASE(store_audit_list_release, store_audit_list, store_audit_release)
