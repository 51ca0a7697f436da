#!/usr/bin/env bash
# programs.sh: our own C programs (programs/*.c), each built natively and for wasm32-wasi,
# run both ways in a fresh directory (the guest gets it as --dir DIR::/), with the same
# arguments (NAME.args, one per line), environment and stdin (NAME.stdin, piped); stdout,
# the exit code and the files left behind must be the same.
# usage: tests/wasi/programs.sh [-v] [NAME]
set -u
cd "$(dirname "$0")/../.." || exit 2
TAHO=${TAHO:-$PWD/build/taho}
SRC=$PWD/tests/wasi/programs
VERBOSE=0
[ "${1:-}" = "-v" ] && { VERBOSE=1; shift; }
ONLY=${1:-}
CC=${CC:-clang-19}
WASI_SYSROOT=${WASI_SYSROOT:-/usr}
[ -x "$TAHO" ] || { echo "programs: $TAHO not built" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/taho-progs-XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
passed=0; failed=0

# The state of a directory: every entry's type, path, size (files), target (links), hash.
tree() {
    (cd "$1" && find . -mindepth 1 -printf '%y %p %s %l\n' | sed 's/^d \(.*\) [0-9]* $/d \1/' | sort
     find . -type f -print0 | sort -z | xargs -0 -r md5sum)
}

fail() { failed=$((failed + 1)); echo "FAIL programs/$1: $2"; }

run_prog() {
    local name=$1 args=() stdin=$SRC/common.h
    [ -f "$SRC/$name.args" ] && mapfile -t args <"$SRC/$name.args"
    [ -f "$SRC/$name.stdin" ] && stdin=$SRC/$name.stdin
    if ! $CC -O2 -o "$T/$name" "$SRC/$name.c" 2>"$T/$name.cc"; then fail "$name" "native build failed"; cat "$T/$name.cc"; return; fi
    if ! $CC --target=wasm32-wasi --sysroot="$WASI_SYSROOT" -O2 -o "$T/$name.wasm" "$SRC/$name.c" 2>"$T/$name.cc"; then
        fail "$name" "wasm build failed"; cat "$T/$name.cc"; return
    fi
    mkdir -p "$T/n-$name" "$T/w-$name"
    (cd "$T/n-$name" && cat "$stdin" | timeout 60 env -i GREETING=hello LANG=C "$T/$name" "${args[@]}" >"$T/$name.nout" 2>"$T/$name.nerr")
    local nrc=$?
    (cd "$T/w-$name" && cat "$stdin" | timeout 60 "$TAHO" run --dir .::/ --env GREETING=hello --env LANG=C \
        "$T/$name.wasm" "${args[@]}" >"$T/$name.wout" 2>"$T/$name.werr")
    local wrc=$?
    if [ $nrc != $wrc ]; then fail "$name" "exit $wrc under taho, $nrc natively"; head -c 400 "$T/$name.werr"
    elif ! cmp -s "$T/$name.nout" "$T/$name.wout"; then
        fail "$name" "stdout differs"; diff "$T/$name.nout" "$T/$name.wout" | head -20
    elif ! diff <(tree "$T/n-$name") <(tree "$T/w-$name") >"$T/$name.tree"; then
        fail "$name" "files differ"; head -20 "$T/$name.tree"
    else
        passed=$((passed + 1))
        [ $VERBOSE = 1 ] && echo "ok   programs/$name (exit $wrc)"
    fi
    return 0
}

for c in "$SRC"/*.c; do
    name=$(basename "$c" .c)
    [ -n "$ONLY" ] && [ "$name" != "$ONLY" ] && continue
    run_prog "$name"
done
echo "programs: $passed passed, $failed failed"
[ $failed = 0 ]
