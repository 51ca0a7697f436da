/* call: rt_call, the one way into Wasm or host code: value stack set-up, trap recovery
   for every entry (so a host function calling back into Wasm gets the trap as a value),
   and trap details. */
#include <stdio.h>
#include <sys/mman.h>
#include "../base/limits.h"
#include "../interp/interp.h"
#include "ops.h"
#include "pool.h"
#include "recovery.h"
#include "store.h"

/* A guard after the value stack: running off it traps instead of corrupting memory. */
#define RT_STACK_GUARD (64u << 10)

/* The engine's Wasm stack size, in bytes, whole pages; at least one page of slots. */
static size_t stack_bytes(const rt_engine *e) {
    uint64_t b = rt_engine_config(e)->max_wasm_stack;
    if (!b) return (size_t)TB_MAX_VALUE_STACK * sizeof(uint64_t);
    if (b > (uint64_t)TB_MAX_VALUE_STACK * sizeof(uint64_t) * 16)
        b = (uint64_t)TB_MAX_VALUE_STACK * sizeof(uint64_t) * 16;
    return (size_t)((b + 4095) & ~(uint64_t)4095);
}

/* The whole mapping is registered as "call stack exhausted": only its guard can fault.
   Nothing is touched here: pages are faulted in as the stack grows. */
static uint64_t *map_stack(const rt_engine *e) {
    size_t bytes = stack_bytes(e), len = bytes + RT_STACK_GUARD;
    uint8_t *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return NULL;
    if (mprotect(p, bytes, PROT_READ | PROT_WRITE) != 0 ||
        !rt_region_add(p, len, RT_TRAP_STACK_EXHAUSTED)) {
        munmap(p, len);
        return NULL;
    }
    return (uint64_t *)p;
}

/* Stale values in a reused stack are never observable (validated code writes every
   slot before reading it), so only memory far from the hot ends is given back. */
#define RT_STACK_KEEP (64u << 10)

/* Whether a stack was used past its kept ends is read from two canary words at the
   edges of its middle: values grow up from the start and frames down from the end,
   each contiguously, so reaching the middle overwrites one. A pooled stack whose
   canaries are intact goes back without a system call (a madvise costs microseconds
   here, plus a TLB flush on every CPU running the process). Canaries are set when a
   stack is first reused, so a one-store process never touches those pages. A tenant
   that wrote the canary's own value there only keeps memory resident longer. */
#define RT_STACK_CANARY 0x7461686f2d737461ull /* "taho-sta" */

static bool has_middle(size_t bytes) { return bytes > 4 * RT_STACK_KEEP; }
static uint64_t *canary_lo(uint8_t *p) { return (uint64_t *)(p + RT_STACK_KEEP); }
static uint64_t *canary_hi(uint8_t *p, size_t bytes) {
    return (uint64_t *)(p + bytes - RT_STACK_KEEP) - 1;
}

static bool ensure_stack(rt_store *st) {
    if (st->exec.stack) return true;
    size_t bytes = stack_bytes(st->engine);
    rt_slot_note note = {0};
    uint64_t *s = rt_pool_take(rt_engine_pool(st->engine), RT_POOL_STACK, &note);
    st->exec.stack_marked = s != NULL && has_middle(bytes);
    if (st->exec.stack_marked && !note.warm) {
        *canary_lo((uint8_t *)s) = RT_STACK_CANARY;
        *canary_hi((uint8_t *)s, bytes) = RT_STACK_CANARY;
    }
    if (!s && !(s = map_stack(st->engine))) return false;
    st->exec.stack = s;
    st->exec.stack_end = s + bytes / sizeof(uint64_t);
    return true;
}

/* Whether the page at p is resident (a failed check counts as resident). */
static bool resident(uint8_t *p) {
    unsigned char v = 1;
    return mincore((void *)((uintptr_t)p & ~(uintptr_t)4095), 4096, &v) != 0 || (v & 1);
}

/* Give back the middle of a stack unless it was never reached; *marked: its canaries
   are still set afterwards. An unmarked stack (first use) is checked with mincore. */
static bool trim_stack(uint8_t *p, size_t bytes, bool *marked) {
    if (!has_middle(bytes)) return true;
    uint8_t *lo = (uint8_t *)canary_lo(p), *hi = (uint8_t *)canary_hi(p, bytes);
    if (*marked && *canary_lo(p) == RT_STACK_CANARY && *canary_hi(p, bytes) == RT_STACK_CANARY)
        return true;
    if (!*marked && !resident(lo) && !resident(hi)) return true;
    *marked = false; /* the canary pages go with the rest */
    return madvise(lo, bytes - 2 * RT_STACK_KEEP, MADV_DONTNEED) == 0;
}

void rt_exec_free(rt_engine *e, rt_exec *ex) {
    if (!ex->stack) return;
    uint8_t *p = (uint8_t *)ex->stack;
    size_t bytes = stack_bytes(e), len = bytes + RT_STACK_GUARD;
    bool marked = ex->stack_marked;
    ex->stack = ex->stack_end = NULL;
    ex->stack_marked = false;
    rt_slot_note note = {0};
    bool ok = trim_stack(p, bytes, &marked);
    note.warm = marked;
    if (!ok || !rt_pool_give(rt_engine_pool(e), RT_POOL_STACK, p, len, &note))
        rt_pool_unmap(p, len);
}

static void clear_trap(rt_trap *t) {
    t->code = RT_TRAP_NONE;
    t->exit_status = 0;
    t->host_message[0] = 0;
    t->nframes = 0;
}

static rt_trap_code call_host(rt_store *st, rt_func *f, uint64_t *slots) {
    return f->host(f->host_env, NULL, slots); /* called by the embedder: no calling instance */
}

static rt_trap_code enter(rt_store *st, rt_func *f, uint64_t *slots) {
    if (f->host) return call_host(st, f, slots);
    return interp_invoke(st, f, slots);
}

rt_trap_code rt_call(rt_store *st, rt_func *f, uint64_t *slots) {
    rt_signals_init_thread();
    /* Outermost entry into this store: forget the previous trap's details. */
    if (!rt_tl_recovery || rt_tl_recovery->store != st) clear_trap(&st->last_trap);
    if (TB_UNLIKELY((uintptr_t)__builtin_frame_address(0) < rt_tl_stack_floor) ||
        (!f->host && !ensure_stack(st))) {
        st->last_trap.code = RT_TRAP_STACK_EXHAUSTED;
        return RT_TRAP_STACK_EXHAUSTED;
    }
    rt_recovery rec;
    rec.prev = rt_tl_recovery;
    rec.code = RT_TRAP_NONE;
    rec.hook = NULL;
    rec.hook_arg = NULL;
    rec.store = st;
    rt_exec saved = st->exec;
    rt_trap_code code;
    if (sigsetjmp(rec.buf, 0) == 0) {
        rt_tl_recovery = &rec;
        code = enter(st, f, slots);
    } else {
        code = rec.code;
        /* The unwound frames never returned: put back the tier's re-entry state. */
        st->exec.depth = saved.depth;
        st->exec.sp = saved.sp;
        st->exec.csp = saved.csp;
    }
    rt_tl_recovery = rec.prev;
    if (code != RT_TRAP_NONE) st->last_trap.code = code;
    return code;
}

void rt_set_fault_hook(rt_fault_hook hook, void *arg) {
    rt_recovery *r = rt_tl_recovery;
    if (!r) return;
    r->hook = hook;
    r->hook_arg = arg;
}

void rt_trap_raise(rt_trap_code code) {
    rt_recovery *r = rt_tl_recovery;
    if (!r) __builtin_trap(); /* a tier bug: raising outside rt_call */
    r->code = code;
    siglongjmp(r->buf, 1);
}

void rt_trap_set_host_message(rt_store *st, const char *msg) {
    snprintf(st->last_trap.host_message, sizeof st->last_trap.host_message, "%s",
             msg ? msg : "");
}

void rt_trap_add_frame(rt_store *st, const void *module, uint32_t func, uint32_t offset) {
    rt_trap *t = &st->last_trap;
    if (t->nframes >= RT_MAX_FRAMES) return;
    t->frames[t->nframes].func = func;
    t->frames[t->nframes].offset = offset;
    t->frames[t->nframes].module = module;
    t->nframes++;
}
