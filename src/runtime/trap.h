/* trap: trap codes with the spec's messages, and trap details. */
#ifndef RT_TRAP_H
#define RT_TRAP_H

#include "../base/base.h"

typedef enum rt_trap_code {
    RT_TRAP_NONE = 0,
    RT_TRAP_UNREACHABLE,          /* "unreachable" */
    RT_TRAP_MEMORY_OOB,           /* "out of bounds memory access" */
    RT_TRAP_DIV_ZERO,             /* "integer divide by zero" */
    RT_TRAP_INT_OVERFLOW,         /* "integer overflow" */
    RT_TRAP_INVALID_CONVERSION,   /* "invalid conversion to integer" */
    RT_TRAP_UNDEFINED_ELEMENT,    /* "undefined element" (call_indirect index >= size) */
    RT_TRAP_UNINITIALIZED_ELEMENT,/* "uninitialized element" (null entry) */
    RT_TRAP_INDIRECT_MISMATCH,    /* "indirect call type mismatch" */
    RT_TRAP_TABLE_OOB,            /* "out of bounds table access" */
    RT_TRAP_STACK_EXHAUSTED,      /* "call stack exhausted" */
    RT_TRAP_HOST,                 /* message from the host */
    RT_TRAP_EXIT,                 /* host asked to end the program; status in rt_trap */
    RT_TRAP_OUT_OF_FUEL,          /* "all fuel consumed" (the store's fuel ran out) */
    RT_TRAP_INTERRUPT,            /* "interrupt" (the store's epoch deadline passed) */
    RT_TRAP_COUNT
} rt_trap_code;

const char *rt_trap_message(rt_trap_code code);

#define RT_MAX_FRAMES 32
typedef struct rt_trap {
    rt_trap_code code;
    int exit_status;
    char host_message[200];
    uint32_t nframes;               /* innermost first */
    struct { uint32_t func; uint32_t offset; const void *module; } frames[RT_MAX_FRAMES];
} rt_trap;

#endif
