/* spawn: the wall time of a whole process, `spawn N cmd args...`: runs it N times
   (after 2 unmeasured runs, stdout to /dev/null) and prints the median and the minimum
   in milliseconds. posix_spawn + waitpid, so the launcher adds little of its own. */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: spawn N cmd [args...]\n"); return 2; }
    int n = atoi(argv[1]);
    if (n < 1) n = 1;
    double *t = malloc(sizeof *t * (size_t)n);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    for (int i = -2; i < n; i++) {
        double t0 = now_ms();
        pid_t pid;
        if (posix_spawnp(&pid, argv[2], &fa, NULL, argv + 2, environ) != 0) {
            perror(argv[2]);
            return 1;
        }
        int st;
        waitpid(pid, &st, 0);
        if (i >= 0) t[i] = now_ms() - t0;
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            fprintf(stderr, "spawn: %s failed (status %d)\n", argv[2], st);
            return 1;
        }
    }
    qsort(t, (size_t)n, sizeof *t, cmp);
    printf("%.2f %.2f\n", t[n / 2], t[0]);
    return 0;
}
