/* The demo trust's improvement work: projects across its five themes and the two programmes it is
 * a partner in, with driver diagrams, PDSA cycles and measures whose weekly series show every
 * variation and assurance icon. The series are generated (a fixed seed), never real data. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "core/banned.h"

static const struct store_actor demo_actor = {0, "purpose init"};

#define WEEKS 60

struct demo_measure {
    const char *name, *kind, *unit, *direction;
    double target; /* NaN: none */
    double base, sd, step; /* the level, the noise, and a change from week step_at on */
    int step_at;
    double slope; /* a drift per week from step_at on */
    const char *rebase_reason; /* rebase at step_at with this reason, or NULL */
};

struct demo_project {
    const char *title, *aim, *team, *sponsor, *status, *start;
    int score_x10;
    const char *ambition;  /* an ambition's title, or NULL */
    const char *programme, *aim_title; /* a programme's slug and aim, or NULL */
    const char *why_unaligned;
    struct demo_measure m[2];
    const char *drivers[3][3]; /* primary, secondary, change idea */
    const char *pdsa[2];       /* cycles on the first change idea */
};

#define NONE NAN
static const struct demo_project projects[] = {
    {"Fewer falls on care of the elderly wards", "Reduce inpatient falls on wards 7 to 10 from 7 to 5 per 1,000 bed days by March 2026",
     "Wards 7-10 falls group", "Chief Nurse", "active", "2024-06-03", 35, "Halve avoidable harm", NULL, NULL, NULL,
     {{"Falls per 1,000 bed days", "outcome", "", "decrease", 5.0, 7.0, 0.6, -1.8, 46, 0, NULL},
      {"Patients with a falls risk assessment within 6 hours", "process", "%", "increase", 90, 71, 4, 17, 40, 0, NULL}},
     {{"Safe ward environment", "Clutter-free bays", "Bay tidy at every handover"},
      {"Knowing who is at risk", "Risk assessed on admission", "Falls risk in the admission bundle"},
      {"Engaged patients and families", "Families know the plan", "Falls leaflet at the bedside"}},
     {"Bay tidy at handover on ward 7", "Spread bay tidy to wards 8 to 10"}},
    {"Front door streaming", "Raise the share of attendances seen within four hours from 72% to 85% by April 2026",
     "Emergency department", "Medical Director", "active", "2024-06-10", 20, "Four-hour standard for 95% of emergency attendances",
     NULL, NULL, NULL,
     {{"Attendances seen within four hours", "outcome", "%", "increase", 95, 72, 2.5, 0, 0, 0, NULL}, {0}},
     {{"Right place first time", "Senior streaming at triage", "Consultant in triage 10:00-22:00"}},
     {"Consultant in triage on weekdays", NULL}},
    {"Patient feedback in every ward huddle", "Double Friends and Family Test responses to 150 a week by December 2025",
     "Patient experience team", "Director of Nursing", "sustaining", "2024-06-03", 40, "Every patient's voice heard", NULL,
     NULL, NULL, {{"Friends and Family Test responses", "process", "", "increase", 110, 95, 8, 45, 44, 0, NULL}, {0}},
     {{"Asking every patient", "Easy ways to respond", "QR code on discharge letters"}}, {"QR codes on ward 3", NULL}},
    {"Research in outpatients", "Offer a research study to one in five outpatients by 2027", "Research office",
     "Director of Research", "active", "2024-07-01", 25, "One in five patients offered a research study", NULL, NULL, NULL,
     {{"Outpatients offered a study", "outcome", "%", "increase", 20, 12, 1.2, -3.4, 50, 0, NULL}, {0}},
     {{0}}, {NULL, NULL}},
    {"Quality improvement skills for ward teams", "Train every ward team in QI foundations by March 2027", "QI faculty",
     "Chief Executive", "active", "2024-06-03", 30, "Every team trained in quality improvement", NULL, NULL, NULL,
     {{"Staff completing QI foundations", "process", "", "increase", 8, 14, 1.5, 0, 0, 0, NULL}, {0}}, {{0}}, {NULL, NULL}},
    {"Recruiting healthcare support workers", "Cut the support worker vacancy rate from 8% to 5% by 2026", "Workforce team",
     "Chief People Officer", "active", "2024-06-03", 20, "Reduce vacancy rate to 5%", NULL, NULL, NULL,
     {{"Support worker vacancy rate", "outcome", "%", "decrease", 5, 8, 0.3, 1.3, 48, 0, NULL}, {0}}, {{0}}, {NULL, NULL}},
    {"Same-day emergency care for frailty", "See frail older people in SDEC the same day rather than admit them",
     "Frailty team", "Chief Operating Officer", "active", "2024-06-03", 30, "Same-day emergency care with our partners", NULL,
     NULL, NULL, {{"Referrals to frailty SDEC", "process", "", "neutral", NONE, 30, 3, 11, 46, 0, NULL}, {0}}, {{0}},
     {NULL, NULL}},
    {"Desflurane out of theatres", "Cut anaesthetic gas emissions by 60% by 2026", "Theatres green group",
     "Director of Estates", "complete", "2024-06-03", 45, "Net zero for the emissions we control", NULL, NULL, NULL,
     {{"Anaesthetic gas emissions", "outcome", "kg CO2e", "decrease", 240, 420, 25, -230, 30, 0, "Desflurane removed from theatres"},
      {0}},
     {{0}}, {NULL, NULL}},
    {"Handover in 30: a cohorting area", "Hand over 95% of ambulance patients within 30 minutes by 2027",
     "ED and ambulance liaison", "Chief Operating Officer", "active", "2024-06-03", 35, NULL, "handovers",
     "95% of handovers within 30 minutes", NULL,
     {{"Median handover time", "outcome", "minutes", "decrease", 30, 41, 3, -10, 42, 0, NULL},
      {"Ambulance crews waiting over 60 minutes", "balancing", "", "neutral", NONE, 9, 1.2, -4.5, 46, 0, NULL}},
     {{"Space to receive patients", "A cohorting area", "Open the cohorting bay at 08:00"},
      {"Flow out of the department", "Early discharges", "Discharge lounge by 10:00"}},
     {"Cohort bay on weekdays", "Cohort bay every day"}},
    {"Opioid tapering clinic", "Reduce high-dose opioid prescribing by a third by 2028", "Pain service and primary care",
     "Medical Director", "active", "2024-06-03", 30, NULL, "chronic-pain", "Reduce high-dose opioid prescribing by a third",
     NULL, {{"People on 120 mg morphine equivalent a day or more", "outcome", "", "decrease", 300, 420, 6, 0, 24, -1.6, NULL},
            {0}},
     {{"Support to taper", "A tapering clinic", "Nurse-led tapering clinic"}}, {"Tapering clinic pilot", NULL}},
    {"Car park signage", "New signs for the visitor car parks by summer", "Estates", "Director of Estates", "idea",
     "2025-05-05", 10, NULL, NULL, NULL, "Asked for by the estates committee; it serves no ambition yet",
     {{0}, {0}}, {{0}}, {NULL, NULL}},
};

/* A fixed-seed generator: the demo is the same on every run. */
static double noise(unsigned *seed)
{
    double sum = 0; /* Irwin-Hall: 12 uniforms less 6 is close to a standard normal */
    for (int i = 0; i < 12; i++) {
        *seed = *seed * 1103515245u + 12345u;
        sum += (double)((*seed >> 8) & 0xffff) / 65536.0;
    }
    return sum - 6;
}

static void week_day(int week, char out[11])
{
    /* 2024-06-03 is day 19877 since 1970; weeks on from it. */
    long z = 19877 + 7L * week + 719468, era = z / 146097, doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    long y = yoe + era * 400 + (m <= 2);
    char t[64];
    snprintf(t, sizeof t, "%04ld-%02ld-%02ld", y % 10000, m % 100, d % 100);
    memcpy(out, t, 10);
    out[10] = '\0';
}

static int demo_measure(struct store *s, int64_t org, int64_t pid, const struct demo_measure *dm, unsigned seed,
                        struct purpose_err *err)
{
    struct store_measure_input in = {dm->name, dm->kind, dm->unit, dm->direction, !isnan(dm->target), dm->target, NULL, 0};
    int64_t mid;
    if (store_measure_add(s, &demo_actor, STORE_ORG_SCOPE(org), pid, &in, &mid, err) < 0)
        return -1;
    struct store_point pts[WEEKS];
    memset(pts, 0, sizeof pts);
    for (int i = 0; i < WEEKS; i++) {
        double v = dm->base + dm->sd * noise(&seed);
        if (dm->step_at && i >= dm->step_at)
            v += dm->step + dm->slope * (i - dm->step_at);
        else if (!dm->step_at && dm->slope)
            v += dm->slope * i;
        week_day(i, pts[i].day);
        pts[i].value = round(v * 10) / 10;
    }
    if (store_points_put(s, &demo_actor, STORE_ORG_SCOPE(org), mid, pts, WEEKS, err) < 0)
        return -1;
    if (dm->rebase_reason && store_rebase_add(s, &demo_actor, STORE_ORG_SCOPE(org), mid, pts[dm->step_at].day,
                                              dm->rebase_reason, NULL, err) < 0)
        return -1;
    return 0;
}

static int64_t find_ambition(const struct store_ambition_list *al, const char *title)
{
    for (size_t i = 0; title && i < al->n; i++)
        if (strcmp(al->items[i].title, title) == 0)
            return al->items[i].id;
    return 0;
}

static int find_aim(struct store *s, const char *slug, const char *title, int64_t *programme, int64_t *aim,
                    struct purpose_err *err)
{
    struct store_programme p;
    struct store_aim_list al;
    *programme = *aim = 0;
    if (!slug)
        return 0;
    if (store_programme_find(s, slug, &p, err) < 0)
        return -1;
    *programme = p.id;
    store_programme_release(&p);
    if (store_aim_list(s, *programme, &al, err) < 0)
        return -1;
    for (size_t i = 0; i < al.n; i++)
        if (strcmp(al.items[i].title, title) == 0)
            *aim = al.items[i].id;
    store_aim_list_release(&al);
    return 0;
}

static int demo_diagram(struct store *s, int64_t org, int64_t pid, const struct demo_project *dp,
                        struct purpose_err *err)
{
    int64_t first_change = 0;
    for (size_t i = 0; i < 3 && dp->drivers[i][0]; i++) {
        int64_t prim, sec, change;
        if (store_driver_add(s, &demo_actor, STORE_ORG_SCOPE(org), pid, 0, dp->drivers[i][0], &prim, err) < 0 ||
            store_driver_add(s, &demo_actor, STORE_ORG_SCOPE(org), pid, prim, dp->drivers[i][1], &sec, err) < 0 ||
            store_driver_add(s, &demo_actor, STORE_ORG_SCOPE(org), pid, sec, dp->drivers[i][2], &change, err) < 0)
            return -1;
        if (!first_change)
            first_change = change;
    }
    for (int i = 0; i < 2 && dp->pdsa[i] && first_change; i++) {
        char start[11], end[11];
        week_day(dp->m[0].step_at ? dp->m[0].step_at - 4 + 6 * i : 20 + 6 * i, start);
        week_day(dp->m[0].step_at ? dp->m[0].step_at - 1 + 6 * i : 23 + 6 * i, end);
        struct store_pdsa_input c = {dp->pdsa[i], "Try it for two weeks on one ward and count the effect.",
                                     "The measure moves the right way within a fortnight.",
                                     "Ran as planned, with a few days missed at weekends.",
                                     i == 0 ? "The measure moved as predicted on the test ward." : "Held when spread.",
                                     i == 0 ? "adapt" : "adopt", start, end};
        if (store_pdsa_add(s, &demo_actor, STORE_ORG_SCOPE(org), first_change, &c, NULL, err) < 0)
            return -1;
    }
    return 0;
}

/* Two published case studies, by project title. */
static const struct {
    const char *project;
    struct store_case_input text;
} cases[] = {
    {"Desflurane out of theatres",
     {"Desflurane made up most of our anaesthetic gas emissions, with a warming effect about 2,500 times that of "
      "carbon dioxide.",
      "Anaesthetists agreed to stop using desflurane. Vaporisers were removed from every theatre and low-flow "
      "anaesthesia was taught to every team.",
      "Weekly emissions fell by more than half after the change and have stayed at the new level.",
      "Theatres green group, via the Director of Estates"}},
    {"Patient feedback in every ward huddle",
     {"Few patients answered the Friends and Family Test, so wards heard little from them.",
      "A QR code on every discharge letter, and the week's comments read out at the morning huddle.",
      "Responses rose from about 95 to about 140 a week and have held for three months.",
      "Patient experience team"}},
};

int store_demo_projects(struct store *s, int64_t org, struct purpose_err *err)
{
    struct store_ambition_list al;
    if (store_ambition_list(s, STORE_ORG_SCOPE(org), 0, &al, err) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < sizeof projects / sizeof projects[0] && rc == 0; i++) {
        const struct demo_project *dp = &projects[i];
        int64_t amb = find_ambition(&al, dp->ambition), programme, aim, pid;
        if ((rc = find_aim(s, dp->programme, dp->aim_title, &programme, &aim, err)) < 0)
            break;
        struct store_project_input in = {dp->title, dp->aim, dp->team, dp->sponsor, dp->status, dp->start,
                                         dp->why_unaligned, programme, dp->score_x10, amb ? &amb : NULL, amb ? 1 : 0,
                                         aim ? &aim : NULL, aim ? 1 : 0};
        rc = store_project_add(s, &demo_actor, STORE_ORG_SCOPE(org), &in, &pid, err);
        if (rc == 0 && strcmp(dp->status, "idea") != 0)
            rc = store_project_approve(s, &demo_actor, STORE_ORG_SCOPE(org), pid, err);
        for (size_t j = 0; j < 2 && rc == 0 && dp->m[j].name; j++)
            rc = demo_measure(s, org, pid, &dp->m[j], 2024u + (unsigned)(i * 7 + j), err);
        if (rc == 0)
            rc = demo_diagram(s, org, pid, dp, err);
        for (size_t k = 0; k < sizeof cases / sizeof cases[0] && rc == 0; k++)
            if (strcmp(cases[k].project, dp->title) == 0)
                rc = store_case_publish(s, &demo_actor, STORE_ORG_SCOPE(org), pid, &cases[k].text, NULL, err);
    }
    store_ambition_list_release(&al);
    return rc;
}
