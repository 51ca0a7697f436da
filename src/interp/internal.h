/* internal: the lowered code format, the handler calling convention and the execution
   context shared by the interpreter's files (lowering, dispatch core, op handlers). */
#ifndef INTERP_INTERNAL_H
#define INTERP_INTERNAL_H

#include <pthread.h>
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

/* preserve_none keeps the arguments in registers across the whole tail-call chain
   (clang >= 19). Besides pc, fp, memory base and context, three accumulators carry the
   last result of an instruction (integer, f64, f32) in a register: the instruction right
   after it may read it from there ("x" operand forms) instead of from its slot, which
   takes the store-to-load round trip off dependency chains. Handlers that produce no
   such result pass them along untouched. */
#define IARGS const icell *pc, uint64_t *fp, uint8_t *mem, interp_ctx *ctx, uint64_t xi, \
              double xd, float xf
/* ASan's stack instrumentation uses dynamic allocas, which LLVM 19 cannot realign under
   preserve_none (a backend crash), so sanitizer builds use the default convention. */
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
#define IHANDLER rt_trap_code
#else
#define IHANDLER __attribute__((preserve_none)) rt_trap_code
#endif
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
#define NEXT(n) __attribute__((musttail)) return pc[n].h(pc + (n), fp, mem, ctx, xi, xd, xf)
/* Continue at pc_ with frame fp_. */
#define ENTER(pc_, fp_) __attribute__((musttail)) return (pc_)->h((pc_), (fp_), mem, ctx, xi, xd, xf)
/* Continue at a branch target. */
#define JUMP(t) do { pc = (t); ENTER(pc, fp); } while (0)
/* Stop with a trap; the pc lets interp_invoke find the Wasm offset for the backtrace. */
#define TRAP(code) do { ctx->trap_pc = pc; ctx->trap_fp = fp; return (code); } while (0)

/* Slot access. i32/f32 live zero-extended in the low half of a slot; v128 in two. */
static inline uint32_t sl_u32(const uint64_t *fp, uint32_t s) { return (uint32_t)fp[s]; }
static inline float sl_f32(const uint64_t *fp, uint32_t s) { float f; uint32_t u = (uint32_t)fp[s]; memcpy(&f, &u, 4); return f; }
static inline double sl_f64(const uint64_t *fp, uint32_t s) { double d; memcpy(&d, &fp[s], 8); return d; }
static inline void sl_set_f32(uint64_t *fp, uint32_t s, float f) { uint32_t u; memcpy(&u, &f, 4); fp[s] = u; }
static inline void sl_set_f64(uint64_t *fp, uint32_t s, double d) { memcpy(&fp[s], &d, 8); }

/* Value kinds for generated handlers: C type, read a slot, read the accumulator,
   read the immediate in cell 2, write a slot (and the accumulator). */
typedef uint32_t T_i32;
typedef uint64_t T_i64;
typedef float T_f32;
typedef double T_f64;
#define GET_i32(s) sl_u32(fp, (s))
#define GET_i64(s) fp[(s)]
#define GET_f32(s) sl_f32(fp, (s))
#define GET_f64(s) sl_f64(fp, (s))
#define X_i32 ((uint32_t)xi)
#define X_i64 (xi)
#define X_f32 (xf)
#define X_f64 (xd)
#define IMM_i32 ((uint32_t)OPU(2))
#define IMM_i64 (OPU(2))
#define IMM_f32 (imm_f32(OPU(2)))
#define IMM_f64 (imm_f64(OPU(2)))
#define PUT_i32(s, v) do { uint32_t r_ = (v); fp[(s)] = r_; xi = r_; } while (0)
#define PUT_i64(s, v) do { uint64_t r_ = (v); fp[(s)] = r_; xi = r_; } while (0)
#define PUT_f32(s, v) do { float r_ = (v); sl_set_f32(fp, (s), r_); xf = r_; } while (0)
#define PUT_f64(s, v) do { double r_ = (v); sl_set_f64(fp, (s), r_); xd = r_; } while (0)
static inline float imm_f32(uint64_t u) { float f; uint32_t b = (uint32_t)u; memcpy(&f, &b, 4); return f; }
static inline double imm_f64(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }

/* Operand forms of binary instructions: where a and b come from. Cells for values:
   [h][dst|a][b / imm]; for compare-and-branch: [h][a|b][target] or [h][a][imm][target]
   (an operand read from the accumulator leaves its field unused). */
enum { F_SS, F_SI, F_XS, F_SX, F_XI, F_COUNT };

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

/* Calls zero this many local slots with plain stores (no memset call) when a function
   has no more locals; every frame is at least params + this long. */
#define INTERP_ZERO_MIN 4

typedef struct interp_func {
    icell *code;
    uint32_t ncells;
    uint32_t funcidx;
    uint32_t param_slots;
    uint32_t local_slots;   /* declared locals only (the frame has room for at least
                               INTERP_ZERO_MIN of them, see push_frame) */
    uint32_t frame_slots;   /* params + locals + temporaries */
    uint32_t result_slots;
    uint32_t npcmap;
    interp_pcmap *pcmap;
} interp_func;

struct interp_module {
    const tw_module *m;
    uint32_t nfuncs;        /* defined functions */
    interp_func *funcs;     /* each lowered when first called (interp_lower_now) */
    unsigned checks;        /* INTERP_CHECK_* */
    pthread_mutex_t lock;   /* held while lowering */
};

/* f's lowered code, NULL until it is lowered; the frame layout fields are valid once
   this is not NULL (published with release order by the lowering). */
static inline const icell *interp_code(const interp_func *f) {
    return __atomic_load_n(&f->code, __ATOMIC_ACQUIRE);
}
/* Lower f (of im) if no thread has yet; its code, or NULL with err on OOM. */
const icell *interp_lower_now(interp_module *im, interp_func *f, tb_error *err);

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
    iframe *base;           /* the entry's own frame: backtraces stop there */
};

void interp_ctx_set_inst(interp_ctx *ctx, rt_instance *inst);
static inline uint8_t *interp_membase(const interp_ctx *ctx) {
    return ctx->mem0 ? ctx->mem0->base : NULL;
}

/* Handler tables filled by the op files, indexed by tw_op; NULL where not applicable. */
extern const ihandler interp_unop[2][TW_OP_COUNT];  /* [h][dst|a]; [1]: a from acc */
extern const ihandler interp_binop[F_COUNT][TW_OP_COUNT];
extern const ihandler interp_load[2][TW_OP_COUNT];  /* [h][dst|addr][offset]; [1]: addr from acc */
/* Loads whose address is an i32.add: [0] of two slots, [1] of a slot and an immediate. */
extern const ihandler interp_load_add[2][TW_OP_COUNT];
extern const ihandler interp_store[2][TW_OP_COUNT]; /* [h][addr|val][offset]; [1]: val from acc */
extern const ihandler interp_store_imm[TW_OP_COUNT]; /* [h][addr][offset][value] */
/* v128 lane loads/stores: [h][dst|addr][offset][vec|lane] (stores: dst unused). */
extern const ihandler interp_memlane[TW_OP_COUNT];
/* A multiply fused into the add/sub consuming it, [f32, f64][o + m, o - m, m - o]
   [m = slot * slot, slot * imm, slot * acc, slot * load, slot * load at addr + imm]. */
enum { MF_MS, MF_MI, MF_MX, MF_ML, MF_MLA, MF_COUNT };
extern const ihandler interp_mulfused[2][3][MF_COUNT];
/* The same with o loaded from memory and the result stored back there (c += m1 * b[i]):
   [f32, f64][kind], [h][caddr|m1][coff][baddr|bimm][boff]; the address of the
   multiplied load is baddr + bimm (wrapping). */
extern const ihandler interp_rmwfused[2][3];
/* i32 chains, [outer][inner] (num.c): dst = a OUTER (x INNER imm), [h][dst|a][x][imm];
   the index functions return -1 for ops that have none. */
#define INTERP_CHAIN_OUTER 4
#define INTERP_CHAIN_INNER 11
extern const ihandler interp_chain[INTERP_CHAIN_OUTER][INTERP_CHAIN_INNER];
int interp_chain_outer(tw_op op);
int interp_chain_inner(tw_op op);
/* Compare-and-branch, indexed by form and compare op: taken when the compare is true
   (brcmp, for br_if) or false (brncmp, for if). */
extern const ihandler interp_brcmp[F_COUNT][TW_OP_COUNT];
extern const ihandler interp_brncmp[F_COUNT][TW_OP_COUNT];
/* i32.add of a slot and an immediate whose result a compare-and-branch reads from the
   accumulator, as one instruction: [taken when true, when false][form F_SX, F_XS or
   F_XI][i32 compare op], [h][dst|src][add imm][other|0 or compare imm][target]. */
extern const ihandler interp_addbr[2][F_COUNT][TW_OP_COUNT];
/* SIMD (simd.c): non-memory v128 ops. Operand counts follow opcodes.def. */
extern const ihandler interp_simd[TW_OP_COUNT];

/* Handlers the lowering names directly (exec.c, mem.c, simd.c). */
#define INTERP_HANDLERS(X)                                                            \
    X(unreachable) X(nop) X(ret) X(ret1) X(retk) X(exit)                              \
    X(br) X(br_if) X(br_unless) X(br_if_x) X(br_unless_x) X(br_table)                 \
    X(add_br_if) X(add_br_unless) X(add2)                                             \
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
