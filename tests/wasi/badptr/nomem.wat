;; nomem: a module without memory calling WASI gets EFAULT, not a crash.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (func (export "_start")
    (if (i32.ne (call $fd_write (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 21))
      (then (call $proc_exit (i32.const 1))))
    (if (i32.ne (call $args_sizes_get (i32.const 0) (i32.const 4)) (i32.const 21))
      (then (call $proc_exit (i32.const 2))))))
