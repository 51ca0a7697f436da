;; fuel.wat: the module of test_limits_tiers.c (test_fuel.h: its bytes). Loops, calls,
;; branches and code the tiers skip differently, for fuel that must run out at the
;; same instruction on the interpreter, the JIT and artifacts.
(module
  (type $ii (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (global $g (export "g") (mut i32) (i32.const 0))
  (table 2 funcref)
  (elem (i32.const 0) $mix $twoway)

  ;; a short inner loop: (x & 7) + 1 rounds
  (func $mix (type $ii) (local $k i32)
    (block $b
      (loop $l
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $b (i32.gt_u (local.get $k) (i32.and (local.get 0) (i32.const 7))))
        (br $l)))
    (i32.mul (local.get $k) (i32.const 3)))

  ;; Both arms return, so what follows is unreachable to the JIT, which skips it; the
  ;; interpreter lowers it, and its loop is a check point that ends the entry's charge.
  (func $twoway (export "twoway") (type $ii)
    (if (local.get 0) (then (return (i32.const 1))) (else (return (i32.const 2))))
    (loop $never (br $never))
    (i32.const 3))

  ;; Code after br in a block is skipped by both: its loop is no check point.
  (func $skipped (export "skipped") (type $ii)
    (block $out
      (br $out)
      (loop $dead (br $dead)))
    (i32.add (local.get 0) (i32.const 1)))

  (func $pick (export "pick") (type $ii)
    (block $c (block $b (block $a
      (br_table $a $b $c (i32.and (local.get 0) (i32.const 3))))
      (return (call_indirect (type $ii) (local.get 0) (i32.const 0))))
      (return (call $skipped (local.get 0))))
    (call_indirect (type $ii) (local.get 0) (i32.const 1)))

  ;; fill(n): mem[(i & 16383) * 4] = i + pick(i) + mix(i), g = i, for i in [0, n)
  (func $fill (export "fill") (param $n i32) (local $i i32)
    (loop $l
      (i32.store
        (i32.shl (i32.and (local.get $i) (i32.const 16383)) (i32.const 2))
        (i32.add (local.get $i)
          (i32.add (call $pick (local.get $i)) (call $mix (local.get $i)))))
      (global.set $g (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))

  ;; nested loops with a value through the block type; a store on every inner round
  (func $nest (export "nest") (param $n i32) (result i32) (local $i i32) (local $j i32)
    (i32.const 0)
    (loop $outer (param i32) (result i32)
      (local.set $j (i32.const 0))
      (loop $inner (param i32) (result i32)
        (i32.add (local.get $j))
        (i32.store offset=8192 (i32.shl (local.get $j) (i32.const 2)) (local.get $i))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $inner (i32.lt_u (local.get $j) (i32.const 10))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $i) (local.get $n)))))
)
