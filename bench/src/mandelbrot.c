/* mandelbrot: renders the Mandelbrot set on a scale x scale grid over [-2,1]x[-1.5,1.5]
 * (up to 100 iterations per point) into a bitmap and hashes it, plus the total
 * iteration count. Floating-point with data-dependent exits. */
#include <stdlib.h>
#include "common.h"

#define MAX_ITER 100

int run(int scale) {
    int n = scale < 8 ? 8 : scale;
    int row_bytes = (n + 7) / 8;
    uint8_t *bits = calloc((size_t)row_bytes * n, 1);
    if (!bits)
        return -1;
    uint32_t total_iter = 0;
    for (int y = 0; y < n; y++) {
        double ci = 3.0 * y / n - 1.5;
        for (int x = 0; x < n; x++) {
            double cr = 3.0 * x / n - 2.0;
            double zr = 0.0, zi = 0.0, zr2 = 0.0, zi2 = 0.0;
            int it = 0;
            while (it < MAX_ITER && zr2 + zi2 <= 4.0) {
                zi = 2.0 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                zr2 = zr * zr;
                zi2 = zi * zi;
                it++;
            }
            total_iter += (uint32_t)it;
            if (it == MAX_ITER)
                bits[y * row_bytes + x / 8] |= (uint8_t)(0x80 >> (x % 8));
        }
    }
    uint32_t h = BENCH_HASH_INIT;
    for (int i = 0; i < row_bytes * n; i++) {
        h ^= bits[i];
        h *= 16777619u;
    }
    free(bits);
    return (int)bench_mix(h, total_iter);
}
