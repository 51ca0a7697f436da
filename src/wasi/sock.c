/* sock: sock_accept, sock_recv, sock_send and sock_shutdown on sockets the host
   preopened (--listen) and the connections accepted from them. */
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include "wasi.h"

static uint16_t sock_fd(wasi_ctx *c, uint32_t fd, uint64_t need, wasi_fd **f) {
    uint16_t r = wasi_fd_get(c, fd, 0, f);
    if (r) return r;
    if ((*f)->kind != WASI_FD_SOCKET) return WASI_ENOTSOCK;
    return ((*f)->base & need) == need ? WASI_ESUCCESS : WASI_ENOTCAPABLE;
}

WASI_FN(sock_accept) {
    wasi_ctx *c = env;
    wasi_mem m = wasi_mem_of(inst);
    wasi_fd *f;
    uint16_t r = sock_fd(c, WASI_ARG32(0), R(SOCK_ACCEPT), &f);
    if (r) WASI_RET(r);
    uint32_t flags = WASI_ARG32(1);
    if (flags & ~(uint32_t)WASI_FDFLAG_NONBLOCK) WASI_RET(WASI_EINVAL);
    if (!wasi_ptr(&m, WASI_ARG32(2), 4)) WASI_RET(WASI_EFAULT);
    int fd;
    do fd = accept4(f->host, NULL, NULL, SOCK_CLOEXEC | (flags ? SOCK_NONBLOCK : 0));
    while (fd < 0 && errno == EINTR);
    if (fd < 0) WASI_RET(wasi_errno_now());
    wasi_fd nf = {.kind = WASI_FD_SOCKET, .host = fd, .filetype = WASI_FT_SOCKET_STREAM,
                  .fdflags = (uint16_t)flags, .perms = f->perms, .root = f->root};
    nf.base = nf.inheriting = WASI_RIGHTS_SOCKET & ~R(SOCK_ACCEPT);
    int64_t g = wasi_fd_add(c, nf);
    if (g < 0) WASI_RET(WASI_ENOMEM);
    wasi_put32(&m, WASI_ARG32(2), (uint32_t)g);
    WASI_RET(WASI_ESUCCESS);
}

WASI_FN(sock_recv) {
    wasi_mem m = wasi_mem_of(inst);
    wasi_fd *f;
    uint16_t r = sock_fd(env, WASI_ARG32(0), R(FD_READ), &f);
    if (r) WASI_RET(r);
    uint32_t riflags = WASI_ARG32(3);
    if (riflags & ~(uint32_t)(WASI_RIFLAG_PEEK | WASI_RIFLAG_WAITALL)) WASI_RET(WASI_EINVAL);
    if (!wasi_ptr(&m, WASI_ARG32(4), 4) || !wasi_ptr(&m, WASI_ARG32(5), 2)) WASI_RET(WASI_EFAULT);
    struct iovec *v;
    if ((r = wasi_iovecs(&m, WASI_ARG32(1), WASI_ARG32(2), &v))) WASI_RET(r);
    struct msghdr msg = {.msg_iov = v, .msg_iovlen = WASI_ARG32(2)};
    int fl = (riflags & WASI_RIFLAG_PEEK ? MSG_PEEK : 0) | (riflags & WASI_RIFLAG_WAITALL ? MSG_WAITALL : 0);
    ssize_t n;
    do n = recvmsg(f->host, &msg, fl);
    while (n < 0 && errno == EINTR);
    tb_free(v);
    if (n < 0) WASI_RET(wasi_errno_now());
    uint16_t roflags = msg.msg_flags & MSG_TRUNC ? 1 : 0;
    wasi_put32(&m, WASI_ARG32(4), (uint32_t)n);
    memcpy(m.base + WASI_ARG32(5), &roflags, 2);
    WASI_RET(WASI_ESUCCESS);
}

WASI_FN(sock_send) {
    wasi_mem m = wasi_mem_of(inst);
    wasi_fd *f;
    uint16_t r = sock_fd(env, WASI_ARG32(0), R(FD_WRITE), &f);
    if (r) WASI_RET(r);
    if (WASI_ARG32(3) != 0) WASI_RET(WASI_EINVAL);
    if (!wasi_ptr(&m, WASI_ARG32(4), 4)) WASI_RET(WASI_EFAULT);
    struct iovec *v;
    if ((r = wasi_iovecs(&m, WASI_ARG32(1), WASI_ARG32(2), &v))) WASI_RET(r);
    struct msghdr msg = {.msg_iov = v, .msg_iovlen = WASI_ARG32(2)};
    ssize_t n;
    /* MSG_NOSIGNAL: a closed peer is EPIPE for the guest, not SIGPIPE for the host. */
    do n = sendmsg(f->host, &msg, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    tb_free(v);
    if (n < 0) WASI_RET(wasi_errno_now());
    wasi_put32(&m, WASI_ARG32(4), (uint32_t)n);
    WASI_RET(WASI_ESUCCESS);
}

WASI_FN(sock_shutdown) {
    wasi_fd *f;
    uint16_t r = sock_fd(env, WASI_ARG32(0), R(SOCK_SHUTDOWN), &f);
    if (r) WASI_RET(r);
    uint32_t how = WASI_ARG32(1);
    int h = how == WASI_SD_RD ? SHUT_RD : how == WASI_SD_WR ? SHUT_WR
            : how == (WASI_SD_RD | WASI_SD_WR) ? SHUT_RDWR : -1;
    if (h < 0) WASI_RET(WASI_EINVAL);
    WASI_RET(shutdown(f->host, h) ? wasi_errno_now() : WASI_ESUCCESS);
}
