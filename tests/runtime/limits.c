/* limits: a guest for `taho run`'s limit flags: "loop" spins forever, "deep" recurses
   without end, "alloc" mallocs 1 MiB blocks until malloc fails, "hello" prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *volatile sink;

/* No locals in linear memory: only the Wasm stack grows (the C shadow stack would
   overflow first, into an out-of-bounds access). */
__attribute__((noinline)) static int deep(int n) {
    if (n < 0) return 0;
    return deep(n + 1) * 3 + n;
}

int main(int argc, char **argv) {
    const char *what = argc > 1 ? argv[1] : "hello";
    if (!strcmp(what, "loop")) for (volatile unsigned long x = 0;; x++) {}
    if (!strcmp(what, "deep")) return deep(0);
    if (!strcmp(what, "alloc")) {
        size_t n = 0;
        while ((sink = malloc(1 << 20)) != NULL) n++;
        printf("malloc gave %zu MiB\n", n);
        return 0;
    }
    printf("hello, world\n");
    return 0;
}
