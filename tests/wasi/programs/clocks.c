/* clocks: monotonic never goes back, realtime is plausible, sleeps take long enough. */
#include <time.h>
#include "common.h"

static double now(clockid_t c) {
    struct timespec ts;
    CHECK(clock_gettime(c, &ts) == 0);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void) {
    double prev = now(CLOCK_MONOTONIC);
    for (int i = 0; i < 10000; i++) {
        double t = now(CLOCK_MONOTONIC);
        CHECK(t >= prev);
        prev = t;
    }
    printf("monotonic ok\n");
    printf("realtime after 2020: %d\n", now(CLOCK_REALTIME) > 1577836800.0);
    struct timespec res;
    CHECK(clock_getres(CLOCK_MONOTONIC, &res) == 0);
    printf("resolution positive: %d\n", res.tv_sec > 0 || res.tv_nsec > 0);
    double t0 = now(CLOCK_MONOTONIC);
    struct timespec d = {0, 30 * 1000 * 1000};
    CHECK(nanosleep(&d, NULL) == 0);
    double slept = now(CLOCK_MONOTONIC) - t0;
    printf("slept >= 30ms: %d\n", slept >= 0.029);
    printf("slept < 2s: %d\n", slept < 2.0);
    double c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    volatile double x = 0;
    for (int i = 0; i < 2000000; i++) x += i * 0.5;
    printf("cputime advances: %d\n", now(CLOCK_PROCESS_CPUTIME_ID) > c0);
    printf("time(): %d\n", time(NULL) > 1577836800);
    return 0;
}
