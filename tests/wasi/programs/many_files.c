/* many_files: hundreds of files open at once. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common.h"

#define N 300

int main(void) {
    static int fds[N];
    CHECK(mkdir("many", 0755) == 0);
    for (int i = 0; i < N; i++) {
        char p[64];
        snprintf(p, sizeof p, "many/f%03d", i);
        fds[i] = open(p, O_RDWR | O_CREAT | O_EXCL, 0644);
        CHECK(fds[i] >= 0);
    }
    for (int i = 0; i < N; i++) {
        char s[32];
        int n = snprintf(s, sizeof s, "file %d\n", i);
        CHECK(write(fds[i], s, (size_t)n) == n);
    }
    int distinct = 1;
    for (int i = 1; i < N; i++) distinct &= fds[i] != fds[i - 1];
    printf("distinct fds: %d\n", distinct);
    for (int i = 0; i < N; i += 2) CHECK(close(fds[i]) == 0);
    printf("close twice: %s\n", close(fds[0]) ? errname(errno) : "OK");
    unsigned long h = 0;
    for (int i = 1; i < N; i += 2) {
        char s[32] = {0};
        CHECK(pread(fds[i], s, sizeof s - 1, 0) > 0);
        h ^= fnv(s, strlen(s));
        close(fds[i]);
    }
    printf("odd files hash %lx\n", h);
    int fd = open("many/f000", O_RDONLY | O_CREAT | O_EXCL, 0644);
    printf("exclusive again: %s\n", fd < 0 ? errname(errno) : "OK");
    return 0;
}
