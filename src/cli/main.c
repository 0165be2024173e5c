#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/banned.h"

static int cmd_help(int argc, char **argv);
static void cmd_help_help(void);

char **cli_argv;

/* The command table: adding a subcommand is one line here and one cmd_<name>.c (and, if it needs
 * the store, a line in src/cli/lean/server_exec.c: see cli.h). */
static const struct cli_command commands[] = {
    {"spc", "statistical process control charts (Making Data Count)", cmd_spc, cmd_spc_help},
    {"report", "a board report (PDF) of many measures, with readings", cmd_report, cmd_report_help},
    {"init", "create the database (--demo: with a demo organisation)", cmd_init, cmd_init_help},
    {"user", "add a user, change a password, disable a user", cmd_user, cmd_user_help},
    {"serve", "run the web app and JSON API", cmd_serve, cmd_serve_help},
    {"key", "rotate the database's key file (docs/privacy.md)", cmd_key, cmd_key_help},
    {"db", "erase the order of arrival the database engine keeps", cmd_db, cmd_db_help},
    {"handovers", "ambulance handovers: synthetic data, the report", cmd_handovers, cmd_handovers_help},
    {"import", "open data into measures: a long CSV, or NHS England's A&E file", cmd_import, cmd_import_help},
    {"funnel", "a funnel plot's limits for one proportion across units", cmd_funnel, cmd_funnel_help},
    {"opinions", "opinion groups of a pol.is export, as pol.is finds them", cmd_opinions, cmd_opinions_help},
    {"generate", "a synthetic national installation, for benchmarks at scale", cmd_generate, cmd_generate_help},
    {"help", "describe a command", cmd_help, cmd_help_help},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const struct cli_command *find(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: purpose COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'purpose help COMMAND' describes one.\n");
}

static void cmd_help_help(void)
{
    printf("usage: purpose help [COMMAND]\n\nDescribes COMMAND, or lists the commands.\n");
}

static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        usage(stdout);
        return CLI_OK;
    }
    const struct cli_command *c = find(argv[1]);
    if (!c) {
        fprintf(stderr, "purpose: no command '%s'\n", argv[1]);
        return CLI_USAGE;
    }
    c->help();
    return CLI_OK;
}

int main(int argc, char **argv)
{
    cli_argv = argv;
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    const struct cli_command *c = find(argv[1]);
    if (!c) {
        fprintf(stderr, "purpose: no command '%s'\n", argv[1]);
        usage(stderr);
        return CLI_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            c->help();
            return CLI_OK;
        }
    }
    return c->run(argc - 1, argv + 1);
}
