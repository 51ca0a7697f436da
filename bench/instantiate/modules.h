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

/* an export spin: () -> () that loops forever (for epoch interruption) */
bytes mod_spin(void);

#endif
