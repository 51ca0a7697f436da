#!/usr/bin/env bash
# bench/instantiate/process.sh [N]: `taho run` of the WASI hello-world as a whole process
# next to the same program built natively and run under node (node:wasi): the median
# (and minimum) wall time of N runs each (default 20), measured by spawn.c with
# posix_spawn + waitpid. Prints one line. Uses build/taho (made if missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
n=${1:-20}
out=$root/build/bench-instantiate
mkdir -p "$out"
[ -x "$root/build/taho" ] || make -C "$root" -j2 build/taho >/dev/null
clang-19 -O2 -o "$out/spawn" "$here/spawn.c"
clang-19 -O2 -w -o "$out/hello-native" "$here/hello.c"
[ -f "$out/hello.wasm" ] || clang-19 --target=wasm32-wasi -O2 -o "$out/hello.wasm" "$here/hello.c"
fmt() { read -r med min <<<"$1"; printf '%s %.2f ms (min %.2f)' "$2" "$med" "$min"; }
taho=$("$out/spawn" "$n" "$root/build/taho" run "$out/hello.wasm")
# the same module compiled ahead of time (when the LLVM tier is built): no LLVM at run time
aot=
if [ -f "$root/build/libtaho-llvm.so" ] && "$root/build/taho" compile "$out/hello.wasm" -o "$out/hello.taho"; then
    aot=$("$out/spawn" "$n" "$root/build/taho" run "$out/hello.taho")
fi
native=$("$out/spawn" "$n" "$out/hello-native")
line="hello-world as a process, median of $n: $(fmt "$taho" "taho run") | $(fmt "$native" native)"
[ -z "$aot" ] || line="$line | $(fmt "$aot" "taho run .taho")"
if command -v node >/dev/null; then
    node=$("$out/spawn" "$n" node --no-warnings "$root/bench/node-run.js" "$out/hello.wasm" 0)
    line="$line | $(fmt "$node" node)"
fi
echo "$line"
