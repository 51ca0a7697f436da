/* test_artifact: linking real clang-19 objects into an image and running it: as the
   JIT does (art_load_image), from bytes (art_encode + art_open_bytes), from a file
   (art_write + art_open), with backtrace lookups and readelf's view of the file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "test.h"
#include "test_artifact.h"
#include "../../src/base/sha256.h"
#include "taho.h"

static const uint8_t wasm[] = {0, 'a', 's', 'm', 1, 0, 0, 0};

static art_meta test_meta(void) {
    art_meta m = {.tier_abi = RT_TIER_ABI, .features = art_cpu_host(), .opt = RT_OPT_SPEED};
    snprintf(m.taho_version, sizeof m.taho_version, "%s", TAHO_VERSION);
    snprintf(m.target, sizeof m.target, "native");
    snprintf(m.cpu, sizeof m.cpu, "test-cpu");
    tb_sha256(wasm, sizeof wasm, m.wasm_sha256);
    return m;
}

TEST(artifact_objects_have_the_relocations_under_test) {
    const at_objs *p = at_program();
    CHECK(p);
    Elf64_Shdr sh;
    CHECK(at_section(p->o[0].bytes, ".rela.rodata", &sh) > 0);   /* the jump table */
    CHECK(at_section(p->o[0].bytes, ".rela.text", &sh) > 0);
    CHECK(at_section(p->o[1].bytes, ".data", &sh) > 0);
    CHECK(at_section(p->o[1].bytes, ".bss", &sh) > 0);
}

TEST(artifact_link_and_run_as_jit) {
    art_image img;
    tb_error err = {0};
    CHECK(at_link_program(&img, &err));
    CHECK_EQ(img.nfuncs, AT_NFUNCS);
    CHECK(img.text_len > 0 && img.ro_off % 4096 == 0 && img.rw_off % 4096 == 0);
    CHECK(img.ro_len > 0 && img.ngot >= 2);
    bool named_memcpy = false, named_ceil = false;
    for (uint32_t i = 0; i < img.ngot; i++) {
        if (img.got[i].name && !strcmp(img.got[i].name, "memcpy")) named_memcpy = true;
        if (img.got[i].name && !strcmp(img.got[i].name, "ceil")) named_ceil = true;
    }
    CHECK(named_memcpy && named_ceil);
    rt_native *n;
    bool ok = art_load_image(&img, &n, &err);
    size_t img_text = img.text_len;
    art_image_free(&img);                      /* the image may go once loaded */
    CHECK(ok);
    CHECK(at_run_program(n));
    uintptr_t f1 = (uintptr_t)n->fns[1], f5 = (uintptr_t)n->fns[5];
    CHECK_EQ(n->func_at(n, f1), 1);
    CHECK_EQ(n->func_at(n, f1 + 3), 1);
    CHECK_EQ(art_native_func_at(n, f5), 5);
    CHECK_EQ(n->func_at(n, 16), -1);
    CHECK(n->code_start <= f1 && f5 < n->code_end && n->code_end - n->code_start == img_text);
    n->release(n);
}

/* The large code model reaches data and the GOT with 64-bit offsets: GOTPC64, GOTOFF64,
   GOT64, PLTOFF64. And without -fPIC's PLT: everything through the GOT. */
TEST(artifact_link_other_code_models) {
    const char *flags[] = {"-mcmodel=large", "-mcmodel=medium", "-fno-plt -O0"};
    for (size_t i = 0; i < TB_ARRAY_LEN(flags); i++) {
        at_objs p;
        CHECK(at_compile_program(flags[i], &p));
        art_image img;
        tb_error err = {0};
        bool ok = art_link(p.o, p.n, AT_NFUNCS, &img, &err);
        at_free_program(&p);
        if (!ok) printf("  %s: %s\n", flags[i], err.msg);
        CHECK(ok);
        rt_native *n;
        ok = art_load_image(&img, &n, &err);
        art_image_free(&img);
        CHECK(ok);
        CHECK(at_run_program(n));
        n->release(n);
    }
}

/* The permissions /proc/self/maps shows for the page holding p ("r-xp"...), or "". */
static const char *perms_of(const void *p) {
    static char perms[8];
    perms[0] = 0;
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f) return perms;
    unsigned long lo, hi;
    char pr[8];
    while (fscanf(f, "%lx-%lx %7s%*[^\n]", &lo, &hi, pr) == 3)
        if ((uintptr_t)p >= lo && (uintptr_t)p < hi) { snprintf(perms, sizeof perms, "%s", pr); break; }
    fclose(f);
    return perms;
}

/* Each part has its protection (code never writable, the GOT read-only once filled,
   data writable), in the JIT's mapping and in a file's; release unmaps everything. */
static bool protections_ok(const rt_native *n, const art_image *img) {
    uint8_t *base = (uint8_t *)n->fns[0] - img->fn_off[0];
    bool ok = !strcmp(perms_of(base), "r-xp") && !strcmp(perms_of(base + img->text_len - 1), "r-xp") &&
              !strcmp(perms_of(base + img->ro_off), "r--p") &&
              !strcmp(perms_of(base + img->rw_off), "r--p") &&
              !strcmp(perms_of(base + art_data_off(img->rw_off, img->ngot)), "rw-p");
    if (!ok) printf("  perms code %s ro %s got %s data %s\n", perms_of(base),
                    perms_of(base + img->ro_off), perms_of(base + img->rw_off),
                    perms_of(base + art_data_off(img->rw_off, img->ngot)));
    return ok;
}

static bool unmapped(const void *p) {
    unsigned char v;
    return mincore((void *)((uintptr_t)p & ~(uintptr_t)4095), 4096, &v) != 0 && errno == ENOMEM;
}

TEST(artifact_parts_protected_and_released) {
    art_image img;
    tb_error err = {0};
    CHECK(at_link_program(&img, &err));
    CHECK(img.ngot > 0 && img.rw_len > img.ngot * 8);      /* GOT and data both present */
    rt_native *n;
    CHECK(art_load_image(&img, &n, &err));
    CHECK(protections_ok(n, &img));
    void *code = n->fns[0];
    n->release(n);
    CHECK(unmapped(code));
    art_meta m = test_meta();
    uint8_t *bytes;
    size_t len;
    CHECK(art_encode(&img, &m, wasm, sizeof wasm, &bytes, &len, &err));
    art_file *f;
    CHECK(art_open_bytes(bytes, len, &f, &err));
    tb_free(bytes);
    CHECK(art_file_native(f, &n, &err));
    CHECK(protections_ok(n, &img));
    code = n->fns[0];
    n->release(n);
    CHECK(unmapped(code));
    art_image_free(&img);
}

TEST(artifact_loads_twice_with_separate_data) {
    art_image img;
    tb_error err = {0};
    CHECK(at_link_program(&img, &err));
    rt_native *a, *b;
    CHECK(art_load_image(&img, &a, &err));
    CHECK(art_load_image(&img, &b, &err));
    art_image_free(&img);
    CHECK(at_run_program(a));
    CHECK(at_run_program(b));                  /* counter and bss fresh in b */
    a->release(a);
    b->release(b);
}

/* The test program linked and encoded with meta m; NULL on failure. */
static uint8_t *encoded(const art_meta *m, size_t *len) {
    art_image img;
    tb_error err = {0};
    if (!at_link_program(&img, &err)) return NULL;
    uint8_t *bytes;
    bool ok = art_encode(&img, m, wasm, sizeof wasm, &bytes, len, &err);
    art_image_free(&img);
    return ok ? bytes : NULL;
}

TEST(artifact_encode_open_bytes_run) {
    tb_error err = {0};
    art_meta m = test_meta();
    size_t len;
    uint8_t *bytes = encoded(&m, &len);
    CHECK(bytes);
    CHECK(art_is_artifact(bytes, len));
    CHECK(!art_is_artifact(wasm, sizeof wasm));
    CHECK(art_is_artifact(bytes, 4) && !art_is_artifact(bytes, 3));   /* a prefix will do */
    art_file *f;
    bool ok = art_open_bytes(bytes, len, &f, &err);
    tb_free(bytes);
    if (!ok) printf("  %s\n", err.msg);
    CHECK(ok);
    const art_meta *got = art_file_meta(f);
    CHECK(!strcmp(got->taho_version, TAHO_VERSION) && !strcmp(got->cpu, "test-cpu"));
    CHECK(!strcmp(got->target, "native") && got->features == m.features);
    size_t wl;
    const uint8_t *w = art_file_wasm(f, &wl);
    CHECK(wl == sizeof wasm && !memcmp(w, wasm, wl));
    rt_native *n;
    CHECK(art_file_native(f, &n, &err));
    rt_native *again;
    CHECK(!art_file_native(f, &again, &err) && !again);   /* at most once */
    CHECK(at_run_program(n));
    w = art_file_wasm(f, &wl);                 /* still valid: the native owns f */
    CHECK(wl == sizeof wasm && !memcmp(w, wasm, wl));
    n->release(n);
}

TEST(artifact_zero_sha_is_computed) {
    tb_error err = {0};
    art_meta m = test_meta();
    memset(m.wasm_sha256, 0, 32);
    size_t len;
    uint8_t *bytes = encoded(&m, &len);
    CHECK(bytes);
    art_file *f;
    CHECK(art_open_bytes(bytes, len, &f, &err));
    tb_free(bytes);
    uint8_t want[32];
    tb_sha256(wasm, sizeof wasm, want);
    CHECK(!memcmp(art_file_meta(f)->wasm_sha256, want, 32));
    art_close(f);
}

static bool readelf_ok(const char *path) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "readelf -lSW %s 2>&1", path);
    FILE *p = popen(cmd, "r");
    if (!p) return false;
    char line[512];
    int loads = 0, meta = 0, wasm_sec = 0, text = 0, problems = 0;
    while (fgets(line, sizeof line, p)) {
        if (strstr(line, "LOAD")) loads++;
        if (strstr(line, ".taho.meta")) meta++;
        if (strstr(line, ".taho.wasm")) wasm_sec++;
        if (strstr(line, ".text")) text++;
        if (strstr(line, "Warning") || strstr(line, "Error") || strstr(line, "readelf:")) {
            printf("  %s", line);
            problems++;
        }
    }
    int rc = pclose(p);
    return rc == 0 && loads == 3 && meta >= 1 && wasm_sec >= 1 && text >= 1 && !problems;
}

TEST(artifact_write_open_run) {
    art_image img;
    tb_error err = {0};
    CHECK(at_link_program(&img, &err));
    art_meta m = test_meta();
    const char *dir = at_tmpdir();
    CHECK(dir);
    char path[128], cmd[160];
    snprintf(path, sizeof path, "%s/app.taho", dir);
    CHECK(art_write(path, &img, &m, wasm, sizeof wasm, &err));
    CHECK(!art_write("/nonexistent-dir/x.taho", &img, &m, wasm, sizeof wasm, &err));
    CHECK(err.kind == TB_ERR_IO && strstr(err.msg, "/nonexistent-dir/x.taho: "));
    art_image_free(&img);
    CHECK(readelf_ok(path)); /* readelf (binutils) is installed by scripts/setup.sh */
    art_file *f;
    CHECK(art_open(path, &f, &err));
    rt_native *n;
    CHECK(art_file_native(f, &n, &err));
    CHECK(at_run_program(n));
    n->release(n);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    (void)!system(cmd);
    CHECK(!art_open(path, &f, &err));
    CHECK(err.kind == TB_ERR_IO && at_starts_with(err.msg, path));
}

/* Every allocation failure during link, encode and open is an error, never a crash or
   a leak (ASan build). */
TEST(artifact_out_of_memory) {
    const at_objs *p = at_program();
    CHECK(p);
    art_meta m = test_meta();
    int failures = 0;
    for (uint64_t k = 1; k < 400; k++) {
        art_image img;
        tb_error err = {0};
        tb_fail_alloc_after(k);
        bool ok = art_link(p->o, p->n, AT_NFUNCS, &img, &err);
        uint8_t *bytes = NULL;
        size_t len;
        art_file *f = NULL;
        rt_native *n = NULL;
        if (ok) ok = art_encode(&img, &m, wasm, sizeof wasm, &bytes, &len, &err);
        if (ok) ok = art_open_bytes(bytes, len, &f, &err);
        if (ok) ok = art_file_native(f, &n, &err);   /* takes f, even when it fails */
        tb_fail_alloc_after(0);
        if (!ok) { CHECK(err.kind == TB_ERR_OOM); failures++; }
        if (n) n->release(n);
        tb_free(bytes);
        art_image_free(&img);
        if (ok) break;
    }
    CHECK(failures > 10);
    art_image img;
    tb_error err = {0};
    CHECK(art_link(p->o, p->n, AT_NFUNCS, &img, &err));
    for (uint64_t k = 1;; k++) {             /* the JIT's path */
        rt_native *n;
        tb_fail_alloc_after(k);
        bool ok = art_load_image(&img, &n, &err);
        tb_fail_alloc_after(0);
        if (ok) { n->release(n); break; }
        CHECK(err.kind == TB_ERR_OOM && k < 50);
    }
    art_image_free(&img);
}

/* Regression: a module that failed after its native code was attached (here: memory
   running out while it is described) freed that native, and then its caller freed it
   again. Every failure point is an error, freed once (ASan build). */
TEST(artifact_deserialize_out_of_memory) {
    art_meta m = test_meta();
    size_t len;
    uint8_t *bytes = encoded(&m, &len);
    CHECK(bytes);
    taho_engine *e = taho_engine_new(NULL);
    int failures = 0;
    for (uint64_t k = 1; k < 400; k++) {
        taho_module *mod = NULL;
        tb_fail_alloc_after(k);
        taho_error *te = taho_module_deserialize(e, bytes, len, &mod);
        tb_fail_alloc_after(0);
        if (!te) {
            CHECK(mod);
            taho_module_delete(mod);
            break;
        }
        if (taho_error_kind_of(te) != TAHO_ERROR_OOM) printf("  %s\n", taho_error_message(te));
        CHECK(taho_error_kind_of(te) == TAHO_ERROR_OOM && !mod);
        taho_error_delete(te);
        failures++;
    }
    CHECK(failures > 3 && failures < 399);
    tb_free(bytes);
    taho_engine_delete(e);
}
