/* libcalls: the runtime functions compiled code may call by name (LLVM lowers some
   operations to libc/libm calls: bulk copies, and rounding without SSE4.1); the linker
   accepts only these undefined symbols and the loader fills their GOT slots. */
#include "internal.h"
#include <math.h>
#include <stdlib.h>
#include <strings.h>

typedef struct libcall { const char *name; void *addr; } libcall;

/* Sorted by name (bsearch). Taking each address makes the real libc/libm symbol. */
static const libcall table[] = {
    {"bcmp", (void *)bcmp},
    {"ceil", (void *)ceil},
    {"ceilf", (void *)ceilf},
    {"copysign", (void *)copysign},
    {"copysignf", (void *)copysignf},
    {"fabs", (void *)fabs},
    {"fabsf", (void *)fabsf},
    {"floor", (void *)floor},
    {"floorf", (void *)floorf},
    {"fma", (void *)fma},
    {"fmaf", (void *)fmaf},
    {"fmax", (void *)fmax},
    {"fmaxf", (void *)fmaxf},
    {"fmin", (void *)fmin},
    {"fminf", (void *)fminf},
    {"memcmp", (void *)memcmp},
    {"memcpy", (void *)memcpy},
    {"memmove", (void *)memmove},
    {"memset", (void *)memset},
    {"nearbyint", (void *)nearbyint},
    {"nearbyintf", (void *)nearbyintf},
    {"rint", (void *)rint},
    {"rintf", (void *)rintf},
    {"round", (void *)round},
    {"roundeven", (void *)roundeven},
    {"roundevenf", (void *)roundevenf},
    {"roundf", (void *)roundf},
    {"sqrt", (void *)sqrt},
    {"sqrtf", (void *)sqrtf},
    {"trunc", (void *)trunc},
    {"truncf", (void *)truncf},
};

static int by_name(const void *key, const void *elem) {
    return strcmp(key, ((const libcall *)elem)->name);
}

void *art_libcall(const char *name) {
    const libcall *c = bsearch(name, table, TB_ARRAY_LEN(table), sizeof *table, by_name);
    return c ? c->addr : NULL;
}
