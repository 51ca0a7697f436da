/* cmd_wast: `taho wast FILE.wast` converts a spec script with wast2json and runs it. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli.h"
#include "wast.h"

extern char **environ;

/* Enough for a proposal's feature flags (--enable-tail-call, ...). */
#define WAST_MAX_TOOL_FLAGS 8

typedef struct wast_args {
    const char *path, *json_dir;
    const char *tool_flags[WAST_MAX_TOOL_FLAGS];
    int ntool_flags;
    bool verbose, help;
    taho_engine_kind engine;
    bool aot;                  /* --engine aot: each module through an artifact */
    taho_opt_level opt;
} wast_args;

static int add_tool_flag(wast_args *a, const char *flag) {
    if (!*flag) return cli_usage_error("wast: --wast2json-flag needs a flag");
    if (a->ntool_flags == WAST_MAX_TOOL_FLAGS)
        return cli_usage_error("wast: more than %d --wast2json-flag options", WAST_MAX_TOOL_FLAGS);
    a->tool_flags[a->ntool_flags++] = flag;
    return CLI_OK;
}

static int parse_wast_args(int argc, char **argv, wast_args *a) {
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "-v") || !strcmp(s, "--verbose")) a->verbose = true;
        else if (!strcmp(s, "-h") || !strcmp(s, "--help")) a->help = true;
        else if (!strncmp(s, "--json-dir=", 11)) a->json_dir = s + 11;
        else if (!strcmp(s, "--engine") && i + 1 < argc && !strcmp(argv[i + 1], "aot")) {
            a->engine = TAHO_ENGINE_JIT;
            a->aot = true;
            i++;
        } else if (!strcmp(s, "--engine") || !strcmp(s, "--optimize")) {
            if (++i >= argc || cli_engine_option(s, argv[i], &a->engine, &a->opt) != CLI_OK)
                return CLI_USAGE;
        }
        else if (!strcmp(s, "--json-dir")) {
            if (++i >= argc) return cli_usage_error("wast: --json-dir needs a directory");
            a->json_dir = argv[i];
        } else if (!strncmp(s, "--wast2json-flag=", 17)) {
            if (add_tool_flag(a, s + 17) != CLI_OK) return CLI_USAGE;
        } else if (!strcmp(s, "--wast2json-flag")) {
            if (++i >= argc) return cli_usage_error("wast: --wast2json-flag needs a flag");
            if (add_tool_flag(a, argv[i]) != CLI_OK) return CLI_USAGE;
        } else if (s[0] == '-' && s[1]) return cli_usage_error("wast: unknown option '%s'", s);
        else if (a->path) return cli_usage_error("wast: expects one script, got '%s' too", s);
        else a->path = s;
    }
    if (!a->path && !a->help) return cli_usage_error("wast: missing FILE.wast");
    if (a->json_dir && !*a->json_dir) return cli_usage_error("wast: --json-dir needs a directory");
    return CLI_OK;
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static bool ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

/* wast2json [FLAGS] FILE -o OUT; its own messages go to our stderr. */
static int convert(const wast_args *a, const char *out_json) {
    const char *tool = getenv("TAHO_WAST2JSON"), *wast = a->path;
    if (!tool || !*tool) tool = "wast2json";
    char *args[WAST_MAX_TOOL_FLAGS + 5];
    int n = 0;
    args[n++] = (char *)tool;
    for (int i = 0; i < a->ntool_flags; i++) args[n++] = (char *)a->tool_flags[i];
    args[n++] = (char *)wast;
    args[n++] = "-o";
    args[n++] = (char *)out_json;
    args[n] = NULL;
    pid_t pid;
    int e = posix_spawnp(&pid, tool, NULL, NULL, args, environ);
    if (e) return cli_fail("cannot run %s: %s", tool, strerror(e));
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return cli_fail("waiting for %s: %s", tool, strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return CLI_OK;
    if (WIFEXITED(status)) return cli_fail("%s: %s failed (exit status %d)", wast, tool, WEXITSTATUS(status));
    return cli_fail("%s: %s died (signal %d)", wast, tool, WTERMSIG(status));
}

/* Remove the files wast2json wrote into our private directory, then the directory. */
static void remove_dir(const char *dir) {
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char path[4096];
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                unlink(path);
            }
        closedir(d);
    }
    rmdir(dir);
}

static char *make_temp_dir(void) {
    const char *tmp = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/taho-wast-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    return mkdtemp(tmpl) ? strdup(tmpl) : NULL;
}

static int run_json(const wast_args *a, const char *json_path) {
    wast_opts o = {.verbose = a->verbose, .engine = a->engine, .opt = a->opt, .aot = a->aot};
    wast_counts c = {0};
    char err[600];
    const char *name = base_name(a->path);
    fflush(stdout);
    if (!wast_run_json(json_path, name, &o, &c, err, sizeof err)) return cli_fail("%s: %s", name, err);
    printf("%s: %ld passed, %ld failed, %ld skipped (text)", name, c.passed, c.failed, c.skipped_text);
    if (c.wording) printf(", %ld with other wording (warning)", c.wording);
    putchar('\n');
    return c.failed ? CLI_FAIL : CLI_OK;
}

static volatile pid_t script_child;

static void forward_signal(int sig) {
    if (script_child > 0) kill(script_child, sig);
}

/* Waits for the child, passing on SIGINT/SIGTERM/SIGHUP so that we outlive it and can
   clean up. Returns its exit code, or 128 + signal if it died. */
static int wait_child(pid_t pid, const wast_args *a) {
    struct sigaction fwd = {.sa_handler = forward_signal}, old[3];
    static const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
    script_child = pid;
    for (int i = 0; i < 3; i++) sigaction(sigs[i], &fwd, &old[i]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    for (int i = 0; i < 3; i++) sigaction(sigs[i], &old[i], NULL);
    script_child = 0;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    int sig = WTERMSIG(status);
    cli_fail("%s: the script run died (signal %d, %s)", base_name(a->path), sig, strsignal(sig));
    return 128 + sig;
}

/* A crash inside the engine must not leave the temporary directory behind, so the
   script runs in a child process and this one cleans up. (--json-dir runs in-process,
   which is the easier way to debug.) */
static int run_json_in_child(const wast_args *a, const char *json_path) {
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) return run_json(a, json_path);
    if (pid == 0) {
        int rc = run_json(a, json_path);
        fflush(stdout);
        _exit(rc);
    }
    return wait_child(pid, a);
}

/* Convert into json_dir (kept) or a private temporary directory (removed), then run. */
static int convert_and_run(const wast_args *a) {
    char *dir = a->json_dir ? strdup(a->json_dir) : make_temp_dir();
    if (!dir) return cli_fail("cannot create a temporary directory: %s", strerror(errno));
    if (a->json_dir && mkdir(dir, 0777) != 0 && errno != EEXIST) {
        free(dir);
        return cli_fail("cannot create %s: %s", a->json_dir, strerror(errno));
    }
    char json_path[4096];
    const char *base = base_name(a->path);
    size_t stem = ends_with(base, ".wast") ? strlen(base) - 5 : strlen(base);
    snprintf(json_path, sizeof json_path, "%s/%.*s.json", dir, (int)stem, base);
    int rc = convert(a, json_path);
    if (rc == CLI_OK) rc = a->json_dir ? run_json(a, json_path) : run_json_in_child(a, json_path);
    if (!a->json_dir) remove_dir(dir);
    free(dir);
    return rc;
}

int cmd_wast(int argc, char **argv) {
    wast_args a = {0};
    int rc = parse_wast_args(argc, argv, &a);
    if (rc != CLI_OK) return rc;
    if (a.help) {
        cli_print_help();
        return CLI_OK;
    }
    if (access(a.path, R_OK) != 0) return cli_usage_error("cannot read '%s': %s", a.path, strerror(errno));
    if (ends_with(a.path, ".json")) return run_json(&a, a.path);
    return convert_and_run(&a);
}
