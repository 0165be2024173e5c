/* Erasing the order of arrival the engines keep on their own (docs/privacy.md, "Engine internals"):
 * Purpose writes no order into the rows of anonymous writes, but SQLite's WAL holds pages in the
 * order they were written, and PostgreSQL's heap keeps new rows in order with the id of the
 * transaction that wrote each (xmin). For an operator to run when the service is quiet. */
#include <stdio.h>

#include "store/store_int.h"
#include "core/banned.h"

/* The tables whose rows anonymous writes make, each with its primary key's index. */
static const char *const scrubbed[][3] = {
    {"contributions", "id", "contributions_pkey"},
    {"votes", "voter", "votes_pkey"},
    {"participants", "token", "participants_pkey"},
    {"vote_tally", "contribution_id", "vote_tally_pkey"},
    {"campaign_tally", "grp", "campaign_tally_pkey"},
    {"arrivals", "day", "arrivals_pkey"},
    {"pulse_counts", "n", "pulse_counts_pkey"},
    {"pulse_waves", "answers", "pulse_waves_pkey"},
    {"pulse_tokens", "token", "pulse_tokens_pkey"},
};

int store_scrub(struct store *s, struct purpose_err *err)
{
    struct db_conn *c;
    if (db_engine(s->db) == DB_SQLITE) {
        /* The WAL's frames into the file, the file rewritten: no frame order, no freed page left. */
        if (db_acquire(s->db, true, &c, err) < 0)
            return -1;
        int rc = db_exec(c, "PRAGMA wal_checkpoint(TRUNCATE)", err);
        if (rc == 0)
            rc = db_exec(c, "VACUUM", err);
        if (rc == 0)
            rc = db_exec(c, "PRAGMA wal_checkpoint(TRUNCATE)", err);
        db_release(c);
        return rc;
    }
    /* Every row rewritten by one transaction (one xmin for all), then each table rewritten in its
     * primary key's order, which is random (ids) or a hash (voters, tokens). */
    int rc = store_write(s, &c, err);
    for (size_t i = 0; rc == 0 && i < sizeof scrubbed / sizeof scrubbed[0]; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "UPDATE %s SET %s = %s", scrubbed[i][0], scrubbed[i][1], scrubbed[i][1]);
        rc = db_exec(c, sql, err);
    }
    rc = store_write_end(s, rc, err);
    if (rc < 0 || db_acquire(s->db, true, &c, err) < 0)
        return -1;
    for (size_t i = 0; rc == 0 && i < sizeof scrubbed / sizeof scrubbed[0]; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "CLUSTER %s USING %s", scrubbed[i][0], scrubbed[i][2]);
        rc = db_exec(c, sql, err);
    }
    db_release(c);
    return rc;
}
