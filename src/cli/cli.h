/* cli: what the subcommands of the taho command share. Only this layer talks to humans. */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "taho.h"

/* Exit codes: 0 success, 1 the program or the module failed, 2 the command line was
   wrong (unknown flag, missing file, wrong argument count or value). */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

int cmd_run(int argc, char **argv);       /* argv[0] is "run" */
int cmd_validate(int argc, char **argv);
int cmd_wast(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_compile(int argc, char **argv);

/* Print "taho: <formatted>" and a hint to stderr as one line; returns CLI_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "taho: <formatted>" to stderr; returns CLI_FAIL. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* --engine interp|jit and --optimize speed|size|none (engine_opt.c); opt is the
   option's name, val its value. CLI_OK or CLI_USAGE (message printed). */
int cli_engine_option(const char *opt, const char *val, taho_engine_kind *engine,
                      taho_opt_level *level);

/* Read a whole file (malloc'ed; free it). On failure returns NULL with errno set. */
uint8_t *cli_read_file(const char *path, size_t *len);

/* "malformed module", "invalid module", "link error", ... */
const char *cli_error_kind_text(taho_error_kind k);
/* One line describing e: "<kind> at byte N (0xN): <message>" (offset part if known). */
void cli_describe_error(const taho_error *e, char *buf, size_t n);

/* Does the file start like a .wat (after blanks: "(" or ";;")? */
bool cli_looks_like_text(const uint8_t *bytes, size_t len);
/* "" or a hint to append to a malformed-module message when the bytes look like text. */
const char *cli_text_hint(const taho_error *e, const uint8_t *bytes, size_t len);

/* Usage text for --help. */
void cli_print_help(void);

#endif
