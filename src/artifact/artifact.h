/* artifact: compiled code as a file and as an image (DESIGN.md "AOT artifact"): link the
   relocatable ELF objects the LLVM plugin emits into one position-independent image,
   write it with its module as a `.taho` file, and map such a file (or an image in
   memory) as runnable code. Nothing here needs LLVM. x86-64 ELF only. */
#ifndef ART_ARTIFACT_H
#define ART_ARTIFACT_H

#include "../runtime/tier.h"

/* ---- linking (link.c) ---- */

/* One relocatable ELF64 x86-64 object (ET_REL), as emitted by LLVM with the PIC
   relocation model and the small code model. */
typedef struct art_obj {
    const uint8_t *bytes;
    size_t len;
} art_obj;

/* A slot of the image's GOT, filled when the image is loaded: the address of a
   symbol defined in the image (name NULL, at image offset `off`), or of a runtime
   function known by name (memcpy, memset, memmove, ceilf, ...; see load.c). */
typedef struct art_got {
    char *name;
    uint64_t off;
} art_got;

/* A linked image. Layout from offset 0: code (text and PLT stubs), then read-only
   data, then writable data (the GOT, then .data/.bss), each part starting on a page
   (4096) boundary, so a file can map each part with its own protection; .data/.bss
   start on the page after the GOT (the GOT becomes read-only once filled, data stays
   writable), and code starts after 16 bytes of int3. All references inside the image
   are PC-relative: it runs at any address. */
typedef struct art_image {
    uint8_t *bytes;               /* tb_malloc'd, len bytes */
    size_t len;
    size_t text_len;              /* [0, text_len): executable */
    size_t ro_off, ro_len;        /* read-only data */
    size_t rw_off, rw_len;        /* GOT (ngot 8-byte slots at rw_off), then data */
    uint32_t ngot;
    art_got *got;
    uint32_t nfuncs;              /* defined Wasm functions */
    uint64_t *fn_off;             /* symbol "tf<i>": direct entry R f(vmctx, params...) */
    uint64_t *fn_size;            /* its st_size (for backtraces: pc -> function) */
    uint64_t *entry_off;          /* symbol "te<i>": the rt_host_fn array entry */
} art_image;

/* Link objs into one image: every allocated section of every object (except
   .eh_frame), symbols resolved across objects, PLT stubs and GOT slots for symbols
   defined nowhere (they must be runtime functions the loader knows, else an error
   naming the symbol), and the functions tf0..tf<nfuncs-1>, te0..te<nfuncs-1> found.
   Unsupported relocations or malformed objects are errors (what, where), never a
   crash. */
bool art_link(const art_obj *objs, uint32_t nobjs, uint32_t nfuncs, art_image *out,
              tb_error *err);
void art_image_free(art_image *img);

/* ---- CPU features (cpu.c) ---- */

/* Feature bits compiled code may rely on (what cpuid reports on x86-64); bits 24 and up
   are the newer vector extensions LLVM uses when the CPU (e.g. "native") has them: an
   artifact using one must not run where it is missing. */
#define ART_CPU_SSE3 (1ull << 0)
#define ART_CPU_SSSE3 (1ull << 1)
#define ART_CPU_SSE41 (1ull << 2)
#define ART_CPU_SSE42 (1ull << 3)
#define ART_CPU_POPCNT (1ull << 4)
#define ART_CPU_AVX (1ull << 5)
#define ART_CPU_AVX2 (1ull << 6)
#define ART_CPU_FMA (1ull << 7)
#define ART_CPU_BMI1 (1ull << 8)
#define ART_CPU_BMI2 (1ull << 9)
#define ART_CPU_LZCNT (1ull << 10)
#define ART_CPU_MOVBE (1ull << 11)
#define ART_CPU_F16C (1ull << 12)
#define ART_CPU_CX16 (1ull << 13)
#define ART_CPU_AVX512F (1ull << 14)
#define ART_CPU_AVX512BW (1ull << 15)
#define ART_CPU_AVX512DQ (1ull << 16)
#define ART_CPU_AVX512VL (1ull << 17)
#define ART_CPU_AVX512CD (1ull << 18)
#define ART_CPU_AES (1ull << 19)
#define ART_CPU_PCLMUL (1ull << 20)
#define ART_CPU_ADX (1ull << 21)
#define ART_CPU_SHA (1ull << 22)
#define ART_CPU_XSAVE (1ull << 23)
#define ART_CPU_AVX512VBMI (1ull << 24)
#define ART_CPU_AVX512VBMI2 (1ull << 25)
#define ART_CPU_GFNI (1ull << 26)
#define ART_CPU_VAES (1ull << 27)
#define ART_CPU_VPCLMULQDQ (1ull << 28)
#define ART_CPU_AVX512VNNI (1ull << 29)
#define ART_CPU_AVX512BITALG (1ull << 30)
#define ART_CPU_AVX512VPOPCNTDQ (1ull << 31)
#define ART_CPU_AVX512IFMA (1ull << 32)
#define ART_CPU_AVX512FP16 (1ull << 33)
#define ART_CPU_AVXVNNI (1ull << 34)
#define ART_CPU_AVX512BF16 (1ull << 35)
#define ART_CPU_SSE4A (1ull << 36)
#define ART_CPU_SAHF (1ull << 37)
#define ART_CPU_NFEATURES 38
/* This machine's features (cpuid, cached). */
uint64_t art_cpu_host(void);
/* The features a --target may use: "native" (this machine), "x86-64", "x86-64-v2",
   "x86-64-v3", "x86-64-v4". False for any other name. */
bool art_cpu_target(const char *target, uint64_t *features);
/* Names of the bits in mask, comma separated, into buf (for error messages). The
   names are LLVM's target feature names. */
const char *art_cpu_names(uint64_t mask, char *buf, size_t size);
/* An LLVM feature string for code that must run wherever mask's features are:
   "+f" for every feature in mask, "-f" for every other one named here (so a CPU name
   that implies more cannot slip them in). NULL if buf is too small (1 KiB is enough). */
const char *art_cpu_llvm_features(uint64_t mask, char *buf, size_t size);

/* ---- the file (file.c) ---- */

#define ART_FORMAT 2              /* bump when the file layout changes (2: checks) */

/* What a file records about its code; a file whose meta does not match this build
   and machine is refused. */
typedef struct art_meta {
    char taho_version[24];        /* TAHO_VERSION of the compiler */
    uint32_t tier_abi;            /* RT_TIER_ABI: vmctx layout and helper table */
    char target[32];              /* the --target it was compiled for ("native", ...) */
    char cpu[64];                 /* the LLVM CPU name used */
    uint64_t features;            /* ART_CPU_* the code may use */
    uint32_t opt;                 /* rt_opt_level */
    uint8_t wasm_sha256[32];      /* of the embedded module */
    uint32_t checks;              /* RT_CHECK_*: fuel/epoch checks compiled in; an engine
                                     must ask for exactly these (module.c) */
} art_meta;

/* The .taho file: an ELF64 file (e_type ET_DYN, EI_OSABI 0, e_machine EM_X86_64) with
   one PT_LOAD program header per part of the image (code R+X, read-only R, GOT and
   data R+W), page-aligned so the loader maps them straight from the file, and
   sections .text .rodata .got .data .taho.meta (art_meta, function table, GOT names, a
   64-bit checksum of the whole file) .taho.wasm (the module's bytes) .shstrtab.
   Encode into a tb_malloc'd buffer. A meta->wasm_sha256 of all zeros is computed here
   from wasm. */
bool art_encode(const art_image *img, const art_meta *meta, const uint8_t *wasm,
                size_t wasm_len, uint8_t **out, size_t *out_len, tb_error *err);
/* Write atomically (a temporary file in the same directory, then rename). */
bool art_write(const char *path, const art_image *img, const art_meta *meta,
               const uint8_t *wasm, size_t wasm_len, tb_error *err);

/* Should these bytes be opened as an artifact rather than decoded as a module? True
   for any ELF file (a prefix of 4 bytes is enough), so that a truncated or foreign file
   gets art_open's precise message ("truncated", "not a taho artifact") instead of the
   decoder's "bad magic". */
bool art_is_artifact(const uint8_t *bytes, size_t len);

/* ---- loading (load.c) ---- */

typedef struct art_file art_file;

/* Map path and verify it before anything runs: ELF structure and bounds, our format
   version, checksum (corruption), taho version and tier ABI, target features present
   on this CPU, the embedded module's sha256. Errors say which check failed and why
   (e.g. "x.taho: compiled for CPU features avx512f which this machine lacks"). */
bool art_open(const char *path, art_file **out, tb_error *err);
/* The same from bytes in memory (copied into a fresh mapping). */
bool art_open_bytes(const uint8_t *bytes, size_t len, art_file **out, tb_error *err);
const art_meta *art_file_meta(const art_file *f);
/* Was f compiled with exactly these RT_CHECK_* (the engine's fuel and epoch
   settings)? Code without a check cannot honour its limit, and a check the engine
   does not feed (fuel 0, deadline 0) would trap at once: an error says which and how
   to recompile. */
bool art_file_checks_match(const art_file *f, uint32_t checks, tb_error *err);
/* The embedded module (valid while f is open). */
const uint8_t *art_file_wasm(const art_file *f, size_t *len);
/* The runnable code: GOT filled, code mapped R+X. The rt_native owns f from here:
   rt_native->release(n) unmaps it and frees f, so art_file_meta/art_file_wasm stay
   valid until then. f is taken either way: on failure it is closed here, so never
   art_close f after this call. */
bool art_file_native(art_file *f, rt_native **out, tb_error *err);
void art_close(art_file *f);      /* a file whose native was not taken */

/* The JIT's path: run an image straight from memory (fresh mapping, GOT filled,
   code R+X). The image can be freed afterwards. */
bool art_load_image(const art_image *img, rt_native **out, tb_error *err);

/* For backtraces: the defined function (0-based, as in the image) whose code holds
   pc, or -1. */
int64_t art_native_func_at(const rt_native *n, uintptr_t pc);

#endif
