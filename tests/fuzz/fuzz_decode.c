/* fuzz_decode: libFuzzer target for the decoder alone. Hostile bytes must give an error
   value, never a crash, leak or UB; a decoded module must keep the model's invariants.
   Build: clang-19 -fsanitize=fuzzer,address,undefined -Iinclude tests/fuzz/fuzz_decode.c
          src/{base,wasm,decode}/ *.c */
#include "../../src/decode/decode.h"
#include "../../src/decode/reader.h"
#include <stdlib.h>

#define REQUIRE(c) do { if (!(c)) abort(); } while (0)

static bool inside(const tw_module *m, const uint8_t *p, size_t n) {
    return p >= m->bytes && p + n <= m->bytes + m->size;
}

/* Every body re-reads cleanly with dec_instr_next and ends at its last byte. */
static void check_bodies(const tw_module *m) {
    for (uint32_t i = 0; i < m->nfuncs - m->nimported_funcs; i++) {
        const tw_func *f = &m->funcs[i];
        REQUIRE(f->code_len > 0 && inside(m, f->code, f->code_len));
        REQUIRE(f->code_offset == (uint32_t)(f->code - m->bytes));
        REQUIRE(f->code[f->code_len - 1] == 0x0B);
        dec_reader r = {.p = f->code, .end = f->code + f->code_len, .base = m->bytes};
        dec_instr in;
        while (!dec_at_end(&r)) REQUIRE(dec_instr_next(&r, &in, NULL));
        REQUIRE(r.p == r.end);
    }
}

static void check_model(const tw_module *m) {
    REQUIRE(m->nimported_funcs <= m->nfuncs && m->nimported_tables <= m->ntables);
    REQUIRE(m->nimported_mems <= m->nmems && m->nimported_globals <= m->nglobals);
    for (uint32_t i = 1; i < m->nrefs; i++) REQUIRE(m->refs[i - 1] < m->refs[i]);
    for (uint32_t i = 1; i < m->nfuncnames; i++) REQUIRE(m->funcnames[i - 1].index < m->funcnames[i].index);
    for (uint32_t i = 0; i < m->ndatas; i++) REQUIRE(inside(m, m->datas[i].bytes, m->datas[i].len));
    for (uint32_t i = 0; i < m->ncustoms; i++) REQUIRE(inside(m, m->customs[i].bytes, m->customs[i].len));
    for (uint32_t i = 0; i < m->nimports; i++) REQUIRE(m->imports[i].name.s[m->imports[i].name.len] == 0);
    if (m->has_data_count) REQUIRE(m->data_count == m->ndatas);
    check_bodies(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    tw_module *m;
    tb_error err;
    if (dec_module(data, size, &m, &err)) {
        check_model(m);
        tw_module_free(m);
    } else {
        REQUIRE(err.kind == TB_ERR_MALFORMED || err.kind == TB_ERR_LIMIT || err.kind == TB_ERR_OOM);
        REQUIRE(err.kind != TB_ERR_MALFORMED || err.offset <= size);
    }
    return 0;
}
