/* libcalls: the runtime functions compiled code may call by name (LLVM lowers some
   operations to libc/libm calls: bulk copies, and rounding without SSE4.1); the linker
   accepts only these undefined symbols and the loader fills their GOT slots. The libm
   ones are ours (mathcalls.c): taho links no libm. */
#include "internal.h"
#include <stdlib.h>
#include <strings.h>

typedef struct libcall { const char *name; void *addr; bool needs_fma; } libcall;

/* Sorted by name (bsearch). rint and nearbyint round like roundeven: Wasm code only
   runs in the default rounding mode. */
static const libcall table[] = {
    {"bcmp", (void *)bcmp, false},
    {"ceil", (void *)art_m_ceil, false},
    {"ceilf", (void *)art_m_ceilf, false},
    {"copysign", (void *)art_m_copysign, false},
    {"copysignf", (void *)art_m_copysignf, false},
    {"fabs", (void *)art_m_fabs, false},
    {"fabsf", (void *)art_m_fabsf, false},
    {"floor", (void *)art_m_floor, false},
    {"floorf", (void *)art_m_floorf, false},
    {"fma", (void *)art_m_fma, true},
    {"fmaf", (void *)art_m_fmaf, true},
    {"fmax", (void *)art_m_fmax, false},
    {"fmaxf", (void *)art_m_fmaxf, false},
    {"fmin", (void *)art_m_fmin, false},
    {"fminf", (void *)art_m_fminf, false},
    {"memcmp", (void *)memcmp, false},
    {"memcpy", (void *)memcpy, false},
    {"memmove", (void *)memmove, false},
    {"memset", (void *)memset, false},
    {"nearbyint", (void *)art_m_roundeven, false},
    {"nearbyintf", (void *)art_m_roundevenf, false},
    {"rint", (void *)art_m_roundeven, false},
    {"rintf", (void *)art_m_roundevenf, false},
    {"round", (void *)art_m_round, false},
    {"roundeven", (void *)art_m_roundeven, false},
    {"roundevenf", (void *)art_m_roundevenf, false},
    {"roundf", (void *)art_m_roundf, false},
    {"sqrt", (void *)art_m_sqrt, false},
    {"sqrtf", (void *)art_m_sqrtf, false},
    {"trunc", (void *)art_m_trunc, false},
    {"truncf", (void *)art_m_truncf, false},
};

static int by_name(const void *key, const void *elem) {
    return strcmp(key, ((const libcall *)elem)->name);
}

void *art_libcall(const char *name) {
    const libcall *c = bsearch(name, table, TB_ARRAY_LEN(table), sizeof *table, by_name);
    if (!c || (c->needs_fma && !(art_cpu_host() & ART_CPU_FMA))) return NULL;
    return c->addr;
}
