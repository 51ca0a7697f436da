/* test_decode: the binary decoder: LEB128 limits, section rules, counts, segment encodings,
   code bodies, names, error messages, allocation failure and hostile input. */
#include "test.h"
#include "../../src/decode/decode.h"
#include "../../src/decode/reader.h"
#include "../../src/base/limits.h"
#include <stdlib.h>

/* ---- a tiny module builder: sections are appended with their id and LEB128 size ---- */
typedef struct buf { uint8_t b[16384]; size_t n; } buf;

static void put(buf *o, const void *p, size_t n) { memcpy(o->b + o->n, p, n); o->n += n; }
static void put_u32(buf *o, uint32_t v) {
    do { uint8_t b = v & 0x7F; v >>= 7; if (v) b |= 0x80; o->b[o->n++] = b; } while (v);
}
static void header(buf *o) { o->n = 0; put(o, "\0asm\1\0\0\0", 8); }
static void section(buf *o, uint8_t id, const char *content, size_t len) {
    o->b[o->n++] = id;
    put_u32(o, (uint32_t)len);
    put(o, content, len);
}
#define SEC(o, id, lit) section((o), (id), (lit), sizeof(lit) - 1)

static tb_error err;
static tw_module *decode(const buf *o) {
    tw_module *m = NULL;
    err = (tb_error){0};
    if (!dec_module(o->b, o->n, &m, &err)) return NULL;
    return m;
}
static bool fails_with(const buf *o, const char *phrase) {
    tw_module *m = decode(o);
    if (m) { tw_module_free(m); return false; }
    if (!strstr(err.msg, phrase)) { printf("  got: %s (want %s)\n", err.msg, phrase); return false; }
    return true;
}

/* A function type () -> (), one function, and its body. */
#define TYPE_VOID "\x01\x60\x00\x00"
#define FUNC_1 "\x01\x00"

TEST(decode_empty_module) {
    buf o; header(&o);
    tw_module *m = decode(&o);
    CHECK(m);
    CHECK_EQ(m->nfuncs, 0);
    CHECK_EQ(m->ntypes, 0);
    CHECK_EQ(m->nrefs, 0);
    CHECK_EQ(m->ncustoms, 0);
    /* empty arrays, never NULL */
    CHECK(m->types && m->imports && m->func_types && m->funcs && m->tables && m->mems);
    CHECK(m->global_types && m->globals && m->exports && m->elems && m->datas && m->refs);
    CHECK(m->funcnames && m->customs);
    tw_module_free(m);
}

TEST(decode_header_errors) {
    buf o = {.n = 0};
    CHECK(fails_with(&o, "unexpected end"));
    put(&o, "\0asm", 4);
    CHECK(fails_with(&o, "unexpected end"));
    put(&o, "\2\0\0\0", 4);
    CHECK(fails_with(&o, "unknown binary version"));
    o.n = 0; put(&o, "\0ASM\1\0\0\0", 8);
    CHECK(fails_with(&o, "magic header not detected"));
    CHECK_EQ(err.kind, TB_ERR_MALFORMED);
    CHECK_EQ(err.offset, 0);
}

TEST(decode_copies_bytes) {
    buf o; header(&o);
    SEC(&o, 1, TYPE_VOID);
    SEC(&o, 3, FUNC_1);
    SEC(&o, 10, "\x01\x02\x00\x0b");
    tw_module *m = decode(&o);
    CHECK(m);
    memset(o.b, 0xEE, o.n); /* the caller's buffer may go away */
    CHECK(m->bytes[0] == 0 && m->bytes[1] == 'a');
    CHECK_EQ(m->funcs[0].code_len, 1);
    CHECK_EQ(m->funcs[0].code[0], 0x0b);
    CHECK_EQ(m->funcs[0].code_offset, (uint32_t)(m->funcs[0].code - m->bytes));
    tw_module_free(m);
}

/* ---- LEB128 through the reader ---- */

static bool leb_u32(const char *bytes, size_t n, uint32_t *v, tb_error *e) {
    dec_reader r = {.p = (const uint8_t *)bytes, .end = (const uint8_t *)bytes + n, .base = (const uint8_t *)bytes};
    return dec_u32(&r, v, e) && r.p == r.end;
}
static bool leb_s32(const char *bytes, size_t n, int32_t *v, tb_error *e) {
    dec_reader r = {.p = (const uint8_t *)bytes, .end = (const uint8_t *)bytes + n, .base = (const uint8_t *)bytes};
    return dec_s32(&r, v, e) && r.p == r.end;
}
static bool leb_s64(const char *bytes, size_t n, int64_t *v, tb_error *e) {
    dec_reader r = {.p = (const uint8_t *)bytes, .end = (const uint8_t *)bytes + n, .base = (const uint8_t *)bytes};
    return dec_s64(&r, v, e) && r.p == r.end;
}
static bool leb_s33(const char *bytes, size_t n, int64_t *v, tb_error *e) {
    dec_reader r = {.p = (const uint8_t *)bytes, .end = (const uint8_t *)bytes + n, .base = (const uint8_t *)bytes};
    return dec_s33(&r, v, e) && r.p == r.end;
}
#define L(s) s, sizeof(s) - 1

TEST(decode_leb_u32) {
    tb_error e;
    uint32_t v;
    CHECK(leb_u32(L("\xff\xff\xff\xff\x0f"), &v, &e) && v == UINT32_MAX);
    CHECK(leb_u32(L("\x80\x80\x80\x80\x00"), &v, &e) && v == 0); /* padding is allowed */
    CHECK(!leb_u32(L("\xff\xff\xff\xff\x1f"), &v, &e) && strstr(e.msg, "integer too large"));
    CHECK(!leb_u32(L("\x80\x80\x80\x80\x80\x00"), &v, &e) && strstr(e.msg, "integer representation too long"));
    CHECK(!leb_u32(L("\x80\x80"), &v, &e) && strstr(e.msg, "unexpected end"));
}

TEST(decode_leb_signed) {
    tb_error e;
    int32_t v;
    int64_t w;
    CHECK(leb_s32(L("\x80\x80\x80\x80\x78"), &v, &e) && v == INT32_MIN);
    CHECK(leb_s32(L("\xff\xff\xff\xff\x07"), &v, &e) && v == INT32_MAX);
    CHECK(leb_s32(L("\x7f"), &v, &e) && v == -1);
    CHECK(leb_s32(L("\x3f"), &v, &e) && v == 63);
    CHECK(leb_s32(L("\x40"), &v, &e) && v == -64);
    CHECK(leb_s64(L("\x40"), &w, &e) && w == -64);
    CHECK(leb_s64(L("\x3f"), &w, &e) && w == 63);
    CHECK(leb_s64(L("\xc0\x00"), &w, &e) && w == 64);
    CHECK(leb_s32(L("\xff\xff\xff\xff\x7f"), &v, &e) && v == -1);
    CHECK(!leb_s32(L("\xff\xff\xff\xff\x4f"), &v, &e) && strstr(e.msg, "integer too large"));
    CHECK(!leb_s32(L("\x80\x80\x80\x80\x08"), &v, &e) && strstr(e.msg, "integer too large"));
    CHECK(leb_s64(L("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x7f"), &w, &e) && w == INT64_MIN);
    CHECK(leb_s64(L("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00"), &w, &e) && w == INT64_MAX);
    CHECK(!leb_s64(L("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"), &w, &e) && strstr(e.msg, "integer too large"));
    CHECK(!leb_s64(L("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00"), &w, &e) &&
          strstr(e.msg, "integer representation too long"));
    CHECK(leb_s33(L("\xff\xff\xff\xff\x0f"), &w, &e) && w == 0xFFFFFFFFll);
    CHECK(leb_s33(L("\x80\x80\x80\x80\x70"), &w, &e) && w == -(1ll << 32));
    CHECK(!leb_s33(L("\x80\x80\x80\x80\x20"), &w, &e) && strstr(e.msg, "integer too large"));
}

/* ---- sections ---- */

TEST(decode_section_order) {
    buf o; header(&o);
    SEC(&o, 3, "\x00");
    SEC(&o, 1, "\x00");
    CHECK(fails_with(&o, "unexpected content after last section"));
    header(&o);
    SEC(&o, 1, "\x00");
    SEC(&o, 1, "\x00");
    CHECK(fails_with(&o, "unexpected content after last section"));
    /* data count (12) goes between element (9) and code (10) */
    header(&o);
    SEC(&o, 12, "\x00");
    SEC(&o, 9, "\x00");
    CHECK(fails_with(&o, "unexpected content after last section"));
    header(&o);
    SEC(&o, 0, "\x01x");
    SEC(&o, 1, TYPE_VOID);
    SEC(&o, 0, "\x01y" "abc");
    SEC(&o, 3, FUNC_1);
    SEC(&o, 12, "\x00");
    SEC(&o, 0, "\x00");
    SEC(&o, 10, "\x01\x02\x00\x0b");
    SEC(&o, 11, "\x00");
    SEC(&o, 0, "\x01z");
    tw_module *m = decode(&o);
    CHECK(m);
    CHECK_EQ(m->ncustoms, 4);
    CHECK(m->customs[1].name.len == 1 && m->customs[1].name.s[0] == 'y');
    CHECK(m->customs[1].len == 3 && !memcmp(m->customs[1].bytes, "abc", 3));
    CHECK(m->has_data_count);
    tw_module_free(m);
    header(&o);
    SEC(&o, 13, "");
    CHECK(fails_with(&o, "malformed section id"));
}

TEST(decode_section_sizes) {
    buf o; header(&o);
    SEC(&o, 1, TYPE_VOID "\x00"); /* one byte too many */
    CHECK(fails_with(&o, "section size mismatch"));
    CHECK(strstr(err.msg, "section 'type'"));
    header(&o);
    put(&o, "\x01\x05\x01\x60\x00\x00", 6); /* declares more than the file has */
    CHECK(fails_with(&o, "length out of bounds"));
    header(&o);
    SEC(&o, 1, "\x02\x60\x00\x00"); /* count 2, one given */
    CHECK(fails_with(&o, "unexpected end"));
    header(&o);
    SEC(&o, 1, "\xff\xff\xff\xff\x0f"); /* absurd count: refused before allocating */
    CHECK(fails_with(&o, "unexpected end"));
    header(&o);
    SEC(&o, 0, "\x05" "ab"); /* custom section name longer than the section */
    CHECK(!decode(&o));
}

TEST(decode_function_code_counts) {
    buf o; header(&o);
    SEC(&o, 1, TYPE_VOID);
    SEC(&o, 3, FUNC_1);
    CHECK(fails_with(&o, "function and code section have inconsistent lengths"));
    header(&o);
    SEC(&o, 1, TYPE_VOID);
    SEC(&o, 10, "\x01\x02\x00\x0b");
    CHECK(fails_with(&o, "function and code section have inconsistent lengths"));
    header(&o);
    SEC(&o, 1, TYPE_VOID);
    SEC(&o, 3, "\x00");
    SEC(&o, 10, "\x00");
    tw_module *m = decode(&o);
    CHECK(m);
    tw_module_free(m);
}

TEST(decode_data_count) {
    buf o; header(&o);
    SEC(&o, 5, "\x01\x00\x01");
    SEC(&o, 12, "\x02");
    SEC(&o, 11, "\x01\x01\x00");
    CHECK(fails_with(&o, "data count and data section have inconsistent lengths"));
    header(&o);
    SEC(&o, 5, "\x01\x00\x01");
    SEC(&o, 12, "\x01");
    CHECK(fails_with(&o, "data count and data section have inconsistent lengths"));
    /* data.drop without a data count section */
    header(&o);
    SEC(&o, 1, TYPE_VOID);
    SEC(&o, 3, FUNC_1);
    SEC(&o, 5, "\x01\x00\x01");
    SEC(&o, 10, "\x01\x05\x00\xfc\x09\x00\x0b");
    SEC(&o, 11, "\x01\x01\x00");
    CHECK(fails_with(&o, "data count section required"));
}

TEST(decode_imports_and_index_spaces) {
    buf o; header(&o);
    SEC(&o, 1, TYPE_VOID);
    SEC(&o, 2, "\x04"
               "\x01m\x01" "f\x00\x00"
               "\x01m\x01" "t\x01\x70\x01\x01\x02"
               "\x01m\x01" "M\x02\x00\x01"
               "\x01m\x01" "g\x03\x7f\x01");
    SEC(&o, 3, FUNC_1);
    SEC(&o, 4, "\x01\x6f\x00\x05");
    SEC(&o, 6, "\x01\x7e\x00\x42\x07\x0b");
    SEC(&o, 7, "\x02\x01" "a\x00\x01\x01" "b\x03\x01");
    SEC(&o, 8, "\x01");
    SEC(&o, 10, "\x01\x02\x00\x0b");
    tw_module *m = decode(&o);
    CHECK(m);
    CHECK_EQ(m->nimports, 4);
    CHECK_EQ(m->nfuncs, 2);
    CHECK_EQ(m->nimported_funcs, 1);
    CHECK_EQ(m->ntables, 2);
    CHECK_EQ(m->tables[0].elem, TW_FUNCREF);
    CHECK(m->tables[0].lim.has_max && m->tables[0].lim.max == 2);
    CHECK_EQ(m->tables[1].elem, TW_EXTERNREF);
    CHECK(!m->tables[1].lim.has_max && m->tables[1].lim.min == 5);
    CHECK_EQ(m->nmems, 1);
    CHECK_EQ(m->nglobals, 2);
    CHECK(m->global_types[0].type == TW_I32 && m->global_types[0].mut);
    CHECK(m->global_types[1].type == TW_I64 && !m->global_types[1].mut);
    CHECK(m->globals[0].init.op == TW_CONST_I64 && m->globals[0].init.bits[0] == 7);
    CHECK(m->has_start && m->start == 1);
    CHECK(m->nrefs == 1 && m->refs[0] == 1); /* the exported function */
    CHECK(!strcmp(m->imports[1].name.s, "t")); /* names are NUL-terminated copies */
    tw_module_free(m);
}

TEST(decode_import_errors) {
    buf o; header(&o);
    SEC(&o, 2, "\x01\x01m\x01" "f\x05\x00");
    CHECK(fails_with(&o, "malformed import kind"));
    CHECK(strstr(err.msg, "section 'import' at 0xf"));
    header(&o);
    SEC(&o, 2, "\x01\x01m\x01" "g\x03\x7f\x02");
    CHECK(fails_with(&o, "malformed mutability"));
    header(&o);
    SEC(&o, 2, "\x01\x01\xff\x01" "g\x03\x7f\x00");
    CHECK(fails_with(&o, "malformed UTF-8 encoding"));
    header(&o);
    SEC(&o, 2, "\x01\x01m\x01" "t\x01\x71\x00\x00");
    CHECK(fails_with(&o, "malformed reference type"));
    header(&o);
    SEC(&o, 5, "\x01\x02\x00\x00");
    CHECK(fails_with(&o, "integer too large"));
    header(&o);
    SEC(&o, 5, "\x01\x81\x00\x00");
    CHECK(fails_with(&o, "integer representation too long"));
}

/* ---- element segments: all eight encodings ---- */

TEST(decode_element_encodings) {
    buf o; header(&o);
    SEC(&o, 1, TYPE_VOID);
    SEC(&o, 3, "\x03\x00\x00\x00");
    SEC(&o, 4, "\x01\x70\x00\x01");
    SEC(&o, 9, "\x08"
               "\x00\x41\x00\x0b\x01\x00"                    /* 0: active table 0, funcidx */
               "\x01\x00\x01\x01"                            /* 1: passive, elemkind, funcidx */
               "\x02\x00\x41\x01\x0b\x00\x01\x02"            /* 2: active table, elemkind */
               "\x03\x00\x01\x00"                            /* 3: declarative */
               "\x04\x41\x02\x0b\x02\xd2\x01\x0b\xd0\x70\x0b" /* 4: active, exprs */
               "\x05\x6f\x01\xd0\x6f\x0b"                    /* 5: passive, reftype, exprs */
               "\x06\x00\x41\x03\x0b\x70\x01\xd2\x02\x0b"    /* 6: active table, reftype, exprs */
               "\x07\x70\x01\xd2\x00\x0b");                 /* 7: declarative, exprs */
    SEC(&o, 10, "\x03\x02\x00\x0b\x02\x00\x0b\x02\x00\x0b");
    tw_module *m = decode(&o);
    CHECK(m);
    CHECK_EQ(m->nelems, 8);
    static const tw_segmode modes[8] = {TW_SEG_ACTIVE, TW_SEG_PASSIVE, TW_SEG_ACTIVE, TW_SEG_DECLARATIVE,
                                        TW_SEG_ACTIVE, TW_SEG_PASSIVE, TW_SEG_ACTIVE, TW_SEG_DECLARATIVE};
    for (int i = 0; i < 8; i++) CHECK_EQ(m->elems[i].mode, modes[i]);
    CHECK(m->elems[0].offset.op == TW_CONST_I32 && m->elems[0].offset.bits[0] == 0);
    CHECK(m->elems[2].offset.bits[0] == 1 && m->elems[6].offset.bits[0] == 3);
    CHECK(m->elems[1].items[0].op == TW_CONST_REF_FUNC && m->elems[1].items[0].index == 1);
    CHECK_EQ(m->elems[4].count, 2);
    CHECK(m->elems[4].items[1].op == TW_CONST_REF_NULL && m->elems[4].items[1].type == TW_FUNCREF);
    CHECK_EQ(m->elems[5].type, TW_EXTERNREF);
    CHECK(m->elems[5].items[0].op == TW_CONST_REF_NULL && m->elems[5].items[0].type == TW_EXTERNREF);
    CHECK_EQ(m->elems[6].items[0].index, 2);
    CHECK_EQ(m->nrefs, 3);
    CHECK(m->refs[0] == 0 && m->refs[1] == 1 && m->refs[2] == 2);
    tw_module_free(m);
}

TEST(decode_element_errors) {
    buf o; header(&o);
    SEC(&o, 9, "\x01\x08");
    CHECK(fails_with(&o, "malformed elements segment kind"));
    header(&o);
    SEC(&o, 9, "\x01\x01\x01\x00");
    CHECK(fails_with(&o, "malformed element kind"));
    header(&o);
    SEC(&o, 9, "\x01\x05\x7f\x00");
    CHECK(fails_with(&o, "malformed reference type"));
    header(&o);
    SEC(&o, 9, "\x01\x05\x70\x01\xf3\x00\x0b");
    CHECK(fails_with(&o, "illegal opcode"));
}

/* ---- data segments ---- */

TEST(decode_data_encodings) {
    buf o; header(&o);
    SEC(&o, 5, "\x01\x00\x01");
    SEC(&o, 11, "\x03"
                "\x00\x41\x10\x0b\x02hi"
                "\x01\x03" "abc"
                "\x02\x00\x41\x20\x0b\x00");
    tw_module *m = decode(&o);
    CHECK(m);
    CHECK_EQ(m->ndatas, 3);
    CHECK(m->datas[0].mode == TW_SEG_ACTIVE && m->datas[0].offset.bits[0] == 16);
    CHECK(m->datas[0].len == 2 && !memcmp(m->datas[0].bytes, "hi", 2));
    CHECK(m->datas[1].mode == TW_SEG_PASSIVE && m->datas[1].len == 3);
    CHECK(m->datas[2].mode == TW_SEG_ACTIVE && m->datas[2].len == 0 && m->datas[2].offset.bits[0] == 32);
    tw_module_free(m);
    header(&o);
    SEC(&o, 11, "\x01\x03");
    CHECK(fails_with(&o, "malformed data segment kind"));
    header(&o);
    SEC(&o, 11, "\x01\x01\x05" "ab");
    CHECK(fails_with(&o, "unexpected end"));
}

/* ---- constant expressions: non-constant and arity cases are left to the validator ---- */

TEST(decode_constexpr_kinds) {
    buf o; header(&o);
    SEC(&o, 6, "\x06"
               "\x7f\x00\x41\x01\x41\x02\x6a\x0b"     /* i32.add: not constant */
               "\x7f\x00\x0b"                         /* empty */
               "\x7f\x00\x41\x00\x41\x00\x0b"         /* two constants */
               "\x7f\x00\x02\x40\x0b\x41\x00\x0b"     /* block ... end inside */
               "\x7b\x00\xfd\x0c" "0123456789abcdef" "\x0b"
               "\x7c\x00\x44\x00\x00\x00\x00\x00\x00\xf0\x3f\x0b");
    tw_module *m = decode(&o);
    CHECK(m);
    CHECK(m->globals[0].init.op == TW_CONST_NONCONST && m->globals[0].init.index == TW_OP_I32_ADD);
    CHECK(m->globals[1].init.op == TW_CONST_ARITY && m->globals[1].init.index == 0);
    CHECK(m->globals[2].init.op == TW_CONST_ARITY && m->globals[2].init.index == 2);
    CHECK(m->globals[3].init.op == TW_CONST_NONCONST && m->globals[3].init.index == TW_OP_BLOCK);
    CHECK(m->globals[4].init.op == TW_CONST_V128 && !memcmp(m->globals[4].init.bits, "0123456789abcdef", 16));
    CHECK(m->globals[5].init.op == TW_CONST_F64 && m->globals[5].init.bits[0] == 0x3ff0000000000000ull);
    tw_module_free(m);
    header(&o);
    SEC(&o, 6, "\x01\x7f\x00\x41\x00"); /* no end */
    CHECK(fails_with(&o, "unexpected end"));
}

/* ---- code bodies ---- */

TEST(decode_locals) {
    buf o; header(&o);
    SEC(&o, 1, TYPE_VOID);
    SEC(&o, 3, FUNC_1);
    SEC(&o, 10, "\x01\x08\x03\x02\x7f\x00\x7e\x01\x7d\x0b");
    tw_module *m = decode(&o);
    CHECK(m);
    CHECK_EQ(m->funcs[0].nlocals, 3);
    CHECK(m->funcs[0].locals[0] == TW_I32 && m->funcs[0].locals[1] == TW_I32 && m->funcs[0].locals[2] == TW_F32);
    tw_module_free(m);
    header(&o);
    SEC(&o, 1, TYPE_VOID);
    SEC(&o, 3, FUNC_1);
    SEC(&o, 10, "\x01\x0a\x02\xff\xff\xff\xff\x0f\x7f\x02\x7e\x0b");
    CHECK(fails_with(&o, "too many locals"));
    CHECK_EQ(err.kind, TB_ERR_MALFORMED);
}

TEST(decode_body_errors) {
    buf o; header(&o);
    SEC(&o, 1, TYPE_VOID);
    SEC(&o, 3, FUNC_1);
    SEC(&o, 10, "\x01\x03\x00\x01\x01"); /* no end */
    CHECK(fails_with(&o, "unexpected end"));
    header(&o);
    SEC(&o, 1, TYPE_VOID);
    SEC(&o, 3, FUNC_1);
    SEC(&o, 10, "\x01\x04\x00\x0b\x01\x0b"); /* bytes after the final end */
    CHECK(fails_with(&o, "section size mismatch"));
    header(&o);
    SEC(&o, 1, TYPE_VOID);
    SEC(&o, 3, FUNC_1);
    SEC(&o, 10, "\x01\x03\x00\xff\x0b");
    CHECK(fails_with(&o, "illegal opcode"));
    header(&o);
    SEC(&o, 1, TYPE_VOID);
    SEC(&o, 3, FUNC_1);
    SEC(&o, 10, "\x01\x04\x00\x3f\x01\x0b");
    CHECK(fails_with(&o, "zero byte expected"));
    header(&o);
    SEC(&o, 1, TYPE_VOID);
    SEC(&o, 3, FUNC_1);
    SEC(&o, 10, "\x01\x03\x00\x05\x0b"); /* else outside if */
    CHECK(fails_with(&o, "END opcode expected"));
    header(&o); /* nested blocks end only at the matching end */
    SEC(&o, 1, TYPE_VOID);
    SEC(&o, 3, FUNC_1);
    SEC(&o, 10, "\x01\x0b\x00\x02\x40\x03\x40\x41\x00\x04\x40\x0b\x0b");
    CHECK(fails_with(&o, "unexpected end"));
}

TEST(decode_module_locals_limit) {
    /* 1400 functions of 50,000 locals each: 70M expanded locals from ~10 KB of input */
    enum { N = 1400 };
    static buf o;
    static char funcs[2 + N], code[3 + 7 * N];
    header(&o);
    SEC(&o, 1, TYPE_VOID);
    size_t n = 0;
    funcs[n++] = (char)(0x80 | (N & 0x7F)); funcs[n++] = N >> 7;
    for (int i = 0; i < N; i++) funcs[n++] = 0;
    section(&o, 3, funcs, n);
    n = 0;
    code[n++] = (char)(0x80 | (N & 0x7F)); code[n++] = N >> 7;
    for (int i = 0; i < N; i++) {
        memcpy(code + n, "\x06\x01\xd0\x86\x03\x7f\x0b", 7); /* 50000 = d0 86 03 */
        n += 7;
    }
    section(&o, 10, code, n);
    CHECK(!decode(&o));
    CHECK_EQ(err.kind, TB_ERR_LIMIT);
    /* the same functions within the budget decode */
    o.n = 0;
    header(&o);
    SEC(&o, 1, TYPE_VOID);
    funcs[1] = 10; section(&o, 3, funcs + 1, 11); /* count 10, ten type indices */
    code[1] = 10; section(&o, 10, code + 1, 1 + 7 * 10);
    tw_module *m = decode(&o);
    CHECK(m);
    CHECK_EQ(m->funcs[9].nlocals, 50000);
    tw_module_free(m);
}

/* ---- the name section ---- */

TEST(decode_name_section) {
    buf o; header(&o);
    SEC(&o, 1, TYPE_VOID);
    SEC(&o, 3, "\x02\x00\x00");
    SEC(&o, 10, "\x02\x02\x00\x0b\x02\x00\x0b");
    SEC(&o, 0, "\x04name" "\x00\x04\x03mod" "\x01\x09\x02\x01\x02" "f1" "\x00\x02" "f0" "\x02\x01\x00");
    tw_module *m = decode(&o);
    CHECK(m);
    CHECK(m->module_name.len == 3 && !memcmp(m->module_name.s, "mod", 3));
    CHECK_EQ(m->nfuncnames, 2);
    const tw_name *n = tw_func_name(m, 0);
    CHECK(n && n->len == 2 && !memcmp(n->s, "f0", 2));
    n = tw_func_name(m, 1);
    CHECK(n && !memcmp(n->s, "f1", 2));
    tw_module_free(m);
    /* a broken name section is ignored, not an error */
    header(&o);
    SEC(&o, 0, "\x04name" "\x00\x04\x09mod" "\x01\x02\x01\x00");
    m = decode(&o);
    CHECK(m);
    CHECK_EQ(m->module_name.len, 0);
    CHECK_EQ(m->nfuncnames, 0);
    CHECK_EQ(m->ncustoms, 1);
    tw_module_free(m);
}

/* ---- allocation failure and hostile input ---- */

static void rich_module(buf *o) {
    header(o);
    SEC(o, 1, TYPE_VOID "");
    SEC(o, 2, "\x01\x01m\x01" "f\x00\x00");
    SEC(o, 3, "\x02\x00\x00");
    SEC(o, 4, "\x01\x70\x00\x01");
    SEC(o, 5, "\x01\x00\x01");
    SEC(o, 6, "\x01\x70\x00\xd2\x01\x0b");
    SEC(o, 7, "\x01\x01" "f\x00\x02");
    SEC(o, 9, "\x02\x00\x41\x00\x0b\x01\x00\x05\x70\x01\xd2\x01\x0b");
    SEC(o, 12, "\x01");
    SEC(o, 10, "\x02\x0a\x01\x01\x7f\x41\x00\x04\x40\x05\x0b\x0b"
               "\x0c\x00\x41\x00\x41\x00\x41\x00\xfc\x08\x00\x00\x0b");
    SEC(o, 11, "\x01\x01\x02hi");
    SEC(o, 0, "\x04name" "\x00\x02\x01m" "\x01\x04\x01\x01\x01g");
}

TEST(decode_rich_module) {
    buf o; rich_module(&o);
    tw_module *m = decode(&o);
    if (!m) printf("  %s\n", err.msg);
    CHECK(m);
    CHECK_EQ(m->nrefs, 3);
    CHECK(m->refs[0] == 0 && m->refs[1] == 1 && m->refs[2] == 2);
    CHECK_EQ(m->nfuncnames, 1);
    tw_module_free(m);
}

TEST(decode_alloc_failure) {
    buf o; rich_module(&o);
    bool saw_success = false;
    for (uint64_t n = 1; n < 200 && !saw_success; n++) {
        tb_fail_alloc_after(n);
        tw_module *m = decode(&o);
        tb_fail_alloc_after(0);
        if (m) { saw_success = true; tw_module_free(m); }
        else CHECK_EQ(err.kind, TB_ERR_OOM);
    }
    CHECK(saw_success);
}

TEST(decode_truncations_and_flips) {
    buf o, t;
    rich_module(&o);
    for (size_t n = 0; n < o.n; n++) { /* every strict prefix is malformed */
        t = o;
        t.n = n;
        tw_module *m = decode(&t);
        if (m) tw_module_free(m);
        /* a prefix ending exactly between sections is a valid module */
        if (m) continue;
        CHECK(err.kind == TB_ERR_MALFORMED && err.offset <= n);
    }
    srand(1);
    for (int i = 0; i < 20000; i++) { /* must never crash (run under make SAN=1) */
        t = o;
        int flips = 1 + rand() % 3;
        for (int k = 0; k < flips; k++) t.b[8 + rand() % (t.n - 8)] ^= (uint8_t)(1u << (rand() % 8));
        tw_module *m = decode(&t);
        if (m) tw_module_free(m);
        else CHECK(err.kind == TB_ERR_MALFORMED || err.kind == TB_ERR_LIMIT);
    }
}
