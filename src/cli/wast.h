/* wast: running spec test scripts from wast2json's JSON command list. */
#ifndef CLI_WAST_H
#define CLI_WAST_H

#include <stdbool.h>
#include <stddef.h>
#include "taho.h"

typedef struct wast_opts {
    bool verbose;        /* print each failure (and warning) with its line */
    taho_engine_kind engine;  /* --engine interp|jit */
    taho_opt_level opt;       /* --optimize speed|size|none (jit) */
    bool aot;                 /* --engine aot: compiled, serialized, loaded back */
} wast_opts;

/* Counted like the reference interpreter counts "tests": every module, action and
   assertion; `register` is not counted. */
typedef struct wast_counts {
    long passed, failed;
    long skipped_text;      /* assert_malformed etc. on text modules: need a text parser */
    long wording;           /* passed, but our trap message or error kind differs */
} wast_counts;

/* Run the commands of a wast2json JSON file; module files are found beside it. `name`
   prefixes the -v lines ("name:LINE: ..."). Returns false (with err) if the script could
   not be run at all: unreadable, not JSON, not a command list. */
bool wast_run_json(const char *json_path, const char *name, const wast_opts *o, wast_counts *c,
                   char *err, size_t errsz);

/* Define the "spectest" host module (print functions, globals, table, memory) in l. */
bool wast_define_spectest(taho_store *s, taho_linker *l, char *err, size_t errsz);

#endif
