/* test_limits_tiers: fuel and epoch checks in compiled code. The same budget stops the
   JIT and an artifact at the same instruction as the interpreter (same memory, same
   global, same fuel left), run after run; epochs interrupt compiled loops from another
   thread; an artifact's checks must be the engine's. Modules: fuel.wat (test_fuel.h)
   and limits.wat (test_limits.h). Skipped when the LLVM plugin is not built. */
#include "test.h"
#include "test_fuel.h"
#include "test_limits.h"

typedef enum tier { T_INTERP, T_JIT, T_AOT, T_COUNT } tier;
static const char *const tier_names[T_COUNT] = {"interp", "jit", "aot"};

static taho_engine *engine_of(taho_engine_kind kind, bool fuel, bool epoch) {
    taho_config *c = taho_config_new();
    taho_config_engine(c, kind);
    taho_config_consume_fuel(c, fuel);
    taho_config_epoch_interruption(c, epoch);
    return taho_engine_new(c);
}

/* The JIT's code of bytes, compiled with (fuel, epoch) checks, serialized. */
static uint8_t *artifact_of(const uint8_t *bytes, size_t len, bool fuel, bool epoch,
                            size_t *alen) {
    taho_engine *e = engine_of(TAHO_ENGINE_JIT, fuel, epoch);
    taho_module *m = NULL;
    uint8_t *art = NULL;
    taho_error *err = taho_module_new(e, bytes, len, &m);
    if (!err) err = taho_module_serialize(m, &art, alen);
    if (err) taho_error_delete(err);
    taho_module_delete(m);
    taho_engine_delete(e);
    return art;
}

/* A module of bytes on tier t in engine e (made by the caller with the tier's kind:
   the interpreter's for T_AOT, as `taho run FILE.taho` does). NULL if it cannot be. */
static taho_module *module_on(tier t, taho_engine *e, const uint8_t *bytes, size_t len,
                              bool fuel, bool epoch) {
    taho_module *m = NULL;
    taho_error *err;
    if (t != T_AOT) {
        err = taho_module_new(e, bytes, len, &m);
    } else {
        size_t alen;
        uint8_t *art = artifact_of(bytes, len, fuel, epoch, &alen);
        if (!art) return NULL;
        err = taho_module_deserialize(e, art, alen, &m);
        taho_bytes_free(art);
    }
    if (err) {
        fprintf(stderr, "  %s: %s\n", tier_names[t], taho_error_message(err));
        taho_error_delete(err);
    }
    return m;
}

static bool have_jit(void) {
    taho_engine *e = engine_of(TAHO_ENGINE_JIT, true, false);
    taho_module *m = NULL;
    taho_error *err = taho_module_new(e, lim_wasm, lim_wasm_len, &m);
    bool ok = !err;
    if (err) {
        fprintf(stderr, "  (skipped: no JIT: %s)\n", taho_error_message(err));
        taho_error_delete(err);
    }
    taho_module_delete(m);
    taho_engine_delete(e);
    return ok;
}

/* What one call left behind. */
typedef struct outcome {
    int code;                     /* trap code or 0 */
    int32_t result, g;
    uint64_t fuel;
    uint8_t mem[65536];
} outcome;

/* Instantiate with `fuel` and call name(arg) in a fresh store. */
static void run_fuel(taho_engine *e, taho_module *m, uint64_t fuel, const char *name,
                     int32_t arg, outcome *o) {
    taho_store *s = taho_store_new(e);
    memset(o, 0, sizeof *o);
    taho_error *err = taho_store_set_fuel(s, fuel);
    taho_store_set_epoch_deadline(s, 1000000);   /* with epoch checks: far away */
    lim_inst li = lim_instantiate(e, s, m);
    if (err || li.err) {
        o->code = -1;
        if (err) taho_error_delete(err);
        if (li.err) taho_error_delete(li.err);
        taho_store_delete(s);
        return;
    }
    o->result = lim_call(s, li.inst, name, 1, arg, 0, &o->code);
    taho_extern g;
    o->g = taho_instance_export(li.inst, "g", &g) ? taho_global_get(g.of.global).of.i32 : -1;
    taho_store_get_fuel(s, &o->fuel);
    memcpy(o->mem, lim_memory(li.inst), sizeof o->mem);
    taho_store_delete(s);
}

typedef struct tiers {
    taho_engine *e[T_COUNT];
    taho_module *m[T_COUNT];
} tiers;

static bool tiers_make(tiers *t, const uint8_t *bytes, size_t len, bool fuel, bool epoch) {
    memset(t, 0, sizeof *t);
    for (int k = 0; k < T_COUNT; k++) {
        t->e[k] = engine_of(k == T_JIT ? TAHO_ENGINE_JIT : TAHO_ENGINE_INTERP, fuel, epoch);
        t->m[k] = module_on((tier)k, t->e[k], bytes, len, fuel, epoch);
        if (!t->m[k]) return false;
    }
    return true;
}

static void tiers_free(tiers *t) {
    for (int k = 0; k < T_COUNT; k++) {
        taho_module_delete(t->m[k]);
        taho_engine_delete(t->e[k]);
    }
}

static bool same(const outcome *a, const outcome *b) {
    return a->code == b->code && a->result == b->result && a->g == b->g &&
           a->fuel == b->fuel && !memcmp(a->mem, b->mem, sizeof a->mem);
}

static void show(const char *what, tier k, uint64_t budget, const outcome *o) {
    fprintf(stderr, "  %s %s budget %llu: code %d result %d g %d fuel left %llu\n", what,
            tier_names[k], (unsigned long long)budget, o->code, o->result, o->g,
            (unsigned long long)o->fuel);
}

/* fill(1e9) runs out of fuel: at the same point on every tier, for budgets that stop
   it in the entry, in a callee, in its loop, a long way in. */
TEST(tiers_fuel_runs_out_at_the_same_point) {
    if (!have_jit()) return;
    tiers t;
    CHECK(tiers_make(&t, fuel_wasm, fuel_wasm_len, true, false));
    static const uint64_t budgets[] = {0, 1, 2, 3, 5, 8, 13, 40, 41, 42, 99, 1000, 12345,
                                       100000, 654321};
    static outcome ref, got;
    for (size_t b = 0; b < sizeof budgets / sizeof *budgets; b++) {
        run_fuel(t.e[0], t.m[0], budgets[b], "fill", 1000000000, &ref);
        CHECK_EQ(ref.code, TAHO_TRAP_OUT_OF_FUEL);
        CHECK_EQ(ref.fuel, 0);
        for (int k = 1; k < T_COUNT; k++) {
            run_fuel(t.e[k], t.m[k], budgets[b], "fill", 1000000000, &got);
            if (!same(&ref, &got)) show("differs:", (tier)k, budgets[b], &got), show("vs", 0, budgets[b], &ref);
            CHECK(same(&ref, &got));
        }
    }
    CHECK(ref.g > 1000);   /* the largest budget gets a long way */
    tiers_free(&t);
}

/* 10 runs of 10 with the same budget stop at the same point. */
TEST(tiers_fuel_is_exact_run_after_run) {
    if (!have_jit()) return;
    tiers t;
    CHECK(tiers_make(&t, fuel_wasm, fuel_wasm_len, true, false));
    static outcome first, again;
    for (int k = 1; k < T_COUNT; k++) {
        run_fuel(t.e[k], t.m[k], 250000, "fill", 1000000000, &first);
        CHECK_EQ(first.code, TAHO_TRAP_OUT_OF_FUEL);
        for (int i = 0; i < 10; i++) {
            run_fuel(t.e[k], t.m[k], 250000, "fill", 1000000000, &again);
            CHECK(same(&first, &again));
        }
    }
    tiers_free(&t);
}

/* Calls that complete leave the same fuel on every tier (also with epoch checks on):
   every check point charged the same count. */
TEST(tiers_fuel_left_after_a_call_is_the_same) {
    if (!have_jit()) return;
    static const struct { const char *name; int32_t arg; } calls[] = {
        {"fill", 100}, {"fill", 1}, {"nest", 7}, {"twoway", 1}, {"twoway", 0},
        {"skipped", 5}, {"pick", 0}, {"pick", 1}, {"pick", 2}, {"pick", 3}};
    for (int epoch = 0; epoch < 2; epoch++) {
        tiers t;
        CHECK(tiers_make(&t, fuel_wasm, fuel_wasm_len, true, epoch));
        static outcome ref, got;
        for (size_t c = 0; c < sizeof calls / sizeof *calls; c++) {
            run_fuel(t.e[0], t.m[0], 1000000, calls[c].name, calls[c].arg, &ref);
            CHECK_EQ(ref.code, 0);
            for (int k = 1; k < T_COUNT; k++) {
                run_fuel(t.e[k], t.m[k], 1000000, calls[c].name, calls[c].arg, &got);
                if (!same(&ref, &got)) show(calls[c].name, (tier)k, 1000000, &got), show("vs", 0, 1000000, &ref);
                CHECK(same(&ref, &got));
            }
        }
        tiers_free(&t);
    }
}

/* limits.wat's spin (an empty infinite loop) is interrupted by another thread on the
   JIT and from an artifact, round after round, with and without fuel checks too. */
TEST(tiers_epoch_interrupts_compiled_loops) {
    if (!have_jit()) return;
    for (int fuel = 0; fuel < 2; fuel++) {
        tiers t;
        CHECK(tiers_make(&t, lim_wasm, lim_wasm_len, fuel, true));
        for (int k = T_JIT; k < T_COUNT; k++) {
            taho_store *s = taho_store_new(t.e[k]);
            if (fuel) CHECK(!taho_store_set_fuel(s, UINT64_MAX));
            lim_inst li = lim_instantiate(t.e[k], s, t.m[k]);
            CHECK(!li.err);
            const char *why = lim_epoch_rounds(t.e[k], s, li.inst);
            if (why) fprintf(stderr, "  %s: %s\n", tier_names[k], why);
            CHECK(!why);
            /* a deadline already passed: the entry's check traps */
            taho_store_set_epoch_deadline(s, 0);
            int code;
            lim_call(s, li.inst, "count", 1, 10, 0, &code);
            CHECK_EQ(code, TAHO_TRAP_INTERRUPT);
            taho_store_delete(s);
        }
        tiers_free(&t);
    }
}

/* Deserialize an artifact compiled with (fuel, epoch) checks into an interpreter
   engine with (efuel, eepoch); returns the error message or NULL (accepted). */
static char *load_message(bool fuel, bool epoch, bool efuel, bool eepoch) {
    size_t alen;
    uint8_t *art = artifact_of(lim_wasm, lim_wasm_len, fuel, epoch, &alen);
    if (!art) return strdup("no artifact");
    taho_engine *e = engine_of(TAHO_ENGINE_INTERP, efuel, eepoch);
    taho_module *m = NULL;
    taho_error *err = taho_module_deserialize(e, art, alen, &m);
    char *msg = err ? strdup(taho_error_message(err)) : NULL;
    if (err) taho_error_delete(err);
    taho_module_delete(m);
    taho_engine_delete(e);
    taho_bytes_free(art);
    return msg;
}

/* An artifact runs only on an engine that asks for exactly its checks; the message
   says how to recompile. */
TEST(tiers_artifact_checks_must_match_the_engine) {
    if (!have_jit()) return;
    char *msg;
    for (int f = 0; f < 2; f++)
        for (int ep = 0; ep < 2; ep++) {
            msg = load_message(f, ep, f, ep);
            if (msg) fprintf(stderr, "  %d %d: %s\n", f, ep, msg);
            CHECK(!msg);
        }
    msg = load_message(false, false, true, false);
    CHECK(msg && strstr(msg, "without fuel checks") && strstr(msg, "taho compile --consume-fuel"));
    free(msg);
    msg = load_message(false, true, true, true);
    CHECK(msg && strstr(msg, "without fuel checks"));
    free(msg);
    msg = load_message(false, false, false, true);
    CHECK(msg && strstr(msg, "without epoch checks") &&
          strstr(msg, "taho compile --epoch-interruption"));
    free(msg);
    msg = load_message(true, false, false, false);
    CHECK(msg && strstr(msg, "with fuel checks") && strstr(msg, "without --consume-fuel"));
    free(msg);
    msg = load_message(false, true, false, false);
    CHECK(msg && strstr(msg, "with epoch checks"));
    free(msg);
}
