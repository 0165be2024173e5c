/* purpose db: the database's own housekeeping (docs/privacy.md, "Engine internals"). */
#include <stdio.h>
#include <string.h>

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

int cmd_db(int argc, char **argv)
{
    const char *db_opt = NULL, *key_opt = NULL;
    if (argc < 2 || strcmp(argv[1], "scrub") != 0) {
        fprintf(stderr, "purpose db: %s%s%s (scrub)\n", argc < 2 ? "a subcommand is needed" : "no subcommand '",
                argc < 2 ? "" : argv[1], argc < 2 ? "" : "'");
        return CLI_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db_opt = argv[++i];
        else if (strcmp(argv[i], "--key-file") == 0 && i + 1 < argc)
            key_opt = argv[++i];
        else {
            fprintf(stderr, "purpose db scrub: unknown option '%s'\n", argv[i]);
            return CLI_USAGE;
        }
    }
    struct purpose_err err = {0};
    struct store *s = NULL;
    int rc = cli_store_open(db_opt, key_opt, false, &s, NULL, &err);
    if (rc == 0)
        rc = store_scrub(s, &err);
    store_close(&s);
    if (rc < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return CLI_FAILED;
    }
    printf("purpose: the engine's order of arrival is erased\n");
    return CLI_OK;
}
