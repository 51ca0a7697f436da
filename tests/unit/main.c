/* main: runs every registered unit test; `unit-tests NAME` runs those whose name has NAME. */
#include "test.h"
#include <string.h>

#define MAX_TESTS 4096
static struct { const char *name, *file; void (*fn)(void); } tests[MAX_TESTS];
static int ntests, failed_now;

void test_register(const char *name, void (*fn)(void), const char *file) {
    if (ntests < MAX_TESTS) tests[ntests++] = (typeof(tests[0])){name, file, fn};
}

void test_fail(const char *file, int line, const char *expr) {
    printf("  FAIL %s:%d: %s\n", file, line, expr);
    failed_now = 1;
}

int main(int argc, char **argv) {
    int passed = 0, failed = 0;
    for (int i = 0; i < ntests; i++) {
        if (argc > 1 && !strstr(tests[i].name, argv[1])) continue;
        failed_now = 0;
        tests[i].fn();
        if (failed_now) { failed++; printf("FAIL %s (%s)\n", tests[i].name, tests[i].file); }
        else passed++;
    }
    printf("unit: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
