;; wrong.wast: one assertion that must fail, to check that failures are reported.
(module (func (export "one") (result i32) (i32.const 1)))
(assert_return (invoke "one") (i32.const 1))
(assert_return (invoke "one") (i32.const 2))
