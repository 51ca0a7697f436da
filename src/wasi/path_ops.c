/* path_ops: the path_* calls. Each resolves its paths with wasi_resolve (confined to
   the preopen) and then acts with an *at() call on the final component that never
   follows a symlink, so a symlink swapped in after resolution cannot redirect it. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wasi.h"

/* The directory fd `fd` with rights `need`, and path (ptr, len) resolved beneath it. */
static uint16_t dir_path(wasi_ctx *c, rt_instance *inst, uint32_t fd, uint64_t need, uint32_t ptr,
                         uint32_t len, bool follow, wasi_fd **d, wasi_path *p) {
    wasi_mem m = wasi_mem_of(inst);
    p->dirfd = -1;
    p->own = false;
    uint16_t r = wasi_fd_get(c, fd, 0, d);
    if (r) return r;
    if ((*d)->kind != WASI_FD_DIR) return WASI_ENOTDIR;
    if (((*d)->base & need) != need) return WASI_ENOTCAPABLE;
    return wasi_resolve(*d, &m, ptr, len, follow, p);
}

/* With a trailing slash the final component must be a directory. */
static uint16_t need_dir_if_slash(const wasi_path *p) {
    struct stat st;
    if (!p->trailing_slash) return WASI_ESUCCESS;
    if (fstatat(p->dirfd, p->name, &st, AT_SYMLINK_NOFOLLOW) != 0) return wasi_errno_now();
    return S_ISDIR(st.st_mode) ? WASI_ESUCCESS : WASI_ENOTDIR;
}

#define HOST_RESULT(call) ((call) != 0 ? wasi_errno_now() : WASI_ESUCCESS)

WASI_FN(path_create_directory) {
    wasi_fd *d;
    wasi_path p;
    uint16_t r = dir_path(env, inst, WASI_ARG32(0), R(PATH_CREATE_DIRECTORY), WASI_ARG32(1),
                          WASI_ARG32(2), false, &d, &p);
    if (!r) r = HOST_RESULT(mkdirat(p.dirfd, p.name, 0777));
    wasi_path_done(&p);
    WASI_RET(r);
}

WASI_FN(path_remove_directory) {
    wasi_fd *d;
    wasi_path p;
    uint16_t r = dir_path(env, inst, WASI_ARG32(0), R(PATH_REMOVE_DIRECTORY), WASI_ARG32(1),
                          WASI_ARG32(2), false, &d, &p);
    if (!r) r = HOST_RESULT(unlinkat(p.dirfd, p.name, AT_REMOVEDIR));
    wasi_path_done(&p);
    WASI_RET(r);
}

WASI_FN(path_unlink_file) {
    wasi_fd *d;
    wasi_path p;
    uint16_t r = dir_path(env, inst, WASI_ARG32(0), R(PATH_UNLINK_FILE), WASI_ARG32(1),
                          WASI_ARG32(2), false, &d, &p);
    if (!r && p.trailing_slash) {
        struct stat st;
        r = fstatat(p.dirfd, p.name, &st, AT_SYMLINK_NOFOLLOW) ? wasi_errno_now()
            : S_ISDIR(st.st_mode) ? WASI_EISDIR : WASI_ENOTDIR;
    }
    if (!r) r = HOST_RESULT(unlinkat(p.dirfd, p.name, 0));
    wasi_path_done(&p);
    WASI_RET(r);
}

WASI_FN(path_filestat_get) {
    wasi_mem m = wasi_mem_of(inst);
    wasi_fd *d;
    wasi_path p;
    uint16_t r = dir_path(env, inst, WASI_ARG32(0), R(PATH_FILESTAT_GET), WASI_ARG32(2),
                          WASI_ARG32(3), WASI_ARG32(1) & WASI_LOOKUP_SYMLINK_FOLLOW, &d, &p);
    uint8_t *out = wasi_ptr(&m, WASI_ARG32(4), WASI_FILESTAT_SIZE);
    struct stat st;
    if (!r && !out) r = WASI_EFAULT;
    if (!r) r = HOST_RESULT(fstatat(p.dirfd, p.name, &st, AT_SYMLINK_NOFOLLOW));
    if (!r && p.trailing_slash && !S_ISDIR(st.st_mode)) r = WASI_ENOTDIR;
    if (!r) wasi_write_filestat(out, &st);
    wasi_path_done(&p);
    WASI_RET(r);
}

WASI_FN(path_filestat_set_times) {
    wasi_fd *d;
    wasi_path p;
    struct timespec ts[2];
    uint16_t r = wasi_times(WASI_ARG64(4), WASI_ARG64(5), WASI_ARG32(6), ts);
    if (!r) r = dir_path(env, inst, WASI_ARG32(0), R(PATH_FILESTAT_SET_TIMES), WASI_ARG32(2),
                         WASI_ARG32(3), WASI_ARG32(1) & WASI_LOOKUP_SYMLINK_FOLLOW, &d, &p);
    else p.dirfd = -1, p.own = false;
    if (!r) r = need_dir_if_slash(&p);
    if (!r) r = HOST_RESULT(utimensat(p.dirfd, p.name, ts, AT_SYMLINK_NOFOLLOW));
    wasi_path_done(&p);
    WASI_RET(r);
}

WASI_FN(path_readlink) {
    wasi_mem m = wasi_mem_of(inst);
    wasi_fd *d;
    wasi_path p;
    uint32_t buf = WASI_ARG32(3), len = WASI_ARG32(4);
    uint8_t *out = wasi_ptr(&m, buf, len);
    uint16_t r = dir_path(env, inst, WASI_ARG32(0), R(PATH_READLINK), WASI_ARG32(1),
                          WASI_ARG32(2), false, &d, &p);
    if (!r && (!out || !wasi_ptr(&m, WASI_ARG32(5), 4))) r = WASI_EFAULT;
    if (!r) {
        char target[4097];
        ssize_t n = readlinkat(p.dirfd, p.name, target, sizeof target);
        if (n < 0) r = wasi_errno_now();
        else {
            uint32_t k = (uint64_t)n < len ? (uint32_t)n : len;
            memcpy(out, target, k);
            wasi_put32(&m, WASI_ARG32(5), k);
        }
    }
    wasi_path_done(&p);
    WASI_RET(r);
}

/* Two paths for link and rename: both must stay within the same grant. */
static uint16_t two_paths(wasi_ctx *c, rt_instance *inst, uint32_t ofd, uint64_t oneed,
                          uint32_t optr, uint32_t olen, bool ofollow, uint32_t nfd,
                          uint64_t nneed, uint32_t nptr, uint32_t nlen, wasi_path *o,
                          wasi_path *n) {
    wasi_fd *od, *nd;
    n->dirfd = -1;
    n->own = false;
    uint16_t r = dir_path(c, inst, ofd, oneed, optr, olen, ofollow, &od, o);
    if (!r) r = dir_path(c, inst, nfd, nneed, nptr, nlen, false, &nd, n);
    if (!r && od->root != nd->root) r = WASI_EXDEV;
    return r;
}

WASI_FN(path_link) {
    wasi_path o, n;
    uint16_t r = two_paths(env, inst, WASI_ARG32(0), R(PATH_LINK_SOURCE), WASI_ARG32(2),
                           WASI_ARG32(3), WASI_ARG32(1) & WASI_LOOKUP_SYMLINK_FOLLOW,
                           WASI_ARG32(4), R(PATH_LINK_TARGET), WASI_ARG32(5), WASI_ARG32(6), &o, &n);
    if (!r && n.trailing_slash) r = WASI_ENOENT;
    if (!r && o.trailing_slash) r = need_dir_if_slash(&o);
    if (!r) r = HOST_RESULT(linkat(o.dirfd, o.name, n.dirfd, n.name, 0));
    wasi_path_done(&o);
    wasi_path_done(&n);
    WASI_RET(r);
}

WASI_FN(path_rename) {
    wasi_path o, n;
    uint16_t r = two_paths(env, inst, WASI_ARG32(0), R(PATH_RENAME_SOURCE), WASI_ARG32(1),
                           WASI_ARG32(2), false, WASI_ARG32(3), R(PATH_RENAME_TARGET),
                           WASI_ARG32(4), WASI_ARG32(5), &o, &n);
    if (!r && (o.trailing_slash || n.trailing_slash)) {
        /* "a/" names a directory: the source must be one. */
        struct stat st;
        if (fstatat(o.dirfd, o.name, &st, AT_SYMLINK_NOFOLLOW)) r = wasi_errno_now();
        else if (!S_ISDIR(st.st_mode)) r = WASI_ENOTDIR;
    }
    if (!r) r = HOST_RESULT(renameat(o.dirfd, o.name, n.dirfd, n.name));
    wasi_path_done(&o);
    wasi_path_done(&n);
    WASI_RET(r);
}

WASI_FN(path_symlink) {
    wasi_mem m = wasi_mem_of(inst);
    uint32_t tlen = WASI_ARG32(1);
    const uint8_t *t = wasi_ptr(&m, WASI_ARG32(0), tlen);
    wasi_fd *d;
    wasi_path p;
    p.dirfd = -1, p.own = false;
    uint16_t r = !t ? WASI_EFAULT : memchr(t, 0, tlen) ? WASI_EILSEQ
                 : tlen > 4096 ? WASI_ENAMETOOLONG : WASI_ESUCCESS;
    if (!r) r = dir_path(env, inst, WASI_ARG32(2), R(PATH_SYMLINK), WASI_ARG32(3), WASI_ARG32(4),
                         false, &d, &p);
    /* An absolute target names something outside every grant. */
    if (!r && tlen > 0 && t[0] == '/') r = WASI_ENOTCAPABLE;
    if (!r && p.trailing_slash) r = WASI_ENOENT;
    char *target = r ? NULL : tb_strndup((const char *)t, tlen);
    if (!r && !target) r = WASI_ENOMEM;
    if (!r) r = HOST_RESULT(symlinkat(target, p.dirfd, p.name));
    tb_free(target);
    wasi_path_done(&p);
    WASI_RET(r);
}

/* Host open flags for a path_open request. */
static uint16_t open_flags(uint32_t oflags, uint32_t fdflags, uint64_t base, bool slash, int *out) {
    if (oflags & ~(uint32_t)0xf || fdflags & ~(uint32_t)0x1f) return WASI_EINVAL;
    bool wr = base & (R(FD_WRITE) | R(FD_ALLOCATE) | R(FD_FILESTAT_SET_SIZE));
    bool rd = base & (R(FD_READ) | R(FD_READDIR));
    int f = O_CLOEXEC | O_NOFOLLOW | (wr ? (rd ? O_RDWR : O_WRONLY) : O_RDONLY);
    if ((oflags & WASI_O_DIRECTORY) || slash) {
        if ((oflags & WASI_O_CREAT) && slash && !(oflags & WASI_O_DIRECTORY)) return WASI_EISDIR;
        f |= O_DIRECTORY;
    }
    if (oflags & WASI_O_CREAT) f |= O_CREAT;
    if (oflags & WASI_O_EXCL) f |= O_EXCL;
    if (oflags & WASI_O_TRUNC) f |= O_TRUNC;
    if (fdflags & WASI_FDFLAG_APPEND) f |= O_APPEND;
    if (fdflags & WASI_FDFLAG_NONBLOCK) f |= O_NONBLOCK;
    if (fdflags & WASI_FDFLAG_DSYNC) f |= O_DSYNC;
    if (fdflags & WASI_FDFLAG_SYNC) f |= O_SYNC;
    if (fdflags & WASI_FDFLAG_RSYNC) f |= O_RSYNC;
    *out = f;
    return WASI_ESUCCESS;
}

WASI_FN(path_open) {
    wasi_ctx *c = env;
    wasi_mem m = wasi_mem_of(inst);
    uint32_t oflags = WASI_ARG32(4), fdflags = WASI_ARG32(7), result = WASI_ARG32(8);
    uint64_t base = WASI_ARG64(5), inh = WASI_ARG64(6);
    uint64_t need = R(PATH_OPEN) | (oflags & WASI_O_CREAT ? R(PATH_CREATE_FILE) : 0) |
                    (oflags & WASI_O_TRUNC ? R(PATH_FILESTAT_SET_SIZE) : 0);
    wasi_fd *d;
    wasi_path p;
    uint16_t r = dir_path(c, inst, WASI_ARG32(0), need, WASI_ARG32(2), WASI_ARG32(3),
                          WASI_ARG32(1) & WASI_LOOKUP_SYMLINK_FOLLOW, &d, &p);
    int flags = 0, fd = -1;
    if (!r && !wasi_ptr(&m, result, 4)) r = WASI_EFAULT;
    /* Asking for a right the directory cannot pass on (a write through a read-only
       grant) is refused rather than silently narrowed. */
    uint64_t modifying = R(FD_WRITE) | R(FD_ALLOCATE) | R(FD_FILESTAT_SET_SIZE);
    bool writes = (base & modifying) || (fdflags & WASI_FDFLAG_APPEND);
    if (!r && writes && (!(d->perms & WASI_PERM_WRITE) || ((base & modifying) & ~d->inheriting)))
        r = WASI_ENOTCAPABLE;
    if (!r) r = open_flags(oflags, fdflags, base & d->inheriting, p.trailing_slash, &flags);
    if (!r && (fd = openat(p.dirfd, p.name, flags, 0666)) < 0) r = wasi_errno_now();
    struct stat st;
    if (!r && fstat(fd, &st) != 0) r = wasi_errno_now();
    if (!r) {
        wasi_fd nf = {.kind = S_ISDIR(st.st_mode) ? WASI_FD_DIR : WASI_FD_FILE, .host = fd,
                      .filetype = wasi_filetype_of_mode(st.st_mode),
                      .fdflags = (uint16_t)fdflags, .perms = d->perms, .root = d->root};
        nf.base = base & d->inheriting & wasi_rights_for(nf.filetype, d->perms);
        nf.inheriting = inh & d->inheriting;
        if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISBLK(st.st_mode))
            nf.base &= ~(R(FD_SEEK) | R(FD_TELL));
        int64_t gfd = wasi_fd_add(c, nf);   /* may move the table: d is stale after */
        fd = -1;
        if (gfd < 0) r = WASI_ENOMEM;
        else wasi_put32(&m, result, (uint32_t)gfd);
    }
    if (fd >= 0) close(fd);
    wasi_path_done(&p);
    WASI_RET(r);
}
