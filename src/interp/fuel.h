/* fuel: the fuel and epoch checks the lowering adds at function entries and loop
   headers when the engine asks for them (interp_compile_checked). Cells: [h][cost]. */
#ifndef INTERP_FUEL_H
#define INTERP_FUEL_H

#include "internal.h"

IHANDLER h_check_fuel(IARGS);
IHANDLER h_check_epoch(IARGS);
IHANDLER h_check_fuel_epoch(IARGS);

/* The handler for a set of INTERP_CHECK_* flags (NULL for none). */
ihandler interp_check_handler(unsigned checks);

#endif
