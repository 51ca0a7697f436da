/* main: the taho command; picks the subcommand and handles --help and --version. */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "config.h"

int main(int argc, char **argv) {
    int first = 1;   /* global options before the command: --config FILE */
    for (int t; first < argc && (t = cli_config_take_opt(argv, argc, &first, &cli_config_path)) != 0; first++)
        if (t < 0) return CLI_USAGE;
    argc -= first - 1;
    argv += first - 1;
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
    if (!strcmp(cmd, "inspect")) return cmd_inspect(argc - 1, argv + 1);
    if (!strcmp(cmd, "compile")) return cmd_compile(argc - 1, argv + 1);
    if (cmd[0] == '-') return cli_usage_error("unknown option '%s'", cmd);
    return cli_usage_error("unknown command '%s'", cmd);
}
