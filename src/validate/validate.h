/* validate: the spec's validation of a decoded module (module level and function bodies). */
#ifndef VAL_VALIDATE_H
#define VAL_VALIDATE_H

#include "../base/base.h"
#include "../wasm/module.h"

/* Check m against the WebAssembly 2.0 validation rules. On failure returns false with a
   TB_ERR_INVALID error (TB_ERR_OOM if scratch memory runs out) whose message starts with
   the spec's phrase ("type mismatch", "unknown local", ...) and, for instructions, the
   module offset of the offending one. The tiers trust a module that passed. */
bool val_module(const tw_module *m, tb_error *err);

#endif
