/* link: the relocatable objects LLVM emits -> one position-independent image. Sections
   are placed by kind (code, read-only, writable after the GOT), symbols resolved across
   objects, and every relocation applied here, so loading needs none: all references
   are PC-relative or go through the GOT, which the loader fills. */
#include "elfobj.h"
#include "objmap.h"
#include <stdio.h>

#define PLT_STUB 8u               /* jmp *slot(%rip) (6 bytes) + 2 x int3 */
#define MAX_PART (1ull << 31)     /* parts beyond 2 GiB could not be reached by rel32 */
/* Zero-filled sections are not in the object, so nothing else bounds them; compiled
   Wasm keeps its state in linear memory and globals, so a big .bss is a broken object. */
#define MAX_NOBITS (64ull << 20)

typedef struct linker {
    art_in *in;
    uint32_t nin;
    art_map globals;              /* name -> object << 32 | symbol */
    art_map locals;               /* local function names (tf/te of a one-object image) */
    art_map gotmap;               /* name, or part << 60 | offset -> GOT slot */
    TB_VEC(struct slot { const char *name; int part; uint64_t off; }) got;
    uint32_t *plt;                /* per GOT slot: 1 + PLT stub, or 0 */
    uint32_t nplt;
    uint64_t len[3], base[3];     /* per part: length, image offset */
    uint64_t plt_off;
    art_image *img;
    tb_error *err;
} linker;

/* Where a symbol resolves: defined (part, offset in part) or undefined (name). */
typedef struct target { const char *name; int part; uint64_t off; } target;

#define BAD(...) tb_fail(L->err, TB_ERR_MALFORMED, TB_NO_OFFSET, __VA_ARGS__)
#define LINKERR(...) tb_fail(L->err, TB_ERR_LINK, TB_NO_OFFSET, __VA_ARGS__)

/* ---- placing sections ---- */

static bool skipped(const art_in *o, uint32_t i) {
    const Elf64_Shdr *s = &o->sh[i];
    return !(s->sh_flags & SHF_ALLOC) || s->sh_type == SHT_X86_64_UNWIND ||
           s->sh_type == SHT_NOTE || strcmp(art_in_secname(o, i), ".eh_frame") == 0;
}

static bool place_section(linker *L, art_in *o, uint32_t i) {
    const Elf64_Shdr *s = &o->sh[i];
    const char *name = art_in_secname(o, i);
    if (s->sh_type != SHT_PROGBITS && s->sh_type != SHT_NOBITS)
        return tb_fail(L->err, TB_ERR_LIMIT, TB_NO_OFFSET,
                       "object %u: section %u (%s): unsupported type 0x%x", o->index, i, name,
                       s->sh_type);
    if (s->sh_flags & SHF_TLS)
        return tb_fail(L->err, TB_ERR_LIMIT, TB_NO_OFFSET,
                       "object %u: section %u (%s): thread-local data is unsupported",
                       o->index, i, name);
    uint64_t align = s->sh_addralign ? s->sh_addralign : 1;
    if (align & (align - 1) || align > ART_PAGE)
        return BAD("object %u: section %u (%s): alignment %llu (must be a power of two up to %u)",
                   o->index, i, name, (unsigned long long)align, ART_PAGE);
    int part = s->sh_flags & SHF_EXECINSTR ? ART_PART_CODE
             : s->sh_flags & SHF_WRITE ? ART_PART_DATA : ART_PART_RO;
    if (s->sh_type == SHT_NOBITS && s->sh_size > MAX_NOBITS)
        return tb_fail(L->err, TB_ERR_LIMIT, TB_NO_OFFSET,
                       "object %u: section %u (%s): %llu zero-filled bytes, more than %llu MiB",
                       o->index, i, name, (unsigned long long)s->sh_size, MAX_NOBITS >> 20);
    uint64_t at = art_align(L->len[part], align);
    if (s->sh_size > MAX_PART || at + s->sh_size > MAX_PART)
        return tb_fail(L->err, TB_ERR_LIMIT, TB_NO_OFFSET,
                       "object %u: section %u (%s): image part larger than 2 GiB", o->index, i, name);
    o->part[i] = (int8_t)part;
    o->off[i] = at;
    L->len[part] = at + s->sh_size;
    return true;
}

/* Code starts after a few int3 bytes: UBSan's function check (and any tool that peeks
   before an entry point) reads the 8 bytes before a function it calls, which must be
   mapped even for the first function of a JIT image. */
#define CODE_PAD 16u

static bool place_all(linker *L) {
    L->len[ART_PART_CODE] = CODE_PAD;
    for (uint32_t k = 0; k < L->nin; k++)
        for (uint32_t i = 1; i < L->in[k].shnum; i++)
            if (!skipped(&L->in[k], i) && !place_section(L, &L->in[k], i)) return false;
    return true;
}

/* ---- symbols ---- */

static bool add_globals(linker *L, uint32_t k) {
    art_in *o = &L->in[k];
    for (uint32_t i = 1; i < o->nsym; i++) {
        const Elf64_Sym *y = &o->sym[i];
        int bind = ELF64_ST_BIND(y->st_info);
        if (y->st_shndx == SHN_UNDEF || ELF64_ST_TYPE(y->st_info) == STT_FILE) continue;
        const char *name = art_in_symname(o, i);
        uint64_t ref = (uint64_t)k << 32 | i;
        art_map *m = bind == STB_LOCAL ? &L->locals : &L->globals;
        if (bind == STB_LOCAL && (name[0] != 't' || (name[1] != 'f' && name[1] != 'e')))
            continue;     /* only tf<i>/te<i> are ever looked up among locals */
        uint64_t *old = art_map_get(m, name, 0);
        if (old && bind != STB_LOCAL && bind != STB_WEAK) {
            const Elf64_Sym *prev = &L->in[*old >> 32].sym[(uint32_t)*old];
            if (ELF64_ST_BIND(prev->st_info) == STB_WEAK) { *old = ref; continue; }
            return LINKERR("symbol %s defined twice (objects %u and %u)", name,
                           (uint32_t)(*old >> 32), k);
        }
        if (old && bind == STB_LOCAL) *old = UINT64_MAX;     /* ambiguous */
        if (!old && !art_map_put(m, name, 0, ref)) return tb_oom(L->err);
    }
    return true;
}

static bool defined_at(linker *L, const art_in *o, uint32_t si, target *t) {
    const Elf64_Sym *y = &o->sym[si];
    const char *name = art_in_symname(o, si);
    if (y->st_shndx >= SHN_LORESERVE)
        return tb_fail(L->err, TB_ERR_LIMIT, TB_NO_OFFSET,
                       "object %u: symbol %s: section index 0x%x (absolute or common) unsupported",
                       o->index, name, y->st_shndx);
    if (o->part[y->st_shndx] == ART_PART_NONE)
        return LINKERR("object %u: symbol %s is in section %s, which is not loaded", o->index,
                       name, art_in_secname(o, y->st_shndx));
    if (y->st_value > o->sh[y->st_shndx].sh_size)
        return BAD("object %u: symbol %s: value 0x%llx beyond its section", o->index, name,
                   (unsigned long long)y->st_value);
    *t = (target){NULL, o->part[y->st_shndx], o->off[y->st_shndx] + y->st_value};
    return true;
}

static bool resolve(linker *L, const art_in *o, uint32_t si, target *t) {
    if (si == 0 || si >= o->nsym)
        return BAD("object %u: relocation symbol %u out of range (%u symbols)", o->index, si,
                   o->nsym);
    const Elf64_Sym *y = &o->sym[si];
    if (y->st_shndx != SHN_UNDEF) return defined_at(L, o, si, t);
    const char *name = art_in_symname(o, si);
    uint64_t *def = art_map_get(&L->globals, name, 0);
    if (def) return defined_at(L, &L->in[*def >> 32], (uint32_t)*def, t);
    if (!art_libcall(name))
        return LINKERR("undefined symbol %s (object %u): not a runtime function taho provides",
                       name, o->index);
    *t = (target){name, ART_PART_NONE, 0};
    return true;
}

/* ---- GOT and PLT ---- */

static bool got_slot(linker *L, const target *t, uint32_t *slot) {
    uint64_t key = t->name ? 0 : (uint64_t)t->part << 60 | t->off;
    uint64_t *have = art_map_get(&L->gotmap, t->name, key);
    if (have) { *slot = (uint32_t)*have; return true; }
    *slot = L->got.len;
    struct slot s = {t->name, t->part, t->off};
    if (!tb_vec_push(&L->got, s) || !art_map_put(&L->gotmap, t->name, key, *slot))
        return tb_oom(L->err);
    return true;
}

/* ---- relocations ---- */

static const char *rel_name(uint32_t type) {
    static const char *const names[] = {
        [R_X86_64_NONE] = "R_X86_64_NONE", [R_X86_64_64] = "R_X86_64_64",
        [R_X86_64_PC32] = "R_X86_64_PC32", [R_X86_64_GOT32] = "R_X86_64_GOT32",
        [R_X86_64_PLT32] = "R_X86_64_PLT32", [R_X86_64_COPY] = "R_X86_64_COPY",
        [R_X86_64_GLOB_DAT] = "R_X86_64_GLOB_DAT", [R_X86_64_JUMP_SLOT] = "R_X86_64_JUMP_SLOT",
        [R_X86_64_RELATIVE] = "R_X86_64_RELATIVE", [R_X86_64_GOTPCREL] = "R_X86_64_GOTPCREL",
        [R_X86_64_32] = "R_X86_64_32", [R_X86_64_32S] = "R_X86_64_32S",
        [R_X86_64_16] = "R_X86_64_16", [R_X86_64_PC16] = "R_X86_64_PC16",
        [R_X86_64_8] = "R_X86_64_8", [R_X86_64_PC8] = "R_X86_64_PC8",
        [R_X86_64_DTPMOD64] = "R_X86_64_DTPMOD64", [R_X86_64_DTPOFF64] = "R_X86_64_DTPOFF64",
        [R_X86_64_TPOFF64] = "R_X86_64_TPOFF64", [R_X86_64_TLSGD] = "R_X86_64_TLSGD",
        [R_X86_64_TLSLD] = "R_X86_64_TLSLD", [R_X86_64_DTPOFF32] = "R_X86_64_DTPOFF32",
        [R_X86_64_GOTTPOFF] = "R_X86_64_GOTTPOFF", [R_X86_64_TPOFF32] = "R_X86_64_TPOFF32",
        [R_X86_64_PC64] = "R_X86_64_PC64", [R_X86_64_GOTOFF64] = "R_X86_64_GOTOFF64",
        [R_X86_64_GOTPC32] = "R_X86_64_GOTPC32", [R_X86_64_GOT64] = "R_X86_64_GOT64",
        [R_X86_64_GOTPCREL64] = "R_X86_64_GOTPCREL64", [R_X86_64_GOTPC64] = "R_X86_64_GOTPC64",
        [R_X86_64_PLTOFF64] = "R_X86_64_PLTOFF64",
        [R_X86_64_SIZE32] = "R_X86_64_SIZE32", [R_X86_64_SIZE64] = "R_X86_64_SIZE64",
        [R_X86_64_GOTPCRELX] = "R_X86_64_GOTPCRELX",
        [R_X86_64_REX_GOTPCRELX] = "R_X86_64_REX_GOTPCRELX",
    };
    return type < TB_ARRAY_LEN(names) && names[type] ? names[type] : NULL;
}

static bool is_gotpcrel(uint32_t type) {
    return type == R_X86_64_GOTPCREL || type == R_X86_64_GOTPCRELX ||
           type == R_X86_64_REX_GOTPCRELX;
}

/* Relocations that need the symbol's GOT slot (the large code model's too). */
static bool uses_got(uint32_t type) {
    return is_gotpcrel(type) || type == R_X86_64_GOT64 || type == R_X86_64_GOTPCREL64;
}

static unsigned rel_width(uint32_t type) {
    switch (type) {
    case R_X86_64_NONE: return 0;
    case R_X86_64_PC32: case R_X86_64_PLT32: case R_X86_64_GOTPCREL:
    case R_X86_64_GOTPCRELX: case R_X86_64_REX_GOTPCRELX: case R_X86_64_GOTPC32: return 4;
    case R_X86_64_PC64: case R_X86_64_GOTPC64: case R_X86_64_GOTOFF64:
    case R_X86_64_GOT64: case R_X86_64_GOTPCREL64: case R_X86_64_PLTOFF64: return 8;
    default: return UINT32_MAX;
    }
}

/* One relocation section: its target and its entries, checked. */
typedef struct relsec { art_in *o; uint32_t idx, target; const Elf64_Shdr *s; } relsec;

static bool unsupported(linker *L, const relsec *r, uint32_t type, uint64_t at) {
    const char *n = rel_name(type);
    char buf[24];
    if (!n) { snprintf(buf, sizeof buf, "type %u", type); n = buf; }
    return tb_fail(L->err, TB_ERR_LIMIT, TB_NO_OFFSET,
                   "object %u: unsupported relocation %s in %s at 0x%llx", r->o->index, n,
                   art_in_secname(r->o, r->target), (unsigned long long)at);
}

static bool relsec_of(linker *L, art_in *o, uint32_t i, relsec *r, bool *use) {
    const Elf64_Shdr *s = &o->sh[i];
    *use = false;
    if (s->sh_type != SHT_RELA && s->sh_type != SHT_REL) return true;
    if (s->sh_info == 0 || s->sh_info >= o->shnum)
        return BAD("object %u: relocation section %u: target section %u out of range",
                   o->index, i, s->sh_info);
    if (o->part[s->sh_info] == ART_PART_NONE) return true;     /* e.g. .rela.eh_frame */
    if (s->sh_type == SHT_REL)
        return tb_fail(L->err, TB_ERR_LIMIT, TB_NO_OFFSET,
                       "object %u: REL relocations (section %u) unsupported", o->index, i);
    if (s->sh_entsize != sizeof(Elf64_Rela) || s->sh_size % sizeof(Elf64_Rela))
        return BAD("object %u: relocation section %u: entry size %llu, size %llu", o->index, i,
                   (unsigned long long)s->sh_entsize, (unsigned long long)s->sh_size);
    if (s->sh_link != o->symtab || !o->symtab)
        return BAD("object %u: relocation section %u: symbol table %u is not the object's",
                   o->index, i, s->sh_link);
    *r = (relsec){o, i, s->sh_info, s};
    *use = true;
    return true;
}

static Elf64_Rela rela_at(const relsec *r, uint64_t j) {
    Elf64_Rela e;
    memcpy(&e, r->o->b + r->s->sh_offset + j * sizeof e, sizeof e);
    return e;
}

/* The first pass: check each relocation and count the GOT slots and PLT stubs. */
static bool scan_rela(linker *L, const relsec *r, const Elf64_Rela *e) {
    uint32_t type = ELF64_R_TYPE(e->r_info);
    const Elf64_Shdr *ts = &r->o->sh[r->target];
    unsigned w = rel_width(type);
    if (w == UINT32_MAX) return unsupported(L, r, type, e->r_offset);
    if (w == 0) return true;
    if (ts->sh_type == SHT_NOBITS || !art_in_range(e->r_offset, w, ts->sh_size))
        return BAD("object %u: relocation at 0x%llx outside section %s (0x%llx bytes)",
                   r->o->index, (unsigned long long)e->r_offset,
                   art_in_secname(r->o, r->target), (unsigned long long)ts->sh_size);
    if (type == R_X86_64_GOTPC32 || type == R_X86_64_GOTPC64) return true;
    target t;
    if (!resolve(L, r->o, ELF64_R_SYM(e->r_info), &t)) return false;
    uint32_t slot;
    if (uses_got(type)) return got_slot(L, &t, &slot);
    if (!t.name) return true;
    if (type != R_X86_64_PLT32 && type != R_X86_64_PLTOFF64)
        return LINKERR("object %u: %s to undefined symbol %s in %s at 0x%llx (only calls may "
                       "reach runtime functions)", r->o->index, rel_name(type), t.name,
                       art_in_secname(r->o, r->target), (unsigned long long)e->r_offset);
    return got_slot(L, &t, &slot);
}

static uint64_t addr_of(const linker *L, const target *t) { return L->base[t->part] + t->off; }

static bool put32(linker *L, const relsec *r, uint8_t *at, int64_t v, uint64_t where) {
    if (v < INT32_MIN || v > INT32_MAX)
        return tb_fail(L->err, TB_ERR_LIMIT, TB_NO_OFFSET,
                       "object %u: relocation in %s at 0x%llx out of 32-bit range",
                       r->o->index, art_in_secname(r->o, r->target),
                       (unsigned long long)where);
    int32_t x = (int32_t)v;
    memcpy(at, &x, 4);
    return true;
}

/* mov foo@GOTPCREL(%rip), %reg -> lea foo(%rip), %reg when foo is in the image: one
   load fewer on every use (the GOT slot stays, unused). */
static bool relax(uint32_t type, const target *t, uint8_t *at, const Elf64_Rela *e) {
    if (t->name || type == R_X86_64_GOTPCREL || e->r_addend != -4 || e->r_offset < 2 ||
        at[-2] != 0x8b)
        return false;
    at[-2] = 0x8d;
    return true;
}

static bool apply_rela(linker *L, const relsec *r, const Elf64_Rela *e) {
    uint32_t type = ELF64_R_TYPE(e->r_info);
    if (type == R_X86_64_NONE) return true;
    uint64_t p = L->base[r->o->part[r->target]] + r->o->off[r->target] + e->r_offset;
    uint8_t *at = L->img->bytes + p;
    int64_t a = e->r_addend;
    uint64_t got = L->img->rw_off;
    if (type == R_X86_64_GOTPC32) return put32(L, r, at, (int64_t)(got + a - p), e->r_offset);
    if (type == R_X86_64_GOTPC64) { uint64_t g = got + a - p; memcpy(at, &g, 8); return true; }
    target t;
    if (!resolve(L, r->o, ELF64_R_SYM(e->r_info), &t)) return false;
    uint32_t slot = 0;
    if (uses_got(type) || t.name) {
        if (!got_slot(L, &t, &slot)) return false;
    }
    uint64_t s = t.name ? L->plt_off + (uint64_t)(L->plt[slot] - 1) * PLT_STUB : addr_of(L, &t);
    uint64_t v;
    switch (type) {
    case R_X86_64_PC32: case R_X86_64_PLT32:
        return put32(L, r, at, (int64_t)(s + a - p), e->r_offset);
    case R_X86_64_PC64: v = s + a - p; break;
    case R_X86_64_GOTOFF64: case R_X86_64_PLTOFF64: v = s + a - got; break;
    case R_X86_64_GOT64: v = 8ull * slot + a; break;
    case R_X86_64_GOTPCREL64: v = got + 8ull * slot + a - p; break;
    default:   /* the GOTPCREL family */
        if (relax(type, &t, at, e))
            return put32(L, r, at, (int64_t)(s + a - p), e->r_offset);
        return put32(L, r, at, (int64_t)(got + 8ull * slot + a - p), e->r_offset);
    }
    memcpy(at, &v, 8);
    return true;
}

typedef bool (*rela_fn)(linker *L, const relsec *r, const Elf64_Rela *e);

static bool each_rela(linker *L, rela_fn fn) {
    for (uint32_t k = 0; k < L->nin; k++)
        for (uint32_t i = 1; i < L->in[k].shnum; i++) {
            relsec r;
            bool use;
            if (!relsec_of(L, &L->in[k], i, &r, &use)) return false;
            for (uint64_t j = 0; use && j < r.s->sh_size / sizeof(Elf64_Rela); j++) {
                Elf64_Rela e = rela_at(&r, j);
                if (!fn(L, &r, &e)) return false;
            }
        }
    return true;
}

/* PLT stubs for the GOT slots that name a runtime function (scan made the slots). */
static bool make_plt(linker *L) {
    L->plt = tb_calloc(L->got.len ? L->got.len : 1, sizeof *L->plt);
    if (!L->plt) return tb_oom(L->err);
    for (uint32_t i = 0; i < L->got.len; i++)
        if (L->got.v[i].name) L->plt[i] = ++L->nplt;
    return true;
}

/* ---- layout and output ---- */

static bool layout(linker *L) {
    art_image *img = L->img;
    L->plt_off = art_align(L->len[ART_PART_CODE], 16);
    img->text_len = L->nplt ? L->plt_off + (uint64_t)L->nplt * PLT_STUB : L->len[ART_PART_CODE];
    img->ro_off = art_align(img->text_len, ART_PAGE);
    img->ro_len = L->len[ART_PART_RO];
    img->rw_off = art_align(img->ro_off + img->ro_len, ART_PAGE);
    img->ngot = L->got.len;
    uint64_t data = art_data_off(img->rw_off, img->ngot);
    img->rw_len = L->len[ART_PART_DATA] ? data - img->rw_off + L->len[ART_PART_DATA]
                                        : (uint64_t)img->ngot * 8;
    img->len = img->rw_off + img->rw_len;
    if (img->len > MAX_PART)   /* every part must reach every other with rel32 */
        return tb_fail(L->err, TB_ERR_LIMIT, TB_NO_OFFSET, "image larger than 2 GiB");
    L->base[ART_PART_CODE] = 0;
    L->base[ART_PART_RO] = img->ro_off;
    L->base[ART_PART_DATA] = data;
    img->bytes = tb_calloc(img->len ? img->len : 1, 1);
    return img->bytes ? true : tb_oom(L->err);
}

static void copy_sections(linker *L) {
    memset(L->img->bytes, 0xcc, CODE_PAD);
    for (uint32_t k = 0; k < L->nin; k++) {
        const art_in *o = &L->in[k];
        for (uint32_t i = 1; i < o->shnum; i++)
            if (o->part[i] != ART_PART_NONE && o->sh[i].sh_type != SHT_NOBITS)
                memcpy(L->img->bytes + L->base[o->part[i]] + o->off[i], o->b + o->sh[i].sh_offset,
                       o->sh[i].sh_size);
    }
    for (uint32_t i = 0; i < L->got.len; i++) {
        if (!L->plt[i]) continue;
        uint64_t at = L->plt_off + (uint64_t)(L->plt[i] - 1) * PLT_STUB;
        uint8_t *b = L->img->bytes + at;
        int32_t rel = (int32_t)(L->img->rw_off + 8ull * i - (at + 6));
        b[0] = 0xff; b[1] = 0x25;
        memcpy(b + 2, &rel, 4);
        b[6] = b[7] = 0xcc;
    }
}

static bool output_got(linker *L) {
    art_image *img = L->img;
    img->got = tb_calloc(img->ngot ? img->ngot : 1, sizeof *img->got);
    if (!img->got) return tb_oom(L->err);
    for (uint32_t i = 0; i < img->ngot; i++) {
        const struct slot *s = &L->got.v[i];
        if (s->name && !(img->got[i].name = tb_strndup(s->name, strlen(s->name))))
            return tb_oom(L->err);
        if (!s->name) img->got[i].off = L->base[s->part] + s->off;
    }
    return true;
}

/* tf<i> or te<i>: a global (or, unambiguous, local) function in the code. */
static bool find_func(linker *L, char kind, uint32_t i, uint64_t *off, uint64_t *size) {
    char name[24];
    snprintf(name, sizeof name, "t%c%u", kind, i);
    uint64_t *ref = art_map_get(&L->globals, name, 0);
    if (!ref) ref = art_map_get(&L->locals, name, 0);
    if (!ref || *ref == UINT64_MAX)
        return LINKERR("function %s %s", name, ref ? "defined locally in two objects" : "not found");
    const art_in *o = &L->in[*ref >> 32];
    const Elf64_Sym *y = &o->sym[(uint32_t)*ref];
    target t;
    if (!defined_at(L, o, (uint32_t)*ref, &t)) return false;
    if (t.part != ART_PART_CODE) return LINKERR("symbol %s is not in code", name);
    if (y->st_size > o->sh[y->st_shndx].sh_size - y->st_value)
        return BAD("object %u: function %s: size 0x%llx beyond its section", o->index, name,
                   (unsigned long long)y->st_size);
    *off = addr_of(L, &t);
    if (size) *size = y->st_size;
    return true;
}

static bool find_funcs(linker *L, uint32_t nfuncs) {
    art_image *img = L->img;
    img->nfuncs = nfuncs;
    size_t n = nfuncs ? nfuncs : 1;
    img->fn_off = tb_calloc(n, 8);
    img->fn_size = tb_calloc(n, 8);
    img->entry_off = tb_calloc(n, 8);
    if (!img->fn_off || !img->fn_size || !img->entry_off) return tb_oom(L->err);
    for (uint32_t i = 0; i < nfuncs; i++)
        if (!find_func(L, 'f', i, &img->fn_off[i], &img->fn_size[i]) ||
            !find_func(L, 'e', i, &img->entry_off[i], NULL))
            return false;
    return true;
}

static bool link_all(linker *L, const art_obj *objs, uint32_t nfuncs) {
    for (uint32_t k = 0; k < L->nin; k++)
        if (!art_in_parse(&L->in[k], k, objs[k].bytes, objs[k].len, L->err)) return false;
    if (!place_all(L)) return false;
    for (uint32_t k = 0; k < L->nin; k++)
        if (!add_globals(L, k)) return false;
    if (!each_rela(L, scan_rela) || !make_plt(L) || !layout(L)) return false;
    copy_sections(L);
    return each_rela(L, apply_rela) && output_got(L) && find_funcs(L, nfuncs);
}

bool art_link(const art_obj *objs, uint32_t nobjs, uint32_t nfuncs, art_image *out,
              tb_error *err) {
    *out = (art_image){0};
    linker L = {.nin = nobjs, .img = out, .err = err};
    L.in = tb_calloc(nobjs ? nobjs : 1, sizeof *L.in);
    bool ok = L.in ? link_all(&L, objs, nfuncs) : tb_oom(err);
    for (uint32_t k = 0; L.in && k < nobjs; k++) art_in_free(&L.in[k]);
    tb_free(L.in);
    art_map_free(&L.globals);
    art_map_free(&L.locals);
    art_map_free(&L.gotmap);
    tb_vec_free(&L.got);
    tb_free(L.plt);
    if (!ok) art_image_free(out);
    return ok;
}

void art_image_free(art_image *img) {
    if (!img) return;
    for (uint32_t i = 0; img->got && i < img->ngot; i++) tb_free(img->got[i].name);
    tb_free(img->got);
    tb_free(img->bytes);
    tb_free(img->fn_off);
    tb_free(img->fn_size);
    tb_free(img->entry_off);
    *img = (art_image){0};
}
