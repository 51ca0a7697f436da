/* file: an image and its module as a .taho file: an ELF64 file whose parts sit on page
   boundaries (the loader maps them with their own protections, straight from the file),
   plus .taho.meta (what the code needs: versions, CPU features, function table, GOT)
   and .taho.wasm (the module). */
#include "internal.h"
#include "../base/sha256.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

_Static_assert(sizeof(art_meta_hdr) == 320, "meta header layout is part of the format");
_Static_assert(sizeof(art_meta_func) == 24 && sizeof(art_meta_got) == 16, "meta tables");

static const char shstrtab[] =
    "\0.text\0.rodata\0.got\0.data\0.taho.meta\0.taho.wasm\0.shstrtab";
enum { SN_TEXT = 1, SN_RODATA = 7, SN_GOT = 15, SN_DATA = 20, SN_META = 26, SN_WASM = 37,
       SN_SHSTRTAB = 48 };

/* Where everything goes in the file. */
typedef struct plan {
    uint64_t meta_off, meta_len, funcs_off, got_off, names_off, names_len;
    uint64_t wasm_off, shstr_off, sh_off, len;
    uint32_t nph, nsh;
} plan;

static uint64_t names_size(const art_image *img) {
    uint64_t n = 0;
    for (uint32_t i = 0; i < img->ngot; i++)
        if (img->got[i].name) n += strlen(img->got[i].name) + 1;
    return n;
}

static void make_plan(const art_image *img, size_t wasm_len, plan *p) {
    p->nph = (img->text_len > 0) + (img->ro_len > 0) + (img->rw_len > 0);
    p->meta_off = art_align(ART_IMAGE_FILE_OFF + img->len, ART_PAGE);
    p->funcs_off = sizeof(art_meta_hdr);
    p->got_off = p->funcs_off + (uint64_t)img->nfuncs * sizeof(art_meta_func);
    p->names_off = p->got_off + (uint64_t)img->ngot * sizeof(art_meta_got);
    p->names_len = names_size(img);
    p->meta_len = p->names_off + p->names_len;
    p->wasm_off = art_align(p->meta_off + p->meta_len, 8);
    p->shstr_off = p->wasm_off + wasm_len;
    p->sh_off = art_align(p->shstr_off + sizeof shstrtab, 8);
    p->nsh = 8;                     /* .shstrtab last: e_shstrndx */
    p->len = p->sh_off + p->nsh * sizeof(Elf64_Shdr);
}

static void put_ehdr(uint8_t *f, const plan *p) {
    Elf64_Ehdr eh = {0};
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
    eh.e_type = ET_DYN;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_phoff = sizeof eh;
    eh.e_shoff = p->sh_off;
    eh.e_ehsize = sizeof eh;
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = (uint16_t)p->nph;
    eh.e_shentsize = sizeof(Elf64_Shdr);
    eh.e_shnum = (uint16_t)p->nsh;
    eh.e_shstrndx = (uint16_t)(p->nsh - 1);
    memcpy(f, &eh, sizeof eh);
}

/* One PT_LOAD per non-empty part; file offset = virtual address (the image is
   position-independent, addresses are only relative). */
static void put_phdrs(uint8_t *f, const art_image *img) {
    struct { uint64_t off, len; uint32_t flags; } parts[] = {
        {0, img->text_len, PF_R | PF_X}, {img->ro_off, img->ro_len, PF_R},
        {img->rw_off, img->rw_len, PF_R | PF_W},
    };
    uint8_t *at = f + sizeof(Elf64_Ehdr);
    for (size_t i = 0; i < TB_ARRAY_LEN(parts); i++) {
        if (!parts[i].len) continue;
        uint64_t off = ART_IMAGE_FILE_OFF + parts[i].off;
        Elf64_Phdr ph = {PT_LOAD, parts[i].flags, off, off, off, parts[i].len, parts[i].len,
                         ART_PAGE};
        memcpy(at, &ph, sizeof ph);
        at += sizeof ph;
    }
}

static Elf64_Shdr shdr(uint32_t name, uint32_t type, uint64_t flags, uint64_t off,
                       uint64_t size, uint64_t align, uint64_t entsize) {
    return (Elf64_Shdr){name, type, flags, flags & SHF_ALLOC ? off : 0, off, size, 0, 0,
                        align, entsize};
}

static void put_shdrs(uint8_t *f, const art_image *img, const plan *p, size_t wasm_len) {
    uint64_t img_at = ART_IMAGE_FILE_OFF;
    uint64_t got_len = (uint64_t)img->ngot * 8;
    uint64_t data = art_data_off(img->rw_off, img->ngot);
    uint64_t data_len = img->rw_len > got_len ? img->rw_off + img->rw_len - data : 0;
    Elf64_Shdr sh[8] = {
        {0},
        shdr(SN_TEXT, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, img_at, img->text_len, 16, 0),
        shdr(SN_RODATA, SHT_PROGBITS, SHF_ALLOC, img_at + img->ro_off, img->ro_len, 16, 0),
        shdr(SN_GOT, SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, img_at + img->rw_off, got_len, 8, 8),
        shdr(SN_DATA, SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, img_at + data, data_len, 16, 0),
        shdr(SN_META, SHT_PROGBITS, 0, p->meta_off, p->meta_len, 8, 0),
        shdr(SN_WASM, SHT_PROGBITS, 0, p->wasm_off, wasm_len, 1, 0),
        shdr(SN_SHSTRTAB, SHT_STRTAB, 0, p->shstr_off, sizeof shstrtab, 1, 0),
    };
    memcpy(f + p->sh_off, sh, sizeof sh);
}

static void copy_str(char *dst, size_t n, const char *src) {
    memset(dst, 0, n);
    memcpy(dst, src, strnlen(src, n - 1));
}

static void put_meta(uint8_t *f, const art_image *img, const art_meta *m, const plan *p,
                     const uint8_t *wasm, size_t wasm_len) {
    art_meta_hdr h = {.format = ART_FORMAT, .hdr_size = sizeof h, .file_len = p->len,
        .image_off = ART_IMAGE_FILE_OFF, .image_len = img->len, .text_len = img->text_len,
        .ro_off = img->ro_off, .ro_len = img->ro_len, .rw_off = img->rw_off,
        .rw_len = img->rw_len, .ngot = img->ngot, .nfuncs = img->nfuncs,
        .funcs_off = p->funcs_off, .got_off = p->got_off, .names_off = p->names_off,
        .names_len = p->names_len, .wasm_off = p->wasm_off, .wasm_len = wasm_len,
        .tier_abi = m->tier_abi, .opt = m->opt, .features = m->features,
        .checks = m->checks};
    memcpy(h.magic, ART_MAGIC, 8);
    copy_str(h.taho_version, sizeof h.taho_version, m->taho_version);
    copy_str(h.target, sizeof h.target, m->target);
    copy_str(h.cpu, sizeof h.cpu, m->cpu);
    static const uint8_t zero[32];
    if (memcmp(m->wasm_sha256, zero, 32) == 0) tb_sha256(wasm, wasm_len, h.wasm_sha256);
    else memcpy(h.wasm_sha256, m->wasm_sha256, 32);
    uint8_t *meta = f + p->meta_off;
    memcpy(meta, &h, sizeof h);
    for (uint32_t i = 0; i < img->nfuncs; i++) {
        art_meta_func fn = {img->fn_off[i], img->fn_size[i], img->entry_off[i]};
        memcpy(meta + p->funcs_off + i * sizeof fn, &fn, sizeof fn);
    }
    uint64_t name_at = 0;
    for (uint32_t i = 0; i < img->ngot; i++) {
        art_meta_got g = {0, 0, img->got[i].off};
        if (img->got[i].name) {
            size_t n = strlen(img->got[i].name) + 1;
            g = (art_meta_got){(uint32_t)(name_at + 1), 0, 0};
            memcpy(meta + p->names_off + name_at, img->got[i].name, n);
            name_at += n;
        }
        memcpy(meta + p->got_off + i * sizeof g, &g, sizeof g);
    }
}

bool art_encode(const art_image *img, const art_meta *meta, const uint8_t *wasm,
                size_t wasm_len, uint8_t **out, size_t *out_len, tb_error *err) {
    *out = NULL;
    plan p;
    make_plan(img, wasm_len, &p);
    if (p.names_len >= UINT32_MAX)
        return tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET, "artifact: too many GOT names");
    uint8_t *f = tb_calloc(p.len, 1);
    if (!f) return tb_oom(err);
    put_ehdr(f, &p);
    put_phdrs(f, img);
    memcpy(f + ART_IMAGE_FILE_OFF, img->bytes, img->len);
    put_meta(f, img, meta, &p, wasm, wasm_len);
    if (wasm_len) memcpy(f + p.wasm_off, wasm, wasm_len);
    memcpy(f + p.shstr_off, shstrtab, sizeof shstrtab);
    put_shdrs(f, img, &p, wasm_len);
    uint64_t sum = art_checksum(f, p.len, p.meta_off + ART_CHECKSUM_AT);
    memcpy(f + p.meta_off + ART_CHECKSUM_AT, &sum, 8);
    *out = f;
    *out_len = p.len;
    return true;
}

static bool write_all(int fd, const uint8_t *b, size_t n) {
    while (n) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        b += w;
        n -= (size_t)w;
    }
    return true;
}

static bool io_fail(tb_error *err, const char *path, const char *what) {
    return tb_fail(err, TB_ERR_IO, TB_NO_OFFSET, "%s: %s: %s", path, what, strerror(errno));
}

bool art_write(const char *path, const art_image *img, const art_meta *meta,
               const uint8_t *wasm, size_t wasm_len, tb_error *err) {
    uint8_t *f;
    size_t len;
    if (!art_encode(img, meta, wasm, wasm_len, &f, &len, err)) return false;
    size_t plen = strlen(path);
    char *tmp = tb_malloc(plen + 16);
    if (!tmp) { tb_free(f); return tb_oom(err); }
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp.XXXXXX", 12);
    bool ok = false;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        io_fail(err, path, "cannot create a temporary file");
    } else {
        bool written = fchmod(fd, 0644) == 0 && write_all(fd, f, len);
        if (close(fd) != 0) written = false;
        if (!written) io_fail(err, path, "cannot write");
        else if (rename(tmp, path) != 0) io_fail(err, path, "cannot rename into place");
        else ok = true;
        if (!ok) unlink(tmp);
    }
    tb_free(tmp);
    tb_free(f);
    return ok;
}

bool art_find_meta(const uint8_t *b, size_t len, uint64_t *off, uint64_t *size,
                   const char **why) {
    Elf64_Ehdr eh;
    *why = "not an ELF file";
    if (!b || len < SELFMAG || memcmp(b, ELFMAG, SELFMAG) != 0) return false;
    *why = "truncated (ELF header)";
    if (len < sizeof eh) return false;
    memcpy(&eh, b, sizeof eh);
    *why = "not an x86-64 ELF64 taho artifact";
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
        eh.e_type != ET_DYN || eh.e_machine != EM_X86_64 ||
        eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum == 0 || eh.e_shstrndx >= eh.e_shnum)
        return false;
    *why = "truncated (section table beyond the end)";
    if (eh.e_shoff > len || (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr) > len - eh.e_shoff)
        return false;
    Elf64_Shdr str, s;
    memcpy(&str, b + eh.e_shoff + eh.e_shstrndx * sizeof str, sizeof str);
    *why = "truncated (section names beyond the end)";
    if (str.sh_offset > len || str.sh_size > len - str.sh_offset) return false;
    for (uint32_t i = 0; i < eh.e_shnum; i++) {
        memcpy(&s, b + eh.e_shoff + i * sizeof s, sizeof s);
        if (s.sh_name >= str.sh_size || str.sh_size - s.sh_name < sizeof ".taho.meta" ||
            memcmp(b + str.sh_offset + s.sh_name, ".taho.meta", sizeof ".taho.meta") != 0)
            continue;
        *why = "truncated (.taho.meta beyond the end)";
        if (s.sh_offset > len || s.sh_size > len - s.sh_offset) return false;
        *off = s.sh_offset;
        *size = s.sh_size;
        return true;
    }
    *why = "not a taho artifact (no .taho.meta section)";
    return false;
}

bool art_is_artifact(const uint8_t *bytes, size_t len) {
    return bytes && len >= SELFMAG && memcmp(bytes, ELFMAG, SELFMAG) == 0;
}
