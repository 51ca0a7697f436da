/* trap: a program that traps (abort is `unreachable`) inside a named function. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) void deep_failure(int x) {
    if (x > 0) abort();
}

int main(int argc, char **argv) {
    printf("before the trap\n");
    fflush(stdout);
    deep_failure(argc);
    return 0;
}
