(module (memory (export "mem") 1)
 (func (export "f")
  (i32.store (i32.const 8) (i32.const 5))
  (i32.store (i32.const 8) (i32.load (i32.const 70000)))))
