/* internal: the lowered code format, the handler calling convention and the execution
   context shared by the interpreter's files (lowering, dispatch core, op handlers). */
#ifndef INTERP_INTERNAL_H
#define INTERP_INTERNAL_H

#include "interp.h"
#include "../runtime/ops.h"
#include "../wasm/opcodes.h"
#include "../base/limits.h"

/* Lowered code is an array of 8-byte cells: a handler pointer followed by its operands.
   Operands name frame slots (indices from fp), immediates, or branch targets (absolute
   cell pointers, resolved at lowering). A handler reads its operands from pc[1..] and
   tail-calls the handler at pc[n], so dispatch is one indirect jump per instruction. */
typedef struct interp_ctx interp_ctx;
typedef union icell icell;

/* preserve_none keeps pc, fp, mem and ctx in callee-saved-free registers across the
   whole tail-call chain (clang >= 19). */
#define IARGS const icell *pc, uint64_t *fp, uint8_t *mem, interp_ctx *ctx
#define IHANDLER __attribute__((preserve_none)) rt_trap_code
typedef IHANDLER (*ihandler)(IARGS);

union icell {
    ihandler h;
    uint64_t u;
    int64_t i;
    const icell *target;
    const void *p;
    struct { uint32_t a, b; } w;
};

/* Operand accessors: A/B are the 32-bit halves of cell n. */
#define OPA(n) (pc[n].w.a)
#define OPB(n) (pc[n].w.b)
#define OPU(n) (pc[n].u)

/* Continue with the instruction `n` cells ahead. */
#define NEXT(n) __attribute__((musttail)) return pc[n].h(pc + (n), fp, mem, ctx)
/* Continue at a branch target. */
#define JUMP(t) do { pc = (t); __attribute__((musttail)) return pc->h(pc, fp, mem, ctx); } while (0)
/* Stop with a trap; the pc lets interp_invoke find the Wasm offset for the backtrace. */
#define TRAP(code) do { ctx->trap_pc = pc; ctx->trap_fp = fp; return (code); } while (0)

/* Slot access. i32/f32 live zero-extended in the low half of a slot; v128 in two. */
static inline uint32_t sl_u32(const uint64_t *fp, uint32_t s) { return (uint32_t)fp[s]; }
static inline float sl_f32(const uint64_t *fp, uint32_t s) { float f; uint32_t u = (uint32_t)fp[s]; memcpy(&f, &u, 4); return f; }
static inline double sl_f64(const uint64_t *fp, uint32_t s) { double d; memcpy(&d, &fp[s], 8); return d; }
static inline void sl_set_f32(uint64_t *fp, uint32_t s, float f) { uint32_t u; memcpy(&u, &f, 4); fp[s] = u; }
static inline void sl_set_f64(uint64_t *fp, uint32_t s, double d) { memcpy(&fp[s], &d, 8); }

/* Frame layout: fp[0..param_slots) params, then declared locals (zeroed at entry),
   then operand-stack temporaries. A call's arguments are the caller's top temporaries,
   which become the callee's params in place (callee fp = caller fp + argbase); results
   come back in the same place. Return addresses live apart, on a call-frame stack that
   grows down from the top of the store's value stack, so a callee's frame may extend
   past its caller's without clobbering them. */
typedef struct iframe {
    const icell *ret;
    uint64_t *fp;
    rt_instance *inst;
} iframe;

/* Map from lowered code position to Wasm offset, only read when trapping. */
typedef struct interp_pcmap {
    uint32_t cell;     /* index of the instruction's first cell */
    uint32_t offset;   /* module offset of the Wasm instruction */
} interp_pcmap;

typedef struct interp_func {
    icell *code;
    uint32_t ncells;
    uint32_t funcidx;
    uint32_t param_slots;
    uint32_t local_slots;   /* declared locals only */
    uint32_t frame_slots;   /* params + locals + temporaries */
    uint32_t result_slots;
    uint32_t npcmap;
    interp_pcmap *pcmap;
} interp_func;

struct interp_module {
    const tw_module *m;
    uint32_t nfuncs;        /* defined functions */
    interp_func *funcs;
};

/* Per-invocation state; the fields cached from the current instance change on calls
   across instances and are restored on return. */
struct interp_ctx {
    rt_store *st;
    rt_instance *inst;
    rt_memory *mem0;
    rt_global **globals;
    rt_func **funcs;
    rt_table **tables;
    iframe *csp;            /* innermost call frame */
    iframe *csp_limit;      /* depth limit (max_depth frames below the top) */
    const icell *trap_pc;
    uint64_t *trap_fp;
};

void interp_ctx_set_inst(interp_ctx *ctx, rt_instance *inst);
static inline uint8_t *interp_membase(const interp_ctx *ctx) {
    return ctx->mem0 ? ctx->mem0->base : NULL;
}

/* Handler tables filled by the op files, indexed by tw_op; NULL where not applicable.
   Forms: _ss both operands in slots; _si second operand an immediate (cell 2). */
extern const ihandler interp_unop[TW_OP_COUNT];     /* [h][dst|a] */
extern const ihandler interp_binop_ss[TW_OP_COUNT]; /* [h][dst|a][b] */
extern const ihandler interp_binop_si[TW_OP_COUNT]; /* [h][dst|a][imm] */
extern const ihandler interp_load[TW_OP_COUNT];     /* [h][dst|addr][offset] */
extern const ihandler interp_store[TW_OP_COUNT];    /* [h][addr|val][offset] */
/* v128 lane loads/stores: [h][dst|addr][offset][vec|lane] (stores: dst unused). */
extern const ihandler interp_memlane[TW_OP_COUNT];
/* Compare-and-branch: [h][a|b][target] (_ss) or [h][a][imm][target] (_si). Indexed by
   the compare op; the branch is taken when the compare is true (br_if) or false (if). */
extern const ihandler interp_brcmp_ss[TW_OP_COUNT];
extern const ihandler interp_brcmp_si[TW_OP_COUNT];
extern const ihandler interp_brncmp_ss[TW_OP_COUNT];
extern const ihandler interp_brncmp_si[TW_OP_COUNT];
/* SIMD (simd.c): non-memory v128 ops. Operand counts follow opcodes.def. */
extern const ihandler interp_simd[TW_OP_COUNT];

/* Handlers the lowering names directly (exec.c, mem.c, simd.c). */
#define INTERP_HANDLERS(X)                                                            \
    X(unreachable) X(nop) X(br) X(br_if) X(br_unless) X(br_table) X(ret) X(exit)      \
    X(call) X(call_import) X(call_indirect)                                           \
    X(copy) X(copy2) X(const64) X(const128)                                           \
    X(select) X(select2)                                                              \
    X(global_get) X(global_set) X(global_get2) X(global_set2)                         \
    X(memory_size) X(memory_grow) X(memory_init) X(memory_copy) X(memory_fill)        \
    X(data_drop) X(table_get) X(table_set) X(table_size) X(table_grow) X(table_fill)  \
    X(table_copy) X(table_init) X(elem_drop) X(ref_func)
#define X(n) IHANDLER h_##n(IARGS);
INTERP_HANDLERS(X)
#undef X

/* Wasm offset of the instruction at pc in f (for backtraces). */
uint32_t interp_pc_offset(const interp_func *f, const icell *pc);

#endif
