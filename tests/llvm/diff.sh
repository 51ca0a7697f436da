#!/usr/bin/env bash
# diff.sh: differential test of the JIT against the interpreter on random valid modules
# from binaryen (`wasm-opt -ttf`): same calls, same logged values, same results and
# traps. Usage: tests/llvm/diff.sh [COUNT] (default 200). Prints "llvm-diff: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
N=${1:-200}
command -v wasm-opt >/dev/null || { echo "llvm-diff: wasm-opt (binaryen) not found"; exit 2; }
make -s build/libtaho.a >/dev/null || exit 2
clang-19 -O1 -Iinclude -o build/llvm-diff tests/llvm/diff.c build/libtaho.a -lm -lpthread || exit 2
W=$(mktemp -d "${TMPDIR:-/tmp}/taho-diff-XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
FEATURES="--enable-sign-ext --enable-nontrapping-float-to-int --enable-bulk-memory --enable-multivalue --enable-simd"
pass=0; fail=0; skip=0
for i in $(seq 1 "$N"); do
    head -c 4096 /dev/urandom >"$W/seed"
    wasm-opt $FEATURES -ttf "$W/seed" -o "$W/m.wasm" 2>/dev/null || { skip=$((skip + 1)); continue; }
    timeout 60 build/llvm-diff interp "$W/m.wasm" >"$W/i.txt" 2>&1; ri=$?
    timeout 60 build/llvm-diff jit "$W/m.wasm" >"$W/j.txt" 2>&1; rj=$?
    if [ "$ri" = 77 ]; then skip=$((skip + 1)); continue; fi
    if [ "$ri" = "$rj" ] && cmp -s "$W/i.txt" "$W/j.txt"; then pass=$((pass + 1)); else
        fail=$((fail + 1)); mkdir -p build/llvm-diff-failures
        cp "$W/m.wasm" "build/llvm-diff-failures/fail-$i.wasm"
        echo "FAIL module $i (kept in build/llvm-diff-failures/fail-$i.wasm; exit $ri vs $rj)"
        diff "$W/i.txt" "$W/j.txt" | head -5
    fi
done
echo "llvm-diff: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
