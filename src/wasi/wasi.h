/* wasi: the WASI preview1 host (wasi_snapshot_preview1): configuration, the fd table
   with its capabilities, and helpers shared by the files that implement the calls. */
#ifndef WASI_H
#define WASI_H

#include "../link/link.h"
#include "../runtime/store.h"
#include "abi.h"

/* ---- configuration: what the embedder grants ---- */
typedef struct wasi_preopen_cfg {
    char *host, *guest;
    int perms;                  /* WASI_PERM_READ | WASI_PERM_WRITE */
    int listen_fd;              /* >= 0: a listening socket instead of a directory */
    int dir_fd;                 /* the directory, opened when granted */
} wasi_preopen_cfg;

enum { WASI_PERM_READ = 1, WASI_PERM_WRITE = 2 };

typedef struct wasi_config {
    TB_VEC(char *) args;
    TB_VEC(char *) env;         /* "NAME=VALUE" */
    TB_VEC(wasi_preopen_cfg) preopens;
    bool inherit_stdio;
} wasi_config;

void wasi_config_init(wasi_config *c);
void wasi_config_free(wasi_config *c);
bool wasi_config_set_args(wasi_config *c, size_t argc, const char *const *argv, tb_error *err);
bool wasi_config_set_env(wasi_config *c, const char *name, const char *value, tb_error *err);
bool wasi_config_inherit_env(wasi_config *c, tb_error *err);
bool wasi_config_preopen_dir(wasi_config *c, const char *host, const char *guest, int perms,
                             tb_error *err);
bool wasi_config_preopen_listen(wasi_config *c, const char *addr, tb_error *err);

/* ---- the fd table ---- */
typedef enum wasi_fdkind {
    WASI_FD_FREE = 0,
    WASI_FD_FILE,               /* regular file, device, fifo: host fd */
    WASI_FD_DIR,                /* directory: host fd opened O_DIRECTORY */
    WASI_FD_SOCKET,             /* socket: host fd */
    WASI_FD_NULL,               /* a closed stdio stream: reads EOF, writes vanish */
} wasi_fdkind;

typedef struct wasi_fd {
    wasi_fdkind kind;
    int host;
    uint8_t filetype;
    uint16_t fdflags;           /* as the guest set them (APPEND is also on the host fd) */
    uint64_t base, inheriting;  /* rights */
    char *preopen;              /* guest name when this fd is a preopen, else NULL */
    size_t preopen_len;
    int perms;                  /* WASI_PERM_* of the grant this fd descends from */
    uint32_t root;              /* which grant (preopen number + 1; 0 for none) */
} wasi_fd;

typedef struct wasi_ctx {
    TB_VEC(char *) args;
    TB_VEC(char *) env;
    TB_VEC(wasi_fd) fds;
    rt_store *store;
} wasi_ctx;

/* Take over c's grants (c is left empty). NULL with err on failure. */
wasi_ctx *wasi_ctx_new(wasi_config *c, tb_error *err);
void wasi_ctx_free(wasi_ctx *ctx);
/* Give st its WASI context (the store frees it; one set earlier stays alive with the
   store, for the instances bound to it). Frees ctx on failure. */
bool wasi_store_set(rt_store *st, wasi_ctx *ctx, tb_error *err);
/* Define every wasi_snapshot_preview1 function in l, once for every store: each
   instance gets its store's context (wasi_store_set; instantiation in a store without
   one is a link error). */
bool wasi_define_shared(lnk_linker *l, rt_engine *e, tb_error *err);
/* Both: st's context is ctx, and l defines WASI. */
bool wasi_define(lnk_linker *l, rt_store *st, wasi_ctx *ctx, tb_error *err);

/* fd table (fdtable.c). wasi_fd_get checks that fd exists and has all of `need`:
   EBADF when it does not exist, ENOTCAPABLE when rights are missing. */
uint16_t wasi_fd_get(wasi_ctx *ctx, uint32_t fd, uint64_t need, wasi_fd **out);
/* Add an entry; returns the new guest fd or -1 on OOM (host fd is then closed). */
int64_t wasi_fd_add(wasi_ctx *ctx, wasi_fd f);
void wasi_fd_release(wasi_fd *f);   /* close the host side and free the slot */
uint8_t wasi_filetype_of_mode(unsigned mode);
/* Rights a file or directory may carry at most. */
uint64_t wasi_rights_for(uint8_t filetype, int perms);

/* errno mapping (errno.c) */
uint16_t wasi_errno(int host_errno);
static inline uint16_t wasi_errno_now(void);

/* ---- guest memory: every pointer and length is checked against the size ---- */
typedef struct wasi_mem {
    uint8_t *base;
    uint64_t size;
} wasi_mem;

static inline wasi_mem wasi_mem_of(rt_instance *inst) {
    wasi_mem m = {NULL, 0};
    if (inst && inst->module->nmems > 0 && inst->mems && inst->mems[0]) {
        m.base = inst->mems[0]->base;
        m.size = inst->mems[0]->size;
    }
    return m;
}
/* The host address of [ptr, ptr+len) in guest memory, or NULL when any of it is out
   of bounds (also for len 0 past the end). */
static inline uint8_t *wasi_ptr(const wasi_mem *m, uint32_t ptr, uint64_t len) {
    if ((uint64_t)ptr + len > m->size || !m->base) return NULL;
    return m->base + ptr;
}
static inline bool wasi_put32(const wasi_mem *m, uint32_t ptr, uint32_t v) {
    uint8_t *p = wasi_ptr(m, ptr, 4);
    if (p) memcpy(p, &v, 4);
    return p != NULL;
}
static inline bool wasi_put64(const wasi_mem *m, uint32_t ptr, uint64_t v) {
    uint8_t *p = wasi_ptr(m, ptr, 8);
    if (p) memcpy(p, &v, 8);
    return p != NULL;
}

#include <errno.h>
static inline uint16_t wasi_errno_now(void) { return wasi_errno(errno); }

/* Host iovecs from guest iovecs; EFAULT/EINVAL for bad pointers. *out is tb_malloc'ed
   (free it) unless n is 0. */
struct iovec;
uint16_t wasi_iovecs(const wasi_mem *m, uint32_t iovs, uint32_t n, struct iovec **out);

/* ---- host functions: one per WASI call, grouped by file ---- */
#define WASI_FN(name) rt_trap_code wasi_##name(void *env, rt_instance *inst, uint64_t *s)
#define WASI_ARG32(i) ((uint32_t)s[i])
#define WASI_ARG64(i) (s[i])
#define WASI_RET(e) return (s[0] = (uint64_t)(e)), RT_TRAP_NONE

/* misc.c: args, environ, clocks, random, proc, sched */
WASI_FN(args_get); WASI_FN(args_sizes_get); WASI_FN(environ_get); WASI_FN(environ_sizes_get);
WASI_FN(clock_res_get); WASI_FN(clock_time_get); WASI_FN(random_get);
WASI_FN(proc_exit); WASI_FN(proc_raise); WASI_FN(sched_yield);
/* fd_ops.c */
WASI_FN(fd_advise); WASI_FN(fd_allocate); WASI_FN(fd_close); WASI_FN(fd_datasync);
WASI_FN(fd_fdstat_get); WASI_FN(fd_fdstat_set_flags); WASI_FN(fd_fdstat_set_rights);
WASI_FN(fd_filestat_get); WASI_FN(fd_filestat_set_size); WASI_FN(fd_filestat_set_times);
WASI_FN(fd_pread); WASI_FN(fd_prestat_get); WASI_FN(fd_prestat_dir_name); WASI_FN(fd_pwrite);
WASI_FN(fd_read); WASI_FN(fd_readdir); WASI_FN(fd_renumber); WASI_FN(fd_seek); WASI_FN(fd_sync);
WASI_FN(fd_tell); WASI_FN(fd_write);
/* path_ops.c */
WASI_FN(path_create_directory); WASI_FN(path_filestat_get); WASI_FN(path_filestat_set_times);
WASI_FN(path_link); WASI_FN(path_open); WASI_FN(path_readlink); WASI_FN(path_remove_directory);
WASI_FN(path_rename); WASI_FN(path_symlink); WASI_FN(path_unlink_file);
/* poll.c, sock.c */
WASI_FN(poll_oneoff);
WASI_FN(sock_accept); WASI_FN(sock_recv); WASI_FN(sock_send); WASI_FN(sock_shutdown);

/* ---- confined path resolution (path.c) ----
   A guest path relative to a directory fd becomes a host directory fd beneath the
   same preopen plus one final component, which the caller then uses with *at()
   calls that never follow symlinks. Nothing above the preopen is reachable. */
typedef struct wasi_path {
    int dirfd;                  /* parent of the final component */
    bool own;                   /* dirfd must be closed (else it is the preopen's fd) */
    bool trailing_slash;        /* the guest path ended in '/' */
    char name[256];             /* final component; "." for the directory itself */
} wasi_path;
/* Read the guest path at [ptr, ptr+len) and resolve it under dir. follow: resolve a
   symlink in the final component too. */
uint16_t wasi_resolve(wasi_fd *dir, const wasi_mem *m, uint32_t ptr, uint32_t len,
                      bool follow, wasi_path *out);
void wasi_path_done(wasi_path *p);
/* Which resolver runs: openat2(RESOLVE_BENEATH) when the kernel has it (checked at run
   time, or disabled with TAHO_WASI_RESOLVE=walk), else our own component walk. */
bool wasi_have_openat2(void);
/* Tests: 1 use openat2 when the kernel has it, -1 always walk, 0 decide again. */
void wasi_resolver_force(int mode);

/* shared between fd_ops.c and path_ops.c */
#include <sys/stat.h>
void wasi_write_filestat(uint8_t *p, const struct stat *st);
/* Convert WASI times + fstflags into a struct timespec[2] for utimensat/futimens;
   EINVAL for contradictory flags. */
#include <time.h>
uint16_t wasi_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2]);

#endif
