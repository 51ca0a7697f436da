/* internal: what the artifact files share among themselves (layout rules, the meta
   record's encoding, the checksum, libcalls, making an rt_native from a mapping). */
#ifndef ART_INTERNAL_H
#define ART_INTERNAL_H

#include "artifact.h"
#include <elf.h>

#define ART_PAGE 4096u

static inline uint64_t art_align(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

/* Where the writable data starts inside the rw part: on the page after the GOT, so the
   GOT can be made read-only once filled while .data/.bss stay writable. */
static inline uint64_t art_data_off(uint64_t rw_off, uint32_t ngot) {
    return art_align(rw_off + (uint64_t)ngot * 8, ART_PAGE);
}

/* The address of a runtime function compiled code may call by name, or NULL. */
void *art_libcall(const char *name);

/* mathcalls.c: libm's functions of these names (without art_m_), our own. */
double art_m_fabs(double x);
float art_m_fabsf(float x);
double art_m_copysign(double x, double y);
float art_m_copysignf(float x, float y);
double art_m_trunc(double x);
float art_m_truncf(float x);
double art_m_floor(double x);
float art_m_floorf(float x);
double art_m_ceil(double x);
float art_m_ceilf(float x);
double art_m_roundeven(double x);
float art_m_roundevenf(float x);
double art_m_round(double x);
float art_m_roundf(float x);
double art_m_sqrt(double x);
float art_m_sqrtf(float x);
double art_m_fmin(double a, double b);
float art_m_fminf(float a, float b);
double art_m_fmax(double a, double b);
float art_m_fmaxf(float a, float b);
double art_m_fma(double a, double b, double c);   /* only on CPUs with FMA */
float art_m_fmaf(float a, float b, float c);

/* The file's checksum: a word-wise 64-bit hash of bytes, the 8 bytes at skip counted
   as zero (the field that holds it). */
uint64_t art_checksum(const uint8_t *bytes, size_t len, size_t skip);
/* Tests and the fuzzer: recompute the checksum of an artifact in place after editing
   it (false if the meta section cannot be found). */
bool art_checksum_fix(uint8_t *bytes, size_t len);

/* The on-disk meta section (.taho.meta), all little-endian. */
#define ART_MAGIC "TAHO-ART"
#define ART_IMAGE_FILE_OFF ART_PAGE   /* the image starts on the page after the headers */

typedef struct art_meta_hdr {
    char magic[8];
    uint32_t format;              /* ART_FORMAT */
    uint32_t hdr_size;            /* sizeof(art_meta_hdr) */
    uint64_t checksum;
    uint64_t file_len;
    uint64_t image_off, image_len;
    uint64_t text_len, ro_off, ro_len, rw_off, rw_len;
    uint32_t ngot, nfuncs;
    uint64_t funcs_off;           /* in the section: nfuncs x art_meta_func */
    uint64_t got_off;             /* in the section: ngot x art_meta_got */
    uint64_t names_off, names_len;/* in the section: NUL-terminated names */
    uint64_t wasm_off, wasm_len;  /* in the file */
    char taho_version[24];
    uint32_t tier_abi;
    uint32_t opt;
    char target[32];
    char cpu[64];
    uint64_t features;
    uint8_t wasm_sha256[32];
    uint32_t checks;              /* RT_CHECK_* */
    uint32_t reserved;            /* 0 */
} art_meta_hdr;

typedef struct art_meta_func { uint64_t off, size, entry; } art_meta_func;
typedef struct art_meta_got {
    uint32_t name;                /* 1 + offset in names, or 0: defined at off */
    uint32_t pad;
    uint64_t off;
} art_meta_got;

#define ART_CHECKSUM_AT offsetof(art_meta_hdr, checksum)

/* Find the .taho.meta section in an ELF file: its offset and size; false (with a
   reason in why) when the section table is malformed or the section is missing. */
bool art_find_meta(const uint8_t *b, size_t len, uint64_t *off, uint64_t *size,
                   const char **why);

/* A mapping made runnable: the image at base (inside map), GOT filled, protections set.
   On failure the mapping is left for the caller to unmap. */
typedef struct art_layout {
    uint8_t *base;
    size_t text_len, ro_off, ro_len, rw_off, rw_len;
    uint32_t ngot, nfuncs;
    const art_got *got;
    const uint64_t *fn_off, *fn_size, *entry_off;
    void *owner;                  /* freed with drop when the native is released */
    void (*drop)(void *owner);
} art_layout;
bool art_make_native(void *map, size_t map_len, const art_layout *l, rt_native **out,
                     tb_error *err, const char *who);


/* An opened artifact: the file mapped read-only, verified, its tables decoded. */
struct art_file {
    char *name;                   /* for messages: the path, or "artifact" */
    uint8_t *map;                 /* the whole file, PROT_READ */
    size_t map_len, len;
    art_meta_hdr hdr;
    art_meta meta;
    art_got *got;                 /* names point into the mapping */
    uint64_t *fn_off, *fn_size, *entry_off;
    bool taken;                   /* art_file_native made a native that owns this */
};

/* Every check of an artifact before its code may run; the message names f->name. */
bool art_verify(art_file *f, tb_error *err);

#endif
