/* threads: 64 threads, each with its own stores, share one engine (pooled, fuel and
   epochs on) and one module: instantiate, run, grow, trap on fuel, release, while
   another thread increments the epoch; and one linker defining a host function and
   WASI for every store, each store with its own WASI context. Built with
   ThreadSanitizer by run.sh: the test is that TSan reports no race (and every call
   gives the expected answer). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include "taho.h"
#include "../unit/test_limits.h"
#include "../unit/test_shared_wasm.h"

#define NTHREADS 64
#define ROUNDS 20

static taho_engine *engine;
static taho_module *module, *shared_module;
static taho_linker *shared;           /* env.add1 and WASI, for every store */
static atomic_int failures, done, host_calls, finalized;

static void fail(const char *what, int round) {
    fprintf(stderr, "threads: %s (round %d)\n", what, round);
    atomic_fetch_add(&failures, 1);
}

static taho_trap *add1_cb(void *env, taho_caller *caller, const taho_val *args, size_t nargs,
                          taho_val *results, size_t nresults) {
    atomic_fetch_add((atomic_int *)env, 1);
    results[0] = (taho_val){TAHO_I32, .of.i32 = args[0].of.i32 + 1};
    return NULL;
}

static void finalize(void *env) { atomic_fetch_add(&finalized, 1); }

/* A store of its own with r + 1 WASI arguments, instantiated through the shared linker. */
static void shared_round(int r) {
    taho_store *s = taho_store_new(engine);
    taho_store_set_fuel(s, 1000000);
    taho_store_set_epoch_deadline(s, 1000000000);
    const char *argv[ROUNDS + 1];
    for (int i = 0; i <= r; i++) argv[i] = "arg";
    taho_wasi_config *w = taho_wasi_config_new();
    taho_wasi_config_set_args(w, (size_t)r + 1, argv);
    taho_error *err = taho_store_set_wasi(s, w);
    taho_instance *inst = NULL;
    if (!err) err = taho_linker_instantiate(shared, s, shared_module, &inst, NULL);
    if (err) {
        fail(taho_error_message(err), r);
        taho_error_delete(err);
    } else {
        int code;
        if (lim_call(s, inst, "argc", 0, 0, 0, &code) != r + 1) fail("wasi argc", r);
        if (lim_call(s, inst, "add1", 1, r, 0, &code) != r + 1) fail("linker host function", r);
    }
    taho_store_delete(s);
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
        shared_round(r);
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
    taho_error *err = taho_module_new(engine, shared_wasm, shared_wasm_len, &shared_module);
    shared = taho_linker_new(engine);
    static const taho_valkind i32[] = {TAHO_I32};
    taho_functype ft = {1, 1, i32, i32};
    if (!err) err = taho_linker_define_func(shared, "env", "add1", &ft, add1_cb, &host_calls, finalize);
    if (!err) err = taho_linker_define_wasi(shared, NULL, NULL);
    if (!engine || !module || err) { puts("threads: 0 passed, 1 failed"); return 1; }
    pthread_t th[NTHREADS], tick;
    pthread_create(&tick, NULL, ticker, NULL);
    for (int i = 0; i < NTHREADS; i++) pthread_create(&th[i], NULL, worker, NULL);
    for (int i = 0; i < NTHREADS; i++) pthread_join(th[i], NULL);
    atomic_store(&done, 1);
    pthread_join(tick, NULL);
    taho_linker_delete(shared);
    if (atomic_load(&finalized) != 1) fail("finalizer after the linker and every store", 0);
    if (atomic_load(&host_calls) != NTHREADS * ROUNDS) fail("host calls", 0);
    taho_module_delete(shared_module);
    taho_module_delete(module);
    taho_engine_delete(engine);
    int f = atomic_load(&failures);
    printf("threads: %d passed, %d failed (%d threads x %d stores)\n", f ? 0 : 1, f ? 1 : 0,
           NTHREADS, ROUNDS);
    return f ? 1 : 0;
}
