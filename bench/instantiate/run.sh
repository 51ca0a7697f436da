#!/usr/bin/env bash
# bench/instantiate/run.sh [args]: build the instantiation benchmark and the WASI
# hello-world, run it (args go to the program: --iters N, --live N, ...), then time
# `taho run` of the hello-world as a process next to native and node (process.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
out=$root/build/bench-instantiate
mkdir -p "$out"
make -C "$root" -j2 build/libtaho.a >/dev/null
clang-19 -O2 -g -std=gnu11 -I"$root/include" -o "$out/instantiate" "$here/instantiate.c" \
    "$here/modules.c" "$root/build/libtaho.a" -lm -lpthread
clang-19 --target=wasm32-wasi -O2 -o "$out/hello.wasm" "$here/hello.c"
"$out/instantiate" --hello "$out/hello.wasm" "$@"
bash "$here/process.sh" 20
