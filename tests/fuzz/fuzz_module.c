/* fuzz_module: libFuzzer target over decode + validate + lower + instantiate.
   Hostile bytes must give an error value, never a crash, leak or UB. */
#include "taho.h"
#include "../../src/decode/decode.h"
#include "../../src/interp/interp.h"
#include "../../src/validate/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static taho_engine *engine;
    if (!engine) engine = taho_engine_new(NULL);

    /* Instantiation runs the start function, which may loop forever until fuel
       exists (issue 4); only modules without one are instantiated. */
    tw_module *m;
    tb_error derr;
    bool has_start = false, has_imports = false;
    if (dec_module(data, size, &m, &derr)) {
        has_start = m->has_start;
        has_imports = m->nimports > 0;
        /* modules of the API lower a function at its first call: lower all of them
           here, so every valid body goes through the lowering */
        interp_module *im;
        if (val_module(m, &derr) && interp_compile(m, &im, &derr)) interp_module_free(im);
        tw_module_free(m);
    }

    taho_module *mod = NULL;
    taho_error *err = taho_module_new(engine, data, size, &mod);
    if (err) {
        (void)taho_error_message(err);
        taho_error_delete(err);
        return 0;
    }
    if (!has_start && !has_imports) {
        taho_store *store = taho_store_new(engine);
        taho_linker *linker = taho_linker_new(engine);
        taho_instance *inst = NULL;
        taho_trap *trap = NULL;
        err = taho_linker_instantiate(linker, store, mod, &inst, &trap);
        if (err) taho_error_delete(err);
        if (trap) taho_trap_delete(trap);
        taho_linker_delete(linker);
        taho_store_delete(store);
    }
    taho_module_delete(mod);
    return 0;
}
