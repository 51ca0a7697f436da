#!/usr/bin/env bash
# escape/run.sh: each attempt of escape.c (listed with its expected errno in attempts.txt)
# runs in a fresh tree: outside/{secret.txt,victim,outdir/,other/,ro/} around the
# sandbox outside/sandbox, preopened as / (plus /other read-write and /ro read-only),
# with symlinks planted by the host that point outside. An attempt passes when the guest
# got the expected errno, read no secret, and nothing outside the sandbox changed. Every
# attempt runs under both resolvers (openat2, and our own walk: TAHO_WASI_RESOLVE=walk).
set -u
cd "$(dirname "$0")/../../.." || exit 2
TAHO=${TAHO:-$PWD/build/taho}
HERE=$PWD/tests/wasi/escape
CC=${CC:-clang-19}
[ -x "$TAHO" ] || { echo "escape: $TAHO not built" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/taho-escape-XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
$CC --target=wasm32-wasi --sysroot="${WASI_SYSROOT:-/usr}" -O2 -o "$T/escape.wasm" "$HERE/escape.c" || exit 2
$CC -O2 -o "$T/swapper" "$HERE/swapper.c" || exit 2
passed=0; failed=0
O=$T/w/outside

setup() {
    rm -rf "$T/w"
    mkdir -p "$O/sandbox/sub" "$O/outdir" "$O/other" "$O/ro/subdir" "$O/sandbox/racy" "$O/racy_out"
    echo secret >"$O/secret.txt"; echo victim >"$O/victim"; echo secret >"$O/racy_out/secret.txt"
    echo victim >"$O/racy_out/victim"; echo hi >"$O/sandbox/file_in"; echo ro >"$O/ro/file"
    echo inside >"$O/sandbox/racy/victim"
    ln -s "$O/secret.txt" "$O/sandbox/abs_link"
    ln -s ../secret.txt "$O/sandbox/rel_link"
    ln -s .. "$O/sandbox/dir_link"
    ln -s ../../outdir "$O/sandbox/sub/deep_link"
    ln -s chain2 "$O/sandbox/chain1"; ln -s ../secret.txt "$O/sandbox/chain2"
    ln -s loop2 "$O/sandbox/loop1"; ln -s loop1 "$O/sandbox/loop2"
    ln -s ../created.txt "$O/sandbox/dangling_out"
    ln -s ../racy_out "$O/sandbox/racy_link"
    touch -d '2001-01-01' "$O/secret.txt" "$O/victim" "$O/ro/file"
}

# Everything outside the sandbox: type, path, size, mode, mtime, and file contents.
snapshot() {
    (cd "$O" && find . -path ./sandbox -prune -o -printf '%y %p %s %m %T@ %l\n' | sort
     find . -path ./sandbox -prune -o -type f -print0 | sort -z | xargs -0 -r md5sum)
}

attempt() {
    local name=$1 want=$2 mode=$3
    setup
    snapshot >"$T/before"
    local swap_pid=
    if [ "$name" = race-swap ]; then
        "$T/swapper" "$O/sandbox/racy" "$O/sandbox/racy_link" 100000000 &
        swap_pid=$!
    fi
    (cd "$T" && env ${mode:+TAHO_WASI_RESOLVE=$mode} timeout 60 "$TAHO" run --dir "$O/sandbox::/" \
        --dir "$O/other::/other" --dir-ro "$O/ro::/ro" escape.wasm "$name" "$want" >"$T/out" 2>"$T/err")
    local rc=$?
    [ -n "$swap_pid" ] && { kill "$swap_pid" 2>/dev/null; wait "$swap_pid" 2>/dev/null; }
    # put the swapped pair back before comparing (the exchange itself is not the guest's doing)
    if [ -n "$swap_pid" ] && [ -L "$O/sandbox/racy" ]; then "$T/swapper" "$O/sandbox/racy" "$O/sandbox/racy_link" 1; fi
    snapshot >"$T/after"
    local id="escape/$name${mode:+ ($mode)}" why=""
    if grep -q secret "$T/out"; then why="read a secret from outside"
    elif ! diff -q "$T/before" "$T/after" >/dev/null; then why="changed something outside: $(diff "$T/before" "$T/after" | head -5 | tr '\n' '|')"
    elif [ $rc != 0 ]; then why="$(head -c 300 "$T/out" "$T/err" | tr '\n' ' ')"
    fi
    if [ -z "$why" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $id: $why"; fi
}

while read -r name want; do
    case "$name" in ''|'#'*) continue ;; esac
    [ -n "${1:-}" ] && [ "$name" != "$1" ] && continue
    attempt "$name" "$want" ""
    attempt "$name" "$want" walk
done <"$HERE/attempts.txt"
echo "escape: $passed passed, $failed failed"
[ $failed = 0 ]
