/* test_wasi: the WASI host's pieces: errno mapping, configuration, rights, the fd table,
   and confined path resolution under both resolvers (openat2 and the walk). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test.h"
#include "../../src/wasi/wasi.h"

TEST(wasi_errno_mapping) {
    CHECK_EQ(wasi_errno(0), WASI_ESUCCESS);
    CHECK_EQ(wasi_errno(ENOENT), WASI_ENOENT);
    CHECK_EQ(wasi_errno(EXDEV), WASI_EXDEV);
    CHECK_EQ(wasi_errno(EOPNOTSUPP), WASI_ENOTSUP);
    CHECK_EQ(wasi_errno(ELOOP), WASI_ELOOP);
    CHECK_EQ(wasi_errno(12345), WASI_EIO);   /* unknown host errors are EIO */
}

TEST(wasi_config_env_and_errors) {
    wasi_config c;
    tb_error err;
    wasi_config_init(&c);
    CHECK(wasi_config_set_env(&c, "A", "1", &err));
    CHECK(wasi_config_set_env(&c, "B", "2", &err));
    CHECK(wasi_config_set_env(&c, "A", "3", &err));   /* replaces */
    CHECK_EQ(c.env.len, 2);
    CHECK(!strcmp(c.env.v[0], "A=3"));
    CHECK(!wasi_config_set_env(&c, "X=Y", "1", &err));
    CHECK(!wasi_config_set_env(&c, "", "1", &err));
    CHECK(!wasi_config_preopen_dir(&c, "/nonexistent/taho", "/", WASI_PERM_READ, &err));
    CHECK_EQ(err.kind, TB_ERR_IO);
    CHECK(!wasi_config_preopen_listen(&c, "no-port", &err));
    CHECK(!wasi_config_preopen_listen(&c, "127.0.0.1:99999", &err));
    wasi_config_free(&c);
}

TEST(wasi_rights_follow_grants) {
    uint64_t ro = wasi_rights_for(WASI_FT_DIRECTORY, WASI_PERM_READ);
    uint64_t rw = wasi_rights_for(WASI_FT_DIRECTORY, WASI_PERM_READ | WASI_PERM_WRITE);
    CHECK((ro & WASI_RIGHTS_WRITE) == 0);
    CHECK(rw & R(PATH_CREATE_FILE));
    CHECK((rw & (R(FD_SEEK) | R(FD_TELL) | R(FD_READ) | R(FD_WRITE))) == 0);   /* dirs do not seek */
    CHECK((wasi_rights_for(WASI_FT_REGULAR_FILE, WASI_PERM_READ) & R(FD_WRITE)) == 0);
    CHECK(wasi_rights_for(WASI_FT_REGULAR_FILE, WASI_PERM_READ | WASI_PERM_WRITE) & R(FD_WRITE));
}

/* A sandbox in a temporary directory, preopened through a real context. */
typedef struct sandbox {
    char top[64], box[96];
    wasi_ctx *ctx;
    uint8_t mem[4096];
    wasi_mem m;
} sandbox;

static bool sandbox_new(sandbox *s, int perms) {
    snprintf(s->top, sizeof s->top, "/tmp/taho-unit-wasi-XXXXXX");
    if (!mkdtemp(s->top)) return false;
    snprintf(s->box, sizeof s->box, "%s/box", s->top);
    char p[256];
    mkdir(s->box, 0755);
    snprintf(p, sizeof p, "%s/sub", s->box), mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/secret", s->top), close(open(p, O_CREAT | O_WRONLY, 0644));
    snprintf(p, sizeof p, "%s/file", s->box), close(open(p, O_CREAT | O_WRONLY, 0644));
    snprintf(p, sizeof p, "%s/out", s->box), (void)!symlink("../secret", p);
    snprintf(p, sizeof p, "%s/abs", s->box), (void)!symlink(s->top, p);
    snprintf(p, sizeof p, "%s/in", s->box), (void)!symlink("sub/../file", p);
    snprintf(p, sizeof p, "%s/dirlink", s->box), (void)!symlink("sub", p);
    snprintf(p, sizeof p, "%s/loop", s->box), (void)!symlink("loop", p);
    wasi_config c;
    tb_error err;
    wasi_config_init(&c);
    bool ok = wasi_config_preopen_dir(&c, s->box, "/", perms, &err);
    s->ctx = ok ? wasi_ctx_new(&c, &err) : NULL;
    wasi_config_free(&c);
    s->m = (wasi_mem){s->mem, sizeof s->mem};
    return s->ctx != NULL;
}

static void sandbox_free(sandbox *s) {
    wasi_ctx_free(s->ctx);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->top);
    (void)!system(cmd);
}

/* Resolve `path` beneath the preopen (fd 3); the final component goes to name. */
static uint16_t resolve(sandbox *s, const char *path, bool follow, char *name) {
    size_t n = strlen(path);
    memcpy(s->mem + 100, path, n);
    wasi_path p;
    uint16_t r = wasi_resolve(&s->ctx->fds.v[3], &s->m, 100, (uint32_t)n, follow, &p);
    if (!r) {
        snprintf(name, 256, "%s%s", p.name, p.trailing_slash ? "/" : "");
        wasi_path_done(&p);
    }
    return r;
}

static void check_resolution(int mode) {
    sandbox s;
    char name[256];
    wasi_resolver_force(mode);
    CHECK(sandbox_new(&s, WASI_PERM_READ | WASI_PERM_WRITE));
    CHECK_EQ(resolve(&s, "file", false, name), 0);
    CHECK(!strcmp(name, "file"));
    CHECK_EQ(resolve(&s, "sub/../file", false, name), 0);
    CHECK_EQ(resolve(&s, ".", false, name), 0);
    CHECK(!strcmp(name, "."));
    CHECK_EQ(resolve(&s, "sub/", false, name), 0);
    CHECK(!strcmp(name, "sub/"));
    CHECK_EQ(resolve(&s, "dirlink/x", false, name), 0);
    CHECK_EQ(resolve(&s, "in", true, name), 0);
    CHECK(!strcmp(name, "file"));
    CHECK_EQ(resolve(&s, "out", false, name), 0);   /* not followed: the link itself */
    CHECK(!strcmp(name, "out"));
    CHECK_EQ(resolve(&s, "..", false, name), WASI_ENOTCAPABLE);
    CHECK_EQ(resolve(&s, "../secret", false, name), WASI_ENOTCAPABLE);
    CHECK_EQ(resolve(&s, "sub/../../secret", false, name), WASI_ENOTCAPABLE);
    CHECK_EQ(resolve(&s, "/etc/passwd", false, name), WASI_ENOTCAPABLE);
    CHECK_EQ(resolve(&s, "out", true, name), WASI_ENOTCAPABLE);
    CHECK_EQ(resolve(&s, "abs/secret", false, name), WASI_ENOTCAPABLE);
    CHECK_EQ(resolve(&s, "loop", true, name), WASI_ELOOP);
    CHECK_EQ(resolve(&s, "loop/x", false, name), WASI_ELOOP);
    CHECK_EQ(resolve(&s, "file/x", false, name), WASI_ENOTDIR);
    CHECK_EQ(resolve(&s, "missing/x", false, name), WASI_ENOENT);
    CHECK_EQ(resolve(&s, "", false, name), WASI_ENOENT);
    memcpy(s.mem + 100, "a\0b", 3);
    wasi_path p;
    CHECK_EQ(wasi_resolve(&s.ctx->fds.v[3], &s.m, 100, 3, false, &p), WASI_EILSEQ);
    CHECK_EQ(wasi_resolve(&s.ctx->fds.v[3], &s.m, 4090, 10, false, &p), WASI_EFAULT);
    CHECK_EQ(wasi_resolve(&s.ctx->fds.v[0], &s.m, 100, 1, false, &p), WASI_ENOTDIR);
    sandbox_free(&s);
}

TEST(wasi_resolve_openat2) { check_resolution(1); wasi_resolver_force(0); }
TEST(wasi_resolve_walk) { check_resolution(-1); wasi_resolver_force(0); }

TEST(wasi_fd_table) {
    sandbox s;
    CHECK(sandbox_new(&s, WASI_PERM_READ));
    wasi_fd *f;
    CHECK_EQ(s.ctx->fds.len, 4);                     /* stdio (closed) + the preopen */
    CHECK_EQ(wasi_fd_get(s.ctx, 3, R(PATH_OPEN), &f), 0);
    CHECK_EQ(wasi_fd_get(s.ctx, 3, R(PATH_CREATE_FILE), &f), WASI_ENOTCAPABLE);   /* read-only */
    CHECK_EQ(wasi_fd_get(s.ctx, 9, 0, &f), WASI_EBADF);
    CHECK_EQ(s.ctx->fds.v[1].kind, WASI_FD_NULL);    /* stdio not granted */
    int64_t n = wasi_fd_add(s.ctx, (wasi_fd){.kind = WASI_FD_FILE, .host = dup(0)});
    CHECK_EQ(n, 4);
    wasi_fd_release(&s.ctx->fds.v[4]);
    CHECK_EQ(wasi_fd_get(s.ctx, 4, 0, &f), WASI_EBADF);
    CHECK_EQ(wasi_fd_add(s.ctx, (wasi_fd){.kind = WASI_FD_FILE, .host = dup(0)}), 4);   /* reused */
    sandbox_free(&s);
}

TEST(wasi_calls_without_memory_fault) {
    sandbox s;
    CHECK(sandbox_new(&s, WASI_PERM_READ));
    uint64_t slots[4] = {1, 0, 1, 0};
    CHECK_EQ(wasi_fd_write(s.ctx, NULL, slots), RT_TRAP_NONE);   /* no instance: no memory */
    CHECK_EQ(slots[0], WASI_EFAULT);
    uint64_t a[2] = {0, 0};
    CHECK_EQ(wasi_args_sizes_get(s.ctx, NULL, a), RT_TRAP_NONE);
    CHECK_EQ(a[0], WASI_EFAULT);
    sandbox_free(&s);
}

TEST(wasi_times_flags) {
    struct timespec ts[2];
    CHECK_EQ(wasi_times(0, 0, WASI_FST_ATIM | WASI_FST_ATIM_NOW, ts), WASI_EINVAL);
    CHECK_EQ(wasi_times(0, 0, 0x10, ts), WASI_EINVAL);
    CHECK_EQ(wasi_times(1500000000123456789ull, 0, WASI_FST_ATIM | WASI_FST_MTIM_NOW, ts), 0);
    CHECK_EQ(ts[0].tv_sec, 1500000000);
    CHECK_EQ(ts[0].tv_nsec, 123456789);
    CHECK_EQ(ts[1].tv_nsec, UTIME_NOW);
}
