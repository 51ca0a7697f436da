/* signals: turn faults inside memory reservations (and the value-stack guard) into
   traps while a thread runs Wasm; everything else goes to the previous handler. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "recovery.h"
#include "store.h"

__thread rt_recovery *rt_tl_recovery __attribute__((tls_model("initial-exec")));

/* 8 GiB per memory in a 128 TiB user address space: at most 16 Ki reservations can
   exist at once, so a fixed table that the handler scans without locks is enough. */
#define RT_MAX_REGIONS 16384u
typedef struct rt_region {
    _Atomic(uintptr_t) base;   /* 0: free slot */
    size_t len;
    rt_trap_code code;
} rt_region;

static rt_region regions[RT_MAX_REGIONS];
static _Atomic uint32_t regions_hi;    /* slots [0, hi) may be in use */
static struct sigaction prev_segv, prev_bus;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static bool installed;

bool rt_region_add(void *base, size_t len, rt_trap_code code) {
    for (uint32_t i = 0; i < RT_MAX_REGIONS; i++) {
        uintptr_t expect = 0;
        /* Claim with a sentinel first so len/code are written before base is seen. */
        if (!atomic_compare_exchange_strong(&regions[i].base, &expect, (uintptr_t)1)) continue;
        regions[i].len = len;
        regions[i].code = code;
        atomic_store(&regions[i].base, (uintptr_t)base);
        uint32_t hi = atomic_load(&regions_hi);
        while (hi < i + 1 && !atomic_compare_exchange_weak(&regions_hi, &hi, i + 1)) {}
        return true;
    }
    return false;
}

void rt_region_remove(void *base) {
    uint32_t hi = atomic_load(&regions_hi);
    for (uint32_t i = 0; i < hi; i++) {
        if (atomic_load(&regions[i].base) == (uintptr_t)base) {
            atomic_store(&regions[i].base, 0);
            return;
        }
    }
}

static bool region_code(uintptr_t addr, rt_trap_code *code) {
    uint32_t hi = atomic_load(&regions_hi);
    for (uint32_t i = 0; i < hi; i++) {
        uintptr_t b = atomic_load(&regions[i].base);
        if (b > 1 && addr >= b && addr - b < regions[i].len) {
            *code = regions[i].code;
            return true;
        }
    }
    return false;
}

static void chain(int sig, siginfo_t *si, void *uc) {
    const struct sigaction *p = sig == SIGSEGV ? &prev_segv : &prev_bus;
    if (p->sa_flags & SA_SIGINFO) {
        p->sa_sigaction(sig, si, uc);
    } else if (p->sa_handler == SIG_DFL || p->sa_handler == SIG_IGN) {
        /* Restore the default action; returning re-runs the faulting access, which
           then ends the process the usual way (with a core dump). */
        signal(sig, SIG_DFL);
    } else {
        p->sa_handler(sig);
    }
}

static void on_fault(int sig, siginfo_t *si, void *uc) {
    rt_recovery *r = rt_tl_recovery;
    rt_trap_code code;
    if (r && region_code((uintptr_t)si->si_addr, &code)) {
        /* We leave the handler by jumping, so unblock the signal ourselves (the
           entry's sigsetjmp does not save the mask: that would cost a syscall). */
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGSEGV);
        sigaddset(&set, SIGBUS);
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
        if (r->hook) r->hook(r->hook_arg, r->store, uc);
        r->code = code;
        siglongjmp(r->buf, 1);
    }
    chain(sig, si, uc);
}

static void install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    installed = sigaction(SIGSEGV, &sa, &prev_segv) == 0 &&
                sigaction(SIGBUS, &sa, &prev_bus) == 0;
}

bool rt_signals_init(void) {
    pthread_once(&install_once, install);
    return installed;
}

/* ---- per-thread alternate signal stack ---- */
#define RT_ALTSTACK_SIZE (64u << 10)
static pthread_key_t altstack_key;
static pthread_once_t altstack_once = PTHREAD_ONCE_INIT;
static __thread bool tl_thread_ready;

static void altstack_free(void *p) {
    stack_t ss = {.ss_flags = SS_DISABLE};
    sigaltstack(&ss, NULL);
    munmap(p, RT_ALTSTACK_SIZE);
}

static void altstack_key_init(void) { pthread_key_create(&altstack_key, altstack_free); }

/* Room kept below the floor for host code and the signal path of the last entry. */
#define RT_NATIVE_STACK_RESERVE (256u << 10)
__thread uintptr_t rt_tl_stack_floor __attribute__((tls_model("initial-exec")));

/* The main thread's stack without pthread_getattr_np, which reads /proc/self/maps (a
   dozen page faults at process start, tens of microseconds each on these VMs): the
   stack ends rlimit below its top, and the top is at most the arguments and the
   environment above this frame (allowed for with a 1 MiB margin). */
#define RT_MAIN_STACK_SLACK (1u << 20)
static bool main_stack_floor(void) {
    if (getpid() != (pid_t)syscall(SYS_gettid)) return false;
    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
        rl.rlim_cur < 4 * RT_MAIN_STACK_SLACK || rl.rlim_cur > (1ull << 32))
        return false;
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    rt_tl_stack_floor = here - rl.rlim_cur + RT_MAIN_STACK_SLACK + RT_NATIVE_STACK_RESERVE;
    return true;
}

static void find_stack_floor(void) {
    if (main_stack_floor()) return;
    pthread_attr_t a;
    void *lo;
    size_t size;
    if (pthread_getattr_np(pthread_self(), &a) != 0) return;
    if (pthread_attr_getstack(&a, &lo, &size) == 0 && size > 2 * RT_NATIVE_STACK_RESERVE)
        rt_tl_stack_floor = (uintptr_t)lo + RT_NATIVE_STACK_RESERVE;
    pthread_attr_destroy(&a);
}

void rt_signals_init_thread(void) {
    if (TB_LIKELY(tl_thread_ready)) return;
    tl_thread_ready = true;
    rt_signals_init();
    find_stack_floor();
    stack_t old;
    if (sigaltstack(NULL, &old) == 0 && !(old.ss_flags & SS_DISABLE)) return; /* has one */
    pthread_once(&altstack_once, altstack_key_init);
    void *p = mmap(NULL, RT_ALTSTACK_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return; /* faults on a full stack will crash; others still trap */
    stack_t ss = {.ss_sp = p, .ss_size = RT_ALTSTACK_SIZE, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0) { munmap(p, RT_ALTSTACK_SIZE); return; }
    pthread_setspecific(altstack_key, p);
}
