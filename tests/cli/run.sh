#!/usr/bin/env bash
# run.sh: end-to-end tests of the taho command: usage errors, bad modules, run, validate, wast.
# usage: tests/cli/run.sh [-v]    (TAHO=path overrides build/taho)
set -u
cd "$(dirname "$0")/../.." || exit 2
TAHO=${TAHO:-build/taho}
HERE=tests/cli
VERBOSE=0
[ "${1:-}" = "-v" ] && VERBOSE=1
[ -x "$TAHO" ] || { echo "cli: $TAHO not built (run make)" >&2; exit 2; }
command -v wat2wasm >/dev/null || { echo "cli: wat2wasm (wabt) not found" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/taho-cli-XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); [ $VERBOSE = 1 ] && echo "ok   $1"; return 0; }
bad() {
    failed=$((failed + 1))
    echo "FAIL $1: $2"
    echo "     command: ${CMD[*]}"
    echo "     exit $RC; stdout: $(head -c 300 "$T/out" | tr '\n' '|')"
    echo "     stderr: $(head -c 300 "$T/err" | tr '\n' '|')"
}

# Runs a command, keeping its exit code in RC and its output in $T/out and $T/err.
run() {
    CMD=("$@")
    "$@" >"$T/out" 2>"$T/err" </dev/null
    RC=$?
}

lines() { wc -l <"$1" | tr -d ' '; }

# expect_usage NAME CMD...: exit 2, exactly one line on stderr, nothing on stdout.
expect_usage() {
    local name=$1; shift
    run "$@"
    if [ $RC != 2 ]; then bad "$name" "expected exit code 2"
    elif [ "$(lines "$T/err")" != 1 ]; then bad "$name" "expected one line on stderr"
    elif [ -s "$T/out" ]; then bad "$name" "expected nothing on stdout"
    else ok "$name"; fi
}

# expect_fail NAME REGEX CMD...: exit code 1..127 (not 2: the command line was fine), one
# line on stderr matching REGEX (a trap may add "    at ..." backtrace lines).
expect_fail() {
    local name=$1 re=$2; shift 2
    run "$@"
    local first extra
    first=$(head -1 "$T/err")
    extra=$(tail -n +2 "$T/err" | grep -v -c '^    at ')
    if [ $RC -ge 128 ]; then bad "$name" "crashed (exit code $RC)"
    elif [ $RC = 0 ] || [ $RC = 2 ]; then bad "$name" "expected exit code 1"
    elif [ "$extra" != 0 ] || [ -z "$first" ]; then bad "$name" "expected one line on stderr"
    elif ! grep -q -E -- "$re" <<<"$first"; then bad "$name" "stderr does not match /$re/"
    else ok "$name"; fi
}

# expect_out NAME EXPECTED CMD...: exit 0 and exactly EXPECTED on stdout (lines joined by |).
expect_out() {
    local name=$1 want=$2; shift 2
    run "$@"
    local got
    got=$(tr '\n' '|' <"$T/out")
    got=${got%|}
    if [ $RC != 0 ]; then bad "$name" "expected exit code 0"
    elif [ "$got" != "$want" ]; then bad "$name" "expected stdout '$want'"
    else ok "$name"; fi
}

# ---- test modules ----
for w in values start trap_start start_fn_trap imports; do
    wat2wasm "$HERE/$w.wat" -o "$T/$w.wasm" || { echo "cli: cannot build $w.wat" >&2; exit 2; }
done
wat2wasm --no-check "$HERE/invalid.wat" -o "$T/invalid.wasm" || exit 2
echo "this is not a wasm module" >"$T/text.wasm"
: >"$T/empty.wasm"
head -c 40 "$T/values.wasm" >"$T/truncated.wasm"
printf '\0asm\2\0\0\0' >"$T/version.wasm"
mkdir "$T/dir.wasm"

# ---- usage errors: exit 2 and one line ----
expect_usage no-args "$TAHO"
expect_usage unknown-command "$TAHO" frobnicate
expect_usage unknown-flag "$TAHO" --frobnicate
expect_usage run-no-file "$TAHO" run
expect_usage run-missing-file "$TAHO" run "$T/nope.wasm"
expect_usage run-directory "$TAHO" run "$T/dir.wasm"
expect_usage run-unknown-flag "$TAHO" run --fast "$T/values.wasm"
expect_usage run-invoke-no-name "$TAHO" run "$T/values.wasm" --invoke
expect_usage run-invoke-twice "$TAHO" run --invoke add "$T/values.wasm" --invoke add 1 2
expect_usage run-args-without-invoke "$TAHO" run "$T/values.wasm" 1 2
expect_usage validate-no-file "$TAHO" validate
expect_usage validate-two-files "$TAHO" validate "$T/values.wasm" "$T/start.wasm"
expect_usage validate-missing-file "$TAHO" validate "$T/nope.wasm"
expect_usage validate-unknown-flag "$TAHO" validate -x "$T/values.wasm"
expect_usage wast-no-file "$TAHO" wast
expect_usage wast-missing-file "$TAHO" wast "$T/nope.wast"
expect_usage wast-json-dir-no-arg "$TAHO" wast "$HERE/mini.wast" --json-dir
expect_usage wast-unknown-flag "$TAHO" wast --fast "$HERE/mini.wast"

# ---- help and version ----
expect_out version "taho $(sed -n 's/^#define TAHO_VERSION "\(.*\)"/\1/p' include/taho.h)" "$TAHO" --version
run "$TAHO" --help
if [ $RC = 0 ] && grep -q '^usage: taho' "$T/out"; then ok help; else bad help "expected usage text"; fi

# ---- bad modules: exit 1, one clear line, never a crash ----
for cmd in validate run; do
    expect_fail "$cmd-not-wasm" "text\.wasm: malformed module" "$TAHO" $cmd "$T/text.wasm"
    expect_fail "$cmd-empty" "empty\.wasm: malformed module" "$TAHO" $cmd "$T/empty.wasm"
    expect_fail "$cmd-truncated" "truncated\.wasm: malformed module" "$TAHO" $cmd "$T/truncated.wasm"
    expect_fail "$cmd-bad-version" "version\.wasm: malformed module" "$TAHO" $cmd "$T/version.wasm"
    expect_fail "$cmd-invalid" "invalid\.wasm: invalid module" "$TAHO" $cmd "$T/invalid.wasm"
done
expect_fail validate-text-hint "values\.wat: malformed module.*wat2wasm" "$TAHO" validate "$HERE/values.wat"
expect_fail run-text-hint "values\.wat: malformed module.*wat2wasm" "$TAHO" run "$HERE/values.wat"
expect_fail validate-offset "at byte [0-9]+ \(0x[0-9a-f]+\)" "$TAHO" validate "$T/truncated.wasm"
expect_out validate-ok valid "$TAHO" validate "$T/values.wasm"

# Every prefix of a real module, and some corrupted copies, must fail cleanly.
len=$(stat -c %s "$T/values.wasm")
crashes=0
for ((n = 0; n < len; n += 7)); do
    head -c $n "$T/values.wasm" >"$T/cut.wasm"
    "$TAHO" validate "$T/cut.wasm" >/dev/null 2>&1
    rc=$?
    [ $rc -ge 2 ] && { crashes=$((crashes + 1)); echo "     prefix $n: exit code $rc"; }
done
for ((i = 1; i <= 40; i++)); do
    cp "$T/values.wasm" "$T/flip.wasm"
    off=$(( (i * 7919) % (len - 8) + 8 ))
    printf "\\x$(printf %02x $(( (i * 37) % 256 )))" | dd of="$T/flip.wasm" bs=1 seek=$off conv=notrunc 2>/dev/null
    for cmd in validate run; do
        "$TAHO" $cmd "$T/flip.wasm" >/dev/null 2>&1
        rc=$?
        [ $rc -ge 2 ] && { crashes=$((crashes + 1)); echo "     byte $off set, $cmd: exit code $rc"; }
    done
done
CMD=(validate prefixes and corrupted copies); RC=$crashes; : >"$T/out"; : >"$T/err"
if [ $crashes = 0 ]; then ok damaged-modules; else bad damaged-modules "$crashes runs crashed or misreported"; fi

# ---- run ----
expect_out run-start "" "$TAHO" run "$T/start.wasm"
expect_fail run-no-start "no _start export; use --invoke NAME" "$TAHO" run "$T/values.wasm"
expect_fail run-trap-start "trap_start\.wasm: trap: unreachable" "$TAHO" run "$T/trap_start.wasm"
expect_fail run-start-fn-trap "start_fn_trap\.wasm: trap: out of bounds memory access" "$TAHO" run "$T/start_fn_trap.wasm"
expect_fail run-import "link error.*env.*host_log|link error.*host_log.*env" "$TAHO" run "$T/imports.wasm"
expect_fail run-no-export "no export named 'nope'" "$TAHO" run --invoke nope "$T/values.wasm"
expect_fail run-not-func "export 'mem' is not a function" "$TAHO" run --invoke mem "$T/values.wasm"
expect_usage run-too-few-args "$TAHO" run --invoke add "$T/values.wasm" 1
expect_usage run-too-many-args "$TAHO" run --invoke add "$T/values.wasm" 1 2 3
expect_usage run-bad-int "$TAHO" run --invoke add "$T/values.wasm" 1 two
expect_usage run-int-range "$TAHO" run --invoke add "$T/values.wasm" 1 4294967296
expect_usage run-bad-float "$TAHO" run --invoke mul32 "$T/values.wasm" 1.5 x

expect_out invoke-before-file 3 "$TAHO" run --invoke add "$T/values.wasm" 1 2
expect_out invoke-after-file 3 "$TAHO" run "$T/values.wasm" --invoke add 1 2
expect_out invoke-equals 3 "$TAHO" run --invoke=add "$T/values.wasm" 1 2
expect_out invoke-negative -3 "$TAHO" run "$T/values.wasm" --invoke add -5 2
expect_out invoke-hex -1 "$TAHO" run "$T/values.wasm" --invoke add 0xffffffff 0
expect_out invoke-wraps -2147483648 "$TAHO" run "$T/values.wasm" --invoke add 2147483647 1
expect_out invoke-i64 -9223372036854775808 "$TAHO" run "$T/values.wasm" --invoke add64 9223372036854775807 1
expect_out invoke-f32 3.75 "$TAHO" run "$T/values.wasm" --invoke mul32 1.5 2.5
expect_out invoke-f32-tenth 0.1 "$TAHO" run "$T/values.wasm" --invoke tenth
expect_out invoke-f64 0.3333333333333333 "$TAHO" run "$T/values.wasm" --invoke div64 1 3
expect_out invoke-f64-inf -inf "$TAHO" run "$T/values.wasm" --invoke div64 -1 0
expect_out invoke-f64-nan-arg nan "$TAHO" run "$T/values.wasm" --invoke div64 nan 1
expect_out invoke-f64-inf-arg 0 "$TAHO" run "$T/values.wasm" --invoke div64 1 inf
expect_out invoke-multi "2.5|7" "$TAHO" run "$T/values.wasm" --invoke swap 7 2.5
expect_out invoke-v128 "i32x4 0x00000007 0x00000007 0x00000007 0x00000007" "$TAHO" run "$T/values.wasm" --invoke splat 7
expect_out invoke-no-results "" "$TAHO" run "$T/values.wasm" --invoke none
expect_out invoke-funcref "ref.null func" "$TAHO" run "$T/values.wasm" --invoke null
expect_fail invoke-trap "trap: integer divide by zero" "$TAHO" run "$T/values.wasm" --invoke div0 0
expect_fail invoke-stack "trap: call stack exhausted" "$TAHO" run "$T/values.wasm" --invoke deep 0
# Recursion prints its repeated frame once with a count, and says the backtrace was cut.
if [ "$(grep -c '^    at ' "$T/err")" = 2 ] && grep -q -E '^    at .*\+0x[0-9a-f]+ \([0-9]+ frames\)$' "$T/err" &&
   grep -q 'keeps the innermost' "$T/err"; then ok invoke-stack-backtrace
else bad invoke-stack-backtrace "expected one collapsed frame line and the cut note"; fi

# ---- wast ----
expect_out wast-mini "mini.wast: 17 passed, 0 failed, 1 skipped (text)" "$TAHO" wast "$HERE/mini.wast"
run "$TAHO" wast -v "$HERE/wrong.wast"
if [ $RC = 1 ] && grep -q '^FAIL wrong.wast:4: assert_return: "one"(): result 0: expected i32:2, got i32:1$' "$T/out" &&
   grep -q '^wrong.wast: 2 passed, 1 failed, 0 skipped (text)$' "$T/out"; then ok wast-failure-reported
else bad wast-failure-reported "expected exit 1, a FAIL line for line 4 and the counts"; fi
run "$TAHO" wast "$HERE/mini.wast" --json-dir "$T/json"
if [ -f "$T/json/mini.json" ] && [ -f "$T/json/mini.0.wasm" ]; then ok wast-json-dir-kept
else bad wast-json-dir-kept "expected the converted files in --json-dir"; fi
expect_out wast-tool-flag "mini.wast: 17 passed, 0 failed, 1 skipped (text)" "$TAHO" wast --wast2json-flag=--no-check "$HERE/mini.wast"
run "$TAHO" wast --wast2json-flag --no-such-flag "$HERE/mini.wast"
if [ $RC = 1 ] && grep -q 'wast2json failed' "$T/err"; then ok wast-bad-tool-flag
else bad wast-bad-tool-flag "expected exit 1 and 'wast2json failed'"; fi
expect_out wast-json-input "mini.json: 17 passed, 0 failed, 1 skipped (text)" "$TAHO" wast "$T/json/mini.json"
mkdir "$T/tmp"
TMPDIR=$T/tmp "$TAHO" wast "$HERE/mini.wast" >/dev/null 2>&1
RC=$?; CMD=(TMPDIR="$T/tmp" "$TAHO" wast mini.wast)
if [ -z "$(ls -A "$T/tmp")" ]; then ok wast-temp-cleaned; else bad wast-temp-cleaned "left files in TMPDIR"; fi
# Killed half-way (here by timeout's SIGTERM), taho wast still removes its temporary files.
printf '(module (func (export "spin") (loop (br 0))))\n(invoke "spin")\n' >"$T/spin.wast"
mkdir "$T/tmp2"
TMPDIR=$T/tmp2 timeout 2 "$TAHO" wast "$T/spin.wast" >/dev/null 2>&1
RC=$?; CMD=(TMPDIR="$T/tmp2" timeout 2 "$TAHO" wast spin.wast)
if [ $RC = 124 ] && [ -z "$(ls -A "$T/tmp2")" ]; then ok wast-killed-cleans-up
else bad wast-killed-cleans-up "expected a timeout and no files left in TMPDIR"; fi
echo '{"commands": [' >"$T/broken.json"
expect_fail wast-bad-json "broken\.json.*not valid JSON" "$TAHO" wast "$T/broken.json"
echo '(module (func' >"$T/broken.wast"
run "$TAHO" wast "$T/broken.wast"
if [ $RC = 1 ] && grep -q 'wast2json failed' "$T/err"; then ok wast-bad-script
else bad wast-bad-script "expected exit 1 and 'wast2json failed'"; fi

# ---- the embedding example (examples/embed.c, built by `make examples`) ----
if [ -x build/examples/embed ]; then
    expect_out embed-example-fib 6765 build/examples/embed build/examples/fib.wasm fib 20
    expect_fail embed-example-missing-file "cannot read '/nonexistent.wasm': No such file" \
        build/examples/embed /nonexistent.wasm
    expect_fail embed-example-bad-module "text.wasm: .*magic header not detected" build/examples/embed "$T/text.wasm"
else
    bad embed-example "build/examples/embed not built (make examples)"
fi

# ---- suites in subdirectories (config/, inspect/, ...): each cases.sh uses the helpers above ----
for cases in "$HERE"/*/cases.sh; do . "$cases"; done

echo "cli: $passed passed, $failed failed"
[ $failed = 0 ]
