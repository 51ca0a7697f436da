/* rename_unlink: rename files and directories, over existing targets, and unlink. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common.h"

static void put(const char *p, const char *s) {
    FILE *f = fopen(p, "w");
    CHECK(f);
    fputs(s, f);
    fclose(f);
}

static void show(const char *p) {
    char buf[64] = {0};
    FILE *f = fopen(p, "r");
    if (!f) { printf("%s: %s\n", p, errname(errno)); return; }
    fgets(buf, sizeof buf, f);
    fclose(f);
    printf("%s: %s\n", p, buf);
}

int main(void) {
    put("one", "1");
    put("two", "2");
    CHECK(rename("one", "uno") == 0);
    show("one");
    show("uno");
    CHECK(rename("uno", "two") == 0);   /* replaces */
    show("two");
    CHECK(mkdir("d1", 0755) == 0);
    put("d1/x", "x");
    CHECK(rename("d1", "d2") == 0);
    show("d2/x");
    CHECK(mkdir("empty", 0755) == 0);
    printf("dir over file: %s\n", rename("d2", "two") ? errname(errno) : "OK");
    printf("file over dir: %s\n", rename("two", "empty") ? errname(errno) : "OK");
    printf("dir over nonempty: %s\n", rename("empty", "d2") ? errname(errno) : "OK");
    CHECK(rename("empty", "d3") == 0);
    printf("missing: %s\n", rename("nothing", "x") ? errname(errno) : "OK");
    CHECK(unlink("two") == 0);
    printf("unlink again: %s\n", unlink("two") ? errname(errno) : "OK");
    printf("unlink dir: %s\n", unlink("d2") ? errname(errno) : "OK");
    /* an open file survives its unlink */
    put("tmp", "still here");
    int fd = open("tmp", O_RDONLY);
    CHECK(fd >= 0);
    CHECK(unlink("tmp") == 0);
    char buf[32] = {0};
    CHECK(read(fd, buf, sizeof buf - 1) > 0);
    printf("after unlink: %s\n", buf);
    close(fd);
    return 0;
}
