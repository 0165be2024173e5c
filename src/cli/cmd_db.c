/* purpose db: the database's own housekeeping (docs/privacy.md, "Engine internals"). */
#include <stdio.h>

#include "cli/cli.h"
#include "core/banned.h"

void cmd_db_help(void)
{
    printf("usage: purpose db scrub [--db PATH|URL] [--key-file PATH]\n\n"
           "Erases the order in which anonymous contributions, votes and groups arrived that the\n"
           "database engine keeps on its own: on SQLite, the WAL is checkpointed and the file\n"
           "rewritten (VACUUM); on PostgreSQL, the rows are rewritten in one transaction (one xmin)\n"
           "and each table in its primary key's order (CLUSTER, which locks it meanwhile). Run it\n"
           "when the service is quiet, e.g. nightly (docs/privacy.md).\n");
}

static int scrub(struct store *s, const struct cli_key *key, struct purpose_err *err)
{
    (void)key;
    return store_scrub(s, err);
}

int cmd_db(int argc, char **argv)
{
    int rc = cli_store_run(argc, argv, "scrub", NULL, scrub);
    if (rc == CLI_OK)
        printf("purpose: the engine's order of arrival is erased\n");
    return rc;
}
