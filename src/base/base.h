/* base: allocation hook, errors as values, arenas, growable arrays. Uses libc only. */
#ifndef TB_BASE_H
#define TB_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TB_HIDDEN __attribute__((visibility("hidden")))
#define TB_LIKELY(x) __builtin_expect(!!(x), 1)
#define TB_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define TB_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- allocation: everything goes through these, so failure can be injected ---- */
typedef struct tb_allocator {
    void *(*realloc)(void *ctx, void *ptr, size_t size); /* size 0 frees */
    void *ctx;
} tb_allocator;

void tb_set_allocator(const tb_allocator *a); /* NULL restores libc */
void *tb_malloc(size_t size);
void *tb_calloc(size_t n, size_t size);
void *tb_realloc(void *ptr, size_t size);
void tb_free(void *ptr);
char *tb_strndup(const char *s, size_t n);

/* Test hook: the n-th allocation from now on fails (0 disables). */
void tb_fail_alloc_after(uint64_t n);

/* ---- errors: a category, a message, and for bytes an offset ---- */
typedef enum tb_errkind {
    TB_OK = 0,
    TB_ERR_MALFORMED, /* bytes are not a Wasm binary (decode) */
    TB_ERR_INVALID,   /* well-formed but fails validation */
    TB_ERR_LINK,      /* imports do not resolve or do not match */
    TB_ERR_TRAP,      /* a trap during instantiation (start, segments) */
    TB_ERR_LIMIT,     /* an implementation or configured limit */
    TB_ERR_OOM,       /* allocation failed */
    TB_ERR_IO,        /* file system */
    TB_ERR_ARG,       /* caller passed something wrong */
} tb_errkind;

#define TB_NO_OFFSET ((size_t)-1)

typedef struct tb_error {
    tb_errkind kind;
    size_t offset;    /* byte offset in the module, or TB_NO_OFFSET */
    char msg[240];
} tb_error;

/* Fill err (may be NULL) and return false, so callers can `return tb_fail(...)`. */
bool tb_fail(tb_error *err, tb_errkind kind, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
bool tb_oom(tb_error *err);
const char *tb_errkind_name(tb_errkind kind);

/* ---- arena: many small allocations freed at once (a decoded module) ---- */
typedef struct tb_arena_block tb_arena_block;
typedef struct tb_arena {
    tb_arena_block *head;
    size_t used, cap;
} tb_arena;

void tb_arena_init(tb_arena *a);
void *tb_arena_alloc(tb_arena *a, size_t size); /* zeroed, 16-byte aligned; NULL on OOM */
void *tb_arena_alloc_raw(tb_arena *a, size_t size); /* the same, not zeroed */
void tb_arena_free(tb_arena *a);

/* ---- growable array of T: struct { T *v; uint32_t len, cap; } ---- */
#define TB_VEC(T) struct { T *v; uint32_t len, cap; }
bool tb_vec_grow_(void **v, uint32_t *cap, uint32_t need, size_t elem);
#define tb_vec_push(vec, x) \
    (((vec)->len < (vec)->cap || tb_vec_grow_((void **)&(vec)->v, &(vec)->cap, (vec)->len + 1, sizeof(*(vec)->v))) \
         ? ((vec)->v[(vec)->len++] = (x), true) : false)
#define tb_vec_reserve(vec, n) \
    ((n) <= (vec)->cap || tb_vec_grow_((void **)&(vec)->v, &(vec)->cap, (n), sizeof(*(vec)->v)))
#define tb_vec_free(vec) (tb_free((vec)->v), (vec)->v = NULL, (vec)->len = (vec)->cap = 0)

/* ---- little helpers ---- */
static inline uint32_t tb_rd32(const void *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t tb_rd64(const void *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/* UTF-8 well-formedness as the Wasm spec requires for names. */
bool tb_utf8_valid(const uint8_t *s, size_t len);

/* FNV-1a, for hashing names and type signatures. */
uint64_t tb_hash(const void *data, size_t len, uint64_t seed);

/* file.c: the whole of the regular file open as fd (path names it in errors) in a
   tb_malloc'd buffer; false with TB_ERR_IO ("cannot read 'PATH': why") or OOM. */
bool tb_read_fd(int fd, const char *path, uint8_t **out, size_t *len, tb_error *err);

#endif
