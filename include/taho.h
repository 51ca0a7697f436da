/* taho.h: the public C API of the taho WebAssembly runtime.
 *
 * Handles form a chain: engine -> store -> module -> instance -> extern (func, memory,
 * table, global). Every function states who owns what it returns:
 *   "owned"    the caller must delete it with the matching *_delete;
 *   "borrowed" it lives as long as the object it came from (usually the store).
 * Three outcomes are kept apart: success (NULL error, NULL trap), an error (taho_error:
 * malformed, invalid, link, limit, ...), and a trap raised by Wasm code (taho_trap).
 * The library never prints, aborts or exits. */
#ifndef TAHO_H
#define TAHO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TAHO_API __attribute__((visibility("default")))
#define TAHO_VERSION "0.1.0"

typedef struct taho_config taho_config;
typedef struct taho_engine taho_engine;
typedef struct taho_store taho_store;
typedef struct taho_module taho_module;
typedef struct taho_instance taho_instance;
typedef struct taho_linker taho_linker;
typedef struct taho_func taho_func;
typedef struct taho_memory taho_memory;
typedef struct taho_table taho_table;
typedef struct taho_global taho_global;
typedef struct taho_error taho_error;
typedef struct taho_trap taho_trap;

/* ---- errors ---- */
typedef enum taho_error_kind {
    TAHO_ERROR_MALFORMED = 1, /* not a Wasm binary, or truncated */
    TAHO_ERROR_INVALID,       /* fails validation */
    TAHO_ERROR_LINK,          /* an import is missing or has the wrong type */
    TAHO_ERROR_TRAP,          /* instantiation trapped (start function, segments) */
    TAHO_ERROR_LIMIT,         /* a configured or implementation limit */
    TAHO_ERROR_OOM,           /* out of memory */
    TAHO_ERROR_IO,            /* file system */
    TAHO_ERROR_ARG,           /* bad argument from the caller */
} taho_error_kind;

TAHO_API taho_error_kind taho_error_kind_of(const taho_error *e);
TAHO_API const char *taho_error_message(const taho_error *e);   /* borrowed */
/* Byte offset in the module the error refers to, or -1. */
TAHO_API int64_t taho_error_offset(const taho_error *e);
TAHO_API void taho_error_delete(taho_error *e);

/* ---- traps ---- */
typedef enum taho_trap_code {
    TAHO_TRAP_UNREACHABLE = 1,
    TAHO_TRAP_MEMORY_OUT_OF_BOUNDS,
    TAHO_TRAP_INTEGER_DIVIDE_BY_ZERO,
    TAHO_TRAP_INTEGER_OVERFLOW,
    TAHO_TRAP_INVALID_CONVERSION,
    TAHO_TRAP_UNDEFINED_ELEMENT,
    TAHO_TRAP_UNINITIALIZED_ELEMENT,
    TAHO_TRAP_INDIRECT_CALL_TYPE_MISMATCH,
    TAHO_TRAP_TABLE_OUT_OF_BOUNDS,
    TAHO_TRAP_STACK_EXHAUSTED,
    TAHO_TRAP_HOST,            /* raised by a host function, with its own message */
    TAHO_TRAP_EXIT,            /* a host function asked to end the program (WASI proc_exit) */
    TAHO_TRAP_OUT_OF_FUEL,     /* "all fuel consumed": the store's fuel ran out */
    TAHO_TRAP_INTERRUPT,       /* "interrupt": the store's epoch deadline passed */
} taho_trap_code;

TAHO_API taho_trap_code taho_trap_code_of(const taho_trap *t);
/* The spec's wording: "integer divide by zero", "out of bounds memory access", ... */
TAHO_API const char *taho_trap_message(const taho_trap *t);   /* borrowed */
/* Host functions create traps to return them (owned, passed to taho). */
TAHO_API taho_trap *taho_trap_new(const char *message);
TAHO_API taho_trap *taho_trap_new_exit(int status);
TAHO_API int taho_trap_exit_status(const taho_trap *t);
/* Backtrace: frames innermost first, "func_name+0xOFFSET" style lines. */
/* A trap keeps at most this many frames (the innermost ones). */
#define TAHO_TRAP_MAX_FRAMES 32
TAHO_API size_t taho_trap_frame_count(const taho_trap *t);
TAHO_API const char *taho_trap_frame(const taho_trap *t, size_t i); /* borrowed */
TAHO_API void taho_trap_delete(taho_trap *t);

/* ---- values ---- */
typedef enum taho_valkind {
    TAHO_I32, TAHO_I64, TAHO_F32, TAHO_F64, TAHO_V128, TAHO_FUNCREF, TAHO_EXTERNREF,
} taho_valkind;

typedef struct taho_val {
    taho_valkind kind;
    union {
        int32_t i32;
        int64_t i64;
        float f32;
        double f64;
        uint8_t v128[16];
        taho_func *funcref;   /* borrowed; NULL is the null reference */
        void *externref;      /* host pointer; NULL is the null reference */
    } of;
} taho_val;

TAHO_API const char *taho_valkind_name(taho_valkind k);

/* A function type; borrowed from whatever returned it. */
typedef struct taho_functype {
    size_t nparams, nresults;
    const taho_valkind *params, *results;
} taho_functype;

/* ---- engine and configuration ---- */
TAHO_API taho_config *taho_config_new(void);                  /* owned */
TAHO_API void taho_config_delete(taho_config *c);
/* Maximum Wasm call depth before "call stack exhausted" (default 100000). */
TAHO_API void taho_config_max_call_depth(taho_config *c, uint32_t depth);
/* Which tier runs Wasm code: the interpreter (default: no compile time, always
   available) or the LLVM JIT (near-native speed; compiles each module when it is
   made, needs libtaho-llvm.so next to the executable or at $TAHO_LLVM_PLUGIN). */
typedef enum taho_engine_kind { TAHO_ENGINE_INTERP = 0, TAHO_ENGINE_JIT = 1 } taho_engine_kind;
TAHO_API void taho_config_engine(taho_config *c, taho_engine_kind k);
/* JIT optimization level (default speed: LLVM's O2). */
typedef enum taho_opt_level { TAHO_OPT_SPEED = 0, TAHO_OPT_NONE = 1, TAHO_OPT_SIZE = 2 } taho_opt_level;
TAHO_API void taho_config_opt_level(taho_config *c, taho_opt_level o);
/* Pooling allocator: up to `instances` live instances per engine (0: allocate on
   demand, the default; at most 10000), each memory at most memory_pages (0: 256 =
   16 MiB) and each table at most table_elements (0: 1000). Address space for memories
   is kept and reset with madvise for reuse, so instantiation maps nothing new.
   Instantiating past the count fails with "instance pool exhausted" (TAHO_ERROR_LIMIT),
   never waits. */
TAHO_API void taho_config_pooling(taho_config *c, uint32_t instances, uint32_t memory_pages,
                                  uint32_t table_elements);
/* Bytes of Wasm stack per store (default 64 MiB, reserved lazily: pages are touched
   only as calls use them). Running past it traps "call stack exhausted". */
TAHO_API void taho_config_max_wasm_stack(taho_config *c, size_t bytes);
/* Fuel (default off): code counts Wasm instructions against the store's fuel and traps
   "all fuel consumed" (TAHO_TRAP_OUT_OF_FUEL) when it runs out; deterministic. Stores
   start with 0 fuel. Off, code has no fuel checks at all. */
TAHO_API void taho_config_consume_fuel(taho_config *c, bool enable);
/* Epoch interruption (default off): code checks the engine's epoch at function entries
   and loop headers and traps "interrupt" (TAHO_TRAP_INTERRUPT) once it reaches the
   store's deadline. Stores start with deadline 0 (set one before calling). */
TAHO_API void taho_config_epoch_interruption(taho_config *c, bool enable);
/* Code generation for the JIT and for artifacts: "native" (default: this machine's
   CPU and all its features), or an x86-64 level: "x86-64", "x86-64-v2", "x86-64-v3",
   "x86-64-v4" (code that runs on any CPU of that level). False for other names. */
TAHO_API bool taho_config_target(taho_config *c, const char *target);
/* Compile a module's functions on all cores (default true) or on one thread. */
TAHO_API void taho_config_parallel_compilation(taho_config *c, bool enable);
/* Threads for compiling one module (0, the default: one per core; 1: no parallel
   compilation). */
TAHO_API void taho_config_compile_threads(taho_config *c, uint32_t threads);
/* On-disk cache of compiled code (default off): a directory where the JIT keeps each
   module's compiled code as an artifact, keyed by the module's sha256, taho's version,
   the target CPU features and the options, so compiling the same module again loads it
   instead (and does not load LLVM). Created if missing. NULL turns it off. */
TAHO_API void taho_config_cache_dir(taho_config *c, const char *dir);
/* Called while a module compiles, from the compiling threads (one call at a time):
   done of total functions compiled. */
typedef void (*taho_progress_fn)(void *arg, uint32_t done, uint32_t total);
TAHO_API void taho_config_compile_progress(taho_config *c, taho_progress_fn fn, void *arg);
/* Takes ownership of config (may be NULL for defaults). */
TAHO_API taho_engine *taho_engine_new(taho_config *config);   /* owned, NULL on OOM */
/* Delete after every store, module and linker made with it. */
TAHO_API void taho_engine_delete(taho_engine *e);

/* ---- modules ---- */
/* Decode and validate. On success *out is owned by the caller. */
TAHO_API taho_error *taho_module_new(taho_engine *e, const uint8_t *bytes, size_t len,
                                     taho_module **out);
/* The module in a file: a Wasm binary, or an artifact (taho compile; recognised by its
   first bytes, then loaded as by taho_module_deserialize_file). The binary is read once
   into memory the module keeps. TAHO_ERROR_IO names the file and the reason. */
TAHO_API taho_error *taho_module_from_file(taho_engine *e, const char *path,
                                           taho_module **out);
TAHO_API taho_error *taho_module_validate(taho_engine *e, const uint8_t *bytes, size_t len);
TAHO_API void taho_module_delete(taho_module *m);

/* ---- artifacts: compiled modules as files (`taho compile`) ---- */
/* The artifact of a module compiled by the JIT (engine TAHO_ENGINE_JIT): its code for
   the engine's target, with the module itself. *out is taho_bytes_free'd by the caller.
   An error for a module that has no compiled code (interpreter engine) or whose code
   came from an artifact or the cache (the artifact is its serialized form). */
TAHO_API taho_error *taho_module_serialize(const taho_module *m, uint8_t **out, size_t *len);
TAHO_API void taho_bytes_free(uint8_t *bytes);
/* A module from an artifact, its code mapped and run as it is: no compilation, no LLVM.
   The artifact is verified first (format, checksum, taho version, CPU features of this
   machine, module hash); one that does not match is refused with the reason. Artifacts
   hold native code: only load ones you (or your build) made. */
TAHO_API taho_error *taho_module_deserialize(taho_engine *e, const uint8_t *bytes, size_t len,
                                             taho_module **out);
TAHO_API taho_error *taho_module_deserialize_file(taho_engine *e, const char *path,
                                                  taho_module **out);
/* Do these bytes start like an artifact (rather than a Wasm module)? */
TAHO_API bool taho_is_artifact(const uint8_t *bytes, size_t len);

typedef enum taho_externkind {
    TAHO_EXTERN_FUNC, TAHO_EXTERN_TABLE, TAHO_EXTERN_MEMORY, TAHO_EXTERN_GLOBAL,
} taho_externkind;

/* Imports and exports of a module; strings borrowed from the module. */
typedef struct taho_importtype {
    const char *module, *name;   /* NUL-terminated */
    taho_externkind kind;
} taho_importtype;
typedef struct taho_exporttype {
    const char *name;
    taho_externkind kind;
} taho_exporttype;
TAHO_API size_t taho_module_import_count(const taho_module *m);
TAHO_API taho_importtype taho_module_import(const taho_module *m, size_t i);
TAHO_API size_t taho_module_export_count(const taho_module *m);
TAHO_API taho_exporttype taho_module_export(const taho_module *m, size_t i);

/* ---- module inspection (what `taho inspect` shows; all borrowed from the module) ---- */
typedef struct taho_limits {
    uint32_t min, max;           /* pages for memories, elements for tables */
    bool has_max;
} taho_limits;
typedef struct taho_externtype {
    taho_externkind kind;
    union {
        taho_functype func;
        struct { taho_valkind elem; taho_limits limits; } table;
        struct { taho_limits limits; } memory;
        struct { taho_valkind kind; bool mutable_; } global;
    } of;
} taho_externtype;
/* Sizes of the index spaces; each counts imports first, as the spec does. */
typedef struct taho_module_counts {
    uint32_t types, funcs, tables, memories, globals;
    uint32_t imported_funcs, imported_tables, imported_memories, imported_globals;
    uint32_t elems, datas, customs;
    bool has_start;
    uint32_t start;              /* function index, when has_start */
    size_t size;                 /* bytes of the binary */
} taho_module_counts;
TAHO_API taho_module_counts taho_module_counts_of(const taho_module *m);
TAHO_API taho_externtype taho_module_import_type(const taho_module *m, size_t i);
TAHO_API taho_externtype taho_module_export_type(const taho_module *m, size_t i);
/* The type of entity `index` of kind k (imports first); false if out of range. */
TAHO_API bool taho_module_entity_type(const taho_module *m, taho_externkind k, uint32_t index,
                                      taho_externtype *out);
/* The function's name from the name section (borrowed; *len bytes, not necessarily
   NUL-terminated), or NULL. */
TAHO_API const char *taho_module_func_name(const taho_module *m, uint32_t index, size_t *len);
/* Sections in file order. id is the binary id (0 custom, 1 type, ... 12 data count);
   name is the custom section's name or the spec's name for the id, given by length
   (custom names need not be NUL-terminated); offset is that of the section's first
   content byte in the binary, size its content length. */
typedef struct taho_section {
    uint8_t id;
    const char *name;
    size_t name_len;
    size_t offset, size;
} taho_section;
TAHO_API size_t taho_module_section_count(const taho_module *m);
TAHO_API taho_section taho_module_section(const taho_module *m, size_t i);

/* ---- stores ---- */
/* A store owns every instance, function, memory, table and global made in it. One
   thread at a time. */
TAHO_API taho_store *taho_store_new(taho_engine *e);          /* owned */
TAHO_API void taho_store_delete(taho_store *s);
/* Limits on what is made in s (negative: none): bytes per memory, elements per table,
   live instances. memory.grow / table.grow past one return -1; instantiating past
   one fails with TAHO_ERROR_LIMIT. Applies to objects made afterwards. */
TAHO_API void taho_store_limits(taho_store *s, int64_t memory_size, int64_t table_elements,
                                int64_t instances);
/* Fuel (taho_config_consume_fuel; an error otherwise). */
TAHO_API taho_error *taho_store_set_fuel(taho_store *s, uint64_t fuel);
TAHO_API taho_error *taho_store_get_fuel(const taho_store *s, uint64_t *fuel);
/* Epochs (taho_config_epoch_interruption): code in s traps "interrupt" once the
   engine's epoch reaches its current value + ticks. The store stays usable: set a new
   deadline and call again. */
TAHO_API void taho_store_set_epoch_deadline(taho_store *s, uint64_t ticks_beyond_current);
/* Any thread, at any time (e.g. a timer thread): one atomic increment. */
TAHO_API void taho_engine_increment_epoch(taho_engine *e);

/* ---- externs ---- */
typedef struct taho_extern {
    taho_externkind kind;
    union {
        taho_func *func;
        taho_table *table;
        taho_memory *memory;
        taho_global *global;
    } of;   /* borrowed from the store */
} taho_extern;

/* ---- host functions ---- */
typedef struct taho_caller taho_caller;
/* The memory export named "memory" of the calling instance, or NULL (borrowed). */
TAHO_API taho_memory *taho_caller_memory(taho_caller *c);
/* Return NULL on success, or an owned trap. */
typedef taho_trap *(*taho_callback)(void *env, taho_caller *caller, const taho_val *args,
                                    size_t nargs, taho_val *results, size_t nresults);
TAHO_API taho_func *taho_func_new(taho_store *s, const taho_functype *type,
                                  taho_callback cb, void *env);   /* borrowed */

/* ---- calling ---- */
TAHO_API taho_functype taho_func_type(const taho_func *f);
/* Call f. Returns an error for bad arguments (count or kinds); a trap goes to *trap
   (owned) and the call returns NULL. results must hold the function's result count. */
TAHO_API taho_error *taho_func_call(taho_store *s, taho_func *f, const taho_val *args,
                                    size_t nargs, taho_val *results, size_t nresults,
                                    taho_trap **trap);

/* ---- memories, tables, globals ---- */
TAHO_API taho_memory *taho_memory_new(taho_store *s, uint32_t min_pages, uint32_t max_pages,
                                      bool has_max);              /* borrowed; NULL on failure */
TAHO_API uint8_t *taho_memory_data(const taho_memory *m);         /* valid until grow */
TAHO_API size_t taho_memory_size(const taho_memory *m);           /* bytes */
/* Grow by delta pages; returns the old size in pages, or -1. */
TAHO_API int64_t taho_memory_grow(taho_memory *m, uint32_t delta);

TAHO_API taho_table *taho_table_new(taho_store *s, taho_valkind elem, uint32_t min,
                                    uint32_t max, bool has_max, taho_val init);
TAHO_API uint32_t taho_table_size(const taho_table *t);
TAHO_API bool taho_table_get(const taho_table *t, uint32_t i, taho_val *out);
TAHO_API bool taho_table_set(taho_table *t, uint32_t i, taho_val v);
TAHO_API int64_t taho_table_grow(taho_table *t, uint32_t delta, taho_val init);

TAHO_API taho_global *taho_global_new(taho_store *s, taho_val v, bool mutable_);
TAHO_API taho_val taho_global_get(const taho_global *g);
TAHO_API bool taho_global_set(taho_global *g, taho_val v); /* false if immutable or wrong kind */

/* ---- linking and instances ---- */
TAHO_API taho_linker *taho_linker_new(taho_engine *e);        /* owned */
TAHO_API void taho_linker_delete(taho_linker *l);
/* Define module.name as ext (the extern stays owned by its store). Redefinition replaces. */
TAHO_API taho_error *taho_linker_define(taho_linker *l, const char *module, const char *name,
                                        taho_extern ext);
/* Define module.name as a host function for every store: each instantiation that
   imports it makes the function in its own store, so the linker can be made once and
   used with any number of stores. env is borrowed; finalizer (may be NULL) runs on it
   once the linker and every store that instantiated with it are deleted. */
TAHO_API taho_error *taho_linker_define_func(taho_linker *l, const char *module,
                                             const char *name, const taho_functype *type,
                                             taho_callback cb, void *env,
                                             void (*finalizer)(void *env));
/* Define every export of inst under module name `module` (spec `register`). */
TAHO_API taho_error *taho_linker_define_instance(taho_linker *l, taho_store *s,
                                                 const char *module, taho_instance *inst);
/* Resolve imports, allocate, run segments and the start function. A trap during
   instantiation is an error of kind TAHO_ERROR_TRAP; *trap also receives it when trap is
   not NULL. On success *out is borrowed from the store. */
TAHO_API taho_error *taho_linker_instantiate(taho_linker *l, taho_store *s,
                                             const taho_module *m, taho_instance **out,
                                             taho_trap **trap);
/* Look up an export; false if there is none by that name. */
TAHO_API bool taho_instance_export(taho_instance *inst, const char *name, taho_extern *out);
/* The same for names given by length (export names may contain NUL bytes). */
TAHO_API bool taho_instance_export_n(taho_instance *inst, const char *name, size_t len,
                                     taho_extern *out);

/* ---- WASI preview1 (wasi_snapshot_preview1) ----
   A guest gets nothing by default: every argument, environment variable, directory,
   socket and stdio stream is granted here explicitly. */
typedef struct taho_wasi_config taho_wasi_config;
TAHO_API taho_wasi_config *taho_wasi_config_new(void);            /* owned; NULL on OOM */
TAHO_API void taho_wasi_config_delete(taho_wasi_config *c);
/* argv[0] is the program name the guest sees. Strings are copied. */
TAHO_API taho_error *taho_wasi_config_set_args(taho_wasi_config *c, size_t argc,
                                               const char *const *argv);
TAHO_API taho_error *taho_wasi_config_set_env(taho_wasi_config *c, const char *name,
                                              const char *value);
/* Grant the host's whole environment (wasmtime's --inherit-env). */
TAHO_API taho_error *taho_wasi_config_inherit_env(taho_wasi_config *c);
/* Grant the host's stdin, stdout, stderr as fds 0, 1, 2 (otherwise they are closed:
   reads see end of file, writes are discarded). */
TAHO_API void taho_wasi_config_inherit_stdio(taho_wasi_config *c);
typedef enum taho_dir_perms {
    TAHO_DIR_READ = 1,        /* open, read, list, stat */
    TAHO_DIR_WRITE = 2,       /* create, write, rename, unlink, set times */
} taho_dir_perms;
/* Preopen host_path as guest_path with the given permissions (TAHO_DIR_READ |
   TAHO_DIR_WRITE for read-write). Nothing outside host_path is reachable through it. */
TAHO_API taho_error *taho_wasi_config_preopen_dir(taho_wasi_config *c, const char *host_path,
                                                  const char *guest_path, int perms);
/* Preopen a TCP listening socket bound to addr ("127.0.0.1:8080", "[::1]:0"). */
TAHO_API taho_error *taho_wasi_config_preopen_listen(taho_wasi_config *c, const char *addr);
/* Define the wasi_snapshot_preview1 imports in l; each instance made with l uses the
   WASI context of the store it is made in. With s and c: first give s the capabilities
   of c (as taho_store_set_wasi). With both NULL: define only, once for any number of
   stores (a linker made once, a store per request, each with its own context, as in
   wasmtime). Instantiating a WASI module in a store without a context is a link error.
   proc_exit ends the call with a TAHO_TRAP_EXIT trap carrying the status. */
TAHO_API taho_error *taho_linker_define_wasi(taho_linker *l, taho_store *s,
                                             taho_wasi_config *c);
/* Give s the WASI capabilities of c (c is taken over by the store, also on error: do not
   delete it afterwards). Instances made earlier keep the context they were made with. */
TAHO_API taho_error *taho_store_set_wasi(taho_store *s, taho_wasi_config *c);

#ifdef __cplusplus
}
#endif
#endif
