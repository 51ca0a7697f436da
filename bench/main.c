/* main.c: the driver linked into every benchmark, native and wasm32-wasi alike: reads the
 * scale from argv[1], calls the program's run(scale) and prints its checksum on stdout. */
#include <stdio.h>
#include <stdlib.h>

int run(int scale);

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s SCALE\n", argc > 0 ? argv[0] : "bench");
        return 2;
    }
    printf("%d\n", run(atoi(argv[1])));
    return 0;
}
