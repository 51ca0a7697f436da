/* objmap: a small open-addressing map from a name (or a number) to a 64-bit value, for
   the linker's symbol and GOT tables. Names are borrowed, not copied. */
#ifndef ART_OBJMAP_H
#define ART_OBJMAP_H

#include "../base/base.h"

typedef struct art_map_ent {
    const char *name;             /* NULL: keyed by key */
    uint64_t key, hash, val;
    bool used;
} art_map_ent;

typedef struct art_map {
    art_map_ent *e;
    uint32_t n, cap;              /* cap: 0 or a power of two */
} art_map;

/* The value slot of name (or of key when name is NULL), or NULL. */
uint64_t *art_map_get(const art_map *m, const char *name, uint64_t key);
/* Insert (the caller checked it is absent); false on out of memory. */
bool art_map_put(art_map *m, const char *name, uint64_t key, uint64_t val);
void art_map_free(art_map *m);

#endif
