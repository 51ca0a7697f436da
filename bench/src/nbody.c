/* nbody: gravitational simulation of a small cluster of bodies (pairwise forces,
 * symplectic Euler steps), floating-point heavy with one sqrt per pair.
 * scale = number of time steps. */
#include <math.h>
#include "common.h"

#define NBODIES 8
#define DT 0.001
#define SOFTENING 0.01   /* keeps close encounters finite */

typedef struct {
    double x, y, z, vx, vy, vz, mass;
} body;

static double frand(uint32_t *seed) {
    return (double)(bench_rand(seed) % 20001) / 10000.0 - 1.0;   /* [-1, 1] */
}

/* Bodies around a heavy centre, each started on a roughly circular orbit (speed
 * sqrt(M/r), perpendicular to its radius) so the cluster stays bound. */
static void init(body *b, int n) {
    uint32_t seed = 424242u;
    b[0] = (body){0, 0, 0, 0, 0, 0, 20.0};
    for (int i = 1; i < n; i++) {
        b[i].x = 4.0 * frand(&seed);
        b[i].y = 4.0 * frand(&seed);
        b[i].z = 0.2 * frand(&seed);
        b[i].mass = 0.05 + 0.05 * (frand(&seed) + 1.0);
        double r = sqrt(b[i].x * b[i].x + b[i].y * b[i].y + SOFTENING);
        double v = sqrt(b[0].mass / r);
        b[i].vx = -v * b[i].y / r;
        b[i].vy = v * b[i].x / r;
        b[i].vz = 0.01 * frand(&seed);
    }
}

static void advance(body *b, int n, double dt) {
    for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            double d2 = dx * dx + dy * dy + dz * dz + SOFTENING;
            double mag = dt / (d2 * sqrt(d2));
            b[i].vx -= dx * b[j].mass * mag;
            b[i].vy -= dy * b[j].mass * mag;
            b[i].vz -= dz * b[j].mass * mag;
            b[j].vx += dx * b[i].mass * mag;
            b[j].vy += dy * b[i].mass * mag;
            b[j].vz += dz * b[i].mass * mag;
        }
    }
    for (int i = 0; i < n; i++) {
        b[i].x += dt * b[i].vx;
        b[i].y += dt * b[i].vy;
        b[i].z += dt * b[i].vz;
    }
}

static double energy(const body *b, int n) {
    double e = 0.0;
    for (int i = 0; i < n; i++) {
        e += 0.5 * b[i].mass * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        for (int j = i + 1; j < n; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            e -= b[i].mass * b[j].mass / sqrt(dx * dx + dy * dy + dz * dz + SOFTENING);
        }
    }
    return e;
}

int run(int scale) {
    body b[NBODIES];
    init(b, NBODIES);
    uint32_t h = bench_mix_double(BENCH_HASH_INIT, energy(b, NBODIES));
    for (int s = 0; s < scale; s++)
        advance(b, NBODIES, DT);
    h = bench_mix_double(h, energy(b, NBODIES));
    for (int i = 0; i < NBODIES; i++)
        h = bench_mix_double(h, b[i].x + b[i].y + b[i].z);
    return (int)h;
}
