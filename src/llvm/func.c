/* func: one Wasm function -> LLVM IR: the operand stack as SSA values, control flow
   with phis at block ends and loop heads, locals as allocas (promoted by mem2reg
   passes), calls, and the array entry through which the runtime calls it. */
#include <stddef.h>
#include <stdio.h>
#include "llc.h"

/* ---- small helpers ---- */

void llc_push(llc_fn *F, LLVMValueRef v) {
    if (F->sp == F->stack_cap) {
        F->stack_cap = F->stack_cap ? 2 * F->stack_cap : 64;
        F->stack = tb_realloc(F->stack, F->stack_cap * sizeof *F->stack);
    }
    F->stack[F->sp++] = v;
}

LLVMValueRef llc_pop(llc_fn *F) { return F->stack[--F->sp]; }

/* The top n operands (NULL when there are none: the stack may not be allocated yet). */
static LLVMValueRef *top(llc_fn *F, uint32_t n) { return n ? F->stack + F->sp - n : NULL; }

LLVMValueRef llc_i32c(llc_fn *F, uint32_t v) { return LLVMConstInt(F->M->i32, v, 0); }

static LLVMValueRef i64c(llc_fn *F, uint64_t v) { return LLVMConstInt(F->M->i64, v, 0); }

static LLVMValueRef byte_gep(llc_fn *F, LLVMValueRef base, size_t offset) {
    LLVMValueRef idx = i64c(F, offset);
    return LLVMBuildInBoundsGEP2(F->b, F->M->i8, base, &idx, 1, "");
}

void llc_tag(llc_fn *F, LLVMValueRef access, llc_tbaa tag) {
    if (F->M->tbaa[tag]) LLVMSetMetadata(access, F->M->tbaa_kind, F->M->tbaa[tag]);
}

LLVMValueRef llc_load_field(llc_fn *F, LLVMValueRef base, size_t offset, LLVMTypeRef t) {
    LLVMValueRef v = LLVMBuildLoad2(F->b, t, offset ? byte_gep(F, base, offset) : base, "");
    llc_tag(F, v, LLC_TBAA_RT);
    return v;
}

LLVMValueRef llc_load_const(llc_fn *F, LLVMValueRef base, size_t offset, LLVMTypeRef t) {
    LLVMValueRef v = llc_load_field(F, base, offset, t);
    LLVMSetMetadata(v, F->M->invariant_kind, LLVMMetadataAsValue(F->M->ctx,
                    LLVMMDNodeInContext2(F->M->ctx, NULL, 0)));
    return v;
}

/* Scalar TBAA: a root and two types under it; an access tag is (type, type, 0).
   Global values share the type of linear memory: a global.set before an access that
   traps must stay before it, and LLVM (to which accesses never trap) would otherwise
   keep a global in a register across a loop of memory stores and write it at the exit
   (tests/llvm/diff-findings.md, 1). The runtime's structures are only read. */
static void make_tbaa(llc_mod *M) {
    static const char *const names[2] = {"wasm memory", "taho runtime"};
    LLVMContextRef c = M->ctx;
    LLVMMetadataRef root = LLVMMDStringInContext2(c, "taho tbaa", 9);
    root = LLVMMDNodeInContext2(c, &root, 1);
    LLVMMetadataRef zero = LLVMValueAsMetadata(LLVMConstInt(M->i64, 0, 0));
    for (int i = 0; i < 2; i++) {
        LLVMMetadataRef ty[3] = {LLVMMDStringInContext2(c, names[i], strlen(names[i])), root,
                                 zero};
        LLVMMetadataRef type = LLVMMDNodeInContext2(c, ty, 3);
        LLVMMetadataRef tag[3] = {type, type, zero};
        M->tbaa[i] = LLVMMetadataAsValue(c, LLVMMDNodeInContext2(c, tag, 3));
    }
    M->tbaa_kind = LLVMGetMDKindIDInContext(c, "tbaa", 4);
    M->invariant_kind = LLVMGetMDKindIDInContext(c, "invariant.load", 14);
}

/* Trap blocks are made once per function and code. */
static LLVMBasicBlockRef trap_block(llc_fn *F, rt_trap_code code) {
    if (F->trap_bb[code]) return F->trap_bb[code];
    LLVMBasicBlockRef here = LLVMGetInsertBlock(F->b);
    LLVMBasicBlockRef bb = LLVMAppendBasicBlockInContext(F->M->ctx, F->fn, "trap");
    LLVMPositionBuilderAtEnd(F->b, bb);
    LLVMValueRef arg = llc_i32c(F, code);
    llc_helper(F, offsetof(rt_tier_helpers, trap), F->M->voidt, &arg, 1);
    LLVMBuildUnreachable(F->b);
    LLVMPositionBuilderAtEnd(F->b, here);
    return F->trap_bb[code] = bb;
}

void llc_trap_if(llc_fn *F, LLVMValueRef cond, rt_trap_code code) {
    LLVMBasicBlockRef cont = LLVMAppendBasicBlockInContext(F->M->ctx, F->fn, "");
    LLVMValueRef br = LLVMBuildCondBr(F->b, cond, trap_block(F, code), cont);
    /* Traps are cold: weights keep the hot path straight. */
    LLVMMetadataRef mw[3] = {LLVMMDStringInContext2(F->M->ctx, "branch_weights", 14),
                             LLVMValueAsMetadata(llc_i32c(F, 1)),
                             LLVMValueAsMetadata(llc_i32c(F, 1u << 20))};
    LLVMSetMetadata(br, LLVMGetMDKindIDInContext(F->M->ctx, "prof", 4),
                    LLVMMetadataAsValue(F->M->ctx, LLVMMDNodeInContext2(F->M->ctx, mw, 3)));
    LLVMPositionBuilderAtEnd(F->b, cont);
}

LLVMValueRef llc_call_intr(llc_fn *F, const char *name, LLVMTypeRef *tys, unsigned ntys,
                           LLVMValueRef *args, unsigned nargs) {
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    LLVMValueRef fn = LLVMGetIntrinsicDeclaration(F->M->mod, id, tys, ntys);
    LLVMTypeRef ft = LLVMIntrinsicGetType(F->M->ctx, id, tys, ntys);
    return LLVMBuildCall2(F->b, ft, fn, args, nargs, "");
}

/* Call vmctx->h->field(args...). args[0] is usually the vmctx. */
LLVMValueRef llc_helper(llc_fn *F, size_t offset, LLVMTypeRef ret, LLVMValueRef *args,
                        unsigned nargs) {
    LLVMTypeRef ps[8];
    for (unsigned i = 0; i < nargs; i++) ps[i] = LLVMTypeOf(args[i]);
    LLVMTypeRef ft = LLVMFunctionType(ret, ps, nargs, 0);
    LLVMValueRef fp = llc_load_const(F, F->helpers, offset, F->M->ptr);
    LLVMValueRef c = LLVMBuildCall2(F->b, ft, fp, args, nargs, "");
    if (offset == offsetof(rt_tier_helpers, trap))
        LLVMAddCallSiteAttribute(c, LLVMAttributeFunctionIndex,
            LLVMCreateEnumAttribute(F->M->ctx, LLVMGetEnumAttributeKindForName("noreturn", 8), 0));
    return c;
}

LLVMTypeRef llc_type(llc_mod *M, tw_valtype t) {
    switch (t) {
    case TW_I32: return M->i32;
    case TW_I64: return M->i64;
    case TW_F32: return M->f32;
    case TW_F64: return M->f64;
    case TW_V128: return M->v128;
    default: return M->ptr; /* references */
    }
}

static LLVMValueRef zero_of(llc_mod *M, tw_valtype t) {
    return LLVMConstNull(llc_type(M, t));
}

/* Results of a call: void, the one value, or a struct of them. */
static LLVMTypeRef ret_type(llc_mod *M, const tw_functype *ft) {
    if (ft->nresults == 0) return M->voidt;
    if (ft->nresults == 1) return llc_type(M, ft->results[0]);
    LLVMTypeRef ts[ft->nresults];
    for (uint32_t i = 0; i < ft->nresults; i++) ts[i] = llc_type(M, ft->results[i]);
    return LLVMStructTypeInContext(M->ctx, ts, ft->nresults, 0);
}

static void push_results(llc_fn *F, const tw_functype *ft, LLVMValueRef r) {
    if (ft->nresults == 1) llc_push(F, r);
    else
        for (uint32_t i = 0; i < ft->nresults; i++)
            llc_push(F, LLVMBuildExtractValue(F->b, r, i, ""));
}

/* ---- slots (the runtime's calling convention, runtime.h) ---- */

static LLVMValueRef slot_ptr(llc_fn *F, LLVMValueRef slots, uint32_t i) {
    return i ? byte_gep(F, slots, 8u * i) : slots;
}

static LLVMValueRef load_slot(llc_fn *F, LLVMValueRef slots, uint32_t i, tw_valtype t) {
    LLVMValueRef v = LLVMBuildLoad2(F->b, llc_type(F->M, t), slot_ptr(F, slots, i), "");
    LLVMSetAlignment(v, 8);
    return v;
}

/* i32 and f32 are stored zero-extended to the whole slot. */
static LLVMValueRef store_slot(llc_fn *F, LLVMValueRef slots, uint32_t i, tw_valtype t,
                               LLVMValueRef v) {
    if (t == TW_F32) v = LLVMBuildBitCast(F->b, v, F->M->i32, "");
    if (t == TW_I32 || t == TW_F32) v = LLVMBuildZExt(F->b, v, F->M->i64, "");
    LLVMValueRef s = LLVMBuildStore(F->b, v, slot_ptr(F, slots, i));
    LLVMSetAlignment(s, 8);
    return s;
}

/* ---- control ---- */

static void block_type(llc_fn *F, const dec_instr *in, tw_blocktype *bt) {
    static const tw_valtype one[] = {TW_I32, TW_I64, TW_F32, TW_F64, TW_V128, TW_FUNCREF,
                                     TW_EXTERNREF};
    memset(bt, 0, sizeof *bt);
    if (in->u.block.kind == DEC_BLOCK_VALTYPE) {
        for (unsigned i = 0; i < sizeof one; i++)
            if (one[i] == in->u.block.valtype) bt->results = &one[i];
        bt->nresults = 1;
    } else if (in->u.block.kind == DEC_BLOCK_TYPEIDX) {
        const tw_functype *ft = &F->M->m->types[in->u.block.typeidx];
        bt->nparams = ft->nparams;
        bt->params = ft->params;
        bt->nresults = ft->nresults;
        bt->results = ft->results;
    }
}

static llc_ctl *push_ctl(llc_fn *F) {
    if (F->nctl == F->ctl_cap) {
        F->ctl_cap = F->ctl_cap ? 2 * F->ctl_cap : 16;
        F->ctl = tb_realloc(F->ctl, F->ctl_cap * sizeof *F->ctl);
    }
    llc_ctl *c = &F->ctl[F->nctl++];
    memset(c, 0, sizeof *c);
    return c;
}

static void free_ctl(llc_ctl *c) {
    tb_free(c->end_phis);
    tb_free(c->loop_phis);
    tb_free(c->params);
}

static LLVMValueRef *make_phis(llc_fn *F, LLVMBasicBlockRef bb, uint32_t n,
                               const tw_valtype *types) {
    LLVMValueRef *phis = tb_calloc(n + 1, sizeof *phis);
    LLVMBasicBlockRef here = LLVMGetInsertBlock(F->b);
    LLVMPositionBuilderAtEnd(F->b, bb);
    for (uint32_t i = 0; i < n; i++) phis[i] = LLVMBuildPhi(F->b, llc_type(F->M, types[i]), "");
    LLVMPositionBuilderAtEnd(F->b, here);
    return phis;
}

static void add_incoming(llc_fn *F, LLVMValueRef *phis, uint32_t n, LLVMValueRef *vals) {
    LLVMBasicBlockRef from = LLVMGetInsertBlock(F->b);
    for (uint32_t i = 0; i < n; i++) LLVMAddIncoming(phis[i], &vals[i], &from, 1);
}

/* Opening a block: its params stay on the operand stack (as phis for loops). */
static llc_ctl *open_block(llc_fn *F, llc_ctl_kind kind, const dec_instr *in) {
    tw_blocktype bt;
    block_type(F, in, &bt);
    llc_ctl *c = push_ctl(F);
    c->kind = kind;
    c->bt = bt;
    c->height = F->sp - bt.nparams;
    c->end_bb = LLVMAppendBasicBlockInContext(F->M->ctx, F->fn, "end");
    c->end_phis = make_phis(F, c->end_bb, bt.nresults, bt.results);
    return c;
}

static void branch_to(llc_fn *F, llc_ctl *c) {
    if (c->kind == LLC_LOOP) {
        add_incoming(F, c->loop_phis, c->bt.nparams, top(F, c->bt.nparams));
        LLVMBuildBr(F->b, c->loop_bb);
    } else {
        add_incoming(F, c->end_phis, c->bt.nresults, top(F, c->bt.nresults));
        LLVMBuildBr(F->b, c->end_bb);
    }
}

static LLVMBasicBlockRef label_bb(llc_ctl *c) { return c->kind == LLC_LOOP ? c->loop_bb : c->end_bb; }

static void set_unreachable(llc_fn *F) {
    F->unreachable = true;
    F->sp = F->ctl[F->nctl - 1].height;
}

static void op_block(llc_fn *F, const dec_instr *in) { open_block(F, LLC_BLOCK, in); }

static void op_loop(llc_fn *F, const dec_instr *in) {
    llc_ctl *c = open_block(F, LLC_LOOP, in);
    c->loop_bb = LLVMAppendBasicBlockInContext(F->M->ctx, F->fn, "loop");
    c->loop_phis = make_phis(F, c->loop_bb, c->bt.nparams, c->bt.params);
    branch_to(F, c);
    LLVMPositionBuilderAtEnd(F->b, c->loop_bb);
    F->sp = c->height;
    for (uint32_t i = 0; i < c->bt.nparams; i++) llc_push(F, c->loop_phis[i]);
    if (F->M->checks) llc_checks_loop(F, in);
}

static void op_if(llc_fn *F, const dec_instr *in) {
    LLVMValueRef cond = LLVMBuildICmp(F->b, LLVMIntNE, llc_pop(F), llc_i32c(F, 0), "");
    llc_ctl *c = open_block(F, LLC_IF, in);
    c->params = tb_calloc(c->bt.nparams + 1, sizeof *c->params);
    memcpy(c->params, F->stack + c->height, c->bt.nparams * sizeof *c->params);
    LLVMBasicBlockRef then_bb = LLVMAppendBasicBlockInContext(F->M->ctx, F->fn, "then");
    c->else_bb = LLVMAppendBasicBlockInContext(F->M->ctx, F->fn, "else");
    LLVMBuildCondBr(F->b, cond, then_bb, c->else_bb);
    LLVMPositionBuilderAtEnd(F->b, then_bb);
}

static void op_else(llc_fn *F) {
    llc_ctl *c = &F->ctl[F->nctl - 1];
    if (c->dead) return;
    if (!F->unreachable) branch_to(F, c);
    LLVMPositionBuilderAtEnd(F->b, c->else_bb);
    c->else_bb = NULL;
    F->sp = c->height;
    for (uint32_t i = 0; i < c->bt.nparams; i++) llc_push(F, c->params[i]);
    F->unreachable = false;
}

static void emit_return(llc_fn *F, const tw_functype *ft, LLVMValueRef *vals) {
    if (ft->nresults == 0) {
        LLVMBuildRetVoid(F->b);
    } else if (ft->nresults == 1) {
        LLVMBuildRet(F->b, vals[0]);
    } else {
        LLVMValueRef agg = LLVMGetUndef(ret_type(F->M, ft));
        for (uint32_t i = 0; i < ft->nresults; i++)
            agg = LLVMBuildInsertValue(F->b, agg, vals[i], i, "");
        LLVMBuildRet(F->b, agg);
    }
}

/* Returns true when the function's final end was reached. */
static bool op_end(llc_fn *F) {
    llc_ctl *c = &F->ctl[F->nctl - 1];
    if (c->dead) {
        F->nctl--;
        return false;
    }
    if (!F->unreachable) { /* falling out of the block (also of a loop) */
        add_incoming(F, c->end_phis, c->bt.nresults, top(F, c->bt.nresults));
        LLVMBuildBr(F->b, c->end_bb);
    }
    if (c->kind == LLC_IF && c->else_bb) { /* no else: params pass through */
        LLVMPositionBuilderAtEnd(F->b, c->else_bb);
        add_incoming(F, c->end_phis, c->bt.nresults, c->params);
        LLVMBuildBr(F->b, c->end_bb);
    }
    F->sp = c->height;
    bool reached = LLVMGetFirstUse(LLVMBasicBlockAsValue(c->end_bb)) != NULL;
    bool last = F->nctl == 1;
    if (reached) {
        LLVMPositionBuilderAtEnd(F->b, c->end_bb);
        for (uint32_t i = 0; i < c->bt.nresults; i++) llc_push(F, c->end_phis[i]);
        if (last) emit_return(F, tw_func_type(F->M->m, F->funcidx), c->end_phis);
        F->unreachable = false;
    } else {
        LLVMDeleteBasicBlock(c->end_bb);
        F->unreachable = true;
    }
    free_ctl(c);
    F->nctl--;
    return last;
}

static void op_br(llc_fn *F, uint32_t depth) {
    branch_to(F, &F->ctl[F->nctl - 1 - depth]);
    set_unreachable(F);
}

static void op_br_if(llc_fn *F, uint32_t depth) {
    LLVMValueRef cond = LLVMBuildICmp(F->b, LLVMIntNE, llc_pop(F), llc_i32c(F, 0), "");
    llc_ctl *c = &F->ctl[F->nctl - 1 - depth];
    LLVMBasicBlockRef cont = LLVMAppendBasicBlockInContext(F->M->ctx, F->fn, "");
    if (c->kind == LLC_LOOP)
        add_incoming(F, c->loop_phis, c->bt.nparams, top(F, c->bt.nparams));
    else
        add_incoming(F, c->end_phis, c->bt.nresults, top(F, c->bt.nresults));
    LLVMBuildCondBr(F->b, cond, label_bb(c), cont);
    LLVMPositionBuilderAtEnd(F->b, cont);
}

static void op_br_table(llc_fn *F, const dec_instr *in) {
    LLVMValueRef idx = llc_pop(F);
    const uint8_t *p = in->u.br_table.targets;
    llc_ctl *def = &F->ctl[F->nctl - 1 - in->u.br_table.default_label];
    LLVMValueRef sw = LLVMBuildSwitch(F->b, idx, label_bb(def), in->u.br_table.count);
    /* One phi entry per edge, as LLVM counts predecessors. */
    for (uint32_t i = 0; i <= in->u.br_table.count; i++) {
        llc_ctl *c = i < in->u.br_table.count
                         ? &F->ctl[F->nctl - 1 - dec_u32_trusted(&p)] : def;
        if (i < in->u.br_table.count) LLVMAddCase(sw, llc_i32c(F, i), label_bb(c));
        if (c->kind == LLC_LOOP)
            add_incoming(F, c->loop_phis, c->bt.nparams, top(F, c->bt.nparams));
        else
            add_incoming(F, c->end_phis, c->bt.nresults, top(F, c->bt.nresults));
    }
    set_unreachable(F);
}

/* ---- calls ---- */

/* The vmctx pointers (not stack_limit) are fixed when the instance is made. */
static LLVMValueRef vm_field(llc_fn *F, size_t offset) {
    return llc_load_const(F, F->vmctx, offset, F->M->ptr);
}

/* Through the runtime: imports and functions of other instances. */
/* An alloca in the entry block (where mem2reg and the frame layout want it), made from
   wherever the builder is; n: an element count, or NULL for one. */
LLVMValueRef llc_entry_alloca(llc_fn *F, LLVMTypeRef t, LLVMValueRef n, const char *name) {
    LLVMBasicBlockRef here = LLVMGetInsertBlock(F->b);
    LLVMPositionBuilderBefore(F->b, LLVMGetBasicBlockTerminator(F->entry_bb));
    LLVMValueRef a = n ? LLVMBuildArrayAlloca(F->b, t, n, name) : LLVMBuildAlloca(F->b, t, name);
    LLVMPositionBuilderAtEnd(F->b, here);
    return a;
}

static void call_slow(llc_fn *F, const tw_functype *ft, LLVMValueRef func,
                      LLVMValueRef *args, LLVMValueRef *results) {
    uint32_t n = 0, np = 0, nr = 0;
    for (uint32_t i = 0; i < ft->nparams; i++) np += tw_slots(ft->params[i]);
    for (uint32_t i = 0; i < ft->nresults; i++) nr += tw_slots(ft->results[i]);
    n = np > nr ? np : nr;
    LLVMValueRef slots = llc_entry_alloca(F, F->M->i64, llc_i32c(F, n ? n : 1), "slots");
    for (uint32_t i = 0, s = 0; i < ft->nparams; s += tw_slots(ft->params[i]), i++)
        store_slot(F, slots, s, ft->params[i], args[i]);
    LLVMValueRef hargs[3] = {F->vmctx, func, slots};
    llc_helper(F, offsetof(rt_tier_helpers, call), F->M->voidt, hargs, 3);
    llc_checks_call(F);
    for (uint32_t i = 0, s = 0; i < ft->nresults; s += tw_slots(ft->results[i]), i++)
        results[i] = load_slot(F, slots, s, ft->results[i]);
}

static LLVMValueRef call_direct(llc_fn *F, uint32_t type, LLVMValueRef fn, LLVMValueRef vmctx,
                                LLVMValueRef *args) {
    const tw_functype *ft = &F->M->m->types[type];
    LLVMValueRef a[ft->nparams + 1];
    a[0] = vmctx;
    memcpy(a + 1, args, ft->nparams * sizeof *args);
    LLVMValueRef c = LLVMBuildCall2(F->b, F->M->fn_types[type], fn, a, ft->nparams + 1, "");
    /* Recursion must keep its frames: infinite recursion is "call stack exhausted",
       not a loop (tail recursion elimination would make it one). */
    LLVMSetTailCallKind(c, LLVMTailCallKindNoTail);
    llc_checks_call(F);
    return c;
}

static void op_call(llc_fn *F, uint32_t idx) {
    const tw_module *m = F->M->m;
    uint32_t type = m->func_types[idx];
    const tw_functype *ft = &m->types[type];
    F->sp -= ft->nparams;
    LLVMValueRef *args = F->stack + F->sp;
    if (idx >= m->nimported_funcs) {
        LLVMValueRef r = call_direct(F, type, F->M->fns[idx - m->nimported_funcs], F->vmctx, args);
        push_results(F, ft, r);
        return;
    }
    LLVMValueRef funcs = vm_field(F, offsetof(rt_vmctx, funcs));
    LLVMValueRef f = llc_load_const(F, funcs, 8u * idx, F->M->ptr);
    LLVMValueRef res[ft->nresults + 1];
    LLVMValueRef copy[ft->nparams + 1];
    memcpy(copy, args, ft->nparams * sizeof *args);
    call_slow(F, ft, f, copy, res);
    for (uint32_t i = 0; i < ft->nresults; i++) llc_push(F, res[i]);
}

/* Callees compiled into this instance (their env is our vmctx) are called directly
   through vmctx->fns; anything else goes through the runtime. */
static void op_call_indirect(llc_fn *F, uint32_t type, uint32_t table) {
    const tw_module *m = F->M->m;
    const tw_functype *ft = &m->types[type];
    LLVMValueRef i = llc_pop(F);
    F->sp -= ft->nparams;
    LLVMValueRef args[ft->nparams + 1];
    memcpy(args, F->stack + F->sp, ft->nparams * sizeof *args);
    LLVMValueRef hargs[4] = {F->vmctx, llc_i32c(F, table), llc_i32c(F, type), i};
    LLVMValueRef f = llc_helper(F, offsetof(rt_tier_helpers, indirect), F->M->ptr, hargs, 4);
    LLVMValueRef env = llc_load_field(F, f, offsetof(rt_func, host_env), F->M->ptr);
    LLVMValueRef local = LLVMBuildICmp(F->b, LLVMIntEQ, env, F->vmctx, "");
    LLVMBasicBlockRef fast = LLVMAppendBasicBlockInContext(F->M->ctx, F->fn, "");
    LLVMBasicBlockRef slow = LLVMAppendBasicBlockInContext(F->M->ctx, F->fn, "");
    LLVMBasicBlockRef join = LLVMAppendBasicBlockInContext(F->M->ctx, F->fn, "");
    LLVMBuildCondBr(F->b, local, fast, slow);

    LLVMPositionBuilderAtEnd(F->b, fast);
    LLVMValueRef index = llc_load_field(F, f, offsetof(rt_func, index), F->M->i32);
    LLVMValueRef k = LLVMBuildSub(F->b, index, llc_i32c(F, m->nimported_funcs), "");
    k = LLVMBuildZExt(F->b, k, F->M->i64, "");
    LLVMValueRef fns = vm_field(F, offsetof(rt_vmctx, fns));
    LLVMValueRef slot = LLVMBuildInBoundsGEP2(F->b, F->M->ptr, fns, &k, 1, "");
    LLVMValueRef code = LLVMBuildLoad2(F->b, F->M->ptr, slot, "");
    LLVMValueRef r = call_direct(F, type, code, F->vmctx, args);
    LLVMValueRef fast_res[ft->nresults + 1];
    for (uint32_t j = 0; j < ft->nresults; j++)
        fast_res[j] = ft->nresults == 1 ? r : LLVMBuildExtractValue(F->b, r, j, "");
    LLVMBasicBlockRef fast_end = LLVMGetInsertBlock(F->b);
    LLVMBuildBr(F->b, join);

    LLVMPositionBuilderAtEnd(F->b, slow);
    LLVMValueRef slow_res[ft->nresults + 1];
    call_slow(F, ft, f, args, slow_res);
    LLVMBasicBlockRef slow_end = LLVMGetInsertBlock(F->b);
    LLVMBuildBr(F->b, join);

    LLVMPositionBuilderAtEnd(F->b, join);
    for (uint32_t j = 0; j < ft->nresults; j++) {
        LLVMValueRef phi = LLVMBuildPhi(F->b, llc_type(F->M, ft->results[j]), "");
        LLVMValueRef v[2] = {fast_res[j], slow_res[j]};
        LLVMBasicBlockRef bbs[2] = {fast_end, slow_end};
        LLVMAddIncoming(phi, v, bbs, 2);
        llc_push(F, phi);
    }
}

/* ---- variables and references ---- */

static LLVMValueRef global_ptr(llc_fn *F, uint32_t idx) {
    LLVMValueRef globals = vm_field(F, offsetof(rt_vmctx, globals));
    LLVMValueRef g = llc_load_const(F, globals, 8u * idx, F->M->ptr);
    return byte_gep(F, g, offsetof(rt_global, val));
}

static void op_global_get(llc_fn *F, uint32_t idx) {
    tw_valtype t = F->M->m->global_types[idx].type;
    LLVMValueRef v = LLVMBuildLoad2(F->b, llc_type(F->M, t), global_ptr(F, idx), "");
    LLVMSetAlignment(v, 8);
    llc_tag(F, v, LLC_TBAA_MEM);
    llc_push(F, v);
}

/* Volatile like memory stores (memory.c): a global's value is seen after a trap, and
   LICM would keep it in a register through a loop whose only other exits are traps
   (tests/llvm/diff-findings/1-gen-o19-global-in-loop.wasm). */
static void op_global_set(llc_fn *F, uint32_t idx) {
    tw_valtype t = F->M->m->global_types[idx].type;
    LLVMValueRef s = store_slot(F, global_ptr(F, idx), 0, t, llc_pop(F));
    LLVMSetVolatile(s, 1);
    llc_tag(F, s, LLC_TBAA_MEM);
}

/* Memory loads are volatile (llc_mem_load), so a dropped one still traps. */
static void drop(llc_fn *F) { llc_pop(F); }

static void op_select(llc_fn *F) {
    LLVMValueRef c = llc_pop(F), b = llc_pop(F), a = llc_pop(F);
    c = LLVMBuildICmp(F->b, LLVMIntNE, c, llc_i32c(F, 0), "");
    llc_push(F, LLVMBuildSelect(F->b, c, a, b, ""));
}

static bool op_ref(llc_fn *F, const dec_instr *in) {
    switch (in->op) {
    case TW_OP_REF_NULL: llc_push(F, LLVMConstNull(F->M->ptr)); return true;
    case TW_OP_REF_IS_NULL: {
        LLVMValueRef z = LLVMBuildIsNull(F->b, llc_pop(F), "");
        llc_push(F, LLVMBuildZExt(F->b, z, F->M->i32, ""));
        return true;
    }
    case TW_OP_REF_FUNC: {
        LLVMValueRef funcs = vm_field(F, offsetof(rt_vmctx, funcs));
        llc_push(F, llc_load_const(F, funcs, 8u * in->u.idx, F->M->ptr));
        return true;
    }
    default: return false;
    }
}

/* ---- the instruction loop ---- */

/* Code after br/return/unreachable is skipped up to the end of its block; only the
   nesting of blocks inside it is followed. */
static bool skip_unreachable(llc_fn *F, const dec_instr *in) {
    switch (in->op) {
    case TW_OP_BLOCK: case TW_OP_LOOP: case TW_OP_IF: push_ctl(F)->dead = true; return true;
    case TW_OP_ELSE: case TW_OP_END: return false;
    default: return true;
    }
}

static bool op_control(llc_fn *F, const dec_instr *in, bool *done) {
    switch (in->op) {
    case TW_OP_UNREACHABLE:
        LLVMBuildBr(F->b, trap_block(F, RT_TRAP_UNREACHABLE));
        set_unreachable(F);
        return true;
    case TW_OP_NOP: return true;
    case TW_OP_BLOCK: op_block(F, in); return true;
    case TW_OP_LOOP: op_loop(F, in); return true;
    case TW_OP_IF: op_if(F, in); return true;
    case TW_OP_ELSE: op_else(F); return true;
    case TW_OP_END: *done = op_end(F); return true;
    case TW_OP_BR: op_br(F, in->u.idx); return true;
    case TW_OP_BR_IF: op_br_if(F, in->u.idx); return true;
    case TW_OP_BR_TABLE: op_br_table(F, in); return true;
    case TW_OP_RETURN: op_br(F, F->nctl - 1); return true;
    case TW_OP_CALL: op_call(F, in->u.idx); return true;
    case TW_OP_CALL_INDIRECT:
        op_call_indirect(F, in->u.call_indirect.type, in->u.call_indirect.table);
        return true;
    case TW_OP_DROP: drop(F); return true;
    case TW_OP_SELECT: case TW_OP_SELECT_T: op_select(F); return true;
    case TW_OP_LOCAL_GET:
        llc_push(F, LLVMBuildLoad2(F->b, F->local_types[in->u.idx], F->locals[in->u.idx], ""));
        return true;
    case TW_OP_LOCAL_SET: LLVMBuildStore(F->b, llc_pop(F), F->locals[in->u.idx]); return true;
    case TW_OP_LOCAL_TEE:
        LLVMBuildStore(F->b, F->stack[F->sp - 1], F->locals[in->u.idx]);
        return true;
    case TW_OP_GLOBAL_GET: op_global_get(F, in->u.idx); return true;
    case TW_OP_GLOBAL_SET: op_global_set(F, in->u.idx); return true;
    default: return op_ref(F, in);
    }
}

bool llc_step(llc_fn *F, const dec_instr *in, bool *done) {
    if (F->unreachable && skip_unreachable(F, in)) return true;
    if (op_control(F, in, done) || llc_numeric(F, in) || llc_memory(F, in) || llc_simd(F, in))
        return true;
    return tb_fail(F->err, TB_ERR_LIMIT, in->offset, "jit: %s not supported yet",
                   tw_opinfos[in->op].name);
}

static bool translate(llc_fn *F, const tw_func *fn) {
    dec_reader r = {.p = fn->code, .end = fn->code + fn->code_len, .base = F->M->m->bytes};
    dec_instr in;
    bool done = false;
    while (!done && dec_instr_next(&r, &in, F->err)) {
        /* With fuel/epoch checks a loop's header traps: not straight-line, no versioning. */
        bool ver = in.op == TW_OP_LOOP && !F->unreachable && !F->M->checks;
        int v = ver ? llc_loopver(F, &r, &in) : 0;
        if (v < 0 || (v == 0 && !llc_step(F, &in, &done))) return false;
    }
    return done;
}

/* A function that calls no Wasm function cannot recurse, and a small one has a small
   frame: the native stack reserve below the limit (256 KiB, runtime/signals.c) holds
   it, so it needs no stack check. Without the check it is cheaper to call and to
   inline (a check inlined into a caller is redundant); vm 1.23x -> 0.94x of native
   with no checks at all (best of 5), parser 1.29x -> 1.13x. */
#define LEAF_MAX_CODE 1024u       /* bytes of code: a bound on the values live at once */
#define LEAF_MAX_LOCALS 64u       /* params and locals */

static bool small_leaf(llc_fn *F, const tw_func *fn) {
    const tw_functype *ft = &F->M->m->types[fn->type];
    if (fn->code_len > LEAF_MAX_CODE || ft->nparams + fn->nlocals > LEAF_MAX_LOCALS)
        return false;
    dec_reader r = {.p = fn->code, .end = fn->code + fn->code_len, .base = F->M->m->bytes};
    dec_instr in;
    tb_error err;
    while (r.p < r.end && dec_instr_next(&r, &in, &err))
        if (in.op == TW_OP_CALL || in.op == TW_OP_CALL_INDIRECT) return false;
    return r.p == r.end;
}

/* Prologue: vmctx fields used everywhere, locals, and the native stack check. */
static void prologue(llc_fn *F, const tw_functype *ft, const tw_func *fn) {
    llc_mod *M = F->M;
    F->vmctx = LLVMGetParam(F->fn, 0);
    F->helpers = vm_field(F, offsetof(rt_vmctx, h));
    F->mem0 = M->m->nmems ? vm_field(F, offsetof(rt_vmctx, mem0)) : NULL;
    F->nlocals = ft->nparams + fn->nlocals;
    F->locals = tb_calloc(F->nlocals + 1, sizeof *F->locals);
    F->local_types = tb_calloc(F->nlocals + 1, sizeof *F->local_types);
    for (uint32_t i = 0; i < F->nlocals; i++) {
        tw_valtype t = i < ft->nparams ? ft->params[i] : fn->locals[i - ft->nparams];
        F->local_types[i] = llc_type(M, t);
        F->locals[i] = LLVMBuildAlloca(F->b, F->local_types[i], "");
        LLVMBuildStore(F->b, i < ft->nparams ? LLVMGetParam(F->fn, i + 1) : zero_of(M, t),
                       F->locals[i]);
    }
    if (small_leaf(F, fn)) { /* the entry block still ends in a branch (call slots) */
        LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(M->ctx, F->fn, "");
        LLVMBuildBr(F->b, body);
        LLVMPositionBuilderAtEnd(F->b, body);
        return;
    }
    LLVMValueRef zero = llc_i32c(F, 0);
    LLVMValueRef fa = llc_call_intr(F, "llvm.frameaddress", &M->ptr, 1, &zero, 1);
    LLVMValueRef sp = LLVMBuildPtrToInt(F->b, fa, M->i64, "");
    LLVMValueRef lim = llc_load_field(F, F->vmctx, offsetof(rt_vmctx, stack_limit), M->i64);
    /* The entry block ends here, with this branch: call slots are added before it. */
    llc_trap_if(F, LLVMBuildICmp(F->b, LLVMIntULT, sp, lim, ""), RT_TRAP_STACK_EXHAUSTED);
}

bool llc_func(llc_mod *M, uint32_t funcidx, tb_error *err) {
    const tw_module *m = M->m;
    const tw_func *fn = &m->funcs[funcidx - m->nimported_funcs];
    const tw_functype *ft = &m->types[fn->type];
    llc_fn F;
    memset(&F, 0, sizeof F);
    F.M = M;
    F.b = M->b;
    F.err = err;
    F.funcidx = funcidx;
    /* The operand stack exists from the start, so taking its top is never arithmetic on
       NULL (UB), even in a function that pushes nothing. */
    F.stack_cap = 64;
    F.stack = tb_malloc(F.stack_cap * sizeof *F.stack);
    if (!F.stack) return tb_oom(err);
    F.fn = M->fns[funcidx - m->nimported_funcs];
    F.entry_bb = LLVMAppendBasicBlockInContext(M->ctx, F.fn, "entry");
    LLVMPositionBuilderAtEnd(F.b, F.entry_bb);
    prologue(&F, ft, fn);
    bool ok = !M->checks || llc_checks_entry(&F, fn);
    llc_ctl *c = push_ctl(&F);
    c->kind = LLC_BLOCK;
    c->bt.nresults = ft->nresults;
    c->bt.results = ft->results;
    c->end_bb = LLVMAppendBasicBlockInContext(M->ctx, F.fn, "ret");
    c->end_phis = make_phis(&F, c->end_bb, ft->nresults, ft->results);
    ok = ok && translate(&F, fn);
    llc_checks_free(&F);
    for (uint32_t i = 0; i < F.nctl; i++) free_ctl(&F.ctl[i]);
    tb_free(F.ctl);
    tb_free(F.stack);
    tb_free(F.locals);
    tb_free(F.local_types);
    return ok;
}

/* The array entry: i32 entry(vmctx, caller, slots), an rt_host_fn. */
void llc_entry(llc_mod *M, uint32_t funcidx) {
    const tw_module *m = M->m;
    uint32_t type = m->func_types[funcidx];
    const tw_functype *ft = &m->types[type];
    llc_fn F;
    memset(&F, 0, sizeof F);
    F.M = M;
    F.b = M->b;
    F.fn = M->entries[funcidx - m->nimported_funcs];
    LLVMPositionBuilderAtEnd(F.b, LLVMAppendBasicBlockInContext(M->ctx, F.fn, "entry"));
    F.vmctx = LLVMGetParam(F.fn, 0);
    F.helpers = vm_field(&F, offsetof(rt_vmctx, h));
    LLVMValueRef slots = LLVMGetParam(F.fn, 2);
    LLVMValueRef floor = llc_helper(&F, offsetof(rt_tier_helpers, stack_floor), M->i64, NULL, 0);
    LLVMBuildStore(F.b, floor, byte_gep(&F, F.vmctx, offsetof(rt_vmctx, stack_limit)));
    LLVMValueRef args[ft->nparams + 1];
    for (uint32_t i = 0, s = 0; i < ft->nparams; s += tw_slots(ft->params[i]), i++)
        args[i] = load_slot(&F, slots, s, ft->params[i]);
    LLVMValueRef r = call_direct(&F, type, M->fns[funcidx - m->nimported_funcs], F.vmctx, args);
    for (uint32_t i = 0, s = 0; i < ft->nresults; s += tw_slots(ft->results[i]), i++)
        store_slot(&F, slots, s, ft->results[i],
                   ft->nresults == 1 ? r : LLVMBuildExtractValue(F.b, r, i, ""));
    LLVMBuildRet(F.b, llc_i32c(&F, 0));
}

/* ---- module-level declarations ---- */

bool llc_supported(const tw_module *m, tb_error *err) {
    (void)m;
    (void)err;
    return true; /* unsupported instructions are found while translating */
}

static void enum_attr(llc_mod *M, LLVMValueRef fn, LLVMAttributeIndex at, const char *name,
                      uint64_t val) {
    unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
    LLVMAddAttributeAtIndex(fn, at, LLVMCreateEnumAttribute(M->ctx, kind, val));
}

/* Traps leave by a signal or a noreturn helper, never by unwinding: nounwind. The vmctx
   is a valid, aligned rt_vmctx, so its fields may be loaded speculatively (hoisted out
   of loops and conditions). */
static void fn_attrs(llc_mod *M, LLVMValueRef fn) {
    enum_attr(M, fn, LLVMAttributeFunctionIndex, "nounwind", 0);
    enum_attr(M, fn, 1, "nonnull", 0);
    enum_attr(M, fn, 1, "noundef", 0);
    enum_attr(M, fn, 1, "align", 8);
    enum_attr(M, fn, 1, "dereferenceable", sizeof(rt_vmctx));
}

bool llc_declare(llc_mod *M, tb_error *err) {
    const tw_module *m = M->m;
    M->fn_types = tb_calloc(m->ntypes + 1, sizeof *M->fn_types);
    uint32_t n = m->nfuncs - m->nimported_funcs;
    M->fns = tb_calloc(n + 1, sizeof *M->fns);
    M->entries = tb_calloc(n + 1, sizeof *M->entries);
    if (!M->fn_types || !M->fns || !M->entries) return tb_oom(err);
    make_tbaa(M);
    for (uint32_t i = 0; i < m->ntypes; i++) {
        const tw_functype *ft = &m->types[i];
        LLVMTypeRef ps[ft->nparams + 1];
        ps[0] = M->ptr;
        for (uint32_t k = 0; k < ft->nparams; k++) ps[k + 1] = llc_type(M, ft->params[k]);
        M->fn_types[i] = LLVMFunctionType(ret_type(M, ft), ps, ft->nparams + 1, 0);
    }
    LLVMTypeRef eps[3] = {M->ptr, M->ptr, M->ptr};
    M->entry_type = LLVMFunctionType(M->i32, eps, 3, 0);
    char name[64];
    for (uint32_t i = 0; i < n; i++) {
        snprintf(name, sizeof name, "%sf%u", M->prefix, i);
        M->fns[i] = LLVMAddFunction(M->mod, name, M->fn_types[m->funcs[i].type]);
        fn_attrs(M, M->fns[i]);
        /* No tail recursion elimination: recursion must use stack (exhaustion traps). */
        LLVMAddAttributeAtIndex(M->fns[i], LLVMAttributeFunctionIndex,
            LLVMCreateStringAttribute(M->ctx, "disable-tail-calls", 18, "true", 4));
        snprintf(name, sizeof name, "%se%u", M->prefix, i);
        M->entries[i] = LLVMAddFunction(M->mod, name, M->entry_type);
    }
    return true;
}
