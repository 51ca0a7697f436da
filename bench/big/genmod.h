/* genmod.h: a deterministic generator of large, valid WebAssembly 2.0 modules, the input
 * of the wasmval benchmark (bench/src/wasmval.c). See genmod.c for the module's shape. */
#ifndef BENCH_GENMOD_H
#define BENCH_GENMOD_H

#include <stddef.h>
#include <stdint.h>

typedef struct gen_params {
    uint32_t seed;        /* xorshift seed, nonzero */
    int types;            /* function types (at least 8) */
    int imports;          /* imported functions */
    int functions;        /* defined functions */
    int globals;          /* defined globals */
    int data_segments;    /* active data segments; one passive segment is added */
    int min_stmts;        /* statements per function body, before nesting */
    int max_stmts;
    int max_depth;        /* nesting of blocks and expressions */
    int max_locals;       /* declared locals per function (in groups of one type) */
} gen_params;

/* A growable byte buffer; the generator's output and scratch. */
typedef struct gen_buf {
    uint8_t *p;
    size_t len, cap;
} gen_buf;

/* Builds the module into out (appending; out may start zeroed). Returns 0, or -1 when
   memory runs out. Same params, same bytes, on every platform. */
int gen_module(const gen_params *p, gen_buf *out);
void gen_buf_free(gen_buf *b);

#endif
