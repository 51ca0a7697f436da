/* operand: facts about immediates the opcode table does not carry (access widths, lanes). */
#include "val_internal.h"

int val_natural_align(tw_op op) {
    switch (op) {
    case TW_OP_I32_LOAD8_S: case TW_OP_I32_LOAD8_U: case TW_OP_I64_LOAD8_S:
    case TW_OP_I64_LOAD8_U: case TW_OP_I32_STORE8: case TW_OP_I64_STORE8:
    case TW_OP_V128_LOAD8_SPLAT: case TW_OP_V128_LOAD8_LANE: case TW_OP_V128_STORE8_LANE:
        return 0;
    case TW_OP_I32_LOAD16_S: case TW_OP_I32_LOAD16_U: case TW_OP_I64_LOAD16_S:
    case TW_OP_I64_LOAD16_U: case TW_OP_I32_STORE16: case TW_OP_I64_STORE16:
    case TW_OP_V128_LOAD16_SPLAT: case TW_OP_V128_LOAD16_LANE: case TW_OP_V128_STORE16_LANE:
        return 1;
    case TW_OP_I32_LOAD: case TW_OP_F32_LOAD: case TW_OP_I32_STORE: case TW_OP_F32_STORE:
    case TW_OP_I64_LOAD32_S: case TW_OP_I64_LOAD32_U: case TW_OP_I64_STORE32:
    case TW_OP_V128_LOAD32_SPLAT: case TW_OP_V128_LOAD32_ZERO:
    case TW_OP_V128_LOAD32_LANE: case TW_OP_V128_STORE32_LANE:
        return 2;
    case TW_OP_I64_LOAD: case TW_OP_F64_LOAD: case TW_OP_I64_STORE: case TW_OP_F64_STORE:
    case TW_OP_V128_LOAD8X8_S: case TW_OP_V128_LOAD8X8_U: case TW_OP_V128_LOAD16X4_S:
    case TW_OP_V128_LOAD16X4_U: case TW_OP_V128_LOAD32X2_S: case TW_OP_V128_LOAD32X2_U:
    case TW_OP_V128_LOAD64_SPLAT: case TW_OP_V128_LOAD64_ZERO:
    case TW_OP_V128_LOAD64_LANE: case TW_OP_V128_STORE64_LANE:
        return 3;
    case TW_OP_V128_LOAD: case TW_OP_V128_STORE:
        return 4;
    default:
        return -1;
    }
}

uint32_t val_lane_count(tw_op op) {
    /* Loads and stores of one lane address lanes of the width they access. */
    if (tw_opinfos[op].imm == IMM_MEMARG_LANE) return 16u >> val_natural_align(op);
    /* extract/replace_lane: the shape is the name's prefix ("i8x16", "f64x2", ...). */
    const char *x = strchr(tw_opinfos[op].name, 'x');
    if (!x) return 0;
    switch (x[1]) {
    case '1': return 16;
    case '8': return 8;
    case '4': return 4;
    case '2': return 2;
    default: return 0;
    }
}

bool val_is_declared_ref(const tw_module *m, uint32_t funcidx) {
    uint32_t lo = 0, hi = m->nrefs;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (m->refs[mid] == funcidx) return true;
        if (m->refs[mid] < funcidx) lo = mid + 1;
        else hi = mid;
    }
    return false;
}
