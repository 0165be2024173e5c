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

/* Runs `purpose NAME SUB [--db PATH|URL] [--key-file PATH]` (argv[0] is NAME): checks the
 * subcommand and the options (saying what is wrong on stderr: CLI_USAGE), opens the store as
 * cli_store_open does, runs work on it and closes it. A failure to open or in work is said on
 * stderr: CLI_FAILED. key, if not NULL, receives the key file as in cli_store_open. */
int cli_store_run(int argc, char **argv, const char *sub, struct cli_key *key,
                  int (*work)(struct store *s, const struct cli_key *key, struct purpose_err *err));

/* Two programs, one command table (main.c). `purpose` links only what charts and reports need
 * (core, spc, ingest, handover, chart; cairo is opened for PNG and PDF only): it starts in about a
 * millisecond. `purpose-server`, installed beside it, links everything (the store, its database
 * drivers, the web server). In `purpose`, the commands that need the store (serve, init, user,
 * handovers import and the stored handovers report) are src/cli/lean/server_exec.c's, which
 * replace the process with purpose-server and the same arguments (same pid, same exit status).
 * A command added to the table that needs the store gets a line there. */
extern char **cli_argv; /* main's argv, for that exec */

/* Replaces this process with purpose-server (beside this program) run with cli_argv. Returns
 * only on failure, having said why on stderr: CLI_FAILED. */
int cli_server_exec(void);

int cmd_spc(int argc, char **argv);
void cmd_spc_help(void);
int cmd_init(int argc, char **argv);
void cmd_init_help(void);
int cmd_user(int argc, char **argv);
void cmd_user_help(void);
int cmd_report(int argc, char **argv);
void cmd_report_help(void);
int cmd_serve(int argc, char **argv);
void cmd_key_help(void);
void cmd_db_help(void);
int cmd_db(int argc, char **argv);
int cmd_key(int argc, char **argv);
void cmd_serve_help(void);
int cmd_handovers(int argc, char **argv);
void cmd_handovers_help(void);
int cmd_import(int argc, char **argv);
void cmd_import_help(void);
int cmd_funnel(int argc, char **argv);
void cmd_funnel_help(void);
int cmd_opinions(int argc, char **argv);
void cmd_opinions_help(void);
int cmd_generate(int argc, char **argv);
void cmd_generate_help(void);
/* purpose opinions --conversation: the conversation's grouped votes as pol.is's comments.csv and
 * votes.csv (store_opinions_polis), from the store at db_opt with its key file (cli_store_open).
 * In `purpose` it is server_exec.c's and replaces the process with purpose-server. */
int cli_opinions_stored(const char *db_opt, const char *key_opt, int64_t conversation, struct buf *comments,
                        struct buf *votes, struct purpose_err *err);

#endif
