/* image: copy-on-write memory images. A module's active data segments are written once
   into a memfd; each instance maps it MAP_PRIVATE over the start of its memory, so
   instantiation copies no data and pages the guest never touches are never copied. */
#include <sys/mman.h>
#include <unistd.h>
#include "../base/limits.h"
#include "image.h"

struct rt_image {
    int fd;
    size_t len;        /* bytes mapped: covers every segment, whole host pages */
};

/* Stands for "this module has no image" so the check is done once. */
static rt_image no_image = {-1, 0};

#define HOST_PAGE 4096u

static void image_free(void *p) {
    rt_image *img = p;
    if (!img || img == &no_image) return;
    close(img->fd);
    tb_free(img);
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
    if (!any || !end) return false;
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
    return img;
}

const rt_image *rt_image_of(const tw_module *cm) {
    tw_module *m = (tw_module *)cm; /* the cache is the one mutable part (module.h) */
    rt_image *img = __atomic_load_n((rt_image **)&m->rt_image, __ATOMIC_ACQUIRE);
    if (!img) {
        rt_image *mine = build(m);
        if (!mine) return NULL; /* out of memory: try again next time */
        rt_image *expect = NULL;
        m->rt_image_free = image_free; /* the same value from every thread */
        if (__atomic_compare_exchange_n((rt_image **)&m->rt_image, &expect, mine, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            img = mine;
        } else {
            image_free(mine);
            img = expect;
        }
    }
    return img == &no_image ? NULL : img;
}

bool rt_image_map(rt_memory *mem, const rt_image *img) {
    if (img->len > mem->size) return false;
    void *p = mmap(mem->base, img->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED,
                   img->fd, 0);
    if (p == MAP_FAILED) return false;
    mem->image_len = img->len;
    return true;
}

/* Put anonymous PROT_NONE pages back over the image: its private copies go with it. */
bool rt_image_unmap(rt_memory *mem) {
    if (!mem->image_len) return true;
    void *p = mmap(mem->base, mem->image_len, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
    mem->image_len = 0;
    return p != MAP_FAILED;
}
