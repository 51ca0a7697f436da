/* mem: handlers for loads and stores (scalar and v128, no bounds checks: the guard
   reservation turns stray accesses into traps), bulk memory, and table instructions. */
#include "internal.h"

/* Effective address: base + zero-extended i32 address + static offset (cell 2). */
#define EA(s) (mem + (uint64_t)sl_u32(fp, (s)) + OPU(2))

/* X(op, C type in memory, value kind, the value from v) */
#define LOADS(X)                                                                      \
    X(I32_LOAD, uint32_t, i32, v) X(I64_LOAD, uint64_t, i64, v)                       \
    X(F32_LOAD, uint32_t, f32, imm_f32(v)) X(F64_LOAD, uint64_t, f64, imm_f64(v))     \
    X(I32_LOAD8_S, int8_t, i32, (uint32_t)(int32_t)v) X(I32_LOAD8_U, uint8_t, i32, v)  \
    X(I32_LOAD16_S, int16_t, i32, (uint32_t)(int32_t)v) X(I32_LOAD16_U, uint16_t, i32, v) \
    X(I64_LOAD8_S, int8_t, i64, (uint64_t)(int64_t)v) X(I64_LOAD8_U, uint8_t, i64, v)  \
    X(I64_LOAD16_S, int16_t, i64, (uint64_t)(int64_t)v) X(I64_LOAD16_U, uint16_t, i64, v) \
    X(I64_LOAD32_S, int32_t, i64, (uint64_t)(int64_t)v) X(I64_LOAD32_U, uint32_t, i64, v)

/* X(op, C type in memory, value kind) */
#define STORES(X)                                                                     \
    X(I32_STORE, uint32_t, i32) X(I64_STORE, uint64_t, i64) X(F32_STORE, uint32_t, f32) \
    X(F64_STORE, uint64_t, f64) X(I32_STORE8, uint8_t, i32) X(I32_STORE16, uint16_t, i32) \
    X(I64_STORE8, uint8_t, i64) X(I64_STORE16, uint16_t, i64) X(I64_STORE32, uint32_t, i64)

/* A value's bits from its slot or from the accumulator. */
static inline uint64_t f32_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline uint64_t f64_bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
#define XBITS_i32 xi
#define XBITS_i64 xi
#define XBITS_f32 f32_bits(xf)
#define XBITS_f64 f64_bits(xd)

/* [h][dst|addr][offset]; _x: address from the accumulator; _aa and _ai: the address
   is an i32.add fused in, [h][dst|a][offset][b] or [h][dst|a][offset][imm] (the add
   wraps at 32 bits before the offset is added, as in Wasm). */
#define GEN_LOAD(op, T, k, val)                                                       \
    static IHANDLER h_##op(IARGS) {                                                   \
        T v;                                                                          \
        memcpy(&v, EA(OPB(1)), sizeof v);                                             \
        PUT_##k(OPA(1), (val));                                                       \
        NEXT(3);                                                                      \
    }                                                                                 \
    static IHANDLER h_##op##_x(IARGS) {                                               \
        T v;                                                                          \
        memcpy(&v, mem + (uint64_t)(uint32_t)xi + OPU(2), sizeof v);                  \
        PUT_##k(OPA(1), (val));                                                       \
        NEXT(3);                                                                      \
    }                                                                                 \
    static IHANDLER h_##op##_aa(IARGS) {                                              \
        T v;                                                                          \
        uint32_t addr = sl_u32(fp, OPB(1)) + sl_u32(fp, OPA(3));                      \
        memcpy(&v, mem + (uint64_t)addr + OPU(2), sizeof v);                          \
        PUT_##k(OPA(1), (val));                                                       \
        NEXT(4);                                                                      \
    }                                                                                 \
    static IHANDLER h_##op##_ai(IARGS) {                                              \
        T v;                                                                          \
        uint32_t addr = sl_u32(fp, OPB(1)) + OPA(3);                                  \
        memcpy(&v, mem + (uint64_t)addr + OPU(2), sizeof v);                          \
        PUT_##k(OPA(1), (val));                                                       \
        NEXT(4);                                                                      \
    }
/* [h][addr|val][offset]; _x: value from the accumulator; _i: [h][addr][offset][value] */
#define GEN_STORE(op, T, k)                                                           \
    static IHANDLER h_##op(IARGS) {                                                   \
        T v = (T)fp[OPB(1)];                                                          \
        memcpy(EA(OPA(1)), &v, sizeof v);                                             \
        NEXT(3);                                                                      \
    }                                                                                 \
    static IHANDLER h_##op##_x(IARGS) {                                               \
        T v = (T)XBITS_##k;                                                           \
        memcpy(EA(OPA(1)), &v, sizeof v);                                             \
        NEXT(3);                                                                      \
    }                                                                                 \
    static IHANDLER h_##op##_i(IARGS) {                                               \
        T v = (T)OPU(3);                                                              \
        memcpy(EA(OPA(1)), &v, sizeof v);                                             \
        NEXT(4);                                                                      \
    }
LOADS(GEN_LOAD)
STORES(GEN_STORE)

/* ---- v128 loads and stores ---- */

typedef int8_t v8i8 __attribute__((vector_size(8), aligned(1)));
typedef uint8_t v8u8 __attribute__((vector_size(8), aligned(1)));
typedef int16_t v4i16 __attribute__((vector_size(8), aligned(1)));
typedef uint16_t v4u16 __attribute__((vector_size(8), aligned(1)));
typedef int32_t v2i32 __attribute__((vector_size(8), aligned(1)));
typedef uint32_t v2u32 __attribute__((vector_size(8), aligned(1)));
typedef int16_t v8i16 __attribute__((vector_size(16), aligned(1)));
typedef uint16_t v8u16 __attribute__((vector_size(16), aligned(1)));
typedef int32_t v4i32 __attribute__((vector_size(16), aligned(1)));
typedef uint32_t v4u32 __attribute__((vector_size(16), aligned(1)));
typedef int64_t v2i64 __attribute__((vector_size(16), aligned(1)));
typedef uint64_t v2u64 __attribute__((vector_size(16), aligned(1)));

static IHANDLER h_V128_LOAD(IARGS) {
    memcpy(&fp[OPA(1)], EA(OPB(1)), 16);
    NEXT(3);
}
static IHANDLER h_V128_STORE(IARGS) {
    memcpy(EA(OPA(1)), &fp[OPB(1)], 16);
    NEXT(3);
}
/* X(op, narrow vector type, wide vector type) */
#define EXT_LOADS(X)                                                                  \
    X(V128_LOAD8X8_S, v8i8, v8i16) X(V128_LOAD8X8_U, v8u8, v8u16)                     \
    X(V128_LOAD16X4_S, v4i16, v4i32) X(V128_LOAD16X4_U, v4u16, v4u32)                 \
    X(V128_LOAD32X2_S, v2i32, v2i64) X(V128_LOAD32X2_U, v2u32, v2u64)
#define GEN_EXT_LOAD(op, N, W)                                                        \
    static IHANDLER h_##op(IARGS) {                                                   \
        N n;                                                                          \
        memcpy(&n, EA(OPB(1)), 8);                                                    \
        W w = __builtin_convertvector(n, W);                                          \
        memcpy(&fp[OPA(1)], &w, 16);                                                  \
        NEXT(3);                                                                      \
    }
EXT_LOADS(GEN_EXT_LOAD)

/* X(op, lane type) */
#define SPLAT_LOADS(X)                                                                \
    X(V128_LOAD8_SPLAT, uint8_t) X(V128_LOAD16_SPLAT, uint16_t)                       \
    X(V128_LOAD32_SPLAT, uint32_t) X(V128_LOAD64_SPLAT, uint64_t)
#define GEN_SPLAT_LOAD(op, T)                                                         \
    static IHANDLER h_##op(IARGS) {                                                   \
        T v, out[16 / sizeof(T)];                                                     \
        memcpy(&v, EA(OPB(1)), sizeof v);                                             \
        for (unsigned i = 0; i < 16 / sizeof(T); i++) out[i] = v;                     \
        memcpy(&fp[OPA(1)], out, 16);                                                 \
        NEXT(3);                                                                      \
    }
SPLAT_LOADS(GEN_SPLAT_LOAD)

static IHANDLER h_V128_LOAD32_ZERO(IARGS) {
    uint32_t v;
    memcpy(&v, EA(OPB(1)), 4);
    fp[OPA(1)] = v;
    fp[OPA(1) + 1] = 0;
    NEXT(3);
}
static IHANDLER h_V128_LOAD64_ZERO(IARGS) {
    uint64_t v;
    memcpy(&v, EA(OPB(1)), 8);
    fp[OPA(1)] = v;
    fp[OPA(1) + 1] = 0;
    NEXT(3);
}

/* [h][dst|addr][offset][vec|lane] */
#define LANE_OPS(X)                                                                   \
    X(V128_LOAD8_LANE, V128_STORE8_LANE, 1) X(V128_LOAD16_LANE, V128_STORE16_LANE, 2)  \
    X(V128_LOAD32_LANE, V128_STORE32_LANE, 4) X(V128_LOAD64_LANE, V128_STORE64_LANE, 8)
#define GEN_LANE(lop, sop, size)                                                      \
    static IHANDLER h_##lop(IARGS) {                                                  \
        uint8_t v[16];                                                                \
        memcpy(v, &fp[OPA(3)], 16);                                                   \
        memcpy(v + OPB(3) * (size), EA(OPB(1)), (size));                              \
        memcpy(&fp[OPA(1)], v, 16);                                                   \
        NEXT(4);                                                                      \
    }                                                                                 \
    static IHANDLER h_##sop(IARGS) {                                                  \
        memcpy(EA(OPB(1)), (uint8_t *)&fp[OPA(3)] + OPB(3) * (size), (size));         \
        NEXT(4);                                                                      \
    }
LANE_OPS(GEN_LANE)

#define ENT(op, ...) [TW_OP_##op] = h_##op,
#define ENT_X(op, ...) [TW_OP_##op] = h_##op##_x,
#define ENT_LANE(lop, sop, size) [TW_OP_##lop] = h_##lop, [TW_OP_##sop] = h_##sop,
const ihandler interp_load[2][TW_OP_COUNT] = {
    {LOADS(ENT) EXT_LOADS(ENT) SPLAT_LOADS(ENT) ENT(V128_LOAD) ENT(V128_LOAD32_ZERO)
     ENT(V128_LOAD64_ZERO)},
    {LOADS(ENT_X)},
};
#define ENT_AA(op, ...) [TW_OP_##op] = h_##op##_aa,
#define ENT_AI(op, ...) [TW_OP_##op] = h_##op##_ai,
const ihandler interp_load_add[2][TW_OP_COUNT] = {{LOADS(ENT_AA)}, {LOADS(ENT_AI)}};
const ihandler interp_store[2][TW_OP_COUNT] = {{STORES(ENT) ENT(V128_STORE)}, {STORES(ENT_X)}};
#define ENT_I(op, ...) [TW_OP_##op] = h_##op##_i,
const ihandler interp_store_imm[TW_OP_COUNT] = {STORES(ENT_I)};
const ihandler interp_memlane[TW_OP_COUNT] = { LANE_OPS(ENT_LANE) };

/* ---- memory instructions ---- */

#define CHECK(expr) do { rt_trap_code c_ = (expr); if (TB_UNLIKELY(c_)) TRAP(c_); } while (0)

/* [h][dst] */
IHANDLER h_memory_size(IARGS) {
    fp[OPA(1)] = (uint32_t)(ctx->mem0->size / TB_WASM_PAGE);
    NEXT(2);
}
/* [h][dst|delta] */
IHANDLER h_memory_grow(IARGS) {
    fp[OPA(1)] = (uint32_t)rt_memory_grow(ctx->mem0, sl_u32(fp, OPB(1)));
    mem = interp_membase(ctx);
    NEXT(2);
}
/* [h][dst|src][n|seg] */
IHANDLER h_memory_init(IARGS) {
    CHECK(rt_memory_init(ctx->inst, OPB(2), sl_u32(fp, OPA(1)), sl_u32(fp, OPB(1)),
                         sl_u32(fp, OPA(2))));
    NEXT(3);
}
/* [h][dst|src][n] */
IHANDLER h_memory_copy(IARGS) {
    CHECK(rt_memory_copy(ctx->mem0, sl_u32(fp, OPA(1)), sl_u32(fp, OPB(1)),
                         sl_u32(fp, OPA(2))));
    NEXT(3);
}
/* [h][dst|val][n] */
IHANDLER h_memory_fill(IARGS) {
    CHECK(rt_memory_fill(ctx->mem0, sl_u32(fp, OPA(1)), sl_u32(fp, OPB(1)),
                         sl_u32(fp, OPA(2))));
    NEXT(3);
}
/* [h][seg] */
IHANDLER h_data_drop(IARGS) { rt_data_drop(ctx->inst, OPA(1)); NEXT(2); }
IHANDLER h_elem_drop(IARGS) { rt_elem_drop(ctx->inst, OPA(1)); NEXT(2); }

/* ---- tables ---- */

/* [h][dst|idx][table] */
IHANDLER h_table_get(IARGS) {
    rt_ref r;
    CHECK(rt_table_get(ctx->tables[OPA(2)], sl_u32(fp, OPB(1)), &r));
    fp[OPA(1)] = (uint64_t)(uintptr_t)r;
    NEXT(3);
}
/* [h][idx|val][table] */
IHANDLER h_table_set(IARGS) {
    CHECK(rt_table_set(ctx->tables[OPA(2)], sl_u32(fp, OPA(1)),
                       (rt_ref)(uintptr_t)fp[OPB(1)]));
    NEXT(3);
}
/* [h][dst|table] */
IHANDLER h_table_size(IARGS) { fp[OPA(1)] = ctx->tables[OPB(1)]->size; NEXT(2); }
/* [h][dst|init][delta|table] */
IHANDLER h_table_grow(IARGS) {
    int32_t r = rt_table_grow(ctx->tables[OPB(2)], sl_u32(fp, OPA(2)),
                              (rt_ref)(uintptr_t)fp[OPB(1)]);
    fp[OPA(1)] = (uint32_t)r;
    NEXT(3);
}
/* [h][i|val][n|table] */
IHANDLER h_table_fill(IARGS) {
    CHECK(rt_table_fill(ctx->tables[OPB(2)], sl_u32(fp, OPA(1)),
                        (rt_ref)(uintptr_t)fp[OPB(1)], sl_u32(fp, OPA(2))));
    NEXT(3);
}
/* [h][dst|src][n][dst table|src table] */
IHANDLER h_table_copy(IARGS) {
    CHECK(rt_table_copy(ctx->tables[OPA(3)], ctx->tables[OPB(3)], sl_u32(fp, OPA(1)),
                        sl_u32(fp, OPB(1)), sl_u32(fp, OPA(2))));
    NEXT(4);
}
/* [h][dst|src][n][table|seg] */
IHANDLER h_table_init(IARGS) {
    CHECK(rt_table_init(ctx->inst, OPA(3), OPB(3), sl_u32(fp, OPA(1)), sl_u32(fp, OPB(1)),
                        sl_u32(fp, OPA(2))));
    NEXT(4);
}
