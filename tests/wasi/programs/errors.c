/* errors: the errno a program sees for common failures. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common.h"

#define TRY(what, call) printf("%-28s %s\n", what, (call) < 0 ? errname(errno) : "OK")

int main(void) {
    CHECK(mkdir("d", 0755) == 0);
    FILE *f = fopen("d/file", "w");
    CHECK(f);
    fclose(f);
    TRY("open missing", open("missing", O_RDONLY));
    TRY("open dir for write", open("d", O_WRONLY));
    TRY("open file as dir", open("d/file", O_RDONLY | O_DIRECTORY));
    TRY("path through file", open("d/file/x", O_RDONLY));
    TRY("create exclusive existing", open("d/file", O_CREAT | O_EXCL | O_WRONLY, 0644));
    TRY("mkdir existing", mkdir("d", 0755));
    TRY("mkdir in missing", mkdir("no/such", 0755));
    TRY("rmdir nonempty", rmdir("d"));
    TRY("rmdir file", rmdir("d/file"));
    TRY("unlink dir", unlink("d"));
    TRY("unlink missing", unlink("missing"));
    TRY("read bad fd", read(77, (char[4]){0}, 4));
    TRY("close bad fd", close(77));
    TRY("lseek bad whence", lseek(0 + open("d/file", O_RDONLY), 0, 17));
    char longname[300];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    TRY("name too long", open(longname, O_RDONLY));
    TRY("write to read-only fd", write(open("d/file", O_RDONLY), "x", 1));
    return 0;
}
