/* values: taho_val <-> runtime slots (8 bytes each; v128 takes two; i32/f32
   zero-extended; references as pointer bits, NULL for null). */
#include "api.h"

static const tw_valtype kind_types[] = {
    [TAHO_I32] = TW_I32,   [TAHO_I64] = TW_I64,         [TAHO_F32] = TW_F32,
    [TAHO_F64] = TW_F64,   [TAHO_V128] = TW_V128,       [TAHO_FUNCREF] = TW_FUNCREF,
    [TAHO_EXTERNREF] = TW_EXTERNREF,
};

bool api_kind_to_type(taho_valkind k, tw_valtype *out) {
    if ((unsigned)k >= TB_ARRAY_LEN(kind_types)) return false;
    *out = kind_types[k];
    return true;
}

taho_valkind api_type_to_kind(tw_valtype t) {
    for (unsigned k = 0; k < TB_ARRAY_LEN(kind_types); k++)
        if (kind_types[k] == t) return (taho_valkind)k;
    return TAHO_I32; /* unreachable for validated types */
}

const char *taho_valkind_name(taho_valkind k) {
    tw_valtype t;
    return api_kind_to_type(k, &t) ? tw_valtype_name(t) : "?";
}

rt_ref api_ref_of(const taho_val *v) {
    if (v->kind == TAHO_FUNCREF) return v->of.funcref ? v->of.funcref->rf : NULL;
    return v->of.externref;
}

bool api_val_to_slots(const taho_val *v, tw_valtype t, uint64_t *slots) {
    tw_valtype vt;
    if (!api_kind_to_type(v->kind, &vt) || vt != t) return false;
    uint32_t u32;
    switch (v->kind) {
    case TAHO_I32: slots[0] = (uint32_t)v->of.i32; break;
    case TAHO_I64: slots[0] = (uint64_t)v->of.i64; break;
    case TAHO_F32: memcpy(&u32, &v->of.f32, 4); slots[0] = u32; break;
    case TAHO_F64: memcpy(&slots[0], &v->of.f64, 8); break;
    case TAHO_V128: memcpy(slots, v->of.v128, 16); break;
    case TAHO_FUNCREF:
    case TAHO_EXTERNREF: slots[0] = (uint64_t)(uintptr_t)api_ref_of(v); break;
    }
    return true;
}

taho_val api_val_from_slots(taho_store *s, tw_valtype t, const uint64_t *slots) {
    taho_val v;
    memset(&v, 0, sizeof v);
    v.kind = api_type_to_kind(t);
    uint32_t u32 = (uint32_t)slots[0];
    switch (v.kind) {
    case TAHO_I32: v.of.i32 = (int32_t)u32; break;
    case TAHO_I64: v.of.i64 = (int64_t)slots[0]; break;
    case TAHO_F32: memcpy(&v.of.f32, &u32, 4); break;
    case TAHO_F64: memcpy(&v.of.f64, &slots[0], 8); break;
    case TAHO_V128: memcpy(v.of.v128, slots, 16); break;
    case TAHO_FUNCREF:
        v.of.funcref = slots[0] ? api_func(s, (rt_func *)(uintptr_t)slots[0]) : NULL;
        break;
    case TAHO_EXTERNREF: v.of.externref = (void *)(uintptr_t)slots[0]; break;
    }
    return v;
}
