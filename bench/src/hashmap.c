/* hashmap: a string-keyed hash map with open addressing (linear probing, backward-shift
 * deletion, doubling on growth) under a random mix of increments, lookups and
 * deletions, like counting words. Hashing, short memcmp, cache misses.
 * scale = number of operations. */
#include <stdlib.h>
#include "common.h"

#define KEY_MAX 16

typedef struct {
    uint32_t hash;   /* 0 marks an empty slot */
    uint32_t value;
    uint8_t len;
    char key[KEY_MAX];
} slot;

typedef struct {
    slot *slots;
    uint32_t cap;    /* a power of two */
    uint32_t count;
} map;

static uint32_t hash_key(const char *k, uint32_t len) {
    uint32_t h = BENCH_HASH_INIT;
    for (uint32_t i = 0; i < len; i++) {
        h ^= (uint8_t)k[i];
        h *= 16777619u;
    }
    h ^= h >> 15;
    h *= 0x2c1b3c6du;
    h ^= h >> 12;
    return h | 1u;   /* never 0, the empty marker */
}

static int map_init(map *m, uint32_t cap) {
    m->slots = calloc(cap, sizeof(slot));
    m->cap = cap;
    m->count = 0;
    return m->slots != NULL;
}

/* Index of the key's slot, or of the empty slot where it would go. */
static uint32_t find(const map *m, const char *k, uint32_t len, uint32_t h) {
    uint32_t mask = m->cap - 1;
    for (uint32_t i = h & mask;; i = (i + 1) & mask) {
        const slot *s = &m->slots[i];
        if (s->hash == 0 || (s->hash == h && s->len == len && memcmp(s->key, k, len) == 0))
            return i;
    }
}

static int grow(map *m) {
    map bigger;
    if (!map_init(&bigger, m->cap * 2))
        return 0;
    for (uint32_t i = 0; i < m->cap; i++) {
        slot *s = &m->slots[i];
        if (s->hash)
            bigger.slots[find(&bigger, s->key, s->len, s->hash)] = *s;
    }
    bigger.count = m->count;
    free(m->slots);
    *m = bigger;
    return 1;
}

/* Adds 1 to the key's value, inserting it with value 1 if new. */
static int increment(map *m, const char *k, uint32_t len) {
    if ((m->count + 1) * 4 > m->cap * 3 && !grow(m))
        return 0;
    uint32_t h = hash_key(k, len);
    slot *s = &m->slots[find(m, k, len, h)];
    if (s->hash == 0) {
        s->hash = h;
        s->len = (uint8_t)len;
        memcpy(s->key, k, len);
        s->value = 0;
        m->count++;
    }
    s->value++;
    return 1;
}

static uint32_t lookup(const map *m, const char *k, uint32_t len) {
    return m->slots[find(m, k, len, hash_key(k, len))].value;   /* empty slots hold 0 */
}

/* Backward-shift deletion: pull later entries of the probe run into the hole, so no
 * tombstones are needed. */
static void erase(map *m, const char *k, uint32_t len) {
    uint32_t mask = m->cap - 1;
    uint32_t hole = find(m, k, len, hash_key(k, len));
    if (m->slots[hole].hash == 0)
        return;
    m->count--;
    for (uint32_t i = (hole + 1) & mask; m->slots[i].hash; i = (i + 1) & mask) {
        uint32_t home = m->slots[i].hash & mask;
        /* the entry at i may move to hole only if hole lies on its probe path */
        if (((i - home) & mask) >= ((i - hole) & mask)) {
            m->slots[hole] = m->slots[i];
            hole = i;
        }
    }
    memset(&m->slots[hole], 0, sizeof(slot));
}

/* Writes "w" followed by the decimal digits of v; returns the length. */
static uint32_t make_key(char *out, uint32_t v) {
    char digits[12];
    uint32_t n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    out[0] = 'w';
    for (uint32_t i = 0; i < n; i++)
        out[1 + i] = digits[n - 1 - i];
    return n + 1;
}

int run(int scale) {
    map m;
    if (!map_init(&m, 16))
        return -1;
    uint32_t keyspace = (uint32_t)(scale < 16 ? 16 : scale) / 4;
    uint32_t seed = 0x1234567u, found = 0;
    char key[KEY_MAX];
    for (int i = 0; i < scale; i++) {
        uint32_t r = bench_rand(&seed);
        uint32_t len = make_key(key, (r & 0xffffffu) % keyspace);
        uint32_t op = r >> 28;
        if (op < 10) {
            if (!increment(&m, key, len))
                return -1;
        } else if (op < 14) {
            found += lookup(&m, key, len);
        } else {
            erase(&m, key, len);
        }
    }
    uint32_t h = bench_mix(bench_mix(BENCH_HASH_INIT, found), m.count);
    uint32_t live = 0;
    for (uint32_t i = 0; i < m.cap; i++) {
        const slot *s = &m.slots[i];
        if (!s->hash)
            continue;
        /* every live key must still be reachable from its home slot after deletions */
        if (find(&m, s->key, s->len, s->hash) != i)
            return -1;
        h = bench_mix(h, s->hash ^ s->value);
        live++;
    }
    free(m.slots);
    return live == m.count ? (int)h : -1;
}
