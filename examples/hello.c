/* hello: a WASI command; `taho run build/examples/hello.wasm NAME` greets NAME. */
#include <stdio.h>

int main(int argc, char **argv) {
    printf("hello, %s\n", argc > 1 ? argv[1] : "world");
    return 0;
}
