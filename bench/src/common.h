/* common.h: small helpers shared by the benchmark programs (not a benchmark itself).
 * Everything here is header-only and needs no WASI import, so the same code builds
 * natively and as an import-free wasm32 reactor. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdint.h>
#include <string.h>

/* Every program exports this: do the work at the given scale, return a checksum
 * that the runner compares between native, node and taho. */
int run(int scale);

/* A 32-bit xorshift generator: deterministic inputs without libc's rand(), whose
 * sequence differs between glibc and wasi-libc. */
static inline uint32_t bench_rand(uint32_t *state) {
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

/* Folds a 32-bit word into a running FNV-1a-style hash. */
static inline uint32_t bench_mix(uint32_t h, uint32_t v) {
    for (int i = 0; i < 4; i++) {
        h ^= (v >> (i * 8)) & 0xff;
        h *= 16777619u;
    }
    return h;
}

/* Folds the exact bit pattern of a double, so any difference in rounding shows. */
static inline uint32_t bench_mix_double(uint32_t h, double d) {
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    h = bench_mix(h, (uint32_t)bits);
    return bench_mix(h, (uint32_t)(bits >> 32));
}

#define BENCH_HASH_INIT 2166136261u

#endif
