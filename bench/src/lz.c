/* lz: an LZ77-style compressor and decompressor round trip over generated text-like
 * data (words from a small vocabulary), checking the output equals the input.
 * Byte loads and stores, hashing, match extension. scale = input size in KiB. */
#include <stdlib.h>
#include "common.h"

#define HASH_BITS 14
#define MIN_MATCH 4
#define MAX_MATCH 130            /* MIN_MATCH + 126: a match length fits 7 bits */
#define WINDOW 65535

static const char *const words[24] = {
    "the ", "module ", "memory ", "table ", "of ", "and ", "function ", "import ",
    "export ", "value ", "stack ", "frame ", "a ", "is ", "to ", "instance ",
    "trap ", "global ", "type ", "local ", "branch ", "loop ", "block ", "call "};

static void generate(uint8_t *out, uint32_t n) {
    uint32_t seed = 0x5eed1234u, i = 0;
    while (i < n) {
        uint32_t r = bench_rand(&seed);
        const char *w = words[r % 24];
        if ((r >> 8) % 16 == 0)
            out[i++] = (uint8_t)('A' + (r >> 12) % 26);   /* a little noise */
        for (; *w && i < n; w++)
            out[i++] = (uint8_t)*w;
        if ((r >> 16) % 10 == 0 && i < n)
            out[i++] = '\n';
    }
}

static uint32_t hash4(const uint8_t *p) {
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

/* Output format: a control byte c; c < 128: c+1 literal bytes follow; otherwise a match
 * of length (c - 128 + MIN_MATCH) at the 16-bit little-endian distance that follows. */
static uint32_t compress(const uint8_t *in, uint32_t n, uint8_t *out, uint32_t *head) {
    uint32_t ip = 0, op = 0, lit_start = 0;
    for (uint32_t i = 0; i < (1u << HASH_BITS); i++)
        head[i] = UINT32_MAX;
    while (ip + MIN_MATCH <= n) {
        uint32_t h = hash4(in + ip), cand = head[h];
        head[h] = ip;
        uint32_t len = 0;
        if (cand != UINT32_MAX && ip - cand <= WINDOW)
            while (ip + len < n && len < MAX_MATCH && in[cand + len] == in[ip + len])
                len++;
        if (len < MIN_MATCH) {
            ip++;
            continue;
        }
        while (lit_start < ip) {   /* flush pending literals in runs of up to 128 */
            uint32_t run = ip - lit_start > 128 ? 128 : ip - lit_start;
            out[op++] = (uint8_t)(run - 1);
            memcpy(out + op, in + lit_start, run);
            op += run;
            lit_start += run;
        }
        uint32_t dist = ip - cand;
        out[op++] = (uint8_t)(128 + len - MIN_MATCH);
        out[op++] = (uint8_t)dist;
        out[op++] = (uint8_t)(dist >> 8);
        for (uint32_t k = 1; k < len && ip + k + MIN_MATCH <= n; k++)
            head[hash4(in + ip + k)] = ip + k;
        ip += len;
        lit_start = ip;
    }
    while (lit_start < n) {
        uint32_t run = n - lit_start > 128 ? 128 : n - lit_start;
        out[op++] = (uint8_t)(run - 1);
        memcpy(out + op, in + lit_start, run);
        op += run;
        lit_start += run;
    }
    return op;
}

/* Returns the decompressed size, or UINT32_MAX on a malformed stream. */
static uint32_t decompress(const uint8_t *in, uint32_t n, uint8_t *out, uint32_t cap) {
    uint32_t ip = 0, op = 0;
    while (ip < n) {
        uint32_t c = in[ip++];
        if (c < 128) {
            if (op + c + 1 > cap || ip + c + 1 > n)
                return UINT32_MAX;
            memcpy(out + op, in + ip, c + 1);
            ip += c + 1;
            op += c + 1;
        } else {
            uint32_t len = c - 128 + MIN_MATCH;
            if (ip + 2 > n)
                return UINT32_MAX;
            uint32_t dist = in[ip] | (uint32_t)in[ip + 1] << 8;
            ip += 2;
            if (dist == 0 || dist > op || op + len > cap)
                return UINT32_MAX;
            for (uint32_t k = 0; k < len; k++)   /* byte by byte: matches may overlap */
                out[op + k] = out[op - dist + k];
            op += len;
        }
    }
    return op;
}

int run(int scale) {
    uint32_t n = (uint32_t)(scale < 1 ? 1 : scale) * 1024u;
    uint8_t *in = malloc(n), *packed = malloc(n + n / 64 + 16), *back = malloc(n);
    uint32_t *head = malloc(sizeof(uint32_t) << HASH_BITS);
    if (!in || !packed || !back || !head)
        return -1;
    generate(in, n);
    uint32_t h = BENCH_HASH_INIT;
    /* several rounds over shifted windows of the input, so each round differs */
    for (uint32_t round = 0; round < 4; round++) {
        uint32_t len = n - round * 97u % (n / 2 + 1);
        uint32_t size = compress(in + (n - len), len, packed, head);
        if (decompress(packed, size, back, n) != len || memcmp(back, in + (n - len), len) != 0)
            return -1;
        h = bench_mix(h, size);
        for (uint32_t i = 0; i < size; i += 61)
            h = bench_mix(h, packed[i]);
    }
    free(in);
    free(packed);
    free(back);
    free(head);
    return (int)h;
}
