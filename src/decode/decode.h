/* decode: the WebAssembly 2.0 binary format -> tw_module (no validation). */
#ifndef DEC_DECODE_H
#define DEC_DECODE_H

#include "../base/base.h"
#include "../wasm/module.h"

/* Decode a module from `bytes` (copied into the module's arena, so the caller may free
   them afterwards). On success *out owns everything (free with tw_module_free). On
   failure returns false, *out is NULL and err holds TB_ERR_MALFORMED (or TB_ERR_OOM /
   TB_ERR_LIMIT) with the byte offset and a message containing the spec's phrase. */
bool dec_module(const uint8_t *bytes, size_t len, tw_module **out, tb_error *err);

/* How a module holds its binary. DEC_COPY: a copy in its arena (dec_module).
   DEC_TAKE: the caller's tb_malloc'd buffer, taken over (tb_free'd with the module, or
   at once when decoding fails). DEC_BORROW: the caller's bytes, which must outlive the
   module (an artifact's mapping). Taking or borrowing touches no new page: a process
   that runs one module does not pay for a second copy of it. */
typedef enum { DEC_COPY, DEC_TAKE, DEC_BORROW } dec_hold;
bool dec_module_from(const uint8_t *bytes, size_t len, dec_hold how, tw_module **out,
                     tb_error *err);

#endif
