/* test_artifact_file: artifacts that must be refused before any code runs: corrupted
   bytes, truncation, another taho version or format, CPU features this machine lacks,
   a wrong magic, a module that does not match its hash. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "test.h"
#include "test_artifact.h"
#include "../../src/base/sha256.h"
#include "taho.h"

static const uint8_t wasm[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 0xaa};

static art_meta meta_ok(void) {
    art_meta m = {.tier_abi = RT_TIER_ABI, .features = art_cpu_host()};
    snprintf(m.taho_version, sizeof m.taho_version, "%s", TAHO_VERSION);
    snprintf(m.target, sizeof m.target, "native");
    tb_sha256(wasm, sizeof wasm, m.wasm_sha256);
    return m;
}

/* An artifact of the test program with meta m (tb_malloc'd). */
static uint8_t *encoded(const art_meta *m, size_t *len) {
    art_image img;
    tb_error err = {0};
    if (!at_link_program(&img, &err)) return NULL;
    uint8_t *b = NULL;
    if (!art_encode(&img, m, wasm, sizeof wasm, &b, len, &err)) b = NULL;
    art_image_free(&img);
    return b;
}

/* Open must fail with a message containing want (no native is ever made). */
static bool refused(const uint8_t *b, size_t len, const char *want) {
    art_file *f = NULL;
    tb_error err = {0};
    if (art_open_bytes(b, len, &f, &err)) { art_close(f); printf("  accepted\n"); return false; }
    if (!strstr(err.msg, want) || !at_starts_with(err.msg, "artifact: ")) {
        printf("  message: %s (wanted %s)\n", err.msg, want);
        return false;
    }
    return f == NULL;
}

static uint64_t meta_off(const uint8_t *b) {
    Elf64_Shdr sh;
    return at_section(b, ".taho.meta", &sh) > 0 ? sh.sh_offset : 0;
}

TEST(artifact_refuses_flipped_code_byte) {
    art_meta m = meta_ok();
    size_t len;
    uint8_t *b = encoded(&m, &len);
    CHECK(b);
    b[ART_IMAGE_FILE_OFF + 5] ^= 0x40;
    CHECK(refused(b, len, "corrupted (checksum mismatch)"));
    tb_free(b);
}

TEST(artifact_refuses_flipped_meta_and_module_bytes) {
    art_meta m = meta_ok();
    size_t len;
    uint8_t *b = encoded(&m, &len);
    CHECK(b);
    uint64_t mo = meta_off(b);
    CHECK(mo);
    b[mo + offsetof(art_meta_hdr, cpu) + 3] ^= 1;
    CHECK(refused(b, len, "corrupted (checksum mismatch)"));
    b[mo + offsetof(art_meta_hdr, cpu) + 3] ^= 1;
    b[len - 1] ^= 0x80;                        /* the section table */
    CHECK(refused(b, len, "checksum mismatch") || refused(b, len, "artifact: "));
    b[len - 1] ^= 0x80;
    art_meta_hdr h;
    memcpy(&h, b + mo, sizeof h);
    b[h.wasm_off + 2] ^= 4;
    CHECK(refused(b, len, "corrupted (checksum mismatch)"));
    CHECK(art_checksum_fix(b, len));           /* consistent bytes, wrong module */
    CHECK(refused(b, len, "the embedded module does not match its sha256"));
    tb_free(b);
}

TEST(artifact_refuses_truncated) {
    art_meta m = meta_ok();
    size_t len;
    uint8_t *b = encoded(&m, &len);
    CHECK(b);
    size_t cuts[] = {len - 1, len - 64, len / 2, 5000, 4096, 100, 64, 10, 4};
    for (size_t i = 0; i < TB_ARRAY_LEN(cuts); i++) CHECK(refused(b, cuts[i], "truncated"));
    CHECK(refused(b, 3, "not an ELF file"));
    CHECK(refused(b, 0, "not an ELF file"));
    tb_free(b);
}

TEST(artifact_refuses_other_taho_version) {
    art_meta m = meta_ok();
    snprintf(m.taho_version, sizeof m.taho_version, "0.0.9");
    size_t len;
    uint8_t *b = encoded(&m, &len);
    CHECK(b);
    char want[80];
    snprintf(want, sizeof want, "made by taho 0.0.9, this is %s: recompile it", TAHO_VERSION);
    CHECK(refused(b, len, want));
    tb_free(b);
    m = meta_ok();
    m.tier_abi = RT_TIER_ABI + 1;
    CHECK((b = encoded(&m, &len)));
    CHECK(refused(b, len, "ABI"));
    tb_free(b);
    m = meta_ok();
    m.checks = 4;                              /* a check this build does not know */
    CHECK((b = encoded(&m, &len)));
    CHECK(refused(b, len, "unknown checks 0x4"));
    tb_free(b);
}

/* The checks a file records come back as written (module.c compares them with the
   engine's settings). */
TEST(artifact_keeps_its_checks) {
    for (uint32_t c = 0; c <= (RT_CHECK_FUEL | RT_CHECK_EPOCH); c++) {
        art_meta m = meta_ok();
        m.checks = c;
        size_t len;
        uint8_t *b = encoded(&m, &len);
        CHECK(b);
        art_file *f = NULL;
        tb_error err = {0};
        CHECK(art_open_bytes(b, len, &f, &err));
        CHECK_EQ(art_file_meta(f)->checks, c);
        CHECK(art_file_checks_match(f, c, &err));
        CHECK(!art_file_checks_match(f, c ^ RT_CHECK_FUEL, &err));
        CHECK(strstr(err.msg, "fuel checks"));
        art_close(f);
        tb_free(b);
    }
}

TEST(artifact_refuses_missing_cpu_feature) {
    uint64_t host = art_cpu_host(), bit = 0;
    for (unsigned i = 0; i < ART_CPU_NFEATURES && !bit; i++)
        if (!(host >> i & 1)) bit = 1ull << i;
    if (!bit) bit = 1ull << 40;                /* a host with every feature we name */
    art_meta m = meta_ok();
    m.features = host | bit;
    size_t len;
    uint8_t *b = encoded(&m, &len);
    CHECK(b);
    char names[64], want[120];
    snprintf(want, sizeof want, "compiled for CPU features %s which this machine lacks",
             art_cpu_names(bit, names, sizeof names));
    CHECK(refused(b, len, want));
    tb_free(b);
}

TEST(artifact_refuses_wrong_magic_and_format) {
    art_meta m = meta_ok();
    size_t len;
    uint8_t *b = encoded(&m, &len);
    CHECK(b);
    uint64_t mo = meta_off(b);
    b[mo] = 'X';
    CHECK(art_is_artifact(b, len));            /* an ELF file: art_open tells what is wrong */
    CHECK(refused(b, len, "not a taho artifact (bad magic in .taho.meta)"));
    b[mo] = ART_MAGIC[0];
    uint32_t fmt = ART_FORMAT + 1;
    memcpy(b + mo + 8, &fmt, 4);
    CHECK(art_checksum_fix(b, len));
    char want[80];
    snprintf(want, sizeof want, "artifact format %u, this taho reads format %u: recompile it",
             fmt, (unsigned)ART_FORMAT);
    CHECK(refused(b, len, want));
    b[0] = 0;
    CHECK(!art_is_artifact(b, len));
    CHECK(refused(b, len, "not an ELF file"));
    tb_free(b);
}

/* Inconsistent tables with a valid checksum (what only a crafted file has) are still
   refused: the checksum is not the only line of defence. */
TEST(artifact_refuses_crafted_layout) {
    art_meta m = meta_ok();
    size_t len;
    uint8_t *b = encoded(&m, &len);
    CHECK(b);
    uint64_t mo = meta_off(b);
    art_meta_hdr h0, h;
    memcpy(&h0, b + mo, sizeof h0);
    h = h0; h.text_len = h.ro_off + 1;
    memcpy(b + mo, &h, sizeof h); CHECK(art_checksum_fix(b, len));
    CHECK(refused(b, len, "corrupted (image parts)"));
    h = h0; h.nfuncs = 1u << 30;
    memcpy(b + mo, &h, sizeof h); CHECK(art_checksum_fix(b, len));
    CHECK(refused(b, len, "corrupted (meta tables)"));
    h = h0; h.wasm_len = len;
    memcpy(b + mo, &h, sizeof h); CHECK(art_checksum_fix(b, len));
    CHECK(refused(b, len, "corrupted (module bytes)"));
    memcpy(b + mo, &h0, sizeof h0);
    art_meta_func fn;                          /* function 0 pointing past the code */
    memcpy(&fn, b + mo + h0.funcs_off, sizeof fn);
    fn.off = h0.text_len;
    fn.size = 8;
    memcpy(b + mo + h0.funcs_off, &fn, sizeof fn); CHECK(art_checksum_fix(b, len));
    CHECK(refused(b, len, "corrupted (function 0 outside the code)"));
    tb_free(b);
}

TEST(artifact_open_names_the_file) {
    art_meta m = meta_ok();
    snprintf(m.taho_version, sizeof m.taho_version, "0.0.9");
    size_t len;
    uint8_t *b = encoded(&m, &len);
    CHECK(b);
    const char *dir = at_tmpdir();
    CHECK(dir);
    char path[128], cmd[160];
    snprintf(path, sizeof path, "%s/app.taho", dir);
    FILE *f = fopen(path, "wb");
    CHECK(f);
    fwrite(b, 1, len, f);
    fclose(f);
    tb_free(b);
    art_file *af;
    tb_error err = {0};
    CHECK(!art_open(path, &af, &err));
    char want[200];
    snprintf(want, sizeof want, "%s: made by taho 0.0.9, this is %s: recompile it", path,
             TAHO_VERSION);
    CHECK(strcmp(err.msg, want) == 0);
    CHECK(truncate(path, 3000) == 0);
    CHECK(!art_open(path, &af, &err));
    CHECK(at_starts_with(err.msg, path) && strstr(err.msg, ": truncated"));
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    (void)!system(cmd);
}

TEST(artifact_open_refuses_what_is_not_a_file) {
    art_file *f;
    tb_error err = {0};
    CHECK(!art_open("/tmp", &f, &err));
    CHECK(!strcmp(err.msg, "/tmp: not a regular file") && err.kind == TB_ERR_IO);
    CHECK(!art_open("/nonexistent.taho", &f, &err));
    CHECK(!strcmp(err.msg, "/nonexistent.taho: No such file or directory"));
}
