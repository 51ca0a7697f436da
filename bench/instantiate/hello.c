/* hello: the WASI hello-world of bench/instantiate, plus a trivial export to call. */
#include <stdio.h>

__attribute__((export_name("ping"))) int ping(void) { return 42; }

int main(void) {
    printf("hello, world\n");
    return 0;
}
