/* emit: the plugin's entry (llc_plugin): translate a module's functions in partitions,
   optimize each with LLVM's pass pipeline for the target CPU, and emit each as a
   relocatable ELF object. Partitions are compiled on parallel threads, each with its own
   LLVM context and target machine; src/artifact links the objects into one image. */
#include <llvm-c/Analysis.h>
#include <llvm-c/Support.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "llc.h"

/* A partition smaller than this many bytes of Wasm code is not worth a thread of its
   own; functions in one partition can be inlined into each other, across partitions
   they cannot. */
#define PART_MIN_CODE (48u << 10)
#define MAX_THREADS 64u

/* x86's cmov converter turns a `cmov` whose source is a folded load into a branch
   around that load, even a volatile one: an out-of-bounds load whose value a `select`
   does not pick then never runs, and never traps (tests/llvm/regress.wast
   "sel-load"; diff-findings.md 4). A cmov with a memory operand always reads it. */
static const char *const llvm_options[] = {"taho", "-x86-cmov-converter=false"};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void init_llvm(void) {
    LLVMInitializeNativeTarget();
    LLVMInitializeNativeAsmPrinter();
    LLVMParseCommandLineOptions(2, llvm_options, NULL);
}

/* ---- target machine ---- */

static LLVMCodeGenOptLevel codegen_level(rt_opt_level o) {
    return o == RT_OPT_NONE ? LLVMCodeGenLevelNone : LLVMCodeGenLevelDefault;
}

/* o->cpu and o->features name the target; either may be NULL for this machine's. */
static LLVMTargetMachineRef make_tm(const rt_tier_opts *o, tb_error *err) {
    char *triple = LLVMGetDefaultTargetTriple();
    char *cpu = o->cpu ? NULL : LLVMGetHostCPUName();
    char *features = o->features ? NULL : LLVMGetHostCPUFeatures();
    LLVMTargetRef target;
    char *msg = NULL;
    LLVMTargetMachineRef tm = NULL;
    if (LLVMGetTargetFromTriple(triple, &target, &msg) == 0)
        tm = LLVMCreateTargetMachine(target, triple, o->cpu ? o->cpu : cpu,
                                     o->features ? o->features : features,
                                     codegen_level(o->opt), LLVMRelocPIC, LLVMCodeModelSmall);
    else
        tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET, "compile: %s", msg);
    LLVMDisposeMessage(msg);
    LLVMDisposeMessage(triple);
    if (cpu) LLVMDisposeMessage(cpu);
    if (features) LLVMDisposeMessage(features);
    return tm;
}

/* ---- one partition ---- */

static void mod_init(llc_mod *M, LLVMContextRef ctx, const tw_module *m) {
    memset(M, 0, sizeof *M);
    M->ctx = ctx;
    M->m = m;
    snprintf(M->prefix, sizeof M->prefix, "t"); /* tf<i>, te<i> (artifact.h) */
    M->mod = LLVMModuleCreateWithNameInContext("taho", ctx);
    M->b = LLVMCreateBuilderInContext(ctx);
    M->i1 = LLVMInt1TypeInContext(ctx);
    M->i8 = LLVMInt8TypeInContext(ctx);
    M->i16 = LLVMInt16TypeInContext(ctx);
    M->i32 = LLVMInt32TypeInContext(ctx);
    M->i64 = LLVMInt64TypeInContext(ctx);
    M->f32 = LLVMFloatTypeInContext(ctx);
    M->f64 = LLVMDoubleTypeInContext(ctx);
    M->ptr = LLVMPointerTypeInContext(ctx, 0);
    M->voidt = LLVMVoidTypeInContext(ctx);
    M->v128 = LLVMVectorType(M->i64, 2);
}

static void mod_done(llc_mod *M) {
    if (M->b) LLVMDisposeBuilder(M->b);
    tb_free(M->fn_types);
    tb_free(M->fns);
    tb_free(M->entries);
}

/* Every function is hidden: calls between partitions are direct PC-relative calls the
   artifact linker resolves, never through a GOT. Every function keeps a frame pointer:
   traps walk them for backtraces (src/runtime/tier_trace.c). */
static void set_attributes(llc_mod *M) {
    uint32_t n = M->m->nfuncs - M->m->nimported_funcs;
    LLVMAttributeRef fp = LLVMCreateStringAttribute(M->ctx, "frame-pointer", 13, "all", 3);
    for (uint32_t i = 0; i < n; i++) {
        LLVMSetVisibility(M->fns[i], LLVMHiddenVisibility);
        LLVMSetVisibility(M->entries[i], LLVMHiddenVisibility);
        LLVMAddAttributeAtIndex(M->fns[i], LLVMAttributeFunctionIndex, fp);
        LLVMAddAttributeAtIndex(M->entries[i], LLVMAttributeFunctionIndex, fp);
    }
}

/* An entry calls its function without inlining it: a trap inside then has the
   function's own frame, which backtraces name (an entry has no name of its own). */
static void keep_entry_calls(llc_mod *M, uint32_t i) {
    LLVMAttributeRef noinline =
        LLVMCreateEnumAttribute(M->ctx, LLVMGetEnumAttributeKindForName("noinline", 8), 0);
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(M->entries[i]); bb;
         bb = LLVMGetNextBasicBlock(bb))
        for (LLVMValueRef in = LLVMGetFirstInstruction(bb); in; in = LLVMGetNextInstruction(in))
            if (LLVMIsACallInst(in) && LLVMGetCalledValue(in) == M->fns[i])
                LLVMAddCallSiteAttribute(in, LLVMAttributeFunctionIndex, noinline);
}

static bool translate(llc_mod *M, uint32_t first, uint32_t end, tb_error *err) {
    if (!llc_declare(M, err)) return false;
    set_attributes(M);
    uint32_t base = M->m->nimported_funcs;
    for (uint32_t i = first; i < end; i++) {
        if (!llc_func(M, base + i, err)) return false;
        llc_entry(M, base + i);
        keep_entry_calls(M, i);
    }
    const char *dump = getenv("TAHO_JIT_DUMP"); /* debugging: the IR before optimization */
    if (dump && *dump && first == 0) LLVMPrintModuleToFile(M->mod, dump, NULL);
    char *msg = NULL;
    if (getenv("TAHO_JIT_VERIFY") && LLVMVerifyModule(M->mod, LLVMReturnStatusAction, &msg)) {
        tb_fail(err, TB_ERR_INVALID, TB_NO_OFFSET, "compile: internal error: %.200s", msg);
        LLVMDisposeMessage(msg);
        return false;
    }
    LLVMDisposeMessage(msg);
    return true;
}

static const char *pipeline(rt_opt_level o) {
    switch (o) {
    case RT_OPT_NONE: return "function(mem2reg,simplifycfg)";
    case RT_OPT_SIZE: return "default<Os>";
    default: return "default<O2>";
    }
}

static bool llvm_ok(LLVMErrorRef e, tb_error *err) {
    if (!e) return true;
    char *msg = LLVMGetErrorMessage(e);
    tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET, "compile: %s", msg);
    LLVMDisposeErrorMessage(msg);
    return false;
}

static bool optimize(llc_mod *M, LLVMTargetMachineRef tm, rt_opt_level o, tb_error *err) {
    char *triple = LLVMGetTargetMachineTriple(tm);
    LLVMSetTarget(M->mod, triple);
    LLVMDisposeMessage(triple);
    LLVMTargetDataRef dl = LLVMCreateTargetDataLayout(tm);
    LLVMSetModuleDataLayout(M->mod, dl);
    LLVMDisposeTargetData(dl);
    LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
    LLVMErrorRef e = LLVMRunPasses(M->mod, pipeline(o), tm, po);
    LLVMDisposePassBuilderOptions(po);
    return llvm_ok(e, err);
}

static bool emit_object(llc_mod *M, LLVMTargetMachineRef tm, uint8_t **out, size_t *len,
                        tb_error *err) {
    char *msg = NULL;
    LLVMMemoryBufferRef buf;
    if (LLVMTargetMachineEmitToMemoryBuffer(tm, M->mod, LLVMObjectFile, &msg, &buf)) {
        tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET, "compile: %s", msg ? msg : "emit failed");
        LLVMDisposeMessage(msg);
        return false;
    }
    *len = LLVMGetBufferSize(buf);
    *out = malloc(*len ? *len : 1); /* plain malloc: the core frees it (rt_tier_objs_free) */
    if (*out) memcpy(*out, LLVMGetBufferStart(buf), *len);
    LLVMDisposeMemoryBuffer(buf);
    return *out || tb_oom(err);
}

typedef struct part {
    uint32_t first, end;          /* defined functions [first, end) */
    uint8_t *obj;
    size_t len;
    bool ok;
    tb_error err;
} part;

static bool compile_part(const tw_module *m, const rt_tier_opts *o, part *P) {
    LLVMTargetMachineRef tm = make_tm(o, &P->err);
    if (!tm) return false;
    LLVMContextRef ctx = LLVMContextCreate();
    llc_mod M;
    mod_init(&M, ctx, m);
    M.checks = o->checks;
    bool ok = translate(&M, P->first, P->end, &P->err) && optimize(&M, tm, o->opt, &P->err) &&
              emit_object(&M, tm, &P->obj, &P->len, &P->err);
    LLVMDisposeModule(M.mod);
    mod_done(&M);
    LLVMContextDispose(ctx);
    LLVMDisposeTargetMachine(tm);
    return ok;
}

/* ---- partitions and threads ---- */

typedef struct job {
    const tw_module *m;
    const rt_tier_opts *o;
    part *parts;
    uint32_t nparts;
    _Atomic uint32_t next;
    uint32_t done_funcs, total_funcs;
    pthread_mutex_t lock;         /* progress calls, one at a time */
} job;

static void *worker(void *arg) {
    job *J = arg;
    for (;;) {
        uint32_t i = atomic_fetch_add(&J->next, 1);
        if (i >= J->nparts) return NULL;
        part *P = &J->parts[i];
        P->ok = compile_part(J->m, J->o, P);
        pthread_mutex_lock(&J->lock);
        J->done_funcs += P->end - P->first;
        if (J->o->progress) J->o->progress(J->o->progress_arg, J->done_funcs, J->total_funcs);
        pthread_mutex_unlock(&J->lock);
    }
}

static uint32_t thread_count(const rt_tier_opts *o) {
    long n = o->threads ? (long)o->threads : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    return n > (long)MAX_THREADS ? MAX_THREADS : (uint32_t)n;
}

/* Contiguous runs of functions (neighbours in a module usually come from one source
   file and call each other) of about equal code size: one per thread, fewer when the
   module is small, and several per thread for large modules (so progress moves and
   threads finish together). */
static uint32_t plan(const tw_module *m, uint32_t threads, part *parts) {
    uint32_t n = m->nfuncs - m->nimported_funcs;
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; i++) total += m->funcs[i].code_len;
    uint64_t want = total / PART_MIN_CODE;
    if (want > 4ull * threads) want = 4ull * threads;
    if (want > n) want = n;
    if (want < 1) want = 1;
    uint64_t per = (total + want - 1) / want, acc = 0;
    uint32_t np = 0;
    parts[0].first = 0;
    for (uint32_t i = 0; i < n; i++) {
        acc += m->funcs[i].code_len;
        if (acc >= per && np + 1 < want && i + 1 < n) {
            parts[np].end = i + 1;
            parts[++np].first = i + 1;
            acc = 0;
        }
    }
    parts[np].end = n;
    return np + 1;
}

static void objs_free(rt_tier_objs *out) {
    for (uint32_t i = 0; i < out->n; i++) free(out->bytes[i]);
    free(out->bytes);
    free(out->lens);
    memset(out, 0, sizeof *out);
}

static bool collect(job *J, rt_tier_objs *out, tb_error *err) {
    for (uint32_t i = 0; i < J->nparts; i++)
        if (!J->parts[i].ok) {
            *err = J->parts[i].err;
            return false;
        }
    out->bytes = calloc(J->nparts, sizeof *out->bytes);
    out->lens = calloc(J->nparts, sizeof *out->lens);
    if (!out->bytes || !out->lens) return tb_oom(err);
    for (uint32_t i = 0; i < J->nparts; i++) {
        out->bytes[i] = J->parts[i].obj;
        out->lens[i] = J->parts[i].len;
        J->parts[i].obj = NULL;
    }
    out->n = J->nparts;
    return true;
}

static bool run_job(job *J, uint32_t threads, rt_tier_objs *out, tb_error *err) {
    pthread_t tids[MAX_THREADS];
    uint32_t started = 0;
    for (uint32_t t = 1; t < threads && t < J->nparts; t++, started++)
        if (pthread_create(&tids[started], NULL, worker, J)) break;
    worker(J);
    for (uint32_t t = 0; t < started; t++) pthread_join(tids[t], NULL);
    return collect(J, out, err);
}

static bool llc_emit(const tw_module *m, const rt_tier_opts *o, rt_tier_objs *out,
                     tb_error *err) {
    memset(out, 0, sizeof *out);
    pthread_once(&init_once, init_llvm);
    uint32_t threads = thread_count(o);
    uint32_t n = m->nfuncs - m->nimported_funcs;
    part *parts = tb_calloc(4 * threads + 1, sizeof *parts);
    if (!parts) return tb_oom(err);
    job J = {.m = m, .o = o, .parts = parts, .total_funcs = n};
    J.nparts = plan(m, threads, parts);
    pthread_mutex_init(&J.lock, NULL);
    bool ok = run_job(&J, threads, out, err);
    pthread_mutex_destroy(&J.lock);
    for (uint32_t i = 0; i < J.nparts; i++) free(parts[i].obj);
    tb_free(parts);
    if (!ok) objs_free(out);
    return ok;
}

__attribute__((visibility("default"))) const rt_tier_plugin llc_plugin = {
    .abi = RT_TIER_ABI,
    .emit = llc_emit,
};
