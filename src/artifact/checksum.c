/* checksum: the artifact's corruption check. Not cryptographic (the embedded module has
   its sha256); it must be fast, since it runs over the whole file at every load: 64-bit
   words into four independent lanes, mixed at the end. */
#include "internal.h"

#define P1 0x9e3779b185ebca87ull
#define P2 0xc2b2ae3d27d4eb4full

static inline uint64_t rotl(uint64_t x, unsigned r) { return (x << r) | (x >> (64 - r)); }
static inline uint64_t round64(uint64_t h, uint64_t w) { return rotl(h + w * P2, 31) * P1; }

/* Words [from, to) of b, word i into lane i % 4. */
static void words(uint64_t h[4], const uint8_t *b, size_t from, size_t to) {
    size_t i = from;
    for (; i < to && (i & 3); i++) h[i & 3] = round64(h[i & 3], tb_rd64(b + 8 * i));
    for (; i + 4 <= to; i += 4) {
        h[0] = round64(h[0], tb_rd64(b + 8 * i));
        h[1] = round64(h[1], tb_rd64(b + 8 * i + 8));
        h[2] = round64(h[2], tb_rd64(b + 8 * i + 16));
        h[3] = round64(h[3], tb_rd64(b + 8 * i + 24));
    }
    for (; i < to; i++) h[i & 3] = round64(h[i & 3], tb_rd64(b + 8 * i));
}

uint64_t art_checksum(const uint8_t *b, size_t len, size_t skip) {
    uint64_t h[4] = {P1 + P2, P2, 0, 0 - P1};
    size_t n = len / 8, skipw = skip / 8;   /* skip is 8-aligned in every artifact */
    if (skipw < n) {
        words(h, b, 0, skipw);
        h[skipw & 3] = round64(h[skipw & 3], 0);
        words(h, b, skipw + 1, n);
    } else {
        words(h, b, 0, n);
    }
    uint64_t tail = 0;
    memcpy(&tail, b + 8 * n, len % 8);
    uint64_t x = rotl(h[0], 1) + rotl(h[1], 7) + rotl(h[2], 12) + rotl(h[3], 18);
    x = round64(x ^ tail, len);
    x ^= x >> 33; x *= P2; x ^= x >> 29; x *= P1; x ^= x >> 32;
    return x;
}

bool art_checksum_fix(uint8_t *bytes, size_t len) {
    uint64_t off, size;
    const char *why;
    if (!art_find_meta(bytes, len, &off, &size, &why) || size < sizeof(art_meta_hdr) ||
        off % 8)
        return false;
    uint64_t sum = art_checksum(bytes, len, off + ART_CHECKSUM_AT);
    memcpy(bytes + off + ART_CHECKSUM_AT, &sum, 8);
    return true;
}
