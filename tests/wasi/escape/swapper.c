/* swapper: atomically exchanges two paths over and over (renameat2 RENAME_EXCHANGE), so
   a guest racing on one of them sees a directory one moment and a symlink the next. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 4) return 2;
    long n = atol(argv[3]);
    for (long i = 0; i < n; i++)
        if (renameat2(AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE) != 0) return perror("renameat2"), 1;
    return 0;
}
