/* maps: a WASI command that prints how many lines of the host process's memory map
   (/proc/self/maps, granted with --dir-ro /proc) name an LLVM library, so a test can
   see from inside whether `taho run` loaded LLVM. */
#include <stdio.h>
#include <string.h>

int main(void) {
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f) {
        perror("/proc/self/maps");
        return 2;
    }
    char line[4096];
    int llvm = 0, lines = 0;
    while (fgets(line, sizeof line, f)) {
        lines++;
        if (strstr(line, "libLLVM") || strstr(line, "libtaho-llvm")) llvm++;
    }
    fclose(f);
    printf("maps: %d lines, %d llvm\n", lines, llvm);
    return lines > 0 ? 0 : 3;
}
