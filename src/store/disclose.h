#ifndef PURPOSE_STORE_DISCLOSE_H
#define PURPOSE_STORE_DISCLOSE_H
/* How counts of people are shown: NHS statistical disclosure control, the one rule for every page,
 * export and API answer (disclose.c; issue 17). Included by store/campaigns.h.
 *
 * Primary suppression: a count of 1 to 4 reads "fewer than 5" (STORE_SUPPRESS_BELOW).
 *
 * Complementary: a total shown beside its parts (the people at an event and those of each group
 * there; the participants of a conversation and those of each self-described group; the votes and
 * those without an account) must not let a suppressed count be worked out by subtraction. So a
 * total is shown exactly only when no part is suppressed and neither the total less any one part
 * nor the total less all the parts together is 1 to 4 (people may be in several groups, so the
 * parts need not add up to it); otherwise it reads "about N", N the total to the nearest 10 (at
 * least 10). An event with 6 attendees and 5 staff therefore reads "about 10 attended", "Staff 5":
 * 6 - 5 = 1 can no longer be done. The same total with the same parts reads the same everywhere,
 * which is why pages pass the parts and not a decision. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STORE_SUPPRESS_BELOW 5 /* NHS statistical disclosure control: 1 to 4 is "fewer than 5" */
#define STORE_ROUND_TO 10      /* an exposed total is given to the nearest 10 */

/* 1 to 4: shown as "fewer than 5". */
bool store_count_suppressed(int64_t n);
/* A count on its own: "fewer than 5" for 1 to 4, else the number. Returns out. */
const char *store_count_text(int64_t n, char *out, size_t cap);

/* How a total of these parts is shown. */
enum store_total_form {
    STORE_TOTAL_EXACT = 0, /* the number */
    STORE_TOTAL_FEWER,     /* 1 to 4: "fewer than 5" */
    STORE_TOTAL_ABOUT,     /* exposes a part: "about N" (store_total_rounded) */
};
enum store_total_form store_total_form(int64_t total, const int64_t *parts, size_t nparts);
/* total to the nearest STORE_ROUND_TO, at least STORE_ROUND_TO. */
int64_t store_total_rounded(int64_t total);
/* The total as shown beside these parts: the number, "fewer than 5" or "about N". Returns out. */
const char *store_total_text(int64_t total, const int64_t *parts, size_t nparts, char *out, size_t cap);

/* A total decided once, for a page's words and an answer's JSON alike: form, the number (exact
 * only when form is STORE_TOTAL_EXACT) and the words. */
struct store_shown {
    enum store_total_form form;
    int64_t n;
    char text[32];
};
void store_total(int64_t total, const int64_t *parts, size_t nparts, struct store_shown *out);

/* The totals of the reports that show one beside its parts, each with all the parts shown with it
 * anywhere (store.h types: the report's groups; an event's groups; for the events of a
 * conversation, every group and every event). When the parts cannot be gathered (no memory) the
 * total is given as "about N", never exactly. */
struct store_heard_list;
struct store_event;
struct store_event_list;
struct store_events_heard;
void store_heard_total(const struct store_heard_list *h, int64_t total, bool contributions, struct store_shown *out);
void store_event_attendees(const struct store_event *e, struct store_shown *out);
void store_events_attendees(const struct store_events_heard *h, const struct store_event_list *events,
                            struct store_shown *out);

#endif
