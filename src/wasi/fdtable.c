/* fdtable: the guest's file descriptors, each a host fd with the rights it was granted;
   the context built from a configuration (stdio, preopens) and its teardown. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wasi.h"

uint8_t wasi_filetype_of_mode(unsigned mode) {
    switch (mode & S_IFMT) {
    case S_IFREG: return WASI_FT_REGULAR_FILE;
    case S_IFDIR: return WASI_FT_DIRECTORY;
    case S_IFCHR: return WASI_FT_CHARACTER_DEVICE;
    case S_IFBLK: return WASI_FT_BLOCK_DEVICE;
    case S_IFLNK: return WASI_FT_SYMBOLIC_LINK;
    case S_IFSOCK: return WASI_FT_SOCKET_STREAM;
    default: return WASI_FT_UNKNOWN;   /* fifos have no WASI type */
    }
}

uint64_t wasi_rights_for(uint8_t filetype, int perms) {
    uint64_t r;
    switch (filetype) {
    case WASI_FT_DIRECTORY: r = WASI_RIGHTS_DIR; break;
    case WASI_FT_SOCKET_STREAM: case WASI_FT_SOCKET_DGRAM: r = WASI_RIGHTS_SOCKET; break;
    case WASI_FT_CHARACTER_DEVICE: r = WASI_RIGHTS_TTY | WASI_RIGHTS_FILE; break;
    default: r = WASI_RIGHTS_FILE; break;
    }
    if (!(perms & WASI_PERM_WRITE)) r &= ~(uint64_t)WASI_RIGHTS_WRITE;
    return r;
}

uint16_t wasi_fd_get(wasi_ctx *ctx, uint32_t fd, uint64_t need, wasi_fd **out) {
    if (fd >= ctx->fds.len || ctx->fds.v[fd].kind == WASI_FD_FREE) return WASI_EBADF;
    wasi_fd *f = &ctx->fds.v[fd];
    if ((f->base & need) != need) return WASI_ENOTCAPABLE;
    *out = f;
    return WASI_ESUCCESS;
}

int64_t wasi_fd_add(wasi_ctx *ctx, wasi_fd f) {
    for (uint32_t i = 0; i < ctx->fds.len; i++)
        if (ctx->fds.v[i].kind == WASI_FD_FREE) {
            ctx->fds.v[i] = f;
            return i;
        }
    if (!tb_vec_push(&ctx->fds, f)) {
        if (f.host >= 0) close(f.host);
        tb_free(f.preopen);
        return -1;
    }
    return ctx->fds.len - 1;
}

void wasi_fd_release(wasi_fd *f) {
    if (f->kind != WASI_FD_NULL && f->host >= 0) close(f->host);
    tb_free(f->preopen);
    memset(f, 0, sizeof *f);
    f->host = -1;
}

static bool add_stdio(wasi_ctx *ctx, int fd, bool inherit, tb_error *err) {
    wasi_fd f = {.kind = WASI_FD_NULL, .host = -1, .filetype = WASI_FT_CHARACTER_DEVICE,
                 .perms = WASI_PERM_READ | WASI_PERM_WRITE};
    f.base = f.inheriting = WASI_RIGHTS_TTY;
    struct stat st;
    if (inherit && fstat(fd, &st) == 0) {
        f.host = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (f.host < 0) return tb_fail(err, TB_ERR_IO, TB_NO_OFFSET, "cannot dup stdio: %s", strerror(errno));
        f.kind = WASI_FD_FILE;
        f.filetype = wasi_filetype_of_mode(st.st_mode);
        f.base = f.inheriting = wasi_rights_for(f.filetype, WASI_PERM_READ | WASI_PERM_WRITE);
        if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
            f.base &= ~(R(FD_SEEK) | R(FD_TELL));
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0 && (fl & O_APPEND)) f.fdflags |= WASI_FDFLAG_APPEND;
    }
    if (wasi_fd_add(ctx, f) < 0) return tb_oom(err);
    return true;
}

static bool add_preopen(wasi_ctx *ctx, wasi_preopen_cfg *p, uint32_t root, tb_error *err) {
    wasi_fd f = {.host = -1, .root = root};
    if (p->listen_fd >= 0) {
        f.kind = WASI_FD_SOCKET;
        f.host = p->listen_fd;
        p->listen_fd = -1;
        f.filetype = WASI_FT_SOCKET_STREAM;
        f.base = f.inheriting = WASI_RIGHTS_SOCKET;
    } else {
        f.host = p->dir_fd;
        p->dir_fd = -1;
        f.kind = WASI_FD_DIR;
        f.filetype = WASI_FT_DIRECTORY;
        f.base = wasi_rights_for(WASI_FT_DIRECTORY, p->perms);
        /* Inheriting rights advertise every file right, even on a read-only grant:
           wasi-libc asks only for rights a directory advertises, so a write through
           a read-only grant would otherwise open read-only and fail later. path_open
           refuses it at once against `perms`. */
        f.inheriting = f.base | WASI_RIGHTS_FILE;
        f.perms = p->perms;
        f.preopen = p->guest;
        f.preopen_len = strlen(p->guest);
        p->guest = NULL;
    }
    if (wasi_fd_add(ctx, f) < 0) return tb_oom(err);
    return true;
}

wasi_ctx *wasi_ctx_new(wasi_config *c, tb_error *err) {
    wasi_ctx *ctx = tb_calloc(1, sizeof *ctx);
    if (!ctx) return tb_oom(err), NULL;
    ctx->args = *(__typeof__(ctx->args) *)&c->args;
    ctx->env = *(__typeof__(ctx->env) *)&c->env;
    memset(&c->args, 0, sizeof c->args);
    memset(&c->env, 0, sizeof c->env);
    bool ok = true;
    for (int i = 0; i < 3 && ok; i++) ok = add_stdio(ctx, i, c->inherit_stdio, err);
    for (uint32_t i = 0; i < c->preopens.len && ok; i++) ok = add_preopen(ctx, &c->preopens.v[i], i + 1, err);
    if (!ok) {
        wasi_ctx_free(ctx);
        return NULL;
    }
    return ctx;
}

void wasi_ctx_free(wasi_ctx *ctx) {
    if (!ctx) return;
    for (uint32_t i = 0; i < ctx->args.len; i++) tb_free(ctx->args.v[i]);
    for (uint32_t i = 0; i < ctx->env.len; i++) tb_free(ctx->env.v[i]);
    for (uint32_t i = 0; i < ctx->fds.len; i++)
        if (ctx->fds.v[i].kind != WASI_FD_FREE) wasi_fd_release(&ctx->fds.v[i]);
    tb_vec_free(&ctx->args);
    tb_vec_free(&ctx->env);
    tb_vec_free(&ctx->fds);
    tb_free(ctx);
}
