/* opcodes: the tables generated from opcodes.def, and encoding -> opcode lookup. */
#include "opcodes.h"

const tw_opinfo tw_opinfos[TW_OP_COUNT] = {
#define OP(e, pfx, code_, name_, imm_, sig_) \
    [TW_OP_##e] = {.name = name_, .sig = sig_, .prefix = pfx, .code = code_, .imm = IMM_##imm_},
#include "opcodes.def"
#undef OP
};

#define NO_OP 0xFFFF
static uint16_t single[256], fc[32], fd[256];
static bool tables_ready;

static void build_tables(void) {
    for (int i = 0; i < 256; i++) single[i] = fd[i] = NO_OP;
    for (int i = 0; i < 32; i++) fc[i] = NO_OP;
    for (int op = 0; op < TW_OP_COUNT; op++) {
        const tw_opinfo *o = &tw_opinfos[op];
        if (o->prefix == 0) single[o->code] = (uint16_t)op;
        else if (o->prefix == 0xFC) fc[o->code] = (uint16_t)op;
        else fd[o->code] = (uint16_t)op;
    }
    __atomic_store_n(&tables_ready, true, __ATOMIC_RELEASE);
}

bool tw_op_lookup(uint8_t prefix, uint32_t code, tw_op *out) {
    /* Building twice from two threads writes the same values: benign. */
    if (!__atomic_load_n(&tables_ready, __ATOMIC_ACQUIRE)) build_tables();
    uint16_t op = NO_OP;
    if (prefix == 0) op = single[code & 0xFF];
    else if (prefix == 0xFC && code < 32) op = fc[code];
    else if (prefix == 0xFD && code < 256) op = fd[code];
    if (op == NO_OP || (prefix == 0 && code > 0xFF)) return false;
    *out = (tw_op)op;
    return true;
}
