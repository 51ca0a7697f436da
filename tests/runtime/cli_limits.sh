#!/usr/bin/env bash
# cli_limits: `taho run --fuel/--timeout/--max-stack/--max-memory` stop a guest with
# exit status 1 and a message naming the limit; a guest within its limits runs.
# Prints "cli-limits: N passed, M failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
taho=${TAHO:-$root/build/taho}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
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
echo "cli-limits: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
