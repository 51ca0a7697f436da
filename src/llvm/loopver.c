/* loopver: loop versioning. A counted innermost loop whose every memory access is
   proven in bounds before it starts is translated twice: a fast copy with plain
   (non-volatile) accesses that LLVM may vectorize, and the ordinary copy (volatile
   accesses, memory.c) for every other start.

   Why this is sound. Accesses are volatile so that a trap leaves exactly the stores
   before it (memory.c). A loop that qualifies (below) can trap only in its memory
   accesses; when the check before it proves that each access of each iteration is in
   bounds, nothing in it can trap, so its accesses need no order and no volatility.
   The check computes the exact trip count and, from the affine form of every address,
   the range of bytes each access touches over all iterations.

   A loop qualifies when (analyse, from its bytes, before anything is emitted):
   - its block type is empty and its body is straight-line: no control instruction, no
     call, no instruction that can trap other than loads and stores, no memory.grow; the
     only branch is a final `br_if 0` just before its `end`;
   - each address is c, x + c or an i32.add/sub chain of them, x an i32 local: not
     written in the body (invariant) or written once as x = x + c (an induction variable;
     values are tracked as "x at the start of the iteration, plus k", so reads before
     and after the update are both affine);
   - the br_if's operand compares an induction variable (plus k) with an invariant
     (ne, lt, le, gt, ge signed or unsigned; a bare value is `ne 0`). */
#include <stddef.h>
#include <stdio.h>
#include "llc.h"

#define LV_MAX_CODE 4096u    /* body bytes: bounds analysis time and the code duplicated */
#define LV_MAX_STACK 64u
#define LV_MAX_WRITES 32u    /* distinct locals written in the body */
#define LV_MAX_ACCESSES 64u
#define LV_MAX_ADDS 128u
#define LV_MAX_SCOPED 8u     /* bases given alias scopes (pairs checked: n(n-1)/2) */
#define LV_CONST UINT32_MAX  /* the "local" of a constant */
#define LV_KMAX ((int64_t)1 << 32)   /* |k| bound: keeps the i64 check free of overflow */
#define LV_MAX_TRIPS ((int64_t)1 << 31)  /* N * step then stays below 2^62 */

typedef enum lv_kind { LV_UNK, LV_AFF, LV_CMP } lv_kind;

/* LV_AFF: value of local `base` at the start of the iteration, plus k (mod 2^32).
   LV_CMP: the i32 comparison `cmp` of (base, k) with (base2, k2). */
typedef struct lv_val {
    lv_kind kind;
    tw_op cmp;
    uint32_t base, base2;
    int64_t k, k2;
} lv_val;

typedef struct lv_write { uint32_t local, n; lv_val last; bool done; } lv_write;
/* An access at (base + k) + [offset, end), end = offset + size. */
typedef struct lv_access { uint32_t base, at; int64_t k, end; bool store; } lv_access;
/* The accesses through one base: the range of k + [0, end) over them, and (emitted)
   the bytes they touch over the whole loop, [lo, hi), and their alias scope tags. */
typedef struct lv_base {
    uint32_t local;
    int64_t kmin, kend;
    bool store;
    LLVMValueRef lo, hi, scope, noalias;
} lv_base;
typedef struct lv_add { uint32_t offset, base; int64_t k1, k; bool may_nuw; } lv_add;

typedef struct lv_loop {
    llc_fn *F;
    lv_val stack[LV_MAX_STACK];
    uint32_t sp;
    lv_write w[LV_MAX_WRITES];
    uint32_t nw;
    lv_access acc[LV_MAX_ACCESSES];
    uint32_t nacc;
    lv_base base[LV_MAX_ACCESSES];
    uint32_t nbase;
    bool scoped;              /* the bases' byte ranges are checked disjoint */
    lv_add add[LV_MAX_ADDS];
    uint32_t nadd;
    lv_val exit;              /* normalized: (IV + k) cmp (invariant + k2) */
    int64_t step;             /* of the exit's induction variable */
    uint32_t exit_offset;     /* of the final br_if */
    const uint8_t *end;       /* just after the loop's end */
} lv_loop;

/* ---- analysis ---- */

static const lv_val unk = {.kind = LV_UNK};

static lv_val aff(uint32_t base, int64_t k) {
    lv_val v = {.kind = LV_AFF, .base = base, .k = k};
    if (k > LV_KMAX || k < -LV_KMAX) v.kind = LV_UNK;
    return v;
}

static bool push(lv_loop *L, lv_val v) {
    if (L->sp == LV_MAX_STACK) return false;
    L->stack[L->sp++] = v;
    return true;
}

static lv_val pop(lv_loop *L) { return L->sp ? L->stack[--L->sp] : unk; }

static lv_write *find_write(lv_loop *L, uint32_t local) {
    for (uint32_t i = 0; i < L->nw; i++)
        if (L->w[i].local == local) return &L->w[i];
    return NULL;
}

/* Bytes accessed by a load or store this pass accepts (0: not accepted). */
static uint32_t access_size(tw_op op) {
    switch (op) {
    case TW_OP_I32_LOAD8_S: case TW_OP_I32_LOAD8_U: case TW_OP_I64_LOAD8_S:
    case TW_OP_I64_LOAD8_U: case TW_OP_I32_STORE8: case TW_OP_I64_STORE8: return 1;
    case TW_OP_I32_LOAD16_S: case TW_OP_I32_LOAD16_U: case TW_OP_I64_LOAD16_S:
    case TW_OP_I64_LOAD16_U: case TW_OP_I32_STORE16: case TW_OP_I64_STORE16: return 2;
    case TW_OP_I32_LOAD: case TW_OP_F32_LOAD: case TW_OP_I64_LOAD32_S: case TW_OP_I64_LOAD32_U:
    case TW_OP_I32_STORE: case TW_OP_F32_STORE: case TW_OP_I64_STORE32: return 4;
    case TW_OP_I64_LOAD: case TW_OP_F64_LOAD: case TW_OP_I64_STORE: case TW_OP_F64_STORE: return 8;
    case TW_OP_V128_LOAD: case TW_OP_V128_STORE: return 16;
    default: return 0;
    }
}

/* Instructions with no immediate that can trap. */
static bool traps(tw_op op) {
    switch (op) {
    case TW_OP_I32_DIV_S: case TW_OP_I32_DIV_U: case TW_OP_I32_REM_S: case TW_OP_I32_REM_U:
    case TW_OP_I64_DIV_S: case TW_OP_I64_DIV_U: case TW_OP_I64_REM_S: case TW_OP_I64_REM_U:
    case TW_OP_I32_TRUNC_F32_S: case TW_OP_I32_TRUNC_F32_U: case TW_OP_I32_TRUNC_F64_S:
    case TW_OP_I32_TRUNC_F64_U: case TW_OP_I64_TRUNC_F32_S: case TW_OP_I64_TRUNC_F32_U:
    case TW_OP_I64_TRUNC_F64_S: case TW_OP_I64_TRUNC_F64_U: case TW_OP_UNREACHABLE:
        return true;
    default: return false;
    }
}

static bool is_cmp(tw_op op) {
    switch (op) {
    case TW_OP_I32_NE: case TW_OP_I32_LT_S: case TW_OP_I32_LT_U: case TW_OP_I32_GT_S:
    case TW_OP_I32_GT_U: case TW_OP_I32_LE_S: case TW_OP_I32_LE_U: case TW_OP_I32_GE_S:
    case TW_OP_I32_GE_U:
        return true;
    default: return false;
    }
}

/* Pops and pushes by the opcode table's stack signature ("params>results"). */
static bool generic(lv_loop *L, const dec_instr *in, lv_val *first) {
    const char *sig = tw_opinfos[in->op].sig, *gt = strchr(sig, '>');
    if (!gt) return false;
    for (const char *p = gt; p > sig; p--) *first = pop(L);
    for (const char *p = gt + 1; *p; p++)
        if (!push(L, unk)) return false;
    return true;
}

static bool memory_access(lv_loop *L, const dec_instr *in) {
    uint32_t size = access_size(in->op);
    lv_val addr;
    if (!size || L->nacc == LV_MAX_ACCESSES || !generic(L, in, &addr)) return false;
    if (addr.kind != LV_AFF) return false;
    bool store = tw_opinfos[in->op].sig[strlen(tw_opinfos[in->op].sig) - 1] == '>';
    L->acc[L->nacc++] = (lv_access){addr.base, in->offset, addr.k,
                                    (int64_t)in->u.mem.offset + size, store};
    return true;
}

/* i32.add and i32.sub of an affine value and a constant stay affine. */
static bool arith(lv_loop *L, const dec_instr *in) {
    lv_val b = pop(L), a = pop(L), r = unk;
    bool sub = in->op == TW_OP_I32_SUB;
    if (a.kind == LV_AFF && b.kind == LV_AFF && b.base == LV_CONST)
        r = aff(a.base, sub ? a.k - b.k : a.k + b.k);
    else if (!sub && a.kind == LV_AFF && b.kind == LV_AFF && a.base == LV_CONST)
        r = aff(b.base, a.k + b.k);
    if (r.kind == LV_AFF && r.base != LV_CONST && L->nadd < LV_MAX_ADDS) {
        lv_val x = a.base == LV_CONST ? b : a;
        int64_t c = r.k - x.k;   /* the constant as added: nuw holds only for c >= 0 */
        L->add[L->nadd++] = (lv_add){in->offset, r.base, x.k, r.k, sub ? c <= 0 : c >= 0};
    }
    return push(L, r);
}

static bool compare(lv_loop *L, const dec_instr *in) {
    lv_val b = pop(L), a = pop(L);
    if (a.kind != LV_AFF || b.kind != LV_AFF) return push(L, unk);
    return push(L, (lv_val){.kind = LV_CMP, .cmp = in->op, .base = a.base, .k = a.k,
                            .base2 = b.base, .k2 = b.k});
}

static bool set_local(lv_loop *L, uint32_t local, lv_val v) {
    lv_write *w = find_write(L, local);
    if (!w) {
        if (L->nw == LV_MAX_WRITES) return false;
        w = &L->w[L->nw++];
        *w = (lv_write){.local = local};
    }
    w->n++;
    w->last = v;
    w->done = true;
    return true;
}

static bool get_local(lv_loop *L, uint32_t local) {
    lv_write *w = find_write(L, local);
    if (w && w->done) return push(L, w->last);
    if (L->F->local_types[local] != L->F->M->i32) return push(L, unk);
    return push(L, aff(local, 0));
}

static bool variables(lv_loop *L, const dec_instr *in) {
    switch (in->op) {
    case TW_OP_LOCAL_GET: return get_local(L, in->u.idx);
    case TW_OP_LOCAL_SET: return set_local(L, in->u.idx, pop(L));
    case TW_OP_LOCAL_TEE:
        return L->sp && set_local(L, in->u.idx, L->stack[L->sp - 1]);
    case TW_OP_GLOBAL_GET: return push(L, unk);
    case TW_OP_DROP: pop(L); return true;
    case TW_OP_SELECT: case TW_OP_SELECT_T: pop(L); pop(L); pop(L); return push(L, unk);
    default: return false;
    }
}

/* One instruction of the body; false rejects the loop. */
static bool step(lv_loop *L, const dec_instr *in) {
    tw_imm imm = tw_opinfos[in->op].imm;
    lv_val first;
    if (in->op == TW_OP_I32_CONST) return push(L, aff(LV_CONST, in->u.i32));
    if (in->op == TW_OP_I32_ADD || in->op == TW_OP_I32_SUB) return arith(L, in);
    if (is_cmp(in->op)) return compare(L, in);
    if (imm == IMM_MEMARG) return memory_access(L, in);
    if (imm == IMM_LOCAL || imm == IMM_GLOBAL || in->op == TW_OP_DROP ||
        in->op == TW_OP_SELECT || in->op == TW_OP_SELECT_T)
        return variables(L, in);
    bool plain = imm == IMM_NONE || imm == IMM_I64 || imm == IMM_F32 || imm == IMM_F64 ||
                 imm == IMM_V128 || imm == IMM_SHUFFLE || imm == IMM_LANE ||
                 in->op == TW_OP_MEMORY_SIZE;
    return plain && !traps(in->op) && generic(L, in, &first);
}

/* The induction step of local x: written once, as x + step. 0 if not one. */
static int64_t iv_step(const lv_loop *L, uint32_t x) {
    for (uint32_t i = 0; i < L->nw; i++) {
        const lv_write *w = &L->w[i];
        if (w->local == x)
            return w->n == 1 && w->last.kind == LV_AFF && w->last.base == x ? w->last.k : 0;
    }
    return 0;
}

static bool written(const lv_loop *L, uint32_t x) {
    for (uint32_t i = 0; i < L->nw; i++)
        if (L->w[i].local == x) return true;
    return false;
}

/* A base whose value at iteration t is x0 + t * step: a constant, an invariant or an
   induction variable with a step that fits i32. */
static bool good_base(const lv_loop *L, uint32_t x) {
    if (x == LV_CONST || !written(L, x)) return true;
    int64_t s = iv_step(L, x);
    return s != 0 && s > INT32_MIN && s <= INT32_MAX;
}

static tw_op swapped(tw_op op) {
    switch (op) {
    case TW_OP_I32_LT_S: return TW_OP_I32_GT_S;
    case TW_OP_I32_LT_U: return TW_OP_I32_GT_U;
    case TW_OP_I32_GT_S: return TW_OP_I32_LT_S;
    case TW_OP_I32_GT_U: return TW_OP_I32_LT_U;
    case TW_OP_I32_LE_S: return TW_OP_I32_GE_S;
    case TW_OP_I32_LE_U: return TW_OP_I32_GE_U;
    case TW_OP_I32_GE_S: return TW_OP_I32_LE_S;
    case TW_OP_I32_GE_U: return TW_OP_I32_LE_U;
    default: return op;
    }
}

static bool is_iv(const lv_loop *L, uint32_t x) {
    return x != LV_CONST && written(L, x) && good_base(L, x);
}

/* The exit as (IV + k) cmp (invariant + k2), with a direction that can end it. */
static bool exit_condition(lv_loop *L, lv_val c) {
    if (c.kind == LV_AFF) c = (lv_val){.kind = LV_CMP, .cmp = TW_OP_I32_NE, .base = c.base,
                                       .k = c.k, .base2 = LV_CONST, .k2 = 0};
    if (c.kind != LV_CMP) return false;
    if (!is_iv(L, c.base)) {
        c = (lv_val){.kind = LV_CMP, .cmp = swapped(c.cmp), .base = c.base2, .k = c.k2,
                     .base2 = c.base, .k2 = c.k};
    }
    if (!is_iv(L, c.base) || !good_base(L, c.base2) || is_iv(L, c.base2)) return false;
    L->exit = c;
    L->step = iv_step(L, c.base);
    switch (c.cmp) {
    case TW_OP_I32_NE: return true;
    case TW_OP_I32_LT_S: case TW_OP_I32_LT_U: case TW_OP_I32_LE_S: case TW_OP_I32_LE_U:
        return L->step > 0;
    default: return L->step < 0;
    }
}

/* The body up to its final br_if 0 and end; fills L. */
static bool analyse(lv_loop *L, dec_reader r) {
    dec_instr in;
    tb_error err;
    while (r.p < r.end && dec_instr_next(&r, &in, &err)) {
        if (in.op == TW_OP_BR_IF) {
            dec_instr end;
            if (in.u.idx != 0 || !dec_instr_next(&r, &end, &err) || end.op != TW_OP_END)
                return false;
            L->exit_offset = in.offset;
            L->end = r.p;
            return exit_condition(L, pop(L)) && L->sp == 0;
        }
        if (!step(L, &in)) return false;
    }
    return false;
}

static lv_base *base_of(lv_loop *L, uint32_t x) {
    for (uint32_t i = 0; i < L->nbase; i++)
        if (L->base[i].local == x) return &L->base[i];
    return NULL;
}

/* Group the accesses by base; false if a base is not affine in the iteration. */
static bool collect_bases(lv_loop *L) {
    for (uint32_t i = 0; i < L->nacc; i++) {
        const lv_access *a = &L->acc[i];
        if (!good_base(L, a->base)) return false;
        lv_base *b = base_of(L, a->base);
        if (!b) {
            b = &L->base[L->nbase++];
            *b = (lv_base){.local = a->base, .kmin = INT64_MAX, .kend = INT64_MIN};
        }
        if (a->k < b->kmin) b->kmin = a->k;
        if (a->k + a->end > b->kend) b->kend = a->k + a->end;
        b->store |= a->store;
    }
    return L->nacc > 0;
}

/* ---- the check before the loop ---- */

static LLVMValueRef c64(llc_fn *F, int64_t v) { return LLVMConstInt(F->M->i64, (uint64_t)v, 1); }

/* A base's value when the loop starts, as a non-negative i64. */
static LLVMValueRef start_of(llc_fn *F, uint32_t x) {
    if (x == LV_CONST) return c64(F, 0);
    LLVMValueRef v = LLVMBuildLoad2(F->b, F->M->i32, F->locals[x], "");
    return LLVMBuildZExt(F->b, v, F->M->i64, "");
}

/* ok && (a p b) */
static LLVMValueRef and_cmp(llc_fn *F, LLVMValueRef ok, LLVMIntPredicate p, LLVMValueRef a,
                            LLVMValueRef b) {
    return LLVMBuildAnd(F->b, ok, LLVMBuildICmp(F->b, p, a, b, ""), "");
}

static bool is_signed(tw_op op) {
    return op == TW_OP_I32_LT_S || op == TW_OP_I32_LE_S || op == TW_OP_I32_GT_S ||
           op == TW_OP_I32_GE_S;
}

/* ceil(diff / s) + 1 for diff >= 0, s > 0. */
static LLVMValueRef trips_to(llc_fn *F, LLVMValueRef diff, int64_t s) {
    LLVMValueRef n = LLVMBuildAdd(F->b, diff, c64(F, s - 1), "");
    n = LLVMBuildUDiv(F->b, n, c64(F, s), "");
    return LLVMBuildAdd(F->b, n, c64(F, 1), "");
}

/* Runs while u0 + t*s != nv (mod 2^32): exact only if s divides the distance. */
static LLVMValueRef trips_ne(llc_fn *F, LLVMValueRef u0, LLVMValueRef nv, int64_t s,
                             LLVMValueRef *ok) {
    LLVMValueRef d = s > 0 ? LLVMBuildSub(F->b, nv, u0, "") : LLVMBuildSub(F->b, u0, nv, "");
    d = LLVMBuildAnd(F->b, d, c64(F, 0xFFFFFFFF), "");
    int64_t as = s > 0 ? s : -s;
    *ok = and_cmp(F, *ok, LLVMIntEQ, LLVMBuildURem(F->b, d, c64(F, as), ""), c64(F, 0));
    return LLVMBuildAdd(F->b, LLVMBuildUDiv(F->b, d, c64(F, as), ""), c64(F, 1), "");
}

/* Runs while u0 + t*s is below bound (s > 0) or above it (s < 0), bound in
   [-1, 2^32]: exact only if the value that ends the loop did not wrap around. */
static LLVMValueRef trips_ordered(llc_fn *F, LLVMValueRef u0, LLVMValueRef bound, int64_t s,
                                  LLVMValueRef *ok) {
    LLVMValueRef from = s > 0 ? u0 : bound, to = s > 0 ? bound : u0;
    LLVMValueRef more = LLVMBuildICmp(F->b, LLVMIntSGT, to, from, "");
    LLVMValueRef diff = LLVMBuildSelect(F->b, more, LLVMBuildSub(F->b, to, from, ""),
                                        c64(F, 0), "");
    LLVMValueRef n = trips_to(F, diff, s > 0 ? s : -s);
    LLVMValueRef steps = LLVMBuildSub(F->b, n, c64(F, 1), "");
    LLVMValueRef last = LLVMBuildAdd(F->b, u0, LLVMBuildMul(F->b, steps, c64(F, s), ""), "");
    *ok = and_cmp(F, *ok, LLVMIntSGE, last, c64(F, 0));
    *ok = and_cmp(F, *ok, LLVMIntSLE, last, c64(F, 0xFFFFFFFF));
    return n;
}

/* The trip count N (iterations run) and whether it is exact. The IV's compared value
   at iteration t is u0 + t*step (mod 2^32); signed comparisons are unsigned ones with
   both sides offset by 2^31. */
static LLVMValueRef trip_count(llc_fn *F, const lv_loop *L, LLVMValueRef *ok) {
    const lv_val *e = &L->exit;
    int64_t bias = is_signed(e->cmp) ? (int64_t)1 << 31 : 0, s = L->step;
    LLVMValueRef mask = c64(F, 0xFFFFFFFF), n;
    LLVMValueRef u0 = LLVMBuildAdd(F->b, start_of(F, e->base), c64(F, e->k + bias), "");
    u0 = LLVMBuildAnd(F->b, u0, mask, "");
    LLVMValueRef nv = LLVMBuildAdd(F->b, start_of(F, e->base2), c64(F, e->k2 + bias), "");
    nv = LLVMBuildAnd(F->b, nv, mask, "");
    switch (e->cmp) {
    case TW_OP_I32_NE: n = trips_ne(F, u0, nv, s, ok); break;
    case TW_OP_I32_LE_S: case TW_OP_I32_LE_U:   /* v <= nv: v < nv + 1 */
        n = trips_ordered(F, u0, LLVMBuildAdd(F->b, nv, c64(F, 1), ""), s, ok);
        break;
    case TW_OP_I32_GE_S: case TW_OP_I32_GE_U:   /* v >= nv: v > nv - 1 */
        n = trips_ordered(F, u0, LLVMBuildSub(F->b, nv, c64(F, 1), ""), s, ok);
        break;
    default: n = trips_ordered(F, u0, nv, s, ok); break;
    }
    *ok = and_cmp(F, *ok, LLVMIntULE, n, c64(F, LV_MAX_TRIPS));
    return n;
}

/* Base x over iterations 0..N-1: its first and last value, and (for an induction
   variable) that its values up to the update of the last iteration stay in
   [0, 2^32): the fast copy marks the updates nuw. */
static void base_range(llc_fn *F, const lv_loop *L, uint32_t x, LLVMValueRef n,
                       LLVMValueRef *first, LLVMValueRef *last, LLVMValueRef *ok) {
    *first = *last = start_of(F, x);
    int64_t s = x == LV_CONST || !written(L, x) ? 0 : iv_step(L, x);
    if (!s) return;
    LLVMValueRef after = LLVMBuildAdd(F->b, *first, LLVMBuildMul(F->b, n, c64(F, s), ""), "");
    *ok = s > 0 ? and_cmp(F, *ok, LLVMIntSLE, after, c64(F, 0xFFFFFFFF))
                : and_cmp(F, *ok, LLVMIntSGE, after, c64(F, 0));
    *last = LLVMBuildSub(F->b, after, c64(F, s), "");
}

/* Every access through base b lies in [0, memory size) on the first and the last
   iteration (its address is linear in t, so then on all); b->lo and b->hi get the
   bytes touched over the loop. */
static void check_base(llc_fn *F, const lv_loop *L, lv_base *b, LLVMValueRef n,
                       LLVMValueRef size, LLVMValueRef *ok) {
    LLVMValueRef v[2], lo[2], hi[2];
    base_range(F, L, b->local, n, &v[0], &v[1], ok);
    for (int i = 0; i < 2; i++) {
        lo[i] = LLVMBuildAdd(F->b, v[i], c64(F, b->kmin), "");
        hi[i] = LLVMBuildAdd(F->b, v[i], c64(F, b->kend), "");
        *ok = and_cmp(F, *ok, LLVMIntSGE, lo[i], c64(F, 0));
        *ok = and_cmp(F, *ok, LLVMIntSLE, hi[i], size);
    }
    bool down = b->local != LV_CONST && written(L, b->local) && iv_step(L, b->local) < 0;
    b->lo = lo[down];
    b->hi = hi[!down];
}

/* Bases that store touch no byte another base touches: LLVM may then take accesses
   through different bases as independent (alias scopes), as it cannot see it (all
   are offsets from the one memory base) and its own run-time check between every
   pair of pointers fails on two accesses to one array (c[j] and c[j+1]). */
static LLVMValueRef check_disjoint(llc_fn *F, lv_loop *L, LLVMValueRef ok) {
    for (uint32_t i = 0; i < L->nbase; i++)
        for (uint32_t j = i + 1; j < L->nbase; j++) {
            lv_base *x = &L->base[i], *y = &L->base[j];
            if (!x->store && !y->store) continue;
            LLVMValueRef before = LLVMBuildICmp(F->b, LLVMIntSLE, x->hi, y->lo, "");
            LLVMValueRef after = LLVMBuildICmp(F->b, LLVMIntSLE, y->hi, x->lo, "");
            ok = LLVMBuildAnd(F->b, ok, LLVMBuildOr(F->b, before, after, ""), "");
        }
    L->scoped = true;
    return ok;
}

/* The condition for the fast copy; *n gets the trip count. */
static LLVMValueRef emit_check(llc_fn *F, lv_loop *L, LLVMValueRef *n) {
    LLVMValueRef ok = LLVMConstInt(F->M->i1, 1, 0), first, last;
    *n = trip_count(F, L, &ok);
    LLVMValueRef size = llc_mem_bytes(F);
    for (uint32_t i = 0; i < L->nbase; i++) check_base(F, L, &L->base[i], *n, size, &ok);
    base_range(F, L, L->exit.base, *n, &first, &last, &ok);  /* its update is nuw too */
    if (L->nbase > 1 && L->nbase <= LV_MAX_SCOPED) ok = check_disjoint(F, L, ok);
    return ok;
}

/* One alias scope per base, valid for this execution of the loop (declared before
   it; barriers keep executions apart too). */
static void make_scopes(llc_fn *F, lv_loop *L) {
    LLVMContextRef c = F->M->ctx;
    char name[64];
    int len = snprintf(name, sizeof name, "taho loop f%u@%u", F->funcidx, L->exit_offset);
    LLVMMetadataRef dom = LLVMMDStringInContext2(c, name, (size_t)len);
    dom = LLVMMDNodeInContext2(c, &dom, 1);
    LLVMMetadataRef scopes[LV_MAX_SCOPED], others[LV_MAX_SCOPED];
    for (uint32_t i = 0; i < L->nbase; i++) {
        len = snprintf(name, sizeof name, "taho loop f%u@%u base %u", F->funcidx,
                       L->exit_offset, L->base[i].local);
        LLVMMetadataRef ops[2] = {LLVMMDStringInContext2(c, name, (size_t)len), dom};
        scopes[i] = LLVMMDNodeInContext2(c, ops, 2);
    }
    for (uint32_t i = 0; i < L->nbase; i++) {
        uint32_t n = 0;
        for (uint32_t j = 0; j < L->nbase; j++)
            if (j != i) others[n++] = scopes[j];
        L->base[i].scope = LLVMMetadataAsValue(c, LLVMMDNodeInContext2(c, &scopes[i], 1));
        L->base[i].noalias = LLVMMetadataAsValue(c, LLVMMDNodeInContext2(c, others, n));
        llc_call_intr(F, "llvm.experimental.noalias.scope.decl", NULL, 0, &L->base[i].scope, 1);
    }
}

/* The scope tags for the access at offset (none when not scoped). */
static void set_scope(llc_fn *F, lv_loop *L, uint32_t offset) {
    F->scope = F->noalias = NULL;
    if (!L->scoped) return;
    for (uint32_t i = 0; i < L->nacc; i++)
        if (L->acc[i].at == offset) {
            lv_base *b = base_of(L, L->acc[i].base);
            F->scope = b->scope;
            F->noalias = b->noalias;
        }
}

/* ---- the two copies ---- */

/* An induction variable whose range emit_check proved, or an invariant. */
static bool checked(const lv_loop *L, uint32_t x) {
    if (x == LV_CONST || !good_base(L, x)) return false;
    if (!written(L, x) || x == L->exit.base) return true;
    for (uint32_t i = 0; i < L->nacc; i++)
        if (L->acc[i].base == x) return true;
    return false;
}

/* x + k does not wrap (lies in [0, 2^32)) on any iteration of the fast copy: x itself
   and its update by the range check, an address by its access's check. */
static bool exact(const lv_loop *L, uint32_t x, int64_t k) {
    if (!checked(L, x)) return false;
    if (k == 0 || (written(L, x) && k == iv_step(L, x))) return true;
    for (uint32_t i = 0; i < L->nacc; i++)
        if (L->acc[i].base == x && L->acc[i].k == k) return true;
    return false;
}

/* The i32.add or i32.sub at offset cannot wrap in the fast copy. */
static bool nuw_at(const lv_loop *L, uint32_t offset) {
    for (uint32_t i = 0; i < L->nadd; i++) {
        const lv_add *a = &L->add[i];
        if (a->offset == offset)
            return a->may_nuw && exact(L, a->base, a->k1) && exact(L, a->base, a->k);
    }
    return false;
}

/* Nothing moves across the fast copy's entry and exit: around it, accesses are
   volatile again and may trap, and a plain store of the copy must not be deleted or
   sunk past one (memory.c). */
static void barrier(llc_fn *F) {
    LLVMTypeRef t = LLVMFunctionType(F->M->voidt, NULL, 0, 0);
    LLVMValueRef a = LLVMGetInlineAsm(t, "", 0, "~{memory}", 9, 1, 0, LLVMInlineAsmDialectATT, 0);
    LLVMBuildCall2(F->b, t, a, NULL, 0, "");
}

/* The fast copy exits by a counter of iterations: the br_if's own condition is the same
   (the check proved it), but a canonical counter gives LLVM the trip count at once. */
static void exit_by_count(llc_fn *F, LLVMValueRef trips, LLVMValueRef n) {
    LLVMValueRef c = LLVMBuildLoad2(F->b, F->M->i64, trips, "");
    c = LLVMBuildAdd(F->b, c, c64(F, 1), "");
    LLVMSetNUW(c, 1);
    LLVMBuildStore(F->b, c, trips);
    LLVMValueRef more = LLVMBuildICmp(F->b, LLVMIntNE, c, n, "");
    F->stack[F->sp - 1] = LLVMBuildZExt(F->b, more, F->M->i32, "");
}

/* Translate the loop from its loop instruction through its end; trips is NULL for
   the ordinary copy. */
static bool copy(llc_fn *F, lv_loop *L, const dec_instr *loop, dec_reader r,
                 LLVMValueRef trips, LLVMValueRef n) {
    bool done = false, ok = true;
    dec_instr in;
    F->fast = trips != NULL;
    ok = llc_step(F, loop, &done);
    while (ok && r.p < L->end) {
        ok = dec_instr_next(&r, &in, F->err);
        if (!ok) break;
        if (F->fast && in.offset == L->exit_offset) exit_by_count(F, trips, n);
        if (F->fast) set_scope(F, L, in.offset);
        ok = llc_step(F, &in, &done);
        if (ok && F->fast && nuw_at(L, in.offset) && LLVMIsABinaryOperator(F->stack[F->sp - 1]))
            LLVMSetNUW(F->stack[F->sp - 1], 1);
    }
    F->fast = false;
    F->scope = F->noalias = NULL;
    return ok;
}

static bool emit(llc_fn *F, lv_loop *L, const dec_instr *loop, dec_reader r) {
    LLVMValueRef n, ok = emit_check(F, L, &n);
    LLVMBasicBlockRef fast = LLVMAppendBasicBlockInContext(F->M->ctx, F->fn, "fast");
    LLVMBasicBlockRef slow = LLVMAppendBasicBlockInContext(F->M->ctx, F->fn, "slow");
    LLVMBasicBlockRef join = LLVMAppendBasicBlockInContext(F->M->ctx, F->fn, "");
    LLVMBuildCondBr(F->b, ok, fast, slow);
    LLVMPositionBuilderAtEnd(F->b, fast);
    barrier(F);
    if (L->scoped) make_scopes(F, L);
    LLVMValueRef trips = llc_entry_alloca(F, F->M->i64, NULL, "trips");
    LLVMBuildStore(F->b, c64(F, 0), trips);
    if (!copy(F, L, loop, r, trips, n)) return false;
    barrier(F);
    LLVMBuildBr(F->b, join);
    LLVMPositionBuilderAtEnd(F->b, slow);
    if (!copy(F, L, loop, r, NULL, NULL)) return false;
    LLVMBuildBr(F->b, join);
    LLVMPositionBuilderAtEnd(F->b, join);
    return true;
}

int llc_loopver(llc_fn *F, dec_reader *r, const dec_instr *loop) {
    if (!F->mem0 || loop->u.block.kind != DEC_BLOCK_EMPTY) return 0;
    lv_loop *L = tb_calloc(1, sizeof *L);
    if (!L) return 0;   /* not versioned: the ordinary translation follows */
    L->F = F;
    dec_reader body = *r;
    if ((size_t)(body.end - body.p) > LV_MAX_CODE) body.end = body.p + LV_MAX_CODE;
    int res = 0;
    if (analyse(L, body) && collect_bases(L)) {
        res = emit(F, L, loop, *r) ? 1 : -1;
        r->p = L->end;
    }
    tb_free(L);
    return res;
}
