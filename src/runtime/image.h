/* image: copy-on-write memory images of data segments (private to src/runtime). */
#ifndef RT_IMAGE_H
#define RT_IMAGE_H

#include "store.h"

typedef struct rt_image rt_image;

/* m's image, built on first use and cached in the module; NULL when it has none (no
   active data, an imported memory, offsets not constant or out of bounds) or on OOM.
   Then instantiation copies the segments as the spec describes. */
const rt_image *rt_image_of(const tw_module *m);
/* Map img over the start of mem (already read-write for its initial size). */
bool rt_image_map(rt_memory *mem, const rt_image *img);
/* Undo rt_image_map before the reservation is reset: the range becomes PROT_NONE. */
bool rt_image_unmap(rt_memory *mem);

#endif
