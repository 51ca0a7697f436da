(module (memory 1) (global $g (mut i32) (i32.const 10)) (export "g" (global $g))
 (func (export "f")
  (loop
   (if (i32.eqz (global.get $g)) (then (return)))
   (global.set $g (i32.sub (global.get $g) (i32.const 1)))
   (f64.store (i32.const 70000) (f64.const 1))
   (br 0))))
