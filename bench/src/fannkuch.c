/* fannkuch: for every permutation of 1..n, count the prefix reversals ("pancake
 * flips") until 1 comes first; tracks the maximum and a signed checksum. Tight integer
 * loops over small arrays. scale = n (10 takes a fraction of a second natively). */
#include "common.h"

#define MAXN 16

/* Flips of one permutation: reverse the first p[0]+1 elements until p[0] == 0. */
static int count_flips(const int *perm, int n) {
    int p[MAXN];
    for (int i = 0; i < n; i++)
        p[i] = perm[i];
    int flips = 0;
    while (p[0] != 0) {
        int k = p[0];
        for (int lo = 0, hi = k; lo < hi; lo++, hi--) {
            int t = p[lo];
            p[lo] = p[hi];
            p[hi] = t;
        }
        flips++;
    }
    return flips;
}

/* Advances perm to the next permutation: rotate the prefix of length r+1 left by one;
 * count[r] says how many times that prefix has been rotated. After r+1 rotations the
 * prefix is back where it was, so move on to the next longer prefix. Visits all n!
 * permutations; returns 0 after the last. */
static int next_perm(int *perm, int *count, int n) {
    for (int r = 1; r < n; r++) {
        int first = perm[0];
        for (int i = 0; i < r; i++)
            perm[i] = perm[i + 1];
        perm[r] = first;
        if (++count[r] <= r)
            return 1;
        count[r] = 0;
    }
    return 0;
}

int run(int scale) {
    int n = scale < 2 ? 2 : scale > 12 ? 12 : scale;
    int perm[MAXN], count[MAXN];
    for (int i = 0; i < n; i++) {
        perm[i] = i;
        count[i] = 0;
    }
    int max_flips = 0, checksum = 0, index = 0;
    do {
        int f = count_flips(perm, n);
        if (f > max_flips)
            max_flips = f;
        checksum += (index++ & 1) ? -f : f;
    } while (next_perm(perm, count, n));
    return (int)bench_mix(bench_mix(BENCH_HASH_INIT, (uint32_t)checksum), (uint32_t)max_flips);
}
