/* image: the per-module runtime cache: copy-on-write memory images of data segments
   and interned signatures (private to src/runtime). */
#ifndef RT_IMAGE_H
#define RT_IMAGE_H

#include "store.h"

typedef struct rt_image rt_image;
typedef struct rt_modcache rt_modcache;

/* m's cache for engine e, built on first use and kept in the module (freed with it);
   NULL on OOM or when m was first instantiated by another engine: then callers
   intern and copy as usual. */
rt_modcache *rt_modcache_of(rt_engine *e, const tw_module *m);
/* Interned signature per type index (immutable, shared by every instance). */
const rt_sig **rt_modcache_sigs(const rt_modcache *c);
/* The image; NULL when the module has none (no active data, an imported memory,
   offsets not constant or out of bounds): then the segments are copied as the spec
   describes. */
const rt_image *rt_modcache_image(const rt_modcache *c);
/* Unique per image in the process (never 0). */
uint64_t rt_image_id(const rt_image *img);
/* Map img over the start of mem (already read-write for its initial size). */
bool rt_image_map(rt_memory *mem, const rt_image *img);
/* Put mem's image range back as the image was built (its pooled slot keeps the
   mapping for the next instance of the same module). */
bool rt_image_reset(rt_memory *mem);
/* A memory for a module's memory 0 whose slot holds img already mapped when it can
   (pooled slots keep their image), else with img mapped now; mem->image_len is 0 when
   img could not be mapped (then the data is copied). img may be NULL. */
rt_memory *rt_memory_new_image(rt_store *st, const tw_memtype *type, const rt_image *img,
                               tb_error *err);

#endif
