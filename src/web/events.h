#ifndef PURPOSE_WEB_EVENTS_H
#define PURPOSE_WEB_EVENTS_H
/* Engagement events of a conversation (events.c): the event page, leads' forms, the API, and the
 * parts other co-design pages show: the list on the conversation page and the "heard at events"
 * part of the who-has-been-heard report. Every count passes through store_count_text. */
#include "web/campaigns.h"

/* The page address of event id followed by rest. */
void web_event_href(const struct web_req *r, int64_t id, const char *rest, char *out, size_t n);
/* The event {id} names, in the request's scope, into *e (web_event_take): 0, or -1 with *answered
 * telling whether the refusal (404, 403) was answered already (else err is the server's). */
int web_event_load(struct web_req *r, struct web_resp *w, struct store_event *e, bool *answered,
                   struct purpose_err *err);
/* "2026-03-12", as the date input reads a day. */
void web_event_iso_day(char *out, size_t n, int64_t t);
/* "12 March 2026". */
void web_long_day(char *out, size_t n, int64_t t);
/* The conversation's events as a section of its page (with "Add an event" for leads). */
int web_events_section(struct web_req *r, struct web_resp *w, const struct store_campaign *c, struct purpose_err *err);
/* Who has been heard at events: a paragraph and a table of attendance by group. */
int web_events_heard(struct web_req *r, struct web_resp *w, int64_t campaign_id, struct purpose_err *err);
/* The same as JSON, counts suppressed; *out is new (NULL on failure). */
int web_events_heard_json(struct web_req *r, int64_t campaign_id, json_t **out, struct purpose_err *err);
json_t *web_event_json(const struct store_event *e);
/* Entering what was said at an event, one action for page and API (events.c, action.h), and its
 * answer: the contribution id of event r->id, with its event_id (events_api.c). */
struct web_action;
extern const struct web_action web_event_output, web_event_add, web_event_change, web_event_delete;
/* The event id as the API answers it, with its outputs. */
int web_event_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err);
/* The API's attendance ({"group code": count, ...}) into in (att, cap long). */
int web_event_attendance_json(struct web_req *r, struct store_event_input *in, struct store_attendance *att,
                              size_t cap, struct purpose_err *err);
int web_event_output_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err);

extern const struct web_feature web_events_api, web_events, web_events_form, web_events_delete, web_conversation_summary;

#endif
