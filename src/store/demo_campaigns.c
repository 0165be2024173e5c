/* The co-design demo: a finished conversation that shaped the trust's vision, and an open one on the
 * handover programme's shared purpose, at realistic volumes (hundreds of contributions, thousands of
 * votes, several groups, one of them under 5; opinion groups on in the finished one, with three camps
 * of voters and ideas every camp agrees with). Deterministic: the same database every time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

static const struct store_actor demo_actor = {0, "init"};

struct rng {
    uint64_t s;
};

static uint32_t next(struct rng *r)
{
    r->s = r->s * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(r->s >> 33);
}

static const char *const stems[] = {
    "Give staff protected time to", "Ask patients and carers how to", "Work with our partners to",
    "Use the data we already have to", "Start every shift with a short huddle to", "Train everyone in how to",
    "Fund small local teams to", "Be honest in public about how we", "Learn from the wards that already",
    "Make it easy for anyone to",
};
static const char *const ends[] = {
    "improve the discharge of older patients before midday.",
    "cut the time people wait on trolleys in the emergency department.",
    "speak up about safety without fear of blame.",
    "reduce the number of appointments cancelled on the day.",
    "make our buildings easier to find your way around.",
    "support staff wellbeing after a difficult shift.",
    "hand over patients from ambulances within fifteen minutes.",
    "share records between the hospital, GPs and social care.",
    "offer interpreters and easy-read letters as standard.",
    "reach communities who rarely talk to us.",
    "bring mental health support into the emergency department.",
    "keep people well at home instead of admitting them.",
};
static const char *const comments[] = {
    "Yes, and this needs a named person to own it.",
    "We tried this on our ward and it worked for a while.",
    "This would help carers like me a great deal.",
    "Only if it comes with the staff to do it.",
    "Please include the voluntary sector in this.",
};
static const char *const theme_names[] = {"Safe care", "Our people", "Working together", "Fair access"};

/* Group profiles people chose, weighted by how often; the eth-K profile is deliberately rare. */
static const char *const profiles[][3] = {
    {"staff", "sg-nursing", "eth-A"}, {"staff", "sg-medical", "eth-H"}, {"staff", "sg-admin", "eth-A"},
    {"patient", "age-65", "eth-A"},   {"carer", "age-45", "eth-N"},     {"public", "age-25", "eth-M"},
    {"lived", "age-25", "eth-C"},     {"partner", "eth-A", NULL},       {"staff", "sg-ambulance", "eth-A"},
    {"patient", "age-16", "eth-J"},
};

/* Contributor secret i of the demo (url-safe, 20+ characters). */
static void demo_secret(int64_t campaign, int i, char *out, size_t n)
{
    snprintf(out, n, "demo-contributor-%lld-%06d", (long long)campaign, i);
}

/* Opinion groups in the finished conversation (docs/opinions.md): its voters fall in three camps
 * of about 45%, 40% and 15% (by their number), most of their votes go to its first ideas, and each
 * such vote follows the camp's leaning on the idea's topic (its ending, ends[]) 85% of the time:
 * waiting and flow (camp 0 for, 1 against), staff (1 and 2 for, 0 against), communities (2 for,
 * 0 and 1 against), and records and interpreters, which every camp is for. */
#define DEMO_TOPICAL 24
static int demo_camp(int p)
{
    int k = (p * 7) % 20;
    return k < 9 ? 0 : k < 17 ? 1 : 2;
}

static const char *demo_camp_vote(int camp, int topic, struct rng *r)
{
    static const char *const words[] = {"disagree", "unsure", "agree"};
    static const signed char lean[12][3] = {
        {1, -1, 0}, {1, -1, 0}, {-1, 1, 1}, {1, -1, 0}, {-1, -1, 1}, {-1, 1, 1},
        {1, -1, 0}, {1, 1, 1},  {1, 1, 1},  {-1, -1, 1}, {-1, -1, 1}, {1, -1, 0},
    };
    if (next(r) % 100 < 85)
        return words[lean[topic][camp] + 1];
    return words[next(r) % 3];
}

static int demo_topic(const char *body)
{
    size_t n = strlen(body);
    for (int e = 0; e < 12; e++) {
        size_t k = strlen(ends[e]);
        if (n >= k && strcmp(body + n - k, ends[e]) == 0)
            return e;
    }
    return 0;
}

/* The conversation's people, most describing themselves by a profile; three make a group under 5. */
static int demo_people(struct store *s, const struct store_scope *sc, int64_t cid, int people, struct rng *r,
                       struct purpose_err *err)
{
    char secret[64];
    for (int p = 0; p < people; p++) {
        demo_secret(cid, p, secret, sizeof secret);
        const char *g[3];
        size_t ng = 0;
        if (p < 3) { /* a group under 5 */
            g[ng++] = "patient";
            g[ng++] = "eth-K";
        } else if (p % 7 != 0) { /* some describe nobody */
            const char *const *prof = profiles[next(r) % (sizeof profiles / sizeof profiles[0])];
            for (size_t k = 0; k < 3 && prof[k]; k++)
                g[ng++] = prof[k];
        }
        if (store_participant_set(s, sc, cid, secret, g, ng, err) < 0)
            return -1;
    }
    return 0;
}

static int demo_campaign(struct store *s, const struct store_scope *sc, int64_t cid, int people, int ideas, int nvotes,
                         int64_t at, uint64_t seed, bool camps, struct purpose_err *err)
{
    struct rng r = {seed};
    char secret[64];
    if (demo_people(s, sc, cid, people, &r, err) < 0)
        return -1;
    int64_t *ids = calloc((size_t)ideas, sizeof *ids);
    int *topic = calloc((size_t)ideas, sizeof *topic);
    if (!ids || !topic) {
        free(ids);
        free(topic);
        return store_oom(err);
    }
    int rc = 0;
    char body[300];
    for (int i = 0; rc == 0 && i < ideas; i++) {
        demo_secret(cid, (int)(next(&r) % (uint32_t)people), secret, sizeof secret);
        snprintf(body, sizeof body, "%s %s", stems[next(&r) % 10], ends[next(&r) % 12]);
        struct store_contribution_input in = {.body = body, .secret = secret, .anonymous = true,
                                              .staff = next(&r) % 3 == 0};
        topic[i] = demo_topic(body);
        rc = store_contribution_add(s, sc, cid, &in, at, &ids[i], NULL, err);
        if (rc == 0 && !in.staff)
            rc = store_contribution_moderate(s, &demo_actor, sc, cid, ids[i], i % 23 != 5,
                                             i % 23 == 5 ? "Names a member of staff" : "", err);
        if (rc == 0 && i % 2 == 0)
            rc = store_contribution_tag(s, &demo_actor, sc, cid, ids[i], theme_names[next(&r) % 4], err);
    }
    for (int i = 0; rc == 0 && i < ideas / 4; i++) {
        uint32_t k = next(&r) % (uint32_t)ideas;
        if (k % 23 == 5)
            k++; /* a hidden idea takes no comments */
        int64_t on = ids[k % (uint32_t)ideas];
        demo_secret(cid, (int)(next(&r) % (uint32_t)people), secret, sizeof secret);
        struct store_contribution_input in = {.parent_id = on, .body = comments[next(&r) % 5], .secret = secret,
                                              .anonymous = true, .staff = true};
        rc = store_contribution_add(s, sc, cid, &in, at, NULL, NULL, err);
    }
    /* The votes go in as one bulk load (PostgreSQL: COPY; a request per vote made init take
     * seconds), stored as store_vote would store them. */
    static const char *const votes[] = {"agree", "agree", "agree", "disagree", "unsure"};
    char (*secrets)[40] = calloc((size_t)people, sizeof *secrets);
    struct store_vote_in *vin = calloc((size_t)nvotes, sizeof *vin);
    size_t nv = 0;
    if (rc == 0 && (!secrets || !vin))
        rc = store_oom(err);
    for (int p = 0; rc == 0 && p < people; p++)
        demo_secret(cid, p, secrets[p], sizeof secrets[p]);
    if (rc == 0 && camps) /* on before the votes, so that they are grouped */
        rc = store_opinions_set(s, &demo_actor, sc, cid, true, at, err);
    for (int v = 0; rc == 0 && camps && v < nvotes; v++) {
        int p = (int)(next(&r) % (uint32_t)people);
        bool topical = next(&r) % 10 < 8;
        uint32_t which = topical ? next(&r) % DEMO_TOPICAL : next(&r) % (uint32_t)ideas;
        if (which % 23 == 5)
            continue; /* hidden: takes no votes */
        const char *vote = topical ? demo_camp_vote(demo_camp(p), topic[which], &r)
                           : which % 5 == 1 ? (next(&r) % 2 ? "agree" : "disagree") : votes[next(&r) % 5];
        vin[nv++] = (struct store_vote_in){ids[which], secrets[p], vote};
    }
    for (int v = 0; rc == 0 && !camps && v < nvotes; v++) {
        uint32_t which = next(&r) % (uint32_t)ideas;
        if (which % 23 == 5)
            continue; /* hidden: takes no votes */
        const char *voter = secrets[next(&r) % (uint32_t)people];
        /* some ideas divide opinion evenly */
        const char *vote = which % 5 == 1 ? (next(&r) % 2 ? "agree" : "disagree") : votes[next(&r) % 5];
        vin[nv++] = (struct store_vote_in){ids[which], voter, vote};
    }
    if (rc == 0)
        rc = store_votes_load(s, sc, cid, vin, nv, err);
    free(vin);
    free(secrets);
    free(ids);
    free(topic);
    return rc;
}

static int by_agreement(const void *a, const void *b)
{
    double x = store_agreement(a), y = store_agreement(b);
    return x < y ? 1 : x > y ? -1 : 0;
}

/* The finished conversation shaped the trust's vision: its 25 most agreed ideas are linked. */
static int demo_provenance(struct store *s, int64_t trust, int64_t campaign, struct purpose_err *err)
{
    struct store_contribution_list l;
    if (store_contribution_list(s, &(struct store_scope){STORE_SCOPE_ORG, trust}, campaign, true, 0, &l, err) < 0)
        return -1;
    if (l.n)
        qsort(l.items, l.n, sizeof *l.items, by_agreement);
    int64_t ids[25];
    size_t n = 0;
    for (size_t i = 0; i < l.n && n < 25; i++)
        ids[n++] = l.items[i].id;
    store_contribution_list_release(&l);
    return store_provenance_link(s, &demo_actor, (struct store_scope){STORE_SCOPE_ORG, trust}, "vision", ids, n, err);
}

int store_demo_campaigns(struct store *s, int64_t trust, int64_t programme, struct purpose_err *err)
{
    const char *privacy = store_privacy_notice;
    struct store_campaign_input vision = {
        .question = "What should our hospitals be known for in 2030?",
        .description = "We are writing our vision for the next five years and want it to come from the people "
                       "who work here, the patients we serve and our partners.",
        .audience = "all",
        .phases = "Understand the problem\nShape the vision\nTest the draft",
        .phase = "Test the draft",
        .links = "Vision 2030",
        .privacy = privacy,
        .opens_at = 1772323200,  /* 2026-03-01 */
        .closes_at = 1777507200, /* 2026-04-30 */
        .queue_public = true,
    };
    struct store_campaign_input purpose = {
        .question = "Why do we work together on ambulance handovers?",
        .description = "The partners in the handover programme are agreeing a shared purpose. Tell us what "
                       "matters to you, and vote on what others have said.",
        .audience = "all",
        .phases = "Understand the problem\nShape the purpose",
        .phase = "Understand the problem",
        .links = "Handover aims",
        .privacy = privacy,
        .opens_at = 1767225600,  /* 2026-01-01 */
        .closes_at = 4102444800, /* 2100-01-01 */
        .queue_public = true,
    };
    int64_t v, p;
    const struct store_scope org = {STORE_SCOPE_ORG, trust}, prog = {STORE_SCOPE_PROGRAMME, programme};
    if (store_campaign_add(s, &demo_actor, &org, &vision, &v, err) < 0 ||
        store_campaign_add(s, &demo_actor, &prog, &purpose, &p, err) < 0)
        return -1;
    if (demo_campaign(s, &org, v, 420, 300, 3500, 1775000000, 7, true, err) < 0 || demo_provenance(s, trust, v, err) < 0)
        return -1;
    return demo_campaign(s, &prog, p, 160, 120, 1500, 1775000000, 11, false, err);
}
