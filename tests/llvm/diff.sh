#!/usr/bin/env bash
# diff.sh: differential test of the compiled tiers against the interpreter on random
# valid modules (binaryen's `wasm-opt -ttf` and tests/llvm/diff-gen.c): interpreter,
# JIT and the JIT's code
# through an artifact must make the same calls, log the same values, return the same
# results and traps, and leave the same exported memories and globals after every call.
# Usage: tests/llvm/diff.sh [COUNT] [-j N] [--opt speed|none|size] [--timeout SEC]
#                           [--gen mix|ttf|own] [--fuel N] [--self-test]
#   COUNT modules (default 200) over N workers (default 2), each a generator feeding one
#   build/llvm-diff batch process (which loads LLVM once and forks children that run
#   the modules). --gen: ttf (binaryen), own (tests/llvm/diff-gen.c: writes next to
#   traps in loops), mix (default: one module in 4 from diff-gen).
#   --fuel N: every engine consumes fuel, each call gets N, and the fuel left after it
#   (or the point where it ran out) must agree as well.
# Failing modules are kept in build/llvm-diff-failures/ with a command to reproduce.
# Explained (allowed) differences: tests/llvm/diff-README.md. Last line:
# "llvm-diff: N passed, N failed, N skipped"; exit status non-zero on any failure.
set -u
cd "$(dirname "$0")/../.." || exit 2
N=200; J=2; OPT=speed; TIMEOUT=30; GEN=mix
while [ $# -gt 0 ]; do
    case $1 in
    -j) J=$2; shift ;;
    -j*) J=${1#-j} ;;
    --opt) OPT=$2; shift ;;
    --timeout) TIMEOUT=$2; shift ;;
    --gen) GEN=$2; shift ;;
    --fuel) export LLVM_DIFF_FUEL=$2; shift ;;
    --self-test) export LLVM_DIFF_SELF_TEST=memory ;; # every module must fail
    [0-9]*) N=$1 ;;
    *) echo "usage: diff.sh [COUNT] [-j N] [--opt speed|none|size] [--timeout SEC] [--gen mix|ttf|own] [--fuel N] [--self-test]"; exit 2 ;;
    esac
    shift
done
command -v wasm-opt >/dev/null || { echo "llvm-diff: wasm-opt (binaryen) not found"; exit 2; }
make -s build/libtaho.a build/libtaho-llvm.so >/dev/null || exit 2
clang-19 -O1 -Iinclude -o build/llvm-diff tests/llvm/diff.c build/libtaho.a -lm -lpthread || exit 2
clang-19 -O1 -o build/llvm-diff-gen tests/llvm/diff-gen.c || exit 2
W=$(mktemp -d "${TMPDIR:-/tmp}/taho-diff-XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
FEATURES="--enable-sign-ext --enable-nontrapping-float-to-int --enable-bulk-memory --enable-multivalue --enable-simd"
FAILDIR=build/llvm-diff-failures
[ -n "${LLVM_DIFF_SELF_TEST:-}" ] && FAILDIR=$W/self-test

# gen DIR COUNT: makes COUNT modules in DIR and prints their paths, staying at most a
# few modules ahead of the batch that reads them (it deletes each one it has run).
# Spawning a process costs ~10 ms here, so seeds come 32 at a time from one head|split
# (1-8 KiB, one size per 32: longer seeds make bigger modules), and waiting is a read
# with a timeout on a FIFO nobody writes, not sleep.
gen() {
    local d=$1 n=$2 i f size seeds=() own=() chunk=0
    mkdir -p "$d/own" && mkfifo "$d/idle" && exec 4<>"$d/idle"
    shopt -s nullglob
    for ((i = 1; i <= n; i++)); do
        if [ "$GEN" = own ] || { [ "$GEN" = mix ] && [ $((i % 4)) -eq 0 ]; }; then
            if [ ${#own[@]} -eq 0 ]; then   # 32 at a time from one diff-gen process
                chunk=$((chunk + 1))
                build/llvm-diff-gen "$d/own" "c$chunk." 32 "$RANDOM$RANDOM$RANDOM" || exit 2
                own=("$d/own/c$chunk."*.wasm)
            fi
            echo "${own[0]}"
            own=("${own[@]:1}")
            continue
        fi
        while f=("$d"/*.wasm); [ ${#f[@]} -ge 6 ]; do read -r -t 0.05 -u 4; done
        if [ ${#seeds[@]} -eq 0 ]; then
            rm -f "$d"/seed.*
            size=$((1024 + RANDOM % 7168))
            head -c $((32 * size)) /dev/urandom | split -b "$size" - "$d/seed."
            seeds=("$d"/seed.*)
        fi
        if wasm-opt $FEATURES -ttf "${seeds[0]}" -o "$d/m$i.wasm" 2>/dev/null; then
            echo "$d/m$i.wasm"
        else
            echo "skip $d/m$i: wasm-opt failed" >&3
        fi
        seeds=("${seeds[@]:1}")
    done
}

worker() { # W COUNT
    exec 3>&1
    gen "$W/w$1" "$2" | build/llvm-diff batch --opt "$OPT" --timeout "$TIMEOUT" \
        --keep "$FAILDIR" --delete
}

run_all() {
    local w share
    for ((w = 0; w < J; w++)); do
        share=$((N / J + (w < N % J ? 1 : 0)))
        [ "$share" -gt 0 ] && worker "$w" "$share" &
    done
    wait
}

# The modules of diff-findings.md (each once a bug or a false alarm) must pass first.
findings_failed=0
if [ -z "${LLVM_DIFF_SELF_TEST:-}" ]; then
    bad=$(build/llvm-diff batch tests/llvm/diff-findings/*.wasm 2>&1 | grep -v '^pass ')
    [ -z "$bad" ] || { echo "$bad"; echo "llvm-diff: a module of tests/llvm/diff-findings fails"; findings_failed=1; }
fi

start=$(date +%s)
run_all | {
    pass=0; fail=0; skip=0; timeouts=0; nan=0; stack=0
    while IFS= read -r line; do
        case $line in
        pass\ *) pass=$((pass + 1))
            case $line in *NaN*) nan=$((nan + 1)) ;; *stack*) stack=$((stack + 1)) ;; esac ;;
        FAIL\ *) fail=$((fail + 1)); echo "$line" ;;
        skip\ *) skip=$((skip + 1)); echo "$line"
            case $line in *timeout*) timeouts=$((timeouts + 1)) ;; esac ;;
        *) echo "$line" ;;
        esac
        done=$((pass + fail + skip))
        [ $((done % 1000)) -eq 0 ] && [ "$done" -lt "$N" ] &&
            echo "llvm-diff: $done/$N modules, $fail failing so far ($(($(date +%s) - start)) s)"
    done
    missing=$((N - pass - fail - skip))
    [ "$missing" -gt 0 ] && echo "llvm-diff: $missing modules got no verdict (a batch process died)"
    fail=$((fail + (missing > 0 ? missing : 0) + findings_failed))
    secs=$(($(date +%s) - start)); [ "$secs" -gt 0 ] || secs=1
    echo "llvm-diff: $N modules in $secs s, $((N * 60 / secs))/min (-j$J, opt $OPT, gen $GEN${LLVM_DIFF_FUEL:+, fuel $LLVM_DIFF_FUEL}): explained $nan NaN-bit, $stack stack-depth; skipped $timeouts timeouts"
    echo "llvm-diff: $pass passed, $fail failed, $skip skipped"
    [ "$fail" -eq 0 ]
}
