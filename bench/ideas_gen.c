/* A Big Conversation for bench/ideas.mjs (issue 17): in the database DB (a demo one), a new open
 * conversation of the first organisation with IDEAS published ideas, COMMENTS comments on them
 * and VOTES votes from PEOPLE participants, loaded through the store (store_ideas_load and
 * store_votes_load, in bulk), and a lead's response to one idea in a hundred. Ideas are made of
 * phrases from a fixed seed (splitmix64), spread over six weeks and eight themes; "discharge"
 * appears in about one in fifty. Then the engine's statistics are brought up to date (ANALYZE;
 * PostgreSQL: VACUUM ANALYZE), as after any bulk import. Prints the conversation's id. The database's key file is found as
 * every command finds it: $PURPOSE_KEY_FILE, else "DB.key" beside a SQLite file.
 * usage: ideas_gen DB [IDEAS] [COMMENTS] [VOTES] [PEOPLE] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/secret.h"
#include "db/db.h"
#include "store/store.h"

static uint64_t seed = 0x5eed1dea;

static uint64_t next(void)
{
    uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static size_t pick(size_t n)
{
    return (size_t)(next() % n);
}

static const char *const starts[] = {"Start every shift with", "Give every ward", "Make it easy to book",
                                     "Offer patients", "Stop asking staff for", "Let carers have",
                                     "Put a named person on", "Share each week", "Fund", "Trial"};
static const char *const things[] = {"a short huddle", "protected time for breaks", "a discharge coordinator",
                                     "free parking at night", "one phone number", "a quiet room", "translated letters",
                                     "a follow-up call", "hot food after 8pm", "clear signs to outpatients"};
static const char *const reasons[] = {"so that nobody waits on a trolley", "to support staff after a hard shift",
                                      "so families know what is happening", "to cut repeat appointments",
                                      "because people miss their slot", "so that patients go home sooner",
                                      "to keep people well at home", "so that nobody is left out"};
static const char *const themes[] = {"Safe care", "Staff wellbeing", "Fair access", "Discharge", "Communication",
                                     "Estates", "Digital", ""};

static int fail(const char *what, const struct purpose_err *err)
{
    fprintf(stderr, "ideas_gen: %s: %s\n", what, err->msg);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: ideas_gen DB [IDEAS] [COMMENTS] [VOTES] [PEOPLE]\n");
        return 2;
    }
    size_t n_ideas = argc > 2 ? strtoul(argv[2], NULL, 10) : 50000, n_comments = argc > 3 ? strtoul(argv[3], NULL, 10) : 5000;
    size_t n_votes = argc > 4 ? strtoul(argv[4], NULL, 10) : 150000, people = argc > 5 ? strtoul(argv[5], NULL, 10) : 2100;
    if (n_ideas == 0 || people == 0 || n_ideas > 1000000 || n_comments > 1000000 || n_votes > 10000000 || people > 100000) {
        fprintf(stderr, "ideas_gen: IDEAS 1 to 1,000,000, COMMENTS and VOTES bounded, PEOPLE 1 to 100,000\n");
        return 2;
    }
    struct purpose_err err = {0};
    struct store *s;
    struct store_org org;
    char key[4096];
    if (secret_init(&err) < 0 || store_key_location(argv[1], NULL, key, sizeof key, &err) < 0)
        return fail("open", &err);
    struct store_keyfile kf = {.path = key};
    if (store_open(argv[1], &kf, &s, &err) < 0)
        return fail("open", &err);
    if (store_org_default(s, &org, &err) < 0)
        return fail("organisation", &err);
    const struct store_actor by = {0, "bench"};
    struct store_scope scope = {STORE_SCOPE_ORG, org.id};
    int64_t now = (int64_t)time(NULL), cid = 0;
    struct store_campaign_input in = {.question = "What one change would make the biggest difference? (Big Conversation)",
                                      .description = "The bench's Big Conversation.", .audience = "all",
                                      .privacy = "We keep only what you write.", .opens_at = now - 42 * 86400,
                                      .closes_at = now + 14 * 86400, .queue_public = false};
    if (store_campaign_add(s, &by, &scope, &in, &cid, &err) < 0)
        return fail("conversation", &err);

    size_t n = n_ideas + n_comments;
    struct store_idea_in *rows = calloc(n, sizeof *rows);
    char (*text)[200] = calloc(n, sizeof *text);
    if (!rows || !text)
        return fail("memory", &(struct purpose_err){.msg = "out of memory"});
    for (size_t i = 0; i < n; i++) {
        bool comment = i >= n_ideas;
        if (comment)
            snprintf(text[i], sizeof text[i], "Yes, and %s %s.", things[pick(10)], reasons[pick(8)]);
        else
            snprintf(text[i], sizeof text[i], "%s %s %s%s (%zu).", starts[pick(10)], things[pick(10)], reasons[pick(8)],
                     pick(50) == 0 ? ", and speed up discharge" : "", i + 1);
        rows[i] = (struct store_idea_in){.body = text[i], .theme = comment ? "" : themes[pick(8)],
                                         .staff = pick(3) == 0, .day = now - (int64_t)pick(42) * 86400,
                                         .parent = comment ? 1 + pick(n_ideas) : 0};
    }
    if (store_ideas_load(s, &by, &scope, cid, rows, n, &err) < 0)
        return fail("ideas", &err);
    free(rows);
    free(text);

    /* The participants, then their votes, skewed so that some ideas have many. */
    char (*secrets)[40] = calloc(people, sizeof *secrets);
    struct store_contribution_list ideas;
    if (!secrets || store_contribution_list(s, &scope, cid, true, 0, &ideas, &err) < 0)
        return fail("ideas back", &err);
    for (size_t p = 0; p < people; p++) {
        snprintf(secrets[p], sizeof secrets[p], "bench-participant-%012zu", p);
        if (store_participant_set(s, &scope, cid, secrets[p], NULL, 0, &err) < 0)
            return fail("participant", &err);
    }
    struct store_vote_in *votes = calloc(n_votes ? n_votes : 1, sizeof *votes);
    if (!votes)
        return fail("memory", &(struct purpose_err){.msg = "out of memory"});
    static const char *const kinds[] = {"agree", "agree", "agree", "disagree", "unsure"};
    for (size_t v = 0; v < n_votes; v++) {
        size_t item = pick(4) ? pick(ideas.n < 2000 ? ideas.n : 2000) : pick(ideas.n);
        votes[v] = (struct store_vote_in){ideas.items[item].id, secrets[pick(people)], kinds[pick(5)]};
    }
    if (store_votes_load(s, &scope, cid, votes, n_votes, &err) < 0)
        return fail("votes", &err);
    free(votes);
    /* A lead's response to one idea in a hundred. */
    static const char *const answers[] = {"in_progress", "not_taken_forward"};
    for (size_t i = 0; i < ideas.n; i += 100) {
        const char *a = answers[pick(2)];
        struct store_response_input r = {a, strcmp(a, "in_progress") == 0 ? "" : "Already in place", 0, 0};
        if (store_response_set(s, &by, &scope, cid, ideas.items[i].id, &r, now, &err) < 0)
            return fail("response", &err);
    }
    store_contribution_list_release(&ideas);
    free(secrets);
    store_org_release(&org);
    store_close(&s);
    /* As after any bulk import: the planner's statistics, and on PostgreSQL the visibility map that
     * lets an index answer a count alone (autovacuum would get there in its own time). */
    struct db *db;
    struct db_conn *c;
    if (db_open(argv[1], &db, &err) < 0 || db_acquire(db, true, &c, &err) < 0)
        return fail("analyse", &err);
    if (db_exec(c, db_engine(db) == DB_POSTGRES ? "VACUUM ANALYZE" : "ANALYZE", &err) < 0)
        return fail("analyse", &err);
    db_release(c);
    db_close(&db);
    printf("%lld\n", (long long)cid);
    return 0;
}
