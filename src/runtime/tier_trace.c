/* tier_trace: backtraces through compiled code. Compiled functions keep frame pointers
   (src/llvm/emit.c), so a trap walks the chain of saved frame pointers from the trap
   point outwards and names each frame whose return address lies in a registered
   module's code. Registration is a fixed table read without locks: the fault handler
   (a signal) must not take one. */
#include <pthread.h>
#include <stdatomic.h>
#include <ucontext.h>
#include "ops.h"
#include "recovery.h"
#include "tier.h"

/* Live compiled modules at once whose traps get frames; more still run, untraced. */
#define MAX_NATIVES 4096u
/* Frames walked at most (recursion deeper than RT_MAX_FRAMES is cut anyway). */
#define MAX_WALK 4096

typedef struct reg_entry {
    _Atomic uintptr_t start;      /* 0: free */
    _Atomic uintptr_t end;
    rt_native *_Atomic native;
} reg_entry;

static reg_entry table[MAX_NATIVES];
static _Atomic uint32_t used;         /* entries [0, used) may be taken */
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;

bool rt_tier_register(rt_native *n, const tw_module *m) {
    n->module = m;
    if (!n->code_end) return false;
    pthread_mutex_lock(&reg_lock);
    uint32_t i = 0, u = atomic_load(&used);
    while (i < u && atomic_load(&table[i].start)) i++;
    bool ok = i < MAX_NATIVES;
    if (ok) {
        atomic_store(&table[i].native, n);
        atomic_store(&table[i].end, n->code_end);
        atomic_store(&table[i].start, n->code_start);
        if (i == u) atomic_store(&used, u + 1);
    }
    pthread_mutex_unlock(&reg_lock);
    return ok;
}

void rt_tier_forget(rt_native *n) {
    pthread_mutex_lock(&reg_lock);
    for (uint32_t i = 0, u = atomic_load(&used); i < u; i++)
        if (atomic_load(&table[i].native) == n) {
            atomic_store(&table[i].start, 0);
            atomic_store(&table[i].native, NULL);
        }
    pthread_mutex_unlock(&reg_lock);
}

/* The module whose code holds pc. A pc on the stack of a running trap is in code that
   is alive, so the native it finds is too. */
static const rt_native *native_at(uintptr_t pc) {
    for (uint32_t i = 0, u = atomic_load(&used); i < u; i++) {
        uintptr_t s = atomic_load(&table[i].start);
        if (s && pc >= s && pc < atomic_load(&table[i].end)) return atomic_load(&table[i].native);
    }
    return NULL;
}

/* One frame if pc is in a compiled Wasm function; false otherwise. */
static bool add_frame(rt_store *st, uintptr_t pc) {
    const rt_native *n = native_at(pc);
    int64_t k = n && n->func_at ? n->func_at(n, pc) : -1;
    if (k < 0) return false;
    const tw_module *m = n->module;
    /* No per-instruction map yet: the frame names the function, at its body's start. */
    rt_trap_add_frame(st, m, m->nimported_funcs + (uint32_t)k, m->funcs[k].code_offset);
    return true;
}

/* Follow saved frame pointers from fp up to the entry's rt_call frame (the recovery
   point lives there, above every frame of this call). Every fp read lies in [lo, top),
   the live part of this thread's stack, and each is above the last, so the walk reads
   only mapped stack and ends. Frames outside compiled code before the first compiled
   one are helpers; the first one after them ends the walk. */
static void walk(rt_store *st, uintptr_t lo, uintptr_t fp, bool seen) {
    uintptr_t top = (uintptr_t)rt_tl_recovery;
    for (int i = 0; i < MAX_WALK && fp >= lo && !(fp & 7) && fp + 16 <= top; i++) {
        const uintptr_t *frame = (const uintptr_t *)fp;
        uintptr_t pc = frame[1] - 1; /* inside the call instruction */
        if (add_frame(st, pc)) seen = true;
        else if (seen) return;
        if (frame[0] <= fp) return;
        fp = frame[0];
    }
}

__attribute__((noinline, noreturn)) void rt_tier_raise(rt_trap_code code) {
    rt_recovery *r = rt_tl_recovery;
    uintptr_t fp = (uintptr_t)__builtin_frame_address(0);
    if (r && r->store) walk(r->store, fp, fp, false);
    rt_trap_raise(code);
}

/* Fault hook (ops.h): the faulting instruction, then its callers. */
static void on_fault(void *arg, rt_store *st, const void *uctx) {
    (void)arg;
#if defined(__x86_64__)
    const ucontext_t *uc = uctx;
    uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    uintptr_t fp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
    uintptr_t sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
    if (add_frame(st, pc)) walk(st, sp, fp, true);
#else
    (void)st;
    (void)uctx;
#endif
}

void rt_tier_entered(void) {
    rt_recovery *r = rt_tl_recovery;
    if (r && !r->hook) rt_set_fault_hook(on_fault, NULL);
}
