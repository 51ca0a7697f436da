#!/usr/bin/env bash
# fuzz: build the libFuzzer targets (ASan+UBSan) and run each for a time budget.
# Usage: tests/fuzz/run.sh [SECONDS]   (default 60 for the module target; decode 15 s, json 10 s)
# Seeds: every module of the spec suite. A crash leaves its input in build-fuzz/ and
# fails the run; turn it into a regression test under tests/regress/.
set -uo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}
out=build-fuzz
mkdir -p "$out/seeds" "$out/corpus" "$out/json-corpus"
FLAGS="-std=gnu11 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -D_GNU_SOURCE -Iinclude -fvisibility=hidden"
# The library is compiled once (instrumented for coverage) and linked into each target.
mkdir -p "$out/lib"
objs=()
for src in $(make -s -f Makefile print-lib-srcs); do
  obj="$out/lib/$(echo "$src" | tr / _).o"
  if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find src include -name '*.h' -newer "$obj" -print -quit)" ]; then
    clang-19 $FLAGS -fsanitize=fuzzer-no-link -c "$src" -o "$obj" || { echo "fuzz: 0 passed, 1 failed (build $src)"; exit 1; }
  fi
  objs+=("$obj")
done
FLAGS="$FLAGS -fsanitize=fuzzer"
clang-19 $FLAGS -o "$out/fuzz_module" tests/fuzz/fuzz_module.c "${objs[@]}" -lm -lpthread || { echo "fuzz: 0 passed, 1 failed (build)"; exit 1; }
clang-19 $FLAGS -o "$out/fuzz_decode" tests/fuzz/fuzz_decode.c "${objs[@]}" -lm -lpthread || { echo "fuzz: 0 passed, 1 failed (build)"; exit 1; }
clang-19 $FLAGS -o "$out/fuzz_json" tests/fuzz/fuzz_json.c src/cli/json.c || { echo "fuzz: 0 passed, 1 failed (build)"; exit 1; }
clang-19 $FLAGS -o "$out/fuzz_toml" tests/fuzz/fuzz_toml.c src/cli/toml.c || { echo "fuzz: 0 passed, 1 failed (build)"; exit 1; }
clang-19 $FLAGS -o "$out/fuzz_artifact" tests/fuzz/fuzz_artifact.c "${objs[@]}" -lm -lpthread || { echo "fuzz: 0 passed, 1 failed (build)"; exit 1; }
mkdir -p "$out/artifact-corpus" && cp tests/fuzz/seeds-artifact/* "$out/artifact-corpus/"   # seeds: clang objects, an artifact
mkdir -p "$out/toml-corpus" && cp tests/cli/config/*.toml "$out/toml-corpus/"   # seeds: the taho.toml test files

if [ -z "$(ls -A "$out/seeds")" ]; then
  for w in ../shared/spec-testsuite/core/*.wast; do
    n=$(basename "$w" .wast)
    mkdir -p "$out/tmp"
    wast2json "$w" -o "$out/tmp/$n.json" >/dev/null 2>&1 && cp "$out/tmp/"*.wasm "$out/seeds/" 2>/dev/null
    cp "$out/tmp/$n.json" "$out/json-corpus/" 2>/dev/null
    rm -rf "$out/tmp"
  done
fi

export ASAN_OPTIONS=allow_user_segv_handler=1:detect_leaks=1
pass=0; fail=0
run() { # name binary seconds corpus seeds
  local log="$out/$1.log"
  if "$2" -max_total_time="$3" -timeout=10 -rss_limit_mb=4096 -artifact_prefix="$out/$1-" \
       -print_final_stats=1 "$4" "$5" >"$log" 2>&1; then
    pass=$((pass + 1)); echo "fuzz $1: clean, $(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$') runs in ${3}s"
  else
    fail=$((fail + 1)); echo "fuzz $1: FAILED"; grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -n 10
  fi
}
run module "$out/fuzz_module" "$secs" "$out/corpus" "$out/seeds"
run decode "$out/fuzz_decode" 15 "$out/corpus" "$out/seeds"
run json "$out/fuzz_json" 10 "$out/json-corpus" "$out/json-corpus"
run toml "$out/fuzz_toml" 10 "$out/toml-corpus" "$out/toml-corpus"
run artifact "$out/fuzz_artifact" 10 "$out/artifact-corpus" "$out/artifact-corpus"
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
