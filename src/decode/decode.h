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

#endif
