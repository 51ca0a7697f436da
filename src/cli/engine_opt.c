/* engine_opt: the --engine and --optimize options shared by `taho run` and `taho wast`. */
#include <string.h>
#include "cli.h"

int cli_engine_option(const char *opt, const char *val, taho_engine_kind *engine,
                      taho_opt_level *level) {
    if (!strcmp(opt, "--engine")) {
        if (!strcmp(val, "interp")) *engine = TAHO_ENGINE_INTERP;
        else if (!strcmp(val, "jit")) *engine = TAHO_ENGINE_JIT;
        else return cli_usage_error("--engine takes interp or jit, not '%s'", val);
        return CLI_OK;
    }
    if (!strcmp(val, "speed")) *level = TAHO_OPT_SPEED;
    else if (!strcmp(val, "size")) *level = TAHO_OPT_SIZE;
    else if (!strcmp(val, "none")) *level = TAHO_OPT_NONE;
    else return cli_usage_error("--optimize takes speed, size or none, not '%s'", val);
    return CLI_OK;
}
