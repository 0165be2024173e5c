#ifndef PURPOSE_STORE_MEASURES_H
#define PURPOSE_STORE_MEASURES_H

#include "purpose/spc.h"
/* Measures (measures.c): of an improvement project, of one of the organisation's ambitions (the
 * strategy's own KPIs), or of the organisation as a whole; outcome, process or balancing, with a unit, the
 * direction that is better, an optional target, dated points (one per day at most) and rebases
 * (new limits from one of its points on, with the reason). Included by store/projects.h; the same rules
 * apply. A programme's own measures (issue 19) are the same, of the programme as a whole or of one of
 * its aims. Every call takes the scope (store.h) and enforces it in its SQL: a measure (and its points
 * and rebases) of another organisation or programme is not found there, and a call with such a scope
 * changes nothing. A measure stays on its side: none moves between an organisation and a programme
 * (their people and roles differ; add it again on the other side). Who may call them is the scope's
 * roles, declared with the routes. */

#define STORE_UNIT_MAX 40
#define STORE_POINTS_MAX 100000 /* points in one upload */
/* The largest magnitude of a point or a target: below 2^53, where a double still holds every whole
 * number, and small enough that a chart's lines and labels stay numbers a reader can use. */
#define STORE_VALUE_MAX 1e15
/* The largest per (purpose spc --per): values, centre and limits are multiplied by it. */
#define STORE_PER_MAX 1e9

struct store_measure {
    int64_t id;
    int64_t project_id;  /* 0 unless the measure is a project's */
    int64_t ambition_id; /* 0 unless the measure is an ambition's */
    int64_t org_id;      /* the organisation it belongs to, at every level; 0 for a programme's */
    int64_t programme_id; /* 0 unless the measure is a programme's own (measures_programme.c) */
    int64_t aim_id;       /* 0 unless the measure is one of that programme's aims' */
    char *name;
    char *kind;      /* "outcome", "process" or "balancing" */
    char *unit;      /* "" for none */
    char *direction; /* "increase", "decrease" or "neutral": which way is better */
    bool has_target;
    double target;
    enum spc_chart chart; /* purpose spc --chart's types; SPC_CHART_XMR by default */
    double per;           /* multiplies values, centre and limits (100 for %); 1 by default */
    int64_t created_at;
};

struct store_measure_input { /* borrowed for the call */
    const char *name, *kind, *unit, *direction;
    bool has_target;
    double target;
    const char *chart; /* a name spc_chart_parse takes; NULL or "": "xmr" */
    double per;        /* 0: 1 */
};

/* A point: its value, and for P, P', U and U' charts the denominator it is a part of (the value
 * charted is value / den * per); the other types take no denominator. */
struct store_point {
    char day[11]; /* YYYY-MM-DD */
    double value;
    bool has_den;
    double den;
};

struct store_rebase {
    int64_t id;
    char day[11];
    char *reason;
};

STORE_LIST(store_measure_list, struct store_measure);
STORE_LIST(store_point_list, struct store_point);
STORE_LIST(store_rebase_list, struct store_rebase);

/* Where a measure belongs: in an organisation's scope a project, an ambition (both of the
 * organisation), or, with both 0, the organisation as a whole, never both; in a programme's scope one
 * of its aims, or with 0 the programme as a whole. An owner of the other side is an input error on
 * "owner", as is a project, ambition or aim not of the scope. */
struct store_measure_owner {
    int64_t project_id, ambition_id, aim_id;
};

void store_measure_release(struct store_measure *m);
void store_measure_list_release(struct store_measure_list *l);
void store_point_list_release(struct store_point_list *l);
void store_rebase_list_release(struct store_rebase_list *l);

/* A project's measure: a project not of the scope is not found. */
int store_measure_add(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t project_id,
                      const struct store_measure_input *in, int64_t *id, struct purpose_err *err);
/* As store_measure_add, at any level (struct store_measure_owner); a programme not found is. */
int store_measure_add_to(struct store *s, const struct store_actor *by, const struct store_scope *sc,
                         const struct store_measure_owner *to, const struct store_measure_input *in, int64_t *id,
                         struct purpose_err *err);
/* Moves measure id to another owner of its scope (as store_measure_add_to); its points, rebases and
 * chart go with it. */
int store_measure_move(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t id,
                       const struct store_measure_owner *to, struct purpose_err *err);
int store_measure_update(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t id,
                         const struct store_measure_input *in, struct purpose_err *err);
int store_measure_delete(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t id,
                         struct purpose_err *err);
int store_measure_get(struct store *s, const struct store_scope *sc, int64_t id, struct store_measure *out,
                      struct purpose_err *err);
/* project_id 0: every measure of the scope at every level, by project or aim (the organisation's or
 * programme's and ambitions' own first) then id; else that project's. */
int store_measure_list(struct store *s, const struct store_scope *sc, int64_t project_id, struct store_measure_list *out,
                       struct purpose_err *err);

/* Adds points (a point on a day that has one replaces it), all or none. Every way points enter
 * (these two calls, and the handover measures' refresh) passes one check before anything commits: a
 * date, a value from -STORE_VALUE_MAX to STORE_VALUE_MAX, no day twice, a point that fits the
 * measure's chart type (a denominator above 0 on every point of a P, P', U or U' chart and on no
 * other; a P or P' value from 0 to its denominator; C and G counts 0 or more; T times above 0), and
 * the measure's series with them must be one the SPC engine can chart (store_series_check): else an
 * input error naming the point or row and field, and nothing stored. Changing a measure's chart
 * type passes the same check over its stored points, naming the first that does not fit. */
int store_points_put(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t measure_id,
                     const struct store_point *p, size_t n, struct purpose_err *err);
/* Parses CSV text of "date,value[,denominator]" rows (dates ISO or UK dd/mm/yyyy) and puts every point, or none:
 * a bad row refuses the whole upload with a message naming the row and field ("row 14: value:
 * \"n/a\" is not a number"). The first row may be a header: one whose columns are names (each
 * starts with a letter and is neither a date nor a number); a first row that is neither a header
 * nor a point is refused as row 1. *n receives the count. */
int store_points_csv(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t measure_id,
                     const char *csv, size_t len, size_t *n, struct purpose_err *err);
/* One bad row of an upload: its line, the field at fault ("date", "value", "denominator"; "file":
 * the row as a whole), the reason ("value: \"n/a\" is not a number") and the row as it was in the
 * file, without its line end (NULL when the file cannot be read on from there). */
typedef void (*store_points_bad_fn)(void *ctx, size_t line, const char *field, const char *reason, const char *row,
                                    size_t row_len);
/* store_points_csv, and every bad row told to on_bad (not only the first), *n_bad their count; still
 * all or nothing: any bad row stores nothing, and err is the first one's message. An unreadable file
 * (an unclosed quote) or too many rows stops there. */
int store_points_csv_each(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t measure_id,
                          const char *csv, size_t len, size_t *n, store_points_bad_fn on_bad, void *ctx,
                          size_t *n_bad, struct purpose_err *err);
/* The points of a JSON body's "points" array, for a measure of scope sc (an organisation's at any
 * level, or a programme's own: another scope's is not found) ({"date": "YYYY-MM-DD", "value", "denominator"?: number or
 * null}), checked and put as store_points_csv_each puts an upload's: every bad point told to on_bad
 * (may be NULL) with its index in the array as the line and no row text, the message naming it
 * "points[INDEX]: field: ..."; any bad point stores nothing, and err is the first. Borrowed. (struct
 * json_t is jansson's json_t, named so that this header needs no jansson.h.) */
struct json_t;
int store_points_json_each(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t measure_id,
                           const struct json_t *points, size_t *n, store_points_bad_fn on_bad, void *ctx, size_t *n_bad,
                           struct purpose_err *err);
/* A date as a point's day takes it (ISO, UK dd/mm/yyyy or a date-time) into out as YYYY-MM-DD: 0, or -1
 * when t[0..n) is not a date. */
int store_day_parse(const char *t, size_t n, char out[11]);
/* Whether point p fits a chart of type chart, the one rule of the check above: 0, or -1 with why's
 * field ("value" or "denominator") and message ("denominator: is missing; ..."). */
int store_point_fits(enum spc_chart chart, const struct store_point *p, struct purpose_err *why);
int store_point_delete(struct store *s, const struct store_actor *by, const struct store_scope *sc, int64_t measure_id,
                       const char *day, struct purpose_err *err);
/* By day. */
int store_points_list(struct store *s, const struct store_scope *sc, int64_t measure_id, struct store_point_list *out,
                      struct purpose_err *err);

/* Every measure's points and rebases in the scope, read in two queries (the summary pages):
 * one entry per measure that has any, ordered by measure id. */
struct store_measure_data {
    int64_t measure_id;
    struct store_point_list pts;
    struct store_rebase_list rebases;
};
STORE_LIST(store_measure_data_list, struct store_measure_data);
void store_measure_data_list_release(struct store_measure_data_list *l);
int store_points_all(struct store *s, const struct store_scope *sc, struct store_measure_data_list *out,
                     struct purpose_err *err);
/* A programme's scope's view across its partners: the measures of its projects (a project is the
 * programme's while its organisation is a partner), by project then id, and their points. An
 * organisation's scope finds none. */
int store_measure_list_programme(struct store *s, const struct store_scope *sc, struct store_measure_list *out,
                                 struct purpose_err *err);
int store_points_all_programme(struct store *s, const struct store_scope *sc, struct store_measure_data_list *out,
                               struct purpose_err *err);

/* Measure id of scope sc (an organisation's at any level, or a programme's own) with its points and
 * rebases by day, read together; not found for one of another scope. The caller releases all three. */
int store_measure_series(struct store *s, const struct store_scope *sc, int64_t id, struct store_measure *m,
                         struct store_point_list *pts, struct store_rebase_list *rb, struct purpose_err *err);

/* Importing measures (measures_import.c): one series is an organisation's own measure (neither a
 * project's nor an ambition's) named in.name, created when the organisation has none of that name,
 * else brought up to date: each field given (unit, direction, kind, chart, per not NULL or 0;
 * target when target_given) replaces the stored one, each point is added or replaces the point of
 * its day. Fields not given keep the stored ones (a new measure: "", "increase", "outcome", "xmr",
 * 1, no target). What is already as given is not written: importing the same series again changes
 * nothing, not even the audit log. Every series of the call commits together or none does. A point
 * that does not fit its measure's chart type is passed to bad (row[i], the line it came from, and
 * the reason) for every such point, and the call then fails with an input error; any other error
 * stops at the first, naming the measure. Borrowed for the call. */
/* The measure purpose import ae makes for each provider (an organisation's own measure). */
#define STORE_AE_MEASURE "A&E: seen within 4 hours"
/* The demo trust's (demo_ae.c): its real A&E figures as that measure. */
int store_demo_ae(struct store *s, int64_t trust, struct purpose_err *err);

struct store_import_series {
    int64_t org_id;
    struct store_measure_input in;
    bool target_given;
    const struct store_point *p;
    const size_t *row; /* the line of each point, for messages */
    size_t n;
};
struct store_import_summary {
    size_t measures_new, measures_changed, points_new, points_changed, points_same;
};
typedef void (*store_import_bad)(void *ctx, size_t row, const struct purpose_err *why);
int store_measures_import(struct store *s, const struct store_actor *by, const struct store_import_series *sv,
                          size_t n, store_import_bad bad, void *ctx, struct store_import_summary *sum,
                          struct purpose_err *err);

/* A rebase names one of the measure's points, not the first (input error on "date" otherwise), as
 * purpose spc --rebase X does; a rebase whose point is later deleted stays and starts no group. */
int store_rebase_add(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t measure_id,
                     const char *day, const char *reason, int64_t *id, struct purpose_err *err);
int store_rebase_delete(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                        struct purpose_err *err);
int store_rebase_list(struct store *s, const struct store_scope *scope, int64_t measure_id,
                      struct store_rebase_list *out, struct purpose_err *err);

#endif
