/* Opening the store for a subcommand: the database from --db and its key file from --key-file
 * (docs/cli.md), written once for every subcommand that reads or writes the database. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/secret.h"
#include "store/store.h"
#include "core/banned.h"

int cli_store_open(const char *db_opt, const char *key_opt, bool create, struct store **s,
                   struct cli_key *key, struct purpose_err *err)
{
    struct cli_key local;
    if (!key)
        key = &local;
    const char *db = store_default_location(db_opt);
    if (secret_init(err) < 0 || store_key_location(db, key_opt, key->path, sizeof key->path, err) < 0)
        return -1;
    struct store_keyfile kf = {.path = key->path, .create = create};
    int rc = store_open(db, &kf, s, err);
    key->event = kf.event;
    return rc;
}

int cli_store_run(int argc, char **argv, const char *sub, struct cli_key *key,
                  int (*work)(struct store *s, const struct cli_key *key, struct purpose_err *err))
{
    const char *db_opt = NULL, *key_opt = NULL;
    if (argc < 2 || strcmp(argv[1], sub) != 0) {
        fprintf(stderr, "purpose %s: %s%s%s (%s)\n", argv[0],
                argc < 2 ? "a subcommand is needed" : "no subcommand '", argc < 2 ? "" : argv[1],
                argc < 2 ? "" : "'", sub);
        return CLI_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db_opt = argv[++i];
        else if (strcmp(argv[i], "--key-file") == 0 && i + 1 < argc)
            key_opt = argv[++i];
        else {
            fprintf(stderr, "purpose %s %s: unknown option '%s'\n", argv[0], sub, argv[i]);
            return CLI_USAGE;
        }
    }
    struct purpose_err err = {0};
    struct store *s = NULL;
    struct cli_key local;
    if (!key)
        key = &local;
    int rc = cli_store_open(db_opt, key_opt, false, &s, key, &err);
    if (rc == 0)
        rc = work(s, key, &err);
    store_close(&s);
    if (rc < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return CLI_FAILED;
    }
    return CLI_OK;
}
