/* matmul: dense double-precision matrix multiply C = A * B of n x n matrices, repeated
 * with the output fed back as input so no product can be skipped. scale = n. */
#include <stdlib.h>
#include "common.h"

static void fill(double *m, int n, uint32_t *seed) {
    for (int i = 0; i < n * n; i++)
        m[i] = (double)(bench_rand(seed) % 2001) / 1000.0 - 1.0;
}

/* i-k-j order: the inner loop walks rows of B and C contiguously. */
static void multiply(double *c, const double *a, const double *b, int n) {
    for (int i = 0; i < n * n; i++)
        c[i] = 0.0;
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < n; k++) {
            double aik = a[i * n + k];
            const double *brow = b + k * n;
            double *crow = c + i * n;
            for (int j = 0; j < n; j++)
                crow[j] += aik * brow[j];
        }
    }
}

/* Rescales so repeated products stay in range. */
static void normalize(double *m, int n) {
    double maxabs = 0.0;
    for (int i = 0; i < n * n; i++) {
        double v = m[i] < 0 ? -m[i] : m[i];
        if (v > maxabs)
            maxabs = v;
    }
    if (maxabs > 0.0)
        for (int i = 0; i < n * n; i++)
            m[i] /= maxabs;
}

int run(int scale) {
    int n = scale < 2 ? 2 : scale;
    double *a = malloc(sizeof(double) * n * n);
    double *b = malloc(sizeof(double) * n * n);
    double *c = malloc(sizeof(double) * n * n);
    if (!a || !b || !c)
        return -1;
    uint32_t seed = 12345u + (uint32_t)n;
    fill(a, n, &seed);
    fill(b, n, &seed);
    multiply(c, a, b, n);
    normalize(c, n);
    multiply(a, c, b, n);   /* second round depends on the first */
    uint32_t h = BENCH_HASH_INIT;
    for (int i = 0; i < n * n; i++)
        h = bench_mix_double(h, a[i]);
    free(a);
    free(b);
    free(c);
    return (int)h;
}
