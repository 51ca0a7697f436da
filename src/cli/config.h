/* config: taho.toml, the settings file of the taho command (README "Configuration").
   Read from the current directory, or from --config FILE; command-line flags override
   it. Every key is checked: an unknown key, a wrong type or value, or a setting this
   build cannot honour is an error naming the file, line and key. */
#ifndef CLI_CONFIG_H
#define CLI_CONFIG_H

#include "cli.h"
#include "run_wasi.h"

#define CLI_CONFIG_FILE "taho.toml"

typedef struct cli_config {
    char *path;                    /* the file read, or NULL when there was none */
    taho_engine_kind engine;       /* [runtime] engine, default interp */
    taho_opt_level opt_level;      /* [runtime.jit] opt_level, default speed */
    bool parallel_compilation;     /* [runtime.jit] parallel_compilation, default true */
    bool cache;                    /* [runtime.jit] cache, default true */
    char *cache_dir;               /* [runtime.jit] cache_dir (absolute), default NULL:
                                      $XDG_CACHE_HOME/taho or ~/.cache/taho */
    int engine_line, engine_col;   /* where the file set it (line 0: it did not), for
                                      errors found once flags are merged in */
    bool pool;                     /* [runtime.pool] present: pooling allocator */
    uint32_t pool_instances, pool_memory_pages, pool_table_elements;
    /* [wasi]: host paths already made absolute (relative ones are relative to the file) */
    char **dirs, **dirs_ro;        /* "HOST::GUEST", as --dir and --dir-ro take them */
    size_t ndirs, ndirs_ro;
    char **env;                    /* "NAME=VALUE", as --env takes them */
    size_t nenv;
    bool inherit_env;              /* [wasi] inherit_env, default false */
    /* [limits], checked but refused until `taho run` enforces them (see load_limits) */
    bool has_fuel, has_max_memory, has_timeout, has_max_stack;
    uint64_t fuel, max_memory, timeout_us, max_stack;
} cli_config;

/* The path given by the global option `taho --config FILE <command>`, or NULL. */
extern const char *cli_config_path;
/* False until `taho run` applies [limits] (run_limits_merge): until then a [limits]
   key is checked and then refused, so no limit is silently ignored. */
extern bool cli_config_limits_honoured;

/* If argv[*i] is --config FILE or --config=FILE, store FILE in *path and return 1 (and
   step *i past the value); 0 if it is not; -1 after a usage error. */
int cli_config_take_opt(char **argv, int argc, int *i, const char **path);

/* Load path, or ./taho.toml when path is NULL (no such file: the defaults). Returns CLI_OK,
   or prints "taho: FILE:LINE:COL: KEY: reason" and returns CLI_USAGE; *out is then
   empty and needs no free. */
int cli_config_load(const char *path, cli_config *out);
/* Defaults only, for callers that skip the file. */
void cli_config_defaults(cli_config *out);
void cli_config_free(cli_config *c);

/* Put the file's [wasi] grants before the command line's in o, so that flags win (a later
   --env of the same name replaces; directories add up). Returns CLI_OK or CLI_FAIL (out
   of memory, printed). */
int cli_config_wasi_grants(const cli_config *c, run_wasi_opts *o);
/* For `taho run`: load the file (flag_path, else the global --config, else ./taho.toml)
   into *c, then merge it under the command line's settings: *engine and *opt are only
   set when they hold -1 (no flag given), and the [wasi] grants go first. Returns CLI_OK
   or the exit code after printing the error. */
int cli_config_run(const char *flag_path, cli_config *c, run_wasi_opts *w, taho_engine_kind *engine,
                   taho_opt_level *opt);
/* Apply the file's engine-wide settings other than engine and opt level (which `taho
   run` merges with its flags) to tc: the pooling allocator, parallel compilation and
   the compile cache (unless no_cache: --no-cache). */
void cli_config_apply(const cli_config *c, taho_config *tc, bool no_cache);
/* The default compile cache directory ($XDG_CACHE_HOME/taho, ~/.cache/taho); false
   when neither variable is set. */
bool cli_default_cache_dir(char *buf, size_t size);

#endif
