(module (memory (export "mem") 1)
 (func (export "f") (local $i i32)
  (loop $l
   (local.set $i (i32.add (local.get $i) (i32.const 1)))
   (i32.store (i32.const 8) (local.get $i))
   (if (i32.eq (local.get $i) (i32.const 5)) (then (i32.store (i32.const 70000) (i32.const 1))))
   (br_if $l (i32.lt_u (local.get $i) (i32.const 10))))))
