#ifndef PURPOSE_WEB_PULSES_H
#define PURPOSE_WEB_PULSES_H
/* Private to the pulses feature (store/pulses.h): pulses.c (leads' pages: list, start, open and
 * close waves; the answer page staff use), pulses_results.c (results as P charts, the CSV export)
 * and pulses_api.c (the same as JSON). Every route exists for an organisation (/pulses...) and for a
 * programme (/programmes/{programme}/pulses...), its role checked in that scope; what members of an
 * organisation read, anyone signed in reads of a programme, whose partners' staff hold no role in it
 * (as its line of sight). */
#define WEB_PULSE_PROGRAMME_ROLE(rl) ((rl) == ROLE_MEMBER ? ROLE_CONTRIBUTOR : (rl))
#include "web/campaigns.h"
#include "web/improve.h"

#define WEB_PULSE_PAGE(m, p, rl, h)                                                                        \
    {.method = m, .path = "/pulses" p, .role = rl, .scope = WEB_ORG, .handler = h},                           \
    {.method = m, .path = "/programmes/{programme}/pulses" p, .role = WEB_PULSE_PROGRAMME_ROLE(rl),              \
     .scope = WEB_PROGRAMME, .handler = h}
#define WEB_PULSE_API(m, p, rl, h)                                                                             \
    {.method = m, .path = "/api/v1/pulses" p, .role = rl, .scope = WEB_ORG, .kind = WEB_API, .handler = h},      \
    {.method = m, .path = "/api/v1/programmes/{programme}/pulses" p, .role = WEB_PULSE_PROGRAMME_ROLE(rl),      \
     .scope = WEB_PROGRAMME,                                                                                 \
     .kind = WEB_API, .handler = h}

/* The pulse {id} of the request's scope into p; on failure the error is answered (*rc what the
 * handler returns) and -1 returned. */
int web_pulse_load(struct web_req *r, struct web_resp *w, struct store_pulse *p, int *rc, struct purpose_err *err);
/* The same, and its waves into waves (released by the caller with the pulse); a failure to read
 * them is a server failure (*rc -1). */
int web_pulse_load_waves(struct web_req *r, struct web_resp *w, struct store_pulse *p,
                         struct store_pulse_wave_list *waves, int *rc, struct purpose_err *err);
/* The pulse's open wave (NULL when none) among its waves. */
const struct store_pulse_wave *web_pulse_open_wave(const struct store_pulse_wave_list *l);

/* One answer, as a page or the API sends it: the values, the groups and the wave, checked by the
 * store (store_pulse_answer), through the caller's account or else a contributor session (issued
 * on first use; the link's key, k, must then be the pulse's). 0 stored; else -1 with err (a 429
 * already answered sets *answered). */
struct web_pulse_answer {
    int64_t wave_id;
    const char *key; /* the link's key ("" when signed in) */
    struct store_pulse_value values[STORE_PULSE_STATEMENTS_MAX + 4];
    size_t nvalues;
    const char *groups[STORE_GROUPS_MAX + 1];
    size_t ngroups;
};
int web_pulse_answer(struct web_req *r, struct web_resp *w, const struct store_pulse *p, const struct web_pulse_answer *a,
                     bool *answered, struct purpose_err *err);

/* A group's name for people: "Everyone" for "", else its label. */
const char *web_pulse_group_label(const char *code);

/* Opening a pulse's next wave (its audience, optional) and closing the open one: actions for the
 * page and the API (pulses_api.c, action.h). */
struct web_action;
extern const struct web_action web_pulse_open, web_pulse_close;
/* Starting a pulse through the API (pulses.c; the page's own declaration reads six boxes). */
extern const struct web_action web_pulse_add;
/* Following a statement of a pulse as a measure, through the API (pulses_results.c, beside the
 * page's own declaration: the form names its fields by the statement's place). */
extern const struct web_action web_pulse_follow;
/* Pulse id as the API shows it, with its waves (an action's answer). */
int web_pulse_json_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err);

extern const struct web_feature web_pulses, web_pulses_results, web_pulses_api, web_pulses_close;

#endif
