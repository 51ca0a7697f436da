/* diff-gen: random valid modules aimed at what binaryen's `wasm-opt -ttf` rarely makes:
   memory and global writes in loops next to accesses that trap on some iteration, so
   tests/llvm/diff.sh checks that the compiled tiers keep every write before a trap and
   none after it. Each module: an imported log function, one page of memory, exported
   mutable globals, a few exported functions of stores, loads, global and local sets,
   ifs, counted loops, calls forward and conditional traps (out-of-bounds load or
   store, unreachable, division by zero), all on i32 with i64/f32/f64 stores; and
   pointer loops of the shape src/llvm/loopver.c versions (straight-line, addresses
   stepping by a constant, a counted exit), started in bounds, across the end of memory
   or below address 0, with bases that overlap or not and exits that may be missed.
   Usage: diff-gen DIR PREFIX COUNT SEED   (writes DIR/PREFIX<i>.wasm, i = 1..COUNT) */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NFUNCS = 4, NGLOBALS = 3, NDATA = 4, NLOCALS = 8 /* 4 data, 4 loop counters */ };

typedef struct buf {
    uint8_t *p;
    size_t n, cap;
} buf;

static void put(buf *b, uint8_t c) {
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 256;
        b->p = realloc(b->p, b->cap);
        if (!b->p) exit(2);
    }
    b->p[b->n++] = c;
}
static void puts_(buf *b, const void *s, size_t n) {
    for (size_t i = 0; i < n; i++) put(b, ((const uint8_t *)s)[i]);
}
static void uleb(buf *b, uint64_t v) {
    do {
        uint8_t c = v & 0x7f;
        v >>= 7;
        put(b, c | (v ? 0x80 : 0));
    } while (v);
}
static void sleb(buf *b, int64_t v) {
    for (;;) {
        uint8_t c = v & 0x7f;
        v >>= 7;
        bool done = (v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40));
        put(b, c | (done ? 0 : 0x80));
        if (done) return;
    }
}
static void name(buf *b, const char *s) { uleb(b, strlen(s)); puts_(b, s, strlen(s)); }
static void section(buf *out, uint8_t id, buf *content) {
    put(out, id);
    uleb(out, content->n);
    puts_(out, content->p, content->n);
    content->n = 0;
}

/* ---- randomness (xorshift64*) ---- */
static uint64_t rs;
static uint32_t rnd(uint32_t n) {
    rs ^= rs >> 12, rs ^= rs << 25, rs ^= rs >> 27;
    return (uint32_t)((rs * 0x2545F4914F6CDD1Dull) >> 33) % n;
}

/* ---- code ---- */
typedef struct gen {
    buf *b;
    int func;           /* index of the function being made (0-based, defined) */
    int loops;          /* loops open around the current point */
} gen;

static void i32c(gen *g, int32_t v) { put(g->b, 0x41); sleb(g->b, v); }

static void expr(gen *g, int depth);

/* Mostly in bounds, sometimes just past the end of the page or far out. */
static void addr(gen *g) {
    uint32_t k = rnd(16);
    if (k < 11) i32c(g, (int32_t)rnd(256));
    else if (k < 14) {               /* a loop counter or local, scaled, in bounds */
        put(g->b, 0x20), uleb(g->b, rnd(NLOCALS));
        i32c(g, 4), put(g->b, 0x6c);            /* i32.mul */
        i32c(g, 1023), put(g->b, 0x71);         /* i32.and */
    } else if (k < 15) i32c(g, 65536 - (int32_t)rnd(8));   /* across the end */
    else expr(g, 3);
}

static void memarg(gen *g) {
    put(g->b, 0);                                /* align 1 */
    uleb(g->b, rnd(32) ? rnd(16) : 65536 + rnd(4)); /* offset (rarely past the page) */
}

static void expr(gen *g, int depth) {
    static const uint8_t binops[] = {0x6a, 0x6b, 0x6c, 0x71, 0x72, 0x73, 0x74, 0x76,
                                     0x46, 0x47, 0x49, 0x4b};
    static const uint8_t loads[] = {0x28, 0x2c, 0x2d, 0x2e, 0x2f};
    switch (rnd(depth > 2 ? 3 : 9)) {
    case 0: i32c(g, rnd(4) ? (int32_t)rnd(16) : (int32_t)(rnd(65536) * 65536 + rnd(65536))); break;
    case 1: put(g->b, 0x20), uleb(g->b, rnd(NLOCALS)); break;
    case 2: put(g->b, 0x23), uleb(g->b, rnd(NGLOBALS)); break;
    case 3: case 4:
        addr(g);
        put(g->b, loads[rnd(sizeof loads)]);
        memarg(g);
        break;
    case 5: case 6:
        expr(g, depth + 1), expr(g, depth + 1);
        put(g->b, binops[rnd(sizeof binops)]);
        break;
    case 7:                                      /* i32.div_u: traps when the divisor is 0 */
        expr(g, depth + 1), expr(g, depth + 1);
        put(g->b, 0x6e);
        break;
    default:
        expr(g, depth + 1), expr(g, depth + 1), expr(g, depth + 1);
        put(g->b, 0x1b);                         /* select */
        break;
    }
}

static void store(gen *g) {
    addr(g);
    expr(g, 1);
    switch (rnd(6)) {
    case 0: put(g->b, 0xac), put(g->b, 0x37); break;   /* i64.extend_i32_s, i64.store */
    case 1: put(g->b, 0xb2), put(g->b, 0x38); break;   /* f32.convert_i32_s, f32.store */
    case 2: put(g->b, 0xb7), put(g->b, 0x39); break;   /* f64.convert_i32_s, f64.store */
    case 3: put(g->b, 0x3a); break;                    /* i32.store8 */
    default: put(g->b, 0x36); break;                   /* i32.store */
    }
    memarg(g);
}

static void trap_op(gen *g) {
    switch (rnd(4)) {
    case 0: put(g->b, 0x00); break;                                        /* unreachable */
    case 1: i32c(g, 65535), i32c(g, 7), put(g->b, 0x36), memarg(g); break; /* store OOB */
    case 2: i32c(g, 70000), put(g->b, 0x28), memarg(g), put(g->b, 0x1a); break;
    default: i32c(g, 1), i32c(g, 0), put(g->b, 0x6d), put(g->b, 0x1a); break; /* div_s by 0 */
    }
}

static void stmts(gen *g, int depth, int n);

/* ---- pointer loops (loopver.c) ---- */

static void local_get(gen *g, int x) { put(g->b, 0x20), uleb(g->b, (uint64_t)x); }

/* A pointer's start: mostly in bounds, else near the end (runs off it), near 0 (with a
   negative step it runs below 0) or anywhere in the 32-bit space. */
static int32_t vstart(void) {
    switch (rnd(8)) {
    case 0: return 65536 - (int32_t)rnd(96);
    case 1: return (int32_t)rnd(64);
    case 2: return (int32_t)(rnd(65536) * 65536 + rnd(65536));
    default: return (int32_t)rnd(60000);
    }
}

/* An address through pointer p: p or p + k. */
static void vaddr(gen *g, int p) {
    local_get(g, p);
    if (rnd(3) == 0) i32c(g, (int32_t)rnd(24) - (rnd(4) ? 0 : 8)), put(g->b, 0x6a);
}

static void vmemarg(gen *g) {
    put(g->b, 0);
    uleb(g->b, rnd(16) ? rnd(24) : 65400 + rnd(200));
}

/* A value: a load through q, the counter, a global or a constant, maybe combined. */
static void vvalue(gen *g, int q, int c) {
    static const uint8_t loads[] = {0x28, 0x2c, 0x2d, 0x2e, 0x2f};
    switch (rnd(4)) {
    case 0: case 1: vaddr(g, q), put(g->b, loads[rnd(sizeof loads)]), vmemarg(g); break;
    case 2: local_get(g, c); break;
    default: put(g->b, 0x23), uleb(g->b, rnd(NGLOBALS)); break;
    }
    if (rnd(2)) i32c(g, (int32_t)rnd(100)), put(g->b, rnd(2) ? 0x6a : 0x6c);
}

static void vstore(gen *g, int p, int q, int c) {
    vaddr(g, p);
    vvalue(g, q, c);
    switch (rnd(5)) {
    case 0: put(g->b, 0xac), put(g->b, 0x37); break;   /* i64.store */
    case 1: put(g->b, 0xb7), put(g->b, 0x39); break;   /* f64.store */
    case 2: put(g->b, 0x3a); break;                    /* i32.store8 */
    case 3: put(g->b, 0x3b); break;                    /* i32.store16 */
    default: put(g->b, 0x36); break;                   /* i32.store */
    }
    vmemarg(g);
}

static int32_t vstep(void) {
    static const int32_t steps[] = {4, 8, 16, 1, 2, -4, -8, 4};
    return steps[rnd(8)];
}

/* p and q step by constants, counter c by 1 or 2 up to a bound (lt_u, or ne that
   is missed when the bound is odd: then p runs out of memory and traps). */
static void vloop(gen *g, int c) {
    int p = (int)rnd(NDATA), q = (p + 1 + (int)rnd(NDATA - 1)) % NDATA;
    int32_t sp = vstep(), sq = rnd(4) ? sp : vstep(), sc = 1 + (int)rnd(2);
    int32_t n = rnd(3) ? 1 + (int32_t)rnd(48) : 32 + (int32_t)rnd(200);
    int32_t qstart = rnd(3) ? vstart() : 0;
    i32c(g, vstart()), put(g->b, 0x21), uleb(g->b, (uint64_t)p);
    if (qstart) i32c(g, qstart);
    else local_get(g, p), i32c(g, (int32_t)rnd(64) - 32), put(g->b, 0x6a);   /* overlapping */
    put(g->b, 0x21), uleb(g->b, (uint64_t)q);
    i32c(g, 0), put(g->b, 0x21), uleb(g->b, (uint64_t)c);
    put(g->b, 0x03), put(g->b, 0x40);
    for (int i = 0, k = 1 + (int)rnd(3); i < k; i++) vstore(g, rnd(4) ? p : q, rnd(4) ? q : p, c);
    local_get(g, p), i32c(g, sp), put(g->b, 0x6a), put(g->b, 0x21), uleb(g->b, (uint64_t)p);
    local_get(g, q), i32c(g, sq), put(g->b, 0x6a), put(g->b, 0x21), uleb(g->b, (uint64_t)q);
    local_get(g, c), i32c(g, sc), put(g->b, 0x6a), put(g->b, 0x22), uleb(g->b, (uint64_t)c);
    if (rnd(2)) i32c(g, n), put(g->b, 0x49);                 /* i32.lt_u */
    else i32c(g, n * sc + (rnd(6) ? 0 : 1)), put(g->b, 0x47); /* i32.ne */
    put(g->b, 0x0d), uleb(g->b, 0);
    put(g->b, 0x0b);
}

static void stmt(gen *g, int depth) {
    uint32_t k = rnd(depth > 2 ? 6 : 12);
    switch (k) {
    case 0: case 1: case 2: store(g); break;
    case 3: expr(g, 1), put(g->b, 0x24), uleb(g->b, rnd(NGLOBALS)); break;
    case 4: expr(g, 1), put(g->b, 0x21), uleb(g->b, rnd(NDATA)); break;
    case 5: expr(g, 1), put(g->b, 0x10), uleb(g->b, 0); break;   /* call log */
    case 6: case 7: {                                              /* a trap on some iteration */
        int c = NDATA + (g->loops ? g->loops - 1 : (int)rnd(4));
        put(g->b, 0x20), uleb(g->b, c);
        i32c(g, (int32_t)rnd(6)), put(g->b, 0x46);                 /* i32.eq */
        put(g->b, 0x04), put(g->b, 0x40);
        trap_op(g);
        put(g->b, 0x0b);
        break;
    }
    case 8:
        expr(g, 1);
        put(g->b, 0x04), put(g->b, 0x40);
        stmts(g, depth + 1, 1 + (int)rnd(3));
        if (rnd(2)) put(g->b, 0x05), stmts(g, depth + 1, 1 + (int)rnd(3));
        put(g->b, 0x0b);
        break;
    case 9:
        if (g->loops < 2) {                                        /* counted loop, 1-6 times */
            int c = NDATA + g->loops++;
            i32c(g, 0), put(g->b, 0x21), uleb(g->b, c);
            put(g->b, 0x03), put(g->b, 0x40);
            stmts(g, depth + 1, 2 + (int)rnd(4));
            put(g->b, 0x20), uleb(g->b, c), i32c(g, 1), put(g->b, 0x6a);
            put(g->b, 0x22), uleb(g->b, c);                        /* local.tee */
            i32c(g, 1 + (int)rnd(6)), put(g->b, 0x49);             /* i32.lt_u */
            put(g->b, 0x0d), uleb(g->b, 0);                        /* br_if 0 */
            put(g->b, 0x0b);
            g->loops--;
        } else {
            store(g);
        }
        break;
    case 10:
        if (g->loops < 2) vloop(g, NDATA + g->loops);
        else store(g);
        break;
    default:
        if (g->loops == 0 && g->func + 1 < NFUNCS)                 /* call a later function */
            put(g->b, 0x10), uleb(g->b, 1 + g->func + 1 + rnd(NFUNCS - g->func - 1));
        else
            store(g);
        break;
    }
}

static void stmts(gen *g, int depth, int n) {
    for (int i = 0; i < n; i++) stmt(g, depth);
}

/* ---- module ---- */

static void module(buf *out) {
    buf s = {0}, body = {0};
    puts_(out, "\0asm\1\0\0\0", 8);
    uleb(&s, 2);                                            /* types */
    put(&s, 0x60), put(&s, 0), put(&s, 0);
    put(&s, 0x60), put(&s, 1), put(&s, 0x7f), put(&s, 0);
    section(out, 1, &s);
    uleb(&s, 1), name(&s, "env"), name(&s, "log"), put(&s, 0), uleb(&s, 1);
    section(out, 2, &s);
    uleb(&s, NFUNCS);
    for (int i = 0; i < NFUNCS; i++) uleb(&s, 0);
    section(out, 3, &s);
    uleb(&s, 1), put(&s, 1), uleb(&s, 1), uleb(&s, 1);    /* memory 1 1 */
    section(out, 5, &s);
    uleb(&s, NGLOBALS);
    for (int i = 0; i < NGLOBALS; i++) put(&s, 0x7f), put(&s, 1), put(&s, 0x41), sleb(&s, rnd(100)), put(&s, 0x0b);
    section(out, 6, &s);
    uleb(&s, 1 + NGLOBALS + NFUNCS);
    name(&s, "mem"), put(&s, 2), uleb(&s, 0);
    char nm[16];
    for (int i = 0; i < NGLOBALS; i++) snprintf(nm, sizeof nm, "g%d", i), name(&s, nm), put(&s, 3), uleb(&s, i);
    for (int i = 0; i < NFUNCS; i++) snprintf(nm, sizeof nm, "f%d", i), name(&s, nm), put(&s, 0), uleb(&s, 1 + i);
    section(out, 7, &s);
    uleb(&s, NFUNCS);
    for (int i = 0; i < NFUNCS; i++) {
        gen g = {.b = &body, .func = i};
        uleb(&body, 1), uleb(&body, NLOCALS), put(&body, 0x7f);
        stmts(&g, 0, 3 + (int)rnd(6));
        put(&body, 0x0b);
        uleb(&s, body.n), puts_(&s, body.p, body.n);
        body.n = 0;
    }
    section(out, 10, &s);
    uleb(&s, 1), put(&s, 0), i32c(&(gen){.b = &s}, 0), put(&s, 0x0b);  /* data at 0 */
    uleb(&s, 32);
    for (int i = 0; i < 32; i++) put(&s, (uint8_t)rnd(256));
    section(out, 11, &s);
    free(s.p);
    free(body.p);
}

int main(int argc, char **argv) {
    if (argc != 5) return fprintf(stderr, "usage: diff-gen DIR PREFIX COUNT SEED\n"), 2;
    int n = atoi(argv[3]);
    rs = strtoull(argv[4], NULL, 10) * 0x9E3779B97F4A7C15ull | 1;
    for (int i = 1; i <= n; i++) {
        buf out = {0};
        module(&out);
        char path[4096];
        snprintf(path, sizeof path, "%s/%s%d.wasm", argv[1], argv[2], i);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(out.p, 1, out.n, f) != out.n || fclose(f)) return perror(path), 2;
        free(out.p);
    }
    return 0;
}
