/* decode_internal: the decoder's shared state and helpers, private to src/decode. */
#ifndef DEC_DECODE_INTERNAL_H
#define DEC_DECODE_INTERNAL_H

#include "decode.h"
#include "reader.h"

typedef TB_VEC(uint32_t) dec_u32vec;
typedef TB_VEC(tw_custom) dec_customvec;

typedef struct dec_ctx {
    tw_module *m;
    tb_error *err;
    /* Like the spec's reference decoder, readers run to the end of the module and the
       declared section and body sizes are checked after decoding the content: the
       accepted inputs are the same as with bounded readers, and the error messages
       match the spec tests'. */
    dec_reader r;            /* positioned in the current section */
    const uint8_t *sec_end;  /* where the current section must end */
    const char *section;     /* its name, for messages */
    /* Definitions kept apart until the index spaces are assembled at the end. */
    uint32_t ndef_funcs, ndef_tables, ndef_mems, ndef_globals;
    uint32_t *def_func_types;
    tw_tabletype *def_tables;
    tw_memtype *def_mems;
    uint32_t data_use_offset; /* first memory.init or data.drop in a body, or 0 */
    uint32_t ncodes;
    uint64_t total_locals;   /* expanded locals so far, against TB_MAX_MODULE_LOCALS */
    dec_u32vec refs;         /* ref.func targets outside bodies; sorted at the end */
    dec_customvec customs;
} dec_ctx;

/* ---- helpers (decode.c) ---- */
void *dec_alloc(dec_ctx *c, size_t n, size_t size);   /* zeroed arena memory; OOM error */
bool dec_fail(dec_ctx *c, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A vector length, refused when it cannot fit in the rest of the section. */
bool dec_count(dec_ctx *c, uint32_t *n);
bool dec_name(dec_ctx *c, tw_name *out);
bool dec_limits(dec_ctx *c, tw_limits *out);
bool dec_reftype(dec_ctx *c, tw_valtype *out);
bool dec_add_ref(dec_ctx *c, uint32_t funcidx);

/* ---- sections ---- */
bool dec_type_section(dec_ctx *c);
bool dec_import_section(dec_ctx *c);
bool dec_function_section(dec_ctx *c);
bool dec_table_section(dec_ctx *c);
bool dec_memory_section(dec_ctx *c);
bool dec_global_section(dec_ctx *c);
bool dec_export_section(dec_ctx *c);
bool dec_start_section(dec_ctx *c);
bool dec_datacount_section(dec_ctx *c);
bool dec_element_section(dec_ctx *c);   /* decode_segments.c */
bool dec_data_section(dec_ctx *c);      /* decode_segments.c */
bool dec_constexpr(dec_ctx *c, tw_constexpr *out);  /* decode_segments.c */
bool dec_code_section(dec_ctx *c);      /* decode_code.c */
bool dec_custom_section(dec_ctx *c);    /* decode_names.c */

#endif
