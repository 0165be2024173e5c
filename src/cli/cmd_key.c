/* purpose key: the database's key file (docs/privacy.md). */
#include <stdio.h>

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

static int rotate(struct store *s, const struct cli_key *key, struct purpose_err *err)
{
    static const struct store_actor cli_actor = {0, "cli"};
    return store_key_rotate(s, &cli_actor, key->path, err);
}

int cmd_key(int argc, char **argv)
{
    struct cli_key key;
    int rc = cli_store_run(argc, argv, "rotate", &key, rotate);
    if (rc == CLI_OK)
        printf("purpose: a new key is in %s; everyone signs in again and API tokens must be issued again\n",
               key.path);
    return rc;
}
