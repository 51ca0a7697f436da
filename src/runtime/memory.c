/* memory: linear memories as 8 GiB PROT_NONE reservations with [0, size) read-write;
   grow by mprotect, so the base never moves and accesses need no bounds checks. */
#include <sys/mman.h>
#include "../base/limits.h"
#include "ops.h"
#include "store.h"

static void memory_drop(void *obj) {
    rt_memory *m = obj;
    if (!m->base) return;
    rt_region_remove(m->base);
    munmap(m->base, m->reserved);
}

rt_memory *rt_memory_new(rt_store *st, const tw_memtype *type, tb_error *err) {
    uint32_t max = type->lim.has_max ? type->lim.max : TB_MAX_PAGES;
    if (type->lim.min > TB_MAX_PAGES || max > TB_MAX_PAGES || type->lim.min > max) {
        tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET, "memory size must be at most 65536 pages (4GiB)");
        return NULL;
    }
    if (!rt_signals_init()) {
        tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET, "cannot install fault handlers for memories");
        return NULL;
    }
    rt_memory *m = rt_store_alloc(st, sizeof *m, memory_drop);
    if (!m) { tb_oom(err); return NULL; }
    void *p = mmap(NULL, TB_MEM_RESERVATION, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET, "cannot reserve address space for a memory");
        return NULL;
    }
    size_t size = (size_t)type->lim.min * TB_WASM_PAGE;
    if ((size && mprotect(p, size, PROT_READ | PROT_WRITE) != 0) ||
        !rt_region_add(p, TB_MEM_RESERVATION, RT_TRAP_MEMORY_OOB)) {
        munmap(p, TB_MEM_RESERVATION);
        tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET, "cannot allocate memory of %u pages",
                type->lim.min);
        return NULL;
    }
    m->base = p;
    m->reserved = TB_MEM_RESERVATION;
    m->size = size;
    m->max_pages = max;
    m->has_max = type->lim.has_max;
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
