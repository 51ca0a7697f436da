/* fd_ops: the fd_* calls (read, write, seek, stat, flags, rights, readdir, ...). */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "wasi.h"

#define IOV_LIMIT 1024   /* the host's IOV_MAX; more buffers than this is EINVAL */

uint16_t wasi_iovecs(const wasi_mem *m, uint32_t iovs, uint32_t n, struct iovec **out) {
    *out = NULL;
    if (n > IOV_LIMIT) return WASI_EINVAL;
    const uint8_t *a = wasi_ptr(m, iovs, (uint64_t)n * WASI_IOVEC_SIZE);
    if (!a) return WASI_EFAULT;
    if (!n) return WASI_ESUCCESS;
    struct iovec *v = tb_malloc(n * sizeof *v);
    if (!v) return WASI_ENOMEM;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t buf = tb_rd32(a + 8 * i), len = tb_rd32(a + 8 * i + 4);
        v[i].iov_base = wasi_ptr(m, buf, len);
        v[i].iov_len = len;
        if (!v[i].iov_base) return tb_free(v), WASI_EFAULT;
    }
    *out = v;
    return WASI_ESUCCESS;
}

static uint64_t iov_total(const struct iovec *v, uint32_t n) {
    uint64_t t = 0;
    for (uint32_t i = 0; i < n; i++) t += v[i].iov_len;
    return t;
}

typedef enum { IO_READ, IO_WRITE, IO_PREAD, IO_PWRITE } io_kind;

/* The four data calls share their checks: fd, rights, iovecs, result pointer. */
static uint16_t do_io(wasi_ctx *c, rt_instance *inst, io_kind k, uint32_t fd, uint32_t iovs,
                      uint32_t n, uint64_t off, uint32_t result) {
    static const uint64_t need[] = {R(FD_READ), R(FD_WRITE), R(FD_READ) | R(FD_SEEK),
                                    R(FD_WRITE) | R(FD_SEEK)};
    wasi_mem m = wasi_mem_of(inst);
    wasi_fd *f;
    uint16_t r = wasi_fd_get(c, fd, need[k], &f);
    if (r) return r;
    if (f->kind == WASI_FD_DIR) return WASI_EISDIR;
    if (!wasi_ptr(&m, result, 4)) return WASI_EFAULT;
    struct iovec *v;
    if ((r = wasi_iovecs(&m, iovs, n, &v))) return r;
    ssize_t got;
    if (f->kind == WASI_FD_NULL) got = k == IO_WRITE || k == IO_PWRITE ? (ssize_t)iov_total(v, n) : 0;
    else if ((k == IO_PREAD || k == IO_PWRITE) && off > INT64_MAX) got = -1, errno = EINVAL;
    else {
        do {
            switch (k) {
            case IO_READ: got = readv(f->host, v, (int)n); break;
            case IO_WRITE: got = writev(f->host, v, (int)n); break;
            case IO_PREAD: got = preadv(f->host, v, (int)n, (off_t)off); break;
            default: got = pwritev(f->host, v, (int)n, (off_t)off); break;
            }
        } while (got < 0 && errno == EINTR);
    }
    r = got < 0 ? wasi_errno_now() : WASI_ESUCCESS;
    if (got >= 0) wasi_put32(&m, result, (uint32_t)got);
    tb_free(v);
    return r;
}

WASI_FN(fd_read) { WASI_RET(do_io(env, inst, IO_READ, WASI_ARG32(0), WASI_ARG32(1), WASI_ARG32(2), 0, WASI_ARG32(3))); }
WASI_FN(fd_write) { WASI_RET(do_io(env, inst, IO_WRITE, WASI_ARG32(0), WASI_ARG32(1), WASI_ARG32(2), 0, WASI_ARG32(3))); }
WASI_FN(fd_pread) { WASI_RET(do_io(env, inst, IO_PREAD, WASI_ARG32(0), WASI_ARG32(1), WASI_ARG32(2), WASI_ARG64(3), WASI_ARG32(4))); }
WASI_FN(fd_pwrite) { WASI_RET(do_io(env, inst, IO_PWRITE, WASI_ARG32(0), WASI_ARG32(1), WASI_ARG32(2), WASI_ARG64(3), WASI_ARG32(4))); }

/* A file descriptor that must be a host file or directory (not a closed stdio stream). */
static uint16_t host_fd(wasi_ctx *c, uint32_t fd, uint64_t need, wasi_fd **f) {
    uint16_t r = wasi_fd_get(c, fd, need, f);
    if (!r && (*f)->kind == WASI_FD_NULL) return WASI_EBADF;
    return r;
}

WASI_FN(fd_seek) {
    wasi_mem m = wasi_mem_of(inst);
    int64_t off = (int64_t)WASI_ARG64(1);
    uint32_t whence = WASI_ARG32(2);
    uint64_t need = whence == WASI_WHENCE_CUR && off == 0 ? R(FD_TELL) : R(FD_SEEK);
    wasi_fd *f;
    uint16_t r = host_fd(env, WASI_ARG32(0), need, &f);
    if (r) WASI_RET(r);
    if (f->kind == WASI_FD_DIR) WASI_RET(WASI_EBADF);
    static const int how[] = {SEEK_SET, SEEK_CUR, SEEK_END};
    if (whence > WASI_WHENCE_END) WASI_RET(WASI_EINVAL);
    if (!wasi_ptr(&m, WASI_ARG32(3), 8)) WASI_RET(WASI_EFAULT);
    off_t pos = lseek(f->host, off, how[whence]);
    if (pos < 0) WASI_RET(wasi_errno_now());
    wasi_put64(&m, WASI_ARG32(3), (uint64_t)pos);
    WASI_RET(WASI_ESUCCESS);
}

WASI_FN(fd_tell) {
    wasi_mem m = wasi_mem_of(inst);
    wasi_fd *f;
    uint16_t r = host_fd(env, WASI_ARG32(0), R(FD_TELL), &f);
    if (r) WASI_RET(r);
    if (f->kind == WASI_FD_DIR) WASI_RET(WASI_EBADF);
    if (!wasi_ptr(&m, WASI_ARG32(1), 8)) WASI_RET(WASI_EFAULT);
    off_t pos = lseek(f->host, 0, SEEK_CUR);
    if (pos < 0) WASI_RET(wasi_errno_now());
    wasi_put64(&m, WASI_ARG32(1), (uint64_t)pos);
    WASI_RET(WASI_ESUCCESS);
}

WASI_FN(fd_sync) {
    wasi_fd *f;
    uint16_t r = host_fd(env, WASI_ARG32(0), R(FD_SYNC), &f);
    WASI_RET(r ? r : fsync(f->host) ? wasi_errno_now() : WASI_ESUCCESS);
}

WASI_FN(fd_datasync) {
    wasi_fd *f;
    uint16_t r = host_fd(env, WASI_ARG32(0), R(FD_DATASYNC), &f);
    WASI_RET(r ? r : fdatasync(f->host) ? wasi_errno_now() : WASI_ESUCCESS);
}

WASI_FN(fd_advise) {
    static const int adv[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                              POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
    wasi_fd *f;
    uint16_t r = host_fd(env, WASI_ARG32(0), R(FD_ADVISE), &f);
    if (r) WASI_RET(r);
    uint32_t a = WASI_ARG32(3);
    if (a >= TB_ARRAY_LEN(adv) || (int64_t)WASI_ARG64(1) < 0 || (int64_t)WASI_ARG64(2) < 0)
        WASI_RET(WASI_EINVAL);
    if (f->kind == WASI_FD_DIR) WASI_RET(WASI_EBADF);
    int e = posix_fadvise(f->host, (off_t)WASI_ARG64(1), (off_t)WASI_ARG64(2), adv[a]);
    WASI_RET(e == ESPIPE ? WASI_ESPIPE : wasi_errno(e));
}

WASI_FN(fd_allocate) {
    wasi_fd *f;
    uint16_t r = host_fd(env, WASI_ARG32(0), R(FD_ALLOCATE), &f);
    if (r) WASI_RET(r);
    int64_t off = (int64_t)WASI_ARG64(1), len = (int64_t)WASI_ARG64(2);
    if (off < 0 || len <= 0 || off > INT64_MAX - len) WASI_RET(WASI_EINVAL);
    if (f->kind == WASI_FD_DIR) WASI_RET(WASI_EBADF);
    WASI_RET(wasi_errno(posix_fallocate(f->host, off, len)));
}

WASI_FN(fd_close) {
    wasi_ctx *c = env;
    wasi_fd *f;
    uint16_t r = wasi_fd_get(c, WASI_ARG32(0), 0, &f);
    if (r) WASI_RET(r);
    wasi_fd_release(f);
    WASI_RET(WASI_ESUCCESS);
}

WASI_FN(fd_renumber) {
    wasi_ctx *c = env;
    wasi_fd *from, *to;
    uint16_t r = wasi_fd_get(c, WASI_ARG32(0), 0, &from);
    if (!r) r = wasi_fd_get(c, WASI_ARG32(1), 0, &to);
    if (r) WASI_RET(r);
    if (from == to) WASI_RET(WASI_ESUCCESS);
    wasi_fd_release(to);
    *to = *from;
    memset(from, 0, sizeof *from);
    from->host = -1;
    WASI_RET(WASI_ESUCCESS);
}

WASI_FN(fd_fdstat_get) {
    wasi_mem m = wasi_mem_of(inst);
    wasi_fd *f;
    uint16_t r = wasi_fd_get(env, WASI_ARG32(0), 0, &f);
    if (r) WASI_RET(r);
    uint8_t *p = wasi_ptr(&m, WASI_ARG32(1), WASI_FDSTAT_SIZE);
    if (!p) WASI_RET(WASI_EFAULT);
    memset(p, 0, WASI_FDSTAT_SIZE);
    p[0] = f->filetype;
    memcpy(p + 2, &f->fdflags, 2);
    memcpy(p + 8, &f->base, 8);
    memcpy(p + 16, &f->inheriting, 8);
    WASI_RET(WASI_ESUCCESS);
}

WASI_FN(fd_fdstat_set_flags) {
    wasi_fd *f;
    uint16_t r = wasi_fd_get(env, WASI_ARG32(0), R(FD_FDSTAT_SET_FLAGS), &f);
    if (r) WASI_RET(r);
    uint32_t flags = WASI_ARG32(1);
    if (flags & ~(uint32_t)0x1f) WASI_RET(WASI_EINVAL);
    /* Linux cannot change the sync flags of an open file. */
    if ((flags ^ f->fdflags) & (WASI_FDFLAG_DSYNC | WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC))
        WASI_RET(WASI_ENOTSUP);
    if ((flags & WASI_FDFLAG_APPEND) && !(f->base & R(FD_WRITE))) WASI_RET(WASI_ENOTCAPABLE);
    if (f->kind != WASI_FD_NULL) {
        int fl = fcntl(f->host, F_GETFL);
        if (fl < 0) WASI_RET(wasi_errno_now());
        fl &= ~(O_APPEND | O_NONBLOCK);
        if (flags & WASI_FDFLAG_APPEND) fl |= O_APPEND;
        if (flags & WASI_FDFLAG_NONBLOCK) fl |= O_NONBLOCK;
        if (fcntl(f->host, F_SETFL, fl) < 0) WASI_RET(wasi_errno_now());
    }
    f->fdflags = (uint16_t)flags;
    WASI_RET(WASI_ESUCCESS);
}

WASI_FN(fd_fdstat_set_rights) {
    wasi_fd *f;
    uint16_t r = wasi_fd_get(env, WASI_ARG32(0), 0, &f);
    if (r) WASI_RET(r);
    uint64_t base = WASI_ARG64(1), inh = WASI_ARG64(2);
    /* Rights only shrink. */
    if ((base & ~f->base) || (inh & ~f->inheriting)) WASI_RET(WASI_ENOTCAPABLE);
    f->base = base;
    f->inheriting = inh;
    WASI_RET(WASI_ESUCCESS);
}

void wasi_write_filestat(uint8_t *p, const struct stat *st) {
    uint64_t v[8] = {
        st->st_dev, st->st_ino, wasi_filetype_of_mode(st->st_mode), st->st_nlink,
        (uint64_t)st->st_size,
        (uint64_t)st->st_atim.tv_sec * 1000000000u + (uint64_t)st->st_atim.tv_nsec,
        (uint64_t)st->st_mtim.tv_sec * 1000000000u + (uint64_t)st->st_mtim.tv_nsec,
        (uint64_t)st->st_ctim.tv_sec * 1000000000u + (uint64_t)st->st_ctim.tv_nsec,
    };
    memcpy(p, v, sizeof v);
}

WASI_FN(fd_filestat_get) {
    wasi_mem m = wasi_mem_of(inst);
    wasi_fd *f;
    uint16_t r = wasi_fd_get(env, WASI_ARG32(0), R(FD_FILESTAT_GET), &f);
    if (r) WASI_RET(r);
    uint8_t *p = wasi_ptr(&m, WASI_ARG32(1), WASI_FILESTAT_SIZE);
    if (!p) WASI_RET(WASI_EFAULT);
    struct stat st;
    memset(&st, 0, sizeof st);
    st.st_mode = S_IFCHR;
    if (f->kind != WASI_FD_NULL && fstat(f->host, &st) != 0) WASI_RET(wasi_errno_now());
    wasi_write_filestat(p, &st);
    if (f->kind == WASI_FD_SOCKET || f->filetype == WASI_FT_SOCKET_STREAM) p[16] = f->filetype;
    WASI_RET(WASI_ESUCCESS);
}

WASI_FN(fd_filestat_set_size) {
    wasi_fd *f;
    uint16_t r = host_fd(env, WASI_ARG32(0), R(FD_FILESTAT_SET_SIZE), &f);
    if (r) WASI_RET(r);
    if ((int64_t)WASI_ARG64(1) < 0) WASI_RET(WASI_EINVAL);
    WASI_RET(ftruncate(f->host, (off_t)WASI_ARG64(1)) ? wasi_errno_now() : WASI_ESUCCESS);
}

uint16_t wasi_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2]) {
    if (fst & ~(uint32_t)0xf) return WASI_EINVAL;
    if (((fst & WASI_FST_ATIM) && (fst & WASI_FST_ATIM_NOW)) ||
        ((fst & WASI_FST_MTIM) && (fst & WASI_FST_MTIM_NOW)))
        return WASI_EINVAL;
    uint64_t t[2] = {atim, mtim};
    uint32_t set[2] = {WASI_FST_ATIM, WASI_FST_MTIM}, now[2] = {WASI_FST_ATIM_NOW, WASI_FST_MTIM_NOW};
    for (int i = 0; i < 2; i++) {
        ts[i].tv_sec = 0;
        ts[i].tv_nsec = UTIME_OMIT;
        if (fst & now[i]) ts[i].tv_nsec = UTIME_NOW;
        else if (fst & set[i]) {
            ts[i].tv_sec = (time_t)(t[i] / 1000000000u);
            ts[i].tv_nsec = (long)(t[i] % 1000000000u);
        }
    }
    return WASI_ESUCCESS;
}

WASI_FN(fd_filestat_set_times) {
    wasi_fd *f;
    uint16_t r = host_fd(env, WASI_ARG32(0), R(FD_FILESTAT_SET_TIMES), &f);
    if (r) WASI_RET(r);
    struct timespec ts[2];
    if ((r = wasi_times(WASI_ARG64(1), WASI_ARG64(2), WASI_ARG32(3), ts))) WASI_RET(r);
    WASI_RET(futimens(f->host, ts) ? wasi_errno_now() : WASI_ESUCCESS);
}

WASI_FN(fd_prestat_get) {
    wasi_mem m = wasi_mem_of(inst);
    wasi_fd *f;
    uint16_t r = wasi_fd_get(env, WASI_ARG32(0), 0, &f);
    if (r) WASI_RET(r);
    if (!f->preopen) WASI_RET(WASI_EBADF);
    uint8_t *p = wasi_ptr(&m, WASI_ARG32(1), WASI_PRESTAT_SIZE);
    if (!p) WASI_RET(WASI_EFAULT);
    uint32_t tag = 0, len = (uint32_t)f->preopen_len;
    memcpy(p, &tag, 4);
    memcpy(p + 4, &len, 4);
    WASI_RET(WASI_ESUCCESS);
}

WASI_FN(fd_prestat_dir_name) {
    wasi_mem m = wasi_mem_of(inst);
    wasi_fd *f;
    uint16_t r = wasi_fd_get(env, WASI_ARG32(0), 0, &f);
    if (r) WASI_RET(r);
    if (!f->preopen) WASI_RET(WASI_EBADF);
    uint32_t len = WASI_ARG32(2);
    uint8_t *p = wasi_ptr(&m, WASI_ARG32(1), len);
    if (!p) WASI_RET(WASI_EFAULT);
    if (len < f->preopen_len) WASI_RET(WASI_ENAMETOOLONG);
    memcpy(p, f->preopen, f->preopen_len);
    WASI_RET(WASI_ESUCCESS);
}

static uint8_t dirent_type(int dirfd, const struct dirent *e) {
    switch (e->d_type) {
    case DT_REG: return WASI_FT_REGULAR_FILE;
    case DT_DIR: return WASI_FT_DIRECTORY;
    case DT_LNK: return WASI_FT_SYMBOLIC_LINK;
    case DT_CHR: return WASI_FT_CHARACTER_DEVICE;
    case DT_BLK: return WASI_FT_BLOCK_DEVICE;
    case DT_SOCK: return WASI_FT_SOCKET_STREAM;
    case DT_UNKNOWN: {
        struct stat st;
        if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
            return wasi_filetype_of_mode(st.st_mode);
        return WASI_FT_UNKNOWN;
    }
    default: return WASI_FT_UNKNOWN;
    }
}

/* Cookies are entry numbers: entry k's d_next is k + 1. The listing is reread from the
   start each call, which keeps no state in the fd table and stays correct when the
   directory changes between calls (as POSIX readdir, entries may then be seen twice or
   missed). */
WASI_FN(fd_readdir) {
    wasi_mem m = wasi_mem_of(inst);
    wasi_fd *f;
    uint16_t r = host_fd(env, WASI_ARG32(0), R(FD_READDIR), &f);
    if (r) WASI_RET(r);
    if (f->kind != WASI_FD_DIR) WASI_RET(WASI_ENOTDIR);
    uint32_t buf = WASI_ARG32(1), len = WASI_ARG32(2);
    uint64_t cookie = WASI_ARG64(3);
    uint8_t *out = wasi_ptr(&m, buf, len);
    if (!out || !wasi_ptr(&m, WASI_ARG32(4), 4)) WASI_RET(WASI_EFAULT);
    int fd = openat(f->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        r = wasi_errno_now();
        if (fd >= 0) close(fd);
        WASI_RET(r);
    }
    uint32_t used = 0;
    uint64_t k = 0;
    struct dirent *e;
    while (used < len && (errno = 0, e = readdir(d))) {
        if (k++ < cookie) continue;
        uint8_t hdr[WASI_DIRENT_SIZE] = {0};
        uint64_t next = k, ino = e->d_ino;
        uint32_t nlen = (uint32_t)strlen(e->d_name);
        memcpy(hdr, &next, 8);
        memcpy(hdr + 8, &ino, 8);
        memcpy(hdr + 16, &nlen, 4);
        hdr[20] = dirent_type(fd, e);
        uint32_t n = len - used < WASI_DIRENT_SIZE ? len - used : WASI_DIRENT_SIZE;
        memcpy(out + used, hdr, n);
        used += n;
        n = len - used < nlen ? len - used : nlen;
        memcpy(out + used, e->d_name, n);
        used += n;
    }
    closedir(d);
    wasi_put32(&m, WASI_ARG32(4), used);
    WASI_RET(WASI_ESUCCESS);
}
