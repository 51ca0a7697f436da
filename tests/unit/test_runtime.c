/* test_runtime: signature interning, memories (reservation, grow, guard faults become
   traps), trap recovery and nesting, table operations. */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../../src/base/limits.h"
#include "../../src/runtime/ops.h"
#include "../../src/runtime/store.h"
#include "test.h"

static const tw_valtype ii[] = {TW_I32, TW_I32}, vv[] = {TW_V128, TW_F64};

TEST(rt_sig_intern_equal_types_share_pointer) {
    rt_engine *e = rt_engine_new(NULL);
    tw_valtype p2[] = {TW_I32, TW_I32};
    tw_functype a = {2, 1, ii, ii}, b = {2, 1, p2, p2}, c = {1, 2, ii, ii}, d = {1, 1, vv, vv};
    const rt_sig *sa = rt_engine_intern_sig(e, &a), *sb = rt_engine_intern_sig(e, &b);
    CHECK(sa && sa == sb);
    CHECK(rt_engine_intern_sig(e, &c) != sa);
    const rt_sig *sd = rt_engine_intern_sig(e, &d);
    CHECK_EQ(sd->param_slots, 2);
    CHECK_EQ(sd->result_slots, 2);
    CHECK_EQ(sa->param_slots, 2);
    rt_engine_free(e);
}

TEST(rt_sig_intern_many_rehash) {
    rt_engine *e = rt_engine_new(NULL);
    static tw_valtype params[200];
    const rt_sig *first[200];
    for (int i = 0; i < 200; i++) params[i] = TW_I64;
    for (uint32_t n = 0; n < 200; n++) {
        tw_functype t = {n, 0, params, NULL};
        first[n] = rt_engine_intern_sig(e, &t);
        CHECK(first[n]);
    }
    for (uint32_t n = 0; n < 200; n++) {
        tw_functype t = {n, 0, params, NULL};
        CHECK(rt_engine_intern_sig(e, &t) == first[n]);
    }
    rt_engine_free(e);
}

typedef struct { rt_engine *e; const rt_sig *got[64]; } intern_job;
static void *intern_thread(void *p) {
    intern_job *j = p;
    static tw_valtype params[64];
    for (int i = 0; i < 64; i++) params[i] = TW_F32;
    for (uint32_t n = 0; n < 64; n++) {
        tw_functype t = {n, 1, params, params};
        j->got[n] = rt_engine_intern_sig(j->e, &t);
    }
    return NULL;
}

TEST(rt_sig_intern_threads_agree) {
    intern_job a = {rt_engine_new(NULL)}, b = {a.e};
    pthread_t ta, tb;
    pthread_create(&ta, NULL, intern_thread, &a);
    pthread_create(&tb, NULL, intern_thread, &b);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    for (int n = 0; n < 64; n++) CHECK(a.got[n] && a.got[n] == b.got[n]);
    rt_engine_free(a.e);
}

/* ---- memories ---- */

static rt_store *new_store(void) { return rt_store_new(rt_engine_new(NULL)); }
static void free_store(rt_store *st) {
    rt_engine *e = st->engine;
    rt_store_free(st);
    rt_engine_free(e);
}

TEST(rt_memory_reserve_and_grow) {
    rt_store *st = new_store();
    tw_memtype t = {.lim = {1, 3, true}};
    tb_error err;
    rt_memory *m = rt_memory_new(st, &t, &err);
    CHECK(m);
    CHECK_EQ(m->size, TB_WASM_PAGE);
    CHECK_EQ(m->reserved, TB_MEM_RESERVATION);
    m->base[0] = 1;
    m->base[TB_WASM_PAGE - 1] = 2;
    CHECK_EQ(rt_memory_grow(m, 0), 1);
    CHECK_EQ(rt_memory_grow(m, 2), 1);
    CHECK_EQ(m->size, 3 * TB_WASM_PAGE);
    m->base[3 * TB_WASM_PAGE - 1] = 3;
    CHECK_EQ(m->base[0], 1);
    CHECK_EQ(rt_memory_grow(m, 1), -1);
    CHECK_EQ(m->size, 3 * TB_WASM_PAGE);
    tw_memtype t2 = rt_memory_type(m);
    CHECK_EQ(t2.lim.min, 3);
    CHECK_EQ(t2.lim.max, 3);
    free_store(st);
}

TEST(rt_memory_limits) {
    rt_store *st = new_store();
    tb_error err;
    tw_memtype big = {.lim = {TB_MAX_PAGES + 1, 0, false}};
    CHECK(!rt_memory_new(st, &big, &err));
    CHECK_EQ(err.kind, TB_ERR_LIMIT);
    tw_memtype nomax = {.lim = {0, 0, false}};
    rt_memory *m = rt_memory_new(st, &nomax, &err);
    CHECK(m);
    CHECK_EQ(m->size, 0);
    CHECK_EQ(m->max_pages, TB_MAX_PAGES);
    CHECK_EQ(rt_memory_grow(m, TB_MAX_PAGES + 1), -1);
    CHECK_EQ(rt_memory_grow(m, 0xffffffffu), -1);
    CHECK_EQ(rt_memory_grow(m, 2), 0);
    free_store(st);
}

TEST(rt_memory_bulk_bounds) {
    rt_store *st = new_store();
    tw_memtype t = {.lim = {1, 0, false}};
    rt_memory *m = rt_memory_new(st, &t, NULL);
    CHECK(m);
    CHECK_EQ(rt_memory_fill(m, 10, 0x1ab, 4), RT_TRAP_NONE);
    CHECK_EQ(m->base[13], 0xab);
    CHECK_EQ(rt_memory_copy(m, 11, 10, 4), RT_TRAP_NONE);
    CHECK_EQ(m->base[14], 0xab);
    CHECK_EQ(m->base[15], 0);
    CHECK_EQ(rt_memory_fill(m, TB_WASM_PAGE, 0, 0), RT_TRAP_NONE);
    CHECK_EQ(rt_memory_fill(m, TB_WASM_PAGE, 0, 1), RT_TRAP_MEMORY_OOB);
    CHECK_EQ(rt_memory_copy(m, 0, 0xffffffffu, 2), RT_TRAP_MEMORY_OOB);
    CHECK_EQ(rt_memory_copy(m, TB_WASM_PAGE - 1, 0, 2), RT_TRAP_MEMORY_OOB);
    free_store(st);
}

/* ---- faults and recovery ---- */

static rt_trap_code nop_fn(void *env, rt_instance *caller, uint64_t *slots) { return RT_TRAP_NONE; }

static rt_memory *fault_mem;
static volatile int after_fault;

static rt_trap_code touch_out_of_bounds(void *env, rt_instance *caller, uint64_t *slots) {
    volatile uint8_t *p = fault_mem->base + fault_mem->size + slots[0];
    *p = 1;
    after_fault = 1; /* never reached */
    return RT_TRAP_NONE;
}

static rt_func *host(rt_store *st, rt_host_fn fn, void *env) {
    tw_functype t = {1, 1, (const tw_valtype[]){TW_I64}, (const tw_valtype[]){TW_I64}};
    return rt_func_new_host(st, rt_engine_intern_sig(st->engine, &t), fn, env, NULL);
}

TEST(rt_guard_fault_becomes_trap) {
    rt_store *st = new_store();
    tw_memtype t = {.lim = {1, 0, false}};
    fault_mem = rt_memory_new(st, &t, NULL);
    CHECK(fault_mem);
    rt_func *f = host(st, touch_out_of_bounds, NULL);
    uint64_t slots[1] = {0};
    after_fault = 0;
    CHECK_EQ(rt_call(st, f, slots), RT_TRAP_MEMORY_OOB);
    CHECK_EQ(st->last_trap.code, RT_TRAP_MEMORY_OOB);
    CHECK_EQ(after_fault, 0);
    /* Far away in the reservation (the 4 GiB + offset region), and again: the signal
       must not stay blocked after the first recovery. */
    slots[0] = (4ull << 30) + 12345;
    CHECK_EQ(rt_call(st, f, slots), RT_TRAP_MEMORY_OOB);
    CHECK_EQ(rt_memory_grow(fault_mem, 1), 1);
    slots[0] = 0;
    CHECK_EQ(rt_call(st, f, slots), RT_TRAP_MEMORY_OOB);
    CHECK_EQ(st->exec.depth, 0);
    free_store(st);
}

static rt_trap_code raise_it(void *env, rt_instance *caller, uint64_t *slots) {
    rt_trap_raise(RT_TRAP_INT_OVERFLOW);
}

typedef struct { rt_store *st; rt_func *inner; rt_trap_code got; } nest_env;

/* A host function that calls back in (as a host function calling Wasm would). */
static rt_trap_code call_inner(void *env, rt_instance *caller, uint64_t *slots) {
    nest_env *n = env;
    uint64_t s[1] = {0};
    n->st->exec.depth += 5; /* pretend Wasm frames are live */
    n->got = rt_call(n->st, n->inner, s);
    n->st->exec.depth -= 5;
    slots[0] = 42;
    return RT_TRAP_NONE;
}

TEST(rt_nested_entry_gets_inner_trap) {
    rt_store *st = new_store();
    tw_memtype t = {.lim = {1, 0, false}};
    fault_mem = rt_memory_new(st, &t, NULL);
    nest_env n = {st, host(st, touch_out_of_bounds, NULL), RT_TRAP_NONE};
    rt_func *outer = host(st, call_inner, &n);
    uint64_t slots[1] = {0};
    CHECK_EQ(rt_call(st, outer, slots), RT_TRAP_NONE);
    CHECK_EQ(n.got, RT_TRAP_MEMORY_OOB);
    CHECK_EQ(slots[0], 42);
    CHECK_EQ(st->exec.depth, 0);
    n.inner = host(st, raise_it, NULL);
    CHECK_EQ(rt_call(st, outer, slots), RT_TRAP_NONE);
    CHECK_EQ(n.got, RT_TRAP_INT_OVERFLOW);
    CHECK_EQ(rt_call(st, n.inner, slots), RT_TRAP_INT_OVERFLOW);
    free_store(st);
}

static rt_trap_code null_write(void *env, rt_instance *caller, uint64_t *slots) {
    *(volatile int *)(uintptr_t)slots[0] = 1;
    return RT_TRAP_NONE;
}

/* A fault outside any reservation is not ours: it must reach the default action. */
TEST(rt_foreign_fault_chains_to_default) {
    pid_t pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stderr); /* a sanitizer's handler reports it */
        rt_store *st = new_store();
        uint64_t slots[1] = {16};
        rt_call(st, host(st, null_write, NULL), slots);
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    /* Killed by SIGSEGV, or (sanitizer builds) the chained handler reported and exited. */
    CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV) ||
          (WIFEXITED(status) && WEXITSTATUS(status) != 0));
}

/* ---- tables ---- */

TEST(rt_table_ops_bounds) {
    rt_store *st = new_store();
    tw_tabletype t = {TW_FUNCREF, {2, 5, true}};
    rt_table *tb = rt_table_new(st, &t, NULL, NULL);
    CHECK(tb && tb->size == 2 && tb->elems[1] == NULL);
    int a, b;
    CHECK_EQ(rt_table_grow(tb, 2, &a), 2);
    CHECK(tb->elems[3] == &a);
    CHECK_EQ(rt_table_grow(tb, 2, &a), -1);
    CHECK_EQ(rt_table_grow(tb, 1, &b), 4);
    CHECK_EQ(rt_table_grow(tb, 0, &b), 5);
    CHECK_EQ(rt_table_fill(tb, 0, &b, 2), RT_TRAP_NONE);
    CHECK(tb->elems[1] == &b);
    CHECK_EQ(rt_table_fill(tb, 5, &b, 0), RT_TRAP_NONE);
    CHECK_EQ(rt_table_fill(tb, 4, &b, 2), RT_TRAP_TABLE_OOB);
    CHECK_EQ(rt_table_copy(tb, tb, 1, 2, 3), RT_TRAP_NONE); /* overlapping */
    CHECK(tb->elems[0] == &b && tb->elems[1] == &a && tb->elems[2] == &a && tb->elems[3] == &b);
    CHECK_EQ(rt_table_copy(tb, tb, 3, 0, 3), RT_TRAP_TABLE_OOB);
    CHECK_EQ(rt_table_copy(tb, tb, 0, 0xffffffffu, 2), RT_TRAP_TABLE_OOB);
    rt_ref r;
    CHECK_EQ(rt_table_get(tb, 5, &r), RT_TRAP_TABLE_OOB);
    CHECK_EQ(rt_table_set(tb, 4, NULL), RT_TRAP_NONE);
    tw_tabletype nomax = {TW_EXTERNREF, {0, 0, false}};
    rt_table *t2 = rt_table_new(st, &nomax, NULL, NULL);
    CHECK_EQ(rt_table_grow(t2, TB_MAX_TABLE_ELEMS + 1, NULL), -1);
    CHECK_EQ(rt_table_grow(t2, 10, NULL), 0);
    tw_tabletype huge = {TW_FUNCREF, {TB_MAX_TABLE_ELEMS + 1, 0, false}};
    tb_error err;
    CHECK(!rt_table_new(st, &huge, NULL, &err));
    CHECK_EQ(err.kind, TB_ERR_LIMIT);
    free_store(st);
}

/* Another thread gets its own alternate signal stack and recovery chain. */
static void *fault_in_thread(void *p) {
    rt_store *st = p;
    uint64_t slots[1] = {100};
    return (void *)(uintptr_t)rt_call(st, host(st, touch_out_of_bounds, NULL), slots);
}

TEST(rt_guard_fault_in_other_thread) {
    rt_store *st = new_store();
    tw_memtype t = {.lim = {2, 0, false}};
    fault_mem = rt_memory_new(st, &t, NULL);
    pthread_t th;
    void *ret;
    pthread_create(&th, NULL, fault_in_thread, st);
    pthread_join(th, &ret);
    CHECK_EQ((uintptr_t)ret, RT_TRAP_MEMORY_OOB);
    free_store(st);
}

/* A tier's fault hook runs before unwinding and may record frames. */
static void record_frame(void *arg, rt_store *st, const void *uctx) {
    rt_trap_add_frame(st, arg, 7, 0x20);
}

static rt_trap_code hook_then_fault(void *env, rt_instance *caller, uint64_t *slots) {
    rt_set_fault_hook(record_frame, env);
    return touch_out_of_bounds(env, caller, slots);
}

TEST(rt_fault_hook_records_frames) {
    rt_store *st = new_store();
    tw_memtype t = {.lim = {1, 0, false}};
    fault_mem = rt_memory_new(st, &t, NULL);
    int marker;
    uint64_t slots[1] = {0};
    CHECK_EQ(rt_call(st, host(st, hook_then_fault, &marker), slots), RT_TRAP_MEMORY_OOB);
    CHECK_EQ(st->last_trap.nframes, 1);
    CHECK(st->last_trap.frames[0].module == &marker && st->last_trap.frames[0].func == 7);
    /* the hook belonged to that entry only */
    CHECK_EQ(rt_call(st, host(st, touch_out_of_bounds, NULL), slots), RT_TRAP_MEMORY_OOB);
    CHECK_EQ(st->last_trap.nframes, 0);
    free_store(st);
}

/* Host functions re-entering without end exhaust the native stack: a trap, not a crash. */
static rt_func *self_fn;
static rt_trap_code reenter_forever(void *env, rt_instance *caller, uint64_t *slots) {
    slots[0]++;
    return rt_call(env, self_fn, slots);
}

TEST(rt_native_stack_exhaustion_is_a_trap) {
    rt_store *st = new_store();
    self_fn = host(st, reenter_forever, st);
    uint64_t slots[1] = {0};
    CHECK_EQ(rt_call(st, self_fn, slots), RT_TRAP_STACK_EXHAUSTED);
    CHECK(slots[0] > 100);
    slots[0] = 5;
    CHECK_EQ(rt_call(st, host(st, nop_fn, NULL), slots), RT_TRAP_NONE);
    free_store(st);
}

/* Reservations come back from the engine's pool clean: zeroed and inaccessible. */
TEST(rt_memory_pool_reuse_is_clean) {
    rt_engine *e = rt_engine_new(NULL);
    rt_store *st = rt_store_new(e);
    tw_memtype t = {.lim = {2, 0, false}};
    rt_memory *m = rt_memory_new(st, &t, NULL);
    CHECK(m);
    uint8_t *base = m->base;
    memset(base, 0x5a, 2 * TB_WASM_PAGE);
    rt_store_free(st);
    st = rt_store_new(e);
    tw_memtype t1 = {.lim = {1, 0, false}};
    fault_mem = rt_memory_new(st, &t1, NULL);
    CHECK(fault_mem && fault_mem->base == base); /* reused */
    CHECK_EQ(fault_mem->base[0], 0);
    CHECK_EQ(fault_mem->base[TB_WASM_PAGE - 1], 0);
    uint64_t slots[1] = {0}; /* the old second page must not be accessible */
    CHECK_EQ(rt_call(st, host(st, touch_out_of_bounds, NULL), slots), RT_TRAP_MEMORY_OOB);
    CHECK_EQ(rt_memory_grow(fault_mem, 1), 1);
    CHECK_EQ(fault_mem->base[TB_WASM_PAGE], 0);
    rt_store_free(st);
    rt_engine_free(e);
}
