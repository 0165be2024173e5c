#ifndef PURPOSE_STORE_HANDOVERS_H
#define PURPOSE_STORE_HANDOVERS_H
/* Ambulance handovers in the store (handovers.c): sites, the identity of every row imported, and
 * per site and local day an aggregate blob (src/handover) kept up to date by each import. Included
 * by store/store.h; the same ownership and error rules apply.
 *
 * A site belongs to one organisation and is made by the first import that names it. A row is
 * stored once: a row with the same site, arrival instant and ref as one stored before (by an
 * earlier import or earlier in the same one) is a duplicate and changes nothing (the first wins).
 * A programme sees the sites of all its partner organisations. */
#include "handover/handover.h"

struct store_ho_site {
    int64_t id;
    int64_t org_id;
    char *name;
    char *org_slug;
    char *code;     /* its site code, "" when it has none */
};
STORE_LIST(store_ho_site_list, struct store_ho_site);
void store_ho_site_list_release(struct store_ho_site_list *l);

/* The sites an organisation (scope ORG) or a programme's partners (scope PROGRAMME) hold, by
 * organisation then name. */
int store_ho_sites(struct store *s, struct store_scope scope, struct store_ho_site_list *out,
                   struct purpose_err *err);

/* ---- import: begin, a row at a time, end ----
 * One transaction from begin to end, on the calling thread (no other store write may run on that
 * thread in between). Rows wait in memory (48 bytes each, at most about a million), then are
 * merged, site-day by site-day, into the stored aggregate and its row identities (a sorted array
 * of 64-bit SipHash keys of (site, arrival, ref) under a key derived from the database's secret);
 * the days go out through the driver's bulk path on PostgreSQL (COPY, then one upsert) and by a
 * prepared upsert on SQLite. Memory stays bounded whatever the number of rows. */
struct store_ho_import;

struct store_ho_summary {
    uint64_t rows;           /* good rows given */
    uint64_t stored;         /* new rows stored */
    uint64_t duplicates;     /* rows seen before: rows - stored */
    uint64_t sites_new;      /* sites made by this import */
    uint64_t sites;          /* distinct sites in the rows given */
    int32_t first_day, last_day; /* local dates of arrival of the rows given (first > last: none) */
};

/* An import into the scope's organisation (a programme's scope: NOT_FOUND, "organisation"); source
 * names the file in messages and in the audit entry. */
int store_ho_import_begin(struct store *s, const struct store_actor *by, const struct store_scope *scope,
                          const char *source,
                          struct store_ho_import **out, struct purpose_err *err);
int store_ho_import_row(struct store_ho_import *im, const struct ho_row *row, struct purpose_err *err);
/* commit: stores everything with one audit entry (counts; `rejected` bad rows were left out);
 * else rolls back and stores nothing. Frees *im and NULLs it, in every case; fills sum on a
 * successful commit. */
int store_ho_import_end(struct store_ho_import **im, bool commit, uint64_t rejected, struct store_ho_summary *sum,
                        struct purpose_err *err);

/* ---- one hospital, two organisations (handovers_sites.c) ----
 * A site may carry a site code (ODS-style: 3 to 10 capital letters and digits; an import's
 * site_code column, or store_ho_site_code_set). In a programme's figures, partner sites sharing a
 * code are one site, named "CODE/name" (the name of the first of them by organisation), and a
 * handover both partners recorded counts once: two records from different organisations match
 * when their arrivals are at most STORE_HO_MATCH_MIN minutes apart and their refs agree (equal,
 * or either empty), src/handover's ho_match; the merged handover is the earlier arrival's record,
 * taking the other's handover and clear times where it has none. Matching needs each row's record,
 * kept for rows imported while their site has a code (handovers.c). */
#define STORE_HO_MATCH_MIN 5

/* Sets (or with "" removes) the code of site_id of the scope's organisation: an input error naming
 * "code" when it is not one, NOT_FOUND when the site is not the scope's. The handover measures of the
 * organisation's programmes are recomputed in the same transaction. */
int store_ho_site_code_set(struct store *s, const struct store_actor *by, const struct store_scope *scope,
                           int64_t site_id,
                           const char *code, struct purpose_err *err);

/* Where two partners' records of one coded site differ over local days from..to (inclusive;
 * INT32_MIN/INT32_MAX when open): a handover one recorded and the other did not (on a day the
 * other has records of that site), both recorded with handover times more than apart_min minutes
 * apart, or handed over in one record only. In order of arrival; sites index out->sites. */
enum store_ho_diff_kind { STORE_HO_DIFF_MISSING, STORE_HO_DIFF_APART, STORE_HO_DIFF_NO_HANDOVER };
const char *store_ho_diff_kind_name(enum store_ho_diff_kind k); /* "missing", "apart", "no_handover" */
struct store_ho_diff {
    enum store_ho_diff_kind kind;
    size_t site, other;                 /* the record's site; the site lacking it, or the other record's */
    int64_t arrival, handover;          /* instants; handover HO_NONE when empty */
    int64_t other_arrival, other_handover; /* HO_NONE for MISSING */
};
struct store_ho_recon {
    struct store_ho_site_list sites;    /* the programme's partner sites that share a code */
    struct store_ho_diff *items;
    size_t n;
    uint64_t matched;                   /* handovers recorded by two or more partners */
};
int store_ho_reconcile(struct store *s, int64_t programme_id, int32_t from, int32_t to, int apart_min,
                       struct store_ho_recon *out, struct purpose_err *err);
void store_ho_recon_release(struct store_ho_recon *r);

/* Private to src/store: store_ho_load's programme scope, on c. */
struct db_conn;
int store_ho_load_programme(struct db_conn *c, int64_t programme_id, int32_t from, int32_t to, struct ho_agg *agg,
                            struct purpose_err *err);

/* Reads the stored days from..to (local dates, inclusive; INT32_MIN/INT32_MAX when open) of the
 * scope's sites into agg (ho_agg_take_day). Sites are named as stored in an organisation's scope,
 * "org-slug/name" in a programme's (two partners may both have a site called "ED"), or
 * "CODE/name" for partner sites sharing a code, each handover counted once (above). */
int store_ho_load(struct store *s, struct store_scope scope, int32_t from, int32_t to, struct ho_agg *agg,
                  struct purpose_err *err);

#endif
