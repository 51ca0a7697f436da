/* alloc: the one allocation hook, with failure injection for tests. */
#include "base.h"
#include <stdlib.h>

static void *libc_realloc(void *ctx, void *ptr, size_t size) {
    (void)ctx;
    if (size == 0) { free(ptr); return NULL; }
    return realloc(ptr, size);
}

static tb_allocator current = {libc_realloc, NULL};
static uint64_t fail_countdown; /* 0: never fail */

void tb_set_allocator(const tb_allocator *a) {
    current = a ? *a : (tb_allocator){libc_realloc, NULL};
}

void tb_fail_alloc_after(uint64_t n) { fail_countdown = n; }

void *tb_realloc(void *ptr, size_t size) {
    if (size == 0) { current.realloc(current.ctx, ptr, 0); return NULL; }
    if (TB_UNLIKELY(fail_countdown) && --fail_countdown == 0) return NULL;
    return current.realloc(current.ctx, ptr, size);
}

void *tb_malloc(size_t size) { return tb_realloc(NULL, size ? size : 1); }

void *tb_calloc(size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) return NULL;
    void *p = tb_malloc(n * size);
    if (p) memset(p, 0, n * size);
    return p;
}

void tb_free(void *ptr) {
    if (ptr) current.realloc(current.ctx, ptr, 0);
}

char *tb_strndup(const char *s, size_t n) {
    char *p = tb_malloc(n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

bool tb_vec_grow_(void **v, uint32_t *cap, uint32_t need, size_t elem) {
    uint64_t ncap = *cap ? *cap : 8;
    while (ncap < need) ncap *= 2;
    if (ncap > UINT32_MAX) return false;
    void *p = tb_realloc(*v, (size_t)ncap * elem);
    if (!p) return false;
    *v = p;
    *cap = (uint32_t)ncap;
    return true;
}
