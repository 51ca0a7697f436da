/* lower: validated Wasm function bodies -> register-based interpreter code, once per
   module. The operand stack is tracked symbolically (a value may still be "local n" or
   a constant), so local.get and constants cost nothing until an instruction reads them,
   and results are written straight into the slot where they are needed. */
#include "internal.h"
#include "fuel.h"
#include "../decode/reader.h"

typedef enum { V_TEMP, V_LOCAL, V_CONST } vkind;

/* One operand-stack entry. Every entry has a home slot (its depth's place in the frame);
   a V_TEMP value lives there, a V_LOCAL one is read from the local's slot, a V_CONST
   one is an immediate until something needs it in a slot. */
typedef struct vent {
    uint8_t kind;
    tw_valtype type;
    uint32_t slot;
    uint32_t local;
    uint64_t k;
} vent;

enum { C_FUNC, C_BLOCK, C_LOOP, C_IF, C_ELSE };

typedef struct ctrl {
    uint8_t kind;
    bool dead;             /* entered in unreachable code: nothing is emitted inside */
    bool unreachable;      /* the rest of this block is unreachable */
    uint32_t height;       /* stack entries below the block's params */
    uint32_t slot_base;    /* home slot of the first param / result */
    uint32_t nparams, nresults;
    const tw_valtype *params, *results;
    uint32_t label;        /* loops: cell index of the loop head */
    uint32_t fixups;       /* forward branches: chain of target cells (index + 1) */
    uint32_t else_cell;    /* if: target cell of the jump to the else arm, or NONE */
} ctrl;

#define NONE UINT32_MAX

/* What produced the value on top of the stack, for fusing it into what consumes it. */
enum { LAST_OTHER, LAST_DST, LAST_CMP, LAST_EQZ };
/* Which accumulator (internal.h) holds the last result, if any. */
enum { ACC_NONE, ACC_I, ACC_F32, ACC_F64 };

typedef struct lower {
    const tw_module *m;
    interp_module *im;
    interp_func *f;
    tb_error *err;
    bool failed;
    TB_VEC(icell) code;
    TB_VEC(vent) stack;
    TB_VEC(ctrl) ctrls;
    TB_VEC(uint32_t) relocs;       /* cells holding a cell index to turn into a pointer */
    TB_VEC(interp_pcmap) pcmap;
    uint32_t *local_slot;          /* slot of each local (params first) */
    tw_valtype *local_type;
    uint32_t nlocals;
    uint32_t temps_base;           /* first temporary slot */
    uint32_t max_slot;
    uint32_t offset;               /* module offset of the current instruction */
    unsigned checks;               /* INTERP_CHECK_*: fuel/epoch checks (fuel.c) */
    uint32_t check_cell;           /* cost cell of the last check, or NONE */
    uint32_t since_check;          /* Wasm instructions lowered since that check */
    /* the last instruction producing a value: [last_start, last_end) */
    uint32_t last_start, last_end, last_dst;
    int last_kind, last_form, last_acc;
    tw_op last_op;
    /* the last scalar load, for fusing it further: [start, end), result slot, address
       slot, offset, address immediate (imm_addr: the address was slot + imm) */
    struct { uint32_t start, end, dst, addr, offset, imm; bool imm_addr; tw_op op; } ld;
    /* the last two scalar loads of any form (cld_prev emitted right before cld when
       cld_prev.end == cld.start); plain: the address was exactly slot addr */
    struct { uint32_t start, end, dst, addr, offset; bool plain; tw_op op; } cld, cld_prev;
    /* a fused multiply-add whose other operand was loaded from [caddr + coff] just
       before it: storing its result back there makes the three one instruction */
    struct { uint32_t start, end, dst, caddr, coff, m1, baddr, boff, bimm; tw_op store;
             ihandler h; } rmw;
    /* the value producer just before the last one, when their code is contiguous */
    struct { uint32_t start, end; int form; tw_op op; } prev;
    uint32_t add2_at;              /* the last pair of adds fused into h_add2 */
    vent scratch;                  /* what push returns when memory ran out */
} lower;

/* Value types indexed by themselves, so a single-valtype block type can point at one. */
static const tw_valtype valtypes[256] = {
    [TW_I32] = TW_I32, [TW_I64] = TW_I64, [TW_F32] = TW_F32, [TW_F64] = TW_F64,
    [TW_V128] = TW_V128, [TW_FUNCREF] = TW_FUNCREF, [TW_EXTERNREF] = TW_EXTERNREF,
};

/* ---- emitting ---- */

static uint32_t here(lower *L) { return L->code.len; }

static void emit_cell(lower *L, icell c) {
    if (!tb_vec_push(&L->code, c)) L->failed = true;
}
static void emit_h(lower *L, ihandler h) { emit_cell(L, (icell){.h = h}); }
static void emit_ab(lower *L, uint32_t a, uint32_t b) { emit_cell(L, (icell){.w = {a, b}}); }
static void emit_u(lower *L, uint64_t u) { emit_cell(L, (icell){.u = u}); }
/* A branch target cell, holding a cell index until the code is final. */
static uint32_t emit_target(lower *L, uint32_t target) {
    uint32_t at = here(L);
    emit_u(L, target);
    if (!tb_vec_push(&L->relocs, at)) L->failed = true;
    return at;
}
static void set_cell_u(lower *L, uint32_t at, uint64_t u) {
    if (at < L->code.len) L->code.v[at].u = u;
}

/* A label: code reached by branches; a value computed before it cannot be retargeted
   or fused, since other paths also write its slot. */
static uint32_t label_here(lower *L) {
    L->last_end = NONE;
    return here(L);
}

/* Fuel/epoch check (only when the engine asked for them); the previous check is
   charged for the instructions lowered since it. */
static void charge_check(lower *L) {
    if (L->check_cell != NONE) set_cell_u(L, L->check_cell, L->since_check ? L->since_check : 1);
    L->check_cell = NONE;
}
static void emit_check(lower *L) {
    if (!L->checks) return;
    charge_check(L);
    emit_h(L, interp_check_handler(L->checks));
    L->check_cell = here(L);
    emit_u(L, 1);
    L->since_check = 0;
}

static int acc_kind(tw_valtype t) {
    switch (t) {
    case TW_I32: case TW_I64: return ACC_I;
    case TW_F32: return ACC_F32;
    case TW_F64: return ACC_F64;
    default: return ACC_NONE;
    }
}

/* The instruction [start, here) wrote its result to dst (and to the accumulator if
   acc); kind and form say how it may be fused with what consumes it. */
static void note_result(lower *L, uint32_t start, int kind, tw_op op, uint32_t dst,
                        int form, bool acc, tw_valtype type) {
    /* a fusion that rewrote the last producer starts before its end: no prev then */
    if (L->last_end == start)
        L->prev = (typeof(L->prev)){L->last_start, L->last_end, L->last_form, L->last_op};
    else
        L->prev.end = NONE;
    L->rmw.end = NONE; /* its muladd must be the last producer */
    L->last_start = start;
    L->last_end = here(L);
    L->last_kind = kind;
    L->last_form = form;
    L->last_op = op;
    L->last_dst = dst;
    L->last_acc = acc ? acc_kind(type) : ACC_NONE;
}

/* ---- the symbolic operand stack ---- */

static uint32_t next_slot(lower *L) {
    if (!L->stack.len) return L->temps_base;
    vent *t = &L->stack.v[L->stack.len - 1];
    return t->slot + tw_slots(t->type);
}

static void use_slots(lower *L, uint32_t end) {
    if (end > L->max_slot) L->max_slot = end;
}

static vent *push(lower *L, uint8_t kind, tw_valtype type) {
    vent e = {.kind = kind, .type = type, .slot = next_slot(L)};
    use_slots(L, e.slot + tw_slots(type));
    if (!tb_vec_push(&L->stack, e)) {
        L->failed = true;
        L->scratch = e;   /* per lowering: functions are lowered on any thread now */
        return &L->scratch;
    }
    return &L->stack.v[L->stack.len - 1];
}
static uint32_t push_temp(lower *L, tw_valtype type) { return push(L, V_TEMP, type)->slot; }

static vent pop(lower *L) {
    if (!L->stack.len) { L->failed = true; return (vent){0}; }
    return L->stack.v[--L->stack.len];
}
static vent *top(lower *L, uint32_t i) { return &L->stack.v[L->stack.len - 1 - i]; }

/* Write a value's current contents into slot dst. */
static void emit_move(lower *L, const vent *e, uint32_t dst) {
    if (e->kind == V_CONST) {
        emit_h(L, h_const64);
        emit_ab(L, dst, 0);
        emit_u(L, e->k);
    } else {
        uint32_t src = e->kind == V_LOCAL ? e->local : e->slot;
        if (src == dst) return;
        emit_h(L, tw_slots(e->type) == 2 ? h_copy2 : h_copy);
        emit_ab(L, dst, src);
    }
}

/* Make e a temporary in its home slot. */
static void materialize(lower *L, vent *e) {
    if (e->kind == V_TEMP) return;
    emit_move(L, e, e->slot);
    e->kind = V_TEMP;
}

/* The slot holding e's value (constants are put in their home slot). */
static uint32_t slot_of(lower *L, vent *e) {
    if (e->kind == V_CONST) materialize(L, e);
    return e->kind == V_LOCAL ? e->local : e->slot;
}

/* Is e's value in the accumulator (computed by the instruction just emitted)? */
static bool is_acc(const lower *L, const vent *e) {
    if (e->kind == V_CONST || L->last_end != L->code.len || L->last_acc == ACC_NONE)
        return false;
    uint32_t s = e->kind == V_LOCAL ? e->local : e->slot;
    return s == L->last_dst && acc_kind(e->type) == L->last_acc;
}

/* Before local n changes, stacked reads of it must take the old value. */
static bool local_pending(lower *L, uint32_t slot) {
    for (uint32_t i = 0; i < L->stack.len; i++)
        if (L->stack.v[i].kind == V_LOCAL && L->stack.v[i].local == slot) return true;
    return false;
}
static void materialize_local(lower *L, uint32_t slot) {
    for (uint32_t i = 0; i < L->stack.len; i++)
        if (L->stack.v[i].kind == V_LOCAL && L->stack.v[i].local == slot)
            materialize(L, &L->stack.v[i]);
}
/* At block boundaries every path must agree where values are: no pending local reads
   (the block may write the local), and the top n values in their home slots. */
static void materialize_locals(lower *L) {
    for (uint32_t i = 0; i < L->stack.len; i++)
        if (L->stack.v[i].kind == V_LOCAL) materialize(L, &L->stack.v[i]);
}
static void materialize_top(lower *L, uint32_t n) {
    for (uint32_t i = L->stack.len - n; i < L->stack.len; i++) materialize(L, &L->stack.v[i]);
}

/* ---- control ---- */

static ctrl *ctrl_at(lower *L, uint32_t depth) { return &L->ctrls.v[L->ctrls.len - 1 - depth]; }

static void label_arity(const ctrl *c, uint32_t *n, const tw_valtype **types) {
    if (c->kind == C_LOOP) { *n = c->nparams; *types = c->params; }
    else { *n = c->nresults; *types = c->results; }
}

static void set_unreachable(lower *L) {
    ctrl *c = ctrl_at(L, 0);
    c->unreachable = true;
    L->stack.len = c->height;
    L->last_end = NONE;
}

/* Copy the top values (the label's arity) into the label's slots. Ascending order is
   safe: each source is at or above its destination, and locals are below all. */
static bool branch_needs_copies(lower *L, const ctrl *c) {
    uint32_t n;
    const tw_valtype *t;
    label_arity(c, &n, &t);
    uint32_t dst = c->slot_base;
    for (uint32_t i = 0; i < n; i++) {
        vent *e = top(L, n - 1 - i);
        if (e->kind != V_TEMP || e->slot != dst) return true;
        dst += tw_slots(e->type);
    }
    return false;
}
static void emit_branch_copies(lower *L, const ctrl *c) {
    uint32_t n;
    const tw_valtype *t;
    label_arity(c, &n, &t);
    uint32_t dst = c->slot_base;
    for (uint32_t i = 0; i < n; i++) {
        vent *e = top(L, n - 1 - i);
        emit_move(L, e, dst);
        dst += tw_slots(e->type);
    }
}

/* Point target cell `at` at label c (loop head now, block end later). */
static void link_target(lower *L, uint32_t at, ctrl *c) {
    if (c->kind == C_LOOP) {
        set_cell_u(L, at, c->label);
    } else {
        set_cell_u(L, at, c->fixups);
        c->fixups = at + 1;
    }
}
static void resolve_fixups(lower *L, ctrl *c, uint32_t target) {
    for (uint32_t at = c->fixups; at; ) {
        uint32_t next = (uint32_t)L->code.v[at - 1].u;
        L->code.v[at - 1].u = target;
        at = next;
    }
    c->fixups = 0;
}

/* Results into fp[0..), then return. Doesn't pop: the caller marks unreachable. */
static void emit_return(lower *L) {
    const tw_functype *ft = tw_func_type(L->m, L->f->funcidx);
    uint32_t n = ft->nresults;
    /* With several results, sources may overlap destinations: stage them in their
       home slots first (above all destinations). This path may be conditional
       (br_if, br_table), so the stack entries themselves stay as they were. */
    if (n == 1 && tw_slots(top(L, 0)->type) == 1) {
        vent *e = top(L, 0);
        if (e->kind == V_CONST) { emit_h(L, h_retk); emit_u(L, e->k); return; }
        uint32_t src = e->kind == V_LOCAL ? e->local : e->slot;
        if (src) { emit_h(L, h_ret1); emit_ab(L, src, 0); return; }
    }
    uint32_t dst = 0;
    if (n > 1)
        for (uint32_t i = 0; i < n; i++) emit_move(L, top(L, n - 1 - i), top(L, n - 1 - i)->slot);
    for (uint32_t i = 0; i < n; i++) {
        vent e = *top(L, n - 1 - i);
        if (n > 1) e.kind = V_TEMP;
        emit_move(L, &e, dst);
        dst += tw_slots(e.type);
    }
    emit_h(L, h_ret);
}

/* Unconditional branch to label `depth`, including its copies. */
static void emit_br(lower *L, uint32_t depth) {
    ctrl *c = ctrl_at(L, depth);
    if (c->kind == C_FUNC) { emit_return(L); return; }
    emit_branch_copies(L, c);
    emit_h(L, h_br);
    link_target(L, emit_target(L, 0), c);
}

/* A branch condition: a slot, or a compare fused from the instruction before. */
typedef struct cond {
    enum { CD_SLOT, CD_NOT, CD_CMP, CD_ADDCMP, CD_ADD } kind;
    int form;
    tw_op op;
    uint32_t a, b;
    uint64_t imm;
    bool acc;              /* CD_SLOT: the value is also in the accumulator */
    /* CD_ADDCMP: the compare's accumulator operand is dst = src + add_imm, computed
       by the branch itself (a loop counter's step and test); CD_ADD: that sum is the
       condition */
    uint32_t add_dst, add_src;
    uint64_t add_imm;
} cond;

static bool form_has_imm(int form) { return form == F_SI || form == F_XI; }

/* If the producer at start (op, form) is an i32.add of a slot and an immediate, move
   it into the branch c and drop its code. It may be the second add of an h_add2: the
   first becomes a plain add again. */
static bool take_add(lower *L, uint32_t start, tw_op op, int form, cond *c) {
    bool split = L->add2_at != NONE && start == L->add2_at + 2 &&
                 L->code.v[L->add2_at].h == h_add2;
    if (!split && (op != TW_OP_I32_ADD || form != F_SI)) return false;
    const icell *p = &L->code.v[start];
    c->add_dst = p[1].w.a;
    c->add_src = p[1].w.b;
    c->add_imm = p[2].u;
    if (split) {
        L->code.v[L->add2_at].h = interp_binop[F_SI][TW_OP_I32_ADD];
        L->code.len = L->add2_at + 3;
        L->add2_at = NONE;
    } else {
        L->code.len = start;
    }
    return true;
}

/* The compare in c read the result of an i32.add of a slot and an immediate emitted
   just before it from the accumulator: the branch may compute both. */
static bool fuse_add_cmp(lower *L, cond *c) {
    if (c->kind != CD_CMP || (c->form != F_SX && c->form != F_XS && c->form != F_XI) ||
        L->prev.end != L->last_start || !interp_addbr[0][c->form][c->op])
        return false;
    if (!take_add(L, L->prev.start, L->prev.op, L->prev.form, c)) return false;
    c->kind = CD_ADDCMP;
    return true;
}

/* add_ok: the branch follows right away (br_if), so the add may move into it; an if
   first materializes pending local reads, which must see the add's result. */
static cond pop_cond(lower *L, bool add_ok) {
    vent e = pop(L);
    cond c = {.kind = CD_SLOT};
    if (e.kind == V_TEMP && L->last_end == here(L) && e.slot == L->last_dst &&
        L->last_kind >= LAST_CMP) {
        const icell *p = &L->code.v[L->last_start];
        c.op = L->last_op;
        c.form = L->last_form;
        c.a = p[1].w.b;
        if (L->last_kind == LAST_EQZ) c.kind = CD_NOT;
        else if (form_has_imm(c.form)) { c.kind = CD_CMP; c.imm = p[2].u; }
        else { c.kind = CD_CMP; c.b = p[2].w.a; }
        L->code.len = L->last_start; /* the branch computes it instead */
        if (add_ok) fuse_add_cmp(L, &c);
        L->last_end = L->prev.end = L->rmw.end = NONE;
        return c;
    }
    c.acc = is_acc(L, &e) && e.type == TW_I32;
    if (add_ok && c.acc && take_add(L, L->last_start, L->last_op, L->last_form, &c)) {
        c.kind = CD_ADD;
        L->last_end = L->prev.end = L->rmw.end = NONE;
        return c;
    }
    c.a = slot_of(L, &e);
    return c;
}

/* Jump when the condition is `sense`; returns the target cell (pointing at index 0). */
static uint32_t emit_cond_jump(lower *L, cond c, bool sense) {
    if (c.kind == CD_ADD) {
        emit_h(L, sense ? h_add_br_if : h_add_br_unless);
        emit_ab(L, c.add_dst, c.add_src);
        emit_u(L, c.add_imm);
    } else if (c.kind == CD_ADDCMP) {
        emit_h(L, interp_addbr[!sense][c.form][c.op]);
        emit_ab(L, c.add_dst, c.add_src);
        emit_u(L, c.add_imm);
        if (c.form == F_XI) emit_u(L, c.imm);
        else emit_ab(L, c.form == F_SX ? c.a : c.b, 0);
    } else if (c.kind == CD_CMP) {
        emit_h(L, sense ? interp_brcmp[c.form][c.op] : interp_brncmp[c.form][c.op]);
        emit_ab(L, c.a, c.b);
        if (form_has_imm(c.form)) emit_u(L, c.imm);
    } else {
        bool when_nonzero = sense == (c.kind == CD_SLOT);
        if (c.acc) emit_h(L, when_nonzero ? h_br_if_x : h_br_unless_x);
        else emit_h(L, when_nonzero ? h_br_if : h_br_unless);
        emit_ab(L, c.a, 0);
    }
    return emit_target(L, 0);
}

static void get_blocktype(lower *L, const dec_instr *in, uint32_t *np, const tw_valtype **p,
                          uint32_t *nr, const tw_valtype **r) {
    *np = *nr = 0;
    *p = *r = NULL;
    if (in->u.block.kind == DEC_BLOCK_VALTYPE) {
        *nr = 1;
        *r = &valtypes[in->u.block.valtype];
    } else if (in->u.block.kind == DEC_BLOCK_TYPEIDX) {
        const tw_functype *ft = &L->m->types[in->u.block.typeidx];
        *np = ft->nparams; *p = ft->params;
        *nr = ft->nresults; *r = ft->results;
    }
}

static void push_ctrl(lower *L, uint8_t kind, const dec_instr *in, bool dead) {
    ctrl c = {.kind = kind, .dead = dead, .unreachable = dead, .else_cell = NONE};
    if (!dead) {
        get_blocktype(L, in, &c.nparams, &c.params, &c.nresults, &c.results);
        materialize_locals(L);
        materialize_top(L, c.nparams);
        c.height = L->stack.len - c.nparams;
        c.slot_base = c.nparams ? top(L, c.nparams - 1)->slot : next_slot(L);
        /* results may need more room than params */
        uint32_t end = c.slot_base;
        for (uint32_t i = 0; i < c.nresults; i++) end += tw_slots(c.results[i]);
        use_slots(L, end);
        if (kind == C_LOOP) { c.label = label_here(L); emit_check(L); }
    } else {
        c.height = L->stack.len;
    }
    if (!tb_vec_push(&L->ctrls, c)) L->failed = true;
}

static void reset_stack_to(lower *L, uint32_t height, uint32_t n, const tw_valtype *types) {
    L->stack.len = height;
    for (uint32_t i = 0; i < n; i++) push_temp(L, types[i]);
}

static void lower_else(lower *L) {
    ctrl *c = ctrl_at(L, 0);
    if (c->dead) return;
    if (!c->unreachable) {
        materialize_top(L, c->nresults);
        emit_h(L, h_br);
        link_target(L, emit_target(L, 0), c);
    }
    uint32_t at = label_here(L);
    set_cell_u(L, c->else_cell, at);
    c->else_cell = NONE;
    c->kind = C_ELSE;
    c->unreachable = false;
    reset_stack_to(L, c->height, c->nparams, c->params);
}

/* Returns false at the end of the function. */
static bool lower_end(lower *L) {
    ctrl c = *ctrl_at(L, 0);
    L->ctrls.len--;
    if (c.dead) return true;
    if (c.kind == C_FUNC) {
        if (!c.unreachable) emit_return(L);
        return false;
    }
    if (!c.unreachable) materialize_top(L, c.nresults);
    uint32_t at = label_here(L);
    if (c.else_cell != NONE) set_cell_u(L, c.else_cell, at);
    resolve_fixups(L, &c, at);
    reset_stack_to(L, c.height, c.nresults, c.results);
    return true;
}

static void lower_br_if(lower *L, uint32_t depth) {
    cond cd = pop_cond(L, true);
    ctrl *c = ctrl_at(L, depth);
    if (c->kind == C_FUNC || branch_needs_copies(L, c)) {
        uint32_t skip = emit_cond_jump(L, cd, false);
        emit_br(L, depth);
        set_cell_u(L, skip, label_here(L));
    } else {
        link_target(L, emit_cond_jump(L, cd, true), c);
    }
}

static void lower_br_table(lower *L, const dec_instr *in) {
    vent idx = pop(L);
    uint32_t n = in->u.br_table.count;
    uint32_t s = slot_of(L, &idx);
    emit_h(L, h_br_table);
    emit_ab(L, s, n);
    uint32_t first = here(L);
    const uint8_t *p = in->u.br_table.targets;
    uint32_t *depths = tb_malloc(sizeof(uint32_t) * (n + 1));
    if (!depths) { L->failed = true; return; }
    for (uint32_t i = 0; i <= n; i++) {
        depths[i] = i < n ? dec_u32_trusted(&p) : in->u.br_table.default_label;
        emit_target(L, 0);
    }
    /* direct targets, or a stub doing the copies (one per distinct label) */
    for (uint32_t i = 0; i <= n; i++) {
        ctrl *c = ctrl_at(L, depths[i]);
        if (c->kind != C_FUNC && !branch_needs_copies(L, c)) {
            link_target(L, first + i, c);
            continue;
        }
        uint32_t j = 0;
        while (j < i && depths[j] != depths[i]) j++;
        if (j < i) { /* same stub as entry j */
            set_cell_u(L, first + i, L->code.v[first + j].u);
            continue;
        }
        set_cell_u(L, first + i, label_here(L));
        emit_br(L, depths[i]);
    }
    tb_free(depths);
    set_unreachable(L);
}

/* ---- calls ---- */

/* Arguments (top nparams) into consecutive home slots; returns their base slot. */
static uint32_t call_args(lower *L, const tw_functype *ft) {
    materialize_top(L, ft->nparams);
    uint32_t base = ft->nparams ? top(L, ft->nparams - 1)->slot : next_slot(L);
    L->stack.len -= ft->nparams;
    return base;
}
static void call_results(lower *L, const tw_functype *ft, uint32_t base) {
    uint32_t end = base;
    for (uint32_t i = 0; i < ft->nparams; i++) end += tw_slots(ft->params[i]);
    use_slots(L, end);
    for (uint32_t i = 0; i < ft->nresults; i++) push_temp(L, ft->results[i]);
}

static void lower_call(lower *L, uint32_t funcidx) {
    const tw_functype *ft = tw_func_type(L->m, funcidx);
    uint32_t base = call_args(L, ft);
    if (funcidx >= L->m->nimported_funcs) {
        emit_h(L, h_call);
        emit_cell(L, (icell){.p = &L->im->funcs[funcidx - L->m->nimported_funcs]});
        emit_u(L, base);
    } else {
        emit_h(L, h_call_import);
        emit_ab(L, funcidx, base);
    }
    call_results(L, ft, base);
}

static void lower_call_indirect(lower *L, uint32_t type, uint32_t table) {
    const tw_functype *ft = &L->m->types[type];
    vent e = pop(L);
    uint32_t es = slot_of(L, &e);
    uint32_t base = call_args(L, ft);
    emit_h(L, h_call_indirect);
    emit_ab(L, base, es);
    emit_ab(L, table, type);
    call_results(L, ft, base);
}

/* ---- variables ---- */

static void lower_local_set(lower *L, uint32_t idx, bool tee) {
    uint32_t slot = L->local_slot[idx];
    vent e = pop(L);
    if (e.kind == V_LOCAL && e.local == slot) {
        if (tee) push(L, V_LOCAL, e.type)->local = slot;
        return;
    }
    bool pending = local_pending(L, slot);
    if (!pending && e.kind == V_TEMP && L->last_end == here(L) && e.slot == L->last_dst &&
        L->last_kind != LAST_OTHER) {
        /* the producer writes the local directly */
        L->code.v[L->last_start + 1].w.a = slot;
        L->last_dst = slot;          /* the accumulator still holds it */
        L->last_kind = LAST_OTHER;
        if (tee) {
            vent *t = push(L, V_LOCAL, e.type);
            t->local = slot;
        }
        return;
    }
    if (pending) materialize_local(L, slot);
    emit_move(L, &e, slot);
    L->last_end = NONE;
    if (tee) {
        vent *t = push(L, e.kind == V_CONST ? V_CONST : V_LOCAL, e.type);
        t->local = slot;
        t->k = e.k;
    }
}

/* ---- numeric, memory, SIMD ---- */

static tw_valtype sig_type(char c) {
    switch (c) {
    case 'i': return TW_I32;
    case 'l': return TW_I64;
    case 'f': return TW_F32;
    case 'd': return TW_F64;
    default: return TW_V128;
    }
}
static tw_valtype result_type(tw_op op) {
    const char *s = strchr(tw_opinfos[op].sig, '>');
    return s && s[1] ? sig_type(s[1]) : 0;
}

static bool is_commutative(tw_op op) {
    switch (op) {
    case TW_OP_I32_ADD: case TW_OP_I32_MUL: case TW_OP_I32_AND: case TW_OP_I32_OR:
    case TW_OP_I32_XOR: case TW_OP_I32_EQ: case TW_OP_I32_NE:
    case TW_OP_I64_ADD: case TW_OP_I64_MUL: case TW_OP_I64_AND: case TW_OP_I64_OR:
    case TW_OP_I64_XOR: case TW_OP_I64_EQ: case TW_OP_I64_NE:
        return true;
    default:
        return false;
    }
}

/* f32/f64 add or sub of a product computed just before: one handler for both. */
static bool fuse_mul(lower *L, tw_op op, const vent *a, const vent *b, uint32_t dst) {
    bool f64 = op == TW_OP_F64_ADD || op == TW_OP_F64_SUB;
    bool sub = op == TW_OP_F64_SUB || op == TW_OP_F32_SUB;
    if (!f64 && op != TW_OP_F32_ADD && op != TW_OP_F32_SUB) return false;
    if (L->last_end != here(L) || L->last_kind != LAST_DST ||
        L->last_op != (f64 ? TW_OP_F64_MUL : TW_OP_F32_MUL))
        return false;
    bool mb = b->kind == V_TEMP && b->slot == L->last_dst;
    bool ma = a->kind == V_TEMP && a->slot == L->last_dst;
    const vent *o = mb ? a : b;
    if (ma == mb || o->kind == V_CONST) return false;
    const icell *p = &L->code.v[L->last_start];
    uint32_t m1 = p[1].w.b, m2 = 0, mf;
    uint64_t imm = 0;
    switch (L->last_form) {
    case F_SS: mf = MF_MS; m2 = p[2].w.a; break;
    case F_SI: mf = MF_MI; imm = p[2].u; break;
    case F_SX: mf = MF_MX; break;
    case F_XS: mf = MF_MX; m1 = p[2].w.a; break;
    default: return false;
    }
    /* m2 came from a load just before the multiply: fold that in as well */
    uint32_t m2slot = L->last_form == F_SX ? p[2].w.a : p[1].w.b, ld_off = 0, ld_imm = 0;
    bool ld = mf == MF_MX && L->ld.end == L->last_start && L->ld.dst == m2slot &&
              L->ld.op == (f64 ? TW_OP_F64_LOAD : TW_OP_F32_LOAD);
    uint32_t start = L->last_start;
    /* o loaded from a plain address right before m2's load: a candidate for a
       read-modify-write, if a store of the result to that address follows */
    bool rmw = ld && o->kind == V_TEMP && L->cld.start == L->ld.start &&
               L->cld_prev.end == L->ld.start && L->cld_prev.plain &&
               L->cld_prev.dst == o->slot && L->cld_prev.op == L->ld.op;
    L->rmw.end = NONE;
    if (ld) {
        mf = L->ld.imm_addr ? MF_MLA : MF_ML;
        m2 = L->ld.addr;
        ld_off = L->ld.offset;
        ld_imm = L->ld.imm;
        start = L->ld.start;
        L->ld.end = L->cld.end = NONE;
    }
    uint32_t so = o->kind == V_LOCAL ? o->local : o->slot;
    int kind = !sub ? 0 : mb ? 1 : 2;
    L->code.len = start;
    emit_h(L, interp_mulfused[f64][kind][mf]);
    emit_ab(L, dst, so);
    emit_ab(L, m1, m2);
    if (mf == MF_MI) emit_u(L, imm);
    if (mf == MF_ML || mf == MF_MLA) emit_u(L, ld_off);
    if (mf == MF_MLA) emit_u(L, ld_imm);
    tw_valtype t = f64 ? TW_F64 : TW_F32;
    push_temp(L, t);
    note_result(L, start, LAST_DST, TW_OP_NOP, dst, F_SS, true, t);
    if (rmw)
        L->rmw = (typeof(L->rmw)){L->cld_prev.start, here(L), dst, L->cld_prev.addr,
                                  L->cld_prev.offset, m1, m2, ld_off, ld_imm,
                                  f64 ? TW_OP_F64_STORE : TW_OP_F32_STORE,
                                  interp_rmwfused[f64][kind]};
    return true;
}

/* a OUTER (x INNER imm), the inner op emitted just before: one handler for both. */
static bool fuse_chain(lower *L, tw_op op, const vent *a, const vent *b, uint32_t dst) {
    int outer = interp_chain_outer(op);
    if (outer < 0 || L->last_end != here(L) || L->last_kind != LAST_DST ||
        L->last_form != F_SI)
        return false;
    int inner = interp_chain_inner(L->last_op);
    if (inner < 0) return false;
    bool mb = b->kind == V_TEMP && b->slot == L->last_dst;
    bool ma = a->kind == V_TEMP && a->slot == L->last_dst;
    const vent *o = mb ? a : b;
    if (ma == mb || o->kind == V_CONST) return false;
    const icell *p = &L->code.v[L->last_start];
    uint32_t x = p[1].w.b, start = L->last_start;
    uint64_t k = p[2].u;
    L->code.len = start;
    emit_h(L, interp_chain[outer][inner]);
    emit_ab(L, dst, o->kind == V_LOCAL ? o->local : o->slot);
    emit_ab(L, x, 0);
    emit_u(L, k);
    push_temp(L, TW_I32);
    /* NOP: its layout is no plain op's, so nothing else may fuse with it */
    note_result(L, start, LAST_DST, TW_OP_NOP, dst, F_SS, true, TW_I32);
    return true;
}

/* dst = sa + imm right after another i32.add of an immediate: one handler for both.
   The second looks like a plain [h][dst|a][imm] to local.set's retargeting (its cells
   start two in), and to nothing else (NOP). */
static bool fuse_add2(lower *L, tw_op op, int form, uint32_t dst, uint32_t sa, uint64_t k) {
    if (op != TW_OP_I32_ADD || form != F_SI || L->last_end != here(L) ||
        L->last_op != TW_OP_I32_ADD || L->last_form != F_SI)
        return false;
    uint32_t start = L->last_start;
    icell *p = &L->code.v[start];
    p[0].h = h_add2;
    L->add2_at = start;
    emit_ab(L, dst, sa);
    emit_u(L, k);
    push_temp(L, TW_I32);
    L->last_end = NONE; /* no prev: the first add is part of this one */
    note_result(L, start + 2, LAST_DST, TW_OP_NOP, dst, F_SS, true, TW_I32);
    return true;
}

static void lower_binop(lower *L, tw_op op) {
    vent b = pop(L), a = pop(L);
    uint32_t dst = a.slot; /* the result's home: where the deeper operand was */
    if (fuse_mul(L, op, &a, &b, dst) || fuse_chain(L, op, &a, &b, dst)) return;
    if (a.kind == V_CONST && b.kind != V_CONST && is_commutative(op)) {
        vent t = a; a = b; b = t;
    }
    bool xa = is_acc(L, &a), xb = !xa && is_acc(L, &b);
    int form;
    if (b.kind == V_CONST && interp_binop[F_SI][op]) form = xa ? F_XI : F_SI;
    else form = xa ? F_XS : xb ? F_SX : F_SS;
    uint32_t sa = slot_of(L, &a), sb = form_has_imm(form) ? 0 : slot_of(L, &b);
    if (fuse_add2(L, op, form, dst, sa, b.k)) return;
    uint32_t start = here(L);
    emit_h(L, interp_binop[form][op]);
    emit_ab(L, dst, sa);
    if (form_has_imm(form)) emit_u(L, b.k);
    else emit_ab(L, sb, 0);
    tw_valtype rt = result_type(op);
    push_temp(L, rt);
    note_result(L, start, interp_brcmp[F_SS][op] ? LAST_CMP : LAST_DST, op, dst, form, true, rt);
}

static void lower_unop(lower *L, tw_op op) {
    vent a = pop(L);
    bool x = is_acc(L, &a);
    uint32_t sa = slot_of(L, &a), start = here(L);
    emit_h(L, interp_unop[x][op]);
    emit_ab(L, a.slot, sa);
    tw_valtype rt = op == TW_OP_REF_IS_NULL ? TW_I32 : result_type(op);
    push_temp(L, rt);
    note_result(L, start, op == TW_OP_I32_EQZ ? LAST_EQZ : LAST_DST, op, a.slot, F_SS, true, rt);
}

/* Every scalar load [start, here) is remembered, with the one before it. */
static void note_load(lower *L, uint32_t start, uint32_t dst, uint32_t addr, bool plain,
                      const dec_instr *in) {
    L->cld_prev = L->cld;
    L->cld = (typeof(L->cld)){start, here(L), dst, addr, in->u.mem.offset, plain, in->op};
}

static void lower_load(lower *L, const dec_instr *in) {
    vent a = pop(L);
    if (a.kind == V_TEMP && L->last_end == here(L) && a.slot == L->last_dst &&
        L->last_op == TW_OP_I32_ADD && (L->last_form == F_SS || L->last_form == F_SI) &&
        interp_load_add[0][in->op]) {
        /* fold the address computation into the load */
        const icell *p = &L->code.v[L->last_start];
        bool imm = L->last_form == F_SI;
        uint32_t sa = p[1].w.b, b = imm ? (uint32_t)p[2].u : p[2].w.a;
        uint32_t start = L->last_start;
        L->code.len = start;
        emit_h(L, interp_load_add[imm][in->op]);
        emit_ab(L, a.slot, sa);
        emit_u(L, in->u.mem.offset);
        emit_ab(L, b, 0);
        tw_valtype rt = result_type(in->op);
        push_temp(L, rt);
        note_result(L, start, LAST_DST, TW_OP_NOP, a.slot, F_SS, true, rt);
        if (imm) L->ld = (typeof(L->ld)){start, here(L), a.slot, sa, in->u.mem.offset, b, true, in->op};
        note_load(L, start, a.slot, sa, false, in);
        return;
    }
    bool x = is_acc(L, &a) && interp_load[1][in->op];
    uint32_t sa = slot_of(L, &a), start = here(L);
    emit_h(L, interp_load[x][in->op]);
    emit_ab(L, a.slot, sa);
    emit_u(L, in->u.mem.offset);
    tw_valtype rt = result_type(in->op);
    push_temp(L, rt);
    note_result(L, start, LAST_DST, in->op, a.slot, F_SS, true, rt);
    if (!x) L->ld = (typeof(L->ld)){start, here(L), a.slot, sa, in->u.mem.offset, 0, false, in->op};
    note_load(L, start, a.slot, sa, true, in);
}

/* Store v to a at the address its multiply-add operand came from: one instruction
   [h][caddr|m1][coff][baddr|bimm][boff] for load, multiply-add and store. */
static bool fuse_rmw(lower *L, const dec_instr *in, const vent *v, const vent *a) {
    if (L->rmw.end != here(L) || L->last_end != here(L) || v->kind != V_TEMP ||
        v->slot != L->rmw.dst || a->kind != V_LOCAL || a->local != L->rmw.caddr ||
        in->u.mem.offset != L->rmw.coff || in->op != L->rmw.store)
        return false;
    L->code.len = L->rmw.start;
    emit_h(L, L->rmw.h);
    emit_ab(L, L->rmw.caddr, L->rmw.m1);
    emit_u(L, L->rmw.coff);
    emit_ab(L, L->rmw.baddr, L->rmw.bimm);
    emit_u(L, L->rmw.boff);
    /* everything recorded about the code just replaced is gone */
    L->last_end = L->rmw.end = L->ld.end = L->cld.end = L->cld_prev.end = NONE;
    L->prev.end = NONE;
    return true;
}

static void lower_store(lower *L, const dec_instr *in) {
    vent v = pop(L), a = pop(L);
    if (fuse_rmw(L, in, &v, &a)) return;
    if (v.kind == V_CONST && interp_store_imm[in->op]) {
        uint32_t sa = slot_of(L, &a);
        emit_h(L, interp_store_imm[in->op]);
        emit_ab(L, sa, 0);
        emit_u(L, in->u.mem.offset);
        emit_u(L, v.k);
        return;
    }
    bool x = is_acc(L, &v) && interp_store[1][in->op];
    uint32_t sa = slot_of(L, &a), sv = slot_of(L, &v);
    emit_h(L, interp_store[x][in->op]);
    emit_ab(L, sa, sv);
    emit_u(L, in->u.mem.offset);
}

static void lower_memlane(lower *L, const dec_instr *in) {
    bool load = in->op <= TW_OP_V128_LOAD64_LANE;
    vent v = pop(L), a = pop(L);
    uint32_t sa = slot_of(L, &a), sv = slot_of(L, &v), start = here(L);
    emit_h(L, interp_memlane[in->op]);
    emit_ab(L, a.slot, sa);
    emit_u(L, in->u.mem.offset);
    emit_ab(L, sv, in->u.mem.lane);
    if (load) {
        push_temp(L, TW_V128);
        note_result(L, start, LAST_DST, in->op, a.slot, F_SS, false, 0);
    }
}

/* SIMD ops: [h][dst|a][b|c or lane][imm lo][imm hi]; operand count from the signature. */
static void lower_simd(lower *L, const dec_instr *in) {
    const char *sig = tw_opinfos[in->op].sig;
    uint32_t n = (uint32_t)(strchr(sig, '>') - sig);
    vent ops[3];
    uint32_t s[3] = {0, 0, 0};
    for (uint32_t i = n; i-- > 0; ) ops[i] = pop(L);
    for (uint32_t i = 0; i < n; i++) s[i] = slot_of(L, &ops[i]);
    uint32_t dst = n ? ops[0].slot : next_slot(L), start = here(L);
    emit_h(L, interp_simd[in->op]);
    emit_ab(L, dst, s[0]);
    emit_ab(L, s[1], tw_opinfos[in->op].imm == IMM_LANE ? in->u.lane : s[2]);
    if (tw_opinfos[in->op].imm == IMM_SHUFFLE || tw_opinfos[in->op].imm == IMM_V128) {
        uint64_t lo, hi;
        memcpy(&lo, in->u.v128, 8);
        memcpy(&hi, in->u.v128 + 8, 8);
        emit_u(L, lo);
        emit_u(L, hi);
    }
    push_temp(L, result_type(in->op));
    note_result(L, start, LAST_DST, in->op, dst, F_SS, false, 0);
}

static void push_const(lower *L, tw_valtype t, uint64_t k) {
    vent *e = push(L, V_CONST, t);
    e->k = k;
}

/* Emit [h][dst|x] (+ optional cell) producing a value of type t. */
static void lower_producer(lower *L, ihandler h, uint32_t x, tw_valtype t) {
    uint32_t start = here(L), dst = next_slot(L);
    emit_h(L, h);
    emit_ab(L, dst, x);
    push_temp(L, t);
    note_result(L, start, LAST_DST, TW_OP_NOP, dst, F_SS, false, 0);
}

static void lower_select(lower *L, const dec_instr *in) {
    vent c = pop(L), b = pop(L), a = pop(L);
    uint32_t sc = slot_of(L, &c), sb = slot_of(L, &b), sa = slot_of(L, &a), start = here(L);
    emit_h(L, tw_slots(a.type) == 2 ? h_select2 : h_select);
    emit_ab(L, a.slot, sc);
    emit_ab(L, sa, sb);
    push_temp(L, a.type);
    note_result(L, start, LAST_DST, in->op, a.slot, F_SS, false, 0);
}

/* Pop n i32 operands into slots (deepest first). */
static void pop_slots(lower *L, uint32_t n, uint32_t *s) {
    vent v[3];
    for (uint32_t i = n; i-- > 0; ) v[i] = pop(L);
    for (uint32_t i = 0; i < n; i++) s[i] = slot_of(L, &v[i]);
}

static void lower_bulk(lower *L, const dec_instr *in) {
    uint32_t s[3];
    switch (in->op) {
    case TW_OP_MEMORY_SIZE:
        lower_producer(L, h_memory_size, 0, TW_I32);
        break;
    case TW_OP_MEMORY_GROW:
        pop_slots(L, 1, s);
        lower_producer(L, h_memory_grow, s[0], TW_I32);
        break;
    case TW_OP_MEMORY_INIT:
        pop_slots(L, 3, s);
        emit_h(L, h_memory_init); emit_ab(L, s[0], s[1]); emit_ab(L, s[2], in->u.init.seg);
        break;
    case TW_OP_MEMORY_COPY:
        pop_slots(L, 3, s);
        emit_h(L, h_memory_copy); emit_ab(L, s[0], s[1]); emit_ab(L, s[2], 0);
        break;
    case TW_OP_MEMORY_FILL:
        pop_slots(L, 3, s);
        emit_h(L, h_memory_fill); emit_ab(L, s[0], s[1]); emit_ab(L, s[2], 0);
        break;
    case TW_OP_DATA_DROP:
        emit_h(L, h_data_drop); emit_ab(L, in->u.idx, 0);
        break;
    case TW_OP_ELEM_DROP:
        emit_h(L, h_elem_drop); emit_ab(L, in->u.idx, 0);
        break;
    case TW_OP_TABLE_INIT:
        pop_slots(L, 3, s);
        emit_h(L, h_table_init); emit_ab(L, s[0], s[1]); emit_ab(L, s[2], 0);
        emit_ab(L, in->u.init.table, in->u.init.seg);
        break;
    case TW_OP_TABLE_COPY:
        pop_slots(L, 3, s);
        emit_h(L, h_table_copy); emit_ab(L, s[0], s[1]); emit_ab(L, s[2], 0);
        emit_ab(L, in->u.copy.dst, in->u.copy.src);
        break;
    case TW_OP_TABLE_SIZE:
        lower_producer(L, h_table_size, in->u.idx, TW_I32);
        break;
    default:
        L->failed = true;
    }
}

static void lower_table_op(lower *L, const dec_instr *in) {
    uint32_t s[3], t = in->u.idx, start;
    tw_valtype et = L->m->tables[t].elem;
    switch (in->op) {
    case TW_OP_TABLE_GET:
        pop_slots(L, 1, s);
        start = here(L);
        emit_h(L, h_table_get); emit_ab(L, next_slot(L), s[0]); emit_ab(L, t, 0);
        note_result(L, start, LAST_DST, in->op, next_slot(L), F_SS, false, 0);
        push_temp(L, et);
        break;
    case TW_OP_TABLE_SET:
        pop_slots(L, 2, s);
        emit_h(L, h_table_set); emit_ab(L, s[0], s[1]); emit_ab(L, t, 0);
        break;
    case TW_OP_TABLE_GROW:
        pop_slots(L, 2, s);
        start = here(L);
        emit_h(L, h_table_grow); emit_ab(L, next_slot(L), s[0]); emit_ab(L, s[1], t);
        note_result(L, start, LAST_DST, in->op, next_slot(L), F_SS, false, 0);
        push_temp(L, TW_I32);
        break;
    case TW_OP_TABLE_FILL:
        pop_slots(L, 3, s);
        emit_h(L, h_table_fill); emit_ab(L, s[0], s[1]); emit_ab(L, s[2], t);
        break;
    default:
        L->failed = true;
    }
}

/* ---- the instruction loop ---- */

static void note_offset(lower *L, uint32_t offset) {
    interp_pcmap e = {here(L), offset};
    if (L->pcmap.len && L->pcmap.v[L->pcmap.len - 1].cell >= e.cell) {
        /* the previous instruction emitted nothing (or was fused away) */
        while (L->pcmap.len && L->pcmap.v[L->pcmap.len - 1].cell > e.cell) L->pcmap.len--;
        if (L->pcmap.len && L->pcmap.v[L->pcmap.len - 1].cell == e.cell) {
            L->pcmap.v[L->pcmap.len - 1].offset = offset;
            return;
        }
    }
    if (!tb_vec_push(&L->pcmap, e)) L->failed = true;
}

/* Skip everything but structure in unreachable code. Returns true if handled. */
static bool lower_dead(lower *L, const dec_instr *in, bool *more) {
    switch (in->op) {
    case TW_OP_BLOCK: case TW_OP_LOOP: case TW_OP_IF:
        push_ctrl(L, C_BLOCK, in, true);
        return true;
    case TW_OP_ELSE:
        lower_else(L);
        return true;
    case TW_OP_END:
        *more = lower_end(L);
        return true;
    default:
        return true;
    }
}

static void lower_instr(lower *L, const dec_instr *in, bool *more) {
    const tw_module *m = L->m;
    tw_op op = in->op;
    switch (op) {
    case TW_OP_UNREACHABLE:
        emit_h(L, h_unreachable);
        set_unreachable(L);
        return;
    case TW_OP_NOP: return;
    case TW_OP_BLOCK: push_ctrl(L, C_BLOCK, in, false); return;
    case TW_OP_LOOP: push_ctrl(L, C_LOOP, in, false); return;
    case TW_OP_IF: {
        cond cd = pop_cond(L, false);
        push_ctrl(L, C_IF, in, false);
        ctrl_at(L, 0)->else_cell = emit_cond_jump(L, cd, false);
        return;
    }
    case TW_OP_ELSE: lower_else(L); return;
    case TW_OP_END: *more = lower_end(L); return;
    case TW_OP_BR: emit_br(L, in->u.idx); set_unreachable(L); return;
    case TW_OP_BR_IF: lower_br_if(L, in->u.idx); return;
    case TW_OP_BR_TABLE: lower_br_table(L, in); return;
    case TW_OP_RETURN: emit_return(L); set_unreachable(L); return;
    case TW_OP_CALL: lower_call(L, in->u.idx); return;
    case TW_OP_CALL_INDIRECT:
        lower_call_indirect(L, in->u.call_indirect.type, in->u.call_indirect.table);
        return;
    case TW_OP_DROP: pop(L); return;
    case TW_OP_SELECT: case TW_OP_SELECT_T: lower_select(L, in); return;
    case TW_OP_LOCAL_GET: {
        vent *e = push(L, V_LOCAL, L->local_type[in->u.idx]);
        e->local = L->local_slot[in->u.idx];
        return;
    }
    case TW_OP_LOCAL_SET: lower_local_set(L, in->u.idx, false); return;
    case TW_OP_LOCAL_TEE: lower_local_set(L, in->u.idx, true); return;
    case TW_OP_GLOBAL_GET: {
        tw_valtype t = m->global_types[in->u.idx].type;
        lower_producer(L, t == TW_V128 ? h_global_get2 : h_global_get, in->u.idx, t);
        return;
    }
    case TW_OP_GLOBAL_SET: {
        vent e = pop(L);
        uint32_t s = slot_of(L, &e);
        emit_h(L, e.type == TW_V128 ? h_global_set2 : h_global_set);
        emit_ab(L, in->u.idx, s);
        return;
    }
    case TW_OP_TABLE_GET: case TW_OP_TABLE_SET: case TW_OP_TABLE_GROW: case TW_OP_TABLE_FILL:
        lower_table_op(L, in);
        return;
    case TW_OP_I32_CONST: push_const(L, TW_I32, (uint32_t)in->u.i32); return;
    case TW_OP_I64_CONST: push_const(L, TW_I64, (uint64_t)in->u.i64); return;
    case TW_OP_F32_CONST: push_const(L, TW_F32, in->u.f32); return;
    case TW_OP_F64_CONST: push_const(L, TW_F64, in->u.f64); return;
    case TW_OP_V128_CONST: {
        uint64_t lo, hi;
        memcpy(&lo, in->u.v128, 8);
        memcpy(&hi, in->u.v128 + 8, 8);
        uint32_t start = here(L), dst = next_slot(L);
        emit_h(L, h_const128);
        emit_ab(L, dst, 0);
        emit_u(L, lo);
        emit_u(L, hi);
        push_temp(L, TW_V128);
        note_result(L, start, LAST_DST, op, dst, F_SS, false, 0);
        return;
    }
    case TW_OP_REF_NULL: push_const(L, in->u.reftype, 0); return;
    case TW_OP_REF_FUNC: lower_producer(L, h_ref_func, in->u.idx, TW_FUNCREF); return;
    case TW_OP_REF_IS_NULL: lower_unop(L, op); return;
    case TW_OP_I32_REINTERPRET_F32: case TW_OP_I64_REINTERPRET_F64:
    case TW_OP_F32_REINTERPRET_I32: case TW_OP_F64_REINTERPRET_I64:
        /* slots hold bits: only the type changes */
        top(L, 0)->type = result_type(op);
        return;
    default: break;
    }
    tw_imm imm = tw_opinfos[op].imm;
    if (imm == IMM_MEMARG) {
        if (interp_load[0][op]) lower_load(L, in);
        else lower_store(L, in);
    } else if (imm == IMM_MEMARG_LANE) {
        lower_memlane(L, in);
    } else if (interp_unop[0][op]) {
        lower_unop(L, op);
    } else if (interp_binop[F_SS][op]) {
        lower_binop(L, op);
    } else if (interp_simd[op]) {
        lower_simd(L, in);
    } else {
        lower_bulk(L, in);
    }
}

/* ---- functions and modules ---- */

static bool setup_locals(lower *L, const tw_func *fn, const tw_functype *ft) {
    L->nlocals = ft->nparams + fn->nlocals;
    L->local_slot = tb_malloc(sizeof(uint32_t) * (L->nlocals + 1));
    L->local_type = tb_malloc(L->nlocals + 1);
    if (!L->local_slot || !L->local_type) return false;
    uint32_t s = 0;
    for (uint32_t i = 0; i < L->nlocals; i++) {
        tw_valtype t = i < ft->nparams ? ft->params[i] : fn->locals[i - ft->nparams];
        L->local_type[i] = t;
        L->local_slot[i] = s;
        s += tw_slots(t);
        if (i + 1 == ft->nparams) L->f->param_slots = s;
    }
    L->f->local_slots = s - L->f->param_slots;
    L->temps_base = s;
    L->max_slot = s;
    use_slots(L, L->f->param_slots + INTERP_ZERO_MIN);
    uint32_t rs = 0;
    for (uint32_t i = 0; i < ft->nresults; i++) rs += tw_slots(ft->results[i]);
    L->f->result_slots = rs;
    use_slots(L, rs);
    return true;
}

/* Room for the code and pc map of a body of `len` bytes, from the ratios measured on
   the bench modules (at most 0.91 cells and 0.21 map entries per byte): one
   allocation each instead of a chain of doublings, which left the freed halves behind
   and touched twice the memory (each new page costs a fault at start-up). */
static bool reserve_for(lower *L, uint32_t len) {
    if (len > UINT32_MAX / 2) return true;   /* no guess: the buffers grow as they fill */
    uint32_t cells = len + len / 8 + 16, entries = len / 4 + 8;
    return tb_vec_reserve(&L->code, cells) && tb_vec_reserve(&L->pcmap, entries);
}

/* Give back what the reservation did not use (shrinks in place). */
static void trim(lower *L) {
    icell *c = tb_realloc(L->code.v, (size_t)(L->code.len ? L->code.len : 1) * sizeof *c);
    if (c) L->code.v = c, L->code.cap = L->code.len;
    interp_pcmap *p = tb_realloc(L->pcmap.v, (size_t)(L->pcmap.len ? L->pcmap.len : 1) * sizeof *p);
    if (p) L->pcmap.v = p, L->pcmap.cap = L->pcmap.len;
}

static bool finish(lower *L) {
    interp_func *f = L->f;
    trim(L);
    for (uint32_t i = 0; i < L->relocs.len; i++) {
        icell *c = &L->code.v[L->relocs.v[i]];
        c->target = L->code.v + c->u;
    }
    f->ncells = L->code.len;
    f->frame_slots = L->max_slot;
    f->pcmap = L->pcmap.v;
    f->npcmap = L->pcmap.len;
    /* published last: a thread that sees the code sees the frame layout (interp_code) */
    __atomic_store_n(&f->code, L->code.v, __ATOMIC_RELEASE);
    L->code.v = NULL;
    L->code.len = L->code.cap = 0;
    L->pcmap.v = NULL;
    L->pcmap.len = L->pcmap.cap = 0;
    return true;
}

static bool lower_func(lower *L, uint32_t funcidx, tb_error *err) {
    const tw_module *m = L->m;
    const tw_func *fn = &m->funcs[funcidx - m->nimported_funcs];
    const tw_functype *ft = tw_func_type(m, funcidx);
    interp_func *f = &L->im->funcs[funcidx - m->nimported_funcs];
    f->funcidx = funcidx;
    L->f = f;
    L->code.len = L->stack.len = L->ctrls.len = L->relocs.len = L->pcmap.len = 0;
    /* nothing recorded about another function's code may match cells of this one */
    L->last_end = L->ld.end = L->cld.end = L->cld_prev.end = L->rmw.end = NONE;
    L->prev.end = L->add2_at = NONE;
    L->failed = false;
    if (!setup_locals(L, fn, ft) || !reserve_for(L, fn->code_len)) return tb_oom(err);
    ctrl c = {.kind = C_FUNC, .nresults = ft->nresults, .results = ft->results,
              .slot_base = 0, .else_cell = NONE};
    if (!tb_vec_push(&L->ctrls, c)) return tb_oom(err);
    L->check_cell = NONE;
    emit_check(L);
    dec_reader r = {.p = fn->code, .end = fn->code + fn->code_len, .base = m->bytes};
    r.base = fn->code - fn->code_offset;
    bool more = true;
    while (more && !L->failed) {
        dec_instr in;
        if (dec_at_end(&r) || !dec_instr_next(&r, &in, err))
            return tb_fail(err, TB_ERR_INVALID, fn->code_offset, "interp: cannot lower body");
        note_offset(L, in.offset);
        L->since_check++;
        if (ctrl_at(L, 0)->unreachable) lower_dead(L, &in, &more);
        else lower_instr(L, &in, &more);
    }
    tb_free(L->local_slot);
    tb_free(L->local_type);
    L->local_slot = NULL;
    L->local_type = NULL;
    if (L->failed) return tb_oom(err);
    charge_check(L);
    return finish(L);
}

void interp_module_free(interp_module *im) {
    if (!im) return;
    for (uint32_t i = 0; i < im->nfuncs; i++) {
        tb_free(im->funcs[i].code);
        tb_free(im->funcs[i].pcmap);
    }
    pthread_mutex_destroy(&im->lock);
    tb_free(im->funcs);
    tb_free(im);
}

static void lower_done(lower *L) {
    tb_vec_free(&L->code);
    tb_vec_free(&L->stack);
    tb_vec_free(&L->ctrls);
    tb_vec_free(&L->relocs);
    tb_vec_free(&L->pcmap);
    tb_free(L->local_slot);
    tb_free(L->local_type);
}

bool interp_compile(const tw_module *m, interp_module **out, tb_error *err) {
    return interp_compile_checked(m, 0, out, err);
}

bool interp_prepare(const tw_module *m, unsigned checks, interp_module **out, tb_error *err) {
    *out = NULL;
    interp_module *im = tb_calloc(1, sizeof *im);
    if (!im) return tb_oom(err);
    im->m = m;
    im->checks = checks;
    im->nfuncs = m->nfuncs - m->nimported_funcs;
    im->funcs = tb_calloc(im->nfuncs + 1, sizeof(interp_func));
    if (!im->funcs || pthread_mutex_init(&im->lock, NULL) != 0) {
        tb_free(im->funcs);
        tb_free(im);
        return tb_oom(err);
    }
    for (uint32_t i = 0; i < im->nfuncs; i++) im->funcs[i].funcidx = m->nimported_funcs + i;
    *out = im;
    return true;
}

/* Lower f now unless another thread has (the module's lock makes it once). */
const icell *interp_lower_now(interp_module *im, interp_func *f, tb_error *err) {
    pthread_mutex_lock(&im->lock);
    const icell *code = interp_code(f);
    if (!code) {
        lower L = {.m = im->m, .im = im, .err = err, .checks = im->checks};
        if (lower_func(&L, f->funcidx, err)) code = f->code;
        lower_done(&L);
    }
    pthread_mutex_unlock(&im->lock);
    return code;
}

bool interp_compile_checked(const tw_module *m, unsigned checks, interp_module **out,
                            tb_error *err) {
    if (!interp_prepare(m, checks, out, err)) return false;
    interp_module *im = *out;
    for (uint32_t i = 0; i < im->nfuncs; i++)
        if (!interp_lower_now(im, &im->funcs[i], err)) {
            interp_module_free(im);
            *out = NULL;
            return false;
        }
    return true;
}
