/* Opening the store for a subcommand: the database from --db and its key file from --key-file
 * (docs/cli.md), written once for every subcommand that reads or writes the database. */
#include <stdio.h>

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
