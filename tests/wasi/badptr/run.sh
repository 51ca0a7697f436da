#!/usr/bin/env bash
# badptr/run.sh: WASI calls with out-of-range pointers and lengths (badptr.wat, nomem.wat)
# return EFAULT/EINVAL, write nothing, create nothing; also under ASan when build-san exists.
set -u
cd "$(dirname "$0")/../../.." || exit 2
TAHO=${TAHO:-$PWD/build/taho}
HERE=$PWD/tests/wasi/badptr
T=$(mktemp -d "${TMPDIR:-/tmp}/taho-badptr-XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
passed=0; failed=0
check() {
    local name=$1 rc=$2 why=""
    [ "$rc" = 0 ] || why="exit $rc (the number of the failed check)"
    [ -z "$why" ] && [ -e "$T/sandbox/created" ] && why="path_open with a bad result pointer created the file"
    if [ -z "$why" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL badptr/$name: $why"; head -c 300 "$T/err"; fi
}
for w in badptr nomem; do
    wat2wasm "$HERE/$w.wat" -o "$T/$w.wasm" || exit 2
    rm -rf "$T/sandbox"; mkdir -p "$T/sandbox"
    "$TAHO" run --dir "$T/sandbox::/" "$T/$w.wasm" >"$T/out" 2>"$T/err" </dev/null
    check "$w" $?
    [ "$w" = badptr ] && { [ "$(cat "$T/out")" = hello ] || { failed=$((failed + 1)); echo "FAIL badptr/$w: stdout '$(head -c 100 "$T/out")'"; }; }
done
echo "badptr: $passed passed, $failed failed"
[ $failed = 0 ]
