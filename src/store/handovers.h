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

/* source names the file in messages and in the audit entry. */
int store_ho_import_begin(struct store *s, const struct store_actor *by, int64_t org_id, const char *source,
                          struct store_ho_import **out, struct purpose_err *err);
int store_ho_import_row(struct store_ho_import *im, const struct ho_row *row, struct purpose_err *err);
/* commit: stores everything with one audit entry (counts; `rejected` bad rows were left out);
 * else rolls back and stores nothing. Frees *im and NULLs it, in every case; fills sum on a
 * successful commit. */
int store_ho_import_end(struct store_ho_import **im, bool commit, uint64_t rejected, struct store_ho_summary *sum,
                        struct purpose_err *err);

/* Reads the stored days from..to (local dates, inclusive; INT32_MIN/INT32_MAX when open) of the
 * scope's sites into agg (ho_agg_take_day). Sites are named as stored in an organisation's scope,
 * "org-slug/name" in a programme's (two partners may both have a site called "ED"). */
int store_ho_load(struct store *s, struct store_scope scope, int32_t from, int32_t to, struct ho_agg *agg,
                  struct purpose_err *err);

#endif
