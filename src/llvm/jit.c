/* jit: the plugin's entry (llc_plugin): translate a module, optimize it with LLVM's
   pass pipeline for the host CPU, and load it with ORC LLJIT. */
#include <llvm-c/Analysis.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include "llc.h"

/* One LLJIT per optimization level (its target machine carries the codegen level). */
typedef struct llc_jit {
    LLVMOrcLLJITRef jit;
    LLVMTargetMachineRef pass_tm;
} llc_jit;

static pthread_mutex_t jit_lock = PTHREAD_MUTEX_INITIALIZER;
static llc_jit jits[3];
static _Atomic uint32_t module_counter;

typedef struct llc_loaded {
    rt_native n;
    LLVMOrcResourceTrackerRef rt;
    llc_jit *jit;
} llc_loaded;

static LLVMCodeGenOptLevel codegen_level(rt_opt_level o) {
    return o == RT_OPT_NONE ? LLVMCodeGenLevelNone : LLVMCodeGenLevelDefault;
}

static LLVMTargetMachineRef host_tm(rt_opt_level o, tb_error *err) {
    char *triple = LLVMGetDefaultTargetTriple();
    char *cpu = LLVMGetHostCPUName(), *features = LLVMGetHostCPUFeatures();
    LLVMTargetRef target;
    char *msg = NULL;
    LLVMTargetMachineRef tm = NULL;
    if (LLVMGetTargetFromTriple(triple, &target, &msg) == 0)
        tm = LLVMCreateTargetMachine(target, triple, cpu, features, codegen_level(o),
                                     LLVMRelocPIC, LLVMCodeModelJITDefault);
    else
        tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET, "jit: %s", msg);
    LLVMDisposeMessage(msg);
    LLVMDisposeMessage(triple);
    LLVMDisposeMessage(cpu);
    LLVMDisposeMessage(features);
    return tm;
}

static bool orc_ok(LLVMErrorRef e, tb_error *err) {
    if (!e) return true;
    char *msg = LLVMGetErrorMessage(e);
    tb_fail(err, TB_ERR_LIMIT, TB_NO_OFFSET, "jit: %s", msg);
    LLVMDisposeErrorMessage(msg);
    return false;
}

static llc_jit *get_jit(rt_opt_level o, tb_error *err) {
    llc_jit *j = &jits[o];
    if (j->jit) return j;
    LLVMInitializeNativeTarget();
    LLVMInitializeNativeAsmPrinter();
    LLVMTargetMachineRef tm = host_tm(o, err);
    if (!tm || !(j->pass_tm = host_tm(o, err))) return NULL;
    LLVMOrcLLJITBuilderRef builder = LLVMOrcCreateLLJITBuilder();
    LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(
        builder, LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(tm));
    if (!orc_ok(LLVMOrcCreateLLJIT(&j->jit, builder), err)) return NULL;
    LLVMOrcDefinitionGeneratorRef gen;
    if (!orc_ok(LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(
                    &gen, LLVMOrcLLJITGetGlobalPrefix(j->jit), NULL, NULL), err))
        return NULL;
    LLVMOrcJITDylibAddGenerator(LLVMOrcLLJITGetMainJITDylib(j->jit), gen);
    return j;
}

static void mod_init(llc_mod *M, LLVMContextRef ctx, const tw_module *m) {
    memset(M, 0, sizeof *M);
    M->ctx = ctx;
    M->m = m;
    snprintf(M->prefix, sizeof M->prefix, "taho%u_", atomic_fetch_add(&module_counter, 1));
    M->mod = LLVMModuleCreateWithNameInContext(M->prefix, ctx);
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
    LLVMDisposeBuilder(M->b);
    tb_free(M->fn_types);
    tb_free(M->fns);
    tb_free(M->entries);
}

static bool translate(llc_mod *M, tb_error *err) {
    if (!llc_declare(M, err)) return false;
    const tw_module *m = M->m;
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
        if (!llc_func(M, i, err)) return false;
        llc_entry(M, i);
    }
    char *msg = NULL;
    const char *dump = getenv("TAHO_JIT_DUMP"); /* debugging: the IR before optimization */
    if (dump && *dump) LLVMPrintModuleToFile(M->mod, dump, NULL);
    if (getenv("TAHO_JIT_VERIFY") && LLVMVerifyModule(M->mod, LLVMReturnStatusAction, &msg)) {
        tb_fail(err, TB_ERR_INVALID, TB_NO_OFFSET, "jit: internal error: %.200s", msg);
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

static bool optimize(llc_mod *M, llc_jit *j, rt_opt_level o, tb_error *err) {
    char *triple = LLVMGetTargetMachineTriple(j->pass_tm);
    LLVMSetTarget(M->mod, triple);
    LLVMDisposeMessage(triple);
    LLVMTargetDataRef dl = LLVMCreateTargetDataLayout(j->pass_tm);
    LLVMSetModuleDataLayout(M->mod, dl);
    LLVMDisposeTargetData(dl);
    LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
    LLVMErrorRef e = LLVMRunPasses(M->mod, pipeline(o), j->pass_tm, po);
    LLVMDisposePassBuilderOptions(po);
    return orc_ok(e, err);
}

static bool lookup_all(llc_mod *M, llc_loaded *L, tb_error *err) {
    uint32_t n = L->n.nfuncs;
    char name[64];
    for (uint32_t i = 0; i < n; i++) {
        LLVMOrcExecutorAddress a;
        snprintf(name, sizeof name, "%sf%u", M->prefix, i);
        if (!orc_ok(LLVMOrcLLJITLookup(L->jit->jit, &a, name), err)) return false;
        L->n.fns[i] = (void *)(uintptr_t)a;
        snprintf(name, sizeof name, "%se%u", M->prefix, i);
        if (!orc_ok(LLVMOrcLLJITLookup(L->jit->jit, &a, name), err)) return false;
        L->n.entries[i] = (rt_host_fn)(uintptr_t)a;
    }
    return true;
}

static void llc_free(rt_native *n) {
    if (!n) return;
    llc_loaded *L = (llc_loaded *)n;
    if (L->rt) {
        pthread_mutex_lock(&jit_lock);
        LLVMOrcResourceTrackerRemove(L->rt);
        LLVMOrcReleaseResourceTracker(L->rt);
        pthread_mutex_unlock(&jit_lock);
    }
    tb_free(L->n.fns);
    tb_free(L->n.entries);
    tb_free(L);
}

static bool compile_locked(const tw_module *m, rt_opt_level o, llc_loaded *L, tb_error *err) {
    llc_jit *j = get_jit(o, err);
    if (!j) return false;
    L->jit = j;
    LLVMOrcThreadSafeContextRef tsc = LLVMOrcCreateNewThreadSafeContext();
    llc_mod M;
    mod_init(&M, LLVMOrcThreadSafeContextGetContext(tsc), m);
    bool ok = translate(&M, err) && optimize(&M, j, o, err);
    if (!ok) {
        LLVMDisposeModule(M.mod);
        mod_done(&M);
        LLVMOrcDisposeThreadSafeContext(tsc);
        return false;
    }
    LLVMOrcThreadSafeModuleRef tsm = LLVMOrcCreateNewThreadSafeModule(M.mod, tsc);
    LLVMOrcDisposeThreadSafeContext(tsc);
    LLVMOrcJITDylibRef jd = LLVMOrcLLJITGetMainJITDylib(j->jit);
    L->rt = LLVMOrcJITDylibCreateResourceTracker(jd);
    ok = orc_ok(LLVMOrcLLJITAddLLVMIRModuleWithRT(j->jit, L->rt, tsm), err) &&
         lookup_all(&M, L, err);
    mod_done(&M);
    return ok;
}

static bool llc_compile(const tw_module *m, const rt_tier_opts *o, rt_native **out,
                        tb_error *err) {
    *out = NULL;
    if (!llc_supported(m, err)) return false;
    llc_loaded *L = tb_calloc(1, sizeof *L);
    if (!L) return tb_oom(err);
    L->n.nfuncs = m->nfuncs - m->nimported_funcs;
    L->n.fns = tb_calloc(L->n.nfuncs + 1, sizeof *L->n.fns);
    L->n.entries = tb_calloc(L->n.nfuncs + 1, sizeof *L->n.entries);
    L->n.priv = L;
    rt_opt_level lvl = o && o->opt <= RT_OPT_SIZE ? o->opt : RT_OPT_SPEED;
    bool ok = L->n.fns && L->n.entries;
    if (!ok) tb_oom(err);
    if (ok) {
        pthread_mutex_lock(&jit_lock);
        ok = compile_locked(m, lvl, L, err);
        pthread_mutex_unlock(&jit_lock);
    }
    if (!ok) {
        /* TAHO_JIT_STRICT (tests): no interpreter fallback, so a run shows what compiles. */
        if (err->kind == TB_ERR_LIMIT && getenv("TAHO_JIT_STRICT")) err->kind = TB_ERR_LINK;
        llc_free(&L->n);
        return false;
    }
    *out = &L->n;
    return true;
}

__attribute__((visibility("default"))) const rt_tier_plugin llc_plugin = {
    .abi = RT_TIER_ABI,
    .compile = llc_compile,
    .free = llc_free,
};
