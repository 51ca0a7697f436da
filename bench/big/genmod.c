/* genmod.c: builds a large, valid WebAssembly 2.0 module from a seed, deterministically,
 * as the input of the wasmval benchmark (decode + validate). The code is never run, so
 * only validity matters: loops need not terminate and divisions may trap.
 *
 * The module's shape (the counts come from gen_params):
 *   - types: ()->(), (i32)->i32, (i32 i32)->(i32 i64), then one (i32)->T per numeric T,
 *     then random ones: 0-4 params of i32/i64/f32/f64, 0, 1 (mostly) or 2 results;
 *   - `imports` functions imported from "env", then `functions` defined ones, each with
 *     a random type;
 *   - one funcref table holding every function (an active element segment at 0), so
 *     call_indirect and ref.func may name any of them;
 *   - one memory (1..64 pages), `globals` globals of every numeric type (two thirds
 *     mutable), `data_segments` active data segments plus one passive, a data count;
 *   - exports: the memory and every fourth function; a name section naming all functions;
 *   - function bodies: 1-4 groups of declared locals, then min..max statements, then the
 *     results. Statements: local.set, global.set, stores (all widths, random alignment and
 *     offset, v128.store), drop, calls whose results are dropped, if/else, block, loop
 *     with br_if, br_if to any enclosing label (with its value), block ending in
 *     br_table, multi-value blocks typed by a type index (params consumed into locals),
 *     memory.fill/copy/init, data.drop, rare early returns. Expressions of a wanted type:
 *     constants, local.get, global.get, unary/binary arithmetic, comparisons, eqz, every
 *     conversion (saturating ones too), loads of every width, local.tee, direct calls and
 *     call_indirect, select (plain and typed), value-producing block and if, i32x4/f64x2
 *     splat-add-extract, memory.size/grow, table.size, ref.is_null of ref.func. Nesting
 *     (statements and expressions together) stops at max_depth. */
#include "genmod.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/common.h"

enum { I32 = 0x7F, I64 = 0x7E, F32 = 0x7D, F64 = 0x7C, FUNCREF = 0x70 };
enum { MAXP = 4, MAX_LABELS = 64, MAX_LOCALS = 64, MULTI = 0xFF };
#define LEN(a) (sizeof(a) / sizeof((a)[0]))
static const uint8_t NUM[4] = {I32, I64, F32, F64};

typedef struct ftype {
    uint8_t np, nr;
    uint8_t p[MAXP], r[2];
} ftype;

typedef struct idlist {
    int *v;
    int n;
} idlist;

typedef struct gen {
    const gen_params *P;
    uint32_t rng;
    ftype *types;
    int ntypes, nfuncs;
    int *func_type;
    idlist funcs_by_result[4];  /* functions with exactly one result, by result type */
    idlist types_by_result[4];  /* the same for types (call_indirect) */
    idlist block_types;         /* types with params or two results (multi-value blocks) */
    uint8_t *glob_type, *glob_mut;
    /* the function being generated */
    gen_buf *b;
    const ftype *ft;
    uint8_t locals[MAX_LOCALS + MAXP];
    int nlocals;
    uint8_t labels[MAX_LABELS];  /* 0: no value, a value type, or MULTI (never targeted) */
    int nlabels;
} gen;

static int slot(uint8_t t) { return t == I32 ? 0 : t == I64 ? 1 : t == F32 ? 2 : 3; }
static uint32_t rnd(gen *g, uint32_t n) { return bench_rand(&g->rng) % n; }

/* ---- bytes ---- */

/* Set when a buffer could not grow; the bytes after that are dropped and gen_module
   fails. (The benchmark is single-threaded.) */
static int out_of_memory;

static void put(gen_buf *b, uint8_t x) {
    if (b->len == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        uint8_t *p = realloc(b->p, cap);
        if (!p) { out_of_memory = 1; return; }
        b->p = p;
        b->cap = cap;
    }
    b->p[b->len++] = x;
}

static void put_bytes(gen_buf *b, const void *s, size_t n) {
    for (size_t i = 0; i < n; i++) put(b, ((const uint8_t *)s)[i]);
}

static void uleb(gen_buf *b, uint64_t v) {
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        put(b, byte | (v ? 0x80 : 0));
    } while (v);
}

static void sleb(gen_buf *b, int64_t v) {
    for (;;) {
        uint8_t byte = v & 0x7f;
        v >>= 7;  /* arithmetic shift: clang does so on both targets */
        if ((v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40))) { put(b, byte); return; }
        put(b, byte | 0x80);
    }
}

static void name(gen_buf *b, const char *s) {
    uleb(b, strlen(s));
    put_bytes(b, s, strlen(s));
}

/* A section: id, size, then the content built in tmp (emptied for reuse). */
static void section(gen_buf *out, uint8_t id, gen_buf *tmp) {
    put(out, id);
    uleb(out, tmp->len);
    put_bytes(out, tmp->p, tmp->len);
    tmp->len = 0;
}

void gen_buf_free(gen_buf *b) {
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* ---- instructions ---- */

static void op(gen *g, uint8_t x) { put(g->b, x); }
static void op_fc(gen *g, uint32_t x) { put(g->b, 0xFC); uleb(g->b, x); }
static void op_fd(gen *g, uint32_t x) { put(g->b, 0xFD); uleb(g->b, x); }

static void memarg(gen *g, int maxalign) {
    uleb(g->b, rnd(g, maxalign + 1));
    uleb(g->b, rnd(g, 4) ? rnd(g, 4096) : 0);
}

static void constant(gen *g, uint8_t t) {
    uint32_t r = bench_rand(&g->rng);
    switch (t) {
    case I32: op(g, 0x41); sleb(g->b, (int32_t)(r >> rnd(g, 32))); break;
    case I64: {
        /* one generator call per statement: the order must not depend on the compiler */
        uint64_t v = (uint64_t)r << 32;
        v |= bench_rand(&g->rng);
        v >>= rnd(g, 64);
        op(g, 0x42);
        sleb(g->b, (int64_t)v);
        break;
    }
    case F32: { float f = (float)(int32_t)(r >> 12) / 16.0f; op(g, 0x43); put_bytes(g->b, &f, 4); break; }
    default: { double d = (double)(int32_t)r / 1024.0; op(g, 0x44); put_bytes(g->b, &d, 8); break; }
    }
}

/* A random local of type t, or -1. */
static int local_of(gen *g, uint8_t t) {
    for (int tries = 0; tries < 6 && g->nlocals; tries++) {
        int i = (int)rnd(g, g->nlocals);
        if (g->locals[i] == t) return i;
    }
    return -1;
}

static int global_of(gen *g, uint8_t t, int want_mut) {
    for (int tries = 0; tries < 6 && g->P->globals; tries++) {
        int i = (int)rnd(g, g->P->globals);
        if (g->glob_type[i] == t && (!want_mut || g->glob_mut[i])) return i;
    }
    return -1;
}

static void leaf(gen *g, uint8_t t) {
    int i;
    switch (rnd(g, 4)) {
    case 0: case 1:
        if ((i = local_of(g, t)) >= 0) { op(g, 0x20); uleb(g->b, i); return; }
        break;
    case 2:
        if ((i = global_of(g, t, 0)) >= 0) { op(g, 0x23); uleb(g->b, i); return; }
        break;
    }
    constant(g, t);
}

static void expr(gen *g, uint8_t t, int depth);
static void stmts(gen *g, int depth, int n);

static void push_label(gen *g, uint8_t type) {
    if (g->nlabels < MAX_LABELS) g->labels[g->nlabels] = type;
    g->nlabels++;
}

static void binary(gen *g, uint8_t t, int depth) {
    static const uint8_t base[4] = {0x6A, 0x7C, 0x92, 0xA0}, count[4] = {15, 15, 7, 7};
    expr(g, t, depth);
    expr(g, t, depth);
    op(g, base[slot(t)] + rnd(g, count[slot(t)]));
}

static void unary(gen *g, uint8_t t, int depth) {
    static const uint8_t base[4] = {0x67, 0x79, 0x8B, 0x99}, count[4] = {3, 3, 7, 7};
    expr(g, t, depth);
    op(g, base[slot(t)] + rnd(g, count[slot(t)]));
}

/* Comparisons and eqz: any operand type, an i32 result. */
static void compare(gen *g, int depth) {
    static const uint8_t base[4] = {0x46, 0x51, 0x5B, 0x61}, count[4] = {10, 10, 6, 6};
    uint8_t k = NUM[rnd(g, 4)];
    if ((k == I32 || k == I64) && rnd(g, 5) == 0) {
        expr(g, k, depth);
        op(g, k == I32 ? 0x45 : 0x50);
        return;
    }
    expr(g, k, depth);
    expr(g, k, depth);
    op(g, base[slot(k)] + rnd(g, count[slot(k)]));
}

typedef struct conv { uint8_t prefix, code, from, to; } conv;
static const conv CONVS[] = {
    {0, 0xA7, I64, I32}, {0, 0xA8, F32, I32}, {0, 0xA9, F32, I32}, {0, 0xAA, F64, I32},
    {0, 0xAB, F64, I32}, {0, 0xAC, I32, I64}, {0, 0xAD, I32, I64}, {0, 0xAE, F32, I64},
    {0, 0xAF, F32, I64}, {0, 0xB0, F64, I64}, {0, 0xB1, F64, I64}, {0, 0xB2, I32, F32},
    {0, 0xB3, I32, F32}, {0, 0xB4, I64, F32}, {0, 0xB5, I64, F32}, {0, 0xB6, F64, F32},
    {0, 0xB7, I32, F64}, {0, 0xB8, I32, F64}, {0, 0xB9, I64, F64}, {0, 0xBA, I64, F64},
    {0, 0xBB, F32, F64}, {0, 0xBC, F32, I32}, {0, 0xBD, F64, I64}, {0, 0xBE, I32, F32},
    {0, 0xBF, I64, F64}, {0, 0xC0, I32, I32}, {0, 0xC1, I32, I32}, {0, 0xC2, I64, I64},
    {0, 0xC3, I64, I64}, {0, 0xC4, I64, I64},
    {0xFC, 0, F32, I32}, {0xFC, 1, F32, I32}, {0xFC, 2, F64, I32}, {0xFC, 3, F64, I32},
    {0xFC, 4, F32, I64}, {0xFC, 5, F32, I64}, {0xFC, 6, F64, I64}, {0xFC, 7, F64, I64},
};

static void convert(gen *g, uint8_t t, int depth) {
    int n = (int)LEN(CONVS), start = (int)rnd(g, n);
    for (int k = 0; k < n; k++) {
        const conv *c = &CONVS[(start + k) % n];
        if (c->to != t) continue;
        expr(g, c->from, depth);
        if (c->prefix) op_fc(g, c->code); else op(g, c->code);
        return;
    }
}

typedef struct memop { uint8_t code, type, maxalign; } memop;
static const memop LOADS[] = {
    {0x28, I32, 2}, {0x29, I64, 3}, {0x2A, F32, 2}, {0x2B, F64, 3}, {0x2C, I32, 0},
    {0x2D, I32, 0}, {0x2E, I32, 1}, {0x2F, I32, 1}, {0x30, I64, 0}, {0x31, I64, 0},
    {0x32, I64, 1}, {0x33, I64, 1}, {0x34, I64, 2}, {0x35, I64, 2},
};
static const memop STORES[] = {
    {0x36, I32, 2}, {0x37, I64, 3}, {0x38, F32, 2}, {0x39, F64, 3}, {0x3A, I32, 0},
    {0x3B, I32, 1}, {0x3C, I64, 0}, {0x3D, I64, 1}, {0x3E, I64, 2},
};

static const memop *pick_memop(gen *g, const memop *ops, int n, uint8_t t) {
    int start = (int)rnd(g, n);
    for (int k = 0; k < n; k++)
        if (ops[(start + k) % n].type == t) return &ops[(start + k) % n];
    return NULL;
}

static void load(gen *g, uint8_t t, int depth) {
    const memop *m = pick_memop(g, LOADS, (int)LEN(LOADS), t);
    expr(g, I32, depth);
    op(g, m->code);
    memarg(g, m->maxalign);
}

static void args(gen *g, const ftype *ft, int depth) {
    for (int i = 0; i < ft->np; i++) expr(g, ft->p[i], depth);
}

/* A call of a function returning exactly t; false if there is none. */
static int call(gen *g, uint8_t t, int depth) {
    const idlist *l = &g->funcs_by_result[slot(t)];
    if (!l->n) return 0;
    int f = l->v[rnd(g, l->n)];
    args(g, &g->types[g->func_type[f]], depth);
    op(g, 0x10);
    uleb(g->b, f);
    return 1;
}

static int call_indirect(gen *g, uint8_t t, int depth) {
    const idlist *l = &g->types_by_result[slot(t)];
    if (!l->n) return 0;
    int ty = l->v[rnd(g, l->n)];
    args(g, &g->types[ty], depth);
    expr(g, I32, depth);
    op(g, 0x11);
    uleb(g->b, ty);
    put(g->b, 0x00);
    return 1;
}

static void value_block(gen *g, uint8_t t, int depth) {
    op(g, 0x02);
    put(g->b, t);
    push_label(g, t);
    stmts(g, depth, 1 + (int)rnd(g, 3));
    expr(g, t, depth);
    op(g, 0x0B);
    g->nlabels--;
}

static void value_if(gen *g, uint8_t t, int depth) {
    expr(g, I32, depth);
    op(g, 0x04);
    put(g->b, t);
    push_label(g, t);
    stmts(g, depth, (int)rnd(g, 3));
    expr(g, t, depth);
    op(g, 0x05);
    stmts(g, depth, (int)rnd(g, 3));
    expr(g, t, depth);
    op(g, 0x0B);
    g->nlabels--;
}

/* i32 and f64 through a vector: splat both operands, add or multiply, take one lane. */
static int simd(gen *g, uint8_t t, int depth) {
    if (t != I32 && t != F64) return 0;
    int i = t == I32;
    expr(g, t, depth);
    op_fd(g, i ? 17 : 20);
    if (rnd(g, 2)) {
        expr(g, t, depth);
        op_fd(g, i ? 17 : 20);
    } else {
        op_fd(g, 12);  /* v128.const */
        for (int k = 0; k < 16; k++) put(g->b, (uint8_t)rnd(g, 256));
    }
    op_fd(g, i ? (rnd(g, 2) ? 174 : 181) : (rnd(g, 2) ? 240 : 242));
    op_fd(g, i ? 27 : 33);
    put(g->b, (uint8_t)rnd(g, i ? 4 : 2));
    return 1;
}

/* memory.size, memory.grow, table.size, ref.is_null (ref.func f). */
static void i32_misc(gen *g, int depth) {
    switch (rnd(g, 4)) {
    case 0: op(g, 0x3F); put(g->b, 0); break;
    case 1: expr(g, I32, depth); op(g, 0x40); put(g->b, 0); break;
    case 2: op_fc(g, 16); uleb(g->b, 0); break;
    default: op(g, 0xD2); uleb(g->b, rnd(g, g->nfuncs)); op(g, 0xD1); break;
    }
}

/* Code that pushes exactly one value of type t. */
static void expr(gen *g, uint8_t t, int depth) {
    if (depth >= g->P->max_depth || rnd(g, 8) < 3) { leaf(g, t); return; }
    depth++;
    int i;
    switch (rnd(g, 17)) {
    case 0: case 1: case 2: binary(g, t, depth); return;
    case 3: unary(g, t, depth); return;
    case 4: case 5:
        if (t == I32) compare(g, depth); else convert(g, t, depth);
        return;
    case 6: convert(g, t, depth); return;
    case 7: case 8: load(g, t, depth); return;
    case 9:
        if ((i = local_of(g, t)) < 0) break;
        expr(g, t, depth);
        op(g, 0x22);
        uleb(g->b, i);
        return;
    case 10: if (call(g, t, depth)) return; break;
    case 11: if (call_indirect(g, t, depth)) return; break;
    case 12:
        expr(g, t, depth);
        expr(g, t, depth);
        expr(g, I32, depth);
        if (rnd(g, 2)) op(g, 0x1B);
        else { op(g, 0x1C); uleb(g->b, 1); put(g->b, t); }
        return;
    case 13: value_block(g, t, depth); return;
    case 14: value_if(g, t, depth); return;
    case 15: if (simd(g, t, depth)) return; break;
    case 16: if (t == I32) { i32_misc(g, depth); return; } break;
    }
    binary(g, t, depth);
}

/* ---- statements: code with no net effect on the stack ---- */

static void set_local(gen *g, int depth) {
    int i = (int)rnd(g, g->nlocals);
    expr(g, g->locals[i], depth);
    op(g, 0x21);
    uleb(g->b, i);
}

static void store(gen *g, int depth) {
    if (rnd(g, 8) == 0) {  /* v128.store of a splat */
        expr(g, I32, depth);
        expr(g, I32, depth);
        op_fd(g, 17);
        op_fd(g, 11);
        memarg(g, 4);
        return;
    }
    uint8_t t = NUM[rnd(g, 4)];
    const memop *m = pick_memop(g, STORES, (int)LEN(STORES), t);
    expr(g, I32, depth);
    expr(g, t, depth);
    op(g, m->code);
    memarg(g, m->maxalign);
}

static void call_stmt(gen *g, int depth) {
    int f = (int)rnd(g, g->nfuncs);
    const ftype *ft = &g->types[g->func_type[f]];
    args(g, ft, depth);
    op(g, 0x10);
    uleb(g->b, f);
    for (int i = 0; i < ft->nr; i++) op(g, 0x1A);
}

/* br_if to a random enclosing label, carrying its value if it has one. */
static void br_if(gen *g, int depth) {
    int n = g->nlabels < MAX_LABELS ? g->nlabels : MAX_LABELS;
    int rel = (int)rnd(g, n), pos = n - 1 - rel;
    uint8_t t = g->labels[pos];
    if (t == MULTI) { op(g, 0x01); return; }
    if (t) expr(g, t, depth);
    expr(g, I32, depth);
    op(g, 0x0D);
    uleb(g->b, rel);
    if (t) op(g, 0x1A);
}

/* A block ending in br_table over the enclosing labels that carry no value. */
static void table_block(gen *g, int depth) {
    op(g, 0x02);
    put(g->b, 0x40);
    push_label(g, 0);
    stmts(g, depth, 1 + (int)rnd(g, 3));
    int targets[8], nt = 0, n = g->nlabels < MAX_LABELS ? g->nlabels : MAX_LABELS;
    for (int rel = 0; rel < n && nt < 8; rel++)
        if (g->labels[n - 1 - rel] == 0 && rnd(g, 2)) targets[nt++] = rel;
    expr(g, I32, depth);
    op(g, 0x0E);
    uleb(g->b, nt);
    for (int k = 0; k < nt; k++) uleb(g->b, targets[k]);
    uleb(g->b, 0);  /* default: the block itself */
    op(g, 0x0B);
    g->nlabels--;
}

/* block typed by a type index: params come in on the stack (stored into locals or
   dropped), results go out (dropped). */
static void multi_block(gen *g, int depth) {
    if (!g->block_types.n) { set_local(g, depth); return; }
    const ftype *ft = &g->types[g->block_types.v[rnd(g, g->block_types.n)]];
    int ty = (int)(ft - g->types);
    args(g, ft, depth);
    op(g, 0x02);
    sleb(g->b, ty);
    push_label(g, ft->nr == 0 ? 0 : ft->nr == 1 ? ft->r[0] : MULTI);
    for (int i = ft->np - 1; i >= 0; i--) {
        int l = local_of(g, ft->p[i]);
        if (l >= 0) { op(g, 0x21); uleb(g->b, l); } else op(g, 0x1A);
    }
    stmts(g, depth, 1 + (int)rnd(g, 3));
    for (int i = 0; i < ft->nr; i++) expr(g, ft->r[i], depth);
    op(g, 0x0B);
    g->nlabels--;
    for (int i = 0; i < ft->nr; i++) op(g, 0x1A);
}

static void bulk(gen *g, int depth, int nsegs) {
    int kind = (int)rnd(g, 4);
    if (kind == 3) { op_fc(g, 9); uleb(g->b, rnd(g, nsegs)); return; }
    for (int i = 0; i < 3; i++) expr(g, I32, depth);
    if (kind == 0) { op_fc(g, 11); put(g->b, 0); }
    else if (kind == 1) { op_fc(g, 10); put(g->b, 0); put(g->b, 0); }
    else { op_fc(g, 8); uleb(g->b, rnd(g, nsegs)); put(g->b, 0); }
}

static void control(gen *g, uint8_t code, int depth) {
    if (code == 0x04) expr(g, I32, depth);
    op(g, code);
    put(g->b, 0x40);
    push_label(g, 0);
    stmts(g, depth, 1 + (int)rnd(g, 4));
    if (code == 0x04 && rnd(g, 2)) { op(g, 0x05); stmts(g, depth, 1 + (int)rnd(g, 3)); }
    if (code == 0x03) { expr(g, I32, depth); op(g, 0x0D); uleb(g->b, 0); }
    op(g, 0x0B);
    g->nlabels--;
}

static void stmt(gen *g, int depth) {
    int nest = depth < g->P->max_depth, i;
    depth++;
    switch (rnd(g, 22)) {
    case 5:
        if ((i = global_of(g, NUM[rnd(g, 4)], 1)) < 0) break;
        expr(g, g->glob_type[i], depth);
        op(g, 0x24);
        uleb(g->b, i);
        return;
    case 6: case 7: store(g, depth); return;
    case 8: expr(g, NUM[rnd(g, 4)], depth); op(g, 0x1A); return;
    case 9: call_stmt(g, depth); return;
    case 10: case 11: if (nest) { control(g, 0x04, depth); return; } break;
    case 12: if (nest) { control(g, 0x02, depth); return; } break;
    case 13: if (nest) { control(g, 0x03, depth); return; } break;
    case 14: case 15: br_if(g, depth); return;
    case 16: if (nest) { table_block(g, depth); return; } break;
    case 17: if (nest) { multi_block(g, depth); return; } break;
    case 18: bulk(g, depth, g->P->data_segments + 1); return;
    case 19:
        if (rnd(g, 6)) break;
        for (int k = 0; k < g->ft->nr; k++) expr(g, g->ft->r[k], depth);
        op(g, 0x0F);
        return;
    }
    set_local(g, depth);
}

static void stmts(gen *g, int depth, int n) {
    for (int i = 0; i < n; i++) stmt(g, depth);
}

static void body(gen *g, const ftype *ft, gen_buf *out) {
    gen_buf *b = g->b;
    b->len = 0;
    g->ft = ft;
    g->nlocals = 0;
    for (int i = 0; i < ft->np; i++) g->locals[g->nlocals++] = ft->p[i];
    int groups = 1 + (int)rnd(g, 4), budget = g->P->max_locals;
    uleb(b, groups);
    for (int k = 0; k < groups; k++) {
        int n = 1 + (int)rnd(g, (uint32_t)(budget / groups > 1 ? budget / groups : 1));
        uint8_t t = NUM[rnd(g, 4)];
        uleb(b, n);
        put(b, t);
        for (int i = 0; i < n && g->nlocals < MAX_LOCALS + MAXP; i++) g->locals[g->nlocals++] = t;
    }
    g->nlabels = 0;
    push_label(g, ft->nr == 0 ? 0 : ft->nr == 1 ? ft->r[0] : MULTI);
    int span = g->P->max_stmts - g->P->min_stmts + 1;
    stmts(g, 0, g->P->min_stmts + (int)rnd(g, span > 0 ? span : 1));
    for (int i = 0; i < ft->nr; i++) expr(g, ft->r[i], 0);
    op(g, 0x0B);
    uleb(out, b->len);
    put_bytes(out, b->p, b->len);
}

/* ---- the module ---- */

static void make_types(gen *g) {
    for (int i = 0; i < g->ntypes; i++) {
        ftype *t = &g->types[i];
        memset(t, 0, sizeof *t);
        if (i == 1) { t->np = 1; t->p[0] = I32; t->nr = 1; t->r[0] = I32; }
        else if (i == 2) { t->np = 2; t->p[0] = t->p[1] = I32; t->nr = 2; t->r[0] = I32; t->r[1] = I64; }
        else if (i >= 3 && i < 7) { t->np = 1; t->p[0] = I32; t->nr = 1; t->r[0] = NUM[i - 3]; }
        else if (i >= 7) {
            t->np = (uint8_t)rnd(g, MAXP + 1);
            for (int k = 0; k < t->np; k++) t->p[k] = NUM[rnd(g, 4)];
            uint32_t r = rnd(g, 8);
            t->nr = r == 0 ? 0 : r == 1 ? 2 : 1;
            for (int k = 0; k < t->nr; k++) t->r[k] = NUM[rnd(g, 4)];
        }
    }
}

static int push_id(idlist *l, int id) {
    int *v = realloc(l->v, (size_t)(l->n + 1) * sizeof *v);
    if (!v) return -1;
    l->v = v;
    l->v[l->n++] = id;
    return 0;
}

static int index_types(gen *g) {
    int err = 0;
    for (int i = 0; i < g->ntypes; i++) {
        const ftype *t = &g->types[i];
        if (t->nr == 1) err |= push_id(&g->types_by_result[slot(t->r[0])], i);
        if (t->np || t->nr == 2) err |= push_id(&g->block_types, i);
    }
    for (int f = 0; f < g->nfuncs; f++) {
        const ftype *t = &g->types[g->func_type[f]];
        if (t->nr == 1) err |= push_id(&g->funcs_by_result[slot(t->r[0])], f);
    }
    return err;
}

static void type_section(gen *g, gen_buf *out, gen_buf *s) {
    uleb(s, g->ntypes);
    for (int i = 0; i < g->ntypes; i++) {
        const ftype *t = &g->types[i];
        put(s, 0x60);
        uleb(s, t->np);
        put_bytes(s, t->p, t->np);
        uleb(s, t->nr);
        put_bytes(s, t->r, t->nr);
    }
    section(out, 1, s);
}

static void import_section(gen *g, gen_buf *out, gen_buf *s) {
    char buf[32];
    uleb(s, g->P->imports);
    for (int i = 0; i < g->P->imports; i++) {
        name(s, "env");
        snprintf(buf, sizeof buf, "host_%d", i);
        name(s, buf);
        put(s, 0x00);
        uleb(s, g->func_type[i]);
    }
    section(out, 2, s);
}

static void decl_sections(gen *g, gen_buf *out, gen_buf *s) {
    int nf = g->P->functions;
    uleb(s, nf);
    for (int i = 0; i < nf; i++) uleb(s, g->func_type[g->P->imports + i]);
    section(out, 3, s);
    uleb(s, 1);                                   /* table: funcref, exactly nfuncs */
    put(s, FUNCREF);
    put(s, 0x01);
    uleb(s, g->nfuncs);
    uleb(s, g->nfuncs);
    section(out, 4, s);
    uleb(s, 1);                                   /* memory: 1..64 pages */
    put(s, 0x01);
    uleb(s, 1);
    uleb(s, 64);
    section(out, 5, s);
    uleb(s, g->P->globals);
    gen_buf *keep = g->b;
    g->b = s;
    for (int i = 0; i < g->P->globals; i++) {
        put(s, g->glob_type[i]);
        put(s, g->glob_mut[i]);
        constant(g, g->glob_type[i]);
        put(s, 0x0B);
    }
    g->b = keep;
    section(out, 6, s);
}

static void export_section(gen *g, gen_buf *out, gen_buf *s) {
    char buf[32];
    int nf = g->P->functions, n = 1 + (nf + 3) / 4;
    uleb(s, n);
    name(s, "memory");
    put(s, 0x02);
    uleb(s, 0);
    for (int i = 0; i < nf; i += 4) {
        snprintf(buf, sizeof buf, "f%d", i);
        name(s, buf);
        put(s, 0x00);
        uleb(s, g->P->imports + i);
    }
    section(out, 7, s);
}

static void elem_section(gen *g, gen_buf *out, gen_buf *s) {
    uleb(s, 1);
    put(s, 0x00);                                 /* active, table 0, funcref indices */
    put(s, 0x41);
    put(s, 0x00);
    put(s, 0x0B);
    uleb(s, g->nfuncs);
    for (int f = 0; f < g->nfuncs; f++) uleb(s, f);
    section(out, 9, s);
}

static void data_sections(gen *g, gen_buf *out, gen_buf *s, int which) {
    int nd = g->P->data_segments;
    if (which == 12) { uleb(s, nd + 1); section(out, 12, s); return; }
    uleb(s, nd + 1);
    for (int i = 0; i <= nd; i++) {
        int len = 16 + (int)rnd(g, 64);
        if (i < nd) {
            put(s, 0x00);
            put(s, 0x41);
            sleb(s, (i * 64) % 65536);
            put(s, 0x0B);
        } else {
            put(s, 0x01);                         /* the passive one */
        }
        uleb(s, len);
        for (int k = 0; k < len; k++) put(s, (uint8_t)rnd(g, 256));
    }
    section(out, 11, s);
}

static void code_section(gen *g, gen_buf *out, gen_buf *s) {
    gen_buf scratch = {0};
    g->b = &scratch;
    uleb(s, g->P->functions);
    for (int i = 0; i < g->P->functions; i++)
        body(g, &g->types[g->func_type[g->P->imports + i]], s);
    gen_buf_free(&scratch);
    section(out, 10, s);
}

static void name_section(gen *g, gen_buf *out, gen_buf *s) {
    gen_buf sub = {0};
    char buf[48];
    uleb(&sub, g->nfuncs);
    for (int f = 0; f < g->nfuncs; f++) {
        uleb(&sub, f);
        if (f < g->P->imports) snprintf(buf, sizeof buf, "env::host_%d", f);
        else snprintf(buf, sizeof buf, "gen::module::function_%d", f);
        name(&sub, buf);
    }
    name(s, "name");
    put(s, 1);                                    /* function names */
    uleb(s, sub.len);
    put_bytes(s, sub.p, sub.len);
    gen_buf_free(&sub);
    section(out, 0, s);
}

static void gen_free(gen *g) {
    free(g->types);
    free(g->func_type);
    free(g->glob_type);
    free(g->glob_mut);
    for (int k = 0; k < 4; k++) { free(g->funcs_by_result[k].v); free(g->types_by_result[k].v); }
    free(g->block_types.v);
}

int gen_module(const gen_params *p, gen_buf *out) {
    gen g = {.P = p, .rng = p->seed ? p->seed : 1};
    out_of_memory = 0;
    g.ntypes = p->types < 8 ? 8 : p->types;
    g.nfuncs = p->imports + p->functions;
    g.types = calloc((size_t)g.ntypes, sizeof *g.types);
    g.func_type = calloc((size_t)g.nfuncs + 1, sizeof *g.func_type);
    g.glob_type = calloc((size_t)p->globals + 1, 1);
    g.glob_mut = calloc((size_t)p->globals + 1, 1);
    gen_buf s = {0};
    int ok = g.types && g.func_type && g.glob_type && g.glob_mut;
    if (ok) {
        make_types(&g);
        for (int f = 0; f < g.nfuncs; f++) g.func_type[f] = (int)rnd(&g, g.ntypes);
        for (int i = 0; i < p->globals; i++) {
            g.glob_type[i] = NUM[i % 4];
            g.glob_mut[i] = i % 3 != 0;
        }
        ok = index_types(&g) == 0;
    }
    if (ok) {
        put_bytes(out, "\0asm\1\0\0\0", 8);
        type_section(&g, out, &s);
        import_section(&g, out, &s);
        decl_sections(&g, out, &s);
        export_section(&g, out, &s);
        elem_section(&g, out, &s);
        data_sections(&g, out, &s, 12);
        code_section(&g, out, &s);
        data_sections(&g, out, &s, 11);
        name_section(&g, out, &s);
        ok = !out_of_memory;
    }
    gen_buf_free(&s);
    gen_free(&g);
    return ok ? 0 : -1;
}
