#ifndef PURPOSE_CLI_DEST_H
#define PURPOSE_CLI_DEST_H

#include <stdio.h>

#include "core/buf.h"
#include "purpose/err.h"

/* Where output goes: standard output, or a file written under a temporary name in the same
 * directory and renamed into place by dest_commit, so a failure never leaves a partial file; a
 * device or pipe that exists (/dev/null, a FIFO) is written in place, never replaced. */
struct dest {
    FILE *f;
    char *tmp_path; /* NULL for stdout */
    const char *path;
};

int dest_open(struct dest *d, const char *path, struct purpose_err *err); /* path NULL: stdout */
int dest_write(struct dest *d, const struct buf *b, struct purpose_err *err);
int dest_commit(struct dest *d, struct purpose_err *err);
void dest_abort(struct dest *d); /* closes and removes the temporary file */

/* Writes b to path atomically (for one file per series). */
int dest_write_file(const char *path, const struct buf *b, struct purpose_err *err);

#endif
