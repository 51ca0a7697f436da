/* test_artifact_mathcalls: our libm replacements (what compiled code calls for
   rounding without SSE4.1) agree bit for bit with glibc's libm on special values,
   halfway cases, the edges of 2^52/2^23 and many random inputs. */
#include <math.h>
#include <stdio.h>
#include "test.h"
#include "../../src/artifact/internal.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

static bool same_d(double a, double b) {
    if (a != a || b != b) return a != a && b != b;
    return memcmp(&a, &b, 8) == 0;
}
static bool same_f(float a, float b) {
    if (a != a || b != b) return a != a && b != b;
    return memcmp(&a, &b, 4) == 0;
}

static const double specials[] = {
    0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994,
    1.0, -1.0, 0x1p52, -0x1p52, 0x1p52 - 0.5, -(0x1p52 - 0.5), 0x1p52 + 1, 0x1p53, 0x1p51 + 0.5,
    -0x1p51 - 0.5, 1e300, -1e300, 5e-324, -5e-324, 2.2250738585072014e-308, INFINITY, -INFINITY,
    NAN, -NAN, 3.7, -3.7, 1234567.5, -1234566.5, 0x1.fffffffffffffp-2,
};

static bool check_d(double x) {
    double y = (double)(int64_t)next() / 1048576.0;
    bool ok = same_d(art_m_trunc(x), trunc(x)) && same_d(art_m_floor(x), floor(x)) &&
              same_d(art_m_ceil(x), ceil(x)) && same_d(art_m_roundeven(x), nearbyint(x)) &&
              same_d(art_m_round(x), round(x)) && same_d(art_m_sqrt(x), sqrt(x)) &&
              same_d(art_m_fabs(x), fabs(x)) && same_d(art_m_copysign(y, x), copysign(y, x)) &&
              (x == y || (same_d(art_m_fmin(x, y), fmin(x, y)) &&
                          same_d(art_m_fmax(x, y), fmax(x, y))));
    if (!ok) printf("  double %a\n", x);
    return ok;
}

static bool check_f(float x) {
    float y = (float)(int32_t)next() / 4096.0f;
    bool ok = same_f(art_m_truncf(x), truncf(x)) && same_f(art_m_floorf(x), floorf(x)) &&
              same_f(art_m_ceilf(x), ceilf(x)) && same_f(art_m_roundevenf(x), nearbyintf(x)) &&
              same_f(art_m_roundf(x), roundf(x)) && same_f(art_m_sqrtf(x), sqrtf(x)) &&
              same_f(art_m_fabsf(x), fabsf(x)) &&
              same_f(art_m_copysignf(y, x), copysignf(y, x)) &&
              (x == y || (same_f(art_m_fminf(x, y), fminf(x, y)) &&
                          same_f(art_m_fmaxf(x, y), fmaxf(x, y))));
    if (!ok) printf("  float %a\n", (double)x);
    return ok;
}

TEST(artifact_mathcalls_match_libm) {
    for (size_t i = 0; i < TB_ARRAY_LEN(specials); i++) {
        CHECK(check_d(specials[i]));
        CHECK(check_f((float)specials[i]));
        CHECK(check_f((float)specials[i] * 0x1p-29f));   /* near 2^23 for floats */
    }
    for (int i = 0; i < 200000; i++) {
        uint64_t u = next();
        double d;
        memcpy(&d, &u, 8);
        CHECK(check_d(d));                                 /* any bits */
        CHECK(check_d((double)(int64_t)u / (double)(1ull << (u & 63))));  /* with fractions */
        uint32_t v = (uint32_t)u;
        float f;
        memcpy(&f, &v, 4);
        CHECK(check_f(f));
        CHECK(check_f((float)(int32_t)v / (float)(1u << (v & 31))));
    }
}

TEST(artifact_mathcalls_signed_zero_and_nan) {
    CHECK(signbit(art_m_fmin(-0.0, 0.0)) && signbit(art_m_fmin(0.0, -0.0)));
    CHECK(!signbit(art_m_fmax(-0.0, 0.0)) && !signbit(art_m_fmax(0.0, -0.0)));
    CHECK(art_m_fmin(NAN, 2.0) == 2.0 && art_m_fmax(3.0, NAN) == 3.0);
    uint64_t snan_bits = 0x7ff0000000000001ull;   /* signalling NaN in, quiet NaN out */
    double snan, r;
    memcpy(&snan, &snan_bits, 8);
    uint64_t rb;
    r = art_m_trunc(snan);
    memcpy(&rb, &r, 8);
    CHECK(r != r && (rb & (1ull << 51)));
    r = art_m_roundeven(snan);
    memcpy(&rb, &r, 8);
    CHECK(r != r && (rb & (1ull << 51)));
    if (art_cpu_host() & ART_CPU_FMA) {
        CHECK(art_libcall("fma") && art_m_fma(0x1p-60 + 1, 0x1p-60 + 1, -1) == fma(0x1p-60 + 1, 0x1p-60 + 1, -1));
        CHECK(art_m_fmaf(1.5f, 2.0f, 0.25f) == 3.25f);
    } else {
        CHECK(!art_libcall("fma"));
    }
    CHECK(art_libcall("rint") == (void *)art_m_roundeven && !art_libcall("exp"));
}
