/* symlinks: create, read, follow and not follow symlinks; dangling links and loops. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common.h"

int main(void) {
    FILE *f = fopen("target.txt", "w");
    CHECK(f);
    fputs("through the link", f);
    fclose(f);
    CHECK(mkdir("dir", 0755) == 0);
    CHECK(symlink("target.txt", "link") == 0);
    CHECK(symlink("../target.txt", "dir/uplink") == 0);
    CHECK(symlink("dir", "dirlink") == 0);
    CHECK(symlink("missing", "dangling") == 0);
    CHECK(symlink("loop2", "loop1") == 0);
    CHECK(symlink("loop1", "loop2") == 0);
    char buf[128];
    ssize_t n = readlink("link", buf, sizeof buf);
    printf("readlink: %.*s\n", (int)n, buf);
    n = readlink("dir/uplink", buf, sizeof buf);
    printf("readlink: %.*s\n", (int)n, buf);
    printf("readlink file: %s\n", readlink("target.txt", buf, sizeof buf) < 0 ? errname(errno) : "OK");
    struct stat st;
    CHECK(lstat("link", &st) == 0);
    printf("lstat link: symlink=%d\n", S_ISLNK(st.st_mode));
    CHECK(stat("link", &st) == 0);
    printf("stat link: regular=%d size=%ld\n", S_ISREG(st.st_mode), (long)st.st_size);
    const char *paths[] = {"link", "dir/uplink", "dirlink/uplink", "dangling", "loop1"};
    for (int i = 0; i < 5; i++) {
        int fd = open(paths[i], O_RDONLY);
        if (fd < 0) { printf("open %s: %s\n", paths[i], errname(errno)); continue; }
        memset(buf, 0, sizeof buf);
        read(fd, buf, sizeof buf - 1);
        printf("open %s: %s\n", paths[i], buf);
        close(fd);
    }
    int fd = open("link", O_RDONLY | O_NOFOLLOW);
    printf("nofollow: %s\n", fd < 0 ? errname(errno) : "opened");
    /* creating through a dangling link creates its target */
    f = fopen("dangling", "w");
    CHECK(f);
    fputs("made", f);
    fclose(f);
    CHECK(stat("missing", &st) == 0);
    printf("created via link: %ld bytes\n", (long)st.st_size);
    CHECK(unlink("link") == 0);
    CHECK(stat("target.txt", &st) == 0);
    printf("target survives unlink of link\n");
    return 0;
}
