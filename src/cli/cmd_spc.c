#include <stdio.h>

#include "cli/cli.h"

void cmd_spc_help(void) { printf("usage: purpose spc [OPTIONS] FILE\n"); }

int cmd_spc(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "purpose spc: not built yet\n");
    return CLI_FAILED;
}
