/* sha256: SHA-256 (FIPS 180-4), for the module hash artifacts and caches record. */
#ifndef TB_SHA256_H
#define TB_SHA256_H

#include "base.h"

typedef struct tb_sha256_ctx {
    uint32_t h[8];
    uint64_t total;               /* bytes hashed so far */
    uint8_t buf[64];
    uint32_t used;                /* bytes waiting in buf */
} tb_sha256_ctx;

void tb_sha256_init(tb_sha256_ctx *c);
void tb_sha256_update(tb_sha256_ctx *c, const void *data, size_t len);
void tb_sha256_final(tb_sha256_ctx *c, uint8_t out[32]);
/* One call: the digest of data. */
void tb_sha256(const void *data, size_t len, uint8_t out[32]);

/* Tests: use the CPU's SHA instructions if it has them (the default), or the portable
   code; returns whether the instructions are in use. */
bool tb_sha256_use_hw(bool enable);

#endif
