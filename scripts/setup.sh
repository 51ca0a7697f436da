#!/usr/bin/env bash
# setup: install every Debian package taho's build and tests need (idempotent), then
# build taho and run an example. `--deps` installs only.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  make git ca-certificates python3
  clang-19 lld-19 llvm-19          # the compiler DESIGN.md requires (musttail), llvm-symbolizer
  llvm-19-dev                      # the optimizing tier (src/llvm) builds against the LLVM 19 C API
  binaryen                         # wasm-opt -ttf: random valid modules for differential tests
  libclang-rt-19-dev               # ASan, UBSan and libFuzzer runtimes
  wasi-libc libclang-rt-19-dev-wasm32   # C -> wasm32-wasi for tests, examples and bench/
  wabt                             # wast2json for the spec suite, wat2wasm for small tests
  binutils                         # readelf: tests check how an artifact looks as an ELF file
  nodejs                           # V8, the speed reference in bench/
)

missing=()
for p in "${PACKAGES[@]}"; do
  # A machine may already have node from elsewhere; Debian's nodejs is only needed without one.
  [ "$p" = nodejs ] && command -v node >/dev/null 2>&1 && continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present"
fi

[ "${1:-}" = "--deps" ] && exit 0

make -j"$(nproc)"
make examples
echo "setup: running examples/hello.wasm and examples/fib.wasm"
./build/taho run build/examples/hello.wasm taho
./build/taho run build/examples/fib.wasm --invoke fib 30
