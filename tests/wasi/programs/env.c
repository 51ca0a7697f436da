/* env: the environment is exactly what was granted. */
#include "common.h"
extern char **environ;

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void) {
    int n = 0;
    while (environ[n]) n++;
    char **v = malloc(sizeof *v * (size_t)(n + 1));
    memcpy(v, environ, sizeof *v * (size_t)n);
    qsort(v, (size_t)n, sizeof *v, cmp);
    printf("%d variables\n", n);
    for (int i = 0; i < n; i++) printf("%s\n", v[i]);
    const char *g = getenv("GREETING");
    printf("GREETING=%s\n", g ? g : "(unset)");
    printf("HOME=%s\n", getenv("HOME") ? getenv("HOME") : "(unset)");
    setenv("NEW", "value", 1);
    printf("NEW=%s\n", getenv("NEW"));
    return 0;
}
