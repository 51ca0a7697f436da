#!/usr/bin/env bash
# fuel.sh: fuel and epoch limits in compiled code, from the command line. A budget
# stops the JIT and an artifact at the same line of output as the interpreter, run
# after run (tests/llvm/fuel.c prints a line per round), with the same trap and frames
# (at --optimize none, where every function keeps its frame); --timeout interrupts
# compiled endless loops; artifacts run only with the limits they were compiled for.
# The C API's view (memory and fuel left, to the instruction): build/unit-tests tiers_;
# random modules (the fuel left after every call, where it runs out, and memory):
# tests/llvm/diff.sh --fuel N, run here on 200 modules (FUEL_DIFF=N for more).
# Prints "fuel: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
TAHO=$(realpath "${TAHO:-build/taho}")
W=$(mktemp -d "${TMPDIR:-/tmp}/taho-fuel-XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
export XDG_CACHE_HOME=$W/cache
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/  /' "$2" | head -8; }
# fails_with NAME STATUS PATTERN CMD...: CMD exits STATUS and prints PATTERN (grep -E)
fails_with() {
    local name=$1 want=$2 pat=$3; shift 3
    timeout 60 "$@" >"$W/out" 2>&1; local rc=$?
    if [ "$rc" = "$want" ] && grep -Eq -- "$pat" "$W/out"; then ok; else bad "$name (exit $rc, want $want)" "$W/out"; fi
}
[ -f build/libtaho-llvm.so ] || { echo "fuel: build/libtaho-llvm.so not built"; echo "fuel: 0 passed, 1 failed"; exit 1; }
g=$W/fuel.wasm
clang-19 --target=wasm32-wasi --sysroot=/usr -O2 -o "$g" tests/llvm/fuel.c || { echo "fuel: 0 passed, 1 failed (build fuel.wasm)"; exit 1; }
"$TAHO" compile --consume-fuel "$g" -o "$W/fuel.taho" &&
"$TAHO" compile --consume-fuel --optimize none "$g" -o "$W/fuel-none.taho" &&
"$TAHO" compile --epoch-interruption "$g" -o "$W/epoch.taho" &&
"$TAHO" compile "$g" -o "$W/plain.taho" || { echo "fuel: 0 passed, 1 failed (taho compile)"; exit 1; }

# run NAME ARGS...: stdout, the exit status and the trap's message and frames (no
# offsets: each tier counts its own) into $W/NAME
run() {
    local name=$1; shift
    timeout 60 "$TAHO" run "$@" >"$W/$name" 2>"$W/$name.err"
    echo "exit $?" >>"$W/$name"
    sed -E 's/\+0x[0-9a-f]+$//; s/^taho: [^:]*: //' "$W/$name.err" >>"$W/$name"
}

# ---- the same budget stops every engine at the same line ----
stopped=0
for budget in 1 50 200 1000 4321 10000 31337 100000 250000 1000000; do
    run interp --fuel "$budget" "$g" fuel
    grep -q "all fuel consumed" "$W/interp" && stopped=$((stopped + 1))
    for e in "jit --engine jit" "jit-none --engine jit --optimize none" "aot $W/fuel.taho" \
             "aot-none $W/fuel-none.taho"; do
        set -- $e
        name=$1; shift
        if [ "$name" = aot ] || [ "$name" = aot-none ]; then run "$name" --fuel "$budget" "$1" fuel
        else run "$name" "$@" --fuel "$budget" "$g" fuel; fi
        # at O2, inlined functions have no frames: compare output and message only
        case $name in *none) cmp -s "$W/interp" "$W/$name" ;;
                      *) cmp -s <(grep -v '^    at ' "$W/interp") <(grep -v '^    at ' "$W/$name") ;; esac &&
            ok || { bad "budget $budget: $name differs from the interpreter"; diff "$W/interp" "$W/$name" | head -8; }
    done
done
[ "$stopped" -ge 8 ] && ok || bad "only $stopped of 10 budgets ran out (the test needs them to)"
# a budget that suffices: the whole output, exit 0
run interp --fuel 100000000 "$g" fuel 40
run jit --engine jit --fuel 100000000 "$g" fuel 40
run aot --fuel 100000000 "$W/fuel.taho" fuel 40
cmp -s "$W/interp" "$W/jit" && cmp -s "$W/interp" "$W/aot" && grep -q "^40 " "$W/interp" && grep -q "^exit 0" "$W/interp" &&
    ok || bad "enough fuel: jit or aot differ from the interpreter" "$W/aot"

# ---- 10 runs of 10 stop at the same point ----
for e in jit aot; do
    for i in 1 2 3 4 5 6 7 8 9 10; do
        if [ "$e" = jit ]; then run "again$i" --engine jit --fuel 123456 "$g" fuel
        else run "again$i" --fuel 123456 "$W/fuel.taho" fuel; fi
    done
    same=1
    for i in 2 3 4 5 6 7 8 9 10; do cmp -s "$W/again1" "$W/again$i" || same=0; done
    [ "$same" = 1 ] && grep -q "all fuel consumed" "$W/again1" && ok || bad "$e: 10 runs with one budget differ" "$W/again1"
done

# ---- epochs ----
fails_with "jit: --timeout stops an endless loop" 1 "timeout of 200 ms reached" "$TAHO" run --engine jit --timeout 200ms "$g" spin
fails_with "jit: the trap is an interrupt" 1 "trap: interrupt" "$TAHO" run --engine jit --timeout 200ms "$g" spin
fails_with "aot: --timeout stops an endless loop" 1 "timeout of 200 ms reached" "$TAHO" run --timeout 200ms "$W/epoch.taho" spin
fails_with "jit: --timeout with --fuel" 1 "trap: interrupt" "$TAHO" run --engine jit --fuel 100000000000000 --timeout 200ms "$g" spin

# ---- artifacts and the limits they were compiled for ----
fails_with "no fuel checks: refused under --fuel" 1 "plain.taho: compiled without fuel checks.*recompile it with taho compile --consume-fuel" \
    "$TAHO" run --fuel 1000 "$W/plain.taho" fuel 3
fails_with "no epoch checks: refused under --timeout" 1 "compiled without epoch checks.*taho compile --epoch-interruption" \
    "$TAHO" run --timeout 1s "$W/plain.taho" fuel 3
fails_with "fuel checks: refused without --fuel" 1 "compiled with fuel checks, so it runs only with fuel" \
    "$TAHO" run "$W/fuel.taho" fuel 3
fails_with "fuel checks: accepted under --fuel" 0 "^3 " "$TAHO" run --fuel 1000000 "$W/fuel.taho" fuel 3
fails_with "[limits] fuel in taho.toml counts as --fuel" 1 "all fuel consumed" \
    bash -c "cd '$W' && printf '[limits]\nfuel = 1000\n' >taho.toml && $TAHO run fuel.taho fuel"

# ---- the JIT cache keeps code with and without checks apart ----
fails_with "cache: plain jit run fills the cache" 0 "^3 " "$TAHO" run --engine jit "$g" fuel 3
fails_with "cache: a fuel run after it still counts" 1 "all fuel consumed" "$TAHO" run --engine jit --fuel 1000 "$g" fuel
fails_with "cache: a plain run after that has no checks" 0 "^3 " "$TAHO" run --engine jit "$g" fuel 3

# ---- random modules: interpreter, JIT and artifact with the same budget ----
if command -v wasm-opt >/dev/null; then
    for budget in 700 20000; do
        bash tests/llvm/diff.sh "${FUEL_DIFF:-100}" --fuel "$budget" >"$W/diff" 2>&1 &&
            ok || bad "diff.sh --fuel $budget" "$W/diff"
    done
fi

echo "fuel: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
