/* dirs: create nested directories, list them sorted, remove them. */
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common.h"

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *path) {
    DIR *d = opendir(path);
    CHECK(d);
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp);
    printf("%s:", path);
    for (int i = 0; i < n; i++) printf(" %s", names[i]), free(names[i]);
    printf("\n");
}

int main(void) {
    CHECK(mkdir("a", 0755) == 0);
    CHECK(mkdir("a/b", 0755) == 0);
    CHECK(mkdir("a/b/c", 0755) == 0);
    printf("mkdir again: %s\n", mkdir("a/b", 0755) ? errname(errno) : "OK");
    for (int i = 0; i < 5; i++) {
        char p[64];
        snprintf(p, sizeof p, "a/b/f%d", i);
        FILE *f = fopen(p, "w");
        CHECK(f);
        fprintf(f, "%d", i);
        fclose(f);
    }
    list("a");
    list("a/b");
    struct stat st;
    CHECK(stat("a/b/c", &st) == 0);
    printf("c is dir: %d\n", S_ISDIR(st.st_mode));
    printf("rmdir nonempty: %s\n", rmdir("a/b") ? errname(errno) : "OK");
    CHECK(rmdir("a/b/c") == 0);
    CHECK(unlink("a/b/f0") == 0);
    list("a/b");
    printf("rmdir file: %s\n", rmdir("a/b/f1") ? errname(errno) : "OK");
    printf("opendir missing: %s\n", opendir("zz") ? "OK" : errname(errno));
    CHECK(mkdir("keep", 0755) == 0);
    CHECK(mkdir("keep/inner", 0755) == 0);
    return 0;
}
