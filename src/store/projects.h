#ifndef PURPOSE_STORE_PROJECTS_H
#define PURPOSE_STORE_PROJECTS_H
/* Improvement projects (projects.c), their driver diagrams and PDSA cycles (drivers.c) and their
 * measures with dated points (measures.c, measures.h). Included by store/store.h; the same
 * ownership and error rules apply: records own their strings, lists are released by the caller,
 * functions return 0 or -1 with err's kind set, and every write is audited.
 *
 * A project belongs to one organisation (and optionally one programme it is a partner in); every
 * call takes the scope it is used in (const struct store_scope *, never NULL) and enforces it in its
 * SQL: a project, driver, cycle or measure of another organisation, or a call with a programme's scope
 * (a project is its organisation's to read and change), finds nothing (NOT_FOUND) and changes nothing.
 * Only store_project_list reads in a programme's scope: the programme's projects across its partners. A project serves one or more of its organisation's ambitions or its
 * programmes' aims; one that serves none must say why (why_unaligned). Progress is the IHI score
 * 0.5..5.0 in steps of 0.5, kept as tenths (5..50); its levels and their definitions are a table
 * in the store (store_progress_levels). Dates are ISO "YYYY-MM-DD". */

#define STORE_SCORE_MIN 5
#define STORE_SCORE_MAX 50
#define STORE_LINKS_MAX 32

/* The statuses, in order, ending with NULL. */
extern const char *const store_project_statuses[];

struct store_progress_level {
    int score_x10;
    char *label;
    char *definition;
};

struct store_project {
    int64_t id;
    int64_t org_id;
    int64_t programme_id; /* 0: none */
    char *title, *aim, *team, *sponsor;
    char *status;     /* one of store_project_statuses */
    int score_x10;    /* 5..50 */
    char *start_date; /* YYYY-MM-DD */
    char *why_unaligned; /* "" when linked */
    char *approved_by;   /* NULL until a lead approves it */
    int64_t approved_at;
    int64_t created_at;
    int64_t *ambition_ids; /* the ambitions it serves */
    size_t n_ambitions;
    int64_t *aim_ids;      /* the programme aims it serves */
    size_t n_aims;
};

/* What a form or the API sends to make or change a project: borrowed for the call. */
struct store_project_input {
    const char *title, *aim, *team, *sponsor, *status, *start_date, *why_unaligned;
    int64_t programme_id; /* 0: none */
    int score_x10;
    const int64_t *ambition_ids;
    size_t n_ambitions;
    const int64_t *aim_ids;
    size_t n_aims;
};

/* The register's filters; zero or NULL fields do not filter. q matches title, aim, team or
 * sponsor (case-insensitive substring). */
struct store_project_filter {
    int64_t theme_id, programme_id;
    const char *status;
    int score_x10;
    const char *q;
};

struct store_score_entry { /* one step of a project's progress */
    int score_x10;
    int64_t at;
    char *actor;
};

enum store_driver_kind { STORE_DRIVER_PRIMARY, STORE_DRIVER_SECONDARY, STORE_DRIVER_CHANGE };

struct store_driver { /* a node of the driver diagram below the project's aim */
    int64_t id;
    int64_t project_id;
    int64_t parent_id; /* 0 for a primary driver */
    enum store_driver_kind kind;
    int position;
    char *text;
};

struct store_pdsa {
    int64_t id;
    int64_t change_id; /* the change idea tested */
    int64_t project_id;
    char *title, *plan, *prediction, *do_notes, *study;
    char *act; /* "", "adopt", "adapt" or "abandon" */
    char *start_date, *end_date;
};

struct store_pdsa_input {
    const char *title, *plan, *prediction, *do_notes, *study, *act, *start_date, *end_date;
};

STORE_LIST(store_progress_level_list, struct store_progress_level);
STORE_LIST(store_project_list, struct store_project);
STORE_LIST(store_score_list, struct store_score_entry);
STORE_LIST(store_driver_list, struct store_driver);
STORE_LIST(store_pdsa_list, struct store_pdsa);

void store_project_release(struct store_project *p);
void store_project_list_release(struct store_project_list *l);
void store_progress_level_list_release(struct store_progress_level_list *l);
void store_score_list_release(struct store_score_list *l);
void store_driver_list_release(struct store_driver_list *l);
void store_pdsa_release(struct store_pdsa *p);
void store_pdsa_list_release(struct store_pdsa_list *l);

/* Field checks: a score such as "3.5" on the scale (into tenths), an ISO date that exists. */
int store_score_parse(const char *field, const char *s, int *x10, struct purpose_err *err);
int store_check_date(const char *field, const char *s, struct purpose_err *err);
const char *store_driver_kind_name(enum store_driver_kind k);

int store_progress_levels(struct store *s, struct store_progress_level_list *out, struct purpose_err *err);

int store_project_add(struct store *s, const struct store_actor *by, const struct store_scope *scope,
                      const struct store_project_input *in, int64_t *id, struct purpose_err *err);
/* A changed score adds a step to the project's score history. */
int store_project_update(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                         const struct store_project_input *in, struct purpose_err *err);
int store_project_approve(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                          struct purpose_err *err);
/* Deletes the project with its links, drivers, cycles and measures; the audit log keeps them all. */
int store_project_delete(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                         struct purpose_err *err);
int store_project_get(struct store *s, const struct store_scope *scope, int64_t id, struct store_project *out,
                      struct purpose_err *err);
/* filter may be NULL. Ordered by id. A programme's scope lists the programme's projects across its
 * partner organisations (each project's org_id says whose; a project is the programme's while its
 * organisation is a partner). */
int store_project_list(struct store *s, const struct store_scope *scope, const struct store_project_filter *filter,
                       struct store_project_list *out, struct purpose_err *err);
/* Oldest first. */
int store_project_scores(struct store *s, const struct store_scope *scope, int64_t id, struct store_score_list *out,
                         struct purpose_err *err);

/* Driver diagrams: a primary driver has no parent; a secondary one's parent is a primary driver; a
 * change idea's parent is a secondary driver. Deleting a node deletes what hangs from it. */
int store_driver_add(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t project_id,
                     int64_t parent_id, const char *text, int64_t *id, struct purpose_err *err);
int store_driver_update(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                        const char *text, struct purpose_err *err);
int store_driver_delete(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                        struct purpose_err *err);
/* Moves the node one place "up" or "down" among its siblings (the nodes with its parent), with what
 * hangs from it; input errors on "direction" when it is not one of those or there is no place. */
int store_driver_move(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                      const char *direction, struct purpose_err *err);
int store_driver_get(struct store *s, const struct store_scope *scope, int64_t id, struct store_driver *out,
                     struct purpose_err *err);
void store_driver_release(struct store_driver *d);
/* The tree in depth-first order (each node followed by its children, by position). */
int store_driver_list(struct store *s, const struct store_scope *scope, int64_t project_id,
                      struct store_driver_list *out, struct purpose_err *err);

/* PDSA cycles on a change idea: end_date on or after start_date (or empty while running). */
int store_pdsa_add(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t change_id,
                   const struct store_pdsa_input *in, int64_t *id, struct purpose_err *err);
int store_pdsa_update(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                      const struct store_pdsa_input *in, struct purpose_err *err);
int store_pdsa_delete(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                      struct purpose_err *err);
int store_pdsa_get(struct store *s, const struct store_scope *scope, int64_t id, struct store_pdsa *out,
                   struct purpose_err *err);
/* Every cycle of the project, by start date. */
int store_pdsa_list(struct store *s, const struct store_scope *scope, int64_t project_id, struct store_pdsa_list *out,
                    struct purpose_err *err);

/* The demo's projects, measures, diagrams and cycles (demo_projects.c), for store_demo. */
int store_demo_projects(struct store *s, int64_t org_id, struct purpose_err *err);

#include "store/measures.h"
#include "store/cases.h"

#endif
