/* dump.c: writes wasmval's generated module to a file (native only), so another
 * validator (wabt's wasm-validate) and `taho compile` can check it independently:
 *   make -C bench out/wasmval-gen.wasm */
#include <stdio.h>

#include "genmod.h"

void wasmval_module(gen_buf *wasm);

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUT.wasm\n", argv[0]);
        return 2;
    }
    gen_buf wasm = {0};
    wasmval_module(&wasm);
    FILE *f = fopen(argv[1], "wb");
    if (!f || fwrite(wasm.p, 1, wasm.len, f) != wasm.len || fclose(f) != 0) {
        perror(argv[1]);
        return 1;
    }
    gen_buf_free(&wasm);
    return 0;
}
