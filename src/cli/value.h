/* value: parsing command-line arguments into Wasm values and printing results. */
#ifndef CLI_VALUE_H
#define CLI_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "taho.h"

/* Longest text cli_format_val writes, with the NUL (v128: "i32x4 " + 4 x "0x%08x "). */
#define CLI_VAL_TEXT_MAX 64

/* Parse s as a value of kind k:
     i32/i64   decimal (signed, or unsigned up to 2^N-1) or 0x hex, optionally negated;
     f32/f64   decimal or hex float, inf, -inf, nan, nan:0xPAYLOAD;
     v128      0x followed by up to 32 hex digits (a 128-bit little-endian integer);
     funcref/externref  only "null".
   Returns false for anything else, including trailing junk and out-of-range numbers. */
bool cli_parse_val(taho_valkind k, const char *s, taho_val *out);

/* Integers as strings of up to 64 bits: decimal or 0x hex, with optional sign; the
   result must fit in `bits` bits as either a signed or an unsigned number. */
bool cli_parse_int(const char *s, unsigned bits, uint64_t *out);

/* Write v for a human: integers in signed decimal; floats in the shortest decimal form
   that reads back to the same bits ("inf", "-inf", "nan", "-nan", "nan:0x200000" for
   other payloads); v128 as four i32 lanes in hex; references as "null" or a kind. */
void cli_format_val(const taho_val *v, char *buf, size_t n);

/* Shortest round-trip decimal forms (exposed for tests). */
void cli_format_f32(float f, char *buf, size_t n);
void cli_format_f64(double d, char *buf, size_t n);

#endif
