/* The demo's well-led self-assessment (wellled.h): the trust's lead has rated six of the eight
 * quality statements, one of them twice (so it has a history); "Capable, compassionate and
 * inclusive leaders" and "Workforce equality, diversity and inclusion" are left as gaps, with no
 * rating (and the second with no evidence either: docs/wellled.md). */
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

static const struct store_actor demo_lead = {0, "lead"};

static const struct {
    int statement;
    const char *rating, *narrative, *actions;
    const char *projects[2]; /* titles of the trust's demo projects the actions are linked to */
} ratings[] = {
    {1, "requires_improvement",
     "Our purpose was rewritten with staff and the public, but most projects were registered before it and "
     "staff in the pulse survey are not yet sure how their work serves it.",
     "Ask every project to name the ambition it serves; repeat the conversation next year.", {NULL, NULL}},
    {1, "good",
     "The new purpose was shaped by the Big Conversation and published with its provenance. Every active project "
     "now serves an ambition, and the only unaligned one says why.",
     "Keep the line of sight page in every induction.", {"Quality improvement skills for ward teams", NULL}},
    {3, "good",
     "Staff and the public can contribute without giving their name, and every idea gets a public response.",
     "Respond to every idea within a month of the conversation closing.", {"Patient feedback in every ward huddle", NULL}},
    {5, "good",
     "Every change to our strategy and projects is audited, and the board sees the measures as SPC charts.",
     "Publish the summary of measures to the board each month.", {NULL, NULL}},
    {6, "outstanding",
     "Two partnership programmes share aims and measures with the ambulance service, the council, Healthwatch and "
     "the voluntary sector.",
     "Bring the chronic pain programme's measures into the board pack.", {"Handover in 30: a cohorting area", "Opioid tapering clinic"}},
    {7, "good",
     "Projects run PDSA cycles and publish what worked as case studies; several measures show special cause "
     "improvement.",
     "Train every ward team in QI foundations.", {"Quality improvement skills for ward teams", "Fewer falls on care of the elderly wards"}},
    {8, "requires_improvement",
     "Anaesthetic gas emissions fell after desflurane was removed, but it is our only measure of net-zero work.",
     "Start projects on travel and the estate, each with a measure.", {"Desflurane out of theatres", NULL}},
};

static int64_t project_named(const struct store_project_list *pl, const char *title)
{
    for (size_t i = 0; title && i < pl->n; i++)
        if (strcmp(pl->items[i].title, title) == 0)
            return pl->items[i].id;
    return 0;
}

int store_demo_wellled(struct store *s, int64_t trust, struct purpose_err *err)
{
    struct store_project_list pl;
    if (store_project_list(s, STORE_ORG_SCOPE(trust), NULL, &pl, err) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < sizeof ratings / sizeof ratings[0] && rc == 0; i++) {
        int64_t ids[2];
        size_t n = 0;
        for (size_t k = 0; k < 2; k++)
            if (project_named(&pl, ratings[i].projects[k]))
                ids[n++] = project_named(&pl, ratings[i].projects[k]);
        struct store_wl_rating_input in = {ratings[i].rating, ratings[i].narrative, ratings[i].actions, ids, n};
        rc = store_wl_rate(s, &demo_lead, STORE_ORG_SCOPE(trust), ratings[i].statement, &in, NULL, err);
    }
    store_project_list_release(&pl);
    return rc;
}
