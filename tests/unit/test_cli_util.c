/* test_cli_util: the CLI's small helpers (text-format detection, file reading). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test.h"
#include "../../src/cli/cli.h"

static bool text(const char *s) { return cli_looks_like_text((const uint8_t *)s, strlen(s)); }

TEST(cli_util_looks_like_text) {
    CHECK(text("(module)"));
    CHECK(text("  \n\t(module"));
    CHECK(text(";; a comment\n(module)"));
    CHECK(!text(""));
    CHECK(!text("   "));
    CHECK(!text(";"));
    CHECK(!text("\0asm"));
    CHECK(!text("module"));
}

TEST(cli_util_read_file) {
    size_t len = 0;
    CHECK(cli_read_file("/nonexistent/taho-test", &len) == NULL && errno == ENOENT);
    CHECK(cli_read_file("/", &len) == NULL && errno == EISDIR);
    char path[] = "/tmp/taho-unit-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK(write(fd, "abc", 3) == 3);
    close(fd);
    uint8_t *data = cli_read_file(path, &len);
    unlink(path);
    CHECK(data && len == 3 && !memcmp(data, "abc", 3));
    free(data);
}
