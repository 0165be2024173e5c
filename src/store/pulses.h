#ifndef PURPOSE_STORE_PULSES_H
#define PURPOSE_STORE_PULSES_H
/* Purpose pulses (issue 20): a short recurring survey of 3 to 6 statements on a five-point
 * agreement scale, run by a lead of an organisation or a programme in waves (monthly by default),
 * answered by staff signed in or by the pulse's link, with the same optional self-described groups
 * as co-design (store_groups). pulses.c keeps them, pulses_results.c reads closed waves' results
 * and computes their P charts. Included by store/store.h; the same ownership and error rules.
 *
 * What an answer leaves (docs/privacy.md, "Pulses"): nothing of its own. Each answer adds 1 to a
 * running count per (wave, statement, group, value) (`pulse_counts`, "" the everyone group) and to
 * its wave's answers; no row per answer, no time, no account. One answer per person per wave is
 * kept by a token BLAKE2b(key, "pulse:" wave ":account:" user) for someone signed in, else
 * BLAKE2b(key, "pulse:" wave ":" contributor secret), in `pulse_tokens`, which closing the wave
 * empties: the waves of one person are never linked, and the key is the key file's, never in the
 * database. Results are read only for closed waves, so nobody can watch early answers arrive. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "purpose/spc.h"

#define STORE_PULSE_STATEMENTS_MIN 3
#define STORE_PULSE_STATEMENTS_MAX 6
#define STORE_PULSE_STATEMENT_MAX 200 /* bytes of a statement's text */
#define STORE_PULSE_AUDIENCE_MAX 10000000
#define STORE_PULSE_VALUES 5            /* 1 strongly disagree .. 5 strongly agree */
#define STORE_PULSE_AGREE 4             /* 4 and 5 are "agreeing" */

/* The default statements about the purpose (issue 20), and the scale's words, 1 to 5. */
extern const char *const store_pulse_defaults[4];
extern const char *const store_pulse_scale[STORE_PULSE_VALUES];

struct store_pulse_statement {
    int64_t id;
    char *text;
};

struct store_pulse {
    int64_t id;
    struct store_scope scope;
    char *title;
    char *cadence;  /* "monthly" (the default), "quarterly" or "weekly" */
    int64_t audience; /* the people it is sent to, for the response rate */
    char *link_key; /* the "answer by a link" address's key: access, not anonymity */
    int64_t created_at;
    struct store_pulse_statement statements[STORE_PULSE_STATEMENTS_MAX];
    size_t nstatements;
};

struct store_pulse_wave {
    int64_t id, pulse_id;
    int number;        /* 1, 2, ... */
    char day[11];      /* the day it opened, YYYY-MM-DD: the chart's x */
    int64_t opened_at, closed_at; /* closed_at 0 while open */
    int64_t audience, answers, no_account; /* no_account: answers by the link without signing in */
};

STORE_LIST(store_pulse_list, struct store_pulse);
STORE_LIST(store_pulse_wave_list, struct store_pulse_wave);
void store_pulse_release(struct store_pulse *p);
void store_pulse_list_release(struct store_pulse_list *l);
void store_pulse_wave_list_release(struct store_pulse_wave_list *l);

struct store_pulse_input {
    const char *title;
    const char *cadence; /* NULL or "": monthly */
    int64_t audience;
    const char *const *statements; /* 3 to 6, each 1 to STORE_PULSE_STATEMENT_MAX bytes */
    size_t nstatements;
};
int store_pulse_add(struct store *s, const struct store_actor *by, struct store_scope scope,
                    const struct store_pulse_input *in, int64_t *id, struct purpose_err *err);
/* A pulse of scope (another scope's is NOT_FOUND), with its statements. */
int store_pulse_get(struct store *s, struct store_scope scope, int64_t id, struct store_pulse *out,
                    struct purpose_err *err);
/* A pulse by id whatever its scope (the answer page, reached by its link). */
int store_pulse_find(struct store *s, int64_t id, struct store_pulse *out, struct purpose_err *err);
int store_pulse_list(struct store *s, struct store_scope scope, struct store_pulse_list *out, struct purpose_err *err);
/* Its waves, oldest first. */
int store_pulse_waves(struct store *s, int64_t pulse_id, struct store_pulse_wave_list *out, struct purpose_err *err);

/* Opens the next wave at now (audience 0: the pulse's); CONFLICT when one is open. Audited. */
int store_pulse_open(struct store *s, const struct store_actor *by, struct store_scope scope, int64_t pulse_id,
                     int64_t audience, int64_t now, int64_t *wave_id, struct purpose_err *err);
/* Closes the open wave (CONFLICT when none is) and forgets who answered it. Audited. */
int store_pulse_close(struct store *s, const struct store_actor *by, struct store_scope scope, int64_t pulse_id,
                      int64_t now, struct purpose_err *err);

/* One answer: a value 1..5 for every statement of the pulse, in wave wave_id (which must be its
 * open wave). account: the signed-in person (0: nobody, then secret, a contributor session secret,
 * is the person). Bad input stores nothing: a closed or unknown wave (INPUT "wave"), a second
 * answer (CONFLICT "wave"), a statement that is not the pulse's (INPUT "statement"), one left out
 * (INPUT "s<id>"), a value outside 1..5 (INPUT "s<id>"), an unknown group (INPUT "group"). */
struct store_pulse_value {
    int64_t statement_id;
    int value;
};
struct store_pulse_answer {
    int64_t wave_id;
    int64_t account;
    const char *secret;
    const struct store_pulse_value *values;
    size_t nvalues;
    const char *const *groups; /* codes of store_groups, at most STORE_GROUPS_MAX */
    size_t ngroups;
};
int store_pulse_answer(struct store *s, int64_t pulse_id, const struct store_pulse_answer *a,
                       struct purpose_err *err);
/* Whether this person (account, else secret) has answered the open wave wave_id. */
int store_pulse_answered(struct store *s, int64_t wave_id, int64_t account, const char *secret, bool *out,
                         struct purpose_err *err);

/* A closed wave loaded whole from counts made elsewhere (the demo; a paper round): counts as
 * store_pulse_results lays them out for this one wave ([statement][group][value-1], the groups
 * given, "" first). Audited. */
int store_pulse_load_wave(struct store *s, const struct store_actor *by, struct store_scope scope, int64_t pulse_id,
                          int64_t opened_at, int64_t closed_at, int64_t audience, int64_t no_account,
                          const char *const *groups, size_t ngroups, const int64_t *counts, struct purpose_err *err);

/* ---- results (pulses_results.c): closed waves only ---- */

/* counts[((w * nstatements + st) * ngroups + g) * 5 + value - 1]. groups[0] is "" (everyone), then
 * the codes of store_groups anyone chose in a closed wave, in store_groups order (static strings). */
struct store_pulse_results {
    struct store_pulse_wave_list waves; /* closed, oldest first */
    size_t nstatements;
    const char **groups;
    size_t ngroups;
    int64_t *counts;
    /* shown[w * ngroups + g]: whether group g's figures at wave w may be shown (below). */
    bool *shown;
};
void store_pulse_results_release(struct store_pulse_results *r);
int store_pulse_results(struct store *s, const struct store_pulse *p, struct store_pulse_results *out,
                        struct purpose_err *err);
static inline const int64_t *store_pulse_cell(const struct store_pulse_results *r, size_t w, size_t st, size_t g)
{
    return r->counts + ((w * r->nstatements + st) * r->ngroups + g) * STORE_PULSE_VALUES;
}
/* Answers of group g at wave w (the answers to its first statement: every answer answers all). */
int64_t store_pulse_group_answers(const struct store_pulse_results *r, size_t w, size_t g);
/* Of those, agreeing (4 or 5) with statement st. */
int64_t store_pulse_agree(const struct store_pulse_results *r, size_t w, size_t st, size_t g);

/* Disclosure (store/disclose.h, applied to survey results): a wave's figures for the everyone
 * group are shown when it has no answers or 5 or more; a group's when its answers are 0 or 5 or
 * more and the answers of everyone outside it are 0 or 5 or more (else everyone less the group
 * gives them back); and while everyone less the shown groups of one category of groups
 * (store_groups' third column) is 1 to 4, the category's smallest shown group is suppressed too, so
 * that no subtraction gives back a suppressed group (disclose.h's rule for a total beside its parts). */

/* The P chart of statement st for group g: y agreeing, den answers per closed wave, a wave not shown
 * (or with no answers) a missing point; improvement increase; per 100 (percent), as
 * `purpose spc --chart p --per 100` computes it from the CSV export. computed false (and res
 * untouched) when fewer than 2 waves have a value. */
struct store_pulse_chart {
    double *y, *den;
    size_t n;
    struct spc_options opt;
    struct spc_result res;
    bool computed;
};
int store_pulse_chart(const struct store_pulse_results *r, size_t st, size_t g, struct store_pulse_chart *out,
                      struct purpose_err *err);
void store_pulse_chart_release(struct store_pulse_chart *c);

/* For the well-led self-assessment (issue 20 item 3): per pulse of scope with a closed wave, its
 * latest closed wave and, per statement, the share agreeing there (everyone; NaN when the wave's
 * answers are suppressed) and the variation icon of its P chart over every closed wave. */
struct store_pulse_latest_item {
    int64_t statement_id;
    char *text;
    int64_t agree, answers;
    double share;                /* percent, NaN when not shown */
    bool has_signal;             /* the chart has 2 waves or more with a value */
    enum spc_variation variation;
};
struct store_pulse_latest {
    int64_t pulse_id;
    char *title;
    struct store_pulse_wave wave;
    struct store_pulse_latest_item items[STORE_PULSE_STATEMENTS_MAX];
    size_t n;
};
STORE_LIST(store_pulse_latest_list, struct store_pulse_latest);
void store_pulse_latest_list_release(struct store_pulse_latest_list *l);
int store_pulse_latest(struct store *s, struct store_scope scope, struct store_pulse_latest_list *out,
                       struct purpose_err *err);

/* Follows statement statement_id of an organisation's pulse as a measure (pulses_follow.c): a P
 * chart per 100 ("%", higher is better, target optional) of one of the organisation's ambitions
 * (ambition_id; 0: the organisation as a whole), so that it appears in the summary and the board
 * pack; its points are everyone's share agreeing in each closed wave shown (the day it opened; a
 * wave whose answers are held back has none), written now and again each time a wave closes. A
 * programme's pulse is an input error ("pulse"); a statement not of the pulse, "statement"; a pulse
 * not of the scope is NOT_FOUND. */
int store_pulse_follow(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t pulse_id,
                       int64_t statement_id, int64_t ambition_id, bool has_target, double target, int64_t *measure_id,
                       struct purpose_err *err);
/* Rewrites the points of every measure following a statement of pulse p from its closed waves, in
 * the caller's transaction (store_pulse_close calls it). */
int store_pulse_refresh(struct store *s, const struct store_actor *by, const struct store_pulse *p,
                        struct purpose_err *err);

/* The demo (demo_pulses.c): twelve monthly waves of the purpose pulse for the trust, six of a
 * pulse of the programme. */
int store_demo_pulses(struct store *s, int64_t trust, int64_t programme, struct purpose_err *err);

#endif
