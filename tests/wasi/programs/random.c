/* random: getentropy fills buffers, differently each time. */
#include <unistd.h>
#include "common.h"

int main(void) {
    unsigned char a[256], b[256];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    CHECK(getentropy(a, sizeof a) == 0);
    CHECK(getentropy(b, sizeof b) == 0);
    int zeros = 0;
    for (size_t i = 0; i < sizeof a; i++) zeros += a[i] == 0;
    printf("not all zero: %d\n", zeros < 32);
    printf("two draws differ: %d\n", memcmp(a, b, sizeof a) != 0);
    printf("too long: %s\n", getentropy(a, 257) ? errname(errno) : "OK");
    unsigned hist[4] = {0};
    for (int k = 0; k < 64; k++) {
        CHECK(getentropy(a, sizeof a) == 0);
        for (size_t i = 0; i < sizeof a; i++) hist[a[i] >> 6]++;
    }
    int balanced = 1;
    for (int i = 0; i < 4; i++) balanced &= hist[i] > 3500 && hist[i] < 4700;
    printf("roughly uniform: %d\n", balanced);
    return 0;
}
