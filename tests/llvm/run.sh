#!/usr/bin/env bash
# run.sh: tests of the LLVM tier: our regression scripts on every engine and opt level,
# and that the interpreter never loads libLLVM. Prints "llvm: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
# The JIT's on-disk cache goes to a directory of this run, not the user's.
export XDG_CACHE_HOME; XDG_CACHE_HOME=$(mktemp -d "${TMPDIR:-/tmp}/taho-cache-XXXXXX") || exit 2
trap 'rm -rf "$XDG_CACHE_HOME"' EXIT
TAHO=${TAHO:-build/taho}
pass=0; fail=0
check() { # NAME CMD...: one test, passes when CMD succeeds
    local name=$1; shift
    if "$@" >/tmp/taho-llvm-test.$$ 2>&1; then pass=$((pass + 1))
    else fail=$((fail + 1)); echo "FAIL $name"; sed 's/^/  /' /tmp/taho-llvm-test.$$ | head -20; fi
}
[ -f build/libtaho-llvm.so ] || { echo "llvm: build/libtaho-llvm.so not built"; echo "llvm: 0 passed, 1 failed"; exit 1; }
for w in tests/llvm/*.wast; do
    check "$w interp" "$TAHO" wast "$w"
    for o in speed none size; do
        check "$w jit $o" env TAHO_JIT_VERIFY=1 "$TAHO" wast --engine jit --optimize "$o" "$w"
    done
    check "$w aot" "$TAHO" wast --engine aot "$w"
done
# The plugin is loaded only when something must be compiled.
fib=build/examples/fib.wasm
if [ -f "$fib" ]; then
    check "interp does not load libLLVM" bash -c \
        "LD_DEBUG=files $TAHO run $fib --invoke fib 10 2>&1 | grep -q libLLVM && exit 1 || exit 0"
    check "jit loads the plugin" bash -c \
        "LD_DEBUG=files $TAHO run --no-cache --engine jit $fib --invoke fib 10 2>&1 | grep -q libtaho-llvm"
    check "jit and interp agree on fib" bash -c \
        "[ \"\$($TAHO run $fib --invoke fib 20)\" = \"\$($TAHO run --engine jit $fib --invoke fib 20)\" ]"
fi
check "a missing plugin is a clear error" bash -c \
    "TAHO_LLVM_PLUGIN=/nonexistent $TAHO run --no-cache --engine jit ${fib:-x} --invoke fib 1 2>&1 | grep -q 'cannot load the LLVM tier'"
rm -f /tmp/taho-llvm-test.$$
# Fuel and epoch checks in compiled code (its own counts).
out=$(bash tests/llvm/fuel.sh 2>&1); echo "$out" | grep -v ' passed, '
line=$(grep -E '^fuel: [0-9]+ passed, [0-9]+ failed' <<<"$out" | tail -n 1)
p=$(sed -E 's/^fuel: ([0-9]+) passed.*/\1/' <<<"$line"); f=$(sed -E 's/.* ([0-9]+) failed/\1/' <<<"$line")
pass=$((pass + ${p:-0})); fail=$((fail + ${f:-1}))
echo "llvm: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
