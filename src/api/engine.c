/* engine: the public config, engine and store handles. */
#include "api.h"

taho_config *taho_config_new(void) { return tb_calloc(1, sizeof(taho_config)); }
void taho_config_delete(taho_config *c) {
    if (c) api_compile_opts_free(&c->comp);
    tb_free(c);
}

void taho_config_max_call_depth(taho_config *c, uint32_t depth) {
    if (c) c->rt.max_call_depth = depth;
}

void taho_config_engine(taho_config *c, taho_engine_kind k) {
    if (c) c->rt.engine = (uint8_t)k;
}

void taho_config_opt_level(taho_config *c, taho_opt_level o) {
    if (c) c->rt.opt_level = (uint8_t)o;
}

taho_engine *taho_engine_new(taho_config *config) {
    taho_engine *e = tb_calloc(1, sizeof *e);
    if (e && !(e->rt = rt_engine_new(config ? &config->rt : NULL))) {
        tb_free(e);
        e = NULL;
    }
    if (e && config) { /* the engine takes the compile options over */
        e->comp = config->comp;
        config->comp.cache_dir = NULL;
    }
    taho_config_delete(config);
    return e;
}

void taho_engine_delete(taho_engine *e) {
    if (!e) return;
    rt_engine_free(e->rt);
    api_compile_opts_free(&e->comp);
    tb_free(e);
}

taho_store *taho_store_new(taho_engine *e) {
    if (!e) return NULL;
    taho_store *s = tb_calloc(1, sizeof *s);
    if (s && !(s->rt = rt_store_new(e->rt))) {
        tb_free(s);
        return NULL;
    }
    if (s) s->engine = e;
    return s;
}

void taho_store_delete(taho_store *s) {
    if (!s) return;
    rt_store_free(s->rt);
    tb_free(s);
}
