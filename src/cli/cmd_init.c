#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/secret.h"
#include "store/store.h"
#include "core/banned.h"

void cmd_init_help(void)
{
    printf("usage: purpose init [--db PATH|URL] [--key-file PATH] [--org NAME] [--org-slug SLUG]\n"
           "                    [--org-type TYPE] [--demo]\n\n"
           "Creates the database (or brings its schema up to date) and, if it has none, its first\n"
           "organisation, with the six NHS values, and the database's key file.\n"
           "  --db PATH|URL   the database: a SQLite file or a postgresql:// URL (default:\n"
           "                  $PURPOSE_DB, else data/purpose.db)\n"
           "  --key-file PATH the key that protects anonymity, sign-ins and API tokens, kept out of\n"
           "                  the database (default: $PURPOSE_KEY_FILE, else the database's path with\n"
           "                  .key added; required for a postgresql:// URL). Made with mode 0600 if\n"
           "                  the database has no key yet; a database made before key files has its\n"
           "                  key moved out to it. Every other command needs the same file.\n"
           "  --org NAME      the first organisation's name (default \"Our organisation\")\n"
           "  --org-slug SLUG its name in URLs (default: made from the name)\n"
           "  --org-type TYPE nhs_trust (default), ambulance_service, integrated_care_board,\n"
           "                  local_authority, primary_care, healthwatch or voluntary_sector\n"
           "  --demo     instead, create the demo: a trust, four partner organisations, two\n"
           "             partnership programmes and a user per role; their\n"
           "             passwords are printed once and written to demo-credentials.txt\n"
           "             (mode 0600) beside the database, or in the current folder for a\n"
           "             postgresql:// URL. Refused if the database has users.\n");
}

/* Writes the credentials file beside the database (in the current folder for a PostgreSQL URL),
 * readable by its owner only. */
static int write_credentials(const char *db, const char *creds, char *path, size_t n,
                             struct purpose_err *err)
{
    const char *slash = strstr(db, "://") ? NULL : strrchr(db, '/');
    int w = slash ? snprintf(path, n, "%.*s/demo-credentials.txt", (int)(slash - db), db)
                  : snprintf(path, n, "demo-credentials.txt");
    if (w < 0 || (size_t)w >= n)
        return purpose_errf(err, "%s: path too long", db);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return purpose_errf(err, "%s: cannot write: %s", path, strerror(errno));
    size_t len = strlen(creds);
    const char *head = "# Purpose demo sign-ins: role, username, password\n";
    int ok = fchmod(fd, 0600) == 0 && write(fd, head, strlen(head)) == (ssize_t)strlen(head) &&
             write(fd, creds, len) == (ssize_t)len;
    if (close(fd) != 0)
        ok = 0;
    if (!ok)
        return purpose_errf(err, "%s: cannot write: %s", path, strerror(errno));
    return 0;
}

/* Creates the first organisation unless there is one. */
static int first_org(struct store *s, const char *name, const char *slug, const char *type, struct purpose_err *err)
{
    struct store_org o;
    if (store_org_default(s, &o, err) == 0) {
        store_org_release(&o);
        return 0;
    }
    if (err->kind != PURPOSE_ERR_NOT_FOUND)
        return -1;
    char made[64];
    if (!slug) {
        store_slug_from(name, made, sizeof made);
        slug = made;
    }
    static const struct store_actor init_actor = {0, "purpose init"};
    int rc = store_org_add(s, &init_actor, slug, name, type, "", NULL, err);
    if (rc < 0 && err->field[0])
        purpose_errf(err, "purpose init: --org%s%s", strcmp(err->field, "name") == 0 ? "" : "-",
                     strcmp(err->field, "name") == 0 ? err->msg + 4 : err->msg);
    return rc;
}

static void remove_db(const char *db)
{
    char p[4096];
    unlink(db);
    if (snprintf(p, sizeof p, "%s-wal", db) < (int)sizeof p)
        unlink(p);
    if (snprintf(p, sizeof p, "%s-shm", db) < (int)sizeof p)
        unlink(p);
}

int cmd_init(int argc, char **argv)
{
    const char *db_opt = NULL, *key_opt = NULL, *org_name = "Our organisation", *org_slug = NULL, *org_type = "nhs_trust";
    int demo = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db_opt = argv[++i];
        else if (strcmp(argv[i], "--key-file") == 0 && i + 1 < argc)
            key_opt = argv[++i];
        else if (strcmp(argv[i], "--org") == 0 && i + 1 < argc)
            org_name = argv[++i];
        else if (strcmp(argv[i], "--org-slug") == 0 && i + 1 < argc)
            org_slug = argv[++i];
        else if (strcmp(argv[i], "--org-type") == 0 && i + 1 < argc)
            org_type = argv[++i];
        else if (strcmp(argv[i], "--demo") == 0)
            demo = 1;
        else {
            fprintf(stderr, "purpose init: unknown option '%s'\n", argv[i]);
            return CLI_USAGE;
        }
    }
    const char *db = store_default_location(db_opt);
    struct purpose_err err = {0};
    struct stat sb;
    int existed = stat(db, &sb) == 0;
    struct store *s = NULL;
    struct cli_key key;
    if (cli_store_open(db_opt, key_opt, true, &s, &key, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        if (!existed)
            remove_db(db);
        return CLI_FAILED;
    }
    int rc = 0;
    char creds[1024];
    if (demo) {
        struct store_user_list users;
        rc = store_user_list(s, &users, &err);
        if (rc == 0) {
            size_t n = users.n;
            store_user_list_release(&users);
            if (n > 0)
                rc = purpose_errf(&err, "%s: already has users; --demo needs a new database", db);
        }
        if (rc == 0)
            rc = store_demo(s, creds, sizeof creds, &err);
    } else {
        rc = first_org(s, org_name, org_slug, org_type, &err);
    }
    store_close(&s);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err.msg);
        if (!existed)
            remove_db(db); /* a failed init leaves nothing behind */
        if (key.event != STORE_KEY_LOADED && !existed && !strstr(db, "://"))
            unlink(key.path); /* the database it belonged to is gone */
        return CLI_FAILED;
    }
    printf("purpose: database ready at %s\n", db);
    if (key.event == STORE_KEY_CREATED)
        printf("purpose: its key is in %s (mode 0600): every purpose command needs it; keep it out of\n"
               "the database's backups and back it up on its own (docs/privacy.md)\n", key.path);
    else if (key.event == STORE_KEY_MOVED)
        printf("purpose: moved the database's key out of it into %s (mode 0600): every purpose command\n"
               "now needs it. Backups made before now still hold the key: rotate it with purpose key\n"
               "rotate if they may be read (docs/privacy.md)\n", key.path);
    else
        printf("purpose: key file %s\n", key.path);
    if (demo) {
        char path[4096];
        if (write_credentials(db, creds, path, sizeof path, &err) < 0) {
            fprintf(stderr, "%s\n", err.msg);
            return CLI_FAILED;
        }
        printf("demo sign-ins (role, username, password), also in %s:\n%s", path, creds);
    }
    return CLI_OK;
}
