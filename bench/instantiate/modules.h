/* modules: the synthetic modules of bench/instantiate, written as bytes. */
#ifndef BENCH_MODULES_H
#define BENCH_MODULES_H

#include <stddef.h>
#include <stdint.h>

typedef struct bytes {
    uint8_t *p;
    size_t len, cap;
} bytes;

/* (a) a module with one export, ping: () -> i32 returning 42, and nothing else. */
bytes mod_empty(void);
/* (c) 100 imported functions env.f0..f99 : () -> (), one memory of 17 pages with
   1 MiB of data segments (16 segments of 64 KiB), and ping. */
bytes mod_data_imports(void);

/* (d) 100 functions () -> i32 returning their index, a table of 1000 funcrefs filled
   from one element segment (function i % 100 at i), and ping (call_indirect of
   element 42). */
bytes mod_table(void);

/* an export spin: () -> () that loops forever (for epoch interruption) */
bytes mod_spin(void);

#endif
