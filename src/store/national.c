/* A synthetic national installation (national.h): the plan of a scale, the organisations with
 * their strategy, the integrated care boards as programmes, the staff, and the conversations with
 * their contributions and votes (bulk loads). Projects, measures and handovers: national_work.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "handover/handover.h"
#include "store/store_int.h"
#include "store/national_int.h"
#include "core/banned.h"

const struct store_actor nat_actor = {0, "purpose generate"};

/* ---- the plan --------------------------------------------------------------------------------- */

#define NAT_TRUSTS 210
#define NAT_AMBULANCE 10
#define NAT_ICBS 42
#define NAT_STAFF 15000
#define NAT_CONVERSATIONS 2000
#define NAT_CONTRIBUTIONS 1000000
#define NAT_VOTES 10000000
#define NAT_PROJECTS 20000
#define NAT_MEASURES 100000
#define NAT_WEEKS 52
#define NAT_HANDOVERS 50000000
#define NAT_VOTES_EACH 25 /* items a participant votes on, on average */

static uint64_t scaled(double f, uint64_t total, uint64_t least)
{
    uint64_t n = (uint64_t)llround(f * (double)total);
    return n < least ? least : n;
}

void store_national_plan(double scale, struct store_national_sizes *p)
{
    double f = !(scale >= STORE_NATIONAL_SCALE_MIN) ? STORE_NATIONAL_SCALE_MIN : scale > 1 ? 1 : scale;
    memset(p, 0, sizeof *p);
    p->trusts = scaled(f, NAT_TRUSTS, 10);
    p->ambulance = scaled(f, NAT_AMBULANCE, 1);
    p->icbs = scaled(f, NAT_ICBS, 1);
    uint64_t orgs = p->trusts + p->ambulance;
    p->staff = scaled(f, NAT_STAFF, 3 * orgs);
    p->conversations = scaled(f, NAT_CONVERSATIONS, orgs);
    p->contributions = scaled(f, NAT_CONTRIBUTIONS, 20 * p->conversations);
    p->votes = scaled(f, NAT_VOTES, 10 * p->contributions / 2);
    p->participants = 0;
    for (uint64_t c = 0; c < p->conversations; c++) {
        uint64_t v = nat_share(p->votes, p->conversations, c);
        p->participants += v / NAT_VOTES_EACH < 10 ? 10 : v / NAT_VOTES_EACH;
    }
    p->projects = scaled(f, NAT_PROJECTS, orgs);
    p->measures = scaled(f, NAT_MEASURES, 2 * p->projects);
    p->points = p->measures * NAT_WEEKS;
    p->handover_rows = scaled(f, NAT_HANDOVERS, 1000 * p->trusts);
}

/* ---- names ------------------------------------------------------------------------------------- */

static const char *const places[] = {
    "Aldbury", "Ashcombe", "Barnford", "Beckworth", "Birchley", "Bramhope", "Brayfield", "Calderbrook",
    "Carrowby", "Chalkridge", "Claymoor", "Coldharbour", "Corbridge Vale", "Cranleigh Moor", "Dalesworth",
    "Denholme", "Eastwick", "Elmstead", "Fairhaven", "Fenwick", "Fulbeck", "Garside", "Greystone",
    "Hadleigh Cross", "Halewood", "Harcourt", "Hartsfield", "Holmesdale", "Ingleby", "Kelbrook", "Kingsmere",
    "Langford", "Larkhill", "Lindale", "Longridge", "Lowther", "Marchfield", "Marlow Heath", "Medbourne",
    "Millbrook", "Netherby", "Northwold", "Oakhurst", "Orwell Bay", "Pennington", "Radcliffe Vale",
    "Redmarley", "Ridgeway", "Rowanfield", "Saltmarsh", "Sandford", "Shelbourne", "Southmere", "Stanwick",
    "Stourbridge Vale", "Thornbury", "Trentham", "Upperby", "Wadebridge", "Waltham Cross", "Westbury",
    "Whitmore", "Wickham", "Willowdale", "Winterbourne", "Wolds", "Woodhall", "Wrexley", "Yarford", "Yewdale",
};
#define N_PLACES (sizeof places / sizeof places[0])

static const char *const trust_forms[] = {
    "%s Teaching Hospitals NHS Foundation Trust", "%s University Hospitals NHS Trust",
    "%s Hospitals NHS Foundation Trust", "%s Community Healthcare NHS Trust",
    "%s and District Mental Health NHS Foundation Trust",
};

static const char *const ambulance_names[] = {
    "North East", "North West", "Yorkshire", "East Midlands", "West Midlands",
    "East of England", "London", "South East Coast", "South Central", "South Western",
};

static const char *const icb_areas[] = {
    "Northern Fells", "Tyne and Wear Coast", "Dales and Moors", "Humber Estuary", "Pennine Valleys",
    "Mersey and Dee", "Lancashire Coast", "Peak and Trent", "Fenland", "Broads and Coast",
    "Chiltern Vale", "Thames Valley North", "Marches", "Black Country Borders", "Cotswold and Severn",
    "Wessex Downs", "Solent", "Weald", "Kent Downs", "Sussex Coast", "Surrey Heath", "North Thames",
    "East Thames", "South Thames", "West Thames", "Essex Estuary", "Suffolk Coast", "Norfolk Wolds",
    "Lincoln Wolds", "Nottingham Forest", "Derwent", "Staffordshire Moorlands", "Shropshire Hills",
    "Wye Valley", "Avon Gorge", "Mendip", "Dartmoor", "Cornish Coast", "Dorset Heath", "Wiltshire Downs",
    "Bedford Levels", "Cheshire Plain",
};

static const char *const first_names[] = {"Aisha", "Ben", "Chloe", "Daniel", "Ewa", "Farah", "George", "Hannah",
                                          "Imran", "Jade", "Kwame", "Laura", "Mohammed", "Niamh", "Oliver",
                                          "Priya", "Rhys", "Sofia", "Tomasz", "Uche", "Yusuf", "Zara"};
static const char *const last_names[] = {"Ahmed", "Baker", "Campbell", "Davies", "Evans", "Fernandes", "Green",
                                         "Hughes", "Iqbal", "Jones", "Khan", "Lewis", "Murphy", "Nowak",
                                         "Okafor", "Patel", "Roberts", "Singh", "Taylor", "Walker", "Wright"};

static const char *const stems[] = {
    "Let nurses", "Open the discharge lounge earlier so that we can", "Give every ward the time to",
    "Ask patients and carers to help us", "Use the shared care record to", "Fund more staff to",
    "Train every team to", "Make it easier for families to", "Work with primary care to", "Stop asking patients to",
};
static const char *const ends[] = {
    "start discharge paperwork the evening before.", "hand over patients within thirty minutes.",
    "repeat their story to every professional.", "book interpreters before the appointment.",
    "see the same team at every visit.", "reach the right service first time.",
    "reduce waiting in the emergency department.", "keep older people moving while in hospital.",
    "protect time for improvement work.", "share what works between wards.",
    "answer the phone within a minute.", "plan care around what matters to the person.",
};
static const char *const comments[] = {"Agree, and the night team should be part of it.",
                                       "We tried this on ward 12 and it worked.", "Needs pharmacy on board.",
                                       "Please include carers in this.", "Cost is the question here."};

static const char *const themes[][3] = {
    {"Safe, effective and kind care", "Halve avoidable harm", "Four-hour standard for 95% of attendances"},
    {"Our people", "Every team trained in quality improvement", "Staff engagement in the top quartile"},
    {"Care closer to home", "Same-day emergency care with our partners", "Shared care records across the system"},
    {"Sustainable services", "Net zero for the emissions we control", "Live within our means"},
};

static void code_of(char out[8], char head, const char *prefix, uint64_t n)
{
    static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    if (prefix)
        snprintf(out, 8, "%s%c", prefix, digits[n % 36]);
    else
        snprintf(out, 8, "%c%c%c", head, digits[(n / 36) % 36], digits[n % 36]);
}

static void slug_of(char *out, size_t n, const char *code, const char *name)
{
    char tail[48];
    store_slug_from(name, tail, sizeof tail);
    char low[8];
    size_t i = 0;
    for (; code[i] && i < sizeof low - 1; i++)
        low[i] = (char)(code[i] >= 'A' && code[i] <= 'Z' ? code[i] - 'A' + 'a' : code[i]);
    low[i] = '\0';
    snprintf(out, n, "%s-%s", low, tail);
}

/* ---- progress and dates ------------------------------------------------------------------------ */

void nat_progress(struct nat_ctx *x, const char *what, uint64_t done, uint64_t total)
{
    if (x->o->progress)
        x->o->progress(x->o->ctx, what, done, total);
}

void nat_day(int32_t day, char out[11])
{
    int y, m, d;
    ho_civil_from_days(day, &y, &m, &d);
    char t[32];
    snprintf(t, sizeof t, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    memcpy(out, t, 10);
    out[10] = '\0';
}

/* ---- organisations, programmes, staff ---------------------------------------------------------- */

static int org_make(struct nat_ctx *x, size_t i, struct purpose_err *err)
{
    struct nat_org *g = &x->orgs[i];
    uint64_t t = x->plan.trusts;
    if (i < t) {
        /* Each place takes a different form each time round (unique names for 5 x N_PLACES trusts). */
        const char *form = trust_forms[(i + i / N_PLACES) % (sizeof trust_forms / sizeof trust_forms[0])];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        snprintf(g->name, sizeof g->name, form, places[i % N_PLACES]);
#pragma GCC diagnostic pop
        code_of(g->code, 'R', NULL, 360 + i); /* RA0, RA1, ... RFU: never RX, the ambulance services' */
    } else {
        g->ambulance = true;
        snprintf(g->name, sizeof g->name, "%s Ambulance Service NHS Trust", ambulance_names[(i - t) % 10]);
        code_of(g->code, 'R', "RX", i - t);
    }
    slug_of(g->slug, sizeof g->slug, g->code, i < t ? places[i % N_PLACES] : ambulance_names[(i - t) % 10]);
    struct store *s = x->s;
    if (store_org_add(s, &nat_actor, g->slug, g->name, g->ambulance ? "ambulance_service" : "nhs_trust", g->code,
                      &g->id, err) < 0)
        return -1;
    struct store_scope scope = {STORE_SCOPE_ORG, g->id};
    char text[400];
    snprintf(text, sizeof text, "The best care for every person in %s, with them and for them.",
             g->ambulance ? ambulance_names[(i - t) % 10] : places[i % N_PLACES]);
    if (store_statement_set(s, &nat_actor, scope, "vision", text, err) < 0)
        return -1;
    snprintf(text, sizeof text, "We exist to improve the health of the people of %s.",
             g->ambulance ? ambulance_names[(i - t) % 10] : places[i % N_PLACES]);
    if (store_statement_set(s, &nat_actor, scope, "purpose", text, err) < 0 ||
        store_default_values(s, g->id, err) < 0)
        return -1;
    for (size_t th = 0; th < sizeof themes / sizeof themes[0]; th++) {
        int64_t tid;
        if (store_theme_add(s, &nat_actor, STORE_ORG_SCOPE(g->id), themes[th][0], "", &tid, err) < 0)
            return -1;
        for (int a = 1; a <= 2; a++)
            if (store_ambition_add(s, &nat_actor, STORE_ORG_SCOPE(g->id), tid, themes[th][a], "", 2028, &g->ambitions[g->n_ambitions++],
                                   err) < 0)
                return -1;
    }
    return 0;
}

static int staff_make(struct nat_ctx *x, size_t org, uint64_t n, const char *hash, struct purpose_err *err)
{
    struct nat_rng r = nat_stream(x->o->seed, 2, org);
    for (uint64_t k = 0; k < n; k++) {
        char user[64], name[96];
        snprintf(user, sizeof user, "%s.staff%llu", x->orgs[org].code, (unsigned long long)k + 1);
        for (char *p = user; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        snprintf(name, sizeof name, "%s %s", first_names[nat_below(&r, sizeof first_names / sizeof first_names[0])],
                 last_names[nat_below(&r, sizeof last_names / sizeof last_names[0])]);
        /* One lead per organisation, a fifth members, the rest contributors. */
        enum store_role role = k == 0 ? ROLE_LEAD : k % 5 == 1 ? ROLE_MEMBER : ROLE_CONTRIBUTOR;
        if (store_user_add(x->s, &nat_actor, x->orgs[org].id, user, name, role, hash, NULL, err) < 0)
            return -1;
        x->made.staff++;
    }
    return 0;
}

/* The integrated care boards: the trusts of their area (consecutive shares) and the ambulance
 * service that covers it; then the handover collaborative of ten partners (nine trusts and an
 * ambulance service), the programme the benchmark's dashboard reads. */
static int programmes_make(struct nat_ctx *x, struct purpose_err *err)
{
    uint64_t t = x->plan.trusts, icbs = x->plan.icbs, first = 0;
    int64_t *partners = calloc(t + 2, sizeof *partners);
    if (!partners)
        return store_oom(err);
    int rc = 0;
    for (uint64_t i = 0; rc == 0 && i <= icbs; i++) {
        char slug[80], name[160], desc[300];
        size_t n = 0;
        if (i < icbs) {
            uint64_t share = nat_share(t, icbs, i);
            for (uint64_t k = 0; k < share; k++)
                partners[n++] = x->orgs[first + k].id;
            first += share;
            partners[n++] = x->orgs[t + i * x->plan.ambulance / icbs].id;
            const char *area = icb_areas[i % (sizeof icb_areas / sizeof icb_areas[0])];
            snprintf(name, sizeof name, "NHS %s Integrated Care Board", area);
            char tail[48];
            store_slug_from(area, tail, sizeof tail);
            snprintf(slug, sizeof slug, "icb-q%02llu-%s", (unsigned long long)i + 1, tail);
            snprintf(desc, sizeof desc, "The integrated care system of %s: its trusts and ambulance service.", area);
        } else {
            for (uint64_t k = 0; k < 9 && k < t; k++)
                partners[n++] = x->orgs[k].id;
            partners[n++] = x->orgs[t].id;
            snprintf(name, sizeof name, "Ambulance handover collaborative");
            snprintf(slug, sizeof slug, "handover-collaborative");
            snprintf(desc, sizeof desc, "Ten organisations halving the time ambulance crews wait to hand over.");
        }
        int64_t pid;
        rc = store_programme_add_partners(x->s, &nat_actor, slug, name, desc, partners, n, &pid, err);
        if (rc == 0)
            rc = store_aim_add(x->s, &nat_actor, pid, "Every handover within 60 minutes", "", 2027, NULL, err);
        nat_progress(x, "programmes", i + 1, icbs + 1);
    }
    free(partners);
    return rc;
}

/* ---- conversations ------------------------------------------------------------------------------ */

/* A conversation's items, four ideas in five, each comment on one of the ideas before it, over
 * its first 180 days from opens. */
static void ideas_make(struct store_idea_in *ideas, char (*bodies)[200], uint64_t items, int64_t opens,
                       struct nat_rng *r)
{
    size_t n_ideas = 0;
    for (uint64_t i = 0; i < items; i++) {
        bool comment = i % 5 == 4 && n_ideas > 0;
        if (comment) {
            snprintf(bodies[i], sizeof bodies[i], "%s", comments[nat_below(r, 5)]);
            size_t on = (size_t)nat_below(r, n_ideas), seen = 0;
            for (uint64_t k = 0; k < i; k++)
                if (ideas[k].parent == 0 && seen++ == on) {
                    ideas[i].parent = (size_t)k + 1;
                    break;
                }
        } else {
            snprintf(bodies[i], sizeof bodies[i], "%s %s", stems[nat_below(r, 10)], ends[nat_below(r, 12)]);
            n_ideas++;
        }
        ideas[i].body = bodies[i];
        ideas[i].theme = "";
        ideas[i].staff = nat_below(r, 3) == 0;
        ideas[i].day = opens + (int64_t)nat_below(r, 180) * 86400;
    }
}

/* The conversation's votes on its ideas (idea_ids sorted: ids are random, so the k-th idea is the
 * same one whatever the ids, and a vote's choice of idea by its number the same on every run in all
 * but which id it is), each by one of its people. */
static void votes_make(struct store_vote_in *vin, uint64_t votes, const int64_t *idea_ids, size_t n_ids,
                       char (*secrets)[64], uint64_t people, struct nat_rng *r)
{
    static const char *const kinds[] = {"agree", "agree", "agree", "disagree", "unsure"};
    for (uint64_t v = 0; v < votes; v++) {
        size_t which = (size_t)nat_below(r, n_ids);
        /* some ideas divide opinion evenly */
        const char *vote = which % 5 == 1 ? (nat_below(r, 2) ? "agree" : "disagree") : kinds[nat_below(r, 5)];
        vin[v] = (struct store_vote_in){idea_ids[which], secrets[nat_below(r, people)], vote};
    }
}

static int conversation_make(struct nat_ctx *x, uint64_t c, struct purpose_err *err)
{
    const struct nat_org *g = &x->orgs[c % x->n_orgs];
    struct store_scope sc = {STORE_SCOPE_ORG, g->id};
    uint64_t items = nat_share(x->plan.contributions, x->plan.conversations, c);
    uint64_t votes = nat_share(x->plan.votes, x->plan.conversations, c);
    uint64_t people = votes / NAT_VOTES_EACH < 10 ? 10 : votes / NAT_VOTES_EACH;
    struct nat_rng r = nat_stream(x->o->seed, 3, c);
    char question[200];
    snprintf(question, sizeof question, "What would make the biggest difference to %s next year? (%llu)",
             c % 3 == 0 ? "patients" : c % 3 == 1 ? "staff" : "our partners", (unsigned long long)c + 1);
    struct store_campaign_input in = {.question = question,
                                      .description = "A synthetic conversation of the national data set.",
                                      .audience = "all",
                                      .phases = "Understand the problem\nShape the ideas",
                                      .phase = "Shape the ideas",
                                      .links = "",
                                      .privacy = store_privacy_notice,
                                      .opens_at = 1767225600, /* 2026-01-01 */
                                      .closes_at = 1798761600, /* 2027-01-01 */
                                      .queue_public = true};
    struct store_idea_in *ideas = calloc(items, sizeof *ideas);
    char (*bodies)[200] = calloc(items, sizeof *bodies);
    char (*secrets)[64] = calloc(people, sizeof *secrets);
    struct store_vote_in *vin = calloc(votes ? votes : 1, sizeof *vin);
    struct store_contribution_list list = {0};
    int64_t *idea_ids = NULL;
    int64_t cid = 0;
    int rc = ideas && bodies && secrets && vin ? 0 : store_oom(err);
    if (rc == 0)
        rc = store_tx_begin(x->s, err);
    if (rc < 0)
        goto out;
    rc = store_campaign_add(x->s, &nat_actor, &sc, &in, &cid, err);
    for (uint64_t p = 0; rc == 0 && p < people; p++) {
        snprintf(secrets[p], sizeof secrets[p], "national-participant-%llu-%06llu", (unsigned long long)c, (unsigned long long)p);
        rc = store_participant_set(x->s, &sc, cid, secrets[p], NULL, 0, err);
    }
    if (rc == 0) {
        ideas_make(ideas, bodies, items, in.opens_at, &r);
        rc = store_ideas_load(x->s, &nat_actor, &sc, cid, ideas, items, err);
    }
    if (rc == 0)
        rc = store_contribution_list(x->s, &sc, cid, true, 0, &list, err);
    size_t n_ids = 0;
    if (rc == 0 && !(idea_ids = calloc(list.n ? list.n : 1, sizeof *idea_ids)))
        rc = store_oom(err);
    for (size_t i = 0; rc == 0 && i < list.n; i++)
        if (list.items[i].parent_id == 0)
            idea_ids[n_ids++] = list.items[i].id;
    if (rc == 0 && n_ids) {
        votes_make(vin, votes, idea_ids, n_ids, secrets, people, &r);
        rc = store_votes_load(x->s, &sc, cid, vin, votes, err);
    }
    struct purpose_err ignored;
    if (store_tx_end(x->s, rc == 0, rc == 0 ? err : &ignored) < 0)
        rc = -1;
    if (rc == 0) {
        x->made.conversations++;
        x->made.participants += people;
        x->made.contributions += items;
        x->made.votes += n_ids ? votes : 0;
    }
out:
    store_contribution_list_release(&list);
    free(idea_ids);
    free(vin);
    free(secrets);
    free(bodies);
    free(ideas);
    return rc;
}

/* ---- the whole installation -------------------------------------------------------------------- */

static int where(struct purpose_err *err, const char *what, uint64_t n)
{
    char msg[sizeof err->msg];
    snprintf(msg, sizeof msg, "%s", err->msg);
    return purpose_errk(err, err->kind, err->field[0] ? err->field : NULL, "purpose generate: %s %llu: %s", what,
                        (unsigned long long)n, msg);
}

static int national_all(struct nat_ctx *x, struct purpose_err *err)
{
    const struct store_national_sizes *p = &x->plan;
    /* The staff's shared password: random, never shown, hashed once (argon2id is slow by design). */
    char password[33], hash[SECRET_HASH_MAX];
    secret_random_password(password, 32);
    if (secret_hash_password(password, hash, err) < 0)
        return -1;
    for (size_t i = 0; i < x->n_orgs; i++) {
        if (store_tx_begin(x->s, err) < 0)
            return -1;
        int rc = org_make(x, i, err);
        if (rc == 0)
            rc = staff_make(x, i, nat_share(p->staff, x->n_orgs, i), hash, err);
        struct purpose_err ignored;
        if (store_tx_end(x->s, rc == 0, rc == 0 ? err : &ignored) < 0 || rc < 0)
            return where(err, "organisation", i + 1);
        nat_progress(x, "organisations and staff", i + 1, x->n_orgs);
    }
    x->made.trusts = p->trusts;
    x->made.ambulance = p->ambulance;
    if (programmes_make(x, err) < 0)
        return where(err, "programme", x->made.icbs + 1);
    x->made.icbs = p->icbs;
    for (uint64_t c = 0; c < p->conversations; c++) {
        if (conversation_make(x, c, err) < 0)
            return where(err, "conversation", c + 1);
        nat_progress(x, "conversations", c + 1, p->conversations);
    }
    for (size_t i = 0; i < x->n_orgs; i++) {
        if (nat_org_work(x, i, nat_share(p->projects, x->n_orgs, i), nat_share(p->measures, x->n_orgs, i), err) < 0)
            return where(err, "organisation's projects and measures", i + 1);
        nat_progress(x, "projects and measures", i + 1, x->n_orgs);
    }
    for (size_t i = 0; i < p->trusts; i++) {
        if (nat_org_handovers(x, i, nat_share(p->handover_rows, p->trusts, i), err) < 0)
            return where(err, "trust's handovers", i + 1);
        nat_progress(x, "handovers", i + 1, p->trusts);
    }
    return 0;
}

int store_national(struct store *s, const struct store_national_opts *o, struct store_national_sizes *made,
                   struct purpose_err *err)
{
    struct nat_ctx x = {.s = s, .o = o};
    store_national_plan(o->scale, &x.plan);
    if (made)
        memset(made, 0, sizeof *made);
    struct store_org_list l;
    if (store_org_list(s, &l, err) < 0)
        return -1;
    size_t had = l.n;
    store_org_list_release(&l);
    if (had)
        return purpose_errk(err, PURPOSE_ERR_CONFLICT, NULL,
                            "purpose generate: the database has organisations already: generate into a new one");
    x.n_orgs = (size_t)(x.plan.trusts + x.plan.ambulance);
    if (!(x.orgs = calloc(x.n_orgs, sizeof *x.orgs)))
        return store_oom(err);
    int rc = national_all(&x, err);
    if (made)
        *made = x.made;
    free(x.orgs);
    return rc;
}
