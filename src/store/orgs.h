#ifndef PURPOSE_STORE_ORGS_H
#define PURPOSE_STORE_ORGS_H
/* Organisations, partnership programmes and the roles people hold in them (orgs.c, roles.c).
 * Included by store/store.h; the same ownership and error rules apply: records own their strings,
 * lists are released by the caller, functions return 0 or -1 with err's kind set.
 *
 * An installation holds one or more organisations; its first (lowest id) is the default, whose pages
 * live at the unprefixed URLs. A programme is shared by partner organisations and has its own vision,
 * shared purpose (statements in scope STORE_SCOPE_PROGRAMME) and aims. A user belongs to one home
 * organisation, where users.role is their role; roles elsewhere are grants. */

struct store_org {
    int64_t id;
    char *slug; /* in URLs: lower-case letters, digits and single hyphens */
    char *name;
    char *type; /* one of store_org_types */
    char *ods_code; /* NHS Organisation Data Service code, or "" */
    int64_t created_at;
};

struct store_programme {
    int64_t id;
    char *slug;
    char *name;
    char *description;
    int64_t created_at;
};

struct store_aim { /* what a programme sets out to achieve, by a target year */
    int64_t id;
    int64_t programme_id;
    int position;
    char *title;
    char *description;
    int target_year;
};

struct store_grant { /* a role held outside the home organisation */
    int64_t user_id;
    enum store_scope_kind scope;
    int64_t scope_id;
    enum store_role role;
    char *scope_slug;
    char *scope_name;
};

STORE_LIST(store_org_list, struct store_org);
STORE_LIST(store_programme_list, struct store_programme);
STORE_LIST(store_aim_list, struct store_aim);
STORE_LIST(store_grant_list, struct store_grant);

void store_org_release(struct store_org *o);
void store_programme_release(struct store_programme *p);
void store_aim_release(struct store_aim *a);
void store_grant_release(struct store_grant *g);
void store_org_list_release(struct store_org_list *l);
void store_programme_list_release(struct store_programme_list *l);
void store_aim_list_release(struct store_aim_list *l);
void store_grant_list_release(struct store_grant_list *l);

/* The organisation types, as {code, label}, ending with {NULL, NULL}. */
extern const char *const store_org_types[][2];
/* The label of a type code ("NHS trust"), or the code itself if unknown. */
const char *store_org_type_label(const char *code);

int store_check_slug(const char *field, const char *slug, struct purpose_err *err);
/* A slug made from a name ("Leeds Teaching Hospitals" -> "leeds-teaching-hospitals"), cut to fit n. */
void store_slug_from(const char *name, char *out, size_t n);

int store_org_add(struct store *s, const struct store_actor *by, const char *slug, const char *name,
                  const char *type, const char *ods_code, int64_t *id, struct purpose_err *err);
int store_org_update(struct store *s, const struct store_actor *by, int64_t id, const char *name, const char *type,
                     const char *ods_code, struct purpose_err *err);
int store_org_get(struct store *s, int64_t id, struct store_org *out, struct purpose_err *err);
int store_org_find(struct store *s, const char *slug, struct store_org *out, struct purpose_err *err);
/* The organisation whose ODS code is ods_code (the first made, should two share it); NOT_FOUND when none. */
int store_org_find_ods(struct store *s, const char *ods_code, struct store_org *out, struct purpose_err *err);
/* The installation's first organisation; NOT_FOUND when there is none yet. */
int store_org_default(struct store *s, struct store_org *out, struct purpose_err *err);
int store_org_list(struct store *s, struct store_org_list *out, struct purpose_err *err);

int store_programme_add(struct store *s, const struct store_actor *by, const char *slug, const char *name,
                        const char *description, int64_t *id, struct purpose_err *err);
/* A programme and its first partners commit together: all or nothing (an organisation that does
 * not exist is INPUT, field "partners"; one named twice counts once). The rule lives here so that
 * the page and the API obey it alike. */
#define STORE_PARTNERS_MAX 100
int store_programme_add_partners(struct store *s, const struct store_actor *by, const char *slug, const char *name,
                                 const char *description, const int64_t *partners, size_t npartners, int64_t *id,
                                 struct purpose_err *err);
int store_programme_update(struct store *s, const struct store_actor *by, int64_t id, const char *name,
                           const char *description, struct purpose_err *err);
int store_programme_get(struct store *s, int64_t id, struct store_programme *out, struct purpose_err *err);
int store_programme_find(struct store *s, const char *slug, struct store_programme *out, struct purpose_err *err);
/* scope NULL: every programme (the installation's); an organisation's scope: the programmes it is a
 * partner in; a programme's scope: none. */
int store_programme_list(struct store *s, const struct store_scope *scope, struct store_programme_list *out,
                         struct purpose_err *err);
/* Makes org a partner of the programme (partner true) or not. */
int store_programme_partner_set(struct store *s, const struct store_actor *by, int64_t programme_id, int64_t org_id,
                                bool partner, struct purpose_err *err);
int store_programme_partners(struct store *s, int64_t programme_id, struct store_org_list *out,
                             struct purpose_err *err);

int store_aim_list(struct store *s, int64_t programme_id, struct store_aim_list *out, struct purpose_err *err);
int store_aim_get(struct store *s, int64_t programme_id, int64_t id, struct store_aim *out, struct purpose_err *err);
int store_aim_add(struct store *s, const struct store_actor *by, int64_t programme_id, const char *title,
                  const char *description, int target_year, int64_t *id, struct purpose_err *err);
int store_aim_update(struct store *s, const struct store_actor *by, int64_t programme_id, int64_t id,
                     const char *title, const char *description, int target_year, struct purpose_err *err);
int store_aim_delete(struct store *s, const struct store_actor *by, int64_t programme_id, int64_t id,
                     struct purpose_err *err);

/* The role a signed-in user has in scope: ROLE_ADMIN for installation administrators; their own role
 * in their home organisation; a grant where they hold one; else ROLE_CONTRIBUTOR (anyone signed in
 * may contribute). The one place the rule lives. */
int store_role_in(struct store *s, const struct store_user *u, struct store_scope scope, enum store_role *role,
                  struct purpose_err *err);
/* Grants role in scope (contributor, member or lead); ROLE_ANON removes the grant. */
int store_role_grant(struct store *s, const struct store_actor *by, int64_t user_id, struct store_scope scope,
                     enum store_role role, struct purpose_err *err);
int store_grant_list(struct store *s, int64_t user_id, struct store_grant_list *out, struct purpose_err *err);

#endif
