/* purpose key: the database's key file (docs/privacy.md). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/banned.h"

void cmd_key_help(void)
{
    printf("usage: purpose key rotate [--db PATH|URL] [--key-file PATH]\n\n"
           "Replaces the database's key with a new one, with every server stopped: the groups kept\n"
           "masked on each contribution are re-masked, everyone is signed out, API tokens are revoked\n"
           "(issue new ones) and contributor sessions end (people can no longer list or withdraw\n"
           "what they wrote before). The new key replaces the file only once the database has\n"
           "changed. docs/privacy.md says when to rotate and what is lost.\n");
}

int cmd_key(int argc, char **argv)
{
    const char *db_opt = NULL, *key_opt = NULL;
    if (argc < 2 || strcmp(argv[1], "rotate") != 0) {
        fprintf(stderr, "purpose key: %s%s%s (rotate)\n", argc < 2 ? "a subcommand is needed" : "no subcommand '",
                argc < 2 ? "" : argv[1], argc < 2 ? "" : "'");
        return CLI_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db_opt = argv[++i];
        else if (strcmp(argv[i], "--key-file") == 0 && i + 1 < argc)
            key_opt = argv[++i];
        else {
            fprintf(stderr, "purpose key rotate: unknown option '%s'\n", argv[i]);
            return CLI_USAGE;
        }
    }
    struct purpose_err err = {0};
    struct store *s = NULL;
    struct cli_key key;
    static const struct store_actor cli_actor = {0, "cli"};
    int rc = cli_store_open(db_opt, key_opt, false, &s, &key, &err);
    if (rc == 0)
        rc = store_key_rotate(s, &cli_actor, key.path, &err);
    store_close(&s);
    if (rc < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return CLI_FAILED;
    }
    printf("purpose: a new key is in %s; everyone signs in again and API tokens must be issued again\n",
           key.path);
    return CLI_OK;
}
