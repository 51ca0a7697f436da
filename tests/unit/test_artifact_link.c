/* test_artifact_link: objects the linker must refuse cleanly, with what and where:
   truncated, bad indices, relocations out of their section or of unknown type,
   absolute relocations, undefined or twice-defined symbols, missing functions. */
#include <stdio.h>
#include <stdlib.h>
#include "test.h"
#include "test_artifact.h"

/* Link a copy of object 0 (edited by the caller) with the other program objects. */
static bool link_fails(const uint8_t *a, size_t alen, const char *want) {
    const at_objs *p = at_program();
    if (!p) return false;
    art_obj objs[4];
    memcpy(objs, p->o, sizeof objs);
    objs[0] = (art_obj){a, alen};
    art_image img;
    tb_error err = {0};
    if (art_link(objs, p->n, AT_NFUNCS, &img, &err)) {
        art_image_free(&img);
        printf("  linked\n");
        return false;
    }
    if (!strstr(err.msg, want)) { printf("  message: %s (wanted %s)\n", err.msg, want); return false; }
    return img.bytes == NULL;
}

static uint8_t *copy_a(size_t *len) {
    const at_objs *p = at_program();
    if (!p) return NULL;
    uint8_t *b = tb_malloc(p->o[0].len);
    memcpy(b, p->o[0].bytes, p->o[0].len);
    *len = p->o[0].len;
    return b;
}

TEST(artifact_link_truncated_objects) {
    size_t len;
    uint8_t *a = copy_a(&len);
    CHECK(a);
    CHECK(link_fails(a, 10, "object 0: truncated"));
    CHECK(link_fails(a, 64, "object 0: section table at 0x"));
    CHECK(link_fails(a, len - 1, "beyond the end"));
    for (size_t cut = 0; cut < len; cut += 97) CHECK(link_fails(a, cut, "object 0: "));
    tb_free(a);
}

TEST(artifact_link_bad_header) {
    size_t len;
    uint8_t *a = copy_a(&len);
    CHECK(a);
    Elf64_Ehdr eh;
    memcpy(&eh, a, sizeof eh);
    Elf64_Ehdr bad = eh; bad.e_shstrndx = 999;
    memcpy(a, &bad, sizeof bad);
    CHECK(link_fails(a, len, "section name table index 999 out of range"));
    bad = eh; bad.e_type = ET_DYN;
    memcpy(a, &bad, sizeof bad);
    CHECK(link_fails(a, len, "not a relocatable object"));
    bad = eh; bad.e_machine = EM_AARCH64;
    memcpy(a, &bad, sizeof bad);
    CHECK(link_fails(a, len, "not x86-64"));
    bad = eh; bad.e_shentsize = 40;
    memcpy(a, &bad, sizeof bad);
    CHECK(link_fails(a, len, "section header size 40"));
    tb_free(a);
}

/* The first relocation of .rela.text, to edit. */
static Elf64_Rela *first_rela(uint8_t *a, const char *sec) {
    Elf64_Shdr sh;
    if (at_section(a, sec, &sh) < 0) return NULL;
    return (Elf64_Rela *)(a + sh.sh_offset);     /* clang's objects keep 8-byte alignment */
}

TEST(artifact_link_bad_relocations) {
    size_t len;
    uint8_t *a = copy_a(&len);
    CHECK(a);
    Elf64_Rela *r = first_rela(a, ".rela.text"), keep;
    CHECK(r);
    keep = *r;
    r->r_offset = 0x7fffffffffull;
    CHECK(link_fails(a, len, "relocation at 0x7fffffffff outside section .text"));
    *r = keep;
    r->r_info = ELF64_R_INFO(ELF64_R_SYM(keep.r_info), 99);
    CHECK(link_fails(a, len, "unsupported relocation type 99 in .text at 0x"));
    r->r_info = ELF64_R_INFO(ELF64_R_SYM(keep.r_info), R_X86_64_32);
    CHECK(link_fails(a, len, "unsupported relocation R_X86_64_32 in .text"));
    r->r_info = ELF64_R_INFO(100000, ELF64_R_TYPE(keep.r_info));
    CHECK(link_fails(a, len, "relocation symbol 100000 out of range"));
    *r = keep;
    Elf64_Shdr sh;
    int at = at_section(a, ".rela.text", &sh);
    Elf64_Shdr bad = sh;
    bad.sh_info = 500;
    memcpy(a + at, &bad, sizeof bad);
    CHECK(link_fails(a, len, "target section 500 out of range"));
    bad = sh;
    bad.sh_size = len;
    memcpy(a + at, &bad, sizeof bad);
    CHECK(link_fails(a, len, "beyond the end"));
    memcpy(a + at, &sh, sizeof sh);
    tb_free(a);
}

TEST(artifact_link_bad_symbols) {
    size_t len;
    uint8_t *a = copy_a(&len);
    CHECK(a);
    Elf64_Shdr sh;
    CHECK(at_section(a, ".symtab", &sh) > 0);
    Elf64_Sym *syms = (Elf64_Sym *)(a + sh.sh_offset);
    uint32_t n = (uint32_t)(sh.sh_size / sizeof *syms), i;
    for (i = 1; i < n && syms[i].st_shndx == SHN_UNDEF; i++) {}
    CHECK(i < n);
    Elf64_Sym keep = syms[i];
    syms[i].st_shndx = 700;
    CHECK(link_fails(a, len, "section index 700 out of range"));
    syms[i] = keep;
    syms[i].st_name = 0x7fffffff;
    CHECK(link_fails(a, len, "name offset 0x7fffffff beyond the names"));
    syms[i] = keep;
    tb_free(a);
}

static bool link_sources(const char *src, uint32_t nfuncs, const char *want) {
    uint8_t *b;
    size_t len;
    if (!at_compile(src, "", &b, &len)) return false;
    art_obj o = {b, len};
    art_image img;
    tb_error err = {0};
    bool ok = art_link(&o, 1, nfuncs, &img, &err);
    if (ok) { printf("  linked\n"); art_image_free(&img); }
    else if (!strstr(err.msg, want)) printf("  message: %s (wanted %s)\n", err.msg, want);
    tb_free(b);
    return !ok && strstr(err.msg, want);
}

TEST(artifact_link_refuses_what_it_cannot_place) {
    /* a table of function pointers needs load-time relocation (R_X86_64_64) */
    CHECK(link_sources("int f(int);int g(int);\n"
                       "int (*const tab[])(int) = {f, g};\n"
                       "int tf0(int i) { return tab[i](i); }\nint te0(void) { return 0; }\n"
                       "int f(int x) { return x; } int g(int x) { return -x; }\n",
                       1, "unsupported relocation R_X86_64_64 in .data.rel.ro at 0x0"));
    CHECK(link_sources("int puts(const char *);\n"
                       "int tf0(void) { return puts(\"hi\"); }\nint te0(void) { return 0; }\n",
                       1, "undefined symbol puts (object 0): not a runtime function"));
    CHECK(link_sources("int tf0(void) { return 1; }\nint te0(void) { return 0; }\n", 2,
                       "function tf1 not found"));
    CHECK(link_sources("int tf0(void) { return 1; }\n", 1, "function te0 not found"));
    CHECK(link_sources("__thread int t; int tf0(void) { return t; }\nint te0(void) { return 0; }\n",
                       1, "thread-local"));
}

TEST(artifact_link_duplicate_definition) {
    const at_objs *p = at_program();
    CHECK(p);
    art_obj objs[2] = {p->o[1], p->o[1]};
    art_image img;
    tb_error err = {0};
    CHECK(!art_link(objs, 2, 0, &img, &err));
    CHECK(strstr(err.msg, "defined twice (objects 0 and 1)"));
}


TEST(artifact_link_refuses_huge_bss) {
    CHECK(link_sources("static char big[100 << 20];\n"
                       "int tf0(int i) { big[i] = 1; return big[i + 1]; }\n"
                       "int te0(void) { return 0; }\n", 1, "zero-filled bytes, more than 64 MiB"));
}
