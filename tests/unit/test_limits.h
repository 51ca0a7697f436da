/* test_limits.h: the module of limits.wat (wat2wasm limits.wat) and helpers shared by
   test_limits.c and test_pool.c. */
#ifndef TEST_LIMITS_H
#define TEST_LIMITS_H

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "taho.h"

static const unsigned char lim_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x16, 0x05, 0x60,
  0x01, 0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x00, 0x60, 0x00, 0x01,
  0x7f, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x00, 0x03, 0x09, 0x08, 0x00,
  0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x00, 0x04, 0x04, 0x01, 0x70, 0x00,
  0x01, 0x05, 0x03, 0x01, 0x00, 0x01, 0x06, 0x06, 0x01, 0x7f, 0x01, 0x41,
  0x00, 0x0b, 0x07, 0x4d, 0x0b, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79,
  0x02, 0x00, 0x03, 0x74, 0x61, 0x62, 0x01, 0x00, 0x04, 0x67, 0x72, 0x6f,
  0x77, 0x00, 0x00, 0x05, 0x74, 0x67, 0x72, 0x6f, 0x77, 0x00, 0x01, 0x04,
  0x70, 0x65, 0x65, 0x6b, 0x00, 0x02, 0x04, 0x70, 0x6f, 0x6b, 0x65, 0x00,
  0x03, 0x04, 0x73, 0x69, 0x7a, 0x65, 0x00, 0x04, 0x01, 0x67, 0x03, 0x00,
  0x05, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x00, 0x05, 0x04, 0x73, 0x70, 0x69,
  0x6e, 0x00, 0x06, 0x03, 0x72, 0x65, 0x63, 0x00, 0x07, 0x0a, 0x5b, 0x08,
  0x06, 0x00, 0x20, 0x00, 0x40, 0x00, 0x0b, 0x09, 0x00, 0xd0, 0x70, 0x20,
  0x00, 0xfc, 0x0f, 0x00, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x2d, 0x00, 0x00,
  0x0b, 0x09, 0x00, 0x20, 0x00, 0x20, 0x01, 0x3a, 0x00, 0x00, 0x0b, 0x04,
  0x00, 0x3f, 0x00, 0x0b, 0x13, 0x00, 0x03, 0x40, 0x23, 0x00, 0x41, 0x01,
  0x6a, 0x24, 0x00, 0x23, 0x00, 0x20, 0x00, 0x49, 0x0d, 0x00, 0x0b, 0x0b,
  0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b, 0x15, 0x00, 0x20, 0x00,
  0x45, 0x04, 0x7f, 0x41, 0x00, 0x05, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x10,
  0x07, 0x41, 0x01, 0x6a, 0x0b, 0x0b, 0x0b, 0x0f, 0x01, 0x00, 0x41, 0x10,
  0x0b, 0x09, 0x74, 0x61, 0x68, 0x6f, 0x2d, 0x64, 0x61, 0x74, 0x61
};
static const unsigned int lim_wasm_len = 251;

typedef struct lim_inst {
    taho_store *s;
    taho_instance *inst;
    taho_error *err;          /* instantiation error, if any (owned) */
} lim_inst;

static inline taho_module *lim_module(taho_engine *e) {
    taho_module *m = NULL;
    taho_error *err = taho_module_new(e, lim_wasm, lim_wasm_len, &m);
    if (err) taho_error_delete(err);
    return m;
}

/* Instantiate in s (made by the caller). */
static inline lim_inst lim_instantiate(taho_engine *e, taho_store *s, taho_module *m) {
    lim_inst r = {s, NULL, NULL};
    taho_linker *l = taho_linker_new(e);
    r.err = taho_linker_instantiate(l, s, m, &r.inst, NULL);
    taho_linker_delete(l);
    return r;
}

static inline taho_func *lim_func(taho_instance *inst, const char *name) {
    taho_extern x;
    return taho_instance_export(inst, name, &x) && x.kind == TAHO_EXTERN_FUNC ? x.of.func : NULL;
}

/* Call an export with up to two i32 args; returns the i32 result (or 0); *code gets the
   trap code or 0. */
static inline int32_t lim_call(taho_store *s, taho_instance *inst, const char *name, int nargs,
                               int32_t a, int32_t b, int *code) {
    taho_func *f = lim_func(inst, name);
    taho_val args[2] = {{.kind = TAHO_I32, .of.i32 = a}, {.kind = TAHO_I32, .of.i32 = b}};
    taho_val res[1] = {{.kind = TAHO_I32}};
    taho_trap *trap = NULL;
    taho_functype t = taho_func_type(f);
    taho_error *err = taho_func_call(s, f, args, (size_t)nargs, res, t.nresults, &trap);
    *code = 0;
    if (err) { taho_error_delete(err); *code = -1; return 0; }
    if (trap) { *code = (int)taho_trap_code_of(trap); taho_trap_delete(trap); return 0; }
    return t.nresults ? res[0].of.i32 : 0;
}

static inline double lim_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

typedef struct lim_ticker {
    taho_engine *e;
    double at;       /* when it incremented */
} lim_ticker;

static inline void *lim_tick_later(void *arg) {
    lim_ticker *t = arg;
    struct timespec d = {0, 30 * 1000 * 1000};
    nanosleep(&d, NULL);
    t->at = lim_now_ms();
    taho_engine_increment_epoch(t->e);
    return NULL;
}

/* Three rounds of: spin (an endless loop) until another thread increments the epoch
   past a deadline of 1, then count(1000) under a far deadline (the store stays
   usable). NULL if all went so, else what did not. */
static inline const char *lim_epoch_rounds(taho_engine *e, taho_store *s, taho_instance *inst) {
    for (int round = 0; round < 3; round++) {
        taho_store_set_epoch_deadline(s, 1);
        lim_ticker t = {e, 0};
        pthread_t th;
        if (pthread_create(&th, NULL, lim_tick_later, &t) != 0) return "pthread_create";
        int code;
        lim_call(s, inst, "spin", 0, 0, 0, &code);
        double stopped = lim_now_ms();
        pthread_join(th, NULL);
        if (code != TAHO_TRAP_INTERRUPT) return "spin was not interrupted";
        /* a check per loop iteration: ~us; timing never decides a test (bench measures it) */
        if (stopped - t.at >= 2000.0) return "spin stopped more than 2 s after the tick";
        taho_store_set_epoch_deadline(s, 1000);
        lim_call(s, inst, "count", 1, 1000, 0, &code);
        if (code != 0) return "count under a far deadline trapped";
    }
    return NULL;
}

static inline uint8_t *lim_memory(taho_instance *inst) {
    taho_extern x;
    return taho_instance_export(inst, "memory", &x) ? taho_memory_data(x.of.memory) : NULL;
}

/* A module with a 2-page memory (exported) whose first 64 KiB + 100 bytes are a data
   segment of 0x5A: large enough for a copy-on-write image (test_pool.c, test_linker_shared.c:
   a pooled slot keeps it for the next tenant). */
static inline uint8_t *big_data_module(size_t *len) {
    enum { DATA = 65536 + 100 };
    static const uint8_t head[] = {
        0, 'a', 's', 'm', 1, 0, 0, 0,
        5, 3, 1, 0, 2,                                  /* memory: min 2 */
        7, 10, 1, 6, 'm', 'e', 'm', 'o', 'r', 'y', 2, 0, /* export "memory" */
        11, 0xec, 0x80, 0x04,                           /* data section: 65644 bytes */
        1, 0, 0x41, 0, 0x0b, 0xe4, 0x80, 0x04,          /* active, i32.const 0, len */
    };
    /* section size = 1 (count) + 1 (flags) + 3 (offset expr) + 3 (len) + DATA */
    uint8_t *b = malloc(sizeof head + DATA);
    if (!b) return NULL;
    memcpy(b, head, sizeof head);
    memset(b + sizeof head, 0x5A, DATA);
    *len = sizeof head + DATA;
    return b;
}

#endif
