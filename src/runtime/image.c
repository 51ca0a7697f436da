/* image: the per-module runtime cache, built once on first instantiation: the
   copy-on-write memory image (a module's active data segments written once into a
   memfd; each instance maps it MAP_PRIVATE over the start of its memory, so
   instantiation copies no data and pages the guest never touches are never copied),
   and the interned signature of every type (so instantiating takes no engine lock). */
#include <stdatomic.h>
#include <sys/mman.h>
#include <unistd.h>
#include "../base/limits.h"
#include "image.h"

struct rt_image {
    int fd;
    size_t len;        /* bytes mapped: covers every segment, whole host pages */
    uint64_t id;       /* unique in the process: pooled slots name the image they hold */
};

/* Stands for "this module has no image" so the check is done once. */
static rt_image no_image = {-1, 0, 0};
static _Atomic uint64_t last_image_id;

#define HOST_PAGE 4096u
/* Smaller data is copied: into a reused slot's warm pages that costs less than the
   mmap, the unmap and the page faults on the mapping (tens of microseconds each here). */
#define RT_IMAGE_MIN (64u << 10)

struct rt_modcache {
    const rt_engine *engine;   /* whose interned signatures these are */
    const rt_sig **sigs;       /* per type index */
    rt_image *img;             /* &no_image when the module has none */
};

static void image_free(rt_image *img) {
    if (!img || img == &no_image) return;
    close(img->fd);
    tb_free(img);
}

static void cache_free(void *p) {
    rt_modcache *c = p;
    if (!c) return;
    image_free(c->img);
    tb_free((void *)c->sigs);
    tb_free(c);
}

/* Segments must be constant, in bounds of memory 0's initial size, and the memory
   defined here: then applying them at instantiation can neither trap nor depend on
   imports, and an image is the same bytes. */
static bool image_len(const tw_module *m, size_t *out) {
    if (m->nmems == 0 || m->nimported_mems > 0) return false;
    uint64_t msize = (uint64_t)m->mems[0].lim.min * TB_WASM_PAGE, end = 0;
    bool any = false;
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const tw_data *d = &m->datas[i];
        if (d->mode != TW_SEG_ACTIVE) continue;
        if (d->mem != 0 || d->offset.op != TW_CONST_I32) return false;
        uint64_t at = (uint32_t)d->offset.bits[0], e = at + d->len;
        if (e > msize) return false;
        if (d->len && e > end) end = e;
        any = true;
    }
    if (!any || end < RT_IMAGE_MIN) return false;
    *out = (size_t)((end + HOST_PAGE - 1) & ~(uint64_t)(HOST_PAGE - 1));
    return true;
}

static rt_image *build(const tw_module *m) {
    size_t len;
    if (!image_len(m, &len)) return &no_image;
    int fd = memfd_create("taho-image", MFD_CLOEXEC);
    if (fd < 0) return &no_image;
    if (ftruncate(fd, (off_t)len) != 0) { close(fd); return &no_image; }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const tw_data *d = &m->datas[i];
        if (d->mode != TW_SEG_ACTIVE || !d->len) continue;
        off_t at = (off_t)(uint32_t)d->offset.bits[0];
        if (pwrite(fd, d->bytes, d->len, at) != (ssize_t)d->len) { close(fd); return &no_image; }
    }
    rt_image *img = tb_malloc(sizeof *img);
    if (!img) { close(fd); return NULL; }
    img->fd = fd;
    img->len = len;
    img->id = atomic_fetch_add_explicit(&last_image_id, 1, memory_order_relaxed) + 1;
    return img;
}

static rt_modcache *cache_build(rt_engine *e, const tw_module *m) {
    rt_modcache *c = tb_calloc(1, sizeof *c);
    if (!c) return NULL;
    c->engine = e;
    c->sigs = tb_calloc(m->ntypes + 1, sizeof *c->sigs);
    if (!c->sigs) { tb_free(c); return NULL; }
    for (uint32_t i = 0; i < m->ntypes; i++)
        if (!(c->sigs[i] = rt_engine_intern_sig(e, &m->types[i]))) { cache_free(c); return NULL; }
    if (!(c->img = build(m))) { cache_free(c); return NULL; }
    return c;
}

rt_modcache *rt_modcache_of(rt_engine *e, const tw_module *cm) {
    tw_module *m = (tw_module *)cm; /* the cache is the one mutable part (module.h) */
    rt_modcache *c = __atomic_load_n((rt_modcache **)&m->rt_image, __ATOMIC_ACQUIRE);
    if (!c) {
        rt_modcache *mine = cache_build(e, m);
        if (!mine) return NULL; /* out of memory: try again next time */
        rt_modcache *expect = NULL;
        if (__atomic_compare_exchange_n((rt_modcache **)&m->rt_image, &expect, mine, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            /* only the thread that installed the cache says how to free it (every
               thread writing it, even the same value, was a data race TSan reported);
               it is read when the module is freed, when no thread uses it */
            m->rt_image_free = cache_free;
            c = mine;
        } else {
            cache_free(mine);
            c = expect;
        }
    }
    return c->engine == e ? c : NULL; /* a module used by a second engine: no cache */
}

const rt_sig **rt_modcache_sigs(const rt_modcache *c) { return c->sigs; }
const rt_image *rt_modcache_image(const rt_modcache *c) {
    return c->img == &no_image ? NULL : c->img;
}

uint64_t rt_image_id(const rt_image *img) { return img->id; }

bool rt_image_map(rt_memory *mem, const rt_image *img) {
    if (img->len > mem->size) return false;
    void *p = mmap(mem->base, img->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED,
                   img->fd, 0);
    if (p == MAP_FAILED) return false;
    mem->image_len = img->len;
    return true;
}

/* A private file mapping's pages dropped with MADV_DONTNEED read from the file again:
   the guest's copies are gone and the next instance of the module sees the image as
   built, without a new mapping. */
bool rt_image_reset(rt_memory *mem) {
    return !mem->image_len || madvise(mem->base, mem->image_len, MADV_DONTNEED) == 0;
}
