/* Default values and the demo installation, written through the store functions only. */
#include <stdio.h>
#include <string.h>

#include "core/secret.h"
#include "store/annotations.h"
#include "store/store.h"
#include "core/banned.h"

static const struct store_actor init_actor = {0, "purpose init"};

/* The six values of the NHS Constitution for England (2012, updated 2023). */
static const char *const nhs_values[][2] = {
    {"Working together for patients",
     "Patients come first in everything we do. We reach out to staff, patients, carers, families, "
     "communities and professionals outside the NHS."},
    {"Respect and dignity",
     "We value every person as an individual, respect their aspirations and commitments, and seek "
     "to understand their priorities, needs, abilities and limits."},
    {"Commitment to quality of care",
     "We earn the trust placed in us by insisting on quality and striving to get the basics of "
     "quality of care right every time."},
    {"Compassion",
     "We ensure that compassion is central to the care we provide and respond with humanity and "
     "kindness to each person's pain, distress, anxiety or need."},
    {"Improving lives",
     "We strive to improve health and wellbeing and people's experiences of the NHS."},
    {"Everyone counts",
     "We maximise our resources for the benefit of the whole community, and make sure nobody is "
     "excluded, discriminated against or left behind."},
};

int store_default_values(struct store *s, int64_t org_id, struct purpose_err *err)
{
    struct store_value_list l;
    if (store_value_list(s, STORE_ORG_SCOPE(org_id), &l, err) < 0)
        return -1;
    size_t n = l.n;
    store_value_list_release(&l);
    if (n > 0)
        return 0;
    for (size_t i = 0; i < sizeof nhs_values / sizeof nhs_values[0]; i++)
        if (store_value_add(s, &init_actor, STORE_ORG_SCOPE(org_id), nhs_values[i][0], nhs_values[i][1], NULL, err) < 0)
            return -1;
    return 0;
}

struct demo_theme {
    const char *title;
    const char *description;
    struct {
        const char *title;
        const char *description;
        int year;
    } ambitions[3];
};

static const struct demo_theme themes[] = {
    {"Outstanding patient outcomes, safety and experience",
     "Care that is safe, effective and kind, judged by the outcomes that matter to patients.",
     {{"Halve avoidable harm", "Reduce harm from falls, pressure ulcers and medication errors by half.", 2028},
      {"Four-hour standard for 95% of emergency attendances",
       "Patients are seen, treated and admitted or discharged within four hours.", 2027},
      {"Every patient's voice heard", "Patient and carer feedback shapes every service every quarter.", 2026}}},
    {"Pioneering research and innovation",
     "Research that reaches patients quickly, and innovation adopted at scale.",
     {{"One in five patients offered a research study", "Open research to every specialty.", 2029},
      {"Spread three proven innovations a year", "Adopt what works from across the NHS.", 2027},
      {NULL, NULL, 0}}},
    {"World-class people",
     "A workforce that feels valued, developed and able to improve the way it works.",
     {{"Staff survey engagement in the top quartile", "Listen, act and report back on what staff tell us.", 2028},
      {"Every team trained in quality improvement", "Quality improvement skills for every team, from ward to board.", 2027},
      {"Reduce vacancy rate to 5%", "Recruit and retain the people we need.", 2028}}},
    {"Integrated networks and collaboration",
     "Working with primary care, councils and partners so care is joined up around people.",
     {{"Same-day emergency care with our partners", "Avoid admissions with shared pathways.", 2027},
      {"Shared care records across the system", "One record, seen by every professional who needs it.", 2026},
      {NULL, NULL, 0}}},
    {"Foundations for the future",
     "Sustainable finances, buildings and digital systems fit for the next generation.",
     {{"Net zero for the emissions we control", "Cut carbon from our estate, travel and supplies.", 2040},
      {"Financial balance every year", "Spend public money wisely and plan for the long term.", 2026},
      {"Digital by default where it helps", "Simple digital services, with people who need other routes never left behind.", 2028}}},
};

/* The trust's partners, and the two programmes they share (names invented; the trust carries RR8's
 * ODS code for its real A&E figures, demo_ae.c). */
static const struct {
    const char *slug, *name, *type, *vision, *purpose;
} demo_orgs[] = {
    {"northgate-th", "Northgate Teaching Hospitals NHS Trust", "nhs_trust", NULL, NULL},
    {"northgate-ambulance", "Northgate and Dales Ambulance Service NHS Trust", "ambulance_service",
     "The right care, in the right place, at the right time, for everyone who calls us.",
     "We answer every call for help with skill and kindness, and get crews back on the road to the next patient."},
    {"northgate-council", "Northgate City Council", "local_authority",
     "A city where everyone lives a long, healthy and independent life.",
     "We work with communities to make the healthy choice the easy choice."},
    {"healthwatch-northgate", "Healthwatch Northgate", "healthwatch",
     "Health and care that works for the people of Northgate.",
     "We listen to what people say about health and care and make sure those who run services hear it."},
    {"pain-together", "Pain Together Northgate", "voluntary_sector",
     "No one living with long-term pain is alone.",
     "Peer support, led by people with lived experience of pain, in every neighbourhood."},
};

static const struct {
    const char *slug, *name, *description, *vision, *purpose;
    const char *partners[5];
    struct {
        const char *title, *description;
        int year;
    } aims[3];
} demo_programmes[] = {
    {"handovers", "Ambulance handovers: every minute matters",
     "The hospital and the ambulance service, together at the front door.",
     "No patient waits in an ambulance outside our emergency department, and no crew is held from the next 999 call.",
     "We share responsibility for every handover: hospital and ambulance staff, one team at the front door.",
     {"northgate-th", "northgate-ambulance", NULL},
     {{"Every handover within 60 minutes", "No ambulance crew waits more than an hour to hand over a patient.", 2026},
      {"95% of handovers within 30 minutes", "Meet the national standard on every day of the week.", 2027},
      {"Crews clear within 15 minutes of handover", "Release to rescue: crews back on the road quickly.", 2026}}},
    {"chronic-pain", "Living well with chronic pain",
     "The NHS, the council, Healthwatch and the voluntary sector with people living with pain.",
     "People living with chronic pain live well, with support that fits their lives and less harm from opioids.",
     "Designed with people who live with pain: we join up care, support and community so that medicines are one "
     "choice among many, never the only one.",
     {"northgate-th", "northgate-council", "healthwatch-northgate", "pain-together", NULL},
     {{"Reduce high-dose opioid prescribing by a third", "Fewer people on 120 mg morphine equivalent a day or more.", 2028},
      {"A peer support group in every neighbourhood", "Led by people with lived experience, with the voluntary sector.", 2027},
      {"Every pain service co-designed", "People with lived experience shape each service before it starts.", 2027}}},
};

static int demo_partners(struct store *s, const struct store_actor *by, int64_t trust, int64_t *ambulance,
                         struct purpose_err *err)
{
    int64_t ids[sizeof demo_orgs / sizeof demo_orgs[0]];
    ids[0] = trust;
    for (size_t i = 1; i < sizeof demo_orgs / sizeof demo_orgs[0]; i++) {
        struct store_scope scope = {STORE_SCOPE_ORG, 0};
        if (store_org_add(s, by, demo_orgs[i].slug, demo_orgs[i].name, demo_orgs[i].type, "", &ids[i], err) < 0)
            return -1;
        scope.id = ids[i];
        if (store_statement_set(s, by, scope, "vision", demo_orgs[i].vision, err) < 0 ||
            store_statement_set(s, by, scope, "purpose", demo_orgs[i].purpose, err) < 0)
            return -1;
    }
    *ambulance = ids[1];
    for (size_t i = 0; i < sizeof demo_programmes / sizeof demo_programmes[0]; i++) {
        int64_t pid;
        if (store_programme_add(s, by, demo_programmes[i].slug, demo_programmes[i].name,
                                demo_programmes[i].description, &pid, err) < 0)
            return -1;
        struct store_scope scope = {STORE_SCOPE_PROGRAMME, pid};
        if (store_statement_set(s, by, scope, "vision", demo_programmes[i].vision, err) < 0 ||
            store_statement_set(s, by, scope, "purpose", demo_programmes[i].purpose, err) < 0)
            return -1;
        for (size_t j = 0; demo_programmes[i].partners[j]; j++)
            for (size_t k = 0; k < sizeof demo_orgs / sizeof demo_orgs[0]; k++)
                if (strcmp(demo_orgs[k].slug, demo_programmes[i].partners[j]) == 0 &&
                    store_programme_partner_set(s, by, pid, ids[k], true, err) < 0)
                    return -1;
        for (size_t j = 0; j < 3; j++)
            if (store_aim_add(s, by, pid, demo_programmes[i].aims[j].title, demo_programmes[i].aims[j].description,
                              demo_programmes[i].aims[j].year, NULL, err) < 0)
                return -1;
    }
    return 0;
}

/* One user per role in the trust, and the ambulance service's lead, who also leads the handover
 * programme without any role in the trust's own strategy. */
static const struct {
    const char *label;
    const char *username;
    const char *display_name;
    enum store_role role;
    bool ambulance;
} demo_users[] = {
    {"admin", "admin", "Aisha Khan", ROLE_ADMIN, false},
    {"lead", "lead", "Tom Okafor", ROLE_LEAD, false},
    {"member", "member", "Priya Shah", ROLE_MEMBER, false},
    {"contributor", "contributor", "Jean Roberts", ROLE_CONTRIBUTOR, false},
    {"ambulance-lead", "crew.lead", "Sam Whitaker", ROLE_LEAD, true},
};

static int demo_people(struct store *s, const struct store_actor *by, int64_t ambulance, char *creds, size_t n,
                       struct purpose_err *err)
{
    size_t used = 0;
    if (n)
        creds[0] = '\0';
    struct store_programme handovers;
    if (store_programme_find(s, "handovers", &handovers, err) < 0)
        return -1;
    int64_t handovers_id = handovers.id;
    store_programme_release(&handovers);
    for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
        char password[17], hash[SECRET_HASH_MAX];
        int64_t uid;
        secret_random_password(password, 16);
        if (secret_hash_password(password, hash, err) < 0)
            return -1;
        if (store_user_add(s, by, demo_users[i].ambulance ? ambulance : 0, demo_users[i].username,
                           demo_users[i].display_name, demo_users[i].role, hash, &uid, err) < 0)
            return -1;
        if ((demo_users[i].ambulance || demo_users[i].role == ROLE_LEAD) &&
            store_role_grant(s, by, uid, (struct store_scope){STORE_SCOPE_PROGRAMME, handovers_id}, ROLE_LEAD, err) < 0)
            return -1;
        int w = snprintf(creds + used, n - used, "%-14s %-12s %s\n", demo_users[i].label, demo_users[i].username,
                         password);
        if (w < 0 || (size_t)w >= n - used)
            return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "purpose init: credentials buffer too small");
        used += (size_t)w;
    }
    return 0;
}

static int demo_all(struct store *s, char *creds, size_t n, struct purpose_err *err)
{
    const struct store_actor *by = &init_actor;
    int64_t trust, ambulance;
    /* RR8: the provider whose published A&E figures the demo trust shows (demo_ae.c) */
    if (store_org_add(s, by, demo_orgs[0].slug, demo_orgs[0].name, demo_orgs[0].type, "RR8", &trust, err) < 0)
        return -1;
    struct store_scope scope = {STORE_SCOPE_ORG, trust};
    if (store_statement_set(s, by, scope, "vision",
                            "Excellent care, research and education for every person we serve, "
                            "with them and for them.",
                            err) < 0 ||
        store_statement_set(s, by, scope, "purpose",
                            "We exist to improve the health of our patients and communities: "
                            "to treat illness, prevent harm, discover better care and teach the "
                            "people who will provide it.",
                            err) < 0)
        return -1;
    for (size_t i = 0; i < sizeof themes / sizeof themes[0]; i++) {
        int64_t tid;
        if (store_theme_add(s, by, STORE_ORG_SCOPE(trust), themes[i].title, themes[i].description, &tid, err) < 0)
            return -1;
        for (size_t j = 0; j < 3 && themes[i].ambitions[j].title; j++)
            if (store_ambition_add(s, by, STORE_ORG_SCOPE(trust), tid, themes[i].ambitions[j].title, themes[i].ambitions[j].description,
                                   themes[i].ambitions[j].year, NULL, err) < 0)
                return -1;
    }
    if (demo_partners(s, by, trust, &ambulance, err) < 0 || store_demo_projects(s, trust, err) < 0 ||
        store_demo_annotations(s, trust, err) < 0 || store_demo_ae(s, trust, err) < 0 ||
        demo_people(s, by, ambulance, creds, n, err) < 0)
        return -1;
    struct store_programme handovers;
    if (store_programme_find(s, "handovers", &handovers, err) < 0)
        return -1;
    int64_t handovers_id = handovers.id;
    store_programme_release(&handovers);
    if (store_demo_handovers(s, trust, ambulance, handovers_id, err) < 0)
        return -1;
    if (store_demo_campaigns(s, trust, handovers_id, err) < 0)
        return -1;
    if (store_demo_events(s, trust, handovers_id, err) < 0)
        return -1;
    if (store_demo_pulses(s, trust, handovers_id, err) < 0)
        return -1;
    return store_demo_wellled(s, trust, err);
}

/* All of it or none: one transaction. */
int store_demo(struct store *s, char *creds, size_t n, struct purpose_err *err)
{
    if (store_tx_begin(s, err) < 0)
        return -1;
    int rc = demo_all(s, creds, n, err);
    struct purpose_err ignored;
    if (store_tx_end(s, rc == 0, rc == 0 ? err : &ignored) < 0)
        rc = -1;
    return rc;
}
