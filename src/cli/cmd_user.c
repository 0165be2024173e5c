#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cli/cli.h"
#include "core/secret.h"
#include "store/store.h"
#include "core/banned.h"

static const struct store_actor cli_actor = {0, "cli"};

void cmd_user_help(void)
{
    printf("usage: purpose user add USERNAME --role ROLE [--name NAME] [--password-stdin] [--db PATH]\n"
           "       purpose user passwd USERNAME [--password-stdin] [--db PATH]\n"
           "       purpose user disable USERNAME [--db PATH]\n"
           "       purpose user list [--db PATH]\n\n"
           "Manages the people who can sign in. ROLE is contributor, member, lead or admin.\n"
           "Each takes --key-file PATH, the database's key file, as purpose serve does.\n"
           "Without --password-stdin a password is generated and printed once; with it, the\n"
           "first line of standard input is the password (at least %d characters).\n",
           SECRET_PASSWORD_MIN);
}

static int read_password(int from_stdin, char *pw, size_t n, int *generated,
                         struct purpose_err *err)
{
    *generated = !from_stdin;
    if (!from_stdin) {
        secret_random_password(pw, 16);
        return 0;
    }
    if (!fgets(pw, (int)n, stdin))
        return purpose_errf(err, "password: nothing on standard input");
    size_t len = strlen(pw);
    if (len && pw[len - 1] == '\n')
        pw[--len] = '\0';
    else if (len == n - 1)
        return purpose_errf(err, "password: must be at most %d characters", SECRET_PASSWORD_MAX);
    if (len && pw[len - 1] == '\r')
        pw[--len] = '\0';
    return secret_check_password(pw, err);
}

/* purpose user list: one line a user. */
static int list_users(struct store *s, struct purpose_err *err)
{
    struct store_user_list l;
    if (store_user_list(s, &l, err) < 0)
        return -1;
    for (size_t i = 0; i < l.n; i++)
        printf("%-24s %-12s %s%s\n", l.items[i].username, store_role_name(l.items[i].role), l.items[i].display_name,
               l.items[i].disabled ? " (disabled)" : "");
    store_user_list_release(&l);
    return 0;
}

/* purpose user add, its password read into pw (as read_password). */
static int add_user(struct store *s, const char *username, const char *name, enum store_role role, int pw_stdin,
                    char *pw, size_t pw_size, int *generated, struct purpose_err *err)
{
    char hash[SECRET_HASH_MAX];
    if (store_check_username(username, err) < 0 || read_password(pw_stdin, pw, pw_size, generated, err) < 0 ||
        secret_hash_password(pw, hash, err) < 0)
        return -1;
    return store_user_add(s, &cli_actor, 0, username, name, role, hash, NULL, err);
}

/* purpose user passwd (a new password into pw, as read_password) or disable; where names the database. */
static int change_user(struct store *s, const char *sub, const char *username, const char *where, int pw_stdin,
                       char *pw, size_t pw_size, int *generated, struct purpose_err *err)
{
    char hash[SECRET_HASH_MAX];
    struct store_user u = {0};
    int rc = store_user_find(s, username, &u, err);
    if (rc < 0 && err->kind == PURPOSE_ERR_NOT_FOUND)
        purpose_errk(err, PURPOSE_ERR_NOT_FOUND, "username", "%s: no user \"%s\"", where, username);
    if (rc == 0 && strcmp(sub, "passwd") == 0) {
        rc = read_password(pw_stdin, pw, pw_size, generated, err);
        if (rc == 0)
            rc = secret_hash_password(pw, hash, err);
        if (rc == 0)
            rc = store_user_set_password(s, &cli_actor, u.id, hash, err);
    } else if (rc == 0) {
        rc = store_user_update(s, &cli_actor, u.id, u.role, true, err);
    }
    store_user_release(&u);
    return rc;
}

int cmd_user(int argc, char **argv)
{
    if (argc < 2) {
        cmd_user_help();
        return CLI_USAGE;
    }
    const char *sub = argv[1], *username = NULL, *db_opt = NULL, *key_opt = NULL, *name = NULL, *role_s = NULL;
    int pw_stdin = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db_opt = argv[++i];
        else if (strcmp(argv[i], "--key-file") == 0 && i + 1 < argc)
            key_opt = argv[++i];
        else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
            name = argv[++i];
        else if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
            role_s = argv[++i];
        else if (strcmp(argv[i], "--password-stdin") == 0)
            pw_stdin = 1;
        else if (argv[i][0] != '-' && !username)
            username = argv[i];
        else {
            fprintf(stderr, "purpose user: unknown option '%s'\n", argv[i]);
            return CLI_USAGE;
        }
    }
    int is_list = strcmp(sub, "list") == 0;
    if (!is_list && strcmp(sub, "add") != 0 && strcmp(sub, "passwd") != 0 &&
        strcmp(sub, "disable") != 0) {
        fprintf(stderr, "purpose user: no subcommand '%s' (add, passwd, disable, list)\n", sub);
        return CLI_USAGE;
    }
    if (!is_list && !username) {
        fprintf(stderr, "purpose user %s: USERNAME is required\n", sub);
        return CLI_USAGE;
    }
    int role = -1;
    if (strcmp(sub, "add") == 0) {
        if (!role_s) {
            fprintf(stderr, "purpose user add: --role is required (contributor, member, lead, admin)\n");
            return CLI_USAGE;
        }
        role = store_role_parse(role_s);
        if (role < 0) {
            fprintf(stderr, "purpose user add: --role: \"%s\" is not contributor, member, lead or admin\n", role_s);
            return CLI_FAILED;
        }
    }
    struct purpose_err err = {0};
    struct store *s = NULL;
    if (cli_store_open(db_opt, key_opt, false, &s, NULL, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return CLI_FAILED;
    }
    int rc = 0;
    char pw[SECRET_PASSWORD_MAX + 2] = "";
    int generated = 0;
    if (is_list)
        rc = list_users(s, &err);
    else if (strcmp(sub, "add") == 0)
        rc = add_user(s, username, name ? name : username, (enum store_role)role, pw_stdin, pw, sizeof pw,
                      &generated, &err);
    else
        rc = change_user(s, sub, username, store_default_location(db_opt), pw_stdin, pw, sizeof pw, &generated, &err);
    store_close(&s);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err.msg);
        sodium_memzero(pw, sizeof pw);
        return CLI_FAILED;
    }
    if (generated)
        printf("password for %s (shown once): %s\n", username, pw);
    else if (!is_list)
        printf("purpose: user %s %s\n", username,
               strcmp(sub, "add") == 0 ? "added" : strcmp(sub, "passwd") == 0 ? "password changed" : "disabled");
    sodium_memzero(pw, sizeof pw);
    return CLI_OK;
}
