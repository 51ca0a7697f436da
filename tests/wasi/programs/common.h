/* common: helpers for the WASI test programs, which run natively and under taho and
   must print the same thing: errno values differ between libcs, so they print names. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline const char *errname(int e) {
    switch (e) {
    case 0: return "OK";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ELOOP: return "ELOOP";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case EXDEV: return "EXDEV";
    case ENAMETOOLONG: return "ENAMETOOLONG";
#ifdef ENOTCAPABLE
    case ENOTCAPABLE: return "ENOTCAPABLE";
#endif
    default: return "E?";
    }
}

#define CHECK(cond) do { if (!(cond)) { printf("FAILED %s:%d: %s (errno %s)\n", __FILE__, __LINE__, #cond, errname(errno)); exit(99); } } while (0)

static inline unsigned long fnv(const void *p, size_t n) {
    unsigned long h = 1469598103u;
    for (size_t i = 0; i < n; i++) h = (h ^ ((const unsigned char *)p)[i]) * 16777619u;
    return h & 0xffffffffu;
}
