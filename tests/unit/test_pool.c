/* test_pool: the pooling allocator: a reused slot shows none of the previous tenant's
   bytes (memory incl. grown pages and the copy-on-write data image, tables, globals),
   pool exhaustion is an error, slots come back when stores go, pool-sized limits. */
#include <stdlib.h>
#include "test.h"
#include "test_limits.h"

static taho_engine *pooled_engine(uint32_t n) {
    taho_config *c = taho_config_new();
    taho_config_pooling(c, n, 4, 10);
    return taho_engine_new(c);
}

/* Offsets the first tenant writes canaries at: data image page, pages beyond it, and
   a grown page. */
static const int32_t canary_at[] = {0, 15, 25, 4095, 4096, 65535, 65536 + 7, 3 * 65536 + 100};

TEST(pool_reused_slot_shows_no_old_bytes) {
    taho_engine *e = pooled_engine(1);
    taho_module *m = lim_module(e);
    CHECK(m);
    uint8_t *first_base = NULL;
    for (int round = 0; round < 4; round++) {
        taho_store *s = taho_store_new(e);
        lim_inst li = lim_instantiate(e, s, m);
        CHECK(!li.err && li.inst);
        uint8_t *base = lim_memory(li.inst);
        if (round == 0) first_base = base;
        CHECK(base == first_base); /* the same slot every time */
        int code;
        /* what a fresh instance must see */
        for (size_t i = 0; i < sizeof canary_at / sizeof *canary_at; i++)
            if (canary_at[i] < 65536)
                CHECK_EQ(lim_call(s, li.inst, "peek", 1, canary_at[i], 0, &code), 0);
        CHECK(memcmp(base + 16, "taho-data", 9) == 0);
        CHECK_EQ(lim_call(s, li.inst, "size", 0, 0, 0, &code), 1);
        CHECK_EQ(lim_call(s, li.inst, "tgrow", 1, 0, 0, &code), 1);
        taho_extern g;
        CHECK(taho_instance_export(li.inst, "g", &g));
        CHECK_EQ(taho_global_get(g.of.global).of.i32, 0);
        taho_extern t;
        CHECK(taho_instance_export(li.inst, "tab", &t));
        taho_val v;
        CHECK(taho_table_get(t.of.table, 0, &v) && v.of.funcref == NULL);
        /* the tenant leaves canaries everywhere */
        CHECK_EQ(lim_call(s, li.inst, "grow", 1, 3, 0, &code), 1);
        for (size_t i = 0; i < sizeof canary_at / sizeof *canary_at; i++)
            lim_call(s, li.inst, "poke", 2, canary_at[i], 0xA5, &code);
        lim_call(s, li.inst, "poke", 2, 16, 'X', &code); /* over the image */
        CHECK_EQ(lim_call(s, li.inst, "peek", 1, 16, 0, &code), 'X');
        lim_call(s, li.inst, "count", 1, 77, 0, &code);
        CHECK_EQ(lim_call(s, li.inst, "tgrow", 1, 2, 0, &code), 1);
        taho_val fr = {.kind = TAHO_FUNCREF, .of.funcref = lim_func(li.inst, "spin")};
        CHECK(taho_table_set(t.of.table, 0, fr));
        taho_store_delete(s);
    }
    taho_module_delete(m);
    taho_engine_delete(e);
}

TEST(pool_exhausted_is_an_error) {
    taho_engine *e = pooled_engine(3);
    taho_module *m = lim_module(e);
    taho_store *s[4];
    for (int i = 0; i < 3; i++) {
        s[i] = taho_store_new(e);
        lim_inst li = lim_instantiate(e, s[i], m);
        CHECK(!li.err);
    }
    s[3] = taho_store_new(e);
    lim_inst li = lim_instantiate(e, s[3], m);
    CHECK(li.err && !li.inst);
    CHECK_EQ(taho_error_kind_of(li.err), TAHO_ERROR_LIMIT);
    CHECK(strstr(taho_error_message(li.err), "instance pool exhausted"));
    taho_error_delete(li.err);
    taho_store_delete(s[1]); /* gives its slot back */
    li = lim_instantiate(e, s[3], m);
    CHECK(!li.err && li.inst);
    taho_store_delete(s[0]);
    taho_store_delete(s[2]);
    taho_store_delete(s[3]);
    taho_module_delete(m);
    taho_engine_delete(e);
}

TEST(pool_limits_memory_and_table_sizes) {
    taho_engine *e = pooled_engine(2); /* 4 pages, 10 elements */
    taho_module *m = lim_module(e);
    taho_store *s = taho_store_new(e);
    lim_inst li = lim_instantiate(e, s, m);
    CHECK(!li.err);
    int code;
    CHECK_EQ(lim_call(s, li.inst, "grow", 1, 3, 0, &code), 1);
    CHECK_EQ(lim_call(s, li.inst, "grow", 1, 1, 0, &code), -1);
    CHECK_EQ(lim_call(s, li.inst, "tgrow", 1, 9, 0, &code), 1);
    CHECK_EQ(lim_call(s, li.inst, "tgrow", 1, 1, 0, &code), -1);
    CHECK(taho_memory_new(s, 5, 0, false) == NULL);
    taho_store_delete(s);
    taho_module_delete(m);
    taho_engine_delete(e);
}

static bool check_big(const uint8_t *mem) {
    for (size_t i = 0; i < 65536 + 100; i++) if (mem[i] != 0x5A) return false;
    for (size_t i = 65536 + 100; i < 2 * 65536; i++) if (mem[i] != 0) return false;
    return true;
}

/* One slot, tenants alternating between a module with a copy-on-write image and one
   whose data is copied: neither sees the other's bytes. */
TEST(pool_image_and_copied_data_alternate_cleanly) {
    taho_engine *e = pooled_engine(1);
    size_t len;
    uint8_t *bytes = big_data_module(&len);
    taho_module *big = NULL, *small = lim_module(e);
    taho_error *err = taho_module_new(e, bytes, len, &big);
    free(bytes);
    CHECK(!err && big && small);
    for (int round = 0; round < 6; round++) {
        taho_store *s = taho_store_new(e);
        bool use_big = round % 2 == 0;
        lim_inst li = lim_instantiate(e, s, use_big ? big : small);
        CHECK(!li.err);
        uint8_t *mem = lim_memory(li.inst);
        if (use_big) {
            CHECK(check_big(mem));
            memset(mem, 0xC3, 2 * 65536); /* dirty the image and the rest */
        } else {
            for (size_t i = 0; i < 65536; i++)
                CHECK(i >= 16 && i < 25 ? mem[i] == (uint8_t)"taho-data"[i - 16] : mem[i] == 0);
            memset(mem, 0xC3, 65536);
        }
        taho_store_delete(s);
    }
    taho_module_delete(big);
    taho_module_delete(small);
    taho_engine_delete(e);
}
