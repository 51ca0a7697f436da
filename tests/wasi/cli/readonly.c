/* readonly: a read-only grant reads but refuses every change. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TRY(what, call) printf("%s: %s\n", what, (call) < 0 ? (errno == ENOTCAPABLE ? "ENOTCAPABLE" : strerror(errno)) : "OK")

int main(void) {
    char buf[32] = {0};
    int fd = open("/ro/file", O_RDONLY);
    printf("read: %zd %s", read(fd, buf, sizeof buf - 1), buf);
    TRY("open for write", open("/ro/file", O_WRONLY));
    TRY("create", open("/ro/new", O_WRONLY | O_CREAT, 0644));
    TRY("mkdir", mkdir("/ro/d", 0755));
    TRY("unlink", unlink("/ro/file"));
    TRY("rename", rename("/ro/file", "/ro/file2"));
    TRY("symlink", symlink("file", "/ro/l"));
    return 0;
}
