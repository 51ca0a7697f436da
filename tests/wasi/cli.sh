#!/usr/bin/env bash
# cli.sh: `taho run` as a WASI host: exit statuses (proc_exit, return, trap with its
# backtrace), arguments, --env/--inherit-env, --dir-ro, reactors with --invoke, --listen.
set -u
cd "$(dirname "$0")/../.." || exit 2
TAHO=${TAHO:-$PWD/build/taho}
HERE=$PWD/tests/wasi/cli
CC=${CC:-clang-19}
T=$(mktemp -d "${TMPDIR:-/tmp}/taho-wcli-XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
passed=0; failed=0
WASM="$CC --target=wasm32-wasi --sysroot=${WASI_SYSROOT:-/usr} -O2"
for p in exit readonly echo_server; do $WASM -o "$T/$p.wasm" "$HERE/$p.c" || exit 2; done
# Linked without -O: clang then runs no wasm-opt, which would drop the name section.
$WASM -c -o "$T/trap.o" "$HERE/trap.c" && ${WASM% -O2} -o "$T/trap.wasm" "$T/trap.o" || exit 2
$WASM -mexec-model=reactor -o "$T/reactor.wasm" "$HERE/reactor.c" || exit 2

# matches FILE REGEX: "" matches anything, "^$" only an empty file.
matches() {
    [ -z "$2" ] && return 0
    [ "$2" = "^$" ] && { [ ! -s "$1" ]; return; }
    grep -qE -- "$2" "$1"
}

# expect NAME WANT_RC STDOUT_REGEX STDERR_REGEX CMD...
expect() {
    local name=$1 rc=$2 out=$3 err=$4; shift 4
    "$@" >"$T/out" 2>"$T/err" </dev/null
    local got=$? why=""
    [ "$got" = "$rc" ] || why="exit $got, expected $rc"
    [ -z "$why" ] && ! matches "$T/out" "$out" && why="stdout does not match /$out/"
    [ -z "$why" ] && ! matches "$T/err" "$err" && why="stderr does not match /$err/"
    if [ -z "$why" ]; then passed=$((passed + 1)); else
        failed=$((failed + 1)); echo "FAIL wasi-cli/$name: $why"
        echo "     stdout: $(head -c 300 "$T/out" | tr '\n' '|')"; echo "     stderr: $(head -c 300 "$T/err" | tr '\n' '|')"
    fi
}

expect exit-status 7 "argv\[0\]=exit.wasm argc=2" "^$" "$TAHO" run "$T/exit.wasm" 7
expect exit-return 0 "argc=1" "^$" "$TAHO" run "$T/exit.wasm"
expect exit-big 44 "" "" "$TAHO" run "$T/exit.wasm" 300
expect env-none 0 "X=- HOME=-" "" env HOME=/root "$TAHO" run "$T/exit.wasm"
expect env-given 0 "X=1 HOME=-" "" "$TAHO" run --env X=1 "$T/exit.wasm"
expect env-equals-form 0 "X=a=b " "" "$TAHO" run --env=X=a=b "$T/exit.wasm"
expect env-inherit 0 "X=- HOME=set" "" env HOME=/root "$TAHO" run --inherit-env "$T/exit.wasm"
expect env-by-name 0 "X=fromhost" "" env X=fromhost "$TAHO" run --env X "$T/exit.wasm"
expect args-after-module 0 "argc=3" "" "$TAHO" run "$T/exit.wasm" --not-a-flag 0
expect trap-message 1 "before the trap" "exit\.wasm|trap\.wasm: trap: unreachable" "$TAHO" run "$T/trap.wasm"
expect trap-backtrace 1 "" "at deep_failure\+0x[0-9a-f]+" "$TAHO" run "$T/trap.wasm"
expect trap-backtrace-main 1 "" "at (__main_argc_argv|main)\+0x" "$TAHO" run "$T/trap.wasm"
expect reactor-invoke 0 "^105$" "^$" "$TAHO" run --invoke add "$T/reactor.wasm" 2 3
expect help-dir-ro 0 "--dir-ro HOST" "" "$TAHO" run --help
expect dir-missing 2 "" "cannot open directory|nope" "$TAHO" run --dir "$T/nope" "$T/exit.wasm"
expect listen-bad 2 "" "listen address" "$TAHO" run --listen nonsense "$T/exit.wasm"
mkdir -p "$T/ro"; echo content >"$T/ro/file"
expect dir-ro 0 "read: 8 content" "" "$TAHO" run --dir-ro "$T/ro::/ro" "$T/readonly.wasm"
for what in "open for write" create mkdir unlink rename symlink; do
    expect "dir-ro-$what" 0 "$what: ENOTCAPABLE" "" "$TAHO" run --dir-ro "$T/ro::/ro" "$T/readonly.wasm"
done
[ "$(ls "$T/ro")" = file ] && [ "$(cat "$T/ro/file")" = content ] && passed=$((passed + 1)) ||
    { failed=$((failed + 1)); echo "FAIL wasi-cli/dir-ro-unchanged"; }

# --listen: the guest serves one connection on its preopened socket.
port=$((20000 + RANDOM % 20000))
"$TAHO" run --listen "127.0.0.1:$port" "$T/echo_server.wasm" >"$T/srv.out" 2>"$T/srv.err" &
srv=$!
reply=""
for _ in $(seq 50); do
    reply=$( (exec 5<>"/dev/tcp/127.0.0.1/$port" && printf 'hello socket\n' >&5 && timeout 5 head -n 1 <&5) 2>/dev/null)
    [ -n "$reply" ] && break
    sleep 0.1
done
wait $srv; rc=$?
if [ "$reply" = "HELLO SOCKET" ] && [ $rc = 0 ] && grep -q "served 13 bytes" "$T/srv.out"; then passed=$((passed + 1))
else failed=$((failed + 1)); echo "FAIL wasi-cli/listen: reply '$reply', exit $rc, $(cat "$T/srv.err")"; fi

echo "wasi-cli: $passed passed, $failed failed"
[ $failed = 0 ]
