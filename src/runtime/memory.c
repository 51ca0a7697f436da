/* memory: linear memories as 8 GiB PROT_NONE reservations with [0, size) read-write;
   grow by mprotect, so the base never moves and accesses need no bounds checks. */
#include <sys/mman.h>
#include "../base/limits.h"
#include "image.h"
#include "ops.h"
#include "pool.h"
#include "store.h"

/* The memory plus what its drop needs to give the reservation back. */
typedef struct mem_obj {
    rt_memory m;
    rt_pool *pool;
    size_t warm;       /* bytes that were resident when the reservation was taken */
    uint64_t image_id; /* the image mapped over [0, m.image_len), if any */
} mem_obj;

/* Bytes of a memory kept resident when its reservation goes back to the pool: zeroed
   with memset and left read-write, so the next instance touches warm pages. A page
   fault costs tens of microseconds on these VMs (measured: two first touches plus
   madvise 128 us), a memset of a warm 64 KiB page a few microseconds. The rest is
   given back to the kernel (madvise) and made inaccessible. */
#define RT_KEEP_RESIDENT (256u << 10)

/* Zero [0, len) of a memory without touching pages it never used: resident pages are
   cleared with memset (they stay warm), the others dropped with madvise (which also
   drops anything swapped out), so a short-lived instance costs no extra faults. */
static bool zero_resident(uint8_t *base, size_t len) {
    enum { PG = 4096, MAXPG = RT_KEEP_RESIDENT / PG };
    unsigned char vec[MAXPG];
    size_t n = len / PG;
    if (n > MAXPG || mincore(base, len, vec) != 0) {
        memset(base, 0, len);
        return true;
    }
    for (size_t i = 0; i < n;) {
        size_t j = i;
        bool in = vec[i] & 1;
        while (j < n && (bool)(vec[j] & 1) == in) j++;
        if (in) memset(base + i * PG, 0, (j - i) * PG);
        else if (madvise(base + i * PG, (j - i) * PG, MADV_DONTNEED) != 0) return false;
        i = j;
    }
    return true;
}

/* Reset to the pool's invariant and pool or unmap: the image range (if any) back to
   the image, still mapped for the next instance of the module; then up to
   RT_KEEP_RESIDENT bytes zero, resident and read-write; the rest no access and
   discarded. */
static void memory_drop(void *obj) {
    mem_obj *o = obj;
    rt_memory *m = &o->m;
    if (!m->base) return;
    size_t img = (size_t)m->image_len;
    bool ok = rt_image_reset(m);
    size_t keep = 0;
    if (ok && m->size > img) {
        size_t rest = (size_t)m->size - img;
        keep = rest < RT_KEEP_RESIDENT ? rest : RT_KEEP_RESIDENT;
        if (img + keep <= o->warm) memset(m->base + img, 0, keep); /* resident: no mincore */
        else ok = zero_resident(m->base + img, keep);
        if (ok && rest > keep)
            ok = madvise(m->base + img + keep, rest - keep, MADV_DONTNEED) == 0 &&
                 mprotect(m->base + img + keep, rest - keep, PROT_NONE) == 0;
    }
    rt_slot_note note = {img + keep, img ? o->image_id : 0, img};
    if (!ok || !rt_pool_give(o->pool, RT_POOL_MEMORY, m->base, m->reserved, &note))
        rt_pool_unmap(m->base, m->reserved);
}

/* A reservation from the pool (its note in *n) or a new one (*n zero). */
static void *reserve(rt_pool *pool, rt_slot_note *n) {
    *n = (rt_slot_note){0};
    void *p = rt_pool_take(pool, RT_POOL_MEMORY, n);
    if (p) return p;
    p = mmap(NULL, TB_MEM_RESERVATION, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
             -1, 0);
    if (p == MAP_FAILED) return NULL;
    if (!rt_region_add(p, TB_MEM_RESERVATION, RT_TRAP_MEMORY_OOB)) {
        munmap(p, TB_MEM_RESERVATION);
        return NULL;
    }
    return p;
}

/* A slot holding another module's image (or one we do not want) gives up the image and
   its warm pages in one call: fresh PROT_NONE pages over both. */
static bool drop_other_image(uint8_t *p, rt_slot_note *n, uint64_t want) {
    if (!n->image_id || n->image_id == want) return true;
    size_t len = n->warm > n->image_len ? n->warm : n->image_len;
    *n = (rt_slot_note){0};
    return mmap(p, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
                -1, 0) != MAP_FAILED;
}

/* Make exactly [0, size) accessible, from [0, resident): usually no system call when
   the same module reuses its slot. Pages past size stay resident and zero. */
static bool set_access(uint8_t *p, size_t resident, size_t size) {
    if (size > resident) return mprotect(p + resident, size - resident, PROT_READ | PROT_WRITE) == 0;
    if (size < resident) return mprotect(p + size, resident - size, PROT_NONE) == 0;
    return true;
}

/* Bytes a memory of st may reach: the store's limit and the pool's, whichever is less
   (0: only the spec's). */
static uint64_t memory_limit(const rt_store *st) {
    uint64_t lim = st->limits.memory_bytes;
    const rt_config *c = rt_engine_config(st->engine);
    if (c->pool_instances) {
        uint64_t pool = (uint64_t)c->pool_memory_pages * TB_WASM_PAGE;
        if (!lim || pool < lim) lim = pool;
    }
    return lim;
}

rt_memory *rt_memory_new(rt_store *st, const tw_memtype *type, tb_error *err) {
    return rt_memory_new_image(st, type, NULL, err);
}

rt_memory *rt_memory_new_image(rt_store *st, const tw_memtype *type, const rt_image *img,
                               tb_error *err) {
    uint32_t max = type->lim.has_max ? type->lim.max : TB_MAX_PAGES;
    if (type->lim.min > TB_MAX_PAGES || max > TB_MAX_PAGES || type->lim.min > max) {
        tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET, "memory size must be at most 65536 pages (4GiB)");
        return NULL;
    }
    uint64_t limit = memory_limit(st);
    if (limit && (uint64_t)type->lim.min * TB_WASM_PAGE > limit) {
        tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET,
                "memory of %u pages exceeds the limit of %llu bytes per memory", type->lim.min,
                (unsigned long long)limit);
        return NULL;
    }
    if (!rt_signals_init()) {
        tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET, "cannot install fault handlers for memories");
        return NULL;
    }
    mem_obj *o = rt_store_alloc(st, sizeof *o, memory_drop);
    if (!o) { tb_oom(err); return NULL; }
    o->pool = rt_engine_pool(st->engine);
    rt_slot_note n;
    uint8_t *p = reserve(o->pool, &n);
    if (!p) {
        tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET, "cannot reserve address space for a memory");
        return NULL;
    }
    rt_memory *m = &o->m;
    m->base = p;
    m->reserved = TB_MEM_RESERVATION;
    size_t size = (size_t)type->lim.min * TB_WASM_PAGE;
    /* a kept image never reaches past the initial size of its own module's memory */
    bool ok = drop_other_image(p, &n, img ? rt_image_id(img) : 0) && n.image_len <= size &&
              set_access(p, n.warm, size);
    if (!ok) {
        /* its pages are in an unknown state: never pool it */
        rt_pool_unmap(p, TB_MEM_RESERVATION);
        m->base = NULL;
        tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET, "cannot allocate memory of %u pages",
                type->lim.min);
        return NULL;
    }
    o->warm = n.warm;
    m->size = size;
    m->limit = limit;
    m->max_pages = max;
    m->has_max = type->lim.has_max;
    m->image_len = n.image_len;
    if (img && !m->image_len) rt_image_map(m, img); /* on failure the data is copied */
    if (m->image_len) o->image_id = rt_image_id(img);
    return m;
}

tw_memtype rt_memory_type(const rt_memory *m) {
    return (tw_memtype){.lim = {(uint32_t)(m->size / TB_WASM_PAGE), m->max_pages, m->has_max}};
}

int32_t rt_memory_grow(rt_memory *m, uint32_t delta) {
    uint64_t old = m->size / TB_WASM_PAGE;
    if (delta == 0) return (int32_t)old;
    if (old + delta > m->max_pages) return -1;
    uint64_t nsize = (old + delta) * TB_WASM_PAGE;
    if (m->limit && nsize > m->limit) return -1;
    if (mprotect(m->base + m->size, nsize - m->size, PROT_READ | PROT_WRITE) != 0) return -1;
    m->size = nsize;
    return (int32_t)old;
}

static bool in_bounds(uint64_t at, uint64_t n, uint64_t size) { return at + n <= size; }

rt_trap_code rt_memory_init(rt_instance *inst, uint32_t seg, uint32_t dst, uint32_t src,
                            uint32_t n) {
    rt_memory *m = inst->mems[0];
    const rt_dataseg *d = &inst->datas[seg];
    if (!in_bounds(src, n, d->len) || !in_bounds(dst, n, m->size)) return RT_TRAP_MEMORY_OOB;
    if (n) memcpy(m->base + dst, d->bytes + src, n);
    return RT_TRAP_NONE;
}

rt_trap_code rt_memory_copy(rt_memory *m, uint32_t dst, uint32_t src, uint32_t n) {
    if (!in_bounds(src, n, m->size) || !in_bounds(dst, n, m->size)) return RT_TRAP_MEMORY_OOB;
    if (n) memmove(m->base + dst, m->base + src, n);
    return RT_TRAP_NONE;
}

rt_trap_code rt_memory_fill(rt_memory *m, uint32_t dst, uint32_t val, uint32_t n) {
    if (!in_bounds(dst, n, m->size)) return RT_TRAP_MEMORY_OOB;
    if (n) memset(m->base + dst, (int)(val & 0xff), n);
    return RT_TRAP_NONE;
}

void rt_data_drop(rt_instance *inst, uint32_t seg) {
    inst->datas[seg].len = 0;
    inst->datas[seg].bytes = NULL;
}
