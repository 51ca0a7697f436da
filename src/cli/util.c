/* util: messages to humans, file reading and error descriptions for the subcommands. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static void vmessage(const char *fmt, va_list ap, const char *tail) {
    fputs("taho: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs(tail, stderr);
}

int cli_usage_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap, " (see 'taho --help')\n");
    va_end(ap);
    return CLI_USAGE;
}

int cli_fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap, "\n");
    va_end(ap);
    return CLI_FAIL;
}

/* Read fd to its end into a malloc'd buffer of at least cap bytes; NULL with errno. */
static uint8_t *read_to_end(int fd, size_t cap, size_t *len) {
    size_t n = 0;
    uint8_t *data = malloc(cap);
    while (data) {
        ssize_t r = read(fd, data + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) { int e = errno; free(data); errno = e; return NULL; }
        if (r == 0) break;
        n += (size_t)r;
        if (n < cap) continue;
        uint8_t *bigger = realloc(data, cap * 2);   /* the file grew while we read */
        if (!bigger) { free(data); data = NULL; break; }
        data = bigger, cap *= 2;
    }
    if (!data) errno = ENOMEM;
    *len = n;
    return data;
}

/* Plain read(2), no stdio: the start-up of `taho run` reads its config this way and
   touches no stdio buffer or code for it. */
uint8_t *cli_read_file(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    int e = fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR
                                        : !S_ISREG(st.st_mode) ? EINVAL : 0;
    /* One byte more than the file: a read that fills exactly st_size has hit the end
       when the next read gives nothing, without growing the buffer (a realloc of a
       large block copies it and faults its pages in again). */
    uint8_t *data = e ? NULL : read_to_end(fd, (size_t)st.st_size + 1, len);
    if (!data && !e) e = errno;
    close(fd);
    errno = e;
    return data;
}

const char *cli_error_kind_text(taho_error_kind k) {
    switch (k) {
    case TAHO_ERROR_MALFORMED: return "malformed module";
    case TAHO_ERROR_INVALID: return "invalid module";
    case TAHO_ERROR_LINK: return "link error";
    case TAHO_ERROR_TRAP: return "trap during instantiation";
    case TAHO_ERROR_LIMIT: return "limit exceeded";
    case TAHO_ERROR_OOM: return "out of memory";
    case TAHO_ERROR_IO: return "I/O error";
    case TAHO_ERROR_ARG: return "bad argument";
    }
    return "error";
}

void cli_describe_error(const taho_error *e, char *buf, size_t n) {
    const char *kind = cli_error_kind_text(taho_error_kind_of(e));
    const char *msg = taho_error_message(e);
    int64_t off = taho_error_offset(e);
    if (!msg) msg = "(no message)";
    if (off >= 0) snprintf(buf, n, "%s at byte %lld (0x%llx): %s", kind, (long long)off,
                           (unsigned long long)off, msg);
    else snprintf(buf, n, "%s: %s", kind, msg);
}

bool cli_looks_like_text(const uint8_t *bytes, size_t len) {
    size_t i = 0;
    while (i < len && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r')) i++;
    return i < len && (bytes[i] == '(' || (bytes[i] == ';' && i + 1 < len && bytes[i + 1] == ';'));
}

const char *cli_text_hint(const taho_error *e, const uint8_t *bytes, size_t len) {
    if (taho_error_kind_of(e) != TAHO_ERROR_MALFORMED || !cli_looks_like_text(bytes, len)) return "";
    return " (this is the text format; taho reads binary modules: convert it with wat2wasm)";
}
