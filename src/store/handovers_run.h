#ifndef PURPOSE_STORE_HANDOVERS_RUN_H
#define PURPOSE_STORE_HANDOVERS_RUN_H
/* One handover import as the CLI (`purpose handovers import`) and the web (/handovers/import) both
 * run it, so that its rule is written once: the rows stream in through run->sink (for ho_stream_new
 * or ho_cli_read); each bad row goes to the caller's on_bad; with skip_bad the good rows are stored
 * and the bad ones left out, else one bad row refuses the whole import (the rest are still read, so
 * that every bad row is reported) and nothing is stored. The caller owns run and keeps it in place
 * from begin to end (the sink points at it). */
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct store_ho_run {
    bool skip_bad;
    int (*on_bad)(void *ctx, const struct ho_bad *bad, struct purpose_err *err);
    void *ctx;
    /* Set by store_ho_run_begin. */
    uint64_t bad;
    struct ho_sink sink;
    struct store_ho_import *im;
};

/* Begins the import of `source` (named in messages and the audit entry) for the scope's organisation; skip_bad, on_bad
 * and ctx are set by the caller before. 0, or -1 with err. */
int store_ho_run_begin(struct store_ho_run *run, struct store *s, const struct store_actor *by,
                       const struct store_scope *scope,
                       const char *source, struct purpose_err *err);
/* Whether an import whose rows were read with result rc (0 or -1) stores nothing for its bad rows. */
bool store_ho_run_refused(const struct store_ho_run *run, int rc);
/* Ends it: commits (one audit entry, the bad rows counted as left out) when rc is 0 and it is not
 * refused, else stores nothing. Returns rc, or -1 with err when the commit fails; fills sum on a
 * commit. Safe after a failed begin. */
int store_ho_run_end(struct store_ho_run *run, int rc, struct store_ho_summary *sum, struct purpose_err *err);

#endif
