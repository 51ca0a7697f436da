/* interp: the interpreter tier. Lowers validated Wasm to register-based code once per
   module, and runs it with tail-calling handlers. */
#ifndef INTERP_H
#define INTERP_H

#include "../runtime/runtime.h"

/* Lower every defined function of a validated module. The result is immutable and
   shared by all instances of the module. */
bool interp_compile(const tw_module *m, interp_module **out, tb_error *err);
void interp_module_free(interp_module *im);
/* The same with fuel and/or epoch checks at function entries and loop headers
   (src/interp/fuel.c), for engines that enable them; interp_compile adds none. */
enum { INTERP_CHECK_FUEL = 1, INTERP_CHECK_EPOCH = 2 };
bool interp_compile_checked(const tw_module *m, unsigned checks, interp_module **out,
                            tb_error *err);

/* The same, lowering each function when it is first called (what modules of the
   API use: a process that runs few of a module's functions lowers only those). */
bool interp_prepare(const tw_module *m, unsigned checks, interp_module **out, tb_error *err);

/* Entry for function `funcidx` (a defined function) to store in rt_func.code. */
const void *interp_func_entry(const interp_module *im, uint32_t funcidx);

/* Run f (a Wasm function whose code is from interp_func_entry) with slots as in rt_call.
   Called by rt_call, which has set up signal recovery. */
rt_trap_code interp_invoke(rt_store *st, rt_func *f, uint64_t *slots);

#endif
