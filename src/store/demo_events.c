/* The demo's engagement events: a listening event in a library and a night-shift staff huddle on
 * the finished conversation that shaped the trust's vision, and an online session on the handover
 * programme's open one, each with what was said there and some votes on it. Deterministic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

static const struct store_actor demo_lead = {0, "init"};

struct demo_output {
    const char *body, *theme;
    int agree, disagree, unsure;
};

struct demo_event {
    struct store_event_input in;
    struct store_attendance att[6];
    struct demo_output out[4];
};

/* The scope's conversation that closes first (the finished one, for the trust). */
static int first_campaign(struct store *s, struct store_scope scope, int64_t *id, struct purpose_err *err)
{
    struct store_campaign_list l = {0};
    if (store_campaign_list(s, &scope, &l, err) < 0)
        return -1;
    *id = 0;
    int64_t closes = 0;
    for (size_t i = 0; i < l.n; i++)
        if (!*id || l.items[i].closes_at < closes) {
            *id = l.items[i].id;
            closes = l.items[i].closes_at;
        }
    store_campaign_list_release(&l);
    return *id ? 0 : store_not_found(err, "campaign");
}

static int add_event(struct store *s, struct store_scope scope, int64_t campaign, const struct demo_event *d,
                     int people, struct purpose_err *err)
{
    struct store_event_input in = d->in;
    in.attendance = d->att;
    while (in.nattendance < 6 && d->att[in.nattendance].code)
        in.nattendance++;
    int64_t id;
    if (store_event_add(s, &demo_lead, &scope, campaign, &in, &id, err) < 0)
        return -1;
    int voter = 0;
    for (size_t i = 0; i < 4 && d->out[i].body; i++) {
        int64_t out;
        if (store_event_output_add(s, &demo_lead, &scope, id, 0, d->out[i].body, d->out[i].theme, &out, err) < 0)
            return -1;
        /* Votes from the conversation's demo participants, cast while it was open. */
        const struct demo_output *o = &d->out[i];
        for (int v = 0; v < o->agree + o->disagree + o->unsure; v++) {
            char secret[64];
            snprintf(secret, sizeof secret, "demo-contributor-%lld-%06d", (long long)campaign, voter++ % people);
            const char *vote = v < o->agree ? "agree" : v < o->agree + o->disagree ? "disagree" : "unsure";
            if (store_vote(s, &scope, campaign, out, secret, vote, 1775000000, err) < 0)
                return -1;
        }
    }
    return 0;
}

int store_demo_events(struct store *s, int64_t trust, int64_t programme, struct purpose_err *err)
{
    static const struct demo_event vision[] = {
        {.in = {.title = "Listening event at Northgate Central Library", .format = "listening",
                .place = "Northgate Central Library, community room", .held_on = 1773273600, /* 2026-03-12 */
                .attendees = 34,
                .notes = "An evening session with Healthwatch. Interpreters for Bengali and Polish were booked; "
                         "people asked for the vision to be published in easy read."},
         .att = {{"public", NULL, 18}, {"patient", NULL, 9}, {"carer", NULL, 5}, {"lived", NULL, 3},
                 {"age-65", NULL, 11}},
         .out = {{"Tell people how long they will wait, honestly, before they arrive.", "Fair access", 31, 3, 4},
                 {"Visiting should fit around carers who work, not only office hours.", "Working together", 22, 9, 5},
                 {"Write the vision in plain words and in easy read, so everyone can hold you to it.", "Fair access",
                  27, 2, 3}}},
        {.in = {.title = "Night-shift huddle on the acute medical unit", .format = "huddle",
                .place = "Acute medical unit, Northgate General Hospital", .held_on = 1775001600, /* 2026-04-01 */
                .attendees = 12,
                .notes = "Ten minutes at the 02:00 break, run by the matron; staff wrote ideas on cards."},
         .att = {{"staff", NULL, 12}, {"sg-nursing", NULL, 9}, {"sg-medical", NULL, 3}},
         .out = {{"Night staff should get the same access to hot food and rest space as day staff.", "Our people",
                  18, 1, 2},
                 {"Let the night team escalate a deteriorating patient without waiting for the morning round.",
                  "Safe care", 14, 6, 4}}},
    };
    static const struct demo_event purpose[] = {
        {.in = {.title = "Online session with ambulance crews and emergency department staff", .format = "online",
                .place = "Microsoft Teams", .held_on = 1770681600, /* 2026-02-10 */
                .attendees = 22,
                .notes = "Crews joined from three stations between jobs; recorded with consent for the notes only."},
         .att = {{"staff", NULL, 20}, {"sg-ambulance", NULL, 14}, {"sg-nursing", NULL, 6}, {"partner", NULL, 2}},
         .out = {{"We are here so that a crew is back on the road, and the patient is safe, within 30 minutes.",
                  "Safe care", 19, 2, 3},
                 {"One shared handover board that the crews and the department both trust.", "Working together", 12,
                  3, 2}}},
    };
    struct store_scope t = {STORE_SCOPE_ORG, trust}, p = {STORE_SCOPE_PROGRAMME, programme};
    int64_t v, q;
    if (first_campaign(s, t, &v, err) < 0 || first_campaign(s, p, &q, err) < 0)
        return -1;
    for (size_t i = 0; i < sizeof vision / sizeof vision[0]; i++)
        if (add_event(s, t, v, &vision[i], 420, err) < 0)
            return -1;
    return add_event(s, p, q, &purpose[0], 160, err);
}
