#!/usr/bin/env bash
# tests/runtime/run.sh: the limit flags of `taho run` (cli_limits.sh), then the threaded
# runtime test built with ThreadSanitizer (build/tsan/); any TSan report fails it.
# Prints "runtime: N passed, M failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
pass=0; fail=0
add() { # add the counts of the last "N passed, M failed" line of $1
  local line; line=$(grep -E '[0-9]+ passed, [0-9]+ failed' <<<"$1" | tail -n 1)
  local p f; p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+'); f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+')
  pass=$((pass + ${p:-0})); fail=$((fail + ${f:-1}))
}
out=$(bash "$root/tests/runtime/cli_limits.sh" 2>&1); echo "$out"; add "$out"

tsan=$root/build/tsan
mkdir -p "$tsan"
srcs=$(ls "$root"/src/{base,wasm,decode,validate,interp,runtime,artifact,link,wasi,api}/*.c)
# -O1: TSan wants it; the interpreter's tail calls need optimization anyway.
if clang-19 -std=gnu11 -O1 -g -fsanitize=thread -D_GNU_SOURCE -fno-strict-aliasing \
    -I"$root/include" -o "$tsan/threads" "$root/tests/runtime/threads.c" $srcs -lm -lpthread; then
  out=$(TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}" "$tsan/threads" 2>&1)
  rc=$?
  echo "$out" | tail -n 40
  if [ $rc -eq 66 ]; then fail=$((fail + 1)); echo "ThreadSanitizer reported a race"; else add "$out"; fi
else
  fail=$((fail + 1)); echo "threads: cannot build with -fsanitize=thread"
fi
echo "runtime: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
