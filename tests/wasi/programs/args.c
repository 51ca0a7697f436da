/* args: the guest sees its arguments (argv[0] is the program's name, so not printed). */
#include "common.h"

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++) printf("argv[%d]=[%s] len=%zu\n", i, argv[i], strlen(argv[i]));
    return argc;
}
