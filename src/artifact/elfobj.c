/* elfobj: reading a relocatable ELF64 x86-64 object defensively (it is fuzzed): every
   offset, size and index is checked before use; errors name the object and the part. */
#include "elfobj.h"

#define BAD(...) tb_fail(err, TB_ERR_MALFORMED, TB_NO_OFFSET, __VA_ARGS__)

static bool check_ident(const art_in *o, const Elf64_Ehdr *eh, tb_error *err) {
    const unsigned char *id = eh->e_ident;
    if (memcmp(id, ELFMAG, SELFMAG) != 0)
        return BAD("object %u: not an ELF file (bad magic)", o->index);
    if (id[EI_CLASS] != ELFCLASS64 || id[EI_DATA] != ELFDATA2LSB || id[EI_VERSION] != EV_CURRENT)
        return BAD("object %u: not a little-endian ELF64 file", o->index);
    if (eh->e_type != ET_REL)
        return BAD("object %u: not a relocatable object (e_type %u)", o->index, eh->e_type);
    if (eh->e_machine != EM_X86_64)
        return BAD("object %u: not x86-64 (e_machine %u)", o->index, eh->e_machine);
    return true;
}

static bool read_sections(art_in *o, const Elf64_Ehdr *eh, tb_error *err) {
    if (eh->e_shentsize != sizeof(Elf64_Shdr))
        return BAD("object %u: section header size %u, expected %zu", o->index,
                   eh->e_shentsize, sizeof(Elf64_Shdr));
    if (eh->e_shnum == 0 || eh->e_shstrndx == SHN_XINDEX)
        return BAD("object %u: no section table (or extended numbering, unsupported)", o->index);
    o->shnum = eh->e_shnum;
    if (!art_in_range(eh->e_shoff, (uint64_t)o->shnum * sizeof(Elf64_Shdr), o->len))
        return BAD("object %u: section table at 0x%llx (%u entries) beyond the end (%zu bytes)",
                   o->index, (unsigned long long)eh->e_shoff, o->shnum, o->len);
    o->sh = tb_malloc(o->shnum * sizeof *o->sh);
    o->part = tb_malloc(o->shnum);
    o->off = tb_calloc(o->shnum, sizeof *o->off);
    if (!o->sh || !o->part || !o->off) return tb_oom(err);
    memcpy(o->sh, o->b + eh->e_shoff, o->shnum * sizeof *o->sh);
    memset(o->part, ART_PART_NONE, o->shnum);
    for (uint32_t i = 1; i < o->shnum; i++) {
        const Elf64_Shdr *s = &o->sh[i];
        if (s->sh_type != SHT_NOBITS && s->sh_type != SHT_NULL &&
            !art_in_range(s->sh_offset, s->sh_size, o->len))
            return BAD("object %u: section %u: bytes at 0x%llx+0x%llx beyond the end (%zu bytes)",
                       o->index, i, (unsigned long long)s->sh_offset,
                       (unsigned long long)s->sh_size, o->len);
    }
    return true;
}

/* A string table the linker can read with plain C strings: in bounds, ends in NUL. */
static bool string_table(const art_in *o, uint32_t i, const char **p, size_t *n,
                         const char *what, tb_error *err) {
    if (i == 0 || i >= o->shnum || o->sh[i].sh_type != SHT_STRTAB)
        return BAD("object %u: %s: section %u is not a string table", o->index, what, i);
    const Elf64_Shdr *s = &o->sh[i];
    if (s->sh_size == 0 || o->b[s->sh_offset + s->sh_size - 1] != 0)
        return BAD("object %u: %s (section %u) does not end in NUL", o->index, what, i);
    *p = (const char *)o->b + s->sh_offset;
    *n = s->sh_size;
    return true;
}

static bool read_symbols(art_in *o, tb_error *err) {
    for (uint32_t i = 1; i < o->shnum; i++) {
        if (o->sh[i].sh_type != SHT_SYMTAB) continue;
        if (o->symtab) return BAD("object %u: two symbol tables (sections %u and %u)",
                                  o->index, o->symtab, i);
        o->symtab = i;
    }
    if (!o->symtab) return true;
    const Elf64_Shdr *s = &o->sh[o->symtab];
    if (s->sh_entsize != sizeof(Elf64_Sym) || s->sh_size % sizeof(Elf64_Sym))
        return BAD("object %u: symbol table (section %u): entry size %llu, size %llu",
                   o->index, o->symtab, (unsigned long long)s->sh_entsize,
                   (unsigned long long)s->sh_size);
    if (s->sh_size / sizeof(Elf64_Sym) > UINT32_MAX)
        return BAD("object %u: too many symbols", o->index);
    if (!string_table(o, s->sh_link, &o->str, &o->str_len, "symbol names", err)) return false;
    o->nsym = (uint32_t)(s->sh_size / sizeof(Elf64_Sym));
    o->sym = tb_malloc(o->nsym ? o->nsym * sizeof *o->sym : 1);
    if (!o->sym) return tb_oom(err);
    memcpy(o->sym, o->b + s->sh_offset, o->nsym * sizeof *o->sym);
    for (uint32_t i = 0; i < o->nsym; i++) {
        const Elf64_Sym *y = &o->sym[i];
        if (y->st_name >= o->str_len)
            return BAD("object %u: symbol %u: name offset 0x%x beyond the names", o->index, i,
                       y->st_name);
        if (y->st_shndx >= o->shnum && y->st_shndx < SHN_LORESERVE)
            return BAD("object %u: symbol %u (%s): section index %u out of range (%u sections)",
                       o->index, i, art_in_symname(o, i), y->st_shndx, o->shnum);
    }
    return true;
}

bool art_in_parse(art_in *o, uint32_t index, const uint8_t *b, size_t len, tb_error *err) {
    *o = (art_in){.index = index, .b = b, .len = len};
    Elf64_Ehdr eh;
    if (!b || len < sizeof eh)
        return BAD("object %u: truncated (%zu bytes, an ELF header is %zu)", index, len,
                   sizeof eh);
    memcpy(&eh, b, sizeof eh);
    if (!check_ident(o, &eh, err) || !read_sections(o, &eh, err)) return false;
    if (eh.e_shstrndx >= o->shnum)
        return BAD("object %u: section name table index %u out of range (%u sections)", index,
                   eh.e_shstrndx, o->shnum);
    if (!string_table(o, eh.e_shstrndx, &o->shstr, &o->shstr_len, "section names", err))
        return false;
    for (uint32_t i = 0; i < o->shnum; i++)
        if (o->sh[i].sh_name >= o->shstr_len)
            return BAD("object %u: section %u: name offset 0x%x beyond the names", index, i,
                       o->sh[i].sh_name);
    return read_symbols(o, err);
}

void art_in_free(art_in *o) {
    tb_free(o->sh);
    tb_free(o->sym);
    tb_free(o->part);
    tb_free(o->off);
    *o = (art_in){0};
}
