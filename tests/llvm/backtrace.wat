;; backtrace: traps three calls deep (unreachable, out of bounds) and in endless
;; recursion, for the backtraces of compiled code (tests/llvm/aot.sh).
(module
  (memory 1)
  (func $inner (param i32) (result i32)
    (if (i32.eqz (local.get 0)) (then unreachable))
    (i32.load (i32.const 70000)))
  (func $middle (param i32) (result i32)
    (i32.add (call $inner (local.get 0)) (i32.const 1)))
  (func $rec (param i32) (result i32)
    (i32.add (call $rec (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func (export "outer") (param i32) (result i32)
    (i32.mul (call $middle (local.get 0)) (i32.const 3)))
  (func (export "deep") (param i32) (result i32) (call $rec (local.get 0))))
