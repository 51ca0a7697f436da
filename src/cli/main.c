/* main: placeholder until the CLI lands. */
#include <stdio.h>
#include "taho.h"
int main(void) { puts("taho " TAHO_VERSION); return 0; }
