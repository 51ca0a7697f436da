/* fuzz_artifact: bytes as a relocatable object (art_link, and what links goes on
   through art_encode, art_open_bytes and art_file_native) and as an artifact (opened
   as is, then again with its checksum made consistent so the checks behind it are
   reached). Nothing may crash; no code is ever called. */
#include <stdint.h>
#include <stdlib.h>
#include "../../src/artifact/internal.h"
#include "taho.h"

static void open_and_map(const uint8_t *b, size_t len) {
    art_file *f;
    tb_error err;
    if (!art_open_bytes(b, len, &f, &err)) return;
    size_t wl;
    (void)art_file_wasm(f, &wl);
    rt_native *n;
    if (art_file_native(f, &n, &err)) {   /* takes f either way */
        if (n->nfuncs) (void)n->func_at(n, (uintptr_t)n->fns[0]);
        n->release(n);
    }
}

static void as_object(const uint8_t *data, size_t size) {
    art_obj o = {data, size};
    art_image img;
    tb_error err;
    if (!art_link(&o, 1, 1, &img, &err)) return;
    art_meta m = {.tier_abi = RT_TIER_ABI};
    memcpy(m.taho_version, TAHO_VERSION, sizeof TAHO_VERSION);
    uint8_t *b;
    size_t len;
    if (art_encode(&img, &m, data, size < 64 ? size : 64, &b, &len, &err)) {
        open_and_map(b, len);
        tb_free(b);
    }
    rt_native *n;
    if (art_load_image(&img, &n, &err)) n->release(n);
    art_image_free(&img);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    as_object(data, size);
    open_and_map(data, size);
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy) return 0;
    memcpy(copy, data, size);
    if (art_checksum_fix(copy, size)) open_and_map(copy, size);
    free(copy);
    return 0;
}
