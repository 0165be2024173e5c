/* Topic counters (topics.h): the bump every write makes in its own transaction, and the one
 * read a cache makes when the store's generation moved. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

static const char *const names[STORE_TOPIC_N] = {"all", "orgs", "users", "strategy", "work", "handovers",
                                                  "conversation", "pulses", "sessions"};

const char *store_topic_name(enum store_topic t)
{
    return (unsigned)t < STORE_TOPIC_N ? names[t] : "all";
}

int store_topic_parse(const char *name)
{
    for (int i = 0; i < STORE_TOPIC_N; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

void store_topic_key_name(const struct store_topic_key *k, char *out, size_t n)
{
    if (k->id)
        snprintf(out, n, "%s:%lld", store_topic_name(k->topic), (long long)k->id);
    else
        snprintf(out, n, "%s", store_topic_name(k->topic));
}

/* The calling thread's transaction: the keys it bumped (a few; more are bumped again, harmlessly),
 * which kinds it bumped with an id, and whether it said it changes nothing a page shows. */
#define TX_KEYS 8
static _Thread_local struct {
    struct store_topic_key key[TX_KEYS];
    size_t n;
    unsigned narrow; /* bit per kind bumped with an id */
    bool any;
} tx;

void store_topics_begin(void)
{
    memset(&tx, 0, sizeof tx);
}

int store_topic_bump(struct db_conn *c, enum store_topic t, int64_t id, struct purpose_err *err)
{
    for (size_t i = 0; i < tx.n; i++)
        if (tx.key[i].topic == t && tx.key[i].id == id)
            return 0;
    char name[48];
    struct store_topic_key k = {t, id};
    store_topic_key_name(&k, name, sizeof name);
    if (db_run(c, err,
               "INSERT INTO topic_gens(topic, gen) VALUES(?, 1) "
               "ON CONFLICT(topic) DO UPDATE SET gen = topic_gens.gen + 1",
               "t", name) < 0)
        return -1;
    if (tx.n < TX_KEYS)
        tx.key[tx.n++] = k;
    if (id)
        tx.narrow |= 1u << t;
    tx.any = true;
    return 0;
}

/* The topics of each audited entity (store_audit's entity names); one not listed bumps ALL. */
static const struct {
    const char *entity;
    enum store_topic topic, also;
} entities[] = {
    {"organisation", STORE_TOPIC_ORGS, STORE_TOPIC_ORGS},
    {"programme", STORE_TOPIC_ORGS, STORE_TOPIC_ORGS},
    {"partner", STORE_TOPIC_ORGS, STORE_TOPIC_ORGS},
    {"user", STORE_TOPIC_USERS, STORE_TOPIC_USERS},
    {"role", STORE_TOPIC_USERS, STORE_TOPIC_USERS},
    {"token", STORE_TOPIC_USERS, STORE_TOPIC_USERS},
    {"vision", STORE_TOPIC_STRATEGY, STORE_TOPIC_STRATEGY},
    {"purpose", STORE_TOPIC_STRATEGY, STORE_TOPIC_STRATEGY},
    {"statement", STORE_TOPIC_STRATEGY, STORE_TOPIC_STRATEGY},
    {"value", STORE_TOPIC_STRATEGY, STORE_TOPIC_STRATEGY},
    {"theme", STORE_TOPIC_STRATEGY, STORE_TOPIC_STRATEGY},
    {"ambition", STORE_TOPIC_STRATEGY, STORE_TOPIC_WORK}, /* measures are placed under ambitions */
    {"aim", STORE_TOPIC_STRATEGY, STORE_TOPIC_STRATEGY},
    {"wellled_rating", STORE_TOPIC_STRATEGY, STORE_TOPIC_STRATEGY},
    {"project", STORE_TOPIC_WORK, STORE_TOPIC_WORK},
    {"driver", STORE_TOPIC_WORK, STORE_TOPIC_WORK},
    {"measure", STORE_TOPIC_WORK, STORE_TOPIC_WORK},
    {"annotation", STORE_TOPIC_WORK, STORE_TOPIC_WORK},
    {"rebase", STORE_TOPIC_WORK, STORE_TOPIC_WORK},
    {"pdsa", STORE_TOPIC_WORK, STORE_TOPIC_WORK},
    {"case_study", STORE_TOPIC_WORK, STORE_TOPIC_WORK},
    {"handovers", STORE_TOPIC_HANDOVERS, STORE_TOPIC_WORK}, /* an import refreshes handover measures */
    {"handover site", STORE_TOPIC_HANDOVERS, STORE_TOPIC_HANDOVERS},
    {"campaign", STORE_TOPIC_CONVERSATION, STORE_TOPIC_CONVERSATION},
    {"contribution", STORE_TOPIC_CONVERSATION, STORE_TOPIC_CONVERSATION},
    {"idea", STORE_TOPIC_CONVERSATION, STORE_TOPIC_CONVERSATION},
    {"event", STORE_TOPIC_CONVERSATION, STORE_TOPIC_CONVERSATION},
    {"pulse", STORE_TOPIC_PULSES, STORE_TOPIC_WORK}, /* a followed statement is a measure */
    {"sessions", STORE_TOPIC_SESSIONS, STORE_TOPIC_SESSIONS}, /* signing out everywhere */
};

int store_topic_audit(struct db_conn *c, const char *entity, struct purpose_err *err)
{
    for (size_t i = 0; i < sizeof entities / sizeof entities[0]; i++) {
        if (strcmp(entities[i].entity, entity) != 0)
            continue;
        enum store_topic t = entities[i].topic, also = entities[i].also;
        if (!(tx.narrow & (1u << t)) && store_topic_bump(c, t, 0, err) < 0)
            return -1;
        return also == t ? 0 : store_topic_bump(c, also, 0, err);
    }
    return store_topic_bump(c, STORE_TOPIC_ALL, 0, err);
}

int store_topics_commit(struct db_conn *c, struct purpose_err *err)
{
    if (tx.any)
        return 0;
    /* A transaction that changed nothing (an import that found every row as it was) bumps nothing:
     * the database stays exactly as it was. */
    bool changed = false;
    if (db_changed(c, &changed, err) < 0)
        return -1;
    return changed ? store_topic_bump(c, STORE_TOPIC_ALL, 0, err) : 0;
}

int store_topics_read(struct store *s, const struct store_topic_key *keys, size_t n, int64_t *values,
                      struct purpose_err *err)
{
    if (n > STORE_TOPICS_READ_MAX)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "store: %zu topics in one read", n);
    /* One statement text whatever n (unused places bind ""), so that it is prepared once. */
    char name[STORE_TOPICS_READ_MAX][48];
    for (size_t i = 0; i < STORE_TOPICS_READ_MAX; i++) {
        name[i][0] = '\0';
        if (i < n) {
            store_topic_key_name(&keys[i], name[i], sizeof name[i]);
            values[i] = 0;
        }
    }
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, "SELECT topic, gen FROM topic_gens WHERE topic IN (?,?,?,?,?,?,?,?,?,?,?,?)",
                      "tttttttttttt", name[0], name[1], name[2], name[3], name[4], name[5], name[6], name[7],
                      name[8], name[9], name[10], name[11]);
    while (rc >= 0 && (rc = db_step(st, err)) == 1) {
        const char *t = db_col_text(st, 0);
        for (size_t i = 0; t && i < n; i++)
            if (strcmp(name[i], t) == 0)
                values[i] = db_col_i64(st, 1);
    }
    if (rc >= 0 && st)
        db_reset(st);
    store_read_end(s, c);
    return rc < 0 ? -1 : 0;
}
