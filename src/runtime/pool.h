/* pool: reservations kept for reuse by an engine (private to src/runtime). A pooled
   reservation stays registered with the fault handler; whoever gives one back has
   already reset it (memories: [0, aux) read-write, resident and zero; the rest no
   access, contents discarded). Last in, first out, so a hot slot stays hot. */
#ifndef RT_POOL_H
#define RT_POOL_H

#include "store.h"

typedef enum rt_pool_kind { RT_POOL_MEMORY, RT_POOL_STACK, RT_POOL_KINDS } rt_pool_kind;
typedef struct rt_pool rt_pool;

/* Keeps up to max(cap, RT_POOL_MIN) reservations of each kind. */
rt_pool *rt_pool_new(uint32_t cap);
void rt_pool_free(rt_pool *p);                  /* unmaps what it holds */
/* NULL when empty; *aux (may be NULL) gets the giver's note. */
void *rt_pool_take(rt_pool *p, rt_pool_kind k, size_t *aux);
/* false when the pool is full: the caller unmaps instead (rt_pool_unmap). */
bool rt_pool_give(rt_pool *p, rt_pool_kind k, void *base, size_t len, size_t aux);
/* Unregister from the fault handler and unmap. */
void rt_pool_unmap(void *base, size_t len);

/* The engine's pool (engine.c). */
rt_pool *rt_engine_pool(rt_engine *e);
/* Pooling allocator: claim one of the engine's instance slots (false: all in use), and
   give it back. Without pooling both do nothing (take succeeds). */
bool rt_engine_take_slot(rt_engine *e);
void rt_engine_give_slot(rt_engine *e);

#endif
