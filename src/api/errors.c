/* errors: taho_error and taho_trap objects, and their mapping from runtime values. */
#include <stdio.h>
#include "api.h"

/* Returned when even the error object cannot be allocated; never freed. */
static taho_error oom_error = {TAHO_ERROR_OOM, -1, "out of memory"};

taho_error *api_error(taho_error_kind kind, const char *fmt, ...) {
    taho_error *e = tb_malloc(sizeof *e);
    if (!e) return &oom_error;
    e->kind = kind;
    e->offset = -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return e;
}

taho_error *api_error_from(const tb_error *err) {
    static const taho_error_kind kinds[] = {
        [TB_ERR_MALFORMED] = TAHO_ERROR_MALFORMED, [TB_ERR_INVALID] = TAHO_ERROR_INVALID,
        [TB_ERR_LINK] = TAHO_ERROR_LINK,           [TB_ERR_TRAP] = TAHO_ERROR_TRAP,
        [TB_ERR_LIMIT] = TAHO_ERROR_LIMIT,         [TB_ERR_OOM] = TAHO_ERROR_OOM,
        [TB_ERR_IO] = TAHO_ERROR_IO,               [TB_ERR_ARG] = TAHO_ERROR_ARG,
    };
    taho_error_kind k = err->kind > TB_OK && err->kind < TB_ARRAY_LEN(kinds) ? kinds[err->kind]
                                                                           : TAHO_ERROR_ARG;
    taho_error *e = api_error(k, "%s", err->msg);
    if (e != &oom_error && err->offset != TB_NO_OFFSET) e->offset = (int64_t)err->offset;
    return e;
}

taho_error_kind taho_error_kind_of(const taho_error *e) { return e->kind; }
const char *taho_error_message(const taho_error *e) { return e->msg; }
int64_t taho_error_offset(const taho_error *e) { return e->offset; }

void taho_error_delete(taho_error *e) {
    if (e != &oom_error) tb_free(e);
}

/* ---- traps ---- */

/* The two enums list the same traps in the same order; keep them in step. */
_Static_assert((int)RT_TRAP_EXIT == (int)TAHO_TRAP_EXIT, "trap codes out of step");
_Static_assert((int)RT_TRAP_INTERRUPT == (int)TAHO_TRAP_INTERRUPT, "trap codes out of step");

static taho_trap oom_trap = {TAHO_TRAP_HOST, 0, "out of memory"};

static taho_trap *trap_alloc(void) {
    taho_trap *t = tb_calloc(1, sizeof *t);
    return t ? t : &oom_trap;
}

rt_trap_code api_trap_code_to_rt(taho_trap_code c) {
    return c >= TAHO_TRAP_UNREACHABLE && c <= TAHO_TRAP_INTERRUPT ? (rt_trap_code)c : RT_TRAP_HOST;
}

static void frame_text(char *buf, size_t n, const tw_module *m, uint32_t func, uint32_t off) {
    const tw_name *name = m ? tw_func_name(m, func) : NULL;
    if (name) snprintf(buf, n, "%.*s+0x%x", (int)name->len, name->s, off);
    else snprintf(buf, n, "func[%u]+0x%x", func, off);
}

taho_trap *api_trap_from(const rt_trap *rt) {
    taho_trap *t = trap_alloc();
    if (t == &oom_trap) return t;
    t->code = (taho_trap_code)rt->code;
    t->exit_status = rt->exit_status;
    if (rt->code == RT_TRAP_HOST && rt->host_message[0])
        snprintf(t->message, sizeof t->message, "%s", rt->host_message);
    else if (rt->code == RT_TRAP_EXIT)
        snprintf(t->message, sizeof t->message, "exit with status %d", rt->exit_status);
    else
        snprintf(t->message, sizeof t->message, "%s", rt_trap_message(rt->code));
    t->nframes = rt->nframes < RT_MAX_FRAMES ? rt->nframes : RT_MAX_FRAMES;
    for (size_t i = 0; i < t->nframes; i++)
        frame_text(t->frames[i], sizeof t->frames[i], rt->frames[i].module, rt->frames[i].func,
                   rt->frames[i].offset);
    return t;
}

taho_trap_code taho_trap_code_of(const taho_trap *t) { return t->code; }
const char *taho_trap_message(const taho_trap *t) { return t->message; }
int taho_trap_exit_status(const taho_trap *t) { return t->exit_status; }
_Static_assert(TAHO_TRAP_MAX_FRAMES == RT_MAX_FRAMES, "taho.h and trap.h agree on frames");

size_t taho_trap_frame_count(const taho_trap *t) { return t->nframes; }

const char *taho_trap_frame(const taho_trap *t, size_t i) {
    return i < t->nframes ? t->frames[i] : NULL;
}

taho_trap *taho_trap_new(const char *message) {
    taho_trap *t = trap_alloc();
    if (t == &oom_trap) return t;
    t->code = TAHO_TRAP_HOST;
    snprintf(t->message, sizeof t->message, "%s", message ? message : "host trap");
    return t;
}

taho_trap *taho_trap_new_exit(int status) {
    taho_trap *t = trap_alloc();
    if (t == &oom_trap) return t;
    t->code = TAHO_TRAP_EXIT;
    t->exit_status = status;
    snprintf(t->message, sizeof t->message, "exit with status %d", status);
    return t;
}

void taho_trap_delete(taho_trap *t) {
    if (t != &oom_trap) tb_free(t);
}
