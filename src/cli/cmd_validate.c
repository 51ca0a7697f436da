/* cmd_validate: `taho validate FILE.wasm` decodes and validates, printing the verdict. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

int cmd_validate(int argc, char **argv) {
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            cli_print_help();
            return CLI_OK;
        }
        if (argv[i][0] == '-' && argv[i][1]) return cli_usage_error("validate: unknown option '%s'", argv[i]);
        if (path) return cli_usage_error("validate: expects one file, got '%s' too", argv[i]);
        path = argv[i];
    }
    if (!path) return cli_usage_error("validate: missing FILE.wasm");
    size_t len;
    uint8_t *bytes = cli_read_file(path, &len);
    if (!bytes) return cli_usage_error("cannot read '%s': %s", path, strerror(errno));
    taho_engine *engine = taho_engine_new(NULL);
    if (!engine) {
        free(bytes);
        return cli_fail("out of memory");
    }
    taho_error *err = taho_module_validate(engine, bytes, len);
    int rc = CLI_OK;
    if (err) {
        char msg[512];
        cli_describe_error(err, msg, sizeof msg);
        rc = cli_fail("%s: %s%s", path, msg, cli_text_hint(err, bytes, len));
        taho_error_delete(err);
    } else {
        puts("valid");
    }
    taho_engine_delete(engine);
    free(bytes);
    return rc;
}
