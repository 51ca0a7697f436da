/* test_limits: store limits (memory.grow / table.grow past a limit return -1, instance
   count), fuel exactness, epoch interruption from another thread, and "call stack
   exhausted" at several Wasm stack sizes. Module: limits.wat (test_limits.h). */
#include "test.h"
#include "test_limits.h"

TEST(limits_grow_past_store_limit_is_minus_one) {
    taho_engine *e = taho_engine_new(NULL);
    taho_module *m = lim_module(e);
    taho_store *s = taho_store_new(e);
    CHECK(m && s);
    taho_store_limits(s, 2 * 65536, 3, 1);
    lim_inst li = lim_instantiate(e, s, m);
    CHECK(!li.err && li.inst);
    int code;
    CHECK_EQ(lim_call(s, li.inst, "grow", 1, 1, 0, &code), 1);
    CHECK_EQ(lim_call(s, li.inst, "grow", 1, 1, 0, &code), -1);
    CHECK_EQ(code, 0);
    CHECK_EQ(lim_call(s, li.inst, "size", 0, 0, 0, &code), 2);
    CHECK_EQ(lim_call(s, li.inst, "tgrow", 1, 2, 0, &code), 1);
    CHECK_EQ(lim_call(s, li.inst, "tgrow", 1, 1, 0, &code), -1);
    CHECK_EQ(lim_call(s, li.inst, "grow", 1, 65536, 0, &code), -1);
    /* a second instance is past the store's limit of 1 */
    lim_inst li2 = lim_instantiate(e, s, m);
    CHECK(li2.err && !li2.inst);
    CHECK_EQ(taho_error_kind_of(li2.err), TAHO_ERROR_LIMIT);
    CHECK(strstr(taho_error_message(li2.err), "instance limit"));
    taho_error_delete(li2.err);
    /* a memory larger than the limit cannot be made */
    taho_store_limits(s, 65536, -1, -1);
    CHECK(taho_memory_new(s, 2, 0, false) == NULL);
    CHECK(taho_memory_new(s, 1, 0, false) != NULL);
    taho_store_delete(s);
    taho_module_delete(m);
    taho_engine_delete(e);
}

static taho_engine *engine_with(bool fuel, bool epoch, size_t stack) {
    taho_config *c = taho_config_new();
    taho_config_consume_fuel(c, fuel);
    taho_config_epoch_interruption(c, epoch);
    if (stack) taho_config_max_wasm_stack(c, stack);
    return taho_engine_new(c);
}

/* Run count(1e9) on a fresh instance with `fuel`; returns how far it got. */
static int32_t count_with_fuel(taho_engine *e, taho_module *m, uint64_t fuel, int *code) {
    taho_store *s = taho_store_new(e);
    taho_error *err = taho_store_set_fuel(s, fuel);
    if (err) { taho_error_delete(err); taho_store_delete(s); *code = -1; return -1; }
    lim_inst li = lim_instantiate(e, s, m);
    if (li.err) { taho_error_delete(li.err); taho_store_delete(s); *code = -1; return -1; }
    lim_call(s, li.inst, "count", 1, 1000000000, 0, code);
    taho_extern g;
    int32_t got = taho_instance_export(li.inst, "g", &g) ? taho_global_get(g.of.global).of.i32 : -1;
    taho_store_delete(s);
    return got;
}

TEST(limits_fuel_is_exact) {
    taho_engine *e = engine_with(true, false, 0);
    taho_module *m = lim_module(e);
    CHECK(m);
    int code;
    int32_t first = count_with_fuel(e, m, 100000, &code);
    CHECK_EQ(code, TAHO_TRAP_OUT_OF_FUEL);
    CHECK(first > 1000 && first < 100000);
    for (int i = 0; i < 10; i++) { /* same budget, same stopping point */
        CHECK_EQ(count_with_fuel(e, m, 100000, &code), first);
        CHECK_EQ(code, TAHO_TRAP_OUT_OF_FUEL);
    }
    CHECK(count_with_fuel(e, m, 200000, &code) > first);
    /* enough fuel: it finishes, and the rest can be read back */
    taho_store *s = taho_store_new(e);
    CHECK(!taho_store_set_fuel(s, 1000000));
    lim_inst li = lim_instantiate(e, s, m);
    CHECK(!li.err);
    lim_call(s, li.inst, "count", 1, 100, 0, &code);
    CHECK_EQ(code, 0);
    uint64_t left = 0;
    CHECK(!taho_store_get_fuel(s, &left));
    CHECK(left < 1000000 && left > 900000);
    /* a store without fuel traps at once; the message names the limit */
    CHECK(!taho_store_set_fuel(s, 0));
    lim_call(s, li.inst, "count", 1, 100, 0, &code);
    CHECK_EQ(code, TAHO_TRAP_OUT_OF_FUEL);
    taho_store_delete(s);
    /* without consume_fuel, fuel calls are errors */
    taho_engine *plain = taho_engine_new(NULL);
    taho_store *ps = taho_store_new(plain);
    taho_error *err = taho_store_set_fuel(ps, 10);
    CHECK(err);
    taho_error_delete(err);
    taho_store_delete(ps);
    taho_engine_delete(plain);
    taho_module_delete(m);
    taho_engine_delete(e);
}

TEST(limits_epoch_interrupts_from_another_thread) {
    taho_engine *e = engine_with(false, true, 0);
    taho_module *m = lim_module(e);
    taho_store *s = taho_store_new(e);
    CHECK(m && s);
    lim_inst li = lim_instantiate(e, s, m);
    CHECK(!li.err);
    const char *why = lim_epoch_rounds(e, s, li.inst);
    if (why) fprintf(stderr, "  %s\n", why);
    CHECK(!why);
    taho_store_delete(s);
    taho_module_delete(m);
    taho_engine_delete(e);
}

/* rec(n) recurses n deep: fine at small n, "call stack exhausted" at huge n, for every
   stack size; a bigger stack goes deeper. */
TEST(limits_stack_sizes) {
    static const size_t sizes[] = {64u << 10, 512u << 10, 8u << 20};
    int32_t prev_ok = 0;
    for (int i = 0; i < 3; i++) {
        taho_config *c = taho_config_new();
        taho_config_max_wasm_stack(c, sizes[i]);
        taho_config_max_call_depth(c, 10000000);
        taho_engine *e = taho_engine_new(c);
        taho_module *m = lim_module(e);
        taho_store *s = taho_store_new(e);
        lim_inst li = lim_instantiate(e, s, m);
        CHECK(!li.err);
        int code;
        CHECK_EQ(lim_call(s, li.inst, "rec", 1, 100, 0, &code), 100);
        lim_call(s, li.inst, "rec", 1, 100000000, 0, &code);
        CHECK_EQ(code, TAHO_TRAP_STACK_EXHAUSTED);
        /* deepest that works, by bisection */
        int32_t lo = 100, hi = 100000000;
        while (hi - lo > 1) {
            int32_t mid = lo + (hi - lo) / 2;
            lim_call(s, li.inst, "rec", 1, mid, 0, &code);
            if (code == 0) lo = mid; else hi = mid;
        }
        CHECK(lo > prev_ok);
        prev_ok = lo;
        CHECK_EQ(lim_call(s, li.inst, "rec", 1, 10, 0, &code), 10); /* still usable */
        taho_store_delete(s);
        taho_module_delete(m);
        taho_engine_delete(e);
    }
}
