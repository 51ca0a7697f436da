/* error: errors as values. */
#include "base.h"
#include <stdio.h>

bool tb_fail(tb_error *err, tb_errkind kind, size_t offset, const char *fmt, ...) {
    if (!err) return false;
    err->kind = kind;
    err->offset = offset;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return false;
}

bool tb_oom(tb_error *err) { return tb_fail(err, TB_ERR_OOM, TB_NO_OFFSET, "out of memory"); }

const char *tb_errkind_name(tb_errkind kind) {
    static const char *names[] = {"ok", "malformed", "invalid", "link", "trap",
                                  "limit", "out of memory", "io", "argument"};
    return kind < TB_ARRAY_LEN(names) ? names[kind] : "error";
}
