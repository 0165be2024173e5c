#ifndef PURPOSE_STORE_EVENTS_H
#define PURPOSE_STORE_EVENTS_H
/* Engagement events of a conversation (issue 9, deliverable 6; events.c): a workshop, listening
 * event, staff huddle, online session or drop-in, with its date, place, attendance by participant
 * group and notes. What was said there is entered by a lead as contributions "from event X": they
 * are published at once, attributed to the event (no user id, no name: the lead only typed them,
 * which the audit log records), count in the results like any other, and are listed on the event.
 * Attendance counts are shown through store_count_text, as every count is. Included by
 * store/store.h; the same ownership and error rules apply: a record's strings are its own, freed
 * by its release function. */

#define STORE_EVENT_ATTENDANCE_MAX 1000000 /* people at one event, or in one group there */

/* The formats, as {code, label}, ending with {NULL}. */
extern const char *const store_event_formats[][2];
const char *store_event_format_label(const char *code);

/* Attendance of one participant group (a code of store_groups; code and label are static). */
struct store_attendance {
    const char *code, *label;
    int64_t count;
};

struct store_event {
    int64_t id;
    int64_t campaign_id;
    char *title;
    char *format;  /* a code of store_event_formats */
    char *place;
    char *notes;
    int64_t held_on;   /* unix seconds, midnight UTC of the day */
    int64_t attendees; /* everyone there, described or not */
    struct store_attendance *attendance; /* groups with a count above 0, in store_groups order */
    size_t nattendance;
    int64_t outputs; /* published contributions from it */
};
STORE_LIST(store_event_list, struct store_event);
void store_event_release(struct store_event *e);
void store_event_list_release(struct store_event_list *l);

/* attendance: counts per group code (0 leaves a group out); a group may not count more people than
 * attendees (people may be in several groups, so the groups need not add up to attendees). */
struct store_event_input {
    const char *title, *format, *place, *notes;
    int64_t held_on;
    int64_t attendees;
    const struct store_attendance *attendance;
    size_t nattendance;
};

/* The conversation campaign_id must belong to scope (else NOT_FOUND). Each write is audited. */
int store_event_add(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t campaign_id,
                    const struct store_event_input *in, int64_t *id, struct purpose_err *err);
int store_event_update(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                       const struct store_event_input *in, struct purpose_err *err);
/* Deleting an event hides its outputs (each audited, with the reason "its event was deleted"), so
 * they leave every page, export and count with it. */
int store_event_delete(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                       struct purpose_err *err);
/* An event of a conversation of scope (another scope's is NOT_FOUND). */
int store_event_get(struct store *s, const struct store_scope *scope, int64_t id, struct store_event *out,
                    struct purpose_err *err);
/* The events of a conversation, by date. */
int store_event_list(struct store *s, const struct store_scope *scope, int64_t campaign_id, struct store_event_list *out,
                     struct purpose_err *err);

/* An output of event id (of scope): an idea (parent_id 0) or a comment on a published idea of the
 * same conversation, published at once, marked "from" the event; theme may be "" or NULL. Allowed
 * after the conversation has closed: the event was held while it ran. */
int store_event_output_add(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                           int64_t parent_id, const char *body, const char *theme, int64_t *out_id,
                           struct purpose_err *err);
/* The published outputs of event id (a conversation's event; see store_event_get for the scope). */
int store_event_outputs(struct store *s, const struct store_scope *scope, const struct store_event *e,
                        struct store_contribution_list *out,
                        struct purpose_err *err);

/* Who has been heard at events: the number of events, everyone who attended, the published
 * contributions from them, and attendance per group summed over the events (groups above 0). */
struct store_events_heard {
    int64_t events, attendees, outputs;
    struct store_attendance *groups;
    size_t ngroups;
};
int store_events_heard(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                       struct store_events_heard *out, struct purpose_err *err);
void store_events_heard_release(struct store_events_heard *h);

/* The demo's events (demo_events.c): two on the finished conversation, one on the open one. */
int store_demo_events(struct store *s, int64_t trust, int64_t programme, struct purpose_err *err);

#endif
