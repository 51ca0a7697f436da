/* wast_value: wast2json values ({type, value}) as arguments and as expected results. */
#ifndef CLI_WAST_VALUE_H
#define CLI_WAST_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include "json.h"
#include "taho.h"

/* How one scalar or one v128 lane is compared. */
typedef enum wast_match_kind {
    WAST_EXACT,          /* same bits */
    WAST_NAN_CANONICAL,  /* any sign, quiet bit only: the canonical NaN */
    WAST_NAN_ARITHMETIC, /* any sign, quiet bit set, any other payload */
    WAST_ANY_REF,        /* any non-null reference ("ref.func" with no index) */
} wast_match_kind;

typedef struct wast_value {
    taho_val val;
    wast_match_kind match[16];  /* [0] for scalars, one per lane for v128 */
    taho_valkind lane_kind;     /* v128 only: the lane shape the script used */
    unsigned nlanes;            /* v128 only */
} wast_value;

/* The host pointer an externref "ref.extern N" stands for. N+1, so that ref.extern 0
   differs from the null reference; arguments and expected results use the same map. */
void *wast_extern_ptr(unsigned long long n);

/* Parse one {type, value[, lane_type]} object. Arguments must be exact (allow_patterns
   false): NaN patterns and "any reference" are rejected there. */
bool wast_parse_value(const json *v, bool allow_patterns, wast_value *out, char *err, size_t n);

/* Does got satisfy want? */
bool wast_value_matches(const wast_value *want, const taho_val *got);

/* For failure messages: "i32:42", "f32:nan:canonical", "v128:i32x4 ...". */
void wast_format_expected(const wast_value *want, char *buf, size_t n);
void wast_format_got(const taho_val *got, char *buf, size_t n);
/* Like wast_format_got, but a v128 is shown in the lane shape of `shape` (may be NULL). */
void wast_format_got_as(const taho_val *got, const wast_value *shape, char *buf, size_t n);

#endif
