/* env_file: a WASI command for the taho.toml tests: prints $LANG and the first line of
   /data/hello.txt, so the test sees which grants reached the guest. */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    const char *lang = getenv("LANG");
    printf("LANG=%s\n", lang ? lang : "(unset)");
    FILE *f = fopen("/data/hello.txt", "r");
    if (!f) {
        puts("no /data");
        return 3;
    }
    char line[64] = {0};
    if (fgets(line, sizeof line, f)) printf("file: %s", line);
    fclose(f);
    return 0;
}
