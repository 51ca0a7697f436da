/* config: the grants an embedder collects before the guest runs (args, env, preopened
   directories and listening sockets). */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include "wasi.h"

extern char **environ;

void wasi_config_init(wasi_config *c) { memset(c, 0, sizeof *c); }

static void free_strings(char **v, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) tb_free(v[i]);
}

void wasi_config_free(wasi_config *c) {
    free_strings(c->args.v, c->args.len);
    free_strings(c->env.v, c->env.len);
    for (uint32_t i = 0; i < c->preopens.len; i++) {
        tb_free(c->preopens.v[i].host);
        tb_free(c->preopens.v[i].guest);
        if (c->preopens.v[i].listen_fd >= 0) close(c->preopens.v[i].listen_fd);
        if (c->preopens.v[i].dir_fd >= 0) close(c->preopens.v[i].dir_fd);
    }
    tb_vec_free(&c->args);
    tb_vec_free(&c->env);
    tb_vec_free(&c->preopens);
}

static bool push_str(void *vec, const char *s, size_t n, tb_error *err) {
    TB_VEC(char *) *v = vec;
    char *copy = tb_strndup(s, n);
    if (!copy || !tb_vec_push(v, copy)) return tb_free(copy), tb_oom(err);
    return true;
}

bool wasi_config_set_args(wasi_config *c, size_t argc, const char *const *argv, tb_error *err) {
    free_strings(c->args.v, c->args.len);
    c->args.len = 0;
    for (size_t i = 0; i < argc; i++)
        if (!push_str(&c->args, argv[i], strlen(argv[i]), err)) return false;
    return true;
}

/* A later grant of the same name replaces the earlier one. */
static bool set_env_entry(wasi_config *c, const char *entry, size_t namelen, tb_error *err) {
    for (uint32_t i = 0; i < c->env.len; i++)
        if (!strncmp(c->env.v[i], entry, namelen) && c->env.v[i][namelen] == '=') {
            char *copy = tb_strndup(entry, strlen(entry));
            if (!copy) return tb_oom(err);
            tb_free(c->env.v[i]);
            c->env.v[i] = copy;
            return true;
        }
    return push_str(&c->env, entry, strlen(entry), err);
}

bool wasi_config_set_env(wasi_config *c, const char *name, const char *value, tb_error *err) {
    size_t n = strlen(name), vn = strlen(value);
    if (!n || strchr(name, '='))
        return tb_fail(err, TB_ERR_ARG, TB_NO_OFFSET, "bad environment variable name '%s'", name);
    char *e = tb_malloc(n + vn + 2);
    if (!e) return tb_oom(err);
    memcpy(e, name, n);
    e[n] = '=';
    memcpy(e + n + 1, value, vn + 1);
    bool ok = set_env_entry(c, e, n, err);
    tb_free(e);
    return ok;
}

bool wasi_config_inherit_env(wasi_config *c, tb_error *err) {
    for (char **e = environ; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (eq && eq != *e && !set_env_entry(c, *e, (size_t)(eq - *e), err)) return false;
    }
    return true;
}

bool wasi_config_preopen_dir(wasi_config *c, const char *host, const char *guest, int perms,
                             tb_error *err) {
    if (!(perms & (WASI_PERM_READ | WASI_PERM_WRITE)))
        return tb_fail(err, TB_ERR_ARG, TB_NO_OFFSET, "preopen '%s': no permissions", host);
    /* Opened now, so that a directory that cannot be granted is an error at once. */
    int fd = open(host, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return tb_fail(err, TB_ERR_IO, TB_NO_OFFSET, "cannot open directory '%s': %s", host, strerror(errno));
    wasi_preopen_cfg p = {tb_strndup(host, strlen(host)), tb_strndup(guest, strlen(guest)),
                          perms | WASI_PERM_READ, -1, fd};
    if (!p.host || !p.guest || !tb_vec_push(&c->preopens, p)) {
        tb_free(p.host);
        tb_free(p.guest);
        close(fd);
        return tb_oom(err);
    }
    return true;
}

/* "HOST:PORT" or "[V6]:PORT" into a socket address. */
static bool parse_addr(const char *addr, struct sockaddr_storage *ss, socklen_t *len) {
    char host[128];
    const char *colon = strrchr(addr, ':');
    if (!colon || (size_t)(colon - addr) >= sizeof host) return false;
    memcpy(host, addr, (size_t)(colon - addr));
    host[colon - addr] = 0;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || end == colon + 1 || port < 0 || port > 65535) return false;
    memset(ss, 0, sizeof *ss);
    size_t hl = strlen(host);
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        host[hl - 1] = 0;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        *len = sizeof *a;
        return inet_pton(AF_INET6, host + 1, &a->sin6_addr) == 1;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    *len = sizeof *a;
    if (!strcmp(host, "localhost")) strcpy(host, "127.0.0.1");
    return inet_pton(AF_INET, host, &a->sin_addr) == 1;
}

bool wasi_config_preopen_listen(wasi_config *c, const char *addr, tb_error *err) {
    struct sockaddr_storage ss;
    socklen_t len;
    if (!parse_addr(addr, &ss, &len))
        return tb_fail(err, TB_ERR_ARG, TB_NO_OFFSET, "bad listen address '%s' (want HOST:PORT)", addr);
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 128) < 0) {
        int e = errno;
        if (fd >= 0) close(fd);
        return tb_fail(err, TB_ERR_IO, TB_NO_OFFSET, "cannot listen on '%s': %s", addr, strerror(e));
    }
    wasi_preopen_cfg p = {tb_strndup(addr, strlen(addr)), NULL, 0, fd, -1};
    if (!p.host || !tb_vec_push(&c->preopens, p)) {
        tb_free(p.host);
        close(fd);
        return tb_oom(err);
    }
    return true;
}
