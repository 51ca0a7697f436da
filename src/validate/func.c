/* func: type-checks function bodies with the spec's algorithm (operand stack with an
   Unknown type for unreachable code, a stack of control frames). One pass per body; the
   stacks are reused across bodies, so nothing is allocated per instruction. */
#include "val_internal.h"
#include "../decode/reader.h"
#include <stdio.h>

typedef struct val_frame {
    tw_op op;                 /* BLOCK, LOOP, IF, ELSE; BLOCK for the function itself */
    bool unreachable;         /* after br/return/unreachable: pops may invent values */
    uint32_t height;          /* operand stack height on entry */
    uint32_t nparams, nresults;
    const tw_valtype *params, *results;
} val_frame;

typedef struct val_ctx {
    const tw_module *m;
    tb_error *err;
    const tw_functype *ft;    /* the function being checked */
    const tw_func *fn;
    dec_instr in;             /* the instruction being checked, for messages */
    TB_VEC(tw_valtype) vals;
    TB_VEC(val_frame) ctrls;
} val_ctx;

/* One-element type sequences for `block (result t)`: index by t - TW_EXTERNREF. */
static const tw_valtype k_single[] = {
    0x6F, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77,
    0x78, 0x79, 0x7A, 0x7B, 0x7C, 0x7D, 0x7E, 0x7F,
};

/* ---- errors: "<spec phrase> in <instr> at 0x<offset>[: detail]" ---- */

static bool fail(val_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(val_ctx *c, const char *fmt, ...) {
    char what[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return tb_fail(c->err, TB_ERR_INVALID, c->in.offset, "%s in %s at 0x%x", what,
                   tw_opinfos[c->in.op].name, c->in.offset);
}

static bool fail_detail(val_ctx *c, const char *phrase, const char *detail) {
    return tb_fail(c->err, TB_ERR_INVALID, c->in.offset, "%s in %s at 0x%x: %s", phrase,
                   tw_opinfos[c->in.op].name, c->in.offset, detail);
}

static const char *type_name(tw_valtype t) {
    return t == VAL_UNKNOWN ? "a value" : tw_valtype_name(t);
}

static bool mismatch(val_ctx *c, tw_valtype want, const char *got) {
    char d[80];
    snprintf(d, sizeof d, "expected %s, got %s", type_name(want), got);
    return fail_detail(c, "type mismatch", d);
}

static bool malformed(val_ctx *c, const char *what) {
    return tb_fail(c->err, TB_ERR_MALFORMED, c->in.offset, "%s at 0x%x", what, c->in.offset);
}

/* ---- operand stack ---- */

static val_frame *top(val_ctx *c) { return &c->ctrls.v[c->ctrls.len - 1]; }

static bool push(val_ctx *c, tw_valtype t) {
    if (!tb_vec_push(&c->vals, t)) return tb_oom(c->err);
    return true;
}

static bool push_n(val_ctx *c, const tw_valtype *ts, uint32_t n) {
    if (n == 0) return true; /* ts and the stack may still be NULL */
    if (!tb_vec_reserve(&c->vals, c->vals.len + n)) return tb_oom(c->err);
    memcpy(c->vals.v + c->vals.len, ts, n);
    c->vals.len += n;
    return true;
}

/* Pop one operand of type `want` (VAL_UNKNOWN: any); *got is what was there. */
static bool pop(val_ctx *c, tw_valtype want, tw_valtype *got) {
    val_frame *f = top(c);
    if (c->vals.len == f->height) {
        *got = VAL_UNKNOWN;
        return f->unreachable || mismatch(c, want, "nothing");
    }
    tw_valtype t = c->vals.v[--c->vals.len];
    *got = t;
    if (t == want || t == VAL_UNKNOWN || want == VAL_UNKNOWN) return true;
    return mismatch(c, want, tw_valtype_name(t));
}

static bool pop_t(val_ctx *c, tw_valtype want) {
    tw_valtype got;
    return pop(c, want, &got);
}

static bool pop_n(val_ctx *c, const tw_valtype *ts, uint32_t n) {
    for (uint32_t i = n; i-- > 0;)
        if (!pop_t(c, ts[i])) return false;
    return true;
}

/* Like pop_n, but leaves the operands in place (br_table targets). */
static bool peek_n(val_ctx *c, const tw_valtype *ts, uint32_t n) {
    val_frame *f = top(c);
    uint32_t avail = c->vals.len - f->height;
    for (uint32_t i = 0; i < n; i++) {
        tw_valtype want = ts[n - 1 - i];
        if (i >= avail) return f->unreachable || mismatch(c, want, "nothing");
        tw_valtype t = c->vals.v[c->vals.len - 1 - i];
        if (t != want && t != VAL_UNKNOWN) return mismatch(c, want, tw_valtype_name(t));
    }
    return true;
}

static void set_unreachable(val_ctx *c) {
    val_frame *f = top(c);
    c->vals.len = f->height;
    f->unreachable = true;
}

/* ---- control frames ---- */

static bool push_ctrl(val_ctx *c, tw_op op, const tw_blocktype *bt) {
    val_frame f = {.op = op, .height = c->vals.len, .nparams = bt->nparams,
                   .nresults = bt->nresults, .params = bt->params, .results = bt->results};
    if (!tb_vec_push(&c->ctrls, f)) return tb_oom(c->err);
    return push_n(c, bt->params, bt->nparams);
}

/* Check the frame's results are exactly what is on the stack, then drop the frame. */
static bool pop_ctrl(val_ctx *c, val_frame *out) {
    val_frame *f = top(c);
    if (!pop_n(c, f->results, f->nresults)) return false;
    if (c->vals.len != f->height) {
        char d[80];
        snprintf(d, sizeof d, "%u extra value(s) left at the end of the block",
                 c->vals.len - f->height);
        return fail_detail(c, "type mismatch", d);
    }
    *out = *f;
    c->ctrls.len--;
    return true;
}

/* The types a branch to frame f carries: a loop's label is its start. */
static void label_types(const val_frame *f, const tw_valtype **ts, uint32_t *n) {
    if (f->op == TW_OP_LOOP) *ts = f->params, *n = f->nparams;
    else *ts = f->results, *n = f->nresults;
}

static bool label(val_ctx *c, uint32_t depth, val_frame **out) {
    if (depth >= c->ctrls.len) return fail(c, "unknown label %u", depth);
    *out = &c->ctrls.v[c->ctrls.len - 1 - depth];
    return true;
}

static bool block_type(val_ctx *c, tw_blocktype *bt) {
    memset(bt, 0, sizeof *bt);
    switch (c->in.u.block.kind) {
    case DEC_BLOCK_EMPTY:
        return true;
    case DEC_BLOCK_VALTYPE:
        bt->nresults = 1;
        bt->results = &k_single[c->in.u.block.valtype - TW_EXTERNREF];
        return true;
    case DEC_BLOCK_TYPEIDX:
        break;
    }
    uint32_t idx = c->in.u.block.typeidx;
    if (idx >= c->m->ntypes) return fail(c, "unknown type %u", idx);
    const tw_functype *t = &c->m->types[idx];
    bt->nparams = t->nparams, bt->params = t->params;
    bt->nresults = t->nresults, bt->results = t->results;
    return true;
}

/* ---- control instructions ---- */

static bool op_block(val_ctx *c) {
    tw_blocktype bt;
    if (!block_type(c, &bt)) return false;
    if (c->in.op == TW_OP_IF && !pop_t(c, TW_I32)) return false;
    return pop_n(c, bt.params, bt.nparams) && push_ctrl(c, c->in.op, &bt);
}

static bool op_else(val_ctx *c) {
    if (top(c)->op != TW_OP_IF) return malformed(c, "else without matching if");
    val_frame f;
    if (!pop_ctrl(c, &f)) return false;
    tw_blocktype bt = {f.nparams, f.nresults, f.params, f.results};
    return push_ctrl(c, TW_OP_ELSE, &bt);
}

static bool op_end(val_ctx *c) {
    val_frame f;
    if (!pop_ctrl(c, &f)) return false;
    /* An `if` without `else` has an implicit empty else: it passes its params through. */
    if (f.op == TW_OP_IF &&
        (f.nparams != f.nresults || (f.nparams && memcmp(f.params, f.results, f.nparams))))
        return fail_detail(c, "type mismatch", "if without else must not change the types");
    if (c->ctrls.len == 0) return true; /* the function's final end */
    return push_n(c, f.results, f.nresults);
}

static bool op_br(val_ctx *c) {
    val_frame *l;
    const tw_valtype *ts;
    uint32_t n;
    if (!label(c, c->in.u.idx, &l)) return false;
    label_types(l, &ts, &n);
    /* br_if leaves the label's types (not what was popped: they may be Unknown). */
    if (c->in.op == TW_OP_BR_IF) return pop_t(c, TW_I32) && pop_n(c, ts, n) && push_n(c, ts, n);
    if (!pop_n(c, ts, n)) return false;
    set_unreachable(c);
    return true;
}

static bool op_br_table(val_ctx *c) {
    val_frame *l;
    const tw_valtype *ts, *dts;
    uint32_t n, arity;
    if (!pop_t(c, TW_I32) || !label(c, c->in.u.br_table.default_label, &l)) return false;
    label_types(l, &dts, &arity);
    const uint8_t *p = c->in.u.br_table.targets;
    for (uint32_t i = 0; i < c->in.u.br_table.count; i++) {
        if (!label(c, dec_u32_trusted(&p), &l)) return false;
        label_types(l, &ts, &n);
        if (n != arity)
            return fail_detail(c, "type mismatch", "br_table targets differ in arity");
        if (!peek_n(c, ts, n)) return false;
    }
    if (!pop_n(c, dts, arity)) return false;
    set_unreachable(c);
    return true;
}

static bool op_return(val_ctx *c) {
    if (!pop_n(c, c->ft->results, c->ft->nresults)) return false;
    set_unreachable(c);
    return true;
}

static bool call_type(val_ctx *c, const tw_functype *t) {
    return pop_n(c, t->params, t->nparams) && push_n(c, t->results, t->nresults);
}

static bool op_call(val_ctx *c) {
    uint32_t f = c->in.u.idx;
    if (f >= c->m->nfuncs) return fail(c, "unknown function %u", f);
    return call_type(c, tw_func_type(c->m, f));
}

static bool op_call_indirect(val_ctx *c) {
    uint32_t tab = c->in.u.call_indirect.table, ti = c->in.u.call_indirect.type;
    if (tab >= c->m->ntables) return fail(c, "unknown table %u", tab);
    if (c->m->tables[tab].elem != TW_FUNCREF)
        return fail_detail(c, "type mismatch", "call_indirect needs a funcref table");
    if (ti >= c->m->ntypes) return fail(c, "unknown type %u", ti);
    return pop_t(c, TW_I32) && call_type(c, &c->m->types[ti]);
}

/* ---- parametric, variables, references, tables ---- */

static bool op_select(val_ctx *c) {
    tw_valtype t1, t2;
    if (c->in.op == TW_OP_SELECT_T) {
        if (c->in.u.select.count != 1)
            return fail(c, "invalid result arity %u", c->in.u.select.count);
        tw_valtype t = c->in.u.select.type;
        return pop_t(c, TW_I32) && pop_t(c, t) && pop_t(c, t) && push(c, t);
    }
    if (!pop_t(c, TW_I32) || !pop(c, VAL_UNKNOWN, &t1) || !pop(c, VAL_UNKNOWN, &t2))
        return false;
    /* Untyped select only takes numbers and vectors: references need select (result t). */
    if (tw_is_ref(t1) || tw_is_ref(t2))
        return fail_detail(c, "type mismatch", "select without a type needs numeric or vector operands");
    if (t1 != t2 && t1 != VAL_UNKNOWN && t2 != VAL_UNKNOWN) return mismatch(c, t1, tw_valtype_name(t2));
    return push(c, t1 == VAL_UNKNOWN ? t2 : t1);
}

static bool local_type(val_ctx *c, tw_valtype *t) {
    uint64_t idx = c->in.u.idx, np = c->ft->nparams;
    if (idx < np) *t = c->ft->params[idx];
    else if (idx - np < c->fn->nlocals) *t = c->fn->locals[idx - np];
    else return fail(c, "unknown local %u", c->in.u.idx);
    return true;
}

static bool op_local(val_ctx *c) {
    tw_valtype t;
    if (!local_type(c, &t)) return false;
    switch (c->in.op) {
    case TW_OP_LOCAL_GET: return push(c, t);
    case TW_OP_LOCAL_SET: return pop_t(c, t);
    default: return pop_t(c, t) && push(c, t); /* local.tee */
    }
}

static bool op_global(val_ctx *c) {
    uint32_t g = c->in.u.idx;
    if (g >= c->m->nglobals) return fail(c, "unknown global %u", g);
    const tw_globaltype *gt = &c->m->global_types[g];
    if (c->in.op == TW_OP_GLOBAL_GET) return push(c, gt->type);
    if (!gt->mut) return fail(c, "global is immutable: global %u", g);
    return pop_t(c, gt->type);
}

static bool op_ref(val_ctx *c) {
    tw_valtype t;
    switch (c->in.op) {
    case TW_OP_REF_NULL:
        return push(c, c->in.u.reftype);
    case TW_OP_REF_IS_NULL:
        if (!pop(c, VAL_UNKNOWN, &t)) return false;
        if (t != VAL_UNKNOWN && !tw_is_ref(t)) return mismatch(c, TW_FUNCREF, tw_valtype_name(t));
        return push(c, TW_I32);
    default: /* ref.func */
        if (c->in.u.idx >= c->m->nfuncs) return fail(c, "unknown function %u", c->in.u.idx);
        if (!val_is_declared_ref(c->m, c->in.u.idx))
            return fail(c, "undeclared function reference %u", c->in.u.idx);
        return push(c, TW_FUNCREF);
    }
}

static bool op_table(val_ctx *c) {
    tw_valtype t = c->m->tables[c->in.u.idx].elem; /* index checked with the immediates */
    switch (c->in.op) {
    case TW_OP_TABLE_GET: return pop_t(c, TW_I32) && push(c, t);
    case TW_OP_TABLE_SET: return pop_t(c, t) && pop_t(c, TW_I32);
    case TW_OP_TABLE_GROW: return pop_t(c, TW_I32) && pop_t(c, t) && push(c, TW_I32);
    default: return pop_t(c, TW_I32) && pop_t(c, t) && pop_t(c, TW_I32); /* table.fill */
    }
}

static bool op_special(val_ctx *c) {
    switch (c->in.op) {
    case TW_OP_UNREACHABLE: set_unreachable(c); return true;
    case TW_OP_BLOCK: case TW_OP_LOOP: case TW_OP_IF: return op_block(c);
    case TW_OP_ELSE: return op_else(c);
    case TW_OP_END: return op_end(c);
    case TW_OP_BR: case TW_OP_BR_IF: return op_br(c);
    case TW_OP_BR_TABLE: return op_br_table(c);
    case TW_OP_RETURN: return op_return(c);
    case TW_OP_CALL: return op_call(c);
    case TW_OP_CALL_INDIRECT: return op_call_indirect(c);
    case TW_OP_DROP: return pop_t(c, VAL_UNKNOWN);
    case TW_OP_SELECT: case TW_OP_SELECT_T: return op_select(c);
    case TW_OP_LOCAL_GET: case TW_OP_LOCAL_SET: case TW_OP_LOCAL_TEE: return op_local(c);
    case TW_OP_GLOBAL_GET: case TW_OP_GLOBAL_SET: return op_global(c);
    case TW_OP_REF_NULL: case TW_OP_REF_IS_NULL: case TW_OP_REF_FUNC: return op_ref(c);
    case TW_OP_TABLE_GET: case TW_OP_TABLE_SET: case TW_OP_TABLE_GROW: case TW_OP_TABLE_FILL:
        return op_table(c);
    default:
        return fail(c, "unhandled instruction"); /* opcodes.def gained a "*" entry */
    }
}

/* ---- immediates: indices, alignment, lanes ---- */

static bool need_memory(val_ctx *c) {
    return c->m->nmems > 0 || fail(c, "unknown memory 0");
}

static bool need_table(val_ctx *c, uint32_t t) {
    return t < c->m->ntables || fail(c, "unknown table %u", t);
}

static bool need_elem(val_ctx *c, uint32_t e) {
    return e < c->m->nelems || fail(c, "unknown elem segment %u", e);
}

/* ("data count section required" is a binary-format rule, checked by the decoder.) */
static bool need_data(val_ctx *c, uint32_t d) {
    return d < c->m->ndatas || fail(c, "unknown data segment %u", d);
}

static bool check_memarg(val_ctx *c) {
    if (!need_memory(c)) return false;
    int natural = val_natural_align(c->in.op);
    if (c->in.u.mem.align > (uint32_t)natural)
        return fail(c, "alignment must not be larger than natural (2^%u > %u bytes)",
                    c->in.u.mem.align, 1u << natural);
    return true;
}

static bool check_lane(val_ctx *c, uint8_t lane) {
    uint32_t n = val_lane_count(c->in.op);
    return lane < n || fail(c, "invalid lane index %u (%u lanes)", lane, n);
}

static bool check_shuffle(val_ctx *c) {
    for (int i = 0; i < 16; i++)
        if (c->in.u.v128[i] >= 32) return fail(c, "invalid lane index %u", c->in.u.v128[i]);
    return true;
}

static bool check_table_init(val_ctx *c) {
    uint32_t t = c->in.u.init.table, e = c->in.u.init.seg;
    if (!need_table(c, t) || !need_elem(c, e)) return false;
    if (c->m->tables[t].elem != c->m->elems[e].type)
        return fail_detail(c, "type mismatch", "element segment and table types differ");
    return true;
}

static bool check_table_copy(val_ctx *c) {
    uint32_t d = c->in.u.copy.dst, s = c->in.u.copy.src;
    if (!need_table(c, d) || !need_table(c, s)) return false;
    if (c->m->tables[d].elem != c->m->tables[s].elem)
        return fail_detail(c, "type mismatch", "table element types differ");
    return true;
}

static bool check_immediates(val_ctx *c) {
    switch (tw_opinfos[c->in.op].imm) {
    case IMM_MEMARG: return check_memarg(c);
    case IMM_MEMARG_LANE: return check_memarg(c) && check_lane(c, c->in.u.mem.lane);
    case IMM_LANE: return check_lane(c, c->in.u.lane);
    case IMM_SHUFFLE: return check_shuffle(c);
    case IMM_MEMIDX: case IMM_MEMORY_COPY: return need_memory(c);
    case IMM_MEMORY_INIT: return need_memory(c) && need_data(c, c->in.u.init.seg);
    case IMM_DATA: return need_data(c, c->in.u.idx);
    case IMM_TABLE: return need_table(c, c->in.u.idx);
    case IMM_ELEM: return need_elem(c, c->in.u.idx);
    case IMM_TABLE_INIT: return check_table_init(c);
    case IMM_TABLE_COPY: return check_table_copy(c);
    default: return true; /* the rest are checked where the instruction is typed */
    }
}

/* ---- the generic case: a stack signature from opcodes.def, e.g. "ii>i" ---- */

/* Signatures pre-split once, so the hot loop does not scan strings. opcodes.def has at
   most 3 operands and 1 result per signature (test_validate.c checks it). */
typedef struct val_sig {
    uint8_t npop, npush;
    tw_valtype pop[3], push;
} val_sig;

static val_sig k_sigs[TW_OP_COUNT];
static bool k_sigs_ready;

static tw_valtype sig_type(char ch) {
    switch (ch) {
    case 'i': return TW_I32;
    case 'l': return TW_I64;
    case 'f': return TW_F32;
    case 'd': return TW_F64;
    default: return TW_V128;
    }
}

/* Each entry is computed locally and stored whole, so two threads building at once
   store the same values. */
static void build_sigs(void) {
    for (int op = 0; op < TW_OP_COUNT; op++) {
        const char *p = tw_opinfos[op].sig;
        val_sig s = {0};
        if (*p == '*') continue;
        for (; *p != '>' && s.npop < 3; p++) s.pop[s.npop++] = sig_type(*p);
        if (*p == '>' && p[1]) s.push = sig_type(p[1]), s.npush = 1;
        k_sigs[op] = s;
    }
    __atomic_store_n(&k_sigs_ready, true, __ATOMIC_RELEASE);
}

static bool apply_sig(val_ctx *c, const val_sig *s) {
    for (uint32_t i = s->npop; i-- > 0;)
        if (!pop_t(c, s->pop[i])) return false;
    return s->npush == 0 || push(c, s->push);
}

static bool check_instr(val_ctx *c) {
    if (!check_immediates(c)) return false;
    return tw_opinfos[c->in.op].sig[0] == '*' ? op_special(c) : apply_sig(c, &k_sigs[c->in.op]);
}

/* ---- one body ---- */

static bool check_body(val_ctx *c, uint32_t defidx) {
    const tw_module *m = c->m;
    c->fn = &m->funcs[defidx];
    c->ft = tw_func_type(m, m->nimported_funcs + defidx);
    c->vals.len = c->ctrls.len = 0;
    tw_blocktype fb = {0, c->ft->nresults, NULL, c->ft->results};
    if (!push_ctrl(c, TW_OP_BLOCK, &fb)) return false;
    dec_reader r = {.p = c->fn->code, .end = c->fn->code + c->fn->code_len,
                    .base = c->fn->code - c->fn->code_offset};
    /* The decoder already ends each body at its final `end`; the two checks below keep
       hand-built modules from reading past their code. */
    while (c->ctrls.len > 0) {
        if (dec_at_end(&r))
            return tb_fail(c->err, TB_ERR_MALFORMED, dec_offset(&r), "END opcode expected");
        if (!dec_instr_next(&r, &c->in, c->err) || !check_instr(c)) return false;
    }
    if (!dec_at_end(&r))
        return tb_fail(c->err, TB_ERR_MALFORMED, dec_offset(&r),
                       "section size mismatch: bytes after the function's final end");
    return true;
}

bool val_code(const tw_module *m, tb_error *err) {
    if (!__atomic_load_n(&k_sigs_ready, __ATOMIC_ACQUIRE)) build_sigs();
    val_ctx c = {.m = m, .err = err};
    bool ok = true;
    for (uint32_t i = 0; ok && i < m->nfuncs - m->nimported_funcs; i++) ok = check_body(&c, i);
    tb_vec_free(&c.vals);
    tb_vec_free(&c.ctrls);
    return ok;
}
