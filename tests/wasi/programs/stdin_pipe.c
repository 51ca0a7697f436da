/* stdin_pipe: read all of stdin (a pipe), count and transform it. */
#include <ctype.h>
#include <unistd.h>
#include "common.h"

int main(void) {
    static char buf[1 << 20];
    size_t n = 0;
    ssize_t r;
    while ((r = read(0, buf + n, sizeof buf - n)) > 0) n += (size_t)r;
    CHECK(r == 0);
    int lines = 0;
    for (size_t i = 0; i < n; i++) lines += buf[i] == '\n';
    printf("%zu bytes, %d lines, hash %lx\n", n, lines, fnv(buf, n));
    for (size_t i = 0; i < n && i < 200; i++) putchar(toupper((unsigned char)buf[i]));
    printf("\neof again: %zd\n", read(0, buf, 10));
    return 0;
}
