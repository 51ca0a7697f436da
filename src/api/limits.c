/* limits: the public knobs of issue 4: pooling allocator, Wasm stack size, fuel,
   epoch interruption and per-store limits (names follow wasmtime's C API). */
#include "../interp/interp.h"
#include "api.h"

void taho_config_pooling(taho_config *c, uint32_t instances, uint32_t memory_pages,
                         uint32_t table_elements) {
    if (!c) return;
    c->rt.pool_instances = instances;
    c->rt.pool_memory_pages = memory_pages;
    c->rt.pool_table_elems = table_elements;
}

void taho_config_max_wasm_stack(taho_config *c, size_t bytes) {
    if (c) c->rt.max_wasm_stack = bytes;
}

void taho_config_consume_fuel(taho_config *c, bool enable) {
    if (c) c->rt.consume_fuel = enable;
}

void taho_config_epoch_interruption(taho_config *c, bool enable) {
    if (c) c->rt.epoch_interruption = enable;
}

void taho_engine_increment_epoch(taho_engine *e) {
    if (e) rt_engine_increment_epoch(e->rt);
}

void taho_store_set_epoch_deadline(taho_store *s, uint64_t ticks_beyond_current) {
    if (s) rt_store_set_epoch_deadline(s->rt, ticks_beyond_current);
}

static bool fuel_on(const taho_store *s) {
    return rt_engine_config(s->engine->rt)->consume_fuel;
}

taho_error *taho_store_set_fuel(taho_store *s, uint64_t fuel) {
    if (!s) return api_error(TAHO_ERROR_ARG, "null store");
    if (!fuel_on(s)) return api_error(TAHO_ERROR_ARG, "fuel is not enabled in the engine's config");
    rt_store_set_fuel(s->rt, fuel);
    return NULL;
}

taho_error *taho_store_get_fuel(const taho_store *s, uint64_t *fuel) {
    if (!s || !fuel) return api_error(TAHO_ERROR_ARG, "null store or output");
    if (!fuel_on(s)) return api_error(TAHO_ERROR_ARG, "fuel is not enabled in the engine's config");
    *fuel = rt_store_get_fuel(s->rt);
    return NULL;
}

static uint64_t or_none(int64_t v) { return v < 0 ? 0 : (uint64_t)v; }

void taho_store_limits(taho_store *s, int64_t memory_size, int64_t table_elements,
                       int64_t instances) {
    if (!s) return;
    rt_limits l = {
        .memory_bytes = or_none(memory_size),
        .table_elems = table_elements < 0 ? 0
                       : table_elements > UINT32_MAX ? UINT32_MAX : (uint32_t)table_elements,
        .instances = instances < 0 ? 0 : instances > UINT32_MAX ? UINT32_MAX : (uint32_t)instances,
    };
    rt_store_set_limits(s->rt, &l);
}

unsigned api_interp_checks(const taho_engine *e) {
    const rt_config *c = rt_engine_config(e->rt);
    return (c->consume_fuel ? INTERP_CHECK_FUEL : 0) | (c->epoch_interruption ? INTERP_CHECK_EPOCH : 0);
}
