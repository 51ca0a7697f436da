/* poll_timeout: poll with timeouts, on a regular file, and on stdin (a pipe). */
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>
#include "common.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void) {
    FILE *f = fopen("polled.txt", "w");
    CHECK(f);
    fputs("abc", f);
    fclose(f);
    int fd = open("polled.txt", O_RDONLY);
    CHECK(fd >= 0);
    struct pollfd p = {fd, POLLIN, 0};
    double t0 = now();
    int n = poll(&p, 1, 1000);
    printf("file ready: n=%d in=%d fast=%d\n", n, !!(p.revents & POLLIN), now() - t0 < 0.5);
    close(fd);
    struct pollfd in = {0, POLLIN, 0};
    n = poll(&in, 1, 2000);
    printf("stdin ready: n=%d in=%d\n", n, !!(in.revents & (POLLIN | POLLHUP)));
    char buf[64] = {0};
    printf("read: %zd\n", read(0, buf, sizeof buf - 1));
    t0 = now();
    struct timespec d = {0, 40 * 1000 * 1000};
    nanosleep(&d, NULL);
    double e = now() - t0;
    printf("sleep 40ms: %d\n", e >= 0.039 && e < 2);
    t0 = now();
    poll(NULL, 0, 60);
    e = now() - t0;
    printf("poll timeout 60ms: %d\n", e >= 0.059 && e < 2);
    return 0;
}
