/* bench/instantiate: cold-start cost. For (a) an empty module, (b) a WASI hello-world,
   (c) 1 MiB of data segments + 100 imports, (d) a table of 1000 funcrefs from an element
   segment: median and p99 of store + linker +
   instantiate + call a trivial export + release, on-demand vs pooled, over --iters
   iterations in process; instances per second on 2 threads; and --live N instances of
   the hello-world alive at once (RSS per instance, every one answering a call). */
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "taho.h"
#include "modules.h"

static double clock_us(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}
static double now_us(void) { return clock_us(CLOCK_MONOTONIC); }

static void die(const char *what, taho_error *err) {
    fprintf(stderr, "instantiate: %s: %s\n", what, err ? taho_error_message(err) : "failed");
    exit(1);
}

enum { CASE_EMPTY, CASE_WASI, CASE_DATA, CASE_TABLE, NCASES };
static const char *const case_names[] = {"(a) empty module", "(b) WASI hello-world",
                                         "(c) 1 MiB data + 100 imports",
                                         "(d) table of 1000 funcrefs"};

static taho_trap *nop_cb(void *env, taho_caller *c, const taho_val *a, size_t na,
                         taho_val *r, size_t nr) {
    return NULL;
}

/* --linker-per-store: the old pattern, a linker per store with the host functions made
   in that store; otherwise one linker per engine holds the host definitions and each
   store gets only its WASI context (the per-request pattern of wasmtime). */
static bool linker_per_store;

/* What an instance needs from the host: made in store s when per store, else defined
   once in l (s NULL). */
static void define_imports(int kind, taho_linker *l, taho_store *s) {
    if (kind == CASE_WASI) {
        taho_error *err = s ? taho_linker_define_wasi(l, s, taho_wasi_config_new())
                            : taho_linker_define_wasi(l, NULL, NULL);
        if (err) die("define wasi", err);
    } else if (kind == CASE_DATA) {
        taho_functype t = {0, 0, NULL, NULL};
        for (int i = 0; i < 100; i++) {
            char n[8];
            snprintf(n, sizeof n, "f%d", i);
            taho_error *err;
            if (s) {
                taho_extern x = {.kind = TAHO_EXTERN_FUNC, .of.func = taho_func_new(s, &t, nop_cb, NULL)};
                err = taho_linker_define(l, "env", n, x);
            } else {
                err = taho_linker_define_func(l, "env", n, &t, nop_cb, NULL, NULL);
            }
            if (err) die("define", err);
        }
    }
}

/* The linker an engine's stores share (NULL when per store). */
static taho_linker *shared_linker(taho_engine *e, int kind) {
    if (linker_per_store) return NULL;
    taho_linker *l = taho_linker_new(e);
    define_imports(kind, l, NULL);
    return l;
}

static int32_t call_ping(taho_store *s, taho_instance *inst) {
    taho_extern x;
    if (!taho_instance_export(inst, "ping", &x)) die("no ping export", NULL);
    taho_val r = {.kind = TAHO_I32};
    taho_trap *trap = NULL;
    taho_error *err = taho_func_call(s, x.of.func, NULL, 0, &r, 1, &trap);
    if (err) die("call", err);
    if (trap) { fprintf(stderr, "trap: %s\n", taho_trap_message(trap)); exit(1); }
    return r.of.i32;
}

/* One cold start: store (with its WASI context, or its own linker and imports),
   instantiate, call, release. *core gets the time of instantiate + call + release
   alone. shared: the engine's linker, or NULL to make one for this store. */
static void one_timed(taho_engine *e, taho_linker *shared, taho_module *m, int kind,
                      double *core) {
    taho_store *s = taho_store_new(e);
    taho_linker *l = shared;
    if (!shared) {
        l = taho_linker_new(e);
        define_imports(kind, l, s);
    } else if (kind == CASE_WASI) {
        taho_error *err = taho_store_set_wasi(s, taho_wasi_config_new());
        if (err) die("wasi context", err);
    }
    double t0 = core ? now_us() : 0;
    taho_instance *inst;
    taho_error *err = taho_linker_instantiate(l, s, m, &inst, NULL);
    if (err) die("instantiate", err);
    if (call_ping(s, inst) != 42) die("ping", NULL);
    taho_store_delete(s);
    if (core) *core = now_us() - t0;
    if (!shared) taho_linker_delete(l);
}

static void one(taho_engine *e, taho_linker *shared, taho_module *m, int kind) {
    one_timed(e, shared, m, kind, NULL);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The machine's own tail: p99 / median of n busy-loop chunks as long as `us` (no system
   call, no allocation). On a shared VM, interrupts and other processes put it far above
   1x once chunks take a few microseconds; a cold start cannot have a better ratio. */
static double noise_ratio(double us, int n) {
    volatile uint64_t x = 0;
    uint64_t spin = 1000;
    double t0 = now_us();
    for (uint64_t k = 0; k < spin; k++) x += k;
    double per = (now_us() - t0) / (double)spin;
    spin = per > 0 ? (uint64_t)(us / per) : 1000;
    double *t = malloc(sizeof *t * (size_t)n);
    for (int i = 0; i < n; i++) {
        double a = now_us();
        for (uint64_t k = 0; k < spin; k++) x += k;
        t[i] = now_us() - a;
    }
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    double r = t[(size_t)(n * 0.99)] / t[n / 2];
    free(t);
    return r;
}

typedef struct job {
    taho_engine *e;
    taho_linker *l;
    taho_module *m;
    int kind, iters;
} job;

static void *run_job(void *arg) {
    job *j = arg;
    for (int i = 0; i < j->iters; i++) one(j->e, j->l, j->m, j->kind);
    return NULL;
}

static taho_engine *engine(bool pooled, uint32_t slots) {
    taho_config *c = taho_config_new();
    if (pooled) taho_config_pooling(c, slots, 0, 0);
    return taho_engine_new(c);
}

static taho_module *compile(taho_engine *e, const bytes *b) {
    taho_module *m;
    taho_error *err = taho_module_new(e, b->p, b->len, &m);
    if (err) die("compile", err);
    return m;
}

static void measure(int kind, const bytes *b, bool pooled, int iters) {
    taho_engine *e = engine(pooled, 1000);
    taho_module *m = compile(e, b);
    taho_linker *l = shared_linker(e, kind);
    for (int i = 0; i < 200; i++) one(e, l, m, kind); /* warm the pool and the caches */
    double *t = malloc(sizeof *t * (size_t)iters), *c = malloc(sizeof *c * (size_t)iters);
    double cpu0 = clock_us(CLOCK_THREAD_CPUTIME_ID);
    for (int i = 0; i < iters; i++) {
        double t0 = now_us();
        one_timed(e, l, m, kind, &c[i]);
        t[i] = now_us() - t0;
    }
    /* CPU time of this thread (user + system) per cold start: unlike the wall times,
       not inflated when other processes take the CPU away */
    double cpu = (clock_us(CLOCK_THREAD_CPUTIME_ID) - cpu0) / iters;
    qsort(t, (size_t)iters, sizeof *t, cmp_double);
    qsort(c, (size_t)iters, sizeof *c, cmp_double);
    double med = t[iters / 2], p99 = t[(size_t)(iters * 0.99)];
    double noise = noise_ratio(med, iters);
    double cmed = c[iters / 2], cp99 = c[(size_t)(iters * 0.99)];
    /* 2 threads, each its own stores, one shared module */
    job j = {e, l, m, kind, iters};
    pthread_t th[2];
    double w0 = now_us();
    for (int i = 0; i < 2; i++) pthread_create(&th[i], NULL, run_job, &j);
    for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
    double wall = now_us() - w0;
    printf("%-30s %-9s all: median %7.2f p99 %8.2f us (%5.1fx) | core: median "
           "%7.2f p99 %8.2f us (%5.1fx) | cpu %6.2f us | busy loop p99 %5.1fx | 2 threads: %6.0f "
           "inst/s\n",
           case_names[kind], pooled ? "pooled" : "on-demand", med, p99, p99 / med, cmed, cp99,
           cp99 / cmed, cpu, noise, 2.0 * iters / (wall / 1e6));
    free(t);
    free(c);
    taho_linker_delete(l);
    taho_module_delete(m);
    taho_engine_delete(e);
}

static long rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6)) v = strtol(line + 6, NULL, 10);
    if (f) fclose(f);
    return v;
}

/* n instances of the hello-world alive at once in one store (pooled engine). */
static void live(const bytes *b, int n) {
    taho_engine *e = engine(true, (uint32_t)n);
    taho_module *m = compile(e, b);
    taho_store *s = taho_store_new(e);
    taho_linker *l = taho_linker_new(e);
    define_imports(CASE_WASI, l, s);
    taho_instance **insts = malloc(sizeof *insts * (size_t)n);
    one(e, NULL, m, CASE_WASI);
    long before = rss_kib();
    double t0 = now_us();
    for (int i = 0; i < n; i++) {
        taho_error *err = taho_linker_instantiate(l, s, m, &insts[i], NULL);
        if (err) { fprintf(stderr, "at instance %d: ", i); die("instantiate", err); }
    }
    double t1 = now_us();
    long after = rss_kib();
    int answered = 0;
    for (int i = 0; i < n; i++) answered += call_ping(s, insts[i]) == 42;
    long called = rss_kib();
    printf("%d live hello-world instances: %d answered; RSS %+ld KiB = %.1f KiB per instance "
           "(%.1f KiB after each was called once); %.1f us per instantiation\n",
           n, answered, after - before, (double)(after - before) / n,
           (double)(called - before) / n, (t1 - t0) / n);
    free(insts);
    taho_linker_delete(l);
    taho_store_delete(s);
    taho_module_delete(m);
    taho_engine_delete(e);
}

typedef struct spinner {
    taho_engine *e;
    taho_store *s;
    taho_func *f;
    double stopped;
    int code;
} spinner;

static void *spin_main(void *arg) {
    spinner *sp = arg;
    taho_trap *trap = NULL;
    taho_error *err = taho_func_call(sp->s, sp->f, NULL, 0, NULL, 0, &trap);
    sp->stopped = now_us();
    if (err) die("spin", err);
    sp->code = trap ? (int)taho_trap_code_of(trap) : 0;
    if (trap) taho_trap_delete(trap);
    return NULL;
}

/* Epoch interruption: how long after another thread increments the epoch a spinning
   guest is stopped ("interrupt"), over n runs in one store (which stays usable). */
static void epoch_latency(int n) {
    taho_config *c = taho_config_new();
    taho_config_epoch_interruption(c, true);
    taho_engine *e = taho_engine_new(c);
    bytes b = mod_spin();
    taho_module *m = compile(e, &b);
    taho_store *s = taho_store_new(e);
    taho_linker *l = taho_linker_new(e);
    taho_instance *inst;
    taho_error *err = taho_linker_instantiate(l, s, m, &inst, NULL);
    if (err) die("instantiate", err);
    taho_extern x;
    taho_instance_export(inst, "spin", &x);
    double *lat = malloc(sizeof *lat * (size_t)n);
    int interrupted = 0;
    for (int i = 0; i < n; i++) {
        taho_store_set_epoch_deadline(s, 1);
        spinner sp = {e, s, x.of.func, 0, 0};
        pthread_t th;
        pthread_create(&th, NULL, spin_main, &sp);
        struct timespec d = {0, 5 * 1000 * 1000};
        nanosleep(&d, NULL);
        double t0 = now_us();
        taho_engine_increment_epoch(e);
        pthread_join(th, NULL);
        lat[i] = sp.stopped - t0;
        interrupted += sp.code == TAHO_TRAP_INTERRUPT;
    }
    qsort(lat, (size_t)n, sizeof *lat, cmp_double);
    printf("epoch interruption: %d/%d runs stopped with \"interrupt\"; latency median %.1f us, "
           "max %.1f us\n", interrupted, n, lat[n / 2], lat[n - 1]);
    free(lat);
    free(b.p);
    taho_linker_delete(l);
    taho_store_delete(s);
    taho_module_delete(m);
    taho_engine_delete(e);
}

static bytes read_file(const char *path) {
    bytes b = {0};
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END);
    b.len = b.cap = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    b.p = malloc(b.len);
    if (fread(b.p, 1, b.len, f) != b.len) { perror(path); exit(1); }
    fclose(f);
    return b;
}

int main(int argc, char **argv) {
    int iters = 10000, nlive = 10000, only = -1, nepoch = 50;
    const char *hello = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--iters") && i + 1 < argc) iters = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--live") && i + 1 < argc) nlive = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--hello") && i + 1 < argc) hello = argv[++i];
        else if (!strcmp(argv[i], "--epoch") && i + 1 < argc) nepoch = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--case") && i + 1 < argc) only = argv[++i][0] - 'a';
        else if (!strcmp(argv[i], "--linker-per-store")) linker_per_store = true;
        else { fprintf(stderr, "usage: instantiate [--iters N] [--live N] [--case a|b|c|d] [--epoch N] [--linker-per-store] [--hello hello.wasm]\n"); return 2; }
    }
    /* An embedder's choice, made here: never give heap back to the kernel, since growing
       it again costs page faults (tens of microseconds each on this VM). */
    if (!getenv("BENCH_MALLOC_DEFAULT")) {
        mallopt(M_TRIM_THRESHOLD, 256 << 20);
        mallopt(M_MMAP_THRESHOLD, 64 << 20);
    }
    bytes mods[NCASES] = {mod_empty(), {0}, mod_data_imports(), mod_table()};
    if (hello) mods[CASE_WASI] = read_file(hello);
    printf("instantiate + call + release, %d iterations each; all: the store and %s included\n",
           iters, linker_per_store ? "its own linker with the imports made in it"
                                   : "its WASI context (one linker per engine)");
    for (int k = 0; k < NCASES; k++) {
        if (!mods[k].p || (only >= 0 && k != only)) continue;
        measure(k, &mods[k], false, iters);
        measure(k, &mods[k], true, iters);
    }
    if (nepoch > 0) epoch_latency(nepoch);
    if (hello && nlive > 0) live(&mods[CASE_WASI], nlive);
    for (int k = 0; k < NCASES; k++) free(mods[k].p);
    return 0;
}
