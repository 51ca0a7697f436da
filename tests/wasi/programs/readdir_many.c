/* readdir_many: list a directory of many entries (several fd_readdir buffers). */
#include <dirent.h>
#include <sys/stat.h>
#include "common.h"

int main(void) {
    CHECK(mkdir("big", 0755) == 0);
    for (int i = 0; i < 500; i++) {
        char p[300];
        snprintf(p, sizeof p, "big/entry-with-a-rather-long-name-to-fill-buffers-%04d", i);
        FILE *f = fopen(p, "w");
        CHECK(f);
        fclose(f);
    }
    DIR *d = opendir("big");
    CHECK(d);
    int n = 0, dots = 0;
    unsigned long h = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) { dots++; continue; }
        n++;
        h += fnv(e->d_name, strlen(e->d_name));
        CHECK(e->d_type == DT_REG);
    }
    printf("%d entries + %d dots, name hash %lx\n", n, dots, h & 0xffffffff);
    rewinddir(d);
    int again = 0;
    while ((e = readdir(d))) again++;
    printf("after rewind: %d\n", again);
    closedir(d);
    return 0;
}
