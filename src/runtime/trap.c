/* trap: the spec's trap messages. */
#include "trap.h"

const char *rt_trap_message(rt_trap_code code) {
    static const char *const msgs[RT_TRAP_COUNT] = {
        [RT_TRAP_NONE] = "no trap",
        [RT_TRAP_UNREACHABLE] = "unreachable",
        [RT_TRAP_MEMORY_OOB] = "out of bounds memory access",
        [RT_TRAP_DIV_ZERO] = "integer divide by zero",
        [RT_TRAP_INT_OVERFLOW] = "integer overflow",
        [RT_TRAP_INVALID_CONVERSION] = "invalid conversion to integer",
        [RT_TRAP_UNDEFINED_ELEMENT] = "undefined element",
        [RT_TRAP_UNINITIALIZED_ELEMENT] = "uninitialized element",
        [RT_TRAP_INDIRECT_MISMATCH] = "indirect call type mismatch",
        [RT_TRAP_TABLE_OOB] = "out of bounds table access",
        [RT_TRAP_STACK_EXHAUSTED] = "call stack exhausted",
        [RT_TRAP_HOST] = "host trap",
        [RT_TRAP_EXIT] = "exit",
        [RT_TRAP_OUT_OF_FUEL] = "all fuel consumed",
        [RT_TRAP_INTERRUPT] = "interrupt",
    };
    return (unsigned)code < RT_TRAP_COUNT ? msgs[code] : "unknown trap";
}
