#ifndef PURPOSE_STORE_INT_H
#define PURPOSE_STORE_INT_H
/* Private to src/store: the store's state and the helpers every feature file uses, so that
 * connections, transactions, audit entries and row reading are each written once. */
#include <jansson.h>

#include "core/secret.h"
#include "db/db.h"
#include "store/store.h"

struct store {
    struct db *db;
    unsigned char key[32];   /* from the key file (keyfile.c) */
    unsigned char ho_key[16]; /* handover row identities: meta.handover_key */
    bool scrub;               /* a key moved out of meta: clear its old bytes after the commit */
};

/* Reads (or, for purpose init, makes) the key file and checks it against the database, in c's
 * transaction; keyfile.c. store_key_scrub runs after the commit. */
int store_key_setup(struct store *s, struct db_conn *c, struct store_keyfile *kf, const char *location,
                    struct purpose_err *err);
void store_key_scrub(struct store *s);

/* A connection for reading: the calling thread's open transaction if it has one, else a reader
 * from the pool. Give it back with store_read_end. */
int store_read(struct store *s, struct db_conn **c, struct purpose_err *err);
void store_read_end(struct store *s, struct db_conn *c);

/* Starts a write (joining the thread's spanning transaction, if any); store_write_end commits it
 * when rc is 0, else rolls it back, and returns rc or -1 if the commit failed. */
int store_write(struct store *s, struct db_conn **c, struct purpose_err *err);
int store_write_end(struct store *s, int rc, struct purpose_err *err);

/* Topics (store/topics.h), bumped in c's transaction, which is the calling thread's: once per key
 * per transaction. store_audit bumps its entity's topic (id 0) unless this transaction bumped a
 * narrower key of that kind already (a vote's conversation); a write that is not audited row by
 * row (votes, contributions, pulse answers, sessions) bumps its own before it commits. A
 * transaction that bumped nothing bumps STORE_TOPIC_ALL as it commits (store_topics_commit, called
 * by store.c). */
int store_topic_bump(struct db_conn *c, enum store_topic t, int64_t id, struct purpose_err *err);
int store_topic_audit(struct db_conn *c, const char *entity, struct purpose_err *err);
void store_topics_begin(void);
int store_topics_commit(struct db_conn *c, struct purpose_err *err);

/* Appends an audit entry in c's transaction; takes ownership of before and after (either may be
 * NULL; a NULL that was wanted, from a failed json_pack, is an error). */
int store_audit(struct db_conn *c, const struct store_actor *by, const char *action, const char *entity,
                int64_t id, json_t *before, json_t *after, bool want_before, bool want_after,
                struct purpose_err *err);

/* Counts one anonymous arrival (kind "idea", "comment", "withdrawal") in its conversation on the
 * day of now, in c's transaction: the audit log's record of what nobody named did, with no time
 * finer than the day and no row of its own (table arrivals; docs/privacy.md). */
int store_arrival(struct db_conn *c, int64_t campaign_id, const char *kind, int64_t now, struct purpose_err *err);

/* A scoped object's owner, enforced in SQL (issue 18). A conversation belongs to an organisation or
 * to a programme, never both (campaigns' CHECK), so COALESCE(org_id, -programme_id) names its scope
 * in one number: STORE_SCOPE_KEY (one bound parameter, as the drivers allow 16 a query).
 * STORE_CAMPAIGN_OF is the conversation's id when it is the scope's, else NULL, which matches
 * nothing: write "c.campaign_id = " STORE_CAMPAIGN_OF and bind "ii" with id, STORE_SCOPE_KEY(scope).
 * So a call with another organisation's or programme's scope finds nothing, whatever its caller
 * checked. */
#define STORE_SCOPE_ORG_ID(sc) ((sc)->kind == STORE_SCOPE_ORG ? (sc)->id : (int64_t)0)
#define STORE_SCOPE_PROGRAMME_ID(sc) ((sc)->kind == STORE_SCOPE_PROGRAMME ? (sc)->id : (int64_t)0)
#define STORE_SCOPE_KEY(sc) ((sc)->kind == STORE_SCOPE_ORG ? (sc)->id : -(sc)->id)
#define STORE_SCOPE_OF(t) "COALESCE(" t ".org_id, -" t ".programme_id)"
#define STORE_CAMPAIGN_OF "(SELECT sk.id FROM campaigns sk WHERE sk.id = ? AND " STORE_SCOPE_OF("sk") " = ?)"
/* In c's transaction: 0 when conversation id is scope's, else NOT_FOUND ("campaign"). */
int store_campaign_in(struct db_conn *c, const struct store_scope *scope, int64_t id, struct purpose_err *err);

/* Reads a handover site's row (id, org_id, name, its organisation's slug, code) into a struct
 * store_ho_site (handovers_read.c); for store_read_all. */
int store_ho_row_site(struct db_stmt *st, void *item, struct purpose_err *err);

/* A random id in [1, STORE_ID_MAX], for rows whose ids must keep no order of arrival. */
int64_t store_random_id(void);

int store_oom(struct purpose_err *err);
/* "<what>: not found", kind NOT_FOUND. */
int store_not_found(struct purpose_err *err, const char *what);

/* Reads one row into a zeroed item; on failure leaves the item released. */
typedef int (*store_row_reader)(struct db_stmt *st, void *item, struct purpose_err *err);
/* Reads every row of st (prepared with result rc) into a growing array of size-byte items. Returns
 * rc or -1; on failure the caller releases the list. */
int store_read_all(struct db_stmt *st, int rc, void **items, size_t *n, size_t size, store_row_reader rd,
                   struct purpose_err *err);
/* Reads the first row of st into item; none is NOT_FOUND naming `what`. */
int store_read_one(struct db_stmt *st, int rc, void *item, store_row_reader rd, const char *what,
                   struct purpose_err *err);

/* A read written once: sql, bound as db_query binds (types i n d t), run on a reading connection,
 * every row into a growing array (store_list; on failure the caller releases the list) or the
 * first row into item (store_get; none is NOT_FOUND naming `what`). */
int store_list(struct store *s, void **items, size_t *n, size_t size, store_row_reader rd, struct purpose_err *err,
               const char *sql, const char *types, ...);
int store_vlist(struct store *s, void **items, size_t *n, size_t size, store_row_reader rd, struct purpose_err *err,
                const char *sql, const char *types, va_list ap);
/* The integer in the first column of sql's first row (0 for no row), read the same way. */
int store_count(struct store *s, int64_t *out, struct purpose_err *err, const char *sql, const char *types, ...);
int store_get(struct store *s, void *item, store_row_reader rd, const char *what, struct purpose_err *err,
              const char *sql, const char *types, ...);

/* Schema migrations for the connection's engine (schema.c); run inside a write transaction. */
/* The voter of a vote as the votes table keeps it: BLAKE2b(store key, "vote:" item ":" secret), in
 * hex (contributions.c). store_vote, store_vote_get and store_votes_load all make it here, so a
 * vote loaded in bulk is the same person's vote as one cast through the API. */
void store_voter_hash(const struct store *s, int64_t item, const char *secret, char out[SECRET_HEX_LEN + 1]);
/* The voter of a vote cast by account (when not 0) or else by secret: the one rule store_vote_by and
 * store_vote_get_by follow, and the page of ideas reading a visitor's votes (ideas.c). */
void store_voter_of(const struct store *s, int64_t item, const char *secret, int64_t account,
                    char out[SECRET_HEX_LEN + 1]);

int store_migrate(struct db_conn *c, struct purpose_err *err);

/* A measure of scope sc, in SQL over measures m: an organisation's at any level (its org_id is set for
 * a project's, an ambition's and the organisation's own) or a programme's own (programme_id, org_id
 * NULL). Bind STORE_MEASURE_SCOPE(sc) ("ii"): the id of the other kind is 0, which no row has, so
 * another organisation's or programme's measure matches nothing; each side is an index's. */
#define STORE_MEASURE_IN_SCOPE "(m.org_id = ? OR m.programme_id = ?)"
#define STORE_MEASURE_SCOPE(sc) STORE_SCOPE_ORG_ID(sc), STORE_SCOPE_PROGRAMME_ID(sc)
/* Measure id of scope sc, read in c's transaction (measures.c); not found for another scope's. */
int store_measure_get_in(struct db_conn *c, const struct store_scope *sc, int64_t id, struct store_measure *out,
                         struct purpose_err *err);
/* A measure's rebases by day, in c's transaction (measures.c). */
int store_rebases_in(struct db_conn *c, int64_t measure_id, struct store_rebase_list *out, struct purpose_err *err);
/* A measure's fields as every write takes them (measures.c): input errors naming the field. */
int store_measure_check(const struct store_measure_input *in, struct purpose_err *err);
/* A new measure and a change of one (checked by store_measure_check first), with their audit rows, in
 * c's transaction (measures.c): as store_measure_add_to and store_measure_update. */
int store_measure_insert_in(struct db_conn *c, const struct store_actor *by, const struct store_scope *sc,
                            const struct store_measure_owner *to, const struct store_measure_input *in, int64_t *id,
                            struct purpose_err *err);
int store_measure_update_in(struct db_conn *c, const struct store_actor *by, const struct store_scope *sc, int64_t id,
                            const struct store_measure_input *in, struct purpose_err *err);
/* Measure id whatever its organisation (a caller that has checked it), in c's transaction. */
int store_measure_get_in_any(struct db_conn *c, int64_t id, struct store_measure *out, struct purpose_err *err);
/* The one "can this series be charted" rule (points.c): the measure's points and rebases as c's
 * transaction holds them, each point fitting the measure's chart type (an input error naming the
 * point's date and field otherwise), computed by the SPC engine as its chart is; an input error on
 * "value" when the engine refuses them or a centre line or limit is not finite. Every write that
 * adds points or changes a measure's type runs it before it commits. */
int store_series_check(struct db_conn *c, int64_t measure_id, struct purpose_err *err);
/* A measure's stored points by day, in c's transaction (points.c); release with store_point_list_release. */
int store_points_in(struct db_conn *c, int64_t measure_id, struct store_point_list *out, struct purpose_err *err);
/* The migration that moves legacy rebases onto the point they started at (a test runs it again). */
extern const char store_rebases_to_points_sql[];
/* The migration that turns legacy audit rows of anonymous arrivals into daily counts, run again in
 * c's transaction (a test runs it on rows written as older versions did). */
int store_legacy_arrivals_rerun(struct db_conn *c, struct purpose_err *err);

#endif
