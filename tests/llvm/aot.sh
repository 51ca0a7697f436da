#!/usr/bin/env bash
# aot.sh: tests of `taho compile` artifacts and the JIT's on-disk cache: results equal
# the interpreter's, an artifact runs without LLVM (the process's own /proc/self/maps,
# read by the guest, and the dynamic loader's log), damaged or foreign files are refused
# with a reason, bad command lines get exit 2. Prints "aot: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
TAHO=${TAHO:-build/taho}
pass=0; fail=0
W=$(mktemp -d "${TMPDIR:-/tmp}/taho-aot-XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
check() { # NAME CMD...: one test, passes when CMD succeeds
    local name=$1; shift
    if "$@" >"$W/out" 2>&1; then pass=$((pass + 1))
    else fail=$((fail + 1)); echo "FAIL $name"; sed 's/^/  /' "$W/out" | head -20; fi
}
# out_is NAME EXPECTED CMD...: stdout+stderr of CMD equals EXPECTED (any exit status)
out_is() {
    local name=$1 want=$2; shift 2
    local got; got=$("$@" 2>&1)
    if [ "$got" = "$want" ]; then pass=$((pass + 1))
    else fail=$((fail + 1)); echo "FAIL $name"; echo "  want: $want"; echo "  got:  $got" | head -5; fi
}
# fails_with NAME STATUS PATTERN CMD...: CMD exits STATUS and prints PATTERN (grep -E)
fails_with() {
    local name=$1 want=$2 pat=$3; shift 3
    "$@" >"$W/out" 2>&1; local rc=$?
    if [ "$rc" = "$want" ] && grep -Eq -- "$pat" "$W/out"; then pass=$((pass + 1))
    else fail=$((fail + 1)); echo "FAIL $name (exit $rc, want $want)"; sed 's/^/  /' "$W/out" | head -5; fi
}
[ -f build/libtaho-llvm.so ] || { echo "aot: build/libtaho-llvm.so not built"; echo "aot: 0 passed, 1 failed"; exit 1; }
hello=build/examples/hello.wasm fib=build/examples/fib.wasm
clang-19 --target=wasm32-wasi --sysroot=/usr -O2 -o "$W/maps.wasm" tests/llvm/maps.c || { echo "aot: 0 passed, 1 failed (build maps.wasm)"; exit 1; }

# ---- compile and run ----
check "compile hello" "$TAHO" compile "$hello" -o "$W/hello.taho"
out_is "run hello.taho" "hello, world" "$TAHO" run "$W/hello.taho"
check "compile fib --optimize size --target x86-64" "$TAHO" compile "$fib" -o "$W/fib.taho" --optimize size --target x86-64
out_is "fib.taho answers like the interpreter" "$("$TAHO" run "$fib" --invoke fib 20)" "$TAHO" run "$W/fib.taho" --invoke fib 20
check "compile --jobs 1 --optimize none" "$TAHO" compile "$fib" -o "$W/fib1.taho" --jobs 1 --optimize none
out_is "fib1.taho answers like the interpreter" "$("$TAHO" run "$fib" --invoke fib 15)" "$TAHO" run "$W/fib1.taho" --invoke fib 15
check "readelf sees an ELF file with program headers" bash -c "readelf -lW '$W/hello.taho' | grep -q LOAD"

# ---- no LLVM when running an artifact ----
check "compile maps" "$TAHO" compile "$W/maps.wasm" -o "$W/maps.taho"
out_is "an artifact's process maps no LLVM" "$(echo "maps:"; echo 0)" bash -c \
    "$TAHO run --dir-ro /proc '$W/maps.taho' | sed -E 's/^maps: [0-9]+ lines, ([0-9]+) llvm$/maps:\n\1/'"
check "the JIT's process does map LLVM (the check can see it)" bash -c \
    "$TAHO run --no-cache --engine jit --dir-ro /proc '$W/maps.wasm' | grep -Eq ', [1-9][0-9]* llvm'"
check "the dynamic loader loads no LLVM for an artifact" bash -c \
    "! LD_DEBUG=files $TAHO run '$W/hello.taho' 2>&1 | grep -Eq 'libLLVM|libtaho-llvm'"
out_is "an artifact runs with no plugin at all" "hello, world" env TAHO_LLVM_PLUGIN=/nonexistent "$TAHO" run "$W/hello.taho"

# ---- backtraces name the Wasm functions of compiled frames ----
if wat2wasm --debug-names tests/llvm/backtrace.wat -o "$W/bt.wasm"; then
    want=$(printf 'taho: bt.wasm: trap: out of bounds memory access\n    at inner+0x34\n    at middle+0x45\n    at func[3]+0x5c')
    out_is "jit --optimize none: every frame" "$want" bash -c "cd '$W' && $PWD/$TAHO run --no-cache --engine jit --optimize none bt.wasm --invoke outer 1"
    want=$(printf 'taho: bt.wasm: trap: unreachable\n    at inner+0x34\n    at middle+0x45\n    at func[3]+0x5c')
    out_is "jit --optimize none: a trap raised by a helper" "$want" bash -c "cd '$W' && $PWD/$TAHO run --no-cache --engine jit --optimize none bt.wasm --invoke outer 0"
    check "compile bt" "$TAHO" compile "$W/bt.wasm" -o "$W/bt.taho"
    # at O2 inner and middle are inlined into the export: its frame remains
    fails_with "artifact: a fault names the frame" 1 "^    at func\[3\]\+0x5c$" "$TAHO" run "$W/bt.taho" --invoke outer 1
    fails_with "artifact: recursion names its frames" 1 "at rec\+0x[0-9a-f]+ \(32 frames\)" "$TAHO" run "$W/bt.taho" --invoke deep 0
else
    fail=$((fail + 1)); echo "FAIL wat2wasm tests/llvm/backtrace.wat"
fi

# ---- damaged and foreign files ----
cp "$W/hello.taho" "$W/flip.taho"
size=$(stat -c %s "$W/flip.taho")
printf '\x5a' | dd of="$W/flip.taho" bs=1 seek=$((size / 2)) conv=notrunc status=none
fails_with "a flipped byte is refused" 1 "corrupt|checksum" "$TAHO" run "$W/flip.taho"
head -c $((size - 100)) "$W/hello.taho" >"$W/trunc.taho"
fails_with "a truncated artifact is refused" 1 "truncated|corrupt|malformed|bounds" "$TAHO" run "$W/trunc.taho"
head -c 64 "$W/hello.taho" >"$W/head.taho"
fails_with "an ELF header alone is refused" 1 "hello|head|taho" "$TAHO" run "$W/head.taho"
fails_with "compiling an artifact again is refused" 1 "already a compiled artifact" "$TAHO" compile "$W/hello.taho" -o "$W/x.taho"

# ---- command line ----
fails_with "compile without -o" 2 "missing -o" "$TAHO" compile "$fib"
fails_with "compile without input" 2 "missing IN.wasm" "$TAHO" compile -o "$W/x.taho"
fails_with "compile of a missing file" 2 "cannot read" "$TAHO" compile "$W/none.wasm" -o "$W/x.taho"
fails_with "compile --target unknown" 2 "unknown --target" "$TAHO" compile "$fib" -o "$W/x.taho" --target pentium9
fails_with "compile --optimize wrong" 2 "--optimize takes" "$TAHO" compile "$fib" -o "$W/x.taho" --optimize fast
fails_with "compile --jobs 0" 2 "--jobs takes" "$TAHO" compile "$fib" -o "$W/x.taho" --jobs 0
fails_with "compile an unknown flag" 2 "unknown option" "$TAHO" compile "$fib" -o "$W/x.taho" --frobnicate
printf 'not wasm' >"$W/bad.wasm"
fails_with "compile of a non-module" 1 "malformed" "$TAHO" compile "$W/bad.wasm" -o "$W/x.taho"
check "a failed compile leaves no output" test ! -e "$W/x.taho"
fails_with "compile to an unwritable place" 1 "cannot write" "$TAHO" compile "$fib" -o "$W/no/such/dir/x.taho"
fails_with "compile without the plugin" 1 "cannot load the LLVM tier" env TAHO_LLVM_PLUGIN=/nonexistent "$TAHO" compile "$fib" -o "$W/x.taho"

# ---- the JIT's on-disk cache ----
mkdir -p "$W/cache"
out_is "jit with a cache: first run" "hello, world" env XDG_CACHE_HOME="$W/cache" "$TAHO" run --engine jit "$hello"
check "the first run stored one artifact" bash -c "[ \$(ls '$W/cache/taho' | grep -c '\.taho\$') = 1 ]"
out_is "the second run compiles nothing (no plugin needed)" "hello, world" \
    env XDG_CACHE_HOME="$W/cache" TAHO_LLVM_PLUGIN=/nonexistent "$TAHO" run --engine jit "$hello"
fails_with "--no-cache compiles again" 1 "cannot load the LLVM tier" \
    env XDG_CACHE_HOME="$W/cache" TAHO_LLVM_PLUGIN=/nonexistent "$TAHO" run --no-cache --engine jit "$hello"
out_is "another opt level is another entry" "hello, world" env XDG_CACHE_HOME="$W/cache" "$TAHO" run --engine jit --optimize none "$hello"
check "two entries now" bash -c "[ \$(ls '$W/cache/taho' | grep -c '\.taho\$') = 2 ]"
for f in "$W"/cache/taho/*.taho; do printf '\x5a' | dd of="$f" bs=1 seek=5000 conv=notrunc status=none; done
out_is "a damaged cache entry is recompiled, not run" "hello, world" env XDG_CACHE_HOME="$W/cache" "$TAHO" run --engine jit "$hello"
out_is "the entry was replaced by a good one" "hello, world" \
    env XDG_CACHE_HOME="$W/cache" TAHO_LLVM_PLUGIN=/nonexistent "$TAHO" run --engine jit "$hello"
printf '[runtime.jit]\ncache_dir = "cache2"\n' >"$W/dir.toml"
out_is "taho.toml cache_dir (relative to the file)" "hello, world" "$TAHO" --config "$W/dir.toml" run --engine jit "$hello"
check "cache_dir got the entry" bash -c "[ \$(ls '$W/cache2' | grep -c '\.taho\$') = 1 ]"
printf '[runtime.jit]\ncache = false\n' >"$W/off.toml"
out_is "taho.toml cache = false" "hello, world" env XDG_CACHE_HOME="$W/cache3" "$TAHO" --config "$W/off.toml" run --engine jit "$hello"
check "cache = false stores nothing" test ! -e "$W/cache3/taho"

echo "aot: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
