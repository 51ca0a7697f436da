#!/usr/bin/env bash
# cli_limits: `taho run --fuel/--timeout/--max-stack/--max-memory` stop a guest with
# exit status 1 and a message naming the limit; a guest within its limits runs. The
# same on the JIT and from artifacts (`taho compile --consume-fuel
# --epoch-interruption`), when the LLVM plugin is built.
# Prints "cli-limits: N passed, M failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
taho=${TAHO:-$root/build/taho}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp/cache   # the JIT's cache: this run's own
clang-19 --target=wasm32-wasi -O1 -o "$tmp/limits.wasm" "$root/tests/runtime/limits.c" || {
    echo "cli-limits: 0 passed, 1 failed (cannot build the guest)"; exit 1; }
pass=0; fail=0
# check NAME WANT_EXIT PATTERN ARGS...: PATTERN must appear in stdout+stderr
check() {
    local name=$1 want=$2 pat=$3; shift 3
    local out rc
    out=$(timeout 60 "$taho" run "$@" 2>&1); rc=$?
    if [ "$rc" -eq "$want" ] && grep -q -- "$pat" <<<"$out"; then pass=$((pass + 1))
    else fail=$((fail + 1)); echo "FAIL $name: exit $rc (want $want), output: $out" | head -5; fi
}
w=$tmp/limits.wasm
check fuel 1 "all fuel consumed" --fuel 100000 "$w" loop
check fuel-names-flag 1 "fuel limit of 100000" --fuel 100000 "$w" loop
check timeout 1 "interrupt" --timeout 200ms "$w" loop
check timeout-names-flag 1 "timeout of 200 ms" --timeout 200ms "$w" loop
check stack-64k 1 "call stack exhausted" --max-stack 64KiB "$w" deep
check stack-8m 1 "call stack exhausted" --max-stack 8MiB "$w" deep
check max-memory 0 "malloc gave [0-7] MiB" --max-memory 8MiB "$w" alloc
check initial-memory-over-limit 1 "exceeds the limit" --max-memory 64KiB "$w" hello
check within-limits 0 "hello, world" --fuel 100000000 --timeout 10s --max-stack 1MiB --max-memory 64MiB "$w" hello
check bad-fuel 2 "needs a number" --fuel many "$w" hello
check bad-timeout 2 "duration" --timeout soon "$w" hello

# compiled: the JIT, and artifacts with the checks the limits need
if [ -f "$root/build/libtaho-llvm.so" ]; then
    check jit-fuel 1 "all fuel consumed" --engine jit --fuel 100000 "$w" loop
    check jit-fuel-names-flag 1 "fuel limit of 100000" --engine jit --fuel 100000 "$w" loop
    check jit-timeout 1 "interrupt" --engine jit --timeout 200ms "$w" loop
    check jit-timeout-names-flag 1 "timeout of 200 ms" --engine jit --timeout 200ms "$w" loop
    check jit-both-timeout 1 "timeout of 200 ms" --engine jit --fuel 100000000000000 --timeout 200ms "$w" loop
    check jit-within-limits 0 "hello, world" --engine jit --fuel 100000000 --timeout 10s --max-stack 1MiB --max-memory 64MiB "$w" hello
    check jit-stack 1 "call stack exhausted" --engine jit --fuel 100000000000 --max-stack 64KiB "$w" deep
    a=$tmp/limits
    if "$taho" compile "$w" -o "$a.taho" && "$taho" compile --consume-fuel "$w" -o "$a.fuel.taho" &&
       "$taho" compile --epoch-interruption "$w" -o "$a.epoch.taho" &&
       "$taho" compile --consume-fuel --epoch-interruption "$w" -o "$a.both.taho"; then
        check aot-fuel 1 "fuel limit of 100000" --fuel 100000 "$a.fuel.taho" loop
        check aot-timeout 1 "timeout of 200 ms" --timeout 200ms "$a.epoch.taho" loop
        check aot-both-fuel 1 "all fuel consumed" --fuel 100000 --timeout 10s "$a.both.taho" loop
        check aot-both-timeout 1 "interrupt" --fuel 100000000000000 --timeout 200ms "$a.both.taho" loop
        check aot-within-limits 0 "hello, world" --fuel 100000000 --timeout 10s --max-memory 64MiB "$a.both.taho" hello
        check aot-no-checks-no-fuel 1 "without fuel checks.*taho compile --consume-fuel" --fuel 100000 "$a.taho" hello
        check aot-no-checks-no-timeout 1 "without epoch checks.*taho compile --epoch-interruption" --timeout 1s "$a.taho" hello
        check aot-fuel-needs-fuel 1 "with fuel checks, so it runs only with fuel" "$a.fuel.taho" hello
        check aot-epoch-needs-timeout 1 "with epoch checks" --fuel 1000000 "$a.both.taho" hello
        check aot-plain-runs 0 "hello, world" "$a.taho" hello
    else
        fail=$((fail + 1)); echo "FAIL taho compile of limits.wasm"
    fi
fi
echo "cli-limits: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
