/* limits: every implementation limit in one place, each with the reason for its value. */
#ifndef TB_LIMITS_H
#define TB_LIMITS_H

/* Wasm page size, fixed by the spec. */
#define TB_WASM_PAGE 65536u
/* 32-bit memories have at most 2^16 pages (4 GiB), by the spec. */
#define TB_MAX_PAGES 65536u
/* Each memory reserves 8 GiB: any i32 address + u32 offset + access width lands inside,
   so compiled and interpreted code need no bounds checks (DESIGN.md). */
#define TB_MEM_RESERVATION (8ull << 30)
/* Tables: elements are pointers; cap well below 2^32 so sizes never overflow. */
#define TB_MAX_TABLE_ELEMS 10000000u
/* Locals per function: the spec tests expect "too many locals" near 2^32; real code
   uses a few thousand. Same order as other engines (50,000). */
#define TB_MAX_LOCALS 50000u
/* Expanded locals summed over a module's functions (bytes of decoder memory): a few
   bytes of local declarations can ask for TB_MAX_LOCALS, so without a total a small
   hostile module could demand gigabytes. Large real modules stay below a few million. */
#define TB_MAX_MODULE_LOCALS (64u << 20)
/* Function params/results, block params/results: bounded by locals anyway. */
#define TB_MAX_FUNC_PARAMS 1000u
/* Wasm call depth before "call stack exhausted". Deep enough for real recursive programs,
   small enough that the frames (slots) fit in TB_MAX_VALUE_STACK. */
#define TB_MAX_CALL_DEPTH 100000u
/* Interpreter value stack, in 8-byte slots (64 MiB reserved lazily). */
#define TB_MAX_VALUE_STACK (8u << 20)
/* Declared counts in a module (functions, types, imports, ...), to refuse absurd
   counts before allocating. Real modules stay far below. */
#define TB_MAX_DECL_COUNT 1000000u

#endif
