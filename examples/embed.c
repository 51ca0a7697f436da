/* embed: how to run WebAssembly from C with taho. Copy it and change what you need.
 *
 *   embed FILE.wasm [FUNC [ARG...]]      e.g.  embed build/examples/fib.wasm fib 20
 *
 * Loads a module, offers it one host function ("env" "print_i32"), instantiates it,
 * calls the export FUNC (default "fib") with integer/float arguments and prints the
 * results. Errors (bad module, missing import) and traps are values: each is printed
 * and turned into an exit status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "taho.h"

/* A host function: Wasm may import it as (import "env" "print_i32" (func (param i32))).
   Returning a trap (taho_trap_new) would stop the Wasm code that called it. */
static taho_trap *print_i32(void *env, taho_caller *caller, const taho_val *args,
                            size_t nargs, taho_val *results, size_t nresults) {
    (void)env, (void)caller, (void)nargs, (void)results, (void)nresults;
    printf("wasm says: %d\n", args[0].of.i32);
    return NULL;
}

/* Fails (returns 1) after printing, and frees the error. */
static int report(const char *what, taho_error *err) {
    fprintf(stderr, "%s: %s", what, taho_error_message(err));
    if (taho_error_offset(err) >= 0) fprintf(stderr, " (at byte %lld)", (long long)taho_error_offset(err));
    fprintf(stderr, "\n");
    taho_error_delete(err);
    return 1;
}

static int report_trap(taho_trap *trap) {
    int status = 1;
    if (taho_trap_code_of(trap) == TAHO_TRAP_EXIT) {
        status = taho_trap_exit_status(trap);     /* the program called exit */
    } else {
        fprintf(stderr, "trap: %s\n", taho_trap_message(trap));
        for (size_t i = 0; i < taho_trap_frame_count(trap); i++)
            fprintf(stderr, "    at %s\n", taho_trap_frame(trap, i));
    }
    taho_trap_delete(trap);
    return status;
}

static taho_val parse_arg(taho_valkind kind, const char *s) {
    taho_val v = {.kind = kind};
    switch (kind) {
    case TAHO_I32: v.of.i32 = (int32_t)strtol(s, NULL, 0); break;
    case TAHO_I64: v.of.i64 = strtoll(s, NULL, 0); break;
    case TAHO_F32: v.of.f32 = strtof(s, NULL); break;
    case TAHO_F64: v.of.f64 = strtod(s, NULL); break;
    default: break; /* v128 and references: not from the command line */
    }
    return v;
}

static void print_val(const taho_val *v) {
    switch (v->kind) {
    case TAHO_I32: printf("%d", v->of.i32); break;
    case TAHO_I64: printf("%lld", (long long)v->of.i64); break;
    case TAHO_F32: printf("%g", v->of.f32); break;
    case TAHO_F64: printf("%g", v->of.f64); break;
    default: printf("<%s>", taho_valkind_name(v->kind)); break;
    }
}

/* Call export `name` with string arguments; prints the results. */
static int call_export(taho_store *store, taho_instance *inst, const char *name, int argc,
                       char **argv) {
    taho_extern ext;
    if (!taho_instance_export(inst, name, &ext) || ext.kind != TAHO_EXTERN_FUNC) {
        fprintf(stderr, "no exported function named %s\n", name);
        return 1;
    }
    taho_functype type = taho_func_type(ext.of.func);
    if ((size_t)argc != type.nparams) {
        fprintf(stderr, "%s takes %zu arguments\n", name, type.nparams);
        return 1;
    }
    taho_val args[16], results[16];
    if (type.nparams > 16 || type.nresults > 16) return 1;
    for (int i = 0; i < argc; i++) args[i] = parse_arg(type.params[i], argv[i]);

    taho_trap *trap = NULL;
    taho_error *err = taho_func_call(store, ext.of.func, args, type.nparams, results,
                                     type.nresults, &trap);
    if (err) return report("call", err);
    if (trap) return report_trap(trap);
    for (size_t i = 0; i < type.nresults; i++) {
        print_val(&results[i]);
        printf(i + 1 < type.nresults ? " " : "\n");
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE.wasm [FUNC [ARG...]]\n", argv[0]);
        return 2;
    }
    /* engine (shared, thread-safe) -> module (decoded and validated once) -> store
       (owns instances and their memories) -> linker (names for imports) -> instance.
       taho_module_from_file reads the file (a missing one is an error value too);
       taho_module_new does the same from bytes in memory. */
    taho_engine *engine = taho_engine_new(NULL);
    taho_module *module = NULL;
    taho_error *err = taho_module_from_file(engine, argv[1], &module);
    int status = 1;
    taho_store *store = taho_store_new(engine);
    taho_linker *linker = taho_linker_new(engine);
    if (err) { status = report(argv[1], err); goto out; }

    static const taho_valkind i32[] = {TAHO_I32};
    taho_functype print_type = {1, 0, i32, NULL};
    taho_func *print = taho_func_new(store, &print_type, print_i32, NULL);
    err = taho_linker_define(linker, "env", "print_i32",
                             (taho_extern){TAHO_EXTERN_FUNC, .of.func = print});
    if (err) { status = report("define", err); goto out; }

    taho_instance *inst = NULL;
    taho_trap *trap = NULL;
    err = taho_linker_instantiate(linker, store, module, &inst, &trap);
    if (err) {
        if (trap) taho_trap_delete(trap); /* the error already carries its message */
        status = report("instantiate", err);
        goto out;
    }
    status = call_export(store, inst, argc > 2 ? argv[2] : "fib", argc > 3 ? argc - 3 : 0,
                         argv + 3);
out:
    taho_linker_delete(linker);
    taho_store_delete(store);       /* frees the instance, its memory and functions */
    taho_module_delete(module);
    taho_engine_delete(engine);
    return status;
}
