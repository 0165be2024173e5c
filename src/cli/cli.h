#ifndef PURPOSE_CLI_H
#define PURPOSE_CLI_H

#include <stdbool.h>

#include "store/store.h"

/* Exit status (cli.md): 0 success, 1 bad input or failed work, 2 bad usage. */
enum cli_exit { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

/* One subcommand: argv[0] is its name. Returns an enum cli_exit. */
struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
    void (*help)(void); /* full help to stdout */
};

/* Opens the store at --db (store_default_location) with its key file: --key-file, else
 * $PURPOSE_KEY_FILE, else beside a SQLite file. create: purpose init may make the key file. key, if
 * not NULL, receives the key file's path and what opening did with it. */
struct cli_key {
    char path[4096];
    enum store_key_event event;
};
int cli_store_open(const char *db_opt, const char *key_opt, bool create, struct store **s,
                   struct cli_key *key, struct purpose_err *err);

int cmd_spc(int argc, char **argv);
void cmd_spc_help(void);
int cmd_init(int argc, char **argv);
void cmd_init_help(void);
int cmd_user(int argc, char **argv);
void cmd_user_help(void);
int cmd_report(int argc, char **argv);
void cmd_report_help(void);
int cmd_serve(int argc, char **argv);
void cmd_serve_help(void);
int cmd_handovers(int argc, char **argv);
void cmd_handovers_help(void);
int cmd_opinions(int argc, char **argv);
void cmd_opinions_help(void);

#endif
