/* poll: poll_oneoff over clock and fd subscriptions. */
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "wasi.h"

static uint64_t now_ns(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

typedef struct poll_state {
    const uint8_t *in;
    uint8_t *out;
    uint32_t nsubs, nevents;
    struct pollfd *pfds;          /* one per subscription; fd -1 when not polled */
    uint64_t *deadlines;          /* per clock subscription: monotonic ns */
    uint64_t deadline;            /* monotonic ns of the earliest clock, or UINT64_MAX */
} poll_state;

static void emit(poll_state *ps, uint32_t i, uint16_t err, uint64_t nbytes, uint16_t flags) {
    uint8_t *e = ps->out + WASI_EVENT_SIZE * ps->nevents++;
    const uint8_t *s = ps->in + WASI_SUBSCRIPTION_SIZE * i;
    memset(e, 0, WASI_EVENT_SIZE);
    memcpy(e, s, 8);              /* userdata */
    memcpy(e + 8, &err, 2);
    e[10] = s[8];                 /* event type = subscription tag */
    memcpy(e + 16, &nbytes, 8);
    memcpy(e + 24, &flags, 2);
}

/* A clock subscription's deadline on the monotonic clock; EINVAL for unknown clocks. */
static uint16_t clock_deadline(const uint8_t *s, uint64_t *out) {
    uint32_t id = tb_rd32(s + 16);
    uint64_t timeout = tb_rd64(s + 24);
    uint16_t flags;
    memcpy(&flags, s + 40, 2);
    clockid_t cid = id == WASI_CLOCK_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC;
    if (id > WASI_CLOCK_THREAD_CPUTIME) return WASI_EINVAL;
    uint64_t mono = now_ns(CLOCK_MONOTONIC);
    if (flags & WASI_SUBCLOCK_ABSTIME) {
        uint64_t now = now_ns(cid);
        timeout = timeout > now ? timeout - now : 0;
    }
    *out = timeout > UINT64_MAX - mono ? UINT64_MAX : mono + timeout;
    return WASI_ESUCCESS;
}

/* Set up subscription i; fds that cannot be polled report at once. */
static void prepare(wasi_ctx *c, poll_state *ps, uint32_t i) {
    const uint8_t *s = ps->in + WASI_SUBSCRIPTION_SIZE * i;
    ps->pfds[i].fd = -1;
    ps->pfds[i].events = 0;
    if (s[8] == WASI_EVENT_CLOCK) {
        uint64_t dl = UINT64_MAX;
        uint16_t r = clock_deadline(s, &dl);
        ps->deadlines[i] = dl;
        if (r) emit(ps, i, r, 0, 0);
        else if (dl < ps->deadline) ps->deadline = dl;
        return;
    }
    if (s[8] != WASI_EVENT_FD_READ && s[8] != WASI_EVENT_FD_WRITE) {
        emit(ps, i, WASI_EINVAL, 0, 0);
        return;
    }
    wasi_fd *f;
    uint16_t r = wasi_fd_get(c, tb_rd32(s + 16), R(POLL_FD_READWRITE), &f);
    if (r) { emit(ps, i, r, 0, 0); return; }
    if (f->kind == WASI_FD_NULL) { emit(ps, i, 0, 0, 0); return; }
    ps->pfds[i].fd = f->host;
    ps->pfds[i].events = s[8] == WASI_EVENT_FD_READ ? POLLIN : POLLOUT;
}

static uint64_t readable_bytes(int fd) {
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        off_t pos = lseek(fd, 0, SEEK_CUR);
        return pos >= 0 && st.st_size > pos ? (uint64_t)(st.st_size - pos) : 0;
    }
    int n = 0;
    return ioctl(fd, FIONREAD, &n) == 0 && n > 0 ? (uint64_t)n : 0;
}

static void collect(poll_state *ps) {
    for (uint32_t i = 0; i < ps->nsubs; i++) {
        struct pollfd *p = &ps->pfds[i];
        if (p->fd < 0 || !p->revents) continue;
        uint16_t flags = p->revents & POLLHUP ? WASI_EVENT_HANGUP : 0;
        uint16_t err = p->revents & POLLNVAL ? WASI_EBADF : 0;
        uint64_t n = p->events & POLLIN ? readable_bytes(p->fd) : 0;
        emit(ps, i, err, n, flags);
    }
}

static void fire_clocks(poll_state *ps) {
    uint64_t now = now_ns(CLOCK_MONOTONIC);
    for (uint32_t i = 0; i < ps->nsubs; i++) {
        const uint8_t *s = ps->in + WASI_SUBSCRIPTION_SIZE * i;
        if (s[8] == WASI_EVENT_CLOCK && ps->deadlines[i] <= now) emit(ps, i, 0, 0, 0);
    }
}

static uint16_t wait_events(poll_state *ps) {
    for (;;) {
        int ms = -1;
        if (ps->nevents) ms = 0;
        else if (ps->deadline != UINT64_MAX) {
            uint64_t now = now_ns(CLOCK_MONOTONIC);
            uint64_t left = ps->deadline > now ? ps->deadline - now : 0;
            ms = (int)((left + 999999) / 1000000 > 0x7fffffff ? 0x7fffffff : (left + 999999) / 1000000);
        }
        int n = poll(ps->pfds, ps->nsubs, ms);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return wasi_errno_now();
        if (n > 0) collect(ps);
        if (ps->nevents) return WASI_ESUCCESS;
        if (ps->deadline != UINT64_MAX && now_ns(CLOCK_MONOTONIC) >= ps->deadline) {
            fire_clocks(ps);
            if (ps->nevents) return WASI_ESUCCESS;
        }
    }
}

WASI_FN(poll_oneoff) {
    wasi_mem m = wasi_mem_of(inst);
    uint32_t nsubs = WASI_ARG32(2);
    poll_state ps = {0};
    if (nsubs == 0) WASI_RET(WASI_EINVAL);
    ps.in = wasi_ptr(&m, WASI_ARG32(0), (uint64_t)nsubs * WASI_SUBSCRIPTION_SIZE);
    ps.out = wasi_ptr(&m, WASI_ARG32(1), (uint64_t)nsubs * WASI_EVENT_SIZE);
    if (!ps.in || !ps.out || !wasi_ptr(&m, WASI_ARG32(3), 4)) WASI_RET(WASI_EFAULT);
    ps.nsubs = nsubs;
    ps.deadline = UINT64_MAX;
    ps.pfds = tb_calloc(nsubs, sizeof *ps.pfds);
    ps.deadlines = tb_calloc(nsubs, sizeof *ps.deadlines);
    if (!ps.pfds || !ps.deadlines) { tb_free(ps.pfds); tb_free(ps.deadlines); WASI_RET(WASI_ENOMEM); }
    /* Subscriptions are copied out first: events may overlap them in guest memory. */
    uint8_t *copy = tb_malloc((size_t)nsubs * WASI_SUBSCRIPTION_SIZE);
    if (!copy) { tb_free(ps.pfds); tb_free(ps.deadlines); WASI_RET(WASI_ENOMEM); }
    memcpy(copy, ps.in, (size_t)nsubs * WASI_SUBSCRIPTION_SIZE);
    ps.in = copy;
    uint8_t *out = ps.out;
    uint8_t *tmp = tb_malloc((size_t)nsubs * WASI_EVENT_SIZE);
    if (!tmp) { tb_free(copy); tb_free(ps.pfds); tb_free(ps.deadlines); WASI_RET(WASI_ENOMEM); }
    ps.out = tmp;
    for (uint32_t i = 0; i < nsubs; i++) prepare(env, &ps, i);
    uint16_t r = wait_events(&ps);
    if (!r) {
        memcpy(out, tmp, (size_t)ps.nevents * WASI_EVENT_SIZE);
        wasi_put32(&m, WASI_ARG32(3), ps.nevents);
    }
    tb_free(tmp);
    tb_free(copy);
    tb_free(ps.pfds);
    tb_free(ps.deadlines);
    WASI_RET(r);
}
