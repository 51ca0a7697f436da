/* llc: the optimizing tier's private interface: Wasm -> LLVM IR translation state
   shared by the files of src/llvm (the only files that include LLVM headers). */
#ifndef LLC_H
#define LLC_H

#include <llvm-c/Core.h>
#include "../decode/reader.h"
#include "../runtime/tier.h"

/* One module being translated. */
typedef struct llc_mod {
    LLVMContextRef ctx;
    LLVMModuleRef mod;
    LLVMBuilderRef b;
    const tw_module *m;
    LLVMTypeRef i1, i8, i16, i32, i64, f32, f64, ptr, voidt, v128; /* v128: <2 x i64> */
    LLVMTypeRef *fn_types;        /* per type index: R (ptr vmctx, params...) */
    LLVMTypeRef entry_type;       /* i32 (ptr env, ptr caller, ptr slots) */
    LLVMValueRef *fns;            /* per defined function */
    LLVMValueRef *entries;        /* array entries per defined function */
    char prefix[32];              /* symbol prefix unique in the process */
    /* Type-based alias tags (func.c llc_tag): Wasm state (linear memory and global
       values) and the runtime's structures never overlap. Made by llc_declare. */
    LLVMValueRef tbaa[2];
    unsigned tbaa_kind, invariant_kind;
    uint32_t checks;              /* RT_CHECK_*: fuel/epoch checks (checks.c) */
} llc_mod;

typedef enum llc_tbaa { LLC_TBAA_MEM, LLC_TBAA_RT } llc_tbaa;

typedef enum llc_ctl_kind { LLC_BLOCK, LLC_LOOP, LLC_IF } llc_ctl_kind;

typedef struct llc_ctl {
    llc_ctl_kind kind;
    bool dead;                    /* opened in unreachable code: only nesting is tracked */
    LLVMBasicBlockRef end_bb, loop_bb, else_bb;
    LLVMValueRef *end_phis, *loop_phis, *params;
    tw_blocktype bt;
    uint32_t height;              /* operand stack height below the block's params */
} llc_ctl;

/* A function's fuel/epoch check points (checks.c): the entry, then loop headers by
   offset, in code order, each with its fuel cost. */
typedef struct llc_checks {
    uint32_t *at, *cost;
    uint32_t n, next;             /* next: the first loop header not reached yet */
    LLVMValueRef fuel;            /* the fuel local (alloca), with fuel checks */
} llc_checks;

/* One function being translated. */
typedef struct llc_fn {
    llc_mod *M;
    LLVMBuilderRef b;
    LLVMValueRef fn, vmctx, mem0, helpers;
    LLVMBasicBlockRef entry_bb;
    uint32_t nlocals;
    LLVMValueRef *locals;         /* allocas */
    LLVMTypeRef *local_types;
    LLVMValueRef *stack;
    uint32_t sp, stack_cap;
    llc_ctl *ctl;
    uint32_t nctl, ctl_cap;
    bool unreachable;
    LLVMBasicBlockRef trap_bb[RT_TRAP_COUNT];
    tb_error *err;
    uint32_t funcidx;
    bool fast;                    /* translating a loop's fast copy (loopver.c) */
    LLVMValueRef scope, noalias;  /* there: alias scope tags for the access being translated */
    llc_checks checks;
} llc_fn;

LLVMTypeRef llc_type(llc_mod *M, tw_valtype t);
/* false (TB_ERR_LIMIT) for what this tier does not compile yet (v128). */
bool llc_supported(const tw_module *m, tb_error *err);
bool llc_declare(llc_mod *M, tb_error *err);
bool llc_func(llc_mod *M, uint32_t funcidx, tb_error *err);
void llc_entry(llc_mod *M, uint32_t funcidx);

/* func.c helpers used by the op files */
/* Translate one instruction; false with *F->err set if it cannot be. */
bool llc_step(llc_fn *F, const dec_instr *in, bool *done);
void llc_push(llc_fn *F, LLVMValueRef v);
LLVMValueRef llc_pop(llc_fn *F);
LLVMValueRef llc_entry_alloca(llc_fn *F, LLVMTypeRef t, LLVMValueRef n, const char *name);
void llc_trap_if(llc_fn *F, LLVMValueRef cond, rt_trap_code code);
LLVMValueRef llc_call_intr(llc_fn *F, const char *name, LLVMTypeRef *tys, unsigned ntys,
                           LLVMValueRef *args, unsigned nargs);
LLVMValueRef llc_helper(llc_fn *F, size_t offset, LLVMTypeRef ret, LLVMValueRef *args,
                        unsigned nargs);
LLVMValueRef llc_load_field(llc_fn *F, LLVMValueRef base, size_t offset, LLVMTypeRef t);
/* A field of a runtime structure that never changes while code runs (vmctx pointers,
   helper entries): loads may be merged across calls and hoisted. */
LLVMValueRef llc_load_const(llc_fn *F, LLVMValueRef base, size_t offset, LLVMTypeRef t);
/* Tag a load or store with its alias class. */
void llc_tag(llc_fn *F, LLVMValueRef access, llc_tbaa tag);
LLVMValueRef llc_i32c(llc_fn *F, uint32_t v);

/* numeric.c: numeric instructions; false if op is not numeric. */
bool llc_numeric(llc_fn *F, const dec_instr *in);
/* simd.c: v128 instructions; false if not one (or not compiled yet). */
bool llc_simd(llc_fn *F, const dec_instr *in);
/* loopver.c: at a loop instruction (r just after it): 1 if the loop qualified for
   versioning and both its copies were translated (r is then after its end), 0 if it
   did not (nothing emitted), -1 on an error. */
int llc_loopver(llc_fn *F, dec_reader *r, const dec_instr *loop);
/* checks.c (when M->checks): plan fn's check points and emit the entry's check (false
   with *F->err on failure); the check of a loop header (after its phis); free. The
   hooks do nothing in a function without checks. */
bool llc_checks_entry(llc_fn *F, const tw_func *fn);
void llc_checks_loop(llc_fn *F, const dec_instr *loop);
/* After every call of Wasm or host code (it may spend or set fuel). */
void llc_checks_call(llc_fn *F);
void llc_checks_free(llc_fn *F);
/* memory.c: the address of (addr + offset) in linear memory 0. */
LLVMValueRef llc_mem_addr(llc_fn *F, LLVMValueRef addr, uint32_t offset);
/* memory.c: the current byte size of memory 0, as i64. */
LLVMValueRef llc_mem_bytes(llc_fn *F);
/* memory.c: a load from linear memory that is never deleted (it may trap); plain in a
   fast loop copy (F->fast), where no access traps. */
LLVMValueRef llc_mem_load(llc_fn *F, LLVMTypeRef t, LLVMValueRef p);
/* memory.c: a store to linear memory that stays in order with other accesses. */
LLVMValueRef llc_mem_store(llc_fn *F, LLVMValueRef v, LLVMValueRef p);
/* memory.c: loads, stores, memory.* and table.* instructions; false if not one. */
bool llc_memory(llc_fn *F, const dec_instr *in);

#endif
