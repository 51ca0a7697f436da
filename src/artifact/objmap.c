/* objmap: the linker's name/number -> value map (open addressing, linear probing). */
#include "objmap.h"

static uint64_t hash_of(const char *name, uint64_t key) {
    if (name) return tb_hash(name, strlen(name), 0);
    key ^= key >> 33; key *= 0xff51afd7ed558ccdull; key ^= key >> 33;
    return key;
}

static bool same(const art_map_ent *e, const char *name, uint64_t key, uint64_t h) {
    if (e->hash != h || !e->name != !name) return false;
    return name ? strcmp(e->name, name) == 0 : e->key == key;
}

static art_map_ent *probe(art_map_ent *e, uint32_t cap, const char *name, uint64_t key,
                          uint64_t h) {
    for (uint32_t i = (uint32_t)h & (cap - 1);; i = (i + 1) & (cap - 1))
        if (!e[i].used || same(&e[i], name, key, h)) return &e[i];
}

uint64_t *art_map_get(const art_map *m, const char *name, uint64_t key) {
    if (!m->cap) return NULL;
    art_map_ent *e = probe(m->e, m->cap, name, key, hash_of(name, key));
    return e->used ? &e->val : NULL;
}

static bool grow(art_map *m) {
    uint32_t cap = m->cap ? m->cap * 2 : 64;
    if (cap < m->cap) return false;
    art_map_ent *e = tb_calloc(cap, sizeof *e);
    if (!e) return false;
    for (uint32_t i = 0; i < m->cap; i++)
        if (m->e[i].used) *probe(e, cap, m->e[i].name, m->e[i].key, m->e[i].hash) = m->e[i];
    tb_free(m->e);
    m->e = e;
    m->cap = cap;
    return true;
}

bool art_map_put(art_map *m, const char *name, uint64_t key, uint64_t val) {
    if ((m->n + 1) * 2 > m->cap && !grow(m)) return false;
    uint64_t h = hash_of(name, key);
    art_map_ent *e = probe(m->e, m->cap, name, key, h);
    if (!e->used) m->n++;
    *e = (art_map_ent){name, key, h, val, true};
    return true;
}

void art_map_free(art_map *m) {
    tb_free(m->e);
    *m = (art_map){0};
}
