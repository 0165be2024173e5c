#ifndef PURPOSE_STORE_TOPICS_H
#define PURPOSE_STORE_TOPICS_H
/* What a cached answer depends on (issue 22): a few topics, each a counter that every write
 * touching it bumps in its own transaction (table topic_gens), so that a cache on any server can
 * tell whether what it kept is still true after a commit that changed something else.
 *
 * A topic is a kind and an id: ("strategy", 0), or ("conversation", 12), one conversation's
 * contributions, votes and tallies. A reader of (kind, id) depends on (kind, id) and on (kind, 0):
 * a write that knows the one it changed bumps (kind, id), one that does not bumps (kind, 0). Every
 * reader depends on STORE_TOPIC_ALL too, which a committed transaction that named no topic bumps
 * (store.c), so that a write nobody classified can only make caches drop more, never serve a
 * stale answer. A bump is a counter, no time and no actor: it tells nothing of who wrote. */
#include <stddef.h>
#include <stdint.h>

#include "purpose/err.h"

struct store;

enum store_topic {
    STORE_TOPIC_ALL = 0,      /* a change no narrower topic names */
    STORE_TOPIC_ORGS,         /* organisations, programmes, partners */
    STORE_TOPIC_USERS,        /* accounts, roles, grants, API tokens */
    STORE_TOPIC_STRATEGY,     /* visions, purposes, values, themes, ambitions, aims, provenance, ratings */
    STORE_TOPIC_WORK,         /* projects, drivers, measures and their points, annotations, PDSA, cases */
    STORE_TOPIC_HANDOVERS,    /* handover rows and sites */
    STORE_TOPIC_CONVERSATION, /* with an id: one conversation's contributions and votes; without: any
                                 conversation's settings, moderation, events */
    STORE_TOPIC_PULSES,       /* purpose pulses and their answers */
    STORE_TOPIC_SESSIONS,     /* sign-ins and sign-outs: no page shows them, who a request is does */
    STORE_TOPIC_N
};

struct store_topic_key {
    enum store_topic topic;
    int64_t id;
};

/* The topic's name ("strategy") and a key's row name in topic_gens ("conversation:12") into out. */
const char *store_topic_name(enum store_topic t);
void store_topic_key_name(const struct store_topic_key *k, char *out, size_t n);
/* The kind named name, or -1. */
int store_topic_parse(const char *name);

/* The counters of n keys (at most STORE_TOPICS_READ_MAX) into values (0 for one never bumped), in
 * one indexed read. 0, or -1 with err. */
#define STORE_TOPICS_READ_MAX 12
int store_topics_read(struct store *s, const struct store_topic_key *keys, size_t n, int64_t *values,
                      struct purpose_err *err);

#endif
