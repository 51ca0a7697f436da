/* quicksort: sorts `scale` pseudo-random 32-bit integers with a hand-written
 * quicksort (median-of-three pivot, insertion sort for short ranges), checks the
 * result is ordered, and hashes it. Branchy, data-dependent code over memory. */
#include <stdlib.h>
#include "common.h"

static void insertion_sort(uint32_t *a, int lo, int hi) {
    for (int i = lo + 1; i <= hi; i++) {
        uint32_t v = a[i];
        int j = i - 1;
        while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static inline void swap(uint32_t *a, int i, int j) {
    uint32_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static uint32_t median_of_three(uint32_t *a, int lo, int hi) {
    int mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    return a[mid];
}

/* Recurses on the smaller side and loops on the larger, so depth stays O(log n)
 * (the wasm stack is small). */
static void quicksort(uint32_t *a, int lo, int hi) {
    while (hi - lo > 16) {
        uint32_t pivot = median_of_three(a, lo, hi);
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j)
                swap(a, i++, j--);
        }
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
    insertion_sort(a, lo, hi);
}

int run(int scale) {
    int n = scale < 1 ? 1 : scale;
    uint32_t *a = malloc(sizeof(uint32_t) * n);
    if (!a)
        return -1;
    uint32_t seed = 0xdeadbeefu;
    for (int i = 0; i < n; i++)
        a[i] = bench_rand(&seed) % ((uint32_t)n * 4u);   /* some duplicates */
    quicksort(a, 0, n - 1);
    uint32_t h = BENCH_HASH_INIT;
    for (int i = 0; i < n; i++) {
        if (i > 0 && a[i - 1] > a[i]) {
            free(a);
            return -1;
        }
        if ((i & 63) == 0)
            h = bench_mix(h, a[i]);
    }
    free(a);
    return (int)bench_mix(h, (uint32_t)n);
}
