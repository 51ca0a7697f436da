#!/usr/bin/env bash
# test: everything CI runs. Each suite prints "NAME: N passed, N failed"; the last line
# adds them up. Exit status is non-zero if any suite failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --deps >/dev/null || { echo "setup failed"; exit 1; }

total_pass=0; total_fail=0; failed_suites=()
log=$(mktemp -d)
# The JIT's on-disk cache ($XDG_CACHE_HOME/taho) lives and dies with this run.
export XDG_CACHE_HOME="$log/cache"
trap 'rm -rf "$log"' EXIT

# run_suite NAME CMD...: runs CMD, shows its output, takes the counts from its last
# "N passed, N failed" line; a suite that exits non-zero without one counts one failure.
run_suite() {
  local name=$1; shift
  echo "=== $name"
  "$@" 2>&1 | tee "$log/$name.out"
  local rc=${PIPESTATUS[0]}
  local line
  line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log/$name.out" | tail -n 1)
  local p f
  p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+'); f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+')
  [ -n "$line" ] || { p=0; f=0; }
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
  [ "$rc" -eq 0 ] || failed_suites+=("$name")
}

run_suite build make -j2 all examples
run_suite unit ./build/unit-tests
run_suite runtime bash tests/runtime/run.sh   # 64 threads x stores under ThreadSanitizer
run_suite cli bash tests/cli/run.sh
run_suite spec bash tests/spec/run.sh -j2
run_suite llvm bash tests/llvm/run.sh
run_suite spec-jit bash tests/spec/run.sh -j2 --engine jit   # LLVM JIT at O2
run_suite llvm-diff bash tests/llvm/diff.sh 300   # interp vs JIT vs artifact on generated modules
run_suite aot bash tests/llvm/aot.sh   # taho compile, artifacts without LLVM, the JIT cache
run_suite spec-aot bash tests/spec/run.sh -j2 --engine aot   # every module through an artifact
run_suite wasi bash tests/wasi/run.sh
run_suite bench bash bench/run.sh --quick --reps 1   # checksums only: timing decides nothing here
run_suite sanitizers bash tests/sanitize.sh
run_suite fuzz bash tests/fuzz/run.sh 60

echo
[ ${#failed_suites[@]} -eq 0 ] || echo "failed suites: ${failed_suites[*]}"
echo "total: $total_pass passed, $total_fail failed"
[ ${#failed_suites[@]} -eq 0 ]
