/* memory: loads and stores (base + zero-extended address + offset, no bounds checks:
   the guard reservation faults, DESIGN.md), and the memory/table instructions that
   call the runtime.

   Why loads are volatile. A Wasm load out of bounds traps even when its value is never
   used, and memory and globals written before a trapping access must show, those
   after it must not. To LLVM a load has no effect besides its value: a plain load whose
   result is dead is deleted, in the IR (a drop, a local overwritten before it is read,
   bits demanded-bits analysis shows never reach a result: binaryen's hashMemory shifts
   early bytes out) and again in instruction selection, even at -O0; and a plain load
   may move above a store to another address (GVN's partial redundancy elimination
   puts it into a predecessor, LICM hoists an invariant one out of a loop, the machine
   scheduler reorders within a block), so it would trap before a write Wasm has done.
   Volatile loads are kept, at full width, and never move across other volatile
   accesses (all memory stores and global.set are volatile too, below).
   Tried and measured (bench/, 2026-11-24): a plain load kept alive by an empty inline
   asm taking its value in a register, with memory(read, inaccessiblemem: readwrite) so
   loads still merge and forward: 20-40% faster on integer code (sha256, vm, hashmap),
   but the asm is a call to the loop unroller (matmul 1.6x slower) and loads still moved
   above stores (the GVN case in tests/llvm/regress.wast); not used.
   Stores are volatile for the same ordering: a plain store was sunk past a trapping
   access to another address (LICM kept the location in a register through a loop and
   stored it at the exit) or deleted when overwritten after a trapping load (dead store
   elimination): tests/llvm/diff-findings.md, 2.
   The exception: a loop copy in which no access can trap (loopver.c, F->fast) has plain
   accesses, so that LLVM may vectorize it. */
#include <stddef.h>
#include "llc.h"

/* In a fast loop copy the address is known in bounds (loopver.c): the flags let LLVM
   see it as an affine function of the loop's counters. */
LLVMValueRef llc_mem_addr(llc_fn *F, LLVMValueRef addr, uint32_t offset) {
    LLVMValueRef a = LLVMBuildZExt(F->b, addr, F->M->i64, "");
    if (offset) {
        a = LLVMBuildAdd(F->b, a, LLVMConstInt(F->M->i64, offset, 0), "");
        if (F->fast && LLVMIsABinaryOperator(a)) LLVMSetNUW(a, 1);
    }
    if (F->fast) return LLVMBuildInBoundsGEP2(F->b, F->M->i8, F->mem0, &a, 1, "");
    return LLVMBuildGEP2(F->b, F->M->i8, F->mem0, &a, 1, "");
}

/* A fast loop copy's accesses through different bases touch disjoint bytes. */
static void scope_tags(llc_fn *F, LLVMValueRef access) {
    if (!F->scope) return;
    LLVMSetMetadata(access, LLVMGetMDKindIDInContext(F->M->ctx, "alias.scope", 11), F->scope);
    LLVMSetMetadata(access, LLVMGetMDKindIDInContext(F->M->ctx, "noalias", 7), F->noalias);
}

LLVMValueRef llc_mem_load(llc_fn *F, LLVMTypeRef t, LLVMValueRef p) {
    LLVMValueRef v = LLVMBuildLoad2(F->b, t, p, "");
    LLVMSetAlignment(v, 1);
    LLVMSetVolatile(v, !F->fast);
    llc_tag(F, v, LLC_TBAA_MEM);
    scope_tags(F, v);
    return v;
}

LLVMValueRef llc_mem_store(llc_fn *F, LLVMValueRef v, LLVMValueRef p) {
    LLVMValueRef s = LLVMBuildStore(F->b, v, p);
    LLVMSetAlignment(s, 1);
    LLVMSetVolatile(s, !F->fast);
    llc_tag(F, s, LLC_TBAA_MEM);
    scope_tags(F, s);
    return s;
}

/* Load `mem` bytes as type `mt`, then widen to `t` (sign or zero). */
static void load(llc_fn *F, const dec_instr *in, LLVMTypeRef mt, LLVMTypeRef t, bool sign) {
    LLVMValueRef p = llc_mem_addr(F, llc_pop(F), in->u.mem.offset);
    LLVMValueRef v = llc_mem_load(F, mt, p);
    if (mt != t) v = sign ? LLVMBuildSExt(F->b, v, t, "") : LLVMBuildZExt(F->b, v, t, "");
    llc_push(F, v);
}

static void store(llc_fn *F, const dec_instr *in, LLVMTypeRef mt) {
    LLVMValueRef v = llc_pop(F);
    LLVMValueRef p = llc_mem_addr(F, llc_pop(F), in->u.mem.offset);
    if (LLVMTypeOf(v) != mt) v = LLVMBuildTrunc(F->b, v, mt, "");
    llc_mem_store(F, v, p);
}

static bool loads_stores(llc_fn *F, const dec_instr *in) {
    llc_mod *M = F->M;
    switch (in->op) {
    case TW_OP_I32_LOAD: load(F, in, M->i32, M->i32, false); return true;
    case TW_OP_I64_LOAD: load(F, in, M->i64, M->i64, false); return true;
    case TW_OP_F32_LOAD: load(F, in, M->f32, M->f32, false); return true;
    case TW_OP_F64_LOAD: load(F, in, M->f64, M->f64, false); return true;
    case TW_OP_I32_LOAD8_S: load(F, in, M->i8, M->i32, true); return true;
    case TW_OP_I32_LOAD8_U: load(F, in, M->i8, M->i32, false); return true;
    case TW_OP_I32_LOAD16_S: load(F, in, M->i16, M->i32, true); return true;
    case TW_OP_I32_LOAD16_U: load(F, in, M->i16, M->i32, false); return true;
    case TW_OP_I64_LOAD8_S: load(F, in, M->i8, M->i64, true); return true;
    case TW_OP_I64_LOAD8_U: load(F, in, M->i8, M->i64, false); return true;
    case TW_OP_I64_LOAD16_S: load(F, in, M->i16, M->i64, true); return true;
    case TW_OP_I64_LOAD16_U: load(F, in, M->i16, M->i64, false); return true;
    case TW_OP_I64_LOAD32_S: load(F, in, M->i32, M->i64, true); return true;
    case TW_OP_I64_LOAD32_U: load(F, in, M->i32, M->i64, false); return true;
    case TW_OP_I32_STORE: store(F, in, M->i32); return true;
    case TW_OP_I64_STORE: store(F, in, M->i64); return true;
    case TW_OP_F32_STORE: store(F, in, M->f32); return true;
    case TW_OP_F64_STORE: store(F, in, M->f64); return true;
    case TW_OP_I32_STORE8: case TW_OP_I64_STORE8: store(F, in, M->i8); return true;
    case TW_OP_I32_STORE16: case TW_OP_I64_STORE16: store(F, in, M->i16); return true;
    case TW_OP_I64_STORE32: store(F, in, M->i32); return true;
    default: return false;
    }
}

/* Pop n operands into args[1..n] (args[0] is the vmctx). */
static void pop_args(llc_fn *F, LLVMValueRef *args, unsigned n) {
    args[0] = F->vmctx;
    for (unsigned i = n; i > 0; i--) args[i] = llc_pop(F);
}

static void helper_call(llc_fn *F, size_t off, LLVMTypeRef ret, LLVMValueRef *args,
                        unsigned n) {
    LLVMValueRef r = llc_helper(F, off, ret, args, n);
    if (ret != F->M->voidt) llc_push(F, r);
}

LLVMValueRef llc_mem_bytes(llc_fn *F) {
    LLVMValueRef mems = llc_load_const(F, F->vmctx, offsetof(rt_vmctx, mems), F->M->ptr);
    LLVMValueRef m0 = llc_load_const(F, mems, 0, F->M->ptr);
    return llc_load_field(F, m0, offsetof(rt_memory, size), F->M->i64);
}

static void memory_size(llc_fn *F) {
    LLVMValueRef size = llc_mem_bytes(F);
    size = LLVMBuildLShr(F->b, size, LLVMConstInt(F->M->i64, 16, 0), "");
    llc_push(F, LLVMBuildTrunc(F->b, size, F->M->i32, ""));
}

static bool memory_ops(llc_fn *F, const dec_instr *in) {
    LLVMTypeRef i32 = F->M->i32, v = F->M->voidt;
    LLVMValueRef a[6];
    switch (in->op) {
    case TW_OP_MEMORY_SIZE: memory_size(F); return true;
    case TW_OP_MEMORY_GROW:
        pop_args(F, a, 1);
        helper_call(F, offsetof(rt_tier_helpers, mem_grow), i32, a, 2);
        return true;
    case TW_OP_MEMORY_INIT:
        pop_args(F, a + 1, 3);
        a[0] = F->vmctx;
        a[1] = llc_i32c(F, in->u.init.seg);
        helper_call(F, offsetof(rt_tier_helpers, mem_init), v, a, 5);
        return true;
    case TW_OP_MEMORY_COPY:
        pop_args(F, a, 3);
        helper_call(F, offsetof(rt_tier_helpers, mem_copy), v, a, 4);
        return true;
    case TW_OP_MEMORY_FILL:
        pop_args(F, a, 3);
        helper_call(F, offsetof(rt_tier_helpers, mem_fill), v, a, 4);
        return true;
    case TW_OP_DATA_DROP:
        a[0] = F->vmctx;
        a[1] = llc_i32c(F, in->u.idx);
        helper_call(F, offsetof(rt_tier_helpers, data_drop), v, a, 2);
        return true;
    default: return false;
    }
}

/* Table helpers take (vmctx, table, operands...). */
static void table_call(llc_fn *F, size_t off, LLVMTypeRef ret, uint32_t table, unsigned n) {
    LLVMValueRef a[8];
    pop_args(F, a + 1, n);
    a[0] = F->vmctx;
    a[1] = llc_i32c(F, table);
    helper_call(F, off, ret, a, n + 2);
}

static bool table_ops(llc_fn *F, const dec_instr *in) {
    LLVMTypeRef i32 = F->M->i32, v = F->M->voidt, ptr = F->M->ptr;
    LLVMValueRef a[8];
    switch (in->op) {
    case TW_OP_TABLE_GET: table_call(F, offsetof(rt_tier_helpers, table_get), ptr, in->u.idx, 1); return true;
    case TW_OP_TABLE_SET: table_call(F, offsetof(rt_tier_helpers, table_set), v, in->u.idx, 2); return true;
    case TW_OP_TABLE_SIZE: table_call(F, offsetof(rt_tier_helpers, table_size), i32, in->u.idx, 0); return true;
    case TW_OP_TABLE_GROW: table_call(F, offsetof(rt_tier_helpers, table_grow), i32, in->u.idx, 2); return true;
    case TW_OP_TABLE_FILL: table_call(F, offsetof(rt_tier_helpers, table_fill), v, in->u.idx, 3); return true;
    case TW_OP_TABLE_COPY:
        pop_args(F, a + 2, 3);
        a[0] = F->vmctx;
        a[1] = llc_i32c(F, in->u.copy.dst);
        a[2] = llc_i32c(F, in->u.copy.src);
        helper_call(F, offsetof(rt_tier_helpers, table_copy), v, a, 6);
        return true;
    case TW_OP_TABLE_INIT:
        pop_args(F, a + 2, 3);
        a[0] = F->vmctx;
        a[1] = llc_i32c(F, in->u.init.table);
        a[2] = llc_i32c(F, in->u.init.seg);
        helper_call(F, offsetof(rt_tier_helpers, table_init), v, a, 6);
        return true;
    case TW_OP_ELEM_DROP:
        a[0] = F->vmctx;
        a[1] = llc_i32c(F, in->u.idx);
        helper_call(F, offsetof(rt_tier_helpers, elem_drop), v, a, 2);
        return true;
    default: return false;
    }
}

bool llc_memory(llc_fn *F, const dec_instr *in) {
    return loads_stores(F, in) || memory_ops(F, in) || table_ops(F, in);
}
