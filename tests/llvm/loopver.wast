;; Loop versioning (src/llvm/loopver.c): a counted innermost loop whose accesses are
;; all proven in bounds before it starts runs a copy with plain (vectorizable) accesses;
;; any other start runs the ordinary copy, where a trap leaves exactly the stores before
;; it. These run on every engine (tests/llvm/run.sh): the interpreter's answers are the
;; ones written here, and each loop below is entered both ways.

(module
 (memory (export "mem") 1 2)
 ;; words [p, p+4n) = 1..n (lt_u exit on a counter updated before the test)
 (func $fill (export "fill") (param $p i32) (param $n i32)
  (local $i i32)
  (loop
   (local.set $i (i32.add (local.get $i) (i32.const 1)))
   (i32.store (local.get $p) (local.get $i))
   (local.set $p (i32.add (local.get $p) (i32.const 4)))
   (br_if 0 (i32.lt_u (local.get $i) (local.get $n)))))
 ;; the sum of the n >= 1 words at p (ne exit on the pointer itself)
 (func (export "sum") (param $p i32) (param $n i32) (result i32)
  (local $s i32) (local $e i32)
  (local.set $e (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
  (loop
   (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
   (br_if 0 (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 4))) (local.get $e))))
  (local.get $s))
 (func (export "get") (param i32) (result i32) (i32.load (local.get 0)))
 (func (export "clear") (memory.fill (i32.const 0) (i32.const 0) (i32.const 65536)))
 (func (export "grow") (result i32) (memory.grow (i32.const 1)))
 ;; clang's shape for c[j] += 3 * b[j]: unrolled twice, an address kept in a local,
 ;; offset=4, a counter stepping by 2 and an ne exit. n must be even to end by the
 ;; exit (else it runs until an access traps).
 (func (export "axpy") (param $c i32) (param $b i32) (param $n i32)
  (local $j i32) (local $t i32)
  (loop
   (i32.store (local.get $c)
    (i32.add (i32.load (local.get $c)) (i32.mul (i32.const 3) (i32.load (local.get $b)))))
   (i32.store (local.tee $t (i32.add (local.get $c) (i32.const 4)))
    (i32.add (i32.load (local.get $t)) (i32.mul (i32.const 3) (i32.load offset=4 (local.get $b)))))
   (local.set $c (i32.add (local.get $c) (i32.const 8)))
   (local.set $b (i32.add (local.get $b) (i32.const 8)))
   (br_if 0 (i32.ne (local.get $n) (local.tee $j (i32.add (local.get $j) (i32.const 2)))))))
 ;; stores i to (p + 16) for i = 1..n: p's address wraps around 2^32 when p is near it
 (func (export "wrapaddr") (param $p i32) (param $n i32)
  (local $i i32)
  (loop
   (local.set $i (i32.add (local.get $i) (i32.const 1)))
   (i32.store (i32.add (local.get $p) (i32.const 16)) (local.get $i))
   (local.set $p (i32.add (local.get $p) (i32.const 4)))
   (br_if 0 (i32.ne (local.get $i) (local.get $n)))))
 ;; the counter starts at k and steps by 4 until it equals e (wrapping around 2^32);
 ;; stores the iteration number at 4*iteration; returns the iterations
 (func (export "wrapiv") (param $k i32) (param $e i32) (result i32)
  (local $p i32)
  (loop
   (i32.store (local.get $p) (i32.shr_u (i32.add (local.get $p) (i32.const 4)) (i32.const 2)))
   (local.set $p (i32.add (local.get $p) (i32.const 4)))
   (br_if 0 (i32.ne (local.tee $k (i32.add (local.get $k) (i32.const 4))) (local.get $e))))
  (i32.shr_u (local.get $p) (i32.const 2)))
 ;; downwards, i32.sub step: mem[p] += 1 for p = hi, hi-4, ... while p-4 != lo-4
 (func (export "down") (param $hi i32) (param $lo i32)
  (local $e i32)
  (local.set $e (i32.sub (local.get $lo) (i32.const 4)))
  (loop
   (i32.store (local.get $hi) (i32.add (i32.load (local.get $hi)) (i32.const 1)))
   (br_if 0 (i32.ne (local.tee $hi (i32.sub (local.get $hi) (i32.const 4))) (local.get $e)))))
 ;; downwards with a signed exit: p = hi, hi-4, ... while p-4 >= lo (signed)
 (func (export "down-s") (param $hi i32) (param $lo i32)
  (loop
   (i32.store (local.get $hi) (i32.add (i32.load (local.get $hi)) (i32.const 10)))
   (local.set $hi (i32.add (local.get $hi) (i32.const -4)))
   (br_if 0 (i32.ge_s (local.get $hi) (local.get $lo)))))
 ;; downwards, unsigned: p = hi, hi-4, ... while p-4 > lo
 (func (export "down-u") (param $hi i32) (param $lo i32)
  (loop
   (i32.store8 offset=3 (local.get $hi) (i32.const 7))
   (br_if 0 (i32.gt_u (local.tee $hi (i32.sub (local.get $hi) (i32.const 4))) (local.get $lo)))))
 ;; an offset immediate: store64 of i at 65000 + 8i for i = 0 .. n-1 (le_s exit)
 (func (export "offs") (param $n i32)
  (local $i i32) (local $p i32)
  (loop
   (i64.store offset=65000 (local.get $p) (i64.extend_i32_u (local.get $i)))
   (local.set $p (i32.add (local.get $p) (i32.const 8)))
   (br_if 0 (i32.le_s (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.sub (local.get $n) (i32.const 1))))))
 ;; the exit on the updated counter itself: while (n -= 1) != 0; bytes, unaligned
 (func (export "bytes") (param $p i32) (param $n i32)
  (loop
   (i32.store16 (local.get $p) (i32.add (i32.load8_u offset=1 (local.get $p)) (local.get $n)))
   (local.set $p (i32.add (local.get $p) (i32.const 1)))
   (br_if 0 (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
 ;; dst[i] = src[i] for i < n (n >= 1): with dst = src + 4 it smears src[0] over all
 (func (export "smear") (param $dst i32) (param $src i32) (param $n i32)
  (loop
   (i32.store (local.get $dst) (i32.load (local.get $src)))
   (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
   (local.set $src (i32.add (local.get $src) (i32.const 4)))
   (br_if 0 (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
 ;; a negative constant in the address: mem[p - 8] = p for p = hi, hi-4, ... > 4
 (func (export "below") (param $p i32)
  (loop
   (i32.store (i32.add (local.get $p) (i32.const -8)) (local.get $p))
   (br_if 0 (i32.gt_s (local.tee $p (i32.sub (local.get $p) (i32.const 4))) (i32.const 4)))))
 ;; le_u against -1 never fails: the compared value (i + 257) wraps around 2^32 and
 ;; the loop runs on until p leaves memory
 (func (export "leu") (param $p i32) (param $i i32)
  (loop
   (i32.store (local.get $p) (local.get $i))
   (local.set $p (i32.add (local.get $p) (i32.const 4)))
   (local.set $i (i32.add (local.get $i) (i32.const 1)))
   (br_if 0 (i32.le_u (i32.add (local.get $i) (i32.const 256)) (i32.const -1)))))
 ;; the mirror: ge_u against 0 never fails, (i - 257) wraps below 0 while i does not
 (func (export "geu") (param $p i32) (param $i i32)
  (loop
   (i32.store (local.get $p) (local.get $i))
   (local.set $p (i32.add (local.get $p) (i32.const 4)))
   (local.set $i (i32.sub (local.get $i) (i32.const 1)))
   (br_if 0 (i32.ge_u (i32.sub (local.get $i) (i32.const 256)) (i32.const 0)))))
 ;; v128: c[j] += b[j] four lanes at a time, ge_u exit on a counter going down
 (func (export "vadd") (param $c i32) (param $b i32) (param $n i32)
  (loop
   (v128.store (local.get $c) (i32x4.add (v128.load (local.get $c)) (v128.load (local.get $b))))
   (local.set $c (i32.add (local.get $c) (i32.const 16)))
   (local.set $b (i32.add (local.get $b) (i32.const 16)))
   (br_if 0 (i32.ge_u (local.tee $n (i32.sub (local.get $n) (i32.const 4))) (i32.const 4))))))

;; In bounds: fast copy.
(invoke "fill" (i32.const 0) (i32.const 100))
(invoke "fill" (i32.const 1024) (i32.const 100))
(assert_return (invoke "sum" (i32.const 0) (i32.const 100)) (i32.const 5050))
(invoke "axpy" (i32.const 0) (i32.const 1024) (i32.const 100))
(assert_return (invoke "sum" (i32.const 0) (i32.const 100)) (i32.const 20200))
(assert_return (invoke "get" (i32.const 396)) (i32.const 400))
(assert_return (invoke "get" (i32.const 400)) (i32.const 0))
;; Up to the last byte of memory.
(invoke "axpy" (i32.const 65136) (i32.const 0) (i32.const 100))
(assert_return (invoke "get" (i32.const 65532)) (i32.const 1200))
(assert_return (invoke "sum" (i32.const 65136) (i32.const 100)) (i32.const 60600))

;; Runs off the end part-way: the stores before the trap show, nothing after.
(invoke "clear")
(invoke "fill" (i32.const 0) (i32.const 100))
(assert_trap (invoke "axpy" (i32.const 65496) (i32.const 0) (i32.const 100)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 65496)) (i32.const 3))
(assert_return (invoke "get" (i32.const 65532)) (i32.const 30))
(assert_return (invoke "sum" (i32.const 65496) (i32.const 10)) (i32.const 165))
;; The trap on the second store of an iteration: its first store shows.
(invoke "clear")
(invoke "fill" (i32.const 0) (i32.const 100))
(assert_trap (invoke "axpy" (i32.const 65500) (i32.const 0) (i32.const 100)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 65532)) (i32.const 27))
(assert_return (invoke "sum" (i32.const 65500) (i32.const 9)) (i32.const 135))
;; Only a load of b is out of bounds (b = 5, 6, ... up to the end of memory).
(invoke "clear")
(invoke "fill" (i32.const 65128) (i32.const 102))
(assert_trap (invoke "axpy" (i32.const 0) (i32.const 65144) (i32.const 100)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 0) (i32.const 98)) (i32.const 15729))
(assert_return (invoke "get" (i32.const 388)) (i32.const 306))
(assert_return (invoke "get" (i32.const 392)) (i32.const 0))
;; The same b, in bounds up to its last byte.
(invoke "axpy" (i32.const 0) (i32.const 65136) (i32.const 100))
(assert_return (invoke "get" (i32.const 396)) (i32.const 306))
;; An odd n never meets the ne exit: the loop runs until c leaves memory.
(invoke "clear")
(invoke "fill" (i32.const 0) (i32.const 100))
(assert_trap (invoke "axpy" (i32.const 65136) (i32.const 0) (i32.const 101)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 65532)) (i32.const 300))
(assert_return (invoke "sum" (i32.const 65136) (i32.const 100)) (i32.const 15150))
;; n = 0 runs 2^31 iterations on 4 bytes apart: it leaves memory, and its first
;; iterations are the same as n = 100.
(invoke "clear")
(invoke "fill" (i32.const 0) (i32.const 100))
(assert_trap (invoke "axpy" (i32.const 32768) (i32.const 0) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 32768) (i32.const 100)) (i32.const 15150))
(assert_return (invoke "get" (i32.const 65532)) (i32.const 0))
;; Starting out of bounds: nothing is stored.
(invoke "clear")
(assert_trap (invoke "axpy" (i32.const 65536) (i32.const 0) (i32.const 2)) "out of bounds memory access")
(assert_trap (invoke "axpy" (i32.const -8) (i32.const 0) (i32.const 2)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 0) (i32.const 16384)) (i32.const 0))

;; Addresses that wrap around 2^32: in bounds in Wasm (p + 16 wraps to 0, 4, ...).
(invoke "wrapaddr" (i32.const -16) (i32.const 6))
(assert_return (invoke "sum" (i32.const 0) (i32.const 6)) (i32.const 21))
(assert_return (invoke "get" (i32.const 20)) (i32.const 6))
(assert_return (invoke "get" (i32.const 24)) (i32.const 0))
(invoke "clear")
(invoke "wrapaddr" (i32.const 100) (i32.const 6))
(assert_return (invoke "sum" (i32.const 116) (i32.const 6)) (i32.const 21))
;; ... and that wrap to out of bounds part-way: i = 1..4 stored, the 5th traps.
(invoke "clear")
(assert_trap (invoke "wrapaddr" (i32.const 65504) (i32.const 6)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 65520) (i32.const 4)) (i32.const 10))

;; A counter that wraps around 2^32 before it meets the exit (6 iterations), and one
;; that does not (3).
(invoke "clear")
(assert_return (invoke "wrapiv" (i32.const -16) (i32.const 8)) (i32.const 6))
(assert_return (invoke "sum" (i32.const 0) (i32.const 6)) (i32.const 21))
(assert_return (invoke "wrapiv" (i32.const 100) (i32.const 112)) (i32.const 3))
(assert_return (invoke "get" (i32.const 8)) (i32.const 3))
(assert_return (invoke "get" (i32.const 12)) (i32.const 4))
;; The counter misses the exit (d % 4 != 0): runs until p leaves memory.
(invoke "clear")
(assert_trap (invoke "wrapiv" (i32.const 0) (i32.const 10)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 65532)) (i32.const 16384))

;; Negative steps.
(invoke "clear")
(invoke "down" (i32.const 396) (i32.const 0))
(assert_return (invoke "sum" (i32.const 0) (i32.const 101)) (i32.const 100))
(assert_return (invoke "get" (i32.const 400)) (i32.const 0))
(invoke "down" (i32.const 65532) (i32.const 65136))
(assert_return (invoke "sum" (i32.const 65136) (i32.const 100)) (i32.const 100))
;; below address 0: the stores at 36 .. 0 show, then -4 traps
(invoke "clear")
(assert_trap (invoke "down" (i32.const 36) (i32.const -400)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 0) (i32.const 11)) (i32.const 10))
(invoke "clear")
(invoke "down-s" (i32.const 396) (i32.const 0))
(assert_return (invoke "sum" (i32.const 0) (i32.const 101)) (i32.const 1000))
(invoke "down-s" (i32.const 36) (i32.const 36))
(assert_return (invoke "get" (i32.const 36)) (i32.const 20))
(invoke "down-s" (i32.const 40) (i32.const 100))
(assert_return (invoke "get" (i32.const 40)) (i32.const 20))
(assert_trap (invoke "down-s" (i32.const 8) (i32.const -100)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 0) (i32.const 3)) (i32.const 60))
(invoke "clear")
(invoke "down-u" (i32.const 400) (i32.const 0))
(assert_return (invoke "get" (i32.const 4)) (i32.const 0x07000000))
(assert_return (invoke "get" (i32.const 0)) (i32.const 0))
(assert_return (invoke "get" (i32.const 400)) (i32.const 0x07000000))
(invoke "down-u" (i32.const 65532) (i32.const 65520))
(assert_return (invoke "get" (i32.const 65532)) (i32.const 0x07000000))
(assert_return (invoke "get" (i32.const 65524)) (i32.const 0x07000000))
(assert_return (invoke "get" (i32.const 65520)) (i32.const 0))
(assert_trap (invoke "down-u" (i32.const 65536) (i32.const 65520)) "out of bounds memory access")

;; offset=65000: in bounds for n <= 67, traps at i = 67 otherwise.
(invoke "clear")
(invoke "offs" (i32.const 67))
(assert_return (invoke "get" (i32.const 65528)) (i32.const 66))
(assert_return (invoke "get" (i32.const 65000)) (i32.const 0))
(assert_return (invoke "get" (i32.const 65008)) (i32.const 1))
(invoke "clear")
(assert_trap (invoke "offs" (i32.const 200)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 65528)) (i32.const 66))
(invoke "clear")
(invoke "offs" (i32.const -5))
(assert_return (invoke "get" (i32.const 65000)) (i32.const 0))
(assert_return (invoke "get" (i32.const 65008)) (i32.const 0))

;; Bytes, exit on the counter itself.
(invoke "clear")
(invoke "bytes" (i32.const 0) (i32.const 4))
(assert_return (invoke "get" (i32.const 0)) (i32.const 0x01020304))
(assert_return (invoke "get" (i32.const 4)) (i32.const 0))
(invoke "clear")
(assert_trap (invoke "bytes" (i32.const 65532) (i32.const 8)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 65532)) (i32.const 0x00060708))

;; Bases that overlap (a store through one, a load through the other): the loop must
;; see its own stores, in order.
(invoke "clear")
(invoke "fill" (i32.const 0) (i32.const 100))
(invoke "smear" (i32.const 1024) (i32.const 0) (i32.const 100))
(assert_return (invoke "sum" (i32.const 1024) (i32.const 100)) (i32.const 5050))
(invoke "smear" (i32.const 4) (i32.const 0) (i32.const 99))
(assert_return (invoke "sum" (i32.const 0) (i32.const 100)) (i32.const 100))
(invoke "smear" (i32.const 1024) (i32.const 1028) (i32.const 99))
(assert_return (invoke "sum" (i32.const 1024) (i32.const 100)) (i32.const 5149))
(assert_return (invoke "get" (i32.const 1024)) (i32.const 2))
(assert_return (invoke "get" (i32.const 1416)) (i32.const 100))
(invoke "fill" (i32.const 2048) (i32.const 100))
(invoke "smear" (i32.const 2056) (i32.const 2048) (i32.const 98))
(assert_return (invoke "get" (i32.const 2440)) (i32.const 1))
(assert_return (invoke "get" (i32.const 2444)) (i32.const 2))

;; A negative address offset: p = 400 .. 8 stores at 392 .. 0; p = 42 .. 6 stores at
;; 34 .. 2, then at -2, which traps (p itself stays positive).
(invoke "clear")
(invoke "below" (i32.const 400))
(assert_return (invoke "sum" (i32.const 0) (i32.const 99)) (i32.const 20196))
(assert_return (invoke "get" (i32.const 392)) (i32.const 400))
(assert_return (invoke "get" (i32.const 0)) (i32.const 8))
(invoke "clear")
(assert_trap (invoke "below" (i32.const 42)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 2)) (i32.const 10))
(assert_return (invoke "get" (i32.const 34)) (i32.const 42))

;; ... and one long enough to be vectorized, running below 0 at its end.
(invoke "clear")
(assert_trap (invoke "below" (i32.const 402)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 2)) (i32.const 10))
(assert_return (invoke "get" (i32.const 6)) (i32.const 14))
(assert_return (invoke "get" (i32.const 394)) (i32.const 402))
(invoke "clear")
(assert_trap (invoke "below" (i32.const 1026)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 2)) (i32.const 10))
(assert_return (invoke "get" (i32.const 254)) (i32.const 262))
(assert_return (invoke "get" (i32.const 1018)) (i32.const 1026))

;; A compared value that wraps although its counter does not.
(invoke "clear")
(assert_trap (invoke "leu" (i32.const 0) (i32.const 0xfffffe00)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 65532)) (i32.const 0x3dff))
(assert_return (invoke "get" (i32.const 1024)) (i32.const 0xffffff00))
(invoke "clear")
(assert_trap (invoke "geu" (i32.const 0) (i32.const 512)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 65532)) (i32.const -15871))
(assert_return (invoke "get" (i32.const 1024)) (i32.const 256))

;; v128.
(invoke "clear")
(invoke "fill" (i32.const 0) (i32.const 64))
(invoke "fill" (i32.const 256) (i32.const 64))
(invoke "vadd" (i32.const 0) (i32.const 256) (i32.const 64))
(assert_return (invoke "sum" (i32.const 0) (i32.const 64)) (i32.const 4160))
(assert_return (invoke "get" (i32.const 252)) (i32.const 128))
(invoke "vadd" (i32.const 65280) (i32.const 0) (i32.const 64))
(assert_return (invoke "sum" (i32.const 65280) (i32.const 64)) (i32.const 4160))
(invoke "clear")
(invoke "fill" (i32.const 0) (i32.const 64))
(assert_trap (invoke "vadd" (i32.const 65488) (i32.const 0) (i32.const 64)) "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 65488) (i32.const 12)) (i32.const 78))

;; The size is read when the loop starts: after memory.grow the second page is in
;; bounds, and the loop runs in it.
(invoke "clear")
(assert_trap (invoke "fill" (i32.const 65536) (i32.const 10)) "out of bounds memory access")
(assert_return (invoke "grow") (i32.const 1))
(invoke "fill" (i32.const 65500) (i32.const 100))
(assert_return (invoke "sum" (i32.const 65500) (i32.const 100)) (i32.const 5050))
(assert_trap (invoke "fill" (i32.const 131000) (i32.const 200)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 131068)) (i32.const 18))
