/* checks: fuel and epoch checks in compiled code (M->checks, RT_CHECK_*), the
   interpreter's (interp/fuel.c, interp/lower.c emit_check) at the same points with the
   same costs, so a budget stops compiled code exactly where it stops the interpreter.

   Check points are every function entry and every loop header the interpreter lowers
   (a loop in code it skips as unreachable gets none). A check charges the number of
   Wasm instructions from it, in code order, up to the next check point (at least 1).
   The costs are found before translating (plan): a walk of the body that follows the
   interpreter's notion of unreachable code, which differs from the translator's (after
   a block whose end no branch reaches, the interpreter still lowers what follows).

   Cost (bench/, artifacts, CPU time, best of 5): geomean 1.18x with fuel, 1.14x with
   epochs (1.08x / 1.07x without matmul); matmul 3.1x / 2.3x, most of it because its
   loop is no longer versioned and vectorized (unversioned it is 1.9x slower), vm
   1.35x / 1.29x. Code without checks is unchanged (byte for byte). */
#include <stddef.h>
#include "llc.h"

enum { PLAN_DEAD = 1, PLAN_UNREACHABLE = 2 };

/* Record a check point at `offset` (the entry: UINT32_MAX); the previous one is
   charged with what came since it. */
static void plan_point(llc_checks *C, uint32_t offset, uint32_t *since) {
    if (C->n) C->cost[C->n - 1] = *since ? *since : 1;
    C->at[C->n++] = offset;
    *since = 0;
}

/* One instruction in code the interpreter skips: only nesting is followed. */
static void plan_skip(uint8_t *ctl, uint32_t *depth, tw_op op) {
    uint8_t *top = &ctl[*depth - 1];
    switch (op) {
    case TW_OP_BLOCK: case TW_OP_LOOP: case TW_OP_IF:
        ctl[(*depth)++] = PLAN_DEAD | PLAN_UNREACHABLE;
        break;
    case TW_OP_ELSE:
        if (!(*top & PLAN_DEAD)) *top &= (uint8_t)~PLAN_UNREACHABLE;
        break;
    case TW_OP_END: (*depth)--; break;
    default: break;
    }
}

/* One instruction in code the interpreter lowers. */
static void plan_live(llc_checks *C, uint8_t *ctl, uint32_t *depth, const dec_instr *in,
                      uint32_t *since) {
    uint8_t *top = &ctl[*depth - 1];
    switch (in->op) {
    case TW_OP_UNREACHABLE: case TW_OP_BR: case TW_OP_BR_TABLE: case TW_OP_RETURN:
        *top |= PLAN_UNREACHABLE;
        break;
    case TW_OP_LOOP:
        plan_point(C, in->offset, since);
        ctl[(*depth)++] = 0;
        break;
    case TW_OP_BLOCK: case TW_OP_IF: ctl[(*depth)++] = 0; break;
    case TW_OP_ELSE: *top &= (uint8_t)~PLAN_UNREACHABLE; break;
    case TW_OP_END: (*depth)--; break;
    default: break;
    }
}

/* The check points of fn and their costs. The body is valid: nesting never exceeds
   its length in bytes. */
static bool plan(llc_fn *F, const tw_func *fn) {
    llc_checks *C = &F->checks;
    uint32_t cap = fn->code_len + 2;
    uint8_t *ctl = tb_malloc(cap);
    C->at = tb_malloc(cap * sizeof *C->at);
    C->cost = tb_malloc(cap * sizeof *C->cost);
    if (!ctl || !C->at || !C->cost) {
        tb_free(ctl);
        return tb_oom(F->err);
    }
    dec_reader r = {.p = fn->code, .end = fn->code + fn->code_len, .base = F->M->m->bytes};
    dec_instr in;
    uint32_t depth = 1, since = 0;
    ctl[0] = 0;
    plan_point(C, UINT32_MAX, &since);
    while (depth && dec_instr_next(&r, &in, F->err)) {
        since++;
        if (ctl[depth - 1] & PLAN_UNREACHABLE) plan_skip(ctl, &depth, in.op);
        else plan_live(C, ctl, &depth, &in, &since);
    }
    C->cost[C->n - 1] = since ? since : 1;
    tb_free(ctl);
    return depth == 0;
}

static LLVMValueRef fuel_ptr(llc_fn *F) {
    return llc_load_const(F, F->vmctx, offsetof(rt_vmctx, fuel), F->M->ptr);
}

/* The function keeps the fuel in a local (a register, after mem2reg), read from the
   store at its entry and after each call (a callee or host function spends or sets
   it). Each check writes what is left back with a volatile store: it stays in order
   with linear memory's volatile accesses, so a trap in them (a signal) finds the
   fuel of its check point, as in the interpreter; and a loop carries the fuel in a
   register, not through a load of what its last round stored. */
static void fuel_reload(llc_fn *F) {
    LLVMBuildStore(F->b, llc_load_field(F, fuel_ptr(F), 0, F->M->i64), F->checks.fuel);
}

static void fuel_local(llc_fn *F) {
    F->checks.fuel = llc_entry_alloca(F, F->M->i64, NULL, "fuel");
    fuel_reload(F);
}

/* The fuel check (subtract, store, trap below 0), then the epoch check (a relaxed load
   of the engine's counter against the store's deadline). The trap helper is an opaque
   call, so every Wasm store before a check stays before it. */
static void emit_check(llc_fn *F, uint32_t cost) {
    llc_mod *M = F->M;
    if (M->checks & RT_CHECK_FUEL) {
        LLVMValueRef left = LLVMBuildSub(F->b, LLVMBuildLoad2(F->b, M->i64, F->checks.fuel, ""),
                                         LLVMConstInt(M->i64, cost, 0), "fuel");
        LLVMBuildStore(F->b, left, F->checks.fuel);
        LLVMValueRef st = LLVMBuildStore(F->b, left, fuel_ptr(F));
        LLVMSetVolatile(st, 1);
        llc_tag(F, st, LLC_TBAA_RT);
        llc_trap_if(F, LLVMBuildICmp(F->b, LLVMIntSLT, left, LLVMConstInt(M->i64, 0, 0), ""),
                    RT_TRAP_OUT_OF_FUEL);
    }
    if (M->checks & RT_CHECK_EPOCH) {
        LLVMValueRef ep = llc_load_const(F, F->vmctx, offsetof(rt_vmctx, epoch), M->ptr);
        LLVMValueRef now = llc_load_field(F, ep, 0, M->i64);
        LLVMSetOrdering(now, LLVMAtomicOrderingMonotonic);
        LLVMSetAlignment(now, 8);
        LLVMValueRef dp = llc_load_const(F, F->vmctx, offsetof(rt_vmctx, epoch_deadline),
                                         M->ptr);
        LLVMValueRef deadline = llc_load_field(F, dp, 0, M->i64);
        llc_trap_if(F, LLVMBuildICmp(F->b, LLVMIntUGE, now, deadline, ""), RT_TRAP_INTERRUPT);
    }
}

void llc_checks_call(llc_fn *F) {
    if (F->checks.fuel) fuel_reload(F);
}

bool llc_checks_entry(llc_fn *F, const tw_func *fn) {
    if (!plan(F, fn)) return false;
    if (F->M->checks & RT_CHECK_FUEL) fuel_local(F);
    emit_check(F, F->checks.cost[0]);
    F->checks.next = 1;
    return true;
}

/* Loop headers come in code order; one the interpreter skipped as unreachable is
   passed over (the translator never reaches such a loop: it skips more). */
void llc_checks_loop(llc_fn *F, const dec_instr *loop) {
    llc_checks *C = &F->checks;
    while (C->next < C->n && C->at[C->next] < loop->offset) C->next++;
    uint32_t cost = 1;   /* defensive: every loop translated is a check point */
    if (C->next < C->n && C->at[C->next] == loop->offset) cost = C->cost[C->next++];
    emit_check(F, cost);
}

void llc_checks_free(llc_fn *F) {
    tb_free(F->checks.at);
    tb_free(F->checks.cost);
    memset(&F->checks, 0, sizeof F->checks);
}
