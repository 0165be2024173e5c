/* Statistical disclosure control for counts of people (disclose.h): primary suppression of 1 to 4,
 * and totals that cannot be used to recover a suppressed count by subtraction. */
#include <stdio.h>
#include <stdlib.h>

#include "store/store.h"
#include "core/banned.h"

bool store_count_suppressed(int64_t n)
{
    return n > 0 && n < STORE_SUPPRESS_BELOW;
}

const char *store_count_text(int64_t n, char *out, size_t cap)
{
    if (store_count_suppressed(n))
        snprintf(out, cap, "fewer than %d", STORE_SUPPRESS_BELOW);
    else
        snprintf(out, cap, "%lld", (long long)n);
    return out;
}

enum store_total_form store_total_form(int64_t total, const int64_t *parts, size_t nparts)
{
    if (store_count_suppressed(total))
        return STORE_TOTAL_FEWER;
    int64_t sum = 0;
    for (size_t i = 0; i < nparts; i++) {
        /* A suppressed part beside an exact total; or one part leaving 1 to 4 people (6 attendees,
         * 5 staff: 1 not staff, who would be the "fewer than 5" of another group). */
        if (store_count_suppressed(parts[i]) || store_count_suppressed(total - parts[i]))
            return STORE_TOTAL_ABOUT;
        sum += parts[i];
    }
    return store_count_suppressed(total - sum) ? STORE_TOTAL_ABOUT : STORE_TOTAL_EXACT;
}

int64_t store_total_rounded(int64_t total)
{
    int64_t r = (total + STORE_ROUND_TO / 2) / STORE_ROUND_TO * STORE_ROUND_TO;
    return r < STORE_ROUND_TO ? STORE_ROUND_TO : r;
}

const char *store_total_text(int64_t total, const int64_t *parts, size_t nparts, char *out, size_t cap)
{
    switch (store_total_form(total, parts, nparts)) {
    case STORE_TOTAL_FEWER:
        return store_count_text(total, out, cap);
    case STORE_TOTAL_ABOUT:
        snprintf(out, cap, "about %lld", (long long)store_total_rounded(total));
        return out;
    case STORE_TOTAL_EXACT:
        break;
    }
    snprintf(out, cap, "%lld", (long long)total);
    return out;
}

void store_total(int64_t total, const int64_t *parts, size_t nparts, struct store_shown *out)
{
    out->form = store_total_form(total, parts, nparts);
    out->n = out->form == STORE_TOTAL_ABOUT ? store_total_rounded(total) : total;
    store_total_text(total, parts, nparts, out->text, sizeof out->text);
}

/* When the parts cannot be gathered: never the exact total. */
static void unknown_parts(int64_t total, struct store_shown *out)
{
    int64_t one = 1;
    store_total(total, &one, 1, out);
}

void store_heard_total(const struct store_heard_list *h, int64_t total, bool contributions, struct store_shown *out)
{
    int64_t *p = malloc((h->n ? h->n : 1) * sizeof *p);
    if (!p) {
        unknown_parts(total, out);
        return;
    }
    for (size_t i = 0; i < h->n; i++)
        p[i] = contributions ? h->items[i].contributions : h->items[i].participants;
    store_total(total, p, h->n, out);
    free(p);
}

void store_event_attendees(const struct store_event *e, struct store_shown *out)
{
    int64_t *p = malloc((e->nattendance ? e->nattendance : 1) * sizeof *p);
    if (!p) {
        unknown_parts(e->attendees, out);
        return;
    }
    for (size_t i = 0; i < e->nattendance; i++)
        p[i] = e->attendance[i].count;
    store_total(e->attendees, p, e->nattendance, out);
    free(p);
}

void store_events_attendees(const struct store_events_heard *h, const struct store_event_list *events,
                            struct store_shown *out)
{
    size_t n = h->ngroups + (events ? events->n : 0);
    int64_t *p = malloc((n ? n : 1) * sizeof *p);
    if (!p) {
        unknown_parts(h->attendees, out);
        return;
    }
    for (size_t i = 0; i < h->ngroups; i++)
        p[i] = h->groups[i].count;
    for (size_t i = 0; events && i < events->n; i++) {
        /* An event shown as "about N" or "fewer than 5" counts as a suppressed part: the total less
         * the others would give it exactly. */
        struct store_shown e;
        store_event_attendees(&events->items[i], &e);
        p[h->ngroups + i] = e.form == STORE_TOTAL_EXACT ? events->items[i].attendees : 1;
    }
    /* The events split the total: their sum is no check (groups may overlap), but each is. */
    store_total(h->attendees, p, n, out);
    free(p);
}
