/* load: artifacts and images made runnable. A file is mapped read-only and verified
   (verify.c) before anything else; then the GOT is filled and each part gets its
   protection: code R+X, read-only data R, GOT R once filled, data R+W. */
#include "internal.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct art_range { uintptr_t start, end; uint32_t idx; } art_range;

/* What an rt_native made here owns. */
typedef struct art_native {
    rt_native n;
    void *map;
    size_t map_len;
    art_range *ranges;            /* functions sorted by start, for func_at */
    void *owner;
    void (*drop)(void *owner);
} art_native;

/* Every page is touched at once anyway (copied into, or read by the checksum), and
   one populating mmap costs far less than a fault per page (3x measured for 18 MB). */
#define ANON_FLAGS (MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE)

static size_t page_round(size_t n) { return (size_t)art_align(n, ART_PAGE); }

/* ---- making a mapping runnable ---- */

static bool protect(uint8_t *at, size_t len, int prot, const char *who, const char *part,
                    tb_error *err) {
    if (!len || mprotect(at, page_round(len), prot) == 0) return true;
    return tb_fail(err, TB_ERR_IO, TB_NO_OFFSET, "%s: cannot protect the %s: %s", who, part,
                   strerror(errno));
}

static bool fill_got(const art_layout *l, const char *who, tb_error *err) {
    if (!l->ngot) return true;
    uint8_t *got = l->base + l->rw_off;
    size_t got_len = art_data_off(l->rw_off, l->ngot) - l->rw_off;
    if (!protect(got, got_len, PROT_READ | PROT_WRITE, who, "GOT", err)) return false;
    for (uint32_t i = 0; i < l->ngot; i++) {
        void *a = l->got[i].name ? art_libcall(l->got[i].name) : l->base + l->got[i].off;
        if (!a)
            return tb_fail(err, TB_ERR_LINK, TB_NO_OFFSET,
                           "%s: needs runtime function %s, which this taho lacks", who,
                           l->got[i].name);
        memcpy(got + 8ull * i, &a, 8);
    }
    return protect(got, got_len, PROT_READ, who, "GOT", err);
}

static bool protect_parts(const art_layout *l, const char *who, tb_error *err) {
    uint64_t data = art_data_off(l->rw_off, l->ngot), end = l->rw_off + l->rw_len;
    return protect(l->base, l->text_len, PROT_READ | PROT_EXEC, who, "code", err) &&
           protect(l->base + l->ro_off, l->ro_len, PROT_READ, who, "read-only data", err) &&
           (end <= data ||
            protect(l->base + data, end - data, PROT_READ | PROT_WRITE, who, "data", err));
}

static int by_start(const void *a, const void *b) {
    const art_range *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

int64_t art_native_func_at(const rt_native *n, uintptr_t pc) {
    const art_native *a = n->priv;
    if (!a || !a->ranges) return -1;
    uint32_t lo = 0, hi = n->nfuncs;       /* first range starting after pc */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (a->ranges[mid].start <= pc) lo = mid + 1;
        else hi = mid;
    }
    if (lo == 0 || pc >= a->ranges[lo - 1].end) return -1;
    return a->ranges[lo - 1].idx;
}

static void release(rt_native *n) {
    if (!n) return;
    art_native *a = n->priv;
    if (a->map) munmap(a->map, a->map_len);
    if (a->drop) a->drop(a->owner);
    tb_free(a->ranges);
    tb_free(n->entries);
    tb_free(n->fns);
    tb_free(a);
}

static bool fill_native(art_native *a, const art_layout *l) {
    uint32_t n = l->nfuncs;
    a->n.nfuncs = n;
    a->n.entries = tb_calloc(n ? n : 1, sizeof *a->n.entries);
    a->n.fns = tb_calloc(n ? n : 1, sizeof *a->n.fns);
    a->ranges = tb_calloc(n ? n : 1, sizeof *a->ranges);
    if (!a->n.entries || !a->n.fns || !a->ranges) return false;
    for (uint32_t i = 0; i < n; i++) {
        a->n.fns[i] = l->base + l->fn_off[i];
        a->n.entries[i] = (rt_host_fn)(void *)(l->base + l->entry_off[i]);
        uintptr_t start = (uintptr_t)(l->base + l->fn_off[i]);
        a->ranges[i] = (art_range){start, start + l->fn_size[i], i};
    }
    qsort(a->ranges, n, sizeof *a->ranges, by_start);
    a->n.code_start = (uintptr_t)l->base; /* the code part (tier_trace.c finds it by pc) */
    a->n.code_end = (uintptr_t)l->base + l->text_len;
    return true;
}

bool art_make_native(void *map, size_t map_len, const art_layout *l, rt_native **out,
                     tb_error *err, const char *who) {
    *out = NULL;
    art_native *a = tb_calloc(1, sizeof *a);
    if (!a) return tb_oom(err);
    a->n.priv = a;
    a->n.release = release;
    a->n.func_at = art_native_func_at;
    if (!fill_native(a, l)) {
        release(&a->n);
        return tb_oom(err);
    }
    if (!fill_got(l, who, err) || !protect_parts(l, who, err)) {
        release(&a->n);
        return false;
    }
    a->map = map;
    a->map_len = map_len;
    a->owner = l->owner;
    a->drop = l->drop;
    *out = &a->n;
    return true;
}

/* ---- JIT images ---- */

bool art_load_image(const art_image *img, rt_native **out, tb_error *err) {
    *out = NULL;
    size_t len = page_round(img->len ? img->len : 1);
    void *map = mmap(NULL, len, PROT_READ | PROT_WRITE, ANON_FLAGS, -1, 0);
    if (map == MAP_FAILED)
        return tb_fail(err, TB_ERR_OOM, TB_NO_OFFSET, "compiled code: cannot map %zu bytes: %s",
                       len, strerror(errno));
    memcpy(map, img->bytes, img->len);
    art_layout l = {map, img->text_len, img->ro_off, img->ro_len, img->rw_off, img->rw_len,
                    img->ngot, img->nfuncs, img->got, img->fn_off, img->fn_size,
                    img->entry_off, NULL, NULL};
    /* read-only until the parts get their protections (the GOT is opened to fill it) */
    if (mprotect(map, len, PROT_READ) != 0) {
        tb_fail(err, TB_ERR_IO, TB_NO_OFFSET, "compiled code: cannot protect: %s",
                strerror(errno));
        munmap(map, len);
        return false;
    }
    if (!art_make_native(map, len, &l, out, err, "compiled code")) {
        munmap(map, len);
        return false;
    }
    return true;
}

/* ---- artifact files ---- */

static void file_free(art_file *f) {
    if (!f) return;
    if (f->map) munmap(f->map, f->map_len);
    tb_free(f->name);
    tb_free(f->got);
    tb_free(f->fn_off);
    tb_free(f->fn_size);
    tb_free(f->entry_off);
    tb_free(f);
}

static art_file *file_new(const char *name, tb_error *err) {
    art_file *f = tb_calloc(1, sizeof *f);
    if (f && !(f->name = tb_strndup(name, strlen(name)))) { tb_free(f); f = NULL; }
    if (!f) tb_oom(err);
    return f;
}

static bool opened(art_file *f, art_file **out, tb_error *err) {
    if (!art_verify(f, err)) { file_free(f); return false; }
    *out = f;
    return true;
}

bool art_open(const char *path, art_file **out, tb_error *err) {
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return tb_fail(err, TB_ERR_IO, TB_NO_OFFSET, "%s: %s", path, strerror(errno));
    struct stat st;
    const char *bad = NULL;
    if (fstat(fd, &st) != 0) bad = strerror(errno);
    else if (!S_ISREG(st.st_mode)) bad = "not a regular file";
    if (bad) {
        close(fd);
        return tb_fail(err, TB_ERR_IO, TB_NO_OFFSET, "%s: %s", path, bad);
    }
    if (st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
        close(fd);
        return tb_fail(err, TB_ERR_MALFORMED, TB_NO_OFFSET, "%s: truncated (%lld bytes)", path,
                       (long long)st.st_size);
    }
    art_file *f = file_new(path, err);
    if (!f) { close(fd); return false; }
    f->len = (size_t)st.st_size;
    f->map_len = page_round(f->len);
    void *map = mmap(NULL, f->map_len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    int e = errno;
    close(fd);
    if (map == MAP_FAILED) {
        file_free(f);
        return tb_fail(err, TB_ERR_IO, TB_NO_OFFSET, "%s: cannot map: %s", path, strerror(e));
    }
    f->map = map;
    return opened(f, out, err);
}

bool art_open_bytes(const uint8_t *bytes, size_t len, art_file **out, tb_error *err) {
    *out = NULL;
    art_file *f = file_new("artifact", err);
    if (!f) return false;
    f->len = len;
    f->map_len = page_round(len ? len : 1);
    void *map = mmap(NULL, f->map_len, PROT_READ | PROT_WRITE, ANON_FLAGS, -1, 0);
    if (map == MAP_FAILED) {
        file_free(f);
        return tb_fail(err, TB_ERR_OOM, TB_NO_OFFSET, "artifact: cannot map %zu bytes", len);
    }
    f->map = map;
    if (len) memcpy(map, bytes, len);
    if (mprotect(map, f->map_len, PROT_READ) != 0) {
        file_free(f);
        return tb_fail(err, TB_ERR_IO, TB_NO_OFFSET, "artifact: %s", strerror(errno));
    }
    return opened(f, out, err);
}

const art_meta *art_file_meta(const art_file *f) { return &f->meta; }

const uint8_t *art_file_wasm(const art_file *f, size_t *len) {
    *len = f->hdr.wasm_len;
    return f->map + f->hdr.wasm_off;
}

static void drop_file(void *owner) {
    art_file *f = owner;
    f->map = NULL;                /* the native unmapped it */
    file_free(f);
}

bool art_file_native(art_file *f, rt_native **out, tb_error *err) {
    *out = NULL;
    if (f->taken)   /* a second call on a file whose native is alive: a caller's bug */
        return tb_fail(err, TB_ERR_ARG, TB_NO_OFFSET, "%s: code already taken", f->name);
    const art_meta_hdr *h = &f->hdr;
    art_layout l = {f->map + h->image_off, h->text_len, h->ro_off, h->ro_len, h->rw_off,
                    h->rw_len, h->ngot, h->nfuncs, f->got, f->fn_off, f->fn_size,
                    f->entry_off, f, drop_file};
    if (!art_make_native(f->map, f->map_len, &l, out, err, f->name)) {
        file_free(f);
        return false;
    }
    f->taken = true;
    return true;
}

void art_close(art_file *f) {
    if (f && !f->taken) file_free(f);
}
