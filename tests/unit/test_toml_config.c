/* test_toml_config: taho.toml into cli_config (src/cli/config.c): values, defaults, host
   paths relative to the file, and the order of grants under the command line's. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test.h"
#include "../../src/cli/config.h"

/* Writes text to a fresh file in a fresh directory; returns its path (static). */
static const char *write_config(const char *text) {
    static char path[128];
    char dir[] = "/tmp/taho-config-XXXXXX";
    if (!mkdtemp(dir)) return NULL;
    snprintf(path, sizeof path, "%s/taho.toml", dir);
    FILE *f = fopen(path, "w");
    if (!f) return NULL;
    fputs(text, f);
    fclose(f);
    return path;
}

static void remove_config(const char *path) {
    char dir[128];
    snprintf(dir, sizeof dir, "%s", path);
    unlink(path);
    *strrchr(dir, '/') = 0;
    rmdir(dir);
}

TEST(config_values) {
    const char *path = write_config("[runtime]\nengine = \"interp\"\n"
                                    "[runtime.jit]\nopt_level = \"size\"\ncache_dir = \"c\"\n"
                                    "[runtime.pool]\nmemory_pool_size = 10\ninstance_memory_pages = 2\n"
                                    "[wasi]\ndirs = [\"data::/data\", \"/abs\"]\ndirs_ro = [\"ro\"]\n"
                                    "env = { LANG = \"C\", \"X Y\" = \"1\" }\ninherit_env = true\n");
    CHECK(path);
    cli_config c;
    CHECK_EQ(cli_config_load(path, &c), CLI_OK);
    CHECK(c.path && !strcmp(c.path, path));
    /* parallel_compilation and cache default to true; cache_dir is made absolute */
    CHECK(c.engine == TAHO_ENGINE_INTERP && c.opt_level == TAHO_OPT_SIZE && c.parallel_compilation);
    CHECK(c.cache && c.cache_dir && c.cache_dir[0] == '/' && !strcmp(strrchr(c.cache_dir, '/'), "/c"));
    CHECK(c.pool && c.pool_instances == 10 && c.pool_memory_pages == 2 && c.pool_table_elements == 1000);
    char dir[128], want[256];
    snprintf(dir, sizeof dir, "%s", path);
    *strrchr(dir, '/') = 0;
    snprintf(want, sizeof want, "%s/data::/data", dir);
    CHECK_EQ(c.ndirs, 2);
    CHECK(!strcmp(c.dirs[0], want) && !strcmp(c.dirs[1], "/abs::/abs"));
    snprintf(want, sizeof want, "%s/ro::ro", dir);
    CHECK(c.ndirs_ro == 1 && !strcmp(c.dirs_ro[0], want));
    CHECK(c.nenv == 2 && !strcmp(c.env[0], "LANG=C") && !strcmp(c.env[1], "X Y=1") && c.inherit_env);

    /* The file's grants come first, so the command line's (later) win. */
    run_wasi_opts o = {.grants = calloc(2, sizeof(run_grant)), .ngrants = 1};
    CHECK(o.grants);
    o.grants[0] = (run_grant){GRANT_ENV, "LANG=fr"};
    CHECK_EQ(cli_config_wasi_grants(&c, &o), CLI_OK);
    CHECK_EQ(o.ngrants, 6);
    CHECK(o.grants[0].kind == GRANT_DIR && o.grants[2].kind == GRANT_DIR_RO && o.grants[3].kind == GRANT_ENV);
    CHECK(o.grants[5].kind == GRANT_ENV && !strcmp(o.grants[5].value, "LANG=fr") && o.inherit_env);
    free(o.grants);
    cli_config_free(&c);
    CHECK(c.path == NULL && c.ndirs == 0);
    remove_config(path);
}

TEST(config_defaults_and_flags) {
    const char *path = write_config("# nothing but a comment\n");
    CHECK(path);
    cli_config c;
    CHECK_EQ(cli_config_load(path, &c), CLI_OK);
    CHECK(c.engine == TAHO_ENGINE_INTERP && c.opt_level == TAHO_OPT_SPEED && !c.pool && !c.ndirs && !c.nenv);
    cli_config_free(&c);
    /* run's merge: a flag (not -1) stays, a missing one takes the file's value */
    remove_config(path);
    path = write_config("[runtime.jit]\nopt_level = \"none\"\n");
    run_wasi_opts o = {0};
    taho_engine_kind engine = TAHO_ENGINE_INTERP;
    taho_opt_level opt = (taho_opt_level)-1;
    CHECK_EQ(cli_config_run(path, &c, &o, &engine, &opt), CLI_OK);
    CHECK(engine == TAHO_ENGINE_INTERP && opt == TAHO_OPT_NONE);
    cli_config_free(&c);
    opt = TAHO_OPT_SIZE;
    CHECK_EQ(cli_config_run(path, &c, &o, &engine, &opt), CLI_OK);
    CHECK(opt == TAHO_OPT_SIZE);
    cli_config_free(&c);
    remove_config(path);
}

TEST(config_take_opt) {
    char *argv[] = {"taho", "--config", "a.toml", "--config=b.toml", "run", NULL};
    const char *p = NULL;
    int i = 1;
    CHECK_EQ(cli_config_take_opt(argv, 5, &i, &p), 1);
    CHECK(i == 2 && !strcmp(p, "a.toml"));
    i = 3;
    CHECK_EQ(cli_config_take_opt(argv, 5, &i, &p), 1);
    CHECK(i == 3 && !strcmp(p, "b.toml"));
    i = 4;
    CHECK_EQ(cli_config_take_opt(argv, 5, &i, &p), 0);
}

TEST(config_limits) {
    const char *path = write_config("[limits]\nfuel = 1000\nmax_memory = \"64MiB\"\ntimeout = \"500ms\"\nmax_stack = 65536\n");
    CHECK(path);
    cli_config c;
    cli_config_limits_honoured = true;
    int rc = cli_config_load(path, &c);
    cli_config_limits_honoured = false;
    CHECK_EQ(rc, CLI_OK);
    CHECK(c.has_fuel && c.fuel == 1000 && c.has_max_memory && c.max_memory == 64u << 20);
    CHECK(c.has_timeout && c.timeout_us == 500000 && c.has_max_stack && c.max_stack == 65536);
    cli_config_free(&c);
    remove_config(path);
}
