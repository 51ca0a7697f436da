/* mathcalls: the libm functions LLVM may call from compiled Wasm code (rounding without
   SSE4.1, sqrt, abs, sign, min/max), written here so taho needs no libm at all: the
   executable links none (startup time), and glibc's static libm cannot be linked into
   a dynamic executable. Round-to-nearest-even is the only mode Wasm code runs in. */
#include "internal.h"
#include <immintrin.h>

#define TWO52 0x1p52
#define TWO23 0x1p23f

static inline uint64_t dbits(double x) { uint64_t u; memcpy(&u, &x, 8); return u; }
static inline double dfrom(uint64_t u) { double x; memcpy(&x, &u, 8); return x; }
static inline uint32_t fbits(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static inline float ffrom(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }

double art_m_fabs(double x) { return dfrom(dbits(x) & ~(1ull << 63)); }
float art_m_fabsf(float x) { return ffrom(fbits(x) & ~(1u << 31)); }
double art_m_copysign(double x, double y) {
    return dfrom((dbits(x) & ~(1ull << 63)) | (dbits(y) & (1ull << 63)));
}
float art_m_copysignf(float x, float y) {
    return ffrom((fbits(x) & ~(1u << 31)) | (fbits(y) & (1u << 31)));
}

/* Clearing the fraction bits below the binary point; NaN + NaN quiets a signalling NaN
   (Wasm wants an arithmetic NaN out). */
double art_m_trunc(double x) {
    uint64_t u = dbits(x);
    int e = (int)((u >> 52) & 0x7ff) - 1023;
    if (e >= 52) return x != x ? x + x : x;
    if (e < 0) return art_m_copysign(0.0, x);
    return dfrom(u & ~((1ull << (52 - e)) - 1));
}
float art_m_truncf(float x) {
    uint32_t u = fbits(x);
    int e = (int)((u >> 23) & 0xff) - 127;
    if (e >= 23) return x != x ? x + x : x;
    if (e < 0) return art_m_copysignf(0.0f, x);
    return ffrom(u & ~((1u << (23 - e)) - 1));
}

double art_m_floor(double x) { double t = art_m_trunc(x); return t > x ? t - 1.0 : t; }
float art_m_floorf(float x) { float t = art_m_truncf(x); return t > x ? t - 1.0f : t; }
double art_m_ceil(double x) { double t = art_m_trunc(x); return t < x ? t + 1.0 : t; }
float art_m_ceilf(float x) { float t = art_m_truncf(x); return t < x ? t + 1.0f : t; }

/* Adding and removing 2^52 leaves an integer rounded to nearest, ties to even (below
   2^52 the sum has no fraction bits left). The sign is put back for -0 results. */
double art_m_roundeven(double x) {
    double y = art_m_fabs(x);
    if (!(y < TWO52)) return x != x ? x + x : x;
    return art_m_copysign((y + TWO52) - TWO52, x);
}
float art_m_roundevenf(float x) {
    float y = art_m_fabsf(x);
    if (!(y < TWO23)) return x != x ? x + x : x;
    return art_m_copysignf((y + TWO23) - TWO23, x);
}

/* Ties away from zero; x - trunc(x) is exact. */
double art_m_round(double x) {
    double t = art_m_trunc(x);
    return art_m_fabs(x - t) >= 0.5 ? t + art_m_copysign(1.0, x) : t;
}
float art_m_roundf(float x) {
    float t = art_m_truncf(x);
    return art_m_fabsf(x - t) >= 0.5f ? t + art_m_copysignf(1.0f, x) : t;
}

double art_m_sqrt(double x) { return _mm_cvtsd_f64(_mm_sqrt_sd(_mm_set_sd(x), _mm_set_sd(x))); }
float art_m_sqrtf(float x) { return _mm_cvtss_f32(_mm_sqrt_ss(_mm_set_ss(x))); }

/* C's fmin/fmax: a NaN operand is ignored; -0 is below +0. */
double art_m_fmin(double a, double b) {
    if (a != a) return b;
    if (b != b || a < b) return a;
    return b < a ? b : dfrom(dbits(a) | dbits(b));
}
float art_m_fminf(float a, float b) {
    if (a != a) return b;
    if (b != b || a < b) return a;
    return b < a ? b : ffrom(fbits(a) | fbits(b));
}
double art_m_fmax(double a, double b) {
    if (a != a) return b;
    if (b != b || a > b) return a;
    return b > a ? b : dfrom(dbits(a) & dbits(b));
}
float art_m_fmaxf(float a, float b) {
    if (a != a) return b;
    if (b != b || a > b) return a;
    return b > a ? b : ffrom(fbits(a) & fbits(b));
}

/* Fused multiply-add only with the instruction: a correctly rounded software fma is
   not worth it, since LLVM calls fma only for llvm.fma, which only code compiled for
   an FMA-capable CPU would have (libcalls.c offers these only on such CPUs). */
__attribute__((target("fma"))) double art_m_fma(double a, double b, double c) {
    return _mm_cvtsd_f64(_mm_fmadd_sd(_mm_set_sd(a), _mm_set_sd(b), _mm_set_sd(c)));
}
__attribute__((target("fma"))) float art_m_fmaf(float a, float b, float c) {
    return _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(a), _mm_set_ss(b), _mm_set_ss(c)));
}
