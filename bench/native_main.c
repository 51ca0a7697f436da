/* native_main.c: the native driver: calls run(scale) from one benchmark and prints the
 * checksum, the same number node-run.js and `taho run --invoke run` print. */
#include <stdio.h>
#include <stdlib.h>

int run(int scale);

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s SCALE\n", argv[0]);
        return 2;
    }
    printf("%d\n", run(atoi(argv[1])));
    return 0;
}
