/* opcodes: enum, names and properties generated from opcodes.def. */
#ifndef TW_OPCODES_H
#define TW_OPCODES_H

#include "../base/base.h"

typedef enum tw_imm {
    IMM_NONE,
    IMM_BLOCKTYPE,     /* 0x40 | valtype | s33 type index */
    IMM_LABEL,         /* u32 label depth */
    IMM_BR_TABLE,      /* vec(u32) + u32 default */
    IMM_FUNC,          /* u32 function index */
    IMM_CALL_INDIRECT, /* u32 type index, u32 table index */
    IMM_LOCAL,         /* u32 */
    IMM_GLOBAL,        /* u32 */
    IMM_TABLE,         /* u32 table index */
    IMM_MEMARG,        /* u32 align, u32 offset */
    IMM_MEMIDX,        /* one 0x00 byte (memory index, must be 0 in 2.0) */
    IMM_I32,           /* s32 */
    IMM_I64,           /* s64 */
    IMM_F32,           /* 4 bytes */
    IMM_F64,           /* 8 bytes */
    IMM_V128,          /* 16 bytes */
    IMM_SHUFFLE,       /* 16 lane-index bytes */
    IMM_LANE,          /* 1 lane-index byte */
    IMM_MEMARG_LANE,   /* memarg + lane byte */
    IMM_SELECT_T,      /* vec(valtype) */
    IMM_REFTYPE,       /* reftype byte */
    IMM_ELEM,          /* u32 element segment */
    IMM_DATA,          /* u32 data segment */
    IMM_MEMORY_INIT,   /* u32 data segment, 0x00 */
    IMM_MEMORY_COPY,   /* 0x00 0x00 */
    IMM_TABLE_INIT,    /* u32 element segment, u32 table */
    IMM_TABLE_COPY,    /* u32 dst table, u32 src table */
} tw_imm;

typedef enum tw_op {
#define OP(e, pfx, code, name, imm, sig) TW_OP_##e,
#include "opcodes.def"
#undef OP
    TW_OP_COUNT
} tw_op;

typedef struct tw_opinfo {
    const char *name;
    const char *sig;   /* see opcodes.def */
    uint8_t prefix;    /* 0, 0xFC, 0xFD */
    uint32_t code;
    tw_imm imm;
} tw_opinfo;

extern const tw_opinfo tw_opinfos[TW_OP_COUNT];

/* Map encodings to tw_op; return false for an unknown opcode. */
bool tw_op_lookup(uint8_t prefix, uint32_t code, tw_op *out);

#endif
