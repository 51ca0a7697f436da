/* threads: 64 threads, each with its own stores, share one engine (pooled, fuel and
   epochs on) and one module: instantiate, run, grow, trap on fuel, release, while
   another thread increments the epoch. Built with ThreadSanitizer by run.sh: the test
   is that TSan reports no race (and every call gives the expected answer). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include "taho.h"
#include "../unit/test_limits.h"

#define NTHREADS 64
#define ROUNDS 20

static taho_engine *engine;
static taho_module *module;
static atomic_int failures, done;

static void fail(const char *what, int round) {
    fprintf(stderr, "threads: %s (round %d)\n", what, round);
    atomic_fetch_add(&failures, 1);
}

static void *worker(void *arg) {
    for (int r = 0; r < ROUNDS; r++) {
        taho_store *s = taho_store_new(engine);
        taho_error *err = taho_store_set_fuel(s, 1000000);
        if (err) { taho_error_delete(err); fail("set fuel", r); }
        taho_store_set_epoch_deadline(s, 1000000000);
        lim_inst li = lim_instantiate(engine, s, module);
        if (li.err) { /* the pool has 64 slots: one per thread is always there */
            fail(taho_error_message(li.err), r);
            taho_error_delete(li.err);
            taho_store_delete(s);
            continue;
        }
        int code;
        if (lim_call(s, li.inst, "peek", 1, 16, 0, &code) != 't') fail("data image", r);
        lim_call(s, li.inst, "poke", 2, 100 + r, r, &code);
        if (lim_call(s, li.inst, "peek", 1, 100 + r, 0, &code) != r) fail("poke", r);
        if (lim_call(s, li.inst, "grow", 1, 1, 0, &code) != 1) fail("grow", r);
        if (lim_call(s, li.inst, "rec", 1, 50, 0, &code) != 50) fail("rec", r);
        lim_call(s, li.inst, "count", 1, 1000, 0, &code);
        if (code) fail("count", r);
        taho_store_set_fuel(s, 500);
        lim_call(s, li.inst, "count", 1, 1000000, 0, &code);
        if (code != TAHO_TRAP_OUT_OF_FUEL) fail("fuel trap", r);
        taho_store_delete(s);
    }
    return arg;
}

static void *ticker(void *arg) {
    while (!atomic_load(&done)) taho_engine_increment_epoch(engine);
    return arg;
}

int main(void) {
    taho_config *c = taho_config_new();
    taho_config_pooling(c, NTHREADS, 4, 10);
    taho_config_consume_fuel(c, true);
    taho_config_epoch_interruption(c, true);
    taho_config_max_wasm_stack(c, 512 << 10);
    engine = taho_engine_new(c);
    module = lim_module(engine);
    if (!engine || !module) { puts("threads: 0 passed, 1 failed"); return 1; }
    pthread_t th[NTHREADS], tick;
    pthread_create(&tick, NULL, ticker, NULL);
    for (int i = 0; i < NTHREADS; i++) pthread_create(&th[i], NULL, worker, NULL);
    for (int i = 0; i < NTHREADS; i++) pthread_join(th[i], NULL);
    atomic_store(&done, 1);
    pthread_join(tick, NULL);
    taho_module_delete(module);
    taho_engine_delete(engine);
    int f = atomic_load(&failures);
    printf("threads: %d passed, %d failed (%d threads x %d stores)\n", f ? 0 : 1, f ? 1 : 0,
           NTHREADS, ROUNDS);
    return f ? 1 : 0;
}
