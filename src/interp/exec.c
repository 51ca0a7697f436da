/* exec: the interpreter's dispatch core: entry from rt_call, control flow, calls
   (without C recursion), returns, traps with backtraces, moves and constants. */
#include <ucontext.h>
#include "internal.h"
#include "../runtime/store.h"

void interp_ctx_set_inst(interp_ctx *ctx, rt_instance *inst) {
    ctx->inst = inst;
    ctx->mem0 = inst->module->nmems ? inst->mems[0] : NULL;
    ctx->globals = inst->globals;
    ctx->funcs = inst->funcs;
    ctx->tables = inst->tables;
}

/* ---- control ---- */

IHANDLER h_unreachable(IARGS) { TRAP(RT_TRAP_UNREACHABLE); }
IHANDLER h_nop(IARGS) { NEXT(1); }
IHANDLER h_exit(IARGS) { return RT_TRAP_NONE; }

/* [h][target] */
IHANDLER h_br(IARGS) { JUMP(pc[1].target); }

/* [h][cond][target] */
IHANDLER h_br_if(IARGS) {
    if (sl_u32(fp, OPA(1))) JUMP(pc[2].target);
    NEXT(3);
}
IHANDLER h_br_unless(IARGS) {
    if (!sl_u32(fp, OPA(1))) JUMP(pc[2].target);
    NEXT(3);
}
/* the condition from the accumulator */
IHANDLER h_br_if_x(IARGS) {
    if ((uint32_t)xi) JUMP(pc[2].target);
    NEXT(3);
}
IHANDLER h_br_unless_x(IARGS) {
    if (!(uint32_t)xi) JUMP(pc[2].target);
    NEXT(3);
}

/* [h][dst|src][imm][target]: dst = src + imm, then branch on it (count-down loops) */
IHANDLER h_add_br_if(IARGS) {
    uint32_t r = sl_u32(fp, OPB(1)) + (uint32_t)OPU(2);
    fp[OPA(1)] = r;
    xi = r;
    if (r) JUMP(pc[3].target);
    NEXT(4);
}
IHANDLER h_add_br_unless(IARGS) {
    uint32_t r = sl_u32(fp, OPB(1)) + (uint32_t)OPU(2);
    fp[OPA(1)] = r;
    xi = r;
    if (!r) JUMP(pc[3].target);
    NEXT(4);
}

/* [h][dst1|src1][imm1][dst2|src2][imm2]: two i32.adds of an immediate in a row (the
   pointer bumps of a loop), in order: src2 may be dst1 */
IHANDLER h_add2(IARGS) {
    fp[OPA(1)] = sl_u32(fp, OPB(1)) + (uint32_t)OPU(2);
    uint32_t r = sl_u32(fp, OPB(3)) + (uint32_t)OPU(4);
    fp[OPA(3)] = r;
    xi = r;
    NEXT(5);
}

/* [h][idx|n][target 0]..[target n-1][default] */
IHANDLER h_br_table(IARGS) {
    uint32_t i = sl_u32(fp, OPA(1)), n = OPB(1);
    if (i > n) i = n;
    JUMP(pc[2 + i].target);
}

/* [h]: results are already in fp[0..). */
IHANDLER h_ret(IARGS) {
    iframe *fr = ctx->csp;
    ctx->csp = fr + 1;
    pc = fr->ret;
    fp = fr->fp;
    if (TB_UNLIKELY(fr->inst != ctx->inst)) {
        interp_ctx_set_inst(ctx, fr->inst);
        mem = interp_membase(ctx);
    }
    ENTER(pc, fp);
}

/* [h][src] and [h][value]: return one value. */
IHANDLER h_ret1(IARGS) {
    fp[0] = fp[OPA(1)];
    __attribute__((musttail)) return h_ret(pc, fp, mem, ctx, xi, xd, xf);
}
IHANDLER h_retk(IARGS) {
    fp[0] = OPU(1);
    __attribute__((musttail)) return h_ret(pc, fp, mem, ctx, xi, xd, xf);
}

/* ---- calls ---- */

/* Push a frame for f at nfp; false if the depth or the value stack would overflow. */
static inline bool push_frame(interp_ctx *ctx, const interp_func *f, uint64_t *fp,
                              uint64_t *nfp, const icell *ret) {
    iframe *fr = ctx->csp - 1;
    if (TB_UNLIKELY(fr < ctx->csp_limit || nfp + f->frame_slots > (uint64_t *)fr))
        return false;
    fr->ret = ret;
    fr->fp = fp;
    fr->inst = ctx->inst;
    ctx->csp = fr;
    uint64_t *l = nfp + f->param_slots;
    if (TB_LIKELY(f->local_slots <= INTERP_ZERO_MIN)) {
        for (int i = 0; i < INTERP_ZERO_MIN; i++) l[i] = 0; /* unrolled, no call */
    } else {
        memset(l, 0, (size_t)f->local_slots * 8);
    }
    return true;
}

/* f (a function of inst's module) lowered at its first call; NULL after setting the
   host trap message when memory ran out. */
static __attribute__((noinline, cold)) const icell *lower_at_call(rt_store *st,
                                                                  const rt_instance *inst,
                                                                  const interp_func *f) {
    tb_error err;
    const icell *code = interp_lower_now((interp_module *)inst->code, (interp_func *)f, &err);
    if (!code) rt_trap_set_host_message(st, "out of memory lowering a function to run it");
    return code;
}

/* f's code, lowered now if this is its first call (NULL: see lower_at_call). */
static inline const icell *code_of(rt_store *st, const rt_instance *inst, const interp_func *f) {
    const icell *code = interp_code(f);
    return TB_LIKELY(code != NULL) ? code : lower_at_call(st, inst, f);
}

/* [h][func][argbase]: a function defined in this module. */
IHANDLER h_call(IARGS) {
    const interp_func *f = pc[1].p;
    uint64_t *nfp = fp + OPU(2);
    const icell *code = code_of(ctx->st, ctx->inst, f);
    if (TB_UNLIKELY(!code)) TRAP(RT_TRAP_HOST);
    if (TB_UNLIKELY(!push_frame(ctx, f, fp, nfp, pc + 3))) TRAP(RT_TRAP_STACK_EXHAUSTED);
    pc = code;
    ENTER(pc, nfp);
}

static iframe *frames_top(const rt_exec *ex) { return (iframe *)ex->stack_end; }

/* Host functions may re-enter (rt_call -> interp_invoke): leave them the free part of
   the stacks, and a non-zero depth, which tells interp_invoke it is nested. */
static rt_trap_code call_host(interp_ctx *ctx, rt_func *f, uint64_t *args) {
    rt_exec *ex = &ctx->st->exec;
    uint64_t *sp = ex->sp;
    void *csp = ex->csp;
    uint32_t depth = ex->depth;
    uint32_t n = f->sig->param_slots > f->sig->result_slots ? f->sig->param_slots
                                                             : f->sig->result_slots;
    ex->sp = args + n;
    ex->csp = ctx->csp;
    ex->depth = (uint32_t)(frames_top(ex) - ctx->csp);
    rt_trap_code c = f->host(f->host_env, ctx->inst, args);
    ex->sp = sp;
    ex->csp = csp;
    ex->depth = depth;
    return c;
}

/* Call any function object: host, or Wasm possibly of another instance. */
#define CALL_RTFUNC(f, argbase, ncells)                                                \
    do {                                                                               \
        uint64_t *nfp_ = fp + (argbase);                                               \
        if ((f)->host) {                                                               \
            rt_trap_code c_ = call_host(ctx, (f), nfp_);                               \
            if (TB_UNLIKELY(c_ != RT_TRAP_NONE)) TRAP(c_);                             \
            NEXT(ncells);                                                              \
        }                                                                              \
        const interp_func *cf_ = (f)->code;                                            \
        const icell *code_ = code_of(ctx->st, (f)->inst, cf_);                         \
        if (TB_UNLIKELY(!code_)) TRAP(RT_TRAP_HOST);                                   \
        if (TB_UNLIKELY(!push_frame(ctx, cf_, fp, nfp_, pc + (ncells))))               \
            TRAP(RT_TRAP_STACK_EXHAUSTED);                                             \
        if ((f)->inst != ctx->inst) {                                                  \
            interp_ctx_set_inst(ctx, (f)->inst);                                       \
            mem = interp_membase(ctx);                                                 \
        }                                                                              \
        pc = code_;                                                                    \
        ENTER(pc, nfp_);                                                               \
    } while (0)

/* [h][funcidx|argbase]: an imported function. */
IHANDLER h_call_import(IARGS) {
    rt_func *f = ctx->funcs[OPA(1)];
    CALL_RTFUNC(f, OPB(1), 2);
}

static const rt_sig *sig_of(interp_ctx *ctx, uint32_t type) {
    rt_instance *in = ctx->inst;
    if (TB_UNLIKELY(!in->sigs)) {
        const tw_module *m = in->module;
        const rt_sig **s = rt_store_alloc(ctx->st, sizeof(*s) * (m->ntypes + 1), NULL);
        if (!s) return NULL;
        for (uint32_t i = 0; i < m->ntypes; i++)
            s[i] = rt_engine_intern_sig(ctx->st->engine, &m->types[i]);
        in->sigs = s;
    }
    return in->sigs[type];
}

/* [h][argbase|elem slot][table|type] */
IHANDLER h_call_indirect(IARGS) {
    rt_table *t = ctx->tables[OPA(2)];
    uint32_t i = sl_u32(fp, OPB(1));
    if (TB_UNLIKELY(i >= t->size)) TRAP(RT_TRAP_UNDEFINED_ELEMENT);
    rt_func *f = t->elems[i];
    if (TB_UNLIKELY(!f)) TRAP(RT_TRAP_UNINITIALIZED_ELEMENT);
    if (TB_UNLIKELY(f->sig != sig_of(ctx, OPB(2)))) TRAP(RT_TRAP_INDIRECT_MISMATCH);
    CALL_RTFUNC(f, OPA(1), 3);
}

/* ---- moves, constants, select, globals ---- */

/* [h][dst|src] */
IHANDLER h_copy(IARGS) { fp[OPA(1)] = fp[OPB(1)]; NEXT(2); }
IHANDLER h_copy2(IARGS) {
    uint32_t d = OPA(1), s = OPB(1);
    uint64_t lo = fp[s], hi = fp[s + 1];
    fp[d] = lo;
    fp[d + 1] = hi;
    NEXT(2);
}
/* [h][dst][value] and [h][dst][lo][hi] */
IHANDLER h_const64(IARGS) { fp[OPA(1)] = OPU(2); NEXT(3); }
IHANDLER h_const128(IARGS) {
    fp[OPA(1)] = OPU(2);
    fp[OPA(1) + 1] = OPU(3);
    NEXT(4);
}
/* [h][dst|cond][a|b] */
IHANDLER h_select(IARGS) {
    fp[OPA(1)] = sl_u32(fp, OPB(1)) ? fp[OPA(2)] : fp[OPB(2)];
    NEXT(3);
}
IHANDLER h_select2(IARGS) {
    uint32_t s = sl_u32(fp, OPB(1)) ? OPA(2) : OPB(2);
    uint64_t lo = fp[s], hi = fp[s + 1];
    fp[OPA(1)] = lo;
    fp[OPA(1) + 1] = hi;
    NEXT(3);
}
/* [h][dst|global] and [h][global|src] */
IHANDLER h_global_get(IARGS) { fp[OPA(1)] = ctx->globals[OPB(1)]->val[0]; NEXT(2); }
IHANDLER h_global_set(IARGS) { ctx->globals[OPA(1)]->val[0] = fp[OPB(1)]; NEXT(2); }
IHANDLER h_global_get2(IARGS) {
    rt_global *g = ctx->globals[OPB(1)];
    fp[OPA(1)] = g->val[0];
    fp[OPA(1) + 1] = g->val[1];
    NEXT(2);
}
IHANDLER h_global_set2(IARGS) {
    rt_global *g = ctx->globals[OPA(1)];
    g->val[0] = fp[OPB(1)];
    g->val[1] = fp[OPB(1) + 1];
    NEXT(2);
}
/* [h][dst|func] */
IHANDLER h_ref_func(IARGS) { fp[OPA(1)] = (uint64_t)(uintptr_t)ctx->funcs[OPB(1)]; NEXT(2); }

/* ---- entry and traps ---- */

static const icell exit_code[1] = {{.h = h_exit}};

const void *interp_func_entry(const interp_module *im, uint32_t funcidx) {
    return &im->funcs[funcidx - im->m->nimported_funcs];
}

uint32_t interp_pc_offset(const interp_func *f, const icell *pc) {
    uint32_t cell = (uint32_t)(pc - interp_code(f)), lo = 0, hi = f->npcmap;
    while (lo < hi) { /* last entry with .cell <= cell */
        uint32_t mid = (lo + hi) / 2;
        if (f->pcmap[mid].cell <= cell) lo = mid + 1; else hi = mid;
    }
    return lo ? f->pcmap[lo - 1].offset : 0;
}

static const interp_func *func_at(const rt_instance *inst, const icell *pc) {
    const interp_module *im = inst ? inst->code : NULL;
    if (!im) return NULL;
    for (uint32_t i = 0; i < im->nfuncs; i++) {
        const interp_func *f = &im->funcs[i];
        const icell *code = interp_code(f);
        if (code && pc >= code && pc < code + f->ncells) return f;
    }
    return NULL;
}

/* Walk the frames from the trap point outwards, innermost first, down to `base` (the
   frame of the entry). */
static void backtrace(interp_ctx *ctx, const iframe *base) {
    const icell *pc = ctx->trap_pc;
    rt_instance *inst = ctx->inst;
    for (const iframe *fr = ctx->csp; fr < base; fr++) {
        const interp_func *f = func_at(inst, pc);
        if (!f) break;
        rt_trap_add_frame(ctx->st, inst->module, f->funcidx, interp_pc_offset(f, pc));
        pc = fr->ret - 1; /* the last cell of the call instruction */
        inst = fr->inst;
    }
}

/* The general registers of a fault's context, and the index of the one holding pc in
   the handlers' calling convention (IHANDLER), or -1 where we don't know it. */
static uint32_t fault_regs(const void *uctx, const uint64_t **regs, int *pc_reg) {
    const ucontext_t *uc = uctx;
#if defined(__x86_64__)
    *regs = (const uint64_t *)uc->uc_mcontext.gregs;
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
    *pc_reg = REG_RDI;
#else
    *pc_reg = REG_R12;
#endif
    return NGREG;
#elif defined(__aarch64__)
    *regs = (const uint64_t *)uc->uc_mcontext.regs;
    *pc_reg = -1;
    return 31;
#else
    (void)uc;
    *regs = NULL;
    *pc_reg = -1;
    return 0;
#endif
}

/* The lowered pc at a fault: the handler holds it in the convention's first argument
   register, which clang advances only after the handler's memory accesses (checked on
   the disassembly of mem.o, num.o and simd.o with clang 19; a handler that advanced it
   first would report the next instruction's offset). Where that register is unknown,
   any register pointing into the current instance's code will do. NULL if none does. */
static const icell *fault_pc(const interp_ctx *ctx, const void *uctx) {
    const uint64_t *regs;
    int pc_reg;
    uint32_t n = fault_regs(uctx, &regs, &pc_reg);
    if (pc_reg >= 0 && func_at(ctx->inst, (const icell *)(uintptr_t)regs[pc_reg]))
        return (const icell *)(uintptr_t)regs[pc_reg];
    for (uint32_t i = 0; i < n; i++)
        if (func_at(ctx->inst, (const icell *)(uintptr_t)regs[i]))
            return (const icell *)(uintptr_t)regs[i];
    return NULL;
}

/* Fault hook (rt_set_fault_hook): an out-of-bounds access unwinds straight to rt_call,
   so the backtrace is taken here, on the signal stack, with the frames still intact.
   Only reads memory and calls rt_trap_add_frame. */
static void on_fault(void *arg, rt_store *st, const void *uctx) {
    interp_ctx *ctx = arg;
    ctx->trap_pc = fault_pc(ctx, uctx);
    if (ctx->trap_pc) backtrace(ctx, ctx->base);
}

rt_trap_code interp_invoke(rt_store *st, rt_func *fn, uint64_t *slots) {
    const interp_func *f = fn->code;
    const icell *code = code_of(st, fn->inst, f);
    if (!code) return RT_TRAP_HOST;
    rt_exec *ex = &st->exec;
    uint32_t depth0 = ex->depth;
    bool nested = depth0 && ex->sp;
    iframe *top = frames_top(ex);
    uint32_t max_depth = ex->max_depth ? ex->max_depth : TB_MAX_CALL_DEPTH;
    /* frames may take at most a quarter of the stack */
    size_t cap = (size_t)(ex->stack_end - ex->stack) * 8 / 4 / sizeof(iframe);
    if (max_depth > cap) max_depth = (uint32_t)cap;
    interp_ctx ctx = {.st = st, .csp = nested ? ex->csp : top, .csp_limit = top - max_depth};
    interp_ctx_set_inst(&ctx, fn->inst);
    iframe *base = ctx.csp;
    uint64_t *fp = nested ? ex->sp : ex->stack;
    if (!push_frame(&ctx, f, NULL, fp, exit_code)) return RT_TRAP_STACK_EXHAUSTED;
    memcpy(fp, slots, (size_t)f->param_slots * 8);
    ctx.base = base;
    rt_set_fault_hook(on_fault, &ctx);
    rt_trap_code tc = code->h(code, fp, interp_membase(&ctx), &ctx, 0, 0, 0);
    rt_set_fault_hook(NULL, NULL); /* ctx ends here */
    if (tc == RT_TRAP_NONE) {
        memcpy(slots, fp, (size_t)f->result_slots * 8);
    } else {
        st->last_trap.code = tc;
        backtrace(&ctx, base);
    }
    ex->depth = depth0;
    return tc;
}
