/* cpu: the x86-64 features this machine has (cpuid + xgetbv) and the micro-architecture
   levels a --target may name, so an artifact is only run where its code can run. */
#include "artifact.h"
#include <cpuid.h>
#include <stdio.h>

/* Names as LLVM spells the target features, so messages and feature strings agree. */
static const char *const feature_names[] = {
    "sse3", "ssse3", "sse4.1", "sse4.2", "popcnt", "avx", "avx2", "fma", "bmi", "bmi2",
    "lzcnt", "movbe", "f16c", "cx16", "avx512f", "avx512bw", "avx512dq", "avx512vl",
    "avx512cd", "aes", "pclmul", "adx", "sha", "xsave", "avx512vbmi", "avx512vbmi2", "gfni",
    "vaes", "vpclmulqdq", "avx512vnni", "avx512bitalg", "avx512vpopcntdq", "avx512ifma",
    "avx512fp16", "avxvnni", "avx512bf16", "sse4a", "sahf",
};
_Static_assert(TB_ARRAY_LEN(feature_names) == ART_CPU_NFEATURES, "a name for every bit");

/* x86-64 psABI micro-architecture levels; v1 (SSE2) is the baseline every x86-64 has. */
#define LEVEL_V2 (ART_CPU_CX16 | ART_CPU_POPCNT | ART_CPU_SSE3 | ART_CPU_SSE41 | \
                  ART_CPU_SSE42 | ART_CPU_SSSE3 | ART_CPU_SAHF)
#define LEVEL_V3 (LEVEL_V2 | ART_CPU_AVX | ART_CPU_AVX2 | ART_CPU_BMI1 | ART_CPU_BMI2 | \
                  ART_CPU_F16C | ART_CPU_FMA | ART_CPU_LZCNT | ART_CPU_MOVBE | ART_CPU_XSAVE)
#define LEVEL_V4 (LEVEL_V3 | ART_CPU_AVX512F | ART_CPU_AVX512BW | ART_CPU_AVX512CD | \
                  ART_CPU_AVX512DQ | ART_CPU_AVX512VL)

/* VAES, VPCLMULQDQ and GFNI have VEX forms too: they need the YMM state at least. */
#define AVX_ANY (ART_CPU_AVX | ART_CPU_AVX2 | ART_CPU_FMA | ART_CPU_F16C | ART_CPU_AVXVNNI | \
                 ART_CPU_VAES | ART_CPU_VPCLMULQDQ)
#define AVX512_ANY (ART_CPU_AVX512F | ART_CPU_AVX512BW | ART_CPU_AVX512DQ | \
                    ART_CPU_AVX512VL | ART_CPU_AVX512CD | ART_CPU_AVX512VBMI | \
                    ART_CPU_AVX512VBMI2 | ART_CPU_AVX512VNNI | ART_CPU_AVX512BITALG | \
                    ART_CPU_AVX512VPOPCNTDQ | ART_CPU_AVX512IFMA | ART_CPU_AVX512FP16 | \
                    ART_CPU_AVX512BF16)

static uint64_t bit_if(uint32_t reg, unsigned bit, uint64_t feature) {
    return (reg >> bit) & 1 ? feature : 0;
}

static uint64_t leaf1(bool *osxsave) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    *osxsave = (c >> 27) & 1;
    return bit_if(c, 0, ART_CPU_SSE3) | bit_if(c, 1, ART_CPU_PCLMUL) |
           bit_if(c, 9, ART_CPU_SSSE3) | bit_if(c, 12, ART_CPU_FMA) |
           bit_if(c, 13, ART_CPU_CX16) | bit_if(c, 19, ART_CPU_SSE41) |
           bit_if(c, 20, ART_CPU_SSE42) | bit_if(c, 22, ART_CPU_MOVBE) |
           bit_if(c, 23, ART_CPU_POPCNT) | bit_if(c, 25, ART_CPU_AES) |
           bit_if(c, 26, ART_CPU_XSAVE) | bit_if(c, 28, ART_CPU_AVX) |
           bit_if(c, 29, ART_CPU_F16C);
}

static uint64_t leaf7(void) {
    unsigned a, b, c, d;
    if (__get_cpuid_max(0, NULL) < 7) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    uint64_t f = bit_if(b, 3, ART_CPU_BMI1) | bit_if(b, 5, ART_CPU_AVX2) |
                 bit_if(b, 8, ART_CPU_BMI2) | bit_if(b, 16, ART_CPU_AVX512F) |
                 bit_if(b, 17, ART_CPU_AVX512DQ) | bit_if(b, 19, ART_CPU_ADX) |
                 bit_if(b, 21, ART_CPU_AVX512IFMA) | bit_if(b, 28, ART_CPU_AVX512CD) |
                 bit_if(b, 29, ART_CPU_SHA) | bit_if(b, 30, ART_CPU_AVX512BW) |
                 bit_if(b, 31, ART_CPU_AVX512VL) | bit_if(c, 1, ART_CPU_AVX512VBMI) |
                 bit_if(c, 6, ART_CPU_AVX512VBMI2) | bit_if(c, 8, ART_CPU_GFNI) |
                 bit_if(c, 9, ART_CPU_VAES) | bit_if(c, 10, ART_CPU_VPCLMULQDQ) |
                 bit_if(c, 11, ART_CPU_AVX512VNNI) | bit_if(c, 12, ART_CPU_AVX512BITALG) |
                 bit_if(c, 14, ART_CPU_AVX512VPOPCNTDQ) | bit_if(d, 23, ART_CPU_AVX512FP16);
    unsigned max_sub = a;
    if (max_sub >= 1) {
        __cpuid_count(7, 1, a, b, c, d);
        f |= bit_if(a, 4, ART_CPU_AVXVNNI) | bit_if(a, 5, ART_CPU_AVX512BF16);
    }
    return f;
}

static uint64_t leaf_ext1(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(0x80000001, &a, &b, &c, &d)) return 0;
    return bit_if(c, 0, ART_CPU_SAHF) | bit_if(c, 5, ART_CPU_LZCNT) | bit_if(c, 6, ART_CPU_SSE4A);
}

/* The CPU may have AVX while the OS does not save the YMM/ZMM state: then AVX code
   would corrupt registers across context switches, so it counts as absent. */
static uint64_t os_mask(bool osxsave) {
    if (!osxsave) return ~(uint64_t)(AVX_ANY | AVX512_ANY);
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    uint64_t mask = ~(uint64_t)0;
    if ((lo & 0x06) != 0x06) mask &= ~(uint64_t)(AVX_ANY | AVX512_ANY);   /* XMM, YMM */
    if ((lo & 0xe6) != 0xe6) mask &= ~(uint64_t)AVX512_ANY;             /* + opmask, ZMM */
    return mask;
}

static uint64_t detect(void) {
    bool osxsave = false;
    uint64_t f = leaf1(&osxsave) | leaf7() | leaf_ext1();
    return f & os_mask(osxsave);
}

uint64_t art_cpu_host(void) {
    static uint64_t cached;
    static bool done;            /* races are benign: every thread computes the same */
    if (!__atomic_load_n(&done, __ATOMIC_ACQUIRE)) {
        __atomic_store_n(&cached, detect(), __ATOMIC_RELAXED);
        __atomic_store_n(&done, true, __ATOMIC_RELEASE);
    }
    return __atomic_load_n(&cached, __ATOMIC_RELAXED);
}

bool art_cpu_target(const char *target, uint64_t *features) {
    static const struct { const char *name; uint64_t mask; } levels[] = {
        {"x86-64", 0}, {"x86-64-v1", 0}, {"x86-64-v2", LEVEL_V2},
        {"x86-64-v3", LEVEL_V3}, {"x86-64-v4", LEVEL_V4},
    };
    if (!target) return false;
    if (strcmp(target, "native") == 0) { *features = art_cpu_host(); return true; }
    for (size_t i = 0; i < TB_ARRAY_LEN(levels); i++)
        if (strcmp(target, levels[i].name) == 0) { *features = levels[i].mask; return true; }
    return false;
}

const char *art_cpu_names(uint64_t mask, char *buf, size_t size) {
    if (!size) return buf;
    size_t used = 0;
    buf[0] = 0;
    for (unsigned bit = 0; bit < 64 && used < size; bit++) {
        if (!((mask >> bit) & 1)) continue;
        char unknown[16];
        const char *name = unknown;
        if (bit < TB_ARRAY_LEN(feature_names)) name = feature_names[bit];
        else snprintf(unknown, sizeof unknown, "bit%u", bit);
        int n = snprintf(buf + used, size - used, "%s%s", used ? "," : "", name);
        if (n < 0) break;
        used += (size_t)n;
    }
    return buf;
}

const char *art_cpu_llvm_features(uint64_t mask, char *buf, size_t size) {
    size_t used = 0;
    for (unsigned bit = 0; bit < ART_CPU_NFEATURES; bit++) {
        int n = snprintf(buf + used, size - used, "%s%c%s", bit ? "," : "",
                         (mask >> bit) & 1 ? '+' : '-', feature_names[bit]);
        if (n < 0 || (size_t)n >= size - used) return NULL;
        used += (size_t)n;
    }
    return buf;
}
