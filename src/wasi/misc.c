/* misc: args and environ, clocks, random_get, proc_exit/proc_raise and sched_yield. */
#include <sched.h>
#include <sys/random.h>
#include <time.h>
#include "wasi.h"

/* Write the strings as pointers at vec and NUL-terminated bytes at buf (args_get and
   environ_get have the same shape). */
static uint16_t put_strings(const wasi_mem *m, char **v, uint32_t n, uint32_t vec, uint32_t buf) {
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; i++) total += strlen(v[i]) + 1;
    if (!wasi_ptr(m, vec, (uint64_t)n * 4) || !wasi_ptr(m, buf, total)) return WASI_EFAULT;
    uint32_t at = buf;
    for (uint32_t i = 0; i < n; i++) {
        size_t len = strlen(v[i]) + 1;
        wasi_put32(m, vec + 4 * i, at);
        memcpy(m->base + at, v[i], len);
        at += (uint32_t)len;
    }
    return WASI_ESUCCESS;
}

static uint16_t put_sizes(const wasi_mem *m, char **v, uint32_t n, uint32_t count_ptr,
                          uint32_t size_ptr) {
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; i++) total += strlen(v[i]) + 1;
    if (!wasi_ptr(m, count_ptr, 4) || !wasi_ptr(m, size_ptr, 4)) return WASI_EFAULT;
    wasi_put32(m, count_ptr, n);
    wasi_put32(m, size_ptr, (uint32_t)total);
    return WASI_ESUCCESS;
}

WASI_FN(args_get) {
    wasi_ctx *c = env;
    wasi_mem m = wasi_mem_of(inst);
    WASI_RET(put_strings(&m, c->args.v, c->args.len, WASI_ARG32(0), WASI_ARG32(1)));
}
WASI_FN(args_sizes_get) {
    wasi_ctx *c = env;
    wasi_mem m = wasi_mem_of(inst);
    WASI_RET(put_sizes(&m, c->args.v, c->args.len, WASI_ARG32(0), WASI_ARG32(1)));
}
WASI_FN(environ_get) {
    wasi_ctx *c = env;
    wasi_mem m = wasi_mem_of(inst);
    WASI_RET(put_strings(&m, c->env.v, c->env.len, WASI_ARG32(0), WASI_ARG32(1)));
}
WASI_FN(environ_sizes_get) {
    wasi_ctx *c = env;
    wasi_mem m = wasi_mem_of(inst);
    WASI_RET(put_sizes(&m, c->env.v, c->env.len, WASI_ARG32(0), WASI_ARG32(1)));
}

static bool host_clock(uint32_t id, clockid_t *out) {
    switch (id) {
    case WASI_CLOCK_REALTIME: *out = CLOCK_REALTIME; return true;
    case WASI_CLOCK_MONOTONIC: *out = CLOCK_MONOTONIC; return true;
    case WASI_CLOCK_PROCESS_CPUTIME: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case WASI_CLOCK_THREAD_CPUTIME: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
    }
}

WASI_FN(clock_res_get) {
    wasi_mem m = wasi_mem_of(inst);
    clockid_t id;
    struct timespec ts;
    if (!host_clock(WASI_ARG32(0), &id)) WASI_RET(WASI_EINVAL);
    if (clock_getres(id, &ts) != 0) WASI_RET(wasi_errno_now());
    uint64_t ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    WASI_RET(wasi_put64(&m, WASI_ARG32(1), ns) ? WASI_ESUCCESS : WASI_EFAULT);
}

WASI_FN(clock_time_get) {
    wasi_mem m = wasi_mem_of(inst);
    clockid_t id;
    struct timespec ts;
    if (!host_clock(WASI_ARG32(0), &id)) WASI_RET(WASI_EINVAL);
    if (clock_gettime(id, &ts) != 0) WASI_RET(wasi_errno_now());
    uint64_t ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    WASI_RET(wasi_put64(&m, WASI_ARG32(2), ns) ? WASI_ESUCCESS : WASI_EFAULT);
}

WASI_FN(random_get) {
    wasi_mem m = wasi_mem_of(inst);
    uint32_t len = WASI_ARG32(1);
    uint8_t *p = wasi_ptr(&m, WASI_ARG32(0), len);
    if (!p) WASI_RET(WASI_EFAULT);
    while (len > 0) {
        ssize_t n = getrandom(p, len, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) WASI_RET(wasi_errno_now());
        p += n;
        len -= (uint32_t)n;
    }
    WASI_RET(WASI_ESUCCESS);
}

WASI_FN(proc_exit) {
    wasi_ctx *c = env;
    rt_store *st = inst ? inst->store : c->store;
    st->last_trap.code = RT_TRAP_EXIT;
    st->last_trap.exit_status = (int)WASI_ARG32(0);
    st->last_trap.nframes = 0;
    return RT_TRAP_EXIT;
}

/* Raising signals in the host on behalf of the guest is not a capability we grant. */
WASI_FN(proc_raise) { WASI_RET(WASI_ENOSYS); }

WASI_FN(sched_yield) {
    sched_yield();
    WASI_RET(WASI_ESUCCESS);
}
