/* val_internal: what the validator's files share, private to src/validate. */
#ifndef VAL_INTERNAL_H
#define VAL_INTERNAL_H

#include "validate.h"
#include "../wasm/opcodes.h"

/* The spec's "Unknown" operand type: what unreachable code pops from an empty stack. */
#define VAL_UNKNOWN ((tw_valtype)0)

/* Type-check every function body of m (func.c). */
bool val_code(const tw_module *m, tb_error *err);

/* Largest alignment exponent a memory instruction may declare, i.e. log2 of the bytes it
   accesses (operand.c); -1 for instructions without a memarg. */
int val_natural_align(tw_op op);
/* Lanes addressed by an instruction with a lane immediate (operand.c). */
uint32_t val_lane_count(tw_op op);

/* True when funcidx is in m->refs (declared outside function bodies, spec "C.refs"). */
bool val_is_declared_ref(const tw_module *m, uint32_t funcidx);

#endif
