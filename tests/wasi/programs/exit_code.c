/* exit_code: output flushed before exit, and the exit status passes through. */
#include "common.h"

static void bye(void) { printf("atexit ran\n"); }

int main(int argc, char **argv) {
    atexit(bye);
    printf("exiting with 42\n");
    exit(42);
}
