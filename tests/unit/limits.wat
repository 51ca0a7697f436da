(module
  (memory (export "memory") 1)
  (table (export "tab") 1 funcref)
  (data (i32.const 16) "taho-data")
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
  (func (export "tgrow") (param i32) (result i32) ref.null func local.get 0 table.grow 0)
  (func (export "peek") (param i32) (result i32) local.get 0 i32.load8_u)
  (func (export "poke") (param i32 i32) local.get 0 local.get 1 i32.store8)
  (func (export "size") (result i32) memory.size)
  ;; counts iterations in global 0 until n
  (global $g (export "g") (mut i32) (i32.const 0))
  (func (export "count") (param i32)
    (loop $l
      (global.set $g (i32.add (global.get $g) (i32.const 1)))
      (br_if $l (i32.lt_u (global.get $g) (local.get 0)))))
  (func (export "spin") (loop $l (br $l)))
  (func $rec (export "rec") (param i32) (result i32)
    local.get 0 i32.eqz if (result i32) i32.const 0 else local.get 0 i32.const 1 i32.sub call $rec i32.const 1 i32.add end))
