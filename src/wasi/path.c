/* path: confined resolution of guest paths beneath a preopened directory. The parent
   directories are opened with openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) where the
   kernel has it (Linux >= 5.6), otherwise by our own walk, one component at a time with
   O_NOFOLLOW, interpreting symlinks and ".." ourselves against a stack of directory fds.
   Either way every step is an fd-relative open, so a directory renamed or a symlink
   swapped in between two calls cannot lead outside. The final component is returned
   unopened: callers use it with *at() calls that never follow symlinks. */
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "wasi.h"

#define WASI_MAX_SYMLINKS 40      /* as Linux's MAXSYMLINKS: loops end in ELOOP */
#define WASI_MAX_PATH 4096        /* PATH_MAX; longer guest paths are ENAMETOOLONG */

static _Atomic int have_openat2; /* 0 unknown, 1 yes, -1 no, 2 probe again (tests) */

static int probe_openat2(void);

bool wasi_have_openat2(void) {
    int s = atomic_load(&have_openat2);
    if (s == 2) atomic_store(&have_openat2, s = probe_openat2());
    if (s) return s > 0;
    const char *mode = getenv("TAHO_WASI_RESOLVE");
    s = mode && !strcmp(mode, "walk") ? -1 : probe_openat2();
    atomic_store(&have_openat2, s);
    return s > 0;
}

static int probe_openat2(void) {
    struct open_how how = {.flags = O_PATH | O_DIRECTORY | O_CLOEXEC, .resolve = RESOLVE_BENEATH};
    int fd = (int)syscall(SYS_openat2, AT_FDCWD, ".", &how, sizeof how);
    /* ENOSYS: old kernel; EPERM: a seccomp filter that does not know it. */
    if (fd >= 0) close(fd);
    else if (errno == ENOSYS || errno == EPERM || errno == EINVAL) return -1;
    return 1;
}

void wasi_resolver_force(int mode) {
    atomic_store(&have_openat2, mode);
    if (mode > 0) atomic_store(&have_openat2, 2);   /* use it if the kernel has it */
}

/* ---- the walk ---- */

typedef struct walk_state {
    TB_VEC(int) stack;            /* stack.v[0] is the root (not ours) */
    char *rest;                   /* what is left of the path (tb_malloc'ed) */
    size_t pos;
    int links;
} walk_state;

static int walk_top(walk_state *w) { return w->stack.v[w->stack.len - 1]; }

static void walk_free(walk_state *w) {
    for (uint32_t i = 1; i < w->stack.len; i++) close(w->stack.v[i]);
    tb_vec_free(&w->stack);
    tb_free(w->rest);
}

/* Replace the consumed part of rest by the symlink target: target + "/" + remainder. */
static uint16_t splice_link(char **rest, size_t *pos, const char *target, size_t tlen) {
    size_t remain = strlen(*rest + *pos);
    if (tlen + 1 + remain > 16 * WASI_MAX_PATH) return WASI_ENAMETOOLONG;
    char *n = tb_malloc(tlen + remain + 2);
    if (!n) return WASI_ENOMEM;
    memcpy(n, target, tlen);
    n[tlen] = '/';
    memcpy(n + tlen + 1, *rest + *pos, remain + 1);
    tb_free(*rest);
    *rest = n;
    *pos = 0;
    return WASI_ESUCCESS;
}

/* A symlink met during resolution: absolute targets would leave the sandbox. */
static uint16_t read_link(int dirfd, const char *name, char *buf, size_t cap, ssize_t *len,
                          int *links) {
    *len = readlinkat(dirfd, name, buf, cap - 1);
    if (*len < 0) return wasi_errno_now();
    if (++*links > WASI_MAX_SYMLINKS) return WASI_ELOOP;
    buf[*len] = 0;
    if (buf[0] == '/') return WASI_ENOTCAPABLE;
    return WASI_ESUCCESS;
}

static uint16_t walk_step(walk_state *w, const char *comp) {
    if (!strcmp(comp, ".")) return WASI_ESUCCESS;
    if (!strcmp(comp, "..")) {
        if (w->stack.len == 1) return WASI_ENOTCAPABLE;
        close(walk_top(w));
        w->stack.len--;
        return WASI_ESUCCESS;
    }
    int fd = openat(walk_top(w), comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        if (!tb_vec_push(&w->stack, fd)) return close(fd), WASI_ENOMEM;
        return WASI_ESUCCESS;
    }
    int e = errno;
    if (e != ENOTDIR && e != ELOOP) return wasi_errno(e);
    char target[WASI_MAX_PATH + 1];
    ssize_t n;
    uint16_t r = read_link(walk_top(w), comp, target, sizeof target, &n, &w->links);
    if (r == WASI_EINVAL) return WASI_ENOTDIR;  /* not a symlink: a file in the way */
    if (r) return r;
    return splice_link(&w->rest, &w->pos, target, (size_t)n);
}

/* Open the directory `path` (relative, may hold symlinks and "..") beneath root. */
static uint16_t walk(int root, const char *path, int *out, bool *own) {
    walk_state w = {0};
    uint16_t r = WASI_ENOMEM;
    if (!tb_vec_push(&w.stack, root) || !(w.rest = tb_strndup(path, strlen(path)))) goto done;
    r = WASI_ESUCCESS;
    while (!r) {
        while (w.rest[w.pos] == '/') w.pos++;
        if (!w.rest[w.pos]) break;
        size_t end = w.pos;
        while (w.rest[end] && w.rest[end] != '/') end++;
        char comp[256];
        if (end - w.pos > 255) { r = WASI_ENAMETOOLONG; break; }
        memcpy(comp, w.rest + w.pos, end - w.pos);
        comp[end - w.pos] = 0;
        w.pos = end;
        r = walk_step(&w, comp);
    }
    if (!r) {
        *out = walk_top(&w);
        *own = w.stack.len > 1;
        if (*own) w.stack.len--;   /* keep the result open */
    }
done:
    walk_free(&w);
    return r;
}

/* ---- openat2 ---- */

static uint16_t beneath(int root, const char *path, int *out, bool *own) {
    struct open_how how = {.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
    for (int tries = 0; tries < 8; tries++) {
        int fd = (int)syscall(SYS_openat2, root, path, &how, sizeof how);
        if (fd >= 0) return *out = fd, *own = true, WASI_ESUCCESS;
        if (errno == EXDEV) return WASI_ENOTCAPABLE;   /* would leave the tree */
        if (errno != EAGAIN && errno != EINTR) return wasi_errno_now();
    }
    return walk(root, path, out, own);   /* kept racing with renames: do it by hand */
}

static uint16_t open_parent(int root, const char *path, int *out, bool *own) {
    if (!path[0]) return *out = root, *own = false, WASI_ESUCCESS;
    return wasi_have_openat2() ? beneath(root, path, out, own) : walk(root, path, out, own);
}

/* ---- the whole path ---- */

/* Split path (trailing slashes removed) into parent directory and final component. */
static void split(char *path, char **parent, char **last) {
    char *slash = strrchr(path, '/');
    if (!slash) { *parent = ""; *last = path; return; }
    *slash = 0;
    *parent = path;
    *last = slash + 1;
}

static uint16_t check_guest_path(const wasi_mem *m, uint32_t ptr, uint32_t len, char **out) {
    const uint8_t *p = wasi_ptr(m, ptr, len);
    if (!p) return WASI_EFAULT;
    if (memchr(p, 0, len)) return WASI_EILSEQ;
    if (len > WASI_MAX_PATH) return WASI_ENAMETOOLONG;
    if (len == 0) return WASI_ENOENT;
    if (p[0] == '/') return WASI_ENOTCAPABLE;  /* absolute: outside any preopen */
    *out = tb_strndup((const char *)p, len);
    return *out ? WASI_ESUCCESS : WASI_ENOMEM;
}

static uint16_t resolve_once(int root, char *path, wasi_path *out, char **parent, char **last) {
    size_t n = strlen(path);
    while (n > 0 && path[n - 1] == '/') path[--n] = 0, out->trailing_slash = true;
    split(path, parent, last);
    if (!strcmp(*last, ".") || !strcmp(*last, "..")) {
        if (**parent) (*last)[-1] = '/';   /* undo the split: the parent is the path */
        *parent = path;
        *last = ".";
    }
    if (strlen(*last) > 255) return WASI_ENAMETOOLONG;
    return open_parent(root, *parent, &out->dirfd, &out->own);
}

uint16_t wasi_resolve(wasi_fd *dir, const wasi_mem *m, uint32_t ptr, uint32_t len,
                      bool follow, wasi_path *out) {
    memset(out, 0, sizeof *out);
    out->dirfd = -1;
    if (dir->kind != WASI_FD_DIR) return WASI_ENOTDIR;
    char *path;
    uint16_t r = check_guest_path(m, ptr, len, &path);
    if (r) return r;
    int links = 0;
    for (;;) {
        char *parent, *last;
        r = resolve_once(dir->host, path, out, &parent, &last);
        if (r) break;
        char target[WASI_MAX_PATH + 1];
        ssize_t tn = -1;
        if ((follow || out->trailing_slash) && strcmp(last, ".")) {
            r = read_link(out->dirfd, last, target, sizeof target, &tn, &links);
            if (r == WASI_EINVAL || r == WASI_ENOENT) r = 0, tn = -1;  /* not a symlink */
            if (r) break;
        }
        if (tn < 0) {
            snprintf(out->name, sizeof out->name, "%s", last);
            tb_free(path);
            return WASI_ESUCCESS;
        }
        /* Follow: the new path is the target, seen from the parent directory. */
        size_t pl = strlen(parent);
        char *np = tb_malloc(pl + (size_t)tn + 3);
        if (!np) { r = WASI_ENOMEM; break; }
        sprintf(np, "%s%s%s%s", parent, pl ? "/" : "", target, out->trailing_slash ? "/" : "");
        tb_free(path);
        path = np;
        wasi_path_done(out);
        out->trailing_slash = false;
    }
    tb_free(path);
    wasi_path_done(out);
    return r;
}

void wasi_path_done(wasi_path *p) {
    if (p->own && p->dirfd >= 0) close(p->dirfd);
    p->dirfd = -1;
    p->own = false;
}
