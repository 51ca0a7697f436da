/* define: the table of wasi_snapshot_preview1 functions with their signatures, and
   their definition as host functions in a linker. */
#include "wasi.h"

typedef struct wasi_entry {
    const char *name;
    const char *params;   /* 'i' i32, 'I' i64; every call but proc_exit returns an i32 errno */
    rt_host_fn fn;
} wasi_entry;

#define E(name, params) {#name, params, wasi_##name}
static const wasi_entry entries[] = {
    E(args_get, "ii"), E(args_sizes_get, "ii"), E(environ_get, "ii"), E(environ_sizes_get, "ii"),
    E(clock_res_get, "ii"), E(clock_time_get, "iIi"),
    E(fd_advise, "iIIi"), E(fd_allocate, "iII"), E(fd_close, "i"), E(fd_datasync, "i"),
    E(fd_fdstat_get, "ii"), E(fd_fdstat_set_flags, "ii"), E(fd_fdstat_set_rights, "iII"),
    E(fd_filestat_get, "ii"), E(fd_filestat_set_size, "iI"), E(fd_filestat_set_times, "iIIi"),
    E(fd_pread, "iiiIi"), E(fd_prestat_get, "ii"), E(fd_prestat_dir_name, "iii"),
    E(fd_pwrite, "iiiIi"), E(fd_read, "iiii"), E(fd_readdir, "iiiIi"), E(fd_renumber, "ii"),
    E(fd_seek, "iIii"), E(fd_sync, "i"), E(fd_tell, "ii"), E(fd_write, "iiii"),
    E(path_create_directory, "iii"), E(path_filestat_get, "iiiii"),
    E(path_filestat_set_times, "iiiiIIi"), E(path_link, "iiiiiii"),
    E(path_open, "iiiiiIIii"), E(path_readlink, "iiiiii"), E(path_remove_directory, "iii"),
    E(path_rename, "iiiiii"), E(path_symlink, "iiiii"), E(path_unlink_file, "iii"),
    E(poll_oneoff, "iiii"), E(proc_exit, "i"), E(proc_raise, "i"), E(sched_yield, ""),
    E(random_get, "ii"), E(sock_accept, "iii"), E(sock_recv, "iiiiii"), E(sock_send, "iiiii"),
    E(sock_shutdown, "ii"),
};
#undef E

static const rt_sig *entry_sig(rt_engine *e, const wasi_entry *w) {
    tw_valtype v[16];
    uint32_t n = (uint32_t)strlen(w->params);
    for (uint32_t i = 0; i < n; i++) v[i] = w->params[i] == 'I' ? TW_I64 : TW_I32;
    bool noresult = w->fn == wasi_proc_exit;
    v[n] = TW_I32;
    tw_functype t = {n, noresult ? 0 : 1, v, v + n};
    return rt_engine_intern_sig(e, &t);
}

static void drop_ctx(void *obj) { wasi_ctx_free(*(wasi_ctx **)obj); }

bool wasi_store_set(rt_store *st, wasi_ctx *ctx, tb_error *err) {
    /* A context replaced here stays alive with the store: instances made before hold
       it as their functions' env. */
    wasi_ctx **holder = rt_store_alloc(st, sizeof *holder, drop_ctx);
    if (!holder) return wasi_ctx_free(ctx), tb_oom(err);
    *holder = ctx;   /* the store frees ctx from now on */
    ctx->store = st;
    st->wasi = ctx;
    return true;
}

static void *bind_store_ctx(void *env, rt_store *st) { return st->wasi; }

bool wasi_define_shared(lnk_linker *l, rt_engine *e, tb_error *err) {
    static const char mod[] = "wasi_snapshot_preview1";
    for (size_t i = 0; i < TB_ARRAY_LEN(entries); i++) {
        lnk_hostfn h = {entry_sig(e, &entries[i]), entries[i].fn, NULL, bind_store_ctx,
                        "the store has no WASI context (taho_store_set_wasi)"};
        if (!lnk_define_host(l, mod, sizeof mod - 1, entries[i].name, strlen(entries[i].name),
                             &h, err))
            return false;
    }
    return true;
}

bool wasi_define(lnk_linker *l, rt_store *st, wasi_ctx *ctx, tb_error *err) {
    return wasi_store_set(st, ctx, err) && wasi_define_shared(l, st->engine, err);
}
