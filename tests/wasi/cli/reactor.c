/* reactor: a WASI reactor; its constructor must run (via _initialize) before add. */
#include <stdio.h>

static int base;
__attribute__((constructor)) static void init(void) { base = 100; }

__attribute__((export_name("add"))) int add(int a, int b) { return base + a + b; }
