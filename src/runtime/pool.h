/* pool: reservations kept for reuse by an engine (private to src/runtime). A pooled
   reservation stays registered with the fault handler; whoever gives one back has
   already reset it (memories: as its rt_slot_note says; the rest no access, contents
   discarded). Last in, first out, so a hot slot stays hot. */
#ifndef RT_POOL_H
#define RT_POOL_H

#include "store.h"

typedef enum rt_pool_kind { RT_POOL_MEMORY, RT_POOL_STACK, RT_POOL_KINDS } rt_pool_kind;
typedef struct rt_pool rt_pool;

/* What a pooled reservation holds (the giver's note). Stacks: warm != 0 when its
   canaries are set (call.c). */
typedef struct rt_slot_note {
    size_t warm;          /* [0, warm) read-write and resident; zero past image_len */
    uint64_t image_id;    /* 0, or the image still mapped, pristine, over [0, image_len) */
    size_t image_len;
} rt_slot_note;

/* Keeps up to max(cap, RT_POOL_MIN) reservations of each kind. */
rt_pool *rt_pool_new(uint32_t cap);
void rt_pool_free(rt_pool *p);                  /* unmaps what it holds */
/* NULL when empty; *note (may be NULL) gets the giver's note. */
void *rt_pool_take(rt_pool *p, rt_pool_kind k, rt_slot_note *note);
/* false when the pool is full: the caller unmaps instead (rt_pool_unmap). note may be
   NULL (nothing to say). */
bool rt_pool_give(rt_pool *p, rt_pool_kind k, void *base, size_t len, const rt_slot_note *note);
/* Unregister from the fault handler and unmap. */
void rt_pool_unmap(void *base, size_t len);

/* The engine's pool (engine.c). */
rt_pool *rt_engine_pool(rt_engine *e);
/* Pooling allocator: claim one of the engine's instance slots (false: all in use), and
   give it back. Without pooling both do nothing (take succeeds). */
bool rt_engine_take_slot(rt_engine *e);
void rt_engine_give_slot(rt_engine *e);

#endif
