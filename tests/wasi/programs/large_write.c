/* large_write: megabytes to a file and to stdout, in big and odd-sized writes. */
#include <fcntl.h>
#include <unistd.h>
#include "common.h"

int main(void) {
    size_t size = 6u << 20;
    unsigned char *p = malloc(size);
    CHECK(p);
    for (size_t i = 0; i < size; i++) p[i] = (unsigned char)(i * 7 + (i >> 13));
    int fd = open("big.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    size_t done = 0;
    while (done < size) {   /* one huge write, then the rest */
        ssize_t w = write(fd, p + done, size - done);
        CHECK(w > 0);
        done += (size_t)w;
    }
    for (int i = 0; i < 1000; i++) CHECK(write(fd, p + i * 997, 997) == 997);
    close(fd);
    fd = open("big.bin", O_RDONLY);
    CHECK(fd >= 0);
    unsigned char *q = malloc(size + 997000 + 65536 + 13);   /* room for a whole last read */
    size_t got = 0;
    ssize_t r;
    while ((r = read(fd, q + got, 65536 + 13)) > 0) got += (size_t)r;
    close(fd);
    printf("file: %zu bytes, hash %lx\n", got, fnv(q, got));
    for (size_t i = 0; i < (2u << 20); i += 64) {
        char line[80];
        int n = snprintf(line, sizeof line, "%08zx %02x%02x%02x%02x\n", i, p[i], p[i + 1], p[i + 2], p[i + 3]);
        fwrite(line, 1, (size_t)n, stdout);
    }
    return 0;
}
