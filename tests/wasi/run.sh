#!/usr/bin/env bash
# run.sh: every WASI test: the wasi-testsuite (suite.sh), our C programs run natively and
# under taho (programs.sh), the escape suite (escape/run.sh) and bad guest pointers
# (badptr/run.sh), and `taho run` as a WASI host (cli.sh). The last line adds them up: "wasi: N passed, N failed".
# usage: tests/wasi/run.sh [-v]    (TAHO=path overrides build/taho)
set -u
cd "$(dirname "$0")/../.." || exit 2
total_p=0; total_f=0; status=0
part() {
    local out rc line
    out=$(bash "$@" 2>&1); rc=$?
    printf '%s\n' "$out"
    line=$(grep -E '[0-9]+ passed, [0-9]+ failed' <<<"$out" | tail -n 1)
    local p f
    p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+'); f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+')
    [ -n "$line" ] || { p=0; f=1; }
    [ $rc != 0 ] && [ "${f:-0}" = 0 ] && f=1
    total_p=$((total_p + p)); total_f=$((total_f + f))
    [ $rc = 0 ] || status=1
}
part tests/wasi/suite.sh "$@"
part tests/wasi/programs.sh "$@"
part tests/wasi/escape/run.sh
part tests/wasi/badptr/run.sh
part tests/wasi/cli.sh
echo "wasi: $total_p passed, $total_f failed"
exit $status
