#ifndef PURPOSE_CLI_H
#define PURPOSE_CLI_H

/* Exit status (cli.md): 0 success, 1 bad input or failed work, 2 bad usage. */
enum cli_exit { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

/* One subcommand: argv[0] is its name. Returns an enum cli_exit. */
struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
    void (*help)(void); /* full help to stdout */
};

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

#endif
