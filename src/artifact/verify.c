/* verify: every check an artifact passes before any of its code is made executable:
   ELF structure, our format, the checksum, the versions, this CPU, the layout and its
   tables, the module's sha256. Each failure says which check and why. */
#include "internal.h"
#include "../base/sha256.h"
#include "../../include/taho.h"
#include <stdio.h>

#define FAIL(kind, ...) fail(f, err, kind, __VA_ARGS__)
#define CORRUPT(...) FAIL(TB_ERR_MALFORMED, "corrupted (" __VA_ARGS__)

static bool fail(const art_file *f, tb_error *err, tb_errkind kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool fail(const art_file *f, tb_error *err, tb_errkind kind, const char *fmt, ...) {
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return tb_fail(err, kind, TB_NO_OFFSET, "%s: %s", f->name, what);
}

static bool in_file(uint64_t off, uint64_t size, uint64_t len) {
    return off <= len && size <= len - off;
}

static bool check_header(art_file *f, uint64_t *meta_off, uint64_t *meta_size,
                         tb_error *err) {
    const char *why;
    if (!art_find_meta(f->map, f->len, meta_off, meta_size, &why))
        return FAIL(TB_ERR_MALFORMED, "%s", why);
    uint64_t size = *meta_size;
    if (size < 12 || memcmp(f->map + *meta_off, ART_MAGIC, 8) != 0)
        return FAIL(TB_ERR_MALFORMED, "not a taho artifact (bad magic in .taho.meta)");
    uint32_t format = tb_rd32(f->map + *meta_off + 8);
    if (format != ART_FORMAT)
        return FAIL(TB_ERR_INVALID, "artifact format %u, this taho reads format %u: recompile it",
                    format, ART_FORMAT);
    if (size < sizeof f->hdr || *meta_off % 8)
        return CORRUPT("meta header of %llu bytes at 0x%llx)", (unsigned long long)size,
                       (unsigned long long)*meta_off);
    memcpy(&f->hdr, f->map + *meta_off, sizeof f->hdr);
    if (f->hdr.hdr_size != sizeof f->hdr)
        return CORRUPT("meta header size %u)", f->hdr.hdr_size);
    if (f->hdr.file_len > f->len)
        return FAIL(TB_ERR_MALFORMED, "truncated (%zu of %llu bytes)", f->len,
                    (unsigned long long)f->hdr.file_len);
    if (f->hdr.file_len != f->len)
        return CORRUPT("%zu bytes, the header says %llu)", f->len,
                       (unsigned long long)f->hdr.file_len);
    if (art_checksum(f->map, f->len, *meta_off + ART_CHECKSUM_AT) != f->hdr.checksum)
        return CORRUPT("checksum mismatch)");
    return true;
}

static void copy_cstr(char *dst, size_t n, const char *src, size_t srcn) {
    size_t k = strnlen(src, srcn);
    if (k >= n) k = n - 1;
    memcpy(dst, src, k);
    dst[k] = 0;
}

static bool check_build(art_file *f, tb_error *err) {
    const art_meta_hdr *h = &f->hdr;
    art_meta *m = &f->meta;
    copy_cstr(m->taho_version, sizeof m->taho_version, h->taho_version, sizeof h->taho_version);
    copy_cstr(m->target, sizeof m->target, h->target, sizeof h->target);
    copy_cstr(m->cpu, sizeof m->cpu, h->cpu, sizeof h->cpu);
    m->tier_abi = h->tier_abi;
    m->features = h->features;
    m->opt = h->opt;
    m->checks = h->checks;
    memcpy(m->wasm_sha256, h->wasm_sha256, 32);
    if (m->checks & ~(uint32_t)(RT_CHECK_FUEL | RT_CHECK_EPOCH))
        return CORRUPT("unknown checks 0x%x)", m->checks);
    if (strcmp(m->taho_version, TAHO_VERSION) != 0)
        return FAIL(TB_ERR_INVALID, "made by taho %s, this is %s: recompile it",
                    m->taho_version, TAHO_VERSION);
    if (m->tier_abi != RT_TIER_ABI)
        return FAIL(TB_ERR_INVALID, "made for compiled-code ABI %u, this taho uses %u: "
                    "recompile it", m->tier_abi, RT_TIER_ABI);
    uint64_t missing = m->features & ~art_cpu_host();
    if (missing) {
        char names[160];
        return FAIL(TB_ERR_INVALID, "compiled for CPU features %s which this machine lacks "
                    "(target %s): recompile it for this machine",
                    art_cpu_names(missing, names, sizeof names), m->target);
    }
    return true;
}

/* The image parts: in order, on pages, inside the file before the meta section. */
static bool check_layout(art_file *f, uint64_t meta_off, tb_error *err) {
    const art_meta_hdr *h = &f->hdr;
    uint64_t got_len = (uint64_t)h->ngot * 8;
    if (h->image_off != ART_IMAGE_FILE_OFF || !in_file(h->image_off, h->image_len, meta_off))
        return CORRUPT("image at 0x%llx+0x%llx)", (unsigned long long)h->image_off,
                       (unsigned long long)h->image_len);
    if (h->ro_off % ART_PAGE || h->rw_off % ART_PAGE || h->text_len > h->ro_off ||
        !in_file(h->ro_off, h->ro_len, h->rw_off) || !in_file(h->rw_off, h->rw_len, h->image_len) ||
        h->rw_off + h->rw_len != h->image_len || got_len > h->rw_len ||
        (h->rw_len > got_len && art_data_off(h->rw_off, h->ngot) > h->rw_off + h->rw_len))
        return CORRUPT("image parts)");
    return true;
}

static bool check_phdrs(art_file *f, tb_error *err) {
    Elf64_Ehdr eh;
    memcpy(&eh, f->map, sizeof eh);
    const art_meta_hdr *h = &f->hdr;
    if (eh.e_phentsize != sizeof(Elf64_Phdr) ||
        !in_file(eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr), ART_PAGE))
        return CORRUPT("program headers)");
    struct { uint64_t off, len; uint32_t flags; } parts[] = {
        {0, h->text_len, PF_R | PF_X}, {h->ro_off, h->ro_len, PF_R},
        {h->rw_off, h->rw_len, PF_R | PF_W},
    };
    uint32_t want = 0, seen = 0;
    for (size_t k = 0; k < 3; k++) want += parts[k].len > 0;
    for (uint32_t i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, f->map + eh.e_phoff + i * sizeof ph, sizeof ph);
        if (ph.p_type != PT_LOAD) continue;
        bool match = false;
        for (size_t k = 0; k < 3 && !match; k++)
            match = parts[k].len && ph.p_offset == h->image_off + parts[k].off &&
                    ph.p_vaddr == ph.p_offset && ph.p_filesz == parts[k].len &&
                    ph.p_memsz == parts[k].len && ph.p_flags == parts[k].flags;
        if (!match) return CORRUPT("program header %u does not match the image)", i);
        seen++;
    }
    if (seen != want) return CORRUPT("%u loadable program headers, expected %u)", seen, want);
    return true;
}

static bool read_funcs(art_file *f, const uint8_t *meta, tb_error *err) {
    const art_meta_hdr *h = &f->hdr;
    size_t n = h->nfuncs ? h->nfuncs : 1;
    f->fn_off = tb_calloc(n, 8);
    f->fn_size = tb_calloc(n, 8);
    f->entry_off = tb_calloc(n, 8);
    if (!f->fn_off || !f->fn_size || !f->entry_off) return tb_oom(err);
    for (uint32_t i = 0; i < h->nfuncs; i++) {
        art_meta_func fn;
        memcpy(&fn, meta + h->funcs_off + i * sizeof fn, sizeof fn);
        if (!in_file(fn.off, fn.size, h->text_len) || fn.entry >= h->text_len)
            return CORRUPT("function %u outside the code)", i);
        f->fn_off[i] = fn.off;
        f->fn_size[i] = fn.size;
        f->entry_off[i] = fn.entry;
    }
    return true;
}

static bool read_got(art_file *f, const uint8_t *meta, tb_error *err) {
    const art_meta_hdr *h = &f->hdr;
    const char *names = (const char *)meta + h->names_off;
    if (h->names_len && names[h->names_len - 1] != 0) return CORRUPT("GOT names)");
    f->got = tb_calloc(h->ngot ? h->ngot : 1, sizeof *f->got);
    if (!f->got) return tb_oom(err);
    for (uint32_t i = 0; i < h->ngot; i++) {
        art_meta_got g;
        memcpy(&g, meta + h->got_off + i * sizeof g, sizeof g);
        if (g.name) {
            if (g.name - 1 >= h->names_len) return CORRUPT("GOT slot %u name)", i);
            f->got[i].name = (char *)names + g.name - 1;
            if (!art_libcall(f->got[i].name))
                return FAIL(TB_ERR_LINK, "needs runtime function %s, which this taho lacks",
                            f->got[i].name);
        } else if (g.off >= h->image_len) {
            return CORRUPT("GOT slot %u outside the image)", i);
        }
        f->got[i].off = g.off;
    }
    return true;
}

static bool check_tables(art_file *f, uint64_t meta_off, uint64_t size, tb_error *err) {
    const art_meta_hdr *h = &f->hdr;
    if (!in_file(h->funcs_off, (uint64_t)h->nfuncs * sizeof(art_meta_func), size) ||
        !in_file(h->got_off, (uint64_t)h->ngot * sizeof(art_meta_got), size) ||
        !in_file(h->names_off, h->names_len, size))
        return CORRUPT("meta tables)");
    if (!in_file(h->wasm_off, h->wasm_len, f->len)) return CORRUPT("module bytes)");
    const uint8_t *meta = f->map + meta_off;
    return read_funcs(f, meta, err) && read_got(f, meta, err);
}

static bool check_module(art_file *f, tb_error *err) {
    uint8_t sum[32];
    tb_sha256(f->map + f->hdr.wasm_off, f->hdr.wasm_len, sum);
    if (memcmp(sum, f->hdr.wasm_sha256, 32) != 0)
        return CORRUPT("the embedded module does not match its sha256)");
    return true;
}

bool art_verify(art_file *f, tb_error *err) {
    uint64_t meta_off, meta_size;
    return check_header(f, &meta_off, &meta_size, err) && check_build(f, err) &&
           check_layout(f, meta_off, err) && check_phdrs(f, err) &&
           check_tables(f, meta_off, meta_size, err) && check_module(f, err);
}

/* One kind of check: the engine's wish against what the code has. The hints name
   the public API's setting and the CLI's flags. */
static bool check_one(const art_file *f, uint32_t want, uint32_t kind, tb_error *err) {
    bool fuel = kind == RT_CHECK_FUEL, has = f->meta.checks & kind, wanted = want & kind;
    const char *what = fuel ? "fuel" : "epoch";
    const char *limit = fuel ? "fuel (consume_fuel, --fuel N)"
                             : "epoch interruption (epoch_interruption, --timeout)";
    const char *flag = fuel ? "--consume-fuel" : "--epoch-interruption";
    if (has == wanted) return true;
    if (wanted)
        return FAIL(TB_ERR_INVALID, "compiled without %s checks, so it cannot run with %s: "
                    "recompile it with taho compile %s", what, limit, flag);
    return FAIL(TB_ERR_INVALID, "compiled with %s checks, so it runs only with %s: "
                "enable it, or recompile without %s", what, limit, flag);
}

bool art_file_checks_match(const art_file *f, uint32_t checks, tb_error *err) {
    return check_one(f, checks, RT_CHECK_FUEL, err) && check_one(f, checks, RT_CHECK_EPOCH, err);
}
