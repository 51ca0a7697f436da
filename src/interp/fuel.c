/* fuel: fuel and epoch checks. Code lowered without them (the default) pays nothing;
   with them, each function entry and loop header costs one handler. Fuel is charged
   per check with the number of Wasm instructions that follow it up to the next check
   point in the code, so a budget always stops a program at the same instruction. */
#include "fuel.h"

static inline bool out_of_fuel(rt_store *st, uint64_t cost) {
    st->fuel -= (int64_t)cost;
    if (TB_LIKELY(st->fuel >= 0)) return false;
    st->fuel = 0;
    return true;
}

/* Another thread increments the engine's epoch; relaxed is enough, the check only
   needs to see the new value soon. */
static inline bool past_deadline(const rt_store *st) {
    return atomic_load_explicit(st->epoch, memory_order_relaxed) >= st->epoch_deadline;
}

IHANDLER h_check_fuel(IARGS) {
    if (TB_UNLIKELY(out_of_fuel(ctx->st, OPU(1)))) TRAP(RT_TRAP_OUT_OF_FUEL);
    NEXT(2);
}

IHANDLER h_check_epoch(IARGS) {
    if (TB_UNLIKELY(past_deadline(ctx->st))) TRAP(RT_TRAP_INTERRUPT);
    NEXT(2);
}

IHANDLER h_check_fuel_epoch(IARGS) {
    if (TB_UNLIKELY(out_of_fuel(ctx->st, OPU(1)))) TRAP(RT_TRAP_OUT_OF_FUEL);
    if (TB_UNLIKELY(past_deadline(ctx->st))) TRAP(RT_TRAP_INTERRUPT);
    NEXT(2);
}

ihandler interp_check_handler(unsigned checks) {
    switch (checks & (INTERP_CHECK_FUEL | INTERP_CHECK_EPOCH)) {
    case INTERP_CHECK_FUEL: return h_check_fuel;
    case INTERP_CHECK_EPOCH: return h_check_epoch;
    case INTERP_CHECK_FUEL | INTERP_CHECK_EPOCH: return h_check_fuel_epoch;
    default: return NULL;
    }
}
