#!/usr/bin/env bash
# tests/runtime/run.sh: build the library and the threaded runtime tests with
# ThreadSanitizer (build/tsan/) and run them; any TSan report fails the suite.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/build/tsan
mkdir -p "$out"
srcs=$(ls "$root"/src/{base,wasm,decode,validate,interp,runtime,link,wasi,api}/*.c)
# -O1: TSan wants it; the interpreter's tail calls need optimization anyway.
clang-19 -std=gnu11 -O1 -g -fsanitize=thread -D_GNU_SOURCE -fno-strict-aliasing \
    -I"$root/include" -o "$out/threads" "$root/tests/runtime/threads.c" $srcs -lm -lpthread \
    || { echo "runtime: 0 passed, 1 failed (build)"; exit 1; }
TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}" "$out/threads"
rc=$?
[ $rc -eq 66 ] && echo "runtime: 0 passed, 1 failed (ThreadSanitizer report)"
exit $rc
