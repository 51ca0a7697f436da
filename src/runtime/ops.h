/* ops: the runtime operations the tiers call for bulk memory, tables, segments and
   traps (memory.grow/init/copy/fill, table.grow/fill/copy/init, elem/data.drop). */
#ifndef RT_OPS_H
#define RT_OPS_H

#include "runtime.h"

/* ---- memories ----
   A memory's base never moves (it is a fixed reservation), so tiers may cache
   m->base across grow; m->size changes. Loads/stores need no bounds checks: any
   i32 address + u32 offset + width lands inside the 8 GiB reservation, and a fault
   beyond m->size becomes RT_TRAP_MEMORY_OOB through rt_call's signal recovery. */

/* memory.grow: returns the old size in pages, or -1 (limit or no address space). */
int32_t rt_memory_grow(rt_memory *m, uint32_t delta);
/* memory.init on memory 0 of inst from data segment seg. */
rt_trap_code rt_memory_init(rt_instance *inst, uint32_t seg, uint32_t dst, uint32_t src,
                            uint32_t n);
rt_trap_code rt_memory_copy(rt_memory *m, uint32_t dst, uint32_t src, uint32_t n);
/* memory.fill: val's low byte is stored. */
rt_trap_code rt_memory_fill(rt_memory *m, uint32_t dst, uint32_t val, uint32_t n);
void rt_data_drop(rt_instance *inst, uint32_t seg);

/* ---- tables ---- */
/* table.grow: returns the old size, or -1 (limit or out of memory). */
int32_t rt_table_grow(rt_table *t, uint32_t delta, rt_ref init);
rt_trap_code rt_table_fill(rt_table *t, uint32_t i, rt_ref v, uint32_t n);
rt_trap_code rt_table_copy(rt_table *dst, rt_table *src, uint32_t d, uint32_t s, uint32_t n);
/* table.init of table `table` of inst from element segment seg. */
rt_trap_code rt_table_init(rt_instance *inst, uint32_t table, uint32_t seg, uint32_t dst,
                           uint32_t src, uint32_t n);
void rt_elem_drop(rt_instance *inst, uint32_t seg);

static inline rt_trap_code rt_table_get(const rt_table *t, uint32_t i, rt_ref *out) {
    if (i >= t->size) return RT_TRAP_TABLE_OOB;
    *out = t->elems[i];
    return RT_TRAP_NONE;
}
static inline rt_trap_code rt_table_set(rt_table *t, uint32_t i, rt_ref v) {
    if (i >= t->size) return RT_TRAP_TABLE_OOB;
    t->elems[i] = v;
    return RT_TRAP_NONE;
}

/* ---- calls and traps ----
   rt_call (runtime.h) is the entry from the embedder and from host functions calling
   back into Wasm; every entry has its own recovery point. Tiers call host functions
   directly: f->host(f->host_env, calling_instance, slots). They count Wasm frames in
   st->exec.depth against st->exec.max_depth ("call stack exhausted"); after a trap
   rt_call restores depth to its value at entry. */
/* Unwind to the innermost rt_call of this thread, which returns `code`. Only valid
   while running inside rt_call (tiers may use it instead of returning the code). */
__attribute__((noreturn)) void rt_trap_raise(rt_trap_code code);
/* A fault that becomes a trap unwinds straight to rt_call, past the tier's frames. A
   tier that wants a backtrace for such traps registers a hook for the current entry
   (e.g. at the top of interp_invoke); the fault handler calls it before unwinding,
   with the Wasm stack still intact, on the signal stack: it must only read memory
   and call rt_trap_add_frame (no locks, no allocation). uctx is the ucontext_t of
   the fault. The hook lasts until its rt_call returns. */
typedef void (*rt_fault_hook)(void *arg, rt_store *st, const void *uctx);
void rt_set_fault_hook(rt_fault_hook hook, void *arg);

/* Host functions: the message of an RT_TRAP_HOST trap they are about to return. */
void rt_trap_set_host_message(rt_store *st, const char *msg);
/* Tiers: append a backtrace frame (innermost first; module is the function's
   const tw_module *, func its index, offset a byte offset in the module) to
   st->last_trap before returning a trap; frames past RT_MAX_FRAMES are dropped. rt_call clears the frames on its
   outermost entry. */
void rt_trap_add_frame(rt_store *st, const void *module, uint32_t func, uint32_t offset);

#endif
