/* exit: proc_exit(N) with N from argv[1]; returning from main when there is none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    printf("argv[0]=%s argc=%d\n", argv[0], argc);
    const char *x = getenv("X");
    printf("X=%s HOME=%s\n", x ? x : "-", getenv("HOME") ? "set" : "-");
    if (argc > 1) exit(atoi(argv[1]));
    return 0;
}
