#ifndef PURPOSE_STORE_CASES_H
#define PURPOSE_STORE_CASES_H
/* Good practice (cases.c): a completed or sustaining project published as a case study (what the
 * problem was, what changed, what the data shows, who to contact), readable across the
 * installation, and colleagues saying "we're trying this too". Included by store/projects.h; the
 * same rules apply. A case study's themes are its project's. */

struct store_case_interest {
    char *name;     /* display name */
    char *org_name; /* their home organisation */
    char *note;
    int64_t at;
};
STORE_LIST(store_case_interest_list, struct store_case_interest);

struct store_case {
    int64_t id;
    int64_t project_id;
    int64_t org_id;
    char *org_slug, *org_name;
    char *title; /* the project's */
    char *problem, *change_made, *data_shows, *contact;
    int64_t published_at;
    struct store_case_interest_list interest; /* filled by store_case_get only */
};
STORE_LIST(store_case_list, struct store_case);

struct store_case_input { /* borrowed for the call */
    const char *problem, *change_made, *data_shows, *contact;
};

void store_case_release(struct store_case *c);
void store_case_list_release(struct store_case_list *l);

/* Publishes the project of org_id as a case study, or changes the one it has. Refused (input,
 * field "status") unless the project is complete or sustaining. */
int store_case_publish(struct store *s, const struct store_actor *by, const struct store_scope *scope,
                       int64_t project_id, const struct store_case_input *in, int64_t *id, struct purpose_err *err);
int store_case_unpublish(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                         struct purpose_err *err);
/* Any organisation's case study (the library is shared across the installation). */
int store_case_get(struct store *s, int64_t id, struct store_case *out, struct purpose_err *err);
/* The project's case study, NOT_FOUND when it has none. */
int store_case_of_project(struct store *s, const struct store_scope *scope, int64_t project_id, struct store_case *out,
                          struct purpose_err *err);
/* scope NULL: every organisation's (the installation's library); a programme's scope finds none. q
 * (may be NULL) searches title, problem, change and data. Newest first. */
int store_case_list(struct store *s, const struct store_scope *scope, const char *q, struct store_case_list *out, struct purpose_err *err);
/* The library's filters; zero or NULL fields do not filter. A case study is of a theme when its
 * project serves an ambition of a theme with that title (case-insensitive), so one title finds the
 * work of every organisation that has a theme so named. */
struct store_case_filter {
    int64_t org_id;
    const char *q;
    const char *theme;
};
int store_case_find(struct store *s, const struct store_case_filter *f, struct store_case_list *out,
                    struct purpose_err *err);
/* The titles of the themes the case studies serve (scope NULL: every organisation's; a programme's
 * scope: none), one per title whatever its case, in order. */
STORE_LIST(store_case_theme_list, char *);
void store_case_theme_list_release(struct store_case_theme_list *l);
int store_case_themes(struct store *s, const struct store_scope *scope, struct store_case_theme_list *out, struct purpose_err *err);
/* The user says they are trying it too (again: the note is replaced). */
int store_case_interest_add(struct store *s, const struct store_actor *by, int64_t case_id, int64_t user_id,
                            const char *note, struct purpose_err *err);

#endif
