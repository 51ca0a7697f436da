/* test_artifact_sha256: tb_sha256 against the FIPS 180-4 / NIST example vectors, split
   updates, and the CPU feature helpers the artifact records. */
#include <stdio.h>
#include "test.h"
#include "../../src/base/sha256.h"
#include "../../src/artifact/artifact.h"

static bool hex_is(const uint8_t d[32], const char *hex) {
    char got[65];
    for (int i = 0; i < 32; i++) snprintf(got + 2 * i, 3, "%02x", d[i]);
    if (strcmp(got, hex) != 0) { printf("  got %s\n", got); return false; }
    return true;
}

static const struct { const char *msg, *hex; } vectors[] = {
    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
     "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
};

/* Both the SHA-instruction path (where the CPU has it) and the portable one. */
TEST(artifact_sha256_vectors) {
    for (int hw = 1; hw >= 0; hw--) {
        bool on = tb_sha256_use_hw(hw);
        if (hw && !on) printf("  (this CPU has no SHA instructions: portable code only)\n");
        uint8_t d[32];
        for (size_t i = 0; i < TB_ARRAY_LEN(vectors); i++) {
            tb_sha256(vectors[i].msg, strlen(vectors[i].msg), d);
            CHECK(hex_is(d, vectors[i].hex));
        }
        static uint8_t a[1000];
        memset(a, 'a', sizeof a);
        tb_sha256_ctx c;
        tb_sha256_init(&c);
        for (int i = 0; i < 1000; i++) tb_sha256_update(&c, a, 1000);
        tb_sha256_final(&c, d);
        CHECK(hex_is(d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    }
    tb_sha256_use_hw(true);
}

TEST(artifact_sha256_split_updates_agree) {
    uint8_t msg[300], whole[32], parts[32], portable[32];
    for (int i = 0; i < 300; i++) msg[i] = (uint8_t)(i * 7 + 3);
    for (size_t len = 0; len <= 300; len += 13) {
        tb_sha256_use_hw(false);
        tb_sha256(msg, len, portable);
        tb_sha256_use_hw(true);
        tb_sha256(msg, len, whole);
        CHECK(memcmp(whole, portable, 32) == 0);
        for (size_t cut = 0; cut <= len; cut += 5) {
            tb_sha256_ctx c;
            tb_sha256_init(&c);
            tb_sha256_update(&c, msg, cut);
            tb_sha256_update(&c, msg + cut, len - cut);
            tb_sha256_final(&c, parts);
            CHECK(memcmp(whole, parts, 32) == 0);
        }
    }
}

static bool at_prefix(const char *s, const char *p) { return !strncmp(s, p, strlen(p)); }

TEST(artifact_cpu_levels) {
    uint64_t v1, v2, v3, v4, native;
    CHECK(art_cpu_target("x86-64", &v1) && v1 == 0);
    CHECK(art_cpu_target("x86-64-v2", &v2) && art_cpu_target("x86-64-v3", &v3));
    CHECK(art_cpu_target("x86-64-v4", &v4));
    CHECK((v2 & v3) == v2 && (v3 & v4) == v3 && v2 != v3 && v3 != v4);
    CHECK(v2 & ART_CPU_SSE42 && v3 & ART_CPU_AVX2 && v4 & ART_CPU_AVX512VL);
    CHECK(art_cpu_target("native", &native) && native == art_cpu_host());
    CHECK(!art_cpu_target("pentium", &native) && !art_cpu_target(NULL, &native));
    /* a machine running SSE2-era code has at least v1; AVX2 needs AVX */
    uint64_t h = art_cpu_host();
    CHECK(!(h & ART_CPU_AVX2) || (h & ART_CPU_AVX));
    CHECK(!(h & ART_CPU_AVX512F) || (h & ART_CPU_AVX));
    char buf[200];
    CHECK(!strcmp(art_cpu_names(ART_CPU_AVX2 | ART_CPU_SSE41, buf, sizeof buf), "sse4.1,avx2"));
    CHECK(!strcmp(art_cpu_names(1ull << 40, buf, sizeof buf), "bit40"));
    CHECK(!strcmp(art_cpu_names(0, buf, sizeof buf), ""));
    CHECK(strlen(art_cpu_names(~0ull, buf, 20)) < 20);
    char feats[1024];
    CHECK(art_cpu_llvm_features(ART_CPU_SSE3 | ART_CPU_AVX512BF16, feats, sizeof feats));
    CHECK(at_prefix(feats, "+sse3,-ssse3,-sse4.1,") && strstr(feats, ",+avx512bf16,"));
    CHECK(strstr(feats, ",-sahf") && !strstr(feats, ",+bit") && !strstr(feats, ",-bit"));
    CHECK(!art_cpu_llvm_features(0, feats, 40));
}
