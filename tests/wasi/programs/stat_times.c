/* stat_times: sizes, truncation, explicit timestamps, hard link counts. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common.h"

int main(void) {
    int fd = open("s.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "0123456789", 10) == 10);
    struct stat st;
    CHECK(fstat(fd, &st) == 0);
    printf("size %ld regular %d nlink %ld\n", (long)st.st_size, S_ISREG(st.st_mode), (long)st.st_nlink);
    CHECK(ftruncate(fd, 100000) == 0);
    CHECK(fstat(fd, &st) == 0);
    printf("extended %ld\n", (long)st.st_size);
    struct timespec ts[2] = {{1000000000, 5}, {1234567890, 123456789}};
    CHECK(futimens(fd, ts) == 0);
    CHECK(fstat(fd, &st) == 0);
    printf("mtime %ld.%09ld atime %ld\n", (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (long)st.st_atim.tv_sec);
    struct timespec ts2[2] = {{0, UTIME_OMIT}, {1500000000, 0}};
    CHECK(utimensat(AT_FDCWD, "s.txt", ts2, 0) == 0);
    CHECK(stat("s.txt", &st) == 0);
    printf("mtime %ld atime kept %d\n", (long)st.st_mtim.tv_sec, st.st_atim.tv_sec == 1000000000);
    CHECK(link("s.txt", "hard.txt") == 0);
    CHECK(stat("s.txt", &st) == 0);
    printf("nlink after link %ld\n", (long)st.st_nlink);
    struct stat st2;
    CHECK(stat("hard.txt", &st2) == 0);
    printf("same inode %d\n", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
    CHECK(unlink("s.txt") == 0);
    CHECK(fstat(fd, &st) == 0);
    printf("nlink after unlink %ld\n", (long)st.st_nlink);
    close(fd);
    printf("link to missing: %s\n", link("nope", "x") ? errname(errno) : "OK");
    printf("link over existing: %s\n", link("hard.txt", "hard.txt") ? errname(errno) : "OK");
    return 0;
}
