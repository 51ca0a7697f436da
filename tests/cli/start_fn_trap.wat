;; start_fn_trap.wat: the start function traps while the module is being instantiated.
(module
  (memory 1)
  (func $init (drop (i32.load (i32.const 70000))))
  (start $init))
