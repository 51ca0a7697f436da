/* recovery: the per-thread chain of rt_call entries a trap unwinds to (private to
   src/runtime: signals.c jumps to it, call.c sets it up). */
#ifndef RT_RECOVERY_H
#define RT_RECOVERY_H

#include <setjmp.h>
#include "ops.h"

typedef struct rt_recovery {
    sigjmp_buf buf;
    struct rt_recovery *prev;      /* the enclosing entry (a host function called us) */
    volatile rt_trap_code code;    /* set by whoever jumps here */
    rt_store *store;
    rt_fault_hook hook;            /* the tier's, see rt_set_fault_hook (ops.h) */
    void *hook_arg;
} rt_recovery;

/* Innermost entry of this thread, NULL outside Wasm. initial-exec: the signal handler
   reads it, and that model never allocates on access. */
extern __thread rt_recovery *rt_tl_recovery __attribute__((tls_model("initial-exec")));

/* Lowest native stack address an entry may start at: below it, rt_call refuses with
   "call stack exhausted" (host functions calling back into Wasm recurse natively). */
extern __thread uintptr_t rt_tl_stack_floor __attribute__((tls_model("initial-exec")));

/* Per-thread set-up: an alternate signal stack (for faults on a full stack) and the
   native stack floor. */
void rt_signals_init_thread(void);
/* Release a store's value stack (call.c). */
void rt_exec_free(rt_engine *e, rt_exec *ex);

#endif
