/* run_wasi: the WASI grants of `taho run` (--dir, --dir-ro, --env, --inherit-env,
   --listen) and its help text. */
#ifndef RUN_WASI_H
#define RUN_WASI_H

#include "cli.h"

typedef struct run_grant {
    enum { GRANT_DIR, GRANT_DIR_RO, GRANT_ENV, GRANT_LISTEN } kind;
    const char *value;
} run_grant;

typedef struct run_wasi_opts {
    run_grant *grants;
    int ngrants;
    bool inherit_env;
} run_wasi_opts;

/* If argv[*i] is a WASI flag, take it (and its value) and return 1; 0 if it is not one;
   -1 after printing a usage error. grants must have room for argc entries. */
int run_wasi_take_opt(run_wasi_opts *o, char **argv, int argc, int *i);
/* Build the configuration: argv for the guest, then the grants in order. NULL after
   printing the error. */
taho_wasi_config *run_wasi_config(const run_wasi_opts *o, const char *const *argv, int argc,
                                  int *rc);
/* Does the module import anything from wasi_snapshot_preview1? */
bool run_wasi_wanted(const taho_module *m);
void run_print_help(void);

#endif
