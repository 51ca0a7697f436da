/* test_api_file: modules from files (taho_module_from_file) and the interpreter's
   lowering at a function's first call (interp_prepare / interp_lower_now). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "taho.h"
#include "../../src/decode/decode.h"
#include "../../src/interp/internal.h"
#include "../../src/validate/validate.h"
#include "test.h"

/* (module (func (export "f") (result i32) i32.const 42) (func (result i32) i32.const 7)) */
static const uint8_t two_funcs[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
    0x03, 0x03, 0x02, 0x00, 0x00,
    0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00,
    0x0a, 0x0b, 0x02, 0x04, 0x00, 0x41, 0x2a, 0x0b, 0x04, 0x00, 0x41, 0x07, 0x0b,
};

/* A temporary file holding n bytes of p; its path in buf. */
static bool temp_file(char *buf, size_t cap, const void *p, size_t n) {
    snprintf(buf, cap, "/tmp/taho-test-XXXXXX");
    int fd = mkstemp(buf);
    if (fd < 0) return false;
    bool ok = write(fd, p, n) == (ssize_t)n;
    close(fd);
    return ok;
}

static int32_t call_f(taho_engine *e, taho_module *m) {
    taho_store *s = taho_store_new(e);
    taho_linker *l = taho_linker_new(e);
    taho_instance *inst = NULL;
    taho_extern f;
    taho_val r = {TAHO_I32, .of.i32 = -1};
    taho_trap *t = NULL;
    taho_error *err = taho_linker_instantiate(l, s, m, &inst, NULL);
    if (!err && taho_instance_export(inst, "f", &f))
        err = taho_func_call(s, f.of.func, NULL, 0, &r, 1, &t);
    if (err) taho_error_delete(err);
    if (t) taho_trap_delete(t);
    taho_linker_delete(l);
    taho_store_delete(s);
    return r.of.i32;
}

TEST(api_module_from_file_reads_and_runs) {
    char path[64];
    CHECK(temp_file(path, sizeof path, two_funcs, sizeof two_funcs));
    taho_engine *e = taho_engine_new(NULL);
    taho_module *m = NULL;
    taho_error *err = taho_module_from_file(e, path, &m);
    unlink(path);
    CHECK(!err && m);
    CHECK_EQ(call_f(e, m), 42);
    taho_module_delete(m);
    taho_engine_delete(e);
}

/* The error names the file and the reason; nothing is left behind (ASan). */
static void expect_error(const char *path, taho_error_kind kind, const char *text) {
    taho_engine *e = taho_engine_new(NULL);
    taho_module *m = (taho_module *)1;
    taho_error *err = taho_module_from_file(e, path, &m);
    CHECK(err && !m);
    CHECK_EQ(taho_error_kind_of(err), kind);
    CHECK(strstr(taho_error_message(err), text));
    taho_error_delete(err);
    taho_engine_delete(e);
}

TEST(api_module_from_file_errors) {
    expect_error("/nonexistent/x.wasm", TAHO_ERROR_IO, "cannot read '/nonexistent/x.wasm': No such file");
    expect_error("/tmp", TAHO_ERROR_IO, "Is a directory");
    char path[64];
    static const uint8_t bad[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x7f};
    CHECK(temp_file(path, sizeof path, bad, sizeof bad));
    expect_error(path, TAHO_ERROR_MALFORMED, "");
    unlink(path);
    CHECK(temp_file(path, sizeof path, "", 0));
    expect_error(path, TAHO_ERROR_MALFORMED, "");
    unlink(path);
    taho_engine *e = taho_engine_new(NULL);
    taho_module *m;
    taho_error *err = taho_module_from_file(e, NULL, &m);
    CHECK(err && taho_error_kind_of(err) == TAHO_ERROR_ARG);
    taho_error_delete(err);
    taho_engine_delete(e);
}

/* A taken buffer belongs to the module, or is freed when decoding fails (ASan/LSan
   would report a leak or a double free). */
TEST(decode_takes_or_borrows_bytes) {
    tw_module *m;
    tb_error err;
    uint8_t *p = tb_malloc(sizeof two_funcs);
    memcpy(p, two_funcs, sizeof two_funcs);
    CHECK(dec_module_from(p, sizeof two_funcs, DEC_TAKE, &m, &err));
    CHECK(m->bytes == p);
    tw_module_free(m);
    p = tb_malloc(4);
    memcpy(p, "\0asn", 4);
    CHECK(!dec_module_from(p, 4, DEC_TAKE, &m, &err) && !m);
    CHECK(dec_module_from(two_funcs, sizeof two_funcs, DEC_BORROW, &m, &err));
    CHECK(m->bytes == two_funcs);
    tw_module_free(m);
}

static interp_module *prepared(tw_module **m) {
    tb_error err;
    interp_module *im = NULL;
    if (!dec_module(two_funcs, sizeof two_funcs, m, &err)) return NULL;
    if (!val_module(*m, &err) || !interp_prepare(*m, 0, &im, &err)) {
        tw_module_free(*m);
        return NULL;
    }
    return im;
}

TEST(interp_lowers_at_first_use) {
    tw_module *m;
    interp_module *im = prepared(&m);
    CHECK(im);
    CHECK(!interp_code(&im->funcs[0]) && !interp_code(&im->funcs[1]));
    tb_error err;
    const icell *c = interp_lower_now(im, &im->funcs[1], &err);
    CHECK(c && interp_code(&im->funcs[1]) == c && !interp_code(&im->funcs[0]));
    CHECK_EQ(im->funcs[1].funcidx, 1);
    CHECK(im->funcs[1].ncells > 0 && im->funcs[1].frame_slots >= INTERP_ZERO_MIN);
    CHECK(interp_lower_now(im, &im->funcs[1], &err) == c);   /* once */
    interp_module_free(im);
    tw_module_free(m);
}

typedef struct race { interp_module *im; const icell *got[2]; } race;

static void *lower_both(void *p) {
    race *r = p;
    tb_error err;
    for (int i = 1; i >= 0; i--) r->got[i] = interp_lower_now(r->im, &r->im->funcs[i], &err);
    return NULL;
}

/* Threads that call a function first at the same time all get the one lowering. */
TEST(interp_lowering_races_to_one_result) {
    tw_module *m;
    interp_module *im = prepared(&m);
    CHECK(im);
    race r[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        r[i].im = im;
        CHECK(pthread_create(&t[i], NULL, lower_both, &r[i]) == 0);
    }
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 2; k++) CHECK(r[i].got[k] && r[i].got[k] == interp_code(&im->funcs[k]));
    interp_module_free(im);
    tw_module_free(m);
}
