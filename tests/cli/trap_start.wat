;; trap_start.wat: a command whose _start traps.
(module (func (export "_start") unreachable))
