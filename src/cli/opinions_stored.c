/* purpose opinions --conversation ID: a stored conversation's grouped votes (cli.h). In
 * purpose-server only; `purpose` execs it (src/cli/lean/server_exec.c). */
#include "cli/cli.h"
#include "core/banned.h"

int cli_opinions_stored(const char *db_opt, const char *key_opt, int64_t conversation, struct buf *comments,
                        struct buf *votes, struct purpose_err *err)
{
    struct store *s = NULL;
    int rc = cli_store_open(db_opt, key_opt, false, &s, NULL, err);
    struct store_scope scope;
    if (rc == 0)
        rc = store_opinions_scope(s, conversation, &scope, err);
    if (rc == 0)
        rc = store_opinions_polis(s, &scope, conversation, comments, votes, err);
    store_close(&s);
    return rc;
}
