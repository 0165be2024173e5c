/* Default values and the demo organisation, written through the store interface only. */
#include <stdio.h>
#include <string.h>

#include "core/secret.h"
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

int store_default_values(struct store *s, struct purpose_err *err)
{
    struct store_value_list l;
    if (store_value_list(s, &l, err) < 0)
        return -1;
    size_t n = l.n;
    store_value_list_release(&l);
    if (n > 0)
        return 0;
    for (size_t i = 0; i < sizeof nhs_values / sizeof nhs_values[0]; i++)
        if (store_value_add(s, &init_actor, nhs_values[i][0], nhs_values[i][1], NULL, err) < 0)
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

static const struct {
    const char *username;
    const char *display_name;
    enum store_role role;
} demo_users[] = {
    {"admin", "Aisha Khan", ROLE_ADMIN},
    {"lead", "Tom Okafor", ROLE_LEAD},
    {"member", "Priya Shah", ROLE_MEMBER},
    {"contributor", "Jean Roberts", ROLE_CONTRIBUTOR},
};

int store_demo(struct store *s, char *creds, size_t n, struct purpose_err *err)
{
    const struct store_actor *by = &init_actor;
    if (store_default_values(s, err) < 0)
        return -1;
    if (store_statement_set(s, by, "vision",
                              "Excellent care, research and education for every person we serve, "
                              "with them and for them.",
                              err) < 0 ||
        store_statement_set(s, by, "purpose",
                              "We exist to improve the health of our patients and communities: "
                              "to treat illness, prevent harm, discover better care and teach the "
                              "people who will provide it.",
                              err) < 0)
        return -1;
    for (size_t i = 0; i < sizeof themes / sizeof themes[0]; i++) {
        int64_t tid;
        if (store_theme_add(s, by, themes[i].title, themes[i].description, &tid, err) < 0)
            return -1;
        for (size_t j = 0; j < 3 && themes[i].ambitions[j].title; j++)
            if (store_ambition_add(s, by, tid, themes[i].ambitions[j].title,
                                     themes[i].ambitions[j].description,
                                     themes[i].ambitions[j].year, NULL, err) < 0)
                return -1;
    }
    size_t used = 0;
    if (n)
        creds[0] = '\0';
    for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
        char password[17], hash[SECRET_HASH_MAX];
        secret_random_password(password, 16);
        if (secret_hash_password(password, hash, err) < 0)
            return -1;
        if (store_user_add(s, by, demo_users[i].username, demo_users[i].display_name,
                             demo_users[i].role, hash, NULL, err) < 0)
            return -1;
        int w = snprintf(creds + used, n - used, "%-12s %-12s %s\n",
                         store_role_name(demo_users[i].role), demo_users[i].username, password);
        if (w < 0 || (size_t)w >= n - used)
            return purpose_errf(err, "purpose init: internal error: credentials buffer too small");
        used += (size_t)w;
    }
    return 0;
}
