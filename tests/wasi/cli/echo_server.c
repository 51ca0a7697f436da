/* echo_server: accepts one connection on the preopened listening socket (fd 3), reads a
   line, sends it back in capitals. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

int main(void) {
    __wasi_fdstat_t st;
    if (__wasi_fd_fdstat_get(3, &st) || st.fs_filetype != __WASI_FILETYPE_SOCKET_STREAM) return 10;
    __wasi_fd_t conn;
    if (__wasi_sock_accept(3, 0, &conn)) return 11;
    char buf[128];
    size_t got = 0;
    while (got < sizeof buf && (got == 0 || buf[got - 1] != '\n')) {
        __wasi_iovec_t iov = {(uint8_t *)buf + got, sizeof buf - got};
        __wasi_size_t n;
        __wasi_roflags_t fl;
        if (__wasi_sock_recv(conn, &iov, 1, 0, &n, &fl) || n == 0) break;
        got += n;
    }
    for (size_t i = 0; i < got; i++) buf[i] = (char)toupper((unsigned char)buf[i]);
    __wasi_ciovec_t out = {(const uint8_t *)buf, got};
    __wasi_size_t sent;
    if (__wasi_sock_send(conn, &out, 1, 0, &sent) || sent != got) return 12;
    if (__wasi_sock_shutdown(conn, __WASI_SDFLAGS_WR)) return 13;
    printf("served %zu bytes\n", got);
    return 0;
}
