/* main: the taho command; picks the subcommand and handles --help and --version. */
#include <stdio.h>
#include <string.h>
#include "cli.h"

void cli_print_help(void) {
    fputs("usage: taho <command> [options]\n"
          "\n"
          "commands:\n"
          "  run [--invoke NAME] FILE.wasm [ARGS...]\n"
          "        instantiate FILE and call _start, or the export NAME with ARGS\n"
          "        (i32/i64: decimal or 0x hex; f32/f64: decimal, inf, nan; v128: 0x + 32 hex)\n"
          "  validate FILE.wasm\n"
          "        decode and validate FILE; prints \"valid\" or the error\n"
          "  wast FILE.wast [--json-dir DIR] [-v]\n"
          "        run a spec test script (converted with wast2json; FILE.json is read as is)\n"
          "\n"
          "options:\n"
          "  -h, --help      show this help\n"
          "  -V, --version   show the version\n"
          "\n"
          "exit status: 0 success, 1 the module or program failed, 2 bad command line\n",
          stdout);
}

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
