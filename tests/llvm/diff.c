/* diff: differential test of the compiled tiers against the interpreter. Each module
   runs three ways in one process, in lockstep: on the interpreter, on the JIT, and on
   the JIT's code through an artifact (serialize + deserialize). Every exported function
   is called once (zero arguments) in each; after every call the results or trap, the
   values logged through imports, the bytes of every exported memory and the values of
   exported globals and tables must agree. tests/llvm/diff.sh feeds it modules from
   binaryen's `wasm-opt -ttf`; tests/llvm/diff-README.md lists the differences the spec
   allows and how they are treated.
   Usage:
     diff batch [--opt speed|none|size] [--timeout SEC] [--keep DIR] [--delete] [FILE...]
         (files from the arguments, else one path per line on stdin) one line per module:
         "pass FILE", "FAIL FILE: ...", "skip FILE: reason". Modules run in children
         forked after the LLVM plugin is loaded, a fresh one after each failure; a
         crash is a failure, a timeout (alarm) a skip, and the next child goes on.
     diff one [--opt L] FILE      every trace in full, then the verdict (reproduction)
     diff interp|jit|jit-none FILE    one engine's trace only
   LLVM_DIFF_FUEL=N (diff.sh --fuel N): every engine consumes fuel, every store gets N
   before instantiating and before each call, and the fuel left after each call must
   agree too: compiled code must stop where the interpreter stops. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "taho.h"

enum { NVAR = 3 };
static const char *const var_names[NVAR] = {"interp", "jit", "aot"};

typedef struct variant {
    const char *name;
    taho_engine *engine;
    taho_module *mod;
    taho_store *store;
    taho_instance *inst;
    FILE *trace;          /* open_memstream over buf */
    char *buf;
    size_t len;
} variant;

/* What a child tells its parent: set as it goes, so a crash or timeout names the phase. */
typedef struct shared {
    char phase[256];
    char verdict[2048];
    char path[4096];      /* the module being run */
    int busy;             /* a child is running sh->path */
    int next;             /* next file of the command line */
} shared;
static shared *sh;
static shared local_sh;

/* Engines live in the parent: the plugin and LLVM are loaded once, children inherit them. */
static taho_engine *engines[NVAR];
static taho_opt_level opt = TAHO_OPT_SPEED;
/* LLVM_DIFF_FUEL: the budget of each call, or 0 (no fuel). */
static uint64_t fuel;
/* Differences the spec allows that were seen in the current module (diff-README.md). */
static const char *explained;

static void phase(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sh->phase, sizeof sh->phase, fmt, ap);
    va_end(ap);
}

/* ---- traces ---- */

/* NaN sign and payload bits are nondeterministic in the spec: every NaN prints alike. */
static uint32_t canon32(uint32_t b) {
    return (b & 0x7f800000u) == 0x7f800000u && (b & 0x7fffffu) ? 0x7fc00000u : b;
}
static uint64_t canon64(uint64_t b) {
    return (b & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (b & 0xfffffffffffffull)
               ? 0x7ff8000000000000ull : b;
}

/* v128 lanes have no type, so a v128 prints raw (high half first) and NaN payloads are
   judged when traces are compared (same_v128). */
static void print_v128(FILE *o, const uint8_t *v) {
    uint64_t q[2];
    memcpy(q, v, 16);
    fprintf(o, " v128:%016llx%016llx", (unsigned long long)q[1], (unsigned long long)q[0]);
}

static bool nan32(uint32_t b) { return canon32(b) != b || b == 0x7fc00000u; }
static bool nan64(uint64_t b) { return canon64(b) != b || b == 0x7ff8000000000000ull; }

/* Two 64-bit halves of v128 results that the spec lets differ: equal, NaNs as one f64,
   or lane by lane equal or NaNs as f32. (One tier's f32 NaN payload may make its half a
   NaN as f64 while the other's does not: judging by one canonical print failed there.) */
static bool same_half(uint64_t a, uint64_t b) {
    if (a == b || (nan64(a) && nan64(b))) return true;
    for (int sh = 0; sh < 64; sh += 32) {
        uint32_t x = (uint32_t)(a >> sh), y = (uint32_t)(b >> sh);
        if (x != y && !(nan32(x) && nan32(y))) return false;
    }
    return true;
}

/* Two printed values that differ only in NaN payloads of v128s (" v128:" + 32 hex). */
static bool same_v128(const char *a, const char *b) {
    const char *pa = strstr(a, "v128:"), *pb = strstr(b, "v128:");
    if (!pa || !pb || pa - a != pb - b || strncmp(a, b, (size_t)(pa - a))) return false;
    pa += 5, pb += 5;
    for (int h = 0; h < 2; h++) {
        char x[17], y[17];
        if (sscanf(pa + 16 * h, "%16[0-9a-f]", x) != 1 || sscanf(pb + 16 * h, "%16[0-9a-f]", y) != 1)
            return false;
        if (!same_half(strtoull(x, NULL, 16), strtoull(y, NULL, 16))) return false;
    }
    pa += 32, pb += 32;
    return strchr(pa, 'v') ? same_v128(pa, pb) : !strcmp(pa, pb);
}

static void print_val(FILE *o, const taho_val *v) {
    switch (v->kind) {
    case TAHO_I32: fprintf(o, " i32:%d", v->of.i32); break;
    case TAHO_I64: fprintf(o, " i64:%lld", (long long)v->of.i64); break;
    case TAHO_F32: { uint32_t b; memcpy(&b, &v->of.f32, 4);
        fprintf(o, " f32:%08x", canon32(b)); break; }
    case TAHO_F64: { uint64_t b; memcpy(&b, &v->of.f64, 8);
        fprintf(o, " f64:%016llx", (unsigned long long)canon64(b)); break; }
    case TAHO_V128: print_v128(o, v->of.v128); break;
    case TAHO_FUNCREF: fprintf(o, " funcref:%s", v->of.funcref ? "x" : "null"); break;
    default: fprintf(o, " externref:%s", v->of.externref ? "x" : "null"); break;
    }
}

static taho_trap *logger(void *env, taho_caller *c, const taho_val *args, size_t n,
                         taho_val *res, size_t nres) {
    (void)c;
    variant *v = env;
    fprintf(v->trace, "log");
    for (size_t i = 0; i < n; i++) print_val(v->trace, &args[i]);
    fprintf(v->trace, "\n");
    for (size_t i = 0; i < nres; i++) memset(&res[i].of, 0, sizeof res[i].of);
    return NULL;
}

/* ---- state after each call ---- */

static bool nan_at(const uint8_t *p, size_t w) {
    if (w == 4) { uint32_t b; memcpy(&b, p, 4); return nan32(b); }
    uint64_t b; memcpy(&b, p, 8);
    return nan64(b);
}

/* A differing byte is explained when some 4- or 8-byte window around it is a NaN on
   both sides (a float store of a NaN whose bits differ); returns the window's end. */
static size_t nan_window(const uint8_t *a, const uint8_t *b, size_t n, size_t i) {
    for (size_t w = 8; w >= 4; w -= 4)
        for (size_t s = i >= w - 1 ? i - (w - 1) : 0; s <= i && s + w <= n; s++)
            if (nan_at(a + s, w) && nan_at(b + s, w)) return s + w;
    return 0;
}

/* Whether n bytes at a and b are equal. Pages resident on neither side were never
   touched (memories are anonymous mappings: zero-filled on demand), so only pages
   resident on some side are compared: a 1 MiB memory usually has a few. */
static bool same_bytes(const uint8_t *a, const uint8_t *b, size_t n) {
    size_t pg = (size_t)sysconf(_SC_PAGESIZE), np = n / pg;
    if (!n) return true;
    unsigned char *va = NULL, *vb = NULL;
    bool fast = n % pg == 0 && (uintptr_t)a % pg == 0 && (uintptr_t)b % pg == 0 &&
                (va = malloc(np + 1)) && (vb = malloc(np + 1)) &&
                !mincore((void *)a, n, va) && !mincore((void *)b, n, vb);
    bool same = true;
    for (size_t i = 0; fast && same && i < np; i++)
        if ((va[i] | vb[i]) & 1) same = !memcmp(a + i * pg, b + i * pg, pg);
    if (!fast) same = !memcmp(a, b, n);
    free(va);
    free(vb);
    return same;
}

/* Compares memory `name` of v with the interpreter's; a difference goes to v's trace. */
static void compare_memory(variant *v, const char *name, const taho_memory *ref,
                           const taho_memory *m) {
    size_t n = taho_memory_size(m), rn = taho_memory_size(ref);
    const uint8_t *a = taho_memory_data(ref), *b = taho_memory_data(m);
    if (n != rn || same_bytes(a, b, n)) return;
    for (size_t i = 0; i < n; i++) {
        if (a[i] == b[i]) continue;
        size_t end = nan_window(a, b, n, i);
        if (!end) {
            fprintf(v->trace, "memory %s: byte 0x%zx is %02x, interp has %02x\n", name, i,
                    b[i], a[i]);
            return;
        }
        explained = "NaN bits stored to memory";
        i = end - 1;
    }
}

/* Exported memories (size, and bytes against the interpreter), globals and tables;
   the fuel left. */
static void print_state(variant *vs, int nv) {
    const taho_module *m = vs[0].mod;
    for (int k = 0; fuel && k < nv; k++) {
        uint64_t left = 0;
        taho_error_delete(taho_store_get_fuel(vs[k].store, &left));
        fprintf(vs[k].trace, "fuel left %llu\n", (unsigned long long)left);
    }
    for (size_t i = 0; i < taho_module_export_count(m); i++) {
        taho_exporttype x = taho_module_export(m, i);
        if (x.kind == TAHO_EXTERN_FUNC) continue;
        for (int k = 0; k < nv; k++) {
            taho_extern e, ref;
            FILE *o = vs[k].trace;
            if (!taho_instance_export(vs[k].inst, x.name, &e)) {
                fprintf(o, "export %s missing\n", x.name);
                continue;
            }
            if (x.kind == TAHO_EXTERN_MEMORY) {
                fprintf(o, "memory %s: %zu bytes\n", x.name, taho_memory_size(e.of.memory));
                if (k && taho_instance_export(vs[0].inst, x.name, &ref))
                    compare_memory(&vs[k], x.name, ref.of.memory, e.of.memory);
            } else if (x.kind == TAHO_EXTERN_GLOBAL) {
                taho_val g = taho_global_get(e.of.global);
                fprintf(o, "global %s:", x.name);
                print_val(o, &g);
                fprintf(o, "\n");
            } else {
                uint32_t n = taho_table_size(e.of.table), set = 0;
                for (uint32_t j = 0; j < n; j++) {
                    taho_val t;
                    if (taho_table_get(e.of.table, j, &t) && t.of.funcref) set += j + 1;
                }
                fprintf(o, "table %s: %u elements, non-null sum %u\n", x.name, n, set);
            }
        }
    }
}

/* ---- making the three instances ---- */

static uint8_t *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(*len + 1);
    if (b && fread(b, 1, *len, f) != *len) { free(b); b = NULL; }
    fclose(f);
    return b;
}

enum { PASS = 0, FAIL = 1, SKIP = 77 };

static int verdict(int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sh->verdict, sizeof sh->verdict, fmt, ap);
    va_end(ap);
    return code;
}

static int verdict_error(int code, const char *what, taho_error *e) {
    int r = verdict(code, "%s: %s", what, taho_error_message(e));
    taho_error_delete(e);
    return r;
}

/* The variant's module: compiled by its engine, or for "aot" the JIT's code serialized
   and loaded back (on an interpreter engine, as `taho run FILE.taho` does). */
static int make_module(variant *vs, int k, const uint8_t *bytes, size_t len) {
    phase("%s: compile", vs[k].name);
    taho_error *e;
    if (k < 2) {
        e = taho_module_new(vs[k].engine, bytes, len, &vs[k].mod);
        if (e) return verdict_error(k ? FAIL : SKIP, k ? "jit compile" : "module error", e);
        return PASS;
    }
    uint8_t *art;
    size_t alen;
    if ((e = taho_module_serialize(vs[1].mod, &art, &alen))) return verdict_error(FAIL, "serialize", e);
    e = taho_module_deserialize(vs[k].engine, art, alen, &vs[k].mod);
    taho_bytes_free(art);
    return e ? verdict_error(FAIL, "deserialize", e) : PASS;
}

static int instantiate(variant *v) {
    taho_linker *l = taho_linker_new(v->engine);
    v->store = taho_store_new(v->engine);
    if (fuel) taho_error_delete(taho_store_set_fuel(v->store, fuel));
    for (size_t i = 0; i < taho_module_import_count(v->mod); i++) {
        taho_importtype it = taho_module_import(v->mod, i);
        taho_externtype t = taho_module_import_type(v->mod, i);
        if (it.kind != TAHO_EXTERN_FUNC) {
            taho_linker_delete(l);
            return verdict(SKIP, "imports a non-function (%s.%s)", it.module, it.name);
        }
        taho_extern x = {.kind = TAHO_EXTERN_FUNC};
        x.of.func = taho_func_new(v->store, &t.of.func, logger, v);
        taho_linker_define(l, it.module, it.name, x);
    }
    phase("%s: instantiate", v->name);
    taho_trap *trap = NULL;
    taho_error *err = taho_linker_instantiate(l, v->store, v->mod, &v->inst, &trap);
    taho_linker_delete(l);
    if (trap) taho_trap_delete(trap);
    if (err) {
        fprintf(v->trace, "instantiate: %s\n", taho_error_message(err));
        taho_error_delete(err);
        v->inst = NULL;
    } else {
        fprintf(v->trace, "instantiated\n");
    }
    return PASS;
}

/* ---- running in lockstep ---- */

static void call_export(variant *v, const char *name) {
    phase("%s: call %s", v->name, name);
    FILE *o = v->trace;
    fprintf(o, "call %s\n", name);
    taho_extern ext;
    if (!taho_instance_export(v->inst, name, &ext)) { fprintf(o, "missing\n"); return; }
    taho_functype ft = taho_func_type(ext.of.func);
    taho_val args[64], res[64];
    if (ft.nparams > 64 || ft.nresults > 64) { fprintf(o, "too many values\n"); return; }
    memset(args, 0, sizeof args);
    for (size_t k = 0; k < ft.nparams; k++) args[k].kind = ft.params[k];
    taho_trap *trap = NULL;
    if (fuel) taho_error_delete(taho_store_set_fuel(v->store, fuel));
    taho_error *err = taho_func_call(v->store, ext.of.func, args, ft.nparams, res, ft.nresults, &trap);
    if (trap) {
        fprintf(o, "trap: %s\n", taho_trap_message(trap));
        taho_trap_delete(trap);
    } else if (err) {
        fprintf(o, "error: %s\n", taho_error_message(err));
        taho_error_delete(err);
    } else {
        fprintf(o, "result");
        for (size_t k = 0; k < ft.nresults; k++) print_val(o, &res[k]);
        fprintf(o, "\n");
    }
}

/* The line at *p of a buffer ending at end ("(end)" past it), copied to out; *p moves
   to the next line. */
static void take_line(const char **p, const char *end, char *out, size_t size) {
    const char *e = memchr(*p, '\n', (size_t)(end - *p));
    if (*p >= end) snprintf(out, size, "(end)");
    else snprintf(out, size, "%.*s", (int)((e ? e : end) - *p), *p);
    *p = e ? e + 1 : end;
}

/* Line number and text of the first line where b differs from a, false if none does.
   Lines that differ only in a v128's NaN payloads are not differences (*nan is set). */
static bool first_diff(const char *a, size_t an, const char *b, size_t bn, int *line,
                       char *la, char *lb, size_t size, bool *nan) {
    const char *pa = a, *pb = b, *ea = a + an, *eb = b + bn;
    for (*line = 1; pa < ea || pb < eb; (*line)++) {
        take_line(&pa, ea, la, size);
        take_line(&pb, eb, lb, size);
        if (!strcmp(la, lb)) continue;
        if (!same_v128(la, lb)) return true;
        *nan = true;
    }
    return false;
}

/* Flushes the traces and checks the compiled ones against the interpreter's. */
static int compare(variant *vs, int nv) {
    for (int k = 0; k < nv; k++) fflush(vs[k].trace);
    for (int k = 1; k < nv; k++) {
        int line;
        char la[700], lb[700];
        bool nan = false;
        if (first_diff(vs[0].buf, vs[0].len, vs[k].buf, vs[k].len, &line, la, lb, sizeof la,
                       &nan))
            return verdict(FAIL, "%s differs at trace line %d: interp '%s', %s '%s'",
                           vs[k].name, line, la, vs[k].name, lb);
        if (nan) explained = "NaN bits in a v128";
    }
    return PASS;
}

static bool stack_exhausted(const variant *v) {
    static const char tail[] = "trap: call stack exhausted\n";
    size_t n = sizeof tail - 1;
    return v->len >= n && !memcmp(v->buf + v->len - n, tail, n);
}

/* LLVM_DIFF_SELF_TEST=memory (diff.sh --self-test): the JIT's memory gets one byte
   flipped after each call, to show that differences are caught and reported. */
static void self_test(variant *vs, int nv) {
    const char *t = getenv("LLVM_DIFF_SELF_TEST");
    if (!t || nv < 2) return;
    for (size_t i = 0; i < taho_module_export_count(vs[1].mod); i++) {
        taho_exporttype x = taho_module_export(vs[1].mod, i);
        taho_extern e;
        if (x.kind == TAHO_EXTERN_MEMORY && taho_instance_export(vs[1].inst, x.name, &e) &&
            taho_memory_size(e.of.memory))
            taho_memory_data(e.of.memory)[taho_memory_size(e.of.memory) / 2] ^= 0x5a;
    }
}

/* Runs the module on nv variants (1: the interpreter's trace only). */
static int run_bytes(const uint8_t *bytes, size_t len, variant *vs, int nv) {
    explained = NULL;
    for (int k = 0; k < nv; k++) {
        vs[k].trace = open_memstream(&vs[k].buf, &vs[k].len);
        int r = make_module(vs, k, bytes, len);
        if (r != PASS) return r;
    }
    for (int k = 0; k < nv; k++) {
        int r = instantiate(&vs[k]);
        if (r != PASS) return r;
    }
    int r = compare(vs, nv);
    if (r != PASS || !vs[0].inst) return r;
    print_state(vs, nv);
    if ((r = compare(vs, nv)) != PASS) return r;
    const taho_module *m = vs[0].mod;
    for (size_t i = 0; i < taho_module_export_count(m); i++) {
        taho_exporttype x = taho_module_export(m, i);
        if (x.kind != TAHO_EXTERN_FUNC) continue;
        for (int k = 0; k < nv; k++) call_export(&vs[k], x.name);
        for (int k = 0; k < nv; k++) fflush(vs[k].trace);
        /* How deep recursion goes before the stack runs out is the implementation's
           choice, so what a call logged before it differs: stop comparing there. */
        bool all = true, any = false;
        for (int k = 0; k < nv; k++) all = all && stack_exhausted(&vs[k]);
        for (int k = 0; k < nv; k++) any = any || stack_exhausted(&vs[k]);
        /* With fuel, a deeper stack also spends more fuel: one may run out of it first. */
        if ((all || (fuel && any)) && nv > 1) {
            explained = "call stack exhausted (depth is implementation-defined)";
            break;
        }
        self_test(vs, nv);
        print_state(vs, nv);
        if ((r = compare(vs, nv)) != PASS) return r;
    }
    phase("done");
    if (explained) return verdict(PASS, "explained: %s", explained);
    return verdict(PASS, "%s", "");
}

static int run_module(const char *path, variant *vs, int nv) {
    size_t len;
    uint8_t *bytes = slurp(path, &len);
    if (!bytes) return verdict(SKIP, "cannot read the file");
    int r = run_bytes(bytes, len, vs, nv);
    free(bytes);
    return r;
}

/* ---- engines ---- */

static void make_engines(void) {
    for (int k = 0; k < NVAR; k++) {
        taho_config *c = taho_config_new();
        if (fuel) taho_config_consume_fuel(c, true);
        if (k == 1) {
            taho_config_engine(c, TAHO_ENGINE_JIT);
            taho_config_opt_level(c, opt);
            /* diff.sh runs one process per core: threads would only compete. */
            taho_config_compile_threads(c, 1);
        }
        engines[k] = taho_engine_new(c);
    }
}

/* Compiles a tiny module so the plugin and LLVM are loaded before any fork. */
static void warm_up(void) {
    static const uint8_t tiny[] = {0, 'a', 's', 'm', 1, 0, 0, 0,
                                   1, 5, 1, 0x60, 0, 1, 0x7f,          /* type () -> i32 */
                                   3, 2, 1, 0,                          /* func 0: type 0 */
                                   10, 6, 1, 4, 0, 0x41, 1, 0x0b};     /* i32.const 1 */
    taho_module *m;
    taho_error *e = taho_module_new(engines[1], tiny, sizeof tiny, &m);
    if (e) {
        fprintf(stderr, "llvm-diff: the JIT does not work: %s\n", taho_error_message(e));
        exit(2);
    }
    taho_module_delete(m);
}

static void init_variants(variant *vs) {
    memset(vs, 0, NVAR * sizeof *vs);
    for (int k = 0; k < NVAR; k++) vs[k].name = var_names[k], vs[k].engine = engines[k];
}

/* ---- batch: children that run modules until one fails, hangs or crashes ---- */

/* A child runs this many modules, then a fresh one takes over (bounds what leaks). */
enum { RECYCLE = 500, EXIT_EOF = 0, EXIT_MORE = 3 };

typedef struct batch_opts {
    unsigned timeout;
    const char *keep;
    bool delete_;
    char **files;         /* from the command line, else paths on stdin */
    int nfiles;
} batch_opts;

/* Keeps a failing (kind "fail") or timed-out ("timeout") module in o->keep. */
static void keep_module(const batch_opts *o, const char *path, const char *kind) {
    if (!o->keep) return;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char dst[4096], cmd[8300];
    snprintf(dst, sizeof dst, "%s/%s-%d-%s", o->keep, kind, (int)getpid(), base);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp '%s' '%s'", o->keep, path, dst);
    if (system(cmd) != 0) return;
    printf("  kept %s; reproduce: ", dst);
    if (fuel) printf("LLVM_DIFF_FUEL=%llu ", (unsigned long long)fuel);
    printf("build/llvm-diff one%s %s\n",
           opt == TAHO_OPT_NONE ? " --opt none" : opt == TAHO_OPT_SIZE ? " --opt size" : "", dst);
}

/* The next path into sh->path; stdin is read a byte at a time, unbuffered, so a child
   that dies loses no path its successor should read. */
static bool next_path(const batch_opts *o) {
    size_t n = 0, size = sizeof sh->path;
    if (o->files) {
        if (sh->next >= o->nfiles) return false;
        snprintf(sh->path, size, "%s", o->files[sh->next++]);
        return true;
    }
    char c;
    for (;;) {
        if (read(0, &c, 1) != 1) {
            if (n) break;
            return false;
        }
        if (c == '\n') {
            if (n) break;
            continue;
        }
        if (n + 1 < size) sh->path[n++] = c;
    }
    sh->path[n] = 0;
    return true;
}

static void report(const batch_opts *o, int code, bool timeout) {
    const char *v = sh->verdict, *path = sh->path;
    if (code == PASS) printf("pass %s%s%s\n", path, *v ? " " : "", v);
    else if (code == SKIP) printf("skip %s: %s\n", path, v);
    else printf("FAIL %s: %s\n", path, *v ? v : "no verdict");
    if (code == FAIL || timeout) keep_module(o, path, timeout ? "timeout" : "fail");
    if (o->delete_) unlink(path);
    fflush(stdout);
}

static void free_variants(variant *vs) {
    for (int k = NVAR - 1; k >= 0; k--) {
        if (vs[k].trace) fclose(vs[k].trace);
        free(vs[k].buf);
        if (vs[k].store) taho_store_delete(vs[k].store);
        if (vs[k].mod) taho_module_delete(vs[k].mod);
    }
}

/* In the child: modules until the input ends (EXIT_EOF), or a failure or RECYCLE
   modules (EXIT_MORE: the parent starts a fresh child, so a module that broke the
   process's state cannot make the next ones fail). */
static void child_loop(const batch_opts *o) {
    for (int done = 0; done < RECYCLE; done++) {
        if (!next_path(o)) _exit(EXIT_EOF);
        sh->phase[0] = sh->verdict[0] = 0;
        sh->busy = 1;
        alarm(o->timeout);
        variant vs[NVAR];
        init_variants(vs);
        int r = run_module(sh->path, vs, NVAR);
        alarm(0);
        free_variants(vs);
        report(o, r, false);
        sh->busy = 0;
        if (r == FAIL) _exit(EXIT_MORE);
    }
    _exit(EXIT_MORE);
}

static int batch_run(const batch_opts *o) {
    for (int deaths = 0; deaths < 100;) {
        fflush(stdout);
        sh->busy = 0;
        pid_t pid = fork();
        if (pid < 0) return perror("fork"), 2;
        if (pid == 0) child_loop(o);
        int st;
        while (waitpid(pid, &st, 0) < 0) {}
        if (sh->busy) { /* died in a module: a timeout is a skip, anything else a failure */
            bool timeout = WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM;
            if (timeout) snprintf(sh->verdict, sizeof sh->verdict, "timeout after %us in %s", o->timeout, sh->phase);
            else if (WIFSIGNALED(st)) snprintf(sh->verdict, sizeof sh->verdict, "crashed (%s) in %s", strsignal(WTERMSIG(st)), sh->phase);
            else snprintf(sh->verdict, sizeof sh->verdict, "exited (status %d) in %s", WEXITSTATUS(st), sh->phase);
            report(o, timeout ? SKIP : FAIL, timeout);
            continue;
        }
        if (WIFEXITED(st) && WEXITSTATUS(st) == EXIT_EOF) return 0;
        if (!WIFEXITED(st) || WEXITSTATUS(st) != EXIT_MORE) deaths++;
    }
    fprintf(stderr, "llvm-diff batch: children keep dying between modules\n");
    return 2;
}

static int batch(int argc, char **argv) {
    batch_opts o = {.timeout = 30};
    int i = 0;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--timeout") && i + 1 < argc) o.timeout = (unsigned)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--keep") && i + 1 < argc) o.keep = argv[++i];
        else if (!strcmp(argv[i], "--delete")) o.delete_ = true;
        else return fprintf(stderr, "llvm-diff batch: unknown option %s\n", argv[i]), 2;
    }
    if (i < argc) o.files = argv + i, o.nfiles = argc - i;
    sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED) return perror("mmap"), 2;
    memset(sh, 0, sizeof *sh);
    make_engines();
    warm_up();
    return batch_run(&o);
}

/* ---- one module in this process ---- */

static int one(const char *path, bool all) {
    sh = &local_sh;
    make_engines();
    variant vs[NVAR];
    init_variants(vs);
    int r = run_module(path, vs, all ? NVAR : 1);
    for (int k = 0; k < (all ? NVAR : 1); k++) {
        if (!vs[k].trace) continue;
        fflush(vs[k].trace);
        if (all) printf("=== %s\n", vs[k].name);
        fwrite(vs[k].buf, 1, vs[k].len, stdout);
    }
    if (all || r != PASS) printf("%s: %s\n", r == PASS ? "pass" : r == SKIP ? "skip" : "FAIL", sh->verdict);
    return r;
}

int main(int argc, char **argv) {
    /* A module the JIT cannot compile must fail here, not quietly run on the interpreter. */
    setenv("TAHO_JIT_STRICT", "1", 1);
    if (getenv("LLVM_DIFF_FUEL")) fuel = strtoull(getenv("LLVM_DIFF_FUEL"), NULL, 10);
    int a = 1;
    const char *mode = argc > 1 ? argv[1] : "";
    if (argc > 3 && !strcmp(argv[2], "--opt")) {
        opt = !strcmp(argv[3], "none") ? TAHO_OPT_NONE : !strcmp(argv[3], "size") ? TAHO_OPT_SIZE : TAHO_OPT_SPEED;
        a = 3;
    }
    if (!strcmp(mode, "batch")) return batch(argc - a - 1, argv + a + 1);
    if (argc != a + 2) {
        fprintf(stderr, "usage: llvm-diff batch [--opt L] [--timeout S] [--keep DIR] [--delete] [FILE...]\n"
                        "       llvm-diff one [--opt L] FILE | llvm-diff interp|jit|jit-none FILE\n");
        return 2;
    }
    const char *file = argv[a + 1];
    if (!strcmp(mode, "one")) return one(file, true);
    /* A single engine's trace: make it the interpreter slot. */
    if (!strncmp(mode, "jit", 3)) {
        if (!strcmp(mode, "jit-none")) opt = TAHO_OPT_NONE;
        sh = &local_sh;
        make_engines();
        engines[0] = engines[1];
        variant vs[NVAR];
        init_variants(vs);
        int r = run_module(file, vs, 1);
        fflush(vs[0].trace);
        fwrite(vs[0].buf, 1, vs[0].len, stdout);
        if (r != PASS) printf("%s\n", sh->verdict);
        return r;
    }
    return one(file, false);
}
