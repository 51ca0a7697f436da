/* run_wasi: the WASI flags of `taho run`, named like wasmtime's, turned into a
   taho_wasi_config. Nothing is granted unless a flag asks for it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "run_wasi.h"
#include "run_limits.h"

static const struct { const char *flag; int kind; } flags[] = {
    {"--dir", GRANT_DIR}, {"--dir-ro", GRANT_DIR_RO}, {"--env", GRANT_ENV}, {"--listen", GRANT_LISTEN},
};

int run_wasi_take_opt(run_wasi_opts *o, char **argv, int argc, int *i) {
    const char *a = argv[*i];
    if (!strcmp(a, "--inherit-env")) return o->inherit_env = true, 1;
    for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++) {
        size_t n = strlen(flags[k].flag);
        const char *v = NULL;
        if (!strncmp(a, flags[k].flag, n) && a[n] == '=') v = a + n + 1;
        else if (!strcmp(a, flags[k].flag)) {
            if (*i + 1 >= argc) return cli_usage_error("run: %s needs a value", flags[k].flag), -1;
            v = argv[++*i];
        } else continue;
        o->grants[o->ngrants++] = (run_grant){flags[k].kind, v};
        return 1;
    }
    return 0;
}

/* HOST[::GUEST]: the guest name defaults to the host path, as in wasmtime. */
static taho_error *grant_dir(taho_wasi_config *c, const char *spec, int perms) {
    const char *sep = strstr(spec, "::");
    char host[4096];
    const char *guest = spec;
    if (sep) {
        snprintf(host, sizeof host, "%.*s", (int)(sep - spec), spec);
        guest = sep + 2;
    } else snprintf(host, sizeof host, "%s", spec);
    return taho_wasi_config_preopen_dir(c, host, guest, perms);
}

static taho_error *grant_env(taho_wasi_config *c, const char *spec) {
    const char *eq = strchr(spec, '=');
    if (!eq) {   /* --env NAME passes the host's value of NAME, if it has one */
        const char *v = getenv(spec);
        return v ? taho_wasi_config_set_env(c, spec, v) : NULL;
    }
    char name[1024];
    snprintf(name, sizeof name, "%.*s", (int)(eq - spec), spec);
    return taho_wasi_config_set_env(c, name, eq + 1);
}

static taho_error *apply(taho_wasi_config *c, const run_grant *g) {
    switch (g->kind) {
    case GRANT_DIR: return grant_dir(c, g->value, TAHO_DIR_READ | TAHO_DIR_WRITE);
    case GRANT_DIR_RO: return grant_dir(c, g->value, TAHO_DIR_READ);
    case GRANT_ENV: return grant_env(c, g->value);
    default: return taho_wasi_config_preopen_listen(c, g->value);
    }
}

taho_wasi_config *run_wasi_config(const run_wasi_opts *o, const char *const *argv, int argc,
                                  int *rc) {
    taho_wasi_config *c = taho_wasi_config_new();
    if (!c) return *rc = cli_fail("out of memory"), NULL;
    taho_wasi_config_inherit_stdio(c);
    taho_error *err = taho_wasi_config_set_args(c, (size_t)argc, argv);
    if (!err && o->inherit_env) err = taho_wasi_config_inherit_env(c);
    for (int i = 0; i < o->ngrants && !err; i++) err = apply(c, &o->grants[i]);
    if (err) {
        /* every grant comes from a flag: a directory or address that does not work is
           a command-line error */
        *rc = cli_usage_error("run: %s", taho_error_message(err));
        taho_error_delete(err);
        taho_wasi_config_delete(c);
        return NULL;
    }
    return c;
}

bool run_wasi_wanted(const taho_module *m) {
    for (size_t i = 0, n = taho_module_import_count(m); i < n; i++)
        if (!strcmp(taho_module_import(m, i).module, "wasi_snapshot_preview1")) return true;
    return false;
}

void run_print_help(void) {
    fputs("usage: taho run [OPTIONS] FILE.wasm|FILE.taho [ARGS...]\n"
          "\n"
          "Instantiate FILE (a module, or an artifact of `taho compile`, which runs its\n"
          "compiled code with no compiling) and run it. A WASI command (a module importing\n"
          "wasi_snapshot_preview1) runs _start with ARGS as its arguments (argv[0] is FILE's\n"
          "name); proc_exit(N) exits with N, returning from _start exits 0. With --invoke\n"
          "NAME, the export NAME is called with ARGS as its parameters (i32/i64: decimal or\n"
          "0x hex; f32/f64: decimal, inf, nan; v128: 0x + 32 hex) and its results are\n"
          "printed; a reactor's _initialize runs first.\n"
          "\n"
          "The guest gets nothing but stdin, stdout, stderr and its arguments unless granted:\n"
          "  --dir HOST[::GUEST]     preopen directory HOST read-write, seen by the guest as\n"
          "                          GUEST (default: HOST); nothing outside it is reachable\n"
          "  --dir-ro HOST[::GUEST]  the same, read-only: writes, creates, renames, unlinks\n"
          "                          and time changes are refused (ENOTCAPABLE)\n"
          "  --env NAME=VALUE        set an environment variable (--env NAME: the host's)\n"
          "  --inherit-env           pass the whole host environment\n"
          "  --listen ADDR           preopen a TCP listening socket (127.0.0.1:8080,\n"
          "                          [::1]:0) for sock_accept\n"
          "  --invoke NAME           call the export NAME instead of _start\n"
          "\n"
          "Limits (also [limits] in taho.toml; flags win):\n"
          RUN_LIMITS_HELP
          "\n"
          "Engine and configuration:\n"
          "  --engine interp|jit     the interpreter (default) or the LLVM JIT\n"
          "  --optimize speed|size|none   JIT optimization level (default speed)\n"
          "  --no-cache              compile even if the JIT's cache ($XDG_CACHE_HOME/taho,\n"
          "                          ~/.cache/taho) has this module's code\n"
          "  --config FILE           read FILE instead of ./taho.toml\n"
          "\n"
          "A trap prints its message and a backtrace (function names, code offsets) to\n"
          "stderr. Exit status: the program's own (proc_exit), 0 when _start returns, 1 for\n"
          "a trap or a module that fails to load or link, 2 for a bad command line.\n",
          stdout);
}
