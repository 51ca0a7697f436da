/* elfobj: a relocatable ELF64 x86-64 object read defensively: header, section table,
   string tables and symbol table checked for bounds once, so the linker can index
   them freely afterwards. */
#ifndef ART_ELFOBJ_H
#define ART_ELFOBJ_H

#include "internal.h"

typedef struct art_in {
    uint32_t index;               /* which object (for messages) */
    const uint8_t *b;
    size_t len;
    Elf64_Shdr *sh;               /* copied (the bytes may be unaligned) */
    uint32_t shnum;
    const char *shstr;            /* NUL-terminated at its end */
    size_t shstr_len;
    uint32_t symtab;              /* its section index, 0 if none */
    Elf64_Sym *sym;               /* copied */
    uint32_t nsym;
    const char *str;              /* NUL-terminated at its end */
    size_t str_len;
    int8_t *part;                 /* per section: ART_PART_* or -1 (not loaded) */
    uint64_t *off;                /* per section: offset in its part */
} art_in;

enum { ART_PART_NONE = -1, ART_PART_CODE = 0, ART_PART_RO = 1, ART_PART_DATA = 2 };

/* Check and index the object; err says what is wrong and where. */
bool art_in_parse(art_in *o, uint32_t index, const uint8_t *b, size_t len, tb_error *err);
void art_in_free(art_in *o);

static inline const char *art_in_secname(const art_in *o, uint32_t i) {
    return o->sh[i].sh_name < o->shstr_len ? o->shstr + o->sh[i].sh_name : "?";
}
static inline const char *art_in_symname(const art_in *o, uint32_t i) {
    return o->sym[i].st_name < o->str_len ? o->str + o->sym[i].st_name : "?";
}

static inline bool art_in_range(uint64_t off, uint64_t size, uint64_t len) {
    return off <= len && size <= len - off;
}

#endif
