/* main: the taho command; picks the subcommand and handles --help and --version. */
#include <stdio.h>
#include <string.h>
#include "cli.h"

int main(int argc, char **argv) {
    if (argc < 2) return cli_usage_error("no command given");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        cli_print_help();
        return CLI_OK;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        puts("taho " TAHO_VERSION);
        return CLI_OK;
    }
    if (!strcmp(cmd, "run")) return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "validate")) return cmd_validate(argc - 1, argv + 1);
    if (!strcmp(cmd, "wast")) return cmd_wast(argc - 1, argv + 1);
    if (cmd[0] == '-') return cli_usage_error("unknown option '%s'", cmd);
    return cli_usage_error("unknown command '%s'", cmd);
}
