/* run_limits: the limits of `taho run` (--fuel N, --max-memory SIZE, --timeout DURATION,
   --max-stack SIZE, and taho.toml's [limits]): parsing, applying them to the engine
   config and the store, the timeout's epoch timer, and naming the limit that stopped
   a guest. */
#ifndef CLI_RUN_LIMITS_H
#define CLI_RUN_LIMITS_H

#include <pthread.h>
#include "cli.h"

typedef struct run_limits {
    bool has_fuel, has_max_memory, has_timeout, has_max_stack;
    uint64_t fuel, max_memory, timeout_us, max_stack;
    /* the timeout's timer thread */
    bool timer_started, timer_stop;
    pthread_t timer;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    taho_engine *engine;
} run_limits;

/* If flag is one of ours, parse value into l and return 1; 0 if it is not ours; -1 after
   printing a usage error. */
int run_limits_option(const char *flag, const char *value, run_limits *l);
/* Take the settings of taho.toml's [limits] (has_* / values as in cli_config) that no
   flag already set. */
void run_limits_merge(run_limits *l, bool has_fuel, uint64_t fuel, bool has_max_memory,
                      uint64_t max_memory, bool has_timeout, uint64_t timeout_us,
                      bool has_max_stack, uint64_t max_stack);
/* Engine-wide parts: fuel and epoch checks, the Wasm stack size. */
void run_limits_config(const run_limits *l, taho_config *cfg);
/* Store parts: the fuel, the memory limit and the epoch deadline; starts the timeout's
   timer (stopped by run_limits_stop). Returns CLI_OK or CLI_FAIL after printing. */
int run_limits_store(run_limits *l, taho_engine *e, taho_store *s);
void run_limits_stop(run_limits *l);
/* A note naming the limit behind a trap ("fuel limit of 1000 (--fuel)"), or NULL. */
const char *run_limits_note(const run_limits *l, const taho_trap *trap, char *buf, size_t n);

/* For the help text. */
#define RUN_LIMITS_HELP                                                                 \
    "  --fuel N                stop the guest after about N Wasm instructions\n"         \
    "  --max-memory SIZE       cap each linear memory (64MiB, 512KiB, bytes):\n"        \
    "                          memory.grow past it returns -1\n"                          \
    "  --timeout DURATION      stop the guest after DURATION (500ms, 2s, 1m)\n"           \
    "  --max-stack SIZE        Wasm stack size (default 64MiB; call stack exhausted)\n"

#endif
