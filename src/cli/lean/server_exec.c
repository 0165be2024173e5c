/* The store's commands in `purpose` (see cli.h): each replaces the process with purpose-server,
 * which runs the same command line. Linked into `purpose` only, in place of the real ones. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/handovers_cli.h"
#include "cli/report_cli.h"
#include "core/banned.h"

#define SERVER_NAME "purpose-server"

int cli_server_exec(void)
{
    /* Beside this program: /proc/self/exe names it wherever it was started from; argv[0] when
     * /proc is not mounted. */
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0 || n >= (ssize_t)sizeof path - 1) {
        const char *a0 = cli_argv && cli_argv[0] ? cli_argv[0] : "";
        n = (ssize_t)strlen(a0);
        if (!strchr(a0, '/') || n >= (ssize_t)sizeof path)
            n = 0;
        memcpy(path, a0, (size_t)n);
    }
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    if (dir + sizeof SERVER_NAME > sizeof path) {
        fprintf(stderr, "purpose: the path of this program is too long to find %s beside it\n", SERVER_NAME);
        return CLI_FAILED;
    }
    if (dir == 0)
        memcpy(path, "./", 3), dir = 2;
    memcpy(path + dir, SERVER_NAME, sizeof SERVER_NAME);
    fflush(NULL);
    execv(path, cli_argv);
    fprintf(stderr, "purpose: '%s' needs %s (the store, the database drivers and the web server), which cannot be run: %s: %s\n",
            cli_argv && cli_argv[1] ? cli_argv[1] : "", SERVER_NAME, path, strerror(errno));
    return CLI_FAILED;
}

#define SERVER_COMMAND(name)                                                                                 \
    int cmd_##name(int argc, char **argv)                                                                    \
    {                                                                                                        \
        (void)argc, (void)argv;                                                                              \
        return cli_server_exec();                                                                            \
    }                                                                                                        \
    void cmd_##name##_help(void)                                                                             \
    {                                                                                                        \
        exit(cli_server_exec()); /* returns only on failure */                                               \
    }

SERVER_COMMAND(init)
SERVER_COMMAND(user)
SERVER_COMMAND(serve)
SERVER_COMMAND(key)
SERVER_COMMAND(db)
SERVER_COMMAND(import)
SERVER_COMMAND(generate)

int cli_opinions_stored(const char *db_opt, const char *key_opt, int64_t conversation, struct buf *comments,
                        struct buf *votes, struct purpose_err *err)
{
    (void)db_opt, (void)key_opt, (void)conversation, (void)comments, (void)votes;
    cli_server_exec();
    return purpose_errf(err, "purpose opinions --conversation needs %s", SERVER_NAME);
}

int ho_cli_import(int argc, char **argv)
{
    (void)argc, (void)argv;
    return cli_server_exec();
}

int ho_cli_load_stored(const char *db, const char *key, const char *org, const char *programme,
                       const struct ho_report_opts *o, struct ho_agg *agg, struct purpose_err *err)
{
    (void)db, (void)key, (void)org, (void)programme, (void)o, (void)agg;
    cli_server_exec();
    return purpose_errf(err, "the stored handovers report needs %s", SERVER_NAME);
}

int report_stored(const char *db, const char *key_file, const char *org, const char *programme, const char *title,
                  struct buf *out, struct purpose_err *err)
{
    (void)db, (void)key_file, (void)org, (void)programme, (void)title, (void)out;
    cli_server_exec();
    return purpose_errf(err, "the board pack from the database needs %s", SERVER_NAME);
}
