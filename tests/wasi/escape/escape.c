/* escape: one attempt to reach outside the sandbox per run (argv[1] names it), made
   with raw WASI calls so that nothing in libc stands between the attempt and taho.
   Preopens: "/" (read-write sandbox), "/other" (a second read-write grant), "/ro"
   (read-only). Exit 0 when the attempt failed with the expected errno. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#define ALL ((__wasi_rights_t)0x1fffffff)
#define RD (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_FILESTAT_GET)
#define WR (__WASI_RIGHTS_FD_WRITE)
#define CAP __WASI_ERRNO_NOTCAPABLE

static __wasi_fd_t root, other, ro;

static __wasi_fd_t preopen(const char *name) {
    for (__wasi_fd_t fd = 3; fd < 64; fd++) {
        __wasi_prestat_t ps;
        char buf[64] = {0};
        if (__wasi_fd_prestat_get(fd, &ps) != 0) break;
        if (ps.u.dir.pr_name_len >= sizeof buf) continue;
        if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, ps.u.dir.pr_name_len) == 0 && !strcmp(buf, name))
            return fd;
    }
    fprintf(stderr, "no preopen %s\n", name);
    exit(2);
}

static __wasi_errno_t open_at(__wasi_fd_t dir, int follow, const char *p, int oflags, __wasi_rights_t r) {
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(dir, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, p,
                                        (__wasi_oflags_t)oflags, r, r, 0, &fd);
    if (e == 0) {   /* opened: show what it reads, which would reveal a leak */
        char buf[32] = {0};
        __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
        __wasi_size_t n;
        if (__wasi_fd_read(fd, &iov, 1, &n) == 0) printf("read: %s\n", buf);
    }
    return e;
}

static __wasi_errno_t set_times(__wasi_fd_t dir, int follow, const char *p) {
    return __wasi_path_filestat_set_times(dir, follow, p, 0, 0,
                                          __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW);
}

/* Keep swapping nothing ourselves: the runner flips "racy" between a directory and a
   symlink to outside while we try to use it. Success means never reading the secret
   and never creating anything outside. */
static __wasi_errno_t race(void) {
    for (int i = 0; i < 3000; i++) {
        __wasi_fd_t fd;
        char buf[16] = {0};
        if (__wasi_path_open(root, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "racy/secret.txt", 0, RD, RD, 0, &fd) == 0) {
            __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
            __wasi_size_t n;
            if (__wasi_fd_read(fd, &iov, 1, &n) == 0 && !strncmp(buf, "secret", 6)) return 0;
            (void)!__wasi_fd_close(fd);
        }
        if (__wasi_path_open(root, 0, "racy/pwned", __WASI_OFLAGS_CREAT, WR, 0, 0, &fd) == 0) (void)!__wasi_fd_close(fd);
        (void)__wasi_path_create_directory(root, "racy/pwned-dir");
        (void)__wasi_path_unlink_file(root, "racy/victim");
    }
    return CAP;
}

int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len, int32_t oflags,
                      int64_t base, int64_t inh, int32_t fdflags, int32_t ret)
    __attribute__((import_module("wasi_snapshot_preview1"), import_name("path_open")));

typedef struct attempt { const char *name; __wasi_errno_t expect; } attempt;

static __wasi_errno_t run(const char *n) {
    __wasi_fd_t fd;
    __wasi_size_t used;
    uint8_t buf[64];
    if (!strcmp(n, "open-dotdot")) return open_at(root, 0, "../secret.txt", 0, RD);
    if (!strcmp(n, "open-dotdot-deep")) return open_at(root, 0, "sub/../../secret.txt", 0, RD);
    if (!strcmp(n, "open-dotdot-many")) return open_at(root, 0, "sub/./../sub/../../sandbox/../secret.txt", 0, RD);
    if (!strcmp(n, "open-absolute")) return open_at(root, 0, "/etc/passwd", 0, RD);
    if (!strcmp(n, "open-abs-symlink")) return open_at(root, 1, "abs_link", 0, RD);
    if (!strcmp(n, "open-rel-symlink")) return open_at(root, 1, "rel_link", 0, RD);
    if (!strcmp(n, "open-via-dir-symlink")) return open_at(root, 0, "dir_link/secret.txt", 0, RD);
    if (!strcmp(n, "open-via-deep-symlink")) return open_at(root, 0, "sub/deep_link/x", 0, RD);
    if (!strcmp(n, "open-symlink-chain")) return open_at(root, 1, "chain1", 0, RD);
    if (!strcmp(n, "open-symlink-loop")) return open_at(root, 1, "loop1", 0, RD);
    if (!strcmp(n, "create-via-dangling-symlink"))
        return open_at(root, 1, "dangling_out", __WASI_OFLAGS_CREAT, RD | WR);
    if (!strcmp(n, "create-dotdot")) return open_at(root, 0, "../created.txt", __WASI_OFLAGS_CREAT, RD | WR);
    if (!strcmp(n, "truncate-via-symlink"))
        return open_at(root, 1, "rel_link", __WASI_OFLAGS_TRUNC, RD | WR | __WASI_RIGHTS_PATH_FILESTAT_SET_SIZE);
    if (!strcmp(n, "mkdir-dotdot")) return __wasi_path_create_directory(root, "../newdir");
    if (!strcmp(n, "mkdir-via-dir-symlink")) return __wasi_path_create_directory(root, "dir_link/newdir");
    if (!strcmp(n, "unlink-dotdot")) return __wasi_path_unlink_file(root, "../secret.txt");
    if (!strcmp(n, "unlink-via-dir-symlink")) return __wasi_path_unlink_file(root, "dir_link/secret.txt");
    if (!strcmp(n, "rmdir-via-dir-symlink")) return __wasi_path_remove_directory(root, "dir_link/outdir");
    if (!strcmp(n, "rename-out")) return __wasi_path_rename(root, "file_in", root, "../moved");
    if (!strcmp(n, "rename-in")) return __wasi_path_rename(root, "../secret.txt", root, "stolen");
    if (!strcmp(n, "rename-over-outside")) return __wasi_path_rename(root, "file_in", root, "dir_link/secret.txt");
    if (!strcmp(n, "rename-across-preopens")) return __wasi_path_rename(root, "file_in", other, "moved");
    if (!strcmp(n, "link-dotdot")) return __wasi_path_link(root, 0, "../secret.txt", root, "stolen");
    if (!strcmp(n, "link-follow-symlink"))
        return __wasi_path_link(root, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "rel_link", root, "stolen");
    if (!strcmp(n, "link-out")) return __wasi_path_link(root, 0, "file_in", root, "../linked");
    if (!strcmp(n, "link-across-preopens")) return __wasi_path_link(root, 0, "file_in", other, "linked");
    if (!strcmp(n, "symlink-absolute")) return __wasi_path_symlink("/etc/passwd", root, "mylink");
    if (!strcmp(n, "symlink-then-follow")) {
        __wasi_errno_t e = __wasi_path_symlink("../..", root, "up");
        if (e) return 1000 + e;
        return open_at(root, 0, "up/secret.txt", 0, RD);
    }
    if (!strcmp(n, "stat-dotdot")) {
        __wasi_filestat_t st;
        return __wasi_path_filestat_get(root, 0, "../secret.txt", &st);
    }
    if (!strcmp(n, "stat-follow-abs-symlink")) {
        __wasi_filestat_t st;
        return __wasi_path_filestat_get(root, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "abs_link", &st);
    }
    if (!strcmp(n, "set-times-outside")) return set_times(root, 0, "dir_link/secret.txt");
    if (!strcmp(n, "set-times-follow-symlink")) return set_times(root, 1, "rel_link");
    if (!strcmp(n, "readlink-outside")) return __wasi_path_readlink(root, "dir_link/rel_link", buf, sizeof buf, &used);
    if (!strcmp(n, "readdir-outside")) return open_at(root, 1, "dir_link", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR);
    if (!strcmp(n, "path-nul-byte")) {   /* libc would cut the path at the NUL: call WASI directly */
        static const char p[] = "file_in\0/../../secret.txt";
        return (__wasi_errno_t)raw_path_open(root, 0, (int32_t)p, sizeof p - 1, 0, RD, RD, 0, (int32_t)&fd);
    }
    if (!strcmp(n, "stdin-as-dir")) return open_at(0, 0, "../secret.txt", 0, RD);
    if (!strcmp(n, "closed-fd-as-dir")) return open_at(99, 0, "secret.txt", 0, RD);
    if (!strcmp(n, "ro-write")) return open_at(ro, 0, "file", 0, RD | WR);
    if (!strcmp(n, "ro-append")) return __wasi_path_open(ro, 0, "file", 0, RD, RD, __WASI_FDFLAGS_APPEND, &fd);
    if (!strcmp(n, "ro-create")) return open_at(ro, 0, "new", __WASI_OFLAGS_CREAT, RD);
    if (!strcmp(n, "ro-truncate")) return open_at(ro, 0, "file", __WASI_OFLAGS_TRUNC, RD);
    if (!strcmp(n, "ro-unlink")) return __wasi_path_unlink_file(ro, "file");
    if (!strcmp(n, "ro-mkdir")) return __wasi_path_create_directory(ro, "newdir");
    if (!strcmp(n, "ro-rmdir")) return __wasi_path_remove_directory(ro, "subdir");
    if (!strcmp(n, "ro-rename")) return __wasi_path_rename(ro, "file", ro, "file2");
    if (!strcmp(n, "ro-rename-out-to-rw")) return __wasi_path_rename(ro, "file", root, "taken");
    if (!strcmp(n, "ro-symlink")) return __wasi_path_symlink("file", ro, "link");
    if (!strcmp(n, "ro-link")) return __wasi_path_link(ro, 0, "file", ro, "hard");
    if (!strcmp(n, "ro-set-times")) return set_times(ro, 0, "file");
    if (!strcmp(n, "ro-rights-escalation")) return __wasi_fd_fdstat_set_rights(ro, ALL, ALL);
    if (!strcmp(n, "ro-subdir-write")) {
        __wasi_errno_t e = __wasi_path_open(ro, 0, "subdir", __WASI_OFLAGS_DIRECTORY,
                                            __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_CREATE_FILE, ALL, 0, &fd);
        if (e) return e == CAP ? CAP : 1000 + e;
        return open_at(fd, 0, "f", __WASI_OFLAGS_CREAT, RD | WR);
    }
    if (!strcmp(n, "ro-file-fd-write")) {
        __wasi_errno_t e = __wasi_path_open(ro, 0, "file", 0, RD, RD, 0, &fd);
        if (e) return 1000 + e;
        __wasi_ciovec_t iov = {(const uint8_t *)"x", 1};
        return __wasi_fd_write(fd, &iov, 1, &used);
    }
    if (!strcmp(n, "race-swap")) return race();
    fprintf(stderr, "unknown attempt %s\n", n);
    exit(2);
}

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    root = preopen("/");
    other = preopen("/other");
    ro = preopen("/ro");
    __wasi_errno_t want = (__wasi_errno_t)atoi(argv[2]);
    __wasi_errno_t got = run(argv[1]);
    printf("%s: errno %d (want %d)\n", argv[1], got, want);
    return got == want ? 0 : 1;
}
