/* file_io: write, read back, append, seek, pread/pwrite, truncate. */
#include <fcntl.h>
#include <unistd.h>
#include "common.h"

int main(void) {
    FILE *f = fopen("data.txt", "w");
    CHECK(f);
    for (int i = 0; i < 100; i++) fprintf(f, "line %d\n", i);
    fclose(f);
    f = fopen("data.txt", "a");
    CHECK(f);
    fputs("appended\n", f);
    fclose(f);
    char buf[4096];
    int fd = open("data.txt", O_RDWR);
    CHECK(fd >= 0);
    ssize_t n = read(fd, buf, sizeof buf);
    printf("read %zd bytes, hash %lx\n", n, fnv(buf, (size_t)n));
    CHECK(lseek(fd, 5, SEEK_SET) == 5);
    CHECK(read(fd, buf, 2) == 2);
    printf("at 5: %.2s\n", buf);
    CHECK(pwrite(fd, "XY", 2, 10) == 2);
    CHECK(pread(fd, buf, 6, 8) == 6);
    printf("pread: %.6s\n", buf);
    printf("tell: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    printf("end: %ld\n", (long)lseek(fd, 0, SEEK_END));
    CHECK(ftruncate(fd, 20) == 0);
    printf("after truncate: %ld\n", (long)lseek(fd, 0, SEEK_END));
    close(fd);
    f = fopen("data.txt", "r");
    CHECK(f);
    while (fgets(buf, sizeof buf, f)) printf("> %s", buf);
    fclose(f);
    printf("\nmissing: %s\n", fopen("nope.txt", "r") ? "found" : errname(errno));
    return 0;
}
