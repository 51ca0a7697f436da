/* fuel: a guest for tests/llvm/fuel.sh. Prints a line per round of work as it goes
   (one write each, no buffering), so the last line before "all fuel consumed" shows
   where a budget stopped it: the same line on every engine. `fuel N` stops after
   round N; `spin` loops forever without calls (for --timeout). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* a loop whose length depends on x, and a call or two */
__attribute__((noinline)) static unsigned work(unsigned x) {
    unsigned h = x;
    for (unsigned i = 0; i < (x & 63); i++) h = h * 31 + i;
    return h;
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "spin")) for (volatile unsigned x = 0;; x++) {}
    unsigned last = argc > 2 ? (unsigned)atoi(argv[2]) : ~0u, h = 0;
    char buf[64];
    for (unsigned i = 0; i <= last; i++) {
        h = h * 7 + work(i) + (i % 3 ? work(h) : 0);
        int n = snprintf(buf, sizeof buf, "%u %u\n", i, h);
        if (write(1, buf, (size_t)n) != n) return 1;
    }
    return 0;
}
